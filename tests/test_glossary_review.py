"""The translator's review loop: export the glossary, edit it, validate, diff for a pull request,
see the impact on a published article. Every step keeps every cell where it was written."""

from __future__ import annotations

import io
import json
import re

import pytest
from echo_engine import EchoEngine
from hypothesis import given, settings
from hypothesis import strategies as st

from passeur.glossary import FORMATS, default_glossary, default_glossary_path, load_glossary
from passeur.glossary.diff import diff, replace_term
from passeur.glossary.formats import GlossaryProblems
from passeur.glossary.match import fold
from passeur.glossary.model import Concept, Glossary, Layout
from passeur.pipeline import run as run_pipeline
from passeur.result import results_to_json
from passeur.translate.read import read_article

G = default_glossary()
NEWSROOM = default_glossary_path().read_text("utf-8")
HEADER = "id\tfr\ten\tar\the\tdnt\tcase\tforbidden:en\tnote\n"
GAZA = "gaza\tGaza\tGaza\tغزة\tעזה\t\tsensitive\t\tStandard names\n"
WEST_BANK = "cisjordanie\tCisjordanie\tWest Bank\tالضفة الغربية\tהגדה המערבית\t\tsensitive\tCisjordan\t\n"


def write(tmp_path, text, name="g.tsv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def problems(path):
    with pytest.raises(GlossaryProblems) as err:
        load_glossary(path)
    return err.value.problems


# --- validate: no cell ever moves ----------------------------------------------------------------

def test_a_row_missing_a_cell_is_an_error_not_a_shifted_row(run, tmp_path):
    """Gaza without its English cell: غزة would land in en, sensitive in dnt (Gaza silently
    do-not-translate), the note in forbidden:en. It is an error, at the cell that moved."""
    shifted = GAZA.replace("Gaza\tغزة", "غزة")
    path = write(tmp_path, HEADER + WEST_BANK + shifted)
    result = run("glossary", "validate", path)
    assert result.exit_code == 2 and "ok" not in result.stdout
    assert result.stderr.splitlines() == [
        f"{path}:3:3: 8 cells for 9 columns (the en cell holds Arabic text, so a cell is probably missing before it): "
        "every row needs a cell per column, an empty one too: put back the missing tab"]


@pytest.mark.parametrize("row, column, message", [
    ("gaza\tGaza\tGaza\tغزة\tעזה\t\tsensitive\n", 8, "7 cells for 9 columns (no cell for forbidden:en, note)"),
    ("gaza\tGaza\tGaza\tעזה\t\tsensitive\t\t\n", 4, "8 cells for 9 columns (the ar cell holds Hebrew text, "),
    ("gaza\tGaza\tGaza\tغزة\tעזה\t\tsensitive\t\tnote\textra\n", 10, "10 cells for 9 columns: remove the extra tab"),
    # the right count, a flag in the wrong column
    ("gaza\tGaza\tGaza\tغزة\tעזה\tsensitive\t\t\t\n", 6, "dnt 'sensitive': write yes or leave the cell empty "
                                                      "(is a cell missing before it?)"),
])
def test_every_row_is_counted_against_the_header(tmp_path, row, column, message):
    path = write(tmp_path, HEADER + row)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:2:{column}: ") and message in problem


def test_a_header_problem_is_one_error(tmp_path):
    """A header that lost its note column: one error on the header, not one per row."""
    header = HEADER.replace("\tnote", "")
    path = write(tmp_path, header + WEST_BANK + GAZA + "israel\tIsraël\tIsrael\tإسرائيل\tישראל\t\tsensitive\t\t\n")
    assert problems(path) == [f"{path}:1:9: the header names 8 columns but every row has 9 cells: "
                              "name the missing column in the header"]
    path = write(tmp_path, "tsahal\tTsahal\tIDF\n" + GAZA)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:1:1: this line is not a header")
    path = write(tmp_path, HEADER.replace("\tcase", "\ten") + GAZA)
    assert problems(path) == [f"{path}:1:7: column 'en' twice (also column 3): keep one, or rename it"]


@pytest.mark.parametrize("added, message", [
    # a case-sensitive term added to a case-insensitive concept: "Tsahal" would match both
    ("armee\tarmée israélienne|Tsahal\tIsraeli army\tالجيش الإسرائيلي\tהצבא הישראלי\t\t\t\t\n",
     "duplicate source term 'Tsahal': also in concept 'tsahal' (line 2), so a text would match both concepts"),
    # "cisjordanie" in lower case, in a concept of its own
    ("cisj\tcisjordanie\tthe West Bank\tالضفة\tהגדה\t\t\t\t\n",
     "duplicate source term 'cisjordanie': also in concept 'cisjordanie' (line 3 as 'Cisjordanie'; "
     "concept 'cisj' ignores case)"),
])
def test_a_source_term_in_two_concepts_is_found_whatever_their_case(tmp_path, added, message):
    tsahal = "tsahal\tTsahal\tIDF\tالجيش الإسرائيلي\tצה\"ל\t\tsensitive\tTsahal\t\n"
    israel = "israel\tIsraël\tIsrael\tإسرائيل\tישראל\t\tsensitive\t\t\n"
    path = write(tmp_path, HEADER + tsahal + WEST_BANK + israel + added)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:5:2: ") and message in problem


def test_source_terms_that_differ_only_by_accents_are_a_warning():
    """Matching tells accented text apart ("marché" is never "marche", "côlon" never "colon"); text
    typed without accents is read as the concept written without them."""
    from passeur.glossary.formats import read_tsv
    from passeur.glossary.match import TermMatcher

    glossary = read_tsv("id\tfr\ten\nm\tmarche\tmarch\nmm\tmarché\tmarket\nc\tcolon\tsettler\n".encode(), "g.tsv")
    assert any("differ only by accents" in w for w in glossary.warnings)
    matcher = TermMatcher(glossary)
    found = {s: [o.concept.id for o in matcher.find(s)] for s in ("le marché", "la marche", "LE MARCHE", "du côlon")}
    assert found == {"le marché": ["mm"], "la marche": ["m"], "LE MARCHE": ["m"], "du côlon": []}


def test_variants_of_one_concept_that_match_alike_are_a_warning(run, tmp_path):
    """Two variants of one concept are not a duplicate across concepts: a warning that says what
    is true, and only when they do match the same text."""
    rows = ("bande\tbande de Gaza|Bande de Gaza\tGaza Strip\tقطاع غزة\tרצועת עזה\t\t\t\t\n"  # case-insensitive
            "guardian\tGuardian|guardian\tthe Guardian\tالغارديان\tהגרדיאן\t\tsensitive\t\t\n"  # case-sensitive: distinct
            "israel\tIsraël|Israel\tIsrael\tإسرائيل\tישראל\t\tsensitive\t\t\n")
    path = write(tmp_path, HEADER + rows)
    result = run("glossary", "validate", path)
    assert result.exit_code == 0 and ": ok, 2 warnings (gloss:g@" in result.stdout
    assert result.stderr.splitlines() == [
        f"{path}:2:2: warning: variants 'bande de Gaza' and 'Bande de Gaza' of concept 'bande' match the same text "
        "(the concept is not case-sensitive, so case is ignored): one is enough",
        f"{path}:4:2: warning: variants 'Israël' and 'Israel' of concept 'israel' match the same text "
        "(matching does not tell accents apart): one is enough"]
    assert "keep it in one concept" not in result.output


@pytest.mark.parametrize("suffix, text, column, message", [
    (".csv", 'id,fr,en,ar\ngaza,Gaza,"Gaza\tStrip",غزة\n', 3, "a tab inside a cell"),
    (".csv", 'id,fr,en,ar\ngaza,Gaza,"Gaza\nStrip",غزة\n', 3, "a cell holds a line break (lines 2 to 3)"),
    (".csv", 'id,fr,en,ar\ngaza,Gaza,"Gaza Strip,غزة\n', 3, "a quoted cell is not closed on its line"),
    (".csv", 'id,fr,en,ar\ngaza,Gaza,"Gaza" Strip,غزة\n', 3, "text after a closing quote"),
    (".tsv", "id\tfr\ten\tar\ngaza\tGaza\tGaza\u2028Strip\tغزة\n", 3, "a line separator inside a cell"),
    (".tsv", "id\tfr\ten\tar\ngaza\tGaza\tGaza\tغزة\x0bقطاع\n", 4, "a line break inside a cell"),
    (".tsv", "id\tfr\ten\tar\ngaza\tGaza\tGaza\t" + "غزة " * 40_000 + "\n", 4, "a cell of 273 KB, over the 128 KB limit"),
    (".csv", "id,fr,en,ar\ngaza,Gaza,Gaza," + "غزة " * 40_000 + "\n", 4, "a cell of 273 KB, over the 128 KB limit"),
    (".tsv", "id\tfr\ten\tdnt\ngaza\tGaza\tGaza\tmaybe\n", 4, "dnt 'maybe': write yes or leave the cell empty"),
    # A term is matched wherever a sentence offers its first letters: 400 words would make that slow.
    (".tsv", "id\tfr\ten\ncas\t" + "cas " * 400 + "\tcase\n", 2, "the fr term has 400 words (at most 24)"),
    (".tsv", "id\tfr\ten\tplural:en\ncas\tcas\tcase\t" + "x" * 300 + "\n", 4, "the plural:en term has 300 characters (at most 200)"),
    # Pasted direction marks and zero-width spaces look right and match nothing.
    (".tsv", "id\tfr\ten\the\nv\tvirus\tvirus\t\u200fנגיף\u200f\n", 4, "an invisible U+200F (right-to-left mark)"),
    (".tsv", "id\tfr\ten\nc\tcon\u200bfinement\tlockdown\n", 2, "an invisible U+200B (zero width space)"),
])
def test_cells_that_cannot_be_read_are_one_line_errors(run, tmp_path, suffix, text, column, message):
    path = write(tmp_path, text, "g" + suffix)
    result = run("glossary", "validate", path)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:2:{column}: ") and message in line and len(line) < 300


# --- export: the file back, column for column --------------------------------------------------

def test_the_shipped_glossary_exports_as_it_is(run, tmp_path):
    """Forbidden columns in the file's order, both comments kept: export, then diff, is empty."""
    exported = run("glossary", "show", "--format", "tsv").stdout
    assert exported == NEWSROOM
    path = write(tmp_path, exported, "newsroom.tsv")
    result = run("glossary", "diff", default_glossary_path(), path)
    assert result.exit_code == 0 and "No changes" in result.stdout


def test_a_hand_made_file_exports_as_it_is(run, tmp_path):
    """Its own column order, comments between rows, blank lines, CRLF and a BOM."""
    text = ("\ufeff# Desk glossary\r\n"
            "fr\the\tnote\tar\tcase\ten\r\n"
            "# places\r\n"
            "Cisjordanie\tהגדה המערבית\tneutral name\tالضفة الغربية\tsensitive\tWest Bank\r\n"
            "\r\n"
            "+972 Magazine\tמגזין +972\t\tمجلة +972\t\t+972 Magazine\r\n"
            "# end\r\n")
    path = write(tmp_path, text, "desk.tsv")
    assert run("glossary", "show", path, "--format", "tsv").stdout_bytes == text.encode("utf-8")
    as_csv = tmp_path / "desk.csv"
    as_csv.write_bytes(run("glossary", "show", path, "--format", "csv").stdout_bytes)
    assert run("glossary", "show", as_csv, "--format", "csv").stdout_bytes == as_csv.read_bytes()
    assert run("glossary", "diff", path, as_csv).exit_code == 0


def test_csv_cells_are_never_run_as_formulas(run, tmp_path):
    """"+972 Magazine" is written '+972 Magazine in CSV: a spreadsheet shows it, never runs it;
    reading the CSV takes the apostrophe off."""
    csv_text = run("glossary", "show", "--format", "csv").stdout
    assert "'+972 Magazine,'+972 Magazine,مجلة +972" in csv_text
    cells = [cell for line in csv_text.splitlines() if not line.startswith("#") for cell in line.split(",")]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    evil = Glossary("evil", ("fr", "en"), (Concept("x", {"fr": ("=HYPERLINK(\"http://x\")",), "en": ("@SUM(1)",)}),
                                           Concept("y", {"fr": ("'=quoted",), "en": ("-1",)})))
    text = FORMATS["csv"].write(evil)
    assert "'=HYPERLINK" in text and ",'@SUM(1)" in text and "''=quoted" in text
    back = FORMATS["csv"].read(text.encode("utf-8"), "evil.csv")
    assert [c.terms for c in back.concepts] == [c.terms for c in evil.concepts]


def test_the_layout_is_not_content():
    """Reordered columns and comments change the file, not the content hash (nor the signature)."""
    text = NEWSROOM.replace("# dnt=yes", "# note: dnt=yes")
    again = FORMATS["tsv"].read(text.encode("utf-8"), "newsroom.tsv")
    assert again.content_hash() == G.content_hash() and again.layout != G.layout


_cell_text = st.text(alphabet=st.sampled_from(list("aéZ זה عربي7+-=@'\",;#|")), min_size=1, max_size=10).map(
    lambda w: " ".join(w.split())).filter(lambda w: w and "|" not in w and not w.startswith("#"))


@st.composite
def laid_out_glossaries(draw):
    """Any glossary, with any layout: columns in any order, comments and blank lines anywhere."""
    languages = ("fr", "en", "ar", "he")
    sources = draw(st.lists(_cell_text, min_size=1, max_size=6, unique_by=lambda w: fold(w, False)))
    concepts = []
    for number, source in enumerate(sources):
        dnt = draw(st.booleans())
        terms = {"fr": (source,), **{lang: () if dnt else tuple(draw(st.lists(_cell_text, max_size=2, unique=True)))
                                     for lang in languages[1:]}}
        bad = tuple(w for w in draw(st.lists(_cell_text, max_size=2, unique=True)) if w not in terms["he"])
        note = draw(st.just("") | st.text(alphabet=st.sampled_from(list("ab |[/b],\"'=+")), max_size=12).map(str.strip))
        concepts.append(Concept(f"c{number}", terms, dnt, draw(st.booleans()), {"he": bad} if bad else {}, note))
    others = list(draw(st.permutations(sorted(draw(st.sets(st.sampled_from(["id", "dnt", "case", "note", "forbidden:he",
                                                                      "forbidden:en"])))))))
    slots = sorted(draw(st.lists(st.integers(0, len(others)), min_size=4, max_size=4)))
    columns = others
    for offset, (slot, lang) in enumerate(zip(slots, languages)):  # languages keep their order: fr is the source
        columns.insert(slot + offset, lang)
    comments = draw(st.lists(st.tuples(st.integers(0, len(concepts) + 1),
                                       st.sampled_from(["", "# comment", "  # indented, with, commas", "#"])), max_size=4))
    layout = Layout(tuple(columns), tuple(sorted(comments, key=lambda c: c[0])), draw(st.sampled_from(["\n", "\r\n"])),
                    draw(st.booleans()))
    return Glossary("g", languages, tuple(concepts), layout=draw(st.none() | st.just(layout)))


@settings(max_examples=150, deadline=None)
@given(laid_out_glossaries(), st.sampled_from(["tsv", "csv", "tbx"]))
def test_export_read_export_is_identical(glossary, fmt):
    exported = FORMATS[fmt].write(glossary)
    read = FORMATS[fmt].read(exported.encode("utf-8"), f"g.{fmt}")
    assert FORMATS[fmt].write(read) == exported
    assert diff(glossary, read) == []


# --- diff: the same labelled content in every format ---------------------------------------------

def markdown_rows(text):
    """The rows of every Markdown table in text, as a GFM renderer sees them."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


@pytest.fixture
def edited(tmp_path):
    """The newsroom glossary, edited as a translator would: a note with | and a line break (in
    code), a new concept, a removed one, a changed Arabic term."""
    old = write(tmp_path, NEWSROOM, "old.tsv")
    text = NEWSROOM.replace("\tStandard names in each language's press\n", "\tpress | agencies: [/b] `a|b` \\\n", 1)
    text = text.replace("وزارة الدفاع الإسرائيلية", "وزارة الأمن الإسرائيلية")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("israel\t"))
    text += "hamas\tHamas\tHamas\tحماس\tחמאס\t\tsensitive\t\t\t\tpalestinian | islamist movement\n"
    return old, write(tmp_path, text, "new.tsv")


def test_diff_labels_every_field_and_says_the_same_in_every_format(run, edited):
    old, new = edited
    expected = {(c.concept, c.kind, c.field, c.old, c.new) for c in diff(load_glossary(old), load_glossary(new))}
    assert ("hamas", "added", "ar", "", "حماس") in expected and ("hamas", "added", "he", "", "חמאס") in expected
    assert ("israel", "removed", "he", "ישראל", "") in expected
    assert ("ministere-defense-israel", "changed", "ar", "وزارة الدفاع الإسرائيلية", "وزارة الأمن الإسرائيلية") in expected
    as_json = json.loads(run("glossary", "diff", old, new, "--format", "json").stdout)
    assert {tuple(c.values()) for c in as_json["changes"]} == expected and as_json["impact"] is None
    md = run("glossary", "diff", old, new, "--format", "md").stdout
    rows = markdown_rows(md)
    assert rows[0] == ["concept", "change", "field", "before", "after"] and all(len(r) == 5 for r in rows)
    unescape = lambda cell: cell.replace("\\|", "|").replace("\\\\", "\\").replace("\\[", "[").replace("\\]", "]")  # noqa: E731
    assert {tuple(unescape(cell) for cell in row) for row in rows[1:]} == expected
    table = run("glossary", "diff", old, new).stdout  # not a terminal: nothing wrapped, every cell whole
    for change in expected:
        assert all(value in table for value in change)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a |\\`*_[]<>\n\r-#:!()ע")), max_size=30))
def test_a_markdown_table_stays_a_table_whatever_the_cells_hold(text):
    from passeur.briefing.markdown import table

    rows = markdown_rows(table(["concept", "note"], [["x", text], [text, text]]))
    assert [len(row) for row in rows] == [2, 2, 2]


# --- impact: grammatical replacements, and an empty impact said -----------------------------------

WB_OLD = Concept("cisjordanie", {"fr": ("Cisjordanie",), "en": ("West Bank",), "ar": ("الضفة الغربية",),
                                 "he": ("הגדה המערבית",)})
WB_NEW = Concept("cisjordanie", {"fr": ("Cisjordanie",), "en": ("the West Bank",), "ar": ("الضفة",),
                                 "he": ("הגדה",)})
GUARDIAN_OLD = Concept("guardian", {"fr": ("Guardian",), "en": ("the Guardian", "The Guardian"), "ar": ("الغارديان",),
                                    "he": ("הגרדיאן",)}, case_sensitive=True)
GUARDIAN_NEW = Concept("guardian", {"fr": ("Guardian",), "en": ("The Guardian",), "ar": ("غارديان",),
                                    "he": ("גרדיאן",)}, case_sensitive=True)


@pytest.mark.parametrize("lang, old, new, before, after", [
    # English: the sentence's article stays, the term's own follows the glossary, never "the the"
    ("en", WB_OLD, WB_NEW, "in Gaza and the West Bank", "in Gaza and the West Bank"),
    ("en", WB_OLD, WB_NEW, "towns of West Bank and Gaza", "towns of the West Bank and Gaza"),
    ("en", WB_OLD, WB_NEW, "West Bank towns.", "The West Bank towns."),
    ("en", GUARDIAN_OLD, GUARDIAN_NEW, "according to the Guardian, sources", "according to The Guardian, sources"),
    ("en", GUARDIAN_NEW, GUARDIAN_OLD, "as The Guardian reported", "as the Guardian reported"),
    ("en", Concept("t", {"fr": ("Tsahal",), "en": ("IDF",)}), Concept("t", {"fr": ("Tsahal",), "en": ("army unit",)}),
     "an IDF officer and the IDF", "an army unit officer and the army unit"),
    ("en", Concept("t", {"fr": ("Tsahal",), "en": ("army",)}), Concept("t", {"fr": ("Tsahal",), "en": ("IDF",)}),
     "an officer of an army", "an officer of an IDF"),
    ("en", Concept("t", {"fr": ("Tsahal",), "en": ("IDF",)}), Concept("t", {"fr": ("Tsahal",), "en": ("military",)}),
     "an IDF unit", "a military unit"),
    # Arabic: ال and لل, clitics kept, the new term's own article
    ("ar", WB_OLD, WB_NEW, "في غزة والضفة الغربية", "في غزة والضفة"),
    ("ar", WB_OLD, WB_NEW, "زيارة للضفة الغربية", "زيارة للضفة"),
    ("ar", GUARDIAN_OLD, GUARDIAN_NEW, "بحسب الغارديان وللغارديان", "بحسب غارديان ولغارديان"),
    ("ar", GUARDIAN_NEW, GUARDIAN_OLD, "بحسب غارديان ولغارديان وبغارديان", "بحسب الغارديان وللغارديان وبالغارديان"),
    # a common noun keeps the article the sentence gave it
    ("ar", Concept("v", {"fr": ("virus",), "en": ("virus",), "ar": ("فيروسات",)}),
     Concept("v", {"fr": ("virus",), "en": ("virus",), "ar": ("حمات",)}), "انتشرت الفيروسات وبالفيروسات",
     "انتشرت الحمات وبالحمات"),
    # Hebrew: prefixes kept, ה swallowed after ב כ ל and back
    ("he", WB_OLD, WB_NEW, "בעזה ובגדה המערבית", "בעזה ובגדה"),
    ("he", WB_OLD, WB_NEW, "מהגדה המערבית ולגדה המערבית", "מהגדה ולגדה"),
    ("he", WB_NEW, WB_OLD, "הגדה, בגדה וכגדה", "הגדה המערבית, בגדה המערבית וכגדה המערבית"),
    ("he", GUARDIAN_NEW, GUARDIAN_OLD, "לפי גרדיאן ובגרדיאן", "לפי הגרדיאן ובגרדיאן"),
    ("he", GUARDIAN_OLD, GUARDIAN_NEW, "לפי הגרדיאן, בגרדיאן ומהגרדיאן", "לפי גרדיאן, בגרדיאן ומגרדיאן"),
])
def test_impact_keeps_the_sentence_grammatical(lang, old, new, before, after):
    assert replace_term(before, old, new, lang, "fr")[0] == after


@pytest.fixture
def published(tmp_path, article_path):
    """A published translation, made with the echo engine so that the terms are in it."""
    path = tmp_path / "article.json"
    results = run_pipeline([read_article(article_path)], ["en", "ar", "he"], EchoEngine(), glossary=G)
    path.write_text(results_to_json(results), "utf-8")
    return path


def test_impact_in_every_format_shows_before_and_after(run, tmp_path, published):
    old = write(tmp_path, NEWSROOM, "old.tsv")
    new = write(tmp_path, NEWSROOM.replace("\tWest Bank\t", "\tthe West Bank\t").replace("\tהגדה המערבית\t", "\tהגדה\t"),
                "new.tsv")
    as_json = json.loads(run("glossary", "diff", old, new, "--impact", published, "--format", "json").stdout)
    impacts = {(i["sentence"], i["lang"]): i for i in as_json["impact"]}
    assert set(impacts) == {(1, "en"), (1, "he"), (3, "en"), (3, "he")}  # 0-based, as in the article's JSON
    assert impacts[1, "en"]["replaced"] == [{"old": "West Bank", "new": "the West Bank"}]
    assert "en הגדה המערבית." in impacts[1, "he"]["before"] and "en הגדה." in impacts[1, "he"]["after"]
    assert "the the" not in json.dumps(as_json)
    md = run("glossary", "diff", old, new, "--impact", published, "--format", "md").stdout
    rows = markdown_rows(md.split("### Sentences affected")[1])
    assert rows[0] == ["file", "sentence (from 1)", "lang", "concept", "replaced", "before", "after"]
    assert {(row[1], row[2]) for row in rows[1:]} == {("2", "en"), ("2", "he"), ("4", "en"), ("4", "he")}
    assert "West Bank → the West Bank" in [row[4] for row in rows]
    table = run("glossary", "diff", old, new, "--impact", published).stdout
    assert "(from 1)" in table and impacts[1, "he"]["after"] in table


def test_an_empty_impact_says_so_in_every_format(run, tmp_path, published):
    old = write(tmp_path, NEWSROOM, "old.tsv")
    new = write(tmp_path, NEWSROOM.replace("\tCisjordan\t", "\tCisjordan|Cis-Jordan\t"), "new.tsv")
    said = f"No published sentence changes in {published}."
    assert said in run("glossary", "diff", old, new, "--impact", published).stdout
    assert said.replace("_", "\\_") in run("glossary", "diff", old, new, "--impact", published, "--format", "md").stdout
    as_json = json.loads(run("glossary", "diff", old, new, "--impact", published, "--format", "json").stdout)
    assert as_json["impact"] == [] and as_json["impact_files"] == [str(published)] and as_json["summary"] == [said]
    same = json.loads(run("glossary", "diff", old, old, "--impact", published, "--format", "json").stdout)
    assert same["summary"] == ["No changes: the two glossaries hold the same concepts.", said]


def test_check_and_impact_read_what_summarize_writes(run, tmp_path, article_path):
    """summarize leaves the sentences it did not need null: check and impact skip them, in
    every format, and tables number sentences from 1."""
    from passeur.summarize.base import SummaryRequest

    results = run_pipeline([read_article(article_path)], ["en", "ar", "he"], EchoEngine(), G, SummaryRequest(),
                           only_summary=True)
    path = tmp_path / "summary.json"
    path.write_text(results_to_json(results), "utf-8")
    translated = [i for i, s in enumerate(results[0].translations["he"]) if s is not None]
    assert None in results[0].translations["he"]
    for fmt in ("table", "md", "json"):
        result = run("glossary", "check", path, "--all", "--format", fmt)
        assert result.exit_code == 0, result.output
    hits = json.loads(run("glossary", "check", path, "--all", "--format", "json").stdout)
    assert {h["sentence"] for h in hits} <= set(translated)  # 0-based indices
    rows = markdown_rows(run("glossary", "check", path, "--all", "--format", "md").stdout)
    assert rows[0][1] == "sentence (from 1)" and {int(r[1]) - 1 for r in rows[1:]} == {h["sentence"] for h in hits}
    new = write(tmp_path, NEWSROOM.replace("\tMicrosoft\t", "\tMicrosoft Corp.\t"), "new.tsv")
    for fmt in ("table", "md", "json"):
        assert run("glossary", "diff", default_glossary_path(), new, "--impact", path, "--format", fmt).exit_code == 1


# --- show: never a broken word, never a reordered number -------------------------------------------

def every_form(glossary):
    for c in glossary.concepts:
        yield c.id
        for lang in glossary.languages:
            yield from c.targets(lang, glossary.source)
        for forms in c.forbidden.values():
            yield from forms


def test_show_piped_never_folds_a_cell(run):
    """`passeur glossary show | grep Cisjordanie` finds the row; every term and note is whole on a line."""
    out = run("glossary", "show").stdout
    lines = out.splitlines()
    assert [line for line in lines if "Cisjordanie" in line and "cisjordanie" in line]
    for form in every_form(G):
        assert any(form in line for line in lines), form
    for c in G.concepts:
        if c.note:
            assert any(c.note in line for line in lines), c.note
    assert "972+" not in out and "مجلة +972" in out and "מגזין +972" in out


def render(terminal, rows, width, headers=("id", "fr", "en", "ar", "he")):
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, file=io.StringIO(), highlight=False, color_system=None)
    table = Table(*headers, show_lines=True)
    terminal.add_rows(table, [list(r) for r in rows], width)
    console.print(table, crop=False)
    return console.file.getvalue()


def test_a_terminal_table_breaks_lines_at_spaces_only(run):
    """In an 80-column terminal, without bidi (the terminal does it), every word is whole."""
    from passeur.cli.terminal import Terminal

    rows = [[c.id, *("\n".join(c.targets(lang)) for lang in G.languages)] for c in G.concepts]
    out = render(Terminal(bidi=False), rows, 80)
    assert max(len(line) for line in out.splitlines()) <= 80
    words = set(re.split(r"[\s│┃]+", out))
    for row in rows:
        for word in " ".join(row).split():
            assert word in words, word


def test_right_to_left_cells_keep_runs_and_numbers_as_written():
    """With --bidi, a Hebrew cell quoting English keeps each run whole on its line, "+972" stays
    "+972", Hebrew words come out whole (reversed for the terminal), Arabic shaped."""
    from bidi import get_display

    from passeur.cli.terminal import Terminal

    bidi = Terminal(bidi=True)
    mixed = "שיחה מקומית (Local Call) של מגזין +972"
    out = render(bidi, [["local-call", "Local Call", "Local Call", "مجلة +972 في 2023", mixed]], 60)
    assert "972+" not in out and "+972" in out
    assert "Local Call" in out or ("Local" in out and "Call" in out)
    for word in ("שיחה", "מקומית", "מגזין"):
        assert get_display(word) in out  # whole, in visual order
    assert bidi.display("מגזין +972") == "+972 ןיזגמ"
    assert bidi.display("Hebrew uses צה\"ל; Arabic الجيش and 7 October", 20).split("\n")[0].startswith("Hebrew uses")
    # A paragraph keeps its direction on every wrapped line: an English note stays left-to-right.
    note = bidi.display("Arabic media write الجيش الإسرائيلي; Hebrew uses the acronym צה\"ל", 40).split("\n")
    assert note[1].endswith('ל"הצ') and "Hebrew uses the acronym" in note[1]


def test_markup_in_a_glossary_prints_as_text(run, tmp_path):
    path = write(tmp_path, "id\tfr\ten\tnote\nx\t[bold]Gaza\t[/b]Gaza\t[red]note[/red] [/]\n")
    out = run("glossary", "show", path).stdout
    assert "[bold]Gaza" in out and "[/b]Gaza" in out and "[red]note[/red] [/]" in out
