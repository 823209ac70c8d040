"""Where outputs go, and writing them atomically without ever touching a file passeur reads or owns."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from passeur.errors import InputError, warn


def check_outputs(outputs: Iterable[Path], owned: Iterable[tuple[Path, str]]) -> None:
    """Refuse any output that is (or is inside) a file passeur reads or owns: an input, the
    glossary, the cache and its journal files, the model folder. `owned` gives (path, what).

    Linear in outputs + owned: each path is resolved and stat'ed once (a hard link or a
    symbolic link to an input is caught by its device and inode).
    """
    by_path: dict[Path, str] = {}
    by_inode: dict[tuple[int, int], str] = {}
    folders: list[tuple[Path, str]] = []
    for path, what in owned:
        resolved = path.resolve()
        by_path.setdefault(resolved, what)
        try:
            info = path.stat()
        except OSError:
            continue
        by_inode.setdefault((info.st_dev, info.st_ino), what)
        if stat.S_ISDIR(info.st_mode):
            folders.append((resolved, what))
    for output in outputs:
        resolved = Path(output).resolve()
        what = by_path.get(resolved)
        if what is None:
            try:
                info = resolved.stat()
                what = by_inode.get((info.st_dev, info.st_ino))
            except OSError:
                pass
        for folder, name in folders if what is None else ():
            if resolved.is_relative_to(folder):
                what = name
                break
        if what is None:
            what = _special(resolved)
        if what:
            raise InputError(f"{output}: is {what}: passeur never writes over it; choose another output with -o")


def _special(path: Path) -> str | None:
    """What an existing output that is neither a regular file, a character device nor a FIFO is."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISDIR(mode):
        return None
    return "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "a special file"


def owned_paths(inputs: Iterable[str] = (), glossary: str | Path | None = None, cache: Path | None = None,
                models: Path | None = None, own: Iterable[tuple[Path, str]] = ()) -> list[tuple[Path, str]]:
    """The files a run reads or owns, each with what it is (for the message); `own` adds passeur's
    own files and folders (its code and data, the calibration file)."""
    owned = [(Path(name), "one of the inputs") for name in inputs if name != "-"] + list(own)
    if glossary:
        owned.append((Path(glossary), "the glossary"))
    if cache:
        owned += [(Path(str(cache) + suffix), "the translation cache") for suffix in ("", "-wal", "-shm", "-journal")]
    if models:
        owned.append((Path(models), "the model folder"))
    return owned


def plan_outputs(stems: list[str], fmt: str, output: str | None, folders: Iterable[Path] = ()) -> list[Path] | None:
    """One output per article: None for standard output, the file given for a single article,
    or FOLDER/STEM.FMT for each when the output is a folder, several articles, or articles read
    from input folders (whose -o is a folder even on a day with one article). An output inside
    an input folder is refused: the next run would read its outputs as articles."""
    if output is None:
        return None
    out = Path(output)
    folders = list(folders)
    for folder in folders:
        if out.resolve() == folder.resolve() or folder.resolve() in out.resolve().parents:
            raise InputError(f"{out}: is inside the input folder {folder}: the next run would read its outputs as "
                             "articles: choose an output outside it with -o")
    if len(stems) == 1 and not folders and not out.is_dir() and not output.endswith(("/", os.sep)):
        if not out.parent.exists():
            warn(f"{out.parent}: no such folder: passeur creates it for {out.name}")
        return [out]
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file, and {len(stems)} articles need a folder: give -o a folder")
    if not out.exists() and out.suffix and not output.endswith(("/", os.sep)):
        # "-o both.md" for two articles would make a folder named like a file: ask what is meant.
        raise InputError(f"{out}: {len(stems)} articles are written one file each, into a folder: give -o a folder "
                         f"(e.g. -o {out.with_suffix('')}/), or one article")
    if not out.exists():
        warn(f"{out}: no such folder: passeur creates it for the {len(stems)} outputs")
    return [out / f"{stem}.{fmt}" for stem in stems]


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (or a document's bytes) through a temporary file and a rename: readers see the old
    file or the new, never half of one. An existing file keeps its permissions. A character device (/dev/null, a
    terminal) or a FIFO is written into, never replaced; anything else that is not a regular
    file is refused."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        try:
            with _open(path, text) as out:
                out.write(text)
        except OSError as err:
            raise InputError(f"{path}: could not be written ({err.strerror}): choose another output with -o") from None
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(f"{path}: is {'a folder' if stat.S_ISDIR(mode) else 'not a regular file'}: "
                         "choose another output with -o")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as err:
        raise InputError(f"{path}: cannot write here ({err.strerror}): choose another output with -o") from None
    try:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp makes 0600; a new output is an ordinary file
        os.chmod(temp, mode)
        with _open(fd, text) as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: could not be written ({err.strerror}): free some space or choose another output with -o") from None
    except BaseException:  # Ctrl-C while writing: no half-written temporary file is left behind
        Path(temp).unlink(missing_ok=True)
        raise
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _open(target, data: str | bytes):
    if isinstance(data, bytes):
        return open(target, "wb")
    return open(target, "w", encoding="utf-8", newline="\n", errors="surrogateescape")
