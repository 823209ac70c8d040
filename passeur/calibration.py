"""Which placeholder style the installed models carry best, measured on the user's own machine.

No two model families treat placeholders alike (some copy `PSR0`, some translate or drop it,
Argos' decoder turns `_` into spaces), and no real model runs where passeur is built. So
`passeur models calibrate` translates a probe set shipped with passeur (French sentences
written for the project, covering names, acronyms, numbers, do-not-translate terms, terms
after elision and before Hebrew prefixes and Arabic clitics) with the installed models, once
per style, and measures per hop how many placeholders come through and, per target, how many
terms end right after restoration, retry and fallback. The best style is stored per route
(the models and decoding settings of each hop), and `translate` uses it, saying which in its
signature (`prot:`).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Mapping

from passeur.article import Article, Segment
from passeur.errors import InputError, PasseurError, warn
from passeur.inputs import read_regular
from passeur.glossary.match import TermMatcher
from passeur.glossary.protect import DEFAULT_STYLE, NO_PROTECTION, STYLES, protect
from passeur.paths import data_home
from passeur.pipeline import PIVOT, Progress, route, run
from passeur.result import STATUS_NO_EQUIVALENT, STATUS_OK
from passeur.translate.engine import Engine

CANDIDATES = (*STYLES, NO_PROTECTION)
MAX_BYTES = 16 << 20


def store_path(environ: Mapping[str, str] = os.environ) -> Path:
    """PASSEUR_CALIBRATION, else $XDG_DATA_HOME/passeur/calibration.json."""
    if environ.get("PASSEUR_CALIBRATION"):
        return Path(environ["PASSEUR_CALIBRATION"])
    return data_home(environ) / "passeur" / "calibration.json"


def probe_sentences(limit: int | None = None) -> list[str]:
    """The probe set: French sentences written for passeur (passeur/data/probe.fr.tsv)."""
    text = resources.files("passeur").joinpath("data/probe.fr.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return [row[1] for row in rows][:limit]


def route_key(engine: Engine, path: list[str]) -> str:
    """What a measurement is valid for: each hop's model (with its fingerprint) and the decoding settings."""
    hops = "|".join(f"{a}>{b}:{engine.signature(a, b)}" for a, b in zip(path, path[1:]))
    return f"{hops}|dec:{engine.decoding()}"


@dataclass
class Calibration:
    """Per style: placeholders kept per hop, and terms right per target."""

    kept: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)  # style -> hop -> share
    right: dict[str, dict[str, float]] = field(default_factory=dict)  # style -> target -> share
    terms: dict[str, int] = field(default_factory=dict)  # target -> occurrences scored
    sentences: int = 0

    def best(self) -> str:
        """The style with the most terms right over all targets; ties go to the earlier (default) style."""
        return max(CANDIDATES, key=lambda s: (round(sum(self.right[s].values()), 6), -CANDIDATES.index(s)))


def calibrate(engine: Engine, glossary, targets: list[str], source: str = "fr", limit: int | None = None,
              progress: Progress | None = None) -> Calibration:
    """Translate the probe set once per style and measure; nothing is stored (see `save`)."""
    progress = progress or Progress()
    sentences = probe_sentences(limit)
    routes = {target: route(engine, source, target, PIVOT) for target in targets}
    article = Article("probe", [Segment(s, i) for i, s in enumerate(sentences)], source)
    matcher = TermMatcher(glossary, verbatim=False)
    occurrences = {s: matcher.find(s) for s in sentences}
    report = Calibration(sentences=len(sentences))
    for style in CANDIDATES:
        if style != NO_PROTECTION:
            report.kept[style] = _kept_per_hop(engine, sentences, occurrences, style, routes, progress)
        results = run([article], targets, engine, glossary, progress=progress, style=style)[0]
        scored = [h for h in results.terms if h.concept in glossary.by_id() and h.status != STATUS_NO_EQUIVALENT]
        report.right[style] = {t: _share(sum(h.status == STATUS_OK for h in scored if h.lang == t),
                                         sum(h.lang == t for h in scored)) for t in targets}
        report.terms = {t: sum(h.lang == t for h in scored) for t in targets}
    return report


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _kept_per_hop(engine, sentences, occurrences, style, routes, progress) -> dict[tuple[str, str], float]:
    """Follow the placeholders hop by hop: the share of those entering a hop that come out recoverable."""
    protected = [protect(s, occurrences[s], style=style) for s in sentences]
    protected = [p for p in protected if p.protected]
    kept: dict[tuple[str, str], float] = {}
    texts: dict[str, list[str]] = {}
    for path in sorted(routes.values(), key=len):
        current = [p.text for p in protected]
        for a, b in zip(path, path[1:]):
            if (a, b) not in kept:
                progress.stage(f"calibrating {style}: {a}→{b}", len(current))
                texts[b] = engine.translate(current, a, b, progress.advance)
                before = after = 0
                for p, text_in, text_out in zip(protected, current, texts[b]):
                    entering = {int(m.group(1)) for m in p.style.recover.finditer(text_in)}
                    leaving = {int(m.group(1)) for m in p.style.recover.finditer(text_out)}
                    before += len(entering)
                    after += len(entering & leaving)
                kept[(a, b)] = _share(after, before)
            current = texts[b]
    return kept


FORMAT = "passeur calibration"  # the mark that tells passeur's file from any other JSON


def _record(value) -> bool:
    """Whether a stored route is what `save` writes: shares between 0 and 1 for known styles."""
    right = value.get("right") if isinstance(value, dict) else None
    return (isinstance(right, dict) and bool(right) and all(
        style in CANDIDATES and type(share) in (int, float) and 0 <= share <= 1 for style, share in right.items()))


def load(path: Path | None = None) -> dict:
    """The stored calibration (route key -> record), {} when there is none. A file that is not
    passeur's calibration (another JSON, a damaged one, a share that is not a number) is reported
    (a warning) and not used: translation goes on with the default style."""
    path = path or store_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(read_regular(path, MAX_BYTES, "calibration").decode("utf-8"))
    except (InputError, ValueError, UnicodeDecodeError, RecursionError) as err:
        data = err
    routes = data.get("routes") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(routes, dict) or not all(isinstance(k, str) and _record(v) for k, v in routes.items()):
        warn(f"{path}: not a passeur calibration file: the default placeholder style is used; give "
             "PASSEUR_CALIBRATION another path, or remove the file if it is a damaged calibration")
        return {}
    return routes


def save(report: Calibration, engine: Engine, targets: list[str], source: str = "fr", path: Path | None = None) -> Path:
    """Store the measured shares and the best style per route (atomically). A file at that path that is
    not passeur's calibration is never written over."""
    from passeur.outputs import write_atomic

    path = path or store_path()
    data = load(path)
    if not data and path.exists() and (not path.is_file() or path.stat().st_size):
        raise InputError(f"{path}: is not a passeur calibration file: passeur will not write over it; give "
                         "PASSEUR_CALIBRATION another path, or remove the file if it is a damaged calibration")
    for target in targets:
        key = route_key(engine, route(engine, source, target, PIVOT))
        data[key] = {"right": {style: report.right[style][target] for style in CANDIDATES},
                     "terms": report.terms.get(target, 0), "sentences": report.sentences,
                     "measured": time.strftime("%Y-%m-%d")}
    write_atomic(path, json.dumps({"format": FORMAT, "routes": data}, ensure_ascii=False, indent=2) + "\n")
    return path


def chosen_style(engine: Engine, targets: list[str], source: str = "fr", path: Path | None = None) -> str:
    """The style calibrated for these routes (the most terms right over all of them), or the default
    when any route has not been calibrated."""
    data = load(path)
    records = []
    for target in targets:
        if target == source:
            continue
        try:
            key = route_key(engine, route(engine, source, target, PIVOT))
        except PasseurError:
            return DEFAULT_STYLE  # the run itself will say what is missing
        if key not in data:
            return DEFAULT_STYLE
        records.append(data[key]["right"])
    if not records:
        return DEFAULT_STYLE
    totals = {style: sum(float(r.get(style, 0.0)) for r in records) for style in CANDIDATES}
    return max(CANDIDATES, key=lambda s: (round(totals[s], 6), -CANDIDATES.index(s)))
