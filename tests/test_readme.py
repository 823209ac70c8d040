"""The README cannot drift: every block of commands in it is run here.

- A ``console`` block is a transcript: each ``$ command`` is run in order, in a fresh copy of the
  repository (an isolated home, no network), and what it prints must be what the README shows:
  exact, but for trailing spaces; tables (rich's boxes) compared row by row and cell by cell, not
  by padding; times and rates by shape. What a command writes to standard error may stand
  anywhere among what it writes to standard output, as a terminal interleaves them.
- A ``sh`` or ``python`` block is run too: every command must exit 0, or 1 where it reports
  findings.
- The HTML comment on the line before a block says how: ``<!-- readme: models -->`` installs the
  tiny random-weight test models first (their translations are gibberish, but every command
  runs), ``<!-- readme: skip REASON -->`` leaves a block out, and must say why (it needs real
  models, the network, or is the command that runs this suite).

Blocks run in README order and share the copy, so a later block may use what an earlier one made.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(?P<kind>[\w-]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)
MARK = re.compile(r"<!-- readme: (?P<what>models|skip)(?: (?P<why>[^>]*?))? -->\s*\Z")
RUN = ("console", "sh", "python")
BOX = "│┃║"
RULE = re.compile(r"^[\s┏┓┗┛┡┩└┘┌┐├┤┬┴┼━─═╇╈┳┻╋╍╌]+$")
DURATION = re.compile(r"\d+(?:[.,]\d+)?(?=\s?(?:s|ms|min|articles/min|articles per minute|sent/s)\b)")


@dataclass(frozen=True)
class Block:
    kind: str
    body: str
    line: int  # where the block's fence is, for messages
    mark: str = ""  # models | skip | ""
    why: str = ""

    @property
    def name(self) -> str:
        return f"README.md:{self.line}:{self.kind}"


def blocks(text: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        if match.group("kind") not in RUN:
            continue
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.search(before)
        found.append(Block(match.group("kind"), match.group("body"), text.count("\n", 0, match.start()) + 1,
                           mark.group("what") if mark else "", (mark.group("why") or "").strip() if mark else ""))
    return found


def transcript(body: str) -> list[tuple[str, list[str]]]:
    """(command, the lines the README shows it printing) for each `$ ` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"output before any command: {line!r}")
    return steps


def normal(line: str):
    """A line as compared: a table row as its cells, a table rule as nothing, durations by shape."""
    line = DURATION.sub("N", line.rstrip())
    if RULE.match(line):
        return ("rule",)
    if any(ch in line for ch in BOX):
        return ("row", *[cell.strip() for cell in re.split(f"[{BOX}]", line.strip(f" {BOX}"))])
    return line.strip() if line.startswith(" ") and len(line) - len(line.lstrip()) > 8 else line  # a centred title


def same(expected: list[str], out: str, err: str) -> bool:
    """Whether the README's lines are standard output and standard error interleaved, each in its order."""
    want = [normal(line) for line in expected]
    got_out, got_err = [normal(line) for line in out.splitlines()], [normal(line) for line in err.splitlines()]
    i = j = 0
    for line in want:
        if i < len(got_out) and got_out[i] == line:
            i += 1
        elif j < len(got_err) and got_err[j] == line:
            j += 1
        else:
            return False
    return i == len(got_out) and j == len(got_err)


@pytest.fixture(scope="module")
def copy(tmp_path_factory, model_files):
    """A fresh copy of the repository (the files git tracks), an isolated home, and how to run in it."""
    base = tmp_path_factory.mktemp("readme")
    repo = base / "passeur"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    home = base / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PASSEUR_", "ARGOS_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"),
               ARGOS_PACKAGES_DIR=str(home / "packages"), ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
               PASSEUR_MAX_LENGTH_RATIO="1.0", PYTHONUNBUFFERED="1", NO_COLOR="1", COLUMNS="100",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return {"repo": repo, "home": home, "env": env, "models": model_files}


def shell(command: str, copy) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=copy["repo"], env=copy["env"], capture_output=True,
                          text=True, timeout=600)


def install_models(copy) -> None:
    for path in copy["models"].values():
        result = shell(f"passeur models install {path}", copy)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("block", blocks(README.read_text("utf-8")), ids=lambda b: b.name)
def test_readme_block(block: Block, copy):
    if block.mark == "skip":
        assert block.why, f"{block.name}: say why the block is not run: <!-- readme: skip REASON -->"
        pytest.skip(block.why)
    if block.mark == "models":
        install_models(copy)
    if block.kind == "python":
        result = subprocess.run([sys.executable, "-c", block.body], cwd=copy["repo"], env=copy["env"],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{block.name}:\n{result.stderr}"
        return
    if block.kind == "sh":
        # The block as a script: any command exiting over 1 (1 is "findings") stops it and fails.
        script = "trap 'status=$?; [ $status -gt 1 ] && exit $status' ERR\n" + block.body
        result = shell(script, copy)
        assert result.returncode in (0, 1), f"{block.name}:\n{block.body}\n{result.stdout}{result.stderr}"
        return
    status = 0
    for command, expected in transcript(block.body):
        result = shell(f"(exit {status}); {command}", copy)  # `echo $?` shows the command before
        status = result.returncode
        assert same(expected, result.stdout, result.stderr), (
            f"{block.name}: $ {command}\n--- the README shows:\n" + "\n".join(expected)
            + f"\n--- it printed (stdout):\n{result.stdout}--- (stderr):\n{result.stderr}")


def test_an_output_edited_by_one_character_fails():
    """The comparison is exact where the README is: one character changed in a shown output fails."""
    shown = ["edited.tsv: 16 concepts, languages fr, en, ar, he: ok (gloss:edited@0f23ce)",
             "│ cisjordanie │ Cisjordanie │ West Bank │", "took 1.2 s"]
    out = "\n".join(shown) + "\n"
    assert same(shown, out, "") and same(shown, shown[0] + "\n", "\n".join(shown[1:]))
    assert same(["│ cisjordanie  │ Cisjordanie  │ West Bank │", "took 3.4 s"], "\n".join(shown[1:]), "")
    for index, line in enumerate(shown):
        for position in range(len(line)):
            if line[position] in BOX + " " or line[position].isdigit() and index == 2:
                continue
            edited = [*shown[:index], line[:position] + chr(ord(line[position]) ^ 1) + line[position + 1:],
                      *shown[index + 1:]]
            assert not same(edited, out, ""), edited


def test_every_block_is_run_or_says_why_not():
    for block in blocks(README.read_text("utf-8")):
        assert block.mark != "skip" or block.why, block.name
