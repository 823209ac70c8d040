"""Reading articles and documents: a file's bytes → an `Article`, through the reader of its format.

The readers are passeur.translate.READERS, one module per format in passeur.translate.formats
(txt, md, html, docx, odt, srt, pdf). A reader gives blocks (paragraphs with their kind and
inline marks) and, for the formats passeur writes back, the layout its writer needs;
passeur.translate.blocks turns the blocks into the `Article`: a flat list of `Segment`s (one per
sentence) with the paragraph and kind of each. A title is only a title when it looks like one.
Datelines ("PARIS (AFP) -"), bylines and photo credits become segments of their own, so they
are translated with the article but never quoted in a summary.
"""

from __future__ import annotations

import importlib
import os
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from passeur.article import Article
from passeur.errors import InputError, warn
from passeur.inputs import read_regular, too_big
from passeur.inputs import read_stream as read_capped_stream
from passeur.translate import READERS, SUFFIXES
from passeur.translate.blocks import MAX_WORD, WordTooLong, article_from_blocks  # noqa: F401 (article_from_blocks: API)
from passeur.translate.formats.text import text_blocks  # noqa: F401 (API)

# What -r takes from a folder: articles and the documents newsrooms write them in. Subtitles
# and PDFs (often attachments, not articles) are read when named on the command line.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".odt"})

# Limits, each far above any news article, each refused with a one-line error naming it
# (docs/robustness.md). Every stage is linear in its input; the limits bound the total.
MAX_ARTICLE_BYTES = 64 << 20  # 64 MB: a long article is 100 KB, a book 2 MB; 50 MB reads in ~7 s
MAX_FILES = 10_000  # article files in the folders given with -r: hours of translation already
_KINDS = "(.txt, .md, .html, .docx, .odt)"


def article_files(paths: list[str], recursive: bool = False) -> list[tuple[str, str]]:
    """Expand folders (with recursive) into their article files: (path, output stem) pairs."""
    found: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        if name == "-" or not path.is_dir():
            found.append((name, "stdin" if name == "-" else path.stem))
            continue
        if not recursive:
            raise InputError(f"{name}: is a folder: pass -r to take every article in it " + _KINDS)
        files = sorted(_walk(path, name, MAX_FILES - len(found)), key=lambda rel: Path(rel).parts)
        if not files:
            raise InputError(f"{name}: holds no article files " + _KINDS)
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



def format_of(name: str, data: bytes) -> str:
    """The format of a file: its suffix says; standard input (or an unknown suffix) is sniffed:
    a zip holding word/document.xml is docx, one holding content.xml odt, %PDF a PDF, else text."""
    suffix = Path(name).suffix.lower()
    if suffix and suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        if b"word/document.xml" in head or b"[Content_Types].xml" in head:
            return "docx"
        if b"content.xml" in head or b"opendocument" in head:
            return "odt"
    return "txt"


def reader(fmt: str):
    """The read function of a format in READERS."""
    module, _, function = READERS[fmt].partition(":")
    return getattr(importlib.import_module(module), function)


def read_article(path: str | Path, encoding: str | None = None, data: bytes | None = None) -> Article:
    """Read an article file (or `data` read from stdin when path is "-"; with no data, standard input)."""
    name = str(path)
    if data is None:
        data = read_stream(None, name) if name == "-" else read_file(path, name)
    elif len(data) > MAX_ARTICLE_BYTES:
        raise InputError(_too_big(name, len(data)))
    fmt = format_of(name, data)
    try:
        document = reader(fmt)(data, name, encoding)
    except WordTooLong as err:
        where = f"{name}:{err.line}" if err.line else name
        raise InputError(f"{where}: a word of {err.length:,} characters ({err.start!r}…): passeur takes words of up to "
                         f"{MAX_WORD:,} characters; remove embedded data (base64, data: URLs) or put spaces in it") from None
    if not document.blocks:
        raise InputError(f"{name}: is empty: there is no text to translate")
    article = article_from_blocks(name, document.blocks)
    article.format, article.layout = fmt, document.layout
    return article
