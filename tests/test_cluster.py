"""translate, summarize and brief --on dask://HOST:PORT, on a Dask cluster the tests start on 127.0.0.1
(2 worker processes): the same outputs as the local run, a worker killed mid-run, a failing article,
a resume after Ctrl-C that translates nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from conftest import DATA, EXAMPLE
from passeur import api
from passeur.cluster import MANIFEST, PLUGIN, Progress, scheduler_address
from passeur.errors import InputError

TESTS = Path(__file__).parent


def start_cluster(env: dict[str, str]) -> LocalCluster:
    """Two worker processes with one thread each, on 127.0.0.1, no dashboard."""
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", env=env)


def address(cluster: LocalCluster) -> str:
    return "dask://" + cluster.scheduler_address.removeprefix("tcp://")


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """tests/cluster_engine.py registered as `logged` (here and on the workers); its log folder."""
    folder = tmp_path_factory.mktemp("logged")
    dist = folder / "passeur_logged-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: passeur-logged\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[passeur.engines]\nlogged = cluster_engine:LoggedEngine\n")
    logs = folder / "logs"
    logs.mkdir()
    sys.path.insert(0, str(folder))
    os.environ["PASSEUR_TEST_LOG_DIR"] = str(logs)
    yield folder
    sys.path.remove(str(folder))
    del os.environ["PASSEUR_TEST_LOG_DIR"]


@pytest.fixture(scope="module")
def cluster(logged, tmp_path_factory):
    home = tmp_path_factory.mktemp("workers")
    env = {"PYTHONPATH": os.pathsep.join([str(logged), str(TESTS)]), "PASSEUR_TEST_LOG_DIR": str(logged / "logs"),
           "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
    with start_cluster(env) as local:
        yield local


@pytest.fixture
def log(logged):
    """The engine's log, emptied: read() gives its lines."""
    path = logged / "logs" / "log.txt"
    path.write_text("")
    (logged / "logs" / "killed").unlink(missing_ok=True)
    return lambda: path.read_text("utf-8").splitlines()


@pytest.fixture
def folder(tmp_path) -> Path:
    """Six articles with distinct sentences: five OrangeSum articles and the example in a subfolder."""
    root = tmp_path / "archive"
    (root / "sub").mkdir(parents=True)
    for i, line in enumerate((DATA / "orangesum" / "articles.txt").read_text("utf-8").splitlines()):
        (root / f"article-{i}.txt").write_text(line + "\n", encoding="utf-8")
    (root / "sub" / "azure.txt").write_text(EXAMPLE.read_text("utf-8"), encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every output below root (the manifest aside), by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def translated(lines: list[str]) -> Counter:
    """(pair, sentence) -> how often the engine translated it, from the log."""
    return Counter(line.split("\t", 1)[1] for line in lines if "\tfailed\t" not in line)


def manifest(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / MANIFEST).read_text("utf-8").splitlines()]


COMMANDS = {
    "translate": ["--format", "json"],
    "summarize": ["--format", "md", "--sentences", "2"],
    "brief": ["--format", "html,md,json", "--title", "Archive"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_on_the_cluster_is_the_local_run_byte_for_byte(command, cluster, log, folder, tmp_path, run):
    options = [*COMMANDS[command], "--engine", "logged", "--no-cache"]
    local = run(command, "-r", folder, "-o", tmp_path / "local", *options)
    assert local.exit_code == 0, local.output
    remote = run(command, "-r", folder, "-o", tmp_path / "remote", *options, "--on", address(cluster))
    assert remote.exit_code == 0, remote.output
    assert "6 of 6 articles done" in remote.output
    outputs = tree(tmp_path / "local")
    assert len(outputs) == (3 if command == "brief" else 6)
    assert tree(tmp_path / "remote") == outputs
    # Each model's work is done once per article, on the workers, not here.
    lines = log()
    assert {line.split("\t")[0] for line in lines} - {str(os.getpid())}


def test_a_worker_killed_mid_run_loses_nothing_and_repeats_nothing(cluster, log, folder, tmp_path, run, logged):
    """The first article kills its worker (the process exits, as a lost machine); another one fails
    every time. Dask replaces the worker and gives the article to another; the failing article
    is tried three times and reported; every other article is written once, as a local run writes it."""
    (folder / "a-kill.txt").write_text("KILL-WORKER au milieu du travail.\n\nLa suite arrive ensuite.\n")
    (folder / "z-fail.txt").write_text("Cet article échoue toujours : FAIL-ALWAYS.\n")
    remote = run("translate", "-r", folder, "-o", tmp_path / "remote", "--format", "json", "--engine", "logged",
                 "--no-cache", "--on", address(cluster))
    assert remote.exit_code == 1
    assert (logged / "logs" / "killed").exists()  # a worker did die
    assert "failed:" in remote.output and "z-fail.txt" in remote.output and "7 of 8 articles done" in remote.output
    lines = log()
    assert sum("\tfailed\t" in line for line in lines) == 3
    assert set(translated(lines).values()) == {1}  # nothing translated twice, the killed article included
    assert sorted(e["output"] for e in manifest(tmp_path / "remote")) == sorted(tree(tmp_path / "remote"))
    assert len(manifest(tmp_path / "remote")) == 7

    (folder / "z-fail.txt").unlink()
    local = run("translate", "-r", folder, "-o", tmp_path / "local", "--format", "json", "--engine", "logged",
                "--no-cache")
    assert local.exit_code == 0, local.output
    assert tree(tmp_path / "remote") == tree(tmp_path / "local")


class Interrupt(Progress):
    """Ctrl-C after `after` articles are written."""

    def __init__(self, after: int):
        self.after = after

    def update(self, done, failed):
        if done == self.after:
            raise KeyboardInterrupt


def _drain(dask_worker):
    """On a worker: wait until the article it is working on is done."""
    with dask_worker.plugins[PLUGIN].lock:
        return True


def test_a_resume_after_ctrl_c_translates_nothing_twice(cluster, log, folder, tmp_path, run):
    """Ctrl-C after two articles: the rerun does only the four left; articles in flight when it came
    finish on their workers into the cache, so the rerun takes them from there."""
    out, cache = tmp_path / "remote", tmp_path / "cache.sqlite"
    articles = api.read_articles([str(folder)], recursive=True)
    paths = api.plan_outputs(articles, "json", str(out), [str(folder)])
    with pytest.raises(KeyboardInterrupt):
        api.run_on(address(cluster), "translate", articles, paths, ["en", "ar", "he"], "logged", cache=cache,
                   progress=Interrupt(2))
    assert len(tree(out)) == 2 and len(manifest(out)) == 2
    with Client(cluster.scheduler_address) as client:
        assert all(client.run(_drain).values())
    first = translated(log())

    again = run("translate", "-r", folder, "-o", out, "--format", "json", "--engine", "logged", "--cache", cache,
                "--on", address(cluster))
    assert again.exit_code == 0, again.output
    assert "4 of 6 articles done, 2 done by an earlier run" in again.output
    second = translated(log()) - first
    assert not set(first) & set(second) and set((first + second).values()) == {1}
    assert len(manifest(out)) == 6

    # An output changed by hand is done again; a line cut short by a crash is ignored.
    changed = sorted(out.rglob("*.json"))[0]
    changed.write_text("{}")
    with open(out / MANIFEST, "a") as file:
        file.write('{"run": "cut sh')
    again = run("translate", "-r", folder, "-o", out, "--format", "json", "--engine", "logged", "--cache", cache,
                "--on", address(cluster))
    assert "1 of 6 articles done, 5 done by an earlier run" in again.output
    local = run("translate", "-r", folder, "-o", tmp_path / "local", "--format", "json", "--engine", "logged",
                "--no-cache")
    assert local.exit_code == 0
    assert tree(out) == tree(tmp_path / "local")


def test_tiny_argos_models_on_the_cluster_give_each_articles_local_outputs(installed, folder, tmp_path, run):
    """Real decoding (CTranslate2, tiny random-weight models): each worker loads the models from its
    own ARGOS_PACKAGES_DIR, and every byte is that of the article translated here. (These models
    never emit </s>, so each sentence decodes to its batch's shared length cap: unlike real
    models, their output depends on which sentences share the batch, hence articles one by one.)"""
    env = {name: os.environ[name] for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "ARGOS_PACKAGES_DIR")}
    options = ["--format", "json", "--no-cache", "--to", "en,ar"]
    for long in (folder / "sub" / "azure.txt", folder / "article-0.txt"):
        long.unlink()  # the four shortest articles keep the test short
    for path in sorted(folder.rglob("*.txt")):
        stem = path.relative_to(folder).with_suffix("")
        local = run("translate", path, "-o", tmp_path / "local" / f"{stem}.json", *options)
        assert local.exit_code == 0, local.output
    with start_cluster(env) as local_cluster:
        remote = run("translate", "-r", folder, "-o", tmp_path / "remote", *options, "--on", address(local_cluster))
    assert remote.exit_code == 0, remote.output
    assert len(tree(tmp_path / "local")) == 4
    assert tree(tmp_path / "remote") == tree(tmp_path / "local")


@pytest.mark.parametrize("given, expected", [("dask://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
                                             ("tcp://127.0.0.1:1", "tcp://127.0.0.1:1")])
def test_scheduler_addresses(given, expected):
    assert scheduler_address(given) == expected


@pytest.mark.parametrize("given", ["ray://10.0.0.5:10001", "10.0.0.5:8786", "dask://"])
def test_other_addresses_are_refused_with_the_form_to_use(given):
    with pytest.raises(InputError, match="dask://"):
        scheduler_address(given)


def test_without_on_dask_is_never_imported():
    code = ("import sys; from passeur.cli import cli; from passeur import api; "
            "assert not {'dask', 'distributed', 'passeur.cluster'} & set(sys.modules), sys.modules.keys()")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_on_needs_an_output_folder(folder, run):
    result = run("translate", "-r", folder, "--on", "dask://127.0.0.1:9")
    assert result.exit_code == 2 and "-o FOLDER" in result.output
