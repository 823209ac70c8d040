"""How the argos engine schedules its work: hops that overlap, batches of one decoding cap, a bounded
number of models and batches at once, a folder's articles handed on in groups.

Speed itself is measured by bench/speed.py and bench/day.py, not here: these tests check that the
schedule changes no output, keeps every translation with its sentence, and keeps its bounds.
"""

from __future__ import annotations

import threading

import pytest

from passeur.translate import argos
from passeur.translate.argos import ArgosEngine, _Plan
from passeur.translate.engine import Engine, EngineConfig


SENTENCES = [
    "Le gouvernement a présenté mercredi un projet de loi sur l'énergie, après des mois de débats.",
    "Il pleut.",
    "La ministre a répondu aux questions des députés.",
    "Oui.",
    "Les syndicats appellent à une nouvelle journée de grève jeudi dans les transports publics de la région.",
    "Le match a été reporté.",
    "Selon l'Insee, l'inflation a ralenti en octobre pour le troisième mois consécutif, à 4 % sur un an.",
]
HOPS = [("fr", "en"), ("en", "ar"), ("en", "he")]


def spy_on(engine: ArgosEngine, pair, calls: list, during=None):
    """Record what reaches CTranslate2 for a pair: (number of sentences, options) per batch."""
    model = engine._load(*pair)
    translator = engine._translator(model)

    class Spy:
        def translate_batch(self, tokens, **options):
            calls.append((len(tokens), options))
            if during:
                during()
            return translator.translate_batch(tokens, **options)

    model.translator = Spy()


def test_each_batch_holds_one_decoding_cap(installed):
    """What reaches CTranslate2: batches of at most max_batch_size sentences, each sentence with the cap
    its own length gives."""
    calls = []
    engine = ArgosEngine(EngineConfig(inter_threads=1, intra_threads=1, max_batch_size=4), installed)
    spy_on(engine, ("fr", "en"), calls)
    engine.translate([f"{s} ({n})" for n in range(4) for s in SENTENCES], "fr", "en")
    assert sum(size for size, _ in calls) == 28 and max(size for size, _ in calls) == 4
    processor = engine._load("fr", "en").processor
    caps = sorted(argos.decoding_cap(len(processor.encode(f"{s} ({n})")), engine.config.max_length_ratio)
                  for n in range(4) for s in SENTENCES)
    assert sorted(o["max_decoding_length"] for size, o in calls for _ in range(size)) == caps


def test_a_translation_does_not_depend_on_what_is_batched_with_it(installed, tmp_path):
    """Random weights decode to the cap: a cap shared with a long neighbour, or a cache hit beside
    a decoded sentence, would show here. The same input gives byte-identical output alone, in a
    batch, reversed, beside a 150-word sentence, through overlapping hops or hop by hop, cold or
    half from the cache."""
    from passeur.translate.cache import Cache, CachedEngine

    config = EngineConfig(max_length_ratio=1.0, max_batch_size=3)
    engine = ArgosEngine(config, installed)
    alone = [engine.translate([s], "fr", "en")[0] for s in SENTENCES]
    assert engine.translate(SENTENCES, "fr", "en") == alone
    assert engine.translate(SENTENCES[::-1] + ["Une phrase " + "très " * 150 + "longue."], "fr", "en")[:7] == alone[::-1]
    overlapped = engine.translate_plan(SENTENCES, "fr", HOPS)
    assert overlapped == Engine.translate_plan(ArgosEngine(config, installed), SENTENCES, "fr", HOPS)
    cached = CachedEngine(ArgosEngine(config, installed), Cache(tmp_path / "cache.sqlite"))
    cached.translate_plan(SENTENCES[::2], "fr", HOPS)
    assert cached.translate_plan(SENTENCES, "fr", HOPS) == overlapped and cached.hits == 3 * 4
    assert overlapped["en"] == dict(zip(SENTENCES, alone))


@pytest.mark.parametrize("resident", [1, 2])
def test_later_hops_start_while_the_first_one_is_decoding(installed, monkeypatch, resident):
    """The schedule, step by step: fr→en batches first, longest first; while the last fr→en batch is
    still decoding, a free worker gets en→ar work (the English already there) when two models may
    be in memory; with one, en→ar waits for fr→en to be done and freed."""
    monkeypatch.setattr(argos, "RESIDENT", resident)
    engine = ArgosEngine(EngineConfig(inter_threads=2, intra_threads=1, max_batch_size=2, max_length_ratio=1.0),
                         installed)
    sentences = [f"{s} ({n})" for n in range(2) for s in SENTENCES]
    plan = _Plan(engine, sentences, "fr", HOPS, release=True)
    for hop in plan.hops[:1]:
        plan.offer(hop, sentences)
    first = []
    while (chosen := plan.next_batch()) and chosen[0] == ("fr", "en"):
        first.append(chosen)
    caps = [group[1] for _, group, _ in first]
    assert caps == sorted(caps, reverse=True) and sum(len(units) for *_, units in first) == len(sentences)
    assert chosen is None  # nothing else can start before English exists
    *decoded, last = first
    for hop, group, units in decoded:  # every fr→en batch done but the last, which is still decoding
        model = engine._load(*hop)
        engine._translator(model)
        plan.collect(hop, units, plan.decode(model, units, group))
    if resident == 1:
        assert plan.next_batch() is None and engine._loaded[("en", "ar")].translator is None
        return
    assert plan.next_batch()[0] == ("en", "ar")
    assert ("en", "he") in engine._loaded and engine._loaded[("en", "he")].translator is None  # tokenized, not loaded


def test_long_sentences_come_in_smaller_batches(installed, monkeypatch):
    """A batch holds at most BATCH_STEPS // cap sentences: the attention caches a batch holds grow
    with sentences x cap, so long sentences are decoded a few at a time while short ones still
    fill whole batches; the translations stay the same."""
    calls = []
    engine = ArgosEngine(EngineConfig(inter_threads=1, intra_threads=1, max_batch_size=8), installed)
    long = [f"Le conseil a voté ({n}) " + "une très longue motion " * 12 + "." for n in range(8)]
    short = [f"Il pleut ({n})." for n in range(8)]
    alone = [engine.translate([s], "fr", "en")[0] for s in long + short]
    processor = engine._load("fr", "en").processor
    cap = argos.decoding_cap(len(processor.encode(long[0])), engine.config.max_length_ratio)
    monkeypatch.setattr(argos, "BATCH_STEPS", 3 * cap)
    spy_on(engine, ("fr", "en"), calls)
    assert engine.translate(long + short, "fr", "en") == alone
    assert all(size * o["max_decoding_length"] <= 3 * cap for size, o in calls)
    assert max(size for size, o in calls if o["max_decoding_length"] >= cap) == 3
    assert max(size for size, o in calls if o["max_decoding_length"] < cap // 3) == 8


def test_a_hop_tail_is_shared_among_the_workers(installed):
    """The last sentences of a hop that nothing else can run beside are cut into one share per
    worker, busy ones included: five sentences of one cap for two workers go out as a batch of
    three and then shares of what is left, never as one batch of five that leaves a worker idle."""
    engine = ArgosEngine(EngineConfig(inter_threads=2, intra_threads=1, max_batch_size=8, max_length_ratio=1.0),
                         installed)
    sentences = [f"Le conseil municipal se réunira demain ({n})." for n in range(5)]
    plan = _Plan(engine, sentences, "fr", HOPS, release=True)
    plan.offer(HOPS[0], sentences)
    assert len({group for group in plan.ready[HOPS[0]]}) == 1  # one decoding cap
    sizes = []
    while (chosen := plan.next_batch()) is not None:
        sizes.append(len(chosen[2]))
    assert sizes == [3, 1, 1]


@pytest.mark.parametrize("resident", [1, 2])
def test_at_most_resident_models_and_inter_threads_batches_at_once(installed, monkeypatch, resident):
    """Three hops with at most RESIDENT models in memory, and never more batches decoding than
    workers; every sentence still comes back with its own translation."""
    monkeypatch.setattr(argos, "RESIDENT", resident)
    import ctranslate2

    config = EngineConfig(inter_threads=2, intra_threads=1, max_batch_size=2, max_length_ratio=1.0)
    sentences = [f"{s} ({n})" for n in range(3) for s in SENTENCES]
    expected = Engine.translate_plan(ArgosEngine(config, installed), sentences, "fr", HOPS)
    engine = ArgosEngine(config, installed)
    lock, state = threading.Lock(), {"decoding": 0, "most": 0, "models": 0, "most models": 0}
    real = ctranslate2.Translator

    class Counted:
        def __init__(self, *args, **kwargs):
            self.translator = real(*args, **kwargs)
            state["models"] += 1
            state["most models"] = max(state["most models"], state["models"])

        def __del__(self):
            state["models"] -= 1

        def translate_batch(self, tokens, **options):
            with lock:
                state["decoding"] += 1
                state["most"] = max(state["most"], state["decoding"])
            try:
                return self.translator.translate_batch(tokens, **options)
            finally:
                with lock:
                    state["decoding"] -= 1

    monkeypatch.setattr(ctranslate2, "Translator", Counted)
    assert engine.translate_plan(sentences, "fr", HOPS) == expected
    assert 1 <= state["most"] <= 2 and 1 <= state["most models"] <= resident
    assert engine._loaded == {}  # each model released when its hop was done


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


def test_a_folder_hands_on_each_group_of_articles_when_it_is_done(installed, tmp_path):
    """Articles go through the pipeline in groups: the first group's results come out before the
    next group is translated, and they are the results of one run over the whole folder."""
    from passeur import api
    from passeur.pipeline import run_each

    day = tmp_path / "day"
    day.mkdir()
    for number in range(4):
        (day / f"article-{number}.txt").write_text(f"Titre {number}\n\n" + " ".join(SENTENCES[number:]), "utf-8")
    articles = api.read_articles([str(day)], recursive=True)
    engine = ArgosEngine(EngineConfig(max_length_ratio=1.0), installed)
    whole = api.translate(articles, ["en", "ar"], engine, glossary=None)
    decoded = []
    original = engine.translate_plan
    engine.translate_plan = lambda texts, *args, **kwargs: decoded.append(len(texts)) or original(texts, *args, **kwargs)
    each = run_each(articles, ["en", "ar"], engine, group=len(articles[0].segments) + len(articles[1].segments))
    first = [next(each), next(each)]
    assert len(decoded) == 1  # the second group is not translated yet
    rest = list(each)
    assert len(decoded) == 2
    assert [r.translations for r in first + rest] == [r.translations for r in whole]


def test_releasing_a_model_gives_its_memory_back(installed, monkeypatch):
    """A released model's freed heap pages go back to the system (glibc's malloc_trim), once per
    model actually held; releasing a pair that is not loaded does nothing."""
    trims = []
    engine = ArgosEngine(EngineConfig(), installed)
    engine.translate(SENTENCES[:2], "fr", "en")
    monkeypatch.setattr(argos, "give_back_memory", lambda: trims.append(1))
    engine.release("fr", "en")
    engine.release("fr", "en")
    assert len(trims) == 1 and engine._loaded == {}
    argos._glibc.cache_clear()
    monkeypatch.setattr(argos.sys, "platform", "darwin")
    assert argos._glibc() is None
    argos._glibc.cache_clear()
