"""The terminal: right-to-left text laid out for terminals that cannot, tables, progress bars.

Files always keep Unicode logical order. On a terminal without bidi support (most of them),
Arabic and Hebrew would come out backwards, letters unjoined; with `--bidi` passeur shapes
Arabic (arabic-reshaper) and reorders each line (python-bidi) after breaking lines, so that
a wrapped paragraph or table cell keeps its lines in order. Numbers keep their signs where
they are written ("+972", "-5", "2023-10-07"): each is isolated before reordering.

Lines are broken at spaces only, never inside a word: a table column is at least as wide as
its longest word. Printed to a pipe or a file, tables are not wrapped at all, so that grep
finds every term whole.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import unicodedata
from contextlib import contextmanager

import click

from passeur.api import InputError, Progress, has_rtl

META_KEY = "passeur.terminal"
UNLIMITED = 1_000_000  # the width of a console that is not a terminal: nothing is ever wrapped
# A number with its sign and inner separators, shown as written inside right-to-left text.
_NUMBER = re.compile(r"[+\-\u2212\u00b1]?\d+(?:[.,:/\-\u066b\u066c]\d+)*%?")
_ISOLATES = {ord(ch): None for ch in "\u2066\u2067\u2068\u2069"}
# Control characters a terminal would obey (ESC starts colour, cursor, title and OSC sequences; C1
# controls do the same on some terminals): from an article or a results file, they are shown, not run.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """Text a terminal shows but never obeys: each control character (but line break and tab) as
    its escape, ESC as \\x1b."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def wrap(text: str, width: int | None) -> list[str]:
    """Lines of text no wider than width, broken at spaces only (a longer word stands alone on its
    line, whole); every line break of text is kept; width None: the lines as they are."""
    lines = []
    for line in text.split("\n"):
        parts = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) if width else [line]
        lines += parts or [""]
    return lines


def rtl_first(text: str) -> bool:
    """Whether text reads right to left: its first strongly directional letter is Arabic or Hebrew."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def bidi_default() -> bool:
    """PASSEUR_BIDI=0/1 (or yes/no, on/off, true/false), else on when standard output is a terminal."""
    setting = (os.environ.get("PASSEUR_BIDI") or "").strip().lower()
    if not setting:
        return sys.stdout.isatty()
    if setting not in {"1", "yes", "true", "on", "0", "no", "false", "off"}:
        raise InputError(f"PASSEUR_BIDI={setting!r}: give 1 (lay out right-to-left text) or 0 (leave it to the terminal)")
    return setting in {"1", "yes", "true", "on"}


class Terminal:
    """How to show text on this run's standard output."""

    def __init__(self, bidi: bool = False):
        self.bidi = bidi

    def display(self, text: str, width: int | None = None) -> str:
        """Visual order for a terminal that does not do bidi itself (text wrapped to width first, each
        line reordered on its own); logical order, untouched, otherwise."""
        if not self.bidi or not has_rtl(text):
            return text
        return "\n".join(self.lines(text, width))

    def lines(self, text: str, width: int | None = None) -> list[str]:
        """text broken into lines at spaces (width None: at its own line breaks only), each line in
        visual order with its paragraph's direction: a wrapped English note that quotes Hebrew
        stays left-to-right on every line, its runs in order."""
        out = []
        for paragraph in text.split("\n"):
            base = "R" if rtl_first(paragraph) else "L"
            out += [self.visual(line, base) for line in wrap(paragraph, width)]
        return out

    def visual(self, line: str, base: str | None = None) -> str:
        """One line in visual order (with bidi; logical order without): Arabic shaped, numbers with
        their signs isolated so that "+972" stays "+972" and not "972+". base: the paragraph's
        direction, "L" or "R" (default: the line's first strong letter)."""
        if not self.bidi or not has_rtl(line):
            return line
        import arabic_reshaper
        from bidi import get_display

        isolated = _NUMBER.sub(lambda m: f"\u2066{m.group()}\u2069", arabic_reshaper.reshape(line))
        return get_display(isolated, base_dir=base or ("R" if rtl_first(line) else "L")).translate(_ISOLATES)

    def layout(self, text: str) -> str:
        """Text for standard output: on a terminal, its control characters made inert; with bidi,
        right-to-left paragraphs wrapped to the terminal, each line reordered and right-aligned."""
        if sys.stdout.isatty():
            text = inert(text)
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

    def add_rows(self, table, rows: list[list[str]], width: int | None, styles=None) -> None:
        """Add rows of logical text (plain, never markup: "[b]" is text) to a rich table that must fit
        in width columns (None: no limit, nothing wrapped, as for a pipe or a file).

        Cells are broken into lines here, at spaces only, then each line is put in visual order:
        rich never breaks them again (a column is at least as wide as its longest word; when the
        words cannot fit, the table is wider than width rather than a word broken). With bidi,
        right-to-left cells are right-aligned."""
        from rich.cells import cell_len
        from rich.text import Text

        cells = [[inert(str(cell)) for cell in row] for row in rows]
        headers = [str(column.header) for column in table.columns]
        limits = self._limits(table, headers, cells, width) if width else [None] * len(headers)
        for index, column in enumerate(table.columns):
            lines = wrap(headers[index], limits[index])
            column.header = "\n".join(lines)
            column.width = max([cell_len(line) for line in lines] +
                               [cell_len(line) for row in cells for line in wrap(row[index], limits[index])])
            column.no_wrap = True  # lines are already broken, and no wider than the column
        for number, row in enumerate(cells):
            shown = []
            for index, cell in enumerate(row):
                text = "\n".join(self.lines(cell, limits[index]))
                shown.append(Text(text, justify="right" if self.bidi and rtl_first(cell) else "left"))
            table.add_row(*shown, style=styles[number] if styles else None)
        if width and _outer(table) + sum(column.width for column in table.columns) > width:
            table.width = _outer(table) + sum(column.width for column in table.columns)

    @staticmethod
    def _limits(table, headers: list[str], rows: list[list[str]], width: int) -> list[int]:
        """Column widths that fit width when they can: each column its natural width, else at least
        its longest word, the room left going to the columns that lack the most."""
        from rich.cells import cell_len

        columns = list(zip(headers, *rows)) if rows else [(h,) for h in headers]
        natural = [max(cell_len(line) for cell in column for line in cell.split("\n")) for column in columns]
        longest = [max([cell_len(word) for cell in column for word in cell.split()] or [1]) for column in columns]
        room = width - _outer(table)
        if sum(natural) <= room:
            return natural
        widths = list(longest)
        spare = room - sum(widths)
        while spare > 0:
            lacking = [n - w for n, w in zip(natural, widths)]
            most = max(range(len(widths)), key=lacking.__getitem__)
            if lacking[most] <= 0:
                break
            widths[most] += 1
            spare -= 1
        return widths


def _outer(table) -> int:
    """The columns a rich table takes besides its cells: borders and padding."""
    count = len(table.columns)
    _, right, _, left = table.padding
    borders = (count - 1 + (2 if table.show_edge else 0)) if table.box else 0
    return borders + (left + right) * count


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


def table_console():
    """A console for tables on standard output: the terminal's width on a terminal; otherwise
    (a pipe, a file) so wide that no cell is ever wrapped."""
    from rich.console import Console

    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=UNLIMITED)


def table_width(console) -> int | None:
    """The width a table must fit in on this console: None when it is not a terminal."""
    return console.width if console.is_terminal else None


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
    """A RichProgress for a pipeline run (transient: gone when the run ends); None when standard error
    is not a terminal (a pipe, a log file, a service): no bar to draw, and rich's 0.04 s import spared."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeRemainingColumn

    console = stderr_console()
    with Bars(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TextColumn("[progress.data.speed]{task.fields[rate]}"), TimeRemainingColumn(),
              console=console, transient=True, disable=not console.is_terminal) as bars:
        yield RichProgress(bars)


@contextmanager
def download_bar(description: str):
    """A byte-counting bar; yields a callback (bytes so far, total or None)."""
    from rich.progress import (BarColumn, DownloadColumn, Progress as Bars, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    console = stderr_console()
    with Bars(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
              TimeRemainingColumn(), console=console, transient=True, disable=not console.is_terminal) as bars:
        task = bars.add_task(description, total=None)

        def advance(done: int, total: int | None = None) -> None:
            bars.update(task, completed=done, total=total)

        yield advance


def one_line(text: str) -> str:
    """A message as one line of plain text: control and bidi-override characters (from a file name or
    a glossary cell) shown as escapes, so that they cannot add lines or reorder what is printed."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def escape(text: str) -> str:
    """Text for rich markup: '[b]' in a term or note is text, not a style."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)
