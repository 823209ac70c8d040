"""The command line as a whole: help everywhere, fast start-up."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from passeur.cli import cli


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(path, run):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "passeur " + path[0] in result.output


def test_importing_passeur_loads_no_heavy_library():
    code = ("import sys, passeur.cli, passeur.api, passeur.pipeline, passeur.briefing.markdown, passeur.translate.models, "
            "passeur.translate.argos, passeur.glossary.check; "
            "heavy = {'ctranslate2', 'sentencepiece', 'numpy', 'torch', 'argostranslate', 'rich', 'urllib.request'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_english_plurals_do_without_typeguard():
    """inflect is imported with a stand-in for typeguard's decorator (typeguard alone takes 0.06 s
    to import, on every run with an English glossary term); a typeguard imported before is the real
    one again afterwards."""
    code = ("import sys; from passeur.glossary.morph.english import _engine; "
            "print(_engine().plural_noun('settler'), 'typeguard' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["settlers", "False"]
    code = ("import typeguard; real = typeguard.typechecked; from passeur.glossary.morph.english import _engine; "
            "print(_engine().singular_noun('settlers'), typeguard.typechecked is real)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["settler", "True"]


def test_bidi_for_terminals_and_logical_order_in_files(run, tmp_path, monkeypatch):
    """--bidi lays Hebrew out right-to-left for terminals that cannot; files keep logical order."""
    shown = run("--bidi", "glossary", "show")
    assert "הזע" in shown.stdout and "עזה" not in shown.stdout  # עזה (Gaza) in visual order
    plain = run("--no-bidi", "glossary", "show")
    assert "עזה" in plain.stdout
    assert "הזע" in run("--no-bidi", "glossary", "show", "--bidi").stdout  # after the command name too
    assert "עזה" in run("--bidi", "glossary", "show", "--no-bidi").stdout
    monkeypatch.setenv("PASSEUR_BIDI", "1")
    tsv = run("glossary", "show", "--format", "tsv").stdout  # a file format: logical order
    assert "עזה" in tsv and "הזע" not in tsv


def test_right_to_left_text_is_broken_into_lines_before_reordering():
    """Each line is reordered on its own, so the first words stay on the first line."""
    from passeur.cli.terminal import Terminal

    bidi = Terminal(bidi=True)
    assert bidi.display("צבא ההגנה לישראל", 10).split("\n") == ["הנגהה אבצ", "לארשיל"]
    assert bidi.display("Azure et Gaza", 10) == "Azure et Gaza"  # no right-to-left text: untouched
    assert Terminal(bidi=False).display("צבא ההגנה לישראל", 10) == "צבא ההגנה לישראל"
