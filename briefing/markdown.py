"""Markdown: for a CMS, a pull request or a wiki. Article text is always text: Markdown and
HTML in it are escaped, links and code are kept as written but cannot carry markup or script,
and right-to-left blocks are wrapped in `<div dir="rtl" lang="…">`, which common renderers keep."""

from __future__ import annotations

import html
import re

from passeur.article import HEADING, TITLE
from passeur.briefing.view import build
from passeur.verbatim import split_verbatim

_SAFE_LINK = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]+)\)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "#", "/", "./", "../")


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_plain(text: str) -> str:
    text = _html_text(text)
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return text


def _verbatim(span: str) -> str:
    """A link, URL, address or handle as written, but never live markup: its text is escaped, and
    a link whose target is not http(s), mailto, ftp or a relative path is shown as plain text."""
    if span.startswith("`"):
        return span  # a code span shows its content literally
    link = _SAFE_LINK.fullmatch(span)
    if link:
        url = link.group("url")
        if not (url.lower().startswith(_SAFE_SCHEMES) or ":" not in url.split("/", 1)[0]):
            return _escape_plain(span)
        bang = "!" if span.startswith("!") else ""
        return f"{bang}[{_escape_plain(link.group('text'))}]({_html_text(url)})"
    return _html_text(span)


def escape_inline(text: str) -> str:
    """Text inside a line: emphasis and inline HTML never become markup. Links, code and URLs
    (passeur.verbatim) are kept, made harmless."""
    return "".join(_verbatim(part) if verbatim else _escape_plain(part) for part, verbatim in split_verbatim(text or ""))


def escape_markdown(text: str) -> str:
    """Article text as a Markdown block: as escape_inline, and a leading '#', '>', '=' or list
    marker does not start a heading, quote or list."""
    text = escape_inline(text)
    if text[:1] in "#+-=" or text[:2].rstrip(".").isdigit():
        text = "\\" + text
    return text


def cell(text: str) -> str:
    """A table cell that stays one cell whatever it holds: '|' escaped, line breaks as <br>."""
    return re.sub(r"\r\n|\r|\n", "<br>", escape_inline(str(text)).replace("|", "\\|"))


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def comment(text: str) -> str:
    """An HTML comment that no text can end early ('--' cannot occur inside)."""
    return "<!-- " + text.replace("--", "- -").replace(">", "&gt;") + " -->"


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks or tildes in text, so nothing inside closes it."""
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    return "`" * max(3, longest + 1)


def _heading(lang) -> str:
    """A language's heading text: its name and code, escaped (codes come from files too)."""
    return escape_markdown(f"{lang.name} ({lang.lang})")


def _open(lang) -> list[str]:
    return [f'<div dir="rtl" lang="{html.escape(lang.lang, quote=True)}">', ""] if lang.rtl else []


def _close(lang) -> list[str]:
    return ["</div>", ""] if lang.rtl else []


def _full_text(lang, level: int) -> list[str]:
    out = []
    for paragraph in lang.paragraphs:
        if paragraph.code:
            fence = _fence(paragraph.text)
            out += [fence, paragraph.text, fence, ""]
        elif paragraph.kind == TITLE:
            out += [f"{'#' * min(level, 6)} {escape_markdown(paragraph.text)}", ""]
        elif paragraph.kind == HEADING:
            out += [f"{'#' * min(level + 2, 6)} {escape_markdown(paragraph.text)}", ""]
        else:
            out += [escape_markdown(paragraph.text), ""]
    return out


def _summary(lang) -> list[str]:
    out = [f"**{escape_markdown(lang.title)}**", ""] if lang.title else []
    return out + [f"{n}. {escape_markdown(s)}" for n, s in enumerate(lang.summary, start=1)] + [""]


def render(results, parts, title=None) -> str:
    out = [f"# {escape_markdown(title)}", ""] if title else []
    top = 2 if title else 1
    views = list(map(build, results))
    if title and len(views) > 1:  # a day's briefing: the articles listed first
        out += [f"{n}. {escape_markdown(view.title)}" for n, view in enumerate(views, start=1)] + [""]
    for view in views:
        if parts == {"text"}:
            # The translations alone: each language is the article, its title a top heading.
            for lang in view.languages[1:]:
                out += [f"{'#' * (top + 1)} {_heading(lang)}", ""] + _open(lang)
                out += _full_text(lang, top) + _close(lang)
        else:
            out += [f"{'#' * top} {escape_markdown(view.title)}", ""]
            if title:
                out += [f"*{escape_markdown(view.name)}*", ""]
            sub = top + 1
            if "summary" in parts:
                if len(parts) > 1:
                    out += [f"{'#' * sub} Summary", ""]
                level = sub + (len(parts) > 1)
                for lang in view.languages:
                    out += [f"{'#' * level} {_heading(lang)}", ""] + _open(lang) + _summary(lang) + _close(lang)
            if "terms" in parts and view.terms:
                out += [f"{'#' * sub} Glossary terms", ""]
                out.append(table(["language", "ok", "problems"], [[name, ok, bad] for _, name, ok, bad in view.terms.counts]))
                if view.terms.problems:
                    out.append(table(["sentence", "language", "term", "expected", "status"],
                                     [[p.sentence, p.lang, p.term, p.expected, p.status] for p in view.terms.problems]))
            if "text" in parts:
                out += [f"{'#' * sub} Full text", ""]
                for lang in view.languages:
                    out += [f"{'#' * (sub + 1)} {_heading(lang)}", ""] + _open(lang)
                    out += _full_text(lang, sub + 2) + _close(lang)
        out += [comment(f"signature: {view.signature}"), ""]
    return "\n".join(out).rstrip("\n") + "\n"
