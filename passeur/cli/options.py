"""Option stacks shared by the commands, built from the library's registries and settings."""

from __future__ import annotations

from dataclasses import fields

import click

from passeur.api import DEFAULT_ALGORITHM, DEFAULT_ENGINE, ENGINES, SUMMARIZERS, EngineConfig
from passeur.cli.terminal import bidi_option

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def stack(*options):
    """One decorator from several click options, applied in the order given."""
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


def split_languages(value: str) -> list[str]:
    return [lang.strip() for lang in value.split(",") if lang.strip()]


# What to read, from which language, into which: translate, summarize, brief.
article_options = stack(
    click.argument("files", nargs=-1, required=True),
    click.option("--to", "targets", default="en,ar,he", show_default=True, help="Target languages, comma-separated."),
    click.option("--source", default="fr", show_default=True, help="Language of the articles."),
    click.option("--encoding", help="Input encoding when not UTF-8, e.g. latin-1."),
    click.option("-r", "--recursive", is_flag=True, help="Take every article in the folders given (and their subfolders)."),
)


def output_options(formats, default: str | None = "txt", help: str | None = None):
    return stack(
        click.option("--format", "fmt", type=click.Choice(list(formats)), default=default, show_default=default is not None,
                     help=help),
        click.option("-o", "--output", help="Output file, or folder (one file per input). Default: standard output."),
        bidi_option,
    )


def _engine_setting(f):
    low, high = f.metadata["range"]
    if f.metadata["choices"]:
        kind = click.Choice(f.metadata["choices"])
    elif isinstance(f.default, int):
        kind = click.IntRange(low, high)
    else:
        kind = click.FloatRange(low, high)
    return click.option(f.metadata["flag"], f.name, type=kind, default=None,
                        help=f"{f.metadata['help']} [env {f.metadata['env']}; default {f.default}]")


# Every command that translates: the engine, its decoding settings (from EngineConfig), the cache.
engine_options = stack(
    click.option("--engine", "engine_name", default=DEFAULT_ENGINE, show_default=True,
                 help=f"Translation engine ({', '.join(ENGINES)}, or one registered under passeur.engines)."),
    *[_engine_setting(f) for f in fields(EngineConfig)],
    click.option("--cache", "cache_path", type=click.Path(dir_okay=False),
                 help="Translation cache file [env PASSEUR_CACHE; default: see `passeur cache info`]."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache."),
)

glossary_options = stack(
    click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False),
                 help="Glossary file (.tsv, .csv, .tbx). Default: the newsroom glossary shipped with passeur."),
    click.option("--no-glossary", is_flag=True, help="Translate without any glossary."),
)

summary_options = stack(
    click.option("--algorithm", type=click.Choice(list(SUMMARIZERS)), default=DEFAULT_ALGORITHM, show_default=True,
                 help="How summary sentences are chosen: " + ", ".join(SUMMARIZERS) + "."),
    click.option("--sentences", "count", type=click.IntRange(1, 100),
                 help="Sentences in each summary [default: the algorithm's own length]."),
    click.option("--ratio", type=click.FloatRange(0, 1, min_open=True),
                 help="Summary length as a share of the article's sentences (instead of --sentences)."),
    click.option("--words", type=click.IntRange(1, 10_000),
                 help="Summary length as a word budget (instead of --sentences); the learned summarizer's "
                      "default keeps summaries about as long as a journalist's abstract."),
)
