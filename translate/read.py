"""Reading articles: plain text, Markdown and simple HTML into title, paragraphs and sentences.

An article is read once into an `Article` (passeur.article), a flat list of `Segment`s (one
per sentence) with the paragraph and kind of each. A title is only a title when it looks
like one: a `.txt` whose first line is a paragraph, or a `.md` without a heading, is all body.
Datelines ("PARIS (AFP) -"), bylines and photo credits become segments of their own, so they
are translated with the article but never quoted in a summary.
"""

from __future__ import annotations

import codecs
import html
import os
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from passeur.article import BYLINE, CODE, DATELINE, HEADING, TEXT, TITLE, Article, Segment
from passeur.errors import InputError, warn
from passeur.inputs import read_regular, too_big
from passeur.inputs import read_stream as read_capped_stream
from passeur.verbatim import VERBATIM
from passeur.translate.segment import split_sentences

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HEADING_END = frozenset(".!?…:;,»\"”)")


ARTICLE_SUFFIXES = (TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES) - {""}

# Limits, each far above any news article, each refused with a one-line error naming it
# (docs/robustness.md). Every stage is linear in its input; the limits bound the total.
MAX_ARTICLE_BYTES = 64 << 20  # 64 MB: a long article is 100 KB, a book 2 MB; 50 MB reads in ~7 s
MAX_WORD = 2_000  # characters without a space: a long URL fits; embedded data (base64) does not
MAX_FILES = 10_000  # article files in the folders given with -r: hours of translation already


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
        files = sorted(_walk(path, name, MAX_FILES - len(found)), key=lambda rel: Path(rel).parts)
        if not files:
            raise InputError(f"{name}: holds no article files (.txt, .md, .html)")
        found += [(str(path / rel), str(Path(rel).with_suffix(""))) for rel in files]
    counts = Counter(stem for _, stem in found)
    twice = sorted(stem for stem, n in counts.items() if n > 1)
    if twice:
        raise InputError(f"two inputs would write the same output {twice[0]!r}: rename one, or run them separately")
    return found


def _walk(root: Path, name: str, limit: int) -> list[str]:
    """Article files under root as relative paths: one scandir per folder, no stat per file for
    ordinary entries, hidden names, symbolic links to folders and links to files outside root
    skipped, at most `limit`."""
    found: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder if folder else root) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    rel = f"{folder}/{entry.name}" if folder else entry.name
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(rel)
                        elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES and entry.is_file():
                            if entry.is_symlink() and root.resolve() not in Path(entry.path).resolve().parents:
                                # Whoever can drop a link into a shared folder must not make passeur
                                # read (and write out) a file from elsewhere.
                                warn(f"{root / rel}: a link to a file outside {name}: skipped (give it on the "
                                     "command line to translate it)")
                                continue
                            found.append(rel)
                    except OSError:
                        continue
                    if len(found) > limit:
                        raise InputError(f"{name}: holds more than {MAX_FILES:,} article files: passeur takes at most "
                                         f"{MAX_FILES:,} in one run; give its sub-folders one run each")
        except InputError:
            raise
        except OSError as err:
            raise InputError(f"{root / folder}: cannot be read ({err.strerror})") from None
    return found


def read_file(path: str | Path, name: str | None = None) -> bytes:
    """The bytes of an article file, at most MAX_ARTICLE_BYTES; anything but a regular file
    (a FIFO, /dev/zero, a socket, a terminal) is refused before a byte is read."""
    return read_regular(path, MAX_ARTICLE_BYTES, "article", name, "an article file, or - to read standard input")


def read_stream(stream: BinaryIO | None = None, name: str = "-") -> bytes:
    """Standard input (or another stream), at most MAX_ARTICLE_BYTES: `cat /dev/zero |` stops there."""
    return read_capped_stream(stream, name, MAX_ARTICLE_BYTES, "article")


def _too_big(name: str, size: int | None) -> str:
    return too_big(name, size, MAX_ARTICLE_BYTES, "article")


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text: UTF-8 (BOM tolerated), UTF-16 or UTF-32 with a BOM, or the encoding given."""
    if encoding:
        text = _decode_as(data, name, encoding)
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = _decode_unicode(data, name, "utf-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_unicode(data, name, "utf-16")
    else:
        if b"\x00" in data[:8192]:
            raise InputError(_binary_or_utf16(data, name))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise InputError(
                f"{name}:{line}: not UTF-8 (byte 0x{data[err.start]:02x}): "
                "pass --encoding latin-1 (or cp1252), or convert the file to UTF-8"
            ) from None
    _check_text(text, name, encoding)
    return text


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        raise InputError(f"{name}: unknown encoding {encoding!r}: use a name such as utf-8, latin-1, cp1252") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{name}: {encoding!r} is not a text encoding (it is a {info.name} codec): "
                         "use a name such as utf-8, latin-1, cp1252")
    try:
        return data.decode(info.name)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not valid {encoding} at byte {err.start} ({_one_line(err.reason)}): "
                         "check the --encoding given") from None
    except (UnicodeError, ValueError, TypeError, LookupError) as err:
        raise InputError(f"{name}: cannot be decoded as {encoding} ({_one_line(str(err))}): "
                         "check the --encoding given") from None


def _one_line(text: str) -> str:
    """Control characters (a codec's message may quote a newline) written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)


def _decode_unicode(data: bytes, name: str, codec: str) -> str:
    label = codec.upper()
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        if err.reason == "truncated data":
            unit = 2 if codec == "utf-16" else 4
            raise InputError(f"{name}: {label} with a byte-order mark, but {len(data):,} bytes is not a whole number of "
                             f"{unit}-byte units: the file is cut or damaged; save it again") from None
        raise InputError(f"{name}: not valid {label} at byte {err.start} ({err.reason}): the file is damaged; "
                         "save it again (as UTF-8 preferably)") from None


def _binary_or_utf16(data: bytes, name: str) -> str:
    """NUL bytes: UTF-16 or UTF-32 without a byte-order mark (mostly ASCII and Latin letters put
    one NUL beside each character), or a binary file."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs >= 4:
        even, odd = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
        quads = len(sample) // 4
        zeros = [sample[k:quads * 4:4].count(0) for k in range(4)]
        if quads >= 2 and min(zeros[1], zeros[2], zeros[3]) > 0.9 * quads and zeros[0] < 0.2 * quads:
            return f"{name}: looks like UTF-32 without a byte-order mark: pass --encoding utf-32-le"
        if quads >= 2 and min(zeros[0], zeros[1], zeros[2]) > 0.9 * quads and zeros[3] < 0.2 * quads:
            return f"{name}: looks like UTF-32 without a byte-order mark: pass --encoding utf-32-be"
        if odd > 0.3 * pairs and even < 0.05 * pairs:
            return f"{name}: looks like UTF-16 without a byte-order mark: pass --encoding utf-16-le"
        if even > 0.3 * pairs and odd < 0.05 * pairs:
            return f"{name}: looks like UTF-16 without a byte-order mark: pass --encoding utf-16-be"
    return f"{name}: looks like a binary file, not an article: give a .txt, .md or .html file"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: str, name: str, encoding: str | None) -> None:
    """Decoded text that no output could hold (a lone surrogate) or that is not text (NUL)."""
    bad = _SURROGATE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"{name}:{line}: holds a lone UTF-16 surrogate (U+{ord(bad.group()):04X}), which is not a "
                         f"character: the file is damaged{' or not ' + encoding if encoding else ''}; save it again")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(f"{name}:{line}: holds a NUL character: looks like a binary file, not an article"
                         f"{' (or not ' + encoding + ')' if encoding else ''}")


class _WordTooLong(Exception):
    def __init__(self, length: int, start: str, line: int | None = None):
        super().__init__(length, start, line)
        self.length, self.start, self.line = length, start, line


_LONG_WORD = re.compile(r"(?<!\S)\S{%d}" % (MAX_WORD + 1))  # at word starts only: linear


def _check_words(text: str, line: int | None = None) -> None:
    """Raise _WordTooLong for a run of more than MAX_WORD characters without a space (`line`:
    the line text starts on, to name it)."""
    if len(text) <= MAX_WORD:
        return
    match = _LONG_WORD.search(text)
    if match:
        end = _NON_SPACE.match(text, match.end()).end()
        raise _WordTooLong(end - match.start(), match.group()[:24],
                           None if line is None else line + text.count("\n", 0, match.start()))


_NON_SPACE = re.compile(r"\S*")


def read_article(path: str | Path, encoding: str | None = None, data: bytes | None = None) -> Article:
    """Read an article file (or `data` read from stdin when path is "-"; with no data, standard input)."""
    name = str(path)
    if data is None:
        data = read_stream(None, name) if name == "-" else read_file(path, name)
    elif len(data) > MAX_ARTICLE_BYTES:
        raise InputError(_too_big(name, len(data)))
    # Composed characters: "é" typed as e + combining accent (as macOS often saves it) is the "é"
    # the glossary has.
    text = unicodedata.normalize("NFC", decode(data, name, encoding))
    suffix = Path(name).suffix.lower()
    try:
        if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _looks_like_html(text)):
            blocks = html_blocks(text)
        elif suffix in MARKDOWN_SUFFIXES:
            blocks = markdown_blocks(text)
        else:
            blocks = text_blocks(text)
    except _WordTooLong as err:
        where = f"{name}:{err.line}" if err.line else name
        raise InputError(f"{where}: a word of {err.length:,} characters ({err.start!r}…): passeur takes words of up to "
                         f"{MAX_WORD:,} characters; remove embedded data (base64, data: URLs) or put spaces in it") from None
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
    return len(block.split()) <= 20 and block[-1:] not in _HEADING_END


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
    _check_words(text, 1)
    paragraphs = [p for p in re.split(r"\n[ \t\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]
    blocks = [(_normalize(p), TEXT) for p in paragraphs]
    if len(blocks) > 1 and looks_like_title(blocks[0][0], paragraphs[0]):
        blocks[0] = (blocks[0][0], TITLE)
    return blocks


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """Markdown paragraphs, ATX/setext headings, and fenced code blocks (kept whole, untranslated).

    Line tests are string operations, not regexes: nothing here backtracks on user text."""
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

    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
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
            continue
        _check_words(line, number)
        if not line.strip() or _is_thematic_break(line):
            flush()
        elif lines and _is_setext_underline(line):
            setext = True
            flush()
        elif (heading := _atx_heading(line)) is not None:
            flush()
            if heading := _inline_markdown(heading):  # "#" alone is an empty heading: nothing to translate
                blocks.append((heading, "heading"))
        else:
            lines.append(_MARKER.sub("", line, count=1))
    if code is not None:
        blocks.append(("\n".join(code), "code"))  # an unclosed fence runs to the end, as in Markdown
    flush()
    return _first_heading_is_title(blocks)


# A quote, list or numbered-list marker at the start of a line (anchored, one pass).
_MARKER = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+)")


def _is_thematic_break(line: str) -> bool:
    """`---`, `* * *`, `___`: three or more of - * _ and nothing else but spaces."""
    marks = "".join(line.split())
    return len(marks) >= 3 and not marks.strip("-*_")


def _is_setext_underline(line: str) -> bool:
    """`===` or `---` under a paragraph line."""
    marks = line.strip()
    return bool(marks) and (not marks.strip("=") or not marks.strip("-"))


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
    if "*" not in text and "_" not in text:
        return _normalize(text)  # no emphasis to drop: the verbatim spans need not be found
    parts, last = [], 0
    for match in VERBATIM.finditer(text):
        parts += [strip_emphasis(text[last:match.start()]), match.group()]
        last = match.end()
    parts.append(strip_emphasis(text[last:]))
    return _normalize("".join(parts))


_DELIMITERS = ("**", "__", "*", "_")
_DELIMITER = re.compile(r"[*_]")


def strip_emphasis(text: str) -> str:
    r"""`re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", text)`, in linear time.

    That regex scans to the end of the text for every opening mark without a closing one
    (quadratic on "*a *a *a …"). Here each mark's nearest closing mark is found by a forward
    search that never goes back over text already searched, so the whole pass is linear.
    The result is the same, which tests/test_hostile.py checks against the regex.
    """
    n = len(text)
    out: list[str] = []
    closers = {d: (-1, -1) for d in _DELIMITERS}  # delimiter -> (searched from, first closing mark there)
    newline = (-1, -1)
    last = i = 0

    def closing(d: str, q: int) -> int:
        """The first j >= q where d closes: d at j after a non-space character; -1 if none."""
        searched, found = closers[d]
        if searched >= 0 and q >= searched and (found < 0 or found >= q):
            return found
        j = text.find(d, q)
        while j > 0 and text[j - 1].isspace():
            j = text.find(d, j + 1)
        closers[d] = (q, j)
        return j

    while True:
        match = _DELIMITER.search(text, i)
        if not match:
            break
        i = match.start()
        for d in _DELIMITERS:
            if not text.startswith(d, i):
                continue
            c = i + len(d)
            if c >= n or text[c].isspace():
                continue
            if newline[0] < 0 or newline[1] < c:  # the regex's "." stops at a line end
                end = text.find("\n", c)
                newline = (c, n if end < 0 else end)
            limit = newline[1]
            j = closing(d, c + 2) if c + 2 <= limit else -1  # content of two or more characters first
            if not 0 <= j <= limit:
                j = c + 1 if text.startswith(d, c + 1) else -1  # then a one-character content
            if j >= 0:
                out.append(text[last:i])
                out.append(text[c:j])
                i = last = j + len(d)
                break
        else:
            i += 1
    out.append(text[last:])
    return "".join(out)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


# --- HTML -------------------------------------------------------------------------------
#
# A small tokenizer after the HTML standard's, linear in the page: every construct is ended by
# one forward search (the next ">", "-->", or "</script"), never by a rescan. html.parser is
# not used: on Python 3.11 it rescans unclosed comments and tags (quadratic on "<!--" repeated)
# and raises AssertionError on "<![" (a traceback where an article was promised).

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
    """Collects the text of block elements; scripts, styles, navigation and forms are not news.

    A stack of open elements closes an element left open when an ancestor ends (an unclosed
    <nav> ends with its <div>), so one missing end tag never hides the rest of the page.
    A <header> inside <article> or <main> is the article's (headline, standfirst, byline) and is
    read; the site's own <header> is skipped, except an <h1> in it when the page has no other.
    """

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "title", "div", "br", "td"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title", "figcaption"}
    SKIP = {"script", "style", "nav", "footer", "form", "aside", "noscript", "template", "svg", "iframe", "button",
            "math"}

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

    def visible(self) -> bool:
        return not self.skipping and (not self.site_headers or self.open["h1"] > 0)

    def flush(self) -> None:
        text = _normalize("".join(self.parts))
        if text:
            _check_words(text)
            self.blocks.append((text, self.kind, self.origin, self.start_pos))
        self.parts = []
        self.kind, self.origin = TEXT, ""

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


def html_blocks(text: str) -> list[tuple[str, str]]:
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
    return _first_heading_is_title([(b[0], b[1]) for b in blocks])  # character references decoded once only


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
