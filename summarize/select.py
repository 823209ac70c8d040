"""Choosing summary sentences, and projecting them onto every language."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from summarize import DEFAULT_ALGORITHM, DEFAULT_SENTENCES, SUMMARIZERS
from translate.document import Article
from translate.errors import InputError

SNOWBALL = {"fr": "french", "en": "english", "ar": "arabic", "de": "german", "es": "spanish", "it": "italian"}
_WORD = re.compile(r"\w+", re.UNICODE)


class WordTokenizer:
    """sumy's tokenizer contract, on passeur's segmentation: sentences are already split."""

    def to_words(self, text: str) -> list[str]:
        # "l’armée" gives "armée": one-letter elided articles and pronouns carry no content.
        return [w for w in _WORD.findall(text) if len(w) > 1 or w.isdigit()]

    def to_sentences(self, text: str) -> list[str]:
        from translate.segment import split_sentences

        return split_sentences(text)


@dataclass(frozen=True)
class SummaryRequest:
    algorithm: str = DEFAULT_ALGORITHM
    sentences: int | None = DEFAULT_SENTENCES
    ratio: float | None = None  # share of the article's sentences, instead of a count

    def count(self, available: int) -> int:
        if self.ratio is not None:
            return max(1, round(self.ratio * available))
        return max(1, self.sentences or DEFAULT_SENTENCES)

    def signature(self) -> str:
        size = f"{self.ratio:g}r" if self.ratio is not None else str(self.sentences)
        return f"sum:{self.algorithm},{size}"


def candidates(article: Article) -> list[int]:
    """Sentences that may be in a summary: not the title, subheadings, captions, datelines or code."""
    return [i for i, s in enumerate(article.segments) if not s.heading and not s.verbatim]


def select(article: Article, request: SummaryRequest = SummaryRequest()) -> list[int]:
    """Indices of the summary sentences in the French article, in article order."""
    if request.algorithm not in SUMMARIZERS:
        raise InputError(f"unknown summarizer {request.algorithm!r}: choose one of {', '.join(SUMMARIZERS)}")
    pool = candidates(article)
    count = request.count(len(pool))
    if len(pool) <= count or request.algorithm == "lead":
        return pool[:count]
    if request.algorithm == "lexrank-lead":
        return _lexrank_lead(article, pool, count)
    return _sumy(article, pool, count, request.algorithm)


def _document(article: Article, pool: list[int]):
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = WordTokenizer()
    by_paragraph: dict[int, list] = {}
    order: dict[int, int] = {}
    for i in pool:
        sentence = Sentence(article.segments[i].text, tokenizer)
        by_paragraph.setdefault(article.segments[i].paragraph, []).append(sentence)
        order[id(sentence)] = i
    document = ObjectDocumentModel([Paragraph(sentences) for sentences in by_paragraph.values()])
    return document, order


def _language(article: Article) -> str:
    if article.lang not in SNOWBALL:
        raise InputError(f"no stemmer for {article.lang!r}: summaries work on {', '.join(SNOWBALL)}")
    return SNOWBALL[article.lang]


def _sumy(article: Article, pool: list[int], count: int, algorithm: str) -> list[int]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    module, _, name = SUMMARIZERS[algorithm].partition(":")
    language = _language(article)
    summarizer = getattr(importlib.import_module(module), name)(Stemmer(language))
    summarizer.stop_words = get_stop_words(language)
    document, order = _document(article, pool)
    chosen = summarizer(document, count)
    return sorted(order[id(s)] for s in chosen)


def _lexrank_lead(article: Article, pool: list[int], count: int) -> list[int]:
    """LexRank centrality weighted by position: news puts what matters first (lead bias).

    score(i) = centrality(i) / (1 + rank of i in the article) ** 0.5
    """
    import numpy

    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    language = _language(article)
    summarizer = LexRankSummarizer(Stemmer(language))
    summarizer.stop_words = get_stop_words(language)
    document, order = _document(article, pool)
    sentences = document.sentences
    words = [summarizer._to_words_set(s) for s in sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    centrality = summarizer.power_method(matrix, summarizer.epsilon)
    weights = numpy.asarray(centrality) / numpy.sqrt(1.0 + numpy.arange(len(sentences)))
    best = sorted(range(len(sentences)), key=lambda k: -weights[k])[:count]
    return sorted(order[id(sentences[k])] for k in best)


def project(indices: list[int], sentences: dict[str, list[str]]) -> dict[str, list[str]]:
    """The summary in every language: the aligned sentences at the chosen indices."""
    return {lang: [text[i] for i in indices] for lang, text in sentences.items()}
