"""The engine interface, the engine registry, and the decoding settings engines share."""

from __future__ import annotations

import importlib
import math
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields, replace
from typing import Callable, Iterator, Mapping, Protocol

from passeur.errors import EngineError, InputError
from passeur.translate import ENGINES

ENTRY_POINT_GROUP = "passeur.engines"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
Progress = Callable[[int], None]  # called with the number of sentences just finished
Hop = tuple[str, str]  # (source language, target language)
Avoid = Callable[[str, str], tuple[str, ...]]  # (text, language) -> phrases the model must not write
Key = tuple[str, tuple[str, ...]]  # what a hop decodes: an input and the phrases banned while decoding it
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")


def _setting(default, env: str, flag: str, help: str, low=None, high=None, choices=None):
    """A decoding setting: its environment variable, command-line flag, valid range or choices."""
    return field(default=default, metadata={"env": env, "flag": flag, "help": help, "range": (low, high),
                                            "choices": choices})


@dataclass(frozen=True)
class EngineConfig:
    """Decoding settings. Precedence: command-line flag > PASSEUR_* environment > default."""

    beam_size: int = _setting(4, "PASSEUR_BEAM_SIZE", "--beam-size", "Beam size.", 1, 32)
    compute_type: str = _setting("int8", "PASSEUR_COMPUTE_TYPE", "--compute-type",
                                 "CTranslate2 compute type (quantization).", choices=COMPUTE_TYPES)
    device: str = _setting("cpu", "PASSEUR_DEVICE", "--device", "Where models run.", choices=("cpu", "cuda", "auto"))
    # Measured with bench/speed.py on 2 cores: two workers with one thread each beat one worker
    # on two threads, and small length-sorted batches beat large ones (the argos engine also
    # decodes each batch in jobs of at most 200 source tokens, which the workers share).
    inter_threads: int = _setting(min(2, CORES), "PASSEUR_INTER_THREADS", "--inter-threads",
                                  "Batches decoded in parallel.", 1, 64)
    intra_threads: int = _setting(max(1, CORES // min(2, CORES)), "PASSEUR_INTRA_THREADS", "--intra-threads",
                                  "Threads per batch (0: CTranslate2 decides).", 0, 256)
    max_batch_size: int = _setting(8, "PASSEUR_MAX_BATCH_SIZE", "--batch-size",
                                   "Length-sorted sentences per batch, sharing one decoding length cap (long sentences "
                                   "fewer: at most 768 decoding steps, sentences x cap, a batch).", 1, 1024)
    # Decoding stops at max_length_ratio x source tokens + 10, so that a model that never emits
    # </s> cannot run away; real translations are well inside it.
    max_length_ratio: float = _setting(2.0, "PASSEUR_MAX_LENGTH_RATIO", "--max-length-ratio",
                                       "Longest translation, as a multiple of the source's tokens (+10).", 0.5, 10.0)

    def __post_init__(self):
        for f in fields(self):
            check_setting(f, getattr(self, f.name), f"{f.metadata['flag']} / {f.metadata['env']}")

    @classmethod
    def resolve(cls, environ: Mapping[str, str] = os.environ, **flags) -> "EngineConfig":
        """Flags given (not None) win over PASSEUR_* variables, which win over the defaults."""
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None and raw.strip() != "":
                values[f.name] = parse_setting(f, raw, f"{f.metadata['env']}={raw!r}")
        values.update({k: v for k, v in flags.items() if v is not None})
        return replace(cls(), **values)

    def signature(self) -> str:
        """The settings that change a translation (threads and batch size do not)."""
        return f"beam{self.beam_size},{self.compute_type},len{self.max_length_ratio:g}"


def parse_setting(f, raw: str, where: str):
    kind = type(f.default)
    try:
        value = kind(raw.strip())
    except ValueError:
        raise InputError(f"{where} is not {'a whole number' if kind is int else 'a number'}: {describe(f)}") from None
    check_setting(f, value, where)
    return value


def check_setting(f, value, where: str) -> None:
    low, high = f.metadata["range"]
    choices = f.metadata["choices"]
    bad = (choices is not None and value not in choices) or (
        low is not None and not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high))
    if bad:
        raise InputError(f"{where}: {value!r} is out of range: {describe(f)}")


def describe(f) -> str:
    low, high = f.metadata["range"]
    if f.metadata["choices"]:
        return f"choose one of {', '.join(f.metadata['choices'])}"
    kind = "a whole number" if isinstance(f.default, int) else "a number"
    return f"give {kind} from {low:g} to {high:g}"


class Engine(ABC):
    """Translates lists of sentences between the language pairs it supports."""

    name: str = ""

    def __init__(self, config: EngineConfig | None = None):
        self.config = config or EngineConfig()

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language pairs this engine can translate."""

    @abstractmethod
    def translate(self, sentences: list[str], source: str, target: str,
                  progress: Progress | None = None) -> list[str]:
        """Translate sentences; the result is aligned with the input, one sentence each."""

    @abstractmethod
    def signature(self, source: str, target: str) -> str:
        """How this pair is translated, e.g. 'argos/translate-fr_en-1.9#3b0c1d' (model and its identity)."""

    def batches(self, sentences: list[str], source: str, target: str) -> Iterator[tuple[list[int], list[str]]]:
        """Translations as they are finished: (indices into sentences, their translations).

        An engine that decodes in batches yields each one when it is done, so that the cache
        keeps it at once; the default yields everything in one go.
        """
        yield list(range(len(sentences))), self.translate(sentences, source, target)

    def collect(self, sentences: list[str], source: str, target: str, progress: Progress | None = None) -> list[str]:
        """`translate` for engines that implement `batches`."""
        results: list[str] = [""] * len(sentences)
        for indices, outputs in self.batches(sentences, source, target):
            for i, output in zip(indices, outputs):
                results[i] = output
            if progress:
                progress(len(indices))
        return results

    def translate_plan(self, texts: list[str], source: str, hops: list[Hop], progress: Progress | None = None,
                       avoid: Avoid | None = None, memo: "Memo | None" = None,
                       release: bool = True) -> dict[str, dict[str, str]]:
        """Every text through every hop (each hop's source language reached by an earlier one, or
        `source`): language -> {text: the text in that language}.

        Each distinct input of a hop is decoded once; its key is (input, phrases banned), the phrases
        being avoid(text, hop's target) (forbidden renderings, banned while decoding). `memo` gives
        the translations known already (a cache) and keeps the new ones as they are decoded. With
        `release`, each pair is released when its hop is done (a run's translation stage; a server
        keeps its models). This default goes hop by hop; an engine may overlap them.
        """
        layers: dict[str, dict[str, str]] = {source: {t: t for t in texts}}
        for a, b in hops:
            keys = {text: (middle, tuple(sorted(set(avoid(text, b)))) if avoid else ())
                    for text, middle in layers[a].items()}
            distinct = list(dict.fromkeys(keys.values()))
            known = memo.recall(a, b, distinct) if memo else {}
            todo = [key for key in distinct if key not in known]
            inputs = [text for text, _ in todo]
            if any(banned for _, banned in todo):
                decoded = [(range(len(todo)), self.translate_avoiding(inputs, a, b, [banned for _, banned in todo]))]
            else:
                decoded = self.batches(inputs, a, b) if todo else ()
            for indices, outputs in decoded:
                fresh = [(todo[i], output) for i, output in zip(indices, outputs)]
                if memo:
                    memo.keep(a, b, fresh)
                known.update(fresh)
                if progress:
                    progress(len(fresh))
            if release:
                self.release(a, b)
            if progress and len(keys) > len(todo):
                progress(len(keys) - len(todo))
            layers[b] = {text: known[key] for text, key in keys.items()}
        return layers

    def translate_avoiding(self, sentences: list[str], source: str, target: str, avoid: list[tuple[str, ...]],
                           progress: Progress | None = None) -> list[str]:
        """Translate sentence i without writing any of the phrases avoid[i] (forbidden renderings).

        An engine that can constrain its decoding overrides this (the argos engine bans the
        phrases' token sequences); the default translates as usual, and the term check still
        reports whatever forbidden rendering slips through.
        """
        return self.translate(sentences, source, target, progress)

    def decoding(self) -> str:
        """The settings that change its output, for signatures and the cache key ('' if none)."""
        return ""

    def release(self, source: str, target: str) -> None:
        """The pair will not be needed for a while: free what it holds (optional)."""


def avoiding(sentences: list[str], avoid: list[tuple[str, ...]]) -> Avoid:
    """Phrase lists aligned with sentences as an Avoid (a sentence given twice avoids both lists)."""
    banned: dict[str, set[str]] = {}
    for sentence, phrases in zip(sentences, avoid):
        banned.setdefault(sentence, set()).update(phrases)
    return lambda text, _: tuple(banned.get(text, ()))


def one_hop(engine: "Engine", sentences: list[str], source: str, target: str, progress: Progress | None = None,
            avoid: Avoid | None = None, memo: "Memo | None" = None) -> list[str]:
    """translate() through translate_plan: one hop, aligned with sentences, models kept loaded."""
    done = engine.translate_plan(sentences, source, [(source, target)], progress, avoid, memo, release=False)[target]
    return aligned(sentences, done, progress)


def aligned(sentences: list[str], done: dict[str, str], progress: Progress | None = None) -> list[str]:
    """Translations of distinct sentences, back in the order given (a sentence given twice counts twice)."""
    if progress and len(sentences) > len(done):
        progress(len(sentences) - len(done))
    return [done[s] for s in sentences]


class Memo(Protocol):
    """Translations known before decoding (a cache), and where each new one is kept as it is decoded."""

    def recall(self, source: str, target: str, keys: list[Key]) -> dict[Key, str]: ...

    def keep(self, source: str, target: str, items: list[tuple[Key, str]]) -> None: ...


class EngineWrapper(Engine):
    """An engine around another (a cache, a queue): the same pairs, signatures and settings."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.config = engine.config
        self.name = engine.name

    def pairs(self):
        return self.engine.pairs()

    def signature(self, source: str, target: str) -> str:
        return self.engine.signature(source, target)

    def decoding(self) -> str:
        return self.engine.decoding()

    def release(self, source: str, target: str) -> None:
        self.engine.release(source, target)


def available_engines() -> dict[str, str]:
    """Built-in engines and those registered by installed distributions."""
    engines = dict(ENGINES)
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        engines.setdefault(point.name, point.value)
    return engines


def load_engine(name: str, config: EngineConfig | None = None, **options) -> Engine:
    engines = available_engines()
    if name not in engines:
        raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(sorted(engines))}")
    module_name, _, class_name = engines[name].partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as err:
        raise EngineError(f"engine {name!r} ({engines[name]}) cannot be loaded: {err}") from None
    return cls(config or EngineConfig.resolve(), **options)
