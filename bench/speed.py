"""passeur against raw CTranslate2 on a matrix of input shapes: interleaved rounds, medians, spreads.

    python bench/fetch_data.py                    # once: the public sets, from their origins, checked
    python bench/speed.py                         # every shape, 3 interleaved rounds
    python bench/speed.py --data DIR --rounds 5 --shapes news,long

Shapes (each a real input to `passeur translate`, with its default glossary):
  headlines  24 journalists' titles (OrangeSum title test split), one per paragraph: short sentences
  news       12 FLORES-200 devtest lines, one per paragraph
  long       2 scraped OrangeSum test articles, each one long paragraph, sentences glued as scraped
  day        a folder of 5 articles (4 OrangeSum articles cut to title + 3 sentences, 6 FLORES
             lines), `passeur translate -r`: what a newsroom's day mixes
  glossary   examples/azure-cloud.fr.txt: 31 glossary terms in 26 sentences; with random-weight
             models most placeholders are lost, so the retry and fallback stages run
  heldout    12 NTREX-128 French lines: never run while the schedule was built (its timeline was
             read once since, to find why passeur was slower there: the hop tails)
  article    20 other NTREX-128 lines as one article of 5 paragraphs: added after that, never run
             while choosing anything

For each shape, passeur's run is first recorded in-process (every call to the engine: language
pair, inputs, phrases banned): that is the decoding work the shape takes. Then, per round, each
way runs in its own process (its own peak RSS), in an order rotated from round to round:

  raw      CTranslate2 translate_batch replaying those calls in order, each on pre-tokenized
           input, length-sorted batches of at most 8 sentences of one decoding cap, with no
           bound on a batch's decoding steps (passeur's cap rule: 1.3 x the sentence's tokens
           rounded up to 8, + 10; random weights never emit </s>), beam 4, int8, sentences past
           200 tokens cut as passeur cuts them; all batches of a call submitted at once, each
           translator loaded for its call and deleted after it. Its seconds are decoding only
           (loading excluded). One run per thread layout (--layouts); the best layout per shape
           is the one passeur is compared with.
  passeur  `passeur translate INPUT --to en,ar,he --format json -o OUT`, the real command, cold
           cache, default settings; its seconds are the whole process (start-up, loading,
           reading, segmentation, glossary, writing).

Checked, not assumed: raw's every decoded sentence equals the recorded run's, and the command's
JSON translations equal the recorded run's (so passeur and raw decode the same text). Ratios
are raw's best median seconds / passeur's median seconds; per-round ratios pair the two in the
same round. The machine is shared and noisy: read ratios and spreads, and the load printed.
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

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]
TARGETS = ["en", "ar", "he"]
RATIO = 1.3
BEAM = 4
BATCH = 8
SHAPES = ("headlines", "news", "long", "day", "glossary", "heldout", "article")
HELD_OUT = ("heldout", "article")  # never run while choosing settings


# ---- the shapes -------------------------------------------------------------------------------

def lines(data: Path, name: str) -> list[str]:
    path = data / name
    if not path.is_file():
        print(f"bench/speed.py: {path} is missing: run `python bench/fetch_data.py` (or give --data DIR)", file=sys.stderr)
        raise SystemExit(2)
    return [line.strip() for line in path.read_text("utf-8").splitlines()]


def shape_files(shape: str, data: Path) -> dict[str, str]:
    """The shape's article files: name -> text (several make a folder, run with -r)."""
    from passeur.translate.segment import split_sentences

    if shape == "headlines":
        return {"headlines.txt": "\n\n".join(lines(data, "orangesum_test_first150/title/gold.txt")[:24]) + "\n"}
    if shape == "news":
        return {"news.txt": "\n\n".join(lines(data, "flores200_devtest/fra_Latn.devtest")[:12]) + "\n"}
    if shape == "long":
        return {"long.txt": "\n\n".join(lines(data, "orangesum_test_first150/abstract/source_documents.txt")[:2]) + "\n"}
    if shape == "day":
        documents = lines(data, "orangesum_test_first150/title/source_documents.txt")[:4]
        titles = lines(data, "orangesum_test_first150/title/gold.txt")
        files = {f"article-{n}.txt": f"{titles[n]}\n\n" + " ".join(split_sentences(doc)[:3]) + "\n"
                 for n, doc in enumerate(documents)}
        files["brief.txt"] = "\n\n".join(lines(data, "flores200_devtest/fra_Latn.devtest")[200:206]) + "\n"
        return files
    if shape == "glossary":
        return {"azure-cloud.fr.txt": (ROOT / "examples" / "azure-cloud.fr.txt").read_text("utf-8")}
    if shape == "article":
        body = lines(data, "ntrex128/newstest2019-ref.fra.txt")[200:220]
        return {"article.txt": "\n\n".join(" ".join(body[k:k + 4]) for k in range(0, 20, 4)) + "\n"}
    if shape == "heldout":
        return {"ntrex.txt": "\n\n".join(lines(data, "ntrex128/newstest2019-ref.fra.txt")[:12]) + "\n"}
    raise ValueError(shape)


# ---- recording: the decoding work a shape takes ------------------------------------------------

def record(packages: Path, inputs: list[Path], recursive: bool) -> tuple[list[dict], list[dict]]:
    """passeur's run in this process, every engine call kept: (calls, translations per article)."""
    from passeur import api
    from passeur.translate.argos import ArgosEngine
    from passeur.translate.engine import Engine, EngineConfig

    class Recorder(ArgosEngine):
        """Hop by hop (the base class's plan), each call kept."""

        calls: list[dict] = []
        translate_plan = Engine.translate_plan

        def translate(self, sentences, source, target, progress=None):
            outputs = super().translate_avoiding(sentences, source, target, [()] * len(sentences), progress)
            self.calls.append({"pair": [source, target], "inputs": sentences, "banned": None, "outputs": outputs})
            return outputs

        def translate_avoiding(self, sentences, source, target, avoid, progress=None):
            outputs = ArgosEngine.translate_avoiding(self, sentences, source, target, avoid, progress)
            groups: dict[tuple, list[int]] = {}
            for index, phrases in enumerate(avoid):
                groups.setdefault(tuple(sorted(set(phrases))), []).append(index)
            for phrases, indices in groups.items():
                self.calls.append({"pair": [source, target], "inputs": [sentences[i] for i in indices],
                                   "banned": self.banned_sequences(phrases, source, target) if phrases else None,
                                   "outputs": [outputs[i] for i in indices]})
            return outputs

    config = EngineConfig(beam_size=BEAM, max_length_ratio=RATIO, max_batch_size=BATCH)
    engine = Recorder(config, packages)
    articles = api.read_articles([str(p) for p in inputs], recursive=recursive)
    results = api.translate(articles, TARGETS, engine)
    return engine.calls, [{t: r.translations[t] for t in TARGETS} for r in results]


# ---- children ----------------------------------------------------------------------------------

def child_raw(packages: Path, calls_file: Path, inter: int, intra: int) -> None:
    import ctranslate2
    import sentencepiece

    from passeur.translate.argos import MAX_PIECE, decoding_cap, split_long

    dirs = {pair: next(packages.glob(f"translate-{pair[0]}_{pair[1]}-*")) for pair in PAIRS}
    calls = json.loads(calls_file.read_text("utf-8"))
    decoding = 0.0
    loaded = translator = processor = None
    same = True
    for call in calls:
        pair = tuple(call["pair"])
        if pair != loaded:
            del translator  # one model's memory at a time
            processor = sentencepiece.SentencePieceProcessor(model_file=str(dirs[pair] / "sentencepiece.model"))
            translator = ctranslate2.Translator(str(dirs[pair] / "model"), compute_type="int8",
                                                inter_threads=inter, intra_threads=intra)
            loaded = pair
        started = time.perf_counter()
        units = []  # (tokens, sentence index, piece number): a sentence past MAX_PIECE tokens in pieces
        for index, tokens in enumerate(processor.encode(call["inputs"], out_type=str)):
            for number, piece in enumerate(split_long(tokens) if len(tokens) > MAX_PIECE else [tokens]):
                units.append((piece, index, number))
        units.sort(key=lambda unit: len(unit[0]))
        batches: list[list[tuple]] = []
        for unit in units:  # length-sorted, at most BATCH, one decoding cap each
            if batches and len(batches[-1]) < BATCH and \
                    decoding_cap(len(unit[0]), RATIO) == decoding_cap(len(batches[-1][0][0]), RATIO):
                batches[-1].append(unit)
            else:
                batches.append([unit])
        pending = [(batch, translator.translate_batch(
            [unit[0] for unit in batch], beam_size=BEAM, max_decoding_length=decoding_cap(len(batch[0][0]), RATIO),
            suppress_sequences=call["banned"], asynchronous=inter > 1)) for batch in batches]
        parts: dict[int, list] = {}
        for batch, results in pending:
            for unit, result in zip(batch, results):
                hypothesis = (result.result() if inter > 1 else result).hypotheses[0]
                parts.setdefault(unit[1], []).append((unit[2], hypothesis))
        decoding += time.perf_counter() - started
        outputs = [" ".join(processor.decode(tokens) for _, tokens in sorted(parts[i])) for i in range(len(call["inputs"]))]
        same = same and outputs == call["outputs"]
    print(json.dumps({"seconds": decoding, "same": same}))


# ---- the parent --------------------------------------------------------------------------------

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
    return {"seconds": wall, **report, "rss_mb": usage.ru_maxrss // 1024, "cpu": usage.ru_utime + usage.ru_stime}


def build_models() -> Path:
    models = OUT / "models"
    models.mkdir(parents=True, exist_ok=True)
    for src, tgt in PAIRS:
        path = models / f"translate-{src}_{tgt}.argosmodel"
        if not path.exists():  # in a child, as the recording: this process stays small (see main)
            print(f"building base model {src}:{tgt} ...", file=sys.stderr)
            subprocess.run([sys.executable, str(ROOT / "tests" / "make_model.py"), "--pair", f"{src}:{tgt}",
                            "--size", "base", "--out", str(path)], check=True, stdout=subprocess.DEVNULL)
    return models


def layouts(text: str) -> list[tuple[int, int]]:
    try:
        pairs = [tuple(int(n) for n in item.lower().split("x")) for item in text.split(",")]
    except ValueError:
        pairs = []
    if not pairs or any(len(p) != 2 or min(p) < 1 for p in pairs):
        raise argparse.ArgumentTypeError(f"{text!r}: give INTERxINTRA layouts, e.g. 1x2,2x1")
    return pairs


def shapes(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SHAPES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"{text!r}: choose among {', '.join(SHAPES)}")
    return chosen


def spread(values: list[float]) -> str:
    return f"{min(values):.1f}–{max(values):.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=BENCH / "data",
                        help="folder of the public sets (bench/fetch_data.py writes bench/data/)")
    parser.add_argument("--shapes", type=shapes, default=list(SHAPES), help=f"comma-separated among {','.join(SHAPES)}")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians need at least 3")
    parser.add_argument("--layouts", type=layouts, default=[(1, 2), (2, 1)],
                        help="raw CTranslate2 layouts, INTER_THREADSxINTRA_THREADS (default 1x2,2x1)")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=VALUE[,NAME=VALUE]",
                        help="also run passeur with these environment variables (settings to compare), e.g. "
                             "PASSEUR_MAX_BATCH_SIZE=16; repeatable")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--record", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.record:
        packages, calls_file, many, *inputs = args.record
        recorded = record(Path(packages), [Path(i) for i in inputs], many == "1")
        Path(calls_file).write_text(json.dumps(recorded, ensure_ascii=False), "utf-8")
        return 0
    if args.child:
        child_raw(Path(args.child[0]), Path(args.child[1]), int(args.child[2]), int(args.child[3]))
        return 0
    if not args.data.is_dir():
        print(f"bench/speed.py: {args.data} is missing: run `python bench/fetch_data.py`, or give --data DIR",
              file=sys.stderr)
        return 2
    if args.rounds < 3:
        print(f"bench/speed.py: warning: {args.rounds} round(s): medians of fewer than 3 say little here",
              file=sys.stderr)

    models = build_models()
    work = Path(tempfile.mkdtemp(prefix="passeur-bench-"))
    packages = work / "packages"
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PASSEUR_CACHE": str(work / "cache.sqlite"),
           "PASSEUR_MAX_LENGTH_RATIO": str(RATIO), "PASSEUR_BEAM_SIZE": str(BEAM), "PASSEUR_MAX_BATCH_SIZE": str(BATCH),
           "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data")}
    for name in ("PASSEUR_INTER_THREADS", "PASSEUR_INTRA_THREADS", "PASSEUR_COMPUTE_TYPE", "PASSEUR_DEVICE"):
        env.pop(name, None)
    os.environ.update({k: env[k] for k in ("ARGOS_PACKAGES_DIR", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")})
    passeur = [sys.executable, str(ROOT / "main.py")]
    subprocess.run(passeur + ["models", "install", str(models)], env=env, check=True, capture_output=True)
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    load = [os.getloadavg()[0]]

    ways: dict[str, list[tuple[str, list[str], Path | None]]] = {}  # shape -> (way, argv, output)
    recorded = {}
    for shape in args.shapes:
        folder = work / shape
        folder.mkdir()
        for name, text in shape_files(shape, args.data).items():
            (folder / name).write_text(text, "utf-8")
        many = len(list(folder.iterdir())) > 1
        inputs = [folder] if many else list(folder.iterdir())
        print(f"recording {shape} ...", file=sys.stderr)
        calls_file = work / f"{shape}.calls.json"
        # In a child: a process's peak RSS starts at its parent's when forked (the kernel keeps the
        # forked copy's high-water mark across exec), so this process never holds a model.
        subprocess.run(me[:-1] + ["--record", str(packages), str(calls_file), str(int(many)),
                                     *map(str, inputs)], env=env, check=True)
        calls, translations = json.loads(calls_file.read_text("utf-8"))
        calls_file.write_text(json.dumps(calls, ensure_ascii=False), "utf-8")
        recorded[shape] = (calls, translations)
        out = work / f"{shape}.out"
        ways[shape] = [(f"raw {inter}×{intra}", me + [str(packages), str(calls_file), str(inter), str(intra)], None, env)
                       for inter, intra in args.layouts]
        command = passeur + ["translate", *(["-r"] if many else []), *map(str, inputs), "--to", ",".join(TARGETS),
                             "--format", "json", "-o"]
        target = f"{out}{os.sep}" if many else str(out)  # a folder's articles go into a folder
        ways[shape].append(("passeur", command + [target], out, env))
        for number, variant in enumerate(args.variant):  # the same command with other settings, to compare
            changed = dict(item.split("=", 1) for item in variant.split(","))
            ways[shape].append((f"passeur {variant}", command + [f"{out}-{number}{os.sep if many else ''}"],
                                Path(f"{out}-{number}"),
                                {**env, **changed}))

    runs: dict[tuple[str, str], list[dict]] = {}
    for round_number in range(args.rounds):
        for shape in args.shapes:
            shift = round_number % len(ways[shape])
            for name, argv, out, way_env in ways[shape][shift:] + ways[shape][:shift]:
                (work / "cache.sqlite").unlink(missing_ok=True)
                report = run_child(argv, way_env)
                if out is not None:
                    report["same"] = same_translations(out, recorded[shape][1])
                runs.setdefault((shape, name), []).append(report)
                load.append(os.getloadavg()[0])
                print(f"round {round_number + 1}/{args.rounds}: {shape}: {name}: {report['seconds']:.2f} s, "
                      f"{report['rss_mb']} MB", file=sys.stderr)

    med = lambda key, field: statistics.median(r[field] for r in runs[key])
    print(f"\nbase-size int8 test models, fr→en, en→ar, en→he, beam {BEAM}, batches of ≤ {BATCH} sentences of one cap "
          f"({RATIO} × tokens rounded up to 8, + 10); medians of {args.rounds} interleaved rounds, [min–max]; "
          f"load average {min(load):.1f}–{max(load):.1f} on {os.cpu_count()} cores\n")
    print("| shape | sentences | decoded (sentence-hops) | raw best layout: s | passeur: s | passeur vs raw | per round "
          "| CPU s raw / passeur | peak RSS raw / passeur | same outputs |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        raw_names = [name for name, _, out, _ in ways[shape] if out is None]
        best = min(raw_names, key=lambda name: med((shape, name), "seconds"))
        raw = runs[(shape, best)]
        calls, translations = recorded[shape]
        sentences = len({s for t in translations for s in t["en"] if s is not None})
        decoded = sum(len(c["inputs"]) for c in calls)
        raw_same = all(r["same"] for name in raw_names for r in runs[(shape, name)])
        for name in [name for name, _, out, _ in ways[shape] if out is not None]:
            ours = runs[(shape, name)]
            ratio = med((shape, best), "seconds") / med((shape, name), "seconds")
            rounds = ", ".join(f"{r['seconds'] / p['seconds']:.2f}" for r, p in zip(raw, ours))
            print(f"| {shape}{' (held out)' if shape in HELD_OUT else ''} | {sentences} | {decoded} | {best}: "
                  f"{med((shape, best), 'seconds'):.1f} [{spread([r['seconds'] for r in raw])}] | "
                  f"{name}: {med((shape, name), 'seconds'):.1f} [{spread([r['seconds'] for r in ours])}] | "
                  f"**{ratio:.2f}×** | {rounds} | {med((shape, best), 'cpu'):.0f} / {med((shape, name), 'cpu'):.0f} | "
                  f"{med((shape, best), 'rss_mb'):.0f} / {med((shape, name), 'rss_mb'):.0f} MB | "
                  f"{'yes' if raw_same and all(r['same'] for r in ours) else 'NO'} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def same_translations(out: Path, expected: list[dict]) -> bool:
    """The command's JSON (one file, or one per article in a folder) against the recorded run's translations."""
    files = sorted(out.rglob("*.json")) if out.is_dir() else [out]
    got = [item for f in files for item in (lambda d: d if isinstance(d, list) else [d])(json.loads(f.read_text("utf-8")))]
    return [{t: g["translations"][t] for t in TARGETS} for g in got] == expected


if __name__ == "__main__":
    sys.exit(main())
