"""Reading articles: formats, encodings, titles, headings, boilerplate."""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys

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


# --- hostile and unlucky inputs (docs/robustness.md) -------------------------------------------

def test_a_fifo_is_refused_before_reading(tmp_path):
    """Reading a FIFO used to wait forever for a writer. The read runs in a thread so that, on
    code that waits, the test fails (and then lets it go) instead of hanging the suite."""
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome = []

    def attempt():
        try:
            read_article(fifo)
        except InputError as err:
            outcome.append(str(err))

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(30)
    if thread.is_alive():  # still waiting: release it, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail("reading a FIFO waited for a writer")
    assert outcome and outcome[0] == f"{fifo}: is a FIFO, not a regular file: give an article file, or - to read standard input"


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError, match=r"s\.txt: is a socket, not a regular file"):
            read_article(path)


def test_dev_zero_is_refused_in_one_line():
    """/dev/zero was read until memory ran out. Run in a child process whose memory is capped at
    1 GB, so that code which reads it fails there instead of exhausting the machine."""
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from passeur.cli import main; sys.argv = ['passeur', 'translate', '/dev/zero', '--engine', 'echo']; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-1000:]
    assert result.stderr.strip() == ("passeur: error: /dev/zero: is a device, not a regular file: give an article file, "
                                     "or - to read standard input")


def test_articles_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    from passeur.translate import read

    monkeypatch.setattr(read, "MAX_ARTICLE_BYTES", 1 << 20)
    path = write(tmp_path, "big.txt", "Titre\n\n" + "Une phrase. " * 100_000)
    with pytest.raises(InputError, match=r"big\.txt: is 1\.1 MB: passeur reads articles of up to 1\.0 MB; split it"):
        read_article(path)

    class Endless(io.RawIOBase):  # `cat /dev/zero | passeur translate -`
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    with pytest.raises(InputError, match=r"^-: is over 1\.0 MB: passeur reads articles of up to 1\.0 MB"):
        read.read_stream(io.BufferedReader(Endless()))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(InputError, match="^-: is over 1.0 MB"):
        read_article("-")


@pytest.mark.parametrize("name, text, message", [
    ("a.txt", "Titre\n\nUn mot " + "x" * 300_000 + " fin.", r"a\.txt:3: a word of 300,000 characters \('xxxx"),
    ("a.md", "# Titre\n\n```\n" + "y" * 5000 + "\n```\n\n" + "![image](data:image/png;base64," + "A" * 9000 + ")",
     r"a\.md:7: a word of 9,\d+ characters \('!\[image\]\(data:image"),
    ("a.html", "<p>Texte.</p><p>" + "z" * 3000 + "</p>", r"a\.html: a word of 3,000 characters"),
])
def test_words_over_the_limit_are_refused_with_the_limit(tmp_path, name, text, message):
    """A 300,000-character word took minutes; now refused at once, naming the limit (a fenced
    code block is exempt: it is never translated)."""
    with pytest.raises(InputError, match=message + r".*passeur takes words of up to 2,000 characters"):
        read_article(write(tmp_path, name, text))


@pytest.mark.parametrize("data, encoding, message", [
    ("Titre\n\nUne phrase.".encode("utf-16-le"), None, "looks like UTF-16 without a byte-order mark: pass --encoding utf-16-le"),
    ("Titre\n\nUne phrase.".encode("utf-16-be"), None, "looks like UTF-16 without a byte-order mark: pass --encoding utf-16-be"),
    ("Titre\n\nUne phrase.".encode("utf-16") + b"x", None, r"UTF-16 with a byte-order mark, but 39 bytes is not a whole number"),
    (codecs.BOM_UTF16_LE + b"T\x00\x00\xd8i\x00", None, r"not valid UTF-16 at byte 4 \(illegal UTF-16 surrogate\)"),
    (b"Titre +2D0- fin", "utf-7", r"a\.txt:1: holds a lone UTF-16 surrogate \(U\+D83D\).*or not utf-7"),
    (b"Titre \\ud800 fin", "unicode_escape", r"holds a lone UTF-16 surrogate \(U\+D800\)"),
    (b"Titre", "rot13", r"'rot13' is not a text encoding"),
    (b"x", "zlib", r"'zlib' is not a text encoding"),
    (b"x", "hex", r"'hex' is not a text encoding"),
    (b"x", "undefined", r"cannot be decoded as undefined"),
    (b"\n", "punycode", r"cannot be decoded as punycode"),
    (b"x", "no-such-codec", r"unknown encoding 'no-such-codec'"),
    (b"Titre\x00\x01\x02" + b"x" * 9000 + b"\x00", "latin-1", r"a\.txt:1: holds a NUL character"),
])
def test_encoding_errors_are_one_line(tmp_path, data, encoding, message):
    with pytest.raises(InputError, match=message) as caught:
        read_article(write(tmp_path, "a.txt", data), encoding)
    assert "\n" not in str(caught.value)


def test_utf32_with_a_bom_is_read(tmp_path):
    assert read_article(write(tmp_path, "a.txt", "Titre\n\nUne phrase.".encode("utf-32"))).sentences == ["Titre", "Une phrase."]


def test_encoding_errors_through_the_command_line(tmp_path, run, echo_registered):
    path = write(tmp_path, "a.txt", b"Titre +2D0- fin")
    result = run("translate", path, "--encoding", "utf-7", "--engine", "echo", "--to", "en")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "lone UTF-16 surrogate" in result.stderr


def test_html_keeps_the_headline_inside_header(tmp_path):
    """<header> was skipped whole: the headline in it was lost. The article's own header (in
    <article> or <main>) is read; the site's header gives its <h1> only to a page without one."""
    page = """<html><head><title>La grève | Le Journal</title></head><body>
    <header><a href="/">Le Journal</a><nav><a>Politique</a></nav></header>
    <article><header><h1>La grève</h1><p>Le chapeau de l’article.</p></header><p>Première phrase.</p></article></body></html>"""
    article = read_article(write(tmp_path, "a.html", page))
    assert article.sentences == ["La grève", "Le chapeau de l’article.", "Première phrase."]
    assert article.segments[0].kind == "title"
    site = """<html><body><header><h1>Grève générale ce jeudi</h1><p>Menu</p></header>
    <p>Les syndicats appellent à la grève.</p></body></html>"""
    assert read_article(write(tmp_path, "b.html", site)).sentences == ["Grève générale ce jeudi",
                                                                     "Les syndicats appellent à la grève."]


def test_html_recovers_after_an_unclosed_svg(tmp_path):
    """Everything after an unclosed <svg> was dropped."""
    page = """<html><body><h1>Titre</h1><div><p>Avant l’icône.</p><svg viewBox="0 0 1 1"><path d="M0 0"></div>
    <p>Après l’icône.</p><svg><circle r="1"/><p>Un paragraphe sort du SVG.</p><nav><a>x</a></body></html>"""
    assert read_article(write(tmp_path, "a.html", page)).sentences == [
        "Titre", "Avant l’icône.", "Après l’icône.", "Un paragraphe sort du SVG."]


def test_html_never_drops_a_paragraph_that_repeats_the_h1(tmp_path):
    """A paragraph whose text also appeared in the <h1> was dropped; only a <title> repeating
    the <h1> is."""
    page = """<html><head><title>Grève</title></head><body><h1>Grève</h1><p>Grève</p>
    <p>Grève générale ce jeudi.</p></body></html>"""
    assert read_article(write(tmp_path, "a.html", page)).sentences == ["Grève", "Grève", "Grève générale ce jeudi."]
    no_title = "<html><body><h1>Oui</h1><p>Oui.</p><p>Non.</p></body></html>"
    assert read_article(write(tmp_path, "b.html", no_title)).sentences == ["Oui", "Oui.", "Non."]


def test_html_character_references_are_decoded_once(tmp_path):
    page = "<html><body><h1>T</h1><p>Écrire &amp;lt;b&amp;gt; et &lt;b&gt; et &#233;t&eacute;.</p></body></html>"
    assert read_article(write(tmp_path, "a.html", page)).sentences[1] == "Écrire &lt;b&gt; et <b> et été."


@pytest.mark.parametrize("page", [
    "<html><body><h1>T</h1><p>Un <![ mot.</p><p>Suite.</p></body></html>",  # html.parser: AssertionError
    "<html><body><h1>T</h1><p>Un &#" + "9" * 5000 + "; mot.</p></body></html>",  # int() of 5,000 digits
    "<html><body><h1>T</h1><p title='a > b'>Guillemets > ok.</p><p>Fin.</p><!-- jamais fermé",
    "<html><body><h1>T</h1><p>Texte.</p><a href=x" + " b" * 1000,  # the page ends inside a tag
])
def test_broken_html_gives_text_not_a_traceback(tmp_path, page):
    article = read_article(write(tmp_path, "a.html", page))
    assert article.sentences[0] == "T" and len(article.sentences) >= 2


def test_markdown_empty_heading_is_not_a_sentence(tmp_path):
    assert read_article(write(tmp_path, "a.md", "#\n\nTexte. Suite.")).sentences == ["Texte.", "Suite."]
    with pytest.raises(InputError, match="is empty"):
        read_article(write(tmp_path, "b.md", "#\n\n##"))


def test_folders_over_the_file_limit_are_refused(tmp_path, monkeypatch):
    from passeur.translate import read

    monkeypatch.setattr(read, "MAX_FILES", 5)
    (tmp_path / "in").mkdir()
    for i in range(6):
        write(tmp_path / "in", f"{i}.txt", "Titre\n\nTexte.")
    with pytest.raises(InputError, match=r"in: holds more than 5 article files: .* give its sub-folders one run each"):
        read.article_files([str(tmp_path / "in")], recursive=True)


def test_reading_a_folder_stats_each_file_a_bounded_number_of_times(tmp_path, monkeypatch):
    """-r over 3,000 files once made 18 million stat calls (on the output side, since made
    linear). The reading side: counted, at most two per file."""
    from passeur import api

    folder = tmp_path / "in"
    for i in range(300):
        sub = folder / f"d{i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i}.txt").write_text("Titre\n\nLe texte de l’article.", "utf-8")
    calls = {"n": 0}
    for fn in ("stat", "lstat"):
        original = getattr(os, fn)

        def counting(*args, _original=original, **kwargs):
            calls["n"] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(os, fn, counting)
    articles = api.read_articles([str(folder)], recursive=True)
    assert len(articles) == 300
    assert calls["n"] <= 2 * 300 + 20


# --- reader cases found by an adversarial trial: each lost or changed text silently ----------------

VERDICT = ("Militant ou magistrat ? Le vice-président d'Anticor sous le coup d'une enquête\n\n"
           "Le parquet a ouvert une enquête visant le vice-président de l'association.\n\n"
           "Il conteste les faits et dénonce une manœuvre.\n\n"
           "Le dossier a été transmis au juge d'instruction.\n\n"
           "Commentaires haineux, menaces et insultes : le tribunal a condamné trois internautes.\n\n"
           "Le verdict sera rendu le 12 mars.\n")


def test_a_paragraph_starting_with_a_furniture_word_is_news(tmp_path):
    """"Commentaires haineux, …" in the second half cut it and everything after (the verdict date)."""
    article = read_article(write(tmp_path, "a.txt", VERDICT))
    assert article.sentences[-2:] == ["Commentaires haineux, menaces et insultes : le tribunal a condamné trois "
                                      "internautes.", "Le verdict sera rendu le 12 mars."]


def test_furniture_is_cut_only_when_nothing_but_furniture_follows(tmp_path):
    body = "Titre\n\n" + "\n\n".join(f"Paragraphe {i} de l’article, une phrase complète." for i in range(4))
    tail = "\n\nLire aussi : le procès reprend\n\nLe procès reprendra en avril, a indiqué le parquet.\n\n" \
           "Commentaires (12)\n\nPartager sur Facebook\n\nVotre adresse e-mail ne sera pas publiée."
    article = read_article(write(tmp_path, "a.txt", body + tail))
    assert article.sentences[-2:] == ["Lire aussi : le procès reprend", "Le procès reprendra en avril, a indiqué le parquet."]


def test_a_headline_that_asks_is_the_title(tmp_path):
    article = read_article(write(tmp_path, "a.txt", VERDICT))
    assert article.title == "Militant ou magistrat ? Le vice-président d'Anticor sous le coup d'une enquête"


def test_par_ailleurs_is_not_a_byline(tmp_path):
    text = ("Titre\n\nPar Jeanne Martin\n\nLe texte de l’article.\n\n"
            "Par ailleurs, le ministre de l’Intérieur a démissionné.\n\nFin de l’article.")
    kinds = {s.text: s.kind for s in read_article(write(tmp_path, "a.txt", text)).segments}
    assert kinds["Par Jeanne Martin"] == "byline"
    assert kinds["Par ailleurs, le ministre de l’Intérieur a démissionné."] == "text"


def test_html_body_inside_one_form_is_read(tmp_path):
    """ASP.NET pages put the whole body in one <form>: the headline and paragraphs were dropped."""
    page = """<!doctype html><html><head><title>Le titre | Journal</title></head><body>
    <form method="post" action="./article.aspx"><input type="hidden" name="__VIEWSTATE" value="x">
    <h1>Le titre</h1><p>Première phrase. Seconde phrase.</p><p>Troisième phrase.</p>
    <label>Rechercher</label><select><option>Choix</option></select><textarea>Votre avis</textarea>
    <button>Envoyer</button></form></body></html>"""
    article = read_article(write(tmp_path, "a.aspx.html", page))
    assert article.sentences == ["Le titre", "Première phrase.", "Seconde phrase.", "Troisième phrase."]


def test_html_line_break_inside_a_sentence_does_not_cut_it(tmp_path):
    page = ("<html><body><h1>Titre</h1><p>Le ministre de l’Intérieur a annoncé<br>sa démission hier soir. "
            "Il part.</p><p>Ligne un<br><br>Paragraphe deux, après deux sauts de ligne.</p></body></html>")
    article = read_article(write(tmp_path, "a.html", page))
    assert article.sentences[1:3] == ["Le ministre de l’Intérieur a annoncé sa démission hier soir.", "Il part."]
    assert [s.kind for s in article.segments[1:3]] == ["text", "text"]
    assert article.sentences[3:] == ["Ligne un", "Paragraphe deux, après deux sauts de ligne."]


def test_markdown_front_matter_and_comments_are_not_text(tmp_path):
    text = ("---\ntitle: brouillon\nauthor: jd\n---\n\n# Le vrai titre\n\n"
            "<!-- ne pas publier le nom de la source, Jean Dupont -->\n\n"
            "Un paragraphe. <!-- note\nsur deux lignes --> La suite.\n\n"
            "Réglez `max_retry_count` à 3 ou max_retry_count à 4, et *insistez* sur _ceci_.\n")
    article = read_article(write(tmp_path, "a.md", text))
    assert article.title == "Le vrai titre"
    assert article.sentences[1:] == ["Un paragraphe.", "La suite.",
                                     "Réglez `max_retry_count` à 3 ou max_retry_count à 4, et insistez sur ceci."]
    assert not any("Dupont" in s or "brouillon" in s for s in article.sentences)


@pytest.mark.parametrize("text, spans", [
    ("Voir https://x.com/i/status/1813456385Éric Dupont a réagi.", ["https://x.com/i/status/1813456385"]),
    ("Le lien https://exemple.fr/articleÉlise Lucet a tweeté.", ["https://exemple.fr/article"]),
    ("Sur https://fr.wikipedia.org/wiki/Élysée et https://github.com/PasseurProject/x.",
     ["https://fr.wikipedia.org/wiki/Élysée", "https://github.com/PasseurProject/x"]),
    ("www.[Cliquez](javascript:alert(document.cookie))", ["[Cliquez](javascript:alert(document.cookie)"]),
])
def test_url_spans_end_where_the_url_does(text, spans):
    from passeur.verbatim import VERBATIM

    assert [m.group() for m in VERBATIM.finditer(text)] == spans


def test_a_javascript_link_after_www_is_never_live_in_markdown(tmp_path, run, echo_registered):
    path = write(tmp_path, "a.txt", "Titre\n\nwww.[Cliquez](javascript:alert(document.cookie)) pour voir.")
    out = run("translate", path, "--engine", "echo", "--to", "en", "--format", "md", "--no-glossary").output
    assert "\\[Cliquez\\](javascript" in out and "Cliquez](" not in out  # shown as text, never a link
