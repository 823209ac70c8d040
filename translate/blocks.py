"""From a reader's blocks to an `Article`: the structure every format shares.

A reader (passeur.translate.formats) turns a file into blocks: paragraphs, each with its text,
its kind (title, heading, text, code, note) and its inline marks (bold, a link, a footnote
reference: passeur.article.Mark). Here each block becomes segments: a text block is split into
sentences, a dateline split off its first sentence, a short line without closing punctuation
taken for a subheading or caption, a byline or photo credit set apart. Each segment carries the
marks that fall on it, in its own coordinates, so formatting rides with its sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from passeur.article import BYLINE, CODE, DATELINE, HEADING, TEXT, TITLE, Article, Mark, Segment
from passeur.translate.segment import split_sentences

MAX_WORD = 2_000  # characters without a space: a long URL fits; embedded data (base64) does not
_HEADING_END = frozenset(".!?…:;,»\"”)")


class Block(NamedTuple):
    """A paragraph as a reader found it: text, kind, and inline marks on the text."""

    text: str
    kind: str = TEXT
    marks: tuple[Mark, ...] = ()


class WordTooLong(Exception):
    def __init__(self, length: int, start: str, line: int | None = None):
        super().__init__(length, start, line)
        self.length, self.start, self.line = length, start, line


_LONG_WORD = re.compile(r"(?<!\S)\S{%d}" % (MAX_WORD + 1))  # at word starts only: linear
_NON_SPACE = re.compile(r"\S*")


def check_words(text: str, line: int | None = None) -> None:
    """Raise WordTooLong for a run of more than MAX_WORD characters without a space (`line`:
    the line text starts on, to name it)."""
    if len(text) <= MAX_WORD:
        return
    match = _LONG_WORD.search(text)
    if match:
        end = _NON_SPACE.match(text, match.end()).end()
        raise WordTooLong(end - match.start(), match.group()[:24],
                          None if line is None else line + text.count("\n", 0, match.start()))


def normalize(block: str) -> str:
    """Line breaks and runs of spaces become one space; no-break spaces (« mot ») are typography, kept."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", block).strip()


def first_heading_is_title(blocks: list) -> list:
    """The first block is the title when it is a heading and more follows (Markdown, HTML)."""
    if len(blocks) > 1 and blocks[0][1] == HEADING:
        blocks[0] = Block(*blocks[0][:1], TITLE, *blocks[0][2:])
    return blocks


def sentence_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where each sentence stands in its block (sentences are substrings of it, in order)."""
    spans, pos = [], 0
    for sentence in sentences:
        start = text.find(sentence, pos)
        if start < 0:  # never: segmentation only cuts; kept safe for a reader that normalizes
            start = pos
        pos = start + len(sentence)
        spans.append((start, pos))
    return spans


def _sweep(marks: tuple[Mark, ...], ranges: list[tuple[int, int]]):
    """For each (start, end) range, in order, the spans of marks that overlap it, cut to it: one
    pass over both (ranges in order and apart, spans in order and apart, as readers give them)."""
    spans = sorted((m for m in marks if not m.inline_object), key=lambda m: m.start)
    j = 0
    for start, end in ranges:
        while j < len(spans) and spans[j].end <= start:
            j += 1
        k, cut = j, []
        while k < len(spans) and spans[k].start < end:
            cut.append(Mark(max(spans[k].start, start), min(spans[k].end, end), spans[k].code))
            k += 1
        yield cut


def _owners(marks: tuple[Mark, ...], spans: list[tuple[int, int]]) -> list[tuple[Mark, int | None]]:
    """Each inline object with the index of the segment it stands in (at its edges included; the
    first one when two touch), or None when it stands between segments."""
    objects = sorted((m for m in marks if m.inline_object), key=lambda m: m.start)
    out, k = [], 0
    for mark in objects:
        while k < len(spans) and spans[k][1] < mark.start:
            k += 1
        out.append((mark, k if k < len(spans) and spans[k][0] <= mark.start else None))
    return out


def segment_marks(marks: tuple[Mark, ...], spans: list[tuple[int, int]]) -> list[tuple[Mark, ...]]:
    """Each segment's marks, in its own coordinates. An inline object between two segments (in the
    space between them) stays with the block, and the writer puts it back there."""
    if not marks:
        return [()] * len(spans)
    out = [[Mark(m.start - start, m.end - start, m.code) for m in cut]
           for cut, (start, _) in zip(_sweep(marks, spans), spans)]
    for mark, owner in _owners(marks, spans):
        if owner is not None:
            start = spans[owner][0]
            out[owner].append(Mark(mark.start - start, mark.start - start, mark.code))
    return [tuple(sorted(m, key=lambda x: (x.start, x.end))) for m in out]


def article_from_blocks(name: str, blocks: list) -> Article:
    """Blocks are (text, kind[, marks]), kind one of title, heading, text, code, note. A text
    block that is a short line without closing punctuation is a subheading or caption; code is
    one segment, kept as written in every language. Each block is a paragraph: segment.paragraph
    is the block's index, which is how a writer puts the translation back in place."""
    article = Article(name=name)
    lone = len(blocks) == 1
    for number, block in enumerate(blocks):
        text, kind = block[0], block[1]
        marks = tuple(block[2]) if len(block) > 2 else ()
        if kind in (TITLE, HEADING, CODE) or (kind == TEXT and not lone and
                                              (looks_like_byline(text) or looks_like_heading(text))):
            kind = kind if kind != TEXT else BYLINE if looks_like_byline(text) else HEADING
            stripped = text.strip()
            start = text.find(stripped) if stripped else 0
            article.segments.append(Segment(stripped if kind != CODE else text, number, kind,
                                            segment_marks(marks, [(start, start + len(stripped))])[0]
                                            if kind != CODE else ()))
            continue
        sentences = split_sentences(text)
        kinds = [kind] * len(sentences)
        if kind == TEXT and sentences:
            dateline = split_dateline(sentences[0])
            if dateline:
                sentences[:1] = list(dateline)
                kinds.insert(0, DATELINE)
        per_segment = segment_marks(marks, sentence_spans(text, sentences))
        article.segments += [Segment(s, number, k, m) for s, k, m in zip(sentences, kinds, per_segment)]
    return article


def looks_like_heading(block: str) -> bool:
    """A short line without closing punctuation: a subheading or caption."""
    block = block.strip()
    return len(block.split()) <= 20 and block[-1:] not in _HEADING_END


_TITLE_INNER_ENDS = ("?", "!", "?»", "!»", "? »", "! »")


def looks_like_title(block: str, raw: str) -> bool:
    """The first block of a plain-text article is its title when it is one short line that does
    not end like a sentence; a headline may ask and answer ("Militant ou magistrat ? Le …")."""
    if "\n" in raw.strip() or len(block.split()) > 30 or block.endswith("."):
        return False
    sentences = split_sentences(block)
    return all(s.endswith(_TITLE_INNER_ENDS) for s in sentences[:-1])


_BYLINE_START = ("propos recueillis par", "photo :", "photo:", "photos :", "crédit photo", "crédits photo",
                 "crédit :", "©", "(c) ", "illustration :", "avec afp", "avec reuters", "(avec ")


def looks_like_byline(block: str) -> bool:
    """"Par Jeanne Martin", "Propos recueillis par …", "Photo : AFP", "© Reuters": short, never news.
    "Par" must be followed by a name: "Par ailleurs, le ministre a démissionné." is news."""
    words = block.split()
    if len(words) > 12:
        return False
    lowered = block.lower()
    if lowered.startswith(_BYLINE_START):
        return True
    return (len(words) >= 2 and words[0].lower() == "par" and words[1][:1].isupper()
            and block.rstrip()[-1:] not in ".!?…")


AGENCIES = ("AFP", "Reuters", "AP", "ATS", "Belga", "dpa", "Xinhua", "APS", "MAP", "ANSA", "EFE", "Anadolu", "WAFA")
_DASHES = (" - ", " – ", " — ")


def split_dateline(sentence: str) -> tuple[str, str] | None:
    """("PARIS (AFP) -", "Le président …") for a sentence opening on a dateline, else None.

    A dateline is at most 8 words before a dash, and either names a news agency in brackets
    or is a place in capitals ("JÉRUSALEM —"). Plain string search: no regex on user text.
    """
    head = sentence[:90]
    cut = min((i for i in (head.find(d) for d in _DASHES) if i > 0), default=-1)
    if cut < 0:
        return None
    before, rest = sentence[:cut].strip(), sentence[cut + 3:].strip()
    words = before.split()
    agency = any(f"({name})" in before for name in AGENCIES)
    capitals = sum(ch.isalpha() for ch in before) >= 3 and not any(ch.islower() for ch in before.split("(")[0])
    if not rest or len(words) > 8 or not (agency or capitals) or not (rest[0].isupper() or rest[0] in "«\"“"):
        return None
    return sentence[:cut + 2].strip(), rest


@lru_cache(maxsize=None)
def boilerplate_markers(lang: str = "fr") -> tuple[str, ...]:
    text = resources.files("passeur.translate").joinpath(f"data/boilerplate.{lang}.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(line for line in lines if line)


def _is_furniture(text: str, markers: tuple[str, ...]) -> bool:
    """A block that opens a web page's furniture: a marker alone or followed by a colon, a count or
    a sentence end ("Commentaires (12)", "Lire aussi : …", "Votre adresse e-mail ne sera pas
    publiée."), or a short line that is little more than a marker ("Partager sur Facebook"). A
    paragraph that only starts with the word ("Commentaires haineux, menaces : …") is news."""
    lowered = text.lower()
    for marker in markers:
        if lowered.startswith(marker):
            after = lowered[len(marker):len(marker) + 2].lstrip()
            if not after or not after[0].isalpha():
                return True
            if looks_like_heading(text) and len(text.split()) <= len(marker.split()) + 3:
                return True
    return False


def strip_boilerplate(blocks: list, lang: str = "fr") -> list:
    """Cut the web page's trailing furniture (latest news, comment forms) after the article.

    Only a furniture line in the second half of the article cuts, and only when everything after
    it is furniture or short lines (headlines of other stories): a paragraph of running text after
    it means the story goes on, and nothing is cut.
    """
    markers = boilerplate_markers(lang)
    cut = None
    for i in range(len(blocks) - 1, max(1, len(blocks) // 2) - 1, -1):
        text = blocks[i][0]
        if _is_furniture(text, markers):
            cut = i
        elif not looks_like_heading(text):
            break
    return blocks[:cut] if cut is not None else blocks


def rebuild(text: str, marks: tuple[Mark, ...], segments: list[Segment], translations: list[str],
            target_marks: list[tuple[Mark, ...]]) -> tuple[str, list[Mark]]:
    """A block's text in the target language and its marks: each segment's translation where the
    segment stood, the text between segments (spaces, and the objects standing there) as it was.
    Two sentences that were glued get a space between them once translated."""
    spans = sentence_spans(text, [s.text for s in segments])
    gaps = [(0, spans[0][0] if spans else len(text))]
    gaps += [(spans[k][1], spans[k + 1][0]) for k in range(len(spans) - 1)]
    gaps += [(spans[-1][1], len(text))] if spans else []
    between: dict[int, list[Mark]] = {}  # gap index -> its objects
    for mark, owner in _owners(marks, spans):
        if owner is None:
            between.setdefault(_gap_of(gaps, mark.start), []).append(mark)
    pieces: list[str] = []
    out: list[Mark] = []
    size = 0
    for g, ((a, b), cut) in enumerate(zip(gaps, _sweep(marks, gaps))):
        out += [Mark(size + m.start - a, size + m.end - a, m.code) for m in cut]
        out += [Mark(size + m.start - a, size + m.start - a, m.code) for m in between.get(g, ())]
        pieces.append(text[a:b])
        size += b - a
        if g < len(spans):
            segment, translation, marked = segments[g], translations[g], target_marks[g]
            if g and a == b and translation != segment.text:
                pieces.append(" ")  # glued sentences, now translated: a space between them
                size += 1
            out += [Mark(size + m.start, size + m.end, m.code) for m in marked]
            pieces.append(translation)
            size += len(translation)
    return "".join(pieces), out


def _gap_of(gaps: list[tuple[int, int]], position: int) -> int:
    """The gap holding position (gaps in order): a binary search."""
    low, high = 0, len(gaps) - 1
    while low < high:
        middle = (low + high) // 2
        if gaps[middle][1] < position:
            low = middle + 1
        else:
            high = middle
    return low
