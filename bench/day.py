"""A newsroom's day: `passeur translate -r DAY/ -o OUT/` on 100, 300 and 1,000 articles.

    python bench/fetch_data.py                 # once: OrangeSum, from its origin, checked
    python bench/day.py                        # tiny test models: passeur's own cost, fast
    python bench/day.py --size base --sentences 1 --articles 100 300

Each run is the real command in its own process, on a folder of OrangeSum articles (from the
data folder, one article per file with its journalist's title, cut to --sentences sentences if
given), into en, ar, he, with a new cache; then the same command again, which must translate
nothing. It prints, per folder size: the time, articles per minute, when the first article's
output was written (articles are written as their group is done, not at the end), peak memory
(max RSS of the process), and what the second run took from the cache. Time should grow
linearly with the articles, and peak memory not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]
# the public sets: fetched by bench/fetch_data.py, else this team's copy beside the repository
DATA = next((p for p in (BENCH / "data", ROOT.parent / "shared" / "eval") if p.is_dir()), BENCH / "data")


def articles(count: int, sentences: int | None, data: Path | None = None) -> list[str]:
    """OrangeSum articles with their titles: the validation split where the data folder has it, else
    the title task's test split (bench/fetch_data.py)."""
    import gzip

    from passeur.translate.segment import split_sentences

    data = data or DATA
    valid = data / "orangesum_train" / "valid.jsonl.gz"
    if valid.is_file():
        with gzip.open(valid, "rt", encoding="utf-8") as lines:
            items = [(item["title"], item["article"]) for item in map(json.loads, lines)]
    else:
        folder = data / "orangesum_test" / "title"
        items = list(zip(*((folder / name).read_text("utf-8").splitlines() for name in ("gold.txt", "source_documents.txt"))))
    out = []
    for title, body in items[:count]:
        body = split_sentences(body)
        out.append(title + "\n\n" + " ".join(body[:sentences] if sentences is not None else body) + "\n")
    return out


def folder_arguments(parser: argparse.ArgumentParser, argv) -> argparse.Namespace | None:
    """--size, --sentences and --data added, the arguments parsed; None (said on stderr) without articles."""
    global DATA
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny")
    parser.add_argument("--sentences", type=int, help="keep only the first N sentences of each article's body")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder of the public sets (bench/fetch_data.py writes bench/data/)")
    args = parser.parse_args(argv)
    DATA = args.data
    if not ((DATA / "orangesum_train" / "valid.jsonl.gz").is_file() or (DATA / "orangesum_test" / "title" / "gold.txt").is_file()):
        print(f"{Path(sys.argv[0]).name}: no OrangeSum articles in {DATA}: run `python bench/fetch_data.py`, "
              "or give --data DIR", file=sys.stderr)
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
    parser.add_argument("--articles", type=int, nargs="+", default=[100, 300, 1000])
    args = folder_arguments(parser, argv)
    if args is None:
        return 2
    work, env, passeur = with_models(args.size, "passeur-day-")
    texts = articles(max(args.articles), args.sentences)
    print(f"{args.size} models, {'title and first ' + str(args.sentences) + ' sentences of ' if args.sentences is not None else ''}"
          f"OrangeSum articles, fr→en, en→ar, en→he; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| articles | sentences | first run | articles/minute | first article written | peak RSS | second run | from the cache |")
    print("|---|---|---|---|---|---|---|---|")
    for count in args.articles:
        day = work / f"day-{count}"
        day.mkdir()
        for number, text in enumerate(texts[:count]):
            (day / f"article-{number:04}.txt").write_text(text, "utf-8")
        cache = work / f"cache-{count}.sqlite"
        out = work / f"out-{count}"
        command = passeur + ["translate", "-r", str(day), "-o", str(out), "--format", "json",
                             "--to", "en,ar,he", "--cache", str(cache)]
        started = time.time()
        first, peak, log = run(command, env)
        written = min(path.stat().st_mtime for path in out.glob("*.json")) - started
        second, _, again = run(command, env)
        summary = next(line for line in log.splitlines() if line.startswith("translated "))
        sentences = summary.split("(")[1].split()[0]
        cached = next((line for line in again.splitlines() if "from the cache" in line), "")
        print(f"| {count} | {sentences} | {first:.1f} s | {60 * count / first:.1f} | after {written:.1f} s | "
              f"{peak} MB | {second:.1f} s | {cached.rsplit('; ', 1)[-1] if cached else 'nothing'} |", flush=True)
        shutil.rmtree(day)
        shutil.rmtree(out)
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
