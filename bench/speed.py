"""passeur against raw CTranslate2, side by side in one run: interleaved rounds, medians.

    python bench/speed.py                         # 24 French sentences, 3 interleaved rounds
    python bench/speed.py --sentences 40 --rounds 5
    python bench/speed.py --layouts 1x1,1x2,2x1   # raw CTranslate2 thread layouts to try
    python bench/speed.py --skip 12               # other sentences than the default sample

Builds transformer-base test models (tests/make_model.py --size base) once into bench/out/,
takes French sentences from FLORES-200 and OrangeSum (../shared/eval), and measures, on the
same sentences and with the same decoding (beam 4, int8, length-sorted batches of at most 8,
each sentence capped at 1.3 x its own length rounded up to 8 tokens + 10, since random weights
never emit </s>, and a batch holding sentences of one cap: translate/argos.py, decoding_cap):

  raw      CTranslate2 translate_batch on pre-tokenized input, fr→en then en→ar and en→he
           (each distinct English sentence once, as passeur does, so the batches are the same),
           each translator loaded for its hop and deleted after it, batches submitted in
           length order, glibc's malloc as it comes; one run per thread layout (--layouts).
           Its seconds are decoding only (loading excluded). The best layout is the floor.
           (--raw-jobs adds raw decoding each batch in passeur's jobs, for reference.)
  passeur  `passeur translate ARTICLE --to en,ar,he --format json -o OUT`, the real command,
           cold cache, default settings; its seconds are the whole process (start-up, loading,
           segmentation, glossary, writing). The article's title is the first sentence, so
           passeur translates exactly the raw sentences, in the same batches with the same caps
           (it decodes each batch in smaller jobs: translate/argos.py, JOB_TOKENS).
  passeur, glibc tuned
           the same with glibc's malloc tuned through its environment (MALLOC_MMAP_THRESHOLD_,
           MALLOC_TRIM_THRESHOLD_, MALLOC_ARENA_MAX): what an allocator setting would add.

A round runs every way once, each in its own process (peak RSS, page faults and kernel time
are its own), in an order rotated from round to round; the table gives medians over rounds.
Throughput vs raw is raw floor seconds / passeur seconds (same sentences, same tokens); the
per-round ratios pair runs of the same round. The machine is shared and noisy: read ratios.
Afterwards, once: a warm-cache run, the time to passeur's first translated batch, `passeur
--help`, and argostranslate's translate() if bench/out/argos-venv has its stack.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from passeur.translate.argos import decoding_cap

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
OUT = BENCH / "out"
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]
TARGETS = ["en", "ar", "he"]
RATIO = 1.3
BEAM = 4
# glibc's malloc kept from mmapping every regrown beam-search buffer, one heap for all threads
GLIBC_TUNED = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 20), "MALLOC_ARENA_MAX": "1"}
BATCH = 8  # small enough that 24 sentences make several batches, for inter_threads to matter


def french_sentences(count: int, skip: int = 0) -> list[str]:
    """Half FLORES, half the first sentences of OrangeSum articles; each one sentence for passeur.
    `skip` passes over that many candidates of each corpus first (another sample, same kind)."""
    from passeur.translate.segment import split_sentences

    flores = (SHARED / "eval/flores200_devtest/fra_Latn.devtest").read_text("utf-8").splitlines()
    orange = (SHARED / "eval/orangesum_test_first150/abstract/source_documents.txt").read_text("utf-8").splitlines()
    picked = [s.strip() for s in flores if len(split_sentences(s)) == 1][skip: skip + count // 2]
    candidates = (split_sentences(doc)[0] for doc in orange)
    candidates = [s for s in candidates if 5 <= len(s.split()) <= 60 and s[-1] in ".!?"]
    for first in candidates[skip:]:
        if len(picked) >= count:
            break
        if first not in picked:
            picked.append(first)
    return picked


def build_models() -> Path:
    models = OUT / "models"
    models.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "tests"))
    import make_model

    for src, tgt in PAIRS:
        path = models / f"translate-{src}_{tgt}.argosmodel"
        if not path.exists():
            print(f"building base model {src}:{tgt} ...", file=sys.stderr)
            make_model.build_package(src, tgt, "base", path)
    return models


def run_child(args: list[str], env: dict) -> dict:
    """Run a measuring child: its JSON report, plus wall time and its own rusage."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen(args, stdout=out_file, stderr=err_file, env=env, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:4])}… failed:\n{err[-2000:]}")
    report = json.loads(out.strip().splitlines()[-1]) if out.strip().startswith("{") else {}
    return {**report, "wall": wall, "rss_mb": usage.ru_maxrss // 1024, "faults": usage.ru_minflt,
            "kernel": usage.ru_stime, "user": usage.ru_utime}


# ---- children --------------------------------------------------------------------------------

def child_raw(packages: Path, sentences_file: Path, inter: int, intra: int, outputs_file: Path,
              job_tokens: int = 0) -> None:
    import ctranslate2
    import sentencepiece

    dirs = {pair: next(packages.glob(f"translate-{pair[0]}_{pair[1]}-*")) for pair in PAIRS}
    sentences = sentences_file.read_text("utf-8").splitlines()
    started = time.perf_counter()
    decoding = loading = 0.0
    first = None

    def run(pair, texts):
        nonlocal decoding, loading, first
        t0 = time.perf_counter()
        sp = sentencepiece.SentencePieceProcessor(model_file=str(dirs[pair] / "sentencepiece.model"))
        translator = ctranslate2.Translator(str(dirs[pair] / "model"), compute_type="int8",
                                            inter_threads=inter, intra_threads=intra)
        inputs = sp.encode(texts, out_type=str)
        t1 = time.perf_counter()
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))
        results = [None] * len(inputs)
        pending = []
        jobs = {"max_batch_size": job_tokens, "batch_type": "tokens"} if job_tokens else {}
        batches: list[list[int]] = []
        for i in order:  # passeur's batches: length-sorted, at most BATCH, one decoding cap each
            if batches and len(batches[-1]) < BATCH and decoding_cap(len(inputs[i]), RATIO) == \
                    decoding_cap(len(inputs[batches[-1][0]]), RATIO):
                batches[-1].append(i)
            else:
                batches.append([i])
        for batch in batches:
            cap = decoding_cap(len(inputs[batch[0]]), RATIO)
            async_result = translator.translate_batch([inputs[i] for i in batch], beam_size=BEAM,
                                                      max_decoding_length=cap, asynchronous=inter > 1, **jobs)
            pending.append((batch, async_result))
        for batch, result in pending:
            for i, r in zip(batch, result):
                results[i] = (r.result() if inter > 1 else r).hypotheses[0]
            if first is None:
                first = time.perf_counter()
        t2 = time.perf_counter()
        del translator  # as passeur does: one model's memory at a time
        loading += t1 - t0
        decoding += t2 - t1
        return [sp.decode(tokens) for tokens in results], sum(len(tokens) for tokens in results)

    english, tokens = run(("fr", "en"), sentences)
    outputs = {"en": english}
    # A text pipeline detokenizes the English and tokenizes it again for the second hop, and
    # translates each distinct English sentence once, as passeur does (random weights can give
    # two French sentences the same English): the same inputs, so the same batches.
    distinct = list(dict.fromkeys(english))
    for target in ("ar", "he"):
        translated, count = run(("en", target), distinct)
        by_english = dict(zip(distinct, translated))
        outputs[target] = [by_english[sentence] for sentence in english]
        tokens += count
    outputs_file.write_text(json.dumps(outputs, ensure_ascii=False), "utf-8")
    print(json.dumps({"seconds": decoding, "loading": loading, "target_tokens": tokens,
                      "first": first - started}))


def child_argos(sentences_file: Path) -> None:
    """argostranslate's own translate(), run offline: its sentence splitter (MiniSBD, which
    downloads a model) sees whole inputs, each one sentence already; decoding gets the same
    cap as the other ways. Sentence-major order, so its one-entry cache makes it 3 passes."""
    started = time.perf_counter()
    import types

    import argostranslate.translate as argos
    import ctranslate2

    class Capped:
        def __init__(self, *args, **kwargs):
            self._translator = ctranslate2.Translator(*args, **kwargs)

        def translate_batch(self, tokens, **kwargs):
            kwargs["max_decoding_length"] = max(decoding_cap(len(t), RATIO) for t in tokens)
            return self._translator.translate_batch(tokens, **kwargs)

    class WholeInput:
        def __init__(self, pkg):
            pass

        def split_sentences(self, text):
            return [text]

    argos.ctranslate2 = types.SimpleNamespace(Translator=Capped)
    argos.MiniSBDSentencizer = WholeInput
    sentences = sentences_file.read_text("utf-8").splitlines()
    loaded = time.perf_counter()
    for sentence in sentences:
        for target in TARGETS:
            argos.translate(sentence, "fr", target)
    print(json.dumps({"seconds": time.perf_counter() - loaded, "ready": loaded - started}))


def child_first_batch(article_file: Path) -> None:
    """passeur as a library: time until the first translated batch comes back, then stop."""
    started = time.perf_counter()
    from passeur import api
    from passeur.pipeline import Progress

    class FirstBatch(Progress):
        def advance(self, amount: int) -> None:
            print(json.dumps({"first": time.perf_counter() - started}), flush=True)
            os._exit(0)  # without waiting for the batches still decoding

    api.translate(api.read_articles([str(article_file)]), TARGETS, api.open_engine("argos", cache=False),
                  progress=FirstBatch())


# ---- the parent --------------------------------------------------------------------------------

def layouts(text: str) -> list[tuple[int, int]]:
    try:
        pairs = [tuple(int(n) for n in item.lower().split("x")) for item in text.split(",")]
    except ValueError:
        pairs = []
    if not pairs or any(len(p) != 2 or min(p) < 1 for p in pairs):
        raise argparse.ArgumentTypeError(f"{text!r}: give INTERxINTRA layouts, e.g. 1x2,2x1")
    return pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=24)
    parser.add_argument("--skip", type=int, default=0,
                        help="pass over this many sentences of each corpus first: a sample other than the default one")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians need at least 3")
    parser.add_argument("--layouts", type=layouts, default=[(1, 2), (2, 1)],
                        help="raw CTranslate2 layouts, INTER_THREADSxINTRA_THREADS (default 1x2,2x1)")
    parser.add_argument("--raw-jobs", action="store_true",
                        help="also run raw CTranslate2 at passeur's layout with its batches decoded in passeur's jobs "
                             "of JOB_TOKENS source tokens (for reference: not plain CTranslate2, never the floor)")
    parser.add_argument("--argos-python", default=str(OUT / "argos-venv" / "bin" / "python"),
                        help="a Python with argostranslate's full stack (stanza, torch), to measure it too: "
                             "python3.11 -m venv bench/out/argos-venv && bench/out/argos-venv/bin/pip install "
                             "torch==2.13.0 argostranslate==1.11.0")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "raw":
            child_raw(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]), Path(rest[4]), int(rest[5]) if rest[5:] else 0)
        elif kind == "argos":
            child_argos(Path(rest[0]))
        elif kind == "first":
            child_first_batch(Path(rest[0]))
        return 0
    if not (SHARED / "eval").is_dir():
        print(f"bench/speed.py: {SHARED / 'eval'} is missing: the benchmark's French sentences come from there "
              "(FLORES-200, OrangeSum); it needs ../shared/eval beside the repository", file=sys.stderr)
        return 2
    if args.rounds < 3:
        print(f"bench/speed.py: warning: {args.rounds} round(s): medians of fewer than 3 say little here",
              file=sys.stderr)

    from passeur.translate.argos import JOB_TOKENS
    from passeur.translate.engine import EngineConfig

    default = EngineConfig()
    models = build_models()
    work = Path(tempfile.mkdtemp(prefix="passeur-bench-"))
    packages = work / "packages"
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PASSEUR_CACHE": str(work / "cache.sqlite"),
           "PASSEUR_MAX_LENGTH_RATIO": str(RATIO), "PASSEUR_BEAM_SIZE": str(BEAM), "PASSEUR_MAX_BATCH_SIZE": str(BATCH),
           "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data"),
           "ARGOS_DEVICE_TYPE": "cpu", "ARGOS_BEAM_SIZE": str(BEAM), "ARGOS_COMPUTE_TYPE": "int8"}
    for name in ("PASSEUR_INTER_THREADS", "PASSEUR_INTRA_THREADS", "PASSEUR_COMPUTE_TYPE", *GLIBC_TUNED):
        env.pop(name, None)
    passeur = [sys.executable, str(ROOT / "main.py")]
    subprocess.run(passeur + ["models", "install", str(models)], env=env, check=True, capture_output=True)
    sentences = french_sentences(args.sentences, args.skip)
    sentences_file = work / "sentences.txt"
    sentences_file.write_text("\n".join(sentences) + "\n", "utf-8")
    # The first sentence is the title: passeur then translates exactly these sentences.
    article = work / "article.txt"
    article.write_text("\n\n".join(sentences) + "\n", "utf-8")
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    clear_cache = lambda: (work / "cache.sqlite").unlink(missing_ok=True)

    ways = []  # (name, argv, env, output file, before)
    for inter, intra in args.layouts:
        out = work / f"raw-{inter}x{intra}.json"
        ways.append((f"raw CTranslate2, {inter} worker{'s' * (inter > 1)} × {intra} thread{'s' * (intra > 1)}",
                     me + ["raw", str(packages), str(sentences_file), str(inter), str(intra), str(out)], env, out, None))
    if args.raw_jobs:
        inter, intra = default.inter_threads, default.intra_threads
        out = work / "raw-jobs.json"
        ways.append((f"raw CTranslate2, {inter}×{intra}, in passeur's jobs of {JOB_TOKENS} tokens (reference, not the floor)",
                     me + ["raw", str(packages), str(sentences_file), str(inter), str(intra), str(out),
                           str(JOB_TOKENS)], env, out, None))
    out = work / "passeur.json"
    ways.append(("passeur translate, default settings", passeur + [
        "translate", str(article), "--to", ",".join(TARGETS), "--format", "json", "-o", str(out)], env, out, clear_cache))
    out = work / "passeur-glibc-tuned.json"
    ways.append(("passeur, glibc malloc tuned by environment (reference)", passeur + [
        "translate", str(article), "--to", ",".join(TARGETS), "--format", "json", "-o", str(out)],
        {**env, **GLIBC_TUNED}, out, clear_cache))

    runs: dict[str, list[dict]] = {name: [] for name, *_ in ways}
    for round_number in range(args.rounds):
        shift = round_number % len(ways)
        for name, argv, way_env, _, before in ways[shift:] + ways[:shift]:
            if before:
                before()
            report = run_child(argv, way_env)
            report.setdefault("seconds", report["wall"])
            runs[name].append(report)
            print(f"round {round_number + 1}/{args.rounds}: {name}: {report['seconds']:.2f} s, "
                  f"{report['rss_mb']} MB", file=sys.stderr)

    median = lambda name, key: statistics.median(r[key] for r in runs[name])
    raw_names = [w[0] for w in ways[:len(args.layouts)]]
    passeur_ways = [w for w in ways if not w[0].startswith("raw")]
    floor = min(raw_names, key=lambda name: median(name, "seconds"))
    same_layout = next((name for name, layout in zip(raw_names, args.layouts)
                        if layout == (default.inter_threads, default.intra_threads)), floor)
    tokens = runs[floor][0]["target_tokens"]

    # The same decoding means the same translations: check it rather than assume it.
    raw_out = json.loads(ways[raw_names.index(floor)][3].read_text("utf-8"))
    identical = {}
    for name, _, _, out, _ in passeur_ways:
        got = json.loads(out.read_text("utf-8"))
        got = got[0] if isinstance(got, list) else got
        identical[name] = (got["source"]["sentences"] == sentences
                           and all(got["translations"][t] == raw_out[t] for t in TARGETS))

    print(f"\n{len(sentences)} French sentences → {', '.join(TARGETS)} (3 hops), base-size int8 models, beam {BEAM}, "
          f"length-sorted batches of at most {BATCH} sentences of one cap ({RATIO} × tokens rounded up to 8, + 10); medians of {args.rounds} "
          f"interleaved rounds\n")
    print(f"| way | seconds | sentences/s | target tokens/s | throughput vs raw floor | peak RSS | RSS vs raw "
          f"{default.inter_threads}×{default.intra_threads} | page faults | kernel s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, *_ in ways:
        seconds, rss = median(name, "seconds"), median(name, "rss_mb")
        print(f"| {name}{' (**the floor**)' if name == floor else ''} | {seconds:.2f} | "
              f"{3 * len(sentences) / seconds:.2f} | {tokens / seconds:.0f} | {median(floor, 'seconds') / seconds:.2f}× | "
              f"{rss:.0f} MB | {rss / median(same_layout, 'rss_mb'):.2f}× | {median(name, 'faults') / 1e6:.2f} M | "
              f"{median(name, 'kernel'):.1f} |")

    main_way = passeur_ways[0][0]
    per_round = [f"{r['seconds'] / p['seconds']:.2f}" for r, p in zip(runs[floor], runs[main_way])]
    print(f"\npasseur vs the raw floor ({floor}): throughput {median(floor, 'seconds') / median(main_way, 'seconds'):.2f}× "
          f"(medians; per round {', '.join(per_round)}); peak RSS {median(main_way, 'rss_mb') / median(same_layout, 'rss_mb'):.2f}× "
          f"raw's at the same layout ({median(main_way, 'rss_mb'):.0f} MB against {median(same_layout, 'rss_mb'):.0f} MB)")
    print("same translations as raw: " + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in identical.items()))

    warm = run_child(passeur_ways[0][1], env)
    first = run_child(me + ["first", str(article)], env)
    helps = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(passeur + ["--help"], env=env, check=True, capture_output=True)
        helps.append(time.perf_counter() - started)
    print(f"passeur, warm cache (same article again): {warm['wall']:.2f} s, {warm['rss_mb']} MB; first translated batch "
          f"{first['first']:.2f} s after start (library; raw floor {median(floor, 'first'):.2f} s with loading); "
          f"`passeur --help` {statistics.median(helps):.3f} s")

    argos_python = Path(args.argos_python)
    if argos_python.exists() and subprocess.run([str(argos_python), "-c", "import argostranslate.translate"],
                                                env=env, capture_output=True).returncode == 0:
        argos = run_child([str(argos_python), str(Path(__file__).resolve()), "--child", "argos", str(sentences_file)], env)
        print(f"argostranslate translate() (once, its own batching): {argos['seconds']:.2f} s, "
              f"{argos['seconds'] / median(main_way, 'seconds'):.2f}× passeur's time, {argos['rss_mb']} MB")
    else:
        print(f"argostranslate's translate() was not measured: no {argos_python} with its stack (see --argos-python)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
