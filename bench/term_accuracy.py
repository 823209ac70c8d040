"""Term accuracy of glossary enforcement: share of term occurrences rendered with an allowed form.

    python bench/term_accuracy.py              # founding article + WMT21 terminology dev set (fr→en)
    python bench/term_accuracy.py --harsh 3    # a model three times as bad with placeholders

Runs passeur's real pipeline (protect → translate → restore → fallback → check) with
bench/mimic.py's engine, which copies, mangles and drops placeholders at stated rates (see
its RATES). Reports, per language: occurrences, share with an allowed target form, the same
for do-not-translate terms, how they were enforced, and whether every failure was reported.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mimic import RATES, MimicEngine  # noqa: E402

from passeur.article import Article, Segment  # noqa: E402
from passeur.glossary import default_glossary  # noqa: E402
from passeur.glossary.check import contains  # noqa: E402
from passeur.glossary.formats import read_table  # noqa: E402
from passeur.pipeline import run  # noqa: E402
from passeur.result import STATUS_NO_EQUIVALENT, STATUS_OK  # noqa: E402
from passeur.translate.read import read_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WMT21 = SHARED / "eval" / "wmt21_terminology_en_fr" / "dev.en-fr.fr.sgm"


def wmt21(path: Path):
    """The WMT21 terminology dev set read French→English: sentences and a glossary of its terms."""
    segments, terms = [], {}
    term_re = re.compile(r'<term id="[^"]*" type="[^"]*" src="([^"]*)" tgt="[^"]*">(.*?)</term>')
    for line in path.read_text("utf-8").splitlines():
        match = re.match(r'<seg id="\d+">(.*)</seg>', line.strip())
        if not match:
            continue
        body = match.group(1)
        for english, french in term_re.findall(body):
            terms.setdefault(html.unescape(french).strip().lower(), set()).add(html.unescape(english).strip())
        segments.append(" ".join(html.unescape(term_re.sub(r"\2", body)).split()))
    rows = ["id\tfr\ten"] + [f"t{i}\t{fr}\t{'|'.join(sorted(en))}" for i, (fr, en) in enumerate(sorted(terms.items()))
                             if "|" not in fr and "\t" not in fr]
    return segments, read_table("\n".join(rows), "wmt21-dev.tsv", "\t")


def measure(name, article, targets, glossary, out):
    result = run([article], targets, MimicEngine(glossary), glossary=glossary)[0]
    by_id = glossary.by_id()
    for lang in targets:
        hits = [h for h in result.terms if h.lang == lang and h.status not in ("forbidden term used", "number mismatch")]
        scored = [h for h in hits if h.status != STATUS_NO_EQUIVALENT]
        ok = [h for h in scored if h.status == STATUS_OK]
        dnt = [h for h in scored if by_id[h.concept].dnt]
        dnt_ok = [h for h in dnt if h.status == STATUS_OK]
        how = Counter(h.enforced or "none" for h in scored)
        # Independent check that nothing failed silently: every occurrence whose sentence lacks
        # an allowed form must be reported as not ok.
        unreported = 0
        for h in scored:
            concept = by_id[h.concept]
            present = contains(result.translations[lang][h.sentence], concept.targets(lang, glossary.source), lang,
                               concept.case_sensitive)
            if not present and h.status == STATUS_OK:
                unreported += 1
        failures = len(scored) - len(ok)
        out.append(f"| {name} | {lang} | {len(scored)} | {100 * len(ok) / max(1, len(scored)):.1f} % | "
                   f"{100 * len(dnt_ok) / len(dnt):.1f} % ({len(dnt)})" if dnt else
                   f"| {name} | {lang} | {len(scored)} | {100 * len(ok) / max(1, len(scored)):.1f} % | n/a")
        out[-1] += (f" | {how['placeholder']} / {how['retry']} / {how['fallback']} / {how['none']} | "
                    f"{failures - unreported}/{failures} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harsh", type=float, default=1.0,
                        help="multiply the mangling and dropping rates by this factor (3 = a bad model)")
    args = parser.parse_args(argv)
    for kind in RATES:
        if kind != "copy":
            RATES[kind] *= args.harsh
    RATES["copy"] = 1 - sum(v for k, v in RATES.items() if k != "copy")
    out = ["| text | lang | term occurrences | allowed form | do-not-translate | enforced: placeholder / retry / fallback / none "
           "| failures reported |", "|---|---|---|---|---|---|---|"]
    article = read_article(ROOT / "examples" / "azure-cloud.fr.txt")
    measure("example article", article, ["en", "ar", "he"], default_glossary(), out)
    if not WMT21.is_file():
        print("\n".join(out))
        sys.exit(f"bench/term_accuracy.py: {WMT21} is absent: the WMT21 rows need ../shared/eval beside the repository")
    segments, glossary = wmt21(WMT21)
    wmt = Article("wmt21-dev", [Segment(s, i) for i, s in enumerate(segments)])
    measure(f"WMT21 terminology dev ({len(segments)} segments, {len(glossary.concepts)} terms)", wmt, ["en"], glossary, out)
    print("placeholder rates per hop: " + ", ".join(f"{k} {v:.2f}" for k, v in RATES.items()))
    print("\n".join(out))


if __name__ == "__main__":
    main()
