"""Carrying glossary terms through translation: placeholders in, target terms out.

A source term found in a sentence is replaced by a placeholder (PSR0, PSR1, …) that
translation models copy through, across both hops of the English pivot. In each target
language the placeholder becomes the glossary's preferred form; Hebrew prefixes (ו ה ב ל מ ש כ)
and Arabic clitics (و ف ب ل ك, ال) that the model put before it are attached the way each
script does. Placeholders that the model mangled (spacing, case, other digits) are
recovered; one it lost is reported so that the pipeline can retry or fall back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from passeur.glossary.match import Occurrence
from passeur.glossary.model import Concept
from passeur.glossary.morph import at_sentence_start, morphology

def _letters(letters: str) -> str:
    """A regex for letters as models mangle them: any case, a space, dash, dot or underscore between."""
    return r"\s?[-_.]?\s?".join(f"[{c.upper()}{c.lower()}]" for c in letters)


@dataclass(frozen=True)
class Style:
    """How placeholders are written, and how to find them again in what a model made of them.

    Recovery tolerates what models do to such tokens (case, spaces, dashes, other digit scripts:
    "PSR 12", "psr12", "P SR-12", "PSR١٢"); no quantifier is nested, so it is linear.
    """

    name: str
    before: str  # letters before the number
    after: str = ""  # letters after it

    def format(self, number: int) -> str:
        return f"{self.before}{number}{self.after}"

    @cached_property
    def recover(self) -> re.Pattern:
        tail = (r"\s?[-_.]?\s?" + _letters(self.after) + r"(?![A-Za-z])") if self.after else ""
        return re.compile(rf"(?<![A-Za-z]){_letters(self.before)}\s?[-_.]?\s?(\d{{1,3}})(?!\d){tail}")


# Placeholder styles passeur can use; `passeur models calibrate` measures which one the installed
# models copy best. "none" protects nothing: every term goes through the fallback.
STYLES = {"psr": Style("psr", "PSR"), "xq": Style("xq", "XQ", "Z")}
NO_PROTECTION = "none"
DEFAULT_STYLE = "psr"


@dataclass
class Protected:
    source: str
    text: str
    slots: list[Occurrence] = field(default_factory=list)
    first: int = 0  # number of the first placeholder
    style: Style = STYLES[DEFAULT_STYLE]

    @property
    def protected(self) -> bool:
        """Whether placeholders were put in (a sentence without terms, or with placeholder-like text, has none)."""
        return self.text != self.source


def protect(sentence: str, occurrences: list[Occurrence], first: int = 0, style: str = DEFAULT_STYLE) -> Protected:
    """Replace each occurrence (found once, by TermMatcher.find) by a numbered placeholder (PSR{first}, …).

    With the style "none", or in a sentence that already holds something that looks like a
    placeholder of the style, nothing is replaced: its terms are enforced by the fallback.
    """
    chosen = STYLES.get(style)
    if not occurrences or chosen is None or chosen.recover.search(sentence):
        return Protected(sentence, sentence, list(occurrences), first, chosen or STYLES[DEFAULT_STYLE])
    pieces, last = [], 0
    for number, occurrence in enumerate(occurrences):
        pieces += [sentence[last:occurrence.start], chosen.format(first + number)]
        last = occurrence.end
    pieces.append(sentence[last:])
    return Protected(sentence, "".join(pieces), occurrences, first, chosen)


def is_common_noun(concept: Concept, source: str) -> bool:
    """Whether a concept is a common noun, not a name: the head of its English form is lowercase
    ("virus", "Israeli settlers"; not "Gaza Strip", "Israeli Ministry of Defense" or "IDF"). A common
    noun takes the article a sentence gives it."""
    from passeur.glossary.morph.english import head_noun

    english = concept.preferred("en", source) or ""
    return not concept.dnt and bool(english) and head_noun(english)[1][:1].islower()


def attach(prefix: str, term: str, lang: str, common: bool = False) -> str:
    """Join a Hebrew prefix or Arabic clitic to a term, as the script wants (the language's morphology
    module). A `common` term (a one-word common noun, not a name) keeps the Arabic article the model
    gave it: "الفيروسات"."""
    return morphology(lang).attach(prefix, term, common) if prefix else term


@dataclass
class Restored:
    text: str
    restored: list[Occurrence]
    lost: list[Occurrence]


def restore(translated: str, protected: Protected, lang: str, source: str) -> Restored:
    """Placeholders become the target term; report the slots the model lost.

    Only a sentence passeur put placeholders in is touched: text of the user's that looks
    like a placeholder ("PSR 4") is never rewritten, since such sentences are not protected.
    """
    if not protected.protected:
        return Restored(translated, [], list(protected.slots))
    slots = protected.slots
    seen: set[int] = set()
    pieces, last = [], 0
    morph = morphology(lang)
    written = ""  # the end of what is written so far: enough to tell a sentence's start, in constant time
    for match in protected.style.recover.finditer(translated):
        number = int(match.group(1)) - protected.first
        before = translated[last:match.start()]
        if not 0 <= number < len(slots):
            # An invented placeholder is model noise, not text: drop it and the space before it.
            following = translated[match.end():match.end() + 1]
            pieces.append(before if following.isalnum() else before.rstrip(" "))
            written = ("x" + (written + pieces[-1])[-8:]) if written or pieces[-1] else written
            last = match.end()
            continue
        concept = slots[number].concept
        term = concept.form(lang, source, slots[number].plural_in(lang)) or slots[number].text
        prefix = ""
        rule = getattr(morph, "BEFORE", None)
        if rule:
            found = rule.search(before)
            if found and (found.group(1) or found.group(2)):
                prefix = found.group(1) or found.group(2)
                before = before[:found.start()]
        if at_sentence_start(written + before) and term[:1].islower():
            term = term[0].upper() + term[1:]  # "settlers ont attaqué" begins a sentence: "Settlers…"
        if hasattr(morph, "agree"):
            before = morph.agree(before, term)  # English "a"/"an" before the term
        pieces += [before, attach(prefix, term, lang, is_common_noun(concept, source))]
        written = "x" + (written + before + pieces[-1])[-8:]  # "x": not the text's start any more
        seen.add(number)
        last = match.end()
    pieces.append(translated[last:])
    text = re.sub(r"  +", " ", "".join(pieces)).strip()
    return Restored(text, [s for i, s in enumerate(slots) if i in seen],
                    [s for i, s in enumerate(slots) if i not in seen])
