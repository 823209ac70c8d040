"""Fuzzing the files passeur reads besides articles: JSON results (glossary check, diff --impact),
glossaries (TSV, CSV, TBX) and the calibration file. The only failure allowed is passeur's own
one-line error; anything else is a traceback a user would see. Fixed example budgets, small inputs."""

from __future__ import annotations

import json
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passeur.errors import PasseurError, PasseurWarning
from passeur.glossary.formats import read_csv, read_tbx, read_tsv
from passeur.result import read_results

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10)
GOOD = {"file": "a.txt", "source": {"lang": "fr", "sentences": ["Un colon.", "Deux."], "kinds": ["title", "text"],
                                    "paragraphs": [[0], [1]]},
        "translations": {"en": ["A settler.", "Two."]}, "summary": {"indices": [1], "en": ["Two."]},
        "terms": [{"sentence": 0, "lang": "en", "concept": "c", "term": "colon", "target": "settler", "status": "ok"}],
        "signature": "v:1"}


def refused_or_read(read, *args) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PasseurWarning)
        try:
            read(*args)
        except PasseurError:
            pass


def _replace(value, path, new):
    if not path:
        return new
    key = path[0]
    if isinstance(value, dict) and key in value:
        return {**value, key: _replace(value[key], path[1:], new)}
    if isinstance(value, list) and isinstance(key, int) and key < len(value):
        return [*value[:key], _replace(value[key], path[1:], new), *value[key + 1:]]
    return value


PATHS = st.sampled_from([(), ("source",), ("source", "sentences"), ("source", "sentences", 0), ("source", "kinds"),
                         ("source", "paragraphs"), ("source", "lang"), ("translations",), ("translations", "en"),
                         ("translations", "en", 1), ("summary",), ("summary", "indices"), ("terms",), ("terms", 0),
                         ("terms", 0, "sentence"), ("terms", 0, "lang"), ("file",), ("signature",)])


@FUZZ
@given(path=PATHS, value=JSON_VALUES, as_list=st.booleans())
def test_fuzz_results(path, value, as_list):
    document = _replace(GOOD, path, value)
    data = json.dumps([document] if as_list else document, allow_nan=True).encode()
    refused_or_read(read_results, "a.json", data)


TABLE_PIECES = st.sampled_from(["id", "fr", "en", "ar", "he", "fr-FR", "EN", "xx", "plural:en", "singular:ar",
                                "forbidden:he", "dnt", "case", "source-only", "note", "yes", "colons", "settlers",
                                "مستوطن", "מתנחל", "Ehpad", "|", " ", "\t", ",", ";", '"', "\n", "\r\n", "#", "\ufeff",
                                "\u200f", "\x00", "é", "e\u0301", "pâte", "pâtes", "=1+1", "a" * 300])


@FUZZ
@given(pieces=st.lists(TABLE_PIECES, max_size=40), fmt=st.sampled_from(["tsv", "csv"]))
def test_fuzz_glossary_tables(pieces, fmt):
    data = "".join(pieces).encode("utf-8")
    refused_or_read(read_tsv if fmt == "tsv" else read_csv, data, f"g.{fmt}")


TBX_PIECES = st.sampled_from(['<?xml version="1.0"?>', "<martif>", "</martif>", "<text><body>", "</body></text>",
                              "<termEntry>", '<termEntry id="x">', "</termEntry>", '<langSet xml:lang="fr">',
                              '<langSet xml:lang="en-GB">', '<langSet xml:lang="zz">', '<langSet lang="">',
                              "</langSet>", "<tig><term>colons</term></tig>", "<tig><term>settlers</term></tig>",
                              '<termNote type="grammaticalNumber">plural</termNote>', "<tig>", "</tig>",
                              '<descrip type="passeur-dnt">yes</descrip>', "<!DOCTYPE x [<!ENTITY e 'x'>]>", "&e;",
                              "<![CDATA[x]]>", "<!-- c -->", "<", ">", "&amp;"])


@FUZZ
@given(pieces=st.lists(TBX_PIECES, max_size=30))
def test_fuzz_tbx(pieces):
    refused_or_read(read_tbx, "".join(pieces).encode("utf-8"), "g.tbx")


@FUZZ
@given(value=JSON_VALUES)
def test_fuzz_calibration(value, tmp_path_factory):
    from echo_engine import EchoEngine

    from passeur.calibration import chosen_style

    path = tmp_path_factory.mktemp("calibration") / "calibration.json"
    path.write_text(json.dumps({"format": "passeur calibration", "routes": value}, allow_nan=True), "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PasseurWarning)
        assert chosen_style(EchoEngine(), ["en", "ar"], path=path) in ("psr", "xq", "none")
