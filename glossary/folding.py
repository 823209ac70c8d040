"""Text as glossary matching compares it: accents and (unless case-sensitive) case set aside,
apostrophes made one, the length kept so that positions carry over to the original."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=16)
def fold(text: str, case: bool) -> str:
    """Accent- (and unless case, case-) insensitive form of text, the same length as text.

    Cached: a translation is searched once per term occurrence, and folding it each time made
    checking a sentence quadratic in its length."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() and ord(ch) < 0x0250 else ch
        if base in "’ʼ‘`´":
            base = "'"
        if not case:
            lower = base.lower()
            base = lower if len(lower) == 1 else base
        out.append(base)
    return "".join(out)
