"""Text that translation must leave exactly as written."""

import re

# Spans that must come through translation exactly as written, in every language: Markdown
# links and images, inline code, URLs, e-mail addresses, @handles and #hashtags. They ride the
# same placeholders as do-not-translate glossary terms. No alternative can rescan what an
# earlier start already scanned, so a search is linear in the text (tests/test_hostile.py).
VERBATIM = re.compile(r"""
    !?\[[^\[\]\n]*\]\([^)\s]+\)                             # Markdown link or image (no '[' inside: linear)
  | `[^`\n]+`                                           # inline code
  | (?:https?://|www\.)\S*[^\s.,;:!?»)\]"'’]             # URL, without the sentence's punctuation
  | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+              # e-mail address, from the start of its local part
  | (?<![\w@])@\w{2,}                                   # @handle
  | (?<![\w#&])\#\w{2,}                                  # #hashtag
""", re.X)


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
