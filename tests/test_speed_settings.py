"""The argos engine's batches decoded in small jobs of at most JOB_TOKENS source tokens.

Speed itself is measured by bench/speed.py, not here: these tests check that the jobs change
no output and keep every translation with its sentence.
"""

from __future__ import annotations

import pytest

from passeur.translate import argos
from passeur.translate.argos import ArgosEngine
from passeur.translate.engine import EngineConfig


SENTENCES = [
    "Le gouvernement a présenté mercredi un projet de loi sur l'énergie, après des mois de débats.",
    "Il pleut.",
    "La ministre a répondu aux questions des députés.",
    "Oui.",
    "Les syndicats appellent à une nouvelle journée de grève jeudi dans les transports publics de la région.",
    "Le match a été reporté.",
    "Selon l'Insee, l'inflation a ralenti en octobre pour le troisième mois consécutif, à 4 % sur un an.",
]


@pytest.mark.parametrize("job_tokens", [1, 12, 40])
@pytest.mark.parametrize("inter_threads", [1, 2])
def test_jobs_keep_outputs_and_alignment(installed, monkeypatch, inter_threads, job_tokens):
    """A batch decoded in jobs of a few tokens (down to one sentence a job) gives the same
    translations, in the same order, as the batch decoded whole: each sentence keeps its
    batch's cap and beam, and its output."""
    config = EngineConfig(inter_threads=inter_threads, intra_threads=1, max_batch_size=4)
    monkeypatch.setattr(argos, "JOB_TOKENS", 10_000)
    whole = ArgosEngine(config, installed).translate(SENTENCES, "fr", "en")
    monkeypatch.setattr(argos, "JOB_TOKENS", job_tokens)
    done = []
    assert ArgosEngine(config, installed).translate(SENTENCES, "fr", "en", done.append) == whole
    assert sum(done) == len(SENTENCES)
    assert len(set(whole)) == len(SENTENCES)  # sentence-dependent output: a misalignment would show


def test_each_batch_is_decoded_in_token_jobs(installed, monkeypatch):
    """What reaches CTranslate2: the batch with its one cap, split into jobs by source tokens."""
    calls = []
    engine = ArgosEngine(EngineConfig(inter_threads=1, intra_threads=1, max_batch_size=4), installed)
    translator = engine._load("fr", "en").translator

    class Spy:
        def translate_batch(self, tokens, **options):
            calls.append((len(tokens), options))
            return translator.translate_batch(tokens, **options)

    engine._loaded[("fr", "en")].translator = Spy()
    engine.translate(SENTENCES * 4, "fr", "en")
    assert sum(size for size, _ in calls) == 28 and max(size for size, _ in calls) == 4
    assert all(o["batch_type"] == "tokens" and o["max_batch_size"] == argos.JOB_TOKENS for _, o in calls)
    processor = engine._load("fr", "en").processor
    caps = sorted(argos.decoding_cap(len(processor.encode(s)), engine.config.max_length_ratio) for s in SENTENCES * 4)
    assert [o["max_decoding_length"] for size, o in calls for _ in range(size)] == caps  # each sentence its own cap


def test_a_translation_does_not_depend_on_what_is_batched_with_it(installed):
    """Random weights decode to the cap: a cap shared with a long neighbour would show here."""
    engine = ArgosEngine(EngineConfig(max_length_ratio=1.0), installed)
    alone = [engine.translate([s], "fr", "en")[0] for s in SENTENCES]
    assert engine.translate(SENTENCES, "fr", "en") == alone
    assert engine.translate(SENTENCES[::-1] + ["Une phrase " + "très " * 150 + "longue."], "fr", "en")[:7] == alone[::-1]


def test_batches_in_flight_are_bounded(installed, monkeypatch):
    """With two workers, at most IN_FLIGHT batches per worker are submitted ahead of the one being
    collected, whatever the number of sentences: memory holds a few batches, not a folder; and
    every sentence still comes back with its own translation."""
    monkeypatch.setattr(argos, "IN_FLIGHT", 1)
    config = EngineConfig(inter_threads=2, intra_threads=1, max_batch_size=1)
    sentences = [f"{sentence} ({n})" for n in range(3) for sentence in SENTENCES]
    alone = ArgosEngine(EngineConfig(inter_threads=1, intra_threads=1, max_batch_size=1), installed)
    expected = alone.translate(sentences, "fr", "en")
    engine = ArgosEngine(config, installed)
    translator = engine._load("fr", "en").translator
    submitted = []

    class Spy:
        def translate_batch(self, tokens, **options):
            submitted.append(len(tokens))
            return translator.translate_batch(tokens, **options)

    engine._loaded[("fr", "en")].translator = Spy()
    got, ahead = [None] * len(sentences), []
    for indices, outputs in engine.batches(sentences, "fr", "en"):
        ahead.append(len(submitted) - sum(x is not None for x in got) - len(indices))
        for i, output in zip(indices, outputs):
            got[i] = output
    assert got == expected
    assert len(submitted) == len(sentences) and max(ahead) == 2 * argos.IN_FLIGHT - 1


def test_a_folder_loads_each_model_once(installed, tmp_path, monkeypatch):
    """Many articles go through one stream per language pair: each model is loaded once for the
    folder, not once per article (without a glossary there is no retry stage), then freed."""
    import ctranslate2

    from passeur import api

    loads = []
    real = ctranslate2.Translator

    def counted(path, **options):
        loads.append(path)
        return real(path, **options)

    day = tmp_path / "day"
    day.mkdir()
    for number in range(5):
        (day / f"article-{number}.txt").write_text(f"Titre {number}\n\n" + " ".join(SENTENCES), "utf-8")
    monkeypatch.setattr(ctranslate2, "Translator", counted)
    engine = ArgosEngine(EngineConfig(max_length_ratio=1.0), installed)
    results = api.translate(api.read_articles([str(day)], recursive=True), ["en", "ar", "he"], engine, glossary=None)
    assert len(results) == 5 and all(r.translations["he"][1] for r in results)
    assert len(loads) == len(set(loads)) == 3
    assert engine._loaded == {}


def test_releasing_a_model_gives_its_memory_back(installed, monkeypatch):
    """A released model's freed heap pages go back to the system (glibc's malloc_trim), once per
    model actually held; releasing a pair that is not loaded does nothing."""
    trims = []
    monkeypatch.setattr(argos, "give_back_memory", lambda: trims.append(1))
    engine = ArgosEngine(EngineConfig(), installed)
    engine.translate(SENTENCES[:2], "fr", "en")
    engine.release("fr", "en")
    engine.release("fr", "en")
    assert len(trims) == 1 and engine._loaded == {}
    argos._glibc.cache_clear()
    monkeypatch.setattr(argos.sys, "platform", "darwin")
    assert argos._glibc() is None
    argos._glibc.cache_clear()
