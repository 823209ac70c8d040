"""The page at `/`, as a person uses it, in Debian's headless Chromium driven by Playwright: type
an article, choose languages, press Translate, read what the page shows, download the briefing.

The server runs on 127.0.0.1 with the echo engine, so that what the page must show is known
word for word ("[ar] [en] …", glossary terms in place).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from echo_engine import EchoEngine

from passeur import api
from passeur.server import create_app
from passeur.server.app import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARTICLE = ("Tsahal et le cloud Azure\n\n"
           "Selon le Guardian, l’armée israélienne a stocké ses écoutes de Gaza sur Azure. "
           "Microsoft dit n’avoir rien su.\n\n"
           "Le texte <img src=x onerror=\"window.hacked=1\"> reste du texte. La Cisjordanie aussi.")


@pytest.fixture
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    page.wait_for_selector("#targets input")  # languages loaded from the server
    return page, errors


def test_a_person_translates_an_article_and_downloads_the_briefing(browser, live_server, tmp_path):
    url = live_server(create_app(Settings(), api.shared_engine(EchoEngine())))
    page, errors = open_page(browser, url)
    assert page.locator("#source").input_value() == "fr"
    assert page.locator("#targets input").evaluate_all("inputs => inputs.map(i => [i.value, i.checked])") == \
        [["ar", True], ["en", True], ["he", True]]
    page.get_by_label("Article").fill(ARTICLE)
    page.get_by_label("Hebrew").uncheck()
    page.get_by_role("button", name="Translate").click()
    page.wait_for_selector("section#results .fulltext")
    assert page.locator("#status").inner_text() == "Done."

    # The summary comes first, then the full text, one block per language.
    headings = page.locator("#results h3").all_inner_texts()
    assert headings.index("SUMMARY") < headings.index("FULL TEXT")
    blocks = page.locator(".fulltext .lang-block")
    assert blocks.evaluate_all("bs => bs.map(b => [b.lang, getComputedStyle(b).direction])") == \
        [["fr", "ltr"], ["ar", "rtl"], ["en", "ltr"]]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-page.png"), full_page=True)
    arabic = page.locator('.fulltext .lang-block[lang="ar"]')
    assert "[ar] [en] Selon le الغارديان, l’الجيش الإسرائيلي a stocké" in arabic.inner_text()
    # Right-to-left text starts at the right edge of its block: a short line hugs the right.
    gaps = page.locator('.summaries .lang-block[lang="ar"] li').last.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p); const rects = [...r.getClientRects()];"
        " const box = p.getBoundingClientRect();"
        " return [Math.round(box.right - Math.max(...rects.map(x => x.right))),"
        "         Math.round(Math.min(...rects.map(x => x.left)) - box.left)]; }")
    assert gaps[0] <= 2 and gaps[1] > 40
    # Glossary terms are marked, in the source and in each translation.
    assert "الجيش الإسرائيلي" in arabic.locator("mark.term").all_inner_texts()
    assert "IDF" in page.locator('.fulltext .lang-block[lang="en"] mark.term').all_inner_texts()
    assert "Tsahal" in page.locator('.fulltext .lang-block[lang="fr"] mark.term').all_inner_texts()
    summary = page.locator('.summaries .lang-block[lang="en"]').inner_text()
    assert "[en] Selon le the Guardian, l’Israeli army" in summary
    assert "Glossary terms: Arabic" in page.locator(".terms").inner_text()
    # The article's markup is text: shown as typed, never run.
    assert '<img src=x onerror="window.hacked=1">' in page.locator('.fulltext .lang-block[lang="fr"]').inner_text()
    assert page.evaluate("window.hacked") is None and not errors

    with page.expect_download() as download:
        page.get_by_text("Download the briefing").click()
    saved = tmp_path / "briefing.html"
    download.value.save_as(saved)
    briefing = saved.read_text("utf-8")
    assert download.value.suggested_filename == "briefing.html"
    assert 'class="lang-block summary" lang="ar" dir="rtl"' in briefing and "Glossary terms" in briefing
    assert "<img src=x" not in briefing


def test_the_page_uploads_a_file_and_says_what_went_wrong(browser, live_server, tmp_path):
    keys = {"page-key-1": None}
    from passeur.server.limits import KeyLimits

    url = live_server(create_app(Settings(api_keys={k: KeyLimits() for k in keys}, require_api_key=True, char_limit=200),
                                 api.shared_engine(EchoEngine())))
    page, errors = open_page(browser, url)
    assert page.locator("#key-row").is_visible()
    page.get_by_role("button", name="Translate").click()
    assert page.locator("#status").inner_text() == "Paste an article, or choose a file."
    page.get_by_label("Article").fill("Il pleut.")
    page.get_by_role("button", name="Translate").click()
    page.wait_for_selector("#status.error >> text=API key")
    assert page.locator("#status").inner_text() == "Please contact the server operator to get an API key"
    article = tmp_path / "dépêche.md"
    article.write_text("# Une dépêche\n\nIl pleut sur Gaza. Tsahal attend.\n", "utf-8")
    page.get_by_label("API key").fill("page-key-1")
    page.get_by_label("Article").fill("")
    page.locator("#file").set_input_files(str(article))
    page.get_by_role("button", name="Translate").click()
    page.wait_for_selector("section#results .fulltext")
    assert page.locator("#results h2").inner_text() == "Une dépêche"
    assert "[he] [en] Il pleut sur עזה." in page.locator('.fulltext .lang-block[lang="he"]').inner_text()
    assert not errors
