"""Markdown briefings: nothing an article or a results file holds can break out of its place."""

from __future__ import annotations

import re

from passeur.article import CODE, TEXT, Article, Segment
from passeur.briefing import render
from passeur.result import ArticleResult


def result_with(code: str, lang: str = "he") -> ArticleResult:
    article = Article("a.md", [Segment("Un texte.", 0, TEXT), Segment(code, 1, CODE)], "fr")
    return ArticleResult(article, {lang: ["טקסט.", code]})


def test_a_code_block_holding_fences_cannot_close_its_own():
    code = "avant\n```\n~~~~\n````` <img src=x onerror=alert(1)>\naprès"
    out = render([result_with(code)], "md")
    fence = next(line for line in out.splitlines() if re.fullmatch(r"`{3,}|~{3,}", line))
    assert len(fence) > 5 and out.count(fence) == 2  # opened once, closed once, longer than any run inside
    assert code in out


def test_a_language_code_is_escaped_in_headings_and_attributes():
    out = render([result_with("x", lang='he"><img src=x onerror=alert(1)>')], "md")
    assert "<img" not in out
