"""Reading the files passeur is given: regular files only, with a size cap, one-line errors.

A FIFO would make a read wait forever and /dev/zero would fill the memory, so anything but a
regular file is refused before a byte is read (it is opened non-blocking and checked with
fstat), and a file is read in chunks up to its limit.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO

from passeur.errors import InputError


def mb(size: int) -> str:
    value = size / (1 << 20)
    return f"{value:,.0f} MB" if value >= 10 else f"{value:.1f} MB"


def too_big(name: str, size: int | None, limit: int, what: str) -> str:
    found = f"is {mb(size)}" if size is not None else f"is over {mb(limit)}"
    hint = "split it into articles, or check" if what == "article" else "check"
    return f"{name}: {found}: passeur reads {what}s of up to {mb(limit)}; {hint} that it is the file you meant"


def read_regular(path, limit: int, what: str = "file", name: str | None = None, fix: str | None = None) -> bytes:
    """The bytes of a regular file, at most `limit`. `what` names it in messages ("article"), `fix`
    says what to give instead (default: "a {what} file")."""
    fix = fix or f"a {what} file"
    name = name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: opening a FIFO does not wait for a writer
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder: give {fix}") from None
    except ValueError:  # a NUL in the name
        raise InputError(f"{name!r}: no such file") from None
    except OSError as err:
        try:
            socket = stat.S_ISSOCK(os.stat(path).st_mode)
        except OSError:
            socket = False
        if socket:
            raise InputError(f"{name}: is a socket, not a regular file: give {fix}") from None
        raise InputError(f"{name}: cannot be read ({err.strerror}): give {fix}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a folder: give {fix}")
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode)
                    or stat.S_ISBLK(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a special file")
            raise InputError(f"{name}: is {kind}, not a regular file: give {fix}")
        if info.st_size > limit:
            raise InputError(too_big(name, info.st_size, limit, what))
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as file:
            fd = -1
            return read_capped(file, name, limit, what)
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror})") from None
    finally:
        if fd >= 0:
            os.close(fd)


def read_stream(stream: BinaryIO | None, name: str, limit: int, what: str) -> bytes:
    """Standard input (or another stream), at most `limit`: `cat /dev/zero |` stops there."""
    stream = stream if stream is not None else sys.stdin.buffer
    try:
        return read_capped(stream, name, limit, what)
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror})") from None


def read_capped(stream: BinaryIO, name: str, limit: int, what: str) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputError(too_big(name, None, limit, what))
