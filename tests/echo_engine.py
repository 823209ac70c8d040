"""A deterministic engine for logic tests: it tags each sentence with the pair, and counts calls.

It lives in tests only; passeur never ships it.
"""

from __future__ import annotations

from translate.engine import Engine, EngineConfig


class EchoEngine(Engine):
    name = "echo"
    calls: list[tuple[str, str, int]] = []

    def __init__(self, config: EngineConfig | None = None, pairs=(("fr", "en"), ("en", "ar"), ("en", "he"))):
        self.config = config
        self._pairs = set(pairs)

    def pairs(self):
        return set(self._pairs)

    def translate(self, sentences, source, target, progress=None):
        EchoEngine.calls.append((source, target, len(sentences)))
        if progress:
            progress(len(sentences))
        return [f"[{target}] {s}" for s in sentences]

    def signature(self, source, target):
        return f"echo/{source}-{target}"
