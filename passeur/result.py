"""The result of an article: its sentences, their translations, the summary, the term report
and the signature; and the JSON passeur writes and reads back, both ways.

The JSON is the contract other tools rely on (DESIGN.md): `source` (`lang`, `title`,
`sentences`, `paragraphs`, `kinds`, `headings`, `verbatim`), `translations` (language → list
aligned with `source.sentences`, `null` for a sentence that was not translated), `summary`
(`algorithm`, `indices`, language → sentences), `terms` (one record per term occurrence),
`signature`, and `file`. Sentence numbers in it are 0-based indices into `source.sentences`;
everything meant for people (tables, reports, the briefing) counts from 1.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from passeur.article import CODE, HEADING, KINDS, TEXT, TITLE, Article, Segment
from passeur.errors import InputError
from passeur.inputs import read_regular

MAX_RESULTS_BYTES = 512 << 20  # a day of 200 translated articles is about 10 MB

# Term QA statuses, in the vocabulary of Xbench and Trados.
STATUS_OK = "ok"
STATUS_MISSING = "missing target term"
STATUS_FORBIDDEN = "forbidden term used"
STATUS_NO_EQUIVALENT = "no target equivalent"
STATUS_NUMBER = "number mismatch"  # a number of the source is not in the translation
STATUS_WRONG_FORM = "wrong form"  # the target term is there, but does not agree (plural source, singular term)
STATUS_VERBATIM_LOST = "verbatim span lost"  # a link, code, URL or handle did not come through as written
STATUS_SOURCE_ONLY = "source only"  # a concept the glossary marks source-only: no target term is expected
# A document's bold, italic, link (or inline object) whose tag the model lost: the formatting now
# covers the whole sentence (the object stands at its end).
STATUS_FORMAT_LOST = "inline formatting lost"
# An empty target cell on a concept that is neither do-not-translate nor source-only is a problem:
# nothing was enforced there.
PROBLEMS = (STATUS_MISSING, STATUS_FORBIDDEN, STATUS_NUMBER, STATUS_WRONG_FORM, STATUS_VERBATIM_LOST,
            STATUS_NO_EQUIVALENT, STATUS_FORMAT_LOST)


@dataclass(frozen=True)
class TermHit:
    """One term occurrence (or number, or verbatim span) in one sentence and language, with its status."""

    sentence: int  # 0-based index into the article's sentences
    lang: str
    concept: str
    term: str  # the source text matched, or the forbidden form found
    target: str | None  # the expected target form
    status: str
    enforced: str = ""  # placeholder | retry | fallback | "" (checked only)

    @property
    def problem(self) -> bool:
        return self.status in PROBLEMS

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "lang": self.lang, "concept": self.concept, "term": self.term,
                "target": self.target, "status": self.status, "enforced": self.enforced}


@dataclass(frozen=True)
class Summary:
    algorithm: str
    indices: list[int]  # sentence indices, in article order
    sentences: dict[str, list[str | None]] = field(default_factory=dict)  # language -> the sentences at indices

    def to_dict(self) -> dict:
        return {"algorithm": self.algorithm, "indices": list(self.indices), **self.sentences}


@dataclass
class ArticleResult:
    """One article, its sentence-aligned translations, summary, term report and signature."""

    article: Article
    translations: dict[str, list[str | None]] = field(default_factory=dict)
    summary: Summary | None = None
    terms: list[TermHit] = field(default_factory=list)
    signature: str = ""
    # A document's inline marks in each target language, per sentence (passeur.inline), for its writer.
    marks: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        """The source language, then every target."""
        return [self.article.lang] + [lang for lang in self.translations if lang != self.article.lang]

    def text(self, lang: str) -> list[str | None]:
        """The article's sentences in lang (the source itself for the source language)."""
        return self.article.sentences if lang == self.article.lang else self.translations[lang]

    def to_dict(self) -> dict:
        article = self.article
        return {
            "file": article.name,
            "source": {
                "lang": article.lang,
                "title": article.title,
                "sentences": article.sentences,
                "paragraphs": article.paragraphs(),
                "kinds": [s.kind for s in article.segments],
                "headings": [i for i, s in enumerate(article.segments) if s.heading],
                "verbatim": [i for i, s in enumerate(article.segments) if s.verbatim],
            },
            "translations": self.translations,
            "summary": self.summary.to_dict() if self.summary else {"indices": []},
            "terms": [hit.to_dict() for hit in self.terms],
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data, name: str = "") -> "ArticleResult":
        """Read back what to_dict wrote (or an older passeur's JSON); InputError names what is wrong."""
        where = name or "JSON"
        hint = "give the output of `passeur translate --format json` (or summarize, brief)"
        if not isinstance(data, dict) or not isinstance(data.get("source"), dict) or not isinstance(data.get("translations"), dict):
            raise InputError(f"{where}: not a passeur result: {hint}")
        source = data["source"]
        sentences = source.get("sentences")
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise InputError(f"{where}: source.sentences must be a list of strings: {hint}")
        count = len(sentences)
        kinds = _kinds(source, count, where)
        paragraph_of = _paragraphs(source.get("paragraphs"), count, where)
        article = Article(name=str(data.get("file") or name or ""), lang=str(source.get("lang") or "fr"),
                          segments=[Segment(s, paragraph_of[i], kinds[i]) for i, s in enumerate(sentences)])
        translations: dict[str, list[str | None]] = {}
        for lang, text in data["translations"].items():
            if not _LANGUAGE_KEY.fullmatch(str(lang)):
                raise InputError(f"{where}: translations key {str(lang)[:40]!r} is not a language code (en, ar, he…): "
                                 f"{hint}")
            if not isinstance(text, list) or len(text) != count or not all(t is None or isinstance(t, str) for t in text):
                raise InputError(f"{where}: translations.{lang} must hold {count} sentences (strings or null), "
                                 f"aligned with source.sentences: {hint}")
            translations[str(lang).strip().lower()] = text  # "EN" is en, as --lang takes it
        return cls(article, translations, _summary(data.get("summary"), count, where),
                   _terms(data.get("terms"), where), str(data.get("signature") or ""))


_LANGUAGE_KEY = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")


def _kinds(source: dict, count: int, where: str) -> list[str]:
    kinds = source.get("kinds")
    if isinstance(kinds, list) and len(kinds) == count and all(k in KINDS for k in kinds):
        return kinds
    if kinds is not None:
        raise InputError(f"{where}: source.kinds must give one of {', '.join(KINDS)} per sentence")
    headings, verbatim = set(_indices(source.get("headings"), count)), set(_indices(source.get("verbatim"), count))
    # An older passeur wrote no kinds: its first segment was always the title.
    return [CODE if i in verbatim else (TITLE if i == 0 else HEADING) if i in headings else TEXT for i in range(count)]


def _indices(value, count: int) -> list[int]:
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < count]


def _paragraphs(groups, count: int, where: str) -> list[int]:
    if groups is None:
        return list(range(count))
    flat = [i for group in groups for i in group] if isinstance(groups, list) and all(isinstance(g, list) for g in groups) else None
    if flat != list(range(count)):
        raise InputError(f"{where}: source.paragraphs must group the sentence indices 0..{count - 1} in order")
    return [number for number, group in enumerate(groups) for _ in group]


def _summary(value, count: int, where: str) -> Summary | None:
    if not isinstance(value, dict) or not value.get("indices"):
        return None
    indices = _indices(value.get("indices"), count)
    sentences = {k.lower(): v for k, v in value.items() if k not in ("algorithm", "indices") and isinstance(v, list)
                 and _LANGUAGE_KEY.fullmatch(k) and all(t is None or isinstance(t, str) for t in v)}
    return Summary(str(value.get("algorithm") or ""), indices, sentences)


def _terms(value, where: str) -> list[TermHit]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: terms must be a list of records (sentence, lang, concept, term, target, status), "
                         f"not {type(value).__name__}: give the output of `passeur translate --format json`")
    hits = []
    for record in value:
        sentence = record.get("sentence") if isinstance(record, dict) else None
        if type(sentence) is not int or sentence < 0 or not all(
                isinstance(record.get(key), str) for key in ("lang", "concept", "term", "status")):
            raise InputError(f"{where}: a record of terms is malformed (sentence a number from 0, lang, concept, "
                             f"term and status strings): {str(record)[:80]}")
        target = record.get("target")
        hits.append(TermHit(sentence, record["lang"], record["concept"], record["term"],
                            None if target is None else str(target), record["status"],
                            str(record.get("enforced") or "")))
    return hits


def results_to_json(results: list[ArticleResult]) -> str:
    """One object for one article, a list for several."""
    data = [r.to_dict() for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def read_results(path: str | Path, data: bytes | None = None) -> list[ArticleResult]:
    """The articles of a JSON file written by passeur translate, summarize or brief."""
    name = str(path)
    raw = read_regular(path, MAX_RESULTS_BYTES, "result", fix="a JSON file written by passeur") if data is None else data
    try:
        value = json.loads(unicodedata.normalize("NFC", raw.decode("utf-8-sig")))
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to be a passeur result: give the output of "
                         "`passeur translate --format json`") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(f"{name}: not JSON ({err}): give the output of `passeur translate --format json`") from None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InputError(f"{name}: holds no article: give the output of `passeur translate --format json`")
    return [ArticleResult.from_dict(item, name) for item in items]
