"""Term accuracy of glossary enforcement: allowed forms, agreement with the sentence, forbidden renderings.

    python bench/term_accuracy.py              # example article (en, ar, he) + WMT21 terminology dev (fr→en)
    python bench/term_accuracy.py --harsh 3    # a model three times as bad with placeholders

Runs passeur's real pipeline (protect → translate → restore → retry → fallback → check) with
bench/mimic.py's engine, which copies, mangles and drops placeholders at stated rates (its
RATES), and, unprotected, renders a term the glossary's way or its own (the source form
copied, which the default glossary forbids for Tsahal in English).

Per text and language it reports: occurrences; the share with an allowed target form (any
singular or plural form of the glossary); agreement (WMT21: the English form the reference
translation uses, e.g. "symptoms" for "ces symptômes"; the example article: a plural form
where the source is plural); forbidden renderings left in the output; how terms were
enforced; and whether every failure was reported (an independent check of the output).

The WMT21 glossary is built as a newsroom would write it: one concept per annotated term, the
French forms and the English term in the singular (plurals come from matching and inflection).
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
from passeur.glossary.match import fold  # noqa: E402
from passeur.pipeline import run  # noqa: E402
from passeur.result import STATUS_FORBIDDEN, STATUS_NO_EQUIVALENT, STATUS_OK, STATUS_WRONG_FORM  # noqa: E402
from passeur.translate.read import read_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WMT21 = SHARED / "eval" / "wmt21_terminology_en_fr" / "dev.en-fr.fr.sgm"
INVARIABLE = {"cas", "pays", "fois", "temps", "corps", "prix", "avis", "virus", "sida", "poids", "bras", "mois",
              "repas", "dos", "choix", "voix", "gaz", "nez", "os", "souris", "processus", "tissus", "vis"}
TERM = re.compile(r'<term id="([^"]*)" type="[^"]*" src="([^"]*)" tgt="([^"]*)">(.*?)</term>')


def wmt21(path: Path):
    """The WMT21 terminology dev set read French→English: segments, the reference English form of
    each annotated occurrence (segment, French text, English form), and a newsroom-style glossary."""
    import inflect

    english = inflect.engine()

    def singular(term: str) -> str:
        """The singular of an English term when it is a plural noun ("symptoms"), else the term."""
        if not term[:1].islower() or term.endswith(("is", "us", "ss")):
            return term
        candidate = english.singular_noun(term)
        return candidate if candidate and english.plural_noun(candidate) == term else term

    def singular_fr(phrase: str) -> str:
        """A French plural phrase in the singular, word by word ("mesures de distanciation sociale")."""
        return " ".join(w[:-1] if len(w) > 3 and w.endswith(("s", "x")) and not w.endswith("ss")
                        and w not in INVARIABLE else w for w in phrase.split())

    segments, references = [], []
    pairs: Counter = Counter()  # (French form as annotated, English lemma) -> occurrences
    plural_fr: dict[str, set] = {}
    for line in path.read_text("utf-8").splitlines():
        match = re.match(r'<seg id="\d+">(.*)</seg>', line.strip())
        if not match:
            continue
        body = match.group(1)
        for _, src, _, french in TERM.findall(body):
            src, french = html.unescape(src).strip(), " ".join(html.unescape(french).lower().split())
            references.append((len(segments), french, src))
            lemma = singular(src)
            if lemma != src:  # a plural: the glossary lists the singular, and the plural as plural:fr
                plural_fr.setdefault(singular_fr(french), set()).add(french)
                french = singular_fr(french)
            pairs[(french, lemma)] += 1
        segments.append(" ".join(html.unescape(TERM.sub(r"\4", body)).split()))
    # Each French form goes to the English term it most often translates (one concept per English term).
    best: dict[str, tuple[int, str]] = {}
    for (french, lemma), count in pairs.items():
        key = fold(french, False)
        if key not in best or count > best[key][0]:
            best[key] = (count, lemma, french)
    concepts: dict[str, list[str]] = {}
    for count, lemma, french in best.values():
        concepts.setdefault(lemma, []).append(french)
    rows = ["id\tfr\ten\tplural:fr"]
    for number, (lemma, forms) in enumerate(sorted(concepts.items())):
        plurals = sorted({p for f in forms for p in plural_fr.get(f, ()) if fold(p, False) not in best})
        if "|" not in lemma and not any("|" in f or "\t" in f for f in forms + plurals):
            rows.append(f"t{number}\t{'|'.join(sorted(forms))}\t{lemma}\t{'|'.join(plurals)}")
    return segments, references, read_table("\n".join(rows) + "\n", "wmt21-dev.tsv", "\t")


class Unbanning(MimicEngine):
    """The same engine, unable to ban anything while decoding (what --no-suppression measures)."""

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        return super().translate_avoiding(sentences, source, target, [()] * len(sentences), progress)


def measure(name, article, targets, glossary, out, references=None, suppress=True, style="psr"):
    engine = (MimicEngine if suppress else Unbanning)(glossary)
    result = run([article], targets, engine, glossary=glossary, style=style)[0]
    by_id = glossary.by_id()
    for lang in targets:
        hits = [h for h in result.terms if h.lang == lang and h.concept in by_id]
        scored = [h for h in hits if h.status not in (STATUS_NO_EQUIVALENT, STATUS_FORBIDDEN)]
        forbidden = [h for h in hits if h.status == STATUS_FORBIDDEN]
        text = result.translations[lang]
        allowed = [h for h in scored
                   if contains(text[h.sentence], by_id[h.concept].targets(lang, glossary.source)
                               + by_id[h.concept].plural_forms(lang, glossary.source), lang,
                               by_id[h.concept].case_sensitive)]
        agree = [h for h in scored if h.status == STATUS_OK]
        if references is not None:
            agree = [r for r in references if re.search(rf"(?<!\w){re.escape(r[2].lower())}(?!\w)", text[r[0]].lower())]
            agree_total = len(references)
        else:
            agree_total = len(scored)
        how = Counter(h.enforced or "none" for h in scored)
        # Independent check that nothing failed silently: an occurrence whose sentence lacks an
        # allowed form, or only has the wrong number, must not be reported ok.
        failures = [h for h in scored if h.status != STATUS_OK]
        unreported = sum(1 for h in scored if h.status == STATUS_OK and h not in allowed)
        out.append(f"| {name} | {lang} | {len(scored)} | {100 * len(allowed) / max(1, len(scored)):.1f} % | "
                   f"{100 * len(agree) / max(1, agree_total):.1f} % ({agree_total}) | {len(forbidden)} | "
                   f"{how['placeholder']} / {how['retry']} / {how['fallback']} / {how['none']} | "
                   f"{len(failures) - unreported}/{len(failures)} ({sum(h.status == STATUS_WRONG_FORM for h in failures)} "
                   f"wrong form) |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harsh", type=float, default=1.0,
                        help="multiply the mangling and dropping rates by this factor (3 = a bad model)")
    parser.add_argument("--no-suppression", dest="suppress", action="store_false",
                        help="an engine that cannot ban forbidden renderings while decoding")
    args = parser.parse_args(argv)
    for kind in RATES:
        if kind != "copy":
            RATES[kind] *= args.harsh
    RATES["copy"] = 1 - sum(v for k, v in RATES.items() if k != "copy")
    print("placeholder rates per hop: " + ", ".join(f"{k} {v:.2f}" for k, v in RATES.items()))
    out = ["| text | lang | term occurrences | allowed form | agreement | forbidden left | "
           "enforced: placeholder / retry / fallback / none | failures reported |", "|---|---|---|---|---|---|---|---|"]
    article = read_article(ROOT / "examples" / "azure-cloud.fr.txt")
    measure("example article", article, ["en", "ar", "he"], default_glossary(), out, suppress=args.suppress)
    measure("example article, no placeholders (fallback alone)", article, ["en", "ar", "he"], default_glossary(), out,
            suppress=args.suppress, style="none")
    if not WMT21.is_file():
        print("\n".join(out))
        sys.exit(f"bench/term_accuracy.py: {WMT21} is absent: the WMT21 rows need ../shared/eval beside the repository")
    segments, references, glossary = wmt21(WMT21)
    wmt = Article("wmt21-dev", [Segment(s, i) for i, s in enumerate(segments)])
    measure(f"WMT21 terminology dev, fr→en ({len(segments)} segments, {len(glossary.concepts)} terms)", wmt, ["en"],
            glossary, out, references, args.suppress)
    print("\n".join(out))


if __name__ == "__main__":
    main()
