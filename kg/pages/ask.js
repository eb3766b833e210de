"use strict";
let prefixes = {};
const table = document.getElementById("results");
const statusLine = document.getElementById("status");
fetch("/queries").then(r => r.json()).then(d => { prefixes = d.prefixes; });

function short(iri) {
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return p + ":" + iri.slice(ns.length);
  }
  return iri;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = "#";
    a.title = term.value;
    a.textContent = short(term.value);
    a.addEventListener("click", ev => {
      ev.preventDefault();
      ask("/queries/node?" + new URLSearchParams({node: term.value}));
    });
    td.appendChild(a);
  } else {
    td.textContent = term.value;
  }
  return td;
}

function show(data, cut) {
  table.replaceChildren();
  if ("boolean" in data) { statusLine.textContent = data.boolean ? "yes" : "no"; return; }
  const head = table.createTHead().insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const b of data.results.bindings) {
    const tr = body.insertRow();
    for (const v of data.head.vars) tr.appendChild(cell(b[v]));
  }
  const n = data.results.bindings.length;
  statusLine.textContent = n + (n === 1 ? " row" : " rows") + (cut ? " (cut at " + cut + ")" : "");
}

async function ask(url, init) {
  statusLine.textContent = "running…";
  table.replaceChildren();
  try {
    const r = await fetch(url, Object.assign({headers: {Accept: "application/sparql-results+json"}}, init));
    if (!r.ok) { statusLine.textContent = "Error " + r.status + ": " + await r.text(); return; }
    show(await r.json(), r.headers.get("X-SPARQL-MaxRows"));
  } catch (e) {
    statusLine.textContent = "Error: " + e;
  }
}

for (const form of document.querySelectorAll("form.question")) {
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const params = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    ask("/queries/" + encodeURIComponent(form.dataset.name) + "?" + params);
  });
}
document.getElementById("sparql-form").addEventListener("submit", ev => {
  ev.preventDefault();
  ask("/sparql", {method: "POST", body: document.getElementById("sparql").value,
                  headers: {"Content-Type": "application/sparql-query", Accept: "application/sparql-results+json"}});
});
