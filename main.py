"""passeur's command line: parses options, calls the library, prints with rich.

This is the only module that talks to a terminal. Library errors (PasseurError) become one
line on stderr and exit code 2, here and nowhere else.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from summarize import DEFAULT_ALGORITHM, DEFAULT_SENTENCES, SUMMARIZERS
from translate import ENGINES, __version__
from translate.errors import PasseurError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class PasseurGroup(click.Group):
    """Turns every PasseurError into one line and exit code 2 (a traceback only with --debug)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PasseurError as err:
            if ctx.params.get("debug"):
                raise
            click.echo(f"passeur: error: {err}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("passeur: interrupted: nothing half-written; run the same command again to go on "
                       "(translated sentences are in the cache)", err=True)
            ctx.exit(130)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def progress_bar(description: str, total: int | None, unit: str = "sentences"):
    """A rich progress bar on stderr; yields a callback advancing it."""
    from rich.progress import (BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn, TransferSpeedColumn)

    if unit == "bytes":
        columns = [TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn()]
    else:
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("[progress.data.speed]{task.fields[rate]}"), TimeRemainingColumn()]
    with Progress(*columns, console=_stderr_console(), transient=True) as progress:
        task = progress.add_task(description, total=total, rate="")

        def advance(amount: int, total_now: int | None = None) -> None:
            if unit == "bytes":
                progress.update(task, completed=amount, total=total_now)
            else:
                progress.advance(task, amount)
                speed = progress.tasks[task].speed
                progress.update(task, rate=f"{speed:.1f} sent/s" if speed else "")

        yield advance


def split_languages(value: str) -> list[str]:
    return [lang.strip().lower() for lang in value.split(",") if lang.strip()]


RTL_CHARS = ("\u0590", "\u08ff")  # Hebrew, Arabic and their supplements
_terminal = {"bidi": False}


def bidi_default() -> bool:
    """Reorder right-to-left text for the terminal? PASSEUR_BIDI=0/1, else when stdout is a terminal."""
    import os

    setting = os.environ.get("PASSEUR_BIDI")
    if setting is not None:
        return setting.strip().lower() in {"1", "yes", "true", "on"}
    return sys.stdout.isatty()


def display(text: str, width: int | None = None) -> str:
    """Visual order for a terminal that does not do bidi itself; files always keep logical order.

    Arabic letters are shaped (joined) too, since such terminals do not join them either.
    Reordering must come after line breaking, so text is wrapped to width first (each line
    reordered on its own), and a cell of a table gets its lines from here, not from rich.
    """
    if not _terminal["bidi"] or not any(RTL_CHARS[0] <= c <= RTL_CHARS[1] for c in text):
        return text
    import textwrap

    import arabic_reshaper
    from bidi import get_display

    lines = []
    for line in text.split("\n"):
        for part in (textwrap.wrap(line, width) if width else [line]) or [""]:
            lines.append(get_display(arabic_reshaper.reshape(part)))
    return "\n".join(lines)


def _set_bidi(ctx, param, value):
    if value is not None:
        _terminal["bidi"] = value
    elif ctx.parent is None:  # the group decides the default; a command's own flag may override it
        _terminal["bidi"] = bidi_default()
    return value


# Before or after the command name: `passeur --no-bidi translate …` or `passeur translate … --no-bidi`.
bidi_option = click.option(
    "--bidi/--no-bidi", default=None, expose_value=False, callback=_set_bidi,
    help="Lay out Arabic and Hebrew right-to-left for terminals that do not (default: on when printing to a "
         "terminal; --no-bidi for terminals that do bidi themselves; env PASSEUR_BIDI).")


@click.group(cls=PasseurGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="passeur")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@bidi_option
def cli(debug):
    """passeur: translate French news into English, Arabic and Hebrew, offline.

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur translate article.txt --to en,ar,he
    """


def stack(*options):
    """One decorator from several click options, applied in the order given."""
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


# Shared by translate, summarize and brief: what to read, from which language, into which.
article_options = stack(
    click.argument("files", nargs=-1, required=True),
    click.option("--to", "targets", default="en,ar,he", show_default=True, help="Target languages, comma-separated."),
    click.option("--source", default="fr", show_default=True, help="Language of the articles."),
    click.option("--encoding", help="Input encoding when not UTF-8, e.g. latin-1."),
    click.option("-r", "--recursive", is_flag=True, help="Take every article in the folders given (and their subfolders)."),
)
output_options = stack(
    click.option("--format", "fmt", type=click.Choice(["txt", "md", "json"]), default="txt", show_default=True),
    click.option("-o", "--output", help="Output file, or folder (one file per input). Default: standard output."),
    bidi_option,
)


# Shared by every command that translates.
engine_options = stack(
        click.option("--engine", "engine_name", default="argos", show_default=True,
                     help=f"Translation engine ({', '.join(ENGINES)}, or one registered under passeur.engines)."),
        click.option("--beam-size", type=click.IntRange(1, 32), help="Beam size [env PASSEUR_BEAM_SIZE; default 4]."),
        click.option("--compute-type", help="CTranslate2 compute type [env PASSEUR_COMPUTE_TYPE; default int8]."),
        click.option("--inter-threads", type=click.IntRange(1, 64), help="Batches decoded in parallel [env PASSEUR_INTER_THREADS; default 2 on 2+ cores]."),
        click.option("--intra-threads", type=click.IntRange(0, 64), help="Threads per batch [env PASSEUR_INTRA_THREADS; default cores / inter threads]."),
        click.option("--batch-size", type=click.IntRange(1, 1024), help="Sentences per batch [env PASSEUR_MAX_BATCH_SIZE; default 8]."),
        click.option("--cache", "cache_path", type=click.Path(dir_okay=False),
                     help="Translation cache file [env PASSEUR_CACHE; default: see `passeur cache info`]."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache."),
)


glossary_options = stack(
    click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False),
                 help="Glossary file (.tsv, .csv, .tbx). Default: the newsroom glossary shipped with passeur."),
    click.option("--no-glossary", is_flag=True, help="Translate without any glossary."),
)


def choose_glossary(path, disabled):
    if disabled:
        return None
    from glossary import default_glossary, load_glossary

    return load_glossary(path) if path else default_glossary()


def make_engine(engine_name, beam_size, compute_type, inter_threads, intra_threads, batch_size, cache_path, no_cache):
    from translate.engine import EngineConfig, load_engine

    config = EngineConfig.from_env(beam_size=beam_size, compute_type=compute_type, inter_threads=inter_threads,
                                   intra_threads=intra_threads, max_batch_size=batch_size)
    engine = load_engine(engine_name, config)
    if no_cache:
        return engine
    from translate.cache import Cache, CachedEngine, default_path

    cache = Cache(Path(cache_path) if cache_path else default_path())
    for notice in cache.notices:
        click.echo(f"passeur: warning: {notice}", err=True)
    # Settings that change the output are part of the key; threads and batch size are not.
    settings = f"beam{config.beam_size} {config.compute_type} len{config.max_length_ratio:g}"
    return CachedEngine(engine, cache, settings)


def read_inputs(files, encoding, source, recursive=False):
    from translate.document import article_files, read_article
    from translate.langid import language_warning

    articles = []
    for name, stem in article_files(list(files), recursive):
        if name == "-":
            article = read_article("-", encoding, data=sys.stdin.buffer.read())
        else:
            article = read_article(name, encoding)
        article.lang = source
        article.stem = stem
        warning = language_warning(article.name, " ".join(article.sentences), source)
        if warning:
            click.echo(f"passeur: warning: {warning}", err=True)
        articles.append(article)
    return articles


def add_rows(table, rows, width: int, styles=None) -> None:
    """Add rows of logical text to a rich table.

    With --bidi, a column holding right-to-left text gets a fixed share of the terminal and
    its cells are broken into lines here, before reordering: if rich broke the reordered
    lines again they would come out in the wrong order.
    """
    if _terminal["bidi"]:
        share = max(10, (width - 3 * len(table.columns) - 1) // len(table.columns))
        for index, column in enumerate(table.columns):
            cells = [str(row[index]) for row in rows]
            if any(RTL_CHARS[0] <= ch <= RTL_CHARS[1] for cell in cells for ch in cell):
                column.width = share
                for row in rows:
                    row[index] = display(str(row[index]), share)
    for number, row in enumerate(rows):
        table.add_row(*row, style=styles[number] if styles else None)


def terminal_layout(text: str) -> str:
    """Right-to-left paragraphs wrapped to the terminal, each line reordered and right-aligned."""
    if not _terminal["bidi"]:
        return text
    import shutil
    import textwrap

    width = shutil.get_terminal_size((100, 24)).columns
    lines = []
    for line in text.split("\n"):
        if display(line) == line:
            lines.append(line)
            continue
        lines += [part.rjust(width) for part in display(line, width).split("\n")]
    return "\n".join(lines)


def write_outputs(results, fmt, output, files, renderers=None):
    """One output per input: stdout, a file (one input) or a folder (several inputs)."""
    from translate.files import write_atomic
    from translate.render import RENDERERS

    render = (renderers or RENDERERS)[fmt]
    if output is None:
        text = render(results)
        click.echo(terminal_layout(text) if fmt == "txt" else text, nl=False)
        return
    inputs = tuple(Path(r.article.name) for r in results if r.article.name != "-")
    out = Path(output)
    if len(results) == 1 and not out.is_dir() and not output.endswith(("/", "\\")):
        write_atomic(out, render(results), inputs)
        written = [out]
    else:
        written = []
        for result in results:
            target = out / f"{result.article.stem}.{fmt}"
            write_atomic(target, render([result]), inputs)
            written.append(target)
    for path in written:
        click.echo(f"wrote {path}", err=True)


@cli.command(context_settings=CONTEXT)
@article_options
@output_options
@glossary_options
@engine_options
def translate(files, targets, source, fmt, output, encoding, recursive, glossary_path, no_glossary, **engine):
    """Translate French articles (.txt, .md, .html; - for stdin) sentence by sentence.

    Arabic and Hebrew are translated through English, computed once.

    \b
    Example:
        passeur translate article.txt --to en,ar,he --format json -o article.json
    """
    from translate.pipeline import TranslationJob

    articles = read_inputs(files, encoding, source, recursive)
    job = TranslationJob(articles, split_languages(targets), make_engine(**engine),
                         glossary=choose_glossary(glossary_path, no_glossary))
    with progress_bar("translating", job.total) as advance:
        results = job.run(advance)
    write_outputs(results, fmt, output, files)


summary_options = stack(
        click.option("--algorithm", type=click.Choice(list(SUMMARIZERS)), default=DEFAULT_ALGORITHM, show_default=True,
                     help="How summary sentences are chosen (lead = the first ones)."),
        click.option("--sentences", "count", type=click.IntRange(1, 100), default=DEFAULT_SENTENCES, show_default=True,
                     help="Sentences in each summary."),
        click.option("--ratio", type=click.FloatRange(0, 1, min_open=True),
                     help="Summary length as a share of the article's sentences (instead of --sentences)."),
)


@cli.command(context_settings=CONTEXT)
@article_options
@output_options
@summary_options
@glossary_options
@engine_options
def summarize(files, targets, source, fmt, output, encoding, recursive, algorithm, count, ratio, glossary_path,
              no_glossary, **engine):
    """Summarize French articles in French and every target language.

    The key French sentences are chosen once; each language's summary is their translation,
    so all summaries say the same thing. Only those sentences and the headline are translated
    (in JSON the other sentences' translations are null).

    \b
    Example:
        passeur summarize article.txt --to en,ar,he --sentences 2
    """
    from summarize.select import SummaryRequest
    from translate.pipeline import TranslationJob
    from translate.render import SUMMARY_RENDERERS

    articles = read_inputs(files, encoding, source, recursive)
    request = SummaryRequest(algorithm, count, ratio)
    job = TranslationJob(articles, split_languages(targets), make_engine(**engine),
                         glossary=choose_glossary(glossary_path, no_glossary), summary=request, summary_only=True)
    with progress_bar("translating summaries", job.total) as advance:
        results = job.run(advance)
    write_outputs(results, fmt, output, files, SUMMARY_RENDERERS)


@cli.command(context_settings=CONTEXT)
@article_options
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder to write briefing.html, briefing.md and briefing.json into.")
@click.option("--format", "formats", default="html,md,json", show_default=True, help="Which of html, md, json to write.")
@click.option("--title", default="Briefing", show_default=True, help="Title of the briefing.")
@summary_options
@glossary_options
@engine_options
def brief(files, targets, source, output, formats, title, encoding, recursive, algorithm, count, ratio, glossary_path,
          no_glossary, **engine):
    """Write a multilingual briefing: per article, the summary in every language side by side,
    the full translations, the glossary term report, and how it was made.

    The HTML is one self-contained, print-ready file; Arabic and Hebrew blocks are right-to-left.

    \b
    Example:
        passeur brief today/*.txt --to en,ar,he -o briefing/
    """
    from datetime import date

    from briefing import FORMATS, to_html, to_markdown
    from summarize.select import SummaryRequest
    from translate.errors import InputError
    from translate.files import write_atomic
    from translate.pipeline import TranslationJob
    from translate.render import to_json

    chosen = split_languages(formats)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"--format {formats!r}: choose among {', '.join(FORMATS)}, comma-separated")
    articles = read_inputs(files, encoding, source, recursive)
    job = TranslationJob(articles, split_languages(targets), make_engine(**engine),
                         glossary=choose_glossary(glossary_path, no_glossary), summary=SummaryRequest(algorithm, count, ratio))
    with progress_bar("translating", job.total) as advance:
        results = job.run(advance)
    renderers = {"html": lambda r: to_html(r, title, date.today().isoformat()), "md": lambda r: to_markdown(r, title),
                 "json": to_json}
    inputs = tuple(Path(a.name) for a in articles if a.name != "-")
    for fmt in chosen:
        path = Path(output) / f"briefing.{fmt}"
        write_atomic(path, renderers[fmt](results), inputs)
        click.echo(f"wrote {path}", err=True)


@cli.group(context_settings=CONTEXT)
def cache():
    """The translation cache: where it is, how big, and clearing it.

    \b
    Example:
        passeur cache info
        passeur cache clear
    """


def open_cache(path):
    from translate.cache import Cache, default_path

    store = Cache(Path(path) if path else default_path())
    for notice in store.notices:
        click.echo(f"passeur: warning: {notice}", err=True)
    return store


@cache.command("info", context_settings=CONTEXT)
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Cache file [env PASSEUR_CACHE].")
def cache_info(cache_path):
    """Show the cache file, its entries and size.

    \b
    Example:
        passeur cache info
    """
    info = open_cache(cache_path).info()
    click.echo(f"{info['path']}\n{info['entries']} translations, {info['routes']} model/setting combinations, "
               f"{info['bytes'] / 1e6:.1f} MB")


@cache.command("clear", context_settings=CONTEXT)
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Cache file [env PASSEUR_CACHE].")
def cache_clear(cache_path):
    """Delete every cached translation.

    \b
    Example:
        passeur cache clear
    """
    store = open_cache(cache_path)
    click.echo(f"removed {store.clear()} translations from {store.path}")


@cli.group(context_settings=CONTEXT)
def models():
    """List, install and remove translation models (Argos packages).

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur models install ~/usb/*.argosmodel
    """


@models.command("list", context_settings=CONTEXT)
@click.option("--available", is_flag=True, help="List the packages of the index (ARGOS_PACKAGE_INDEX) instead.")
def models_list(available):
    """List installed models (or, with --available, those of the package index).

    \b
    Example:
        passeur models list
    """
    from rich.console import Console
    from rich.table import Table

    from translate import models as store

    if available:
        url = store.index_url()
        packages = store.fetch_index(url)
        table = Table("pair", "package", "version", "link", title=f"index {url}")
        for p in sorted(packages, key=lambda p: p.pair):
            table.add_row(f"{p.from_code}:{p.to_code}", p.name, p.version, p.links[0] if p.links else "")
    else:
        directory = store.packages_dir()
        packages = store.installed_packages(directory)
        if not packages:
            click.echo(f"no models installed in {directory}: run `passeur models install fr:en en:ar en:he`, "
                       "or `passeur models install FILE.argosmodel` offline", err=True)
            return
        table = Table("pair", "package", "version", "path", title=f"models in {directory}")
        for p in sorted(packages, key=lambda p: p.pair):
            table.add_row(f"{p.from_code}:{p.to_code}", p.name, p.version, str(p.path))
    Console().print(table)


@models.command("install", context_settings=CONTEXT)
@click.argument("items", nargs=-1, required=True)
def models_install(items):
    """Install models: language pairs from the package index, or .argosmodel files and folders.

    Pairs are downloaded from the Argos package index, or from the mirror ARGOS_PACKAGE_INDEX
    names. Offline, copy .argosmodel files and give their paths.

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur models install translate-fr_en-1_9.argosmodel ~/usb/models/
    """
    import tempfile

    from translate import models as store

    directory = store.packages_dir()
    files = [i for i in items if Path(i).exists() or i.endswith(".argosmodel")]
    pairs = [store.parse_pair(i) for i in items if i not in files]
    for path in store.model_files(files):
        package = store.install_file(path, directory)
        click.echo(f"installed {package.label} ({package.from_code}→{package.to_code}) from {path}")
    if pairs:
        url = store.index_url()
        index = store.fetch_index(url)
        chosen = [store.choose(index, pair, url) for pair in pairs]
        with tempfile.TemporaryDirectory(prefix="passeur-download-") as tmp:
            for package in chosen:
                with progress_bar(f"downloading {package.label}", None, unit="bytes") as advance:
                    path = store.download(package, Path(tmp), advance)
                installed = store.install_file(path, directory)
                click.echo(f"installed {installed.label} ({installed.from_code}→{installed.to_code}) from {url}")


@models.command("remove", context_settings=CONTEXT)
@click.argument("pairs", nargs=-1, required=True)
def models_remove(pairs):
    """Remove installed models by language pair.

    \b
    Example:
        passeur models remove en:he
    """
    from translate import models as store

    for text in pairs:
        for package in store.remove(store.parse_pair(text)):
            click.echo(f"removed {package.label} from {package.path}")


@cli.group(context_settings=CONTEXT)
def glossary():
    """Validate, show, check and compare glossaries.

    \b
    Example:
        passeur glossary validate newsroom.tsv
        passeur glossary diff old.tsv new.tsv --impact article.json
    """


@glossary.command("validate", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
def glossary_validate(file):
    """Check a glossary file; every problem is listed with file, line and column (exit 2).

    \b
    Example:
        passeur glossary validate newsroom.tsv
    """
    from glossary import load_glossary
    from glossary.formats import GlossaryProblems

    try:
        g = load_glossary(file)
    except GlossaryProblems as err:
        for problem in err.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    click.echo(f"{file}: {len(g.concepts)} concepts, languages {', '.join(g.languages)}: ok ({g.signature()})")


@glossary.command("show", context_settings=CONTEXT)
@bidi_option
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "tsv", "csv", "tbx"]), default="table", show_default=True)
def glossary_show(file, fmt):
    """Print a glossary (the shipped newsroom glossary when no FILE) as a table, or convert it.

    \b
    Example:
        passeur glossary show
        passeur glossary show terms.tbx --format tsv > terms.tsv
    """
    from glossary import dump_glossary

    g = choose_glossary(file, disabled=False)
    if fmt != "table":
        click.echo(dump_glossary(g, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"glossary {g.name} ({g.signature()})", show_lines=True)
    for column in ["id", *g.languages, "DNT", "forbidden"]:
        table.add_column(column, overflow="fold")
    rows = []
    for c in g.concepts:
        forbidden = "\n".join(f"{lang}: {', '.join(v)}" for lang, v in c.forbidden.items())
        cells = ["\n".join(c.targets(lang, g.source)) for lang in g.languages]
        rows.append([c.id, *cells, "yes" if c.dnt else "", forbidden])
    add_rows(table, rows, console.width)
    console.print(table)
    # Notes are prose: below the table, where they have the terminal's whole width.
    for c in g.concepts:
        if c.note:
            console.print(f"[bold]{c.id}[/bold]: " + display(c.note, console.width - len(c.id) - 2), highlight=False)


@glossary.command("check", context_settings=CONTEXT)
@bidi_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Glossary (default: the shipped one).")
@click.option("--source", "source_file", type=click.Path(dir_okay=False), help="Source sentences, one per line.")
@click.option("--translation", "translation_file", type=click.Path(dir_okay=False), help="Translated sentences, line-aligned with --source.")
@click.option("--lang", help="Language of --translation.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="List ok terms too, not only problems.")
def glossary_check(files, glossary_path, source_file, translation_file, lang, fmt, show_all):
    """Term QA of translated articles: ok, missing target term, forbidden term used, no target
    equivalent, and numbers missing from the translation (number mismatch).

    FILES are outputs of `passeur translate --format json`; or give --source, --translation
    and --lang for line-aligned plain text. Exit 1 when a term is missing or forbidden, or a
    number does not match.

    \b
    Example:
        passeur translate article.txt --format json -o article.json
        passeur glossary check article.json
    """
    import json

    from glossary.enforce import STATUS_FORBIDDEN, STATUS_MISSING, STATUS_NUMBER, TermMatcher, check_sentence
    from translate.errors import InputError

    g = choose_glossary(glossary_path, disabled=False)
    matcher = TermMatcher(g)
    documents = []
    for name in files:
        documents += load_translated(name)
    if source_file or translation_file:
        if not (source_file and translation_file and lang):
            raise InputError("--source, --translation and --lang go together: give all three")
        src = Path(source_file).read_text("utf-8").splitlines()
        tgt = Path(translation_file).read_text("utf-8").splitlines()
        if len(src) != len(tgt):
            raise InputError(f"{translation_file}: {len(tgt)} lines for {len(src)} in {source_file}: the files must be line-aligned")
        documents.append({"file": translation_file, "source": {"sentences": src}, "translations": {lang: tgt}})
    if not documents:
        raise InputError("nothing to check: give translated JSON files, or --source, --translation and --lang")
    rows = []
    for doc in documents:
        for target_lang, sentences in doc["translations"].items():
            for index, sentence in enumerate(doc["source"]["sentences"]):
                for hit in check_sentence(index, sentence, sentences[index], target_lang, g, matcher):
                    rows.append((doc.get("file", ""), hit))
    problems = [r for r in rows if r[1].status in (STATUS_MISSING, STATUS_FORBIDDEN, STATUS_NUMBER)]
    shown = rows if show_all else [r for r in rows if r[1].status != "ok"]
    if fmt == "json":
        click.echo(json.dumps([{"file": f, **h.to_dict()} for f, h in shown], ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo("| file | sentence | lang | concept | term | target | status |\n|---|---|---|---|---|---|---|")
        for f, h in shown:
            click.echo(f"| {f} | {h.sentence} | {h.lang} | {h.concept} | {h.term} | {h.target or ''} | {h.status} |")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("file", "sentence", "lang", "concept", "term", "target", "status",
                      title=f"term check against {g.signature()}")
        flagged = {h for _, h in problems}
        console = Console()
        add_rows(table, [[f, str(h.sentence), h.lang, h.concept, h.term, h.target or "", h.status]
                         for f, h in shown], console.width, ["red" if h in flagged else "" for _, h in shown])
        console.print(table)
    click.echo(f"{len(rows)} term occurrences checked, {len(problems)} problems", err=True)
    sys.exit(1 if problems else 0)


def load_translated(name):
    import json

    from translate.errors import InputError

    try:
        data = json.loads(Path(name).read_text("utf-8"))
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror})") from None
    except ValueError as err:
        raise InputError(f"{name}: not JSON ({err}): give the output of `passeur translate --format json`") from None
    documents = data if isinstance(data, list) else [data]
    for doc in documents:
        if not isinstance(doc, dict) or "source" not in doc or "translations" not in doc:
            raise InputError(f"{name}: not a passeur translation: give the output of `passeur translate --format json`")
        doc.setdefault("file", name)
    return documents


@glossary.command("diff", context_settings=CONTEXT)
@bidi_option
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--impact", "impact_files", multiple=True, type=click.Path(dir_okay=False),
              help="Translated articles (translate --format json) to show the change on; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
def glossary_diff(old, new, impact_files, fmt):
    """Concepts added, removed and changed between two glossaries; exit 1 when they differ.

    \b
    Example:
        passeur glossary diff newsroom-v1.tsv newsroom-v2.tsv --format md
        passeur glossary diff old.tsv new.tsv --impact article.json
    """
    import json

    from glossary import load_glossary
    from glossary.diff import diff, impact

    g_old, g_new = load_glossary(old), load_glossary(new)
    changes = diff(g_old, g_new)
    documents = [d for name in impact_files for d in load_translated(name)]
    impacts = impact(g_old, g_new, changes, documents) if documents else []
    if fmt == "json":
        click.echo(json.dumps({"changes": [c.to_dict() for c in changes], "impact": [i.to_dict() for i in impacts]},
                              ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(f"### Glossary changes: {old} → {new}\n\n| concept | change | field | before | after |\n|---|---|---|---|---|")
        for c in changes:
            click.echo(f"| {c.concept} | {c.kind} | {c.field} | {c.old} | {c.new} |")
        if impacts:
            click.echo("\n### Sentences affected\n\n| file | sentence | lang | before | after |\n|---|---|---|---|---|")
            for i in impacts:
                click.echo(f"| {i.file} | {i.sentence} | {i.lang} | {i.before} | {i.after} |")
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        table = Table("concept", "change", "field", "before", "after", title=f"{old} → {new}")
        add_rows(table, [[c.concept, c.kind, c.field, c.old, c.new] for c in changes], console.width)
        console.print(table)
        if impacts:
            table = Table("file", "sentence", "lang", "before", "after", title="sentences affected", show_lines=True)
            add_rows(table, [[i.file, str(i.sentence), i.lang, i.before, i.after] for i in impacts], console.width)
            console.print(table)
    sys.exit(1 if changes else 0)


def main() -> None:
    cli(prog_name="passeur")


if __name__ == "__main__":
    sys.exit(main())
