"""Reading articles: formats, encodings, titles, headings, boilerplate."""

from __future__ import annotations

import pytest
from conftest import DATA

from passeur.errors import InputError
from passeur.translate.read import read_article


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_example_article(article_path):
    article = read_article(article_path)
    assert article.title.startswith("Cloud et surveillance\u00a0: Microsoft sous pression")
    assert article.title_index == 0 and article.segments[0].kind == "title"
    assert len(article.segments) == 26
    assert len(article.paragraphs()) == 10
    headings = [s.text for s in article.segments if s.heading]
    assert headings == [article.title, "Une contestation venue de l’intérieur"]
    assert not any(s.heading for s in article.segments if s.text.startswith("Selon une enquête"))


def test_scraped_boilerplate_is_not_news(article_path):
    clean = read_article(article_path)
    scraped = read_article(DATA / "azure-cloud.fr.scraped.txt")
    assert scraped.sentences == clean.sentences


def test_boilerplate_word_inside_a_story_is_kept(tmp_path):
    text = "Titre\n\nCommentaires de la ministre sur la réforme.\n\nSuite. Fin.\n\nEncore.\n\nEt encore."
    article = read_article(write(tmp_path, "a.txt", text))
    assert "Commentaires de la ministre sur la réforme." in article.sentences


def test_markdown(tmp_path):
    text = "# Le titre\n\nUn **premier** paragraphe avec [un lien](http://x.fr/a_b_c). Deuxième phrase.\n\n" \
           "## Intertitre\n\n```\nx = 1\n\ny = 2\n```\n\n- élément de `liste_longue`.\n"
    article = read_article(write(tmp_path, "a.md", text))
    assert article.sentences == ["Le titre", "Un premier paragraphe avec [un lien](http://x.fr/a_b_c).",
                                 "Deuxième phrase.", "Intertitre", "x = 1\n\ny = 2", "élément de `liste_longue`."]
    assert [s.heading for s in article.segments] == [True, False, False, True, False, False]
    assert [s.verbatim for s in article.segments] == [False] * 4 + [True, False]


def test_html_keeps_article_drops_scripts_and_navigation(tmp_path):
    page = """<!doctype html><html><head><title>Le titre</title><script>var x = "Non.";</script></head>
    <body><nav><a href="/">Accueil</a></nav><h1>Le titre</h1><p>Première phrase. Seconde&nbsp;phrase.</p>
    <!-- commentaire --><p>Un &laquo;&nbsp;mot&nbsp;&raquo; ici.</p><footer>Mentions légales</footer></body></html>"""
    article = read_article(write(tmp_path, "a.html", page))
    assert article.sentences == ["Le titre", "Première phrase.", "Seconde\u00a0phrase.", "Un «\u00a0mot\u00a0» ici."]


@pytest.mark.parametrize("data", [
    "\ufeffTitre\n\nUne phrase.".encode("utf-8"),
    "Titre\n\nUne phrase.".encode("utf-16"),
    b"Titre\r\n\r\nUne phrase.",
])
def test_bom_utf16_and_crlf(tmp_path, data):
    assert read_article(write(tmp_path, "a.txt", data)).sentences == ["Titre", "Une phrase."]


def test_latin1_needs_encoding(tmp_path):
    path = write(tmp_path, "a.txt", "Titre\n\nÉté brûlant.".encode("latin-1"))
    with pytest.raises(InputError, match=r"a\.txt:3: not UTF-8 .*--encoding latin-1"):
        read_article(path)
    assert read_article(path, encoding="latin-1").sentences == ["Titre", "Été brûlant."]


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"  \n\n \t\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_unusable_inputs(tmp_path, data, message):
    with pytest.raises(InputError, match=message):
        read_article(write(tmp_path, "a.txt", data))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)


@pytest.mark.parametrize("file, lang", [
    ("flores200/eng_Latn.devtest", "en"),
    ("flores200/arb_Arab.devtest", "ar"),
    ("flores200/heb_Hebr.devtest", "he"),
    ("flores200/fra_Latn.devtest", "fr"),
])
def test_language_is_detected_offline(file, lang):
    from passeur.translate.langid import detect

    lines = (DATA / file).read_text("utf-8").splitlines()
    for start in range(0, 200, 20):  # ten articles of twenty sentences each
        assert detect(" ".join(lines[start:start + 20]))[0] == lang


def test_english_input_is_flagged(tmp_path, run, echo_registered):
    english = " ".join((DATA / "flores200/eng_Latn.devtest").read_text("utf-8").splitlines()[:10])
    path = write(tmp_path, "english.txt", "Title\n\n" + english)
    result = run("translate", path, "--engine", "echo", "--to", "en")
    assert result.exit_code == 0
    assert "looks like English, not French: pass --source en" in result.stderr
    french = run("translate", DATA.parent.parent / "examples" / "azure-cloud.fr.txt", "--engine", "echo", "--to", "en")
    assert "warning" not in french.stderr


@pytest.mark.parametrize("text", [
    "Le CEO a dit : « the cloud is on fire ». Fin.",
    "Breaking news : Microsoft et Google en tête.",
    "Titre\n\nMicrosoft a publié son rapport « Responsible AI Transparency Report » hier.",
])
def test_short_french_is_not_flagged(tmp_path, run, echo_registered, text):
    """A few words cannot tell languages apart: the check says nothing rather than something false."""
    result = run("translate", write(tmp_path, "court.txt", text), "--engine", "echo", "--to", "en")
    assert result.exit_code == 0 and "looks like" not in result.stderr


def test_mixed_scripts_stay_french_and_whole(tmp_path):
    text = ("Titre\n\nLe slogan « لا للحرب » et le nom צה\"ל figurent sur les pancartes. "
            "M. Nadella a répondu en anglais : « We hear you. » Puis il est parti.")
    article = read_article(write(tmp_path, "a.txt", text))
    assert article.sentences[1:] == ["Le slogan « لا للحرب » et le nom צה\"ל figurent sur les pancartes.",
                                     "M. Nadella a répondu en anglais : « We hear you. »", "Puis il est parti."]
    from passeur.translate.langid import detect

    assert detect(" ".join(article.sentences))[0] in (None, "fr")  # never Arabic or Hebrew


def test_a_50_mb_article_is_read_whole(tmp_path):
    """OrangeSum articles repeated to 50 MB: every paragraph is read and segmented, none lost
    (bench/scale.py measures it: about 7 s)."""
    articles = (DATA / "orangesum/articles.txt").read_text("utf-8").splitlines()
    block = "\n\n".join(articles) + "\n\n"
    copies = 50 * 1024 * 1024 // len(block.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text("Un très long article\n\n" + block * copies, "utf-8")
    assert path.stat().st_size > 50 * 1024 * 1024
    article = read_article(path)
    assert len(article.paragraphs()) == 1 + len(articles) * copies
    assert article.sentences[-1] == read_article(write(tmp_path, "one.txt", "T\n\n" + articles[-1])).sentences[-1]
