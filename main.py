"""passeur's command line: parses options, calls the library, prints with rich.

This is the only module that talks to a terminal. Library errors (PasseurError) become one
line on stderr and exit code 2, here and nowhere else.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

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
            click.echo("passeur: interrupted", err=True)
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


@click.group(cls=PasseurGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="passeur")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def cli(debug):
    """passeur: translate French news into English, Arabic and Hebrew, offline.

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur translate article.txt --to en,ar,he
    """


def engine_options(func):
    """Options shared by every command that translates."""
    options = [
        click.option("--engine", "engine_name", default="argos", show_default=True,
                     help=f"Translation engine ({', '.join(ENGINES)}, or one registered under passeur.engines)."),
        click.option("--beam-size", type=click.IntRange(1, 32), help="Beam size [env PASSEUR_BEAM_SIZE; default 4]."),
        click.option("--compute-type", help="CTranslate2 compute type [env PASSEUR_COMPUTE_TYPE; default int8]."),
        click.option("--inter-threads", type=click.IntRange(1, 64), help="Batches decoded in parallel [env PASSEUR_INTER_THREADS; default 1]."),
        click.option("--intra-threads", type=click.IntRange(0, 64), help="Threads per batch [env PASSEUR_INTRA_THREADS; default 1]."),
        click.option("--batch-size", type=click.IntRange(1, 1024), help="Sentences per batch [env PASSEUR_MAX_BATCH_SIZE; default 32]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_engine(engine_name, beam_size, compute_type, inter_threads, intra_threads, batch_size):
    from translate.engine import EngineConfig, load_engine

    config = EngineConfig.from_env(beam_size=beam_size, compute_type=compute_type, inter_threads=inter_threads,
                                   intra_threads=intra_threads, max_batch_size=batch_size)
    return load_engine(engine_name, config)


def read_inputs(files, encoding, source):
    from translate.document import read_article

    articles = []
    for name in files:
        if name == "-":
            article = read_article("-", encoding, data=sys.stdin.buffer.read())
        else:
            article = read_article(name, encoding)
        article.lang = source
        articles.append(article)
    return articles


def write_outputs(results, fmt, output, files):
    """One output per input: stdout, a file (one input) or a folder (several inputs)."""
    from translate.files import write_atomic
    from translate.render import RENDERERS

    render = RENDERERS[fmt]
    if output is None:
        click.echo(render(results), nl=False)
        return
    inputs = tuple(Path(f) for f in files if f != "-")
    out = Path(output)
    if len(results) == 1 and not out.is_dir() and not output.endswith(("/", "\\")):
        write_atomic(out, render(results), inputs)
        written = [out]
    else:
        written = []
        for result in results:
            stem = "stdin" if result.article.name == "-" else Path(result.article.name).stem
            target = out / f"{stem}.{fmt}"
            write_atomic(target, render([result]), inputs)
            written.append(target)
    for path in written:
        click.echo(f"wrote {path}", err=True)


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True)
@click.option("--to", "targets", default="en,ar,he", show_default=True, help="Target languages, comma-separated.")
@click.option("--source", default="fr", show_default=True, help="Language of the articles.")
@click.option("--format", "fmt", type=click.Choice(["txt", "md", "json"]), default="txt", show_default=True)
@click.option("-o", "--output", help="Output file, or folder (one file per input). Default: standard output.")
@click.option("--encoding", help="Input encoding when not UTF-8, e.g. latin-1.")
@engine_options
def translate(files, targets, source, fmt, output, encoding, **engine):
    """Translate French articles (.txt, .md, .html; - for stdin) sentence by sentence.

    Arabic and Hebrew are translated through English, computed once.

    \b
    Example:
        passeur translate article.txt --to en,ar,he --format json -o article.json
    """
    from translate.pipeline import TranslationJob

    articles = read_inputs(files, encoding, source)
    job = TranslationJob(articles, split_languages(targets), make_engine(**engine))
    with progress_bar("translating", job.total) as advance:
        results = job.run(advance)
    write_outputs(results, fmt, output, files)


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


def main() -> None:
    cli(prog_name="passeur")


if __name__ == "__main__":
    sys.exit(main())
