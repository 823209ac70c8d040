"""passeur: offline translation of French news into English, Arabic and Hebrew, with an enforced
glossary and multilingual summaries.

The library API (what the command line itself calls) is passeur.api; importing passeur loads
nothing heavy (no model, no CTranslate2, no numpy).

    from passeur import api
    articles = api.read_articles(["article.txt"])
    results = api.translate(articles, ["en", "ar", "he"])
    print(api.render(results, "md"))
"""

__version__ = "0.2.0"

__all__ = ["__version__"]
