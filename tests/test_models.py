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
    entry = {"from_code": "fr", "to_code": "en", "package_version": "1.0"}
    with serving(index_handler([entry], data, limit=len(data) // 2)) as base:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        result = run("models", "install", "fr:en")
    assert result.exit_code == 2
    assert "download" in result.output and "cut" in result.output and len(result.output.strip().splitlines()) == 1
    assert models.installed_packages(packages) == []
    assert not packages.exists() or not [p for p in packages.iterdir()]


# --- a broken mirror, a hostile archive, an unlucky newsroom (docs/robustness.md) -------------

import contextlib  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402


@contextlib.contextmanager
def serving(handler):
    """A real HTTP server on 127.0.0.1 with a custom handler; yields its base URL."""
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def index_handler(entries, body, *, length=True, pace=0.0, chunk=1 << 16, give_up=60.0, limit=None):
    """Serves index.json (entries, links pointing at /m.argosmodel) and, for the model, `body`
    (bytes, or a function of the offset giving endless bytes), `chunk` bytes every `pace`
    seconds. Every transfer ends after `give_up` seconds or `limit` bytes, so that code without
    limits fails the test instead of filling the disk or hanging it."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_address[1]}/"
            if self.path.endswith("index.json"):
                data = json.dumps([dict(e, links=[base + "m.argosmodel"]) if isinstance(e, dict) and "links" not in e
                                   else e for e in entries]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_response(200)
            if length and isinstance(body, bytes):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            started, sent = time.monotonic(), 0
            try:
                while time.monotonic() - started < give_up and (limit is None or sent < limit):
                    piece = body[sent:sent + chunk] if isinstance(body, bytes) else body(sent, chunk)
                    if not piece:
                        return
                    self.wfile.write(piece)
                    self.wfile.flush()
                    sent += len(piece)
                    if pace:
                        time.sleep(pace)
            except OSError:
                return

    return Handler


def fr_en_entry(model_files, **extra):
    return {"type": "translate", "from_code": "fr", "to_code": "en", "package_version": "1.0", **extra}


def no_leftovers(packages: Path):
    return not packages.exists() or all(p.name == ".passeur-install.lock" for p in packages.iterdir())


def test_endless_download_stops_at_the_declared_size(packages, model_files, monkeypatch, run):
    """An index link to an endless body wrote 3 GB before failing: now it stops past the index's
    declared size (+25 % and 1 MB) and nothing is left behind."""
    data = model_files[("fr", "en")].read_bytes()
    endless = lambda offset, n: data[offset:offset + n] if offset < len(data) else b"\0" * n  # noqa: E731
    handler = index_handler([fr_en_entry(model_files, size=len(data))], endless, length=False, limit=20 << 20)
    with serving(handler) as base:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        result = run("models", "install", "fr:en")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert f"sent more than the {int(len(data) * 1.25) + (1 << 20):,} bytes allowed (the index's declared size" in result.output
    assert models.installed_packages(packages) == [] and no_leftovers(packages)


def test_download_without_declared_size_has_a_ceiling(packages, model_files, tmp_path, monkeypatch):
    monkeypatch.setattr(models, "MAX_MODEL_BYTES", 4 << 20)
    handler = index_handler([], lambda offset, n: b"\0" * n, length=False, limit=40 << 20)
    with serving(handler) as base:
        package = models.ModelPackage("fr", "en", "1.0", links=(base + "m.argosmodel",))
        with pytest.raises(ModelError, match=r"sent more than the 4,194,304 bytes allowed"):
            models.download(package, tmp_path / "dl")
        big = models.ModelPackage("fr", "en", "1.0", links=(base + "m.argosmodel",), size=1000)
        handler_body = b"x" * (3 << 20)
    with serving(index_handler([], handler_body)) as base:
        big = models.ModelPackage("fr", "en", "1.0", links=(base + "m.argosmodel",), size=1000)
        with pytest.raises(ModelError, match=r"announces 3,145,728 bytes, more than the 1,049,826 allowed"):
            models.download(big, tmp_path / "dl")
    assert not list((tmp_path / "dl").iterdir())


def test_a_trickling_server_is_stopped(model_files, tmp_path, monkeypatch):
    """A server sending one byte every few seconds hung the install forever: the per-read
    timeout never fired. Fewer than STALL_BYTES in STALL_SECONDS is a stall (here 1,000 bytes
    in 1 s, to keep the test short)."""
    monkeypatch.setattr(models, "STALL_SECONDS", 1.0)
    monkeypatch.setattr(models, "STALL_BYTES", 1000)
    handler = index_handler([], lambda offset, n: b"x" * n, length=False, chunk=1, pace=0.05, give_up=20)
    with serving(handler) as base:
        package = models.ModelPackage("fr", "en", "1.0", links=(base + "m.argosmodel",))
        with pytest.raises(ModelError, match=r"stalled: \d+ bytes in the last 1 s"):
            models.download(package, tmp_path / "dl")
    assert not list((tmp_path / "dl").iterdir())


def test_the_deadline_covers_a_server_that_never_finishes_its_headers(tmp_path):
    """The deadline is for the whole download, connection and headers included."""
    import socketserver

    class Slow(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                for byte in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"x" * 1000:
                    self.request.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        package = models.ModelPackage("fr", "en", "1.0", links=(f"http://127.0.0.1:{server.server_address[1]}/m",))
        with pytest.raises(ModelError, match=r"no answer within 2 s"):
            models.download(package, tmp_path / "dl", deadline=2)
    finally:
        server.shutdown()
        server.server_close()


def test_download_deadline_setting():
    assert models.download_deadline({}) == models.DOWNLOAD_DEADLINE
    assert models.download_deadline({"PASSEUR_DOWNLOAD_DEADLINE": "7200"}) == 7200
    with pytest.raises(InputError, match="PASSEUR_DOWNLOAD_DEADLINE='soon': give seconds from 10 to 604800"):
        models.download_deadline({"PASSEUR_DOWNLOAD_DEADLINE": "soon"})


def test_an_endless_index_is_capped(monkeypatch, run):
    """A 3 GB index took 6.2 GB of memory: at most 16 MB is read."""
    class Endless(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            try:
                self.wfile.write(b"[")
                for _ in range(40 * 16):  # 40 MB at most, then stop
                    self.wfile.write(b"{}," * 21845 + b" ")
            except OSError:
                pass

    with serving(Endless) as base:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        result = run("models", "list", "--available")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "the package index sent more than the 16,777,216 bytes allowed" in result.output


def test_index_entries_of_the_wrong_type_are_skipped_with_one_warning(packages, model_files, monkeypatch, run):
    good = fr_en_entry(model_files)
    entries = [good, dict(good, links="http://x/m.argosmodel"), {"from_code": 5, "to_code": "en"}, [], "x",
               dict(good, to_code="ar", package_version=1.9), dict(good, to_code="he", size="big"),
               dict(good, to_code="he", sha256=5), {"type": "sbd", "code": "x"}]
    data = model_files[("fr", "en")].read_bytes()
    with serving(index_handler(entries, data)) as base:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        listed = run("models", "list", "--available")
        assert listed.exit_code == 0, listed.output
        warnings_ = [line for line in listed.stderr.splitlines() if "warning" in line]
        assert len(warnings_) == 1 and "7 of 9 index entries skipped (entry 2: links is \"http://x/m.argosmodel\", not a list" \
            in warnings_[0]
        assert "fr:en" in listed.stdout and "en:ar" not in listed.stdout.replace("fr:en", "")
        assert run("models", "install", "fr:en").exit_code == 0
    assert [p.pair for p in models.installed_packages(packages)] == [("fr", "en")]


def test_a_broken_installed_package_is_skipped_with_a_warning(installed, article_path, run, echo_registered):
    """One package with "links": 5 in its metadata.json made every later `models` command and
    `translate` crash until the folder was removed by hand."""
    broken = next(p for p in installed.iterdir() if "en_he" in p.name)
    meta = json.loads((broken / "metadata.json").read_text())
    meta["links"] = 5
    (broken / "metadata.json").write_text(json.dumps(meta))
    listed = run("models", "list")
    assert listed.exit_code == 0
    assert f"{broken / 'metadata.json'}: links is 5, not a list of http(s) addresses: this package is skipped" in listed.stderr
    assert "fr:en" in listed.stdout and "en:he" not in listed.stdout
    translated = run("translate", article_path, "--to", "en", "--no-cache")
    assert translated.exit_code == 0, translated.output
    (broken / "metadata.json").write_bytes(b"[" * 100_000)  # nested too deeply for json
    assert run("models", "list").exit_code == 0
    assert {p.pair for p in models.installed_packages(installed)} == {("fr", "en"), ("en", "ar")}


def retop(source: Path, target: Path, top: str) -> Path:
    """The same package under another top folder name in the archive."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(top + "/" + info.filename.split("/", 1)[1], old.read(info))
    return target


def test_the_install_folder_comes_from_the_metadata_not_the_archive(packages, model_files, tmp_path):
    """A package using another package's folder name deleted that model; a hidden top folder
    was reported installed and left no model."""
    models.install_file(model_files[("en", "ar")], packages)
    impostor = retop(model_files[("fr", "en")], tmp_path / "x.argosmodel", "translate-en_ar-1_0")
    installed = models.install_file(impostor, packages)
    assert installed.path == packages / "translate-fr_en-1_0"
    assert {p.pair: p.path.name for p in models.installed_packages(packages)} == {
        ("en", "ar"): "translate-en_ar-1_0", ("fr", "en"): "translate-fr_en-1_0"}
    hidden = retop(model_files[("en", "he")], tmp_path / "h.argosmodel", ".hidden")
    assert models.install_file(hidden, packages).path == packages / "translate-en_he-1_0"
    assert ("en", "he") in {p.pair for p in models.installed_packages(packages)}
    assert sorted(p.name for p in packages.iterdir() if p.name.startswith(".")) in ([], [".passeur-install.lock"])


def test_zip_bombs_are_refused_before_unpacking(tmp_path, packages, monkeypatch):
    """A 2.6 MB .argosmodel unpacked to 2.1 GB and was installed: sizes are checked first."""
    bomb = make_zip(tmp_path / "bomb.argosmodel", {"p/metadata.json": b'{"from_code": "fr", "to_code": "en"}',
                                                   "p/sentencepiece.model": b"x", "p/model/model.bin": b""})
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("p/model/weights.bin", b"\0" * (70 << 20))  # 70 MB in 70 KB
    with pytest.raises(ModelError, match=r"refused: it would unpack to 70 MB from \d+ KB .*20 times the archive"):
        models.install_file(bomb, packages)
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1 << 20)
    large = tmp_path / "large.argosmodel"
    with zipfile.ZipFile(large, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("p/metadata.json", b'{"from_code": "fr", "to_code": "en"}')
        archive.writestr("p/model/model.bin", os.urandom(1 << 19).hex())  # 1 MB unpacked, about 600 KB packed
        archive.writestr("p/sentencepiece.model", b"x")
    with pytest.raises(ModelError, match=r"refused: it would unpack to 1.0 MB from \d+ KB \(limit 1.0 MB"):
        models.install_file(large, packages)
    assert no_leftovers(packages)


def test_models_remove_unlinks_a_symlinked_package_and_keeps_its_target(packages, model_files, tmp_path, run):
    models.install_file(model_files[("fr", "en")], packages)
    outside = tmp_path / "elsewhere" / "translate-fr_en-1_0"
    outside.parent.mkdir()
    (packages / "translate-fr_en-1_0").rename(outside)
    (packages / "translate-fr_en-1_0").symlink_to(outside, target_is_directory=True)
    assert [p.pair for p in models.installed_packages(packages)] == [("fr", "en")]
    result = run("models", "remove", "fr:en")
    assert result.exit_code == 0, result.output
    assert not (packages / "translate-fr_en-1_0").is_symlink() and (outside / "metadata.json").is_file()


def test_settings_of_the_wrong_type_are_ignored(tmp_path):
    settings = tmp_path / "c" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": 5, "ARGOS_PACKAGE_INDEX": ["x"]}))
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    assert models.packages_dir(env) == tmp_path / ".local/share/argos-translate/packages"
    assert models.index_url(env) == models.DEFAULT_INDEX + "index.json"


def test_installing_from_a_fifo_is_refused(tmp_path, run):
    pipe = tmp_path / "m.argosmodel"
    os.mkfifo(pipe)
    result = run("models", "install", pipe)
    assert result.exit_code == 2 and f"{pipe}: is not a regular file" in result.output


def test_leftovers_of_a_killed_install_are_removed_by_the_next(packages, model_files):
    """kill -9 during an install left a 1.9 GB staging folder or a .part file behind for good."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    packages.mkdir(parents=True)
    left = [packages / ".passeur-install-99999999-abc", packages / f".passeur-old-{dead_pid}-translate-fr_en-1_0",
            packages / f".passeur-download-{dead_pid}-xyz", packages / ".passeur-install-oldformat"]
    for folder in left:
        folder.mkdir()
        (folder / "model.bin.part").write_bytes(b"\0" * 1000)
    alive = packages / f".passeur-download-{os.getppid()}-live"  # another process still downloading
    alive.mkdir()
    models.install_file(model_files[("fr", "en")], packages)
    assert not any(folder.exists() for folder in left)
    assert alive.is_dir()


SIGTERM_DURING_UNPACKING = """
import os, signal, sys, time, zipfile
from pathlib import Path
from passeur.translate import models
unpack = zipfile.ZipFile.extractall
def extract_then_terminated(self, *args, **kwargs):
    unpack(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)
zipfile.ZipFile.extractall = extract_then_terminated
models.install_file(sys.argv[1], Path(sys.argv[2]))
"""


def test_sigterm_while_unpacking_leaves_no_staging(packages, model_files):
    result = subprocess.run([sys.executable, "-c", SIGTERM_DURING_UNPACKING, str(model_files[("fr", "en")]), str(packages)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr[-2000:]
    assert no_leftovers(packages)


def test_sigterm_while_downloading_leaves_no_part_file(tmp_path, packages, model_files):
    """SIGTERM in the middle of `models install fr:en`: exit 143, no .part and no staging folder,
    neither beside the models nor in the temporary folder."""
    data = model_files[("fr", "en")].read_bytes()
    handler = index_handler([fr_en_entry(model_files)], lambda offset, n: b"\0" * n, length=False, pace=0.05,
                            give_up=60)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with serving(handler) as base:
        env = dict(os.environ, ARGOS_PACKAGE_INDEX=base, ARGOS_PACKAGES_DIR=str(packages), TMPDIR=str(tmp))
        child = subprocess.Popen([sys.executable, "-c", "from passeur.cli import main; main()", "models", "install", "fr:en"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not list(tmp_path.rglob("*.part")):
                time.sleep(0.05)
            assert list(tmp_path.rglob("*.part")), "the download never started"
            time.sleep(0.3)
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == 128 + signal.SIGTERM
    assert not list(tmp_path.rglob("*.part")) and no_leftovers(packages) and not list(tmp.iterdir())
    assert len(data) > 0


def test_concurrent_installs_of_one_model_all_succeed(packages, model_files):
    """Concurrent installs failed with "free some space": they now wait for each other. (A race:
    the old code passed this when the processes happened not to overlap; the message itself is
    checked by test_install_failures_say_what_failed.)"""
    code = "import sys; from pathlib import Path; from passeur.translate import models; " \
           "models.install_file(sys.argv[1], Path(sys.argv[2]), force=True)"
    children = [subprocess.Popen([sys.executable, "-c", code, str(model_files[("fr", "en")]), str(packages)],
                                 stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(child.wait(timeout=120), child.stderr.read()) for child in children]
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert [p.path.name for p in models.installed_packages(packages)] == ["translate-fr_en-1_0"]
    assert {p.name for p in packages.iterdir()} - {".passeur-install.lock"} == {"translate-fr_en-1_0"}


@pytest.mark.parametrize("failure, message", [
    (OSError(28, "No space left on device"), r"the disk is full \(No space left on device\): free some space"),
    (OSError(13, "Permission denied"), "cannot write to .* check its permissions"),
    (OSError(39, "Directory not empty"), r"install failed \(\[Errno 39\] Directory not empty\): nothing was changed"),
])
def test_install_failures_say_what_failed(packages, model_files, monkeypatch, failure, message):
    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(zipfile.ZipFile, "extractall", fail)
    with pytest.raises(ModelError, match=message) as caught:
        models.install_file(model_files[("fr", "en")], packages)
    assert failure.errno == 28 or "free some space" not in str(caught.value)
    assert no_leftovers(packages)


def test_too_little_space_is_said_before_unpacking(packages, model_files, monkeypatch):
    monkeypatch.setattr(models.shutil, "disk_usage", lambda path: shutil_usage(free=100_000))
    with pytest.raises(ModelError, match=r"needs \d+ KB unpacked, .* has 98 KB free: free some space"):
        models.install_file(model_files[("fr", "en")], packages)


def shutil_usage(free):
    import shutil

    return shutil._ntuple_diskusage(total=free * 10, used=free * 9, free=free)


def test_a_fifo_as_argos_settings_does_not_hang(isolated_home, monkeypatch):
    """A FIFO named settings.json (argostranslate's settings, read to find the model folder) made
    every command wait for a writer forever: it counts as absent, like any unreadable settings."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    config = isolated_home / "config" / "argos-translate"
    config.mkdir(parents=True)
    os.mkfifo(config / "settings.json")
    result = subprocess.run([sys.executable, "-c", "from passeur.cli import main; main()", "models", "list"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"no models installed in {isolated_home / 'data' / 'argos-translate' / 'packages'}" in result.stderr
