"""Model packages: install from files and from an index over real HTTP, list, remove, refuse bad ones."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from passeur.translate import models
from passeur.errors import InputError, ModelError


@pytest.fixture
def server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving a folder; yields (folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def publish(root: Path, base: str, model_files, pairs, sha256=True, version="1.0"):
    index = []
    for pair in pairs:
        source = model_files[pair]
        (root / source.name).write_bytes(source.read_bytes())
        entry = {"type": "translate", "from_code": pair[0], "to_code": pair[1], "package_version": version,
                 "argos_version": "1.11", "from_name": pair[0], "to_name": pair[1], "links": [base + source.name]}
        if sha256:
            entry["sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
        index.append(entry)
    (root / "index.json").write_text(json.dumps(index))


def test_install_from_file_list_and_remove(packages, model_files, run):
    result = run("models", "install", model_files[("fr", "en")])
    assert result.exit_code == 0, result.output
    assert "installed translate-fr_en-1.0" in result.output
    listed = run("models", "list")
    assert "fr:en" in listed.output and "translate-fr_en" in listed.output
    assert [p.pair for p in models.installed_packages(packages)] == [("fr", "en")]
    assert run("models", "remove", "fr:en").exit_code == 0
    assert models.installed_packages(packages) == []


def test_install_a_folder_of_models(packages, model_files, run):
    folder = next(iter(model_files.values())).parent
    assert run("models", "install", folder).exit_code == 0
    assert {p.pair for p in models.installed_packages(packages)} == set(model_files)


def test_argostranslate_sees_what_passeur_installs(installed):
    """The same folder and layout as argospm: argostranslate's own package reader lists our installs."""
    code = ("from argostranslate import package; "
            "print(sorted(f'{p.from_code}:{p.to_code}' for p in package.get_installed_packages()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert out.stdout.strip() == "['en:ar', 'en:he', 'fr:en']"


def test_newer_version_replaces_older(packages, model_files, tmp_path):
    models.install_file(model_files[("fr", "en")], packages)
    newer = tmp_path / "newer.argosmodel"
    rewrite_version(model_files[("fr", "en")], newer, "1.1")
    models.install_file(newer, packages)
    assert [(p.pair, p.version) for p in models.installed_packages(packages)] == [(("fr", "en"), "1.1")]


def test_older_version_is_never_installed_silently(packages, model_files, tmp_path, run):
    newer = tmp_path / "newer.argosmodel"
    rewrite_version(model_files[("fr", "en")], newer, "1.1")
    assert run("models", "install", newer).exit_code == 0
    refused = run("models", "install", model_files[("fr", "en")])
    assert refused.exit_code == 2 and "older than the installed translate-fr_en-1.1: not downgraded" in refused.output
    assert len(refused.output.strip().splitlines()) == 1 and "--force" in refused.output
    assert [p.version for p in models.installed_packages(packages)] == ["1.1"]
    assert run("models", "install", model_files[("fr", "en")], "--force").exit_code == 0
    assert [p.version for p in models.installed_packages(packages)] == ["1.0"]


def test_index_entry_with_another_version_in_its_archive_is_refused(packages, model_files, server, monkeypatch, run):
    """The index says 1.2, the archive's metadata says 1.0: a stale or wrong mirror; nothing installed."""
    root, base = server
    publish(root, base, model_files, [("fr", "en")], version="1.2")
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    result = run("models", "install", "fr:en")
    assert result.exit_code == 2 and "the archive says version 1.0, the index announced 1.2" in result.output
    assert models.installed_packages(packages) == []
    assert run("models", "install", "fr:en", "--force").exit_code == 0


def rewrite_version(source: Path, target: Path, version: str):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename.replace("-1_0/", f"-{version.replace('.', '_')}/")
            if name.endswith("metadata.json"):
                meta = json.loads(data)
                meta["package_version"] = version
                data = json.dumps(meta).encode()
            new.writestr(name, data)


def test_install_from_index_over_http(packages, model_files, server, monkeypatch, run):
    root, base = server
    publish(root, base, model_files, list(model_files))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    result = run("models", "install", "fr:en", "en:ar", "en:he")
    assert result.exit_code == 0, result.output
    assert {p.pair for p in models.installed_packages(packages)} == set(model_files)
    listed = run("models", "list", "--available")
    assert listed.exit_code == 0 and "en:he" in listed.output


def test_checksum_mismatch_installs_nothing(packages, model_files, server, monkeypatch, run):
    root, base = server
    publish(root, base, model_files, [("fr", "en")])
    index = json.loads((root / "index.json").read_text())
    index[0]["sha256"] = "0" * 64
    (root / "index.json").write_text(json.dumps(index))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "index.json")
    result = run("models", "install", "fr:en")
    assert result.exit_code == 2
    assert "checksum mismatch" in result.output
    assert models.installed_packages(packages) == []


def test_pair_missing_from_index(model_files, server, monkeypatch, run):
    root, base = server
    publish(root, base, model_files, [("fr", "en")])
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    result = run("models", "install", "fr:de")
    assert result.exit_code == 2
    assert "has no fr:de package (it has: fr:en)" in result.output


def test_unreachable_index_says_how_to_install_offline(run):
    result = run("models", "install", "fr:en")  # ARGOS_PACKAGE_INDEX points at a closed port
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "cannot reach" in lines[0] and "passeur models install FILE.argosmodel" in lines[0]


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("entries, message", [
    ({"../evil/metadata.json": b"{}"}, "outside the package folder"),
    ({"/abs/metadata.json": b"{}"}, "outside the package folder"),
    ({"p/metadata.json": b"{}", "q/model/model.bin": b""}, "one top folder"),
    ({"p/metadata.json": b"{}"}, "model/model.bin is missing"),
    ({"p/metadata.json": b"{}", "p/model/model.bin": b"", "p/bpe.model": b""}, "no sentencepiece.model"),
    ({"p/metadata.json": b"not json", "p/model/model.bin": b"", "p/sentencepiece.model": b""}, "not valid JSON"),
    ({"p/metadata.json": b"{}", "p/model/model.bin": b"", "p/sentencepiece.model": b""}, "no from_code/to_code"),
])
def test_bad_archives_are_refused(tmp_path, packages, entries, message):
    path = make_zip(tmp_path / "bad.argosmodel", entries)
    with pytest.raises(ModelError, match=message):
        models.install_file(path, packages)
    assert not packages.exists() or not any(packages.iterdir())


def test_truncated_and_non_zip_files(tmp_path, packages, model_files, run):
    data = model_files[("fr", "en")].read_bytes()
    truncated = tmp_path / "cut.argosmodel"
    truncated.write_bytes(data[: len(data) // 2])
    text = tmp_path / "notes.argosmodel"
    text.write_text("hello")
    for path in (truncated, text):
        result = run("models", "install", path)
        assert result.exit_code == 2
        assert str(path) in result.output and len(result.output.strip().splitlines()) == 1
    assert models.installed_packages(packages) == []


def test_pair_syntax_and_remove_errors(run):
    assert run("models", "install", "french-english").exit_code == 2
    result = run("models", "remove", "fr:en")
    assert result.exit_code == 2 and "no model for fr→en is installed" in result.output


def test_packages_dir_follows_argos_rules(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert models.packages_dir(env) == tmp_path / ".local/share/argos-translate/packages"
    env["XDG_DATA_HOME"] = str(tmp_path / "d")
    assert models.packages_dir(env) == tmp_path / "d/argos-translate/packages"
    settings = tmp_path / ".config/argos-translate/settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "s")}))
    assert models.packages_dir(env) == tmp_path / "s"
    env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "e")
    assert models.packages_dir(env) == tmp_path / "e"
    assert models.index_url({"ARGOS_PACKAGE_INDEX": "http://m/x"}) == "http://m/x/index.json"
    assert models.index_url({"ARGOS_PACKAGE_INDEX": "http://m/i.json"}) == "http://m/i.json"
    with pytest.raises(InputError):
        models.parse_pair("fr")


def test_download_cut_halfway_installs_nothing(packages, model_files, tmp_path, monkeypatch, run):
    """The server promises the whole file and hangs up halfway: one line, nothing half-installed."""
    data = model_files[("fr", "en")].read_bytes()

    class Cutting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.endswith("index.json"):
                body = json.dumps([{"from_code": "fr", "to_code": "en", "package_version": "1.0",
                                    "links": [f"http://127.0.0.1:{self.server.server_address[1]}/m.argosmodel"]}]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cutting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{httpd.server_address[1]}/")
        result = run("models", "install", "fr:en")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 2
    assert "download" in result.output and "cut" in result.output and len(result.output.strip().splitlines()) == 1
    assert models.installed_packages(packages) == []
    assert not packages.exists() or not [p for p in packages.iterdir()]
