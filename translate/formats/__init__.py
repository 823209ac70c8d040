"""One module per document format: a reader (bytes → Document) and, for the formats passeur
writes back, a writer (Document layout + translations → bytes). The registries are
passeur.translate.READERS and WRITERS."""

from __future__ import annotations

from dataclasses import dataclass, field

from passeur.article import Mark
from passeur.translate.blocks import Block, rebuild


@dataclass
class Document:
    """What a reader gives: the blocks (paragraphs) in reading order, and the layout its writer
    needs to put each block's translation back in place (None for a format passeur does not
    write back)."""

    blocks: list[Block] = field(default_factory=list)
    layout: object = None


def base_style(pieces: list) -> int | None:
    """The paragraph's own style: the one with the most letters."""
    counts: dict[int, int] = {}
    for piece in pieces:
        if piece[0] == "text" and not piece[1].isspace():
            counts[piece[2]] = counts.get(piece[2], 0) + len(piece[1])
    return max(counts, key=lambda code: counts[code]) if counts else None


def paragraph_block(pieces: list, kind: str) -> Block:
    """A paragraph given as pieces, ("text", text, style code) and ("object", what, style code), as
    a block: its text, and as marks the words whose style is not the paragraph's own and the
    objects between them (an object's code is the index of its piece)."""
    base = base_style(pieces)
    text_parts, marks, size = [], [], 0
    for index, piece in enumerate(pieces):
        if piece[0] == "text":
            text_parts.append(piece[1])
            if piece[2] != base and not piece[1].isspace():
                marks.append(Mark(size, size + len(piece[1]), piece[2]))
            size += len(piece[1])
        else:
            marks.append(Mark(size, size, index))
    text = "".join(text_parts)
    return Block(text, kind, tuple(_merged(marks, text)))


def _merged(marks: list[Mark], text: str) -> list[Mark]:
    """Neighbouring spans of one style are one span, without the spaces at its edges."""
    out: list[Mark] = []
    for mark in marks:
        if not mark.inline_object and out and not out[-1].inline_object and out[-1].code == mark.code \
                and not text[out[-1].end:mark.start].strip():
            out[-1] = Mark(out[-1].start, mark.end, mark.code)
        else:
            out.append(mark)
    trimmed = []
    for mark in out:
        if mark.inline_object:
            trimmed.append(mark)
            continue
        start, end = mark.start, mark.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append(Mark(start, end, mark.code))
    return trimmed


def layout_pieces(text: str, marks, base: int | None, objects) -> list[tuple]:
    """A translated block's text and marks as pieces again, in order: ("text", text, style code)
    for each stretch in one style (`base` where no mark is), ("object", code) where an object of
    `objects` stands. Spans are taken in order of their start, a later one where an earlier one
    ends; the work is in the marks, not the characters."""
    spans = sorted((m for m in marks if not m.inline_object and m.start < m.end), key=lambda m: m.start)
    at: dict[int, list[int]] = {}
    for mark in marks:
        if mark.inline_object and mark.code in objects:
            at.setdefault(min(mark.start, len(text)), []).append(mark.code)
    cuts = sorted({0, len(text), *at, *(min(m.start, len(text)) for m in spans), *(min(m.end, len(text)) for m in spans)})
    out: list[tuple] = []
    j = 0
    for start, end in zip(cuts, cuts[1:] + [None]):
        out += [("object", code) for code in at.get(start, ())]
        if end is None or end <= start:
            continue
        while j < len(spans) and spans[j].end <= start:
            j += 1
        style = spans[j].code if j < len(spans) and spans[j].start <= start else base
        if out and out[-1][0] == "text" and out[-1][2] == style:
            out[-1] = ("text", out[-1][1] + text[start:end], style)
        else:
            out.append(("text", text[start:end], style))
    return out


class Translation:
    """A result's translation into one language, block by block, as a writer puts it back: block
    n's text and marks in the target (a sentence left untranslated keeps its source)."""

    def __init__(self, result, lang: str) -> None:
        article = result.article
        self.segments = article.segments
        self.by_block: dict[int, list[int]] = {}
        for i, segment in enumerate(article.segments):
            self.by_block.setdefault(segment.paragraph, []).append(i)
        self.texts = result.translations.get(lang) or [None] * len(article.segments)
        self.marks = result.marks.get(lang) or [()] * len(article.segments)

    def block(self, number: int, block: Block) -> tuple[str, list[Mark]]:
        indices = self.by_block.get(number, [])
        texts = [self.texts[i] if self.texts[i] is not None else self.segments[i].text for i in indices]
        marks = [self.marks[i] if self.texts[i] is not None else self.segments[i].marks for i in indices]
        return rebuild(block.text, block.marks, [self.segments[i] for i in indices], texts, marks)
