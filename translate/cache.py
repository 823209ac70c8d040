"""The translation cache: a SQLite file, so that nothing is translated twice.

Keyed by how a sentence is translated (engine signature for the pair, which names the model
package and version, and the decoding settings that change output) and by the exact input
(after glossary protection). Re-running an article, or a batch after an interruption, only
translates what is new: `CachedEngine` stores each chunk as soon as it is translated.

WAL mode and a busy timeout let two passeur processes share one file. A file that is not a
readable SQLite database is set aside (renamed, never deleted) and a new one started; the
caller is told through `Cache.notices`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Mapping

from translate.engine import Engine, Progress
from translate.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    route TEXT NOT NULL,      -- engine signature and settings, e.g. argos/translate-fr_en-1.9 beam4 int8
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    created REAL NOT NULL
);
"""
CHUNK = 128  # sentences translated and stored at a time: the most an interruption can lose


def default_path(environ: Mapping[str, str] = os.environ) -> Path:
    """PASSEUR_CACHE, else $XDG_DATA_HOME/passeur/cache.sqlite (~/.local/share/passeur/cache.sqlite)."""
    if environ.get("PASSEUR_CACHE"):
        return Path(environ["PASSEUR_CACHE"])
    home = Path(environ.get("HOME", Path.home()))
    return Path(environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "passeur" / "cache.sqlite"


class Cache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.notices: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"{self.path}: cannot create the cache here ({err.strerror}): pass --cache PATH or --no-cache") from None
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as err:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.notices.append(f"{self.path}: the cache was unreadable ({err}); set aside as {aside.name}, starting a new one")
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            db.executescript(SCHEMA)
        except sqlite3.OperationalError as err:
            db.close()
            if "locked" in str(err) or "readonly" in str(err):
                raise InputError(f"{self.path}: the cache cannot be used ({err}): pass --cache PATH or --no-cache") from None
            raise sqlite3.DatabaseError(str(err)) from None
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @staticmethod
    def key(route: str, source: str) -> str:
        return hashlib.sha256(f"{route}\x1f{source}".encode("utf-8")).hexdigest()

    def get_many(self, route: str, sources: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        keys = {self.key(route, s): s for s in sources}
        items = list(keys)
        for start in range(0, len(items), 500):
            chunk = items[start:start + 500]
            rows = self.db.execute(f"SELECT key, output FROM translations WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, output in rows:
                found[keys[key]] = output
        return found

    def put_many(self, route: str, pairs: list[tuple[str, str]]) -> None:
        now = time.time()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)",
                                [(self.key(route, s), route, s, o, now) for s, o in pairs])

    def info(self) -> dict:
        count, routes = self.db.execute("SELECT COUNT(*), COUNT(DISTINCT route) FROM translations").fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file()
                   and ".corrupt-" not in p.name)
        return {"path": str(self.path), "entries": count, "routes": routes, "bytes": size}

    def clear(self) -> int:
        with self.db:
            count = self.db.execute("DELETE FROM translations").rowcount
        self.db.execute("VACUUM")
        return count

    def close(self) -> None:
        self.db.close()


class CachedEngine(Engine):
    """Any engine, with its translations looked up in and stored to a Cache."""

    def __init__(self, engine: Engine, cache: Cache, settings: str = ""):
        self.engine = engine
        self.cache = cache
        self.settings = settings
        self.name = engine.name
        self.hits = 0
        self.misses = 0

    def pairs(self):
        return self.engine.pairs()

    def signature(self, source: str, target: str) -> str:
        return self.engine.signature(source, target)

    def release(self, source: str, target: str) -> None:
        self.engine.release(source, target)

    def translate(self, sentences: list[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        route = f"{self.engine.signature(source, target)} {self.settings}".strip()
        known = self.cache.get_many(route, sentences)
        todo = list(dict.fromkeys(s for s in sentences if s not in known))
        self.hits += len(sentences) - len(todo)
        self.misses += len(todo)
        if progress and len(sentences) > len(todo):
            progress(len(sentences) - len(todo))
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            outputs = self.engine.translate(chunk, source, target, progress)
            self.cache.put_many(route, list(zip(chunk, outputs)))
            known.update(zip(chunk, outputs))
        return [known[s] for s in sentences]
