"""Term QA of translations, in the vocabulary translators know from Xbench and Trados.

Per sentence and target language: *ok*, *missing target term*, *forbidden term used*, *no
target equivalent*, and *number mismatch* when a number of the source is not in the
translation. Target forms are found with Hebrew prefixes and Arabic clitics attached.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from passeur.glossary.match import VERBATIM_ID, Occurrence, TermMatcher, fold
from passeur.glossary.model import Glossary
from passeur.glossary.protect import ARABIC_PREFIX, HEBREW_PREFIX, TATWEEL
from passeur.result import (STATUS_FORBIDDEN, STATUS_MISSING, STATUS_NO_EQUIVALENT, STATUS_NUMBER, STATUS_OK,
                            STATUS_VERBATIM_LOST, STATUS_WRONG_FORM,
                            ArticleResult, TermHit)
from passeur.verbatim import VERBATIM

NUMBER_ID = "number"
# A number as written in French, English or Arabic: 2023, 6,5, 1 000 000 (spaces, no-break spaces), 1,000.5, ٦٫٥.
# A space separates thousands only before exactly three digits: "1 000 000", not "October 7 2023".
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d)|[.,\u066b\u066c]\d+)*")


def _words(form: str, case: bool, between: str = r"\s+") -> str:
    """A form's words, escaped, any space between them (a no-break space too)."""
    return between.join(re.escape(word) for word in fold(form, case).split())


def _target_regex(form: str, lang: str, case: bool) -> str:
    form = unicodedata.normalize("NFC", form)
    body = _words(form, case)
    if lang == "he":
        # The article on the first word and on the words after it: "בית החולים", "הניסוי הקליני".
        first, *rest = fold(form[1:] if form.startswith("ה") else form, case).split() or [""]
        body = re.escape(first) + "".join(rf"\s+(?:ה)?{re.escape(word)}" for word in rest)
        return rf"(?<!\w)(?:[{HEBREW_PREFIX}]{{0,3}}-?)?(?:ה)?{body}(?!\w)"
    if lang == "ar" and form.startswith("ال"):
        return rf"(?<!\w)(?:[وف]?[بك]?)?(?:ال|لل){_words(form[2:], case)}(?!\w)"
    if lang == "ar":
        # The article on the first word ("الفيروسات", "بالفيروسات", "للفيروسات") and on the words
        # that agree with it ("التجارب السريرية").
        body = _words(form, case, r"\s+(?:ال)?")
        return rf"(?<!\w)(?:[وف]?[بك]?ال|[وف]?لل|[{ARABIC_PREFIX}]{{0,2}}{TATWEEL}?)?{body}(?!\w)"
    return rf"(?<!\w){body}(?!\w)"


def _arabic_duals(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The dual of one-word Arabic nouns, nominative and oblique: حالة → حالتان, حالتين; مستشفى →
    مستشفيان, مستشفيين; لقاح → لقاحان, لقاحين."""
    stems = [f[:-1] + "ت" if f.endswith("ة") else f[:-1] + "ي" if f.endswith("ى") else f
             for f in forms if f and " " not in f]
    return tuple(stem + ending for stem in stems for ending in ("ان", "ين"))


@lru_cache(maxsize=4096)
def find_form(text: str, forms: tuple[str, ...], lang: str, case: bool) -> tuple[str, int, int] | None:
    """The first of forms present in text (prefixes and clitics allowed): (form, start, end), or None.
    Cached, since a sentence with a term many times asks the same question many times."""
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


def check_sentence(index: int, source: str, occurrences: list[Occurrence], target: str, lang: str,
                   glossary: Glossary, enforced: dict[str, str] | None = None) -> list[TermHit]:
    """Term QA for one sentence, given the source occurrences found once by TermMatcher.find:
    ok / missing target term / no target equivalent / forbidden term used, and numbers of the
    source missing from the translation (number mismatch)."""
    hits = []
    for occurrence in occurrences:
        concept = occurrence.concept
        how = (enforced or {}).get(concept.id, "")
        if concept.id == VERBATIM_ID:
            # A link, code span, URL, address or handle must come through exactly as written.
            status = STATUS_OK if occurrence.text in target else STATUS_VERBATIM_LOST
            hits.append(TermHit(index, lang, VERBATIM_ID, occurrence.text, occurrence.text, status, how))
            continue
        forms = concept.targets(lang, glossary.source)
        if lang == "ar" and occurrence.count == 2:
            forms += _arabic_duals(forms)  # "deux cas": "حالتان" (a glossary lists no dual)
        plural = occurrence.plural_in(lang)
        expected = concept.form(lang, glossary.source, plural)
        # Plural forms (English ones come from a library) are looked up only when they can matter.
        plurals = concept.plural_forms(lang, glossary.source) if forms and (
            plural or not contains(target, forms, lang, concept.case_sensitive)) else ()
        if not forms:
            status = STATUS_NO_EQUIVALENT
        elif plurals and plural:
            # A plural source needs a plural target; the singular alone does not agree.
            status = (STATUS_OK if contains(target, plurals, lang, concept.case_sensitive) else
                      STATUS_WRONG_FORM if contains(target, forms, lang, concept.case_sensitive) else STATUS_MISSING)
        elif contains(target, forms, lang, concept.case_sensitive):
            status = STATUS_OK
        elif plurals and contains(target, plurals, lang, concept.case_sensitive):
            # A singular source rendered plural; unless nothing in the source tells ("Décès en hausse").
            status = STATUS_OK if not occurrence.certain else STATUS_WRONG_FORM
        else:
            status = STATUS_MISSING
        hits.append(TermHit(index, lang, concept.id, occurrence.text, expected, status, how))
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
