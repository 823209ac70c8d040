"""passeur serve: LibreTranslate 1.9.6's API (fields, conditional fields, status codes and messages),
every error path, limits, files, batching across requests, and real LibreTranslate clients.

Most requests go in-process through werkzeug's test client; the clients that open sockets talk
to a server on 127.0.0.1. The echo engine makes answers exact ("[en] …"); the tiny random
models check that batching never changes a client's answer.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import threading

import pytest
from echo_engine import EchoEngine
from werkzeug.test import Client

from passeur import api
from passeur.server import create_app
from passeur.server.app import Settings
from passeur.server.limits import KeyLimits, RateLimiter, read_keys
from passeur.translate.engine import EngineError


def make(engine=None, **settings):
    return create_app(Settings(**settings), api.shared_engine(engine or EchoEngine()))


@pytest.fixture
def client():
    return Client(make())


def answer(response):
    return response.status_code, json.loads(response.get_data(as_text=True))


# --- LibreTranslate's routes and fields ------------------------------------------------------

def test_translate_a_string_json_form_multipart_and_query(client):
    expected = (200, {"translatedText": "[en] Il pleut sur Gaza."})
    assert answer(client.post("/translate", json={"q": "Il pleut sur Gaza.", "source": "fr", "target": "en"})) == expected
    assert answer(client.post("/translate", data={"q": "Il pleut sur Gaza.", "source": "fr", "target": "en"})) == expected
    assert answer(client.post("/translate", data={"q": "Il pleut sur Gaza.", "source": "fr", "target": "en",
                                                   "file_": (io.BytesIO(b""), "")})) == expected  # multipart
    assert answer(client.post("/translate", query_string={"q": "Il pleut sur Gaza.", "source": "FR",
                                                          "target": "EN"})) == expected


def test_glossary_terms_are_enforced_for_every_client(client):
    status, body = answer(client.post("/translate", json={"q": "Tsahal a frappé la Cisjordanie.", "source": "fr",
                                                          "target": "he"}))
    assert status == 200 and body == {"translatedText": "[he] [en] צה\"ל a frappé la הגדה המערבית."}
    plain = make(glossary=None)
    assert answer(Client(plain).post("/translate", json={"q": "Tsahal.", "source": "fr", "target": "en"}))[1] == \
        {"translatedText": "[en] Tsahal."}


def test_a_list_gives_a_list_and_detection_and_alternatives_only_when_asked(client):
    status, body = answer(client.post("/translate", json={"q": ["Il pleut.", "", "Fin."], "source": "fr", "target": "ar"}))
    assert status == 200 and body == {"translatedText": ["[ar] [en] Il pleut.", "", "[ar] [en] Fin."]}
    status, body = answer(client.post("/translate", json={"q": "Le ministre a parlé de la guerre à Gaza.",
                                                          "source": "auto", "target": "en", "alternatives": 2}))
    assert body["alternatives"] == [] and body["detectedLanguage"]["language"] == "fr"
    assert 0 < body["detectedLanguage"]["confidence"] <= 100
    status, body = answer(client.post("/translate", json={"q": ["Le ministre a parlé.", "Il a plu."], "source": "auto",
                                                          "target": "en", "alternatives": "1"}))
    assert body["alternatives"] == [[], []] and [d["language"] for d in body["detectedLanguage"]] == ["fr", "fr"]
    assert set(body) == {"translatedText", "alternatives", "detectedLanguage"}


def test_q_given_several_times_in_a_form_is_a_list(client):
    """What libretranslate-aio sends for a list: LibreTranslate keeps only the first q."""
    status, body = answer(client.post("/translate", data={"q": ["Un.", "Deux."], "source": "fr", "target": "en"}))
    assert body == {"translatedText": ["[en] Un.", "[en] Deux."]}


def test_layout_and_html_are_kept(client):
    text = "Titre\n\n  Il pleut.  Tsahal attend.\n"
    assert answer(client.post("/translate", json={"q": text, "source": "fr", "target": "en"}))[1]["translatedText"] == \
        "[en] Titre\n\n  [en] Il pleut.  [en] IDF attend.\n"
    html = '<p class="x">Le <b>ministre</b> &amp; <span translate="no">Tsahal</span>.</p><script>var a="<b>";</script>'
    body = answer(client.post("/translate", json={"q": html, "source": "fr", "target": "en", "format": "html"}))[1]
    assert body["translatedText"] == ('<p class="x">[en] Le <b>[en] ministre</b> [en] &amp; <span translate="no">'
                                      'Tsahal</span>[en] .</p><script>var a="<b>";</script>')
    hostile = answer(client.post("/translate", json={"q": "&lt;img src=x onerror=alert(1)&gt;", "source": "fr",
                                                     "target": "en", "format": "html"}))[1]["translatedText"]
    assert "<img" not in hostile and "&lt;img" in hostile


def test_emoji_alone_come_back_as_they_are(client):
    assert answer(client.post("/translate", json={"q": "😀 🎉", "source": "auto", "target": "en"}))[1] == \
        {"translatedText": "😀 🎉", "detectedLanguage": {"confidence": 0.0, "language": "en"}}


def test_passeur_extras_only_when_asked(client):
    plain = answer(client.post("/translate", json={"q": "Tsahal attend.", "source": "fr", "target": "en"}))[1]
    assert set(plain) == {"translatedText"}
    body = answer(client.post("/translate", json={"q": ["Tsahal attend."], "source": "fr", "target": "en",
                                                  "passeur": True}))[1]
    [report] = body["passeur"]
    assert report["sentences"] == ["Tsahal attend."] and report["signature"].startswith("fr>en:echo/fr-en")
    assert {"sentence": 0, "lang": "en", "concept": "tsahal", "term": "Tsahal", "target": "IDF", "status": "ok",
            "enforced": "placeholder"} in report["terms"]


def test_languages_list_real_routes_only(client):
    status, body = answer(client.get("/languages"))
    assert body == [{"code": "ar", "name": "Arabic", "targets": []}, {"code": "en", "name": "English", "targets": ["ar", "he"]},
                    {"code": "fr", "name": "French", "targets": ["ar", "en", "he"]},
                    {"code": "he", "name": "Hebrew", "targets": []}]


def test_detect_settings_health_spec(client):
    status, body = answer(client.post("/detect", data={"q": "The minister said the war would go on."}))
    assert status == 200 and body[0]["language"] == "en" and 0 < body[0]["confidence"] <= 100
    assert answer(client.post("/detect", json={"q": "😀"}))[1] == [{"confidence": 0.0, "language": "en"}]
    status, body = answer(client.get("/frontend/settings"))
    assert body == {"charLimit": -1, "frontendTimeout": 500, "apiKeys": False, "keyRequired": False,
                    "suggestions": False, "filesTranslation": True,
                    "supportedFilesFormat": [".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".odt", ".srt"],
                    "language": {"source": {"code": "fr", "name": "French"}, "target": {"code": "ar", "name": "Arabic"}}}
    assert answer(client.get("/health")) == (200, {"status": "ok"})
    status, body = answer(client.get("/spec"))
    assert status == 200 and body["swagger"] == "2.0" and "/translate" in body["paths"]


def test_cors_as_libretranslate(client):
    for response in (client.get("/languages"), client.options("/translate"), client.post("/translate", json={})):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
        assert response.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type"
    assert client.options("/translate").status_code == 200


# --- every error path: LibreTranslate's status and message ------------------------------------

FR_EN = {"source": "fr", "target": "en"}


@pytest.mark.parametrize("settings, request_, status, message", [
    ({}, {"json": {"source": "fr", "target": "en"}}, 400, "Invalid request: missing q parameter"),
    ({}, {"data": {"q": "", **FR_EN}}, 400, "Invalid request: missing q parameter"),
    ({}, {"json": {"q": [], **FR_EN}}, 400, "Invalid request: missing q parameter"),
    ({}, {"json": {"q": "x", "target": "en"}}, 400, "Invalid request: missing source parameter"),
    ({}, {"data": {"q": "x", "source": "fr"}}, 400, "Invalid request: missing target parameter"),
    ({}, {"data": {"q": "x", **FR_EN, "alternatives": "many"}}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ({}, {"json": {"q": "x", **FR_EN, "alternatives": "many"}}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ({}, {"json": {"q": "x", **FR_EN, "alternatives": [1]}}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ({"alternatives_limit": 2}, {"json": {"q": "x", **FR_EN, "alternatives": 3}}, 400,
     "Invalid request: alternatives parameter must be <= 2"),
    ({}, {"json": {"q": "x", "source": "zz", "target": "en"}}, 400, "zz is not supported"),
    ({}, {"json": {"q": "x", "source": "fr", "target": "xx"}}, 400, "xx is not supported"),
    ({}, {"json": {"q": "x", "source": 5, "target": "en"}}, 400, "5 is not supported"),
    ({}, {"json": {"q": "x", **FR_EN, "format": "pdf"}}, 400, "pdf format is not supported"),
    ({}, {"json": {"q": "x", "source": "ar", "target": "en"}}, 400,
     "English (en) is not available as a target language from Arabic (ar)"),
    ({"char_limit": 10}, {"json": {"q": "Il pleut beaucoup.", **FR_EN}}, 400,
     "Invalid request: request (18) exceeds text limit (10)"),
    ({"char_limit": 10}, {"data": {"q": "Un\r\nDeux\r\nTrois", **FR_EN}}, 400,
     "Invalid request: request (13) exceeds text limit (10)"),  # CRLF counted as LF, as LibreTranslate does
    ({"batch_limit": 2}, {"json": {"q": ["a", "b", "c"], **FR_EN}}, 400,
     "Invalid request: request (3) exceeds text limit (2)"),
    ({}, {"data": "{not json", "content_type": "application/json"}, 400,
     "The browser (or proxy) sent a request that this server could not understand."),
    ({}, {"data": "[" * 100_000, "content_type": "application/json"}, 400,
     "The browser (or proxy) sent a request that this server could not understand."),
    ({}, {"json": ["q", "x"]}, 400, "Invalid JSON format"),
    ({}, {"json": {"q": 5, **FR_EN}}, 400, "Invalid request: q parameter must be a string or a list of strings"),
    ({}, {"json": {"q": ["a", None], **FR_EN}}, 400,
     "Invalid request: q parameter must be a string or a list of strings"),
    ({"max_body": 1024}, {"json": {"q": "x" * 2000, **FR_EN}}, 413,
     "Invalid request: the request is over 1,024 bytes"),
])
def test_translate_errors(settings, request_, status, message):
    response = Client(make(**settings)).post("/translate", **request_)
    assert answer(response) == (status, {"error": message})


KEYS = {"desk-key-1": KeyLimits(), "slow-key-1": KeyLimits(requests=1), "short-key": KeyLimits(chars=5)}


@pytest.mark.parametrize("settings, route, request_, status, message", [
    ({"api_keys": KEYS}, "/translate", {"json": {"q": "x", **FR_EN, "api_key": "nope-nope"}}, 403, "Invalid API key"),
    ({"api_keys": KEYS}, "/detect", {"data": {"q": "x", "api_key": "nope-nope"}}, 403, "Invalid API key"),
    ({"api_keys": KEYS, "require_api_key": True}, "/translate", {"json": {"q": "x", **FR_EN}}, 400,
     "Please contact the server operator to get an API key"),
    ({"api_keys": KEYS}, "/translate", {"json": {"q": "Il pleut.", **FR_EN, "api_key": "short-key"}}, 400,
     "Invalid request: request (9) exceeds text limit (5)"),
    ({}, "/suggest", {"data": {"q": "a", "s": "b", **FR_EN}}, 403, "Suggestions are disabled on this server."),
    ({}, "/detect", {"data": {}}, 400, "Invalid request: missing q parameter"),
    ({}, "/detect", {"json": {"q": 3}}, 400, "Invalid request: q parameter must be a string or a list of strings"),
    ({}, "/translate_file", {"data": FR_EN}, 400, "Invalid request: missing file parameter"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.txt"), "target": "en"}}, 400,
     "Invalid request: missing source parameter"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.txt"), "source": "fr"}}, 400,
     "Invalid request: missing target parameter"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.pdf"), **FR_EN}}, 400,
     "Invalid request: file format not supported"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.txt"), "source": "zz", "target": "en"}}, 400,
     "zz is not supported"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.txt"), "source": "ar", "target": "en"}}, 400,
     "English (en) is not available as a target language from Arabic (ar)"),
    ({}, "/translate_file", {"data": {"file": (io.BytesIO(b"caf\xe9"), "a.txt"), **FR_EN}}, 400,
     "Invalid request: a.txt:1: not UTF-8 (byte 0xe9): pass --encoding latin-1 (or cp1252), or convert the file "
     "to UTF-8"),
    ({"files": False}, "/translate_file", {"data": {"file": (io.BytesIO(b"x"), "a.txt"), **FR_EN}}, 403,
     "Files translation are disabled on this server."),
    ({}, "/passeur/brief", {"json": {"source": "fr", "targets": ["en"]}}, 400, "Invalid request: missing q parameter"),
    ({}, "/passeur/brief", {"json": {"q": "Il pleut.", "source": "fr"}}, 400,
     "Invalid request: missing targets parameter"),
    ({}, "/passeur/brief", {"json": {"q": "Il pleut.", "source": "fr", "targets": ["zz"]}}, 400, "zz is not supported"),
])
def test_other_errors(settings, route, request_, status, message):
    assert answer(Client(make(**settings)).post(route, **request_)) == (status, {"error": message})


@pytest.mark.parametrize("method, route, status", [
    ("get", "/nowhere", 404), ("get", "/translate", 405), ("get", "/download_file/../../etc/passwd", 404),
    ("get", "/download_file/0123456789abcdef0123456789abcdef.a.txt", 404), ("delete", "/languages", 405),
])
def test_unknown_routes_and_methods_answer_json(client, method, route, status):
    code, body = answer(getattr(client, method)(route))
    assert code == status and set(body) == {"error"} and body["error"]


def test_download_of_an_unknown_file_says_invalid_filename(client):
    assert answer(client.get("/download_file/not-a-file.txt")) == (404, {"error": "Invalid filename"})


def test_rate_limits_per_address_and_per_key():
    client = Client(make(req_limit=2, api_keys=KEYS))
    request = {"json": {"q": "Il pleut.", **FR_EN}}
    assert [client.post("/translate", **request).status_code for _ in range(2)] == [200, 200]
    assert answer(client.post("/translate", **request)) == (429, {"error": "Slowdown: 2 per 1 minute"})
    assert client.get("/languages").status_code == 200  # pages, languages and settings are never limited
    keyed = {"json": {"q": "Il pleut.", **FR_EN, "api_key": "slow-key-1"}}
    assert client.post("/translate", **keyed).status_code == 200  # a key has its own count
    assert answer(client.post("/translate", **keyed)) == (429, {"error": "Slowdown: 1 per 1 minute"})
    batch = Client(make(req_limit=3))
    assert batch.post("/translate", json={"q": ["a", "b", "c"], **FR_EN}).status_code == 200
    assert batch.post("/translate", json={"q": "d", **FR_EN}).status_code == 429  # a list costs one per text


def test_rate_limiter_window_and_memory():
    limiter = RateLimiter(window=60, max_clients=3)
    assert [limiter.allow("a", 2, now=100.0 + i) for i in range(3)] == [True, True, False]
    assert limiter.allow("a", 2, now=161.5)  # the first request left the window
    for name in "bcde":
        limiter.allow(name, 5, now=170.0)
    assert len(limiter._seen) == 3 and "a" not in limiter._seen


@pytest.mark.parametrize("text, message", [
    ("bad key!\n", "is not a key line"),
    ("good-key-1 fast\n", "'fast' is not a limit"),
    ("good-key-1 1 2 3\n", "is not a key line"),
    ("good-key-1\ngood-key-1\n", "is given twice"),
])
def test_a_bad_keys_file_names_its_line(tmp_path, text, message):
    path = tmp_path / "keys.txt"
    path.write_text("# keys\n" + text, "utf-8")
    with pytest.raises(api.InputError, match=message) as caught:
        read_keys(path)
    assert f"{path}:" in str(caught.value)


def test_keys_file(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("# newsroom\nab12cd34-desk 120\narchive-key 600 20000  # nightly\nintern-key - 2000\n", "utf-8")
    assert read_keys(path) == {"ab12cd34-desk": KeyLimits(120), "archive-key": KeyLimits(600, 20000),
                               "intern-key": KeyLimits(None, 2000)}


def test_serve_command_refuses_a_bad_setup(run, tmp_path):
    result = run("serve", "--require-api-key")
    assert result.exit_code == 2 and "--require-api-key needs --api-keys FILE" in result.output
    (tmp_path / "keys.txt").write_text("x\n", "utf-8")
    result = run("serve", "--api-keys", tmp_path / "keys.txt")
    assert result.exit_code == 2 and "keys.txt:1: 'x' is not a key line" in result.output


# --- files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, text, expected", [
    ("dépêche.txt", "Titre\n\nIl pleut sur Gaza.\n", "[en] Titre\n\n[en] Il pleut sur Gaza.\n"),
    ("note.md", "# Titre\n\n- Tsahal attend.\n\n```\nne pas traduire\n```\n",
     "# [en] Titre\n\n- [en] IDF attend.\n\n```\nne pas traduire\n```\n"),
    ("page.html", "<h1>Titre</h1><p>Il <i>pleut</i>.</p>", "<h1>[en] Titre</h1><p>[en] Il <i>[en] pleut</i>[en] .</p>"),
])
def test_translate_file_then_download_it(client, name, text, expected):
    status, body = answer(client.post("/translate_file", data={"file": (io.BytesIO(text.encode("utf-8")), name),
                                                               **FR_EN}))
    assert status == 200 and body["translatedFileUrl"].startswith("http://localhost/download_file/")
    response = client.get(body["translatedFileUrl"].removeprefix("http://localhost"))
    assert response.status_code == 200 and response.get_data(as_text=True) == expected
    safe = "depeche.txt" if name.startswith("d") else name
    assert response.headers["Content-Disposition"] == f"attachment; filename={safe}"


def test_a_word_document_comes_back_a_word_document(client):
    import docx

    source = docx.Document()
    source.add_heading("Le rapport", level=1)
    paragraph = source.add_paragraph("Tsahal a frappé ")
    paragraph.add_run("Gaza").bold = True
    paragraph.add_run(" hier.")
    data = io.BytesIO()
    source.save(data)
    status, body = answer(client.post("/translate_file", data={"file": (io.BytesIO(data.getvalue()), "rapport.docx"),
                                                               "source": "fr", "target": "he"}))
    assert status == 200
    response = client.get(body["translatedFileUrl"].removeprefix("http://localhost"))
    assert response.headers["Content-Disposition"] == "attachment; filename=rapport.docx"
    translated = docx.Document(io.BytesIO(response.get_data()))
    texts = [p.text for p in translated.paragraphs]
    assert texts[0] == "[he] [en] Le rapport" and 'צה"ל' in texts[1] and "עזה" in texts[1]
    assert any(run.bold and "עזה" in run.text for run in translated.paragraphs[1].runs)  # the bold stays on its word


def test_files_are_kept_bounded():
    from passeur.server.files import FileStore, safe_name

    store = FileStore(max_files=2)
    try:
        names = [store.put(f"{i}.txt", b"x") for i in range(3)]
        assert store.get(names[0]) is None and store.get(names[2]) == (b"x", "2.txt")
        assert store.get("../" + names[2]) is None and store.get(names[2].replace(".", "/", 1)) is None
    finally:
        store.close()
    assert safe_name("../../etc/passwd.txt") == "passwd.txt" and safe_name("Été 2024 (final).md") == "Ete_2024_final.md"
    assert safe_name("???.html") == "file.html"


# --- one line per request in the log ----------------------------------------------------------

def test_one_log_line_per_request_and_never_the_text(client, caplog):
    with caplog.at_level(logging.INFO, logger="passeur.server"):
        client.post("/translate", json={"q": "Un secret de la source.", **FR_EN})
        client.post("/translate", json={"q": "x", "source": "zz", "target": "en"})
        client.get("/x%0A127.0.0.1 forged%0D")
    lines = [r.getMessage() for r in caplog.records if r.name == "passeur.server"]
    assert len(lines) == 3 and all("\n" not in line and "\r" not in line for line in lines)
    assert '"GET /x\\n127.0.0.1 forged\\r" 404' in lines[2]
    assert '"POST /translate" 200' in lines[0] and "texts=1 chars=23" in lines[0]
    assert '"POST /translate" 400' in lines[1]
    assert not any("secret" in line for line in lines)


def test_a_defect_is_a_500_in_json_with_no_traceback(caplog):
    app = make()
    app.detect = lambda *args, **kwargs: 1 / 0
    with caplog.at_level(logging.INFO, logger="passeur.server"):
        status, body = answer(Client(app).post("/detect", data={"q": "x"}))
    assert status == 500 and "Traceback" not in body["error"] and "ZeroDivisionError" not in body["error"]
    assert any("ZeroDivisionError" in r.getMessage() for r in caplog.records)


# --- batching across requests -----------------------------------------------------------------

class Gate(EchoEngine):
    """The echo engine, holding its first call until the test opens the gate (so that the other
    requests queue up meanwhile); it fails any sentence holding BOOM."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open, self.entered = threading.Event(), threading.Event()
        self.calls = []

    def translate(self, sentences, source, target, progress=None):
        self.calls.append(list(sentences))
        self.entered.set()
        self.open.wait(30)
        if any("BOOM" in s for s in sentences):
            raise EngineError("the model failed on this sentence")
        return super().translate(sentences, source, target, progress)


def concurrently(app, bodies, engine, inner):
    """Send the requests together: the first holds the engine while the others queue behind it."""
    results = [None] * len(bodies)

    def send(i):
        results[i] = answer(Client(app).post("/translate", json=bodies[i]))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    threads[0].start()
    assert inner.entered.wait(30)
    for thread in threads[1:]:
        thread.start()
    with engine._lock:
        assert engine._lock.wait_for(lambda: len(engine._calls) == len(bodies) - 1, timeout=30)
    inner.open.set()
    for thread in threads:
        thread.join(30)
    return results


def test_concurrent_requests_are_decoded_together_and_each_gets_its_own_answer():
    inner = Gate(pairs=[("fr", "en")])
    engine = api.shared_engine(inner, window=0)
    app = create_app(Settings(glossary=None), engine)
    bodies = [{"q": [f"Phrase {i}.", "Commune."], **FR_EN} for i in range(12)]
    results = concurrently(app, bodies, engine, inner)
    assert results == [(200, {"translatedText": [f"[en] Phrase {i}.", "[en] Commune."]}) for i in range(12)]
    assert len(inner.calls) == 2 and engine.rounds == 2  # the first request alone, then the 11 others together
    assert sorted(inner.calls[1]) == sorted([f"Phrase {i}." for i in range(1, 12)] + ["Commune."])  # each once


def test_one_clients_failure_is_not_anothers():
    inner = Gate(pairs=[("fr", "en")])
    engine = api.shared_engine(inner, window=0)
    app = create_app(Settings(glossary=None), engine)
    bodies = [{"q": "Première.", **FR_EN}, {"q": "BOOM.", **FR_EN}, {"q": "Troisième.", **FR_EN}]
    first, failed, third = concurrently(app, bodies, engine, inner)
    assert first == (200, {"translatedText": "[en] Première."}) and third == (200, {"translatedText": "[en] Troisième."})
    assert failed == (500, {"error": "Cannot translate text: the model failed on this sentence"})


def test_a_full_queue_or_a_late_answer_is_a_503():
    inner = Gate(pairs=[("fr", "en")])
    engine = api.shared_engine(inner, window=0, max_pending=3)
    app = create_app(Settings(glossary=None, timeout=0.2), engine)
    threading.Thread(target=lambda: Client(app).post("/translate", json={"q": "Premier.", **FR_EN}), daemon=True).start()
    assert inner.entered.wait(30)
    status, body = answer(Client(app).post("/translate", json={"q": ["a.", "b.", "c.", "d."], **FR_EN}))
    assert status == 503 and body["error"].startswith("Server busy: ") and "waiting" in body["error"]
    status, body = answer(Client(app).post("/translate", json={"q": "Encore.", **FR_EN}))  # waits 0.2 s, gives up
    assert status == 503 and "did not finish in time" in body["error"]
    inner.open.set()
    assert answer(Client(app).post("/translate", json={"q": "Après.", **FR_EN})) == (200, {"translatedText": "[en] Après."})


def test_with_real_models_a_neighbours_sentences_never_change_an_answer(installed):
    """Random weights decode to the length cap: another client's long sentence in the same batch
    would lengthen this client's translation if they shared one."""
    from passeur.translate.argos import ArgosEngine

    mine = {"q": ["Le ministre a parlé.", "Il pleut sur Gaza."], **FR_EN}
    alone = answer(Client(make(ArgosEngine())).post("/translate", json=mine))
    assert alone[0] == 200

    class GatedArgos(ArgosEngine):
        open, entered, calls = threading.Event(), threading.Event(), []

        def translate(self, sentences, source, target, progress=None):
            GatedArgos.calls.append(sentences)
            GatedArgos.entered.set()
            GatedArgos.open.wait(30)
            return super().translate(sentences, source, target, progress)

    inner = GatedArgos()
    engine = api.shared_engine(inner, window=0)
    app = create_app(Settings(), engine)
    hostile = {"q": ["Une phrase " + "vraiment " * 120 + "longue.", "Le ministre a parlé."], **FR_EN}
    results = concurrently(app, [{"q": "Premier.", **FR_EN}, mine, hostile], engine, inner)
    assert results[1] == alone
    assert any(len(call) >= 3 for call in GatedArgos.calls)  # mine and the hostile one were decoded together


# --- real LibreTranslate clients --------------------------------------------------------------

def threaded_wsgi(app):
    """An httpx async transport into the WSGI app in-process: each request in a thread, so that
    concurrent requests meet in the shared engine as they do on a real server."""
    import httpx

    class ThreadedWSGI(httpx.AsyncBaseTransport):
        sync = httpx.WSGITransport(app=app)

        async def handle_async_request(self, request):
            content = await request.aread()
            copy = httpx.Request(request.method, request.url, headers=request.headers, content=content)
            response = await asyncio.to_thread(self.sync.handle_request, copy)
            return httpx.Response(response.status_code, headers=response.headers, content=response.read())

    return ThreadedWSGI()


def test_libretranslate_aio_in_process(tmp_path):
    import httpx
    from libretranslate_aio import AsyncLibreTranslate, LibreTranslate
    from libretranslate_aio.exceptions import BadRequestError, ForbiddenError

    app = make()
    transport = threaded_wsgi(app)

    async def scenario():
        async with httpx.AsyncClient(transport=transport, base_url="http://passeur") as http:
            lt = AsyncLibreTranslate("http://passeur", client=http)
            languages = {language.code: language.targets for language in await lt.languages()}
            assert languages["fr"] == ["ar", "en", "he"]
            assert await lt.health()
            settings = await lt.frontend_settings()
            assert settings.char_limit == -1 and not settings.key_required and ".md" in settings.supported_files_format
            texts = [f"Tsahal a frappé Gaza, dépêche {i}." for i in range(8)]
            answers = await asyncio.gather(*(lt.translate(text, "fr", "he") for text in texts))
            assert [a.translated_text for a in answers] == [f'[he] [en] צה"ל a frappé עזה, dépêche {i}.' for i in range(8)]
            batch = await lt.translate(["Le ministre a parlé.", "Il a plu."], "auto", "en", alternatives=2)
            assert batch.translated_text == ["[en] Le ministre a parlé.", "[en] Il a plu."]
            assert batch.alternatives == [[], []]
            assert [d.language for d in batch.detected_language] == ["fr", "fr"]
            detections = await lt.detect("Le gouvernement a annoncé de nouvelles mesures.")
            assert detections[0].language == "fr"
            (tmp_path / "dépêche.txt").write_text("Titre\n\nIl pleut.\n", "utf-8")
            translated = await lt.translate_file(tmp_path / "dépêche.txt", "fr", "ar")
            downloaded = await http.get(translated.translated_file_url)
            assert downloaded.text == "[ar] [en] Titre\n\n[ar] [en] Il pleut.\n"
            with pytest.raises(BadRequestError, match="zz is not supported"):
                await lt.translate("x", "fr", "zz")
            with pytest.raises(ForbiddenError, match="Suggestions are disabled on this server."):
                await lt.suggest("a", "b", "fr", "en")

    asyncio.run(scenario())
    assert app.engine.rounds < app.engine.calls_decoded  # the eight concurrent requests shared rounds
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://passeur") as http:
        assert LibreTranslate("http://passeur", client=http).translate("Il pleut.", "fr", "en").translated_text == \
            "[en] Il pleut."


def test_libretranslatepy_and_deep_translator_on_a_live_server(live_server):
    from deep_translator import LibreTranslator
    from deep_translator.exceptions import AuthorizationException
    from libretranslatepy import LibreTranslateAPI

    url = live_server(make())
    lt = LibreTranslateAPI(url)
    assert lt.translate("Tsahal a frappé Gaza.", "fr", "he") == '[he] [en] צה"ל a frappé עזה.'
    assert lt.detect("The minister said the war would go on for months.")[0]["language"] == "en"
    assert {language["code"] for language in lt.languages()} == {"fr", "en", "ar", "he"}
    deep = LibreTranslator(source="en", target="ar", api_key="unused", custom_url=url + "/")
    assert deep.translate("The strip.") == "[ar] The strip."
    assert deep.translate_batch(["One.", "Two."]) == ["[ar] One.", "[ar] Two."]
    keyed = live_server(make(api_keys=KEYS))
    with pytest.raises(AuthorizationException):
        LibreTranslator(source="en", target="ar", api_key="not-a-key", custom_url=keyed + "/").translate("One.")
    assert LibreTranslator(source="en", target="ar", api_key="desk-key-1",
                           custom_url=keyed + "/").translate("One.") == "[ar] One."


def test_slow_clients_hold_connections_not_threads(live_server):
    """Twenty connections that never finish their request, on a server with two threads: a real
    request still gets its answer (waitress reads a request whole before a thread sees it)."""
    import socket
    import urllib.request

    url = live_server(make(), threads_count=2)
    port = int(url.rsplit(":", 1)[1])
    slow = []
    for _ in range(20):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1000\r\n\r\n{\"q\": \"Il pl")
        slow.append(connection)
    try:
        request = urllib.request.Request(url + "/translate", data=json.dumps({"q": "Il pleut.", **FR_EN}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read()) == {"translatedText": "[en] Il pleut."}
    finally:
        for connection in slow:
            connection.close()


def test_the_glossary_given_is_the_one_enforced(tmp_path):
    glossary = tmp_path / "desk.tsv"
    glossary.write_text("id\tfr\ten\tar\the\nsenat\tSénat\tSenate\tمجلس الشيوخ\tהסנאט\n", "utf-8")
    client = Client(make(glossary=str(glossary)))
    assert answer(client.post("/translate", json={"q": "Le Sénat et Tsahal.", **FR_EN}))[1] == \
        {"translatedText": "[en] Le Senate et Tsahal."}
