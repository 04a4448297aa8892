// Query page enhancements (the page works without them: its forms are server-side GET forms).
// - picking a named query reloads the page with its parameters filled (it does not run it);
// - an edited or free query runs on /sparql without reloading, its IRIs linked to the local pages;
// - the share link follows the editor; downloads in every format (POST with the Accept header).
// No third-party code, no inline script (CSP script-src 'self').
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const editor = $("query"), status = $("status"), picker = $("name");
  const downloads = $("downloads"), share = $("share"), shareLink = $("share-link");
  const words = status.dataset;  // the page's wording: running, rows, lines, in
  const baseIri = downloads.dataset.baseIri, site = downloads.dataset.site;
  const original = editor.dataset.original || "";
  const named = picker.value;

  function edited() { return !named || editor.value.trim() !== original.trim(); }

  function queryForm(text) {
    const body = text.replace(/#[^\n]*/g, " ").replace(/\b(PREFIX|BASE)\b[^\n]*/gi, " ");
    const m = body.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
    return m ? m[1].toUpperCase() : "SELECT";
  }

  function showKind() {
    const form = queryForm(editor.value), graph = form === "CONSTRUCT" || form === "DESCRIBE";
    const free = edited();  // a named query downloads through the API links (its parameters bound)
    document.querySelector('[data-kind="table"]').hidden = !free || graph;
    document.querySelector('[data-kind="graph"]').hidden = !free || !graph;
    document.querySelectorAll("#downloads a.nojs").forEach((a) => { a.hidden = free; });
  }

  function shareUrl() {
    const params = new URLSearchParams();
    params.set("lang", document.documentElement.lang);
    if (named && !edited()) {  // an edited text runs without the named query's parameters: not in the link
      params.set("name", named);
      document.querySelectorAll('#editor-form input[type="hidden"][name^="p."]').forEach((i) => {
        if (i.value) params.set(i.name, i.value);
      });
    }
    if (edited()) params.set("query", editor.value);
    params.set("run", "1");
    return site + "/sparql?" + params.toString();
  }

  function updateShare() {
    const url = shareUrl();
    share.value = url; shareLink.href = url;
    const dropped = $("dropped");
    if (named && dropped) {  // say that an edited named query runs without its parameters
      if (edited() && dropped.hidden) dropped.textContent = dropped.dataset.named;
      dropped.hidden = !edited();
    }
    showKind();
  }

  function localHref(iri) {  // IRIs of the graph open their local page (never a dead https://w3id.org/…)
    if (iri.startsWith(baseIri)) return site + "/" + iri.slice(baseIri.length);
    return site + "/describe?iri=" + encodeURIComponent(iri);
  }

  function post(accept) {
    return fetch(site + "/sparql", {
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
      a.href = localHref(term.value); a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.appendChild(document.createTextNode(term.type === "bnode" ? "_:" + term.value : term.value));
      if (term["xml:lang"]) {
        const s = document.createElement("span");
        s.className = "lang"; s.textContent = "(" + term["xml:lang"] + ")";
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
    const wrap = document.createElement("div"), table = document.createElement("table");
    wrap.className = "scroll";
    const head = table.createTHead().insertRow();
    vars.forEach((v) => {
      const th = document.createElement("th"); th.scope = "col"; th.textContent = "?" + v; head.appendChild(th);
    });
    const body = table.createTBody();
    rows.forEach((row) => { const tr = body.insertRow(); vars.forEach((v) => tr.appendChild(cell(row[v]))); });
    wrap.appendChild(table); host.appendChild(wrap);
    return rows.length;
  }

  async function run(ev) {
    if (!edited()) return;  // a named query with its parameters: the server runs it (typed binding)
    ev.preventDefault();
    const form = queryForm(editor.value), graph = form === "CONSTRUCT" || form === "DESCRIBE";
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
      history.replaceState(null, "", shareUrl());
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
    a.href = url; a.download = (named || "query") + "." + button.dataset.ext;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  picker.addEventListener("change", () => {  // fill the parameters of the chosen query; do not run it
    $("pick").hidden = true;
    $("named-form").submit();
  });
  $("editor-form").addEventListener("submit", run);
  editor.addEventListener("input", updateShare);
  editor.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); $("editor-form").requestSubmit($("run")); }
  });
  downloads.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => download(b)));
  updateShare();
})();
