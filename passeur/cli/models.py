"""passeur models: list, install (from the index or .argosmodel files) and remove."""

from __future__ import annotations

import click

from passeur import api
from passeur.cli.options import CONTEXT, engine_options, split_languages
from passeur.cli.terminal import bidi_option, download_bar, escape, progress_bars, stdout_console, table_console


@click.group(context_settings=CONTEXT)
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
    from rich.table import Table

    if available:
        url, packages = api.available_models()
        table = Table("pair", "package", "version", "link", title=escape(f"index {url}"))
        for p in packages:
            table.add_row(escape(f"{p.from_code}:{p.to_code}"), escape(p.name), escape(p.version),
                          escape(p.links[0] if p.links else ""))
    else:
        directory = api.models_folder()
        packages = api.installed_models()
        if not packages:
            click.echo(f"no models installed in {directory}: run `passeur models install fr:en en:ar en:he`, "
                       "or `passeur models install FILE.argosmodel` offline", err=True)
            return
        table = Table("pair", "package", "version", "path", title=escape(f"models in {directory}"))
        for p in packages:
            table.add_row(escape(f"{p.from_code}:{p.to_code}"), escape(p.name), escape(p.version), escape(str(p.path)))
    table_console().print(table)  # piped, never cut: the paths stay whole


@models.command("install", context_settings=CONTEXT)
@click.argument("items", nargs=-1, required=True)
@click.option("--force", is_flag=True, help="Install even an older version over a newer one.")
def models_install(items, force):
    """Install models: language pairs from the package index, or .argosmodel files and folders.

    Pairs are downloaded from the Argos package index, or from the mirror ARGOS_PACKAGE_INDEX
    names. Offline, copy .argosmodel files and give their paths. A model is never replaced by
    an older version unless --force is given.

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur models install translate-fr_en-1_9.argosmodel ~/usb/models/
    """
    for package, origin in api.install_models(items, force, download_bar):
        click.echo(f"installed {package.label} ({package.from_code}→{package.to_code}) from {origin}")


@models.command("remove", context_settings=CONTEXT)
@click.argument("pairs", nargs=-1, required=True)
def models_remove(pairs):
    """Remove installed models by language pair.

    \b
    Example:
        passeur models remove en:he
    """
    for text in pairs:  # each pair said as it is done
        for package in api.remove_models([text]):
            click.echo(f"removed {package.label} from {package.path}")


@models.command("calibrate", context_settings=CONTEXT)
@bidi_option
@click.option("--to", "targets", default="en,ar,he", show_default=True, help="Target languages, comma-separated.")
@click.option("--sentences", "limit", type=click.IntRange(10, 10_000), help="Use only the first N probe sentences.")
@engine_options
def models_calibrate(targets, limit, engine_name, cache_path, no_cache, **settings):
    """Measure which placeholder style the installed models carry glossary terms through best.

    Translates passeur's probe set (about 200 French sentences written for the project) once per
    style: today's PSR0, XQ0Z, and no placeholder at all (the fallback alone). Prints, per hop,
    the share of placeholders that come through and, per target, the share of terms right in
    the end; stores the best style for these models, which translate then uses (its signature
    says which: prot:…). Run it again after installing other models.

    \b
    Example:
        passeur models calibrate --to en,ar,he
    """
    from rich.table import Table

    from passeur.cli.translate import _cache, _engine

    engine = _engine(engine_name, _cache(cache_path, no_cache), **settings)
    with progress_bars() as progress:
        report = api.calibrate(split_languages(targets), engine, limit=limit, progress=progress)
    languages = list(report.terms)  # the codes as checked: EN is en
    hops = list(dict.fromkeys(hop for kept in report.kept.values() for hop in kept))  # in decoding order
    best = report.best()
    table = Table("style", *[f"{a}→{b} kept" for a, b in hops], *[f"{t} terms right" for t in languages], "",
                  title=f"placeholder styles on {report.sentences} probe sentences "
                        f"({', '.join(f'{report.terms[t]} {t} terms' for t in languages)})")
    for style in api.calibration_styles():
        kept = report.kept.get(style, {})
        table.add_row(style, *[f"{100 * kept[h]:.0f} %" if h in kept else "–" for h in hops],
                      *[f"{100 * report.right[style][t]:.0f} %" for t in languages],
                      "chosen" if style == best else "")
    stdout_console().print(table)
    click.echo(f"stored in {api.calibration_path()}: translate now uses {best} with these models", err=True)
