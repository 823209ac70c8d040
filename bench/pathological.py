"""Pathological inputs of growing size, stage by stage: is the time linear?

    python bench/pathological.py            # sizes ×1, ×2, ×4, ×8 (about a minute and a half)
    python bench/pathological.py --quick    # smaller, ×1, ×2, ×4 (CI: tests/test_hostile.py)

Each row is one stage fed one kind of hostile input (the cases of docs/robustness.md): a run
of full stops, a 20 MB paragraph, "*a " repeated, unclosed comments and tags, words at the
length limit, a large index, a crowded archive. The input doubles from column to column;
the last column is the time ratio per doubling, about 2 for linear time (4 would be
quadratic). Timings are the best of a few runs, on whatever machine this is: read the
ratios, not the seconds. Nothing here is asserted; the test only checks that it completes.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "tests" / "data" / "orangesum" / "articles.txt"


def timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def stages(folder: Path):
    """(stage, input, base size in units, unit name, make(n) -> a function to time)."""
    from passeur.glossary.formats import read_tsv
    from passeur.glossary.check import check_sentence, find_form
    from passeur.glossary.match import TermMatcher, fold
    from passeur.translate import models
    from passeur.translate.langid import detect
    from passeur.translate.read import MAX_WORD, read_article
    from passeur.translate.segment import split_sentences

    news = " ".join(NEWS.read_text("utf-8").splitlines())

    def article(name: str, text: str):
        path = folder / name
        path.write_text(text, "utf-8")
        return lambda: read_article(path)

    def paragraph(n: int) -> str:
        return (news + " ") * (n // (len(news) + 1) + 1)

    def index(n: int):
        good = {"type": "translate", "from_code": "fr", "to_code": "en", "package_version": "1.9",
                "links": ["https://example.org/translate-fr_en-1_9.argosmodel"], "size": 100_000_000}
        entries = [dict(good, package_version=f"1.{i}") if i % 2 else {"from_code": i, "links": 5} for i in range(n)]
        path = folder / f"index-{n}.json"
        path.write_text(json.dumps(entries), "utf-8")
        return lambda: models.fetch_index(path.as_uri())

    def archive(n: int):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            zipped.writestr("p/metadata.json", json.dumps({"from_code": "fr", "to_code": "en", "package_version": "1"}))
            zipped.writestr("p/model/model.bin", b"\0" * 1000)
            zipped.writestr("p/sentencepiece.model", b"\0" * 1000)
            for i in range(n - 3):
                zipped.writestr(f"p/extra/{i}.txt", b"x" * 100)
        path = folder / f"archive-{n}.argosmodel"
        path.write_bytes(buffer.getvalue())
        return lambda: models._check_archive(path)

    def checking(source: str, target: str):
        glossary = read_tsv(b"id\tfr\ten\nvirus\tvirus\tvirus\n", "terms.tsv")
        found = TermMatcher(glossary).find(source)

        def run():
            fold.cache_clear()
            find_form.cache_clear()
            return check_sentence(0, source, found, target, "en", glossary)
        return run

    return [
        ("segment", "full stops after a colon (were exponential)", 1 << 20, "chars",
         lambda n: lambda: split_sentences("Signature du lecteur :" + "." * n)),
        ("segment", "glued sentences `mot.Le `", 1 << 19, "chars",
         lambda n: lambda: split_sentences("mot.Le " * (n // 7))),
        ("read .txt", "one news paragraph, no blank line", 5 << 19, "chars",
         lambda n: article(f"p{n}.txt", "Titre\n\n" + paragraph(n))),
        ("read .md", "unclosed emphasis `*a ` (was quadratic)", 1 << 18, "chars",
         lambda n: article(f"e{n}.md", "*a " * (n // 3))),
        ("read .md", "headings followed by spaces", 1 << 20, "chars",
         lambda n: article(f"h{n}.md", ("# Titre" + " " * 4000 + "\n\nTexte.\n\n") * (n // 4016))),
        ("read .md", f"words of {MAX_WORD:,} characters with `_` (the limit)", 1 << 19, "chars",
         lambda n: article(f"w{n}.md", ("a_" * (MAX_WORD // 2) + " ") * (n // (MAX_WORD + 1)))),
        ("read .html", "unclosed comments `<!--` (were quadratic)", 1 << 19, "chars",
         lambda n: article(f"c{n}.html", "<p>Texte.</p>" + "<!--" * (n // 4))),
        ("read .html", "unclosed tags `<div><svg><p>Texte.`", 1 << 19, "chars",
         lambda n: article(f"t{n}.html", "<div><svg><p>Texte. " * (n // 20))),
        ("read .html", "attribute soup `<a b='>' `", 1 << 19, "chars",
         lambda n: article(f"a{n}.html", "<p>Texte.</p>" + "<a b='>' " * (n // 9))),
        ("glossary terms", "plural terms after plural nouns, the words before each read", 1 << 18, "chars",
         lambda n: (lambda matcher: lambda: matcher.find("lingettes désinfectantes " * (n // 25)))(
             TermMatcher(read_tsv(b"id\tfr\ten\nd\tdesinfectant\tdisinfectant\n", "terms.tsv")))),
        ("glossary check", "one term 1 time per 10 characters, in source and translation (was quadratic)", 1 << 17,
         "chars", lambda n: checking("les virus " * (n // 10), "the viruses " * (n // 10))),
        ("language check", "a news paragraph", 1 << 21, "chars", lambda n: (lambda text: lambda: detect(text))(paragraph(n))),
        ("models index", "entries, half of them invalid", 1 << 13, "entries", index),
        ("models archive", "entries checked before unpacking (at most 1,000)", 100, "entries", archive),
    ]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    factors = (1, 2, 4) if quick else (1, 2, 4, 8)
    repeat = 1 if quick else 2
    print("| stage | input | " + " | ".join(f"×{f}" for f in factors) + " | time ratio per doubling |")
    print("|---|---|" + "---|" * len(factors) + "---|")
    import warnings

    from passeur.errors import PasseurWarning

    warnings.simplefilter("ignore", PasseurWarning)  # the index's invalid entries: one warning each run
    with tempfile.TemporaryDirectory() as tmp:
        for stage, label, base, unit, make in stages(Path(tmp)):
            base = base // 8 if quick else base
            times = []
            for factor in factors:
                function = make(base * factor)
                times.append(timed(function, repeat))
            ratios = [later / max(earlier, 1e-6) for earlier, later in zip(times, times[1:])]
            size = f"{base:,} {unit} at ×1"
            print(f"| {stage} | {label}; {size} | " + " | ".join(f"{t * 1000:,.0f} ms" for t in times)
                  + " | " + " ".join(f"{r:.1f}" for r in ratios) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
