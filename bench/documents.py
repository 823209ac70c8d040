"""Documents: what a Word document costs passeur itself, and how it grows.

    python bench/documents.py            # 30 pages, 5 interleaved rounds; then doublings
    python bench/documents.py --quick    # 1 round, for a look

A 30-page report is made with python-docx from the OrangeSum articles the tests ship
(tests/data/orangesum/articles.txt): headings, paragraphs with bold and italic words, words split
across runs, a link per page, a footnote reference, a table. Its own cost is everything but
decoding: read (unzip, parse, runs merged, sentences), the pipeline with an engine that answers at
once (tags in, terms protected and restored, tags out), and the three documents written (en, ar,
he). The same text as a .txt article goes through the same steps (without the writing) side by
side: the ratio is what the document costs over plain text. Then the report at 1, 2, 4 and 8
times its size: time per doubling (2.0 is linear) and peak memory, each size in its own process.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests/data/orangesum/articles.txt"
WORDS_PER_PAGE = 500


def make_report(path: Path, pages: int) -> Path:
    import docx

    sys.path.insert(0, str(ROOT / "tests"))
    from docx_corpus import _add_footnotes, _hyperlink, _run

    lines = ARTICLES.read_text("utf-8").splitlines()
    document = docx.Document()
    document.add_heading("Revue de presse : une journée d’actualité", level=0)
    words, n = 0, 0
    while words < pages * WORDS_PER_PAGE:
        article = lines[n % len(lines)].split(". ")
        n += 1
        document.add_heading(" ".join(article[0].split()[:8]), level=1)
        for k in range(0, len(article), 3):
            text = ". ".join(article[k:k + 3]).strip()
            if not text:
                continue
            paragraph = document.add_paragraph()
            for i, word in enumerate(text.split(" ")):
                if i % 11 == 3:
                    _run(paragraph, word[:len(word) // 2], bold=True)
                    _run(paragraph, word[len(word) // 2:] + " ", bold=True)  # a word split across runs
                elif i % 17 == 5:
                    _run(paragraph, word + " ", italic=True)
                else:
                    _run(paragraph, word + " ")
            words += len(text.split())
        paragraph = document.add_paragraph("Source : ")
        _hyperlink(paragraph, f"https://example.org/article-{n}", "l’article complet")
        table = document.add_table(rows=2, cols=2)
        for cell, text in zip(table._cells, ("Rubrique", "Mots", "Actualité", str(words))):
            cell.text = text
    paragraph = document.add_paragraph("Fin de la revue")
    from docx_corpus import _xml

    _xml(paragraph, '<w:r><w:footnoteReference w:id="1"/></w:r>')
    _run(paragraph, ".")
    document.save(path)
    _add_footnotes(path)
    return path


class Instant:
    """An engine that answers at once: each sentence comes back as it went (tags and placeholders kept)."""

    name = "instant"

    def __new__(cls):
        from passeur.translate.engine import Engine

        class InstantEngine(Engine):
            def pairs(self):
                return {("fr", "en"), ("en", "ar"), ("en", "he")}

            def translate(self, sentences, source, target, progress=None):
                if progress:
                    progress(len(sentences))
                return list(sentences)

            def signature(self, source, target):
                return f"instant/{source}-{target}"

        return InstantEngine()


def one_round(docx_path: Path, txt_path: Path) -> dict[str, float]:
    import warnings

    from passeur import api
    from passeur.glossary import default_glossary
    from passeur.pipeline import run
    from passeur.translate.formats.docx import write

    warnings.simplefilter("ignore")
    glossary, engine = default_glossary(), Instant()
    times = {}
    for label, path in (("docx", docx_path), ("txt", txt_path)):
        started = time.process_time()
        articles = api.read_articles([str(path)])
        read = time.process_time()
        results = run(articles, ["en", "ar", "he"], engine, glossary)
        piped = time.process_time()
        if label == "docx":
            for lang in ("en", "ar", "he"):
                write(results[0], lang)
        done = time.process_time()
        times[f"{label} read"] = read - started
        times[f"{label} pipeline"] = piped - read
        times[f"{label} write"] = done - piped
        times[f"{label} total"] = done - started
        times[f"{label} sentences"] = len(articles[0].segments)
    return times


def child(path: str) -> None:
    """Read one document and write it once, in this process: time and peak memory as JSON."""
    import warnings

    from passeur import api
    from passeur.pipeline import run
    from passeur.translate.formats.docx import write

    warnings.simplefilter("ignore")
    started = time.process_time()
    articles = api.read_articles([path])
    results = run(articles, ["en"], Instant(), None)
    write(results[0], "en")
    print(json.dumps({"seconds": time.process_time() - started, "sentences": len(articles[0].segments),
                      "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    rounds = 1 if args.quick else args.rounds
    folder = Path(tempfile.mkdtemp())
    report = make_report(folder / "report.docx", args.pages)
    from passeur.translate.read import read_article
    import warnings

    warnings.simplefilter("ignore")
    text = "\n\n".join(" ".join(s.text for s in read_article(report).segments if s.paragraph == p)
                       for p in sorted({s.paragraph for s in read_article(report).segments}))
    txt = folder / "report.txt"
    txt.write_text(text, "utf-8")
    print(f"{args.pages}-page report: {report.stat().st_size / 1024:.0f} KB .docx, {len(text.split()):,} words")
    runs = [one_round(report, txt) for _ in range(rounds)]  # each round: the document, then the text, in turn
    print("| step | .docx (CPU s) | same text as .txt (CPU s) |")
    print("|---|---|---|")
    for step in ("read", "pipeline", "write", "total"):
        docx_s = statistics.median(r[f"docx {step}"] for r in runs)
        txt_s = statistics.median(r[f"txt {step}"] for r in runs)
        print(f"| {step} | {docx_s:.2f} | {txt_s:.2f} |" if step != "write" else f"| write en, ar, he | {docx_s:.2f} | – |")
    total = statistics.median(r["docx total"] for r in runs)
    ratio = statistics.median(r["docx total"] / r["txt total"] for r in runs)
    print(f"\nsentences: {runs[0]['docx sentences']:.0f}; the document's own cost {total:.2f} s "
          f"({'under' if total < 2 else 'OVER'} 2 s); {ratio:.2f}× the same text as plain text (median of {rounds})")
    print("\n| size | .docx | sentences | CPU seconds (read, pipeline, write en) | per doubling | peak RSS |")
    print("|---|---|---|---|---|---|")
    previous = None
    for factor in (1, 2, 4) if args.quick else (1, 2, 4, 8):
        path = make_report(folder / f"x{factor}.docx", args.pages * factor)
        out = json.loads(subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                                        check=True).stdout)
        step = f"{out['seconds'] / previous:.2f}" if previous else "–"
        previous = out["seconds"]
        print(f"| {args.pages * factor} pages | {path.stat().st_size / 1024:.0f} KB | {out['sentences']} | "
              f"{out['seconds']:.2f} | {step} | {out['rss']:.0f} MB |")


if __name__ == "__main__":
    main()
