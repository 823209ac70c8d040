"""passeur's JSON results read back: whatever a hand-edited or hostile file holds, one clear error."""

from __future__ import annotations

import json

import pytest

from passeur.errors import InputError
from passeur.result import read_results

GOOD = {"file": "a.txt", "source": {"lang": "fr", "sentences": ["Un colon."]},
        "translations": {"en": ["A settler."]}, "summary": {"indices": []},
        "terms": [{"sentence": 0, "lang": "en", "concept": "c", "term": "colon", "target": "settler", "status": "ok"}]}


def hostile(**changes) -> bytes:
    return json.dumps({**GOOD, **changes}).encode()


def test_a_good_file_reads():
    (result,) = read_results("a.json", hostile())
    assert result.terms[0].target == "settler" and result.translations["en"] == ["A settler."]


@pytest.mark.parametrize("data, message", [
    (hostile(terms=5), "terms must be a list"),
    (hostile(terms=True), "terms must be a list"),
    (hostile(terms=["x"]), "malformed"),
    (hostile(terms=[{**GOOD["terms"][0], "sentence": 1.5}]), "malformed"),
    (json.dumps(GOOD).replace('"sentence": 0', '"sentence": Infinity').encode(), "malformed"),
    (hostile(terms=[{**GOOD["terms"][0], "sentence": -1}]), "malformed"),
    (hostile(terms=[{**GOOD["terms"][0], "lang": ["en"]}]), "malformed"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (hostile(translations={'x"><img src=x onerror=alert(1)>': ["A settler."]}), "not a language code"),
])
def test_a_hostile_file_is_one_clear_error(data, message):
    with pytest.raises(InputError, match=message):
        read_results("a.json", data)


def test_summary_languages_that_are_not_codes_are_dropped():
    (result,) = read_results("a.json", hostile(summary={"indices": [0], "en": ["A settler."], "<b>": ["x"]}))
    assert set(result.summary.sentences) == {"en"}
