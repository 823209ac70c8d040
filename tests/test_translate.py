"""passeur translate: real tiny Argos models, pivoting, JSON contract, outputs and errors."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from echo_engine import EchoEngine

from passeur.errors import EngineError, ModelError
from passeur.pipeline import plan_hops, route, run as run_pipeline
from passeur.translate.argos import ArgosEngine
from passeur.translate.engine import EngineConfig, available_engines, load_engine
from passeur.translate.read import read_article

N = 26  # sentences of the example article


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("passeur opened a network socket while translating")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_founding_article_json_with_real_models(installed, article_path, run, no_network):
    result = run("translate", article_path, "--to", "en,ar,he", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    n = len(data["source"]["sentences"])
    assert n == N and data["source"]["lang"] == "fr"
    assert set(data["translations"]) == {"en", "ar", "he"}
    assert all(len(sentences) == n for sentences in data["translations"].values())
    assert set(data) >= {"source", "translations", "summary", "terms", "signature"}
    import re

    from passeur import __version__
    from passeur.glossary import default_glossary

    assert re.fullmatch(r"fr>en:argos/translate-fr_en-1\.0#[0-9a-f]{6}\|en>ar:argos/translate-en_ar-1\.0#[0-9a-f]{6}\|"
                        r"en>he:argos/translate-en_he-1\.0#[0-9a-f]{6}\|dec:beam4,int8,len1\|"
                        + re.escape(f"{default_glossary().signature()}|prot:psr|v:{__version__}"), data["signature"])
    # Random weights never copy a placeholder: every term occurrence is there, reported as missing,
    # unless the fallback found the model's own rendering of the term and replaced it.
    terms = [t for t in data["terms"] if t["concept"] != "number"]
    assert len(terms) == 3 * 31
    assert {t["status"] for t in terms} <= {"missing target term", "ok"}
    assert all(t["enforced"] == "fallback" for t in terms if t["status"] == "ok")
    assert sum(t["status"] == "missing target term" for t in terms) > 80
    # nor any of the article's numbers: each one is reported
    numbers = {(t["lang"], t["term"]) for t in data["terms"] if t["concept"] == "number"}
    assert {n for _, n in numbers} == {"11,5", "11\u00a0500", "2021", "2023", "2025", "60", "7", "8200", "972"}
    assert {lang for lang, _ in numbers} == {"en", "ar", "he"}
    # The random models write each language in its own script, and different sentences differently.
    assert any("\u0600" <= c <= "\u06ff" for c in "".join(data["translations"]["ar"]))
    assert any("\u0590" <= c <= "\u05ff" for c in "".join(data["translations"]["he"]))
    assert len(set(data["translations"]["en"])) > n // 2


def test_english_is_computed_once_and_reused(installed, article_path, monkeypatch):
    from passeur.translate import argos

    decoded = {}
    original = argos._Plan.decode

    def counting(self, model, units, group):
        decoded.setdefault(model.package.pair, []).extend(unit[0] for unit in units)
        return original(self, model, units, group)

    monkeypatch.setattr(argos._Plan, "decode", counting)
    articles = [read_article(article_path), read_article(article_path)]
    results = run_pipeline(articles, ["ar", "he", "en"], ArgosEngine(EngineConfig(max_length_ratio=1.0)))
    # Both articles in one stream per pair; identical sentences decoded once; the English reused.
    assert {pair: len(sentences) for pair, sentences in decoded.items()} == {("fr", "en"): N, ("en", "ar"): N,
                                                                             ("en", "he"): N}
    assert results[0].translations == results[1].translations


def test_models_load_lazily_and_once(installed, monkeypatch):
    import ctranslate2

    loads = []
    original = ctranslate2.Translator

    def counting(path, *args, **kwargs):
        loads.append(path)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    engine = ArgosEngine(EngineConfig(max_length_ratio=1.0))
    assert loads == []  # constructing the engine loads nothing
    engine.translate(["Bonjour."], "fr", "en")
    engine.translate(["Au revoir."], "fr", "en")
    assert len(loads) == 1 and "translate-fr_en" in loads[0]
    engine.release("fr", "en")
    engine.translate(["Encore."], "fr", "en")
    assert len(loads) == 2  # released after its hop, loaded again when needed


def test_batching_keeps_alignment(installed):
    """Sentences sorted by length into small batches come back in input order."""
    sentences = ["Un.", "Une phrase un peu plus longue que la première.", "Deux mots.", "Trois petits mots."] * 3
    small = ArgosEngine(EngineConfig(max_batch_size=2, max_length_ratio=1.0)).translate(sentences, "fr", "en")
    alone = [ArgosEngine(EngineConfig(max_length_ratio=1.0)).translate([s], "fr", "en")[0] for s in sentences[:4]]
    assert small[:4] == alone and small[4:8] == alone
    done = []
    parallel = ArgosEngine(EngineConfig(max_batch_size=2, inter_threads=2, max_length_ratio=1.0))
    assert parallel.translate(sentences, "fr", "en", done.append) == small  # batches decoded in parallel
    assert sum(done) == len(sentences)


def test_echo_engine_pivots_and_keeps_alignment(article_path):
    from passeur.pipeline import Progress

    class Counting(Progress):
        stages, done = [], 0

        def stage(self, description, total):
            self.stages.append((description, total))

        def advance(self, amount):
            self.done += amount

    EchoEngine.calls.clear()
    progress = Counting()
    result = run_pipeline([read_article(article_path)], ["en", "ar", "he"], EchoEngine(), progress=progress)[0]
    assert EchoEngine.calls == [("fr", "en", N), ("en", "ar", N), ("en", "he", N)]
    assert result.translations["ar"][0] == "[ar] [en] " + result.article.sentences[0]
    assert progress.stages == [("translating", 3 * N)] and progress.done == 3 * N


def test_direct_model_is_preferred_to_the_pivot():
    engine = EchoEngine(pairs=[("fr", "en"), ("en", "ar"), ("fr", "ar")])
    assert route(engine, "fr", "ar") == ["fr", "ar"] and route(engine, "fr", "fr") == ["fr"]
    assert plan_hops({"he": ["fr", "en", "he"], "en": ["fr", "en"], "ar": ["fr", "ar"]}) == [
        ("fr", "en"), ("fr", "ar"), ("en", "he")]


def test_engine_registry_and_entry_points(echo_registered):
    """A third-party engine registers under passeur.engines and is chosen with --engine."""
    assert available_engines()["echo"] == "echo_engine:EchoEngine"
    assert isinstance(load_engine("echo"), EchoEngine)
    with pytest.raises(EngineError, match="unknown engine 'nope': choose one of argos, echo"):
        load_engine("nope")


def test_cli_with_plugin_engine_text_and_markdown(echo_registered, run, article_path):
    text = run("translate", article_path, "--engine", "echo", "--to", "en,he")
    assert text.exit_code == 0
    assert "[en] Cloud et surveillance" in text.stdout and "[he] [en] Cloud et surveillance" in text.stdout
    md = run("translate", article_path, "--engine", "echo", "--to", "he", "--format", "md")
    assert '<div dir="rtl" lang="he">' in md.stdout and r"# \[he\] \[en\] Cloud et surveillance" in md.stdout


def test_output_file_is_atomic_and_input_untouched(installed, article_path, tmp_path, run):
    before = article_path.read_bytes()
    out = tmp_path / "out" / "article.json"
    result = run("translate", article_path, "--to", "en", "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["translations"]["en"]
    assert article_path.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["article.json"]  # no temporary file left


def test_several_inputs_to_a_folder_and_stdin(installed, article_path, tmp_path, run):
    copy = tmp_path / "second.txt"
    copy.write_text("Titre\n\nUne phrase. Une autre.", "utf-8")
    result = run("translate", article_path, copy, "--to", "en", "--format", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["azure-cloud.fr.md", "second.md"]
    piped = run("translate", "-", "--to", "en", "--format", "json", input="Titre\n\nUne phrase.".encode())
    assert piped.exit_code == 0 and len(json.loads(piped.stdout)["translations"]["en"]) == 2


@pytest.mark.parametrize("target", ["input", "glossary", "cache", "cache-wal", "model"])
def test_outputs_never_overwrite_what_passeur_reads_or_owns(tmp_path, run, echo_registered, installed, target):
    """Refused before any translation: nothing translated, the file untouched."""
    source = tmp_path / "a.txt"
    source.write_text("Titre\n\nUne phrase sur Tsahal.", "utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("id\tfr\ten\ntsahal\tTsahal\tIDF\n", "utf-8")
    cache = tmp_path / "c.sqlite"
    model = next(installed.glob("translate-fr_en*/metadata.json"))
    output = {"input": source, "glossary": glossary, "cache": cache, "cache-wal": tmp_path / "c.sqlite-wal",
              "model": model}[target]
    before = output.read_bytes() if output.exists() else None
    EchoEngine.calls.clear()
    result = run("translate", source, "--engine", "echo", "--to", "en", "--glossary", glossary, "--cache", cache,
                 "-o", output)
    assert result.exit_code == 2 and "passeur never writes over it" in result.output
    assert EchoEngine.calls == []
    assert (output.read_bytes() if output.exists() else None) == before


def test_refuses_to_overwrite_its_input(installed, tmp_path, run):
    source = tmp_path / "a.txt"
    source.write_text("Titre\n\nUne phrase.", "utf-8")
    result = run("translate", source, "--to", "en", "-o", source)
    assert result.exit_code == 2 and "is one of the inputs" in result.output
    assert source.read_text("utf-8") == "Titre\n\nUne phrase."


@pytest.mark.parametrize("args, message", [
    (["--to", "en"], "no model for fr→en is installed"),
    (["--to", "de"], None),
    (["--engine", "nope"], "unknown engine 'nope'"),
])
def test_errors_are_one_line_exit_2(args, message, article_path, run, packages):
    result = run("translate", article_path, *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("passeur: error: ")
    if message:
        assert message in lines[0]
    assert "Traceback" not in result.output


def test_unsupported_language_names_the_fix(installed, article_path, run):
    result = run("translate", article_path, "--to", "de")
    assert result.exit_code == 2
    assert "no model for fr→de (directly or through en) is installed: run `passeur models install en:de`" in result.output


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary", "binary file"),
    ("Titre\n\nÉté.".encode("latin-1"), "not UTF-8"),
])
def test_bad_input_files(tmp_path, run, installed, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("translate", path, "--to", "en")
    assert result.exit_code == 2 and message in result.output and str(path) in result.output


def test_corrupt_installed_model_is_reported(installed, article_path, run):
    (installed / "translate-fr_en-1_0" / "model" / "model.bin").write_bytes(b"garbage")
    result = run("translate", article_path, "--to", "en")
    assert result.exit_code == 2 and "cannot be loaded" in result.output and "reinstall" in result.output


def test_unsupported_compute_type_says_what_runs(installed, article_path, run):
    result = run("translate", article_path, "--to", "en", "--compute-type", "float16")
    assert result.exit_code == 2 and "does not run on this cpu" in result.output and "reinstall" not in result.output


def test_missing_model_error_is_a_model_error(packages):
    with pytest.raises(ModelError, match="passeur models install fr:en"):
        ArgosEngine().signature("fr", "en")


def test_python_main_py_works_like_passeur(installed, article_path):
    import subprocess
    from pathlib import Path

    main = Path(__file__).resolve().parents[1] / "main.py"
    out = subprocess.run([sys.executable, str(main), "translate", str(article_path), "--to", "en", "--format", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["translations"]["en"]) == N


class Shouter(EchoEngine):
    """Rewrites every letter it is given (upper case), as translation rewrites words; keeps placeholders."""

    def translate(self, sentences, source, target, progress=None):
        import re

        return [re.sub(r"PSR\d+|[^\W\d_]+", lambda m: m.group() if m.group().startswith("PSR") else m.group().upper(), s)
                for s in sentences]


def test_links_code_urls_emails_and_handles_come_through_unchanged(tmp_path):
    from passeur.translate.read import read_article

    path = tmp_path / "a.md"
    path.write_text("# Titre\n\nVoir [le rapport](https://ex.org/r_1.pdf) et `git log`, écrire à jean.dupont@ex.fr "
                    "ou @Tsahal_News sur https://www.ex.org/a?b=c. Puis #Gaza2025.\n\n```\nne pas traduire\n```\n",
                    "utf-8")
    result = run_pipeline([read_article(path)], ["en", "he"], Shouter())[0]
    english = " ".join(result.translations["en"])
    for span in ("[le rapport](https://ex.org/r_1.pdf)", "`git log`", "jean.dupont@ex.fr", "@Tsahal_News",
                 "https://www.ex.org/a?b=c", "#Gaza2025", "ne pas traduire"):
        assert span in english
    assert "VOIR" in english  # the rest was translated
    assert result.translations["he"][-1] == "ne pas traduire"


def test_run_on_sentence_is_translated_whole(installed, tmp_path, run):
    """10,000 characters without punctuation: cut into pieces for the model, nothing truncated."""
    import sentencepiece

    words = ("mot", "enquête", "armée", "données", "cloud", "Gaza", "contrat", "salariés")
    text = " ".join(words[i % len(words)] for i in range(1400))[:10_000]
    path = tmp_path / "long.txt"
    path.write_text("Titre\n\n" + text, "utf-8")
    result = run("translate", path, "--to", "en", "--format", "json", "--no-glossary")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["translations"]["en"][1]
    sp = sentencepiece.SentencePieceProcessor(model_file=str(installed / "translate-fr_en-1_0" / "sentencepiece.model"))
    source_tokens, output_tokens = len(sp.encode(text)), len(sp.encode(out))
    assert source_tokens > 2000  # far past CTranslate2's 1024-token input limit
    assert output_tokens > 0.8 * source_tokens  # random weights decode to the cap: nothing was cut off


def test_full_disk_and_unwritable_output(echo_registered, run, article_path, tmp_path, monkeypatch):
    """A full disk or an output that cannot be made: one line, exit 2, no partial file left."""
    import errno
    import os

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("translate", article_path, "--engine", "echo", "--to", "en", "-o", blocker / "out.txt")
    assert result.exit_code == 2 and "cannot write here" in result.output

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "out"
    out.mkdir()
    result = run("translate", article_path, "--engine", "echo", "--to", "en", "-o", out / "a.txt")
    assert result.exit_code == 2 and "No space left on device" in result.output and "free some space" in result.output
    assert list(out.iterdir()) == []


class Copier(EchoEngine):
    """Copies its input, as a model that leaves unknown tokens alone."""

    def translate(self, sentences, source, target, progress=None):
        return list(sentences)


@pytest.mark.parametrize("glossary", [True, False])
def test_text_that_looks_like_a_placeholder_is_never_removed(glossary):
    """Only placeholders passeur put in are touched: the user's "PSR 4" stays, with or without a glossary."""
    from passeur.glossary import default_glossary
    from passeur.translate.read import article_from_blocks

    text = "La PSR 4 et la P.S.R. 7 et psr_9 avec Tsahal."
    article = article_from_blocks("a.txt", [(text, "text")])
    result = run_pipeline([article], ["en"], Copier(), glossary=default_glossary() if glossary else None)[0]
    out = result.translations["en"][0]
    for kept in ("PSR 4", "P.S.R. 7", "psr_9"):
        assert kept in out
    if glossary:
        assert "IDF" in out  # the term is still enforced (by the fallback: the sentence was not protected)


def test_text_output_says_when_terms_were_not_enforced(installed, article_path, run, echo_registered, tmp_path):
    """Random weights copy no placeholder: the text output ends with one notice pointing to the JSON."""
    result = run("translate", article_path, "--to", "en", "--format", "md")
    notices = [line for line in result.stderr.splitlines() if line.startswith("passeur: notice:")]
    assert len(notices) == 1 and "missing target term" in notices[0] and "--format json" in notices[0]
    assert "notice" not in run("translate", article_path, "--to", "en", "--format", "json").stderr
    assert "notice" not in run("translate", article_path, "--engine", "echo", "--to", "en").stderr


def test_a_lost_link_has_its_own_status(tmp_path):
    from passeur.translate.read import article_from_blocks

    class LinkDropper(EchoEngine):
        def translate(self, sentences, source, target, progress=None):
            return ["Voir le rapport." if "Voir" in s else "autre chose" for s in sentences]

    article = article_from_blocks("a.md", [("Voir https://example.org/rapport ici.", "text")])
    result = run_pipeline([article], ["en"], LinkDropper())[0]
    assert [(h.concept, h.status) for h in result.terms] == [("verbatim", "verbatim span lost")]


def test_errors_stay_one_line_whatever_the_file_name(run, tmp_path, echo_registered):
    """A newline or a right-to-left override in a file name cannot add lines to, or reorder, a message."""
    name = tmp_path / "a\nfake line\u202e.txt"
    result = run("translate", name, "--engine", "echo")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "\\n" in result.output and "\\u202e" in result.output
    glossary = tmp_path / "g.tsv"
    glossary.write_text("id\tfr\ten\na\tTsahal\nb\tGaza\tGaza\tx\n", "utf-8")
    article = tmp_path / "b.txt"
    article.write_text("Titre\n\nUne phrase.", "utf-8")
    bad = run("translate", article, "--engine", "echo", "--glossary", glossary)
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    assert "more problem" in bad.output and "passeur glossary validate" in bad.output


def test_standard_input_is_read_with_the_size_cap(run, echo_registered, monkeypatch):
    import passeur.translate.read as read

    monkeypatch.setattr(read, "MAX_ARTICLE_BYTES", 1000)
    result = run("translate", "-", "--engine", "echo", input=b"Titre\n\n" + b"Une phrase. " * 200)
    assert result.exit_code == 2 and "passeur: error: -: is over" in result.output


@pytest.mark.parametrize("target", ["default glossary", "calibration", "code"])
def test_outputs_never_overwrite_passeurs_own_files(tmp_path, run, echo_registered, target):
    from passeur.calibration import store_path
    from passeur.glossary import default_glossary_path

    source = tmp_path / "a.txt"
    source.write_text("Titre\n\nUne phrase.", "utf-8")
    store_path().parent.mkdir(parents=True, exist_ok=True)
    store_path().write_text("{}", "utf-8")
    import passeur.pipeline

    output = {"default glossary": default_glossary_path(), "calibration": store_path(),
              "code": Path(passeur.pipeline.__file__)}[target]
    before = output.read_bytes()
    result = run("translate", source, "--engine", "echo", "--to", "en", "-o", output)
    assert result.exit_code == 2 and "passeur never writes over it" in result.output
    assert output.read_bytes() == before


def test_a_character_device_output_is_written_into_not_replaced(tmp_path, run, echo_registered):
    import os
    import stat

    source = tmp_path / "a.txt"
    source.write_text("Titre\n\nUne phrase.", "utf-8")
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of the test's own
    result = run("translate", source, "--engine", "echo", "--to", "en", "-o", null)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.stat().st_mode)  # still the device


def test_a_folder_of_one_article_still_writes_into_the_output_folder(tmp_path, run, echo_registered):
    """`-r DAY -o OUT` is the same script every day: on a day with one article OUT is still a folder."""
    day = tmp_path / "day"
    day.mkdir()
    (day / "depeche.txt").write_text("Titre\n\nUne phrase.", "utf-8")
    result = run("translate", "-r", day, "--engine", "echo", "--to", "en", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["depeche.txt"]
    (day / "second.txt").write_text("Titre\n\nUne autre phrase.", "utf-8")
    again = run("translate", "-r", day, "--engine", "echo", "--to", "en", "-o", tmp_path / "out")
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["depeche.txt", "second.txt"]


@pytest.mark.parametrize("inside", ["out", "sub/out", "."])
def test_an_output_inside_the_input_folder_is_refused(tmp_path, run, echo_registered, inside):
    """Otherwise the next run of the same command reads the outputs as articles."""
    day = tmp_path / "day"
    (day / "sub").mkdir(parents=True)
    (day / "a.txt").write_text("Titre\n\nUne phrase.", "utf-8")
    EchoEngine.calls.clear()
    result = run("translate", "-r", day, "--engine", "echo", "--to", "en", "-o", day / inside)
    assert result.exit_code == 2 and "is inside the input folder" in result.output
    assert EchoEngine.calls == [] and sorted(p.name for p in day.rglob("*")) == ["a.txt", "sub"]


def test_links_to_files_outside_the_folder_are_skipped(tmp_path, run, echo_registered):
    """A link dropped into a shared input folder must not make passeur read and write out a file
    from elsewhere; a link to an article inside the folder is read."""
    day = tmp_path / "day"
    day.mkdir()
    (day / "a.txt").write_text("Titre\n\nUne phrase.", "utf-8")
    secret = tmp_path / "private.txt"
    secret.write_text("Note interne\n\nLe mot de passe est Hunter2.", "utf-8")
    (day / "leak.txt").symlink_to(secret)
    (day / "alias.txt").symlink_to(day / "a.txt")
    result = run("translate", "-r", day, "--engine", "echo", "--to", "en", "--format", "json", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "leak.txt: a link to a file outside" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "alias.json"]
    assert "Hunter2" not in "".join(p.read_text("utf-8") for p in (tmp_path / "out").iterdir())


def test_ctrl_c_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch):
    from passeur import outputs

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.txt"
    target.write_text("before", "utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_atomic(target, "after")
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"] and target.read_text("utf-8") == "before"
