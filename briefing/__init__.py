"""Composing and rendering results: plain text, Markdown, HTML and JSON, from one view model.

`translate` shows the full text in each language, `summarize` the summaries, `brief` the
summaries side by side, the term report and the full text; every format renders the same
view (briefing.view), so they cannot disagree. Files keep Unicode logical order; right-to-left
languages are marked up (`dir`, `lang`) where the format allows, never reordered.
"""

from __future__ import annotations

import importlib
from typing import Callable

# Format name -> "module:function" rendering (results, parts, title) to text; imported when used.
RENDERERS = {
    "txt": "passeur.briefing.text:render",
    "md": "passeur.briefing.markdown:render",
    "html": "passeur.briefing.html:render",
    "json": "passeur.briefing.view:render_json",
}
# What each command shows.
FULL_TEXT = frozenset({"text"})
SUMMARY = frozenset({"summary"})
BRIEFING = frozenset({"summary", "terms", "text"})


def renderer(fmt: str) -> Callable:
    module, _, name = RENDERERS[fmt].partition(":")
    return getattr(importlib.import_module(module), name)


def render(results, fmt: str, parts=FULL_TEXT, title: str | None = None) -> str:
    return renderer(fmt)(results, parts, title)
