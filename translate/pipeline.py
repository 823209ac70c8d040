"""Translating articles into several languages, through the English pivot where needed.

Arabic and Hebrew have no direct French Argos models: they are reached through English.
All sentences of all articles are translated in one batched stream per language pair, the
English is computed once and reused for every pivoted target, and identical sentences are
translated once.
"""

from __future__ import annotations

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
    """Plans and runs the translation of articles into target languages."""

    def __init__(self, articles: list[Article], targets: list[str], engine: Engine, pivot: str = PIVOT):
        if not targets:
            raise InputError("no target language: pass --to, e.g. --to en,ar,he")
        self.articles = articles
        self.targets = list(dict.fromkeys(targets))
        self.engine = engine
        sources = {a.lang for a in articles}
        self.routes = {
            (src, tgt): ([src] if src == tgt else route(engine, src, tgt, pivot))
            for src in sources for tgt in self.targets
        }
        # Each hop (a, b) of every route is run once, in an order where a hop's input exists.
        self.hops: list[tuple[str, str]] = []
        for path in sorted(self.routes.values(), key=len):
            for hop in zip(path, path[1:]):
                if hop not in self.hops:
                    self.hops.append(hop)

    @property
    def total(self) -> int:
        """Sentence translations the job performs, for progress bars."""
        unique = {s for a in self.articles for s in a.sentences}
        return len(unique) * len(self.hops)

    def signature(self) -> str:
        parts = [f"{a}>{b}:{self.engine.signature(a, b)}" for a, b in self.hops]
        return "|".join(parts + [f"v:{__version__}"])

    def run(self, progress: Progress | None = None) -> list[ArticleTranslation]:
        # text[lang] maps a source sentence to its version in lang.
        text: dict[str, dict[str, str]] = {}
        for article in self.articles:
            table = text.setdefault(article.lang, {})
            for sentence in article.sentences:
                table[sentence] = sentence
        for a, b in self.hops:
            # Translate each distinct input once; a source sentence reaches b through a.
            inputs = text[a]
            distinct = list(dict.fromkeys(inputs.values()))
            outputs = dict(zip(distinct, self.engine.translate(distinct, a, b, progress)))
            if progress and len(inputs) > len(distinct):
                progress(len(inputs) - len(distinct))
            text[b] = {source: outputs[middle] for source, middle in inputs.items()}
        signature = self.signature()
        results = []
        for article in self.articles:
            translations = {}
            for target in self.targets:
                path = self.routes[(article.lang, target)]
                translations[target] = [text[path[-1]][s] if len(path) > 1 else s for s in article.sentences]
            results.append(ArticleTranslation(article, translations, signature))
        return results
