"""Argos model packages: where they live, what is installed, installing and removing them.

passeur keeps models exactly where argostranslate does (ARGOS_PACKAGES_DIR, else argos'
settings.json, else $XDG_DATA_HOME/argos-translate/packages), in the same layout (one folder
per package with metadata.json, model/ and sentencepiece.model), so packages installed with
`argospm` are seen by passeur and the other way round.

Two ways in: from the Argos package index (or a newsroom's mirror of it, ARGOS_PACKAGE_INDEX),
or from .argosmodel files copied onto an offline machine. Both go through `install_file`,
which checks the archive before anything is unpacked and swaps the package in atomically:
a failed or interrupted install leaves what was there before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping

from passeur.errors import InputError, ModelError
from passeur.paths import config_home, data_home

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
OFFLINE_HINT = "offline, copy .argosmodel files to this machine and run `passeur models install FILE.argosmodel`"
FULL_HASH_LIMIT = 4 << 20  # files up to this size are hashed whole for the fingerprint
SAMPLES, SAMPLE = 32, 64 << 10  # larger ones: 32 evenly spaced 64 KB samples
DownloadProgress = Callable[[int, "int | None"], None]  # (bytes so far, total bytes or None)


@dataclass(frozen=True)
class ModelPackage:
    """An Argos translation package, installed (path set) or listed in an index (links set)."""

    from_code: str
    to_code: str
    version: str = ""
    path: Path | None = None
    links: tuple[str, ...] = ()
    sha256: str | None = None
    metadata: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.from_code, self.to_code)

    @property
    def name(self) -> str:
        """The argospm name, e.g. translate-fr_en."""
        return f"translate-{self.from_code}_{self.to_code}"

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}" if self.version else self.name

    def fingerprint(self) -> str:
        """A short identity of the installed files: two builds of one name and version differ here."""
        if self.path is None:
            return ""
        files = sorted(p for p in self.path.rglob("*") if p.is_file() and not p.name.startswith("."))
        stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        return _fingerprint(self.path, stamp)


@lru_cache(maxsize=64)
def _fingerprint(root: Path, stamp: tuple) -> str:
    """Names and sizes of every file, small files whole and large ones (the model weights) sampled:
    a few milliseconds for a 300 MB model, and different for any other build of it."""
    digest = hashlib.sha256()
    for name, size, _ in stamp:
        digest.update(f"{Path(name).relative_to(root)}\0{size}\0".encode("utf-8", "surrogateescape"))
        with open(name, "rb") as file:
            if size <= FULL_HASH_LIMIT:
                digest.update(file.read())
                continue
            for k in range(SAMPLES):
                file.seek((size - SAMPLE) * k // (SAMPLES - 1))
                digest.update(file.read(SAMPLE))
    return digest.hexdigest()[:6]


def _argos_settings(environ: Mapping[str, str]) -> dict:
    config = config_home(environ) / "argos-translate" / "settings.json"
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def packages_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where Argos packages are installed, by argostranslate's own rules."""
    if environ.get("ARGOS_PACKAGES_DIR"):
        return Path(environ["ARGOS_PACKAGES_DIR"])
    configured = _argos_settings(environ).get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    return data_home(environ) / "argos-translate" / "packages"


def index_url(environ: Mapping[str, str] = os.environ) -> str:
    """The package index: ARGOS_PACKAGE_INDEX (a base URL, as argostranslate reads it, or a .json URL)."""
    base = environ.get("ARGOS_PACKAGE_INDEX") or _argos_settings(environ).get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def parse_pair(text: str) -> tuple[str, str]:
    source, sep, target = text.strip().partition(":")
    if not sep or not source or not target or ":" in target:
        raise InputError(f"{text!r} is not a language pair: write source:target, e.g. fr:en")
    return source.lower(), target.lower()


def _from_metadata(metadata: dict, path: Path | None = None) -> ModelPackage:
    return ModelPackage(
        from_code=str(metadata.get("from_code", "")),
        to_code=str(metadata.get("to_code", "")),
        version=str(metadata.get("package_version", "")),
        path=path,
        links=tuple(metadata.get("links") or ()),
        sha256=metadata.get("sha256") or metadata.get("checksum") or None,
        metadata=metadata,
    )


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Installed translation packages, the newest version first for each pair."""
    directory = directory or packages_dir()
    found = []
    if not directory.is_dir():
        return found
    for child in sorted(directory.iterdir()):
        meta_path = child / "metadata.json"
        if child.name.startswith(".") or not meta_path.is_file():
            continue
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken folder is not a package; `models list` must still work
        if metadata.get("type", "translate") != "translate" or not metadata.get("from_code"):
            continue
        found.append(_from_metadata(metadata, child))
    found.sort(key=lambda p: (p.pair, _version_key(p.version)), reverse=True)
    return found


def find_installed(pair: tuple[str, str], directory: Path | None = None) -> ModelPackage | None:
    for package in installed_packages(directory):
        if package.pair == pair:
            return package
    return None


def _check_archive(path: Path) -> tuple[str, dict]:
    """Validate an .argosmodel before unpacking; return its top folder and metadata."""
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{name}: not an Argos model (not a zip archive): download it again or check the file")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            tops = set()
            for info in infos:
                member = PurePosixPath(info.filename)
                mode = info.external_attr >> 16
                if member.is_absolute() or ".." in member.parts or "\\" in info.filename or ":" in info.filename:
                    raise ModelError(f"{name}: refused: entry {info.filename!r} would be written outside the package folder")
                if stat.S_ISLNK(mode):
                    raise ModelError(f"{name}: refused: entry {info.filename!r} is a symbolic link")
                tops.add(member.parts[0])
            if len(tops) != 1:
                raise ModelError(f"{name}: not an Argos model: expected one top folder, found {len(tops)}")
            top = tops.pop()
            names = {i.filename.rstrip("/") for i in infos}
            for required in ("metadata.json", "model/model.bin"):
                if f"{top}/{required}" not in names:
                    raise ModelError(f"{name}: not an Argos model: {required} is missing")
            if f"{top}/sentencepiece.model" not in names:
                raise ModelError(f"{name}: no sentencepiece.model: passeur runs SentencePiece packages only (BPE ones are not supported)")
            bad = archive.testzip()
            if bad is not None:
                raise ModelError(f"{name}: corrupt archive ({bad} fails its checksum): download or copy it again")
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise ModelError(f"{name}: metadata.json is not valid JSON") from None
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise ModelError(f"{name}: corrupt or truncated archive ({err}): download or copy it again") from None
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise ModelError(f"{name}: metadata.json has no from_code/to_code")
    return top, metadata


def install_file(path: str | Path, directory: Path | None = None, force: bool = False,
                 expected: ModelPackage | None = None) -> ModelPackage:
    """Install one .argosmodel file; an older package of the same pair is replaced.

    Never a silent downgrade: a package older than the one installed, or an archive whose
    metadata says another version than the index announced (`expected`), is refused unless
    `force`. An archive of another language pair than announced is always refused.
    """
    path = Path(path)
    directory = directory or packages_dir()
    top, metadata = _check_archive(path)
    incoming = _from_metadata(metadata)
    if expected is not None and incoming.pair != expected.pair:
        raise ModelError(f"{path}: the archive holds {incoming.label} ({incoming.from_code}→{incoming.to_code}), "
                         f"not the {expected.label} the index announced: the mirror is wrong; nothing was installed")
    if expected is not None and incoming.version != expected.version and not force:
        raise ModelError(f"{path}: the archive says version {incoming.version or '?'}, the index announced "
                         f"{expected.version or '?'}: nothing was installed (pass --force to install it anyway)")
    current = find_installed(incoming.pair, directory)
    if current is not None and _version_key(incoming.version) < _version_key(current.version) and not force:
        raise ModelError(f"{path}: {incoming.label} is older than the installed {current.label}: not downgraded "
                         "(pass --force to install it anyway)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".passeur-install-", dir=directory))
    except OSError as err:
        raise ModelError(f"{directory}: cannot install models here ({err.strerror}): set ARGOS_PACKAGES_DIR to a writable folder") from None
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(staging)
        replaced = [p for p in installed_packages(directory) if p.pair == (metadata["from_code"], metadata["to_code"])]
        target = directory / top
        aside = None
        if target.exists():
            aside = directory / f".passeur-old-{top}-{os.getpid()}"
            os.replace(target, aside)
        os.replace(staging / top, target)
        if aside:
            shutil.rmtree(aside, ignore_errors=True)
        for old in replaced:
            if old.path and old.path.resolve() != target.resolve():
                shutil.rmtree(old.path, ignore_errors=True)
    except OSError as err:
        raise ModelError(f"{path}: install failed ({err}): free some space or check permissions of {directory}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _from_metadata(metadata, target)


def model_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the .argosmodel files they hold."""
    files: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            found = sorted(item.glob("*.argosmodel"))
            if not found:
                raise InputError(f"{item}: holds no .argosmodel files")
            files += found
        else:
            files.append(item)
    return files


def remove(pair: tuple[str, str], directory: Path | None = None) -> list[ModelPackage]:
    """Remove every installed package of a pair."""
    removed = [p for p in installed_packages(directory) if p.pair == pair]
    if not removed:
        raise InputError(f"no model for {pair[0]}→{pair[1]} is installed: `passeur models list` shows what is")
    for package in removed:
        shutil.rmtree(package.path)
    return removed


def _open(url: str, timeout: float):
    import urllib.error
    import urllib.request

    try:
        return urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as err:
        raise ModelError(f"{url}: the server answered {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise ModelError(f"cannot reach {url} ({reason}): {OFFLINE_HINT}") from None


def fetch_index(url: str | None = None, timeout: float = 30.0) -> list[ModelPackage]:
    """The translation packages an index lists."""
    url = url or index_url()
    with _open(url, timeout) as response:
        raw = response.read()
    try:
        entries = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ModelError(f"{url}: the package index is not valid JSON: check ARGOS_PACKAGE_INDEX") from None
    if not isinstance(entries, list):
        raise ModelError(f"{url}: the package index is not a list of packages: check ARGOS_PACKAGE_INDEX")
    return [_from_metadata(e) for e in entries
            if isinstance(e, dict) and e.get("type", "translate") == "translate" and e.get("from_code")]


def download(package: ModelPackage, destination: Path, progress: DownloadProgress | None = None,
             timeout: float = 60.0) -> Path:
    """Download a package from the first link that answers; verify size and checksum."""
    import http.client

    if not package.links:
        raise ModelError(f"{package.label}: the index gives no download link")
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / f"{package.label}.argosmodel"
    partial = target.with_name(target.name + ".part")
    errors = []
    for link in package.links:
        try:
            response = _open(link, timeout)
        except ModelError as err:
            errors.append(str(err))
            continue
        digest = hashlib.sha256()
        total = response.headers.get("Content-Length")
        total = int(total) if total and total.isdigit() else None
        done = 0
        with response, open(partial, "wb") as out:
            while True:
                try:
                    chunk = response.read(1 << 20)
                except (OSError, http.client.HTTPException) as err:
                    errors.append(f"{link}: download cut after {done} bytes ({err})")
                    break
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        if total is not None and done != total:
            if not errors or not errors[-1].startswith(link):
                errors.append(f"{link}: download cut after {done} of {total} bytes")
            partial.unlink(missing_ok=True)
            continue
        if package.sha256 and digest.hexdigest() != package.sha256.removeprefix("sha256:").lower():
            partial.unlink(missing_ok=True)
            raise ModelError(f"{link}: checksum mismatch (index says {package.sha256}, got sha256:{digest.hexdigest()}): "
                             "the file was damaged in transit or the mirror is stale; try again or use another mirror")
        os.replace(partial, target)
        return target
    raise ModelError(f"{package.label}: download failed: {'; '.join(errors)}: run the command again, or {OFFLINE_HINT}")


def choose(index: list[ModelPackage], pair: tuple[str, str], url: str) -> ModelPackage:
    candidates = [p for p in index if p.pair == pair]
    if not candidates:
        pairs = ", ".join(sorted({f"{a}:{b}" for a, b in (p.pair for p in index)})) or "none"
        raise ModelError(f"the index at {url} has no {pair[0]}:{pair[1]} package (it has: {pairs})")
    return max(candidates, key=lambda p: _version_key(p.version))
