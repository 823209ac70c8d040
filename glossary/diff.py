"""Comparing two versions of a glossary, and what a change does to published translations."""

from __future__ import annotations

from dataclasses import dataclass, field

from passeur.glossary.check import find_form
from passeur.glossary.match import TermMatcher
from passeur.glossary.protect import attach
from passeur.glossary.model import Concept, Glossary


@dataclass(frozen=True)
class Change:
    concept: str
    kind: str  # added | removed | changed
    field: str = ""  # fr, en, dnt, case, forbidden:ar, note...
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict:
        return {"concept": self.concept, "kind": self.kind, "field": self.field, "old": self.old, "new": self.new}


def _cells(concept: Concept, languages: list[str]) -> dict[str, str]:
    cells = {lang: " | ".join(concept.terms.get(lang, ())) for lang in languages}
    cells["dnt"] = "yes" if concept.dnt else ""
    cells["case"] = "sensitive" if concept.case_sensitive else ""
    for lang in sorted(concept.forbidden):
        cells[f"forbidden:{lang}"] = " | ".join(concept.forbidden[lang])
    cells["note"] = concept.note
    return cells


def diff(old: Glossary, new: Glossary) -> list[Change]:
    """Concepts added, removed and changed, field by field, in the new file's order."""
    languages = list(dict.fromkeys(old.languages + new.languages))
    before, after = old.by_id(), new.by_id()
    changes: list[Change] = []
    for concept in new.concepts:
        if concept.id not in before:
            cells = _cells(concept, languages)
            changes.append(Change(concept.id, "added", "", "", " / ".join(v for v in cells.values() if v)))
            continue
        old_cells, new_cells = _cells(before[concept.id], languages), _cells(concept, languages)
        for name in dict.fromkeys(list(old_cells) + list(new_cells)):
            if old_cells.get(name, "") != new_cells.get(name, ""):
                changes.append(Change(concept.id, "changed", name, old_cells.get(name, ""), new_cells.get(name, "")))
    for concept in old.concepts:
        if concept.id not in after:
            cells = _cells(concept, languages)
            changes.append(Change(concept.id, "removed", "", " / ".join(v for v in cells.values() if v), ""))
    return changes


@dataclass
class Impact:
    file: str
    sentence: int
    lang: str
    concept: str
    before: str
    after: str
    changes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"file": self.file, "sentence": self.sentence, "lang": self.lang, "concept": self.concept,
                "before": self.before, "after": self.after}


def impact(old: Glossary, new: Glossary, changes: list[Change], results: list) -> list[Impact]:
    """Sentences of translated articles (passeur.result.ArticleResult) that the change would alter.

    Only sentences holding a changed concept's source term are looked at, and the new term is
    put in place of the old one: nothing is translated again.
    """
    touched = {c.concept for c in changes}
    before, after = old.by_id(), new.by_id()
    old_matcher, new_matcher = TermMatcher(old), TermMatcher(new)
    impacts: list[Impact] = []
    for result in results:
        for index, sentence in enumerate(result.article.sentences):
            found = {o.concept.id for o in old_matcher.find(sentence)} | {o.concept.id for o in new_matcher.find(sentence)}
            for concept_id in sorted(found & touched):
                for lang, sentences in result.translations.items():
                    current = sentences[index]
                    if current is None:
                        continue  # not translated (a summary's JSON)
                    updated = _replace(current, before.get(concept_id), after.get(concept_id), lang, old.source)
                    if updated != current:
                        impacts.append(Impact(result.article.name, index, lang, concept_id, current, updated))
    return impacts


def _replace(text: str, old: Concept | None, new: Concept | None, lang: str, source: str) -> str:
    """Put the new preferred form where an old form stands (prefixes and clitics kept)."""
    new_form = new.preferred(lang, source) if new else None
    if old is None or new_form is None:
        return text
    stale = tuple(f for f in old.targets(lang, source) if f != new_form)
    found = find_form(text, stale, lang, old.case_sensitive)
    if not found:
        return text
    form, start, end = found
    # What stands before the form inside the match is a Hebrew prefix or Arabic clitic.
    prefix = text[start:end - len(form)].rstrip("-ـ") if end - start > len(form) else ""
    return text[:start] + attach(prefix, new_form, lang) + text[end:]
