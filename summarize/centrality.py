"""Sentence similarity and LexRank centrality with numpy alone (no sumy internals).

Sentences are bags of content-word stems weighted by tf-idf, where the "documents" of the idf
are the article's own sentences (as in LexRank). Continuous LexRank: the stationary
distribution of a random walk on the cosine-similarity graph, with damping.
"""

from __future__ import annotations

import numpy as np


def tfidf_matrix(bags: list[list[str]], extra: list[list[str]] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length tf-idf rows for the sentence bags, and for the extra bags (e.g. a title)
    weighted with the sentences' idf (a word the sentences never use weighs as a rare one)."""
    vocabulary: dict[str, int] = {}
    for bag in bags:
        for word in bag:
            vocabulary.setdefault(word, len(vocabulary))
    for bag in extra:
        for word in bag:
            vocabulary.setdefault(word, len(vocabulary))
    n = len(bags)

    def counts(group):
        matrix = np.zeros((len(group), max(1, len(vocabulary))))
        for row, bag in enumerate(group):
            for word in bag:
                matrix[row, vocabulary[word]] += 1.0
        return matrix

    tf = counts(bags)
    df = (tf > 0).sum(axis=0)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    rows = tf * idf
    other = counts(list(extra)) * idf
    return _unit(rows), _unit(other)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def cosine_matrix(rows: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarities of unit rows, with a zero diagonal."""
    similarity = rows @ rows.T
    np.fill_diagonal(similarity, 0.0)
    return similarity


def lexrank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 50, tolerance: float = 1e-6) -> np.ndarray:
    """Continuous LexRank scores, scaled so that their mean is 1 (comparable across articles)."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    sums = similarity.sum(axis=1, keepdims=True)
    # A sentence similar to none jumps anywhere.
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1.0), 1.0 / n)
    transition = damping * transition + (1.0 - damping) / n
    p = np.full(n, 1.0 / n)
    for _ in range(iterations):
        q = p @ transition
        if np.abs(q - p).sum() < tolerance:
            p = q
            break
        p = q
    return p * n
