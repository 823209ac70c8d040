"""Comparing two versions of a glossary, and what a change does to published translations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from passeur.glossary.check import form_pattern
from passeur.glossary.morph import at_sentence_start
from passeur.glossary.morph.english import indefinite
from passeur.glossary.match import TermMatcher, fold
from passeur.glossary.model import Concept, Glossary
from passeur.glossary.protect import attach, is_common_noun

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    """One field of one concept: a language's terms (en), dnt, case, forbidden:LANG or note.

    An added or removed concept is one Change per field it fills, so that each language's terms
    come labelled, as for a changed concept."""

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
    for lang in sorted(concept.plurals):
        cells[f"plural:{lang}"] = " | ".join(concept.plurals[lang])
    cells["note"] = concept.note
    return cells


def diff(old: Glossary, new: Glossary) -> list[Change]:
    """Concepts added, removed and changed, field by field, in the new file's order (removed
    concepts last). The layout (column order, comments) is not content: it never shows here."""
    languages = list(dict.fromkeys(old.languages + new.languages))
    before, after = old.by_id(), new.by_id()
    changes: list[Change] = []
    for concept in new.concepts:
        if concept.id not in before:
            changes += [Change(concept.id, ADDED, name, "", value)
                        for name, value in _cells(concept, languages).items() if value]
            continue
        old_cells, new_cells = _cells(before[concept.id], languages), _cells(concept, languages)
        for name in dict.fromkeys(list(old_cells) + list(new_cells)):
            if old_cells.get(name, "") != new_cells.get(name, ""):
                changes.append(Change(concept.id, CHANGED, name, old_cells.get(name, ""), new_cells.get(name, "")))
    for concept in old.concepts:
        if concept.id not in after:
            changes += [Change(concept.id, REMOVED, name, value, "")
                        for name, value in _cells(concept, languages).items() if value]
    return changes


@dataclass
class Impact:
    file: str
    sentence: int  # 0-based index into the article's sentences, as in passeur's JSON
    lang: str
    concept: str
    before: str
    after: str
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (as it stood, what stands now), in order

    def to_dict(self) -> dict:
        return {"file": self.file, "sentence": self.sentence, "lang": self.lang, "concept": self.concept,
                "before": self.before, "after": self.after,
                "replaced": [{"old": old, "new": new} for old, new in self.replaced]}


def impact(old: Glossary, new: Glossary, changes: list[Change], results: list) -> list[Impact]:
    """Sentences of translated articles (passeur.result.ArticleResult) that the change would alter.

    Only sentences holding a changed concept's source term are looked at, and the new term is
    put in place of the old one, the sentence kept grammatical around it (see replace_term):
    nothing is translated again. Untranslated sentences (null in summarize's JSON) are skipped.
    """
    touched = {c.concept for c in changes}
    if not touched:
        return []
    before, after = old.by_id(), new.by_id()
    old_matcher, new_matcher = TermMatcher(old), TermMatcher(new)
    impacts: list[Impact] = []
    for result in results:
        for index, sentence in enumerate(result.article.sentences):
            found = {o.concept.id for o in old_matcher.find(sentence)} | {o.concept.id for o in new_matcher.find(sentence)}
            for concept_id in sorted(found & touched):
                for lang, sentences in result.translations.items():
                    current = sentences[index]
                    if current is None or lang == result.article.lang:
                        continue  # not translated (a summary's JSON)
                    updated, replaced = replace_term(current, before.get(concept_id), after.get(concept_id), lang,
                                                     old.source)
                    if updated != current:
                        impacts.append(Impact(result.article.name, index, lang, concept_id, current, updated, replaced))
    return impacts


# --- putting a new term where an old one stands --------------------------------------------

_ARTICLE = re.compile(r"(?i)(the|an|a)\s+(?=\S)")


def _english(span: str, article: str | None, new_form: str, at_start: bool) -> str:
    """What replaces span (an old form, with the sentence's article before it when article is
    set): the sentence keeps its article ("in the West Bank" stays so when the term becomes "the
    West Bank": never "the the"), a term's own article follows the new form, or stays when the
    new form has none ("the Guardian" → "Guardian" keeps "the"), a/an agrees, and a sentence
    still begins with a capital."""
    own = _ARTICLE.match(new_form)
    bare = new_form[own.end():] if own else new_form
    if article:
        text = f"{indefinite(article, bare)} {bare}"
    elif own:
        text = new_form
    else:
        old_own = _ARTICLE.match(span)
        text = f"{indefinite(old_own.group(1), bare)} {bare}" if old_own else new_form
    if at_start and span[:1].isupper() and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


def replace_term(text: str, old: Concept | None, new: Concept | None, lang: str, source: str) -> tuple[str, list[tuple[str, str]]]:
    """Put the new term wherever a form of the old one stands, in the same number ("yellow vests" →
    "yellow jackets"), keeping the sentence grammatical around it: Hebrew prefixes (ב + הגדה = בגדה),
    Arabic clitics and article (ل + الضفة = للضفة), English articles (never "the the"). Returns the
    text and each (old span, new span)."""
    if old is None or new is None or not new.forms(lang, source).all:
        return text, []
    old_forms, new_forms = old.forms(lang, source), new.forms(lang, source)
    stale = sorted(old_forms.all, key=len, reverse=True)
    folded = fold(text, old.case_sensitive)
    found = []
    for form in stale:
        plural = old_forms.number_of(form)
        found += [(m, new_forms.of(bool(plural))[0])
                  for m in form_pattern(form, lang, old.case_sensitive, articles=True,
                                        common=is_common_noun(old, source)).finditer(folded)]
    found.sort(key=lambda item: (item[0].start(), -(item[0].end() - item[0].start())))
    pieces, replaced, last = [], [], 0
    for match, new_form in found:
        start, end = match.span()
        if start < last:
            continue  # inside a longer form already replaced
        if lang == "en":
            article = text[slice(*match.span("article"))] if match.group("article") else None
            new_text = _english(text[start:end], article, new_form, at_sentence_start(text[:start]))
        else:
            new_text = attach(text[slice(*match.span("prefix"))], new_form, lang, is_common_noun(new, source))
        if new_text == text[start:end]:
            continue
        pieces += [text[last:start], new_text]
        replaced.append((text[start:end], new_text))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), replaced
