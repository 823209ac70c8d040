"""passeur's ROUGE: lowercased Unicode \\w+ tokens, no stemming, F1 (x100 when printed).

The usual ROUGE tokenizer keeps only [a-z0-9], which splits French accented words and drops
Arabic and Hebrew entirely. Shared by bench/rouge.py (the report) and bench/summary/train.py.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / candidate, overlap / reference
    return 2 * p * r / (p + r)


def ngrams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    c, r = ngrams(candidate, n), ngrams(reference, n)
    return f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    previous = [0] * (len(reference) + 1)
    for word in candidate:
        current = [0]
        for j, ref in enumerate(reference):
            current.append(previous[j] + 1 if word == ref else max(previous[j + 1], current[j]))
        previous = current
    return f1(previous[-1], len(candidate), len(reference))


def rouge(candidate: list[str], reference: list[str]) -> tuple[float, float, float]:
    return rouge_n(candidate, reference, 1), rouge_n(candidate, reference, 2), rouge_l(candidate, reference)
