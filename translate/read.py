"""Reading articles: plain text, Markdown and simple HTML into title, paragraphs and sentences.

An article is read once into an `Article` (passeur.article), a flat list of `Segment`s (one
per sentence) with the paragraph and kind of each. A title is only a title when it looks
like one: a `.txt` whose first line is a paragraph, or a `.md` without a heading, is all body.
Datelines ("PARIS (AFP) -"), bylines and photo credits become segments of their own, so they
are translated with the article but never quoted in a summary.
"""

from __future__ import annotations

import codecs
from collections import Counter
import re
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from passeur.article import BYLINE, CODE, DATELINE, HEADING, TEXT, TITLE, Article, Segment
from passeur.errors import InputError
from passeur.translate.segment import split_sentences

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HEADING_END = re.compile(r"[.!?…:;,»\"”)]$")


ARTICLE_SUFFIXES = (TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES) - {""}


def article_files(paths: list[str], recursive: bool = False) -> list[tuple[str, str]]:
    """Expand folders (with recursive) into their article files: (path, output stem) pairs."""
    found: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        if name == "-" or not path.is_dir():
            found.append((name, "stdin" if name == "-" else path.stem))
            continue
        if not recursive:
            raise InputError(f"{name}: is a folder: pass -r to take every article in it (.txt, .md, .html)")
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not files:
            raise InputError(f"{name}: holds no article files (.txt, .md, .html)")
        found += [(str(p), str(p.relative_to(path).with_suffix(""))) for p in files]
    counts = Counter(stem for _, stem in found)
    twice = sorted(stem for stem, n in counts.items() if n > 1)
    if twice:
        raise InputError(f"two inputs would write the same output {twice[0]!r}: rename one, or run them separately")
    return found


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text: UTF-8 (BOM tolerated), UTF-16 with a BOM, or the encoding given."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}: use a name such as utf-8, latin-1, cp1252") from None
        except UnicodeDecodeError as err:
            raise InputError(f"{name}: not valid {encoding} at byte {err.start}: check the --encoding given") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not an article: give a .txt, .md or .html file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{name}:{line}: not UTF-8 (byte 0x{data[err.start]:02x}): "
            "pass --encoding latin-1 (or cp1252), or convert the file to UTF-8"
        ) from None


def read_article(path: str | Path, encoding: str | None = None, data: bytes | None = None) -> Article:
    """Read an article file (or `data` read from stdin when path is "-")."""
    name = str(path)
    if data is None:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{name}: is a folder: give article files (.txt, .md, .html)")
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except OSError as err:
            raise InputError(f"{name}: cannot be read ({err.strerror})") from None
    text = decode(data, name, encoding)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _looks_like_html(text)):
        blocks = html_blocks(text)
    elif suffix in MARKDOWN_SUFFIXES:
        blocks = markdown_blocks(text)
    else:
        blocks = text_blocks(text)
    blocks = strip_boilerplate(blocks)
    if not blocks:
        raise InputError(f"{name}: is empty: there is no text to translate")
    return article_from_blocks(name, blocks)


def article_from_blocks(name: str, blocks: list[tuple[str, str]]) -> Article:
    """Blocks are (text, kind), kind one of title, heading, text, code. A text block that is a
    short line without closing punctuation is a subheading or caption; code is one segment,
    kept as written in every language."""
    article = Article(name=name)
    lone = len(blocks) == 1
    for number, (block, kind) in enumerate(blocks):
        if kind in (TITLE, HEADING, CODE):
            article.segments.append(Segment(block, number, kind))
            continue
        if not lone and looks_like_byline(block):
            article.segments.append(Segment(block, number, BYLINE))
            continue
        if not lone and looks_like_heading(block):
            article.segments.append(Segment(block, number, HEADING))
            continue
        sentences = split_sentences(block)
        dateline = split_dateline(sentences[0]) if sentences else None
        if dateline:
            article.segments.append(Segment(dateline[0], number, DATELINE))
            sentences[0] = dateline[1]
        article.segments += [Segment(sentence, number, TEXT) for sentence in sentences]
    return article


def looks_like_heading(block: str) -> bool:
    """A short line without closing punctuation: a subheading or caption."""
    return len(block.split()) <= 20 and not _HEADING_END.search(block)


def looks_like_title(block: str, raw: str) -> bool:
    """The first block of a plain-text article is its title when it is one short line, one sentence."""
    return ("\n" not in raw.strip() and len(block.split()) <= 30 and not block.endswith(".")
            and len(split_sentences(block)) == 1)


_BYLINE_START = ("par ", "propos recueillis par", "photo :", "photo:", "photos :", "crédit photo", "crédits photo",
                 "crédit :", "©", "(c) ", "illustration :", "avec afp", "avec reuters", "(avec ")


def looks_like_byline(block: str) -> bool:
    """"Par Jeanne Martin", "Propos recueillis par …", "Photo : AFP", "© Reuters": short, never news."""
    return len(block.split()) <= 12 and block.lower().startswith(_BYLINE_START)


AGENCIES = ("AFP", "Reuters", "AP", "ATS", "Belga", "dpa", "Xinhua", "APS", "MAP", "ANSA", "EFE", "Anadolu", "WAFA")
_DASHES = (" - ", " – ", " — ")


def split_dateline(sentence: str) -> tuple[str, str] | None:
    """("PARIS (AFP) -", "Le président …") for a sentence opening on a dateline, else None.

    A dateline is at most 8 words before a dash, and either names a news agency in brackets
    or is a place in capitals ("JÉRUSALEM —"). Plain string search: no regex on user text.
    """
    head = sentence[:90]
    cut = min((i for i in (head.find(d) for d in _DASHES) if i > 0), default=-1)
    if cut < 0:
        return None
    before, rest = sentence[:cut].strip(), sentence[cut + 3:].strip()
    words = before.split()
    agency = any(f"({name})" in before for name in AGENCIES)
    capitals = sum(ch.isalpha() for ch in before) >= 3 and not any(ch.islower() for ch in before.split("(")[0])
    if not rest or len(words) > 8 or not (agency or capitals) or not (rest[0].isupper() or rest[0] in "«\"“"):
        return None
    return sentence[:cut + 2].strip(), rest


def _normalize(block: str) -> str:
    # Line breaks and runs of spaces become one space; no-break spaces (« mot ») are typography, kept.
    return re.sub(r"[ \t\r\n\f\v]+", " ", block).strip()


def text_blocks(text: str) -> list[tuple[str, str]]:
    """Paragraphs are separated by blank lines; lines inside a paragraph are joined."""
    paragraphs = [p for p in re.split(r"\n[ \t\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]
    blocks = [(_normalize(p), TEXT) for p in paragraphs]
    if len(blocks) > 1 and looks_like_title(blocks[0][0], paragraphs[0]):
        blocks[0] = (blocks[0][0], TITLE)
    return blocks


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """Markdown paragraphs, ATX/setext headings, and fenced code blocks (kept whole, untranslated)."""
    blocks: list[tuple[str, str]] = []
    lines: list[str] = []
    code: list[str] | None = None
    setext = False

    def flush():
        nonlocal lines, setext
        block = _inline_markdown(" ".join(lines))
        if block:
            blocks.append((block, "heading" if setext else "text"))
        lines, setext = [], False

    for line in text.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            if code is None:
                flush()
                code = []
            else:
                blocks.append(("\n".join(code), "code"))
                code = None
            continue
        if code is not None:
            code.append(line)
        elif not line.strip() or re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):
            flush()
        elif re.fullmatch(r"\s*(=+|-+)\s*", line) and lines:
            setext = True
            flush()
        elif (heading := _atx_heading(line)) is not None:
            flush()
            blocks.append((_inline_markdown(heading), "heading"))
        else:
            lines.append(re.sub(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+)", "", line))
    if code is not None:
        blocks.append(("\n".join(code), "code"))  # an unclosed fence runs to the end, as in Markdown
    flush()
    return _first_heading_is_title(blocks)


def _first_heading_is_title(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(blocks) > 1 and blocks[0][1] == HEADING:
        blocks[0] = (blocks[0][0], TITLE)
    return blocks


def _atx_heading(line: str) -> str | None:
    """The text of a Markdown '# heading' line, or None (string operations: no regex backtracking)."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    rest = stripped.lstrip("#")
    if len(stripped) - len(rest) > 6 or (rest and rest[0] not in " \t"):
        return None
    content = rest.strip()
    closing = content.rstrip("#")
    if closing != content and (not closing or closing[-1] in " \t"):
        content = closing.rstrip()
    return content


def _inline_markdown(text: str) -> str:
    """Emphasis is dropped; links, images and code are kept as written (they are translated
    around, never through: see translate.verbatim)."""
    from passeur.verbatim import split_verbatim

    return _normalize("".join(part if verbatim else re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", part)
                              for part, verbatim in split_verbatim(text)))


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


class _HTMLText(HTMLParser):
    """Collects the text of block elements; scripts, styles, navigation and forms are not news."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "title", "div", "br", "td"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title", "figcaption"}
    SKIP = {"script", "style", "nav", "footer", "header", "form", "aside", "noscript", "template", "svg", "iframe", "button"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.heading = False
        self.skipping = 0
        self.title_seen = False

    def _flush(self) -> None:
        text = _normalize("".join(self.parts))
        if text:
            self.blocks.append((text, "heading" if self.heading else "text"))
        self.parts = []
        self.heading = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS and not self.skipping:
            self._flush()
            self.heading = tag in self.HEADINGS

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS and not self.skipping:
            self._flush()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_blocks(text: str) -> list[tuple[str, str]]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser._flush()
    blocks = parser.blocks
    # <title> usually repeats the <h1>: keep one.
    if len(blocks) > 1 and blocks[0][0] in blocks[1][0]:
        blocks = blocks[1:]
    return _first_heading_is_title(blocks)  # the parser already decoded character references: once only


@lru_cache(maxsize=None)
def boilerplate_markers(lang: str = "fr") -> tuple[str, ...]:
    text = resources.files("passeur.translate").joinpath(f"data/boilerplate.{lang}.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(line for line in lines if line)


def strip_boilerplate(blocks: list[tuple[str, str]], lang: str = "fr") -> list[tuple[str, str]]:
    """Cut the web page's trailing furniture (latest news, comment forms) after the article.

    Only a marker in the second half of the article cuts, and it cuts to the end: a phrase
    such as "Commentaires" in the body of a story is left alone.
    """
    markers = boilerplate_markers(lang)
    for i in range(max(1, len(blocks) // 2), len(blocks)):
        if blocks[i][0].lower().startswith(markers):
            return blocks[:i]
    return blocks
