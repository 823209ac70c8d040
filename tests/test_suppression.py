"""Forbidden renderings cannot be decoded: the argos engine bans their token sequences while
decoding (CTranslate2's suppress_sequences), in the fallback and when the check finds one."""

from __future__ import annotations

import pytest
from make_model import build_package

from passeur.glossary.formats import read_tsv
from passeur.pipeline import run
from passeur.result import STATUS_FORBIDDEN
from passeur.translate.argos import ArgosEngine
from passeur.translate.engine import Engine, EngineConfig
from passeur.translate.models import install_file
from passeur.translate.read import article_from_blocks

GLOSSARY = read_tsv("id\tfr\ten\tforbidden:en\ngendarmerie\tgendarmerie\tgendarmerie\tpolice\n".encode(), "g.tsv")


@pytest.fixture(scope="module")
def police_model(tmp_path_factory):
    """A fr→en model with a habit: it writes "police" whenever it may."""
    folder = tmp_path_factory.mktemp("police")
    return build_package("fr", "en", "tiny", folder / "translate-fr_en.argosmodel", favour="\u2581police")


@pytest.fixture
def engine(packages, police_model):
    install_file(police_model, packages)
    return ArgosEngine(EngineConfig(max_length_ratio=1.0))


class Ignoring(ArgosEngine):
    """The same engine, unable to ban anything (what any engine without suppression does)."""

    translate_avoiding = Engine.translate_avoiding


def test_the_model_writes_the_forbidden_word_unless_it_is_banned(engine):
    sentence = ["La gendarmerie est arrivée."]
    assert "police" in engine.translate(sentence, "fr", "en")[0]
    avoided = engine.translate_avoiding(sentence, "fr", "en", [("police",)])[0]
    assert "police" not in avoided.lower() and avoided


def test_ban_lists_cover_case_word_starts_and_clitics(engine):
    import sentencepiece

    sequences = engine.banned_sequences(("police",), "fr", "en")
    processor = sentencepiece.SentencePieceProcessor(
        model_file=str(next(engine.directory.glob("translate-fr_en*/sentencepiece.model"))))
    assert ["\u2581police"] in sequences  # at a word start
    assert ["\u2581P", "o", "li", "ce"] in sequences or ["\u2581Po", "li", "ce"] in sequences  # capitalized
    # Every piece is in the vocabulary ("police" glued to a word is not a piece here: left out).
    assert all(processor.piece_to_id(piece) != processor.unk_id() for sequence in sequences for piece in sequence)
    assert ["police"] not in sequences


def test_a_forbidden_rendering_found_by_the_check_is_decoded_again(engine):
    article = article_from_blocks("a.txt", [("Il pleut sur la ville.", "text")])
    unbanned = run([article], ["en"], Ignoring(EngineConfig(max_length_ratio=1.0)), GLOSSARY)[0]
    assert [h.status for h in unbanned.terms] == [STATUS_FORBIDDEN]  # the same model, without bans
    result = run([article], ["en"], engine, GLOSSARY)[0]
    assert result.terms == [] and "police" not in result.translations["en"][0].lower()


def test_the_fallback_decodes_with_forbidden_renderings_banned(engine, monkeypatch):
    """The placeholder is lost (random weights): the unprotected decode bans what the glossary forbids."""
    calls = []
    original = ArgosEngine.translate_avoiding

    def spy(self, sentences, source, target, avoid, progress=None):
        calls.append(dict(zip(sentences, avoid)))
        return original(self, sentences, source, target, avoid, progress)

    monkeypatch.setattr(ArgosEngine, "translate_avoiding", spy)
    article = article_from_blocks("a.txt", [("La gendarmerie est arrivée.", "text")])
    result = run([article], ["en"], engine, GLOSSARY)[0]
    assert calls and calls[0]["La gendarmerie est arrivée."] == ("police",)
    assert not [h for h in result.terms if h.status == STATUS_FORBIDDEN]
    assert "police" not in result.translations["en"][0].lower()
