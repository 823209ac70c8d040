"""A deterministic engine for logic tests: it tags each sentence with the pair, and counts calls.

It lives in tests only; passeur never ships it.
"""

from __future__ import annotations

from passeur.translate.engine import Engine, EngineConfig


class EchoEngine(Engine):
    name = "echo"
    calls: list[tuple[str, str, int]] = []

    def __init__(self, config: EngineConfig | None = None, pairs=(("fr", "en"), ("en", "ar"), ("en", "he"))):
        super().__init__(config)
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

    def decoding(self):
        return f"beam{self.config.beam_size}"


class BatchEchoEngine(EchoEngine):
    """The echo engine, decoding in batches of max_batch_size as the argos engine does; `fail_after`
    batches, it raises KeyboardInterrupt (a Ctrl-C in the middle of a run)."""

    fail_after: int | None = None
    done = 0

    def batches(self, sentences, source, target):
        EchoEngine.calls.append((source, target, len(sentences)))
        size = self.config.max_batch_size
        for start in range(0, len(sentences), size):
            if BatchEchoEngine.fail_after is not None and BatchEchoEngine.done >= BatchEchoEngine.fail_after:
                raise KeyboardInterrupt
            BatchEchoEngine.done += 1
            chunk = sentences[start:start + size]
            yield list(range(start, start + len(chunk))), [f"[{target}] {s}" for s in chunk]

    def translate(self, sentences, source, target, progress=None):
        return self.collect(sentences, source, target, progress)


class StyleEngine(EchoEngine):
    """The echo engine, losing the placeholders of the styles named in `drops` (as a model that
    translates or drops one form of token and copies another)."""

    drops: tuple[str, ...] = ("psr",)

    def translate(self, sentences, source, target, progress=None):
        from passeur.glossary.protect import STYLES

        out = super().translate(sentences, source, target, progress)
        for name in self.drops:
            out = [STYLES[name].recover.sub("", s) for s in out]
        return out


class SameEngine(EchoEngine):
    """Each sentence back unchanged, in every language: a document read, translated and written
    with it must come out as it went in (tests/test_docx.py)."""

    name = "same"

    def translate(self, sentences, source, target, progress=None):
        EchoEngine.calls.append((source, target, len(sentences)))
        if progress:
            progress(len(sentences))
        return list(sentences)


class TagLosingEngine(SameEngine):
    """SameEngine, but models that drop inline tags: `<g…>` and `</g…>` of the numbers in `lose`
    vanish, and it writes the tags it keeps with a space inside (`< g1 >`) as models do."""

    lose: tuple[int, ...] = (1,)

    def translate(self, sentences, source, target, progress=None):
        import re

        out = super().translate(sentences, source, target, progress)
        lost = "|".join(str(n) for n in self.lose)
        out = [re.sub(rf"</?g(?:{lost})>", "", s) for s in out]
        return [re.sub(r"<(/?)g(\d+)>", r"< \1g\2 >", s) for s in out]
