"""Articles: reading plain text, Markdown and simple HTML into title, paragraphs and sentences.

An article is read once into an `Article`, a flat list of `Segment`s (one per sentence) with
the paragraph each belongs to. Sentence i of the French is sentence i of every translation,
so this list is the spine of everything passeur produces.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from translate.errors import InputError
from translate.segment import split_sentences

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HEADING_END = re.compile(r"[.!?…:;,»\"”)]$")


@dataclass(frozen=True)
class Segment:
    """One sentence of an article."""

    text: str
    paragraph: int
    heading: bool = False  # title, subheading or caption: not a summary sentence
    verbatim: bool = False  # a code block: never translated, the same in every language


@dataclass
class Article:
    """A French article as passeur works on it."""

    name: str  # the path as given, or "-" for standard input
    segments: list[Segment] = field(default_factory=list)
    lang: str = "fr"
    stem: str = ""  # output name without suffix: the file's stem, or its path inside a folder given with -r

    @property
    def sentences(self) -> list[str]:
        return [s.text for s in self.segments]

    @property
    def title(self) -> str:
        return self.segments[0].text if self.segments else ""

    def paragraphs(self) -> list[list[int]]:
        """Sentence indices grouped by paragraph, in order."""
        groups: list[list[int]] = []
        last = None
        for i, segment in enumerate(self.segments):
            if segment.paragraph != last:
                groups.append([])
                last = segment.paragraph
            groups[-1].append(i)
        return groups


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
    stems = [stem for _, stem in found]
    twice = sorted({stem for stem in stems if stems.count(stem) > 1})
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


def article_from_blocks(name: str, blocks: list[tuple[str, str | bool]]) -> Article:
    """Blocks are (text, kind): kind "text", "heading" or "code" (True/False mean heading/text).
    The first block is the title; code is one segment, kept as written in every language."""
    article = Article(name=name)
    for number, (block, kind) in enumerate(blocks):
        kind = {True: "heading", False: "text"}.get(kind, kind)
        if kind == "code":
            article.segments.append(Segment(block, number, heading=False, verbatim=True))
            continue
        heading = kind == "heading" or number == 0 or looks_like_heading(block)
        for sentence in [block] if heading else split_sentences(block):
            article.segments.append(Segment(sentence, number, heading))
    return article


def looks_like_heading(block: str) -> bool:
    """A short line without closing punctuation: a subheading, caption or dateline."""
    return len(block.split()) <= 20 and not _HEADING_END.search(block)


def _normalize(block: str) -> str:
    # Line breaks and runs of spaces become one space; no-break spaces (« mot ») are typography, kept.
    return re.sub(r"[ \t\r\n\f\v]+", " ", block).strip()


def text_blocks(text: str) -> list[tuple[str, str]]:
    """Paragraphs are separated by blank lines; lines inside a paragraph are joined."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [(_normalize(p), "text") for p in paragraphs if p.strip()]


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
        elif match := re.match(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line):
            flush()
            blocks.append((_inline_markdown(match.group(2)), "heading"))
        else:
            lines.append(re.sub(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+)", "", line))
    if code is not None:
        blocks.append(("\n".join(code), "code"))  # an unclosed fence runs to the end, as in Markdown
    flush()
    return blocks


def _inline_markdown(text: str) -> str:
    """Emphasis is dropped; links, images and code are kept as written (they are translated
    around, never through: see translate.verbatim)."""
    from translate.verbatim import split_verbatim

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
    return [(html.unescape(b), h) for b, h in blocks]


@lru_cache(maxsize=None)
def boilerplate_markers(lang: str = "fr") -> tuple[str, ...]:
    text = resources.files("translate").joinpath(f"data/boilerplate.{lang}.txt").read_text("utf-8")
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
