"""The engine interface, the engine registry, and the settings engines share."""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields, replace
from typing import Callable, Mapping

from translate import ENGINES
from translate.errors import EngineError, InputError

ENTRY_POINT_GROUP = "passeur.engines"
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
Progress = Callable[[int], None]  # called with the number of sentences just finished


@dataclass(frozen=True)
class EngineConfig:
    """Decoding settings. Precedence: command-line flag > PASSEUR_* environment > default."""

    beam_size: int = 4
    compute_type: str = "int8"  # CTranslate2 quantization on CPU
    device: str = "cpu"
    # Measured with bench/speed.py on 2 cores: two batches decoded in parallel with one thread
    # each beat one batch on two threads (25 s against 34 s), and batches of 8 length-sorted
    # sentences beat 32 (42 s against 105 s on the founding article): smaller batches get
    # tighter decoding caps and give the two workers something to share.
    inter_threads: int = min(2, _CORES)
    intra_threads: int = max(1, _CORES // min(2, _CORES))
    max_batch_size: int = 8  # sentences per translate_batch call
    # Decoding stops at max_length_ratio x source tokens + 10, so that a model that never emits
    # </s> cannot run away; real translations are well inside it.
    max_length_ratio: float = 2.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides) -> "EngineConfig":
        values = {}
        for f in fields(cls):
            raw = environ.get(f"PASSEUR_{f.name.upper()}")
            if raw is not None:
                try:
                    values[f.name] = type(f.default)(raw)
                except ValueError:
                    raise InputError(f"PASSEUR_{f.name.upper()}={raw!r} is not a valid {type(f.default).__name__}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


class Engine(ABC):
    """Translates lists of sentences between language pairs it supports."""

    name: str = ""

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language pairs this engine can translate."""

    @abstractmethod
    def translate(self, sentences: list[str], source: str, target: str,
                  progress: Progress | None = None) -> list[str]:
        """Translate sentences; the result is aligned with the input, one sentence each."""

    @abstractmethod
    def signature(self, source: str, target: str) -> str:
        """How this pair is translated, e.g. 'argos/translate-fr_en-1.9'."""

    def release(self, source: str, target: str) -> None:
        """The pair will not be needed for a while: free what it holds (optional)."""


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
    return cls(config or EngineConfig.from_env(), **options)
