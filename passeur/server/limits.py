"""API keys and request rate limits, as LibreTranslate has them.

The keys file has one key a line, optionally followed by its own limits: requests per minute and
characters per text (`-` keeps the server's), e.g.

    # newsroom keys
    4f1c9a2e-desk        120
    0b7d33aa-archive     600   20000
    9e01f5c2-intern      -     2000

A request may carry no key (the server's limits apply, per IP address) unless keys are required;
a key that is not in the file is refused (403 "Invalid API key"). Limits are counted per key,
else per address, over a moving minute; a list of texts costs one request per text, as in
LibreTranslate. Memory stays bounded: at most MAX_CLIENTS keys and addresses are tracked.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

from passeur.api import InputError

KEY = re.compile(r"[A-Za-z0-9._~+/=-]{6,200}")
MAX_KEYS_BYTES = 4 << 20
MAX_CLIENTS = 100_000
WINDOW = 60.0  # seconds: limits are per minute


@dataclass(frozen=True)
class KeyLimits:
    requests: int | None = None  # per minute; None: the server's
    chars: int | None = None  # per text; None: the server's


def read_keys(path: str | Path) -> dict[str, KeyLimits]:
    """The keys file: key → its limits. A bad line is a one-line error naming it and the fix."""
    path = Path(path)
    try:
        data = path.read_bytes()[:MAX_KEYS_BYTES + 1]
    except OSError as err:
        raise InputError(f"{path}: cannot read the API keys file ({err.strerror})") from None
    if len(data) > MAX_KEYS_BYTES:
        raise InputError(f"{path}: is over {MAX_KEYS_BYTES >> 20} MB: an API keys file holds one key a line")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8: write the API keys file as UTF-8 text, one key a line") from None
    keys: dict[str, KeyLimits] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        fix = "write KEY [REQUESTS-PER-MINUTE [CHARACTERS-PER-TEXT]], numbers or -"
        if not KEY.fullmatch(words[0]) or len(words) > 3:
            raise InputError(f"{path}:{number}: {line.strip()[:40]!r} is not a key line: {fix} "
                             "(a key is 6 to 200 letters, digits or ._~+/=-)")
        limits = []
        for word in words[1:]:
            if word == "-":
                limits.append(None)
            elif word.isdigit() and 0 < int(word) <= 10**9:
                limits.append(int(word))
            else:
                raise InputError(f"{path}:{number}: {word!r} is not a limit: {fix}")
        if words[0] in keys:
            raise InputError(f"{path}:{number}: the key {words[0][:6]}… is given twice: keep one line per key")
        keys[words[0]] = KeyLimits(*limits)
    return keys


class RateLimiter:
    """Requests per minute per client (a key or an address), over a moving window counted in
    one-second steps (at most 60 counts a client, whatever its rate)."""

    def __init__(self, window: float = WINDOW, max_clients: int = MAX_CLIENTS):
        self.window = window
        self.max_clients = max_clients
        self._seen: OrderedDict[str, deque[tuple[float, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, limit: int, cost: int = 1, now: float | None = None) -> bool:
        """Whether the client may make a request costing `cost`; if so, it is counted."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._seen.pop(client, None) or deque()
            while hits and hits[0][0] <= now - self.window:
                hits.popleft()
            used = sum(count for _, count in hits)
            allowed = used < limit
            if allowed:
                second = float(int(now))
                if hits and hits[-1][0] == second:
                    hits[-1] = (second, hits[-1][1] + cost)
                else:
                    hits.append((second, cost))
            if hits:
                self._seen[client] = hits  # most recent last
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)
            return allowed
