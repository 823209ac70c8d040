"""Train passeur's learned extractive summarizer on OrangeSum; choose every setting on valid.

    bench/summary/run.sh                  # makes the training venv, then runs this
    python bench/summary/train.py [--seed 13] [--out summarize/data/learned.npz]

Data: ../shared/eval/orangesum_train/{train,valid}.jsonl.gz (OrangeSum Abstract, CC BY-SA 4.0).
The test split is never read here.

1. Each article body is split with passeur's segmenter and grouped into the units a summary
   may quote (summarize.readable); their sentences are the candidates. Sentence features are
   those of the runtime (summarize.features), with the journalist's title and with title=None,
   so that one model serves both.
2. Labels: the greedy ROUGE oracle against the journalist's abstract (add the sentence that
   most raises ROUGE-1 + ROUGE-2 F1, stop when nothing raises it), the same oracle kept within
   the word budget (ORACLE_WORDS: what a summary can reach), each sentence's own ROUGE F1, for
   each word of an article whether the abstract uses it, and for each bigram the same.
3. Word statistics (summarize.words.WordTable) come from the training articles, each training
   article's own from the other folds (its abstract never leaks in).
4. The word model (LightGBM, binary) is cross-fitted on two halves of train: each half's
   chances come from the model fitted on the other half, and the shipped model is the two
   halves' average. A logistic bigram model (summarize.words.BIGRAM_FEATURES: the chance that
   the abstract uses a bigram, from its two words' chances) is fitted on training articles with
   the other half's word model. The sentence model (LightGBM LambdaRank, SENTENCE_MODELS seeds
   averaged) is fitted on train with the word and bigram models' expectations among its
   features.
5. On valid, the choice (summarize.learned.choose: units considered, the sentence score's
   weight, the expected abstract length, the word budget, the weight of the expected ROUGE-2)
   is searched for the best mean of R-1 + R-2 over valid with and without titles, among
   settings whose summaries average at most MAX_LENGTH times the abstracts' words, with titles
   and without.
6. The trees are exported to flat numpy arrays (summarize/data/learned.npz), checked to give
   LightGBM's own predictions, with the seed and the valid figures in the metadata.

Prepared articles are cached under bench/out/summary-cache/ (keyed by the code they depend
on), so a re-run only trains. Single process, one thread: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from passeur.summarize.features import FEATURES, features  # noqa: E402
from passeur.summarize.learned import Choice, Scored, Trees, choose, standardized  # noqa: E402
from passeur.summarize.readable import Unit, units  # noqa: E402
from passeur.summarize.words import (BIGRAM_FEATURES, COPIES, SENTENCE_WORDS, WORD_FEATURES,  # noqa: E402
                                     BigramTable, WordTable, article_bigrams, article_words, bigram_chances,
                                     sentence_features)
from passeur.translate.segment import split_sentences  # noqa: E402
from unicode_rouge import f1, ngrams, rouge_l, tokens  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "orangesum_train"
CACHE = ROOT / "bench" / "out" / "summary-cache"
PREP_VERSION = "4"
FOLDS = 4  # the training articles' word statistics come from the other folds (no leak of their own abstract)
TABLE_MIN = 10  # a word (or stem) needs this many training articles to get its own statistics
BIGRAM_TABLE_MIN = 20  # and a bigram this many
# Summaries may average at most this many times the abstracts' words on valid, with titles and without
# (each): a margin below the quarter more that a reader of a briefing would notice.
MAX_LENGTH = 1.2
ORACLE_WORDS = 50  # the oracle the sentence model learns from keeps within this many words
BUDGETS = (45, 50)  # the default word budget (a ceiling: summaries average less) is one of these
TOPS = (10,)
MOST = 3
WEIGHTS = (0.02, 0.04, 0.07)
REFERENCE = (1.0, 1.15)  # x the mean abstract length in tokens on train
BIGRAMS = (0.0, 0.5, 1.0)  # weights of the expected ROUGE-2 F1
BIGRAM_ARTICLES = 4000  # training articles the bigram model is fitted on
# Small on purpose: it runs on every word of an article (30-leaf, 200-tree models gained 0.1 R-1 on
# valid for three times the time).
WORD_MODEL = {"objective": "binary", "learning_rate": 0.15, "num_leaves": 15, "max_depth": 6, "min_data_in_leaf": 200,
              "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0}
WORD_ROUNDS = 100
SENTENCE_MODEL = {"objective": "lambdarank", "lambdarank_truncation_level": 10, "label_gain": [0, 1, 3, 7, 15],
                  "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 100, "feature_fraction": 0.8,
                  "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0}
SENTENCE_ROUNDS = (500, 800)
SENTENCE_MODELS = 1  # seeds averaged (2 gained 0.05 R-1 + R-2 on valid for twice the trees)
COMMON = {"num_threads": 1, "deterministic": True, "force_row_wise": True, "verbose": -1}


def code_key(*paths: str) -> str:
    digest = hashlib.sha256(PREP_VERSION.encode())
    for path in paths:
        digest.update((ROOT / path).read_bytes())
    return digest.hexdigest()[:12]


def rouge12(candidate: list[str], reference_grams: tuple) -> tuple[float, float]:
    r1, r2 = reference_grams
    c1, c2 = ngrams(candidate, 1), ngrams(candidate, 2)
    return (f1(sum((c1 & r1).values()), sum(c1.values()), sum(r1.values())),
            f1(sum((c2 & r2).values()), sum(c2.values()), sum(r2.values())))


def oracle(sentence_tokens: list[list[str]], reference: list[str], limit: int = 4, lengths: list[int] | None = None,
           budget: int | None = None) -> list[int]:
    """Greedy extractive oracle: add the sentence that most raises R-1 + R-2 F1 (and keeps the
    summary within `budget` words, given the sentences' `lengths`)."""
    grams = (ngrams(reference, 1), ngrams(reference, 2))
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < limit:
        pick, pick_score = None, best
        used = sum(lengths[k] for k in chosen) if budget else 0
        for k in range(len(sentence_tokens)):
            if k in chosen or (budget and chosen and used + lengths[k] > budget):
                continue
            summary = [w for j in sorted(chosen + [k]) for w in sentence_tokens[j]]
            score = sum(rouge12(summary, grams))
            if score > pick_score:
                pick, pick_score = k, score
        if pick is None:
            break
        chosen.append(pick)
        best = pick_score
    return sorted(chosen)


def prepare_key() -> str:
    return code_key("summarize/features.py", "summarize/centrality.py", "summarize/readable.py",
                    "translate/segment.py", "translate/data/abbreviations.fr.txt", "bench/summary/unicode_rouge.py")


def prepare(split: str, limit: int | None = None) -> list[dict]:
    """Per article: the candidate sentences (the readable units' sentences), their features
    with and without the title, the units (as positions among the candidates) and the labels."""
    path = CACHE / f"{split}-{prepare_key()}{f'-first{limit}' if limit else ''}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    started = time.perf_counter()
    articles = []
    with gzip.open(DATA / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
        for number, line in enumerate(f):
            if limit and number == limit:
                break
            row = json.loads(line)
            sentences = split_sentences(row["article"])
            reference = tokens(row["abstract"])
            title = row.get("title") or None
            # Candidates as at run time without a title (OrangeSum bodies never repeat theirs).
            found = units(sentences, list(range(len(sentences))))
            pool = [i for unit in found for i in unit.indices]
            if not pool or not reference:
                continue
            position = {i: k for k, i in enumerate(pool)}
            texts = [sentences[i] for i in pool]
            with_title, _ = features(sentences, title, pool)
            without_title, similarity = features(sentences, None, pool)
            sentence_tokens = [tokens(s) for s in texts]
            grams = (ngrams(reference, 1), ngrams(reference, 2))
            articles.append({
                "id": row["id"], "title": title, "texts": texts, "reference": reference,
                "abstract_words": len(row["abstract"].split()),
                "units": [Unit(tuple(position[i] for i in u.indices), u.words, u.opens) for u in found],
                "x_title": with_title, "x_none": without_title,
                "oracle": oracle(sentence_tokens, reference),
                "own": np.array([rouge12(t, grams) for t in sentence_tokens], dtype=np.float32),
                "lengths": [len(s.split()) for s in texts]})
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # an interrupted run leaves no half file behind
    with partial.open("wb") as f:
        pickle.dump(articles, f, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    print(f"  {split}: {len(articles)} articles segmented, featurized and labelled in "
          f"{time.perf_counter() - started:.0f} s (cached in {path.relative_to(ROOT)})")
    return articles


# --- word statistics ---------------------------------------------------------------------------

def word_counts(articles: list[dict]) -> dict:
    """Counts behind WordTable, over these articles."""
    used, kept, in_sentences, in_oracle = Counter(), Counter(), Counter(), Counter()
    copies = [Counter() for _ in range(COPIES)]  # copies[j][w]: abstracts using w at least j+1 times
    for a in articles:
        sentence_words = [set(tokens(t)) for t in a["texts"]]
        body = set().union(*sentence_words)
        abstract = Counter(a["reference"])
        used.update(body)
        kept.update(w for w in body if w in abstract)
        for w in body:
            for j in range(min(abstract[w], COPIES)):
                copies[j][w] += 1
        chosen = set(a["oracle"])
        for k, words in enumerate(sentence_words):
            in_sentences.update(words)
            if k in chosen:
                in_oracle.update(words)
    return {"n": len(articles), "used": used, "kept": kept, "copies": copies, "in_sentences": in_sentences,
            "in_oracle": in_oracle}


def combined(parts: list[dict], sign: int = 1) -> dict:
    """The counts of several sets of articles together (sign -1: the first without the others)."""
    out = {"n": parts[0]["n"] + sign * sum(p["n"] for p in parts[1:])}
    for key in ("used", "kept", "in_sentences", "in_oracle"):
        out[key] = parts[0][key].copy()
        for p in parts[1:]:
            out[key].update({w: sign * c for w, c in p[key].items()})
    out["copies"] = [c.copy() for c in parts[0]["copies"]]
    for p in parts[1:]:
        for mine, theirs in zip(out["copies"], p["copies"]):
            mine.update({w: sign * c for w, c in theirs.items()})
    return out


def shipped(values) -> np.ndarray:
    """Values as the model file stores them (float32), so that training sees what passeur will."""
    return np.array(values, dtype=np.float32).astype(np.float64)


def log_odds(yes: float, no: float) -> float:
    return math.log((yes + 0.5) / (no + 0.5))


def word_table(counts: dict) -> WordTable:
    used, kept, copies = counts["used"], counts["kept"], counts["copies"]
    frequent = sorted(w for w, c in used.items() if c >= TABLE_MIN)
    rare_used = sum(c for w, c in used.items() if c < TABLE_MIN)
    rare_kept = sum(kept[w] for w, c in used.items() if c < TABLE_MIN)
    rare_copies = [sum(copies[j][w] for w, c in used.items() if c < TABLE_MIN) for j in range(COPIES)]
    sentences, oracle_ = counts["in_sentences"], counts["in_oracle"]
    cue_prior = log_odds(sum(oracle_.values()), sum(sentences.values()) - sum(oracle_.values()))
    unknown_repeat = np.array([rare_copies[j] / max(1, rare_copies[0]) for j in range(1, COPIES)])

    def repeat(w):
        # shrunk towards the rare words' rates: 5 pseudo-abstracts
        return [(copies[j][w] + 5 * unknown_repeat[j - 1]) / (copies[0][w] + 5) for j in range(1, COPIES)]

    return WordTable(
        {w: k for k, w in enumerate(frequent)},
        shipped([log_odds(kept[w], used[w] - kept[w]) for w in frequent]),
        shipped([math.log(counts["n"] / used[w]) for w in frequent]),
        shipped([log_odds(oracle_[w], sentences[w] - oracle_[w]) - cue_prior for w in frequent]),
        shipped([repeat(w) for w in frequent]).reshape(len(frequent), COPIES - 1),
        (log_odds(rare_kept, rare_used - rare_kept), math.log(counts["n"] / TABLE_MIN), 0.0), unknown_repeat)


def bigram_counts(articles: list[dict]) -> tuple[Counter, Counter]:
    """For each bigram ("first second"): the articles using it, and those whose abstract uses it too."""
    used, kept = Counter(), Counter()
    for a in articles:
        body = set()
        for text in a["texts"]:
            words = tokens(text)
            body.update(f"{x} {y}" for x, y in zip(words, words[1:]))
        abstract = {f"{x} {y}" for x, y in zip(a["reference"], a["reference"][1:])}
        used.update(body)
        kept.update(body & abstract)
    return used, kept


def bigram_tables(train: list[dict], fold: np.ndarray) -> tuple[list[BigramTable], BigramTable]:
    """Each fold's table (from the other folds' articles) and the whole training set's."""
    parts = [bigram_counts([a for a, g in zip(train, fold) if g == f]) for f in range(FOLDS)]
    used, kept = Counter(), Counter()
    for part_used, part_kept in parts:
        used.update(part_used)
        kept.update(part_kept)

    def table(drop: tuple[Counter, Counter] | None) -> BigramTable:
        drop_used, drop_kept = drop or (Counter(), Counter())
        counts = {p: (c - drop_used[p], kept[p] - drop_kept[p]) for p, c in used.items() if c >= BIGRAM_TABLE_MIN}
        frequent = sorted(p for p, (u, _) in counts.items() if u >= BIGRAM_TABLE_MIN)
        rare_used = sum(c for c in used.values()) - sum(drop_used.values()) - sum(counts[p][0] for p in frequent)
        rare_kept = sum(kept.values()) - sum(drop_kept.values()) - sum(counts[p][1] for p in frequent)
        return BigramTable({p: k for k, p in enumerate(frequent)},
                           shipped([log_odds(counts[p][1], counts[p][0] - counts[p][1]) for p in frequent]),
                           float(shipped([log_odds(rare_kept, rare_used - rare_kept)])[0]))

    return [table(part) for part in parts], table(None)


# --- models -----------------------------------------------------------------------------------

def word_rows(a: dict, table: WordTable, title: str | None):
    words = article_words(a["texts"], title, table)
    abstract = set(a["reference"])
    return words, np.array([w in abstract for w in words.vocabulary], dtype=float)


def fit_word_model(articles: list[dict], tables: list[WordTable], seed: int):
    import lightgbm

    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for a, table in zip(articles, tables):
        words, y = word_rows(a, table, a["title"] if rng.random() < 0.5 else None)
        xs.append(words.x)
        ys.append(y)
    dataset = lightgbm.Dataset(np.vstack(xs), np.concatenate(ys), feature_name=WORD_FEATURES, free_raw_data=True)
    return lightgbm.train({**WORD_MODEL, **COMMON, "seed": seed}, dataset, num_boost_round=WORD_ROUNDS)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method (a handful of columns)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


def fit_bigram_model(articles: list[dict], tables: list[WordTable], pair_tables: list[BigramTable], chances: list,
                     seed: int) -> np.ndarray:
    """The bigram model's weights (summarize.words.BIGRAM_FEATURES): whether the abstract uses each
    bigram of a training article, from its words' chances as the other half's word model gives them."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for k in sorted(rng.choice(len(articles), min(BIGRAM_ARTICLES, len(articles)), replace=False)):
        a = articles[k]
        words = article_words(a["texts"], a["title"] if rng.random() < 0.5 else None, tables[k])
        bigrams = article_bigrams(words, chances[k](words.x), pair_tables[k])
        abstract = set(zip(a["reference"], a["reference"][1:]))
        first, second = bigrams.pairs
        xs.append(bigrams.x)
        ys.append(np.array([(words.vocabulary[i], words.vocabulary[j]) in abstract for i, j in zip(first, second)],
                           dtype=float))
    return fit_logistic(np.vstack(xs), np.concatenate(ys))


def sentence_rows(a: dict, key: str, table: WordTable, pair_table: BigramTable, word_model, reference_tokens: float,
                  bigram_weights: np.ndarray):
    """The sentence matrix of an article (FEATURES + SENTENCE_WORDS), its words and bigrams and their chances."""
    words = article_words(a["texts"], a["title"] if key == "x_title" else None, table)
    chance = word_model(words.x)
    bigrams = article_bigrams(words, chance, pair_table)
    pairs = bigram_chances(bigrams, bigram_weights)
    x = np.hstack([a[key], sentence_features(words, chance, reference_tokens, bigrams, pairs)])
    return x, words, chance, bigrams, pairs


def labels(article: dict) -> np.ndarray:
    """Graded relevance 0-4: the sentence's own (R-1 + R-2) / 2 in tenths; the oracle's sentences 3,
    those of the oracle within the word budget 4."""
    own = article["own"].mean(axis=1)
    grade = np.minimum(3, np.floor(own / 0.1)).astype(float)
    grade[article["oracle"]] = 3.0
    grade[article["oracle_within"]] = 4.0
    return grade


class Ensemble:
    """Sentence models fitted with different seeds (bagging), their scores averaged."""

    def __init__(self, members):
        self.members = members

    def predict(self, x, num_iteration=None, raw_score=True):
        return sum(m.predict(x, num_iteration=num_iteration, raw_score=raw_score) for m in self.members) / len(
            self.members)

    def feature_importance(self, kind, iteration=None):
        return sum(m.feature_importance(kind, iteration=iteration) for m in self.members)


def export(booster, rounds: int | None = None, scale: float = 1.0) -> dict:
    """LightGBM trees -> flat arrays (see summarize.learned.Trees), leaf values times scale."""
    dump = booster.dump_model(num_iteration=rounds)
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    depth = 0

    def add(node, level):
        nonlocal depth
        index = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(index)
        right.append(index)
        value.append(0.0)
        if "leaf_index" in node or "split_index" not in node:
            value[index] = node.get("leaf_value", 0.0) * scale
            depth = max(depth, level)
            return index
        assert node["decision_type"] == "<=" and node.get("missing_type", "None") in ("None", "NaN"), node
        feature[index] = node["split_feature"]
        threshold[index] = node["threshold"]
        left[index] = add(node["left_child"], level + 1)
        right[index] = add(node["right_child"], level + 1)
        return index

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return {"feature": np.array(feature, dtype=np.int16), "threshold": np.array(threshold),
            "left": np.array(left, dtype=np.int32), "right": np.array(right, dtype=np.int32),
            "value": np.array(value), "roots": np.array(roots, dtype=np.int32), "depth": depth}


def joined(parts: list[dict]) -> dict:
    """Several exported ensembles as one (their predictions add up)."""
    out = {"depth": max(p["depth"] for p in parts)}
    offset = 0
    pieces: dict[str, list] = {k: [] for k in ("feature", "threshold", "left", "right", "value", "roots")}
    for p in parts:
        for k in ("feature", "threshold", "value"):
            pieces[k].append(p[k])
        for k in ("left", "right", "roots"):
            pieces[k].append(p[k] + offset)
        offset += len(p["feature"])
    for k, v in pieces.items():
        out[k] = np.concatenate(v).astype(parts[0][k].dtype)
    return out


def save(path: Path, arrays: dict) -> None:
    """An .npz file that np.load reads, the same bytes for the same arrays (np.savez stamps each member
    with the time), written atomically."""
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w") as f:
                np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)
    partial.replace(path)


def trees_of(arrays: dict) -> Trees:
    return Trees(arrays["feature"].astype(np.int64), arrays["threshold"], arrays["left"].astype(np.int64),
                 arrays["right"].astype(np.int64), arrays["value"], arrays["roots"].astype(np.int64), arrays["depth"])


# --- choosing on valid -------------------------------------------------------------------------

def evaluate(valid: list[dict], scored: dict, choice: Choice, words=None, count=None, with_rl=False) -> dict:
    """Mean ROUGE F1 x 100 on valid with and without titles, and the mean length in words."""
    out = {}
    for key in ("x_title", "x_none"):
        totals = np.zeros(3)
        length = 0
        for a, s in zip(valid, scored[key]):
            chosen = tuple(choose(s, choice, words=words, count=count))
            memo = a.setdefault("memo", {})
            if (chosen, with_rl) not in memo:
                summary = [w for k in chosen for w in a["tokens"][k]]
                memo[chosen, with_rl] = (*rouge12(summary, a["grams"]),
                                         rouge_l(summary, a["reference"]) if with_rl else 0.0)
            totals += memo[chosen, with_rl]
            length += sum(a["lengths"][k] for k in chosen)
        out[key] = {"R1": 100 * totals[0] / len(valid), "R2": 100 * totals[1] / len(valid),
                    "RL": 100 * totals[2] / len(valid), "words": length / len(valid)}
    out["criterion"] = sum(out[k]["R1"] + out[k]["R2"] for k in ("x_title", "x_none")) / 2
    out["words"] = (out["x_title"]["words"] + out["x_none"]["words"]) / 2
    return out


def lead(valid: list[dict], count=None, words=None) -> dict:
    """The first sentences of the article (count), or the first ones within a word budget."""
    totals, length = np.zeros(3), 0
    for a in valid:
        n = len(a["tokens"])
        chosen = list(range(min(count, n))) if count else []
        if words:
            while len(chosen) < n and (not chosen or sum(a["lengths"][k] for k in chosen) + a["lengths"][len(chosen)]
                                       <= words):
                chosen.append(len(chosen))
        summary = [w for k in chosen for w in a["tokens"][k]]
        totals += (*rouge12(summary, a["grams"]), rouge_l(summary, a["reference"]))
        length += sum(a["lengths"][k] for k in chosen)
    n = len(valid)
    return {"R1": 100 * totals[0] / n, "R2": 100 * totals[1] / n, "RL": 100 * totals[2] / n, "words": length / n}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=ROOT / "summarize" / "data" / "learned.npz")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N train articles (quick runs)")
    args = parser.parse_args(argv)
    if not (DATA / "train.jsonl.gz").exists():
        print(f"OrangeSum train/valid not found at {DATA}: nothing to train on", file=sys.stderr)
        return 2
    try:
        import lightgbm
    except ImportError:
        print("lightgbm is not installed: run bench/summary/run.sh (it makes the training venv)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    print(f"seed {args.seed}; lightgbm {lightgbm.__version__}, numpy {np.__version__}; sentences: {len(FEATURES)} + "
          f"{len(SENTENCE_WORDS)} features from their words; words: {len(WORD_FEATURES)} features")
    train, valid = prepare("train", args.limit), prepare("valid")
    for a in valid:
        a["tokens"] = [tokens(t) for t in a["texts"]]
        a["grams"] = (ngrams(a["reference"], 1), ngrams(a["reference"], 2))
    reference_tokens = round(float(np.mean([len(a["reference"]) for a in train])), 2)  # stored as the model uses it
    for a in train:  # the oracle a summary within the word budget can reach: what the ranker learns to find
        a["oracle_within"] = oracle([tokens(t) for t in a["texts"]], a["reference"], lengths=a["lengths"],
                                    budget=ORACLE_WORDS)

    # Word statistics: each training article's from the other folds; valid's and the model's from all.
    rng = np.random.default_rng(args.seed)
    fold = rng.integers(0, FOLDS, len(train))
    parts = [word_counts([a for a, g in zip(train, fold) if g == f]) for f in range(FOLDS)]
    total = combined(parts)
    tables = [word_table(combined([total, part], sign=-1)) for part in parts]
    table = word_table(total)
    train_tables = [tables[g] for g in fold]
    counted = time.perf_counter()
    print(f"  word table: {len(table.index)} words ({counted - started:.0f} s)")

    # Word model, cross-fitted on two halves.
    half = rng.integers(0, 2, len(train))
    word_models = []
    for h in (0, 1):
        members = [k for k in range(len(train)) if half[k] == h]
        word_models.append(fit_word_model([train[k] for k in members], [train_tables[k] for k in members],
                                          args.seed + h))
    word_arrays = joined([export(m, scale=0.5) for m in word_models])
    word_trees = trees_of(word_arrays)

    def chance_of(model):
        return lambda x: 1.0 / (1.0 + np.exp(-model.predict(x, raw_score=True)))

    shipped_chance = lambda x: 1.0 / (1.0 + np.exp(-word_trees.predict(x)))  # noqa: E731
    check = article_words(valid[0]["texts"], valid[0]["title"], table).x
    gap = float(np.max(np.abs(word_trees.predict(check) - 0.5 * sum(m.predict(check, raw_score=True)
                                                                    for m in word_models))))
    assert gap < 1e-9, f"exported word trees differ from LightGBM by {gap}"
    worded = time.perf_counter()
    print(f"  word model: 2 x {WORD_ROUNDS} trees, cross-fitted ({worded - counted:.0f} s)")

    # Sentence matrices: train with the other half's word model, valid with the shipped one.
    def rows_of(articles, tables_, pair_tables_, models, key):
        return [sentence_rows(a, key, t, p, m, reference_tokens, bigram_weights)
                for a, t, p, m in zip(articles, tables_, pair_tables_, models)]

    other = [chance_of(word_models[1 - h]) for h in half]
    pair_tables, pair_table = bigram_tables(train, fold)
    train_pair_tables = [pair_tables[g] for g in fold]
    bigram_weights = fit_bigram_model(train, train_tables, train_pair_tables, other, args.seed)
    bigram_weights = np.round(bigram_weights, 6)  # as stored
    print(f"  bigram model: {', '.join(f'{n} {w:.3f}' for n, w in zip(BIGRAM_FEATURES, bigram_weights))} "
          f"({time.perf_counter() - worded:.0f} s)")
    train_rows = {key: [r[0] for r in rows_of(train, train_tables, train_pair_tables, other, key)]
                  for key in ("x_title", "x_none")}
    valid_rows = {key: rows_of(valid, [table] * len(valid), [pair_table] * len(valid), [shipped_chance] * len(valid),
                               key) for key in ("x_title", "x_none")}
    names = FEATURES + SENTENCE_WORDS
    xs, ys, groups = [], [], []
    for k, a in enumerate(train):
        y = labels(a)
        for key in ("x_title", "x_none"):
            if key == "x_title" and not a["title"]:
                continue
            xs.append(train_rows[key][k])
            ys.append(y)
            groups.append(len(y))
    dataset = lightgbm.Dataset(np.vstack(xs), np.concatenate(ys), group=groups, feature_name=names)
    booster = Ensemble([lightgbm.train({**SENTENCE_MODEL, **COMMON, "seed": args.seed + k}, dataset,
                                       num_boost_round=max(SENTENCE_ROUNDS)) for k in range(SENTENCE_MODELS)])
    del xs, ys, dataset, train_rows
    trained = time.perf_counter()
    print(f"  sentence model: {SENTENCE_MODELS} x {max(SENTENCE_ROUNDS)} trees on {sum(groups)} rows "
          f"({trained - worded:.0f} s)")

    print("\nvalid, lead baselines (the same with and without title):")
    baselines = {f"lead-{n}": lead(valid, count=n) for n in (1, 2, 3)}
    baselines |= {f"lead within {b} words": lead(valid, words=b) for b in BUDGETS}
    for label, r in baselines.items():
        print(f"  {label}: R-1 {r['R1']:.2f}  R-2 {r['R2']:.2f}  R-L {r['RL']:.2f}  ({r['words']:.0f} words)")
    abstract_words = float(np.mean([a["abstract_words"] for a in valid]))

    def scored_at(rounds):
        out = {}
        for key, rows in valid_rows.items():
            out[key] = []
            for a, (x, words, chance, bigrams, pairs) in zip(valid, rows):
                z = standardized(booster.predict(x, num_iteration=rounds, raw_score=True))
                out[key].append(Scored(a["units"], list(range(len(a["texts"]))), z, words, words.gains(chance),
                                       a["lengths"], bigrams, pairs))
        return out

    trials = []
    for rounds in SENTENCE_ROUNDS:
        scored = scored_at(rounds)
        for top in TOPS:
            for weight in WEIGHTS:
                for factor, budget, bigram in itertools.product(REFERENCE, BUDGETS, BIGRAMS):
                    choice = Choice(budget, top, MOST, weight, round(factor * reference_tokens, 2), bigram)
                    result = evaluate(valid, scored, choice, words=budget)
                    longest = max(result[k]["words"] for k in ("x_title", "x_none"))
                    trials.append((result["criterion"], longest, rounds, choice))
    fits = [t for t in trials if t[1] <= MAX_LENGTH * abstract_words]
    fits.sort(key=lambda t: -t[0])
    print(f"\nthe choice on valid (R-1 + R-2, mean of with/without title; {len(fits)} of {len(trials)} settings average "
          f"<= {MAX_LENGTH} x the abstracts' {abstract_words:.1f} words with and without titles); best:")
    for criterion, length, rounds, choice in fits[:8]:
        print(f"  {criterion:.2f}  {length:.1f} words  {rounds} trees  {choice}")
    for bigram in BIGRAMS:
        criterion, length, rounds_, choice_ = next(t for t in fits if t[3].bigrams == bigram)
        print(f"  best with bigram weight {bigram}: {criterion:.2f}  {length:.1f} words  {rounds_} trees  {choice_}")
    _, _, rounds, choice = fits[0]
    scored = scored_at(rounds)
    final = evaluate(valid, scored, choice, words=choice.words, with_rl=True)
    by_count = {n: evaluate(valid, scored, choice, count=n, with_rl=True) for n in (1, 2, 3)}

    arrays = joined([export(b, rounds, scale=1 / len(booster.members)) for b in booster.members])
    trees = trees_of(arrays)
    x = np.vstack([row[0] for row in valid_rows["x_none"][:200]])
    gap = float(np.max(np.abs(trees.predict(x) - booster.predict(x, num_iteration=rounds, raw_score=True))))
    assert gap < 1e-9, f"exported trees differ from LightGBM by {gap}"
    for k, v in word_arrays.items():
        if k != "depth":
            arrays[f"word_{k}"] = v
    arrays["table_words"] = np.array("\n".join(table.index))
    arrays["table_rate"], arrays["table_idf"] = table.rate.astype(np.float32), table.idf.astype(np.float32)
    arrays["table_cue"], arrays["table_repeat"] = table.cue.astype(np.float32), table.repeat.astype(np.float32)
    arrays["bigram_table_pairs"] = np.array("\n".join(pair_table.index))
    arrays["bigram_table_rate"] = pair_table.rate.astype(np.float32)

    def rounded(r):
        return {m: round(v, 2) for m, v in r.items()}

    meta = {"model": f"lightgbm lambdarank (sentences, {SENTENCE_MODELS} seeds averaged) + binary (words, 2 "
                     "cross-fitted halves) + logistic (bigrams)", "trees": rounds * SENTENCE_MODELS,
            "depth": arrays.pop("depth"), "word_trees": 2 * WORD_ROUNDS, "word_depth": word_arrays["depth"],
            "features": names, "word_features": WORD_FEATURES,
            "table_unknown": list(table.unknown), "table_unknown_repeat": table.unknown_repeat.tolist(),
            "feature_reference_tokens": reference_tokens,
            "choice": {"words": choice.words, "top": choice.top, "most": choice.most, "weight": choice.weight,
                       "reference_tokens": choice.reference_tokens, "bigrams": choice.bigrams},
            "bigram_features": BIGRAM_FEATURES, "bigram_weights": [round(float(w), 6) for w in bigram_weights],
            "bigram_unknown": pair_table.unknown,
            "seed": args.seed, "lightgbm": lightgbm.__version__, "train_articles": len(train),
            "valid_articles": len(valid), "labels": "greedy R-1+R-2 oracle and own R-1,R-2 per sentence; "
                                                    "words: used by the abstract",
            "data": "OrangeSum Abstract train (fit), valid (every setting); CC BY-SA 4.0",
            "valid": {"with_title": rounded(final["x_title"]), "without_title": rounded(final["x_none"]),
                      "abstract_words": round(abstract_words, 2),
                      "lead": {k: rounded(r) for k, r in baselines.items()}}}
    save(args.out, {"meta": np.array(json.dumps(meta, ensure_ascii=False)), **arrays})

    print(f"\nChosen: {rounds} sentence trees (depth {meta['depth']}), {choice}")
    print(f"valid ({len(valid)} articles), ROUGE F1 x100, Unicode tokens; abstracts average {abstract_words:.1f} words:")
    print("| summary | R-1 | R-2 | R-L | words |")
    print("|---|---|---|---|---|")
    for label, r in ((f"learned within {choice.words} words, with title", final["x_title"]),
                     (f"learned within {choice.words} words, title=None", final["x_none"])):
        print(f"| {label} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    for n in (1, 2, 3):
        r = by_count[n]["x_none"]
        print(f"| learned, {n} sentences, title=None | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    for label, r in baselines.items():
        print(f"| {label} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    gain = booster.feature_importance("gain", iteration=rounds)
    top = sorted(zip(gain, names), reverse=True)
    print("\nfeature gain (share): " + ", ".join(f"{f} {g / gain.sum():.1%}" for g, f in top[:15]))
    size_kb = args.out.stat().st_size / 1024
    print(f"\nmodel: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} ({size_kb:.0f} KiB), "
          f"numpy export matches LightGBM (max gap {gap:.1e})")
    print(f"time: total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
