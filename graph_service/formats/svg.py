"""SVG built from elements, not from f-strings: every text and attribute value is escaped here, once.

`el("text", "R&D", x=1.25, text_anchor="end")` is `<text x="1.2" text-anchor="end">R&amp;D</text>`:
keyword names take `-` for `_` (`class_` is `class`), numbers are written with one decimal at most,
`None` leaves the attribute out, and string children are text (escaped), never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://www.w3.org/2000/svg"
Value = str | int | float | None


@dataclass(frozen=True)
class Element:
    """An SVG element: its tag, attributes (in the order given) and children (elements or text)."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Element | str, ...] = ()

    def __str__(self) -> str:
        attrs = "".join(f" {name}={quoteattr(value)}" for name, value in self.attrs)
        if not self.children:
            return f"<{self.tag}{attrs}/>"
        inner = "".join(escape(c) if isinstance(c, str) else str(c) for c in self.children)
        return f"<{self.tag}{attrs}>{inner}</{self.tag}>"


def number(value: float) -> str:
    """A coordinate as SVG writes it: one decimal at most (`12`, `12.5`, `-3.2`)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attr(value: str | int | float) -> str:
    if isinstance(value, (bool, str)):
        return str(value)
    return number(value)


def el(tag: str, *children: Element | str, **attrs: Value) -> Element:
    """An element; attribute names as keywords (`text_anchor` is `text-anchor`, `class_` is `class`)."""
    pairs = tuple(
        (name.rstrip("_").replace("_", "-"), _attr(value)) for name, value in attrs.items() if value is not None
    )
    return Element(tag, pairs, children)


def document(*children: Element | str, **attrs: Value) -> str:
    """A whole `<svg>` element in the SVG namespace, one top-level child per line."""
    root = el("svg", **{"xmlns": NAMESPACE, **attrs})
    opening = str(root)[:-2] + ">"
    body = [escape(c) if isinstance(c, str) else str(c) for c in children]
    return "\n".join([opening, *body, "</svg>"])
