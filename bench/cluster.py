"""A folder on a Dask cluster against the plain local run: articles/minute, and Dask's own cost per article.

    python bench/cluster.py                                   # tiny test models: passeur's and Dask's own cost
    python bench/cluster.py --size base --sentences 4 --articles 24

On one folder of OrangeSum articles (from ../shared/eval, one article per file), into en, ar, he,
no cache, each way in its own process, in --rounds interleaved rounds whose order rotates (medians):

  local            `passeur translate -r DAY -o OUT` (one batched stream per pair for the whole folder)
  per article      the same library call once per article, in one process, no Dask: what splitting
                   the folder by article costs by itself (smaller batches)
  dask 1 worker    `... --on dask://…`, one local worker process (one thread; passeur's default threads)
  dask 2 workers   two local worker processes, `--inter-threads 1` each (the 2 cores shared out)

The cluster (scheduler and workers on 127.0.0.1) is started before each timed run and is not
counted; the workers load their models inside the timed run. Dask's own cost per article is
(dask 1 worker - per article) / articles. The Dask outputs are checked byte for byte against the
per-article run's (and compared with the local run's: see the README on the shared length cap).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from day import articles, folder_arguments, with_models  # noqa: E402

PER_ARTICLE = """
import sys
from passeur import api
folder, out = sys.argv[1], sys.argv[2]
articles = api.read_articles([folder], recursive=True)
engine = api.open_engine(cache=False)
paths = api.plan_outputs(articles, "json", out, [folder])
for article, path in zip(articles, paths):
    api.write_results(api.translate([article], ["en", "ar", "he"], engine), "json", [path])
"""


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench/cluster.py: {' '.join(command[:4])} … failed: {result.stderr[-2000:]}")
    return seconds


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = folder_arguments(parser, argv)
    if args is None:
        return 2
    from distributed import LocalCluster

    work, env, passeur = with_models(args.size, "passeur-cluster-")
    day = work / "day"
    day.mkdir()
    for number, text in enumerate(articles(args.articles, args.sentences)):
        (day / f"article-{number:03}.txt").write_text(text, "utf-8")
    command = ["translate", "-r", str(day), "--format", "json", "--to", "en,ar,he", "--no-cache"]
    worker_env = {k: env[k] for k in ("ARGOS_PACKAGES_DIR", "PASSEUR_MAX_LENGTH_RATIO", "HOME", "XDG_DATA_HOME")}

    def on_cluster(workers: int, extra: list[str]):
        def way(out: Path) -> float:
            with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1",
                              dashboard_address="127.0.0.1:0", env=worker_env) as cluster:
                address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
                return timed(passeur + command + ["-o", str(out), "--on", address, *extra], env)
        return way

    ways = {
        "local": lambda out: timed(passeur + command + ["-o", str(out)], env),
        "per article": lambda out: timed([sys.executable, "-c", PER_ARTICLE, str(day), str(out)], env),
        "dask 1 worker": on_cluster(1, []),
        "dask 2 workers": on_cluster(2, ["--inter-threads", "1"]),
    }
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    names = list(ways)
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            out = work / f"out-{name.replace(' ', '-')}-{number}"
            seconds[name].append(ways[name](out))
        print(f"round {number + 1}: " + ", ".join(f"{name} {seconds[name][-1]:.1f} s" for name in names),
              file=sys.stderr)

    last = args.rounds - 1
    split = outputs(work / f"out-per-article-{last}")
    same = all(outputs(work / f"out-dask-{n}-{last}") == split for n in ("1-worker", "2-workers"))
    folder_same = outputs(work / f"out-local-{last}") == split
    median = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"{args.size} models, {args.articles} OrangeSum valid articles"
          f"{f' (first {args.sentences} sentences)' if args.sentences else ''}, fr→en, en→ar, en→he, no cache, "
          f"{args.rounds} rounds, medians\n")
    print("| way | seconds | articles/minute | vs local |")
    print("|---|---|---|---|")
    for name in names:
        print(f"| {name} | {median[name]:.1f} | {60 * args.articles / median[name]:.1f} | "
              f"{median['local'] / median[name]:.2f}× |")
    overhead = (median["dask 1 worker"] - median["per article"]) / args.articles
    split_cost = (median["per article"] - median["local"]) / args.articles
    print(f"\nDask's own cost: {overhead:+.3f} s per article (dask 1 worker - per article); splitting by article: "
          f"{split_cost:+.3f} s per article (per article - local)")
    print(f"Dask outputs byte for byte those of the per-article run: {'yes' if same else 'NO'}; "
          f"per-article run equal to the local folder run: {'yes' if folder_same else 'no'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
