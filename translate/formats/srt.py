"""Subtitles (.srt), read and written with the `srt` library: each subtitle is a paragraph, its
lines joined for translation; written back with the same numbers and timings, the translation
re-wrapped into lines of at most 42 characters. Italic, bold and underline tags (`<i>…</i>`)
and colour tags (`<font …>`) ride through translation as marks; positioning codes (`{\\an8}`)
stay at the subtitle's start. Arabic and Hebrew lines are marked right-to-left (U+200F) so that players
that do not guess the direction show them right.
"""

from __future__ import annotations

import re

from passeur.article import TEXT
from passeur.errors import InputError
from passeur.translate.blocks import check_words
from passeur.translate.decode import decode_text
from passeur.translate.formats import Document, Translation, base_style, layout_pieces, paragraph_block

LINE = 42  # characters per subtitle line, the usual broadcast limit
_TAG = re.compile(r"<(/?)(i|b|u|font)(\s[^<>]{0,200})?>|\{\\[^{}]{0,200}\}", re.IGNORECASE)
_TAG_NAME = re.compile(r"<(\w+)")
RTL_MARK = "\u200f"


def _pieces(content: str, styles: list[tuple], codes: dict[tuple, int]) -> list:
    """A subtitle's text as pieces: text in the tags open around it (a style); positioning codes left out."""
    pieces: list = []
    opened: list[str] = []

    def code() -> int:
        key = tuple(opened)
        if key not in codes:
            codes[key] = len(styles)
            styles.append(key)
        return codes[key]

    last = 0
    text = " ".join(content.split("\n"))
    for match in _TAG.finditer(text):
        if match.start() > last:
            pieces.append(("text", text[last:match.start()], code()))
        last = match.end()
        if match.group(0).startswith("{"):
            continue  # a positioning code: for the whole subtitle (see _positions)
        elif match.group(1):
            name = match.group(2).lower()
            for i in range(len(opened) - 1, -1, -1):
                if opened[i].lower().startswith(f"<{name}"):
                    del opened[i]
                    break
        else:
            opened.append(match.group(0))
    if last < len(text):
        pieces.append(("text", text[last:], code()))
    return pieces


def _positions(content: str) -> str:
    """A subtitle's positioning codes ({\\an8}: at the top), which apply to all of it."""
    return "".join(m.group(0) for m in _TAG.finditer(content) if m.group(0).startswith("{"))


def _parse(data: bytes, name: str, encoding: str | None):
    import srt

    text = decode_text(data, name, encoding)
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as err:
        line = text.count("\n", 0, getattr(err, "expected_start", 0)) + 1
        raise InputError(f"{name}:{line}: not a subtitle file (.srt): {str(err).splitlines()[0][:120]}: "
                         "check the numbers and timings (00:00:01,000 --> 00:00:03,000)") from None
    styles: list[tuple] = []
    codes: dict[tuple, int] = {}
    return subtitles, [_pieces(s.content, styles, codes) for s in subtitles], styles


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    subtitles, pieces, _ = _parse(data, name, encoding)
    blocks = []
    for subtitle_pieces in pieces:
        block = paragraph_block(subtitle_pieces, TEXT)
        check_words(block.text)
        if block.text.strip():
            blocks.append(block)
    return Document(blocks, (data, encoding))


def _visible(word: str) -> int:
    return len(_TAG.sub("", word))


def wrap(text: str, width: int = LINE) -> list[str]:
    """Lines of at most `width` visible characters (tags do not count), cut at spaces: one line when
    it fits, else two as even as can be, else as many full lines as it takes."""
    words = text.split()
    sizes = [_visible(w) for w in words]
    total = sum(sizes) + max(0, len(words) - 1)
    if total <= width:
        return [" ".join(words)] if words else []
    if total <= 2 * width + 1:
        left, best, cut = 0, None, 1
        for i in range(1, len(words)):
            left += sizes[i - 1] + (1 if i > 1 else 0)
            longest = max(left, total - left - 1)
            if best is None or longest < best:
                best, cut = longest, i
        if best is not None and best <= width:
            return [" ".join(words[:cut]), " ".join(words[cut:])]
    lines, current, size = [], [], 0
    for word, length in zip(words, sizes):
        if current and size + 1 + length > width:
            lines.append(" ".join(current))
            current, size = [], 0
        size += length + (1 if current else 0)
        current.append(word)
    return lines + [" ".join(current)]


def write(result, lang: str) -> bytes:
    import srt

    article = result.article
    if article.format != "srt" or not isinstance(article.layout, tuple):
        raise InputError(f"{article.name}: is not a subtitle file: write it as docx or md (--format docx)")
    data, encoding = article.layout
    subtitles, pieces, styles = _parse(data, article.name, encoding)
    translation = Translation(result, lang)
    number = 0
    for subtitle, subtitle_pieces in zip(subtitles, pieces):
        block = paragraph_block(subtitle_pieces, TEXT)
        if not block.text.strip():
            continue
        text, placed = translation.block(number, block)
        number += 1
        out = []
        for piece in layout_pieces(text, placed, base_style(subtitle_pieces), {}):
            opened = styles[piece[2]] if piece[2] is not None else ()
            words = piece[1].strip()
            if not opened or not words:
                out.append(piece[1])
                continue
            closing = "".join(f"</{_TAG_NAME.match(tag).group(1)}>" for tag in reversed(opened))
            lead, trail = piece[1][:len(piece[1]) - len(piece[1].lstrip())], piece[1][len(piece[1].rstrip()):]
            out.append(lead + "".join(opened) + words + closing + trail)
        lines = wrap("".join(out))
        if lang in ("ar", "he"):
            lines = [RTL_MARK + line for line in lines]
        subtitle.content = _positions(subtitle.content) + "\n".join(lines)
    return srt.compose(subtitles, reindex=False).encode("utf-8")
