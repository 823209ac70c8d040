"""passeur translate, summarize and brief."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import click

from passeur import api
from passeur.api import BRIEFING, FULL_TEXT, RENDERERS, SUMMARY, WRITERS, EngineConfig, InputError, SummaryRequest
from passeur.cli.cluster import on_option, run_on
from passeur.cli.options import (CONTEXT, article_options, engine_options, glossary_options, output_options,
                                 split_languages, summary_options)
from passeur.cli.terminal import progress_bars, terminal


def _cache(cache_path, no_cache):
    """The cache file this run uses, or None."""
    return None if no_cache else api.cache_path(cache_path)


def _config(settings):
    return EngineConfig.resolve(**{f.name: settings.get(f.name) for f in fields(EngineConfig)})


def _engine(engine_name, cache, **settings):
    click.get_current_context().find_root().meta["passeur.cache"] = cache
    return api.open_engine(engine_name, _config(settings), cache or False)


def _glossary(glossary_path, no_glossary):
    return None if no_glossary else (glossary_path or api.DEFAULT_GLOSSARY)


@contextmanager
def _report(what: str, articles, engine):
    """Time the run, outputs written, and say last, on standard error, how much was done and how fast."""
    started = time.monotonic()
    yield
    seconds = time.monotonic() - started
    sentences = sum(len(a.segments) for a in articles)
    cached = getattr(engine, "hits", 0)
    rate = f"{60 * len(articles) / seconds:.1f} articles/minute" if seconds > 0 else ""
    click.echo(f"{what} {len(articles)} article{'s' * (len(articles) != 1)} ({sentences} sentences) in "
               f"{_duration(seconds)}: {rate}" + (f"; {cached} translations from the cache" if cached else ""), err=True)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{int(minutes)} min {seconds:.0f} s" if minutes else f"{seconds:.1f} s"


def _notice(results, fmt) -> None:
    """Text, Markdown and HTML do not show the term report: say on stderr when something was not enforced."""
    from collections import Counter

    if fmt == "json":
        return
    problems = Counter(hit.status for result in results for hit in result.terms if hit.problem)
    if not problems:
        return
    spans = problems.pop(api.STATUS_VERBATIM_LOST, 0)
    parts = [f"{status}: {n}" for status, n in problems.most_common()]
    if spans:
        parts.append(f"links, code spans or addresses not as written: {spans}")
    click.echo(f"passeur: notice: {', '.join(parts)}: `--format json` lists each one (terms), "
               "`passeur glossary check FILE.json` too", err=True)


def _one_file_each(paths, articles) -> bool:
    return bool(paths) and len(paths) == len(articles) > 1


def _write_each(results, fmt, paths, parts) -> list:
    """One file per article, each written as soon as its result comes (a folder's results are not
    held to the end); the problems of each, for the notice."""
    reported = []
    for result, path in zip(results, paths):
        for written in api.write_results([result], fmt, [path], parts):
            click.echo(f"wrote {written}", err=True)
        reported.append(_Terms([hit for hit in result.terms if hit.problem]))
    return reported


@dataclass
class _Terms:
    terms: list  # the problems of an article already written, for the notice


def _emit(results, fmt, paths, parts, title=None):
    # The notice comes after the translation, where a hurried reader's eye ends, not above it.
    if paths is None:
        text = api.render(results, fmt, parts, title)
        click.echo(terminal().layout(text) if fmt == "txt" else text, nl=False)
    else:
        for path in api.write_results(results, fmt, paths, parts, title):
            click.echo(f"wrote {path}", err=True)
    _notice(results, fmt)


def _request(algorithm, count, ratio, words):
    return SummaryRequest(algorithm, count, ratio, words)


def _prepare(files, encoding, source, recursive, glossary_path, no_glossary, cache_path, no_cache, outputs):
    """Read the articles and check where outputs go before any work; (articles, glossary, cache, paths).

    `outputs(articles)` gives the output paths (None for standard output)."""
    articles = api.read_articles(files, encoding, source, recursive)
    glossary = _glossary(glossary_path, no_glossary)
    cache = _cache(cache_path, no_cache)
    paths = outputs(articles)
    if paths:
        api.guard_outputs(paths, articles, glossary=glossary, cache=cache)
    return articles, glossary, cache, paths


@click.command(context_settings=CONTEXT)
@article_options
@output_options({**RENDERERS, **WRITERS}, default=None,
                help="Output format [default: txt; written to -o, a document's own format (a PDF: docx)]: "
                     f"{', '.join(WRITERS)} write one document per target language.")
@glossary_options
@engine_options
@on_option
def translate(files, targets, source, encoding, recursive, fmt, output, glossary_path, no_glossary,
              engine_name, cache_path, no_cache, on, **settings):
    """Translate French articles and documents (.txt, .md, .html, .docx, .odt, .srt, .pdf; - for
    stdin) sentence by sentence.

    Arabic and Hebrew are translated through English, computed once. A document (.docx, .odt,
    .srt) written to a folder comes out as one document per language, its layout and formatting
    kept: report.docx gives out/report.en.docx, out/report.ar.docx…

    \b
    Example:
        passeur translate article.txt --to en,ar,he --format json -o article.json
        passeur translate report.docx --to en,ar,he -o out/
    """
    languages = split_languages(targets)
    plans = []

    def outputs(articles):
        nonlocal fmt
        fmt = api.document_format(articles, fmt, output)
        if fmt not in WRITERS:
            return api.plan_outputs(articles, fmt, output, files)
        plans[:] = api.plan_documents(articles, languages, fmt, output, files)
        return [path for paths in plans for path in paths]

    articles, glossary, cache, paths = _prepare(files, encoding, source, recursive, glossary_path, no_glossary,
                                                cache_path, no_cache, outputs)
    if on:
        if plans:
            raise InputError(f"--on writes one file per article (txt, md, html, json), not {fmt}: translate "
                             "documents without --on")
        return run_on(on, "translate", articles, paths, languages, engine_name, cache_path, no_cache, glossary,
                      _config(settings), fmt=fmt)
    engine = _engine(engine_name, cache, **settings)
    with _report("translated", articles, engine):
        with progress_bars() as progress:
            results = api.translate_each(articles, languages, engine, glossary, progress)
            each = fmt not in WRITERS and _one_file_each(paths, articles)
            results = _write_each(results, fmt, paths, FULL_TEXT) if each else list(results)
        if each:
            _notice(results, fmt)
        elif fmt in WRITERS:
            for path in api.write_documents(results, fmt, plans):
                click.echo(f"wrote {path}", err=True)
            _notice(results, fmt)
        else:
            _emit(results, fmt, paths, FULL_TEXT)


@click.command(context_settings=CONTEXT)
@article_options
@output_options(RENDERERS)
@summary_options
@glossary_options
@engine_options
@on_option
def summarize(files, targets, source, encoding, recursive, fmt, output, algorithm, count, ratio, words, glossary_path,
              no_glossary, engine_name, cache_path, no_cache, on, **settings):
    """Summarize French articles in French and every target language.

    The key French sentences are chosen once; each language's summary is their translation,
    so all summaries say the same thing. Only those sentences and the headline are translated
    (in JSON the other sentences' translations are null).

    \b
    Example:
        passeur summarize article.txt --to en,ar,he --sentences 2
    """
    articles, glossary, cache, paths = _prepare(files, encoding, source, recursive, glossary_path, no_glossary,
                                                cache_path, no_cache, lambda a: api.plan_outputs(a, fmt, output, files))
    if on:
        return run_on(on, "summarize", articles, paths, split_languages(targets), engine_name, cache_path, no_cache,
                      glossary, _config(settings), _request(algorithm, count, ratio, words), fmt)
    engine = _engine(engine_name, cache, **settings)
    with _report("summarized", articles, engine):
        with progress_bars() as progress:
            results = api.summarize(articles, split_languages(targets), engine, glossary,
                                    _request(algorithm, count, ratio, words), progress)
        _emit(results, fmt, paths, SUMMARY)


@click.command(context_settings=CONTEXT)
@article_options
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder to write briefing.html, briefing.md and briefing.json into.")
@click.option("--format", "formats", default="html,md,json", show_default=True,
              help=f"Which of {', '.join(RENDERERS)} to write, comma-separated.")
@click.option("--title", default="Briefing", show_default=True, help="Title of the briefing.")
@summary_options
@glossary_options
@engine_options
@on_option
def brief(files, targets, source, encoding, recursive, output, formats, title, algorithm, count, ratio, words,
          glossary_path, no_glossary, engine_name, cache_path, no_cache, on, **settings):
    """Write a multilingual briefing: per article, the summary in every language side by side,
    the glossary term report, the full translations, and how it was made.

    The HTML is one self-contained, print-ready file; Arabic and Hebrew blocks are right-to-left.

    \b
    Example:
        passeur brief today/*.txt --to en,ar,he -o briefing/
    """
    chosen = split_languages(formats)
    unknown = [f for f in chosen if f not in RENDERERS]
    if unknown or not chosen:
        raise InputError(f"--format {formats!r}: choose among {', '.join(RENDERERS)}, comma-separated")
    articles, glossary, cache, paths = _prepare(files, encoding, source, recursive, glossary_path, no_glossary,
                                                cache_path, no_cache,
                                                lambda _: [Path(output) / f"briefing.{fmt}" for fmt in chosen])
    if on:
        return run_on(on, "brief", articles, paths, split_languages(targets), engine_name, cache_path, no_cache,
                      glossary, _config(settings), _request(algorithm, count, ratio, words), title=title)
    engine = _engine(engine_name, cache, **settings)
    with _report("briefed", articles, engine):
        with progress_bars() as progress:
            results = api.brief(articles, split_languages(targets), engine, glossary,
                                _request(algorithm, count, ratio, words), progress)
        for fmt, path in zip(chosen, paths):
            api.write_results(results, fmt, [path], BRIEFING, title)
            click.echo(f"wrote {path}", err=True)
