"""The translation cache: a SQLite file, so that nothing is translated twice.

Keyed by how a sentence is translated (the engine's signature for the pair, which names the
model package, its version and a fingerprint of its files, and the decoding settings that
change output) and by the exact input (after glossary protection). Every batch is stored as
soon as the engine finishes it, so an interrupted run keeps all it did and the next run goes
on from there.

WAL mode and a busy timeout let two passeur processes share one file. A damaged cache file is
set aside (renamed, never deleted) and a new one started. A file that is not a passeur cache
(an article, another application's database, a folder) is never touched. When the cache
cannot be used (locked, read-only, full disk), passeur says so once and goes on without it:
the translations are never lost to a cache failure.

One Cache (and a CachedEngine around it) may be used from any thread: its one connection is
shared, each use under a lock (a server's request threads, a library user's worker thread).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Mapping

from passeur.errors import InputError, warn
from passeur.paths import data_home
from passeur.translate.engine import Engine, EngineWrapper, Progress, avoiding, one_hop

APPLICATION_ID = 0x70737572  # "psur": marks a SQLite file as a passeur cache
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    route TEXT NOT NULL,      -- engine signature and decoding settings, e.g. argos/translate-fr_en-1.9#3b0c1d beam4,int8,len2
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    created REAL NOT NULL
);
"""
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30  # seconds another process may hold the write lock before passeur goes on without the cache


class Unusable(sqlite3.OperationalError):
    """A cache this passeur cannot use as it is (another schema): left alone, the run goes on without it."""


def default_path(environ: Mapping[str, str] = os.environ) -> Path:
    """PASSEUR_CACHE, else $XDG_DATA_HOME/passeur/cache.sqlite (~/.local/share/passeur/cache.sqlite)."""
    if environ.get("PASSEUR_CACHE"):
        return Path(environ["PASSEUR_CACHE"])
    return data_home(environ) / "passeur" / "cache.sqlite"


class Cache:
    """A passeur cache file. Opening refuses what is not one; using it never raises (see `broken`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.broken: str | None = None  # why the cache stopped being used, if it did
        self._lock = threading.RLock()  # one connection, shared by every thread that uses the cache
        self._check_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"{self.path}: cannot create the cache here ({err.strerror}): "
                             "pass --cache PATH or --no-cache") from None
        try:
            self.db = self._open()
        except sqlite3.OperationalError as err:  # locked, read-only, full disk: the file is fine, leave it be
            self.db = None
            self._give_up(err)
        except sqlite3.DatabaseError as err:  # a passeur cache that is damaged: set it aside, start again
            # One process at a time: several runs opening one damaged cache set it aside once, and
            # none sets aside the new cache another has just started.
            with self._exclusive():
                try:
                    self.db = self._open()  # another run set it aside and started a new one meanwhile
                except sqlite3.OperationalError as again:
                    self.db = None
                    self._give_up(again)
                except sqlite3.DatabaseError:
                    aside = self._set_aside()
                    warn(f"{self.path}: the cache was damaged ({err}); set aside as {aside.name}, starting a new one")
                    self.db = self._open()

    def _check_path(self) -> None:
        path = self.path
        if path.exists() and not path.is_file():
            raise InputError(f"{path}: is not a file: give --cache a file path (or --no-cache)")
        if not path.is_file() or path.stat().st_size == 0:
            return
        with open(path, "rb") as file:
            header = file.read(100)
        if not header.startswith(SQLITE_HEADER):
            raise InputError(f"{path}: is not a passeur cache (not a SQLite file): passeur will not overwrite it; "
                             "give --cache another path (or --no-cache)")
        application_id = int.from_bytes(header[68:72], "big")
        if application_id not in (0, APPLICATION_ID):
            raise InputError(f"{path}: is another application's SQLite database, not a passeur cache: "
                             "give --cache another path (or --no-cache)")
        if application_id == 0 and not self._only_passeur_tables():
            raise InputError(f"{path}: is a SQLite database with tables passeur did not make: "
                             "give --cache another path (or --no-cache)")

    def _only_passeur_tables(self) -> bool:
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
            try:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                db.close()
        except sqlite3.DatabaseError:
            return True  # unreadable: a damaged cache, handled when it is opened
        return tables <= {"translations"}

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            # The schema is checked before anything is written: a cache this passeur cannot use stays as it is.
            columns = [row[1] for row in db.execute("PRAGMA table_info(translations)")]
            if columns and columns != ["key", "route", "source", "output", "created"]:
                raise Unusable(f"its translations table has other columns ({', '.join(columns)}): made by another "
                               "version of passeur?")
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def _exclusive(self):
        """An exclusive lock on CACHE.lock beside the cache, across processes (where fcntl exists)."""
        try:
            import fcntl
        except ImportError:  # no fcntl: no other process to wait for that passeur knows of
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in range(1000):
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{os.getpid()}-{attempt}")
            if not aside.exists():
                break
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        return aside

    def _give_up(self, err: Exception) -> None:
        """Stop using the cache for this run, and say so once."""
        if self.broken is None:
            self.broken = str(err)
            warn(f"{self.path}: the translation cache cannot be used ({err}); going on without it "
                 "(nothing already translated is lost; pass --cache PATH or --no-cache to silence this)")
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    @staticmethod
    def key(route: str, source: str) -> str:
        return hashlib.sha256(f"{route}\x1f{source}".encode("utf-8", "surrogatepass")).hexdigest()

    def get_many(self, route: str, sources: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        keys = {self.key(route, s): s for s in sources}
        items = list(keys)
        with self._lock:
            if self.db is None:
                return found
            try:
                for start in range(0, len(items), 500):
                    chunk = items[start:start + 500]
                    rows = self.db.execute(f"SELECT key, output FROM translations WHERE key IN ({','.join('?' * len(chunk))})",
                                           chunk)
                    for key, output in rows:
                        found[keys[key]] = output
            except sqlite3.Error as err:
                self._give_up(err)
        return found

    def put_many(self, route: str, pairs: list[tuple[str, str]]) -> None:
        if not pairs:
            return
        now = time.time()
        rows = [(self.key(route, s), route, s, o, now) for s, o in pairs]
        with self._lock:
            if self.db is None:
                return
            try:
                with self.db:
                    self.db.execute("BEGIN IMMEDIATE")
                    self.db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows)
            except sqlite3.Error as err:
                self._give_up(err)

    def info(self) -> dict:
        with self._lock:
            if self.db is None:
                raise InputError(f"{self.path}: the cache cannot be read ({self.broken})")
            count, routes = self.db.execute("SELECT COUNT(*), COUNT(DISTINCT route) FROM translations").fetchone()
        size = sum(Path(str(self.path) + suffix).stat().st_size for suffix in ("", "-wal")
                   if Path(str(self.path) + suffix).is_file())
        return {"path": str(self.path), "entries": count, "routes": routes, "bytes": size}

    def clear(self) -> int:
        with self._lock:
            if self.db is None:
                raise InputError(f"{self.path}: the cache cannot be cleared ({self.broken})")
            with self.db:
                count = self.db.execute("DELETE FROM translations").rowcount
            self.db.execute("VACUUM")
        return count

    def close(self) -> None:
        with self._lock:
            if self.db is not None:
                self.db.close()
                self.db = None


class CachedEngine(EngineWrapper):
    """Any engine, with its translations looked up in and stored to a Cache as each batch is done."""

    def __init__(self, engine: Engine, cache: Cache):
        super().__init__(engine)
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def route(self, source: str, target: str) -> str:
        """The cache key's first half: the same two parts as the result's signature."""
        return f"{self.engine.signature(source, target)} {self.engine.decoding()}".strip()

    def entry(self, key) -> str:
        """A decode's name in the cache: its input, and what was avoided (another decode, another
        translation), as a hash: thousands of forbidden variants are no row's burden."""
        text, avoided = key
        if not avoided:
            return text
        return f"{text}\x1eavoid:{hashlib.sha256(chr(31).join(avoided).encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"

    def recall(self, source: str, target: str, keys: list) -> dict:
        names = {self.entry(key): key for key in keys}
        found = self.cache.get_many(self.route(source, target), list(names))
        self.hits += len(found)
        self.misses += len(names) - len(found)
        return {names[name]: output for name, output in found.items()}

    def keep(self, source: str, target: str, items: list) -> None:
        self.cache.put_many(self.route(source, target), [(self.entry(key), output) for key, output in items])

    def translate_plan(self, texts, source, hops, progress=None, avoid=None, memo=None, release=True):
        return self.engine.translate_plan(texts, source, hops, progress, avoid, self, release)

    def translate(self, sentences: list[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        return one_hop(self.engine, sentences, source, target, progress, memo=self)

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        return one_hop(self.engine, sentences, source, target, progress, avoiding(sentences, avoid), self)
