"""The terminal obeys nothing an article or a results file holds: escape and OSC sequences are shown."""

from __future__ import annotations

import sys

from rich.table import Table

from passeur.cli.terminal import Terminal, inert

HOSTILE = "Titre\x1b]0;pwned\x07 \x1b[2J effacé \x1b]8;;http://x\x1b\\lien \x9b31m"


def test_control_characters_are_shown_not_run():
    shown = inert(HOSTILE + "\nligne\tsuivante")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\\x1b]0;pwned" in shown and shown.endswith("\nligne\tsuivante")


def test_text_for_a_terminal_and_table_cells_are_inert(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert "\x1b" not in Terminal(bidi=False).layout(HOSTILE)
    table = Table("file", "status")
    Terminal(bidi=False).add_rows(table, [[HOSTILE, "ok"]], None)
    assert "\x1b" not in str(table.columns[0]._cells[0])


def test_progress_bars_only_for_a_terminal(monkeypatch):
    """On a terminal the pipeline's progress is a rich bar; to a pipe or a log file there is nothing
    to draw, so nothing is set up (and rich is not imported for it)."""
    from passeur.cli.terminal import RichProgress, progress_bars

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with progress_bars() as progress:
        assert progress is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with progress_bars() as progress:
        assert isinstance(progress, RichProgress)
        progress.stage("fr→en", 4)
        progress.advance(3)
        assert progress.progress.tasks[progress.task].completed == 3 and not progress.progress.disable
