"""A day's briefing lists its articles first; one article needs no list."""

from __future__ import annotations

from passeur.article import TEXT, TITLE, Article, Segment
from passeur.briefing import BRIEFING, render
from passeur.result import ArticleResult


def result(title: str) -> ArticleResult:
    article = Article(f"/home/me/{title}.txt", [Segment(title, 0, TITLE), Segment("Un texte.", 1, TEXT)], "fr")
    return ArticleResult(article, {"en": [title, "A text."]})


def test_a_days_briefing_lists_its_articles():
    results = [result(f"Titre {n}") for n in range(1, 22)]
    html = render(results, "html", BRIEFING, "Briefing")
    assert "21 articles" in html and "article(s)" not in html
    assert html.count('<li><a href="#article-') == 21 and 'href="#article-21">Titre 21</a>' in html
    markdown = render(results, "md", BRIEFING, "Briefing")
    assert "21. Titre 21" in markdown
    one = render([result("Seul")], "html", BRIEFING, "Briefing")
    assert "1 article<" in one and "<nav" not in one
