"""Which language an article is in, offline: stop words for Latin-script languages, script
for the others. Enough to warn a user who feeds passeur an English article as French."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

# ISO code -> sumy's stop-word list (package data, no download).
STOP_LISTS = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian",
              "pt": "portuguese", "pl": "polish", "cs": "czech", "sv": "swedish"}
SCRIPTS = {"ar": ("\u0600", "\u06ff"), "he": ("\u0590", "\u05ff"), "el": ("\u0370", "\u03ff"),
           "ru": ("\u0400", "\u04ff"), "zh": ("\u4e00", "\u9fff")}
NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
         "pl": "Polish", "cs": "Czech", "sv": "Swedish", "ar": "Arabic", "he": "Hebrew", "el": "Greek",
         "ru": "Russian (Cyrillic)", "zh": "Chinese"}
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def _stop_words(lang: str) -> frozenset[str]:
    text = resources.files("sumy").joinpath(f"data/stopwords/{STOP_LISTS[lang]}.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def detect(text: str, sample: int = 20_000) -> tuple[str | None, float]:
    """(language code, confidence 0..1), or (None, 0) for too little text."""
    text = text[:sample]
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return None, 0.0
    for lang, (low, high) in SCRIPTS.items():
        share = sum(low <= c <= high for c in letters) / len(letters)
        if share > 0.5:
            return lang, share
    words = [w.lower() for w in _WORD.findall(text)]
    # French elisions ("l'armée") leave one-letter words; they count for French.
    counts = Counter({lang: sum(w in _stop_words(lang) for w in words) for lang in STOP_LISTS})
    (best, top), (_, second) = counts.most_common(2)
    if top < 5:
        return None, 0.0
    return best, (top - second) / top


def language_warning(name: str, text: str, expected: str) -> str | None:
    """A one-line warning when text clearly is not in the expected language."""
    lang, confidence = detect(text)
    if lang is None or lang == expected or confidence < 0.3:
        return None
    return (f"{name}: looks like {NAMES.get(lang, lang)}, not {NAMES.get(expected, expected)}: "
            f"pass --source {lang} if it is (translating it as {expected} gives nonsense)")
