"""One engine shared by many threads: their sentences queue up and are decoded together.

A server translates for many clients at once. Each request runs its own pipeline (its own
glossary protection, restoration and check) in its own thread; only the calls to the engine
meet here. One worker thread owns the engine: it takes the oldest waiting call, waits a short
moment (`window`) for others of the same language pair, and decodes all their sentences in
one call, each distinct sentence once. While it decodes, new calls queue up and go together
into the next round, so the busier the server, the larger its batches.

What a client sends cannot change another client's answer: sentences are only ever joined in
one list, and every translation goes back to the call (and the position) it came from. A
sentence's translation does not depend on the sentences decoded with it (the argos engine gives
each its own decoding cap). A call that fails fails only the calls of its round, which are
then tried again one by one, so that one client's sentence cannot fail another's request.
Models stay loaded (release is a no-op): every request needs them.

Bounded: at most `max_pending` sentences wait (a flood gets Overloaded at once, never memory),
a round takes at most `max_round` sentences, shared fairly between the calls waiting, and a
caller gives up after its deadline (its sentences are dropped if not yet decoded).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field

from passeur.errors import EngineError
from passeur.translate.engine import Engine, EngineWrapper, Progress


class Overloaded(EngineError):
    """The shared engine has too much waiting, or a call's deadline passed: try again later."""


@dataclass(eq=False)
class _Call:
    pair: tuple[str, str]
    sentences: list[str]
    avoid: list[tuple[str, ...]]
    arrived: float = field(default_factory=time.monotonic)
    done_upto: int = 0  # sentences taken into rounds so far
    outputs: list[str] = field(default_factory=list)
    finished: int = 0
    error: BaseException | None = None
    cancelled: bool = False
    event: threading.Event = field(default_factory=threading.Event)


class SharedEngine(EngineWrapper):
    """An engine whose translate calls, from any thread, are decoded together by one worker."""

    def __init__(self, engine: Engine, window: float = 0.01, max_round: int = 256, max_pending: int = 20_000):
        super().__init__(engine)
        self.window = window
        self.max_round = max_round
        self.max_pending = max_pending
        self.rounds = 0  # rounds decoded, and the calls and sentences they held (for tests and benchmarks)
        self.calls_decoded = 0
        self.sentences_decoded = 0
        self._calls: deque[_Call] = deque()
        self._pending = 0
        self._lock = threading.Condition()
        self._local = threading.local()
        self._closed = False
        self._worker = threading.Thread(target=self._work, name="passeur-shared-engine", daemon=True)
        self._worker.start()

    def release(self, source: str, target: str) -> None:
        """Models stay loaded: the next request needs them."""

    @property
    def hits(self) -> int:
        return getattr(self.engine, "hits", 0)

    @contextmanager
    def deadline(self, seconds: float | None):
        """Calls made by this thread inside the block give up (Overloaded) once `seconds` have passed."""
        before = getattr(self._local, "deadline", None)
        self._local.deadline = None if seconds is None else time.monotonic() + seconds
        try:
            yield
        finally:
            self._local.deadline = before

    def translate(self, sentences: list[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        return self._submit(sentences, source, target, [()] * len(sentences), progress)

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        return self._submit(sentences, source, target, [tuple(sorted(set(a))) for a in avoid], progress)

    def close(self) -> None:
        """Stop the worker once the calls waiting are done."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._worker.join()

    def _submit(self, sentences, source, target, avoid, progress) -> list[str]:
        if not sentences:
            return []
        call = _Call((source, target), list(sentences), avoid, outputs=[""] * len(sentences))
        with self._lock:
            if self._closed:
                raise Overloaded("the translation engine is shutting down: try again in a moment")
            if self._pending + len(sentences) > self.max_pending:
                raise Overloaded(f"{self._pending} sentences are waiting to be translated: try again in a moment")
            self._pending += len(sentences)
            self._calls.append(call)
            self._lock.notify_all()
        deadline = getattr(self._local, "deadline", None)
        if not call.event.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
            with self._lock:
                call.cancelled = True
                if call in self._calls:
                    self._calls.remove(call)
                    self._pending -= len(call.sentences) - call.done_upto
            if not call.event.is_set():
                raise Overloaded("the translation did not finish in time: the server is busy, try again in a moment")
        if call.error is not None:
            raise call.error
        if progress:
            progress(len(sentences))
        return call.outputs

    def _take_round(self) -> list[tuple[_Call, int, int]]:
        """Under the lock: the (call, start, end) pieces of the next round, all of one pair, the oldest
        call's pair first; each call gets its share of max_round, then what is left goes in order."""
        for call in [c for c in self._calls if c.error is not None]:
            self._calls.remove(call)
            self._pending -= len(call.sentences) - call.done_upto
        if not self._calls:
            return []
        pair = self._calls[0].pair
        calls = [c for c in self._calls if c.pair == pair]
        budget = self.max_round
        share = max(1, budget // len(calls))
        taken: dict[int, int] = {}
        for turn in (share, budget):
            for number, call in enumerate(calls):
                start = call.done_upto + taken.get(number, 0)
                count = min(turn, len(call.sentences) - start, budget)
                if count > 0:
                    taken[number] = taken.get(number, 0) + count
                    budget -= count
        pieces = []
        for number, count in sorted(taken.items()):
            call = calls[number]
            pieces.append((call, call.done_upto, call.done_upto + count))
            call.done_upto += count
            self._pending -= count
            if call.done_upto == len(call.sentences):
                self._calls.remove(call)
        return pieces

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._calls and not self._closed:
                    self._lock.wait()
                if not self._calls:
                    return
                # A short deadline from the oldest call's arrival: calls arriving meanwhile join it.
                while True:
                    waiting = sum(len(c.sentences) - c.done_upto for c in self._calls)
                    left = self._calls[0].arrived + self.window - time.monotonic()
                    if left <= 0 or waiting >= self.max_round or self._closed:
                        break
                    self._lock.wait(left)
                pieces = self._take_round()
            if pieces:
                self._decode(pieces)

    def _decode(self, pieces: list[tuple[_Call, int, int]]) -> None:
        source, target = pieces[0][0].pair
        try:
            self._translate(pieces, source, target)
        except BaseException as err:  # the callers must hear of it, whatever it is
            if len(pieces) == 1 or not isinstance(err, Exception):
                _fail(pieces, err)
                return
            # One client's sentence must not fail the others: each piece again, on its own.
            for piece in pieces:
                try:
                    self._translate([piece], source, target)
                except BaseException as again:
                    _fail([piece], again)

    def _translate(self, pieces, source: str, target: str) -> None:
        keys = list(dict.fromkeys((call.sentences[i], call.avoid[i]) for call, start, end in pieces
                                  for i in range(start, end)))
        texts = [text for text, _ in keys]
        if any(avoid for _, avoid in keys):
            outputs = self.engine.translate_avoiding(texts, source, target, [avoid for _, avoid in keys])
        else:
            outputs = self.engine.translate(texts, source, target)
        found = dict(zip(keys, outputs))
        self.rounds += 1
        self.calls_decoded += len(pieces)
        self.sentences_decoded += len(keys)
        for call, start, end in pieces:
            for i in range(start, end):
                call.outputs[i] = found[(call.sentences[i], call.avoid[i])]
            call.finished += end - start
            if call.finished == len(call.sentences):
                call.event.set()


def _fail(pieces, error: BaseException) -> None:
    """The calls of these pieces fail with `error` (raised in their own threads); what is left of
    them in the queue is dropped when the next round is taken."""
    for call, _, _ in pieces:
        if call.error is None:
            call.error = error
        call.event.set()
