"""Word documents: read in place, translated, written back one per language, formatting kept."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx_corpus import SHAPES, SUBTITLES, newsroom_odt, newsroom_report, odt_view, simple_pdf, view
from echo_engine import EchoEngine, SameEngine, TagLosingEngine

from passeur import api
from passeur.errors import InputError

TARGETS = ["en", "ar", "he"]
TRANSLATED_PARTS = re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*|styles)\.xml")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return newsroom_report(tmp_path_factory.mktemp("docx") / "report.docx")


def translate(path, engine, out, glossary=None, targets=TARGETS):
    articles = api.read_articles([str(path)])
    results = api.translate(articles, targets, engine=engine, glossary=glossary)
    plans = api.plan_documents(articles, targets, "docx", str(out) + "/")
    api.write_documents(results, "docx", plans)
    return results, dict(zip(targets, plans[0]))


def parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def formatted(paragraphs):
    """Each paragraph's text, and its formatting on every character that is not a space."""
    return [("".join(t[0] for t in tokens), [t[1:] for t in tokens if not t[0].isspace()]) for tokens in paragraphs]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_round_trip_changes_nothing_but_the_translated_text(shape, tmp_path):
    """Through an engine that returns every sentence as it came, each document comes back with every
    character, every formatting span and every inline object where it was, in all three languages
    (tracked changes accepted); the parts passeur does not translate are the same bytes."""
    source = SHAPES[shape](tmp_path / f"{shape}.docx")
    with pytest.warns(UserWarning, match="tracked changes accepted"):
        _, outputs = translate(source, SameEngine(), tmp_path / "out")
    before = parts(source)
    for lang, path in outputs.items():
        assert formatted(view(path)) == formatted(view(source)), lang
        after = parts(path)
        assert list(after) == list(before)
        assert {n for n in before if before[n] != after[n]} <= {n for n in before if TRANSLATED_PARTS.fullmatch(n)}


def test_what_is_read_and_what_is_not(report):
    with pytest.warns(UserWarning):
        article = api.read_articles([str(report)])[0]
    text = " ".join(article.sentences)
    kinds = {s.text: s.kind for s in article.segments}
    assert article.title == "Cloud et surveillance : Microsoft sous pression"
    assert kinds["Une contestation venue de l’intérieur"] == "heading"
    assert kinds["PARIS (AFP) -"] == "dateline"
    assert "interceptés" in text  # a word split across two runs is one word
    assert "selon leurs avocats" in text and "dit-on" not in text  # tracked changes accepted
    assert "Vérifier la date" not in text  # comments are not article text
    assert text.count("Microsoft conteste toute surveillance de masse.") == 1  # a text box once
    assert kinds["Selon une enquête conjointe du Guardian, publiée en août 2025."] == "note"
    assert kinds["Dossier : surveillance et cloud"] == "note"
    assert "PAGE" not in text and " 3 " not in text  # fields are never text
    segment = next(s for s in article.segments if s.text.startswith("Microsoft a d’abord"))
    assert [segment.text[m.start:m.end] for m in segment.marks if not m.inline_object] == ["démenti"]
    assert [m.start for m in segment.marks if m.inline_object] == [len(segment.text) - 1]  # the footnote, before "."


def test_translated_documents_carry_formatting_onto_the_translation(report, tmp_path):
    """The echo engine's output is the French with each term of the glossary in the target language:
    bold and italic words come back on the same words, the link on its words, the field untouched."""
    from passeur.glossary import default_glossary

    with pytest.warns(UserWarning):
        results, outputs = translate(report, EchoEngine(), tmp_path / "out", default_glossary())
    assert [p.name for p in outputs.values()] == ["report.en.docx", "report.ar.docx", "report.he.docx"]
    en = formatted(view(outputs["en"]))
    text = "\n".join(t for t, _ in en)
    assert "[en] L’Israeli army a stocké sur Azure" in text
    paragraph = next(tokens for tokens in view(outputs["en"]) if "Israeli army" in "".join(t[0] for t in tokens))
    bold = "".join(t[0] if t[1] else "|" for t in paragraph).split("|")
    assert [w for w in bold if w.strip()] == ["Azure", "démenti"]
    italic = [w for w in "".join(t[0] if t[2] else "|" for t in paragraph).split("|") if w.strip()]
    assert italic == ["interceptés", "démenti"]
    link = next(tokens for tokens in view(outputs["en"]) if any(t[3] for t in tokens))
    assert "".join(t[0] for t in link if t[3] == "https://example.org/rapport-azure") == "lire le rapport"
    assert "<fldChar><instrText><fldChar>3<fldChar>" in "".join(t[0] for t in link)
    ar = parts(outputs["ar"])["word/document.xml"].decode("utf-8")
    assert ar.count("<w:bidi/>") >= 10 and "<w:bidiVisual/>" in ar and 'w:bidi="ar-SA"' in ar and "<w:bCs/>" in ar
    he = parts(outputs["he"])["word/document.xml"].decode("utf-8")
    assert 'w:bidi="he-IL"' in he and "<w:rtl/>" in he
    assert not [h for h in results[0].terms if h.status == "inline formatting lost"]


def test_a_glossary_term_inside_bold_words_is_enforced_and_stays_bold(tmp_path):
    import docx

    from passeur.glossary import default_glossary

    document = docx.Document()
    paragraph = document.add_paragraph("Selon le rapport, ")
    paragraph.add_run("l’armée is").bold = True  # bold stops in the middle of the term
    paragraph.add_run("raélienne a stocké des données sur Azure.")
    document.add_paragraph("Microsoft a réagi.")
    document.save(tmp_path / "term.docx")
    results, outputs = translate(tmp_path / "term.docx", SameEngine(), tmp_path / "out", default_glossary(), ["en"])
    tokens = view(outputs["en"])[0]
    assert "".join(t[0] for t in tokens if t[1]) == "l’Israeli army"  # the term whole, and bold
    assert any(h.concept == "armee-israelienne" or h.status == "ok" for h in results[0].terms)


def test_a_lost_tag_puts_the_formatting_on_the_whole_sentence_and_says_so(report, tmp_path):
    with pytest.warns(UserWarning):
        results, outputs = translate(report, TagLosingEngine(), tmp_path / "out", None, ["en"])
    lost = [h for h in results[0].terms if h.status == "inline formatting lost"]
    assert lost and all(h.lang == "en" for h in lost)
    sentence = results[0].translations["en"][lost[0].sentence]
    tokens = next(t for t in view(outputs["en"]) if sentence in "".join(x[0] for x in t))
    text = "".join(t[0] for t in tokens)
    start = text.index(sentence)
    assert all(t[1] or t[2] or t[3] for t in tokens[start:start + len(sentence)] if not t[0].isspace())


def test_the_command_writes_one_document_per_language(report, tmp_path, run, echo_registered):
    result = run("translate", report, "--engine", "echo", "--to", "en,ar,he", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.ar.docx", "report.en.docx",
                                                                     "report.he.docx"]
    assert "tracked changes accepted" in result.stderr
    printed = run("translate", report, "--engine", "echo", "--to", "en")  # no -o: the text, as for any article
    assert printed.exit_code == 0 and "[en] Cloud et surveillance" in printed.stdout
    to_stdout = run("translate", report, "--engine", "echo", "--to", "en", "--format", "docx")
    assert to_stdout.exit_code == 2 and "give -o a folder" in to_stdout.output


def test_text_and_markdown_become_word_documents_on_request(tmp_path, run, echo_registered, article_path):
    result = run("translate", article_path, "--engine", "echo", "--to", "ar", "--format", "docx", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    paragraphs = ["".join(t[0] for t in p) for p in view(tmp_path / "azure-cloud.fr.ar.docx")]
    assert paragraphs[0].startswith("[ar] [en] Cloud et surveillance")
    assert len([p for p in paragraphs if p]) == 10


# --- hostile documents ------------------------------------------------------------------------

def zipped(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_parts(report, changes: dict[str, bytes | None]) -> bytes:
    entries = parts(report)
    for name, data in changes.items():
        if data is None:
            entries.pop(name, None)
        else:
            entries[name] = data
    return zipped(entries)


XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
       b'<w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Relationships xmlns="http://schemas.openxmlformats.org/'
          b'package/2006/relationships">&c;</Relationships>')


@pytest.mark.parametrize("change, message", [
    ({"word/document.xml": XXE}, r"word/document\.xml declares a DTD"),
    ({"word/header1.xml": XXE}, r"word/header1\.xml declares a DTD"),
    ({"word/_rels/document.xml.rels": LAUGHS}, r"document\.xml\.rels declares a DTD"),
    ({"customXml/item1.xml": XXE}, r"customXml/item1\.xml declares a DTD"),
    ({"word/vbaProject.bin": b"\x00" * 64}, r"holds macros \(a \.docm\)"),
    ({"word/document.xml": b"<w:document><w:body>"}, r"word/document\.xml is not well-formed XML"),
    ({"[Content_Types].xml": None}, r"not a Word document"),
])
def test_hostile_parts_are_refused_in_one_line(report, tmp_path, change, message):
    path = tmp_path / "hostile.docx"
    path.write_bytes(with_parts(report, change))
    with pytest.raises(InputError, match=message) as refused:
        api.read_articles([str(path)])
    assert "\n" not in str(refused.value)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b"a" * (300 << 20)})
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    assert len(bomb) < 1 << 20
    with pytest.raises(InputError, match=r"would unpack to 300 MB from .* \(a zip bomb\?\)"):
        api.read_articles([str(path)])


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "not a valid .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, r"encrypted or old-format \(\.doc\)"),
    (b"", "not a valid .docx"),
])
def test_files_that_are_not_documents(tmp_path, data, message):
    path = tmp_path / "x.docx"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        api.read_articles([str(path)])


def test_external_relationships_are_kept_and_never_fetched(report, tmp_path, monkeypatch):
    """A remote template (a known way to make Word fetch a file) and a linked image: passeur opens no
    connection; the link stays in the output as it was."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("passeur tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    rels = parts(report)["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://127.0.0.1:9/evil.dotm" TargetMode="External"/>'
        b"</Relationships>")
    path = tmp_path / "remote.docx"
    path.write_bytes(with_parts(report, {"word/_rels/document.xml.rels": rels}))
    with pytest.warns(UserWarning):
        _, outputs = translate(path, SameEngine(), tmp_path / "out", None, ["en"])
    assert b"http://127.0.0.1:9/evil.dotm" in parts(outputs["en"])["word/_rels/document.xml.rels"]


def test_a_macro_enabled_document_by_its_content_type(report, tmp_path, run):
    types = parts(report)["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"MACRO").replace(
        b"application/vnd.openxmlformats-officedocument.MACRO", b"application/vnd.ms-word.document.macroEnabled.main+xml")
    path = tmp_path / "report.docm"
    path.write_bytes(with_parts(report, {"[Content_Types].xml": types}))
    result = run("translate", path, "--to", "en")
    assert result.exit_code == 2 and "holds macros (a .docm)" in result.output


# --- LibreOffice opens what passeur writes ----------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
ARTIFACTS = Path(__file__).parent / "artifacts"


def need_libreoffice():
    if not (SOFFICE and PDFTOTEXT):
        if os.environ.get("CI"):
            pytest.fail("LibreOffice or poppler is not installed: .ci/run installs libreoffice-writer-nogui and "
                        "poppler-utils")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui poppler-utils)")


def convert(paths, to: str, out, profile):
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                    to, "--outdir", str(out), *map(str, paths)], capture_output=True, timeout=300, check=True)
    return [out / f"{Path(p).stem}.{to}" for p in paths]


def lines(pdf) -> list[tuple[float, float, str]]:
    """(left, right, text) of each line of a PDF's first page, as poppler lays them out."""
    xml = subprocess.run([PDFTOTEXT, "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    found = []
    for match in re.finditer(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S):
        words = re.findall(r">([^<]*)</word>", match.group(3))
        found.append((float(match.group(1)), float(match.group(2)), " ".join(words)))
    return found


def test_libreoffice_opens_the_translations_right_to_left_with_bold_on_the_same_words(report, tmp_path):
    """Each translated document is opened by LibreOffice and printed to PDF: its text is the
    translation; Arabic and Hebrew paragraphs start at the right margin (English ones at the left);
    bold is on the same words. The first pages are kept as PNG in tests/artifacts/."""
    need_libreoffice()
    from passeur.glossary import default_glossary

    with pytest.warns(UserWarning):
        _, outputs = translate(report, EchoEngine(), tmp_path / "out", default_glossary())
    pdfs = dict(zip(TARGETS, convert(outputs.values(), "pdf", tmp_path / "pdf", tmp_path / "profile")))
    scripts = {"en": "", "ar": "\u0600-\u06ff", "he": "\u0590-\u05ff"}
    edges = {}
    for lang, pdf in pdfs.items():
        text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert f"[{lang}]" in text and "Microsoft" in text
        if scripts[lang]:
            assert re.search(f"[{scripts[lang]}]", text), lang  # the glossary's terms in the target script
        heading = next(line for line in lines(pdf) if "contestation" in line[2])
        edges[lang] = heading[:2]
    assert edges["en"][0] < 100  # left to right: the heading starts at the left margin (1 inch, 72 points)
    for lang in ("ar", "he"):  # right to left: it starts at the right margin, and ends far from the left
        assert edges[lang][1] > edges["en"][1] + 40 and edges[lang][0] > edges["en"][0] + 40, (lang, edges)
    for lang, html in zip(TARGETS, convert(outputs.values(), "html", tmp_path / "html", tmp_path / "profile")):
        bold = re.findall(r"<b>([^<]*)</b>", html.read_text("utf-8", errors="replace"))
        assert "Azure" in bold and "démenti" in bold, (lang, bold)
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, pdf in pdfs.items():
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / f"docx-{lang}")],
                       capture_output=True, timeout=60)


# --- OpenDocument ---------------------------------------------------------------------------------

def odt_formatted(paragraphs):
    """Each paragraph's words (white space as a reader sees it) and the span and link of every other character."""
    return [(" ".join("".join(t[0] for t in tokens).split()), [t[1:] for t in tokens if not t[0].isspace()])
            for tokens in paragraphs]


def test_an_odt_round_trip_changes_nothing_but_the_translated_text(tmp_path):
    source = newsroom_odt(tmp_path / "report.odt")
    with pytest.warns(UserWarning, match="tracked changes accepted"):
        articles = api.read_articles([str(source)])
    text = " ".join(articles[0].sentences)
    assert "dit-on" not in text and "Vérifier la page" not in text and " 3 " not in text
    assert articles[0].title == "Cloud et surveillance : Microsoft sous pression"
    results = api.translate(articles, TARGETS, engine=SameEngine(), glossary=None)
    plans = api.plan_documents(articles, TARGETS, "odt", str(tmp_path / "out") + "/")
    for lang, path in zip(TARGETS, api.write_documents(results, "odt", plans)):
        assert path.name == f"report.{lang}.odt"
        assert odt_formatted(odt_view(path)) == odt_formatted(odt_view(source)), lang
        content = zipfile.ZipFile(path).read("content.xml").decode("utf-8")
        assert "tracked-changes" not in content
        styles = zipfile.ZipFile(path).read("styles.xml").decode("utf-8")
        assert ('style:writing-mode="rl-tb"' in styles) == (lang != "en")
    assert zipfile.ZipFile(path).namelist()[0] == "mimetype"


def test_libreoffice_opens_a_translated_odt(tmp_path):
    need_libreoffice()
    source = newsroom_odt(tmp_path / "report.odt")
    with pytest.warns(UserWarning):
        articles = api.read_articles([str(source)])
    results = api.translate(articles, ["ar"], engine=EchoEngine())
    paths = api.write_documents(results, "odt", api.plan_documents(articles, ["ar"], "odt", str(tmp_path / "out") + "/"))
    pdf = convert(paths, "pdf", tmp_path / "pdf", tmp_path / "profile")[0]
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "Microsoft" in text and "Azure" in text and re.search("[\u0600-\u06ff]", text)  # the glossary's Arabic
    heading = next(line for line in lines(pdf) if "contestation" in line[2])
    assert heading[0] > 150  # right to left: the heading starts far from the left margin


# --- subtitles and PDF ------------------------------------------------------------------------

def test_subtitles_keep_their_timings_and_tags_and_are_rewrapped(tmp_path):
    import srt

    source = tmp_path / "journal.srt"
    source.write_text(SUBTITLES, "utf-8")
    articles = api.read_articles([str(source)])
    assert articles[0].sentences == ["L’armée israélienne a stocké des enregistrements sur Azure.",
                                     "Microsoft a d’abord démenti,", "puis ouvert une enquête interne."]
    results = api.translate(articles, ["en", "ar"], engine=SameEngine(), glossary=None)
    en, ar = api.write_documents(results, "srt", api.plan_documents(articles, ["en", "ar"], "srt", str(tmp_path) + "/"))
    before, after = list(srt.parse(SUBTITLES)), list(srt.parse(en.read_text("utf-8")))
    assert [(s.index, s.start, s.end) for s in after] == [(s.index, s.start, s.end) for s in before]
    assert [" ".join(s.content.split()) for s in after] == [" ".join(s.content.split()) for s in before]
    arabic = list(srt.parse(ar.read_text("utf-8")))
    assert all(line.startswith("\u200f") for s in arabic for line in s.content.replace("{\\an8}", "").split("\n"))
    from passeur.translate.formats.srt import wrap

    long = "Le gouvernement a annoncé mardi un plan de financement pour les hôpitaux publics du pays entier."
    assert all(len(line) <= 42 for line in wrap(long)) and len(wrap(long)) == 3
    assert [len(line) for line in wrap(long[:80])] == [39, 40]  # two lines, as even as the words allow


def test_a_pdf_is_read_and_written_as_a_word_document(tmp_path, run, echo_registered):
    source = simple_pdf(tmp_path / "rapport.pdf", [[
        "Cloud et surveillance : Microsoft sous pression", "",
        "L’armée israélienne a stocké sur Azure des enregistrements d’appels interceptés à Gaza et en",
        "Cisjordanie, selon une enquête conjointe publiée en août. Microsoft a d’abord démenti, puis a",
        "ouvert une enquête interne sur l’usage de ses services par l’unité 8200.", "",
        "Une contestation venue de l’intérieur", "",
        "Des employés ont protesté devant le siège de Redmond et réclament la fin des contrats avec les gouver-",
        "nements en guerre, malgré les menaces de licenciement."]])
    article = api.read_articles([str(source)])[0]
    assert article.title == "Cloud et surveillance : Microsoft sous pression"
    assert "gouvernements en guerre" in " ".join(article.sentences)
    assert len(article.paragraphs()) == 4
    result = run("translate", source, "--engine", "echo", "--to", "en,he", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rapport.en.docx", "rapport.he.docx"]
    paragraphs = ["".join(t[0] for t in p) for p in view(tmp_path / "out" / "rapport.he.docx") if p]
    assert paragraphs[0].startswith("[he] [en] Cloud et surveillance") and len(paragraphs) == 4
    assert b"<w:bidi/>" in parts(tmp_path / "out" / "rapport.he.docx")["word/document.xml"]
    md = run("translate", source, "--engine", "echo", "--to", "en", "--format", "md", "-o", tmp_path / "r.md")
    assert md.exit_code == 0 and "# \\[en\\] Cloud et surveillance" in (tmp_path / "r.md").read_text("utf-8")


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n garbage", "not a PDF passeur can read"),
    (b"1\n00:00:01,000 --> nonsense\nTexte\n", "not a subtitle file"),
])
def test_damaged_pdf_and_subtitles_are_one_line_errors(tmp_path, data, message):
    path = tmp_path / ("x.pdf" if data.startswith(b"%PDF") else "x.srt")
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as refused:
        api.read_articles([str(path)])
    assert "\n" not in str(refused.value)


def test_summarize_and_brief_read_documents(report, tmp_path, run, echo_registered):
    summary = run("summarize", report, "--engine", "echo", "--to", "en", "--format", "json")
    assert summary.exit_code == 0, summary.output
    assert '"summary"' in summary.stdout and "Microsoft" in summary.stdout
    brief = run("brief", report, "--engine", "echo", "--to", "en,ar", "-o", tmp_path / "b", "--format", "html")
    assert brief.exit_code == 0 and "Cloud et surveillance" in (tmp_path / "b" / "briefing.html").read_text("utf-8")
