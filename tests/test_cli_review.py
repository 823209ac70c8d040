"""What a translator meets on the command line: forms shown, several results at once, language tags."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from echo_engine import EchoEngine  # noqa: E402

from passeur import api  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "azure-cloud.fr.txt"


def test_show_lists_the_forms_of_the_other_number(run, tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("id\tfr\ten\the\tplural:he\nc\tcolons\tsettlers\tמתנחל\tמתנחלים\n", "utf-8")
    shown = run("glossary", "show", path)
    assert shown.exit_code == 0 and "sg. settler" in shown.stdout and "pl. מתנחלים" in shown.stdout


def test_impact_takes_several_files_after_one_flag(run, tmp_path):
    results = api.translate(api.read_articles([str(EXAMPLE)]), engine=EchoEngine())
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        api.write_results(results, "json", [path])
    (tmp_path / "old.tsv").write_text("id\tfr\ten\ncisjordanie\tCisjordanie\tWest Bank\n", "utf-8")
    (tmp_path / "new.tsv").write_text("id\tfr\ten\ncisjordanie\tCisjordanie\tthe West Bank\n", "utf-8")
    out = run("glossary", "diff", tmp_path / "old.tsv", tmp_path / "new.tsv", "--impact", *paths, "--format", "json")
    assert out.exit_code == 1 and len(json.loads(out.stdout)["impact"]) == 2 * len(
        json.loads(run("glossary", "diff", tmp_path / "old.tsv", tmp_path / "new.tsv", "--impact", paths[0],
                       "--format", "json").stdout)["impact"])
    stray = run("glossary", "diff", tmp_path / "old.tsv", tmp_path / "new.tsv", paths[0])
    assert stray.exit_code == 2 and "after --impact" in stray.output


def test_line_aligned_check_takes_a_language_tag(run, tmp_path):
    (tmp_path / "g.tsv").write_text("id\tfr\ten\ncolon\tcolons\tsettlers\n", "utf-8")
    (tmp_path / "fr.txt").write_text("Un colon.\n", "utf-8")
    (tmp_path / "en.txt").write_text("A settler.\n", "utf-8")
    for tag in ("en-GB", "EN", "en_US"):
        out = run("glossary", "check", "--glossary", tmp_path / "g.tsv", "--source", tmp_path / "fr.txt",
                  "--translation", tmp_path / "en.txt", "--lang", tag)
        assert out.exit_code == 0, out.output


def test_a_missing_folder_is_named_missing(run):
    out = run("models", "install", "/nonexistent/usb/")
    assert out.exit_code == 2 and "no such file or folder" in out.output


def test_sigterm_cleans_up_as_ctrl_c_does(tmp_path):
    """kill (SIGTERM) while passeur waits for its input: a clean stop (exit 143, every `finally` run, no
    traceback, nothing written)."""
    import os
    import signal
    import subprocess
    import time

    out = tmp_path / "out"
    out.mkdir()
    main = Path(__file__).resolve().parents[1] / "main.py"
    process = subprocess.Popen([sys.executable, str(main), "translate", "-", "-o", str(out / "a.txt")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Wait (a minute at most) until passeur catches SIGTERM: Linux lists caught signals in /proc.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        caught = next(line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                      if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) >> (signal.SIGTERM - 1) & 1:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert b"Traceback" not in err and not list(out.iterdir())


SIGTERM_INSIDE_A_CALLBACK = """
import os, signal, time, weakref
from passeur import stopping

stopping.install()


class Held:
    pass


held = Held()


def callback(ref):  # as an import's module-lock callback: an exception raised here is dropped
    os.kill(os.getpid(), signal.SIGTERM)
    sum(range(1000))


ref = weakref.ref(held, callback)
try:
    del held
    time.sleep(5)
    print("went on")
finally:
    print("finally ran")
"""


def test_a_sigterm_landing_in_a_callback_still_stops(tmp_path):
    """Python drops an exception raised inside a weakref callback (the SIGTERM test above once lost
    its kill inside an import that way, and passeur went on): the stop is sent again and lands."""
    import signal
    import subprocess

    result = subprocess.run([sys.executable, "-c", SIGTERM_INSIDE_A_CALLBACK], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert result.stdout == "finally ran\n" and "Traceback" not in result.stderr


def test_outputs_are_what_they_look_like(tmp_path):
    """Two articles into "-o both.md" would make a folder named like a file: refused, saying what to
    give. A folder that does not exist is created, and passeur says so."""
    import pytest

    from passeur.errors import InputError, PasseurWarning
    from passeur.outputs import plan_outputs

    with pytest.raises(InputError, match="give -o a folder"):
        plan_outputs(["a", "b"], "md", str(tmp_path / "both.md"))
    with pytest.warns(PasseurWarning, match="passeur creates it"):
        assert plan_outputs(["a"], "txt", str(tmp_path / "missing" / "x.txt")) == [tmp_path / "missing" / "x.txt"]
    with pytest.warns(PasseurWarning, match="passeur creates it"):
        assert plan_outputs(["a", "b"], "md", str(tmp_path / "out")) == [tmp_path / "out" / "a.md",
                                                                          tmp_path / "out" / "b.md"]
    assert not (tmp_path / "both.md").exists()


def test_the_term_notice_comes_after_the_translation(installed, run, article_path):
    """Printed first, the notice scrolled away above the translation: it now comes last, before the
    run's one-line summary."""
    result = run("translate", article_path, "--to", "en")
    lines = [line for line in result.output.splitlines() if line.strip()]
    notice = next(i for i, line in enumerate(lines) if line.startswith("passeur: notice"))
    assert notice >= len(lines) - 2 and lines[-1].startswith("translated 1 article")


def test_plugged_commands_are_looked_up_only_when_needed(tmp_path):
    """A distribution's command under passeur.commands runs as `passeur NAME`; one that cannot be
    loaded is named in a warning when it is looked for, and `passeur translate` never reads the
    installed distributions' entry points at all."""
    import os
    import subprocess

    dist = tmp_path / "passeur_hello-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: passeur-hello\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[passeur.commands]\nhello = hello_command:hello\nbroken = no_such_module:command\n")
    (tmp_path / "hello_command.py").write_text(
        "import click\n\n@click.command()\ndef hello():\n    click.echo('hello from a plug-in')\n")
    main = Path(__file__).resolve().parents[1] / "main.py"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    run = lambda *args: subprocess.run([sys.executable, str(main), *args], capture_output=True, text=True, env=env, timeout=60)
    hello = run("hello")
    assert hello.returncode == 0 and hello.stdout == "hello from a plug-in\n"
    assert "'broken' (no_such_module:command) cannot be loaded" in hello.stderr
    listed = run("--help")
    assert "hello" in listed.stdout and "cannot be loaded" in listed.stderr
    probe = "import sys, importlib.metadata as m; m.entry_points = None; sys.argv = ['passeur', 'translate', '--help']; " \
            "from passeur.cli import main; main()"
    own = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert own.returncode == 0 and "Usage: passeur translate" in own.stdout and not own.stderr
