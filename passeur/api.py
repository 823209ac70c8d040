"""passeur's library API: everything the command line does, callable from Python.

The command line (passeur.cli) and the server (passeur.server) only parse what they are given,
call these functions, and print or answer: they import nothing else of passeur's. Errors never
name a command-line flag; an error about one argument says which (`PasseurError.argument`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator

from passeur import __version__
from passeur.article import Article
from passeur.briefing import BRIEFING, FULL_TEXT, RENDERERS, SUMMARY
from passeur.errors import EngineError, InputError, ModelError, PasseurError, PasseurWarning, warn
from passeur.glossary.formats import GlossaryProblems
from passeur.languages import LANGUAGES, check_code, has_rtl, language
from passeur.pipeline import Progress, run_each
from passeur.result import PROBLEMS, STATUS_VERBATIM_LOST, ArticleResult, TermHit, read_results
from passeur.summarize import DEFAULT_ALGORITHM, SUMMARIZERS
from passeur.summarize.base import SummaryRequest
from passeur.translate import DEFAULT_ENGINE, ENGINES, WRITERS
from passeur.translate.engine import Engine, EngineConfig
from passeur.translate.shared import Overloaded

DEFAULT_TARGETS = ("en", "ar", "he")
DEFAULT_GLOSSARY = "default"  # the newsroom glossary shipped with passeur
VERSION = __version__


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP stop the process as Ctrl-C does: every `finally` runs (no temporary file is
    left behind) and the exit status is the signal's, 143 for SIGTERM. For a program's main thread."""
    from passeur import stopping

    stopping.install()


def read_articles(paths: Iterable[str], encoding: str | None = None, source: str = "fr", recursive: bool = False,
                  stdin: bytes | None = None) -> list[Article]:
    """Read article files (and folders with recursive; "-" reads `stdin`, or the process's standard input).

    Each article is checked offline for its language: an English article given as French is
    worth a warning (PasseurWarning), not an error.
    """
    from passeur.translate.langid import language_warning
    from passeur.translate.read import article_files, read_article

    source = _code(source, "source")
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


def _code(code: str, argument: str) -> str:
    """A language code, checked; the error starts with the value and names the argument at fault
    (source, targets), for a front end to say how it was given."""
    try:
        return check_code(code, "")
    except InputError as err:
        raise InputError(str(err).strip(), argument=argument) from None


def _targets(targets: Iterable[str], articles: list[Article] = ()) -> list[str]:
    codes = [_code(t, "targets") for t in targets]
    sources = {a.lang for a in articles}
    same = [code for code in codes if code in sources]
    if same:
        others = [code for code in (*DEFAULT_TARGETS, "fr") if code not in sources]
        raise InputError(f"{same[0]}: the articles are in {same[0]} already: give other target languages, "
                         f"e.g. {','.join(others[:3])}", argument="targets")
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
    return list(_run(articles, targets, engine, glossary, None, False, progress, style))


def translate_each(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
                   glossary=DEFAULT_GLOSSARY, progress: Progress | None = None,
                   style: str | None = None) -> Iterator[ArticleResult]:
    """translate(), each article's result as soon as it is done (a folder's articles go in groups;
    memory does not grow with the folder): write each one as it comes."""
    return _run(articles, targets, engine, glossary, None, False, progress, style)


def _run(articles, targets, engine, glossary, request, only_summary, progress, style) -> Iterator[ArticleResult]:
    glossary = open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary
    engine = engine or open_engine()
    targets = _targets(targets, articles)
    return run_each(articles, targets, engine, glossary, request, only_summary, progress,
                    style=_style(style, engine, targets, articles))


def summarize(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
              glossary=DEFAULT_GLOSSARY, request: SummaryRequest = SummaryRequest(),
              progress: Progress | None = None, style: str | None = None) -> list[ArticleResult]:
    """The summary of each article in French and every target; only its sentences and the headline
    are translated (the other translations are None)."""
    return list(_run(articles, targets, engine, glossary, request, True, progress, style))


def brief(articles: list[Article], targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None,
          glossary=DEFAULT_GLOSSARY, request: SummaryRequest = SummaryRequest(),
          progress: Progress | None = None, style: str | None = None) -> list[ArticleResult]:
    """Everything a briefing shows: full translations, summaries and the term report."""
    return list(_run(articles, targets, engine, glossary, request, False, progress, style))


def run_on(address: str, command: str, articles: list[Article], paths: list[Path],
           targets: Iterable[str] = DEFAULT_TARGETS,
           engine: str = "argos", config: EngineConfig | None = None, cache: str | Path | bool = True,
           glossary=DEFAULT_GLOSSARY, request: SummaryRequest | None = None, style: str | None = None,
           fmt: str = "json", parts=None, title: str | None = None, progress=None):
    """translate, summarize or brief (`command`) on the Dask cluster at `address` (dask://HOST:PORT),
    one task per article, each written to its path as it finishes (a brief: `paths` are the
    briefing's files, written at the end); outputs are those of the same call run here. Resumable:
    a rerun does only the articles not done yet. Returns a passeur.cluster.Report; `progress` is a
    passeur.cluster.Progress. Needs the dask extra (`pip install 'passeur[dask]'`)."""
    from passeur.briefing import BRIEFING, FULL_TEXT, SUMMARY
    from passeur.cluster import Job, run as run_job
    from passeur.pipeline import source_language

    calls = {"translate": (translate, FULL_TEXT), "summarize": (summarize, SUMMARY), "brief": (brief, BRIEFING)}
    if command not in calls:
        raise InputError(f"unknown command {command!r}: choose one of {', '.join(calls)}")
    call, default_parts = calls[command]
    job = Job(command, call, render, open_engine, tuple(_targets(targets, articles)), source_language(articles),
              engine, config or EngineConfig.resolve(), str(cache) if isinstance(cache, Path) else cache,
              open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary,
              request if request is not None or command == "translate" else SummaryRequest(), style, fmt,
              frozenset(parts or default_parts), title)
    return run_job(address, job, articles, list(paths or []), progress)


def calibrate(targets: Iterable[str] = DEFAULT_TARGETS, engine: Engine | None = None, source: str = "fr",
              limit: int | None = None, progress: Progress | None = None, store: bool = True):
    """Measure which placeholder style the installed models carry best (and store it for translate)."""
    from passeur.calibration import calibrate as measure, save
    from passeur.glossary import default_glossary

    engine = engine or open_engine()
    targets = _targets(targets)
    report = measure(engine, default_glossary(), targets, _code(source, "source"), limit, progress)
    if store:
        save(report, engine, targets, source)
    return report


def default_parts(results: list[ArticleResult]) -> frozenset[str]:
    """What the command that made these results shows: a briefing for `brief` (summaries, terms and
    the full text), the summaries for `summarize` (sentences left untranslated), the full text for
    `translate` (no summary)."""
    if not any(result.summary and result.summary.indices for result in results):
        return FULL_TEXT
    partial = any(None in sentences for result in results for sentences in result.translations.values())
    return SUMMARY if partial else BRIEFING


def render(results: list[ArticleResult], fmt: str = "txt", parts=None, title: str | None = None) -> str:
    """Results as txt, md, html or json (passeur.briefing.RENDERERS); parts: what to show (default:
    what the command that made them shows, see default_parts)."""
    from passeur.briefing import render as draw

    if fmt not in RENDERERS:
        raise InputError(f"unknown format {fmt!r}: choose one of {', '.join(RENDERERS)}", argument="format")
    return draw(results, fmt, parts or default_parts(results), title)


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
# --- texts, documents and a shared engine, for a server ---------------------------------------

def shared_engine(engine: Engine | None = None, window: float = 0.01, max_round: int = 256,
                  max_pending: int = 20_000):
    """An engine many threads can call at once: their sentences queue up and are decoded together
    (a short `window` after the oldest waiting call), each distinct sentence once, models kept
    loaded. A call whose deadline (`engine.deadline(seconds)`) passes, or that finds more than
    `max_pending` sentences waiting, raises Overloaded."""
    from passeur.translate.shared import SharedEngine

    return SharedEngine(engine or open_engine(), window, max_round, max_pending)


def language_pairs(engine: Engine) -> dict[str, list[str]]:
    """Every language the engine translates from, and the targets it reaches (directly or through
    English, as translate does), sorted."""
    from passeur.pipeline import route

    pairs = engine.pairs()
    codes = sorted({code for pair in pairs for code in pair})
    reach: dict[str, list[str]] = {}
    for source in codes:
        targets = []
        for target in codes:
            try:
                if target != source and route(engine, source, target):
                    targets.append(target)
            except ModelError:
                pass
        if targets:
            reach[source] = targets
    return reach


def detect_language(text: str, candidates: Iterable[str]) -> list[tuple[str, float]]:
    """The candidate languages ranked for text, each with a confidence from 0 to 1, best first
    (offline: the script, and stop words for Latin-script languages; short texts too)."""
    from passeur.translate.langid import rank

    return rank(text, list(candidates))


@dataclass
class TextTranslation:
    """A text translated in its own layout, with its sentences, their translations, the term report
    (sentence numbers index `sentences`) and the signature."""

    text: str
    sentences: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    terms: list[TermHit] = field(default_factory=list)
    signature: str = ""


def translate_texts(texts: list[str], source: str, target: str, engine: Engine | None = None,
                    glossary=DEFAULT_GLOSSARY, html: bool = False, style: str | None = None) -> list[TextTranslation]:
    """Short texts (a paragraph, a page, an HTML fragment with `html`) translated sentence by
    sentence in one batched run, terms enforced, each put back in its own layout: line breaks,
    spaces and (in HTML) tags as they were. A text in the target language already comes back as it is."""
    from passeur.translate.texts import html_layout, plain_layout

    return _translate_layouts([(html_layout if html else plain_layout)(t, source) for t in texts], texts, source,
                              target, engine, glossary, style)


def _translate_layouts(layouts, originals, source, target, engine, glossary, style) -> list[TextTranslation]:
    from passeur.article import Segment

    source = _code(source, "source")
    target = _code(target, "targets")
    if source == target:
        return [TextTranslation(layout.fill(layout.sentences) if text is None else text)
                for layout, text in zip(layouts, originals)]
    articles = [Article(f"text {number}", [Segment(s, p) for s, p in zip(layout.sentences, layout.paragraphs)], source)
                for number, layout in enumerate(layouts, 1) if layout.sentences]
    results = iter(translate(articles, [target], engine, glossary, style=style) if articles else [])
    out = []
    for layout, original in zip(layouts, originals):
        if not layout.sentences:
            out.append(TextTranslation(original if isinstance(original, str) else layout.fill([])))
            continue
        result = next(results)
        translated = [t or "" for t in result.translations[target]]
        out.append(TextTranslation(layout.fill(translated), layout.sentences, translated, result.terms, result.signature))
    return out


def document_formats() -> list[str]:
    """The file suffixes translate_document takes: text formats translated in place (passeur.translate.LAYOUTS)
    and the documents passeur writes back (WRITERS: .docx, .odt, .srt)."""
    from passeur.translate import LAYOUTS, SUFFIXES

    return list(LAYOUTS) + [suffix for suffix, fmt in SUFFIXES.items() if fmt in WRITERS and suffix not in LAYOUTS]


def translate_document(data: bytes, name: str, source: str, target: str, engine: Engine | None = None,
                       glossary=DEFAULT_GLOSSARY, style: str | None = None) -> tuple[bytes, TextTranslation]:
    """A document file (see document_formats) translated in place: the same format and layout, its
    text in the target language. (the document's bytes, the translation with its term report)."""
    import importlib

    from passeur.translate import LAYOUTS, SUFFIXES
    from passeur.translate.read import MAX_ARTICLE_BYTES

    suffix = Path(name).suffix.lower()
    if suffix not in document_formats():
        raise InputError(f"{name}: not a document passeur translates: give one of {', '.join(document_formats())}")
    if len(data) > MAX_ARTICLE_BYTES:
        from passeur.inputs import too_big

        raise InputError(too_big(name, len(data), MAX_ARTICLE_BYTES, "document"))
    if suffix not in LAYOUTS:  # a document passeur reads and writes back (Word, OpenDocument, subtitles)
        module, _, function = WRITERS[SUFFIXES[suffix]].partition(":")
        [result] = translate([read_article_data(name, data, source)], [target], engine, glossary, style=style)
        sentences = result.article.sentences
        translated = [t or "" for t in result.translations[_code(target, "targets")]]
        written = getattr(importlib.import_module(module), function)(result, _code(target, "targets"))
        return written, TextTranslation(written, sentences, translated, result.terms, result.signature)
    module, _, function = LAYOUTS[suffix].partition(":")
    layout = getattr(importlib.import_module(module), function)(data, name, source)
    [done] = _translate_layouts([layout], [None], source, target, engine, glossary, style)
    return (done.text.encode("utf-8") if isinstance(done.text, str) else done.text), done


def read_article_data(name: str, data: bytes, source: str = "fr") -> Article:
    """An article from bytes in memory (an upload): read as the file `name` would be (by its suffix)."""
    from passeur.translate.read import read_article

    article = read_article(name, data=data)
    article.lang = _code(source, "source")
    article.stem = Path(name).stem
    return article


# --- glossaries ------------------------------------------------------------------------------

def glossary_formats() -> list[str]:
    """The glossary file formats passeur reads and writes (passeur.glossary.FORMATS)."""
    from passeur.glossary import FORMATS

    return list(FORMATS)


def validate_glossary(path: str | Path):
    """A glossary file, validated: GlossaryProblems (an InputError) lists every error; the warnings
    (variants of a concept that match the same text) are in the glossary's `warnings`, not emitted."""
    import warnings

    from passeur.glossary import load_glossary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PasseurWarning)
        return load_glossary(path)


def dump_glossary(glossary, fmt: str) -> str:
    """A glossary written as one of glossary_formats() (tsv and csv keep the file's layout)."""
    from passeur.glossary import FORMATS, dump_glossary as dump

    if fmt not in FORMATS:
        raise InputError(f"unknown glossary format {fmt!r}: choose one of {', '.join(FORMATS)}", argument="format")
    return dump(glossary, fmt)


@dataclass
class GlossaryDiff:
    """What changed between two glossaries, and (given translated articles) which published
    sentences the change alters, before and after."""

    old: str
    new: str
    changes: list = field(default_factory=list)  # passeur.glossary.diff.Change
    impacts: list = field(default_factory=list)  # passeur.glossary.diff.Impact
    impact_files: list[str] = field(default_factory=list)


def diff_glossaries(old: str | Path, new: str | Path, impact: Iterable[str | Path] = ()) -> GlossaryDiff:
    """Concepts added, removed and changed (field by field); with `impact`, passeur JSON files
    (translate, summarize or brief), the sentences the change alters."""
    from passeur.glossary import load_glossary
    from passeur.glossary.diff import diff, impact as affected

    g_old, g_new = load_glossary(old), load_glossary(new)
    changes = diff(g_old, g_new)
    files = [str(name) for name in impact]
    results = [r for name in files for r in read_results(name)]
    return GlossaryDiff(str(old), str(new), changes, affected(g_old, g_new, changes, results) if results else [], files)


@dataclass(frozen=True)
class LineAligned:
    """A plain-text translation to check: source sentences one per line, the translation line by line."""

    source: str | Path
    translation: str | Path
    lang: str


def read_line_aligned(files: LineAligned, glossary=DEFAULT_GLOSSARY) -> ArticleResult:
    """Two UTF-8 text files, line-aligned, as a result to check; the language must be a target of
    the glossary (or one passeur knows)."""
    import unicodedata

    from passeur.article import Segment
    from passeur.inputs import read_regular

    glossary = open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary
    source = glossary.source if glossary is not None else "fr"
    lang = check_code(str(files.lang), "lang")  # "en-GB", "EN", "iw": the language alone
    known = glossary.languages if glossary is not None else (source,)
    if lang == source or (lang not in known and lang not in LANGUAGES):
        targets = list(known[1:])
        near = [code for code in targets if lang.startswith(code)]
        name = glossary.name if glossary is not None else "none"
        raise InputError(f"{lang}: not a target language of the glossary {name} (its columns: {', '.join(known)}): "
                         "give the language the translation is written in"
                         + (f": {near[0]}?" if near else f", e.g. {', '.join(targets[:2]) or 'en'}"), argument="lang")
    lines = []
    for name in (files.source, files.translation):
        data = read_regular(name, 64 << 20, "text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise InputError(f"{name}:{line}: not UTF-8: give UTF-8 text files, one sentence per line") from None
        lines.append(unicodedata.normalize("NFC", text).splitlines())
    src, tgt = lines
    if len(src) != len(tgt):
        raise InputError(f"{files.translation}: {len(tgt)} line{'s' * (len(tgt) != 1)} for {len(src)} "
                         f"line{'s' * (len(src) != 1)} in {files.source}: the files must be line-aligned")
    article = Article(str(files.translation), [Segment(s, i) for i, s in enumerate(src)], source)
    return ArticleResult(article, {lang: tgt})


def check_terms(files: Iterable[str | Path] = (), glossary=DEFAULT_GLOSSARY, line_aligned: LineAligned | None = None):
    """Term QA of passeur JSON files (translate, summarize or brief), and of a line-aligned plain-text
    translation, against a glossary: a TermReport (rows of (file, TermHit), and its problems)."""
    from passeur.glossary.check import check_results

    glossary = open_glossary(glossary) if isinstance(glossary, (str, Path)) else glossary
    results = [r for name in files for r in read_results(name)]
    if line_aligned is not None:
        results.append(read_line_aligned(line_aligned, glossary))
    if not results:
        raise InputError("nothing to check: give translated JSON files, or a line-aligned source and translation")
    return check_results(results, glossary)


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table whose cells stay cells whatever they hold ('|', line breaks, markup escaped)."""
    from passeur.briefing.markdown import table

    return table(headers, rows)


def escape_markdown(text: str) -> str:
    """Text for a Markdown block: emphasis, HTML and heading markers never become markup."""
    from passeur.briefing.markdown import escape_markdown as escape

    return escape(text)


# --- models ----------------------------------------------------------------------------------

def models_folder() -> Path:
    """Where Argos packages are installed (ARGOS_PACKAGES_DIR, argos' settings.json, else the default)."""
    from passeur.translate.models import packages_dir

    return packages_dir()


def installed_models() -> list:
    """The installed translation packages (passeur.translate.models.ModelPackage), by pair."""
    from passeur.translate.models import installed_packages

    return sorted(installed_packages(models_folder()), key=lambda p: p.pair)


def available_models() -> tuple[str, list]:
    """(the package index's URL, the packages it lists, by pair): ARGOS_PACKAGE_INDEX or Argos' index."""
    from passeur.translate.models import fetch_index, index_url

    url = index_url()
    return url, sorted(fetch_index(url), key=lambda p: p.pair)


DownloadProgress = Callable[[int, "int | None"], None]  # (bytes so far, total or None)


def install_models(items: Iterable[str | Path], force: bool = False,
                   downloading: Callable[[str], ContextManager[DownloadProgress]] | None = None) -> Iterator[tuple]:
    """Install models: .argosmodel files (or folders of them) and language pairs ("fr:en") from the
    package index. Yields (package, where it came from) as each is installed. A model is never
    replaced by an older version unless `force`. `downloading(label)`: a context manager giving a
    progress callback for each download (a progress bar)."""
    from contextlib import nullcontext

    from passeur.translate import models as store

    items = [str(item) for item in items]
    directory = store.packages_dir()
    files = [i for i in items if Path(i).exists() or i.endswith(".argosmodel")]
    pairs = [store.parse_pair(i) for i in items if i not in files]
    for path in store.model_files(files):
        yield store.install_file(path, directory, force=force), str(path)
    if not pairs:
        return
    url = store.index_url()
    index = store.fetch_index(url)
    chosen = [store.choose(index, pair, url) for pair in pairs]
    # Downloads go to a hidden folder beside the models (the same disk), removed on any exit,
    # SIGTERM included; what kill -9 leaves there, the next install removes.
    with store.download_folder(directory) as tmp:
        for package in chosen:
            with (downloading or (lambda label: nullcontext(None)))(f"downloading {package.label}") as advance:
                path = store.download(package, tmp, advance)
            yield store.install_file(path, directory, force=force, expected=package), url


def remove_models(pairs: Iterable[str]) -> list:
    """Remove every installed package of each pair ("en:he"); the packages removed."""
    from passeur.translate import models as store

    return [package for text in pairs for package in store.remove(store.parse_pair(text))]


def calibration_styles() -> tuple[str, ...]:
    """The placeholder styles calibrate measures, in the order a tie is settled."""
    from passeur.calibration import CANDIDATES

    return CANDIDATES


def calibration_path() -> Path:
    """Where calibrate stores its choice (PASSEUR_CALIBRATION, else the data folder)."""
    from passeur.calibration import store_path

    return store_path()


# --- the translation cache -------------------------------------------------------------------

def cache_path(path: str | Path | None = None) -> Path:
    """The cache file: the path given, else PASSEUR_CACHE, else ~/.local/share/passeur/cache.sqlite."""
    from passeur.translate.cache import default_path

    return Path(path) if path else default_path()


def cache_info(path: str | Path | None = None) -> dict:
    """The cache's file (`path`), translations (`entries`), model/setting combinations (`routes`), `bytes`."""
    from passeur.translate.cache import Cache

    store = Cache(cache_path(path))
    try:
        return store.info()
    finally:
        store.close()


def clear_cache(path: str | Path | None = None) -> tuple[int, Path]:
    """Delete every cached translation: (how many, the file)."""
    from passeur.translate.cache import Cache

    store = Cache(cache_path(path))
    try:
        return store.clear(), store.path
    finally:
        store.close()


__all__ = ["read_articles", "open_glossary", "open_engine", "translate", "translate_each", "summarize", "brief", "calibrate", "render",
           "default_parts", "plan_outputs", "guard_outputs", "write_results", "document_format", "plan_documents",
           "write_documents", "run_on", "read_results", "check_terms",
           "read_line_aligned", "LineAligned", "glossary_formats", "validate_glossary", "dump_glossary",
           "diff_glossaries", "GlossaryDiff", "markdown_table", "escape_markdown", "models_folder",
           "installed_models", "available_models", "install_models", "remove_models", "calibration_styles",
           "calibration_path", "shared_engine", "language_pairs", "detect_language", "translate_texts",
           "TextTranslation", "document_formats", "translate_document", "read_article_data", "cache_path", "cache_info", "clear_cache", "language", "has_rtl",
           "EngineConfig", "SummaryRequest", "ArticleResult", "Article", "TermHit", "Progress", "Engine",
           "PasseurError", "InputError", "GlossaryProblems", "Overloaded", "ModelError", "EngineError", "PasseurWarning",
           "RENDERERS", "FULL_TEXT", "SUMMARY", "BRIEFING", "PROBLEMS", "STATUS_VERBATIM_LOST", "SUMMARIZERS",
           "DEFAULT_ALGORITHM", "ENGINES", "WRITERS", "DEFAULT_ENGINE", "DEFAULT_TARGETS", "DEFAULT_GLOSSARY", "VERSION"]
