"""passeur's learned extractive summarizer: a small tree ensemble scores each French sentence.

The model (summarize/data/learned.npz) was trained on OrangeSum's train split and every
setting chosen on its valid split (bench/summary/train.py). Here it is only applied, with the
standard library and numpy: features of each candidate sentence (position, length, overlap
with the title, centrality, quotes, numbers, proper names...), then the trees' summed leaf
values, then a choice of sentences with a redundancy penalty (MMR), up to a sentence count or
a word budget.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np

from passeur.errors import ModelError
from passeur.summarize.base import Summarizer
from passeur.summarize.features import FEATURES, LEXICAL, features, lexical_features

MODEL = "learned.npz"


class Trees:
    """A tree ensemble as flat arrays: node n tests x[feature[n]] <= threshold[n] (go left)
    or is a leaf (feature -1) with value[n]; prediction = sum over trees of the leaf values."""

    def __init__(self, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
                 value: np.ndarray, roots: np.ndarray, depth: int):
        self.feature, self.threshold, self.left, self.right = feature, threshold, left, right
        self.value, self.roots, self.depth = value, roots, depth

    def predict(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        nodes = np.repeat(self.roots[:, None], len(x), axis=1)  # (trees, rows)
        rows = np.arange(len(x))[None, :]
        for _ in range(self.depth):
            feature = self.feature[nodes]
            leaf = feature < 0
            go_left = x[rows, np.where(leaf, 0, feature)] <= self.threshold[nodes]
            nodes = np.where(leaf, nodes, np.where(go_left, self.left[nodes], self.right[nodes]))
        return self.value[nodes].sum(axis=0)


class LearnedScorer:
    def __init__(self, trees: Trees, meta: dict, digest: str,
                 lexicon: dict[str, tuple[float, float, float]] | None = None):
        self.trees, self.meta, self.digest, self.lexicon = trees, meta, digest, lexicon
        self.unknown_idf = float(meta.get("unknown_idf", 0.0))
        self.redundancy = float(meta.get("redundancy", 0.0))
        self.floor = meta.get("floor")  # sentences after the first need at least this score
        self.default_count = meta.get("count")
        self.default_words = meta.get("words")
        if list(meta.get("features", FEATURES)) != FEATURES + (LEXICAL if lexicon is not None else []):
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
            trees = Trees(arrays["feature"].astype(np.int64), arrays["threshold"], arrays["left"].astype(np.int64),
                          arrays["right"].astype(np.int64), arrays["value"], arrays["roots"].astype(np.int64),
                          int(meta["depth"]))
            lexicon = None
            if "lexicon_stems" in arrays:
                lexicon = dict(zip(arrays["lexicon_stems"].tolist(),
                                   zip(arrays["lexicon_worth"].tolist(), arrays["lexicon_idf"].tolist(),
                                       arrays["lexicon_cue"].tolist())))
        return cls(trees, meta, hashlib.sha256(data).hexdigest(), lexicon)

    def signature(self) -> str:
        size = f"{self.default_count}s" if self.default_count else f"{self.default_words}w"
        return f"learned-{self.digest[:6]},{size}"

    def _scored(self, sentences, title, candidates):
        x, similarity = features(sentences, title, candidates)
        if self.lexicon is not None:
            x = np.hstack([x, lexical_features(sentences, candidates, self.lexicon, self.unknown_idf)])
        return self.trees.predict(x), similarity, x

    def scores(self, sentences: list[str], paragraphs: list[int], title: str | None,
               candidates: list[int]) -> list[float]:
        """One score per candidate (higher: more worth a place in the summary)."""
        if not candidates:
            return []
        return [float(s) for s in self._scored(sentences, title, list(candidates))[0]]

    def select(self, sentences: list[str], paragraphs: list[int], title: str | None, candidates: list[int],
               count: int | None = None, words: int | None = None) -> list[int]:
        """The summary sentences' indices, in article order.

        count: that many sentences; words: sentences in order of merit while the summary stays
        within that many words (at least one); neither: the default size chosen on valid."""
        candidates = list(candidates)
        if not candidates:
            return []
        if count is None and words is None:
            count, words = self.default_count, self.default_words
        score, similarity, _ = self._scored(sentences, title, candidates)
        lengths = [len(sentences[i].split()) for i in candidates]
        chosen = choose(score, similarity, lengths, count, words, self.redundancy, self.floor)
        return sorted(candidates[k] for k in chosen)


def choose(score: np.ndarray, similarity: np.ndarray, lengths: list[int], count: int | None,
           words: int | None, redundancy: float, floor: float | None = None) -> list[int]:
    """MMR: repeatedly take the best score minus redundancy x (highest similarity to the chosen).

    With a word budget, stop before the first sentence that would overflow it, or whose score
    is below floor (the first sentence is always taken). A count is always filled."""
    n = len(score)
    limit = n if count is None else max(1, min(count, n))
    chosen: list[int] = []
    total = 0
    closest = np.zeros(n)
    available = np.ones(n, dtype=bool)
    while len(chosen) < limit and available.any():
        merit = np.where(available, score - redundancy * closest, -np.inf)
        best = int(np.argmax(merit))
        if words is not None and chosen and (total + lengths[best] > words or
                                             (floor is not None and score[best] < floor)):
            break
        chosen.append(best)
        total += lengths[best]
        available[best] = False
        closest = np.maximum(closest, similarity[best])
    return chosen


class Learned(Summarizer):
    """passeur's default summarizer: the learned scorer, at the length chosen on OrangeSum's valid split."""

    name = "learned"

    def __init__(self, resources):
        super().__init__(resources)
        self.scorer = LearnedScorer.load()
        self.default_count = self.scorer.default_count

    def choose(self, article, candidates, count):
        paragraphs = [segment.paragraph for segment in article.segments]
        return self.scorer.select(article.sentences, paragraphs, article.title or None, candidates, count=count)

    def signature(self, count: int | None) -> str:
        count = self.default_count if count is None else count
        return f"{self.name}-{self.scorer.digest[:6]},{count if count is not None else 'auto'}"
