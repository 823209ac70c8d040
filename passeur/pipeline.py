"""The pipeline, one stage after another, each a function taking and returning data:

    read → segment                      (passeur.translate.read, done before: articles come in)
    select summary                      the French sentences a summary quotes, chosen once
    find terms → protect                each sentence searched once; the occurrences are kept
    translate hops                      one batched stream per language pair, English computed once
    restore → retry → fall back         placeholders become target terms; lost ones are retried
    check                               term QA with the occurrences found at the start
    project                             the summary in every language: the aligned sentences
    → ArticleResult                     rendered by passeur.briefing

Arabic and Hebrew have no direct French Argos models: they are reached through English. All
sentences of all articles go through one batched stream per language pair, and identical
sentences are translated once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from passeur import __version__
from passeur.article import Article
from passeur.errors import InputError, ModelError
from passeur.glossary.check import ForbiddenFinder, check_article, contains, without_allowed
from passeur.glossary.match import Occurrence, TermMatcher
from passeur.glossary.model import Glossary
from passeur.glossary.morph import morphology
from passeur.glossary.protect import DEFAULT_STYLE, Protected, protect, restore
from passeur.inline import Marking
from passeur.result import ArticleResult, Summary
from passeur.signature import Signature
from passeur.summarize.base import SummaryRequest, choose_summary, make_summarizer, project
from passeur.translate.engine import Avoid, Engine

PIVOT = "en"
RETRY_FIRST = 10  # placeholder numbers of the retry start here, so the model sees a different input


class Progress:
    """What the pipeline reports while it works; the command line draws it, a library user may ignore it."""

    def stage(self, description: str, total: int) -> None:
        """A new stage begins, with `total` units of work (sentence translations)."""

    def advance(self, amount: int) -> None:
        """`amount` units of the current stage are done."""


# --- planning ------------------------------------------------------------------------------

def route(engine: Engine, source: str, target: str, pivot: str = PIVOT) -> list[str]:
    """The languages a sentence passes through, e.g. ['fr', 'en', 'ar']; a direct model is preferred."""
    if source == target:
        return [source]
    pairs = engine.pairs()
    if (source, target) in pairs:
        return [source, target]
    if (source, pivot) in pairs and (pivot, target) in pairs:
        return [source, pivot, target]
    missing = [f"{a}:{b}" for a, b in ((source, pivot), (pivot, target)) if (a, b) not in pairs]
    if pivot in (source, target):
        missing = [f"{source}:{target}"]
    raise ModelError(
        f"no model for {source}→{target}"
        + ("" if pivot in (source, target) else f" (directly or through {pivot})")
        + f" is installed: run `passeur models install {' '.join(missing)}`, "
        "or `passeur models install FILE.argosmodel` offline"
    )


def plan_hops(routes: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Each hop of every route once, in an order where a hop's input exists (the pivot first)."""
    hops: list[tuple[str, str]] = []
    for path in sorted(routes.values(), key=len):
        for hop in zip(path, path[1:]):
            if hop not in hops:
                hops.append(hop)
    return hops


def source_language(articles: list[Article]) -> str:
    languages = {a.lang for a in articles}
    if len(languages) > 1:
        raise InputError(f"articles in several source languages ({', '.join(sorted(languages))}): translate them separately")
    return languages.pop() if languages else "fr"


# --- stages --------------------------------------------------------------------------------

def select_summaries(articles: list[Article], request: SummaryRequest | None, source: str):
    """Stage: the summary's sentence indices in each French article (None without a request)."""
    if request is None:
        return None, [None] * len(articles)
    summarizer = make_summarizer(request.algorithm, source)
    return summarizer, [choose_summary(article, summarizer, request) for article in articles]


def sentences_to_translate(article: Article, selected: list[int] | None, only_summary: bool) -> list[int]:
    """All sentences; or, for a summary alone, the summary's sentences and the headline."""
    if not only_summary:
        return list(range(len(article.segments)))
    title = [article.title_index] if article.title_index is not None else []
    return sorted({*title, *(selected or [])})


def find_terms(sentences: list[str], matcher: TermMatcher) -> dict[str, list[Occurrence]]:
    """Stage: each distinct sentence searched once; the occurrences serve protection and the check."""
    return {s: matcher.find(s) for s in sentences}


def translate_hops(engine: Engine, texts: list[str], source: str, routes: dict[str, list[str]],
                   progress: Progress, avoid: Avoid | None = None) -> dict[str, dict[str, str]]:
    """Stage: every target language's version of each text, each distinct input of a hop translated once.

    The engine runs the hops of all routes in one call (the argos engine hands each batch's
    output to the next hop as soon as it is decoded) and frees each pair's model when its hop is
    done: a later stage (retry, fallback) that needs it for a few sentences loads it again, which
    measured faster and 110 MB lighter than holding all of a run's models to the end. With `avoid`, each hop into a target language is decoded without
    the phrases avoid(text, language) gives (forbidden renderings banned while decoding); a pivot
    language only is never shown, so nothing is banned there.
    """
    shown = None if avoid is None else (lambda text, lang: avoid(text, lang) if lang in routes else ())
    layers = engine.translate_plan(texts, source, plan_hops(routes), progress.advance, shown)
    return {target: layers[path[-1]] for target, path in routes.items()}


@dataclass(frozen=True)
class Outcome:
    """One sentence in one target language: its text, how each glossary concept got there
    (placeholder, retry, fallback), and whether a term is still lost."""

    text: str
    how: dict[str, str] = field(default_factory=dict)
    lost: bool = False


Outcomes = dict[tuple[str, str], Outcome]  # (source sentence, target) -> outcome; each sentence once


def lost_targets(outcomes: Outcomes) -> dict[str, list[str]]:
    """Sentence -> the targets where a term is still lost."""
    lost: dict[str, list[str]] = {}
    for (sentence, target), outcome in outcomes.items():
        if outcome.lost:
            lost.setdefault(sentence, []).append(target)
    return lost


def restore_all(protected: dict[str, Protected], table: dict[str, dict[str, str]], source: str,
                how: str = "placeholder") -> Outcomes:
    """Stage: placeholders become target terms, in every target; a sentence that lost one says so."""
    outcomes: Outcomes = {}
    for sentence, p in protected.items():
        for target in table:
            if p.text not in table[target]:
                continue
            result = restore(table[target][p.text], p, target, source)
            outcomes[(sentence, target)] = Outcome(result.text, {o.concept.id: how for o in result.restored},
                                                   bool(result.lost))
    return outcomes


def retry(lost: dict[str, list[str]], engine: Engine, occurrences, source: str, routes, progress: Progress,
          style: str = DEFAULT_STYLE) -> Outcomes:
    """Stage: sentences that lost a placeholder go again with other placeholder numbers (a changed
    input often keeps them all); the outcomes that kept every term."""
    again = {s: protect(s, occurrences[s], RETRY_FIRST, style) for s in lost}
    again = {s: p for s, p in again.items() if p.protected}
    if not again:
        return {}
    targets = {t for s in again for t in lost[s]}
    sub_routes = {t: path for t, path in routes.items() if t in targets}
    progress.stage("retrying lost terms", len(again) * len(plan_hops(sub_routes)))
    table = translate_hops(engine, [p.text for p in again.values()], source, sub_routes, progress)
    return {key: outcome for key, outcome in restore_all(again, table, source, how="retry").items()
            if key[1] in lost[key[0]] and not outcome.lost}


def forbidden_of(occurrences: dict[str, list[Occurrence]]) -> Avoid:
    """The renderings the glossary forbids for the concepts of a sentence (or of a term translated
    alone, so that it is rendered as in its sentence), in a language."""
    alone = {o.text: [o] for found in occurrences.values() for o in found}

    def avoid(text: str, lang: str) -> tuple[str, ...]:
        found = occurrences.get(text) or alone.get(text, ())
        return tuple(form for o in found for form in forbidden_forms(o.concept, lang))
    return avoid


def forbidden_forms(concept, lang: str, source: str = "fr") -> tuple[str, ...]:
    """A concept's forbidden renderings in lang, in both numbers and with what attaches before a word
    (Hebrew prefixes, Arabic clitics and article): every way the engine must not write them."""
    forms = concept.forbidden_forms(lang, source)
    attachments = ("", *morphology(lang).ATTACHMENTS)
    return tuple(dict.fromkeys(prefix + form for form in forms for prefix in attachments))


def fall_back(lost: dict[str, list[str]], engine: Engine, occurrences, source: str, routes,
              progress: Progress) -> Outcomes:
    """Stage: the sentences still missing a term are translated unprotected, forbidden renderings
    banned while decoding, and the model's own rendering of each term (the term translated
    alone) is replaced by the glossary's form, in the number the source gives it. Where that
    rendering is not found as such (the model wrote the term otherwise in context), the sentence
    is decoded once more with the rendering banned too, so that the model writes the term another
    way, and kept if it enforces more terms."""
    terms = sorted({o.text for s in lost for o in occurrences[s]})
    targets = {t for s in lost for t in lost[s]}
    sub_routes = {t: path for t, path in routes.items() if t in targets}
    inputs = list(lost) + terms
    progress.stage("falling back for lost terms", len(inputs) * len(plan_hops(sub_routes)))
    forbidden = forbidden_of(occurrences)
    table = translate_hops(engine, inputs, source, sub_routes, progress, forbidden)
    renderings = {(o.text, t): table[t][o.text].strip().rstrip(".") for s in lost for o in occurrences[s] for t in lost[s]}
    outcomes: Outcomes = {}
    unresolved: dict[str, dict[str, int]] = {}  # sentence -> target -> terms still missing
    for sentence, lost_in in lost.items():
        for target in lost_in:
            text, how, missing = _replace_renderings(table[target][sentence], occurrences[sentence], renderings,
                                                     target, source)
            outcomes[(sentence, target)] = Outcome(text, how)
            if missing:
                unresolved.setdefault(sentence, {})[target] = len(missing)
    if not unresolved:
        return outcomes

    def avoid(text: str, lang: str) -> tuple[str, ...]:
        own = tuple(renderings.get((o.text, lang), "") for o in occurrences.get(text, ()))
        return forbidden(text, lang) + tuple(r for r in own if r)

    again_routes = {t: path for t, path in routes.items() if any(t in ts for ts in unresolved.values())}
    progress.stage("falling back again", len(unresolved) * len(plan_hops(again_routes)))
    table = translate_hops(engine, list(unresolved), source, again_routes, progress, avoid)
    for sentence, again_targets in unresolved.items():
        for target, missing_before in again_targets.items():
            text, how, missing = _replace_renderings(table[target][sentence], occurrences[sentence], renderings,
                                                     target, source)
            if len(missing) < missing_before:  # kept only if it enforces more terms
                outcomes[(sentence, target)] = Outcome(text, how)
    return outcomes


def _replace_renderings(text: str, sentence_occurrences, renderings, target: str, source: str):
    """Put the glossary's form where the model's own rendering of each term stands; (text, how, missing).

    The n-th occurrence of a rendering takes the n-th place the text has it, found in one pass per
    rendering (a sentence with a term a thousand times stays linear)."""
    wanted: dict[str, list[tuple[Occurrence, str]]] = {}
    unplaced = []
    for occurrence in sentence_occurrences:
        preferred = occurrence.concept.form(target, source, occurrence.plural_in(target))
        if not preferred:
            continue
        rendering = renderings.get((occurrence.text, target), "")
        if rendering:
            wanted.setdefault(rendering, []).append((occurrence, preferred))
        else:
            unplaced.append(occurrence)
    places = []
    for rendering, items in wanted.items():
        found = re.finditer(rf"(?<!\w){re.escape(rendering)}(?!\w)", text)
        placed = list(zip(items, found))
        places += [(m.start(), m.end(), preferred, occurrence) for (occurrence, preferred), m in placed]
        unplaced += [occurrence for occurrence, _ in items[len(placed):]]
    how: dict[str, str] = {}
    pieces, last = [], 0
    for start, end, preferred, occurrence in sorted(places, key=lambda p: p[0]):
        if start < last:  # overlaps a rendering already replaced
            unplaced.append(occurrence)
            continue
        pieces += [text[last:start], preferred]
        last = end
        how[occurrence.concept.id] = "fallback"
    text = "".join(pieces) + text[last:]
    missing = []
    for occurrence in unplaced:
        concept = occurrence.concept
        if contains(text, concept.forms(target, source).all, target, concept.case_sensitive):
            how[concept.id] = "fallback"
        else:
            missing.append(concept.id)
    return text, how, missing


def avoid_forbidden(outcomes: Outcomes, engine: Engine, protected: dict[str, Protected], occurrences,
                    glossary: Glossary, source: str, routes, progress: Progress) -> Outcomes:
    """Stage: a sentence whose translation holds a rendering the glossary forbids is decoded once more
    with those renderings banned, and restored again; the outcomes that are now clean."""
    found: dict[str, dict[str, set[str]]] = {}  # sentence -> target -> forbidden forms found
    finder = ForbiddenFinder.of(glossary)
    for (sentence, target), outcome in outcomes.items():
        if "fallback" in outcome.how.values() or outcome.lost:
            continue  # the fallback decoded it with the forbidden renderings banned already
        for concept, _ in finder.find(without_allowed(outcome.text, occurrences[sentence], target, source), target):
            found.setdefault(sentence, {}).setdefault(target, set()).update(concept.forbidden_forms(target, source))
    if not found:
        return {}
    forbidden = forbidden_of(occurrences)

    def avoid(text: str, lang: str) -> tuple[str, ...]:
        original = reverse.get(text, text)
        return forbidden(original, lang) + tuple(sorted(found.get(original, {}).get(lang, ())))

    again = {s: protected[s] for s in found}
    reverse = {p.text: s for s, p in again.items()}
    sub_routes = {t: path for t, path in routes.items() if any(t in ts for ts in found.values())}
    progress.stage("avoiding forbidden terms", len(again) * len(plan_hops(sub_routes)))
    table = translate_hops(engine, [p.text for p in again.values()], source, sub_routes, progress, avoid)
    clean: Outcomes = {}
    for sentence, targets in found.items():
        p = again[sentence]
        for target, bad in targets.items():
            result = restore(table[target][p.text], p, target, source)
            if not result.lost and not contains(result.text, tuple(sorted(bad)), target, False):
                clean[(sentence, target)] = Outcome(result.text, outcomes[(sentence, target)].how)
    return clean


# --- the whole run -------------------------------------------------------------------------

# A folder goes through run() in groups of whole articles of at least GROUP_SENTENCES sentences:
# each group's results are handed on (written) as soon as its stages are done, and a group's
# memory (its sentences, translations, term reports) goes with it, so a folder of 1,000 articles
# runs in the memory of a few dozen. A group is big enough to batch well (hundreds of sentences
# per language pair); the models are loaded again for each group, a second or so every few minutes.
GROUP_SENTENCES = 500


class _GroupProgress(Progress):
    """A group's stages, named with the articles they cover."""

    def __init__(self, progress: Progress, first: int, last: int, total: int):
        self.progress, self.where = progress, f"articles {first}–{last} of {total}: " if total > last - first + 1 else ""

    def stage(self, description: str, total: int) -> None:
        self.progress.stage(self.where + description, total)

    def advance(self, amount: int) -> None:
        self.progress.advance(amount)


def run_each(articles: list[Article], targets: list[str], engine: Engine, glossary: Glossary | None = None,
             summary: SummaryRequest | None = None, only_summary: bool = False, progress: Progress | None = None,
             pivot: str = PIVOT, style: str = DEFAULT_STYLE, group: int = GROUP_SENTENCES) -> Iterator[ArticleResult]:
    """run(), each article's result yielded as soon as its group of articles (see GROUP_SENTENCES) is
    done: the same results, in the same order, in a memory that does not grow with the folder."""
    progress = progress or Progress()
    start, size = 0, 0
    for end, article in enumerate(articles, 1):
        size += len(article.segments)
        if size >= group or end == len(articles):
            where = _GroupProgress(progress, start + 1, end, len(articles))
            yield from run(articles[start:end], targets, engine, glossary, summary, only_summary, where, pivot, style)
            start, size = end, 0


def run(articles: list[Article], targets: list[str], engine: Engine, glossary: Glossary | None = None,
        summary: SummaryRequest | None = None, only_summary: bool = False, progress: Progress | None = None,
        pivot: str = PIVOT, style: str = DEFAULT_STYLE) -> list[ArticleResult]:
    """Translate articles into targets (and summarize them when `summary` is given).

    `style` is how glossary terms are carried through the model (passeur.glossary.protect.STYLES,
    or "none" for the fallback alone); `passeur models calibrate` measures which suits the models.
    """
    progress = progress or Progress()
    targets = list(dict.fromkeys(targets))
    if not targets:
        raise InputError("no target language: pass --to, e.g. --to en,ar,he")
    source = source_language(articles)
    routes = {target: route(engine, source, target, pivot) for target in targets}
    summarizer, selected = select_summaries(articles, summary, source)
    chosen = [sentences_to_translate(a, sel, only_summary) for a, sel in zip(articles, selected)]
    matcher = TermMatcher(glossary or Glossary("none", (source,), ()))
    # A document's inline formatting rides as tags: the unit of every term stage is the sentence
    # with its tags (passeur.inline), searched for terms without them.
    marking = Marking(matcher)
    unique = list(dict.fromkeys(marking.unit(a.segments[i]) for a, indices in zip(articles, chosen)
                                for i in indices if not a.segments[i].verbatim))
    occurrences = find_terms(unique, marking)
    protected = {s: protect(s, occurrences[s], style=style) for s in unique}
    hops = plan_hops(routes)
    progress.stage("translating", len(unique) * len(hops))
    table = translate_hops(engine, [protected[s].text for s in unique], source, routes, progress)
    outcomes = restore_all(protected, table, source)
    if lost_targets(outcomes):
        outcomes = {**outcomes, **retry(lost_targets(outcomes), engine, occurrences, source, routes, progress, style)}
    if lost_targets(outcomes):
        outcomes = {**outcomes, **fall_back(lost_targets(outcomes), engine, occurrences, source, routes, progress)}
    if glossary is not None:
        outcomes = {**outcomes, **avoid_forbidden(outcomes, engine, protected, occurrences, glossary, source, routes,
                                                  progress)}

    signature = str(Signature(
        hops=tuple((a, b, engine.signature(a, b)) for a, b in hops),
        decoding=engine.decoding() if hops else "",
        glossary=glossary.ident if glossary is not None else "",
        protection=style,
        summary=summary.signature(summarizer) if summary is not None else "",
        version=__version__))
    results = []
    for article, indices, sel in zip(articles, chosen, selected):
        translations: dict[str, list[str | None]] = {t: [None] * len(article.segments) for t in targets}
        for i in indices:
            segment = article.segments[i]
            for target in targets:
                translations[target][i] = segment.text if segment.verbatim else \
                    outcomes[(marking.unit(segment), target)].text
        marks, lost_formatting = marking.place_all(article, translations)
        result = ArticleResult(article, translations, signature=signature, marks=marks)
        # Checked even without a glossary: numbers and verbatim spans (links, code, URLs) must come through.
        texts = {i: marking.unit(article.segments[i]) for i in indices}
        result.terms = lost_formatting + check_article(
            article, {t: v for t, v in translations.items() if t != source}, matcher.glossary,
            occurrences={i: occurrences.get(text, []) for i, text in texts.items()},
            enforced={(i, t): outcomes[(text, t)].how if (text, t) in outcomes else {} for i, text in texts.items()
                      for t in targets})
        if sel is not None:
            every = {article.lang: article.sentences, **translations}
            result.summary = Summary(summary.algorithm, sel, project(sel, every))
        results.append(result)
    return results
