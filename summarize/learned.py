"""passeur's learned extractive summarizer: small tree ensembles and a choice within a word budget.

The model (summarize/data/learned.npz) was trained on OrangeSum's train split and every
setting chosen on its valid split (bench/summary/train.py). Here it is only applied, with the
standard library and numpy:

1. the units a reader can take whole (summarize.readable: quotations whole, no sentence that
   repeats the title, is cut short or has a subheading glued to it);
2. the word model (summarize.words): the chance that the journalist's abstract uses each word
   of the article, hence the words a set of sentences can be expected to share with it; and
   from the words' chances and a table of bigrams, the chance of each pair of adjacent words;
3. the sentence model: features of each sentence (position, length, title overlap,
   centrality, quotes, numbers, names, word statistics and the word and bigram models'
   expectations), then the trees' summed leaf values, standardized within the article;
4. the choice: among sets of up to a few of the best units that fit the word budget (or the
   sentence count) and open on a sentence that stands alone, the one with the best expected
   ROUGE-1 F1 (expected shared words against the expected abstract length) plus a weight times
   the expected ROUGE-2 F1, plus a weight times the sentences' standardized scores.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from passeur.errors import ModelError
from passeur.summarize.base import Summarizer
from passeur.summarize.features import FEATURES, features
from passeur.summarize.readable import Unit, units
from passeur.summarize.words import (BIGRAM_FEATURES, SENTENCE_WORDS, WORD_FEATURES, ArticleBigrams, ArticleWords,
                                     BigramTable, WordTable, article_bigrams, article_words, bigram_chances,
                                     expected_bigrams, expected_matches, sentence_features)

MODEL = "learned.npz"


class Trees:
    """A tree ensemble as flat arrays: node n tests x[feature[n]] <= threshold[n] (go left)
    or is a leaf (feature -1) with value[n]; prediction = sum over trees of the leaf values."""

    def __init__(self, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
                 value: np.ndarray, roots: np.ndarray, depth: int):
        self.feature, self.threshold, self.left, self.right = feature, threshold, left, right
        self.value, self.roots, self.depth = value, roots, depth

    @classmethod
    def from_arrays(cls, arrays, prefix: str, depth: int) -> "Trees":
        def get(name):
            return arrays[prefix + name]

        return cls(get("feature").astype(np.int64), get("threshold").astype(np.float64),
                   get("left").astype(np.int64), get("right").astype(np.int64), get("value").astype(np.float64),
                   get("roots").astype(np.int64), depth)

    def predict(self, x: np.ndarray) -> np.ndarray:
        n, width = x.shape if x.ndim == 2 else (0, 0)
        if not n:
            return np.zeros(0)
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        node = np.repeat(self.roots, n)  # every (tree, row) pair walks down its tree
        row = np.tile(np.arange(n), len(self.roots))
        total = np.zeros(n)
        while len(node):
            feature = self.feature[node]
            leaf = feature < 0
            if leaf.any():  # pairs that reached their leaf add its value and leave the walk
                total += np.bincount(row[leaf], self.value[node[leaf]], minlength=n)
                walking = ~leaf
                node, row, feature = node[walking], row[walking], feature[walking]
            left = flat[row * width + feature] <= self.threshold[node]
            node = np.where(left, self.left[node], self.right[node])
        return total


@dataclass(frozen=True)
class Choice:
    """How the summary is chosen from the scored units (every value chosen on valid)."""

    words: int  # the default word budget
    top: int  # units considered: the best by their own merit (and the antecedents they need)
    most: int  # units in a summary at most
    weight: float  # of the sentence model's standardized scores against the expected ROUGE-1 F1
    reference_tokens: float  # the expected length of an abstract, in ROUGE tokens
    bigrams: float = 0.0  # weight of the expected ROUGE-2 F1 (bigrams shared with the abstract)


@dataclass
class Scored:
    """An article's readable units and what the models say of their sentences."""

    found: list[Unit]
    pool: list[int]  # the units' sentences, in article order
    z: np.ndarray  # the sentence model's score of each pool sentence, standardized within the article
    words: ArticleWords
    gains: np.ndarray  # expected matches of 0..COPIES copies of each word
    lengths: list[int]  # whitespace words of each pool sentence
    bigrams: ArticleBigrams | None = None
    bigram_chance: np.ndarray | None = None  # the chance that the abstract uses each bigram


class LearnedScorer:
    def __init__(self, trees: Trees, word_trees: Trees, table: WordTable, bigram_table: BigramTable, meta: dict,
                 digest: str):
        self.trees, self.word_trees, self.table, self.meta, self.digest = trees, word_trees, table, meta, digest
        self.bigram_table = bigram_table
        self.choice = Choice(**meta["choice"])
        # the abstract length the sentence features were trained with (the choice tunes its own)
        self.feature_tokens = float(meta["feature_reference_tokens"])
        self.bigram_weights = np.array(meta["bigram_weights"], dtype=np.float64)
        if meta["bigram_features"] != BIGRAM_FEATURES:
            raise ValueError("the model was trained on other bigram features than this passeur computes")
        if list(meta["features"]) != FEATURES + SENTENCE_WORDS or list(meta["word_features"]) != WORD_FEATURES:
            raise ValueError("the model was trained on other features than this passeur computes")

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LearnedScorer":
        if path is None:
            data = resources.files("passeur.summarize").joinpath(f"data/{MODEL}").read_bytes()
        else:
            data = Path(path).read_bytes()

        try:
            return cls._from_bytes(data)
        except (zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError, TypeError) as err:
            where = path or f"passeur's {MODEL}"
            raise ModelError(f"{where}: the summarizer's model cannot be read ({type(err).__name__}: {err}): "
                             "reinstall passeur, or choose another summarizer with --algorithm") from None

    @classmethod
    def _from_bytes(cls, data: bytes) -> "LearnedScorer":
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            trees = Trees.from_arrays(arrays, "", int(meta["depth"]))
            word_trees = Trees.from_arrays(arrays, "word_", int(meta["word_depth"]))
            words = str(arrays["table_words"]).split("\n")
            table = WordTable({w: k for k, w in enumerate(words)}, arrays["table_rate"].astype(np.float64),
                              arrays["table_idf"].astype(np.float64), arrays["table_cue"].astype(np.float64),
                              arrays["table_repeat"].astype(np.float64), tuple(meta["table_unknown"]),
                              np.array(meta["table_unknown_repeat"]))
            pairs = str(arrays["bigram_table_pairs"]).split("\n")
            bigram_table = BigramTable({p: k for k, p in enumerate(pairs)},
                                       arrays["bigram_table_rate"].astype(np.float64), float(meta["bigram_unknown"]))
        return cls(trees, word_trees, table, bigram_table, meta, hashlib.sha256(data).hexdigest())

    @property
    def default_words(self) -> int:
        return self.choice.words

    def identity(self) -> str:
        return f"learned-{self.digest[:6]}"

    def signature(self) -> str:
        return f"{self.identity()},{self.choice.words}w"

    def matrix(self, sentences: list[str], title: str | None, pool: list[int]) -> tuple[np.ndarray, ArticleWords,
                                                                                          np.ndarray, ArticleBigrams,
                                                                                          np.ndarray]:
        """The sentence features of the pool (one row per sentence), its words and bigrams and their chances."""
        x, _ = features(sentences, title, pool)
        words = article_words([sentences[i] for i in pool], title, self.table)
        chance = 1.0 / (1.0 + np.exp(-self.word_trees.predict(words.x)))
        bigrams = article_bigrams(words, chance, self.bigram_table)
        pairs = bigram_chances(bigrams, self.bigram_weights)
        x = np.hstack([x, sentence_features(words, chance, self.feature_tokens, bigrams, pairs)])
        return x, words, chance, bigrams, pairs

    def scores(self, sentences: list[str], paragraphs: list[int], title: str | None,
               candidates: list[int]) -> list[float]:
        """The sentence model's score of each candidate, as given (higher: more worth a place in the summary)."""
        if not candidates:
            return []
        x = self.matrix(sentences, title, list(candidates))[0]
        return [float(s) for s in self.trees.predict(x)]

    def score(self, sentences: list[str], paragraphs: list[int] | None, title: str | None,
              candidates: list[int]) -> Scored | None:
        found = units(sentences, list(candidates), paragraphs, title)
        if not found:
            return None
        pool = [i for unit in found for i in unit.indices]
        x, words, chance, bigrams, pairs = self.matrix(sentences, title, pool)
        return Scored(found, pool, standardized(self.trees.predict(x)), words, words.gains(chance),
                      [len(sentences[i].split()) for i in pool], bigrams, pairs)

    def select(self, sentences: list[str], paragraphs: list[int] | None, title: str | None, candidates: list[int],
               count: int | None = None, words: int | None = None) -> list[int]:
        """The summary sentences' indices, in article order: whole units, within `words` words
        (default: the budget chosen on valid) or, given `count`, at most that many sentences."""
        scored = self.score(sentences, paragraphs, title, candidates)
        if scored is None:
            return []
        if count is None and words is None:
            words = self.choice.words
        return choose(scored, self.choice, words=words, count=count)


def standardized(score: np.ndarray) -> np.ndarray:
    spread = score.std()
    return (score - score.mean()) / spread if spread > 0 else np.zeros(len(score))


def choose(scored: Scored, choice: Choice, words: int | None = None, count: int | None = None) -> list[int]:
    """The best set of units (article indices of their sentences) by expected ROUGE-1 F1, plus
    choice.bigrams x the expected ROUGE-2 F1, plus choice.weight x the length-weighted mean
    standardized score. A set opens on a unit that stands alone and keeps within `words` words
    or `count` sentences; with a count, the sets with the most sentences win."""
    found, z, reference = scored.found, scored.z, choice.reference_tokens
    position = {i: k for k, i in enumerate(scored.pool)}
    members = [[position[i] for i in unit.indices] for unit in found]
    tokens = np.array([len(s) for s in scored.words.sentences], dtype=float)
    unit_tokens = np.array([tokens[m].sum() for m in members])
    unit_merit = np.array([(z[m] * tokens[m]).sum() for m in members]) / np.maximum(1.0, unit_tokens)
    alone = expected_matches(scored.words, scored.gains, members)
    prior = 2 * alone / (unit_tokens + reference) + choice.weight * unit_merit
    pairs = choice.bigrams and scored.bigrams is not None
    if pairs:
        prior += choice.bigrams * 2 * expected_bigrams(scored.bigrams, scored.bigram_chance, members) / (
            unit_tokens + reference)
    top = sorted(range(len(found)), key=lambda u: -prior[u])[:choice.top]
    for u in list(top):  # a unit that points back brings the one before it, when it is there
        if not found[u].opens and u > 0 and found[u - 1].indices[-1] == found[u].indices[0] - 1 and u - 1 not in top:
            top.append(u - 1)
    top.sort()
    unit_words = [sum(scored.lengths[k] for k in m) for m in members]
    sets = []
    for size in range(1, choice.most + 1):
        for combo in itertools.combinations(top, size):
            if not found[combo[0]].opens:
                continue
            if words is not None and sum(unit_words[u] for u in combo) > words:
                continue
            if count is not None and sum(len(members[u]) for u in combo) > count:
                continue
            sets.append(combo)
    if not sets:  # nothing fits: the best unit that stands alone, whatever its length
        openers = [u for u in range(len(found)) if found[u].opens] or list(range(len(found)))
        return list(found[max(openers, key=lambda u: prior[u])].indices)
    groups = [[k for u in combo for k in members[u]] for combo in sets]
    expected = expected_matches(scored.words, scored.gains, groups)
    length = np.array([unit_tokens[list(combo)].sum() for combo in sets])
    merit = np.array([(unit_merit[list(combo)] * unit_tokens[list(combo)]).sum() for combo in sets])
    value = 2 * expected / (length + reference) + choice.weight * merit / np.maximum(1.0, length)
    if pairs:
        value += choice.bigrams * 2 * expected_bigrams(scored.bigrams, scored.bigram_chance, groups) / (
            length + reference)
    if count is not None:
        sentences = np.array([len(g) for g in groups])
        value = np.where(sentences == sentences.max(), value, -np.inf)
    best = sets[int(np.argmax(value))]
    return [i for u in best for i in found[u].indices]


class Learned(Summarizer):
    """passeur's default summarizer: the learned scorer, within the word budget chosen on OrangeSum's valid split."""

    name = "learned"
    default_count = None

    def __init__(self, resources):
        super().__init__(resources)
        self.scorer = LearnedScorer.load()
        self.default_words = self.scorer.default_words

    def _select(self, article, candidates, count=None, words=None):
        paragraphs = [segment.paragraph for segment in article.segments]
        return self.scorer.select(article.sentences, paragraphs, article.title or None, candidates,
                                  count=count, words=words)

    def choose(self, article, candidates, count):
        return self._select(article, candidates, count=count)

    def choose_within(self, article, candidates, words):
        return self._select(article, candidates, words=words)

    def identity(self) -> str:
        return self.scorer.identity()
