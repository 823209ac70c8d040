"""passeur cache: where the translation cache is, how big, and clearing it."""

from __future__ import annotations

from pathlib import Path

import click

from passeur.cli.options import CONTEXT

cache_option = click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Cache file [env PASSEUR_CACHE].")


def _open(path):
    from passeur.translate.cache import Cache, default_path

    return Cache(Path(path) if path else default_path())


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
    info = _open(cache_path).info()
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
    store = _open(cache_path)
    click.echo(f"removed {store.clear()} translations from {store.path}")
