"""Languages passeur has no morphology for: a term is written as the glossary gives it, its other
number from the glossary's singular:LANG / plural:LANG columns, nothing attaches before it."""

from __future__ import annotations

from passeur.glossary.morph import Forms, words

ATTACHMENTS: tuple[str, ...] = ()


def listed_forms(cells: tuple[str, ...], singulars: tuple[str, ...], plurals: tuple[str, ...],
                 entry_plural: bool) -> Forms:
    """The cells are in the entry's number (the source entry's: "colons" makes the row plural); the
    columns give the other number. Nothing is generated: a form nobody wrote is never written."""
    if entry_plural:
        return Forms(tuple(dict.fromkeys(singulars)), tuple(dict.fromkeys(cells + plurals)))
    return Forms(tuple(dict.fromkeys(cells + singulars)), tuple(dict.fromkeys(plurals)))


forms = listed_forms


def pattern(folded: str, articles: bool = False, common: bool = True) -> str:
    return rf"(?<!\w)(?P<prefix>)(?P<form>{words(folded)})(?!\w)"


def attach(prefix: str, term: str, common: bool = False) -> str:
    return prefix + term
