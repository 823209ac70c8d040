"""The glossary: concepts with a term per language, do-not-translate and forbidden renderings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passeur.glossary.morph import Forms


@dataclass(frozen=True)
class Concept:
    """One idea and how the newsroom writes it in each language.

    `terms[lang]` lists variants: the first is the preferred target form; every variant of the
    source language is matched. A do-not-translate concept keeps its source form everywhere.
    """

    id: str
    terms: dict[str, tuple[str, ...]]
    dnt: bool = False
    case_sensitive: bool = False
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    line: int = 0  # where it was read, for messages
    # plural:LANG columns: plural forms, aligned with the variants (the first is the preferred plural).
    # A source occurrence matching one is plural; a target plural is restored where the source is.
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # singular:LANG columns: singular forms, for an entry written in the plural ("colons").
    singulars: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source_only: bool = False  # a concept checked in the source only: no target term is expected
    # Forms computed once (passeur.glossary.morph); not content, and never copied by dataclasses.replace.
    _cache: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def targets(self, lang: str, source: str = "fr") -> tuple[str, ...]:
        """Allowed forms in lang, preferred first; empty when the glossary gives none."""
        if self.dnt:
            return tuple(dict.fromkeys(self.terms.get(source, ())[:1] + self.terms.get(lang, ())))
        return self.terms.get(lang, ())

    def preferred(self, lang: str, source: str = "fr") -> str | None:
        forms = self.targets(lang, source)
        return forms[0] if forms else None

    def form(self, lang: str, source: str = "fr", plural: bool = False) -> str | None:
        """The form to write in lang for an occurrence of that number (None where the glossary gives none)."""
        forms = self.forms(lang, source).of(plural)
        return forms[0] if forms else None

    def plural_entry(self, source: str = "fr") -> bool:
        """Whether the entry is written in the plural ("colons → settlers"): English says so where it
        can (its forms carry their number); else the source language's rules ("forces armées")."""
        key = ("plural_entry", source)
        if key not in self._cache:
            from passeur.glossary.morph import english, french
            from passeur.glossary.folding import fold

            english_kind = english.number(self.terms["en"][0])[0] if self.terms.get("en") and source != "en" else ""
            if english_kind in ("singular", "plural"):
                plural = english_kind == "plural"
            elif source == "fr" and self.terms.get(source):
                written = self.terms[source][0]
                plural = french.singular_phrase(fold(written, False), lowercase_only=written) is not None
            else:
                plural = False
            self._cache[key] = plural
        return self._cache[key]

    def forms(self, lang: str, source: str = "fr") -> Forms:
        """The term's singular and plural forms in lang (passeur.glossary.morph): the cells in the
        entry's number, the singular:/plural: columns, forms a library knows (English); for a
        do-not-translate concept, its source form in every language."""
        key = ("forms", lang, source)
        if key not in self._cache:
            from passeur.glossary.morph import Forms, morphology

            if self.dnt:
                forms = Forms(self.targets(lang, source), self.targets(lang, source))
            else:
                forms = morphology(lang).forms(self.terms.get(lang, ()), self.singulars.get(lang, ()),
                                               self.plurals.get(lang, ()), self.plural_entry(source))
            self._cache[key] = forms
        return self._cache[key]

    def forbidden_forms(self, lang: str, source: str = "fr") -> tuple[str, ...]:
        """The renderings the newsroom rejects in lang, in both numbers (a forbidden "terrorist" is
        forbidden as "terrorists" too), as the language's morphology makes them."""
        key = ("forbidden", lang, source)
        if key not in self._cache:
            from passeur.glossary.morph import morphology

            bad = self.forbidden.get(lang, ())
            self._cache[key] = morphology(lang).forms(bad, (), (), self.plural_entry(source)).all if bad else ()
        return self._cache[key]

    def plural_forms(self, lang: str, source: str = "fr") -> tuple[str, ...]:
        return self.forms(lang, source).plural


@dataclass(frozen=True)
class Layout:
    """How a glossary file was written, so that writing it back changes nothing nobody changed.

    Not content: two files that differ only in layout have the same content_hash().
    """

    columns: tuple[str, ...]  # the header, in the file's order
    comments: tuple[tuple[int, str], ...] = ()  # (table rows above it, the line as written); blank lines too
    newline: str = "\n"
    bom: bool = False
    delimiter: str = "\t"  # tab (TSV), comma or semicolon (CSV: a French spreadsheet writes semicolons)


@dataclass(frozen=True)
class Glossary:
    name: str
    languages: tuple[str, ...]  # column order; the first is the source language
    concepts: tuple[Concept, ...]
    path: str = ""
    layout: Layout | None = field(default=None, compare=False)  # as read from a TSV/CSV file
    warnings: tuple[str, ...] = field(default=(), compare=False)  # what validation found worth a look

    @property
    def source(self) -> str:
        return self.languages[0]

    def content_hash(self) -> str:
        """A short hash of the content (not the formatting, comments or file name): the same terms give the same hash."""
        content = [self.languages] + [[c.id, sorted(c.terms.items()), c.dnt, c.case_sensitive, sorted(c.forbidden.items()), c.note]
                                      + ([sorted(c.plurals.items())] if c.plurals else [])
                                      + ([sorted(c.singulars.items())] if c.singulars else [])
                                      + (["source-only"] if c.source_only else []) for c in self.concepts]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()[:6]

    @property
    def ident(self) -> str:
        """name@hash, e.g. newsroom@3f2a9c."""
        return f"{self.name}@{self.content_hash()}"

    def signature(self) -> str:
        return f"gloss:{self.ident}"

    def by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}
