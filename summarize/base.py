"""The summarizer interface, its language resources, and choosing an article's summary.

A summarizer is called as `summarizer(article, count)` (or `words=` for a word budget) and
returns sentence indices in article order, chosen among the running-text sentences only
(titles, subheadings, captions, datelines, bylines and code are never quoted) and closed over
the units of summarize.readable (whole quotations, an antecedent for a first sentence that
points back). Neither count nor words lets the summarizer use its own default length.
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
from passeur.summarize.readable import readable, units

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
    """Chooses summary sentences in an article. Subclasses implement `choose` (and may implement
    `choose_within` for a word budget)."""

    name = ""
    default_count: int | None = DEFAULT_SENTENCES
    default_words: int | None = None
    max_candidates: int | None = MAX_CANDIDATES

    def __init__(self, resources: Resources):
        self.resources = resources

    def __call__(self, article: Article, count: int | None = None, words: int | None = None) -> list[int]:
        """Indices of the summary sentences, in article order: at most `count` sentences, or
        within `words` words, or the summarizer's default length; always whole units
        (summarize.readable), so a quotation may add its other sentences to the count."""
        pool = article.body()[:self.max_candidates]
        paragraphs = [segment.paragraph for segment in article.segments]
        found = units(article.sentences, pool, paragraphs, article.title or None)
        candidates = [i for unit in found for i in unit.indices]
        if not candidates:
            return []
        if count is None and words is None:
            count, words = self.default_count, self.default_words
        if words is not None:
            chosen = self.choose_within(article, candidates, words)
        elif count is not None and len(candidates) <= count:
            chosen = candidates
        else:
            chosen = self.choose(article, candidates, count)
        return readable(chosen, found)

    @abstractmethod
    def choose(self, article: Article, candidates: list[int], count: int | None) -> list[int]:
        """The chosen indices among candidates (count is None only for summarizers with their own length)."""

    def choose_within(self, article: Article, candidates: list[int], words: int) -> list[int]:
        """The longest of the summarizer's choices (1, 2... sentences) that keeps within `words` words (at least one sentence)."""
        best = self.choose(article, candidates, 1)
        for count in range(2, len(candidates) + 1):
            chosen = self.choose(article, candidates, count)
            if sum(len(article.segments[i].text.split()) for i in chosen) > words:
                break
            best = chosen
        return best

    def identity(self) -> str:
        """The summarizer's name, and what tells its versions apart (a model's hash)."""
        return self.name

    def default_size(self) -> str:
        if self.default_words is not None:
            return f"{self.default_words}w"
        return str(self.default_count) if self.default_count is not None else "auto"


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
    """Which summarizer and how long: a number of sentences, a word budget, a share of the
    article's sentences, or the algorithm's default."""

    algorithm: str = DEFAULT_ALGORITHM
    sentences: int | None = None
    ratio: float | None = None
    words: int | None = None

    def count(self, available: int) -> int | None:
        if self.ratio is not None:
            return max(1, round(self.ratio * available))
        return self.sentences

    def size(self) -> str | None:
        if self.ratio is not None:
            return f"{self.ratio:g}r"
        if self.words is not None:
            return f"{self.words}w"
        return str(self.sentences) if self.sentences is not None else None

    def signature(self, summarizer: Summarizer | None = None) -> str:
        """"learned-9ee19d,40w": the summarizer's own identity (a model's hash included) and the length."""
        if summarizer is None:
            return f"{self.algorithm},{self.size() or 'auto'}"
        return f"{summarizer.identity()},{self.size() or summarizer.default_size()}"


def choose_summary(article: Article, summarizer: Summarizer, request: SummaryRequest) -> list[int]:
    return summarizer(article, request.count(len(article.body())), request.words)


def project(indices: list[int], sentences: dict[str, list]) -> dict[str, list]:
    """The summary in every language: the aligned sentences at the chosen indices."""
    return {lang: [text[i] for i in indices] for lang, text in sentences.items()}
