"""Which language an article is in, offline: stop words for Latin-script languages, script
for the others. Enough to warn a user who feeds passeur an English article as French."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from passeur.languages import LANGUAGES, language

_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 40  # below this, stop words cannot tell languages apart reliably: say nothing
MIN_STOP_WORDS = 8


@lru_cache(maxsize=None)
def _stop_words(lang: str) -> frozenset[str]:
    name = language(lang).stop_words
    text = resources.files("sumy").joinpath(f"data/stopwords/{name}.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def detect(text: str, sample: int = 20_000) -> tuple[str | None, float]:
    """(language code, confidence 0..1), or (None, 0) for too little text to tell."""
    text = text[:sample]
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return None, 0.0
    for lang in LANGUAGES.values():
        if lang.script:
            low, high = lang.script
            share = sum(low <= c <= high for c in letters) / len(letters)
            if share > 0.5:
                return lang.code, share
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None, 0.0
    counts = Counter({code: sum(w in _stop_words(code) for w in words)
                      for code, lang in LANGUAGES.items() if lang.stop_words})
    (best, top), (_, second) = counts.most_common(2)
    if top < MIN_STOP_WORDS:
        return None, 0.0
    return best, (top - second) / top


def language_warning(name: str, text: str, expected: str) -> str | None:
    """A one-line warning when text clearly is not in the expected language."""
    lang, confidence = detect(text)
    if lang is None or lang == expected or confidence < 0.3:
        return None
    return (f"{name}: looks like {language(lang).name}, not {language(expected).name}: "
            f"pass --source {lang} if it is (translating it as {expected} gives nonsense)")


# Letters that only some Latin-script languages write: each one found counts as a stop word of theirs.
_LETTERS = {"fr": "éèêëàâçùûüôîïœ", "es": "ñáéíóúü¿¡", "de": "äöüß", "pt": "ãõçáéíóúâêôà", "it": "àèéìòù",
            "pl": "ąćęłńóśźż", "cs": "čďěňřšťůžáéíóúý", "sv": "åäö"}


def rank(text: str, candidates: list[str], sample: int = 20_000) -> list[tuple[str, float]]:
    """Every candidate with a confidence from 0 to 1, best first, however short the text.

    A language with a script of its own scores the share of letters in it; a Latin-script one
    the share of Latin letters, times its share of the stop words found. A stop word of several
    candidates ("a" is English and French) counts for none of them, unless no word tells them
    apart; a letter only some languages write (é, ñ, ß) counts as one of their stop words. Ties
    keep the candidates' order."""
    text = text[:sample]
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return [(code, 0.0) for code in candidates]
    latin = sum(c < "\u0250" for c in letters) / len(letters)
    words = [w.lower() for w in _WORD.findall(text)]
    latin_codes = [code for code in candidates if language(code).stop_words and not language(code).script]
    owners = [[code for code in latin_codes if w in _stop_words(code)] for w in words]
    lowered = text.lower()
    letters_of = {code: sum(lowered.count(ch) for ch in _LETTERS.get(code, "")) for code in latin_codes}
    hits = {code: sum(found == [code] for found in owners) + letters_of[code] for code in latin_codes}
    if not any(hits.values()):
        hits = {code: sum(code in found for found in owners) for code in latin_codes}
    total = sum(hits.values())
    scores = {}
    for code in candidates:
        lang = language(code)
        if lang.script:
            low, high = lang.script
            scores[code] = sum(low <= c <= high for c in letters) / len(letters)
        elif code in hits:
            scores[code] = latin * (hits[code] + 0.5) / (total + 0.5 * len(hits))
        else:
            scores[code] = 0.0
    return sorted(((code, round(score, 4)) for code, score in scores.items()), key=lambda item: -item[1])
