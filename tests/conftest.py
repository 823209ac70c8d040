"""Shared fixtures: tiny real Argos packages, an isolated home, the example article, a test engine.

Everything comes from the repository: the example article (examples/), the test corpora
(tests/data/, see its README.md). Nothing outside the clone is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
EXAMPLE = ROOT / "examples" / "azure-cloud.fr.txt"
sys.path.insert(0, str(Path(__file__).parent))

import make_model  # noqa: E402

PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]


@pytest.fixture(scope="session")
def model_files(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Tiny random-weight .argosmodel files for fr→en, en→ar and en→he, built once per run."""
    folder = tmp_path_factory.mktemp("models")
    return {pair: make_model.build_package(*pair, "tiny", folder / f"translate-{pair[0]}_{pair[1]}.argosmodel")
            for pair in PAIRS}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own model folder, config and data dirs; nothing touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "packages"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # nothing listens on the discard port
    # Random weights never emit </s>: keep decoding short so the suite stays fast.
    monkeypatch.setenv("PASSEUR_MAX_LENGTH_RATIO", "1.0")
    for name in ("PASSEUR_BEAM_SIZE", "PASSEUR_INTRA_THREADS", "PASSEUR_INTER_THREADS", "PASSEUR_CACHE",
                 "PASSEUR_BIDI", "PASSEUR_COMPUTE_TYPE", "PASSEUR_MAX_BATCH_SIZE", "PASSEUR_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def packages(isolated_home) -> Path:
    return isolated_home / "packages"


@pytest.fixture
def installed(packages, model_files) -> Path:
    """The three tiny models installed into the test's model folder."""
    from passeur.translate.models import install_file

    for path in model_files.values():
        install_file(path, packages)
    return packages


@pytest.fixture
def article_path() -> Path:
    return EXAMPLE


@pytest.fixture
def run(monkeypatch):
    """Run the passeur command line in-process; returns click's Result."""
    from click.testing import CliRunner

    from passeur.cli import cli

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def register_engine(tmp_path, monkeypatch):
    """Register a test engine under passeur.engines, as a third-party distribution would:
    register_engine("echo", "echo_engine:EchoEngine")."""
    def register(name: str, target: str) -> str:
        dist = tmp_path / f"passeur_{name.replace('-', '_')}-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: passeur-{name}\nVersion: 1.0\n")
        (dist / "entry_points.txt").write_text(f"[passeur.engines]\n{name} = {target}\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        return name
    return register


@pytest.fixture
def echo_registered(register_engine):
    """tests/echo_engine.py under passeur.engines, as `echo`."""
    return register_engine("echo", "echo_engine:EchoEngine")


@pytest.fixture
def live_server():
    """Serve a passeur.server App on 127.0.0.1 (a free port) in a thread: live_server(app) -> base URL.
    Stopped when the test ends."""
    import threading

    from passeur.server import Listen, serve

    running, threads = [], []

    def start(app, threads_count: int = 8) -> str:
        ready = threading.Event()
        box = {}

        def on_ready(server):
            box["server"] = server
            ready.set()

        thread = threading.Thread(target=serve, args=(app, Listen(port=0, threads=threads_count), on_ready), daemon=True)
        thread.start()
        assert ready.wait(30), "the server did not start"
        running.append(box["server"])
        threads.append(thread)
        return f"http://127.0.0.1:{box['server'].port}"

    yield start
    for server, thread in zip(running, threads):
        server.stop()
        thread.join(30)
