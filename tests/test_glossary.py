"""The glossary: files, matching, protect/restore with Arabic and Hebrew clitics, check, diff."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from echo_engine import EchoEngine
from hypothesis import given, settings
from hypothesis import strategies as st

from passeur import __version__
from passeur.errors import InputError
from passeur.glossary import default_glossary, dump_glossary, load_glossary
from passeur.glossary.check import check_sentence
from passeur.glossary.diff import diff
from passeur.glossary.formats import read_tsv
from passeur.glossary.match import Occurrence, TermMatcher, fold
from passeur.glossary.protect import Protected, protect, restore
from passeur.pipeline import run as run_pipeline
from passeur.result import STATUS_FORBIDDEN, STATUS_MISSING, STATUS_NO_EQUIVALENT, STATUS_OK
from passeur.translate.read import read_article

G = default_glossary()
C = G.by_id()
M = TermMatcher(G)


def slots(*ids):
    return Protected("x", " ".join(f"PSR{i}" for i in range(len(ids))), [Occurrence(C[i], 0, 0, "") for i in ids])


@pytest.mark.parametrize("sentence, found", [
    ("Des contrats avec Tsahal.", [("tsahal", "Tsahal")]),
    ("l’armée israélienne et l'armée israélienne", [("armee-israelienne", "armée israélienne")] * 2),
    ("Les armées israéliennes", [("armee-israelienne", "armées israéliennes")]),
    ("L’utilisation d’Azure par l’armée", [("azure", "Azure")]),
    ("la couleur azure du ciel", []),  # case-sensitive product name
    ("le ministere israelien de la defense", [("ministere-defense-israel", "ministere israelien de la defense")]),
    ("dans la bande de Gaza et à Gaza", [("bande-de-gaza", "bande de Gaza"), ("gaza", "Gaza")]),
    ("Le collectif « No Azure For Apartheid »", [("no-azure-for-apartheid", "No Azure For Apartheid")]),
    ("le média +972 Magazine et le site Local Call", [("plus972", "+972 Magazine"), ("local-call", "Local Call")]),
    ("l’attaque du 7 octobre 2023", [("7-octobre", "7 octobre")]),
])
def test_source_terms_are_found(sentence, found):
    assert [(o.concept.id, o.text) for o in M.find(sentence)] == found


@pytest.mark.parametrize("lang, concept, model_output, expected", [
    # Hebrew: a lone prefix letter or a glued one attaches; ב/כ/ל swallow the article ה; ב-Azure
    ("he", "guardian", "ב PSR0", "בגרדיאן"),
    ("he", "tsahal", "ובPSR0", "ובצה\"ל"),
    ("he", "azure", "ו PSR0", "ו-Azure"),
    ("he", "7-octobre", "ל PSR0", "ל-7 באוקטובר"),
    ("he", "tsahal", "של PSR0", "של צה\"ל"),  # a word, not a prefix
    ("he", "guardian", "עם PSR0", "עם הגרדיאן"),
    # Arabic: ل + ال = لل, the model's own ال is dropped, Latin names take a tatweel
    ("ar", "tsahal", "ل PSR0", "للجيش الإسرائيلي"),
    ("ar", "tsahal", "وال PSR0", "والجيش الإسرائيلي"),
    ("ar", "tsahal", "بالPSR0", "بالجيش الإسرائيلي"),
    ("ar", "tsahal", "في PSR0", "في الجيش الإسرائيلي"),
    ("ar", "azure", "ب PSR0", "بـAzure"),
    ("ar", "gaza", "وPSR0", "وغزة"),
])
def test_clitics_attach(lang, concept, model_output, expected):
    assert restore(model_output, slots(concept), lang, "fr").text == expected


@pytest.mark.parametrize("mangled", ["PSR0", "PSR 0", "psr0", "P SR-0", "Psr_0", "PSR٠"])
def test_mangled_placeholders_are_recovered(mangled):
    result = restore(f"Contracts with {mangled}.", slots("tsahal"), "en", "fr")
    assert result.text == "Contracts with IDF." and not result.lost


def test_lost_and_invented_placeholders():
    result = restore("Contracts with PSR1 and PSR7.", slots("tsahal", "azure"), "en", "fr")
    assert result.text == "Contracts with Azure and."
    assert [o.concept.id for o in result.lost] == ["tsahal"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Tsahal", "l’armée israélienne", "Azure", "Gaza", "du Guardian", "le 7 octobre",
                                 "Cisjordanie", "des mots", "Microsoft", "et", "PDG Satya Nadella", ",", "."]),
                max_size=12))
def test_protect_restore_round_trip(words):
    """With an identity engine, restore(protect(s)) is s with each term replaced by its target form."""
    sentence = " ".join(words)
    protected = protect(sentence, M.find(sentence))
    result = restore(protected.text, protected, "fr", "fr")
    assert not result.lost
    expected, last = [], 0
    for o in M.find(sentence):
        expected += [sentence[last:o.start], o.concept.preferred("fr", "fr")]
        last = o.end
    expected.append(sentence[last:])
    assert result.text == " ".join("".join(expected).split())


def check(source, target, lang, glossary=G):
    return check_sentence(0, source, TermMatcher(glossary).find(source), target, lang, glossary)


def test_check_statuses():
    hits = check("Tsahal et Azure.", "The IDF and Azure.", "en")
    assert [(h.concept, h.status) for h in hits] == [("tsahal", STATUS_OK), ("azure", STATUS_OK)]
    hits = check("Tsahal et Azure.", "Tsahal and the cloud.", "en")
    assert [(h.concept, h.status) for h in hits] == [("tsahal", STATUS_MISSING), ("azure", STATUS_MISSING),
                                                     ("tsahal", STATUS_FORBIDDEN)]
    hits = check("Il y a Tsahal.", "יש את הצבא ובצה\"ל.", "he")
    assert [h.status for h in hits] == [STATUS_OK]
    custom = load_text_glossary("id\tfr\ten\tar\nx\tCisjordanie\tWest Bank\t\n")
    assert [h.status for h in check("Cisjordanie", "x", "ar", custom)] == [STATUS_NO_EQUIVALENT]


def test_translate_reports_every_term(article_path):
    """The echo engine copies placeholders: every term of the example article comes out right."""
    result = run_pipeline([read_article(article_path)], ["en", "ar", "he"], EchoEngine(), glossary=G)[0]
    terms = [h for h in result.terms if h.concept != "number"]
    assert terms and all(h.status == STATUS_OK and h.enforced == "placeholder" for h in terms)
    assert "IDF" in result.translations["en"][2] and "צה\"ל" in result.translations["he"][2]
    assert result.signature.endswith(f"|gloss:{G.ident}|prot:psr|v:{__version__}")


def test_terms_are_found_once_per_sentence(article_path, monkeypatch):
    """The search done for protection serves the check: one search per distinct sentence, not per language."""
    searched = []
    original = TermMatcher.find

    def counting(self, sentence):
        searched.append(sentence)
        return original(self, sentence)

    monkeypatch.setattr(TermMatcher, "find", counting)
    article = read_article(article_path)
    run_pipeline([article], ["en", "ar", "he"], EchoEngine(), glossary=G)
    assert sorted(searched) == sorted(set(article.sentences))


@pytest.mark.parametrize("drops, text, how", [
    (r"PSR[0-9](?!\d)", "Des contrats avec IDF et Azure.", "retry"),  # first attempt lost, retry kept
    (r"PSR\d+", "Des contrats avec IDF et Azure.", "fallback"),  # always lost: rendering replaced
])
def test_lost_placeholders_are_retried_then_fall_back(drops, text, how):
    class Dropper(EchoEngine):
        def translate(self, sentences, source, target, progress=None):
            # Renders Tsahal as "Tsahal" in context and alone, as a real model might.
            return [re.sub(drops, "", s) for s in sentences]

    article = read_article_text("Titre\n\nDes contrats avec Tsahal et Azure.")
    result = run_pipeline([article], ["en"], Dropper(), glossary=G)[0]
    assert " ".join(result.translations["en"][1].split()) == text
    assert {(h.concept, h.status, h.enforced) for h in result.terms} == {("tsahal", STATUS_OK, how),
                                                                          ("azure", STATUS_OK, how)}


def test_term_lost_everywhere_is_reported_not_dropped():
    class Paraphraser(EchoEngine):
        def translate(self, sentences, source, target, progress=None):
            return [re.sub(r"PSR\d+|Tsahal", "", s) or "x" for s in sentences]

    result = run_pipeline([read_article_text("Titre\n\nDes contrats avec Tsahal.")], ["en"], Paraphraser(),
                          glossary=G)[0]
    assert [(h.sentence, h.concept, h.status, h.enforced) for h in result.terms] == [(1, "tsahal", STATUS_MISSING, "")]


def read_article_text(text):
    from passeur.translate.read import article_from_blocks, text_blocks

    return article_from_blocks("t.txt", text_blocks(text))


def load_text_glossary(text, tmp=None, suffix=".tsv"):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / f"g{suffix}"
    path.write_text(text, "utf-8")
    return load_glossary(path)


def test_validate_reports_every_problem_with_line_and_column(run, tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("id\tfr\ten\txx-bad-col\tforbidden:en\tplural:ar\n"
                    "a\tTsahal\tIDF\t\t\t\n"
                    "b\ttsahal\tIDF\t\t\t\n"
                    "a\t\tX\t\t\t\n"
                    "c\tGaza\t|Gaza\t\t\t\n"
                    "d\tAzure\tAzure\t\tAzure\t\n", "utf-8")
    result = run("glossary", "validate", path)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert f"{path}:1:4: unknown column 'xx-bad-col'" in lines[0]
    # A plural or forbidden column for a language the glossary has no column for would be ignored.
    assert f"{path}:1:6: column 'plural:ar' is for ar, which has no column of its own" in lines[1]
    assert any(f"{path}:3:2: duplicate source term 'tsahal'" in line for line in lines)
    assert any(f"{path}:4:2: empty fr term" in line for line in lines)
    assert any(f"{path}:5:3: empty preferred en term" in line for line in lines)
    assert any(f"{path}:6:5: 'Azure' is both allowed and forbidden" in line for line in lines)
    assert run("glossary", "validate", tmp_path / "missing.tsv").exit_code == 2


@pytest.mark.parametrize("fmt, suffix", [("tsv", ".tsv"), ("csv", ".csv"), ("tbx", ".tbx")])
def test_formats_round_trip(fmt, suffix, tmp_path):
    path = tmp_path / f"newsroom{suffix}"
    path.write_text(dump_glossary(G, fmt), "utf-8")
    again = load_glossary(path)
    assert again.concepts == tuple(dataclasses.replace(c, line=a.line) for c, a in zip(G.concepts, again.concepts))
    assert again.content_hash() == G.content_hash()


@pytest.mark.parametrize("payload", [
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><martif>&b;</martif>',
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
])
def test_tbx_with_entities_is_refused(payload, tmp_path):
    path = tmp_path / "evil.tbx"
    path.write_text(payload, "utf-8")
    with pytest.raises(InputError, match="refused"):
        load_glossary(path)


def test_diff_and_impact(run, tmp_path, article_path):
    old = tmp_path / "old.tsv"
    old.write_text(dump_glossary(G, "tsv"), "utf-8")
    new_text = dump_glossary(G, "tsv").replace("IDF|Israel Defense Forces", "Israel Defense Forces|IDF")
    new_text = new_text.replace("israel\tIsraël", "israel-renamed\tIsraël")
    new = tmp_path / "new.tsv"
    new.write_text(new_text, "utf-8")
    changes = diff(load_glossary(old), load_glossary(new))
    # an added or removed concept comes field by field, each labelled
    assert {(c.concept, c.kind, c.field) for c in changes} == {("tsahal", "changed", "en")} | {
        (concept, kind, field) for concept, kind in (("israel-renamed", "added"), ("israel", "removed"))
        for field in ("fr", "en", "ar", "he", "case")}
    assert run("glossary", "diff", old, old).exit_code == 0
    # a published translation, made with the echo engine so that the terms are in it
    translated = tmp_path / "article.json"
    data = run_pipeline([read_article(article_path)], ["en", "he"], EchoEngine(), glossary=G)
    from passeur.result import results_to_json
    translated.write_text(results_to_json(data), "utf-8")
    result = run("glossary", "diff", old, new, "--impact", translated, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    tsahal = [i for i in report["impact"] if i["concept"] == "tsahal"]
    assert [(i["sentence"], i["lang"]) for i in tsahal] == [(2, "en"), (3, "en")]  # 0-based in JSON
    assert tsahal[0]["before"].endswith("avec IDF.") and tsahal[0]["after"].endswith("avec Israel Defense Forces.")
    md = run("glossary", "diff", old, new, "--format", "md")
    assert md.exit_code == 1
    # The variant lists keep their '|' escaped: the row has exactly the header's five cells.
    row = "| tsahal | changed | en | IDF \\| Israel Defense Forces \\| Israeli army | Israel Defense Forces \\| IDF \\| Israeli army |"
    assert row in md.stdout.splitlines()


def test_check_command_exit_codes(run, tmp_path):
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("Tsahal a frappé Gaza.\nRien ici.\n", "utf-8")
    tgt.write_text("The IDF struck Gaza.\nNothing here.\n", "utf-8")
    ok = run("glossary", "check", "--source", src, "--translation", tgt, "--lang", "en", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []
    tgt.write_text("Tsahal struck the strip.\nNothing here.\n", "utf-8")
    bad = run("glossary", "check", "--source", src, "--translation", tgt, "--lang", "en", "--format", "json")
    assert bad.exit_code == 1
    assert {(h["concept"], h["status"]) for h in json.loads(bad.stdout)} == {
        ("tsahal", STATUS_MISSING), ("gaza", STATUS_MISSING), ("tsahal", STATUS_FORBIDDEN)}
    assert bad.stderr.strip().endswith("3 term occurrences checked, 3 problems")
    tgt.write_text("The IDF struck the strip.\nNothing here.\n", "utf-8")
    one = run("glossary", "check", "--source", src, "--translation", tgt, "--lang", "en")
    assert one.exit_code == 1 and one.stderr.strip().endswith("2 term occurrences checked, 1 problem")
    # A language given in capitals is that language; a mistyped one is an error, never a silent pass.
    upper = run("glossary", "check", "--source", src, "--translation", tgt, "--lang", "EN", "--format", "json")
    assert upper.exit_code == 1 and [h["concept"] for h in json.loads(upper.stdout)] == ["gaza"]
    (tmp_path / "latin1.txt").write_bytes("Gaza.\nTsahal a frappé.\n".encode("latin-1"))
    latin = run("glossary", "check", "--source", tmp_path / "latin1.txt", "--translation", tgt, "--lang", "en")
    assert latin.exit_code == 2 and f"{tmp_path / 'latin1.txt'}:2: not UTF-8" in latin.stderr
    for wrong in ("eng", "fr"):
        refused = run("glossary", "check", "--source", src, "--translation", tgt, "--lang", wrong)
        assert refused.exit_code == 2
        [line] = refused.stderr.splitlines()
        assert f"--lang {wrong}: not a target language of the glossary newsroom" in line


def test_language_keys_of_a_hand_edited_json_are_codes(run, tmp_path):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps({"source": {"lang": "fr", "sentences": ["Tsahal a frappé Gaza."]},
                                "translations": {"EN": ["Tsahal struck Gaza."]}}), "utf-8")
    result = run("glossary", "check", path, "--format", "json")
    assert result.exit_code == 1
    assert {(h["lang"], h["concept"], h["status"]) for h in json.loads(result.stdout)} == {
        ("en", "tsahal", STATUS_MISSING), ("en", "tsahal", STATUS_FORBIDDEN)}


def test_checking_a_sentence_with_a_term_many_times_stays_linear():
    """Each occurrence searches the translation: folding it once per occurrence was quadratic
    (8,000 occurrences took minutes). Counted, not timed: the folds of the translation."""
    from passeur.glossary import match

    glossary = read_tsv(b"id\tfr\ten\nvirus\tvirus\tvirus\n", "g.tsv")
    source, target = "les virus " * 3000, "the viruses " * 3000
    occurrences = TermMatcher(glossary).find(source)
    match.fold.cache_clear()
    hits = check_sentence(0, source, occurrences, target, "en", glossary)
    assert len(hits) == 3000 and {h.status for h in hits} == {STATUS_OK}
    assert match.fold.cache_info().misses <= 3  # the translation once, each form of the term once


def test_show_and_no_glossary(run, article_path, tmp_path):
    shown = run("glossary", "show")
    assert shown.exit_code == 0 and "צה\"ל" in shown.stdout and "tsahal" in shown.stdout
    assert "\tIDF|Israel Defense Forces" in run("glossary", "show", "--format", "tsv").stdout


_word = st.text(alphabet=st.sampled_from(list("abcéèçàזצהלالعربي\"'’+- 7=@,;")), min_size=1, max_size=12).map(
    lambda w: " ".join(w.split())).filter(bool)


@st.composite
def glossaries(draw):
    from passeur.glossary.model import Concept, Glossary

    # Source terms that match different texts: matching ignores accents, and case unless sensitive.
    sources = draw(st.lists(_word, min_size=1, max_size=8, unique_by=lambda w: fold(w, False)))
    concepts = []
    for number, source in enumerate(sources):
        dnt = draw(st.booleans())
        terms = {"fr": (source,)}
        for lang in ("en", "ar", "he"):
            terms[lang] = () if dnt else tuple(draw(st.lists(_word, max_size=3, unique=True)))
        forbidden = {"en": tuple(w for w in draw(st.lists(_word, max_size=2, unique=True)) if w not in terms["en"])}
        forbidden = {k: v for k, v in forbidden.items() if v}
        plurals = {} if dnt else {lang: tuple(draw(st.lists(_word, max_size=2, unique=True))) for lang in ("en", "he")}
        plurals = {k: v for k, v in plurals.items() if v}
        concepts.append(Concept(f"c{number}", terms, dnt, draw(st.booleans()), forbidden, draw(_word | st.just("")),
                                plurals=plurals))
    return Glossary("g", ("fr", "en", "ar", "he"), tuple(concepts))


@settings(max_examples=100, deadline=None)
@given(glossaries(), st.sampled_from(["tsv", "csv", "tbx"]))
def test_glossary_files_round_trip(glossary, fmt):
    from passeur.glossary import FORMATS

    again = FORMATS[fmt].read(FORMATS[fmt].write(glossary).encode("utf-8"), f"g.{fmt}")
    strip = lambda g: [(c.id, {k: v for k, v in c.terms.items() if v}, c.dnt, c.case_sensitive, c.forbidden, c.note,  # noqa: E731
                        c.plurals)
                       for c in g.concepts]
    assert strip(again) == strip(glossary)
    assert diff(glossary, again) == []


@settings(max_examples=100, deadline=None)
@given(glossaries())
def test_diff_of_a_glossary_with_itself_is_empty(glossary):
    assert diff(glossary, glossary) == []


def test_ten_thousand_concepts_still_find_the_right_terms():
    """A 10,000-concept glossary (bench/scale.py measures its speed): the newsroom terms and the
    synthetic ones are all found, longest first."""
    from passeur.glossary.model import Concept, Glossary

    synthetic = [Concept(f"c{i}", {"fr": (f"terme numéro{i} spécial",), "en": (f"term {i}",)}) for i in range(10_000)]
    big = Glossary("big", G.languages, G.concepts + tuple(synthetic))
    matcher = TermMatcher(big)
    found = matcher.find("Tsahal et le terme numéro9999 spécial, puis l’armée israélienne à Gaza.")
    assert [(o.concept.id, o.text) for o in found] == [
        ("tsahal", "Tsahal"), ("c9999", "terme numéro9999 spécial"),
        ("armee-israelienne", "armée israélienne"), ("gaza", "Gaza")]


@pytest.mark.parametrize("source, target, lang, missing", [
    ("Le taux atteint 6,5 % en 2023.", "The rate reached 6.5% in 2023.", "en", []),
    ("Il y a 1 000 000 d’appels.", "There are 1,000,000 calls.", "en", []),
    ("Il y a 3 500 victimes.", "هناك ٣٥٠٠ ضحية.", "ar", []),  # Arabic-Indic digits
    ("Le 7 octobre 2023.", "On October 7, 2023.", "en", []),
    ("Le 7 octobre 2023.", "On October 7 2023.", "en", []),  # "7 2023" is two numbers, not 72023
    ("En 2022 et 2023.", "In 2022.", "en", ["2023"]),
    ("Voir https://ex.org/2024 en 2021.", "See https://ex.org/2024 in 2012.", "en", ["2021"]),
])
def test_numbers_must_come_through(source, target, lang, missing):
    from passeur.glossary.check import check_numbers
    from passeur.result import STATUS_NUMBER

    hits = check_numbers(0, source, target, lang)
    assert [h.term for h in hits] == missing and all(h.status == STATUS_NUMBER for h in hits)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_glossary_that_is_not_a_regular_file_is_refused(run, tmp_path, kind):
    import os

    path = tmp_path / "g.tsv"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = run("glossary", "validate", path)
    assert result.exit_code == 2 and "not a regular file" in result.output
