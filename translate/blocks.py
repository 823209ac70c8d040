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

from passeur.article import BYLINE, CODE, DATELINE, HEADING, NOTE, TEXT, TITLE, Article, Mark, Segment
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


def marks_within(marks: tuple[Mark, ...], start: int, end: int, last: bool = False) -> tuple[Mark, ...]:
    """The marks of a block that fall on text[start:end], in that text's coordinates. A span is
    cut at the edges; an inline object belongs to the segment it stands in, or ends (`last`:
    an object at the very end of the final segment belongs to it too)."""
    out = []
    for mark in marks:
        if mark.start == mark.end:
            if start < mark.start < end or mark.start == start or mark.start == end:
                out.append(Mark(mark.start - start, mark.start - start, mark.code))
        elif mark.start < end and mark.end > start:
            out.append(Mark(max(mark.start, start) - start, min(mark.end, end) - start, mark.code))
    return tuple(out)


def segment_marks(marks: tuple[Mark, ...], spans: list[tuple[int, int]]) -> list[tuple[Mark, ...]]:
    """Each segment's marks; an inline object between two segments (in the space between them)
    stays with the block and is put back there by the writer, never sent with a sentence."""
    if not marks:
        return [()] * len(spans)
    out = []
    taken: set[int] = set()  # an object at the end of one segment and the start of the next goes once
    for start, end in spans:
        mine = []
        for index, mark in enumerate(marks):
            if mark.start == mark.end:
                if index in taken or not start <= mark.start <= end:
                    continue
                taken.add(index)
                mine.append(Mark(mark.start - start, mark.start - start, mark.code))
            elif mark.start < end and mark.end > start:
                mine.append(Mark(max(mark.start, start) - start, min(mark.end, end) - start, mark.code))
        out.append(tuple(mine))
    return out


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
