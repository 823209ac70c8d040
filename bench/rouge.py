"""ROUGE and readability of passeur's summaries on OrangeSum, against the journalists' abstracts.

    python bench/rouge.py                      # the 1,500 valid articles (tuning data), without and with titles
    python bench/rouge.py --split test         # the first 150 test articles (reporting only, no titles)
    python bench/rouge.py --words 30 60 --sentences 1 2 --algorithms learned lead lexrank textrank

Rows: passeur's default summary (the learned summarizer within its word budget), the same at
other budgets and sentence counts, the other summarizers, and the lead baselines (the first N
sentences as they stand, and the first sentences within the default budget). The learned
summarizer was trained on OrangeSum's train split and every setting chosen on valid: the test
articles are for reporting only.

ROUGE-1/2/L F1 with a Unicode word tokenizer (lowercased \\w+, no stemming): the usual ROUGE
tokenizer keeps only [a-z0-9], which splits French accented words and drops Arabic and
Hebrew entirely. BARThez's published outputs for the test articles are scored the same way.

Readability, counted in the summaries as a reader meets them (each rule simpler and broader
than the summarizer's own):
  half quotes   summaries with a quotation mark left open or closed without opening
                (« » or “ ” unbalanced, or an odd number of ")
  orphan        summaries whose first word is a pronoun, demonstrative or possessive
                (il, elle, ce, c', cette, ces, cela, son, leur…: no exception for "il y a")
  title         summaries with a sentence that repeats the title (with titles only)
  words         mean length in words, and as a share of the abstracts' mean
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "summary"))

from passeur.article import TEXT, TITLE  # noqa: E402
from passeur.summarize import SUMMARIZERS  # noqa: E402
from passeur.summarize.base import SummaryRequest, choose_summary, make_summarizer  # noqa: E402
from passeur.translate.read import article_from_blocks  # noqa: E402
from unicode_rouge import f1, rouge_l, rouge_n, tokens  # noqa: E402,F401  (re-exported for tests)

SHARED = Path(__file__).resolve().parents[2] / "shared"
ORANGESUM = SHARED / "eval" / "orangesum_test_first150" / "abstract"
VALID = SHARED / "eval" / "orangesum_train" / "valid.jsonl.gz"
PUBLISHED = "barthez 32.9/14.1/23.4, mbart 33.3/14.3/23.5 (rouge-score tokenizer, first 300 test items; " \
            "barthez R-1 is 32.2 with the Unicode tokenizer)"
ORPHANS = frozenset("il ils elle elles ce c cet cette ces ceci cela ça celui celle ceux celles son sa ses leur leurs "
                    "lui".split())
_FIRST_WORD = re.compile(r"\w+")


def half_quoted(text: str) -> bool:
    return (text.count("«") != text.count("»") or text.count("“") != text.count("”") or text.count('"') % 2 == 1)


def orphan(first_sentence: str) -> bool:
    word = _FIRST_WORD.match(first_sentence.lstrip())
    return bool(word) and word.group().lower() in ORPHANS


def repeats(sentence: str, title: str) -> bool:
    mine, theirs = tokens(sentence), tokens(title)
    if not theirs:
        return False
    if mine[:len(theirs)] == theirs:
        return True
    shared = len(set(mine) & set(theirs)) / len(set(mine) | set(theirs))
    return shared >= 0.7


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


def load(split: str, titles: bool):
    """(articles, abstracts): OrangeSum valid (with or without their titles) or the first 150 test articles."""
    if split == "test":
        documents = (ORANGESUM / "source_documents.txt").read_text("utf-8").splitlines()
        gold = (ORANGESUM / "gold.txt").read_text("utf-8").splitlines()
        return [article_from_blocks(f"test-{i}", [(d, TEXT)]) for i, d in enumerate(documents)], gold
    articles, gold = [], []
    with gzip.open(VALID, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            blocks = ([(row["title"], TITLE)] if titles and row["title"] else []) + [(row["article"], TEXT)]
            articles.append(article_from_blocks(row["id"], blocks))
            gold.append(row["abstract"])
    return articles, gold


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["valid", "test"], default="valid",
                        help="valid: OrangeSum's 1,500 valid articles (where settings were chosen); test: the first "
                             "150 test articles (report once)")
    parser.add_argument("--sentences", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--words", type=int, nargs="*", default=[], help="other word budgets for learned")
    parser.add_argument("--algorithms", nargs="+", default=["learned", "lexrank-lead"],
                        help=f"among {', '.join(SUMMARIZERS)}")
    args = parser.parse_args(argv)
    source = ORANGESUM / "source_documents.txt" if args.split == "test" else VALID
    if not source.exists():
        print(f"OrangeSum {args.split} articles not found at {source} (../shared is not here): nothing to score",
              file=sys.stderr)
        return 2
    learned = make_summarizer("learned", "fr")
    budget = learned.default_words
    for titles in ([False] if args.split == "test" else [False, True]):
        articles, gold = load(args.split, titles)
        reference_words = statistics.mean(len(g.split()) for g in gold)
        print(f"\nOrangeSum {args.split}, {len(articles)} articles, {'with' if titles else 'without'} titles; "
              f"ROUGE F1 x100, Unicode tokenizer; the abstracts average {reference_words:.1f} words\n")
        print("| summary | R-1 | R-2 | R-L | words | vs abstracts | half quotes | orphan | title | ms/article |")
        print("|---|---|---|---|---|---|---|---|---|---|")

        def row(name, pick):
            started = time.perf_counter()
            chosen = [pick(a) for a in articles]
            elapsed = 1000 * (time.perf_counter() - started) / len(articles)
            texts = [[a.segments[i].text for i in c] for a, c in zip(articles, chosen)]
            r1, r2, rl, words = scores([" ".join(t) for t in texts], gold)
            half = sum(half_quoted(" ".join(t)) for t in texts)
            orphans = sum(bool(t) and orphan(t[0]) for t in texts)
            title = sum(any(repeats(s, a.title) for s in t) for a, t in zip(articles, texts)) if titles else "-"
            print(f"| {name} | {r1:.1f} | {r2:.1f} | {rl:.1f} | {words:.1f} | {words / reference_words:.0%} | {half} | "
                  f"{orphans} ({orphans / len(articles):.1%}) | {title} | {elapsed:.1f} |")

        row(f"**{learned.identity()}, default: within {budget} words**", lambda a: learned(a))
        for words in args.words:
            row(f"learned within {words} words", lambda a, w=words: learned(a, words=w))
        for count in args.sentences:
            for algorithm in args.algorithms:
                summarizer = learned if algorithm == "learned" else make_summarizer(algorithm, "fr")
                request = SummaryRequest(algorithm, count)
                row(f"{algorithm}, {count} sentences", lambda a, s=summarizer, r=request: choose_summary(a, s, r))
        for count in (1, 2, 3):
            row(f"lead-{count} (the first {count} sentences)", lambda a, n=count: a.body()[:n])

        def lead_within(article, words=budget):
            chosen, total = [], 0
            for i in article.body():
                size = len(article.segments[i].text.split())
                if chosen and total + size > words:
                    break
                chosen.append(i)
                total += size
            return chosen

        row(f"lead within {budget} words", lead_within)
        barthez = ORANGESUM / "barthez.txt"
        if args.split == "test" and barthez.exists():
            r1, r2, rl, words = scores(barthez.read_text("utf-8").splitlines(), gold)
            print(f"| barthez (published outputs, abstractive) | {r1:.1f} | {r2:.1f} | {rl:.1f} | {words:.1f} | "
                  f"{words / reference_words:.0%} | | | | |")
    if args.split == "test":
        print(f"\nBARThez paper: {PUBLISHED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
