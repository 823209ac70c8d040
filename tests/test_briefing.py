"""The briefing: files written, text escaped, and right-to-left rendering checked in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def hostile_article(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text("Un titre <b>gras</b>\n\nIl écrit <script>window.hacked = 1</script> dans Gaza. "
                    "Une URL très longue sans espace https://example.org/" + "x" * 300 + " suit.", "utf-8")
    return path


@pytest.fixture
def briefing(tmp_path, article_path, hostile_article, echo_registered, run):
    orangesum = tmp_path / "orangesum-4.txt"
    orangesum.write_text((DATA / "orangesum/articles.txt").read_text("utf-8").splitlines()[4], "utf-8")
    out = tmp_path / "out"
    result = run("brief", article_path, orangesum, hostile_article, "--engine", "echo", "--to", "en,ar,he", "-o", out,
                 "--algorithm", "lexrank-lead")
    assert result.exit_code == 0, result.output
    return out


def test_briefing_files(briefing):
    assert sorted(p.name for p in briefing.iterdir()) == ["briefing.html", "briefing.json", "briefing.md"]
    data = json.loads((briefing / "briefing.json").read_text("utf-8"))
    assert len(data) == 3
    for article in data:
        assert set(article["summary"]) >= {"indices", "fr", "en", "ar", "he"}
        assert all(None not in sentences for sentences in article["translations"].values())  # brief translates all
        assert "|sum:lexrank-lead,2|" in article["signature"]
    html = (briefing / "briefing.html").read_text("utf-8")
    assert html.count('class="lang-block summary" lang="ar" dir="rtl"') == 3
    assert html.count('class="lang-block summary" lang="he" dir="rtl"') == 3
    assert "<script>window" not in html and "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in html
    assert "http" not in html.split("<body>")[0].replace('content="width', "")  # nothing fetched: no link, no font URL
    md = (briefing / "briefing.md").read_text("utf-8")
    assert '<div dir="rtl" lang="he">' in md and "&lt;script&gt;" in md


def test_brief_needs_an_output_folder_and_known_formats(run, article_path, echo_registered, tmp_path):
    assert run("brief", article_path, "--engine", "echo").exit_code == 2
    result = run("brief", article_path, "--engine", "echo", "-o", tmp_path / "o", "--format", "pdf")
    assert result.exit_code == 2 and "choose among txt, md, html, json" in result.output


CHECK_PAGE = """<!DOCTYPE html><html><body><iframe id="f" src="%s" style="width:1100px;height:900px"></iframe>
<pre id="out">pending</pre><script>
document.getElementById("f").addEventListener("load", () => {
  const d = document.getElementById("f").contentDocument, w = d.defaultView;
  const blocks = [...d.querySelectorAll(".lang-block")].map(b => {
    // The last line of the block's first item: a short line shows which edge text starts from.
    const range = d.createRange(); range.selectNodeContents(b.querySelector("li, p"));
    const lines = range.getClientRects(), text = lines[lines.length - 1], box = b.getBoundingClientRect();
    return {lang: b.lang, dir: w.getComputedStyle(b).direction, overflow: b.scrollWidth > b.clientWidth + 1,
            rightGap: Math.round(box.right - text.right), leftGap: Math.round(text.left - box.left)};
  });
  document.getElementById("out").textContent = JSON.stringify({blocks,
    pageOverflow: d.documentElement.scrollWidth > d.documentElement.clientWidth,
    scripts: d.querySelectorAll("body script").length, hacked: w.hacked === 1});
});
</script></body></html>"""


def test_briefing_renders_right_to_left_in_chromium(briefing, tmp_path):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    page = tmp_path / "check.html"
    page.write_text(CHECK_PAGE % (briefing / "briefing.html").as_uri(), "utf-8")
    common = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    report = json.loads(dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0])
    blocks = report["blocks"]
    assert len(blocks) == 3 * 2 * 4  # 3 articles × (summary + full text) × 4 languages
    for block in blocks:
        rtl = block["lang"] in ("ar", "he")
        assert block["dir"] == ("rtl" if rtl else "ltr")
        assert not block["overflow"], block
        # Right-to-left text starts at the right edge of its block, left-to-right at the left.
        near, far = (block["rightGap"], block["leftGap"]) if rtl else (block["leftGap"], block["rightGap"])
        assert near <= far, block
    assert sum(b["rightGap"] + 20 < b["leftGap"] for b in blocks if b["lang"] in ("ar", "he")) >= len(blocks) // 4
    assert not report["pageOverflow"]
    assert report["scripts"] == 0 and not report["hacked"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "briefing.png"
    subprocess.run([*common, "--window-size=1280,2000", f"--screenshot={shot}", (briefing / "briefing.html").as_uri()],
                   capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000


HOSTILE_MD = ("# Titre\n\nVoir [<img src=x onerror=alert(1)>](https://ex.org/a) et [clic](javascript:alert(2)) "
              "puis <b>gras</b> et `<code>` ici.\n")


def test_markdown_outputs_carry_no_markup_from_the_article(tmp_path, echo_registered, run):
    """Link text, a javascript: link, inline HTML: all text once rendered; code spans stay code."""
    path = tmp_path / "a.md"
    path.write_text(HOSTILE_MD, "utf-8")
    glossary = tmp_path / "g-->x.tsv"
    glossary.write_text("id\tfr\ten\nt\tTitre\tTitle\n", "utf-8")
    for command, extra in (("translate", ["--format", "md"]), ("summarize", ["--format", "md"])):
        result = run(command, path, "--engine", "echo", "--to", "en,he", "--glossary", glossary, *extra)
        assert result.exit_code == 0, result.output
        md = result.stdout
        assert "<img" not in md and "<b>" not in md and "[clic](javascript:" not in md and "\\[clic\\]" in md
        assert "&lt;img src=x onerror=alert(1)&gt;" in md and "`<code>`" in md
        comments = [line for line in md.splitlines() if line.startswith("<!--")]
        assert comments and all(line.count("-->") == 1 and line.endswith("-->") for line in comments)


def test_html_escapes_every_value_in_its_context(tmp_path, echo_registered, run):
    from passeur.briefing import BRIEFING
    from passeur.briefing.html import render
    from passeur.result import ArticleResult
    from passeur.translate.read import read_article

    path = tmp_path / 'a"><script>x<'
    path.write_text("Titre <i>\n\nUne phrase.", "utf-8")
    article = read_article(path)
    article.lang = 'fr" onload="x'
    page = render([ArticleResult(article, {'en" x="': ["T", "U"]}, signature="v:1 --><script>")], BRIEFING, "<b>")
    assert "<script>" not in page and "<b>" not in page and 'lang="fr" onload' not in page
    assert 'lang="en" x=' not in page and "&lt;script&gt;" in page


def test_the_briefing_shows_titles_never_paths(tmp_path, echo_registered, run):
    """Activists share briefings: the folders an article came from say who and where."""
    folder = tmp_path / "sources-confidentielles" / "jean-dupont"
    folder.mkdir(parents=True)
    asked = folder / "anticor.txt"
    asked.write_text("Militant ou magistrat ? Le vice-président d'Anticor sous le coup d'une enquête\n\n"
                     "Le parquet a ouvert une enquête. Il conteste les faits.", "utf-8")
    untitled = folder / "sans-titre.txt"
    untitled.write_text("Le conseil municipal a voté le budget hier soir après un long débat. Il entre en vigueur.",
                        "utf-8")
    out = tmp_path / "out"
    assert run("brief", asked, untitled, "--engine", "echo", "--to", "en", "-o", out, "--format", "html,md").exit_code == 0
    for name in ("briefing.html", "briefing.md"):
        text = (out / name).read_text("utf-8")
        assert "confidentielles" not in text and "jean-dupont" not in text
        assert "Militant ou magistrat ? Le vice-président d'Anticor sous le coup d'une enquête" in text.replace("&#x27;", "'")
        assert "Le conseil municipal a voté le budget hier soir après un long débat." in text
