"""One module per document format: a reader (bytes → Document) and, for the formats passeur
writes back, a writer (Document layout + translations → bytes). The registries are
passeur.translate.READERS and WRITERS."""

from __future__ import annotations

from dataclasses import dataclass, field

from passeur.translate.blocks import Block


@dataclass
class Document:
    """What a reader gives: the blocks (paragraphs) in reading order, and the layout its writer
    needs to put each block's translation back in place (None for a format passeur does not
    write back)."""

    blocks: list[Block] = field(default_factory=list)
    layout: object = None
