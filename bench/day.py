"""A newsroom's day: `passeur translate -r DAY/ -o OUT/` on 10, 50 and 200 articles.

    python bench/day.py                        # tiny test models: passeur's own cost, fast
    python bench/day.py --size base --sentences 4 --articles 10 50

Each run is the real command in its own process, on a folder of OrangeSum articles (from
../shared/eval, one article per file, cut to --sentences sentences if given), into en, ar, he,
with a new cache; then the same command again, which must translate nothing. It prints, per
folder size: the time, articles per minute, peak memory (max RSS of the process), and what the
second run took from the cache, and the longest sentence in source tokens: peak memory follows
it (beam search's buffers grow with the sentence decoded; a sentence is cut into pieces of at
most 200 tokens), not the number of articles. Time should grow linearly with the articles.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared" / "eval"
ORANGESUM = SHARED / "orangesum_train" / "valid.jsonl.gz"
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]


def articles(count: int, sentences: int | None) -> list[str]:
    import gzip

    from passeur.translate.segment import split_sentences

    out = []
    with gzip.open(ORANGESUM, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            body = split_sentences(item["article"])
            if sentences:
                body = body[:sentences]
            out.append(item["title"] + "\n\n" + " ".join(body) + "\n")
            if len(out) == count:
                break
    return out


def folder_arguments(parser: argparse.ArgumentParser, argv) -> argparse.Namespace | None:
    """--size and --sentences added, the arguments parsed; None (said on stderr) without ../shared/eval."""
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny")
    parser.add_argument("--sentences", type=int, help="keep only the first N sentences of each article")
    args = parser.parse_args(argv)
    if not ORANGESUM.is_file():
        print(f"{Path(sys.argv[0]).name}: {ORANGESUM} is absent: this benchmark needs ../shared/eval beside the "
              "repository", file=sys.stderr)
        return None
    return args


def with_models(size: str, prefix: str) -> tuple[Path, dict, list[str]]:
    """A new work folder with test models of `size` built and installed in it: (folder, the
    environment that uses them, the passeur command)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import make_model

    work = Path(tempfile.mkdtemp(prefix=prefix))
    models = work / "models"
    for source, target in PAIRS:
        make_model.build_package(source, target, size, models / f"translate-{source}_{target}.argosmodel")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(work / "packages"), "PASSEUR_MAX_LENGTH_RATIO": "1.3",
           "HOME": str(work / "home"), "XDG_DATA_HOME": str(work / "home" / "data")}
    passeur = [sys.executable, str(ROOT / "main.py")]
    subprocess.run(passeur + ["models", "install", str(models)], env=env, check=True, capture_output=True)
    return work, env, passeur


def run(command: list[str], env: dict) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB of this very run, stderr), with GNU time's max RSS."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "maxrss %M", *command], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench/day.py: {' '.join(command)} failed: {result.stderr[-2000:]}")
    peak = int(result.stderr.rsplit("maxrss ", 1)[1].split()[0])
    return seconds, peak // 1024, result.stderr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10, 50, 200])
    args = folder_arguments(parser, argv)
    if args is None:
        return 2
    from passeur.translate.segment import split_sentences

    work, env, passeur = with_models(args.size, "passeur-day-")
    texts = articles(max(args.articles), args.sentences)
    print(f"{args.size} models, {'first ' + str(args.sentences) + ' sentences of ' if args.sentences else ''}"
          f"OrangeSum valid articles, fr→en, en→ar, en→he\n")
    import sentencepiece

    pieces = sentencepiece.SentencePieceProcessor(
        model_file=str(next((work / "packages").glob("translate-fr_en*/sentencepiece.model"))))
    print("| articles | sentences | longest sentence | first run | articles/minute | peak RSS | second run | from the cache |")
    print("|---|---|---|---|---|---|---|---|")
    for count in args.articles:
        day = work / f"day-{count}"
        day.mkdir()
        for number, text in enumerate(texts[:count]):
            (day / f"article-{number:03}.txt").write_text(text, "utf-8")
        cache = work / f"cache-{count}.sqlite"
        command = passeur + ["translate", "-r", str(day), "-o", str(work / f"out-{count}"), "--format", "json",
                             "--to", "en,ar,he", "--cache", str(cache)]
        first, peak, log = run(command, env)
        second, _, again = run(command, env)
        summary = next(line for line in log.splitlines() if line.startswith("translated "))
        sentences = summary.split("(")[1].split()[0]
        longest = max(len(pieces.encode(sentence)) for text in texts[:count] for block in text.split("\n\n")
                      for sentence in split_sentences(block))
        cached = next((line for line in again.splitlines() if "from the cache" in line), "")
        cut = " (decoded in pieces of ≤ 200)" if longest > 200 else ""
        print(f"| {count} | {sentences} | {longest} tokens{cut} | {first:.1f} s | {60 * count / first:.1f} | "
              f"{peak} MB | {second:.1f} s | {cached.rsplit('; ', 1)[-1] if cached else 'nothing'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
