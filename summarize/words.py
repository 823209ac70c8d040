"""Which words of an article its abstract will use: the word model of passeur's learned summarizer.

ROUGE counts words shared with the journalist's abstract, and so does a reader skimming a
summary for the story's who, what and where. For each distinct word of an article, a small
tree ensemble estimates the chance that the abstract uses it, from what the word is (how
often abstracts keep it when their article uses it, learned on OrangeSum's training articles
and shipped as a table) and what it does in this article (how often, how early, capitalized,
in the title). From those chances, the expected number of words a set of sentences shares
with the abstract follows, with repeated words counted as ROUGE counts them (a word the
abstract uses once matches once). Pairs of adjacent words (ROUGE-2's bigrams) get their chance
from their two words' chances, through a small logistic model fitted on the training articles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from passeur.summarize.features import stop_words

_WORD = re.compile(r"\w+")  # ROUGE's tokens: lowercased Unicode words
COPIES = 4  # expected matches are counted up to this many copies of a word in a summary

WORD_FEATURES = [
    "rate", "idf", "cue", "known", "stop", "tf", "tf_share", "sentence_share", "first", "first_share",
    "in_first", "capital_share", "digit", "length", "in_title", "has_title", "sentences", "log_tokens",
]
# Features of a candidate sentence from its words (appended to summarize.features'): what the table
# says of its content words, and what the word model expects it to share with the abstract.
SENTENCE_WORDS = ["rate_mean", "rate_max", "rate_top3", "idf_mean", "unknown_share", "cue_mean", "cue_max", "cue_min",
                  "expected_matches", "expected_content", "expected_f1", "expected_precision", "chance_max",
                  "chance_top3", "expected_bigrams", "expected_bigram_f1"]


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class WordTable:
    """What training taught about each frequent word: log-odds that an abstract keeps it when its
    article uses it (rate), its rarity across articles (idf), log-odds that a sentence using it
    is one a journalist's abstract draws on (cue), and how often an abstract that uses it uses it
    2, 3, 4 times (repeat)."""

    index: dict[str, int]
    rate: np.ndarray
    idf: np.ndarray
    cue: np.ndarray
    repeat: np.ndarray  # (words, COPIES - 1): P(at least j+2 copies | at least one)
    unknown: tuple[float, float, float]  # rate, idf and cue of a word the table does not hold
    unknown_repeat: np.ndarray

    def rows(self, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rate, idf, cue, known) columns and the repeat rows for these words."""
        ids = np.array([self.index.get(w, -1) for w in words], dtype=np.int64)
        known = ids >= 0
        safe = np.where(known, ids, 0)
        columns = np.stack([np.where(known, self.rate[safe], self.unknown[0]),
                            np.where(known, self.idf[safe], self.unknown[1]),
                            np.where(known, self.cue[safe], self.unknown[2]), known.astype(float)], axis=1)
        repeat = np.where(known[:, None], self.repeat[safe], self.unknown_repeat[None, :]) if len(words) else \
            np.zeros((0, COPIES - 1))
        return columns, repeat, known


@dataclass
class ArticleWords:
    """The distinct words of an article's candidate sentences, their features, and each sentence as word ids."""

    vocabulary: list[str]
    x: np.ndarray  # (words, WORD_FEATURES)
    sentences: list[np.ndarray]  # per candidate: its tokens as vocabulary ids, in order
    repeat: np.ndarray

    def gains(self, chance: np.ndarray) -> np.ndarray:
        """(words, COPIES + 1): expected matches with the abstract of 0..COPIES copies of each word."""
        steps = np.hstack([np.ones((len(chance), 1)), self.repeat]) * chance[:, None]
        return np.hstack([np.zeros((len(chance), 1)), np.cumsum(steps, axis=1)])


def article_words(texts: list[str], title: str | None, table: WordTable) -> ArticleWords:
    """Word features for the candidate sentences `texts` (in article order)."""
    stops = stop_words()
    index: dict[str, int] = {}
    sentences, first, sentence_count, count, capitals = [], [], [], [], []
    for k, text in enumerate(texts):
        raw = _WORD.findall(text)
        ids = []
        seen = set()
        for position, word in enumerate(raw):
            lower = word.lower()
            i = index.get(lower)
            if i is None:
                i = index[lower] = len(index)
                first.append(k)
                sentence_count.append(0)
                count.append(0)
                capitals.append(0)
            ids.append(i)
            count[i] += 1
            if position and word[:1].isupper():
                capitals[i] += 1
            if i not in seen:
                seen.add(i)
                sentence_count[i] += 1
        sentences.append(np.array(ids, dtype=np.int64))
    vocabulary = list(index)
    n, total = max(1, len(texts)), max(1, sum(count))
    title_words = set(tokens(title)) if title else set()
    table_columns, repeat, _ = table.rows(vocabulary)
    own = np.array([[w in stops or len(w) < 2, c, c / total, s / n, min(f, 40), f / n, f == 0, cap / c,
                     w.isdigit(), len(w), w in title_words]
                    for w, c, s, f, cap in zip(vocabulary, count, sentence_count, first, capitals)],
                   dtype=float).reshape(len(vocabulary), 11)
    article = np.tile([bool(title_words), len(texts), math.log1p(total)], (len(vocabulary), 1))
    x = np.hstack([table_columns[:, :3], table_columns[:, 3:4], own, article])
    return ArticleWords(vocabulary, x, sentences, repeat)


def counts(words: ArticleWords, groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each group's distinct words and their copies, flattened: (group of each entry, word id, copies)."""
    group_of = np.concatenate([np.full(sum(len(words.sentences[k]) for k in g), n, dtype=np.int64)
                               for n, g in enumerate(groups)] + [np.zeros(0, dtype=np.int64)])
    ids = np.concatenate([words.sentences[k] for g in groups for k in g] + [np.zeros(0, dtype=np.int64)])
    size = max(1, len(words.vocabulary))
    keys, copies = np.unique(group_of * size + ids, return_counts=True)
    return keys // size, keys % size, copies


def expected_matches(words: ArticleWords, gains: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """Expected words each group of candidate sentences (positions in `texts`) shares with the abstract."""
    group_of, ids, copies = counts(words, groups)
    return np.bincount(group_of, gains[ids, np.minimum(copies, COPIES)], minlength=len(groups))


def _top(group: np.ndarray, values: np.ndarray, n: int, k: int) -> np.ndarray:
    """Per group (0..n-1): the sum of its k largest values (0 for a group without any)."""
    order = np.lexsort((-values, group))
    group, values = group[order], values[order]
    rank = np.arange(len(group)) - np.searchsorted(group, group)  # 0 for each group's largest
    return np.bincount(group[rank < k], values[rank < k], minlength=n)


def sentence_features(words: ArticleWords, chance: np.ndarray, reference_tokens: float, bigrams: ArticleBigrams,
                      bigram_chance: np.ndarray) -> np.ndarray:
    """One row of SENTENCE_WORDS per candidate sentence (its distinct words and bigrams, each counted once)."""
    n = len(words.sentences)
    group, ids, copies = counts(words, [[k] for k in range(n)])
    matches = words.gains(chance)[ids, np.minimum(copies, COPIES)]
    content = words.x[ids, WORD_FEATURES.index("stop")] == 0
    own, own_ids = group[content], ids[content]
    size = np.maximum(1, np.bincount(own, minlength=n))
    rate, idf, cue, known = (words.x[own_ids, WORD_FEATURES.index(f)] for f in ("rate", "idf", "cue", "known"))
    expected = np.bincount(group, matches, minlength=n)
    length = np.array([len(s) for s in words.sentences], dtype=float)
    columns = [
        np.bincount(own, rate, minlength=n) / size, _top(own, rate, n, 1), _top(own, rate, n, 3),
        np.bincount(own, idf, minlength=n) / size, 1 - np.bincount(own, known, minlength=n) / size,
        np.bincount(own, cue, minlength=n) / size, _top(own, cue, n, 1), -_top(own, -cue, n, 1),
        expected, np.bincount(group, matches * content, minlength=n), 2 * expected / (length + reference_tokens),
        expected / np.maximum(1.0, length), _top(own, chance[own_ids], n, 1), _top(own, chance[own_ids], n, 3)]
    pairs = expected_bigrams(bigrams, bigram_chance, [[k] for k in range(n)])
    columns += [pairs, 2 * pairs / (length + reference_tokens)]
    return np.stack(columns, axis=1)


# The chance that the abstract uses a bigram of the article, from its two words: a logistic model
# over these columns (fitted in bench/summary/train.py, weights in the model file).
BIGRAM_FEATURES = ["bias", "logit_first", "logit_second", "logit_product", "stop_first", "stop_second", "stop_both",
                   "log_count", "first_sentence", "capital_first", "capital_second", "digit_first", "digit_second",
                   "rate_first", "rate_second", "pair_rate", "pair_known"]


@dataclass(frozen=True)
class BigramTable:
    """What training taught about each frequent bigram: log-odds that an abstract keeps it when its
    article uses it ("a été", "le gouvernement", "emmanuel macron")."""

    index: dict[str, int]  # "first second" -> row
    rate: np.ndarray
    unknown: float  # the rate of a bigram the table does not hold


@dataclass
class ArticleBigrams:
    """The distinct bigrams of an article's candidate sentences, and each sentence's as bigram ids."""

    sentences: list[np.ndarray]
    x: np.ndarray  # (bigrams, BIGRAM_FEATURES)
    pairs: tuple[np.ndarray, np.ndarray]  # the two word ids of each bigram


def article_bigrams(words: ArticleWords, chance: np.ndarray, table: BigramTable) -> ArticleBigrams:
    size = max(1, len(words.vocabulary))
    keys = [ids[:-1] * size + ids[1:] for ids in words.sentences]
    every = np.concatenate(keys + [np.zeros(0, dtype=np.int64)])
    distinct, inverse, count = np.unique(every, return_inverse=True, return_counts=True)
    ends = np.cumsum([len(k) for k in keys])
    sentences = np.split(inverse, ends[:-1]) if keys else []
    first = np.full(len(distinct), 10.0)
    for k in range(min(10, len(sentences)) - 1, -1, -1):  # the first sentence (up to 10) using each bigram
        first[sentences[k]] = k
    a, b = distinct // size, distinct % size
    p = np.clip(chance, 1e-4, 1 - 1e-4)
    logit = np.log(p / (1 - p))
    stop, capital, digit, rate = (words.x[:, WORD_FEATURES.index(f)] for f in ("stop", "capital_share", "digit", "rate"))
    vocabulary = words.vocabulary
    rows = np.array([table.index.get(f"{vocabulary[i]} {vocabulary[j]}", -1) for i, j in zip(a.tolist(), b.tolist())],
                    dtype=np.int64)
    known = rows >= 0
    pair_rate = np.where(known, table.rate[np.maximum(rows, 0)] if len(table.rate) else 0.0, table.unknown)
    x = np.stack([np.ones(len(distinct)), logit[a], logit[b], logit[a] * logit[b], stop[a], stop[b], stop[a] * stop[b],
                  np.log1p(count), first, capital[a], capital[b], digit[a], digit[b], rate[a], rate[b], pair_rate,
                  known.astype(float)], axis=1)
    return ArticleBigrams(sentences, x, (a, b))


def bigram_chances(bigrams: ArticleBigrams, weights: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(bigrams.x @ weights)))


def expected_bigrams(bigrams: ArticleBigrams, chance: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """Expected distinct bigrams each group of candidate sentences shares with the abstract (within a
    sentence: the pairs across the gap between two sentences are left out)."""
    size = max(1, len(chance))
    group_of = np.concatenate([np.full(sum(len(bigrams.sentences[k]) for k in g), n, dtype=np.int64)
                               for n, g in enumerate(groups)] + [np.zeros(0, dtype=np.int64)])
    ids = np.concatenate([bigrams.sentences[k] for g in groups for k in g] + [np.zeros(0, dtype=np.int64)])
    keys = np.unique(group_of * size + ids)
    return np.bincount(keys // size, chance[keys % size], minlength=len(groups))
