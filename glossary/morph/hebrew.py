"""Hebrew: the one-letter prefixes ו ה ב ל מ ש כ before a term, and the article on each word.

ב, כ and ל swallow the article (ב + הגדה = בגדה); before a word in another script or a number the
prefix takes a hyphen (ב-Azure, ב-7 באוקטובר). The plural is not generated: the glossary's cells
are in the entry's number, and singular:he / plural:he give the other.
"""

from __future__ import annotations

import re

from passeur.glossary.morph import words  # noqa: F401
from passeur.glossary.morph.plain import listed_forms as forms  # noqa: F401

PREFIXES = "והבלמשכ"
ATTACHMENTS = tuple(PREFIXES)
# Before a placeholder in a model's output: glued prefixes, or a lone prefix letter and a space.
BEFORE = re.compile(rf"(?:(?<![\w])([{PREFIXES}]{{1,3}})|(?<![\w])([{PREFIXES}]) )$")


def pattern(folded: str, articles: bool = False) -> str:
    """A form with its prefixes as the group `prefix`; the article may stand on each word ("בית
    החולים", "הניסויים הקליניים") and is swallowed after ב כ ל."""
    first, *rest = (folded[1:] if folded.startswith("ה") else folded).split() or [""]
    body = re.escape(first) + "".join(rf"\s+(?:ה)?{re.escape(word)}" for word in rest)
    return rf"(?<!\w)(?P<prefix>[{PREFIXES}]{{0,3}}?)-?(?P<form>ה?{body})(?!\w)"


def attach(prefix: str, term: str, common: bool = False) -> str:
    if not prefix:
        return term
    if not ("\u05d0" <= term[:1] <= "\u05ea"):
        return f"{prefix}-{term}"  # ב-Azure, ב-7 באוקטובר
    if term.startswith("ה") and prefix[-1] in "בכל":
        return prefix + term[1:]  # ב + הגרדיאן = בגרדיאן
    if term.startswith("ה") and prefix.endswith("ה"):
        return prefix[:-1] + term
    return prefix + term
