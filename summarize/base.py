"""The summarizer interface, its language resources, and choosing an article's summary.

A summarizer is called as `summarizer(article, count)` and returns sentence indices in
article order, chosen among the running-text sentences only (titles, subheadings, captions,
datelines, bylines and code are never quoted). `count=None` lets the summarizer use its own
default length.
"""

from __future__ import annotations

import importlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from passeur.article import Article
from passeur.errors import InputError
from passeur.languages import language
from passeur.summarize import DEFAULT_ALGORITHM, SUMMARIZERS

DEFAULT_SENTENCES = 2  # for the algorithms without a length of their own: the abstracts are one or two sentences
# Summaries quote from the first MAX_CANDIDATES sentences of running text: news puts what matters
# first, and graph methods are quadratic in the sentences they compare (LexRank on 4,000 sentences
# took 41 s). Lead takes the first sentences anyway.
MAX_CANDIDATES = 600
_WORD = re.compile(r"\w+")


class WordTokenizer:
    """sumy's tokenizer contract, on passeur's segmentation: sentences are already split."""

    def to_words(self, text: str) -> list[str]:
        # "l’armée" gives "armée": one-letter elided articles and pronouns carry no content.
        return [w for w in _WORD.findall(text) if len(w) > 1 or w.isdigit()]

    def to_sentences(self, text: str) -> list[str]:
        return [text]


@dataclass(frozen=True)
class Resources:
    """What a summarizer needs of a language: a tokenizer, a stemmer and stop words (passed in, as in sumy)."""

    lang: str
    tokenizer: WordTokenizer
    stemmer: object  # callable word -> stem
    stop_words: frozenset[str]

    @classmethod
    def for_language(cls, lang: str) -> "Resources":
        facts = language(lang)
        if not facts.stemmer:
            raise InputError(f"no stemmer for {lang!r}: summaries work on French (and "
                             "English, German, Spanish, Italian, Portuguese); pass --source fr")
        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        stop_words = frozenset(get_stop_words(facts.stop_words)) if facts.stop_words else frozenset()
        return cls(lang, WordTokenizer(), Stemmer(facts.stemmer), stop_words)


class Summarizer(ABC):
    """Chooses summary sentences in an article. Subclasses implement `choose`."""

    name = ""
    default_count: int | None = DEFAULT_SENTENCES
    max_candidates: int | None = MAX_CANDIDATES

    def __init__(self, resources: Resources):
        self.resources = resources

    def __call__(self, article: Article, count: int | None = None) -> list[int]:
        """Indices of the summary sentences, in article order; at most `count` (None: the default length)."""
        pool = article.body()[:self.max_candidates]
        count = self.default_count if count is None else count
        if not pool:
            return []
        if count is not None and len(pool) <= count:
            return pool
        return sorted(set(self.choose(article, pool, count)))

    @abstractmethod
    def choose(self, article: Article, candidates: list[int], count: int | None) -> list[int]:
        """The chosen indices among candidates (count is None only for summarizers with their own length)."""

    def signature(self, count: int | None) -> str:
        count = self.default_count if count is None else count
        return f"{self.name},{count if count is not None else 'auto'}"


class Lead(Summarizer):
    """The first sentences: the baseline on news."""

    name = "lead"

    def choose(self, article, candidates, count):
        return candidates[:count]


def make_summarizer(algorithm: str = DEFAULT_ALGORITHM, lang: str = "fr") -> Summarizer:
    if algorithm not in SUMMARIZERS:
        raise InputError(f"unknown summarizer {algorithm!r}: choose one of {', '.join(SUMMARIZERS)}")
    module, _, name = SUMMARIZERS[algorithm].partition(":")
    summarizer = getattr(importlib.import_module(module), name)(Resources.for_language(lang))
    summarizer.name = algorithm
    return summarizer


@dataclass(frozen=True)
class SummaryRequest:
    """Which summarizer and how long: a number of sentences, a share of the article, or the algorithm's default."""

    algorithm: str = DEFAULT_ALGORITHM
    sentences: int | None = None
    ratio: float | None = None

    def count(self, available: int) -> int | None:
        if self.ratio is not None:
            return max(1, round(self.ratio * available))
        return self.sentences

    def signature(self, summarizer: Summarizer | None = None) -> str:
        if self.ratio is not None:
            size = f"{self.ratio:g}r"
        elif self.sentences is not None:
            size = str(self.sentences)
        else:
            size = summarizer.signature(None).split(",", 1)[1] if summarizer else "auto"
        return f"{self.algorithm},{size}"


def choose_summary(article: Article, summarizer: Summarizer, request: SummaryRequest) -> list[int]:
    return summarizer(article, request.count(len(article.body())))


def project(indices: list[int], sentences: dict[str, list]) -> dict[str, list]:
    """The summary in every language: the aligned sentences at the chosen indices."""
    return {lang: [text[i] for i in indices] for lang, text in sentences.items()}
