"""Features of candidate summary sentences for passeur's learned summarizer (numpy only).

One row per candidate: its position among the candidates, length, overlap with the title (all
zero with title=None), centrality (LexRank, similarity to the whole article and to the lead),
redundancy with its neighbours, quotes, numbers and dates, proper names, code-like debris,
and how it starts (a pronoun or connective needs the sentences before it). What the words of
the sentence are worth comes from summarize.words. The training (bench/summary/train.py) and
the runtime call these same functions.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np

from passeur.summarize.centrality import cosine_matrix, lexrank, tfidf_matrix

_WORD = re.compile(r"\w+")
_CAPITAL = re.compile(r"(?<![\w’'])[A-ZÀ-ÖØ-Ý][\w’'-]*")
_ACRONYM = re.compile(r"\b[A-ZÀ-ÖØ-Ý]{2,}\b")
_QUOTED = re.compile(r"«[^»]*»?|\"[^\"]*\"?|“[^”]*”?")
_CODE = re.compile(r"[=;{}<>\\|]|window\.|https?:|www\.|\w+\.\w+\(|@\w")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MONEY = re.compile(r"€|\$|\beuros?\b|\bdollars?\b|\bmillions?\b|\bmilliards?\b", re.I)
_PERCENT = re.compile(r"%|\bpour ?cent\b", re.I)
_DAYS = re.compile(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd'hui|aujourd’hui)\b", re.I)
_MONTHS = re.compile(r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b", re.I)
_REPORTING = re.compile(
    r"\b(?:selon|a (?:annoncé|indiqué|déclaré|affirmé|expliqué|confirmé|précisé|assuré|estimé|révélé|dénoncé)|"
    r"ont (?:annoncé|indiqué|déclaré|affirmé|expliqué|confirmé|précisé)|annonce|rapporte|révèle|indique|"
    r"explique|affirme|déclare|estime|assure|précise)\b", re.I)
_NEWS_VERBS = re.compile(
    r"\b(?:a été|ont été|sera|seront|va|vont|devrait|pourrait|a décidé|a lancé|a condamné|a été condamné|"
    r"a été arrêté|est mort|sont morts|a été tué|ont été tués|blessés?|victimes?|interpellé|mis en examen)\b", re.I)
_PRONOUN_START = {"il", "elle", "ils", "elles", "on", "ce", "cela", "ça", "celui", "celle", "ceux", "lui", "leur", "y"}
_CONNECTIVE_START = {"mais", "et", "or", "donc", "pourtant", "cependant", "ainsi", "aussi", "toutefois", "néanmoins",
                     "enfin", "puis", "alors", "car", "d", "par", "de", "en", "outre", "sinon", "bref", "également"}
_DEMONSTRATIVE_START = {"cette", "ces", "cet", "son", "sa", "ses", "leurs", "celle", "dernier", "dernière"}

FEATURES = [
    "rank", "inv_rank", "is_first", "is_second", "is_third", "rel_rank", "candidates", "log_article_words",
    "words", "log_words", "content_words", "rel_words", "chars_per_word", "stop_ratio",
    "has_title", "title_recall", "title_precision", "title_cosine", "title_cosine_rank", "title_bigrams",
    "lexrank", "lexrank_rank", "doc_cosine", "doc_cosine_rank", "mean_cosine", "sim_first", "max_sim_before",
    "max_sim_after", "sim_next", "sim_previous",
    "quoted_share", "starts_quote", "odd_quotes", "colon", "question", "exclamation", "parenthesis",
    "numbers", "year", "money", "percent", "day", "month",
    "capitals", "capital_share", "acronyms", "new_capitals",
    "code", "non_word_share", "starts_pronoun", "starts_connective", "starts_demonstrative", "reporting",
    "news_verbs", "first_capitals_share",
]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's packaged French stop words, plus the one-letter elided forms (l', d', j'...)."""
    text = resources.files("sumy").joinpath("data/stopwords/french.txt").read_text("utf-8")
    words = {w.strip().lower() for w in text.split() if w.strip()}
    extra = ("le la les un une de des du au aux et ou à a en dans sur par pour pas ne se sa son ses leur leurs "
             "il elle ils elles on nous vous je tu qui que quoi dont où est sont été être avoir ont avait "
             "plus cette cet ce ces y lui mais comme avec sans sous entre après avant")
    return frozenset(words | set(extra.split()))


def _stem(word: str) -> str:
    # A light stem: French inflection and derivation mostly change the end of words.
    return word[:6]


def _content(tokens: list[str], stops: frozenset[str]) -> list[str]:
    return [_stem(t) for t in tokens if t not in stops and (len(t) > 1 or t.isdigit())]


def _rank_of(values: np.ndarray) -> np.ndarray:
    """0 for the highest value, 1 for the next... (ties broken by position)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def features(sentences: list[str], title: str | None, candidates: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """One row of FEATURES per candidate, and the candidates' cosine-similarity matrix."""
    stops = stop_words()
    texts = [sentences[i] for i in candidates]
    n = len(texts)
    lowered = [_WORD.findall(t.lower()) for t in texts]
    bags = [_content(tokens, stops) for tokens in lowered]
    title_tokens = _WORD.findall(title.lower()) if title else []
    title_bag = _content(title_tokens, stops)
    rows, title_rows = tfidf_matrix(bags, [title_bag])
    similarity = cosine_matrix(rows)
    scores = lexrank(similarity)
    total = rows.sum(axis=0)
    doc = np.array([float(rows[k] @ (total - rows[k])) / (np.linalg.norm(total - rows[k]) or 1.0) for k in range(n)])
    title_cos = rows @ title_rows[0] if title_bag else np.zeros(n)
    title_set = set(title_bag)
    title_pairs = set(zip(title_tokens, title_tokens[1:]))
    words = np.array([len(t.split()) for t in texts], dtype=float)
    article_words = float(words.sum())
    mean_words = article_words / max(1, n)
    seen_capitals: set[str] = set()
    out = np.zeros((n, len(FEATURES)))
    lex_rank, doc_rank, title_rank = _rank_of(scores), _rank_of(doc), _rank_of(title_cos)
    for k, text in enumerate(texts):
        tokens, bag = lowered[k], bags[k]
        bag_set = set(bag)
        capitals = _CAPITAL.findall(text)
        inner = capitals[1:] if capitals and text.lstrip("«\"“ ").startswith(capitals[0]) else capitals
        new = [c for c in inner if c not in seen_capitals]
        seen_capitals.update(inner)
        first = tokens[0] if tokens else ""
        quoted = sum(len(m) for m in _QUOTED.findall(text))
        quote_marks = text.count("«") + text.count("»") + text.count('"') + text.count("“") + text.count("”")
        letters = sum(ch.isalnum() or ch.isspace() for ch in text)
        overlap = len(bag_set & title_set)
        before = similarity[k, :k].max() if k else 0.0
        after = similarity[k, k + 1:].max() if k + 1 < n else 0.0
        out[k] = [
            min(k, 40), 1.0 / (1 + k), k == 0, k == 1, k == 2, k / max(1, n - 1), n, math.log1p(article_words),
            words[k], math.log1p(words[k]), len(bag), words[k] / (mean_words or 1.0),
            len(text) / max(1.0, words[k]), 1.0 - len(bag) / max(1, len(tokens)),
            bool(title_bag), overlap / max(1, len(title_set)), overlap / max(1, len(bag_set)), title_cos[k],
            title_rank[k] if title_bag else -1.0,
            len(title_pairs & set(zip(tokens, tokens[1:]))) / max(1, len(title_pairs)),
            scores[k], lex_rank[k], doc[k], doc_rank[k], similarity[k].sum() / max(1, n - 1),
            similarity[k, 0] if k else 1.0, before, after,
            similarity[k, k + 1] if k + 1 < n else 0.0, similarity[k, k - 1] if k else 0.0,
            quoted / max(1, len(text)), text.lstrip()[:1] in "«\"“—-", quote_marks % 2, ":" in text,
            "?" in text, "!" in text, "(" in text,
            sum(t.isdigit() for t in tokens), bool(_YEAR.search(text)), bool(_MONEY.search(text)),
            bool(_PERCENT.search(text)), bool(_DAYS.search(text)), bool(_MONTHS.search(text)),
            len(inner), len(inner) / max(1, len(tokens)), len(_ACRONYM.findall(text)), len(new),
            len(_CODE.findall(text)), 1.0 - letters / max(1, len(text)), first in _PRONOUN_START,
            first in _CONNECTIVE_START, first in _DEMONSTRATIVE_START, len(_REPORTING.findall(text)),
            len(_NEWS_VERBS.findall(text)), len(new) / max(1, len(inner)),
        ]
    return out, similarity
