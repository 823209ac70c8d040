"""Texts as a translation request gives them (a string, an HTML fragment, a .txt, .md or .html
file): their sentences, and the translation put back in the text's own layout.

A text is cut into parts that are kept as they are (line breaks, spaces between sentences,
HTML tags, Markdown markers, what must not be translated) and sentences, translated one by one
and put back where they stood. Every line is a paragraph; a line's sentences are exact
substrings of it. Sentences are split by the French rules, as articles are (`lang` is taken for
the formats to come).

Markdown: heading, quote and list markers stay before their line's translation, table cells are
translated one by one, and fenced or indented code, HTML comments and YAML front matter are
kept as they are. Links and code spans inside a sentence ride through translation as written
(passeur's verbatim spans).

HTML fragments: text between tags is translated, tags, comments and character references
outside text are kept byte for byte; nothing inside <script>, <style>, <code>, <pre>,
<textarea>, nor inside an element marked translate="no" or class="notranslate", is
translated. A sentence cut by an inline tag (<b>, <a>) is translated as two pieces. The
tokenizer is one linear pass: no regex runs over the markup.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field

from passeur.translate.segment import split_sentences

# Elements whose content is never translated (raw text or code), and void elements (no end tag).
_KEEP = frozenset({"script", "style", "code", "pre", "textarea", "kbd", "samp", "var", "svg", "math"})
_RAW_TEXT = frozenset({"script", "style", "textarea"})  # their content is not markup: it ends at </name
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass
class Layout:
    """A text as kept parts (str) and sentences (int: an index into `sentences`), in order."""

    parts: list[str | int] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)  # the paragraph (line, or text node) of each sentence
    html: bool = False

    def fill(self, translations: list[str]) -> str:
        """The text with sentence i replaced by translations[i] (escaped for HTML in a fragment)."""
        text = (lambda t: html.escape(t, quote=False)) if self.html else (lambda t: t)
        return "".join(part if isinstance(part, str) else text(translations[part]) for part in self.parts)

    def _add_line(self, line: str) -> None:
        """One paragraph: its sentences, and the spaces before, between and after them kept."""
        stripped = line.strip()
        if not stripped:
            self.parts.append(line)
            return
        paragraph = len(set(self.paragraphs))
        position = 0
        # French rules, as for articles (read.py): the only abbreviation list passeur ships
        for sentence in split_sentences(stripped) or [stripped]:
            found = line.find(sentence, position)
            if found < 0:  # never expected (sentences are substrings): keep the rest as one sentence
                sentence, found = line[position:].strip(), line.find(line[position:].strip(), position)
            self.parts.append(line[position:found])
            self.parts.append(len(self.sentences))
            self.sentences.append(sentence)
            self.paragraphs.append(paragraph)
            position = found + len(sentence)
            if position >= len(line.rstrip()):
                break
        self.parts.append(line[position:])

    def _add_text(self, text: str) -> None:
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            self._add_line(body)
            self.parts.append(line[len(body):])


def plain_layout(text: str, lang: str = "fr") -> Layout:
    """A plain text: each line a paragraph of sentences."""
    layout = Layout()
    layout._add_text(unicodedata.normalize("NFC", text))
    return layout


def _tag_name(tag: str) -> str:
    name = tag[2:] if tag.startswith("</") else tag[1:]
    end = 0
    while end < len(name) and not (name[end].isspace() or name[end] in "/>"):
        end += 1
    return name[:end].lower()


def _keeps(tag: str) -> bool:
    """Whether an element's start tag marks its content as not to be translated."""
    lowered = tag.lower().replace("'", '"')
    return ('translate="no"' in lowered or "translate=no" in lowered
            or ("notranslate" in lowered and "class=" in lowered))


def _tokens(text: str):
    """(kind, raw) for each piece of an HTML fragment: 'tag', 'comment' (also <!...> and <?...>) or
    'text', in one pass; an unterminated tag or comment runs to the end, kept."""
    position, n = 0, len(text)
    raw_until = None  # inside <script> etc.: text up to its end tag
    while position < n:
        if raw_until is not None:
            end = text.lower().find(f"</{raw_until}", position)
            end = n if end < 0 else end
            if end > position:
                yield "raw", text[position:end]
            position, raw_until = end, None
            continue
        start = text.find("<", position)
        if start < 0:
            yield "text", text[position:]
            return
        if start > position:
            yield "text", text[position:start]
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            end = n if end < 0 else end + 3
            yield "comment", text[start:end]
        elif start + 1 < n and (text[start + 1].isalpha() or text[start + 1] in "/!?"):
            end = text.find(">", start)
            end = n if end < 0 else end + 1
            tag = text[start:end]
            yield ("comment" if tag[1] in "!?" else "tag"), tag
            if tag[1] != "/" and _tag_name(tag) in _RAW_TEXT and not tag.endswith("/>"):
                raw_until = _tag_name(tag)
        else:  # a lone "<" is text
            end = start + 1
            yield "text", "<"
        position = end


def html_layout(text: str, lang: str = "fr") -> Layout:
    """An HTML fragment: its text nodes' sentences; tags and untranslated content kept as they are."""
    layout = Layout(html=True)
    kept: list[str] = []  # open elements whose content is kept as is
    pending = ""  # adjacent text pieces (a lone "<") are one text node
    for kind, raw in _tokens(unicodedata.normalize("NFC", text)):
        if kind == "text":
            pending += raw
            continue
        _add_node(layout, pending, bool(kept))
        pending = ""
        layout.parts.append(raw)
        if kind != "tag":
            continue
        name = _tag_name(raw)
        if raw.startswith("</"):
            if name in kept:
                del kept[len(kept) - 1 - kept[::-1].index(name):]
        elif name not in _VOID and not raw.endswith("/>") and (name in _KEEP or kept or _keeps(raw)):
            kept.append(name)
    _add_node(layout, pending, bool(kept))
    return layout


def _add_node(layout: Layout, raw: str, kept: bool) -> None:
    """A text node: kept as it is, or its sentences translated (character references read; what is
    written back is escaped, so "&amp;" stays "&amp;" and no translation can open a tag)."""
    if kept or not raw.strip():
        if raw:
            layout.parts.append(raw)
        return
    first = len(layout.parts)
    layout._add_text(html.unescape(raw))
    layout.parts[first:] = [html.escape(p, quote=False) if isinstance(p, str) else p for p in layout.parts[first:]]


def _markdown_prefix(line: str) -> int:
    """Where a Markdown line's text starts, after its indentation and block markers (#, >, -, 1.)."""
    i, n = 0, len(line)
    while True:
        start = i
        while i < n and line[i] in " \t":
            i += 1
        if i < n and line[i] == "#":
            j = i
            while j < n and line[j] == "#":
                j += 1
            if j - i <= 6 and (j == n or line[j] == " "):
                i = j
        elif i < n and line[i] == ">":
            i += 1
        elif i + 1 < n and line[i] in "-*+" and line[i + 1] == " ":
            i += 1
        else:
            j = i
            while j < n and line[j].isdigit():
                j += 1
            if i < j <= i + 9 and j + 1 < n and line[j] in ".)" and line[j + 1] == " ":
                i = j + 1
        if i == start:
            return i


def markdown_layout(text: str, lang: str = "fr") -> Layout:
    """A Markdown document: its text translated, its structure and code kept."""
    layout = Layout()
    lines = unicodedata.normalize("NFC", text).splitlines(keepends=True)
    fence = ""  # the fence of the code block we are in
    comment = front = False
    previous_blank = True
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if number == 0 and stripped == "---":
            front = True
        elif front:
            front = stripped not in ("---", "...")
        elif fence:
            if stripped.startswith(fence) and not stripped[len(fence):].strip(fence[0]):
                fence = ""
        elif stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
        elif comment or stripped.startswith("<!--"):
            comment = "-->" not in (stripped[4:] if not comment else stripped)
        elif body.startswith(("    ", "\t")) and previous_blank and stripped:
            pass  # indented code
        elif stripped.startswith("|"):
            cells = body.split("|")
            for index, cell in enumerate(cells):
                if index:
                    layout.parts.append("|")
                if cell.strip() and cell.strip(" :-"):
                    layout._add_line(cell)
                else:
                    layout.parts.append(cell)
            layout.parts.append(line[len(body):])
            previous_blank = False
            continue
        else:
            start = _markdown_prefix(body)
            layout.parts.append(body[:start])
            layout._add_line(body[start:])
            layout.parts.append(line[len(body):])
            previous_blank = not stripped
            continue
        layout.parts.append(line)
        previous_blank = not stripped
    return layout


def _document(layout):
    """A file's bytes read as text (UTF-8, or UTF-16/32 with a BOM: translate/decode.py), then laid out."""
    def read(data: bytes, name: str, lang: str = "fr") -> Layout:
        from passeur.translate.decode import decode

        return layout(decode(data, name), lang)
    read.__doc__ = f"A file read as text, then {layout.__name__}."
    return read


plain_document = _document(plain_layout)
markdown_document = _document(markdown_layout)
html_document = _document(html_layout)
