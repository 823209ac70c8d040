"""Term accuracy of glossary enforcement: allowed forms, agreement with the sentence, forbidden renderings.

    python bench/term_accuracy.py              # example article (en, ar, he) + WMT21 terminology dev (fr→en)
    python bench/term_accuracy.py --harsh 3    # a model three times as bad with placeholders

Runs passeur's real pipeline (protect → translate → restore → retry → fallback → check) with
bench/mimic.py's engine, which copies, mangles and drops placeholders at stated rates (its
RATES), and, unprotected, renders a term the glossary's way or its own (the source form
copied, which the default glossary forbids for Tsahal in English).

Per text and language it reports: occurrences; the share with an allowed target form (any
singular or plural form of the glossary); agreement (WMT21: the English form the reference
translation has, e.g. "symptoms" for "ces symptômes"; the example article: a plural form
where the source is plural); number agreement (the same, only where the reference writes the
glossary's term, in either number); forbidden renderings left in the output; how terms were
enforced; and whether every failure was reported (an independent check of the output).

The WMT21 glossary is built as a newsroom would write it: one concept per English form the
reference writes, with the French forms annotated for it, each in the number the texts have it
("symptômes → symptoms", "essai clinique → clinical trial"): nothing is singularised, so plural
entries are met as they are in real glossaries.
The same glossary is then used on TICO-19 test (no annotations: the reference form is read off
the English sentence). Its first half was read while writing passeur's number rules; the second
half never was and is the held-out row. --misses lists each miss on standard error.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mimic import RATES, MimicEngine  # noqa: E402

from passeur.article import Article, Segment  # noqa: E402
from passeur.glossary import default_glossary  # noqa: E402
from passeur.glossary.check import contains  # noqa: E402
from passeur.glossary.formats import read_table  # noqa: E402
from passeur.glossary.match import TermMatcher, fold  # noqa: E402
from passeur.pipeline import run  # noqa: E402
from passeur.result import STATUS_FORBIDDEN, STATUS_NO_EQUIVALENT, STATUS_OK, STATUS_WRONG_FORM  # noqa: E402
from passeur.translate.read import read_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WMT21 = SHARED / "eval" / "wmt21_terminology_en_fr" / "dev.en-fr.fr.sgm"
WMT21_EN = WMT21.with_name("dev.en-fr.en.sgm")
TICO19 = SHARED / "eval" / "tico19_test" / "tico19-test"
TERM = re.compile(r'<term id="([^"]*)" type="[^"]*" src="([^"]*)" tgt="([^"]*)">(.*?)</term>')


def english_forms(path: Path) -> list[dict[str, list[str]]]:
    """Per segment of the English side, each term id's surface forms in order of appearance.

    The annotation's src attribute is sometimes the lemma (type src_lemma_*: src="clinical trial"
    around "clinical trials"); the reference form is the text the English sentence has."""
    forms = []
    for line in path.read_text("utf-8").splitlines():
        if re.match(r'<seg id="\d+">', line.strip()):
            seg: dict[str, list[str]] = {}
            for term_id, _, _, text in TERM.findall(line):
                seg.setdefault(term_id, []).append(" ".join(html.unescape(text).split()))
            forms.append(seg)
    return forms


def wmt21(path: Path, english_path: Path):
    """The WMT21 terminology dev set read French→English: segments, the reference English form of
    each annotated occurrence (segment, French text, English form as the English sentence has it),
    and a glossary as a newsroom writes one: each French form as annotated, with the English form
    the reference writes for it, in whatever number the reference has (nothing singularised)."""
    surface = english_forms(english_path)
    segments, references = [], []
    pairs: Counter = Counter()  # (French form as annotated, English form as the reference writes it) -> occurrences
    for line in path.read_text("utf-8").splitlines():
        match = re.match(r'<seg id="\d+">(.*)</seg>', line.strip())
        if not match:
            continue
        body = match.group(1)
        for term_id, _, _, french in TERM.findall(body):
            form = surface[len(segments)][term_id].pop(0)
            french = " ".join(html.unescape(french).lower().split())
            references.append((len(segments), french, form))
            pairs[(french, form)] += 1
        segments.append(" ".join(html.unescape(TERM.sub(r"\4", body)).split()))
    # Each French form goes to the English form it most often translates (one concept per English form).
    best: dict[str, tuple[int, str, str]] = {}
    for (french, form), count in pairs.items():
        key = fold(french, False)
        if key not in best or count > best[key][0]:
            best[key] = (count, form, french)
    concepts: dict[str, list[str]] = {}
    for count, form, french in best.values():
        concepts.setdefault(form, []).append(french)
    rows = ["id\tfr\ten"]
    for number, (form, forms) in enumerate(sorted(concepts.items())):
        if "|" not in form and not any("|" in f or "\t" in f for f in forms):
            rows.append(f"t{number}\t{'|'.join(sorted(forms))}\t{form}")
    return segments, references, read_table("\n".join(rows) + "\n", "wmt21-dev.tsv", "\t")


def tico19(glossary, fra: Path, eng: Path):
    """TICO-19 test read French→English with the WMT21 dev glossary: a set passeur was never tuned on.

    It has no term annotations, so the reference form of an occurrence is read off the English
    sentence: the glossary's English term or its other number (as the inflect library makes it
    on its own, not passeur), whichever the sentence has. Only concepts met once in the sentence
    count, and only where the English has exactly one of the forms."""
    french, english = fra.read_text("utf-8").splitlines(), eng.read_text("utf-8").splitlines()
    matcher = TermMatcher(glossary, verbatim=False)
    references = []
    for index, (source, reference) in enumerate(zip(french, english)):
        found = matcher.find(source)
        once = Counter(o.concept.id for o in found)
        for occurrence in found:
            term = occurrence.concept.preferred("en", glossary.source)
            if once[occurrence.concept.id] > 1 or not term:
                continue
            forms = [f for f in numbers(term) if has(reference, f)]
            if len(forms) == 1:
                references.append((index, occurrence.text, forms[0]))
    return french, references


@lru_cache(maxsize=None)
def numbers(term: str) -> tuple[str, ...]:
    """The term and its other number as inflect alone makes them (its singular when it reads as a plural,
    its plural else): the bench's own reading, independent of passeur's morphology."""
    import inflect

    engine = inflect.engine()
    single = engine.singular_noun(term)
    other = single if single and engine.plural_noun(single) == term else engine.plural_noun(term)
    return tuple(dict.fromkeys((term, other or term)))


def has(text: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form.lower())}(?!\w)", text.lower()) is not None


def the_glossarys_term(references, glossary) -> list[bool]:
    """Per reference, whether it writes the glossary's own term for that French text, singular or
    plural: where agreement in number can be judged (elsewhere the reference chose another term)."""
    matcher = TermMatcher(glossary, verbatim=False)
    judged = []
    for _, french, form in references:
        terms = [o.concept.preferred("en", glossary.source) for o in matcher.find(french)]
        judged.append(form.lower() in {f.lower() for t in terms if t for f in numbers(t)})
    return judged


class Unbanning(MimicEngine):
    """The same engine, unable to ban anything while decoding (what --no-suppression measures)."""

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        return super().translate_avoiding(sentences, source, target, [()] * len(sentences), progress)


def measure(name, article, targets, glossary, out, references=None, suppress=True, style="psr", misses=False):
    engine = (MimicEngine if suppress else Unbanning)(glossary)
    result = run([article], targets, engine, glossary=glossary, style=style)[0]
    by_id = glossary.by_id()
    for lang in targets:
        hits = [h for h in result.terms if h.lang == lang and h.concept in by_id]
        scored = [h for h in hits if h.status not in (STATUS_NO_EQUIVALENT, STATUS_FORBIDDEN)]
        forbidden = [h for h in hits if h.status == STATUS_FORBIDDEN]
        text = result.translations[lang]
        allowed = [h for h in scored
                   if contains(text[h.sentence], by_id[h.concept].forms(lang, glossary.source).all, lang,
                               by_id[h.concept].case_sensitive)]
        agree = [h for h in scored if h.status == STATUS_OK]
        number = "–"
        if references is not None:
            found = [has(text[r[0]], r[2]) for r in references]
            judged = the_glossarys_term(references, glossary)
            agree, agree_total = [r for r, ok in zip(references, found) if ok], len(references)
            same_term = [ok for ok, j in zip(found, judged) if j]
            number = f"{100 * sum(same_term) / max(1, len(same_term)):.1f} % ({len(same_term)})"
            if misses:
                for (sentence, french, form), ok, j in zip(references, found, judged):
                    if not ok:
                        print(f"{name[:5]} {sentence}\t{'number' if j else 'other term'}\t{french} -> {form}\t"
                              f"{text[sentence]}", file=sys.stderr)
        else:
            agree_total = len(scored)
        how = Counter(h.enforced or "none" for h in scored)
        # Independent check that nothing failed silently: an occurrence whose sentence lacks an
        # allowed form, or only has the wrong number, must not be reported ok.
        failures = [h for h in scored if h.status != STATUS_OK]
        unreported = sum(1 for h in scored if h.status == STATUS_OK and h not in allowed)
        out.append(f"| {name} | {lang} | {len(scored)} | {100 * len(allowed) / max(1, len(scored)):.1f} % | "
                   f"{100 * len(agree) / max(1, agree_total):.1f} % ({agree_total}) | {number} | {len(forbidden)} | "
                   f"{how['placeholder']} / {how['retry']} / {how['fallback']} / {how['none']} | "
                   f"{len(failures) - unreported}/{len(failures)} ({sum(h.status == STATUS_WRONG_FORM for h in failures)} "
                   f"wrong form) |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harsh", type=float, default=1.0,
                        help="multiply the mangling and dropping rates by this factor (3 = a bad model)")
    parser.add_argument("--no-suppression", dest="suppress", action="store_false",
                        help="an engine that cannot ban forbidden renderings while decoding")
    parser.add_argument("--misses", action="store_true",
                        help="list on standard error each occurrence whose reference form is not in the output")
    args = parser.parse_args(argv)
    for kind in RATES:
        if kind != "copy":
            RATES[kind] *= args.harsh
    RATES["copy"] = 1 - sum(v for k, v in RATES.items() if k != "copy")
    print("placeholder rates per hop: " + ", ".join(f"{k} {v:.2f}" for k, v in RATES.items()))
    out = ["| text | lang | term occurrences | allowed form | agreement with the reference | number agreement "
           "(where the reference writes the glossary's term) | forbidden left | "
           "enforced: placeholder / retry / fallback / none | failures reported |", "|---|---|---|---|---|---|---|---|---|"]
    article = read_article(ROOT / "examples" / "azure-cloud.fr.txt")
    measure("example article", article, ["en", "ar", "he"], default_glossary(), out, suppress=args.suppress)
    measure("example article, no placeholders (fallback alone)", article, ["en", "ar", "he"], default_glossary(), out,
            suppress=args.suppress, style="none")
    if not WMT21.is_file():
        print("\n".join(out))
        sys.exit(f"bench/term_accuracy.py: {WMT21} is absent: the WMT21 rows need ../shared/eval beside the repository")
    segments, references, glossary = wmt21(WMT21, WMT21_EN)
    wmt = Article("wmt21-dev", [Segment(s, i) for i, s in enumerate(segments)])
    measure(f"WMT21 terminology dev, fr→en ({len(segments)} segments, {len(glossary.concepts)} terms)", wmt, ["en"],
            glossary, out, references, args.suppress, misses=args.misses)
    if TICO19.with_suffix(".fra").is_file():
        # Its first half was read while writing passeur's number rules; the second half never was.
        french, references = tico19(glossary, TICO19.with_suffix(".fra"), TICO19.with_suffix(".eng"))
        half = len(french) // 2
        for name, lines in (("TICO-19 test, first half (development)", range(half)),
                            ("held out: TICO-19 test, second half", range(half, len(french)))):
            part = Article("tico19-test", [Segment(french[i], i - lines[0]) for i in lines])
            chosen = [(i - lines[0], f, e) for i, f, e in references if i in lines]
            measure(f"{name}, fr→en, the same glossary ({len(lines)} sentences)", part, ["en"], glossary, out,
                    chosen, args.suppress, misses=args.misses and lines[0] == 0)
    print("\n".join(out))


if __name__ == "__main__":
    main()
