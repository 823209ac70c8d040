"""Arabic: clitics and the article before a term, the dual, and counted nouns.

Before a word come the conjunctions و ف, then the prepositions ب ك ل, then the article ال; ل
and ال make لل ("للجيش"). A name or a phrase carries its own article as the glossary writes it; a
one-word common noun takes the article its sentence gives it ("الفيروسات"). The plural is not
generated (broken plurals need a lexicon no library here offers): the glossary's cells are in the
entry's number, and singular:ar / plural:ar give the other.
"""

from __future__ import annotations

import re

from passeur.glossary.morph import words
from passeur.glossary.morph import Forms
from passeur.glossary.morph.plain import listed_forms

TATWEEL = "ـ"
CLITICS = "وفبلك"
# What can stand before a word, for suppression lists: clitics, the article, and both.
ATTACHMENTS = (*CLITICS, "ال", "لل", "بال", "وال", "فال", "كال", "ولل", "فلل", "وبال", "وب", "ول", "فب", "فل")
# Before a placeholder in a model's output: glued clitics and article, or a lone one and a space.
BEFORE = re.compile(rf"(?:(?<![\w])((?:[وف]?[بلك]?)(?:ال)?)|(?<![\w])((?:[وف]?[بلك]?)ال|[{CLITICS}]) )$")


def pattern(folded: str, articles: bool = False, common: bool = True) -> str:
    """A form with its clitics and article as the group `prefix` (لل is ل + ال; للاجئون is ل +
    اللاجئون, three lams written two); the article may stand on each word of a common noun phrase
    ("التجارب السريرية"), never on a name that does not carry it."""
    between = r"\s+(?:ال)?" if common else r"\s+"
    if folded.startswith("الل"):
        return rf"(?<!\w)(?P<prefix>[وف]?[بك]?ال|[وف]?ل)(?P<form>{words(folded[2:], between)})(?!\w)"
    if folded.startswith("ال"):
        return rf"(?<!\w)(?P<prefix>[وف]?[بك]?ال|[وف]?لل)(?P<form>{words(folded[2:], between)})(?!\w)"
    article = r"[وف]?[بك]?ال|[وف]?لل|" if common else ""
    return rf"(?<!\w)(?P<prefix>{article}[{CLITICS}]{{0,2}}){TATWEEL}?(?P<form>{words(folded, between)})(?!\w)"


def forms(cells: tuple[str, ...], singulars: tuple[str, ...], plurals: tuple[str, ...], entry_plural: bool) -> Forms:
    """The glossary's forms; a sound masculine plural in -ون also in its oblique -ين ("المستوطنين",
    "للمستوطنين"), which running text uses as often, accepted after the forms written."""
    listed = listed_forms(cells, singulars, plurals, entry_plural)
    oblique = tuple(" ".join(w[:-2] + "ين" if len(w) > 4 and w.endswith("ون") else w for w in form.split())
                    for form in listed.plural)
    return Forms(listed.singular, tuple(dict.fromkeys(listed.plural + oblique)))


def _split(prefix: str) -> tuple[str, bool]:
    """(clitics, article) of what stands before a word: "بال" → ("ب", True), "لل" → ("ل", True)."""
    if prefix.endswith("لل"):
        return prefix[:-1], True
    if prefix.endswith("ال"):
        return prefix[:-2], True
    return prefix, False


def attach(prefix: str, term: str, common: bool = False) -> str:
    """Clitics joined to a term: ل + الجيش = للجيش, ب + Azure = بـAzure. The article the model gave
    is kept on a `common` one-word noun ("الفيروسات"); names and phrases carry their own."""
    clitics, article = _split(prefix)
    if article and common and " " not in term and not term.startswith("ال"):
        term = "ال" + term
    if not clitics:
        return term
    if not ("\u0621" <= term[:1] <= "\u064a"):
        return f"{clitics}{TATWEEL}{term}"  # بـAzure
    if term.startswith("الل") and clitics.endswith("ل"):
        return clitics + term[2:]  # ل + اللاجئون = للاجئون (three lams are written two)
    if term.startswith("ال") and clitics.endswith("ل"):
        return clitics + term[1:]  # ل + الجيش = للجيش
    return clitics + term


def duals(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The dual of one-word nouns, nominative and oblique: حالة → حالتان, حالتين; مستشفى →
    مستشفيان, مستشفيين; لقاح → لقاحان, لقاحين."""
    stems = [f[:-1] + "ت" if f.endswith("ة") else f[:-1] + "ي" if f.endswith("ى") else f
             for f in forms if f and " " not in f]
    return tuple(stem + ending for stem in stems for ending in ("ان", "ين"))
