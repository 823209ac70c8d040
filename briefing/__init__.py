"""The multilingual briefing: per article, the summary in every language side by side, the
full translations and the term report, as one self-contained HTML file (print-ready, each
language block with its `lang` and `dir`) or Markdown.

Article text is always escaped: a `<script>` in an article is text in the briefing.
"""

from __future__ import annotations

import html
from collections import Counter

from translate.pipeline import ArticleTranslation
from translate.render import direction, escape_markdown, language_name

FORMATS = ("html", "md", "json")

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


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _languages(result: ArticleTranslation) -> list[str]:
    return [result.article.lang] + [lang for lang in result.translations if lang != result.article.lang]


def _text(result: ArticleTranslation, lang: str) -> list[str | None]:
    return result.article.sentences if lang == result.article.lang else result.translations[lang]


def term_summary(result: ArticleTranslation) -> tuple[Counter, list]:
    counts = Counter((hit.lang, hit.status) for hit in result.terms)
    problems = [hit for hit in result.terms if hit.status != "ok"]
    return counts, problems


def to_html(results: list[ArticleTranslation], title: str = "Briefing", generated: str = "") -> str:
    out = ["<!DOCTYPE html>", '<html lang="fr" dir="ltr">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           '<header class="briefing">', f"<h1>{_e(title)}</h1>",
           f'<p class="meta">{len(results)} article(s){" · " + _e(generated) if generated else ""}</p>', "</header>"]
    for number, result in enumerate(results, start=1):
        article = result.article
        languages = _languages(result)
        out.append(f'<article class="story" id="article-{number}">')
        out.append(f'<h2 lang="{article.lang}" dir="{direction(article.lang)}">{_e(article.title)}</h2>')
        out.append(f'<p class="meta">{_e(article.name)}</p>')
        summary = result.summary or {"indices": []}
        out.append('<section class="summaries" aria-label="summary">')
        for lang in languages:
            sentences = summary.get(lang) or [_text(result, lang)[i] for i in summary["indices"]]
            heading = _text(result, lang)[0]
            out.append(f'<div class="lang-block summary" lang="{lang}" dir="{direction(lang)}">')
            out.append(f"<h3>{_e(language_name(lang))}</h3>")
            if heading:
                out.append(f'<p class="title">{_e(heading)}</p>')
            out.append("<ol>" + "".join(f"<li>{_e(s)}</li>" for s in sentences if s) + "</ol>")
            out.append("</div>")
        out.append("</section>")
        counts, problems = term_summary(result)
        if result.terms:
            out.append("<h3>Glossary terms</h3>")
            out.append('<table class="terms"><thead><tr><th>language</th><th>ok</th><th>problems</th></tr></thead><tbody>')
            for lang in languages[1:]:
                bad = sum(v for (l, status), v in counts.items() if l == lang and status != "ok")
                out.append(f"<tr><td>{_e(language_name(lang))}</td><td>{counts[(lang, 'ok')]}</td>"
                           f'<td class="{"status-bad" if bad else ""}">{bad}</td></tr>')
            out.append("</tbody></table>")
            if problems:
                out.append('<table class="terms"><thead><tr><th>sentence</th><th>language</th><th>term</th>'
                           "<th>expected</th><th>status</th></tr></thead><tbody>")
                for hit in problems:
                    out.append(f"<tr><td>{hit.sentence + 1}</td><td>{_e(hit.lang)}</td><td>{_e(hit.term)}</td>"
                               f'<td lang="{hit.lang}" dir="{direction(hit.lang)}">{_e(hit.target)}</td>'
                               f'<td class="status-bad">{_e(hit.status)}</td></tr>')
                out.append("</tbody></table>")
        out.append('<section class="fulltext" aria-label="full text">')
        for lang in languages:
            text = _text(result, lang)
            out.append(f'<div class="lang-block full" lang="{lang}" dir="{direction(lang)}">')
            out.append(f"<h3>{_e(language_name(lang))}</h3>")
            for group in article.paragraphs():
                paragraph = " ".join(text[i] for i in group if text[i])
                if paragraph and article.segments[group[0]].verbatim:
                    out.append(f'<pre dir="ltr">{_e(paragraph)}</pre>')
                elif paragraph:
                    tag = "strong" if article.segments[group[0]].heading else "span"
                    out.append(f"<p><{tag}>{_e(paragraph)}</{tag}></p>")
            out.append("</div>")
        out.append("</section>")
        out.append(f'<p class="signature">{_e(result.signature)}</p>')
        out.append("</article>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _md(text: str | None) -> str:
    return escape_markdown(text or "")


def to_markdown(results: list[ArticleTranslation], title: str = "Briefing") -> str:
    out = [f"# {_md(title)}", ""]
    for result in results:
        article = result.article
        languages = _languages(result)
        summary = result.summary or {"indices": []}
        out += [f"## {_md(article.title)}", "", f"*{_md(article.name)}*", "", "### Summary", ""]
        for lang in languages:
            sentences = summary.get(lang) or [_text(result, lang)[i] for i in summary["indices"]]
            rtl = direction(lang) == "rtl"
            out += [f"#### {language_name(lang)}", ""]
            if rtl:
                out += [f'<div dir="rtl" lang="{lang}">', ""]
            heading = _text(result, lang)[0]
            if heading:
                out += [f"**{_md(heading)}**", ""]
            out += [f"{n}. {_md(s)}" for n, s in enumerate((s for s in sentences if s), start=1)] + [""]
            if rtl:
                out += ["</div>", ""]
        counts, problems = term_summary(result)
        if result.terms:
            out += ["### Glossary terms", "", "| language | ok | problems |", "|---|---|---|"]
            for lang in languages[1:]:
                bad = sum(v for (l, status), v in counts.items() if l == lang and status != "ok")
                out.append(f"| {language_name(lang)} | {counts[(lang, 'ok')]} | {bad} |")
            out.append("")
            if problems:
                out += ["| sentence | language | term | expected | status |", "|---|---|---|---|---|"]
                out += [f"| {h.sentence + 1} | {h.lang} | {_md(h.term)} | {_md(h.target)} | {h.status} |" for h in problems]
                out.append("")
        out += ["### Full text", ""]
        for lang in languages:
            text = _text(result, lang)
            rtl = direction(lang) == "rtl"
            out += [f"#### {language_name(lang)}", ""]
            if rtl:
                out += [f'<div dir="rtl" lang="{lang}">', ""]
            for group in article.paragraphs():
                paragraph = " ".join(text[i] for i in group if text[i])
                if paragraph and article.segments[group[0]].verbatim:
                    out += ["```", paragraph, "```", ""]
                elif paragraph:
                    out += [_md(paragraph), ""]
            if rtl:
                out += ["</div>", ""]
        out += [f"<!-- signature: {result.signature} -->", ""]
    return "\n".join(out)
