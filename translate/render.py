"""Writing translated articles as plain text, Markdown and JSON.

Files always keep Unicode logical order; right-to-left languages are marked up (`dir`,
`lang`) where the format allows, never reordered.
"""

from __future__ import annotations

import json

from translate.pipeline import ArticleTranslation

LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "he": "עברית"}
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "ckb", "dv"}
FORMATS = ("txt", "md", "json")


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def to_dict(result: ArticleTranslation) -> dict:
    """The JSON contract of DESIGN.md: source, translations, summary, terms, signature."""
    article = result.article
    return {
        "file": article.name,
        "source": {
            "lang": article.lang,
            "title": article.title,
            "sentences": article.sentences,
            "paragraphs": article.paragraphs(),
            "headings": [i for i, s in enumerate(article.segments) if s.heading],
            "verbatim": [i for i, s in enumerate(article.segments) if s.verbatim],
        },
        "translations": result.translations,
        "summary": result.summary or {"indices": []},
        "terms": [hit.to_dict() for hit in result.terms],
        "signature": result.signature,
    }


def to_json(results: list[ArticleTranslation]) -> str:
    data = [to_dict(r) for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def _paragraph_texts(result: ArticleTranslation, lang: str) -> list[tuple[str, bool]]:
    sentences = result.article.sentences if lang == result.article.lang else result.translations[lang]
    segments = result.article.segments
    return [(" ".join(sentences[i] for i in group), segments[group[0]].heading)
            for group in result.article.paragraphs()]


def to_text(results: list[ArticleTranslation]) -> str:
    out = []
    for result in results:
        for lang in result.translations:
            out.append(f"=== {result.article.name} [{result.article.lang}→{lang}] ===\n")
            out.append("\n\n".join(p for p, _ in _paragraph_texts(result, lang)) + "\n\n")
        out.append(f"signature: {result.signature}\n\n")
    return "".join(out).rstrip("\n") + "\n"


def to_markdown(results: list[ArticleTranslation]) -> str:
    out = []
    for result in results:
        for lang in result.translations:
            paragraphs = _paragraph_texts(result, lang)
            rtl = direction(lang) == "rtl"
            out.append(f"## {language_name(lang)} ({lang})\n\n")
            if rtl:
                # Markdown has no direction; HTML blocks carry it in every common renderer.
                out.append(f'<div dir="rtl" lang="{lang}">\n\n')
            segments = result.article.segments
            for number, ((text, heading), group) in enumerate(zip(paragraphs, result.article.paragraphs())):
                if segments[group[0]].verbatim:
                    out.append(f"```\n{text}\n```\n\n")
                    continue
                text = escape_markdown(text)
                out.append(f"{'# ' if number == 0 else '### ' if heading else ''}{text}\n\n")
            if rtl:
                out.append("</div>\n\n")
        out.append(f"<!-- signature: {result.signature} -->\n\n")
    return "".join(out).rstrip("\n") + "\n"


def escape_markdown(text: str) -> str:
    """Article text is text: a leading '#', '>' or list marker, or inline HTML, must not become
    markup. Links, code and URLs (translate.verbatim) are kept as written."""
    from translate.verbatim import split_verbatim

    out = []
    for part, verbatim in split_verbatim(text):
        if not verbatim:
            part = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            for ch in "\\`*_[]":
                part = part.replace(ch, "\\" + ch)
        out.append(part)
    text = "".join(out)
    if text[:1] in "#+-" or text[:2].rstrip(".").isdigit():
        text = "\\" + text
    return text


def _summary(result: ArticleTranslation) -> list[tuple[str, str, list[str]]]:
    """(language, headline, summary sentences) for the source and every target."""
    summary = result.summary or {"indices": []}
    languages = [result.article.lang] + [lang for lang in result.translations if lang != result.article.lang]
    title = {lang: (result.article.title if lang == result.article.lang else result.translations[lang][0]) or ""
             for lang in languages} if result.article.segments else {}
    return [(lang, title.get(lang, ""), summary.get(lang, [])) for lang in languages]


def summary_text(results: list[ArticleTranslation]) -> str:
    out = []
    for result in results:
        out.append(f"=== {result.article.name} ===\n")
        for lang, title, sentences in _summary(result):
            out.append(f"\n[{lang}] {language_name(lang)}\n{title}\n")
            out += [f"{s}\n" for s in sentences]
        out.append(f"\nsignature: {result.signature}\n\n")
    return "".join(out).rstrip("\n") + "\n"


def summary_markdown(results: list[ArticleTranslation]) -> str:
    out = []
    for result in results:
        out.append(f"# {escape_markdown(result.article.title)}\n\n")
        for lang, title, sentences in _summary(result):
            rtl = direction(lang) == "rtl"
            out.append(f"## {language_name(lang)} ({lang})\n\n")
            out.append(f'<div dir="rtl" lang="{lang}">\n\n' if rtl else "")
            out.append(f"**{escape_markdown(title)}**\n\n" if title else "")
            out += [f"{n}. {escape_markdown(s)}\n" for n, s in enumerate(sentences, start=1)]
            out.append("\n</div>\n\n" if rtl else "\n")
        out.append(f"<!-- signature: {result.signature} -->\n\n")
    return "".join(out).rstrip("\n") + "\n"


RENDERERS = {"txt": to_text, "md": to_markdown, "json": to_json}
SUMMARY_RENDERERS = {"txt": summary_text, "md": summary_markdown, "json": to_json}
