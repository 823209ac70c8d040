"""passeur against raw CTranslate2 (and argostranslate when installed), side by side, one run.

    python bench/speed.py                     # 16 French sentences, base-size models, beam 4, int8
    python bench/speed.py --sentences 40 --repeat 3

Builds transformer-base test models (tests/make_model.py --size base) once into bench/out/,
takes French sentences from FLORES-200 and OrangeSum (../shared/eval), and measures on the
same sentences, with the same decoding settings and the same length cap (random weights
never emit </s>: every way decodes to 1.3 x the longest source in its batch + 10):

  raw     CTranslate2 translate_batch on pre-tokenized input, fr→en then en→ar and en→he,
          length-sorted batches of 8, at each thread layout tried (the floor is the best);
  argos   argostranslate.translate for en, ar, he (only if its full stack is installed);
  passeur `passeur translate FILE --to en,ar,he --format json -o OUT`, the real command
          (start-up, reading, segmentation, glossary, writing included), cold then warm cache.

Each way runs in its own process, so peak memory (max RSS) is its own. Times are medians of
--repeat runs; the machine is shared and noisy, so read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
OUT = BENCH / "out"
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]
RATIO = 1.3
BEAM = 4
BATCH = 8  # small enough that 16-24 sentences make several batches, for inter_threads to matter


def french_sentences(count: int) -> list[str]:
    """Half FLORES, half the first sentences of OrangeSum articles; each one sentence for passeur."""
    sys.path.insert(0, str(ROOT))
    from translate.segment import split_sentences

    flores = (SHARED / "eval/flores200_devtest/fra_Latn.devtest").read_text("utf-8").splitlines()
    orange = (SHARED / "eval/orangesum_test_first150/abstract/source_documents.txt").read_text("utf-8").splitlines()
    picked = [s.strip() for s in flores if len(split_sentences(s)) == 1][: count // 2]
    for doc in orange:
        if len(picked) >= count:
            break
        first = split_sentences(doc)[0]
        if 5 <= len(first.split()) <= 60 and first[-1] in ".!?":
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


def run_child(args: list[str], env: dict) -> tuple[dict, float, int]:
    """Run a measuring child; return its JSON report, wall time, and its own peak RSS in MB."""
    started = time.perf_counter()
    out_file, err_file = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(args, stdout=out_file, stderr=err_file, env=env, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out_file.seek(0)
    err_file.seek(0)
    out, err = out_file.read(), err_file.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:4])}… failed:\n{err[-2000:]}")
    report = json.loads(out.strip().splitlines()[-1]) if out.strip().startswith("{") else {}
    return report, wall, usage.ru_maxrss // 1024


# ---- children --------------------------------------------------------------------------------

def child_raw(packages: Path, sentences_file: Path, inter: int, intra: int) -> None:
    started = time.perf_counter()
    import ctranslate2
    import sentencepiece

    dirs = {pair: next(packages.glob(f"translate-{pair[0]}_{pair[1]}-*")) for pair in PAIRS}
    sp = sentencepiece.SentencePieceProcessor(model_file=str(dirs[("fr", "en")] / "sentencepiece.model"))
    translators = {pair: ctranslate2.Translator(str(d / "model"), compute_type="int8", inter_threads=inter,
                                                intra_threads=intra) for pair, d in dirs.items()}
    sentences = sentences_file.read_text("utf-8").splitlines()
    tokens = sp.encode(sentences, out_type=str)
    loaded = time.perf_counter()
    first = None

    def run(pair, inputs):
        nonlocal first
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))
        results = [None] * len(inputs)
        pending = []
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            cap = int(RATIO * max(len(inputs[i]) for i in batch)) + 10
            async_result = translators[pair].translate_batch([inputs[i] for i in batch], beam_size=BEAM,
                                                             max_decoding_length=cap, asynchronous=inter > 1)
            pending.append((batch, async_result))
        for batch, result in pending:
            for i, r in zip(batch, result):
                results[i] = (r.result() if inter > 1 else r).hypotheses[0]
            if first is None:
                first = time.perf_counter()
        return results

    english = run(("fr", "en"), tokens)
    # Any text pipeline detokenizes the English and tokenizes it again for the second hop;
    # doing the same keeps every way's decoding lengths (and so its work) identical.
    english_input = sp.encode([sp.decode(t) for t in english], out_type=str)
    arabic = run(("en", "ar"), english_input)
    hebrew = run(("en", "he"), english_input)
    done = time.perf_counter()
    target_tokens = sum(len(t) for t in english + arabic + hebrew)
    print(json.dumps({"seconds": done - loaded, "target_tokens": target_tokens, "ready": loaded - started,
                      "first": first - started, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


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
            kwargs["max_decoding_length"] = int(RATIO * max(len(t) for t in tokens)) + 10
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
    first = None
    for sentence in sentences:
        for target in ("en", "ar", "he"):
            argos.translate(sentence, "fr", target)
            first = first or time.perf_counter()
    done = time.perf_counter()
    print(json.dumps({"seconds": done - loaded, "ready": loaded - started, "first": first - started}))


def child_first_sentence(sentences_file: Path) -> None:
    """passeur as a library: time until the first translated batch comes back."""
    started = time.perf_counter()
    from translate.document import article_from_blocks
    from translate.engine import load_engine
    from translate.pipeline import TranslationJob

    sentences = sentences_file.read_text("utf-8").splitlines()
    article = article_from_blocks("bench", [("Titre", True)] + [(s, False) for s in sentences])
    job = TranslationJob([article], ["en", "ar", "he"], load_engine("argos"))
    first = []
    job.run(lambda n: first or first.append(time.perf_counter()))
    print(json.dumps({"first": first[0] - started,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


# ---- the parent --------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--argos-python", default=str(OUT / "argos-venv" / "bin" / "python"),
                        help="a Python with argostranslate's full stack (stanza, torch), to measure it too: "
                             "python3.11 -m venv bench/out/argos-venv && bench/out/argos-venv/bin/pip install "
                             "torch==2.13.0 argostranslate==1.11.0")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "raw":
            child_raw(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]))
        elif kind == "argos":
            child_argos(Path(rest[0]))
        elif kind == "first":
            child_first_sentence(Path(rest[0]))
        return 0

    models = build_models()
    work = Path(tempfile.mkdtemp(prefix="passeur-bench-"))
    packages = work / "packages"
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PASSEUR_CACHE": str(work / "cache.sqlite"),
           "PASSEUR_MAX_LENGTH_RATIO": str(RATIO), "PASSEUR_BEAM_SIZE": str(BEAM), "PASSEUR_MAX_BATCH_SIZE": str(BATCH),
           "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data"),
           "ARGOS_DEVICE_TYPE": "cpu", "ARGOS_BEAM_SIZE": str(BEAM), "ARGOS_COMPUTE_TYPE": "int8"}
    passeur = [sys.executable, str(ROOT / "main.py")]
    subprocess.run(passeur + ["models", "install", str(models)], env=env, check=True, capture_output=True)
    sentences = french_sentences(args.sentences)
    sentences_file = work / "sentences.txt"
    sentences_file.write_text("\n".join(sentences) + "\n", "utf-8")
    article = work / "article.txt"
    article.write_text("Titre\n\n" + "\n\n".join(sentences) + "\n", "utf-8")
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    rows = []

    def measure(name, make_args, before=None):
        walls, reports = [], []
        for _ in range(args.repeat):
            if before:
                before()
            report, wall, rss = run_child(make_args(), env)
            walls.append(report.get("seconds", wall))
            reports.append((report, wall, rss))
        rows.append((name, statistics.median(walls), reports))
        print(f"{name}: {statistics.median(walls):.2f} s", file=sys.stderr)

    layouts = [(1, 1), (1, 2), (2, 1)]
    for inter, intra in layouts:
        measure(f"raw CTranslate2 inter {inter} intra {intra}",
                lambda: me + ["raw", str(packages), str(sentences_file), str(inter), str(intra)])
    clear = lambda: (work / "cache.sqlite").unlink(missing_ok=True)  # noqa: E731
    out_json = work / "out.json"
    translate = lambda: passeur + ["translate", str(article), "--to", "en,ar,he", "--format", "json", "-o", str(out_json)]  # noqa: E731
    for inter, intra in layouts:
        env["PASSEUR_INTER_THREADS"], env["PASSEUR_INTRA_THREADS"] = str(inter), str(intra)
        measure(f"passeur cold cache inter {inter} intra {intra}", translate, before=clear)
    env.pop("PASSEUR_INTER_THREADS")
    env.pop("PASSEUR_INTRA_THREADS")
    measure("passeur cold cache, default threads", translate, before=clear)
    measure("passeur warm cache", translate)
    argos_python = Path(args.argos_python)
    has_argos = argos_python.exists() and subprocess.run(
        [str(argos_python), "-c", "import argostranslate.translate"], env=env, capture_output=True).returncode == 0
    if has_argos:
        measure("argostranslate translate()",
                lambda: [str(argos_python), str(Path(__file__).resolve()), "--child", "argos", str(sentences_file)])
    first, _, first_rss = run_child(me + ["first", str(sentences_file)], env)
    helps = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(passeur + ["--help"], env=env, check=True, capture_output=True)
        helps.append(time.perf_counter() - started)

    raw = [r for r in rows if r[0].startswith("raw")]
    floor = min(raw, key=lambda r: r[1])
    tokens = floor[2][0][0]["target_tokens"]
    print(f"\n{len(sentences)} French sentences → en, ar, he (3 passes), base-size int8 models, beam {BEAM}, "
          f"cap {RATIO} x longest + 10, batches of {BATCH}, median of {args.repeat}\n")
    print("| way | seconds | sentences/s | target tokens/s | vs raw floor | ready / first sentence | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, reports in rows:
        report = reports[0][0]
        ready = (f"{report['ready']:.2f} s / {report['first']:.2f} s" if "ready" in report else "")
        print(f"| {name} | {seconds:.2f} | {3 * len(sentences) / seconds:.2f} | {tokens / seconds:.0f} | "
              f"{floor[1] / seconds:.2f} | {ready} | {max(r[2] for r in reports)} MB |")
    print(f"\npasseur: first translated batch {first['first']:.2f} s after start (library, {first_rss} MB); "
          f"`passeur --help` median {statistics.median(helps):.3f} s; raw floor: {floor[0]}")
    if not has_argos:
        print(f"argostranslate's translate() was not measured: no {argos_python} with its stack (see --argos-python)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
