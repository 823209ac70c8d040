"""PDF, read only (pypdf): the text of each page, lines joined into paragraphs. A PDF has no
paragraphs, only lines: a paragraph ends at a blank line, where a line ends a sentence well
short of the page's usual line length, or after a short line (a heading); a word cut by a hyphen at a line's end is joined again.
Written out as a new .docx (or any report format: md, html, txt, json). Scanned pages (images
without text) give no text: an error says so.
"""

from __future__ import annotations

import io
import re

from passeur.article import TEXT
from passeur.errors import InputError
from passeur.translate.blocks import Block, check_words, normalize, looks_like_title
from passeur.translate.formats import Document

MAX_PAGES = 2_000
_CUT_WORD = re.compile(r"(\w)-$")
_PRIVATE = re.compile("[\ue000-\uf8ff]")


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        pdf = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if pdf.is_encrypted:
            raise InputError(f"{name}: is an encrypted PDF: save it without a password, then translate that")
        if len(pdf.pages) > MAX_PAGES:
            raise InputError(f"{name}: has {len(pdf.pages):,} pages: passeur reads PDFs of up to {MAX_PAGES:,} pages")
        pages = [page.extract_text() or "" for page in pdf.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            AssertionError, ZeroDivisionError, OverflowError) as err:
        raise InputError(f"{name}: is not a PDF passeur can read ({type(err).__name__}: "
                         f"{str(err).splitlines()[0][:100] if str(err) else 'damaged'}): save it again as PDF") from None
    blocks = paragraphs("\n".join(pages))
    if not blocks and pages:
        raise InputError(f"{name}: has no text (scanned pages are images): run it through OCR first, then translate")
    return Document(blocks)


def paragraphs(text: str) -> list[Block]:
    # A symbol font's bullets come out as private-use characters: a list item starts after them.
    lines = [_PRIVATE.sub("", line).rstrip() for line in text.replace("\r", "\n").split("\n")]
    widths = sorted(len(line) for line in lines if line.strip())
    usual = widths[int(len(widths) * 0.8)] if widths else 0
    blocks, current = [], []

    def flush():
        if current:
            joined = normalize(" ".join(current))
            if joined:
                check_words(joined)
                blocks.append(Block(joined, TEXT))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        if current and _CUT_WORD.search(current[-1]) and line.lstrip()[:1].islower():
            current[-1] = current[-1][:-1] + line.strip()  # "gouver-" + "nement"
        else:
            current.append(line.strip())
        ended = line.rstrip().endswith((".", "!", "?", "»", ":", "…"))
        if (ended and len(line) < 0.8 * usual) or (len(line) < 0.6 * usual and not line.rstrip().endswith((",", "-"))):
            flush()  # the last line of a paragraph, or a heading
    flush()
    if len(blocks) > 1 and looks_like_title(blocks[0].text, blocks[0].text):
        blocks[0] = Block(blocks[0].text, "title")
    return blocks
