"""The `argos` engine: installed Argos packages run through CTranslate2 and SentencePiece.

argostranslate's own `translate()` imports stanza and torch, downloads sentence-splitting
models at run time and sends one sentence per `translate_batch` call. passeur segments the
text itself and only needs the model: this engine loads each package's CTranslate2 model
and SentencePiece processor once, on first use, and decodes all sentences of a pair in
length-sorted batches.

Speed, measured with bench/speed.py against raw CTranslate2 with the same decoding: each batch
is decoded in small jobs of at most JOB_TOKENS source tokens that the workers share.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from passeur.errors import InputError, ModelError
from passeur.languages import language
from passeur.translate.engine import Engine, EngineConfig, Progress
from passeur.translate.models import ModelPackage, installed_packages, packages_dir


# Models are trained on sentences; CTranslate2 would silently truncate an input past
# max_input_length (1024 tokens). A run-on "sentence" (no punctuation, a table flattened by a
# scraper) is cut into pieces of at most MAX_PIECE tokens at word starts, translated, and joined.
MAX_PIECE = 200

# A batch of max_batch_size length-sorted sentences (of one decoding cap) is decoded by
# CTranslate2 in jobs of at most JOB_TOKENS source tokens (batch_type="tokens"; one sentence
# longer than that is a job alone). Each sentence's decoding is unchanged (same beam, same cap:
# the same output), but on CPU small jobs pad less, keep their key/value caches in cache, and
# spread a long batch over both workers instead of leaving one idle while the other decodes it.
# Measured with bench/speed.py (2 cores, base-size models): 0.52x the time and 0.40x the peak
# memory of whole 8-sentence batches; 120 tokens was slower, 400 no faster. Whole batches spend
# an eighth of their CPU time in the kernel: each beam-search step regrows its key/value caches
# past glibc's mmap threshold, a fresh mmap every time. Small jobs stay under it; tuning glibc
# instead (mallopt) gained no time on top of small jobs and would change the allocator of every
# program that imports passeur, so passeur leaves it alone.
JOB_TOKENS = 200
IN_FLIGHT = 4  # batches submitted ahead, per worker (see ArgosEngine._decode)

# A sentence's decoding cap comes from its own length, never from the sentences batched with it:
# ratio x its tokens rounded up to a multiple of CAP_STEP, + 10. With random weights a decode
# runs to its cap, and a real model can loop until it; a cap shared by a batch made a sentence's
# translation depend on its neighbours (a run resumed from the cache, or a server batching
# several clients' sentences together, gave other output). Batches never mix caps; the step
# keeps sentences of close lengths in one batch.
CAP_STEP = 8


def decoding_cap(tokens: int, ratio: float) -> int:
    """The most tokens a sentence of `tokens` source tokens is decoded to."""
    return int(ratio * (-(-tokens // CAP_STEP) * CAP_STEP)) + 10


@lru_cache(maxsize=1)
def _glibc():
    """The process's glibc, or None (another OS, musl, a static build)."""
    try:
        if not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        import ctypes

        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (ValueError, OSError, AttributeError):
        return None


def give_back_memory() -> None:
    """Return the heap pages freed by a released model to the system (glibc's malloc_trim).

    glibc keeps freed memory inside the process, and a folder's run goes through many batches
    of every shape: a 200-article folder peaked at 320 MB where 10 articles took 251 (base-size
    models, bench/day.py). With this trim when each model is released: 274 MB in one run, 313 in
    the next (peak RSS varies by some 20-40 MB between identical runs, with thread timing), at
    the same speed. Only free pages are returned; no allocator setting of the process changes."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def split_long(tokens: list[str], limit: int = MAX_PIECE) -> list[list[str]]:
    if len(tokens) <= limit:
        return [tokens]
    pieces, start = [], 0
    while start < len(tokens):
        end = min(start + limit, len(tokens))
        if end < len(tokens):
            # Back up to the start of a word ("▁" piece) so no word is cut in two.
            cut = next((i for i in range(end, start + limit // 2, -1) if tokens[i].startswith("\u2581")), end)
            end = cut
        pieces.append(tokens[start:end])
        start = end
    return pieces


@dataclass
class _Loaded:
    package: ModelPackage
    translator: object
    processor: object
    target_prefix: list[str]


class ArgosEngine(Engine):
    name = "argos"

    def __init__(self, config: EngineConfig | None = None, directory: Path | None = None):
        super().__init__(config)
        self.directory = directory or packages_dir()
        self._packages = {p.pair: p for p in reversed(installed_packages(self.directory))}
        self._loaded: dict[tuple[str, str], _Loaded] = {}

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._packages)

    def package(self, source: str, target: str) -> ModelPackage:
        try:
            return self._packages[(source, target)]
        except KeyError:
            raise ModelError(
                f"no model for {source}→{target} is installed in {self.directory}: run "
                f"`passeur models install {source}:{target}`, or `passeur models install FILE.argosmodel` offline"
            ) from None

    def signature(self, source: str, target: str) -> str:
        package = self.package(source, target)
        return f"argos/{package.label}#{package.fingerprint()}"

    def decoding(self) -> str:
        return self.config.signature()

    def release(self, source: str, target: str) -> None:
        # A model's decoding buffers grow with the longest batch it has seen; dropping the
        # translator once its hop is done keeps one pair's memory at a time, not three.
        if self._loaded.pop((source, target), None) is not None:
            give_back_memory()

    def _load(self, source: str, target: str) -> _Loaded:
        pair = (source, target)
        if pair not in self._loaded:
            package = self.package(source, target)
            import ctranslate2
            import sentencepiece

            device = self.config.device
            if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
                raise InputError("--device cuda: no usable CUDA device here (no GPU, or its driver is too old for "
                                 "CTranslate2): use --device cpu (PASSEUR_DEVICE)")
            try:
                supported = ctranslate2.get_supported_compute_types(device) if device != "auto" else None
            except RuntimeError as err:
                raise InputError(f"--device {device}: cannot be used here ({err}): use --device cpu") from None
            if supported is not None and self.config.compute_type not in supported | {"default", "auto"}:
                raise InputError(f"compute type {self.config.compute_type!r} does not run on this {self.config.device}: "
                                 f"choose one of {', '.join(sorted(supported))} (--compute-type, PASSEUR_COMPUTE_TYPE)")
            try:
                translator = ctranslate2.Translator(
                    str(package.path / "model"),
                    device=self.config.device,
                    compute_type=self.config.compute_type,
                    inter_threads=self.config.inter_threads,
                    intra_threads=self.config.intra_threads,
                )
                processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
            except (RuntimeError, OSError, ValueError) as err:
                raise ModelError(
                    f"{package.path}: the {source}→{target} model cannot be loaded ({err}): "
                    f"reinstall it with `passeur models install`"
                ) from None
            prefix = package.metadata.get("target_prefix") or ""
            self._loaded[pair] = _Loaded(package, translator, processor, prefix.split() if prefix else [])
        return self._loaded[pair]

    def translate(self, sentences: list[str], source: str, target: str,
                  progress: Progress | None = None) -> list[str]:
        return self.collect(sentences, source, target, progress)

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        """Sentences grouped by what they must avoid; each group decoded with those phrases' token
        sequences suppressed (CTranslate2's suppress_sequences)."""
        results: list[str] = [""] * len(sentences)
        groups: dict[tuple[str, ...], list[int]] = {}
        for index, phrases in enumerate(avoid):
            groups.setdefault(tuple(sorted(set(phrases))), []).append(index)
        for phrases, indices in groups.items():
            banned = self.banned_sequences(phrases, source, target) if phrases else None
            batch = [sentences[i] for i in indices]
            for done, outputs in self.batches(batch, source, target, banned):
                for i, output in zip(done, outputs):
                    results[indices[i]] = output
                if progress:
                    progress(len(done))
        return results

    def banned_sequences(self, phrases: tuple[str, ...], source: str, target: str) -> list[list[str]]:
        """The token sequences a phrase can be written as in the target SentencePiece vocabulary:
        at a word start or glued, in its case variants. The caller gives every form of a phrase (its
        numbers, with the Hebrew prefixes or Arabic clitics that attach to it: the glossary's
        morphology). Sequences with a piece outside the vocabulary cannot be produced anyway and
        are left out."""
        processor = self._load(source, target).processor
        unknown = processor.unk_id()
        sequences: set[tuple[str, ...]] = set()
        for phrase in phrases:
            for form in {phrase, phrase.lower(), phrase[:1].upper() + phrase[1:], phrase.upper()}:
                pieces = processor.encode(form, out_type=str)
                for variant in (pieces, [pieces[0].removeprefix("\u2581"), *pieces[1:]] if pieces else []):
                    if variant and variant[0] and all(processor.piece_to_id(p) != unknown for p in variant):
                        sequences.add(tuple(variant))
        return [list(sequence) for sequence in sorted(sequences)]

    def batches(self, sentences: list[str], source: str, target: str, banned: list[list[str]] | None = None):
        """Length-sorted batches, decoded in parallel when inter_threads > 1, yielded as each is done.

        A sentence longer than MAX_PIECE tokens is cut into pieces first; it is yielded once
        all its pieces are translated, joined.
        """
        if not sentences:
            return
        model = self._load(source, target)
        # Only the length of each sentence is kept for the whole list (a folder can hold
        # thousands); its tokens exist while its batch is in flight (see _decode).
        units = []  # (length, sentence index, piece number, the piece's tokens if cut, else None)
        for index, sentence in enumerate(sentences):
            length = len(model.processor.encode(sentence))
            if length <= MAX_PIECE:
                units.append((length, index, 0, None))
                continue
            for number, piece in enumerate(split_long(model.processor.encode(sentence, out_type=str))):
                units.append((len(piece), index, number, piece))
        remaining = Counter(unit[1] for unit in units)
        parts: dict[int, list[tuple[int, str]]] = {}
        for batch, outputs in self._decode(model, sentences, units, banned):
            done_indices, done_outputs = [], []
            for (_, index, number, _), output in zip(batch, outputs):
                parts.setdefault(index, []).append((number, output))
                remaining[index] -= 1
                if remaining[index] == 0:
                    done_indices.append(index)
                    done_outputs.append(" ".join(text for _, text in sorted(parts.pop(index))))
            if done_indices:
                yield done_indices, done_outputs

    def _decode(self, model: _Loaded, sentences: list[str], units: list[tuple], banned: list[list[str]] | None = None):
        """(units, decoded texts) per batch, in length order.

        With several inter threads, batches are submitted asynchronously and decoded in parallel,
        at most IN_FLIGHT per worker ahead of the one being collected: enough to keep every
        worker busy, while memory holds a few batches' tokens and results, not a folder's.
        """
        # Sort by length so each batch pads little; a batch holds sentences of one decoding cap.
        order = sorted(units, key=lambda unit: unit[0])
        size = max(1, self.config.max_batch_size)
        parallel = self.config.inter_threads > 1
        in_flight: deque = deque()
        for batch in self._batches(order, size):
            tokens = [piece if piece is not None else model.processor.encode(sentences[index], out_type=str)
                      for _, index, _, piece in batch]
            cap = decoding_cap(batch[0][0], self.config.max_length_ratio)
            outputs = model.translator.translate_batch(
                tokens,
                beam_size=self.config.beam_size,
                max_batch_size=JOB_TOKENS,  # the batch's jobs (see JOB_TOKENS)
                batch_type="tokens",
                max_decoding_length=cap,
                target_prefix=[model.target_prefix] * len(batch) if model.target_prefix else None,
                suppress_sequences=banned or None,
                asynchronous=parallel,
            )
            if not parallel:
                yield batch, self._texts(model, outputs)
                continue
            in_flight.append((batch, outputs))
            if len(in_flight) >= IN_FLIGHT * self.config.inter_threads:
                done, outputs = in_flight.popleft()
                yield done, self._texts(model, [o.result() for o in outputs])
        while in_flight:
            done, outputs = in_flight.popleft()
            yield done, self._texts(model, [o.result() for o in outputs])

    def _batches(self, order: list[tuple], size: int):
        """Length-sorted units in batches of at most `size`, each of one decoding cap."""
        ratio = self.config.max_length_ratio
        batch: list[tuple] = []
        for unit in order:
            if batch and (len(batch) == size or decoding_cap(unit[0], ratio) != decoding_cap(batch[0][0], ratio)):
                yield batch
                batch = []
            batch.append(unit)
        if batch:
            yield batch

    @staticmethod
    def _texts(model: _Loaded, outputs) -> list[str]:
        texts = []
        for output in outputs:
            hypothesis = output.hypotheses[0]
            if model.target_prefix:
                hypothesis = hypothesis[len(model.target_prefix):]
            texts.append(model.processor.decode(hypothesis))
        return texts
