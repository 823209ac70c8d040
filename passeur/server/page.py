"""The page at `/`: for newsroom staff who never open a terminal.

Paste or upload an article, choose the languages, and read the summary on top, then the text
side by side in every language (Arabic and Hebrew right to left), glossary terms marked; download
the briefing. The page calls the server's own API (/languages, /frontend/settings,
/passeur/brief); everything it shows is set as text (never parsed as HTML), and the server
sends it with a Content-Security-Policy that allows only its own script and style.
"""

PAGE = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>passeur: translate an article</title>
<link rel="stylesheet" href="page.css">
<script src="page.js" defer></script>
</head>
<body>
<header>
  <h1>passeur</h1>
  <p>French news into English, Arabic and Hebrew, offline, with the newsroom's glossary. Paste an
  article or choose a file, pick the languages, and press Translate.</p>
</header>
<main>
<form id="form" novalidate>
  <label for="text">Article</label>
  <textarea id="text" name="q" rows="10" lang="fr" dir="auto"
    placeholder="Paste the article here: its title on the first line, then its paragraphs."></textarea>
  <div class="row">
    <label for="file">or a file (.txt, .md, .html, .docx, .odt, .pdf)</label>
    <input id="file" name="file" type="file" accept=".txt,.md,.markdown,.html,.htm,.docx,.odt,.pdf">
  </div>
  <div class="row">
    <label for="source">From</label>
    <select id="source" name="source"></select>
    <fieldset id="targets"><legend>Into</legend></fieldset>
  </div>
  <div class="row" id="key-row" hidden>
    <label for="api-key">API key</label>
    <input id="api-key" name="api_key" type="password" autocomplete="off">
  </div>
  <div class="row">
    <button id="go" type="submit">Translate</button>
    <a id="download" hidden download="briefing.html">Download the briefing</a>
    <span id="count" class="muted"></span>
  </div>
  <p id="status" role="status" aria-live="polite"></p>
</form>
<section id="results" aria-label="translations"></section>
</main>
</body>
</html>
"""

STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #8a1c1c; --ok: #e5f3e8; --bad: #fbe3e3; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "DejaVu Sans", "Segoe UI", Tahoma, Arial,
       sans-serif; color: var(--ink); margin: 0 auto; max-width: 90rem; padding: 1.5rem; line-height: 1.55;
       overflow-wrap: anywhere; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1rem; }
h1 { margin: 0 0 .3rem; font-size: 1.7rem; }
h2 { font-size: 1.3rem; margin: 1.5rem 0 .6rem; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .4rem; }
textarea { width: 100%; font: inherit; padding: .6rem; border: 1px solid var(--line); border-radius: 6px; }
.row { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; margin: .7rem 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .8rem; display: flex; gap: .8rem; }
button { font: inherit; padding: .45rem 1.4rem; background: var(--accent); color: #fff; border: 0; border-radius: 6px;
         cursor: pointer; }
button[disabled] { opacity: .6; cursor: wait; }
.muted, .signature { color: var(--muted); font-size: .85rem; }
.signature { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
#status.error { color: var(--accent); font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
.lang-block { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; min-width: 0; }
.lang-block .title { font-weight: 600; margin: 0 0 .4rem; }
.lang-block p { margin: 0 0 .6rem; }
.lang-block ol { margin: 0; padding-inline-start: 1.3rem; }
[dir="rtl"] { text-align: right; }
[lang="ar"] { font-size: 1.08em; line-height: 1.8; }
mark.term { background: var(--ok); border-bottom: 2px solid #3b7d4a; padding: 0 .1em; }
mark.term.problem { background: var(--bad); border-bottom-color: var(--accent); }
.terms { font-size: .9rem; }
.terms .problem { color: var(--accent); }
"""

SCRIPT = r"""
"use strict";
const $ = (id) => document.getElementById(id);
let pairs = {}, settings = {};

function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  return node;
}

function block(language, kind) {
  // lang and dir come from the server's language list; dir is only ever "rtl" or "ltr".
  const node = element("div", null, {class: "lang-block " + kind});
  node.lang = language.lang;
  node.dir = language.dir === "rtl" ? "rtl" : "ltr";
  node.append(element("h3", language.native + (language.native === language.name ? "" : " · " + language.name)));
  return node;
}

function marked(sentence) {
  // The sentence as text, each glossary term found in it wrapped in a <mark>.
  const out = document.createDocumentFragment();
  const text = sentence.text;
  const spans = [];
  for (const term of sentence.terms || []) {
    let from = 0;
    while (term.text && (from = text.indexOf(term.text, from)) >= 0) {
      spans.push([from, from + term.text.length, term]);
      from += term.text.length;
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let at = 0;
  for (const [start, end, term] of spans) {
    if (start < at) continue;
    out.append(document.createTextNode(text.slice(at, start)));
    const bad = term.status && term.status !== "ok";
    const mark = element("mark", text.slice(start, end), {class: "term" + (bad ? " problem" : "")});
    mark.title = term.status ? "glossary term: " + term.status : "glossary term";
    out.append(mark);
    at = end;
  }
  out.append(document.createTextNode(text.slice(at)));
  return out;
}

function show(answer) {
  const results = $("results");
  results.replaceChildren();
  for (const article of answer.articles) {
    const source = article.languages[0];
    results.append(element("h2", source.title || answer.name, {dir: "auto"}));
    results.append(element("h3", "Summary"));
    const summaries = element("div", null, {class: "grid summaries"});
    for (const language of article.languages) {
      const node = block(language, "summary");
      if (language.title) node.append(element("p", language.title, {class: "title"}));
      const list = element("ol");
      for (const sentence of language.summary) list.append(element("li", sentence));
      node.append(list);
      summaries.append(node);
    }
    results.append(summaries);
    const terms = element("p", null, {class: "terms"});
    terms.append(element("strong", "Glossary terms: "));
    terms.append(document.createTextNode(article.languages.slice(1).map(
      (l) => `${l.name} ${l.ok} ok, ${l.problems.length} problem${l.problems.length === 1 ? "" : "s"}`).join("; ")));
    for (const language of article.languages.slice(1)) {
      for (const problem of language.problems) {
        terms.append(element("br"));
        terms.append(element("span", `${language.name}, sentence ${problem.sentence + 1}: ${problem.term}` +
                             (problem.target ? ` → ${problem.target}` : "") + `: ${problem.status}`, {class: "problem"}));
      }
    }
    results.append(terms);
    results.append(element("h3", "Full text"));
    const full = element("div", null, {class: "grid fulltext"});
    for (const language of article.languages) {
      const node = block(language, "full");
      for (const paragraph of language.paragraphs) {
        const p = element("p");
        paragraph.forEach((sentence, i) => {
          if (i) p.append(document.createTextNode(" "));
          const span = element("span", null, {class: "sentence"});
          span.append(marked(sentence));
          p.append(span);
        });
        node.append(p);
      }
      full.append(node);
    }
    results.append(full);
    results.append(element("p", article.signature, {class: "signature"}));
  }
  const link = $("download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([answer.briefing], {type: "text/html"}));
  link.hidden = false;
}

function fillTargets() {
  const box = $("targets");
  box.querySelectorAll("label").forEach((node) => node.remove());
  for (const code of pairs[$("source").value] || []) {
    const label = element("label");
    const input = element("input", null, {type: "checkbox", name: "targets", value: code});
    input.checked = true;
    label.append(input, document.createTextNode(" " + (names[code] || code)));
    box.append(label);
  }
}

let names = {};
async function start() {
  try {
    const [languages, frontend] = await Promise.all([
      fetch("languages").then((r) => r.json()), fetch("frontend/settings").then((r) => r.json())]);
    settings = frontend;
    for (const language of languages) {
      names[language.code] = language.name;
      if (language.targets.length) pairs[language.code] = language.targets;
    }
    const select = $("source");
    for (const code of Object.keys(pairs)) select.append(element("option", names[code] || code, {value: code}));
    select.value = pairs[settings.language.source.code] ? settings.language.source.code : select.value;
    fillTargets();
    $("key-row").hidden = !settings.apiKeys;
    if (!Object.keys(pairs).length) status("No translation model is installed on this server.", true);
  } catch (error) {
    status("The server did not answer: " + error, true);
  }
}

function status(text, bad) {
  $("status").textContent = text;
  $("status").className = bad ? "error" : "";
}

async function translate(event) {
  event.preventDefault();
  const targets = [...document.querySelectorAll("#targets input:checked")].map((i) => i.value);
  const file = $("file").files[0];
  const text = $("text").value;
  if (!targets.length) return status("Choose at least one language to translate into.", true);
  if (!file && !text.trim()) return status("Paste an article, or choose a file.", true);
  const limit = settings.charLimit;
  if (!file && limit > 0 && text.length > limit) return status(`The article is over ${limit} characters.`, true);
  let body;
  const headers = {};
  if (file) {
    body = new FormData();
    body.append("file", file);
    body.append("source", $("source").value);
    targets.forEach((t) => body.append("targets", t));
    if ($("api-key").value) body.append("api_key", $("api-key").value);
  } else {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify({q: text, source: $("source").value, targets, api_key: $("api-key").value || undefined});
  }
  $("go").disabled = true;
  status("Translating…");
  try {
    const response = await fetch("passeur/brief", {method: "POST", headers, body});
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    show(answer);
    status("Done.");
  } catch (error) {
    status(error.message || String(error), true);
  } finally {
    $("go").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("form").addEventListener("submit", translate);
  $("source").addEventListener("change", fillTargets);
  $("text").addEventListener("input", () => {
    $("count").textContent = $("text").value.length ? `${$("text").value.length} characters` : "";
  });
  start();
});
"""
