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
from passeur.glossary.morph.plain import listed_forms as forms  # noqa: F401

TATWEEL = "ـ"
CLITICS = "وفبلك"
# What can stand before a word, for suppression lists: clitics, the article, and both.
ATTACHMENTS = (*CLITICS, "ال", "لل", "بال", "وال", "فال", "كال", "ولل", "فلل", "وبال", "وب", "ول", "فب", "فل")
# Before a placeholder in a model's output: glued clitics and article, or a lone one and a space.
BEFORE = re.compile(rf"(?:(?<![\w])((?:[وف]?[بلك]?)(?:ال)?)|(?<![\w])((?:[وف]?[بلك]?)ال|[{CLITICS}]) )$")


def pattern(folded: str, articles: bool = False) -> str:
    """A form with its clitics and article as the group `prefix` (لل is ل + ال); the article may stand
    on each word of a phrase ("التجارب السريرية")."""
    between = r"\s+(?:ال)?"
    if folded.startswith("ال"):
        return rf"(?<!\w)(?P<prefix>[وف]?[بك]?ال|[وف]?لل)(?P<form>{words(folded[2:], between)})(?!\w)"
    body = words(folded, between)
    return rf"(?<!\w)(?P<prefix>[وف]?[بك]?ال|[وف]?لل|[{CLITICS}]{{0,2}}){TATWEEL}?(?P<form>{body})(?!\w)"


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
    if term.startswith("ال") and clitics.endswith("ل"):
        return clitics + term[1:]  # ل + الجيش = للجيش
    return clitics + term


def duals(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The dual of one-word nouns, nominative and oblique: حالة → حالتان, حالتين; مستشفى →
    مستشفيان, مستشفيين; لقاح → لقاحان, لقاحين."""
    stems = [f[:-1] + "ت" if f.endswith("ة") else f[:-1] + "ي" if f.endswith("ى") else f
             for f in forms if f and " " not in f]
    return tuple(stem + ending for stem in stems for ending in ("ان", "ين"))
