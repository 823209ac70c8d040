"""Finding glossary terms (and verbatim spans) in source sentences.

Terms are found whatever their case (unless the concept is case-sensitive), accents and
elision ("l’armée israélienne", "d’Azure"), and lowercase words take plural and feminine
endings ("armées israéliennes"). Each sentence is searched once; the occurrences found are
carried to protection, restoration and the term check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from passeur.glossary.model import Concept, Glossary
from passeur.verbatim import VERBATIM

VERBATIM_ID = "verbatim"


def fold(text: str, case: bool) -> str:
    """Accent- (and unless case, case-) insensitive form of text, the same length as text."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() and ord(ch) < 0x0250 else ch
        if base in "’ʼ‘`´":
            base = "'"
        if not case:
            lower = base.lower()
            base = lower if len(lower) == 1 else base
        out.append(base)
    return "".join(out)


def _source_pattern(term: str, concept: Concept) -> str:
    """Regex for a source term on folded text; lowercase words may take plural/feminine endings
    (each ending is a group, so that a match tells whether the occurrence is plural)."""
    words = fold(term, concept.case_sensitive).split()
    parts = []
    for word in words:
        piece = re.escape(word)
        if not concept.dnt and word.isalpha() and word.islower() and len(word) >= 3:
            piece += r"(e?s|x|e)?"
        parts.append(piece)
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


PLURAL_ENDINGS = ("s", "es", "x")


@dataclass(frozen=True)
class Occurrence:
    concept: Concept
    start: int
    end: int
    text: str
    plural: bool = False  # matched a plural variant, or with a plural ending ("armées israéliennes")



def verbatim_concept(source: str, text: str) -> Concept:
    return Concept(VERBATIM_ID, {source: (text,)}, dnt=True, case_sensitive=True)


class TermMatcher:
    """Finds the source terms of a glossary, and verbatim spans, in sentences: leftmost, then
    longest, never overlapping.

    Terms are indexed by their first three (folded) characters and each variant's pattern is
    compiled when a sentence first offers its key, so a glossary of ten thousand concepts
    costs what its candidate terms cost, not one giant alternation.
    """

    KEY = 3

    def __init__(self, glossary: Glossary, verbatim: bool = True):
        self.glossary = glossary
        self.verbatim = verbatim
        self._index: dict[bool, dict[str, list[tuple[str, Concept, bool]]]] = {False: {}, True: {}}
        self._compiled: dict[tuple[str, int], re.Pattern] = {}
        for concept in glossary.concepts:
            forms = [(term, False) for term in concept.terms.get(glossary.source, ())]
            forms += [(term, True) for term in concept.plurals.get(glossary.source, ())]
            for term, plural in forms:
                key = fold(term, concept.case_sensitive)[: self.KEY]
                self._index[concept.case_sensitive].setdefault(key, []).append((term, concept, plural))
        self._key_lengths = sorted({len(k) for index in self._index.values() for k in index})

    def _pattern(self, term: str, concept: Concept) -> re.Pattern:
        cache_key = (term, id(concept))
        if cache_key not in self._compiled:
            self._compiled[cache_key] = re.compile(_source_pattern(term, concept))
        return self._compiled[cache_key]

    def find(self, sentence: str) -> list[Occurrence]:
        found: list[Occurrence] = []
        for case, index in self._index.items():
            if not index:
                continue
            folded = fold(sentence, case)
            for start in range(len(folded)):
                if folded[start].isspace() or (start and folded[start - 1].isalnum()):
                    continue  # terms begin at a word (or sign) boundary
                for length in self._key_lengths:
                    for term, concept, plural in index.get(folded[start:start + length], ()):
                        match = self._pattern(term, concept).match(folded, start)
                        if match:
                            plural = plural or any(ending in PLURAL_ENDINGS for ending in match.groups())
                            found.append(Occurrence(concept, start, match.end(), sentence[start:match.end()], plural))
        if self.verbatim:
            found += [Occurrence(verbatim_concept(self.glossary.source, m.group()), m.start(), m.end(), m.group())
                      for m in VERBATIM.finditer(sentence)]
        # Leftmost first; at one position the longest; a verbatim span (a URL) beats a term inside it.
        found.sort(key=lambda o: (o.start, -(o.end - o.start), o.concept.id != VERBATIM_ID))
        kept: list[Occurrence] = []
        for occurrence in found:
            if not kept or occurrence.start >= kept[-1].end:
                kept.append(occurrence)
        return kept
