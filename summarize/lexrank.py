"""LexRank centrality in numpy, and passeur's lead-weighted LexRank summarizer.

The same computation as sumy's LexRankSummarizer (Erkan and Radev 2004: idf-modified cosine
between sentences, a 0.1 threshold, the power method), written with matrix products so that
it is linear in the words of an article and quadratic only in its sentences (at most
summarize.base.MAX_CANDIDATES of them).
"""

from __future__ import annotations

import math
from collections import Counter

from passeur.summarize.base import Resources, Summarizer

THRESHOLD = 0.1
EPSILON = 0.1


def stems(resources: Resources, text: str) -> list[str]:
    """Content words of a sentence: lowercased, stop words out, stemmed."""
    words = (w.lower() for w in resources.tokenizer.to_words(text))
    return [resources.stemmer(w) for w in words if w not in resources.stop_words]


def centrality(sentences: list[list[str]], threshold: float = THRESHOLD, epsilon: float = EPSILON):
    """LexRank score of each sentence (a list of stems each); a numpy array."""
    import numpy

    count = len(sentences)
    if not count:
        return numpy.zeros(0)
    vocabulary: dict[str, int] = {}
    document_frequency: Counter = Counter()
    for words in sentences:
        document_frequency.update(set(words))
        for word in words:
            vocabulary.setdefault(word, len(vocabulary))
    idf = numpy.zeros(len(vocabulary))
    for word, column in vocabulary.items():
        idf[column] = math.log(count / (1 + document_frequency[word]))
    vectors = numpy.zeros((count, len(vocabulary)))
    for row, words in enumerate(sentences):
        tf = Counter(words)
        top = max(tf.values()) if tf else 1
        for word, n in tf.items():
            vectors[row, vocabulary[word]] = n / top * idf[vocabulary[word]]
    norms = numpy.linalg.norm(vectors, axis=1)
    norms[norms == 0] = numpy.inf
    unit = vectors / norms[:, None]
    adjacency = (unit @ unit.T > threshold).astype(float)
    degrees = adjacency.sum(axis=1)
    degrees[degrees == 0] = 1
    matrix = adjacency / degrees[:, None]
    scores = numpy.full(count, 1.0 / count)
    change = 1.0
    while change > epsilon:
        following = matrix.T @ scores
        following /= numpy.linalg.norm(following)
        change = numpy.linalg.norm(following - scores)
        scores = following
    return scores


class LexRankLead(Summarizer):
    """LexRank centrality divided by √(1 + position): news puts what matters first (lead bias)."""

    name = "lexrank-lead"

    def choose(self, article, candidates, count):
        import numpy

        scores = centrality([stems(self.resources, article.segments[i].text) for i in candidates])
        weights = scores / numpy.sqrt(1.0 + numpy.arange(len(candidates)))
        best = sorted(range(len(candidates)), key=lambda k: -weights[k])[:count]
        return [candidates[k] for k in best]
