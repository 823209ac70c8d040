"""The view of a result that every renderer draws: per language its title, summary and
paragraphs, the term report, and the signature. People-facing sentence numbers count from 1."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from passeur.article import CODE, TEXT
from passeur.languages import language
from passeur.result import ArticleResult, results_to_json


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str  # a passeur.article kind: title, heading, text, code, ...

    @property
    def code(self) -> bool:
        return self.kind == CODE


@dataclass(frozen=True)
class LanguageView:
    lang: str
    name: str
    direction: str
    title: str  # "" when the article has none (or it was not translated)
    summary: list[str]
    paragraphs: list[Paragraph]

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class ProblemRow:
    sentence: int  # 1-based
    lang: str
    term: str
    expected: str
    status: str


@dataclass(frozen=True)
class TermsView:
    counts: list[tuple[str, str, int, int]]  # (lang, language name, ok, problems)
    problems: list[ProblemRow]


@dataclass(frozen=True)
class ArticleView:
    name: str  # the file's own name, never its path (briefings are shared: folders say who and where)
    lang: str
    title: str
    languages: list[LanguageView]
    terms: TermsView | None
    signature: str
    source_lang: str = "fr"
    extra: dict = field(default_factory=dict)


def build(result: ArticleResult) -> ArticleView:
    article = result.article
    views = []
    for lang in result.languages:
        text = result.text(lang)
        facts = language(lang)
        title = text[article.title_index] if article.title_index is not None and text[article.title_index] else ""
        summary = ([s for s in result.summary.sentences.get(lang) or [text[i] for i in result.summary.indices] if s]
                   if result.summary else [])
        paragraphs = []
        for group in article.paragraphs():
            joined = " ".join(text[i] for i in group if text[i])
            if joined:
                # A paragraph with running text is text (a dateline opens it); otherwise it is what it holds.
                running = any(article.segments[i].kind == TEXT for i in group)
                paragraphs.append(Paragraph(joined, TEXT if running else article.segments[group[0]].kind))
        views.append(LanguageView(lang, facts.heading, facts.direction, title, summary, paragraphs))
    return ArticleView(file_name(article.name), article.lang, article.title or headline(article.sentences), views,
                       _terms(result), result.signature, article.lang)


def file_name(name: str) -> str:
    """What a briefing shows of an article's file: its name without folders."""
    return "standard input" if name in ("-", "") else PurePath(name).name


def headline(sentences: list[str], words: int = 12) -> str:
    """A heading for an article without a title: the start of its first sentence."""
    first = next((s for s in sentences if s.strip()), "").split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "")


def _terms(result: ArticleResult) -> TermsView | None:
    if not result.terms:
        return None
    counts = Counter((hit.lang, hit.problem) for hit in result.terms)
    targets = [lang for lang in result.languages if lang != result.article.lang]
    rows = [(lang, language(lang).heading, counts[(lang, False)], counts[(lang, True)]) for lang in targets]
    problems = [ProblemRow(hit.sentence + 1, hit.lang, hit.term, hit.target or "", hit.status)
                for hit in result.terms if hit.problem]
    return TermsView(rows, problems)


def render_json(results: list[ArticleResult], parts=None, title=None) -> str:
    return results_to_json(results)
