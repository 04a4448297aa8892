// Query page: examples from /sparql/examples, runs queries on /sparql, renders SPARQL JSON as a
// table (or RDF as text) and downloads the result in any format. No third-party code.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const editor = $("query"), select = $("examples"), status = $("status");
  const lang = document.documentElement.lang === "fr" ? "fr" : "en";  // the page's negotiated language
  const words = status.dataset;  // the page's wording: running, rows, lines, in
  let examples = [];

  function queryForm(text) {
    const body = text.replace(/#[^\n]*/g, " ").replace(/\b(PREFIX|BASE)\b[^\n]*/gi, " ");
    const m = body.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
    return m ? m[1].toUpperCase() : "SELECT";
  }

  function showKind(form) {
    const graph = form === "CONSTRUCT" || form === "DESCRIBE";
    document.querySelector('[data-kind="table"]').hidden = graph;
    document.querySelector('[data-kind="graph"]').hidden = !graph;
  }

  function post(accept) {
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": accept },
      body: editor.value,
    });
  }

  async function problem(response) {
    try {
      const p = await response.json();
      return `${response.status} ${p.title || ""}\n${p.detail || ""}`;
    } catch (e) {
      return `${response.status} ${response.statusText}`;
    }
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && linkable(term.value)) {  // links.js: http(s) IRIs only
      const a = document.createElement("a");
      a.href = term.value; a.textContent = term.value; a.rel = "noopener";
      td.appendChild(a);
    } else {
      td.appendChild(document.createTextNode(term.type === "bnode" ? "_:" + term.value : term.value));
      const extra = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? term.datatype.replace(/^.*[#/]/, "xsd:") : "");
      if (extra) {
        const s = document.createElement("span");
        s.className = term["xml:lang"] ? "lang" : "dt"; s.textContent = extra;
        td.appendChild(s);
      }
    }
    return td;
  }

  function renderTable(data) {
    const host = $("table");
    host.textContent = "";
    if (typeof data.boolean === "boolean") {
      host.textContent = "ASK: " + data.boolean;
      return 1;
    }
    const vars = data.head.vars || [], rows = data.results.bindings || [];
    const table = document.createElement("table"), head = table.createTHead().insertRow();
    vars.forEach((v) => { const th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th); });
    const body = table.createTBody();
    rows.forEach((row) => { const tr = body.insertRow(); vars.forEach((v) => tr.appendChild(cell(row[v]))); });
    host.appendChild(table);
    return rows.length;
  }

  async function run() {
    const form = queryForm(editor.value), graph = form === "CONSTRUCT" || form === "DESCRIBE";
    showKind(form);
    $("error").hidden = true; $("graph").hidden = true; $("table").textContent = "";
    $("run").disabled = true; status.textContent = words.running;
    const started = performance.now();
    try {
      const response = await post(graph ? "text/turtle" : "application/sparql-results+json");
      if (!response.ok) throw new Error(await problem(response));
      let count;
      if (graph) {
        const text = await response.text();
        $("graph").textContent = text; $("graph").hidden = false;
        count = text.split("\n").filter((l) => l.trim() && !l.startsWith("@prefix")).length + " " + words.lines;
      } else {
        count = renderTable(await response.json()) + " " + words.rows;
      }
      status.textContent = `${count} ${words.in} ${Math.round(performance.now() - started)} ms`;
    } catch (err) {
      $("error").textContent = err.message; $("error").hidden = false; status.textContent = "";
    } finally {
      $("run").disabled = false;
    }
  }

  async function download(button) {
    const response = await post(button.dataset.accept);
    if (!response.ok) { $("error").textContent = await problem(response); $("error").hidden = false; return; }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url; a.download = (select.value || "query") + "." + button.dataset.ext;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function loadExamples() {
    const response = await fetch("/sparql/examples", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    examples = await response.json();
    examples.forEach((e) => {
      const option = document.createElement("option");
      option.value = e.name;
      option.textContent = (e.titles[lang] || e.titles.en || e.name) + " (" + e.name + ")";
      select.appendChild(option);
    });
  }

  select.addEventListener("change", () => {
    const e = examples.find((x) => x.name === select.value);
    if (e) { editor.value = e.query; showKind(queryForm(e.query)); }
  });
  $("run").addEventListener("click", run);
  editor.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); } });
  document.querySelectorAll("#downloads button").forEach((b) => b.addEventListener("click", () => download(b)));
  $("sd-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    fetch("/sparql", { headers: { Accept: "text/turtle" } }).then((r) => r.text()).then((t) => {
      $("graph").textContent = t; $("graph").hidden = false; $("table").textContent = "";
    });
  });

  const fromUrl = new URLSearchParams(location.search).get("query");
  if (fromUrl) editor.value = fromUrl;
  showKind(queryForm(editor.value));
  loadExamples().then(() => { if (fromUrl) run(); });
})();
