"""The forms of a glossary term, one module per language.

Every stage that needs to know how a term is written asks here, and nowhere else writes such
rules: matching (the French number of an occurrence), restore (the form to write, the Hebrew
prefixes and Arabic clitics to attach), the term check (which forms are right for the source
sentence), `glossary diff --impact` (every form of an old term) and the engine's suppression
lists (every way a forbidden rendering can be written).

A language module offers:

- ``forms(cells, singulars, plurals, entry_plural) -> Forms``: a term's singular and plural
  forms from its glossary cells (the number of the entry detected where the language allows,
  else taken from the source entry), the ``singular:LANG`` and ``plural:LANG`` columns, and
  generated forms where a library knows them (English);
- ``pattern(folded, articles=False, common=True) -> str``: a regex for a (folded) form, with what
  attaches before it as the named group ``prefix`` (and ``article`` in English, with `articles`);
  a name (`common` false) takes no article it does not have;
- ``attach(prefix, term, common) -> str``: a prefix or clitic joined to a term;
- ``ATTACHMENTS``: the prefixes a word can carry, for suppression lists;
- optionally ``agree(before, term) -> str``: the words before a restored term made to agree with it
  (English a/an), and ``BEFORE``: what a model glues before a placeholder (Hebrew, Arabic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType


@dataclass(frozen=True)
class Forms:
    """A term's forms in one language, preferred first. Either tuple may be empty where the glossary
    gives no such form (an Arabic plural nobody listed); an invariable term has the same forms in both."""

    singular: tuple[str, ...]
    plural: tuple[str, ...]

    def of(self, plural: bool) -> tuple[str, ...]:
        """The forms for a number; where none is known, the other number's (the best passeur can write)."""
        wanted, other = (self.plural, self.singular) if plural else (self.singular, self.plural)
        return wanted or other

    def wrong(self, plural: bool) -> tuple[str, ...]:
        """Forms of the other number that are not also right for this one: what a check calls a wrong form.
        Empty where this number has no known form (nothing can be judged)."""
        wanted, other = (self.plural, self.singular) if plural else (self.singular, self.plural)
        return tuple(f for f in other if f not in wanted) if wanted else ()

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.singular + self.plural))

    def number_of(self, form: str) -> bool | None:
        """Whether form is plural (None when it is both, or not a form of the term)."""
        singular, plural = form in self.singular, form in self.plural
        return None if singular == plural else plural


# One module per language; a language without its own module is written as the glossary gives it.
MODULES = {"fr": "french", "en": "english", "ar": "arabic", "he": "hebrew"}


def morphology(lang: str) -> ModuleType:
    return import_module(f"passeur.glossary.morph.{MODULES.get(lang, 'plain')}")


# The place of a word that begins a sentence: the text's start, or after a full stop and spaces,
# an opening quotation mark or bracket allowed between.
SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+)[\"'“«‘(\[]*\s*$")


def at_sentence_start(before: str) -> bool:
    return SENTENCE_START.search(before) is not None


def words(form: str, between: str = r"\s+") -> str:
    """A form's words, escaped, any space between them (a no-break space too)."""
    return between.join(re.escape(word) for word in form.split())
