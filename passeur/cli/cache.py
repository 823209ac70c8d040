"""passeur cache: where the translation cache is, how big, and clearing it."""

from __future__ import annotations

import click

from passeur import api
from passeur.cli.options import CONTEXT

cache_option = click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Cache file [env PASSEUR_CACHE].")


@click.group(context_settings=CONTEXT)
def cache():
    """The translation cache: where it is, how big, and clearing it.

    \b
    Example:
        passeur cache info
        passeur cache clear
    """


@cache.command("info", context_settings=CONTEXT)
@cache_option
def cache_info(cache_path):
    """Show the cache file, its entries and size.

    \b
    Example:
        passeur cache info
    """
    info = api.cache_info(cache_path)
    click.echo(f"{info['path']}\n{info['entries']} translations, {info['routes']} model/setting combinations, "
               f"{info['bytes'] / 1e6:.1f} MB")


@cache.command("clear", context_settings=CONTEXT)
@cache_option
def cache_clear(cache_path):
    """Delete every cached translation.

    \b
    Example:
        passeur cache clear
    """
    removed, path = api.clear_cache(cache_path)
    click.echo(f"removed {removed} translations from {path}")
