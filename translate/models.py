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

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Mapping

from passeur import stopping
from passeur.errors import InputError, ModelError, warn
from passeur.inputs import read_regular
from passeur.paths import config_home, data_home

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
OFFLINE_HINT = "offline, copy .argosmodel files to this machine and run `passeur models install FILE.argosmodel`"
FULL_HASH_LIMIT = 4 << 20  # files up to this size are hashed whole for the fingerprint
SAMPLES, SAMPLE = 32, 64 << 10  # larger ones: 32 evenly spaced 64 KB samples
DownloadProgress = Callable[[int, "int | None"], None]  # (bytes so far, total bytes or None)

# Limits on what a mirror or an archive may make passeur do (docs/robustness.md). Argos
# models are 50 to 400 MB and their index about 100 KB; each limit is ten times that or more.
MAX_INDEX_BYTES = 16 << 20  # the index: read no more than this
INDEX_DEADLINE = 120.0  # seconds for the whole index download
MAX_MODEL_BYTES = 2 << 30  # a model download when the index declares no size
MAX_DECLARED_BYTES = 4 << 30  # the largest size an index entry may declare
SIZE_MARGIN = 1.25  # with a declared size: at most size × 1.25 + 1 MB is downloaded
DOWNLOAD_DEADLINE = 3600.0  # seconds for one model, all links together; PASSEUR_DOWNLOAD_DEADLINE changes it
STALL_SECONDS, STALL_BYTES = 60.0, 16 << 10  # fewer than 16 KB in 60 s: the transfer has stalled
SOCKET_TIMEOUT = 30.0  # seconds for one connect or read
MAX_UNPACKED_BYTES = 4 << 30  # an archive's total uncompressed size
MAX_RATIO, RATIO_FLOOR = 20, 64 << 20  # above 64 MB unpacked, at most 20 times the archive's size
MAX_ENTRIES = 1_000  # entries in one archive (an Argos package has about 10)
MAX_METADATA_BYTES = 1 << 20  # a metadata.json
LEFTOVER_AGE = 3600.0  # seconds: staging of a process that cannot be checked is removed after this


@dataclass(frozen=True)
class ModelPackage:
    """An Argos translation package, installed (path set) or listed in an index (links set)."""

    from_code: str
    to_code: str
    version: str = ""
    path: Path | None = None
    links: tuple[str, ...] = ()
    sha256: str | None = None
    size: int | None = None  # bytes, when the index declares it
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
        settings = _read_json(config)
    except ValueError:  # absent, not a regular file, too large, not JSON
        return {}
    # Only string values are settings; anything else is as if absent.
    return {k: v for k, v in settings.items() if isinstance(v, str)} if isinstance(settings, dict) else {}


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
        if "/" in text or text.endswith((".argosmodel", ".zip")):
            raise InputError(f"{text}: no such file or folder: give the path of an .argosmodel file, or of a folder "
                             "holding some, or a language pair such as fr:en")
        raise InputError(f"{text!r} is not a language pair: write source:target, e.g. fr:en")
    return source.lower(), target.lower()


_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{1,8}){0,2}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}")
_SHA256 = re.compile(r"(?:sha256:)?[0-9a-fA-F]{64}")
_LINK = re.compile(r"https?://[^\s]{1,2040}", re.IGNORECASE)


class MetadataError(ModelError):
    """A metadata.json or index entry with a missing field or a field of the wrong type."""


def validate_metadata(metadata: object, where: str) -> ModelPackage | None:
    """A ModelPackage from metadata.json or an index entry, every field checked by type and
    form; None for a package that is not a translation package. MetadataError names the field."""
    def bad(message: str):
        raise MetadataError(f"{where}: {message}")

    if not isinstance(metadata, dict):
        bad(f"is a JSON {type(metadata).__name__}, not an object")
    kind = metadata.get("type", "translate")
    if not isinstance(kind, str):
        bad(f"type is {_shown(kind)}, not a string")
    if kind != "translate":
        return None
    codes = []
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            bad(f"{key} is {_shown(value)}, not a language code such as \"fr\"")
        codes.append(value)
    version = metadata.get("package_version", "")
    if not isinstance(version, str) or (version and not _VERSION.fullmatch(version)):
        bad(f"package_version is {_shown(version)}, not a version string such as \"1.9\"")
    links = metadata.get("links", [])
    if links is None:
        links = []
    if not isinstance(links, list) or len(links) > 16 or not all(isinstance(x, str) and _LINK.fullmatch(x) for x in links):
        bad(f"links is {_shown(links)}, not a list of http(s) addresses")
    checksum = metadata.get("sha256", metadata.get("checksum"))
    if checksum is not None and (not isinstance(checksum, str) or not _SHA256.fullmatch(checksum)):
        bad(f"sha256 is {_shown(checksum)}, not 64 hexadecimal digits")
    size = metadata.get("size")
    if size is not None and (type(size) is not int or not 0 < size <= MAX_DECLARED_BYTES):
        bad(f"size is {_shown(size)}, not a number of bytes up to {MAX_DECLARED_BYTES >> 30} GB")
    prefix = metadata.get("target_prefix", "")
    if prefix is not None and not isinstance(prefix, str):
        bad(f"target_prefix is {_shown(prefix)}, not a string")
    return ModelPackage(from_code=codes[0], to_code=codes[1], version=version, links=tuple(links),
                        sha256=checksum or None, size=size, metadata=metadata)


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def _human(size: int) -> str:
    for unit, shift in (("GB", 30), ("MB", 20), ("KB", 10)):
        if size >= 1 << shift:
            value = size / (1 << shift)
            return f"{value:,.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{size} bytes"


def folder_name(package: ModelPackage) -> str:
    """The install folder, from validated metadata only (argospm's naming): translate-fr_en-1_9."""
    return f"{package.name}-{package.version.replace('.', '_')}" if package.version else package.name


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    """A broken package is reported once per process, not at every look at the folder."""
    if message not in _warned:
        _warned.add(message)
        warn(message)


def _read_json(path: Path, limit: int = MAX_METADATA_BYTES):
    """A small JSON file, read as every file passeur is given (a regular file, capped: a FIFO
    named settings.json must not hang every command); ValueError saying why it cannot be used."""
    try:
        raw = read_regular(path, limit, "JSON")
    except InputError as err:
        raise ValueError(str(err).removeprefix(f"{path}: ")) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Installed translation packages, the newest version first for each pair.

    A folder whose metadata.json cannot be read or has a field of the wrong type is skipped
    with a warning naming it: one broken package never stops `models` or `translate`."""
    directory = directory or packages_dir()
    found = []
    try:
        children = sorted(directory.iterdir()) if directory.is_dir() else []
    except OSError as err:
        raise ModelError(f"{directory}: cannot read the model folder ({err.strerror}): check ARGOS_PACKAGES_DIR") from None
    for child in children:
        meta_path = child / "metadata.json"
        if child.name.startswith(".") or not meta_path.is_file():
            continue
        try:
            metadata = _read_json(meta_path)
            package = validate_metadata(metadata, f"{meta_path}")
        except (OSError, ValueError, UnicodeDecodeError) as err:
            _warn_once(f"{meta_path}: cannot be read ({getattr(err, 'strerror', None) or err}): this package is "
                       f"skipped; reinstall it, or remove {child}")
            continue
        except MetadataError as err:
            _warn_once(f"{err}: this package is skipped; reinstall it, or remove {child}")
            continue
        if package is not None:
            found.append(_replace_path(package, child))
    found.sort(key=lambda p: (p.pair, _version_key(p.version)), reverse=True)
    return found


def _replace_path(package: ModelPackage, path: Path) -> ModelPackage:
    from dataclasses import replace

    return replace(package, path=path)


def find_installed(pair: tuple[str, str], directory: Path | None = None) -> ModelPackage | None:
    for package in installed_packages(directory):
        if package.pair == pair:
            return package
    return None


def _check_archive(path: Path) -> tuple[str, ModelPackage, int]:
    """Validate an .argosmodel before unpacking; return its top folder, its package (metadata
    validated) and its total uncompressed size."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: is not a regular file: give an .argosmodel file or a folder of them")
    if info.st_size > MAX_UNPACKED_BYTES:
        raise ModelError(f"{name}: is {_human(info.st_size)}, more than any Argos model "
                         f"(limit {_human(MAX_UNPACKED_BYTES)}): check the file")
    try:
        if not zipfile.is_zipfile(path):
            raise ModelError(f"{name}: not an Argos model (not a zip archive): download it again or check the file")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ModelError(f"{name}: refused: {len(infos):,} entries, an Argos model has a few dozen at most")
            tops, names, total = set(), set(), 0
            for entry in infos:
                member = PurePosixPath(entry.filename)
                mode = entry.external_attr >> 16
                if (member.is_absolute() or ".." in member.parts or "\\" in entry.filename or ":" in entry.filename
                        or not member.parts):
                    raise ModelError(f"{name}: refused: entry {entry.filename!r} would be written outside the package folder")
                if stat.S_ISLNK(mode):
                    raise ModelError(f"{name}: refused: entry {entry.filename!r} is a symbolic link")
                key = entry.filename.rstrip("/")
                if key in names:
                    raise ModelError(f"{name}: refused: entry {entry.filename!r} appears twice")
                names.add(key)
                tops.add(member.parts[0])
                total += entry.file_size
            if total > MAX_UNPACKED_BYTES or (total > RATIO_FLOOR and total > MAX_RATIO * info.st_size):
                raise ModelError(f"{name}: refused: it would unpack to {_human(total)} from {_human(info.st_size)} "
                                 f"(limit {_human(MAX_UNPACKED_BYTES)}, and {MAX_RATIO} times the archive's size): "
                                 "not an Argos model (a zip bomb?)")
            if len(tops) != 1:
                raise ModelError(f"{name}: not an Argos model: expected one top folder, found {len(tops)}")
            top = tops.pop()
            for required in ("metadata.json", "model/model.bin"):
                if f"{top}/{required}" not in names:
                    raise ModelError(f"{name}: not an Argos model: {required} is missing")
            if f"{top}/sentencepiece.model" not in names:
                raise ModelError(f"{name}: no sentencepiece.model: passeur runs SentencePiece packages only (BPE ones are not supported)")
            meta_info = archive.getinfo(f"{top}/metadata.json")
            if meta_info.file_size > MAX_METADATA_BYTES:
                raise ModelError(f"{name}: metadata.json is {_human(meta_info.file_size)}: not an Argos model")
            bad = archive.testzip()
            if bad is not None:
                raise ModelError(f"{name}: corrupt archive ({bad!r} fails its checksum): download or copy it again")
            try:
                metadata = json.loads(archive.read(meta_info).decode("utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise ModelError(f"{name}: metadata.json is not valid JSON") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError, OverflowError) as err:
        raise ModelError(f"{name}: corrupt or truncated archive ({err}): download or copy it again") from None
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise ModelError(f"{name}: metadata.json has no from_code/to_code")
    package = validate_metadata(metadata, f"{name}: metadata.json")
    if package is None:
        raise ModelError(f"{name}: a {metadata.get('type')!r} package, not a translation model")
    return top, package, total


# Staging folders carry the installing process's id, so the next install can tell a leftover
# of a process that died (kill -9, power cut) from the work of one still running.
STAGING_PREFIXES = (".passeur-install-", ".passeur-old-", ".passeur-download-")


_ours: set[str] = set()  # staging folders this process made and still uses


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_leftovers(directory: Path) -> list[Path]:
    """Remove what an install killed outright (kill -9, power cut) left in the model folder.

    Called with the install lock held: no other install can be under way, so every install or
    set-aside folder not of this process is a leftover. A download folder is one when its
    process no longer runs (its id is in the name; a container reuses ids, so this process's
    own id counts as gone unless the folder is one it still uses), or when it is older than
    any download may last."""
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIXES) or entry.path in _ours:
            continue
        parts = entry.name.split("-", 3)  # ".passeur-install-PID-…"
        pid = parts[2] if len(parts) > 2 else ""
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if not entry.name.startswith(".passeur-download-"):
            stale = _LOCKING or age > LEFTOVER_AGE
        elif os.name == "posix" and pid.isdigit():
            stale = int(pid) == os.getpid() or not _pid_alive(int(pid)) or age > DOWNLOAD_DEADLINE * 24
        else:
            stale = age > DOWNLOAD_DEADLINE * 24
        if stale:
            _remove_tree(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def _remove_tree(path: Path) -> None:
    """Remove a folder of ours, never following a symbolic link out of it."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit while installing, so every `finally` runs and no
    staging folder or .part file is left behind (kill -9 leftovers: see remove_leftovers).
    Only in the main thread, and only where the signal's default action would have applied."""
    previous = stopping.install(only_over_default=True)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


try:
    import fcntl  # noqa: F401

    _LOCKING = True
except ImportError:
    _LOCKING = False


@contextmanager
def _install_lock(directory: Path) -> Iterator[None]:
    """One install or removal at a time in a model folder (others wait), so two processes never
    swap the same folder at once."""
    if not _LOCKING:  # not POSIX: no lock
        yield
        return
    import fcntl

    try:
        handle = open(directory / ".passeur-install.lock", "a+b")
    except OSError:
        yield  # a read-only folder: the install itself reports it
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _make_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ModelError(f"{directory}: cannot install models here ({err.strerror}): "
                         "set ARGOS_PACKAGES_DIR to a writable folder") from None


@contextmanager
def download_folder(directory: Path | None = None) -> Iterator[Path]:
    """A hidden folder in the model folder for downloads (same disk as the install), removed on
    any exit, SIGTERM included; a leftover of kill -9 is removed by the next install."""
    directory = directory or packages_dir()
    _make_folder(directory)
    with _signals_raise():
        try:
            folder = Path(tempfile.mkdtemp(prefix=f".passeur-download-{os.getpid()}-", dir=directory))
        except OSError as err:
            raise ModelError(f"{directory}: cannot install models here ({err.strerror}): "
                             "set ARGOS_PACKAGES_DIR to a writable folder") from None
        _ours.add(str(folder))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            _ours.discard(str(folder))


def _os_failure(what: str, err: OSError, directory: Path) -> ModelError:
    """The one-line message for a failed write: free space only when space is what ran out."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ModelError(f"{what}: the disk is full ({err.strerror}): free some space in {directory} and run it again")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ModelError(f"{what}: cannot write to {directory} ({err.strerror}): check its permissions, "
                          "or set ARGOS_PACKAGES_DIR to a writable folder")
    return ModelError(f"{what}: install failed ({err}): nothing was changed; run it again")


def install_file(path: str | Path, directory: Path | None = None, force: bool = False,
                 expected: ModelPackage | None = None) -> ModelPackage:
    """Install one .argosmodel file; an older package of the same pair is replaced.

    Never a silent downgrade: a package older than the one installed, or an archive whose
    metadata says another version than the index announced (`expected`), is refused unless
    `force`. An archive of another language pair than announced is always refused. The
    folder is named from the validated metadata (translate-fr_en-1_9), never from the
    archive's own folder name, so an archive can only ever replace its own pair.
    """
    path = Path(path)
    directory = directory or packages_dir()
    top, incoming, unpacked = _check_archive(path)
    if expected is not None and incoming.pair != expected.pair:
        raise ModelError(f"{path}: the archive holds {incoming.label} ({incoming.from_code}→{incoming.to_code}), "
                         f"not the {expected.label} the index announced: the mirror is wrong; nothing was installed")
    if expected is not None and incoming.version != expected.version and not force:
        raise ModelError(f"{path}: the archive says version {incoming.version or '?'}, the index announced "
                         f"{expected.version or '?'}: nothing was installed (pass --force to install it anyway)")
    _make_folder(directory)
    target = directory / folder_name(incoming)
    with _signals_raise(), _install_lock(directory):
        remove_leftovers(directory)
        current = find_installed(incoming.pair, directory)
        if current is not None and _version_key(incoming.version) < _version_key(current.version) and not force:
            raise ModelError(f"{path}: {incoming.label} is older than the installed {current.label}: not downgraded "
                             "(pass --force to install it anyway)")
        if target.exists() or target.is_symlink():
            occupant = next((p for p in installed_packages(directory) if p.path == target), None)
            if occupant is not None and occupant.pair != incoming.pair:
                raise ModelError(f"{path}: {target} is already there and is not a {incoming.from_code}→{incoming.to_code} "
                                 "package: move it away, then install again")
        try:
            free = shutil.disk_usage(directory).free
        except OSError:
            free = None
        if free is not None and free < unpacked + (16 << 20):
            raise ModelError(f"{path}: needs {_human(unpacked)} unpacked, {directory} has {_human(free)} free: "
                             "free some space, or set ARGOS_PACKAGES_DIR to another disk")
        replaced = [p for p in installed_packages(directory) if p.pair == incoming.pair and p.path != target]
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".passeur-install-{os.getpid()}-", dir=directory))
        except OSError as err:
            raise _os_failure(str(path), err, directory) from None
        _ours.add(str(staging))
        aside = None
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(staging)
            if target.exists() or target.is_symlink():
                aside = directory / f".passeur-old-{os.getpid()}-{target.name}"
                os.replace(target, aside)
            try:
                os.replace(staging / top, target)
            except OSError:
                if aside is not None:
                    os.replace(aside, target)
                    aside = None
                raise
            for old in replaced:
                if old.path is not None:
                    _remove_tree(old.path)
        except OSError as err:
            raise _os_failure(str(path), err, directory) from None
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError) as err:
            raise ModelError(f"{path}: corrupt archive ({err}): download or copy it again; nothing was changed") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            _ours.discard(str(staging))
            if aside is not None:
                _remove_tree(aside)
    return _replace_path(incoming, target)


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
    """Remove every installed package of a pair. A package folder that is a symbolic link is
    unlinked: what it points to, outside the model folder, is never touched."""
    directory = directory or packages_dir()
    removed = [p for p in installed_packages(directory) if p.pair == pair]
    if not removed:
        raise InputError(f"no model for {pair[0]}→{pair[1]} is installed: `passeur models list` shows what is")
    with _signals_raise(), _install_lock(directory):
        for package in removed:
            try:
                if package.path.is_symlink():
                    package.path.unlink()
                else:
                    shutil.rmtree(package.path)
            except OSError as err:
                raise ModelError(f"{package.path}: cannot be removed ({err.strerror}): check its permissions") from None
    return removed


# Downloads: every byte counted against a ceiling, the whole transfer against a deadline.
# urlopen's timeout is per socket operation: a server sending a byte every few seconds would
# never trip it. A watchdog thread shuts the connection's socket when the deadline passes,
# whatever the transfer is doing (connecting, reading headers, reading the body).

class _Refused(Exception):
    """A transfer stopped by a limit: the message says which."""


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return self.at - time.monotonic()

    def watch(self, sock) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock) -> None:
        import socket

        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: safe under TLS, from any thread
        except (OSError, TypeError, ValueError):
            pass

    def cancel(self) -> None:
        self._timer.cancel()


def _opener(deadline: _Deadline):
    import http.client
    import urllib.request

    class Connection(http.client.HTTPConnection):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(SecureConnection, req, context=getattr(self, "_context", None))

    return urllib.request.build_opener(Handler, SecureHandler)


def _open(url: str, timeout: float, deadline: _Deadline):
    import http.client
    import urllib.error

    try:
        return _opener(deadline).open(url, timeout=min(timeout, max(deadline.left(), 0.1)))
    except urllib.error.HTTPError as err:
        raise ModelError(f"{url}: the server answered {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as err:
        if deadline.expired:
            raise ModelError(f"{url}: no answer within {deadline.seconds:.0f} s: {OFFLINE_HINT}") from None
        reason = getattr(err, "reason", err)
        raise ModelError(f"cannot reach {url} ({reason}): {OFFLINE_HINT}") from None


def _content_length(response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.strip().isdigit() and len(value.strip()) < 20 else None


def _transfer(response, out, ceiling: int, deadline: _Deadline, progress: DownloadProgress | None = None,
              digest=None, why: str = "") -> int:
    """Copy a response body to out; _Refused past the ceiling, the deadline, or a stall."""
    import http.client

    total = _content_length(response)
    if total is not None and total > ceiling:
        raise _Refused(f"announces {total:,} bytes, more than the {ceiling:,} allowed")
    read = getattr(response, "read1", None) or response.read  # read1: whatever has come, never waits for more
    done = 0
    window_start, window_done = time.monotonic(), 0
    while True:
        try:
            chunk = read(1 << 16)
        except (OSError, http.client.HTTPException, ValueError) as err:
            if deadline.expired:
                raise _Refused(f"not done within {deadline.seconds:.0f} s ({done:,} bytes received)") from None
            raise _Refused(f"download cut after {done:,} bytes ({err})") from None
        if not chunk:
            if deadline.expired:
                raise _Refused(f"not done within {deadline.seconds:.0f} s ({done:,} bytes received)")
            break
        done += len(chunk)
        if done > ceiling:
            raise _Refused(f"sent more than the {ceiling:,} bytes allowed{why}")
        out.write(chunk)
        if digest is not None:
            digest.update(chunk)
        if progress:
            progress(done, total)
        now = time.monotonic()
        if deadline.expired or now >= deadline.at:
            raise _Refused(f"not done within {deadline.seconds:.0f} s ({done:,} bytes received)")
        if now - window_start >= STALL_SECONDS:
            if done - window_done < STALL_BYTES:
                raise _Refused(f"stalled: {done - window_done:,} bytes in the last {now - window_start:.0f} s")
            window_start, window_done = now, done
    if total is not None and done != total:
        raise _Refused(f"download cut after {done:,} of {total:,} bytes")
    return done


def fetch_index(url: str | None = None, timeout: float = SOCKET_TIMEOUT) -> list[ModelPackage]:
    """The translation packages an index lists; entries that fail validation are skipped with
    one warning. At most MAX_INDEX_BYTES are read, within INDEX_DEADLINE seconds."""
    import io

    url = url or index_url()
    deadline = _Deadline(INDEX_DEADLINE)
    try:
        buffer = io.BytesIO()
        with _open(url, timeout, deadline) as response:
            try:
                _transfer(response, buffer, MAX_INDEX_BYTES, deadline)
            except _Refused as err:
                raise ModelError(f"{url}: the package index {err} (the index may be at most "
                                 f"{MAX_INDEX_BYTES >> 20} MB): check ARGOS_PACKAGE_INDEX") from None
    finally:
        deadline.cancel()
    try:
        entries = json.loads(buffer.getvalue().decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ModelError(f"{url}: the package index is not valid JSON: check ARGOS_PACKAGE_INDEX") from None
    if not isinstance(entries, list):
        raise ModelError(f"{url}: the package index is not a list of packages: check ARGOS_PACKAGE_INDEX")
    packages, skipped = [], []
    for number, entry in enumerate(entries, 1):
        try:
            package = validate_metadata(entry, f"entry {number}")
        except MetadataError as err:
            skipped.append(str(err))
            continue
        if package is not None:
            packages.append(package)
    if skipped:
        warn(f"{url}: {len(skipped)} of {len(entries)} index entries skipped ({skipped[0]}"
             f"{'; …' if len(skipped) > 1 else ''}): the mirror's index needs fixing")
    return packages


def download_deadline(environ: Mapping[str, str] = os.environ) -> float:
    """DOWNLOAD_DEADLINE, or PASSEUR_DOWNLOAD_DEADLINE seconds (for a very slow link)."""
    value = environ.get("PASSEUR_DOWNLOAD_DEADLINE")
    if not value:
        return DOWNLOAD_DEADLINE
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 10 <= seconds <= 7 * 86400:
        raise InputError(f"PASSEUR_DOWNLOAD_DEADLINE={value!r}: give seconds from 10 to 604800")
    return seconds


def download_ceiling(package: ModelPackage) -> int:
    """The most bytes a download of this package may bring: its declared size and a margin, or
    MAX_MODEL_BYTES when the index declares none."""
    if package.size:
        return int(package.size * SIZE_MARGIN) + (1 << 20)
    return MAX_MODEL_BYTES


def download(package: ModelPackage, destination: Path, progress: DownloadProgress | None = None,
             timeout: float = SOCKET_TIMEOUT, deadline: float | None = None) -> Path:
    """Download a package from the first link that answers; verify size and checksum.

    The whole download (every link tried) must end within `deadline` seconds
    (download_deadline()), bring at most download_ceiling() bytes, and never stall."""
    if not package.links:
        raise ModelError(f"{package.label}: the index gives no download link")
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _os_failure(str(destination), err, destination) from None
    target = destination / f"{package.label}.argosmodel"
    partial = target.with_name(target.name + ".part")
    ceiling = download_ceiling(package)
    watchdog = _Deadline(deadline if deadline is not None else download_deadline())
    errors = []
    try:
        for link in package.links:
            if watchdog.expired:
                errors.append(f"{link}: not tried, the {watchdog.seconds:.0f} s deadline had passed")
                continue
            try:
                response = _open(link, timeout, watchdog)
            except ModelError as err:
                errors.append(str(err))
                continue
            digest = hashlib.sha256()
            try:
                with response, open(partial, "wb") as out:
                    _transfer(response, out, ceiling, watchdog, progress, digest,
                              " (the index's declared size plus 25 %)" if package.size else "")
            except _Refused as err:
                errors.append(f"{link}: {err}")
                partial.unlink(missing_ok=True)
                continue
            except OSError as err:
                partial.unlink(missing_ok=True)
                raise _os_failure(link, err, destination) from None
            if package.sha256 and digest.hexdigest() != package.sha256.removeprefix("sha256:").lower():
                partial.unlink(missing_ok=True)
                raise ModelError(f"{link}: checksum mismatch (index says {package.sha256}, got sha256:{digest.hexdigest()}): "
                                 "the file was damaged in transit or the mirror is stale; try again or use another mirror")
            os.replace(partial, target)
            return target
    finally:
        watchdog.cancel()
        partial.unlink(missing_ok=True)
    raise ModelError(f"{package.label}: download failed: {'; '.join(errors)}: run the command again, or {OFFLINE_HINT}")


def choose(index: list[ModelPackage], pair: tuple[str, str], url: str) -> ModelPackage:
    candidates = [p for p in index if p.pair == pair]
    if not candidates:
        pairs = ", ".join(sorted({f"{a}:{b}" for a, b in (p.pair for p in index)})) or "none"
        raise ModelError(f"the index at {url} has no {pair[0]}:{pair[1]} package (it has: {pairs})")
    return max(candidates, key=lambda p: _version_key(p.version))
