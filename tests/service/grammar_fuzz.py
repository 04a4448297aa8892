"""Queries generated from the SPARQL 1.1 query grammar (and spargebra's SPARQL 1.2 additions), with
the terminals' edge cases, SERVICE and FROM injected into grammar positions, for the differential
in `test_grammar_differential.py`. Deterministic: one `random.Random` per seed."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.service.egress import PUBLIC_GRAPH, SECRET_GRAPH

PREFIXES = {"ab": "http://e.test/", "": "http://e.test/empty#", "a.b": "http://e.test/dotted/"}
# what may stand between two tokens: nothing, white space, comments ended by CR or LF
SEPARATORS = ["", " ", " ", " ", "\n", "\r", "\t", "#c\n", "#c\r", "# SERVICE <x> {}\r\n", "\r\n", "  "]
KEYWORD_SPACES = [" ", " ", " ", "\n", "\t", "#x\n", "#x\r", ""]


# terminals that make a query fail to parse, or name an undeclared prefix: left out of the "clean"
# half of the queries, so that many queries run (and so can reach out) rather than fail
INVALID = frozenset(
    [
        '<http://e.test/a"b>',
        "<http://e.test/a b>",
        "<http://e.test/\\u003E>",
        "ab:x.",
        "ab:x%4",
        "zz:x",
        "ab:x.y.SERVICE",
        "ab:\\u0073",
        "ab:",
        "a.b:x",
        "\\uD800",
        "a\\qb",
        "TRUE",
        "True",
        "xsd:int",
        "[#c\n]",
        " @de",
        "@service",
        "1.",
        "ab:x:y",
    ]
)


class Gen:
    """One query per call; `url` is the connection-counting listener's."""

    def __init__(self, seed: int, url: str) -> None:
        self.r = random.Random(seed)
        self.url = url
        self.prefix_to_url = f"PREFIX sv: <{url}>\n"
        self.dangerous = False
        self.named = False
        self.clean = False

    def choice(self, options: list[str]) -> str:
        """One of `options`; in a clean query, never an INVALID one."""
        while True:
            picked = self.r.choice(options)
            if not (self.clean and picked in INVALID):
                return picked

    # --- terminals -----------------------------------------------------------------------------
    def kw(self, word: str) -> str:
        """A keyword in any ASCII case, sometimes with a letter as a `\\u` escape."""
        r = self.r
        mode = r.random()
        if mode < 0.5:
            text = word
        elif mode < 0.7:
            text = word.lower()
        else:
            text = "".join(c.upper() if r.random() < 0.5 else c.lower() for c in word)
        if r.random() < 0.03:
            at = r.randrange(len(text))
            text = text[:at] + f"\\u{ord(text[at]):04X}" + text[at + 1 :]
        return text

    def var(self) -> str:
        r = self.r
        name = r.choice(["s", "p", "o", "x", "service", "from", "SERVICE", "o1", "1a", "x\u00b7y", "_v", "sERvice"])
        return r.choice("??$") + name

    def iri(self) -> str:
        return self.choice(
            [
                "<http://e.test/x>",
                "<http://public.test/p>",
                "<http://public.test/s>",
                "<x>",
                "<#frag>",
                "<>",
                "<http://e.test/\\u0073ervice>",
                "<http://e.test/a#'>",
                '<http://e.test/a"b>',
                "<http://e.test/a b>",
                "<http://e.test/SERVICE>",
                "<../up>",
                "<http://e.test/\\u003E>",
                "<http://[::1]/>",
            ]
        )

    def pname(self) -> str:
        return self.choice(
            [
                "ab:x",
                "ab:x.y",
                "ab:x.y.z",
                "ab:x..y",
                "ab:%41b",
                "ab:\\.x",
                "ab:x\\-y",
                ":x",
                ":",
                "ab:",
                "ab:x:y",
                "ab:0",
                "a.b:x",
                "ab:service",
                "ab:SERVICE",
                "ab:x.",
                "ab:\\#f",
                "ab:_",
                "ab:x%4",
                "zz:x",
                "ab:x.y.SERVICE",
                "ab:\\u0073",
                "ab:x.\\.y",
            ]
        )

    def string(self) -> str:
        r = self.r
        body = self.choice(
            [
                "x",
                "SERVICE <u> {}",
                "it's",
                'say "hi"',
                "a\\u0022b",
                "x\\u005C",
                "\\\\u0073",
                "\\n\\t",
                "é",
                "",
                "s f S F",
                "#",
                "}",
                "\\'",
                '\\"',
                "\\uD800",
                "a\\qb",
            ]
        )
        quote = r.choice(["'", '"', "'''", '"""'])
        if quote in ("'''", '"""') and r.random() < 0.3:
            body += r.choice(["\nline", "\r", "''", '""', "'", '"'])
        text = quote + body + quote
        tail = r.random()
        if tail < 0.15:
            text += self.choice(["@en", "@fr-FR", "@service", "@en--ltr", " @de"])
        elif tail < 0.25:
            text += "^^" + self.choice(["<http://www.w3.org/2001/XMLSchema#string>", "ab:t", "xsd:int"])
        return text

    def number(self) -> str:
        return self.choice(["1", "2", "1.5", ".5", "1e3", "1.E2", "-1", "+2", "007", "1."])

    def literal(self) -> str:
        r = self.r.random()
        if r < 0.5:
            return self.string()
        if r < 0.85:
            return self.number()
        return self.choice(["true", "false", "TRUE", "True"])

    def bnode(self) -> str:
        return self.choice(["_:b", "_:service", "_:b.c", "[]", "[ ]", "[#c\n]", "_:1", "_:b"])

    def term(self) -> str:
        r = self.r.random()
        if r < 0.35:
            return self.var()
        if r < 0.55:
            return self.iri()
        if r < 0.75:
            return self.pname()
        if r < 0.9:
            return self.literal()
        return self.bnode()

    # --- productions ---------------------------------------------------------------------------
    def sep(self) -> str:
        return self.r.choice(SEPARATORS)

    def ksep(self) -> str:
        return self.r.choice(KEYWORD_SPACES)

    def join(self, *parts: str) -> str:
        out = parts[0]
        for part in parts[1:]:
            out += self.sep() + part
        return out

    def verb(self) -> str:
        r = self.r.random()
        if r < 0.15:
            return "a"
        if r < 0.3:  # a property path
            path = self.r.choice([self.iri(), self.pname()])
            return self.r.choice(
                [
                    path + "*",
                    path + "?",
                    "^" + path,
                    path + "/" + self.pname(),
                    "!" + path,
                    "(" + path + "|" + self.iri() + ")",
                    path + "+",
                ]
            )
        return self.r.choice([self.var(), self.iri(), self.pname()])

    def triple(self) -> str:
        r = self.r
        subject = self.term() if r.random() < 0.9 else self.join("[", self.verb(), self.term(), "]")
        if r.random() < 0.05:
            subject = self.join("<<", self.var(), self.verb(), self.term(), ">>")
        objects = [self.term() for _ in range(r.choice([1, 1, 1, 2]))]
        if r.random() < 0.05:
            objects.append(self.join("(", self.term(), self.term(), ")"))
        if r.random() < 0.03:
            objects.append(self.join("<<(", self.var(), self.verb(), self.term(), ")>>"))
        text = self.join(subject, self.verb(), self.sep().join(objects) if r.random() < 0.5 else " , ".join(objects))
        if r.random() < 0.1:
            text = self.join(text, ";", self.verb(), self.term())
        return text

    def expression(self, depth: int = 0) -> str:
        r = self.r
        roll = r.random()
        if depth > 2 or roll < 0.35:
            return self.term() if r.random() < 0.8 else self.literal()
        if roll < 0.65:
            op = r.choice(["<", "<=", ">", ">=", "=", "!=", "&&", "||", "+", "-", "*", "/"])
            return self.join(self.expression(depth + 1), op, self.expression(depth + 1))
        if roll < 0.8:
            fn = self.kw(r.choice(["STR", "regex", "LANG", "BOUND", "isIRI", "CONCAT", "STRSTARTS", "COALESCE"]))
            args = [self.expression(depth + 1) for _ in range(r.choice([1, 2]))]
            return self.join(fn, "(", " , ".join(args), ")")
        if roll < 0.88:
            return self.join(
                self.expression(depth + 1), self.kw("IN"), "(", " , ".join(self.term() for _ in range(2)), ")"
            )
        if roll < 0.94:
            return self.join(self.kw("EXISTS"), self.group(depth + 2))
        return self.join("(", self.expression(depth + 1), ")")

    def service(self) -> str:
        """A SERVICE pattern: to the listener under some spelling, or to a harmless name."""
        r = self.r
        self.dangerous = True
        target = r.choice([f"<{self.url}>", f"<{self.url}x>", "sv:x", "sv:", "?svc", "<http://e.test/>", "ab:x"])
        silent = self.kw("SILENT") + self.ksep() if r.random() < 0.3 else ""
        inner = r.choice(["{ ?s ?p ?o }", "{}", "{?a ?b ?c}"])
        text = self.kw("SERVICE") + self.ksep() + silent + target + self.sep() + inner
        if target == "?svc":
            text = self.r.choice([f"BIND(<{self.url}> AS ?svc)", f"VALUES ?svc {{ <{self.url}> }}"]) + " " + text
        return text

    def attack(self) -> str:
        """The spelling of issue 20: a dotted local name running into `.SERVICE<iri>{…}`."""
        self.dangerous = True
        local = self.r.choice(["x.y", "x.y.z", "x..y", "x", "x.y\\.z"])
        return f"?s ?p ab:{local}.{self.kw('SERVICE')}<{self.url}>{{ ?s ?p ?o }}"

    def pattern(self, depth: int) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.35:
            return self.triple()
        if roll < 0.45:
            return self.join(self.kw("FILTER"), "(", self.expression(), ")")
        if roll < 0.5:
            return self.join(self.kw("BIND"), "(", self.expression(), self.kw("AS"), self.var(), ")")
        if roll < 0.6:
            return self.service()
        if roll < 0.63:
            return self.attack()
        if depth > 2:
            return self.triple()
        if roll < 0.7:
            return self.join(self.kw("OPTIONAL"), self.group(depth + 1))
        if roll < 0.75:
            return self.join(self.group(depth + 1), self.kw("UNION"), self.group(depth + 1))
        if roll < 0.78:
            return self.join(self.kw("MINUS"), self.group(depth + 1))
        if roll < 0.82:
            graph = self.r.choice([f"<{PUBLIC_GRAPH}>", "?g" if self.named else "<http://e.test/g>"])
            return self.join(self.kw("GRAPH"), graph, self.group(depth + 1))
        if roll < 0.86:
            return self.join(self.kw("VALUES"), self.var(), "{", self.term(), "}")
        if roll < 0.9:
            return self.join("{", self.kw("SELECT"), "*", self.group(depth + 1), "}")
        return self.group(depth + 1)

    def group(self, depth: int = 0) -> str:
        r = self.r
        parts = [self.pattern(depth) for _ in range(r.choice([0, 1, 1, 2, 3]))]
        glue = [self.sep() + r.choice(["", ".", " . "]) + self.sep() for _ in parts]
        body = "".join(p + g for p, g in zip(parts, glue, strict=True))
        return "{" + self.sep() + body + "}"

    def dataset(self) -> str:
        r = self.r
        clauses = []
        for _ in range(r.choice([0, 0, 1, 2])):
            named = r.random() < 0.4
            graph = r.choice(
                [f"<{PUBLIC_GRAPH}>", f"<{SECRET_GRAPH}>", "sec:g", "<g>", f"<{SECRET_GRAPH[:-1]}\\u0067>"]
            )
            if graph != f"<{PUBLIC_GRAPH}>":
                self.dangerous = True
            self.named = self.named or named
            clause = self.kw("FROM") + self.ksep() + (self.kw("NAMED") + self.ksep() if named else "") + graph
            clauses.append(clause)
        return self.sep().join(clauses)

    def query(self) -> str:
        """One query: prologue, form, dataset, WHERE group, modifiers; sometimes mutated."""
        r = self.r
        self.dangerous = False
        self.named = False
        self.clean = r.random() < 0.5
        prologue = ""
        if self.clean or r.random() < 0.8:
            prologue += self.join(self.kw("PREFIX"), "ab:", "<http://e.test/>") + self.sep()
        if self.clean or r.random() < 0.3:
            prologue += self.join(self.kw("PREFIX"), ":", "<http://e.test/empty#>") + self.sep()
        if r.random() < 0.2:
            prologue += self.join(self.kw("PREFIX"), "a.b:", "<http://e.test/dotted/>") + self.sep()
        if self.clean or r.random() < 0.3:
            prologue += self.prefix_to_url
        if self.clean or r.random() < 0.2:
            prologue += "PREFIX sec: <http://secret.test/>\n"
        if r.random() < 0.15:
            prologue = (
                self.join(self.kw("BASE"), r.choice(["<http://secret.test/>", "<http://e.test/b/>"])) + " " + prologue
            )
        dataset = self.dataset()
        where = self.group()
        if dataset and r.random() < 0.5:  # a plain group: the dataset's graphs are what it reads
            where = "{ GRAPH ?g { ?s ?p ?o } }" if self.named and r.random() < 0.5 else "{ ?s ?p ?o }"
        form = r.choice(["SELECT", "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"])
        head: Callable[[], str] = {
            "SELECT": lambda: (
                self.kw("SELECT")
                + self.ksep()
                + r.choice(["*", "?s", "?s ?o", "(COUNT(*) AS ?n)", "DISTINCT *", "(?x<?y AS ?z)"])
            ),
            "ASK": lambda: self.kw("ASK"),
            "CONSTRUCT": lambda: self.kw("CONSTRUCT") + self.sep() + r.choice(["{ ?s ?p ?o }", "{ _:b ?p ?o }"]),
            "DESCRIBE": lambda: self.kw("DESCRIBE") + self.ksep() + r.choice(["?s", "*", "<http://e.test/x>"]),
        }[form]
        text = (
            prologue
            + head()
            + self.sep()
            + dataset
            + self.sep()
            + r.choice(["", self.kw("WHERE")])
            + self.sep()
            + where
        )
        if r.random() < 0.2:
            text += self.sep() + r.choice(
                [
                    "LIMIT 5",
                    "LIMIT5",
                    "ORDER BY ?s",
                    "OFFSET 1",
                    "GROUP BY ?s",
                    "ORDER BY DESC(?s)",
                    "VALUES ?s { <http://public.test/s> }",
                ]
            )
        if not self.clean and r.random() < 0.2:
            text = self.mutate(text)
        return text

    def mutate(self, text: str) -> str:
        """Splice, delete or duplicate a few characters: shapes no production makes."""
        r = self.r
        at = r.randrange(len(text) + 1)
        roll = r.random()
        if roll < 0.3 and not self.named:
            return text[:at] + text[at + r.randint(1, 3) :]
        if roll < 0.6:
            return (
                text[:at]
                + r.choice([".", ":", "<", ">", "'", '"', "#", "\\", "\r", "(", ")", "{", "}", "@", "_:"])
                + text[at:]
            )
        if roll < 0.8:
            return text[:at] + r.choice([self.service(), self.attack(), self.term(), "SERVICE", "FROM"]) + text[at:]
        end = min(len(text), at + r.randint(1, 12))
        return text[:end] + text[at:]
