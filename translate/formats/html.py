"""HTML: the article's text, block by block; scripts, styles, navigation, footers and form
controls are not news.

A small tokenizer after the HTML standard's, linear in the page: every construct is ended by
one forward search (the next ">", "-->", or "</script"), never by a rescan. html.parser is
not used: on Python 3.11 it rescans unclosed comments and tags (quadratic on "<!--" repeated)
and raises AssertionError on "<![" (a traceback where an article was promised).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from passeur.article import HEADING, TEXT
from passeur.translate.blocks import Block, check_words, first_heading_is_title, normalize, strip_boilerplate
from passeur.translate.decode import decode_text
from passeur.translate.formats import Document


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    return Document(strip_boilerplate(html_blocks(decode_text(data, name, encoding))))


_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
_RAW_TEXT = frozenset({"script", "style"})  # their content is not markup
_RCDATA = frozenset({"title", "textarea"})  # text, with character references, to their end tag only
# A start tag of these inside <svg> or <math> leaves the foreign content (the standard's
# "breakout" list): an unclosed <svg> ends where the article's paragraphs go on.
_BREAKOUT = frozenset("b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
                      "li listing menu meta nobr ol p pre ruby s small span strike strong sub sup table tt u ul var"
                      .split())
_FOREIGN = frozenset({"svg", "math"})
_TAG_NAME = re.compile(r"[^\s/>]*")
# Slashes and spaces, then one attribute. Quoted values may hold ">"; "/" ends a tag ("<br/>")
# only when it is not the end of an unquoted value ("<a href=x/>").
_ATTRIBUTE = re.compile(r"""([\s/]*)([^\s/>][^\s/>=]*\s*(?:=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))?)?""")
_COMMENT_END = re.compile(r"--!?>")
_HUGE_CHARREF = re.compile(r"&#(?:[xX][0-9a-fA-F]{16,}|[0-9]{16,});?")  # beyond U+10FFFF; int() refuses 4,300 digits


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return html.unescape(_HUGE_CHARREF.sub("\ufffd", text))


def _tag_end(text: str, pos: int) -> tuple[int, bool]:
    """Index of the ">" ending a tag whose attributes start at pos (-1: the page ends inside
    the tag), and whether the tag closes itself ("/>")."""
    n = len(text)
    while True:
        match = _ATTRIBUTE.match(text, pos)  # never empty unless at ">" or the end: each character starts a name
        pos = match.end()
        if pos >= n:
            return -1, False
        if text[pos] == ">":
            return pos, match.group(2) is None and match.group(1).endswith("/")


def html_tokens(text: str):
    """("start", name, selfclosing, pos), ("end", name, False, pos), ("text", raw, False, pos):
    the page as the standard tokenizes it, minus attributes and doctype, in one pass."""
    n = len(text)
    pos = 0
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            yield "text", text[pos:], False, pos
            return
        if lt > pos:
            yield "text", text[pos:lt], False, pos
        nxt = text[lt + 1:lt + 2]
        if nxt.isascii() and nxt.isalpha():
            name_end = _TAG_NAME.match(text, lt + 1).end()
            name = text[lt + 1:name_end].lower()
            gt, selfclosing = _tag_end(text, name_end)
            if gt < 0:
                return  # the page ends inside a tag: the standard drops it
            yield "start", name, selfclosing, lt
            pos = gt + 1
            if name in _RAW_TEXT or name in _RCDATA:
                close = re.compile(r"</%s(?=[\s/>])" % re.escape(name), re.IGNORECASE).search(text, pos)
                stop = close.start() if close else n
                if stop > pos:
                    yield ("text" if name in _RCDATA else "raw"), text[pos:stop], False, pos
                pos = stop
        elif nxt == "/":
            after = text[lt + 2:lt + 3]
            if after.isascii() and after.isalpha():
                name_end = _TAG_NAME.match(text, lt + 2).end()
                gt, _ = _tag_end(text, name_end)
                if gt < 0:
                    return
                yield "end", text[lt + 2:name_end].lower(), False, lt
                pos = gt + 1
            elif after == ">":
                pos = lt + 3
            else:
                gt = text.find(">", lt + 2)  # a bogus comment
                pos = n if gt < 0 else gt + 1
        elif text.startswith("<!--", lt):
            if text.startswith(("<!-->", "<!--->"), lt):
                pos = text.index(">", lt + 4) + 1
            else:
                end = _COMMENT_END.search(text, lt + 4)
                pos = n if end is None else end.end()
        elif nxt in ("!", "?"):
            gt = text.find(">", lt + 2)  # doctype, <![CDATA[…]]>, <?xml …?>: bogus comments
            pos = n if gt < 0 else gt + 1
        else:
            yield "text", "<", False, lt
            pos = lt + 1


class _Extractor:
    """Collects the text of block elements; scripts, styles, navigation and form controls are not news.

    A <form> itself is not skipped: ASP.NET pages put the whole body inside one. A single <br>
    is a line break inside a paragraph (a sentence goes on across it); two in a row end the
    paragraph, as pages without <p> use them.

    A stack of open elements closes an element left open when an ancestor ends (an unclosed
    <nav> ends with its <div>), so one missing end tag never hides the rest of the page.
    A <header> inside <article> or <main> is the article's (headline, standfirst, byline) and is
    read; the site's own <header> is skipped, except an <h1> in it when the page has no other.
    """

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "title", "div", "td"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title", "figcaption"}
    SKIP = {"script", "style", "nav", "footer", "aside", "noscript", "template", "svg", "iframe", "button",
            "math", "select", "textarea", "label"}

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, str, int]] = []  # text, kind, origin (title, h1, site-h1, ""), position
        self.parts: list[str] = []
        self.kind = TEXT
        self.origin = ""
        self.start_pos = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, is the site's header)
        self.open: Counter = Counter()
        self.skipping = 0
        self.site_headers = 0
        self.foreign = 0
        self.after_break = False  # a <br> was the last thing in the paragraph (spaces aside)

    def visible(self) -> bool:
        return not self.skipping and (not self.site_headers or self.open["h1"] > 0)

    def flush(self) -> None:
        text = normalize("".join(self.parts))
        if text:
            check_words(text)
            self.blocks.append((text, self.kind, self.origin, self.start_pos))
        self.parts = []
        self.kind, self.origin = TEXT, ""
        self.after_break = False

    def push(self, tag: str) -> None:
        site_header = tag == "header" and not (self.open["article"] or self.open["main"])
        self.stack.append((tag, site_header))
        self.open[tag] += 1
        self.skipping += tag in self.SKIP
        self.site_headers += site_header
        self.foreign += tag in _FOREIGN

    def pop(self) -> str:
        tag, site_header = self.stack.pop()
        self.open[tag] -= 1
        self.skipping -= tag in self.SKIP
        self.site_headers -= site_header
        self.foreign -= tag in _FOREIGN
        return tag

    def start(self, tag: str, selfclosing: bool, pos: int) -> None:
        if self.foreign and tag in _BREAKOUT:
            while self.foreign:
                self.pop()
        if not (tag in _VOID or selfclosing):
            self.push(tag)
        if tag == "br" and self.visible():
            if self.after_break:
                self.flush()
            else:
                self.parts.append("\n")
                self.after_break = True
        if tag in self.BLOCKS:
            self.flush()
            if self.visible():
                self.kind = HEADING if tag in self.HEADINGS else TEXT
                self.origin = "title" if tag == "title" else ("site-h1" if self.site_headers else "h1") \
                    if tag == "h1" else ""
                self.start_pos = pos

    def end(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.flush()
        if self.open[tag]:
            while self.pop() != tag:
                pass

    def data(self, text: str, pos: int) -> None:
        if self.visible():
            if not self.parts:
                self.start_pos = pos
            self.parts.append(_unescape(text))
            if not text.isspace():
                self.after_break = False


def html_blocks(text: str) -> list[Block]:
    extractor = _Extractor()
    for kind, value, selfclosing, pos in html_tokens(text):
        if kind == "text":
            extractor.data(value, pos)
        elif kind == "start":
            extractor.start(value, selfclosing, pos)
        elif kind == "end":
            extractor.end(value)
    extractor.flush()
    blocks = extractor.blocks
    # The site's header holds the headline only when the page has no <h1> of its own.
    if any(origin == "h1" for _, _, origin, _ in blocks):
        blocks = [b for b in blocks if b[2] != "site-h1"]
    # <title> usually repeats the <h1> ("Le titre | Le Journal"): drop the <title>, never a paragraph.
    h1s = [b[0] for b in blocks if b[2] in ("h1", "site-h1")]
    blocks = [b for b in blocks if b[2] != "title" or not any(b[0] in h or h in b[0] for h in h1s)]
    return first_heading_is_title([Block(b[0], b[1]) for b in blocks])  # character references decoded once only
