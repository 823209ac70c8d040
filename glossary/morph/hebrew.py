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


def pattern(folded: str, articles: bool = False, common: bool = True) -> str:
    """A form with its prefixes as the group `prefix`. A common noun may take the article, on each
    word ("בית החולים", "הניסויים הקליניים"); a name never takes one it does not have ("רצועת עזה",
    never "הרצועת עזה"); ב, כ, ל swallow an article ("בגדה" for "הגדה")."""
    own = folded.startswith("ה")
    first, *rest = (folded[1:] if own else folded).split() or [""]
    between = r"\s+(?:ה)?" if common else r"\s+"
    body = re.escape(first) + "".join(between + re.escape(word) for word in rest)
    prefixes = PREFIXES if common or own else PREFIXES.replace("ה", "")
    article = "ה?" if common or own else ""
    return rf"(?<!\w)(?P<prefix>[{prefixes}]{{0,3}})-?(?P<form>{article}{body})(?!\w)"


def attach(prefix: str, term: str, common: bool = False) -> str:
    """A prefix joined to a term. The article the model gave is kept on a common noun and dropped
    before a name ("רצועת עזה", not "הרצועת עזה")."""
    if not common and prefix.endswith("ה") and not term.startswith("ה"):
        prefix = prefix[:-1]
    if not prefix:
        return term
    if not ("\u05d0" <= term[:1] <= "\u05ea"):
        return f"{prefix}-{term}"  # ב-Azure, ב-7 באוקטובר
    if term.startswith("ה") and prefix[-1] in "בכל":
        return prefix + term[1:]  # ב + הגרדיאן = בגרדיאן
    if term.startswith("ה") and prefix.endswith("ה"):
        return prefix[:-1] + term
    return prefix + term
