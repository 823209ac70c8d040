"""Scale: a 10,000-concept glossary and a 50 MB article.

    python bench/scale.py

Glossary: 10,000 concepts made of FLORES French word pairs (plus the shipped newsroom
glossary), matched on the 500 FLORES devtest sentences; reports compile time and protect time
per sentence against the 15-concept default. Article: OrangeSum articles repeated to 50 MB,
read and segmented in a child process; reports time and peak memory.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def big_glossary(size: int):
    from passeur.glossary import default_glossary
    from passeur.glossary.model import Concept, Glossary

    words = re.findall(r"[a-zà-ÿ]{5,}", (SHARED / "eval/tico19_test/tico19-test.fra").read_text("utf-8").lower())
    pairs = list(dict.fromkeys(f"{a} {b}" for a, b in zip(words, words[1:]) if a != b))
    base = default_glossary()
    concepts = list(base.concepts) + [Concept(f"c{i}", {"fr": (p,), "en": (f"term {i}",)}) for i, p in enumerate(pairs[:size])]
    return Glossary("big", base.languages, tuple(concepts)), len(concepts)


def protect_speed(glossary, sentences):
    from passeur.glossary.match import TermMatcher
    from passeur.glossary.protect import protect

    started = time.perf_counter()
    matcher = TermMatcher(glossary)
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    found = sum(len(protect(s, matcher.find(s)).slots) for s in sentences)
    return compiled, (time.perf_counter() - started) / len(sentences), found


def child_article(path: str) -> None:
    from passeur.translate.read import read_article

    started = time.perf_counter()
    article = read_article(path)
    print(json.dumps({"seconds": time.perf_counter() - started, "sentences": len(article.segments),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--article":
        child_article(sys.argv[2])
        return 0
    if not (SHARED / "eval").is_dir():
        sys.exit(f"bench/scale.py: {SHARED / 'eval'} is absent: this benchmark needs ../shared/eval beside the repository")
    from passeur.glossary import default_glossary

    sentences = (SHARED / "eval/flores200_devtest/fra_Latn.devtest").read_text("utf-8").splitlines()
    print("| glossary | concepts | compile | protect per sentence | terms found in 500 sentences |")
    print("|---|---|---|---|---|")
    small = default_glossary()
    compiled, per, found = protect_speed(small, sentences)
    print(f"| newsroom (shipped) | {len(small.concepts)} | {compiled * 1000:.1f} ms | {per * 1e6:.0f} µs | {found} |")
    big, count = big_glossary(10_000)
    compiled, per, found = protect_speed(big, sentences)
    print(f"| synthetic | {count} | {compiled * 1000:.0f} ms | {per * 1e6:.0f} µs | {found} |")

    articles = (SHARED / "eval/orangesum_test_first150/abstract/source_documents.txt").read_text("utf-8").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        with open(path, "w", encoding="utf-8") as out:
            out.write("Un très long article\n\n")
            size = 0
            while size < 50 * 1024 * 1024:
                for text in articles:
                    out.write(text + "\n\n")
                    size += len(text.encode("utf-8")) + 2
        result = subprocess.run([sys.executable, __file__, "--article", str(path)], capture_output=True, text=True,
                                check=True, cwd=ROOT)
        report = json.loads(result.stdout)
        print(f"\n50 MB article ({path.stat().st_size / 1e6:.0f} MB): read and segmented into {report['sentences']} "
              f"sentences in {report['seconds']:.1f} s, peak {report['rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
