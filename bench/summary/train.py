"""Train passeur's learned extractive summarizer on OrangeSum; choose every setting on valid.

    bench/summary/run.sh                  # makes the training venv, then runs this
    python bench/summary/train.py [--seed 13] [--out summarize/data/learned.npz]

Data: ../shared/eval/orangesum_train/{train,valid}.jsonl.gz (OrangeSum Abstract, CC BY-SA 4.0).
The test split is never read here.

1. Each article body is split with passeur's segmenter; every sentence is a candidate (the
   bodies have no paragraphs, titles or captions). Features are those of the runtime
   (summarize.learned.features), computed twice per article: with the journalist's title and
   with title=None, so that the one model serves both.
2. Labels: the greedy ROUGE oracle against the journalist's abstract (add the sentence that
   most raises ROUGE-1 + ROUGE-2 F1, stop when nothing raises it), and each sentence's own
   ROUGE-1/2 F1 with the abstract, for the regression and ranking objectives.
3. LightGBM models (a few objectives and sizes) are trained on train; on valid each is tried
   with sentence counts 1-3 and word budgets 20-80, and MMR redundancy penalties; the best
   mean of R-1 + R-2 over valid with and without titles wins.
4. The chosen trees are exported to flat numpy arrays (summarize/data/learned.npz), checked to
   give LightGBM's own predictions, with the seed and the valid figures in the metadata.

Features are cached under bench/out/summary-cache/ (keyed by the feature and segmenter code),
so a re-run only trains. Single process: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from passeur.summarize.features import FEATURES, LEXICAL, content_stems, features, lexical_rows  # noqa: E402
from passeur.summarize.learned import Trees, choose  # noqa: E402
# passeur's segmenter: the one import to change when translate/ becomes passeur.translate.
from passeur.translate.segment import split_sentences  # noqa: E402
from unicode_rouge import f1, ngrams, rouge_l, tokens  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "orangesum_train"
CACHE = ROOT / "bench" / "out" / "summary-cache"
PREP_VERSION = "1"
COUNTS = (1, 2, 3)
BUDGETS = tuple(range(25, 85, 5))
REDUNDANCY = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # x the std of the model's scores on valid
FLOORS = (None, -0.5, 0.0, 0.5, 1.0)  # mean + z x std of the model's scores on valid
# Stage 1 compares the models on a small grid; stage 2 searches the whole grid for the best one.
LEXICON_MIN = 10  # a stem needs this many training articles to get its own statistics
FOLDS = 4  # the training articles' word statistics come from the other folds (no leak of their own abstract)
QUICK = {"redundancy": (0.0, 1.0), "sizes": (("count", 1), ("count", 2), ("count", 3), ("words", 50), ("words", 65))}


def cache_key() -> str:
    digest = hashlib.sha256(PREP_VERSION.encode())
    for path in ("summarize/features.py", "summarize/centrality.py", "translate/segment.py",
                 "translate/data/abbreviations.fr.txt", "bench/summary/unicode_rouge.py"):
        digest.update((ROOT / path).read_bytes())
    return digest.hexdigest()[:12]


def rouge12(candidate: list[str], reference_grams: tuple) -> tuple[float, float]:
    r1, r2 = reference_grams
    c1, c2 = ngrams(candidate, 1), ngrams(candidate, 2)
    return (f1(sum((c1 & r1).values()), sum(c1.values()), sum(r1.values())),
            f1(sum((c2 & r2).values()), sum(c2.values()), sum(r2.values())))


def oracle(sentence_tokens: list[list[str]], reference: list[str], limit: int = 4) -> list[int]:
    """Greedy extractive oracle: add the sentence that most raises R-1 + R-2 F1."""
    grams = (ngrams(reference, 1), ngrams(reference, 2))
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < limit:
        pick, pick_score = None, best
        for k in range(len(sentence_tokens)):
            if k in chosen:
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


def prepare(split: str) -> list[dict]:
    path = CACHE / f"{split}-{cache_key()}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    started = time.perf_counter()
    articles = []
    with gzip.open(DATA / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            sentences = split_sentences(row["article"])
            reference = tokens(row["abstract"])
            if not sentences or not reference:
                continue
            candidates = list(range(len(sentences)))
            title = row.get("title") or None
            with_title, similarity = features(sentences, title, candidates)
            without_title, _ = features(sentences, None, candidates)
            sentence_tokens = [tokens(s) for s in sentences]
            grams = (ngrams(reference, 1), ngrams(reference, 2))
            own = np.array([rouge12(t, grams) for t in sentence_tokens])
            item = {"id": row["id"], "x_title": with_title.astype(np.float64), "x_none": without_title,
                    "has_title": title is not None, "oracle": oracle(sentence_tokens, reference), "own": own,
                    "lengths": [len(s.split()) for s in sentences]}
            if split == "valid":
                item.update(similarity=similarity, tokens=sentence_tokens, reference=reference)
            articles.append(item)
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(articles, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"  {split}: {len(articles)} articles segmented, featurized and labelled in "
          f"{time.perf_counter() - started:.0f} s (cached in {path.relative_to(ROOT)})")
    return articles


def stems(split: str) -> list[tuple[list[list[str]], set[str]]]:
    """Per article (as prepare() keeps them): each sentence's content stems, the abstract's stems."""
    path = CACHE / f"{split}-stems-{cache_key()}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    items = []
    with gzip.open(DATA / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            sentences = split_sentences(row["article"])
            if not sentences or not tokens(row["abstract"]):
                continue
            items.append(([content_stems(s) for s in sentences], set(content_stems(row["abstract"]))))
    with path.open("wb") as f:
        pickle.dump(items, f, protocol=pickle.HIGHEST_PROTOCOL)
    return items


def build_lexicon(items, oracles) -> tuple[dict[str, tuple[float, float, float]], float]:
    """stem -> (worth, idf, cue): log-odds that the abstract uses a stem the article uses,
    against the average stem's; log(articles / articles using it); log-odds that a sentence
    using it is an oracle sentence, against the average sentence's."""
    used, kept, in_sentences, in_oracle = Counter(), Counter(), Counter(), Counter()
    for (sentence_stems, abstract), oracle_ in zip(items, oracles):
        body = {s for stems_ in sentence_stems for s in stems_}
        used.update(body)
        kept.update(body & abstract)
        for k, stems_ in enumerate(sentence_stems):
            unique = set(stems_)
            in_sentences.update(unique)
            if k in oracle_:
                in_oracle.update(unique)

    def prior(yes, all_):
        return math.log(sum(yes.values()) / (sum(all_.values()) - sum(yes.values())))

    worth_prior, cue_prior = prior(kept, used), prior(in_oracle, in_sentences)
    n = len(items)
    lexicon = {s: (math.log((kept[s] + 1) / (c - kept[s] + 1)) - worth_prior, math.log(n / c),
                   math.log((in_oracle[s] + 1) / (in_sentences[s] - in_oracle[s] + 1)) - cue_prior)
               for s, c in used.items() if c >= LEXICON_MIN}
    return lexicon, math.log(n / LEXICON_MIN)


def add_lexical(train: list[dict], valid: list[dict], seed: int):
    """Lexical columns: out-of-fold statistics for train, whole-train statistics for valid (and the model)."""
    train_stems, valid_stems = stems("train"), stems("valid")
    assert len(train_stems) == len(train) and len(valid_stems) == len(valid)
    fold = np.random.default_rng(seed).integers(0, FOLDS, len(train))
    for f in range(FOLDS):
        lexicon, unknown = build_lexicon([item for item, g in zip(train_stems, fold) if g != f],
                                         [set(a["oracle"]) for a, g in zip(train, fold) if g != f])
        for a, item, g in zip(train, train_stems, fold):
            if g == f:
                a["lex"] = lexical_rows(item[0], lexicon, unknown)
    lexicon, unknown = build_lexicon(train_stems, [set(a["oracle"]) for a in train])
    for a, item in zip(valid, valid_stems):
        a["lex"] = lexical_rows(item[0], lexicon, unknown)
    return lexicon, unknown


def columns(a: dict, key: str, lexical: bool) -> np.ndarray:
    return np.hstack([a[key], a["lex"]]) if lexical else a[key]


def labels(article: dict, kind: str) -> np.ndarray:
    n = len(article["lengths"])
    if kind == "oracle":
        y = np.zeros(n)
        y[article["oracle"]] = 1.0
        return y
    own = article["own"].mean(axis=1)  # (R-1 + R-2) / 2 of the sentence alone
    if kind == "rouge":
        return own
    # "rank": graded relevance 0-4, oracle sentences on top
    grade = np.minimum(3, np.floor(own / 0.1)).astype(float)
    grade[article["oracle"]] = 4.0
    return grade


def matrix(articles: list[dict], kind: str, lexical: bool):
    xs, ys, groups = [], [], []
    for a in articles:
        y = labels(a, kind)
        for key in ("x_title", "x_none"):
            if key == "x_title" and not a["has_title"]:
                continue
            xs.append(columns(a, key, lexical))
            ys.append(y)
            groups.append(len(y))
    return np.vstack(xs), np.concatenate(ys), groups


MODELS = {
    # name: (label kind, LightGBM parameters, with the lexical columns)
    "lambdarank": ("rank", {"objective": "lambdarank", "lambdarank_truncation_level": 10,
                            "label_gain": [0, 1, 3, 7, 15]}, False),
    "lambdarank+lex": ("rank", {"objective": "lambdarank", "lambdarank_truncation_level": 10,
                                "label_gain": [0, 1, 3, 7, 15]}, True),
    "lambdarank-63+lex": ("rank", {"objective": "lambdarank", "lambdarank_truncation_level": 10,
                                   "label_gain": [0, 1, 3, 7, 15], "num_leaves": 63, "min_data_in_leaf": 50}, True),
}
ROUNDS = (150, 300, 600)


def train_models(train: list[dict], seed: int) -> dict:
    import lightgbm

    models = {}
    for name, (kind, params, lexical) in MODELS.items():
        started = time.perf_counter()
        x, y, groups = matrix(train, kind, lexical)
        dataset = lightgbm.Dataset(x, y, group=groups if params["objective"] == "lambdarank" else None,
                                   feature_name=FEATURES + LEXICAL * lexical, free_raw_data=False)
        settings = {"learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 100, "feature_fraction": 0.8,
                    "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "num_threads": 1,
                    "seed": seed, "deterministic": True, "force_row_wise": True, "verbose": -1, **params}
        booster = lightgbm.train(settings, dataset, num_boost_round=max(ROUNDS))
        models[name] = booster
        print(f"  trained {name} ({len(y)} rows, {max(ROUNDS)} rounds) in {time.perf_counter() - started:.0f} s")
    return models


def evaluate(valid: list[dict], scores: dict, count, words, redundancy: float, floor=None, with_rl=False) -> dict:
    """Mean ROUGE F1 x 100 on valid of a selection setting; scores[key][i] per article."""
    out = {}
    for key in ("x_title", "x_none"):
        totals = np.zeros(3)
        length = 0
        for a, score in zip(valid, scores[key]):
            chosen = tuple(sorted(choose(score, a["similarity"], a["lengths"], count, words, redundancy, floor)))
            memo = a.setdefault("memo", {})
            if (chosen, with_rl) not in memo:
                summary = [w for k in chosen for w in a["tokens"][k]]
                if "grams" not in a:
                    a["grams"] = (ngrams(a["reference"], 1), ngrams(a["reference"], 2))
                memo[chosen, with_rl] = (*rouge12(summary, a["grams"]),
                                         rouge_l(summary, a["reference"]) if with_rl else 0.0)
            r1, r2, rl = memo[chosen, with_rl]
            totals += (r1, r2, rl)
            length += sum(a["lengths"][k] for k in chosen)
        out[key] = {"R1": 100 * totals[0] / len(valid), "R2": 100 * totals[1] / len(valid),
                    "RL": 100 * totals[2] / len(valid), "words": length / len(valid)}
    out["criterion"] = sum(out[k]["R1"] + out[k]["R2"] for k in ("x_title", "x_none")) / 2
    return out


def lead(valid: list[dict], count=None, words=None) -> dict:
    lead_scores = [-np.arange(len(a["lengths"]), dtype=float) for a in valid]
    return evaluate(valid, {"x_title": lead_scores, "x_none": lead_scores}, count, words, 0.0, None, with_rl=True)


def export(booster, rounds: int) -> dict:
    """LightGBM trees -> flat arrays (see summarize.learned.Trees)."""
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
            value[index] = node.get("leaf_value", 0.0)
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
    np.random.seed(args.seed)
    started = time.perf_counter()
    print(f"seed {args.seed}; lightgbm {lightgbm.__version__}, numpy {np.__version__}; "
          f"{len(FEATURES)} features + {len(LEXICAL)} lexical; cache key {cache_key()}")
    train, valid = prepare("train"), prepare("valid")
    if args.limit:
        train = train[:args.limit]
    lexicon, unknown_idf = add_lexical(train, valid, args.seed)
    prepared = time.perf_counter()
    models = train_models(train, args.seed)
    trained = time.perf_counter()

    print("\nvalid, lead baselines (with title = without title for lead):")
    baselines = {n: lead(valid, count=n) for n in COUNTS}
    for n, result in baselines.items():
        r = result["x_none"]
        print(f"  lead-{n}: R-1 {r['R1']:.2f}  R-2 {r['R2']:.2f}  R-L {r['RL']:.2f}  ({r['words']:.0f} words)")

    def x_valid(name):
        return {key: [columns(a, key, MODELS[name][2]) for a in valid] for key in ("x_title", "x_none")}

    def predictions(name, rounds):
        booster = models[name]
        scores = {key: [booster.predict(x, num_iteration=rounds, raw_score=True) for x in xs]
                  for key, xs in x_valid(name).items()}
        pooled = np.concatenate(scores["x_none"] + scores["x_title"])
        return scores, float(pooled.mean()), float(pooled.std())

    def search(name, rounds, redundancies, sizes, floors):
        scores, mean, spread = predictions(name, rounds)
        found = []
        for relative in redundancies:
            for kind, size in sizes:
                for z in floors if kind == "words" else (None,):
                    count, words = (size, None) if kind == "count" else (None, size)
                    floor = None if z is None else mean + z * spread
                    result = evaluate(valid, scores, count, words, relative * spread, floor)
                    found.append({"criterion": result["criterion"], "name": name, "rounds": rounds,
                                  "relative": relative, "redundancy": relative * spread, "z": z, "floor": floor,
                                  "count": count, "words": words})
        return sorted(found, key=lambda t: -t["criterion"])

    def describe(t):
        size = f"{t['count']} sentences" if t["count"] else f"<= {t['words']} words, floor z={t['z']}"
        return f"{t['criterion']:.2f}  {t['name']} {t['rounds']} trees, redundancy x{t['relative']}, {size}"

    print("\nstage 1, every model on a small grid (R-1 + R-2, mean of with/without title):")
    quick = []
    for name in models:
        for rounds in ROUNDS:
            best = search(name, rounds, QUICK["redundancy"], QUICK["sizes"], (None,))[0]
            quick.append(best)
            print("  " + describe(best))
    leader = max(quick, key=lambda t: t["criterion"])
    print(f"\nstage 2, {leader['name']} {leader['rounds']} trees on the whole grid; top settings:")
    sizes = [("count", c) for c in COUNTS] + [("words", w) for w in BUDGETS]
    trials = search(leader["name"], leader["rounds"], REDUNDANCY, sizes, FLOORS)
    for t in trials[:8]:
        print("  " + describe(t))
    chosen = trials[0]
    name, rounds, relative, redundancy = chosen["name"], chosen["rounds"], chosen["relative"], chosen["redundancy"]
    count, words, floor = chosen["count"], chosen["words"], chosen["floor"]
    size = ("count", count) if count else ("words", words)
    booster = models[name]
    scores, _, _ = predictions(name, rounds)
    lexical = MODELS[name][2]
    names = FEATURES + LEXICAL * lexical
    final = evaluate(valid, scores, count, words, redundancy, floor, with_rl=True)
    same_n = {n: evaluate(valid, scores, n, None, redundancy, None, with_rl=True) for n in COUNTS}
    lead_budget = lead(valid, words=words) if words else None

    arrays = export(booster, rounds)
    trees = Trees(arrays["feature"].astype(np.int64), arrays["threshold"], arrays["left"].astype(np.int64),
                  arrays["right"].astype(np.int64), arrays["value"], arrays["roots"].astype(np.int64), arrays["depth"])
    check = np.vstack(x_valid(name)["x_none"][:200])
    gap = float(np.max(np.abs(trees.predict(check) - booster.predict(check, num_iteration=rounds, raw_score=True))))
    assert gap < 1e-9, f"exported trees differ from LightGBM by {gap}"
    figures = {"with_title": final["x_title"], "without_title": final["x_none"],
               "lead": {f"lead-{n}": r["x_none"] for n, r in baselines.items()}}
    if lexical:
        stems_ = sorted(lexicon)
        arrays["lexicon_stems"] = np.array(stems_)
        arrays["lexicon_worth"] = np.array([lexicon[s][0] for s in stems_])
        arrays["lexicon_idf"] = np.array([lexicon[s][1] for s in stems_])
        arrays["lexicon_cue"] = np.array([lexicon[s][2] for s in stems_])
    meta = {"model": f"lightgbm {name}", "trees": rounds, "depth": arrays["depth"], "features": names,
            "unknown_idf": unknown_idf if lexical else None, "lexicon_stems": len(lexicon) if lexical else 0,
            "count": count, "words": words, "redundancy": redundancy, "redundancy_relative": relative,
            "floor": floor, "floor_z": chosen["z"],
            "seed": args.seed, "lightgbm": lightgbm.__version__, "train_articles": len(train),
            "valid_articles": len(valid), "labels": "greedy R-1+R-2 oracle vs abstract / per-sentence R-1,R-2",
            "data": "OrangeSum Abstract train (fit), valid (every setting); CC BY-SA 4.0",
            "valid": {k: {m: round(v, 2) for m, v in r.items()} for k, r in figures.items() if k != "lead"}
            | {"lead": {k: {m: round(v, 2) for m, v in r.items()} for k, r in figures["lead"].items()}}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta, ensure_ascii=False)),
                        **{k: v for k, v in arrays.items() if k != "depth"})

    print(f"\nChosen: {name}, {rounds} trees (depth {arrays['depth']}), redundancy {redundancy:.3f} "
          f"({relative} x score std), default size: {size[0]} {size[1]}"
          + (f", score floor {floor:.3f} (z={chosen['z']})" if floor is not None else ""))
    print("valid (1500 articles), ROUGE F1 x100, Unicode tokens:")
    print("| summary | R-1 | R-2 | R-L | words |")
    print("|---|---|---|---|---|")
    for label, r in (("learned, with title", final["x_title"]), ("learned, title=None", final["x_none"])):
        print(f"| {label} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    for n in COUNTS:
        for label, key in (("title", "x_title"), ("None", "x_none")):
            r = same_n[n][key]
            print(f"| learned {n} sentences, title={label} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} "
                  f"| {r['words']:.0f} |")
        r = baselines[n]["x_none"]
        print(f"| lead-{n} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    if lead_budget:
        r = lead_budget["x_none"]
        print(f"| lead within {words} words | {r['R1']:.2f} | {r['R2']:.2f} | {r['RL']:.2f} | {r['words']:.0f} |")
    gain = booster.feature_importance("gain", iteration=rounds)
    top = sorted(zip(gain, names), reverse=True)
    print("\nfeature gain (share): " + ", ".join(f"{f} {g / gain.sum():.1%}" for g, f in top[:15]))
    size_kb = args.out.stat().st_size / 1024
    print(f"\nmodel: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} ({size_kb:.0f} KiB), "
          f"numpy export matches LightGBM (max gap {gap:.1e})")
    print(f"time: features {prepared - started:.0f} s, training {trained - prepared:.0f} s, "
          f"selection on valid {time.perf_counter() - trained:.0f} s, total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
