"""Plain text: a title on the first line when it looks like one, paragraphs separated by blank lines."""

from __future__ import annotations

import re

from passeur.article import TEXT, TITLE
from passeur.translate.blocks import Block, check_words, looks_like_title, normalize, strip_boilerplate
from passeur.translate.decode import decode_text
from passeur.translate.formats import Document


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    text = decode_text(data, name, encoding)
    if looks_like_html(text):
        from passeur.translate.formats.html import html_blocks

        return Document(strip_boilerplate(html_blocks(text)))
    return Document(strip_boilerplate(text_blocks(text)))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def text_blocks(text: str) -> list[Block]:
    """Paragraphs are separated by blank lines; lines inside a paragraph are joined."""
    check_words(text, 1)
    paragraphs = [p for p in re.split(r"\n[ \t\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]
    blocks = [Block(normalize(p), TEXT) for p in paragraphs]
    if len(blocks) > 1 and looks_like_title(blocks[0].text, paragraphs[0]):
        blocks[0] = Block(blocks[0].text, TITLE)
    return blocks
