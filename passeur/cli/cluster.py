"""--on dask://HOST:PORT: translate, summarize and brief on a Dask cluster, with progress by article."""

from __future__ import annotations

from contextlib import contextmanager

import click

from passeur import api
from passeur.cli.terminal import one_line, stderr_console

on_option = click.option(
    "--on", "on", metavar="dask://HOST:PORT",
    help="Run on a Dask cluster, one task per article, written to -o as each one finishes; run the same "
         "command again to do only what is missing (needs `pip install 'passeur[dask]'`).")


class ArticleBars:
    """Articles done, per minute, time left and failures, drawn with rich."""

    def __init__(self, bars):
        self.bars = bars
        self.task = None
        self.skipped = 0

    def start(self, total: int, skipped: int) -> None:
        self.skipped = skipped
        self.task = self.bars.add_task("articles", total=total, completed=skipped, rate="", failed="")

    def update(self, done: int, failed: int) -> None:
        self.bars.update(self.task, completed=self.skipped + done + failed)
        speed = self.bars.tasks[self.task].speed
        self.bars.update(self.task, rate=f"{60 * speed:.1f}/min" if speed else "",
                         failed=f"[red]{failed} failed" if failed else "")


@contextmanager
def article_bars():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeRemainingColumn

    console = stderr_console()
    with Bars(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
              TimeRemainingColumn(), TextColumn("{task.fields[failed]}"), console=console, transient=True,
              disable=not console.is_terminal) as bars:
        yield ArticleBars(bars)


def run_on(address, command, articles, paths, targets, engine_name, cache_path, no_cache, glossary, config,
           request=None, fmt="json", parts=None, title=None) -> None:
    """The command on the cluster; one line at the end (done, found done, failed, each failure named);
    exit code 1 when an article failed."""
    cache = False if no_cache else (cache_path or True)
    try:
        with article_bars() as bars:
            report = api.run_on(address, command, articles, paths, targets, engine_name, config, cache, glossary,
                                request, None, fmt, parts, title, bars)
    except KeyboardInterrupt:
        click.echo("passeur: interrupted: every article written so far is kept (and noted beside the outputs): "
                   "run the same command again to do the rest", err=True)
        click.get_current_context().exit(130)
    for name, why in report.failed:
        click.echo(f"passeur: failed: {one_line(name)}: {one_line(why)}", err=True)
    for path in report.written if command == "brief" else ():
        click.echo(f"wrote {path}", err=True)
    earlier = f", {report.skipped} done by an earlier run" if report.skipped else ""
    failed = f", {len(report.failed)} failed (run the same command again to retry them)" if report.failed else ""
    if command == "brief" and report.failed:
        failed += "; the briefing was not written"
    click.echo(f"on {address}: {report.done} of {report.total} articles done{earlier}{failed}", err=True)
    if report.failed:
        click.get_current_context().exit(1)
