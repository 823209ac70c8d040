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
