"""Translating articles into several languages, through the English pivot where needed.

Arabic and Hebrew have no direct French Argos models: they are reached through English.
All sentences of all articles are translated in one batched stream per language pair, the
English is computed once and reused for every pivoted target, and identical sentences are
translated once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translate import __version__
from translate.document import Article
from translate.engine import Engine, Progress
from translate.errors import InputError, ModelError

PIVOT = "en"


@dataclass
class ArticleTranslation:
    """One article and its sentence-aligned translations."""

    article: Article
    translations: dict[str, list[str]] = field(default_factory=dict)
    signature: str = ""
    terms: list = field(default_factory=list)  # glossary.enforce.TermHit, per sentence and language
    summary: dict | None = None  # algorithm, indices, and language -> the sentences at those indices


def route(engine: Engine, source: str, target: str, pivot: str = PIVOT) -> list[str]:
    """The languages a sentence passes through, e.g. ['fr', 'en', 'ar']."""
    pairs = engine.pairs()
    if (source, target) in pairs:
        return [source, target]
    if (source, pivot) in pairs and (pivot, target) in pairs:
        return [source, pivot, target]
    missing = [f"{a}:{b}" for a, b in ((source, pivot), (pivot, target)) if (a, b) not in pairs]
    if source == pivot or target == pivot:
        missing = [f"{source}:{target}"]
    raise ModelError(
        f"no model for {source}→{target}"
        + ("" if source == pivot or target == pivot else f" (directly or through {pivot})")
        + f" is installed: run `passeur models install {' '.join(missing)}`, "
        "or `passeur models install FILE.argosmodel` offline"
    )


class TranslationJob:
    """Plans and runs the translation of articles into target languages.

    Glossary terms and verbatim spans (URLs, e-mail addresses, @handles, Markdown links and
    code) are protected by placeholders before the first hop and restored in each target
    language. A sentence whose placeholder the model lost is translated again with other
    placeholder numbers (the retry); if one is still lost, the sentence is translated
    unprotected and the model's rendering of each term, found by translating the term alone,
    is replaced by the glossary's (the fallback). Every glossary term occurrence ends up in
    `terms` with its QA status and how it was enforced.
    """

    def __init__(self, articles: list[Article], targets: list[str], engine: Engine, pivot: str = PIVOT,
                 glossary=None, summary=None, summary_only: bool = False):
        if not targets:
            raise InputError("no target language: pass --to, e.g. --to en,ar,he")
        self.articles = articles
        self.targets = list(dict.fromkeys(targets))
        self.engine = engine
        self.glossary = glossary
        # summary: a summarize.select.SummaryRequest; its sentences are chosen in the French
        # before translating, and with summary_only nothing else is translated.
        self.summary = summary
        self.selected = [self._select(a) for a in articles] if summary else [None] * len(articles)
        # With summary_only, the title is translated too: every language's summary has its headline.
        self.chosen = [sorted({0, *sel}) if summary_only and a.segments else
                       sel if summary_only else list(range(len(a.segments)))
                       for a, sel in zip(articles, self.selected)]
        sources = {a.lang for a in articles}
        if len(sources) > 1:
            raise InputError(f"articles in several source languages ({', '.join(sorted(sources))}): translate them separately")
        self.source = sources.pop() if sources else "fr"
        self.routes = {tgt: ([self.source] if self.source == tgt else route(engine, self.source, tgt, pivot))
                       for tgt in self.targets}
        # Each hop (a, b) of every route is run once, in an order where a hop's input exists.
        self.hops: list[tuple[str, str]] = []
        for path in sorted(self.routes.values(), key=len):
            for hop in zip(path, path[1:]):
                if hop not in self.hops:
                    self.hops.append(hop)

    def _select(self, article: Article) -> list[int]:
        from summarize.select import select

        return select(article, self.summary)

    def _sentences(self) -> list[str]:
        """The distinct source sentences to translate, in order."""
        return list(dict.fromkeys(a.segments[i].text for a, chosen in zip(self.articles, self.chosen) for i in chosen
                                  if not a.segments[i].verbatim))

    @property
    def total(self) -> int:
        """Sentence translations the job performs, for progress bars."""
        return len(self._sentences()) * len(self.hops)

    def signature(self) -> str:
        parts = [f"{a}>{b}:{self.engine.signature(a, b)}" for a, b in self.hops]
        if self.glossary is not None:
            parts.append(self.glossary.signature())
        if self.summary is not None:
            parts.append(self.summary.signature())
        return "|".join(parts + [f"v:{__version__}"])

    def _translate(self, sources: list[str], progress: Progress | None) -> dict[str, dict[str, str]]:
        """Every target language's version of each source text, each distinct input translated once."""
        text: dict[str, dict[str, str]] = {self.source: {s: s for s in sources}}
        for a, b in self.hops:
            inputs = text[a]
            distinct = list(dict.fromkeys(inputs.values()))
            outputs = dict(zip(distinct, self.engine.translate(distinct, a, b, progress)))
            self.engine.release(a, b)  # each hop runs once: its model's memory can go
            if progress and len(inputs) > len(distinct):
                progress(len(inputs) - len(distinct))
            text[b] = {source: outputs[middle] for source, middle in inputs.items()}
        return {tgt: text[path[-1]] for tgt, path in self.routes.items()}

    def run(self, progress: Progress | None = None) -> list[ArticleTranslation]:
        unique = self._sentences()
        final, enforced = self._run_protected(unique, progress)
        signature = self.signature()
        results = []
        for article, chosen, selected in zip(self.articles, self.chosen, self.selected):
            # Aligned with the source; a sentence left untranslated (summary_only) is None.
            translations = {tgt: [None] * len(article.segments) for tgt in self.targets}
            for tgt in self.targets:
                for i in chosen:
                    segment = article.segments[i]
                    translations[tgt][i] = segment.text if segment.verbatim else final[tgt][segment.text]
            result = ArticleTranslation(article, translations, signature)
            if self.glossary is not None:
                result.terms = self.check(article, translations, enforced, chosen)
            if selected is not None:
                from summarize.select import project

                every = {article.lang: article.sentences, **translations}
                result.summary = {"algorithm": self.summary.algorithm, "indices": selected,
                                  **project(selected, every)}
            results.append(result)
        return results

    def _run_protected(self, unique: list[str], progress: Progress | None):
        """Translate with glossary terms and verbatim spans (URLs, e-mails, code) protected."""
        from glossary.enforce import TermMatcher, protect, restore
        from glossary.model import Glossary

        self.matcher = TermMatcher(self.glossary or Glossary("none", (self.source,), ()))
        protected = {s: protect(s, self.matcher) for s in unique}
        table = self._translate([protected[s].text for s in unique], progress)
        final: dict[str, dict[str, str]] = {tgt: {} for tgt in self.targets}
        enforced: dict[tuple[str, str], dict[str, str]] = {}
        lost: dict[str, list[str]] = {}  # sentence -> targets needing the fallback
        for sentence in unique:
            p = protected[sentence]
            for tgt in self.targets:
                result = restore(table[tgt][p.text], p, tgt, self.source)
                final[tgt][sentence] = result.text
                enforced[(sentence, tgt)] = {o.concept.id: "placeholder" for o in result.restored}
                if result.lost or (p.slots and p.text == p.source):
                    lost.setdefault(sentence, []).append(tgt)
        if lost:
            self._retry(lost, protected, final, enforced)
        if lost:
            self._fallback(lost, protected, final, enforced)
        return final, enforced

    def _retry(self, lost, protected, final, enforced) -> None:
        """Translate again with other placeholder numbers: a changed input often keeps them all."""
        from glossary.enforce import protect, restore

        again = {s: protect(s, self.matcher, first=10) for s in lost if protected[s].text != s}
        if not again:
            return
        table = self._translate([p.text for p in again.values()], None)
        for sentence, p in again.items():
            for tgt in list(lost[sentence]):
                result = restore(table[tgt][p.text], p, tgt, self.source)
                if not result.lost:
                    final[tgt][sentence] = result.text
                    enforced[(sentence, tgt)] = {o.concept.id: "retry" for o in result.restored}
                    lost[sentence].remove(tgt)
            if not lost[sentence]:
                del lost[sentence]

    def _fallback(self, lost, protected, final, enforced) -> None:
        """Translate unprotected; replace the model's rendering of each term by the glossary's."""
        from glossary.enforce import contains

        terms = {o.text for s in lost for o in protected[s].slots}
        table = self._translate(list(lost) + sorted(terms), None)
        for sentence, targets in lost.items():
            for tgt in targets:
                text = table[tgt][sentence]
                enforced[(sentence, tgt)] = {}
                for occurrence in protected[sentence].slots:
                    concept = occurrence.concept
                    preferred = concept.preferred(tgt, self.source)
                    rendering = table[tgt][occurrence.text].strip().rstrip(".")
                    found = rendering and re.search(rf"(?<!\w){re.escape(rendering)}(?!\w)", text)
                    if preferred and found:
                        text = text[:found.start()] + preferred + text[found.end():]
                        enforced[(sentence, tgt)][concept.id] = "fallback"
                    elif preferred and contains(text, concept.targets(tgt, self.source), tgt, concept.case_sensitive):
                        enforced[(sentence, tgt)][concept.id] = "fallback"
                final[tgt][sentence] = text

    def check(self, article: Article, translations: dict[str, list[str]], enforced, chosen: list[int]) -> list:
        from glossary.enforce import check_sentence

        hits = []
        for index in chosen:
            if article.segments[index].verbatim:
                continue
            sentence = article.segments[index].text
            for tgt in self.targets:
                if tgt == self.source:
                    continue
                hits += check_sentence(index, sentence, translations[tgt][index], tgt, self.glossary,
                                       self.matcher, enforced.get((sentence, tgt)))
        return hits
