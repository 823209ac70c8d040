"""Writing outputs atomically, without ever touching an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from translate.errors import InputError


def write_atomic(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> None:
    """Write text to path through a temporary file and a rename: readers see old or new, never half."""
    path = Path(path)
    for source in inputs:
        if source.exists() and path.exists() and source.resolve() == path.resolve():
            raise InputError(f"{path}: is one of the inputs: choose another output with -o")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as err:
        raise InputError(f"{path}: cannot write here ({err.strerror}): choose another output with -o") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; an output is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: could not be written ({err.strerror}): free some space or choose another output with -o") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
