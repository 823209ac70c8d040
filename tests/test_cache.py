"""The translation cache (real SQLite file) and batches of files and folders."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from echo_engine import BatchEchoEngine, EchoEngine

from passeur.translate.cache import APPLICATION_ID, Cache, CachedEngine, default_path
from passeur.translate.engine import EngineConfig


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


@pytest.fixture
def batching():
    BatchEchoEngine.fail_after, BatchEchoEngine.done = None, 0
    EchoEngine.calls.clear()
    yield BatchEchoEngine
    BatchEchoEngine.fail_after, BatchEchoEngine.done = None, 0


@pytest.mark.parametrize("count", [20, 300])
def test_interrupted_batch_resumes_where_it_stopped(tmp_path, batching, count):
    """Every batch is stored when it is done: a Ctrl-C after the first keeps it, however short the run."""
    sentences = [f"Phrase numéro {i}." for i in range(count)]
    cache = Cache(tmp_path / "cache.sqlite")
    batching.fail_after = 1
    with pytest.raises(KeyboardInterrupt):
        CachedEngine(BatchEchoEngine(EngineConfig(max_batch_size=8)), cache).translate(sentences, "fr", "en")
    assert cache.info()["entries"] == 8  # the batch done before Ctrl-C is kept
    batching.fail_after = None
    EchoEngine.calls.clear()
    resumed = CachedEngine(BatchEchoEngine(EngineConfig(max_batch_size=8)), Cache(tmp_path / "cache.sqlite"))
    out = resumed.translate(sentences, "fr", "en")
    assert EchoEngine.calls == [("fr", "en", count - 8)] and out == [f"[en] {s}" for s in sentences]


def test_settings_and_models_are_part_of_the_key(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    CachedEngine(EchoEngine(EngineConfig(beam_size=4)), cache).translate(["Bonjour."], "fr", "en")
    EchoEngine.calls.clear()
    CachedEngine(EchoEngine(EngineConfig(beam_size=1)), cache).translate(["Bonjour."], "fr", "en")
    CachedEngine(EchoEngine(EngineConfig(beam_size=4)), cache).translate(["Bonjour."], "en", "ar")
    assert len(EchoEngine.calls) == 2
    EchoEngine.calls.clear()
    CachedEngine(EchoEngine(EngineConfig(beam_size=4)), cache).translate(["Bonjour."], "fr", "en")
    assert EchoEngine.calls == []


WRITER = """
import sys
from passeur.translate.cache import Cache
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
    # A passeur cache (its application id at byte 68 of the header) whose pages are garbage.
    damaged = b"SQLite format 3\x00" + bytes(52) + APPLICATION_ID.to_bytes(4, "big") + bytes(28) + b"garbage" * 100
    path.write_bytes(damaged)
    result = run("translate", article_path, "--engine", "echo", "--cache", path, "--to", "en")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "set aside" in result.stderr
    asides = list(tmp_path.glob("cache.sqlite.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == damaged
    assert Cache(path).info()["entries"] == 26


def test_cache_info_and_clear(tmp_path, echo_registered, run, article_path):
    path = tmp_path / "c.sqlite"
    run("translate", article_path, "--engine", "echo", "--cache", path, "--to", "en,ar")
    info = run("cache", "info", "--cache", path)
    assert info.exit_code == 0 and str(path) in info.stdout and "52 translations" in info.stdout
    assert "removed 52 translations" in run("cache", "clear", "--cache", path).stdout
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


@pytest.fixture
def batch_echo_registered(register_engine):
    """BatchEchoEngine under passeur.engines, as `batch-echo`."""
    return register_engine("batch-echo", "echo_engine:BatchEchoEngine")


@pytest.mark.parametrize("sentences", [12, 300])
def test_ctrl_c_in_the_command_then_resume(tmp_path, batching, batch_echo_registered, run, sentences):
    """Ctrl-C after the first batch: exit 130, no output file, the message says the cache has the work,
    and the next run translates only what was left, however short the run."""
    text = "Titre\n\n" + " ".join(f"Phrase numéro {i}." for i in range(sentences))
    source = tmp_path / "long.txt"
    source.write_text(text, "utf-8")
    batching.fail_after = 1
    out = tmp_path / "out.json"
    args = ["translate", source, "--engine", "batch-echo", "--to", "en", "--format", "json", "-o", out, "--no-glossary"]
    result = run(*args)
    assert result.exit_code == 130 and "is in the cache" in result.stderr and "run the same command again" in result.stderr
    assert not out.exists()
    batching.fail_after = None
    EchoEngine.calls.clear()
    assert run(*args).exit_code == 0
    assert sum(n for _, _, n in EchoEngine.calls) == sentences + 1 - 8  # the first batch came from the cache
    assert len(json.loads(out.read_text("utf-8"))["translations"]["en"]) == sentences + 1
    batching.fail_after = 0
    nocache = run(*args, "--no-cache")
    assert nocache.exit_code == 130 and "nothing translated was kept" in nocache.stderr


def _translate_to(run, article_path, cache, out):
    return run("translate", article_path, "--engine", "echo", "--to", "en", "--cache", cache, "--format", "json",
               "-o", out)


def test_a_locked_cache_costs_a_warning_not_the_work(tmp_path, echo_registered, run, article_path, monkeypatch):
    """Another process holds the cache's write lock past the timeout: the run completes without it."""
    import sqlite3

    import passeur.translate.cache as cache_module

    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.2)
    path = tmp_path / "c.sqlite"
    Cache(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = _translate_to(run, article_path, path, tmp_path / "out.json")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 0, result.output
    assert "cannot be used" in result.stderr and "going on without it" in result.stderr
    assert len(json.loads((tmp_path / "out.json").read_text("utf-8"))["translations"]["en"]) == 26


@pytest.mark.parametrize("failure", ["read-only", "disk full"])
def test_a_cache_that_cannot_be_written_costs_a_warning_not_the_work(tmp_path, echo_registered, run, article_path,
                                                                    monkeypatch, failure):
    import sqlite3

    class Full(sqlite3.Connection):
        def executemany(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    original = Cache._open

    def faulty(self):
        original(self).close()  # a valid cache exists
        if failure == "read-only":
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
        return sqlite3.connect(self.path, isolation_level=None, factory=Full)

    monkeypatch.setattr(Cache, "_open", faulty)
    path = tmp_path / "c.sqlite"
    result = _translate_to(run, article_path, path, tmp_path / "out.json")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("cannot be used") == 1  # said once, not per batch
    assert (tmp_path / "out.json").exists()
    assert path.exists() and not list(tmp_path.glob("c.sqlite.corrupt-*"))  # a valid cache is never set aside


def test_a_cache_of_another_schema_is_left_alone(tmp_path, echo_registered, run, article_path):
    import sqlite3

    path = tmp_path / "c.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE translations (key TEXT PRIMARY KEY, output TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    result = _translate_to(run, article_path, path, tmp_path / "out.json")
    assert result.exit_code == 0 and "other columns" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["article", "folder", "other-app"])
def test_the_cache_is_never_put_over_a_users_file(tmp_path, echo_registered, run, article_path, kind, monkeypatch):
    import sqlite3

    target = tmp_path / "target"
    if kind == "article":
        target.write_text("Titre\n\nMon article, pas un cache.", "utf-8")
    elif kind == "folder":
        target.mkdir()
    else:
        db = sqlite3.connect(target)
        db.execute("CREATE TABLE contacts (name TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Salma')")
        db.commit()
        db.close()
    before = target.read_bytes() if target.is_file() else None
    monkeypatch.setenv("PASSEUR_CACHE", str(target))
    result = run("translate", article_path, "--engine", "echo", "--to", "en")
    assert result.exit_code == 2 and "--no-cache" in result.output
    assert (target.read_bytes() if target.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("target")) == ["target"]


def test_two_set_asides_in_one_second_keep_both(tmp_path):
    from passeur.translate.cache import APPLICATION_ID

    damaged = b"SQLite format 3\x00" + bytes(52) + APPLICATION_ID.to_bytes(4, "big") + bytes(28)
    path = tmp_path / "c.sqlite"
    for number in range(2):
        path.write_bytes(damaged + f"garbage {number}".encode() * 100)
        with pytest.warns(UserWarning, match="set aside"):
            Cache(path).close()
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 2


def test_a_newsroom_day_resumes_after_an_interrupt(tmp_path, batching, batch_echo_registered, run):
    """A folder of articles, Ctrl-C halfway: the second run translates only what was left, writes every
    output, and says how fast it went; a third run translates nothing."""
    day = tmp_path / "day"
    day.mkdir()
    for number in range(12):
        (day / f"article-{number:02}.txt").write_text(
            f"Titre {number}\n\n" + " ".join(f"Phrase {number}-{i} sur Gaza." for i in range(6)), "utf-8")
    out = tmp_path / "out"
    args = ["translate", "-r", day, "--engine", "batch-echo", "--to", "en,ar", "-o", out, "--format", "json"]
    total = 12 * 7
    batching.fail_after = 5
    assert run(*args).exit_code == 130
    assert not out.exists() or not list(out.iterdir())
    batching.fail_after = None
    EchoEngine.calls.clear()
    second = run(*args)
    assert second.exit_code == 0, second.output
    done_before = 5 * 8  # five batches of the fr→en hop were kept
    assert sum(n for s, t, n in EchoEngine.calls if (s, t) == ("fr", "en")) == total - done_before
    assert len(list(out.glob("*.json"))) == 12
    last = second.stderr.strip().splitlines()[-1]  # after the "wrote" lines: the run's last word
    assert last.startswith("translated 12 articles (84 sentences)") and "articles/minute" in last
    EchoEngine.calls.clear()
    third = run(*args)
    assert third.exit_code == 0 and EchoEngine.calls == []
    assert "from the cache" in third.stderr


def test_a_damaged_cache_another_run_replaced_meanwhile_is_kept(tmp_path, monkeypatch):
    """Two runs open one damaged cache: the first sets it aside and starts a new one while the
    second is still looking. The second must use the new cache, not set it aside too (and delete
    its -wal)."""
    import sqlite3

    from passeur.translate.cache import Cache

    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 4000)
    original = Cache._open
    calls = []

    def open_while_another_run_recovers(self):
        calls.append(1)
        if len(calls) == 1:  # this run found the damaged file; the other run recovers meanwhile
            path.rename(tmp_path / "cache.sqlite.corrupt-other-run")
            other = Cache(path)
            other.put_many("r", [("a", "kept")])
            other.close()
            raise sqlite3.DatabaseError("file is not a database")
        return original(self)

    monkeypatch.setattr(Cache, "_open", open_while_another_run_recovers)
    cache = Cache(path)
    assert cache.get_many("r", ["a"]) == {"a": "kept"}
    assert [p.name for p in tmp_path.glob("cache.sqlite.corrupt-*")] == ["cache.sqlite.corrupt-other-run"]


def test_a_resumed_run_gives_the_same_bytes_as_an_uninterrupted_one(installed, tmp_path, monkeypatch):
    """Real (tiny) models: a run interrupted after two batches and resumed from the cache writes
    exactly what one uninterrupted run writes: a sentence's translation depends on nothing batched
    or cached beside it."""
    from pathlib import Path

    from passeur import api
    from passeur.result import results_to_json
    from passeur.translate import argos

    example = Path(__file__).resolve().parents[1] / "examples" / "azure-cloud.fr.txt"
    articles = api.read_articles([str(example)])
    whole = results_to_json(api.translate(articles, ["en", "ar", "he"], engine=api.open_engine(cache=False)))
    original = argos._Plan.collect
    collected = []

    def interrupted(self, *args, **kwargs):
        if len(collected) == 2:
            raise KeyboardInterrupt
        collected.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(argos._Plan, "collect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        api.translate(articles, ["en", "ar", "he"], engine=api.open_engine(cache=tmp_path / "cache.sqlite"))
    monkeypatch.setattr(argos._Plan, "collect", original)
    resumed = api.translate(articles, ["en", "ar", "he"], engine=api.open_engine(cache=tmp_path / "cache.sqlite"))
    assert results_to_json(resumed) == whole
