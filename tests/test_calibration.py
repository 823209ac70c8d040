"""passeur models calibrate: the placeholder style the models carry best is measured, stored and used."""

from __future__ import annotations

import json

import pytest
from echo_engine import EchoEngine, StyleEngine

from passeur import api
from passeur.calibration import CANDIDATES, calibrate, chosen_style, probe_sentences
from passeur.glossary import default_glossary
from passeur.glossary.match import TermMatcher


def test_the_probe_set_covers_every_term_in_many_contexts():
    sentences = probe_sentences()
    assert len(sentences) >= 180
    matcher = TermMatcher(default_glossary(), verbatim=False)
    found = [o.concept.id for s in sentences for o in matcher.find(s)]
    assert {c.id for c in default_glossary().concepts} <= set(found)
    assert sum(("’" in s.split(" ")[0] or " d’" in s or " l’" in s) for s in sentences) > 25  # elision


@pytest.mark.parametrize("drops, expected", [(("psr",), "xq"), (("xq",), "psr"), ((), "psr")])
def test_calibrate_picks_the_style_the_models_keep(drops, expected, monkeypatch):
    monkeypatch.setattr(StyleEngine, "drops", drops)
    report = calibrate(StyleEngine(), default_glossary(), ["en", "he"], limit=40)
    assert report.best() == expected
    assert set(report.right) == set(CANDIDATES) and report.terms["en"] > 30
    if drops:
        assert report.kept[drops[0]][("fr", "en")] == 0.0
    assert report.kept[expected][("fr", "en")] == 1.0 and report.kept[expected][("en", "he")] == 1.0


def test_calibration_is_stored_and_used_by_translate(monkeypatch, tmp_path, article_path):
    monkeypatch.setattr(StyleEngine, "drops", ("psr",))
    engine = StyleEngine()
    assert chosen_style(engine, ["en", "he"]) == "psr"  # not calibrated: the default
    api.calibrate(["en", "he"], engine, limit=30)
    assert chosen_style(engine, ["en", "he"]) == "xq"
    assert chosen_style(engine, ["en", "ar"]) == "psr"  # fr→en→ar was never measured
    result = api.translate(api.read_articles([article_path]), ["en", "he"], engine)[0]
    assert "|prot:xq|" in result.signature
    terms = [h for h in result.terms if h.concept != "number"]
    assert terms and all(h.status == "ok" and h.enforced == "placeholder" for h in terms)


def test_calibrate_command_prints_the_table(run, tmp_path, monkeypatch, register_engine):
    register_engine("style", "echo_engine:StyleEngine")
    result = run("models", "calibrate", "--engine", "style", "--to", "en,ar", "--sentences", "20")
    assert result.exit_code == 0, result.output
    assert "fr→en kept" in result.stdout and "en terms right" in result.stdout
    line = next(line for line in result.stdout.splitlines() if "chosen" in line)
    assert "xq" in line and "translate now uses xq" in result.stderr
    stored = json.loads(next((tmp_path / "home" / "data" / "passeur").glob("calibration.json")).read_text())
    assert stored["format"] == "passeur calibration"
    assert all(record["right"]["xq"] == 1.0 for record in stored["routes"].values())


def test_real_models_calibrate_end_to_end(installed, run):
    """Tiny random-weight models copy no placeholder: every style scores 0 and the default stays."""
    result = run("models", "calibrate", "--to", "en", "--sentences", "10")
    assert result.exit_code == 0, result.output
    assert "chosen" in result.stdout and "uses psr" in result.stderr


def test_echo_keeps_everything():
    assert calibrate(EchoEngine(), default_glossary(), ["en"], limit=10).best() == "psr"


@pytest.mark.parametrize("content", [
    '{"format": "passeur calibration", "routes": {"r": {"right": {"psr": "high"}}}}',
    '{"format": "passeur calibration", "routes": {"r": {"right": {"psr": null}}}}',
    '{"format": "passeur calibration", "routes": {"r": {"right": {"psr": [1]}}}}',
    '{"format": "passeur calibration", "routes": {"r": {"right": {"psr": 1' + "0" * 400 + '}}}}',
    '{"format": "passeur calibration", "routes": {"r": {"right": {"psr": NaN}}}}',
    "[" * 100_000 + "]" * 100_000,
    '{"compilerOptions": {"strict": true}, "include": {"src": 1}}',  # a tsconfig.json: not passeur's
])
def test_a_calibration_file_that_is_not_passeurs_is_not_used_and_never_written_over(content, tmp_path):
    from passeur.calibration import Calibration, save
    from passeur.errors import InputError, PasseurWarning

    path = tmp_path / "calibration.json"
    path.write_text(content, "utf-8")
    with pytest.warns(PasseurWarning, match="not a passeur calibration file"):
        assert chosen_style(EchoEngine(), ["en"], path=path) == "psr"
    report = Calibration({s: {} for s in CANDIDATES}, {s: {"en": 1.0} for s in CANDIDATES}, {"en": 3}, 3)
    with pytest.warns(PasseurWarning), pytest.raises(InputError, match="will not write over it"):
        save(report, EchoEngine(), ["en"], path=path)
    assert path.read_text("utf-8") == content
