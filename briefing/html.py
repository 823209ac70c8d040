"""HTML: one self-contained, print-ready file (no external font, script or stylesheet), each
language block with its `lang` and `dir`. Every value is escaped for its context: article
text, titles, file names and language codes alike; a `<script>` in an article is text here."""

from __future__ import annotations

import html

from passeur.article import CODE, HEADING, TITLE
from passeur.briefing.view import build

# System fonts that cover Latin, Arabic and Hebrew; the file embeds no font and fetches nothing.
FONTS = ('"Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Hebrew", "DejaVu Sans", '
         '"Segoe UI", Tahoma, Arial, sans-serif')

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #8a1c1c; }
* { box-sizing: border-box; }
body { font-family: %s; color: var(--ink); margin: 0 auto; max-width: 70rem; padding: 2rem 1.5rem;
       line-height: 1.55; overflow-wrap: anywhere; }
header.briefing { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 0 0 .8rem; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .4rem; }
.meta, .signature { color: var(--muted); font-size: .8rem; }
.signature { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
article.story { margin-bottom: 3rem; }
.summaries { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; margin-bottom: 1.5rem; }
.lang-block { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; min-width: 0; }
.lang-block .title { font-weight: 600; margin: 0 0 .4rem; }
.lang-block ol { margin: 0; padding-inline-start: 1.3rem; }
[dir="rtl"] { text-align: right; }
[lang="ar"] { font-size: 1.08em; line-height: 1.8; }
table.terms { border-collapse: collapse; width: 100%%; font-size: .85rem; margin-bottom: 1.5rem; }
table.terms th, table.terms td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: start; }
.status-bad { color: var(--accent); font-weight: 600; }
.fulltext { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; }
.fulltext .lang-block p { margin: 0 0 .6rem; }
pre { white-space: pre-wrap; background: #f4f5f7; padding: .5rem; font-size: .85em; }
@media (max-width: 45rem) { .summaries, .fulltext { grid-template-columns: minmax(0, 1fr); } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  article.story + article.story { break-before: page; }
  .lang-block { break-inside: avoid; }
  .fulltext { break-before: page; }
}
""" % FONTS


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _block(lang, kind: str) -> str:
    return f'<div class="lang-block {kind}" lang="{_e(lang.lang)}" dir="{_e(lang.direction)}">'


def _summaries(view) -> list[str]:
    out = ['<section class="summaries" aria-label="summary">']
    for lang in view.languages:
        out += [_block(lang, "summary"), f"<h3>{_e(lang.name)}</h3>"]
        if lang.title:
            out.append(f'<p class="title">{_e(lang.title)}</p>')
        out += ["<ol>" + "".join(f"<li>{_e(s)}</li>" for s in lang.summary) + "</ol>", "</div>"]
    return out + ["</section>"]


def _terms(view) -> list[str]:
    terms = view.terms
    out = ["<h3>Glossary terms</h3>",
           '<table class="terms"><thead><tr><th>language</th><th>ok</th><th>problems</th></tr></thead><tbody>']
    for _, name, ok, bad in terms.counts:
        out.append(f'<tr><td>{_e(name)}</td><td>{ok}</td><td class="{"status-bad" if bad else ""}">{bad}</td></tr>')
    out.append("</tbody></table>")
    if terms.problems:
        out.append('<table class="terms"><thead><tr><th>sentence</th><th>language</th><th>term</th>'
                   "<th>expected</th><th>status</th></tr></thead><tbody>")
        for p in terms.problems:
            out.append(f"<tr><td>{p.sentence}</td><td>{_e(p.lang)}</td><td>{_e(p.term)}</td>"
                       f'<td lang="{_e(p.lang)}" dir="auto">{_e(p.expected)}</td>'
                       f'<td class="status-bad">{_e(p.status)}</td></tr>')
        out.append("</tbody></table>")
    return out


def _full_text(view) -> list[str]:
    out = ['<section class="fulltext" aria-label="full text">']
    for lang in view.languages:
        out += [_block(lang, "full"), f"<h3>{_e(lang.name)}</h3>"]
        for paragraph in lang.paragraphs:
            if paragraph.kind == CODE:
                out.append(f'<pre dir="ltr">{_e(paragraph.text)}</pre>')
            elif paragraph.kind in (TITLE, HEADING):
                out.append(f"<p><strong>{_e(paragraph.text)}</strong></p>")
            else:
                out.append(f"<p><span>{_e(paragraph.text)}</span></p>")
        out.append("</div>")
    return out + ["</section>"]


def render(results, parts, title=None) -> str:
    title = title or "passeur"
    out = ["<!DOCTYPE html>", '<html lang="en" dir="ltr">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           '<header class="briefing">', f"<h1>{_e(title)}</h1>",
           f'<p class="meta">{len(results)} article{"" if len(results) == 1 else "s"}</p>']
    views = list(map(build, results))
    if len(views) > 1:  # a day's briefing: the articles listed first, each a link to its place
        out += ['<nav class="contents" aria-label="Articles"><ol>']
        out += [f'<li><a href="#article-{n}">{_e(view.title)}</a></li>' for n, view in enumerate(views, start=1)]
        out += ["</ol></nav>"]
    out.append("</header>")
    for number, view in enumerate(views, start=1):
        source = view.languages[0]
        out.append(f'<article class="story" id="article-{number}">')
        out.append(f'<h2 lang="{_e(source.lang)}" dir="{_e(source.direction)}">{_e(view.title)}</h2>')
        out.append(f'<p class="meta">{_e(view.name)}</p>')
        if "summary" in parts:
            out += _summaries(view)
        if "terms" in parts and view.terms:
            out += _terms(view)
        if "text" in parts:
            out += _full_text(view)
        out.append(f'<p class="signature">{_e(view.signature)}</p>')
        out.append("</article>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
