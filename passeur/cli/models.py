"""passeur models: list, install (from the index or .argosmodel files) and remove."""

from __future__ import annotations

from pathlib import Path

import click

from passeur.cli.options import CONTEXT
from passeur.cli.terminal import download_bar, escape, stdout_console


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

    from passeur.translate import models as store

    if available:
        url = store.index_url()
        packages = store.fetch_index(url)
        table = Table("pair", "package", "version", "link", title=escape(f"index {url}"))
        for p in sorted(packages, key=lambda p: p.pair):
            table.add_row(escape(f"{p.from_code}:{p.to_code}"), escape(p.name), escape(p.version),
                          escape(p.links[0] if p.links else ""))
    else:
        directory = store.packages_dir()
        packages = store.installed_packages(directory)
        if not packages:
            click.echo(f"no models installed in {directory}: run `passeur models install fr:en en:ar en:he`, "
                       "or `passeur models install FILE.argosmodel` offline", err=True)
            return
        table = Table("pair", "package", "version", "path", title=escape(f"models in {directory}"))
        for p in sorted(packages, key=lambda p: p.pair):
            table.add_row(escape(f"{p.from_code}:{p.to_code}"), escape(p.name), escape(p.version), escape(str(p.path)))
    stdout_console().print(table)


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
    from passeur.translate import models as store

    directory = store.packages_dir()
    files = [i for i in items if Path(i).exists() or i.endswith(".argosmodel")]
    pairs = [store.parse_pair(i) for i in items if i not in files]
    for path in store.model_files(files):
        package = store.install_file(path, directory, force=force)
        click.echo(f"installed {package.label} ({package.from_code}→{package.to_code}) from {path}")
    if pairs:
        url = store.index_url()
        index = store.fetch_index(url)
        chosen = [store.choose(index, pair, url) for pair in pairs]
        # Downloads go to a hidden folder beside the models (the same disk), removed on any exit,
        # SIGTERM included; what kill -9 leaves there, the next install removes.
        with store.download_folder(directory) as tmp:
            for package in chosen:
                with download_bar(f"downloading {package.label}") as advance:
                    path = store.download(package, tmp, advance)
                installed = store.install_file(path, directory, force=force, expected=package)
                click.echo(f"installed {installed.label} ({installed.from_code}→{installed.to_code}) from {url}")


@models.command("remove", context_settings=CONTEXT)
@click.argument("pairs", nargs=-1, required=True)
def models_remove(pairs):
    """Remove installed models by language pair.

    \b
    Example:
        passeur models remove en:he
    """
    from passeur.translate import models as store

    for text in pairs:
        for package in store.remove(store.parse_pair(text)):
            click.echo(f"removed {package.label} from {package.path}")
