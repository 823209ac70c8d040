"""A folder run on a Dask cluster: the same job, split by article, resumable, with the same outputs.

Each article goes through the same library call as a local run (`passeur.api.translate`,
`summarize` or `brief`, then `passeur.api.render`), on whichever worker Dask gives it; the job
(settings, glossary, the calls themselves) travels once to every worker. Each worker opens the
engine once and keeps its models loaded for every article it is given. This machine writes each
output atomically as its article comes back and notes it in a manifest beside the outputs,
keyed by the article's content hash and the run's signature: a rerun after a crash, a lost
worker or Ctrl-C does only what is missing. Dask replaces a worker that dies and gives its
articles to another; an article that fails three times is reported, and the others go on.

Only `passeur ... --on dask://HOST:PORT` imports this module, and with it Dask.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from passeur import __version__
from passeur.article import Article
from passeur.errors import InputError, PasseurError
from passeur.outputs import write_atomic
from passeur.result import ArticleResult
from passeur.translate.engine import EngineConfig

try:
    from distributed import Client, WorkerPlugin, as_completed, get_worker
except ImportError:  # pragma: no cover - the message says how to get it
    raise InputError("--on needs Dask: install it with `pip install 'passeur[dask]'` "
                     "(or `pip install --no-deps -r requirements-dask.lock`)") from None

SCHEMES = ("dask://", "tcp://")
TRIES = 3  # an article is tried this often before it is reported as failed
MANIFEST = ".passeur-manifest.jsonl"
PLUGIN = "passeur-engines"
WINDOW = 512  # articles handed to the scheduler at once: a 100,000-article archive is not all in its memory


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to do one article as a local run does: the library call
    (`run`: passeur.api.translate, summarize or brief), its settings, and how the output is
    rendered (`render`: passeur.api.render). A brief keeps each article's result (JSON) and
    renders the briefing here at the end."""

    command: str
    run: Callable
    render: Callable
    open_engine: Callable
    targets: tuple[str, ...]
    source: str = "fr"
    engine: str = "argos"
    config: EngineConfig = field(default_factory=EngineConfig)
    cache: str | bool = True  # True: each worker's own default cache; a path; False: none
    glossary: Any = None  # a Glossary, loaded here, or None
    request: Any = None  # a SummaryRequest for summarize and brief
    style: str | None = None  # None: what `passeur models calibrate` chose, resolved on a worker once
    fmt: str = "json"
    parts: frozenset = frozenset()
    title: str | None = None

    @property
    def keeps_results(self) -> bool:
        return self.command == "brief"


@dataclass
class Report:
    """What a cluster run did: articles done now, found done by an earlier run, and failed."""

    total: int
    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article name, why)
    written: list[Path] = field(default_factory=list)


class Progress:
    """Called as articles finish; the command line draws it."""

    def start(self, total: int, skipped: int) -> None:
        """`total` articles in the run, of which `skipped` were done by an earlier run."""

    def update(self, done: int, failed: int) -> None:
        """`done` articles finished so far in this run, `failed` given up on."""


# --- on each worker ---------------------------------------------------------------------------

class Engines(WorkerPlugin):
    """Held by each worker: the engines it has opened (one per engine and settings), kept for
    every article it is given; one article at a time goes through them."""

    name = PLUGIN

    def setup(self, worker):
        self.engines: dict[tuple, Any] = {}
        self.lock = threading.Lock()
        undo_fixed_trim_threshold()

    def teardown(self, worker):
        self.engines.clear()

    def engine(self, job: Job):
        key = (job.engine, job.config, job.cache)
        if key not in self.engines:
            self.engines[key] = Held(job.open_engine(job.engine, job.config, job.cache))
        return self.engines[key]


class Held:
    """An engine whose models stay loaded: a local run releases each model when its pair is done for
    the whole folder; on a worker the next article needs it again at once."""

    def __init__(self, engine):
        self.engine = engine
        self.config = engine.config
        self.name = engine.name

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def release(self, source: str, target: str) -> None:
        pass


def undo_fixed_trim_threshold() -> None:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also freezes glibc's
    mmap threshold at 128 KiB: every beam-search step then maps and unmaps its key/value caches
    afresh, and the heap is trimmed at nearly every free. Both thresholds are set to the highest
    glibc's own adjustment reaches (32 MiB and 64 MiB on 64-bit). Measured on tiny models, 5
    articles: a worker took 4.0 s, a plain process 3.8 to 4.3 s; with the mmap threshold alone
    5.5 to 6.4 s; untouched, 20 to 24 s."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or not os.uname().sysname == "Linux":
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 * 1024 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc


def _plugin() -> Engines:
    return get_worker().plugins[PLUGIN]


def describe(job: Job) -> tuple[str, str]:
    """On a worker: (the placeholder style the run uses, how each pair is translated there). Fails
    here, once, when a worker lacks a model the run needs."""
    from passeur.calibration import chosen_style
    from passeur.pipeline import PIVOT, plan_hops, route

    holder = _plugin()
    with holder.lock:
        engine = holder.engine(job)
        routes = {target: route(engine, job.source, target, PIVOT) for target in job.targets}
        style = job.style or chosen_style(engine, list(job.targets), job.source)
        hops = [f"{a}>{b}:{engine.signature(a, b)}" for a, b in plan_hops(routes)]
        return style, "|".join(hops + [engine.decoding()])


def work(job: Job, article: Article) -> str:
    """On a worker: one article through the library call of a local run; its output text (for a
    brief, its result as JSON)."""
    holder = _plugin()
    with holder.lock:
        options = {"request": job.request} if job.request is not None else {}
        [result] = job.run([article], list(job.targets), holder.engine(job), job.glossary, style=job.style, **options)
    if job.keeps_results:
        return json.dumps(result.to_dict(), ensure_ascii=False)
    return job.render([result], job.fmt, job.parts, job.title)


# --- on this machine -------------------------------------------------------------------------

def scheduler_address(address: str) -> str:
    """dask://HOST:PORT (or tcp://HOST:PORT) as Dask's tcp:// address."""
    for scheme in SCHEMES:
        if address.startswith(scheme) and address[len(scheme):]:
            return "tcp://" + address[len(scheme):]
    if address.startswith("ray://"):
        raise InputError(f"--on {address}: passeur runs on Dask, not Ray: start `dask scheduler` and "
                         "`dask worker tcp://HOST:8786`, then give --on dask://HOST:8786")
    raise InputError(f"--on {address}: give the Dask scheduler as dask://HOST:PORT, e.g. --on dask://10.0.0.5:8786")


def article_hash(article: Article) -> str:
    """The content hash of an article as the run sees it (its path is part of its output)."""
    data = [article.name, article.stem, article.lang, [(s.text, s.paragraph, s.kind) for s in article.segments]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def run_signature(job: Job, engines: str) -> str:
    """The run's signature: every setting that changes an output, and how each pair is translated."""
    request = job.request
    data = {"command": job.command, "targets": job.targets, "source": job.source, "fmt": job.fmt,
            "parts": sorted(job.parts), "title": job.title, "engines": engines, "style": job.style,
            "decoding": job.config.signature(), "glossary": job.glossary.ident if job.glossary is not None else "",
            "summary": ([request.algorithm, request.sentences, request.ratio, request.words]
                        if request is not None else None),
            "version": __version__}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()


class Manifest:
    """One line per article done (JSON: run, article, output, sha256 of the output or the result),
    appended as each one is written; a line cut short by a crash is ignored."""

    def __init__(self, path: Path, run: str):
        self.path = path
        self.run = run
        self.entries: dict[str, dict] = {}
        try:
            lines = path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: cannot be read ({err}): remove it to start the run again") from None
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("run") == run and isinstance(entry.get("article"), str):
                self.entries[entry["article"]] = entry

    def done(self, key: str, output: Path | None) -> dict | None:
        """The entry of an article this run did already, when its output is still as written."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        if output is not None:
            try:
                if hashlib.sha256(output.read_bytes()).hexdigest() != entry.get("sha256"):
                    return None
            except OSError:
                return None
        return entry

    def add(self, key: str, output: Path | None, text: str) -> None:
        entry = {"run": self.run, "article": key,
                 "output": os.path.relpath(output, self.path.parent) if output else None,
                 "sha256": hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()}
        if output is None:
            entry["result"] = text
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self.entries[key] = entry


def run(address: str, job: Job, articles: list[Article], paths: list[Path], progress: Progress | None = None,
        client: Any = None) -> Report:
    """Run the job on the Dask cluster at `address`, one task per article, writing each article's
    output to its path (for a brief: the briefing, one file per format, written at the end).

    `paths`: one per article, or for a brief one per format (named briefing.FORMAT)."""
    progress = progress or Progress()
    if not paths:
        raise InputError("--on writes files: give -o FOLDER")
    folder = Path(os.path.commonpath([str(Path(p).parent) for p in paths]))
    own = client is None
    client = client or _connect(address)
    try:
        client.register_plugin(Engines(), name=PLUGIN)
        shared = client.scatter(job, broadcast=True, hash=False)
        style, engines = client.submit(describe, shared, pure=False).result()
        job = replace(job, style=style)
        shared = client.scatter(job, broadcast=True, hash=False)
        manifest = Manifest(folder / MANIFEST, run_signature(job, engines))
        return _run(client, shared, job, articles, paths, manifest, progress)
    finally:
        if own:
            client.close()


def _connect(address: str):
    scheduler = scheduler_address(address)
    try:
        return Client(scheduler, timeout="30s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise InputError(f"--on {address}: no Dask scheduler answers at {scheduler} ({err}): start one with "
                         "`dask scheduler` and workers with `dask worker " + scheduler + "`") from None


def _run(client, shared, job: Job, articles, paths, manifest: Manifest, progress: Progress) -> Report:
    outputs = [None] * len(articles) if job.keeps_results else [Path(p) for p in paths]
    keys = [article_hash(a) for a in articles]
    report = Report(len(articles))
    results: dict[int, str] = {}
    todo = []
    for i, (key, output) in enumerate(zip(keys, outputs)):
        entry = manifest.done(key, output)
        if entry is None:
            todo.append(i)
        elif job.keeps_results:
            results[i] = entry["result"]
    report.skipped = len(articles) - len(todo)
    progress.start(len(articles), report.skipped)
    waiting = iter(todo)
    token = uuid.uuid4().hex[:8]  # this run's tasks: a rerun on the same cluster never meets a key it cancelled
    running: dict[Any, int] = {}
    tasks = as_completed(loop=client.loop)

    def submit(count: int) -> None:
        for i in [i for _, i in zip(range(count), waiting)]:
            future = client.submit(work, shared, articles[i], key=f"passeur-{keys[i][:16]}-{token}", retries=TRIES - 1,
                                   pure=False)
            running[future] = i
            tasks.add(future)

    try:
        submit(WINDOW)
        for future in tasks:
            i = running.pop(future)
            if future.status == "error":
                report.failed.append((articles[i].name, _why(future.exception())))
            else:
                text = future.result()
                if job.keeps_results:
                    results[i] = text
                else:
                    write_atomic(outputs[i], text)
                    report.written.append(outputs[i])
                manifest.add(keys[i], outputs[i], text)
                report.done += 1
            future.release()
            progress.update(report.done, len(report.failed))
            submit(1)
    except BaseException:
        client.cancel(list(running))
        raise
    if job.keeps_results and not report.failed:
        done = [ArticleResult.from_dict(json.loads(results[i])) for i in range(len(articles))]
        for path in paths:
            fmt = Path(path).suffix.lstrip(".")
            write_atomic(Path(path), job.render(done, fmt, job.parts, job.title))
            report.written.append(Path(path))
    return report


def _why(error: BaseException | None) -> str:
    if isinstance(error, PasseurError):
        return str(error)
    name = type(error).__name__
    if name == "KilledWorker":
        return "its worker died each time it was given it (the scheduler's allowed-failures)"
    return f"{name}: {error}"
