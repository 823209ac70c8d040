"""Finding glossary terms, protecting them through translation, restoring them, checking them.

A source term found in a sentence ("l’armée israélienne", "d’Azure", "Armées israéliennes")
is replaced by a placeholder (PSR0, PSR1, …) that translation models copy through, across
both hops of the English pivot. In each target language the placeholder becomes the
glossary's preferred form; Hebrew prefixes (ו ה ב ל מ ש כ) and Arabic clitics (و ف ب ل ك, ال)
that the model put before it are attached the way each script does. Placeholders that the
model mangled (spacing, case, other digits) are recovered; one it lost is reported so that
the caller can fall back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from glossary.model import Concept, Glossary
from translate.verbatim import VERBATIM

PLACEHOLDER = "PSR{}"
# What models make of PSR12: "PSR 12", "psr12", "P SR-12", "PSR١٢" (Arabic-Indic digits).
_RECOVER = re.compile(r"(?<![A-Za-z])[Pp]\s?[-_.]?\s?[Ss]\s?[-_.]?\s?[Rr]\s?[-_.]?\s?(\d{1,3})(?!\d)")
HEBREW_PREFIX = "והבלמשכ"
ARABIC_PREFIX = "وفبلك"
TATWEEL = "ـ"

STATUS_OK = "ok"
STATUS_MISSING = "missing target term"
STATUS_FORBIDDEN = "forbidden term used"
STATUS_NO_EQUIVALENT = "no target equivalent"
STATUS_NUMBER = "number mismatch"  # Xbench's numeric mismatch: a number of the source is not in the translation
NUMBER_ID = "number"
# A number as written in French, English or Arabic: 2023, 6,5, 1 000 000 (spaces, no-break spaces), 1,000.5, ٦٫٥.
# A space separates thousands only before exactly three digits: "1 000 000", not "October 7 2023".
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d)|[.,\u066b\u066c]\d+)*")


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
    """Regex for a source term on folded text; lowercase words may take plural/feminine endings."""
    words = fold(term, concept.case_sensitive).split()
    parts = []
    for word in words:
        piece = re.escape(word)
        if not concept.dnt and word.isalpha() and word.islower() and len(word) >= 3:
            piece += r"(?:e?s|x|e)?"
        parts.append(piece)
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


@dataclass(frozen=True)
class Occurrence:
    concept: Concept
    start: int
    end: int
    text: str


VERBATIM_ID = "verbatim"


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
        self._index: dict[bool, dict[str, list[tuple[str, Concept]]]] = {False: {}, True: {}}
        self._compiled: dict[tuple[str, int], re.Pattern] = {}
        for concept in glossary.concepts:
            for term in concept.terms.get(glossary.source, ()):
                key = fold(term, concept.case_sensitive)[: self.KEY]
                self._index[concept.case_sensitive].setdefault(key, []).append((term, concept))
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
                    for term, concept in index.get(folded[start:start + length], ()):
                        match = self._pattern(term, concept).match(folded, start)
                        if match:
                            found.append(Occurrence(concept, start, match.end(), sentence[start:match.end()]))
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


@dataclass
class Protected:
    source: str
    text: str
    slots: list[Occurrence] = field(default_factory=list)
    first: int = 0  # number of the first placeholder


def protect(sentence: str, matcher: TermMatcher, first: int = 0) -> Protected:
    """Replace each source term by a numbered placeholder (PSR{first}, PSR{first+1}, …)."""
    occurrences = matcher.find(sentence)
    if not occurrences or _RECOVER.search(sentence):
        # A sentence that already contains something placeholder-like is sent as it is;
        # its terms are then enforced by the fallback.
        return Protected(sentence, sentence, [] if not occurrences else list(occurrences))
    pieces, last = [], 0
    for number, occurrence in enumerate(occurrences):
        pieces += [sentence[last:occurrence.start], PLACEHOLDER.format(first + number)]
        last = occurrence.end
    pieces.append(sentence[last:])
    return Protected(sentence, "".join(pieces), occurrences, first)


def attach(prefix: str, term: str, lang: str) -> str:
    """Join a Hebrew prefix or Arabic clitic to a term, as the script wants."""
    if not prefix:
        return term
    if lang == "he":
        if not ("\u05d0" <= term[:1] <= "\u05ea"):
            return f"{prefix}-{term}"  # ב-Azure, ב-7 באוקטובר
        if term.startswith("ה") and prefix[-1] in "בכל":
            return prefix + term[1:]  # ב + הגרדיאן = בגרדיאן
        if term.startswith("ה") and prefix.endswith("ה"):
            return prefix[:-1] + term
        return prefix + term
    if lang == "ar":
        if prefix.endswith("ال"):
            prefix = prefix[:-2]  # the model's article: names and ال-terms carry their own
            if not prefix:
                return term
        if not ("\u0621" <= term[:1] <= "\u064a"):
            return f"{prefix}{TATWEEL}{term}"  # بـAzure
        if term.startswith("ال") and prefix.endswith("ل"):
            return prefix + term[1:]  # ل + الجيش = للجيش
        return prefix + term
    return prefix + " " + term


_PREFIX_BEFORE = {
    # glued to the placeholder, or a lone prefix letter (never a word on its own) before it
    "he": re.compile(rf"(?:(?<![\w])([{HEBREW_PREFIX}]{{1,3}})|(?<![\w])([{HEBREW_PREFIX}]) )$"),
    "ar": re.compile(rf"(?:(?<![\w])((?:[وف]?[بلك]?)(?:ال)?)|(?<![\w])((?:[وف]?[بلك]?)ال|[{ARABIC_PREFIX}]) )$"),
}


@dataclass
class Restored:
    text: str
    restored: list[Occurrence]
    lost: list[Occurrence]


def restore(translated: str, protected: Protected, lang: str, source: str) -> Restored:
    """Placeholders become the target term; report the slots the model lost."""
    slots = protected.slots if protected.text != protected.source else []
    seen: set[int] = set()
    pieces, last = [], 0
    for match in _RECOVER.finditer(translated):
        number = int(match.group(1)) - protected.first
        before = translated[last:match.start()]
        if not 0 <= number < len(slots):
            # An invented placeholder is model noise, not text: drop it and the space before it.
            following = translated[match.end():match.end() + 1]
            pieces.append(before if following.isalnum() else before.rstrip(" "))
            last = match.end()
            continue
        concept = slots[number].concept
        term = concept.preferred(lang, source) or slots[number].text
        prefix = ""
        rule = _PREFIX_BEFORE.get(lang)
        if rule:
            found = rule.search(before)
            if found and (found.group(1) or found.group(2)):
                prefix = found.group(1) or found.group(2)
                before = before[:found.start()]
        pieces += [before, attach(prefix, term, lang)]
        seen.add(number)
        last = match.end()
    pieces.append(translated[last:])
    text = re.sub(r"  +", " ", "".join(pieces)).strip()
    return Restored(text, [s for i, s in enumerate(slots) if i in seen],
                    [s for i, s in enumerate(slots) if i not in seen])


def _target_regex(form: str, lang: str, case: bool) -> str:
    body = re.escape(fold(form, case))
    if lang == "he" and form.startswith("ה"):
        return rf"(?<!\w)(?:[{HEBREW_PREFIX}]{{0,3}}-?)?(?:ה)?{re.escape(fold(form[1:], case))}(?!\w)"
    if lang == "ar" and form.startswith("ال"):
        return rf"(?<!\w)(?:[وف]?[بك]?)?(?:ال|لل){re.escape(fold(form[2:], case))}(?!\w)"
    if lang == "he":
        return rf"(?<!\w)(?:[{HEBREW_PREFIX}]{{0,3}}-?)?{body}(?!\w)"
    if lang == "ar":
        return rf"(?<!\w)(?:[{ARABIC_PREFIX}]{{0,2}}{TATWEEL}?)?{body}(?!\w)"
    return rf"(?<!\w){body}(?!\w)"


def find_form(text: str, forms: tuple[str, ...], lang: str, case: bool) -> tuple[str, int, int] | None:
    """The first of forms present in text (prefixes and clitics allowed): (form, start, end), or None."""
    folded = fold(text, case)
    for form in forms:
        match = re.search(_target_regex(form, lang, case), folded)
        if match:
            return form, match.start(), match.end()
    return None


def contains(text: str, forms: tuple[str, ...], lang: str, case: bool) -> str | None:
    """The text of the first of forms present in text, or None."""
    found = find_form(text, forms, lang, case)
    return text[found[1]:found[2]] if found else None


@dataclass(frozen=True)
class TermHit:
    """One term occurrence in one sentence and language, with its QA status."""

    sentence: int
    lang: str
    concept: str
    term: str  # the source text matched, or the forbidden form found
    target: str | None  # the preferred target form
    status: str
    enforced: str = ""  # placeholder | fallback | "" (checked only)

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "lang": self.lang, "concept": self.concept, "term": self.term,
                "target": self.target, "status": self.status, "enforced": self.enforced}


def check_sentence(index: int, source: str, target: str, lang: str, glossary: Glossary,
                   matcher: TermMatcher, enforced: dict[str, str] | None = None) -> list[TermHit]:
    """Term QA for one sentence: ok / missing target term / no target equivalent / forbidden term
    used, and numbers of the source missing from the translation (number mismatch)."""
    hits = []
    for occurrence in matcher.find(source):
        concept = occurrence.concept
        if concept.id == VERBATIM_ID:
            continue  # not a glossary term
        forms = concept.targets(lang, glossary.source)
        how = (enforced or {}).get(concept.id, "")
        if not forms:
            status = STATUS_NO_EQUIVALENT
        elif contains(target, forms, lang, concept.case_sensitive):
            status = STATUS_OK
        else:
            status = STATUS_MISSING
        hits.append(TermHit(index, lang, concept.id, occurrence.text, forms[0] if forms else None, status, how))
    for concept in glossary.concepts:
        bad = concept.forbidden.get(lang)
        found = bad and contains(target, bad, lang, concept.case_sensitive)
        if found:
            hits.append(TermHit(index, lang, concept.id, found, concept.preferred(lang, glossary.source), STATUS_FORBIDDEN))
    hits += check_numbers(index, source, target, lang)
    return hits


def _digits(number: str) -> str:
    """The digits of a number, whatever its separators or digit script: '6,5' and '6.5' and '٦٫٥' match."""
    return "".join(str(int(c)) for c in number if c.isdigit())


def check_numbers(index: int, source: str, target: str, lang: str) -> list[TermHit]:
    """Every number of the source must be in the translation (verbatim spans aside: they are copied)."""
    source = VERBATIM.sub(" ", source)
    available = [_digits(m.group()) for m in _NUMBER.finditer(VERBATIM.sub(" ", target))]
    hits = []
    for match in _NUMBER.finditer(source):
        digits = _digits(match.group())
        if digits in available:
            available.remove(digits)
        else:
            hits.append(TermHit(index, lang, NUMBER_ID, match.group(), match.group(), STATUS_NUMBER))
    return hits
