"""The terminal: right-to-left text laid out for terminals that cannot, tables, progress bars.

Files always keep Unicode logical order. On a terminal without bidi support (most of them),
Arabic and Hebrew would come out backwards, letters unjoined; with `--bidi` passeur shapes
Arabic (arabic-reshaper) and reorders each line (python-bidi) after breaking lines, so that
a wrapped paragraph or table cell keeps its lines in order.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from contextlib import contextmanager

import click

from passeur.languages import has_rtl
from passeur.pipeline import Progress

META_KEY = "passeur.terminal"


def bidi_default() -> bool:
    """PASSEUR_BIDI=0/1, else on when standard output is a terminal."""
    setting = os.environ.get("PASSEUR_BIDI")
    if setting is not None and setting.strip():
        return setting.strip().lower() in {"1", "yes", "true", "on"}
    return sys.stdout.isatty()


class Terminal:
    """How to show text on this run's standard output."""

    def __init__(self, bidi: bool = False):
        self.bidi = bidi

    def display(self, text: str, width: int | None = None) -> str:
        """Visual order for a terminal that does not do bidi itself (text wrapped to width first, each
        line reordered on its own); logical order, untouched, otherwise."""
        if not self.bidi or not has_rtl(text):
            return text
        import arabic_reshaper
        from bidi import get_display

        lines = []
        for line in text.split("\n"):
            parts = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) if width else [line]
            lines += [get_display(arabic_reshaper.reshape(part)) for part in parts or [""]]
        return "\n".join(lines)

    def layout(self, text: str) -> str:
        """Right-to-left paragraphs wrapped to the terminal, each line reordered and right-aligned."""
        if not self.bidi:
            return text
        width = shutil.get_terminal_size((100, 24)).columns
        lines = []
        for line in text.split("\n"):
            if not has_rtl(line):
                lines.append(line)
                continue
            lines += [part.rjust(width) for part in self.display(line, width).split("\n")]
        return "\n".join(lines)

    def add_rows(self, table, rows: list[list[str]], width: int, styles=None) -> None:
        """Add rows of logical text (plain, never markup) to a rich table. With bidi, a column holding right-to-left text
        gets a fixed share of the width and its cells are broken into lines here, before
        reordering: if rich broke the reordered lines again they would come out in the wrong order."""
        if self.bidi and rows:
            share = max(10, (width - 3 * len(table.columns) - 1) // len(table.columns))
            for index, column in enumerate(table.columns):
                if any(has_rtl(str(row[index])) for row in rows):
                    column.width = share
                    for row in rows:
                        row[index] = self.display(str(row[index]), share)
        for number, row in enumerate(rows):
            table.add_row(*(escape(str(cell)) for cell in row), style=styles[number] if styles else None)


def terminal() -> Terminal:
    """This run's Terminal (set up by the command group)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    if root is None:
        return Terminal(bidi_default())
    return root.meta.setdefault(META_KEY, Terminal(bidi_default()))


def set_bidi(ctx, param, value):
    """--bidi/--no-bidi, before or after the command name; the last one given wins."""
    if value is not None:
        ctx.find_root().meta[META_KEY] = Terminal(value)
    return value


bidi_option = click.option(
    "--bidi/--no-bidi", default=None, expose_value=False, callback=set_bidi, is_eager=True,
    help="Lay out Arabic and Hebrew right-to-left for terminals that do not (default: on when printing to a "
         "terminal; --no-bidi for terminals that do bidi themselves; env PASSEUR_BIDI).")


def stdout_console():
    from rich.console import Console

    return Console(highlight=False)


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


class RichProgress(Progress):
    """The pipeline's progress as a rich bar on standard error: one bar per stage, with rate and ETA."""

    def __init__(self, progress):
        self.progress = progress
        self.task = None

    def stage(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(description, total=total, rate="")

    def advance(self, amount: int) -> None:
        if self.task is None:
            return
        self.progress.advance(self.task, amount)
        speed = self.progress.tasks[self.task].speed
        self.progress.update(self.task, rate=f"{speed:.1f} sent/s" if speed else "")


@contextmanager
def progress_bars():
    """A RichProgress for a pipeline run (transient: gone when the run ends)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeRemainingColumn

    with Bars(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TextColumn("[progress.data.speed]{task.fields[rate]}"), TimeRemainingColumn(),
              console=stderr_console(), transient=True) as bars:
        yield RichProgress(bars)


@contextmanager
def download_bar(description: str):
    """A byte-counting bar; yields a callback (bytes so far, total or None)."""
    from rich.progress import (BarColumn, DownloadColumn, Progress as Bars, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    with Bars(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
              TimeRemainingColumn(), console=stderr_console(), transient=True) as bars:
        task = bars.add_task(description, total=None)

        def advance(done: int, total: int | None = None) -> None:
            bars.update(task, completed=done, total=total)

        yield advance


def escape(text: str) -> str:
    """Text for rich markup: '[b]' in a term or note is text, not a style."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)
