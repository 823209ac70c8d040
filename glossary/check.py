"""Term QA of translations, in the vocabulary translators know from Xbench and Trados.

Per sentence and target language: *ok*, *wrong form* (the term in the other number),
*missing target term*, *forbidden term used*, *no target equivalent* (*source only* for a
concept marked so), *verbatim span lost*, and *number mismatch* when a number of the source is
not in the translation. What is right is decided from the source sentence and the glossary
alone, through the language's morphology (glossary/morph), never from what restore wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from passeur.glossary.match import VERBATIM_ID, Occurrence, TermMatcher, fold
from passeur.glossary.model import Concept, Glossary
from passeur.glossary.morph import arabic, morphology
from passeur.glossary.protect import is_common_noun
from passeur.result import (STATUS_FORBIDDEN, STATUS_MISSING, STATUS_NO_EQUIVALENT, STATUS_NUMBER, STATUS_OK,
                            STATUS_SOURCE_ONLY, STATUS_VERBATIM_LOST, STATUS_WRONG_FORM,
                            ArticleResult, TermHit)
from passeur.verbatim import VERBATIM

NUMBER_ID = "number"
# A number as written in French, English or Arabic: 2023, 6,5, 1 000 000 (spaces, no-break spaces), 1,000.5, ٦٫٥.
# A space separates thousands only before exactly three digits: "1 000 000", not "October 7 2023".
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d)|[.,\u066b\u066c]\d+)*")


@lru_cache(maxsize=65536)
def form_pattern(form: str, lang: str, case: bool, articles: bool = False, common: bool = True) -> re.Pattern:
    """A target form in folded text, with what attaches before it (Hebrew prefixes, Arabic clitics and
    article; the English article with `articles`) as the group `prefix`: the language's morphology.
    A name (`common` false) takes no article it does not have."""
    return re.compile(morphology(lang).pattern(fold(unicodedata.normalize("NFC", form), case), articles, common))


@lru_cache(maxsize=4096)
def find_form(text: str, forms: tuple[str, ...], lang: str, case: bool, common: bool = True) -> tuple[str, int, int] | None:
    """The first of forms present in text (prefixes and clitics allowed): (form, start, end), or None.
    Cached, since a sentence with a term many times asks the same question many times."""
    folded = fold(text, case)
    for form in forms:
        match = form_pattern(form, lang, case, common=common).search(folded)
        if match:
            return form, match.start(), match.end()
    return None


def contains(text: str, forms: tuple[str, ...], lang: str, case: bool, common: bool = True) -> str | None:
    """The text of the first of forms present in text, or None."""
    found = find_form(text, forms, lang, case, common)
    return text[found[1]:found[2]] if found else None


def expected_forms(occurrence: Occurrence, lang: str, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(right, wrong) forms of a source occurrence's term in lang, decided from the source sentence and
    the glossary alone: the number the occurrence has in lang (its form, determiners, counts: see
    Occurrence.plural_in), the term's forms of that number (an Arabic dual after 2), and the forms
    of the other number, which are wrong where the source tells its number."""
    forms = occurrence.concept.forms(lang, source)
    plural = occurrence.plural_in(lang)
    right = forms.of(plural)
    if lang == "ar" and occurrence.count == 2:
        right += arabic.duals(forms.singular)  # "deux cas": "حالتان" (a glossary lists no dual)
    wrong = forms.wrong(plural) if occurrence.certain else ()
    if not occurrence.certain:
        right = tuple(dict.fromkeys(right + forms.all))
    return right, tuple(f for f in wrong if f not in right)


def check_sentence(index: int, source: str, occurrences: list[Occurrence], target: str, lang: str,
                   glossary: Glossary, enforced: dict[str, str] | None = None,
                   forbidden: "ForbiddenFinder | None" = None) -> list[TermHit]:
    """Term QA for one sentence, given the source occurrences found once by TermMatcher.find:
    ok / wrong form / missing target term / no target equivalent / forbidden term used, and numbers
    of the source missing from the translation (number mismatch). What is right is decided here,
    from the source and the glossary: how the translation was made (`enforced`) is only reported."""
    hits = []
    for occurrence in occurrences:
        concept = occurrence.concept
        how = (enforced or {}).get(concept.id, "")
        if concept.id == VERBATIM_ID:
            # A link, code span, URL, address or handle must come through exactly as written.
            status = STATUS_OK if occurrence.text in target else STATUS_VERBATIM_LOST
            hits.append(TermHit(index, lang, VERBATIM_ID, occurrence.text, occurrence.text, status, how))
            continue
        right, wrong = expected_forms(occurrence, lang, glossary.source)
        common = is_common_noun(concept, glossary.source)
        if not right:
            status = STATUS_SOURCE_ONLY if concept.source_only else STATUS_NO_EQUIVALENT
        elif contains(target, right, lang, concept.case_sensitive, common):
            status = STATUS_OK
        elif wrong and contains(target, wrong, lang, concept.case_sensitive, common):
            status = STATUS_WRONG_FORM
        else:
            status = STATUS_MISSING
        hits.append(TermHit(index, lang, concept.id, occurrence.text, right[0] if right else None, status, how))
    finder = forbidden or ForbiddenFinder.of(glossary)
    for concept, found in finder.find(without_allowed(target, occurrences, lang, glossary.source)
                                      if finder.forbids(lang) else target, lang):
        hits.append(TermHit(index, lang, concept.id, found, concept.form(lang, glossary.source), STATUS_FORBIDDEN))
    hits += check_numbers(index, source, target, lang)
    return hits


def without_allowed(text: str, occurrences: list[Occurrence], lang: str, source: str) -> str:
    """text with the allowed forms of the sentence's terms blanked out (same length), so that a
    forbidden rendering inside an allowed one ("settlers" in "Israeli settlers", where the newsroom
    forbids the bare word) is not taken for a use of it."""
    spans = []
    concepts = {o.concept.id: o.concept for o in occurrences if o.concept.id != VERBATIM_ID}
    for concept in concepts.values():  # each concept once, however often the sentence has it
        folded = fold(text, concept.case_sensitive)
        for form in concept.forms(lang, source).all:
            spans += [m.span("form") for m in form_pattern(form, lang, concept.case_sensitive).finditer(folded)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


class ForbiddenFinder:
    """The renderings a glossary forbids, in every number (a forbidden "terrorist" is forbidden as
    "terrorists" too), found in a translation without trying each concept: forbidden forms are
    indexed by the first letters of their first word (a word's other number keeps them), looked up
    at each word of the text and after the prefixes a word can carry; only the concepts met there
    have their forms made and matched."""

    KEY = 3

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self._index: dict[str, dict[str, list[Concept]]] = {}
        for concept in glossary.concepts:
            for lang, bad in concept.forbidden.items():
                index = self._index.setdefault(lang, {})
                for key in dict.fromkeys(self._key(form) for form in bad):
                    index.setdefault(key, []).append(concept)

    @classmethod
    def _key(cls, form: str) -> str:
        folded = fold(unicodedata.normalize("NFC", form), False)
        return folded[: cls.KEY] if folded[:1].isalnum() else ""  # "+972…" is tried on every text

    _CACHE: "dict[int, tuple[Glossary, ForbiddenFinder]]" = {}

    @classmethod
    def of(cls, glossary: Glossary) -> "ForbiddenFinder":
        """One finder per glossary, built once (glossaries are immutable)."""
        cached = cls._CACHE.get(id(glossary))
        if cached is None or cached[0] is not glossary:
            if len(cls._CACHE) > 8:
                cls._CACHE.clear()
            cached = cls._CACHE[id(glossary)] = (glossary, cls(glossary))
        return cached[1]

    def forbids(self, lang: str) -> bool:
        """Whether the glossary forbids any rendering in lang."""
        return bool(self._index.get(lang))

    def find(self, text: str, lang: str) -> list[tuple[Concept, str]]:
        """(concept, the text as found) for each concept whose forbidden rendering is in text, in
        glossary order."""
        index = self._index.get(lang)
        if not index:
            return []
        folded = fold(text, False)
        attachments = ("",) + morphology(lang).ATTACHMENTS
        candidates: dict[str, Concept] = {c.id: c for c in index.get("", ())}
        for word in re.finditer(r"\w+", folded):
            token = word.group()
            for prefix in attachments:
                if token.startswith(prefix):
                    candidates.update((c.id, c) for c in index.get(token[len(prefix):][: self.KEY], ()))
        found = []
        for concept in candidates.values():
            text_found = contains(text, concept.forbidden_forms(lang, self.glossary.source), lang, concept.case_sensitive)
            if text_found:
                found.append((concept, text_found))
        order = {c.id: i for i, c in enumerate(self.glossary.concepts)}
        return sorted(found, key=lambda item: order.get(item[0].id, 0))


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


def check_article(article, translations: dict[str, list[str | None]], glossary: Glossary,
                  occurrences: dict[int, list[Occurrence]] | None = None,
                  enforced: dict[tuple[int, str], dict[str, str]] | None = None) -> list[TermHit]:
    """Term QA of every translated sentence of an article, in every language.

    `occurrences` (sentence index -> the source terms found there) comes from the pipeline,
    which found them once for protection; without it they are found here, once per sentence.
    Untranslated sentences (null in summarize's JSON) and code blocks are skipped.
    """
    matcher = TermMatcher(glossary) if occurrences is None else None
    found = dict(occurrences or {})
    hits: list[TermHit] = []
    for index, segment in enumerate(article.segments):
        if segment.verbatim:
            continue
        for lang, sentences in translations.items():
            if lang == article.lang or sentences[index] is None:
                continue
            if index not in found:
                found[index] = matcher.find(segment.text)
            hits += check_sentence(index, segment.text, found[index], sentences[index], lang, glossary,
                                   (enforced or {}).get((index, lang)))
    return hits


@dataclass
class TermReport:
    """Term QA of several files: every (file, hit), and which are problems."""

    rows: list[tuple[str, TermHit]] = field(default_factory=list)

    @property
    def problems(self) -> list[tuple[str, TermHit]]:
        return [(name, hit) for name, hit in self.rows if hit.problem]


def check_results(results: list[ArticleResult], glossary: Glossary) -> TermReport:
    """Check translated articles (read back from passeur's JSON) against a glossary."""
    report = TermReport()
    for result in results:
        report.rows += [(result.article.name, hit)
                        for hit in check_article(result.article, result.translations, glossary)]
    return report
