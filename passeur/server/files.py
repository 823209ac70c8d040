"""Translated files waiting to be downloaded (/translate_file, then /download_file/NAME).

Each file is stored under a random name (a UUID, then the uploaded file's name made safe) in a
folder of the server's own, removed when the server stops. A file is kept for `keep` seconds
(LibreTranslate keeps them 30 minutes), and the folder holds at most `max_files` files and
`max_bytes` bytes: the oldest go first. A name that is not one the server made is never opened,
so no request can reach another path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
import unicodedata
import uuid
from pathlib import Path

NAME = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str) -> str:
    """A file name made of ASCII letters, digits, '.', '_' and '-' (werkzeug's secure_filename rule),
    its suffix kept; 'file' + suffix when nothing is left."""
    name = Path(str(filename).replace("\\", "/")).name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("", "_".join(ascii_name.split())).strip("._")
    suffix = Path(name).suffix.lower()
    if not cleaned or not cleaned.lower().endswith(suffix):
        cleaned = "file" + suffix
    return cleaned[-150:].lstrip("._-") or "file" + suffix


class FileStore:
    def __init__(self, keep: float = 1800.0, max_files: int = 500, max_bytes: int = 256 << 20):
        self.keep = keep
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.folder = Path(tempfile.mkdtemp(prefix="passeur-serve-files-"))
        self._files: dict[str, tuple[float, int]] = {}  # name -> (stored at, size)
        self._lock = threading.Lock()

    def put(self, filename: str, data: bytes) -> str:
        """Store a translated file; its name for /download_file."""
        name = f"{uuid.uuid4().hex}.{safe_name(filename)}"
        with self._lock:
            self._expire(extra=len(data))
            (self.folder / name).write_bytes(data)
            self._files[name] = (time.monotonic(), len(data))
        return name

    def get(self, name: str) -> tuple[bytes, str] | None:
        """(the file's bytes, the name to download it as), or None for a name the server does not hold."""
        if not NAME.fullmatch(name):
            return None
        with self._lock:
            self._expire()
            if name not in self._files:
                return None
            data = (self.folder / name).read_bytes()
        return data, name.split(".", 1)[1]

    def _expire(self, extra: int = 0) -> None:
        now = time.monotonic()
        oldest_first = sorted(self._files.items(), key=lambda item: item[1][0])
        total = sum(size for _, (_, size) in oldest_first) + extra
        count = len(oldest_first) + (1 if extra else 0)
        for name, (stored, size) in oldest_first:
            if now - stored < self.keep and count <= self.max_files and total <= self.max_bytes:
                break
            (self.folder / name).unlink(missing_ok=True)
            del self._files[name]
            total -= size
            count -= 1

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
