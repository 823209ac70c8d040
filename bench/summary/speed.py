"""Milliseconds per article for passeur's learned summarizer (features, trees and choice).

    python bench/summary/speed.py            # the first 300 OrangeSum valid articles, 3 passes

Segmentation is not counted (passeur has already split the article when it summarizes); the
model is loaded once. Prints the median and the 95th percentile over articles, best pass.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from passeur.summarize.learned import LearnedScorer  # noqa: E402
from passeur.translate.segment import split_sentences  # noqa: E402

VALID = ROOT.parent / "shared" / "eval" / "orangesum_train" / "valid.jsonl.gz"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None, help="another model file (default: passeur's own)")
    args = parser.parse_args(argv)
    if not VALID.exists():
        print(f"OrangeSum valid articles not found at {VALID} (../shared is not here): nothing to time", file=sys.stderr)
        return 2
    started = time.perf_counter()
    scorer = LearnedScorer.load(args.model)
    loaded = time.perf_counter() - started
    articles = []
    with gzip.open(VALID, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            articles.append((split_sentences(row["article"]), row["title"]))
            if len(articles) == args.articles:
                break
    best = None
    for _ in range(args.passes):
        times = []
        for sentences, title in articles:
            t = time.perf_counter()
            scorer.select(sentences, [0] * len(sentences), title, list(range(len(sentences))))
            times.append(1000 * (time.perf_counter() - t))
        if best is None or statistics.median(times) < statistics.median(best):
            best = times
    best.sort()
    sizes = sorted(len(s) for s, _ in articles)
    print(f"{scorer.signature()}: model loaded in {1000 * loaded:.0f} ms; {len(articles)} valid articles "
          f"(median {statistics.median(sizes):.0f} sentences, max {sizes[-1]})")
    print(f"select(): median {statistics.median(best):.1f} ms, p95 {best[int(0.95 * (len(best) - 1))]:.1f} ms, "
          f"max {best[-1]:.1f} ms per article (target <= 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
