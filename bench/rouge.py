"""ROUGE of passeur's summarizers on OrangeSum against the journalists' abstracts.

    python bench/rouge.py                 # 150 OrangeSum test articles, 3 sentences each
    python bench/rouge.py --sentences 1 2 3

ROUGE-1/2/L F1 with a Unicode word tokenizer (lowercased \\w+, no stemming): the usual ROUGE
tokenizer keeps only [a-z0-9], which splits French accented words and drops Arabic and
Hebrew entirely. The BARThez paper's abstractive baselines (rouge-score's tokenizer, first
300 items) are printed beside for reference; they are not directly comparable in tokenizer
or length.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from passeur.summarize import SUMMARIZERS
from passeur.summarize.base import SummaryRequest, choose_summary, make_summarizer
from passeur.translate.read import article_from_blocks

SHARED = Path(__file__).resolve().parents[2] / "shared"
ORANGESUM = SHARED / "eval" / "orangesum_test_first150" / "abstract"
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / candidate, overlap / reference
    return 2 * p * r / (p + r)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    c = Counter(tuple(candidate[i:i + n]) for i in range(len(candidate) - n + 1))
    r = Counter(tuple(reference[i:i + n]) for i in range(len(reference) - n + 1))
    return f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    previous = [0] * (len(reference) + 1)
    for word in candidate:
        current = [0]
        for j, ref in enumerate(reference):
            current.append(previous[j] + 1 if word == ref else max(previous[j + 1], current[j]))
        previous = current
    return f1(previous[-1], len(candidate), len(reference))


def main(argv=None) -> int:
    if not ORANGESUM.is_dir():
        sys.exit(f"bench/rouge.py: {ORANGESUM} is absent: this benchmark needs OrangeSum beside the repository "
                 "(../shared/eval); the tests do not")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, nargs="+", default=[3])
    parser.add_argument("--algorithms", nargs="+", default=list(SUMMARIZERS))
    args = parser.parse_args(argv)
    documents = (ORANGESUM / "source_documents.txt").read_text("utf-8").splitlines()
    gold = (ORANGESUM / "gold.txt").read_text("utf-8").splitlines()
    # One article per line, no title: every sentence is a candidate.
    articles = [article_from_blocks(f"orangesum-{i}", [(d, "text")]) for i, d in enumerate(documents)]
    print(f"OrangeSum test, first {len(articles)} articles; ROUGE F1 x100, Unicode tokenizer\n")
    print("| algorithm | sentences | R-1 | R-2 | R-L | words | time |")
    print("|---|---|---|---|---|---|---|")
    for count in args.sentences:
        for algorithm in args.algorithms:
            started = time.perf_counter()
            scores, lengths = [], []
            summarizer = make_summarizer(algorithm, "fr")
            for article, reference in zip(articles, gold):
                indices = choose_summary(article, summarizer, SummaryRequest(algorithm, count))
                candidate = tokens(" ".join(article.segments[i].text for i in indices))
                ref = tokens(reference)
                scores.append((rouge_n(candidate, ref, 1), rouge_n(candidate, ref, 2), rouge_l(candidate, ref)))
                lengths.append(len(candidate))
            r1, r2, rl = (100 * sum(s[k] for s in scores) / len(scores) for k in range(3))
            print(f"| {algorithm} | {count} | {r1:.1f} | {r2:.1f} | {rl:.1f} | {sum(lengths) / len(lengths):.0f} "
                  f"| {time.perf_counter() - started:.1f} s |")
    print("\nBARThez paper baselines (abstractive, rouge-score tokenizer, 300 items): "
          "barthez 32.9/14.1/23.4, mbart 33.3/14.3/23.5; gold abstracts median 33 words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
