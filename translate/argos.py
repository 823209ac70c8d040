"""The `argos` engine: installed Argos packages run through CTranslate2 and SentencePiece.

argostranslate's own `translate()` imports stanza and torch, downloads sentence-splitting
models at run time and sends one sentence per `translate_batch` call. passeur segments the
text itself and only needs the model: this engine loads each package's CTranslate2 model
and SentencePiece processor once, on first use, and decodes all sentences of a pair in
length-sorted batches.

Speed, measured with bench/speed.py against raw CTranslate2 with the same decoding on a matrix of
input shapes: the hops of a run overlap, so no worker waits for a hop to end (see _Plan).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from passeur.errors import InputError, ModelError
from passeur.translate.engine import Engine, EngineConfig, Progress, aligned, avoiding, one_hop
from passeur.translate.models import ModelPackage, installed_packages, packages_dir


# Models are trained on sentences; CTranslate2 would silently truncate an input past
# max_input_length (1024 tokens). A run-on "sentence" (no punctuation, a table flattened by a
# scraper) is cut into pieces of at most MAX_PIECE tokens at word starts, translated, and joined.
MAX_PIECE = 200

# A plan's models in memory at once. With 2, en→ar starts on the English while the last French
# batches decode; but a base-size model takes some 60 MB (its workers share its weights) and its
# workers' buffers as much again: measured with bench/speed.py (12 FLORES lines, 2 OrangeSum
# articles), 2 peaked 40-70 MB above 1, and above raw CTranslate2's peak, for no time gained on 2
# busy cores. So a hop's model loads once the hop before is done and freed; its inputs are
# tokenized and batched meanwhile, and the hop before ends on its shortest batches.
RESIDENT = 1


# A sentence's decoding cap comes from its own length, never from the sentences batched with it:
# ratio x its tokens rounded up to a multiple of CAP_STEP, + 10. With random weights a decode
# runs to its cap, and a real model can loop until it; a cap shared by a batch made a sentence's
# translation depend on its neighbours (a run resumed from the cache, or a server batching
# several clients' sentences together, gave other output). Batches never mix caps; the step
# keeps sentences of close lengths in one batch.
CAP_STEP = 8

# A batch's attention caches grow with its sentences x its decoding cap (at beam 4, 8 sentences of
# cap 270 hold some 370 MB per worker): a batch holds at most BATCH_STEPS // cap sentences, so
# that long sentences come in smaller batches and the peak does not depend on the longest
# sentence of a folder. 8 x 96: batches of news sentences (caps up to 96) stay whole.
BATCH_STEPS = 8 * 96


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
                processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
            except (RuntimeError, OSError, ValueError) as err:
                raise self._unloadable(package, err) from None
            prefix = package.metadata.get("target_prefix") or ""
            self._loaded[pair] = _Loaded(package, None, processor, prefix.split() if prefix else [])
        return self._loaded[pair]

    def _translator(self, model: _Loaded):
        """The model's CTranslate2 translator, loaded when its first batch is decoded (a plan's
        later hops tokenize their inputs long before): one model fewer in memory meanwhile."""
        if model.translator is None:
            import ctranslate2

            try:
                model.translator = ctranslate2.Translator(
                    str(model.package.path / "model"),
                    device=self.config.device,
                    compute_type=self.config.compute_type,
                    inter_threads=self.config.inter_threads,
                    intra_threads=self.config.intra_threads,
                )
            except (RuntimeError, OSError, ValueError) as err:
                raise self._unloadable(model.package, err) from None
        return model.translator

    @staticmethod
    def _unloadable(package: ModelPackage, err) -> ModelError:
        source, target = package.pair
        return ModelError(f"{package.path}: the {source}→{target} model cannot be loaded ({err}): "
                          f"reinstall it with `passeur models install`")

    def translate(self, sentences: list[str], source: str, target: str,
                  progress: Progress | None = None) -> list[str]:
        return one_hop(self, sentences, source, target, progress)

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        """Each sentence decoded with its phrases' token sequences suppressed (CTranslate2's
        suppress_sequences); sentences that avoid the same phrases share batches."""
        done = _Plan(self, sentences, source, [(source, target)], progress, avoiding(sentences, avoid)).run()[target]
        return aligned(sentences, done, progress)

    def translate_plan(self, texts, source, hops, progress=None, avoid=None, memo=None, release=True):
        """The hops overlap (see _Plan). With phrases to avoid, hop by hop through translate_avoiding,
        which an engine that cannot ban (or a test) may replace."""
        if avoid is not None:
            return super().translate_plan(texts, source, hops, progress, avoid, memo, release)
        return _Plan(self, texts, source, hops, progress, None, memo, release).run()

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

    @staticmethod
    def _texts(model: _Loaded, outputs) -> list[str]:
        texts = []
        for output in outputs:
            hypothesis = output.hypotheses[0]
            if model.target_prefix:
                hypothesis = hypothesis[len(model.target_prefix):]
            texts.append(model.processor.decode(hypothesis))
        return texts


class _Plan:
    """Texts through a chain of hops (fr→en, en→ar, en→he), decoded by inter_threads workers.

    A hop's inputs go into batches of at most max_batch_size sentences of one decoding cap, longest
    first (so that a hop ends on short batches). Each worker takes the next batch of the earliest hop
    that has one: the English of fr→en goes to en→ar and en→he as soon as its batch is decoded
    (tokenized while the French decodes), and with RESIDENT models allowed in memory a free worker
    starts on it while the last French batches decode. A later hop takes only full batches while
    its inputs are still arriving, unless a worker would otherwise be idle. At a tail, when nothing more can
    arrive for what can run, the sentences left are cut into a share for every worker. A batch's sentences are
    tokenized while others decode; each sentence keeps its own cap, so a translation never depends
    on what it was batched with. Each distinct (input, phrases banned) of a hop is decoded once.
    """

    def __init__(self, engine: ArgosEngine, texts: list[str], source: str, hops: list[tuple[str, str]],
                 progress: Progress | None = None, avoid=None, memo=None, release: bool = False):
        self.engine, self.hops, self.progress, self.avoid, self.memo = engine, list(hops), progress, avoid, memo
        self.release = release
        self.size = max(1, engine.config.max_batch_size)
        self.workers = max(1, engine.config.inter_threads)
        self.layers: dict[str, dict[str, str]] = {source: {t: t for t in texts}}
        for _, target in self.hops:
            self.layers.setdefault(target, {})
        count = len(self.layers[source])
        self.unresolved = {hop: count for hop in self.hops}  # texts of each hop still without output
        self.owners: dict[tuple, dict[tuple, list[str]]] = {hop: {} for hop in self.hops}  # key -> texts
        self.done: dict[tuple, dict[tuple, str]] = {hop: {} for hop in self.hops}  # key -> output
        self.ready: dict[tuple, dict[tuple, list]] = {hop: {} for hop in self.hops}  # (banned, cap) -> units
        self.pieces: dict[tuple, dict[int, str]] = {}  # (hop, key) -> decoded pieces of a long input
        self.expected: dict[tuple, int] = {}  # (hop, key) -> its number of pieces
        self.banned: dict[tuple, list[list[str]] | None] = {}  # (hop, phrases) -> token sequences

    def run(self) -> dict[str, dict[str, str]]:
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        source = next(iter(self.layers))
        for hop in self.hops:
            if hop[0] == source:
                self.offer(hop, list(self.layers[source]))
        running: dict = {}
        with ThreadPoolExecutor(self.workers, thread_name_prefix="passeur-decode") as pool:
            while True:
                while len(running) < self.workers:
                    chosen = self.next_batch()
                    if chosen is None:
                        break
                    hop, group, units = chosen
                    running[pool.submit(self.decode, self.model(hop), units, group)] = (hop, units)
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    hop, units = running.pop(future)
                    self.collect(hop, units, future.result())
                # A batch's beam buffers are freed into its worker's heap, where glibc keeps them:
                # handed back at once, the next batches (other shapes, other workers) do not add
                # to them. Measured: 30-70 MB less at the peak, no more CPU time.
                give_back_memory()
        if any(self.unresolved.values()):  # a hop whose source language no earlier hop reaches
            raise ValueError(f"hops {self.hops}: each hop's source language must be reached first")
        return self.layers

    # -- inputs ---------------------------------------------------------------------------------

    def offer(self, hop, texts: list[str]) -> None:
        """Texts whose version in the hop's source language is known: decode, or join a decode."""
        source, target = hop
        fresh = []
        for text in texts:
            key = (self.layers[source][text], tuple(sorted(set(self.avoid(text, target)))) if self.avoid else ())
            if key in self.done[hop]:
                self.resolve(hop, [text], self.done[hop][key])
            elif key in self.owners[hop]:
                self.owners[hop][key].append(text)
            else:
                self.owners[hop][key] = [text]
                fresh.append(key)
        if not fresh:
            return
        known = self.memo.recall(source, target, fresh) if self.memo else {}
        model = self.engine._load(source, target)
        ratio = self.engine.config.max_length_ratio
        for key in fresh:
            if key in known:
                continue
            tokens = model.processor.encode(key[0], out_type=str)
            pieces = split_long(tokens)
            self.expected[(hop, key)] = len(pieces)
            for number, piece in enumerate(pieces):
                self.ready[hop].setdefault((key[1], decoding_cap(len(piece), ratio)), []).append((piece, key, number))
        for key, output in known.items():
            self.finish(hop, key, output)

    def finish(self, hop, key, output: str) -> None:
        self.done[hop][key] = output
        self.resolve(hop, self.owners[hop].pop(key), output)

    def resolve(self, hop, texts: list[str], output: str) -> None:
        source, target = hop
        for text in texts:
            self.layers[target][text] = output
        self.unresolved[hop] -= len(texts)
        if self.progress:
            self.progress(len(texts))
        for after in self.hops:
            if after[0] == target:
                self.offer(after, texts)
        if self.release and self.unresolved[hop] == 0:
            self.engine.release(source, target)  # its memory goes as soon as the hop is done

    # -- batches --------------------------------------------------------------------------------

    def complete(self, hop) -> bool:
        """No more inputs will reach this hop: every hop before it is done."""
        return all(self.unresolved[before] == 0 for before in self.hops if before[1] == hop[0])

    def next_batch(self):
        """(hop, (banned, cap), units) to decode next, or None when nothing is ready."""
        hops = [hop for hop in self.hops if self.ready[hop] and self.may_load(hop)]
        limit = self.size
        if all(self.complete(hop) for hop in hops):
            # A tail: whatever runs now is all that can run until these hops are done (no more
            # inputs can reach them, and a hop waiting for its model starts only once they are
            # freed). What is left is cut into a share for every worker, busy ones included: a
            # worker that frees up takes the next share, rather than one batch holding the last
            # sentences while the other worker idles.
            left = sum(len(units) for hop in hops for units in self.ready[hop].values())
            limit = max(1, min(self.size, -(-left // self.workers)))
        for hop in hops:
            groups = self.ready[hop]
            candidates = list(groups) if self.complete(hop) else [g for g, units in groups.items()
                                                                  if len(units) >= self.room(g[1])]
            if candidates:  # longest first, so that a hop ends on short batches
                return self.take(hop, max(candidates, key=lambda group: group[1]), limit)
        for hop in hops:  # rather than an idle worker: the largest batch there is
            groups = self.ready[hop]
            return self.take(hop, max(groups, key=lambda group: (len(groups[group]), group[1])), limit)
        return None

    def may_load(self, hop) -> bool:
        """At most RESIDENT models of unfinished hops in memory: a hop whose model is not loaded waits
        until an earlier hop is done and released."""
        loaded = lambda h: h in self.engine._loaded and self.engine._loaded[h].translator is not None
        if loaded(hop):
            return True
        return sum(1 for h in self.hops if self.unresolved[h] and loaded(h)) < RESIDENT

    def room(self, cap: int) -> int:
        """Sentences in a full batch of this decoding cap."""
        return max(1, min(self.size, BATCH_STEPS // cap))

    def take(self, hop, group, limit: int):
        limit = min(limit, self.room(group[1]))
        units = self.ready[hop][group]
        units.sort(key=lambda unit: len(unit[0]))
        batch, self.ready[hop][group] = units[-limit:], units[:-limit]
        if not self.ready[hop][group]:
            del self.ready[hop][group]
        phrases = group[0]
        if phrases and (hop, phrases) not in self.banned:
            self.banned[(hop, phrases)] = self.engine.banned_sequences(phrases, *hop)
        return hop, (self.banned.get((hop, phrases)), group[1]), batch

    def model(self, hop) -> _Loaded:
        model = self.engine._load(*hop)
        self.engine._translator(model)
        return model

    def decode(self, model: _Loaded, units: list, group) -> list[str]:
        """In a worker thread: one batch, CTranslate2 releasing the interpreter while it decodes."""
        banned, cap = group
        config = self.engine.config
        outputs = model.translator.translate_batch(
            [unit[0] for unit in units],
            beam_size=config.beam_size,
            max_decoding_length=cap,
            target_prefix=[model.target_prefix] * len(units) if model.target_prefix else None,
            suppress_sequences=banned or None,
        )
        return ArgosEngine._texts(model, outputs)

    def collect(self, hop, units: list, texts: list[str]) -> None:
        finished = []
        for (_, key, number), text in zip(units, texts):
            pieces = self.pieces.setdefault((hop, key), {})
            pieces[number] = text
            if len(pieces) == self.expected[(hop, key)]:
                del self.pieces[(hop, key)], self.expected[(hop, key)]
                finished.append((key, " ".join(pieces[n] for n in sorted(pieces))))
        if self.memo and finished:
            self.memo.keep(*hop, finished)  # kept as soon as decoded: an interrupted run loses nothing
        for key, output in finished:
            self.finish(hop, key, output)
