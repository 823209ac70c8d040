"""The translation cache (real SQLite file) and batches of files and folders."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from echo_engine import EchoEngine

from translate.cache import CHUNK, Cache, CachedEngine, default_path


def test_rerun_translates_nothing(echo_registered, run, article_path, isolated_home):
    EchoEngine.calls.clear()
    first = run("translate", article_path, "--engine", "echo", "--format", "json")
    assert first.exit_code == 0 and EchoEngine.calls
    EchoEngine.calls.clear()
    second = run("translate", article_path, "--engine", "echo", "--format", "json")
    assert EchoEngine.calls == [] and second.stdout == first.stdout
    assert default_path().exists() and str(default_path()).startswith(str(isolated_home))
    EchoEngine.calls.clear()
    assert run("translate", article_path, "--engine", "echo", "--no-cache").exit_code == 0
    assert EchoEngine.calls  # --no-cache translates again


def test_interrupted_batch_resumes_where_it_stopped(tmp_path):
    class Interrupted(EchoEngine):
        def __init__(self, fail_after):
            super().__init__()
            self.left = fail_after

        def translate(self, sentences, source, target, progress=None):
            if self.left == 0:
                raise KeyboardInterrupt
            self.left -= 1
            return super().translate(sentences, source, target, progress)

    sentences = [f"Phrase numéro {i}." for i in range(CHUNK * 3)]
    cache = Cache(tmp_path / "cache.sqlite")
    with pytest.raises(KeyboardInterrupt):
        CachedEngine(Interrupted(fail_after=2), cache).translate(sentences, "fr", "en")
    assert cache.info()["entries"] == 2 * CHUNK  # the chunks done before Ctrl-C are kept
    EchoEngine.calls.clear()
    resumed = CachedEngine(EchoEngine(), Cache(tmp_path / "cache.sqlite"))
    out = resumed.translate(sentences, "fr", "en")
    assert EchoEngine.calls == [("fr", "en", CHUNK)] and out == [f"[en] {s}" for s in sentences]


def test_settings_and_models_are_part_of_the_key(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    CachedEngine(EchoEngine(), cache, "beam4").translate(["Bonjour."], "fr", "en")
    EchoEngine.calls.clear()
    CachedEngine(EchoEngine(), cache, "beam1").translate(["Bonjour."], "fr", "en")
    CachedEngine(EchoEngine(), cache, "beam4").translate(["Bonjour."], "en", "ar")
    assert len(EchoEngine.calls) == 2


WRITER = """
import sys
from translate.cache import Cache
cache = Cache(sys.argv[1])
for i in range(200):
    cache.put_many("route " + sys.argv[2], [(f"{sys.argv[2]} phrase {i} {j}", "x") for j in range(5)])
    cache.get_many("route " + sys.argv[2], [f"{sys.argv[2]} phrase {i} 0"])
"""


def test_two_processes_share_one_cache(tmp_path):
    path = tmp_path / "shared.sqlite"
    Cache(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert Cache(path).info()["entries"] == 2 * 200 * 5


def test_corrupt_cache_is_set_aside_and_rebuilt(tmp_path, echo_registered, run, article_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    result = run("translate", article_path, "--engine", "echo", "--cache", path, "--to", "en")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "set aside" in result.stderr
    asides = list(tmp_path.glob("cache.sqlite.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes().startswith(b"this is not")
    assert Cache(path).info()["entries"] == 29


def test_cache_info_and_clear(tmp_path, echo_registered, run, article_path):
    path = tmp_path / "c.sqlite"
    run("translate", article_path, "--engine", "echo", "--cache", path, "--to", "en,ar")
    info = run("cache", "info", "--cache", path)
    assert info.exit_code == 0 and str(path) in info.stdout and "58 translations" in info.stdout
    assert "removed 58 translations" in run("cache", "clear", "--cache", path).stdout
    assert Cache(path).info()["entries"] == 0


def test_folders_need_r_and_outputs_mirror_them(tmp_path, echo_registered, run):
    folder = tmp_path / "today"
    (folder / "monde").mkdir(parents=True)
    (folder / "a.txt").write_text("Titre A\n\nUne phrase.", "utf-8")
    (folder / "monde" / "b.md").write_text("# Titre B\n\nUne autre phrase.", "utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    refused = run("translate", folder, "--engine", "echo")
    assert refused.exit_code == 2 and "is a folder: pass -r" in refused.output
    out = tmp_path / "out"
    result = run("translate", "-r", folder, "--engine", "echo", "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == ["a.json", "monde/b.json"]
    assert json.loads((out / "monde" / "b.json").read_text("utf-8"))["source"]["title"] == "Titre B"
    (folder / "a.md").write_text("# Autre A", "utf-8")
    clash = run("translate", "-r", folder, "--engine", "echo", "-o", out)
    assert clash.exit_code == 2 and "same output 'a'" in clash.output


def test_ctrl_c_in_the_command_then_resume(tmp_path, echo_registered, run, article_path, monkeypatch):
    """Ctrl-C halfway: exit 130, no output file, and the next run only translates what was left."""
    from translate.cache import CHUNK

    text = "Titre\n\n" + " ".join(f"Phrase numéro {i}." for i in range(CHUNK * 2 + 10))
    source = tmp_path / "long.txt"
    source.write_text(text, "utf-8")
    calls = []
    original = EchoEngine.translate

    def interrupted(self, sentences, src, tgt, progress=None):
        if len(calls) == 1:
            raise KeyboardInterrupt
        calls.append(len(sentences))
        return original(self, sentences, src, tgt, progress)

    monkeypatch.setattr(EchoEngine, "translate", interrupted)
    out = tmp_path / "out.json"
    result = run("translate", source, "--engine", "echo", "--to", "en", "--format", "json", "-o", out)
    assert result.exit_code == 130 and "run the same command again" in result.stderr
    assert not out.exists()
    monkeypatch.setattr(EchoEngine, "translate", original)
    EchoEngine.calls.clear()
    assert run("translate", source, "--engine", "echo", "--to", "en", "--format", "json", "-o", out).exit_code == 0
    assert sum(n for _, _, n in EchoEngine.calls) == CHUNK + 11  # the first chunk came from the cache
    assert len(json.loads(out.read_text("utf-8"))["translations"]["en"]) == 2 * CHUNK + 11
