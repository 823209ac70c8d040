"""passeur's library API: everything the command line does, callable from Python.

The command line (passeur.cli) only parses options, calls these functions, and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from passeur.article import Article
from passeur.errors import InputError, warn
from passeur.languages import check_code
from passeur.pipeline import Progress, run
from passeur.result import ArticleResult, read_results
from passeur.summarize.base import SummaryRequest
from passeur.translate.engine import Engine, EngineConfig

DEFAULT_TARGETS = ("en", "ar", "he")
DEFAULT_GLOSSARY = "default"  # the newsroom glossary shipped with passeur


def read_articles(paths: Iterable[str], encoding: str | None = None, source: str = "fr", recursive: bool = False,
                  stdin: bytes | None = None) -> list[Article]:
    """Read article files (and folders with recursive; "-" reads `stdin`, or the process's standard input).

    Each article is checked offline for its language: an English article given as French is
    worth a warning (PasseurWarning), not an error.
    """
    from passeur.translate.langid import language_warning
    from passeur.translate.read import article_files, read_article

    source = check_code(source, "--source")
    articles = []
    for name, stem in article_files(list(paths), recursive):
        if name == "-":  # standard input is read with the same size cap as a file
            article = read_article("-", encoding, data=stdin)
        else:
            article = read_article(name, encoding)
        article.lang = source
        article.stem = stem
        warning = language_warning(article.name, " ".join(article.sentences[:200]), source)
        if warning:
            warn(warning)
        articles.append(article)
    return articles


def open_glossary(path: str | Path | None = DEFAULT_GLOSSARY):
    """A glossary file, the shipped newsroom glossary (DEFAULT_GLOSSARY), or None for no glossary."""
    from passeur.glossary import default_glossary, load_glossary

    if path is None:
        return None
    return default_glossary() if path == DEFAULT_GLOSSARY else load_glossary(path)


def open_engine(name: str = "argos", config: EngineConfig | None = None, cache: str | Path | bool | None = True) -> Engine:
    """An engine by name, its translations kept in the SQLite cache (cache=True: the default file,
    a path: that file, False/None: no cache)."""
    from passeur.translate.engine import load_engine

    engine = load_engine(name, config or EngineConfig.resolve())
    if not cache:
        return engine
    from passeur.translate.cache import Cache, CachedEngine, default_path

    return CachedEngine(engine, Cache(default_path() if cache is True else Path(cache)))


def _targets(targets: Iterable[str], articles: list[Article] = ()) -> list[str]:
    codes = [check_code(t, "--to") for t in targets]
    sources = {a.lang for a in articles}
    same = [code for code in codes if code in sources]
    if same:
        raise InputError(f"--to {same[0]}: the articles are in {same[0]} already: give other target languages, "
                         "e.g. --to en,ar,he")
    return codes


def _style(style: str | None, engine: Engine, targets: list[str], articles: list[Article]) -> str:
    """The placeholder style: as given, else the one `passeur models calibrate` chose for these models."""
    if style is not None:
        return style
    from passeur.calibration import chosen_style

    return chosen_style(engine, targets, articles[0].lang if articles else "fr")


def translate(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
              glossary=DEFAULT_GLOSSARY, progress: Progress | None = None, style: str | None = None) -> list[ArticleResult]:
    """Every sentence of every article in every target language, terms enforced and checked."""
    return _run(articles, targets, engine, glossary, None, False, progress, style)


def _run(articles, targets, engine, glossary, request, only_summary, progress, style):
    glossary = open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary
    engine = engine or open_engine()
    targets = _targets(targets, articles)
    return run(articles, targets, engine, glossary, request, only_summary, progress,
               style=_style(style, engine, targets, articles))


def summarize(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
              glossary=DEFAULT_GLOSSARY, request: SummaryRequest = SummaryRequest(),
              progress: Progress | None = None, style: str | None = None) -> list[ArticleResult]:
    """The summary of each article in French and every target; only its sentences and the headline
    are translated (the other translations are None)."""
    return _run(articles, targets, engine, glossary, request, True, progress, style)


def brief(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
          glossary=DEFAULT_GLOSSARY, request: SummaryRequest = SummaryRequest(),
          progress: Progress | None = None, style: str | None = None) -> list[ArticleResult]:
    """Everything a briefing shows: full translations, summaries and the term report."""
    return _run(articles, targets, engine, glossary, request, False, progress, style)


def calibrate(targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None, source: str = "fr",
              limit: int | None = None, progress: Progress | None = None, store: bool = True):
    """Measure which placeholder style the installed models carry best (and store it for translate)."""
    from passeur.calibration import calibrate as measure, save
    from passeur.glossary import default_glossary

    engine = engine or open_engine()
    targets = _targets(targets)
    report = measure(engine, default_glossary(), targets, check_code(source, "--source"), limit, progress)
    if store:
        save(report, engine, targets, source)
    return report


def render(results: list[ArticleResult], fmt: str = "txt", parts=None, title: str | None = None) -> str:
    """Results as txt, md, html or json (passeur.briefing.RENDERERS); parts: what to show."""
    from passeur.briefing import FULL_TEXT, RENDERERS
    from passeur.briefing import render as draw

    if fmt not in RENDERERS:
        raise InputError(f"unknown format {fmt!r}: choose one of {', '.join(RENDERERS)}")
    return draw(results, fmt, parts or FULL_TEXT, title)


def plan_outputs(articles: list[Article], fmt: str, output: str | None, inputs: Iterable[str] = ()) -> list[Path] | None:
    """The file each article's result will be written to (None: standard output); check them
    with guard_outputs before any work. `inputs`: the paths the articles were read from (a
    folder among them makes the output a folder, and an output inside it is refused)."""
    from passeur.outputs import plan_outputs as plan

    folders = [Path(name) for name in inputs if name != "-" and Path(name).is_dir()]
    return plan([a.stem or Path(a.name).stem for a in articles], fmt, output, folders)


def guard_outputs(paths: list[Path], articles: list[Article], *, glossary: str | Path | None = None,
                  cache: str | Path | None = None) -> None:
    """Refuse outputs that are files passeur reads or owns (InputError naming which): the inputs, the
    glossary, the cache, the model folder, the calibration file, and passeur's own code and data."""
    from passeur.calibration import store_path
    from passeur.outputs import check_outputs, owned_paths
    from passeur.translate.models import packages_dir

    own = [(store_path(), "passeur's calibration file")] + [(folder, "part of passeur itself") for folder in _own_folders()]
    owned = owned_paths([a.name for a in articles], glossary if glossary != DEFAULT_GLOSSARY else None,
                        Path(cache) if cache else None, packages_dir(), own)
    check_outputs(paths, owned)


def _own_folders() -> list[Path]:
    """The folders passeur's code and data are installed in (in a checkout, the repository's folders)."""
    import importlib.util

    folders = []
    for name in ("passeur", "passeur.translate", "passeur.glossary", "passeur.summarize", "passeur.briefing"):
        spec = importlib.util.find_spec(name)
        folders += [Path(location) for location in (spec.submodule_search_locations or [])] if spec else []
    return folders


def write_results(results: list[ArticleResult], fmt: str, paths: list[Path] | None, parts=None,
                  title: str | None = None) -> list[Path]:
    """Write each result to its planned path (atomically); with no paths, nothing is written."""
    from passeur.outputs import write_atomic

    if not paths:
        return []
    guard_outputs(paths, [result.article for result in results])  # never over an input, whoever calls
    if len(paths) == 1 and len(results) > 1:
        write_atomic(paths[0], render(results, fmt, parts, title))
        return paths
    for result, path in zip(results, paths):
        write_atomic(path, render([result], fmt, parts, title))
    return paths


def document_format(articles: list[Article], fmt: str | None, output: str | None) -> str:
    """The output format: as given; else, written to files (-o), the documents' own format when
    every input is one passeur writes back (a PDF becomes a .docx); else txt."""
    from passeur.translate import WRITERS

    if fmt:
        return fmt
    formats = {"docx" if a.format == "pdf" else a.format for a in articles}
    if output is not None and len(formats) == 1 and formats <= set(WRITERS):
        return formats.pop()
    return "txt"


def plan_documents(articles: list[Article], targets: Iterable[str], fmt: str, output: str | None,
                   inputs: Iterable[str] = ()) -> list[list[Path]]:
    """One document per article and target language: FOLDER/STEM.LANG.FMT (report.docx → report.en.docx);
    -o names the file itself only for one article into one language."""
    from passeur.outputs import plan_outputs as plan

    if output is None:
        raise InputError(f"--format {fmt} writes one document per language: give -o a folder, e.g. -o out/")
    targets = list(targets)
    folders = [Path(name) for name in inputs if name != "-" and Path(name).is_dir()]
    stems = [f"{a.stem or Path(a.name).stem}.{lang}" for a in articles for lang in targets]
    paths = plan(stems, fmt, output, folders)
    return [paths[n * len(targets):(n + 1) * len(targets)] for n in range(len(articles))]


def write_documents(results: list[ArticleResult], fmt: str, plans: list[list[Path]]) -> list[Path]:
    """Each result written as a document (passeur.translate.WRITERS) per target language, atomically,
    to the paths plan_documents gave (in the order of the result's target languages)."""
    import importlib

    from passeur.outputs import write_atomic
    from passeur.translate import WRITERS

    if fmt not in WRITERS:
        raise InputError(f"unknown document format {fmt!r}: choose one of {', '.join(WRITERS)}")
    module, _, function = WRITERS[fmt].partition(":")
    writer = getattr(importlib.import_module(module), function)
    guard_outputs([p for paths in plans for p in paths], [result.article for result in results])
    written = []
    for result, paths in zip(results, plans):
        targets = [lang for lang in result.translations if lang != result.article.lang]
        for lang, path in zip(targets, paths):
            write_atomic(path, writer(result, lang))
            written.append(path)
    return written


def check_terms(files: Iterable[str | Path], glossary=DEFAULT_GLOSSARY):
    """Term QA of passeur JSON files (translate, summarize or brief) against a glossary."""
    from passeur.glossary.check import check_results

    glossary = open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary
    return check_results([r for name in files for r in read_results(name)], glossary)


__all__ = ["read_articles", "open_glossary", "open_engine", "translate", "summarize", "brief", "render",
           "plan_outputs", "guard_outputs", "write_results", "document_format", "plan_documents", "write_documents", "read_results", "check_terms", "EngineConfig", "SummaryRequest",
           "ArticleResult", "Article", "Progress"]
