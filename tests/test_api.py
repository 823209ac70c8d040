"""The library API a Python user calls (the command line calls the same), the signature, the cache
key, settings precedence, and the JSON written and read back."""

from __future__ import annotations

import json

import pytest
from echo_engine import EchoEngine

from passeur import api
from passeur.errors import InputError
from passeur.result import ArticleResult, read_results, results_to_json
from passeur.signature import Signature
from passeur.translate.engine import EngineConfig
from conftest import EXAMPLE


def test_a_python_user_does_what_the_command_line_does(article_path, tmp_path):
    articles = api.read_articles([article_path])
    results = api.summarize(articles, ["en", "he"], EchoEngine(), request=api.SummaryRequest("lead", 2))
    paths = api.plan_outputs(articles, "json", str(tmp_path / "out.json"))
    assert api.write_results(results, "json", paths) == [tmp_path / "out.json"]
    again = read_results(tmp_path / "out.json")
    assert again[0].summary.indices == [1, 2] and again[0].translations["he"][3] is None
    report = api.check_terms([tmp_path / "out.json"])
    assert report.rows and not report.problems  # the echo engine copies placeholders: every term is right
    assert "# Cloud et surveillance" in api.render(results, "md", frozenset({"summary"}))


def test_json_round_trip_keeps_nulls_kinds_summary_and_terms(article_path):
    articles = api.read_articles([article_path])
    results = api.summarize(articles, ["en", "ar"], EchoEngine(), request=api.SummaryRequest("lead", 2))
    text = results_to_json(results)
    back = read_results("x.json", text.encode("utf-8"))
    assert results_to_json(back) == text
    assert back[0].article.segments == results[0].article.segments
    assert isinstance(back[0], ArticleResult) and back[0].terms == results[0].terms


@pytest.mark.parametrize("data, message", [
    (b"[]", "holds no article"),
    (b"{\"source\": {}}", "not a passeur result"),
    (b"{\"source\": {\"sentences\": [\"a\"]}, \"translations\": {\"en\": [\"a\", \"b\"]}}", "must hold 1 sentences"),
    (b"{\"source\": {\"sentences\": [1]}, \"translations\": {}}", "list of strings"),
    (b"\xff\xfe", "not JSON"),
])
def test_reading_bad_json_names_the_problem(data, message):
    with pytest.raises(InputError, match=message):
        read_results("bad.json", data)


def test_glossary_check_reads_what_summarize_writes(article_path, echo_registered, run, tmp_path):
    """summarize leaves untranslated sentences null: check skips them instead of failing."""
    out = tmp_path / "summary.json"
    assert run("summarize", article_path, "--engine", "echo", "--format", "json", "-o", out).exit_code == 0
    checked = run("glossary", "check", out, "--format", "json", "--all")
    assert checked.exit_code == 0, checked.output
    assert {h["lang"] for h in json.loads(checked.stdout)} == {"en", "ar", "he"}


def test_signature_parts_round_trip():
    signature = Signature((("fr", "en", "argos/translate-fr_en-1.9#3b0c1d"),), "beam4,int8,len2", "newsroom@3f2a9c",
                          "", "lead,2", "0.2.0")
    text = str(signature)
    assert text == "fr>en:argos/translate-fr_en-1.9#3b0c1d|dec:beam4,int8,len2|gloss:newsroom@3f2a9c|sum:lead,2|v:0.2.0"
    assert Signature.parse(text) == signature


def test_beam_compute_type_and_model_change_the_key_and_the_signature(installed, model_files, article_path, tmp_path):
    """The cache key and the signature are built from the same parts: what changes one changes the other."""
    from passeur.translate.argos import ArgosEngine
    from passeur.translate.cache import Cache, CachedEngine

    cache = Cache(tmp_path / "c.sqlite")
    base = CachedEngine(ArgosEngine(EngineConfig(max_length_ratio=1.0)), cache)
    variants = [CachedEngine(ArgosEngine(EngineConfig(max_length_ratio=1.0, beam_size=2)), cache),
                CachedEngine(ArgosEngine(EngineConfig(max_length_ratio=1.0, compute_type="float32")), cache)]
    keys = {engine.route("fr", "en") for engine in [base, *variants]}
    signatures = {f"{engine.signature('fr', 'en')}|{engine.decoding()}" for engine in [base, *variants]}
    assert len(keys) == 3 and len(signatures) == 3
    # The same name and version, built from other weights: another model, another key.
    import make_model
    from passeur.translate.models import install_file

    other = make_model.build_package("fr", "en", "tiny", tmp_path / "other.argosmodel", seed=7)
    before = base.route("fr", "en")
    install_file(other, installed, force=True)
    rebuilt = CachedEngine(ArgosEngine(EngineConfig(max_length_ratio=1.0)), cache)
    assert rebuilt.route("fr", "en") != before
    assert rebuilt.signature("fr", "en").split("#")[0] == base.signature("fr", "en").split("#")[0]


def test_a_rebuilt_model_does_not_reuse_the_old_models_translations(installed, model_files, tmp_path, run):
    import make_model

    from passeur.translate.models import install_file

    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUne phrase sur le cloud.", "utf-8")
    first = json.loads(run("translate", article, "--to", "en", "--format", "json").stdout)
    install_file(make_model.build_package("fr", "en", "tiny", tmp_path / "o.argosmodel", seed=3), installed, force=True)
    second = json.loads(run("translate", article, "--to", "en", "--format", "json").stdout)
    assert second["translations"]["en"] != first["translations"]["en"]
    assert second["signature"] != first["signature"]


@pytest.mark.parametrize("environ, flags, expected", [
    ({}, {}, 4),
    ({"PASSEUR_BEAM_SIZE": "2"}, {}, 2),
    ({"PASSEUR_BEAM_SIZE": "2"}, {"beam_size": 6}, 6),
    ({"PASSEUR_BEAM_SIZE": ""}, {}, 4),
])
def test_settings_precedence_flag_environment_default(environ, flags, expected):
    assert EngineConfig.resolve(environ, **flags).beam_size == expected


@pytest.mark.parametrize("name, value, message", [
    ("PASSEUR_BEAM_SIZE", "0", "from 1 to 32"),
    ("PASSEUR_BEAM_SIZE", "-1", "from 1 to 32"),
    ("PASSEUR_BEAM_SIZE", "1000000000", "from 1 to 32"),
    ("PASSEUR_BEAM_SIZE", "four", "is not a whole number"),
    ("PASSEUR_MAX_LENGTH_RATIO", "nan", "from 0.5 to 10"),
    ("PASSEUR_MAX_LENGTH_RATIO", "inf", "from 0.5 to 10"),
    ("PASSEUR_MAX_LENGTH_RATIO", "0", "from 0.5 to 10"),
    ("PASSEUR_INTER_THREADS", "0", "from 1 to 64"),
    ("PASSEUR_INTRA_THREADS", "100000", "from 0 to 256"),
    ("PASSEUR_COMPUTE_TYPE", "int3", "choose one of"),
])
def test_settings_out_of_range_are_one_line_errors(name, value, message, run, article_path, echo_registered, monkeypatch):
    monkeypatch.setenv(name, value)
    result = run("translate", article_path, "--engine", "echo", "--to", "en")
    assert result.exit_code == 2 and message in result.output and name in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_language_codes_are_checked(run, article_path, echo_registered):
    result = run("translate", article_path, "--engine", "echo", "--to", 'en,"><script>x</script>')
    assert result.exit_code == 2 and "is not a language code" in result.output


def test_no_gpu_is_a_one_line_error(installed, article_path, run):
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has a CUDA device")
    result = run("translate", article_path, "--to", "en", "--device", "cuda")
    assert result.exit_code == 2 and "no usable CUDA device" in result.output and "--device cpu" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_source_language_is_not_a_target(run, article_path, echo_registered):
    result = run("translate", article_path, "--engine", "echo", "--to", "en,fr")
    assert result.exit_code == 2 and "the articles are in fr already" in result.output


@pytest.mark.parametrize("args, message", [
    (["summarize", "x.txt", "--sentences", "0"], "'--sentences': 0 is not in the range"),
    (["translate"], "Missing argument"),
    (["nope"], "No such command 'nope'"),
])
def test_usage_errors_are_one_line(run, args, message):
    result = run(*args)
    assert result.exit_code == 2 and result.output.startswith("passeur: error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_damaged_calibration_file_is_not_used_nor_overwritten(run, article_path, tmp_path, monkeypatch,
                                                               register_engine):
    register_engine("style", "echo_engine:StyleEngine")
    article = tmp_path / "article.txt"
    article.write_text("Titre\n\nUne phrase sur Tsahal.", "utf-8")
    broken = tmp_path / "cal.json"
    broken.write_text("{broken", "utf-8")
    monkeypatch.setenv("PASSEUR_CALIBRATION", str(broken))
    translated = run("translate", article, "--engine", "style", "--to", "en", "--format", "json")
    assert translated.exit_code == 0 and "not a passeur calibration file" in translated.stderr
    assert "|prot:psr|" in json.loads(translated.stdout)["signature"]
    refused = run("models", "calibrate", "--engine", "style", "--to", "en", "--sentences", "10")
    assert refused.exit_code == 2 and "will not write over it" in refused.output
    assert broken.read_text("utf-8") == "{broken"
    monkeypatch.setenv("PASSEUR_CALIBRATION", str(article))  # an article given by mistake: never written over
    assert run("models", "calibrate", "--engine", "style", "--to", "en", "--sentences", "10").exit_code == 2
    assert article.read_text("utf-8") == "Titre\n\nUne phrase sur Tsahal."


def test_an_engine_from_open_engine_works_from_any_thread(installed, article_path, tmp_path):
    """A library user's (or the server's) worker thread uses the engine: the cache keeps working, for both threads."""
    import threading

    engine = api.open_engine(cache=tmp_path / "cache.sqlite")
    sentences = ["Le ministre a parlé.", "Il pleut sur Gaza."]
    done = {}
    worker = threading.Thread(target=lambda: done.update(first=engine.translate(sentences, "fr", "en")))
    worker.start()
    worker.join()
    assert engine.translate(sentences, "fr", "en") == done["first"]  # from the cache, in the main thread
    assert engine.hits == 2 and engine.cache.broken is None
    again = threading.Thread(target=lambda: done.update(again=engine.translate(sentences, "fr", "en")))
    again.start()
    again.join()
    assert done["again"] == done["first"] and engine.hits == 4


def test_a_briefing_written_by_the_library_shows_what_brief_shows(article_path, tmp_path):
    """api.brief then write_results(..., "html") with no parts: summaries and terms, as `passeur brief` writes."""
    articles = api.read_articles([article_path])
    results = api.brief(articles, ["en", "ar"], EchoEngine(), request=api.SummaryRequest("lead", 2))
    [path] = api.write_results(results, "html", [tmp_path / "briefing.html"])
    page = path.read_text("utf-8")
    assert 'class="summaries"' in page and "Glossary terms" in page and 'class="fulltext"' in page
    assert api.default_parts(api.translate(articles, ["en"], EchoEngine())) == api.FULL_TEXT
    assert api.default_parts(api.summarize(articles, ["en"], EchoEngine(), request=api.SummaryRequest("lead", 2))) \
        == api.SUMMARY


@pytest.mark.parametrize("call, argument", [
    (lambda: api.read_articles(["x.txt"], source="english"), "source"),
    (lambda: api.translate([], ["english"], EchoEngine()), "targets"),
    (lambda: api.translate(api.read_articles([EXAMPLE]), ["fr"], EchoEngine()), "targets"),
    (lambda: api.read_line_aligned(api.LineAligned(EXAMPLE, EXAMPLE, "eng")), "lang"),
])
def test_library_errors_name_the_argument_not_a_flag(call, argument):
    with pytest.raises(api.InputError) as caught:
        call()
    assert caught.value.argument == argument and "--" not in str(caught.value)


def test_the_command_line_puts_the_flag_before_the_value(run, article_path, echo_registered):
    result = run("translate", article_path, "--engine", "echo", "--to", "english")
    assert result.exit_code == 2 and "passeur: error: --to 'english' is not a language code" in result.output
    result = run("translate", article_path, "--engine", "echo", "--source", "en", "--to", "en")
    assert "--to en: the articles are in en already: give other target languages, e.g. ar,he" in result.output


def test_texts_keep_their_layout_and_html_its_markup():
    plain, page = api.translate_texts(["  Il pleut.  Tsahal attend.\n\nFin.", "<p>Le <b>ministre</b> &amp; Gaza.</p>"
                                       "<code>x &lt; 1</code>"], "fr", "en", EchoEngine(), html=False)
    assert plain.text == "  [en] Il pleut.  [en] IDF attend.\n\n[en] Fin."
    assert [h.status for h in plain.terms if h.concept == "tsahal"] == ["ok"]
    [fragment] = api.translate_texts(["<p>Le <b>ministre</b> &amp; Gaza.</p><code>x &lt; 1</code>"], "fr", "en",
                                     EchoEngine(), html=True)
    assert fragment.text == "<p>[en] Le <b>[en] ministre</b> [en] &amp; Gaza.</p><code>x &lt; 1</code>"
    assert api.translate_texts(["Déjà en anglais."], "en", "en", EchoEngine())[0].text == "Déjà en anglais."


@pytest.mark.parametrize("name, text, expected", [
    ("a.txt", "Titre\n\nIl pleut sur Gaza.\n", "[ar] Titre\n\n[ar] Il pleut sur غزة.\n"),
    ("a.md", "# Titre\n\n- Il pleut.\n\n```\ncode\n```\n", "# [ar] Titre\n\n- [ar] Il pleut.\n\n```\ncode\n```\n"),
    ("a.html", "<html><head><title>Titre</title><style>p{}</style></head><body><p>Il pleut.</p></body></html>",
     "<html><head><title>[ar] Titre</title><style>p{}</style></head><body><p>[ar] Il pleut.</p></body></html>"),
])
def test_documents_are_translated_in_place(name, text, expected):
    data, done = api.translate_document(text.encode("utf-8"), name, "fr", "ar", EchoEngine())
    assert data.decode("utf-8") == expected.replace("[ar] ", "[ar] [en] ") and done.signature


def test_language_pairs_are_the_routes_translate_takes():
    assert api.language_pairs(EchoEngine()) == {"fr": ["ar", "en", "he"], "en": ["ar", "he"]}
    assert api.language_pairs(EchoEngine(pairs=[("fr", "en")])) == {"fr": ["en"]}
