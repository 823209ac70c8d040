"""Text that translation must leave exactly as written."""

import re

# Spans that must come through translation exactly as written, in every language: Markdown
# links and images, inline code, URLs, e-mail addresses, @handles and #hashtags. They ride the
# same placeholders as do-not-translate glossary terms. No alternative can rescan what an
# earlier start already scanned, so a search is linear in the text (tests/test_hostile.py). A
# URL holds no "[" or "]": `www.[Cliquez](javascript:…)` is "www." and a Markdown link, which
# the Markdown output disarms, never one span passed through as written.
# A capitalized word glued to the end of a URL ("…/status/813456385Éric" in scraped text) is the
# next word, not part of the URL: after a digit, or (with an accented capital) after a letter.
_WORD_AFTER = r"[a-zà-öø-ÿ]{2,}(?![^\s.,;:!?»)\"'’])"
_GLUED = r"[A-ZÀ-ÖØ-Þ]" + _WORD_AFTER
_GLUED_ACCENTED = r"[À-ÖØ-Þ]" + _WORD_AFTER

VERBATIM = re.compile(r"""
    !?\[[^\[\]\n]*\]\([^)\s]+\)                             # Markdown link or image (no '[' inside: linear)
  | `[^`\n]+`                                           # inline code
  | (?:https?://|www\.)                                  # URL: no brackets, quotes or angle brackets in it
    (?:[^\s\[\]<>"0-9a-zà-öø-ÿ] | [0-9](?!{glued}) | [a-zà-öø-ÿ](?!{glued_accented}))*
    [^\s.,;:!?»)\]\["'’<>]                                # without the sentence's punctuation
  | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+              # e-mail address, from the start of its local part
  | (?<![\w@])@\w{2,}                                   # @handle
  | (?<![\w#&])\#\w{2,}                                  # #hashtag
""".replace("{glued}", _GLUED).replace("{glued_accented}", _GLUED_ACCENTED), re.X)


def split_verbatim(text: str) -> list[tuple[str, bool]]:
    """text as (part, is_verbatim) pieces, in order."""
    parts, last = [], 0
    for match in VERBATIM.finditer(text):
        if match.start() > last:
            parts.append((text[last:match.start()], False))
        parts.append((match.group(), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts
