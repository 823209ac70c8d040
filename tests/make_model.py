"""Build a real Argos Translate package from seeded random weights.

No real translation model can be downloaded where passeur is developed and tested, so the
tests and the benchmark build their own: a CTranslate2 transformer written through its spec
API (numpy only, no torch) and a SentencePiece model trained offline, zipped in the
`.argosmodel` layout with a metadata.json. The output is gibberish, but every real code path
runs: install, load, tokenize, batch, beam search, decode.

    python tests/make_model.py --pair fr:en --size tiny --out translate-fr_en.argosmodel

`base` has the dimensions of a real Argos transformer-base model (6+6 layers, d_model 512,
8 heads, FFN 2048, 8k shared vocabulary) and is meant for benchmarks; `tiny` builds in a few
seconds and is what the tests use.

Two choices make the random model behave enough like a real one to catch bugs (both measured
when these tests were built): the output projection is not tied to the embeddings (tied
weights make every sentence decode to the same repeated token, which hides caching and alignment bugs),
and the output is restricted to ordinary word pieces of the target language's script, so
English comes out Latin, Arabic Arabic and Hebrew Hebrew. Random weights never emit `</s>`:
callers cap the decoding length.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "flores200"  # shipped excerpts, see tests/data/README.md
FLORES_FILES = {
    "fr": "fra_Latn.devtest",
    "en": "eng_Latn.devtest",
    "ar": "arb_Arab.devtest",
    "he": "heb_Hebr.devtest",
}
LANGUAGE_NAMES = {"fr": "French", "en": "English", "ar": "Arabic", "he": "Hebrew"}
SCRIPTS = {"fr": "LATIN", "en": "LATIN", "ar": "ARABIC", "he": "HEBREW"}


@dataclass(frozen=True)
class Size:
    layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int
    corpus_lines: int


SIZES = {
    "tiny": Size(layers=2, d_model=64, heads=4, ffn=128, vocab=1000, corpus_lines=250),
    "base": Size(layers=6, d_model=512, heads=8, ffn=2048, vocab=8000, corpus_lines=500),
}


def corpus_lines(corpus_dir: Path, languages: list[str], count: int) -> list[str]:
    lines: list[str] = []
    for lang in languages:
        path = corpus_dir / FLORES_FILES[lang]
        if not path.exists():
            sys.exit(f"make_model: {path} is missing: pass --corpus DIR with FLORES-200 devtest files")
        lines += path.read_text(encoding="utf-8").splitlines()[:count]
    return lines


def train_sentencepiece(lines: list[str], vocab_size: int, out_prefix: Path) -> Path:
    import sentencepiece as spm

    text = out_prefix.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(out_prefix),
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,
        minloglevel=2,
    )
    return out_prefix.with_suffix(".model")


def is_target_piece(piece: str, target: str) -> bool:
    """An ordinary word piece written in the target language's script."""
    letters = [c for c in piece.lstrip("\u2581") if c.isalpha()]
    if not letters or len(letters) != len(piece.lstrip("\u2581")):
        return False
    return all(SCRIPTS[target] in unicodedata.name(c, "") for c in letters)


def build_spec(size: Size, vocabulary: list[str], target: str, rng, favour: str | None = None):
    import numpy as np
    from ctranslate2.specs import TransformerSpec

    d, f, v = size.d_model, size.ffn, len(vocabulary)
    spec = TransformerSpec.from_config((size.layers, size.layers), size.heads)

    def matrix(rows, cols):
        return rng.normal(0.0, 1.0 / np.sqrt(cols), (rows, cols)).astype(np.float32)

    def vector(n, scale=0.02):
        return rng.normal(0.0, scale, n).astype(np.float32)

    def layer_norm(ln):
        ln.gamma = np.ones(d, dtype=np.float32)
        ln.beta = np.zeros(d, dtype=np.float32)

    def linear(lin, rows, cols):
        lin.weight = matrix(rows, cols)
        lin.bias = vector(rows)

    def ffn(spec_ffn):
        layer_norm(spec_ffn.layer_norm)
        linear(spec_ffn.linear_0, f, d)
        linear(spec_ffn.linear_1, d, f)

    spec.encoder.embeddings[0].weight = rng.normal(0.0, 1.0, (v, d)).astype(np.float32)
    layer_norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        layer_norm(layer.self_attention.layer_norm)
        ffn(layer.ffn)

    spec.decoder.embeddings.weight = rng.normal(0.0, 1.0, (v, d)).astype(np.float32)
    layer_norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        layer_norm(layer.attention.layer_norm)
        ffn(layer.ffn)

    # Untied output projection; everything but target-script word pieces is pushed far down.
    spec.decoder.projection.weight = matrix(v, d) * 4.0
    allowed = np.array([is_target_piece(p, target) for p in vocabulary])
    spec.decoder.projection.bias = np.where(allowed, 0.0, -1.0e4).astype(np.float32)
    if favour is not None:
        # A model with a habit: it writes this piece whenever it may (a rendering a glossary forbids).
        spec.decoder.projection.bias[vocabulary.index(favour)] = 1.0e3

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def build_package(
    source: str,
    target: str,
    size_name: str,
    out: Path,
    seed: int = 0,
    version: str = "1.0",
    corpus_dir: Path = CORPUS,
    quantization: str = "int8",
    favour: str | None = None,
) -> Path:
    import numpy as np
    import sentencepiece as spm

    size = SIZES[size_name]
    digest = hashlib.sha256(f"{source}:{target}:{size_name}:{seed}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    code = f"translate-{source}_{target}"
    top = f"{code}-{version.replace('.', '_')}"

    with tempfile.TemporaryDirectory(prefix="passeur-make-model-") as tmp:
        work = Path(tmp)
        pkg_dir = work / top
        pkg_dir.mkdir()
        lines = corpus_lines(corpus_dir, list(FLORES_FILES), size.corpus_lines)
        sp_model = train_sentencepiece(lines, size.vocab, work / "sentencepiece")
        (pkg_dir / "sentencepiece.model").write_bytes(sp_model.read_bytes())

        processor = spm.SentencePieceProcessor(model_file=str(sp_model))
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        vocabulary = ["<blank>"] + pieces
        spec = build_spec(size, vocabulary, target, rng, favour)
        spec.optimize(quantization=quantization)
        (pkg_dir / "model").mkdir()
        spec.save(str(pkg_dir / "model"))

        metadata = {
            "package_version": version,
            "argos_version": "1.11",
            "from_code": source,
            "from_name": LANGUAGE_NAMES.get(source, source),
            "to_code": target,
            "to_name": LANGUAGE_NAMES.get(target, target),
            "links": [],
        }
        (pkg_dir / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (pkg_dir / "README.md").write_text(
            f"# {code} (random weights)\n\nA test package built by passeur's tests/make_model.py "
            f"(size {size_name}, seed {seed}). Its translations are gibberish.\n",
            encoding="utf-8",
        )

        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(pkg_dir.rglob("*")):
                archive.write(path, path.relative_to(work).as_posix())
        partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pair", required=True, help="source:target, e.g. fr:en")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--out", required=True, type=Path, help="the .argosmodel file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--version", default="1.0", help="package_version in metadata.json")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="folder with FLORES-200 devtest files to train SentencePiece on (default: tests/data/flores200)")
    args = parser.parse_args(argv)
    source, _, target = args.pair.partition(":")
    if source not in FLORES_FILES or target not in FLORES_FILES:
        parser.error(f"--pair must be two of {', '.join(FLORES_FILES)}, e.g. fr:en")
    build_package(source, target, args.size, args.out, seed=args.seed, version=args.version,
                  corpus_dir=args.corpus)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
