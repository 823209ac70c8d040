"""The article as every stage sees it: a flat list of sentences, each with its paragraph and kind.

Sentence i of the French is sentence i of every translation, so this list is the spine of
everything passeur produces: translations, term checks, summaries and diffs are all indexed
by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a segment is. Only "text" is body text that a summary may quote; "code" is never
# translated (the same in every language); the others are translated but never summarized.
TEXT = "text"
TITLE = "title"
HEADING = "heading"  # a subheading (intertitle) or a caption
DATELINE = "dateline"  # "PARIS (AFP) -": the place and agency before the first sentence
BYLINE = "byline"  # "Par Jeanne Martin", a photo credit, "© AFP"
CODE = "code"
NOTE = "note"  # a document's footnote, endnote, header or footer
KINDS = (TEXT, TITLE, HEADING, DATELINE, BYLINE, CODE, NOTE)


@dataclass(frozen=True)
class Mark:
    """Inline formatting on a segment's text, as a document reader found it: characters
    [start, end) in the document's style number `code` (bold, italic, a link…); or, when start ==
    end, an inline object standing at start (a footnote reference, an image, a field, a comment
    anchor), which is never translated and goes back where the translation puts it."""

    start: int
    end: int
    code: int

    @property
    def inline_object(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class Segment:
    """One sentence of an article (or a title, heading, dateline, byline, code block)."""

    text: str
    paragraph: int
    kind: str = TEXT
    marks: tuple[Mark, ...] = ()  # inline formatting and objects of a document, on text

    @property
    def heading(self) -> bool:
        """Not running text: title, subheading, caption, dateline or byline."""
        return self.kind not in (TEXT, CODE)

    @property
    def verbatim(self) -> bool:
        """Kept as written in every language (a code block)."""
        return self.kind == CODE


@dataclass
class Article:
    """An article as passeur works on it."""

    name: str  # the path as given, or "-" for standard input
    segments: list[Segment] = field(default_factory=list)
    lang: str = "fr"
    stem: str = ""  # output name without suffix: the file's stem, or its path inside a folder given with -r
    format: str = "txt"  # the reader that read it (passeur.translate.READERS)
    layout: object = None  # what that format's writer needs to put a translation back in place, or None

    @property
    def sentences(self) -> list[str]:
        return [s.text for s in self.segments]

    @property
    def title_index(self) -> int | None:
        """Index of the title segment (always the first), or None for an article without a title."""
        return 0 if self.segments and self.segments[0].kind == TITLE else None

    @property
    def title(self) -> str:
        return self.segments[0].text if self.title_index is not None else ""

    def paragraphs(self) -> list[list[int]]:
        """Sentence indices grouped by paragraph, in order."""
        groups: list[list[int]] = []
        last = None
        for i, segment in enumerate(self.segments):
            if segment.paragraph != last:
                groups.append([])
                last = segment.paragraph
            groups[-1].append(i)
        return groups

    def body(self) -> list[int]:
        """Indices of running-text sentences: what a summary may choose."""
        return [i for i, s in enumerate(self.segments) if s.kind == TEXT]
