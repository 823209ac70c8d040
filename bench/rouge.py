"""ROUGE of passeur's summarizers on OrangeSum against the journalists' abstracts.

    python bench/rouge.py                 # 150 OrangeSum test articles: learned vs lead-1/2/3, lexrank-lead
    python bench/rouge.py --sentences 2 3 --algorithms learned lead lexrank textrank

The learned scorer (summarize.learned, trained and tuned on OrangeSum train/valid only) is
shown at its default size, chosen on valid, and at each sentence count. These 150 test
articles are for reporting only: nothing was chosen on them.

ROUGE-1/2/L F1 with a Unicode word tokenizer (lowercased \\w+, no stemming): the usual ROUGE
tokenizer keeps only [a-z0-9], which splits French accented words and drops Arabic and
Hebrew entirely. BARThez's published outputs for these articles are scored the same way; the
BARThez paper's own figures (rouge-score's tokenizer, first 300 items) are printed beside.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "summary"))

from passeur.summarize import SUMMARIZERS  # noqa: E402
from passeur.summarize.learned import LearnedScorer  # noqa: E402
from passeur.summarize.base import SummaryRequest, choose_summary, make_summarizer  # noqa: E402
from passeur.translate.read import article_from_blocks  # noqa: E402
from unicode_rouge import f1, rouge_l, rouge_n, tokens  # noqa: E402,F401  (re-exported for tests)

SHARED = Path(__file__).resolve().parents[2] / "shared"
ORANGESUM = SHARED / "eval" / "orangesum_test_first150" / "abstract"
PUBLISHED = "barthez 32.9/14.1/23.4, mbart 33.3/14.3/23.5 (rouge-score tokenizer, first 300 test items; " \
            "barthez R-1 is 32.2 with the Unicode tokenizer)"


def scores(summaries: list[str], gold: list[str]) -> tuple[float, float, float, float]:
    totals = [0.0, 0.0, 0.0]
    words = 0
    for summary, reference in zip(summaries, gold):
        candidate, ref = tokens(summary), tokens(reference)
        for k, value in enumerate((rouge_n(candidate, ref, 1), rouge_n(candidate, ref, 2), rouge_l(candidate, ref))):
            totals[k] += value
        words += len(summary.split())
    n = len(gold)
    return 100 * totals[0] / n, 100 * totals[1] / n, 100 * totals[2] / n, words / n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--algorithms", nargs="+", default=["learned", "lead", "lexrank-lead"],
                        help=f"learned, {', '.join(SUMMARIZERS)}")
    args = parser.parse_args(argv)
    if not (ORANGESUM / "source_documents.txt").exists():
        print(f"OrangeSum test articles not found at {ORANGESUM} (../shared is not here): nothing to score",
              file=sys.stderr)
        return 2
    documents = (ORANGESUM / "source_documents.txt").read_text("utf-8").splitlines()
    gold = (ORANGESUM / "gold.txt").read_text("utf-8").splitlines()
    # One article per line, no title: every sentence is a candidate.
    articles = [article_from_blocks(f"orangesum-{i}", [(d, "text")]) for i, d in enumerate(documents)]
    scorer = LearnedScorer.load() if "learned" in args.algorithms else None
    print(f"OrangeSum test, first {len(articles)} articles; ROUGE F1 x100, Unicode tokenizer; no titles\n")
    print("| summary | sentences | R-1 | R-2 | R-L | words | time |")
    print("|---|---|---|---|---|---|---|")

    def row(name, size, pick):
        started = time.perf_counter()
        summaries = []
        for article in articles:
            indices = pick(article)
            summaries.append(" ".join(article.segments[i].text for i in indices))
        r1, r2, rl, words = scores(summaries, gold)
        print(f"| {name} | {size} | {r1:.1f} | {r2:.1f} | {rl:.1f} | {words:.0f} | {time.perf_counter() - started:.1f} s |")

    def learned(article, count=None):
        sentences = [s.text for s in article.segments]
        paragraphs = [s.paragraph for s in article.segments]
        return scorer.select(sentences, paragraphs, None, article.body(), count=count)

    if scorer:
        size = f"{scorer.default_count}" if scorer.default_count else f"≤ {scorer.default_words} words"
        row(f"**{scorer.signature()}** (default)", size, learned)
    for count in args.sentences:
        for algorithm in args.algorithms:
            if algorithm == "learned":
                row("learned", count, lambda a, c=count: learned(a, c))
            else:
                label = f"{algorithm}-{count}" if algorithm == "lead" else algorithm
                summarizer = make_summarizer(algorithm, "fr")
                row(label, count, lambda a, c=count, al=algorithm, sz=summarizer: choose_summary(a, sz, SummaryRequest(al, c)))
    barthez = ORANGESUM / "barthez.txt"
    if barthez.exists():
        r1, r2, rl, words = scores(barthez.read_text("utf-8").splitlines(), gold)
        print(f"| barthez (published outputs, abstractive) | - | {r1:.1f} | {r2:.1f} | {rl:.1f} | {words:.0f} | - |")
    print(f"\nBARThez paper: {PUBLISHED}; gold abstracts median 33 words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
