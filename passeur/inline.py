"""Inline formatting through translation: a document's bold, italic and links, and its inline
objects (a footnote reference, an image, a field), ride through the models as tags, as
translation tools carry inline codes (XLIFF's `<g id="1">…</g>` and `<x id="2"/>`).

A segment's marks (passeur.article.Mark) become `<g1>mot</g1>` around formatted words and
`<x2/>` where an object stands; one number per distinct formatting in the sentence (two bold
words are both `<g1>`), one per object. The term stages are untouched: the unit they key, protect
and translate is the sentence with its tags, and the glossary searches the text without them
(`Marking.find`), so a term inside bold words is found and enforced; a formatting edge that
falls inside a term is moved to the term's edge first. After the last term stage, `Marking.place`
takes the tags out of each translation and gives the target's marks: a formatting whose tags
did not come back covers the whole sentence, an object whose tag did not come back goes to the
sentence's end, and the term report says so (STATUS_FORMAT_LOST).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from passeur.article import Article, Mark, Segment
from passeur.result import STATUS_FORMAT_LOST, TermHit

# What models make of a tag: spaces inside it, another case. No quantifier is nested: linear.
TAG = re.compile(r"<\s?(/?)\s?([gGxX])\s?(\d{1,3})\s?(/?)\s?>")


@dataclass(frozen=True)
class _Unit:
    plain: str
    codes: dict  # tag number -> the document's style or object code
    objects: frozenset  # the tag numbers that stand for objects


def _snap(marks: tuple[Mark, ...], occurrences) -> list[Mark]:
    """Marks whose edges fall inside a glossary term move to its edges (a span grows over the whole
    term, an object goes after it); spans never overlap afterwards."""
    spans = [(o.start, o.end) for o in occurrences]

    def outward(pos: int, grow_left: bool) -> int:
        for start, end in spans:
            if start < pos < end:
                return start if grow_left else end
        return pos

    moved = []
    for mark in marks:
        if mark.inline_object:
            pos = outward(mark.start, False)
            moved.append(Mark(pos, pos, mark.code))
        else:
            moved.append(Mark(outward(mark.start, True), outward(mark.end, False), mark.code))
    return _no_overlap(moved)


def _no_overlap(marks: list[Mark]) -> list[Mark]:
    """Spans in order, each starting where the one before ends at the earliest; objects kept."""
    out, last = [], 0
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if mark.inline_object:
            out.append(mark)
            continue
        start = max(mark.start, last)
        if start < mark.end:
            out.append(Mark(start, mark.end, mark.code))
            last = mark.end
    return out


def _tagged(text: str, marks: list[Mark]) -> tuple[str, dict, frozenset]:
    """text with its marks as tags; (tagged text, tag number -> code, object tag numbers)."""
    numbers: dict[tuple[str, int], int] = {}  # ("g", style code) or ("x", index of the object) -> tag number
    codes: dict[int, int] = {}
    inserts: list[tuple[int, int, str]] = []  # (position, order at that position, tag)
    for index, mark in enumerate(marks):
        key = ("x", index) if mark.inline_object else ("g", mark.code)
        number = numbers.setdefault(key, len(numbers) + 1)
        codes[number] = mark.code
        if mark.inline_object:
            inserts.append((mark.start, 1, f"<x{number}/>"))
        else:
            inserts += [(mark.start, 2, f"<g{number}>"), (mark.end, 0, f"</g{number}>")]
    objects = frozenset(number for (kind, _), number in numbers.items() if kind == "x")
    pieces, last = [], 0
    for pos, _, tag in sorted(inserts, key=lambda item: (item[0], item[1])):
        pieces += [text[last:pos], tag]
        last = pos
    pieces.append(text[last:])
    return "".join(pieces), codes, objects


class Marking:
    """The units the term stages work on, and the way back from their translations.

    `matcher` is the run's glossary matcher (passeur.glossary.match.TermMatcher): Marking stands in
    for it (`find`), searching each distinct plain text once."""

    def __init__(self, matcher) -> None:
        self.matcher = matcher
        self.glossary = matcher.glossary
        self._found: dict[str, list] = {}
        self._units: dict[str, _Unit] = {}  # tagged unit -> what it was made of
        self._made: dict[tuple[str, tuple[Mark, ...]], str] = {}

    def _occurrences(self, plain: str) -> list:
        found = self._found.get(plain)
        if found is None:
            found = self._found[plain] = self.matcher.find(plain)
        return found

    def unit(self, segment: Segment) -> str:
        """The text the term stages and the models see for a segment: its text, with its marks as tags."""
        if not segment.marks:
            return segment.text
        key = (segment.text, segment.marks)
        made = self._made.get(key)
        if made is None:
            if TAG.search(segment.text):  # text that looks like a tag: sent as it is, formatting on the whole
                made = segment.text
            else:
                marks = _snap(segment.marks, self._occurrences(segment.text))
                made, codes, objects = _tagged(segment.text, marks)
                self._units[made] = _Unit(segment.text, codes, objects)
            self._made[key] = made
        return made

    def find(self, unit: str) -> list:
        """Glossary occurrences in a unit, found in its text without tags and placed in the unit."""
        made = self._units.get(unit)
        if made is None:
            return self._occurrences(unit)
        found = self._occurrences(made.plain)
        if not found:
            return found
        # Plain offset -> unit offset: each character of the plain text in the unit, tags skipped.
        position: list[int] = []
        last = 0
        for match in TAG.finditer(unit):
            position += range(last, match.start())
            last = match.end()
        position += range(last, len(unit))
        return [replace(o, start=position[o.start], end=position[o.end - 1] + 1) for o in found]

    def place(self, translation: str, unit: str) -> tuple[str, tuple[Mark, ...], list[int]]:
        """A translation without its tags, the target's marks, and the codes of the source marks
        whose tags did not come back (their formatting now covers the sentence, their object its end)."""
        made = self._units.get(unit)
        if made is None:
            return translation, (), []
        pieces: list[str] = []
        size = 0
        opened: dict[int, int] = {}
        spans: list[Mark] = []
        objects: list[Mark] = []
        placed: set[int] = set()
        last = 0

        def add(text: str) -> None:
            nonlocal size
            pieces.append(text)
            size += len(text)

        for match in TAG.finditer(translation):
            add(translation[last:match.start()])
            last = match.end()
            number = int(match.group(3))
            if number not in made.codes:
                continue  # a tag the model invented
            if number in made.objects:
                if number not in placed and match.group(2) in "xX":
                    objects.append(Mark(size, size, made.codes[number]))
                    placed.add(number)
            elif match.group(1):  # closing
                start = opened.pop(number, None)
                if start is not None and size > start:
                    spans.append(Mark(start, size, made.codes[number]))
                    placed.add(number)
            elif number not in opened:
                opened[number] = size
        add(translation[last:])
        text = "".join(pieces)
        marks = [m for m in (_trimmed(m, text) for m in spans) if m.start < m.end] + objects
        lost = [n for n in made.codes if n not in placed]
        for number in lost:
            code = made.codes[number]
            marks.append(Mark(len(text), len(text), code) if number in made.objects else Mark(0, len(text), code))
        return text, tuple(_filled(marks)), [made.codes[n] for n in lost]

    def place_all(self, article: Article, translations: dict[str, list[str | None]]):
        """Stage: every translation of an article without its tags (in place); (marks per language
        and sentence, the term report's records of lost formatting)."""
        marks: dict[str, list[tuple[Mark, ...]]] = {}
        hits: list[TermHit] = []
        for lang, sentences in translations.items():
            marks[lang] = [()] * len(sentences)
            for i, text in enumerate(sentences):
                segment = article.segments[i]
                if text is None or not segment.marks:
                    continue
                sentences[i], marks[lang][i], lost = self.place(text, self.unit(segment))
                for code in dict.fromkeys(lost):
                    words = [segment.text[m.start:m.end] for m in segment.marks if m.code == code and not m.inline_object]
                    hits.append(TermHit(i, lang, "formatting", " … ".join(words) or "(inline object)", None,
                                        STATUS_FORMAT_LOST))
        return marks, hits


def _trimmed(mark: Mark, text: str) -> Mark:
    """A span without the spaces at its edges (the model may put them inside the tags)."""
    if mark.inline_object:
        return mark
    start, end = mark.start, mark.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Mark(start, end, mark.code)


def _filled(marks: list[Mark]) -> list[Mark]:
    """Spans that do not overlap, in the order given (the placed spans, then the formatting that
    fell back to the whole sentence, which covers only what they leave); objects by position."""
    objects = sorted((m for m in marks if m.inline_object), key=lambda m: m.start)
    out: list[Mark] = []
    covered: list[tuple[int, int]] = []
    for mark in (m for m in marks if not m.inline_object):
        pieces = [(mark.start, mark.end)]
        for start, end in covered:
            pieces = [p for a, b in pieces for p in ((a, min(b, start)), (max(a, end), b)) if p[0] < p[1]]
        out += [Mark(a, b, mark.code) for a, b in pieces]
        covered += pieces
    return sorted(out, key=lambda m: m.start) + objects
