"""Markdown: paragraphs, ATX and setext headings, fenced code blocks (kept whole, untranslated).

YAML (or TOML) front matter and HTML comments are not article text (a comment may say "ne pas
publier le nom de la source"): both are dropped. Emphasis marks are dropped as CommonMark reads
them: an underscore inside a word is a letter (`max_retry_count`), never emphasis. Line tests are
string operations, not regexes: nothing here backtracks on user text.
"""

from __future__ import annotations

import re

from passeur.article import CODE, HEADING, TEXT
from passeur.translate.blocks import Block, check_words, first_heading_is_title, normalize, strip_boilerplate
from passeur.translate.decode import decode_text
from passeur.translate.formats import Document
from passeur.verbatim import VERBATIM


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    return Document(strip_boilerplate(markdown_blocks(decode_text(data, name, encoding))))


def markdown_blocks(text: str) -> list[Block]:
    """Markdown paragraphs, ATX/setext headings, and fenced code blocks (kept whole, untranslated)."""
    blocks: list[Block] = []
    lines: list[str] = []
    code: list[str] | None = None
    setext = False
    in_comment = False

    def flush():
        nonlocal lines, setext
        block = _inline_markdown(" ".join(lines))
        if block:
            blocks.append(Block(block, HEADING if setext else TEXT))
        lines, setext = [], False

    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = _after_front_matter(all_lines)
    for number, line in enumerate(all_lines[first:], first + 1):
        if code is None and (in_comment or "<!--" in line):
            line, in_comment = _without_comments(line, in_comment)
            if not line.strip():
                flush()  # a comment on lines of its own is an HTML block: it ends a paragraph
                continue
        if line.lstrip().startswith(("```", "~~~")):
            if code is None:
                flush()
                code = []
            else:
                blocks.append(Block("\n".join(code), CODE))
                code = None
            continue
        if code is not None:
            code.append(line)
            continue
        check_words(line, number)
        if not line.strip() or _is_thematic_break(line):
            flush()
        elif lines and _is_setext_underline(line):
            setext = True
            flush()
        elif (heading := _atx_heading(line)) is not None:
            flush()
            if heading := _inline_markdown(heading):  # "#" alone is an empty heading: nothing to translate
                blocks.append(Block(heading, HEADING))
        else:
            lines.append(_MARKER.sub("", line, count=1))
    if code is not None:
        blocks.append(Block("\n".join(code), CODE))  # an unclosed fence runs to the end, as in Markdown
    flush()
    return first_heading_is_title(blocks)


_FENCES = {"---": ("---", "..."), "+++": ("+++",)}


def _after_front_matter(lines: list[str]) -> int:
    """The index of the first line after YAML (`---` … `---`) or TOML (`+++` … `+++`) front matter
    at the top of the file; 0 when there is none (a lone `---` is a thematic break)."""
    closers = _FENCES.get(lines[0].rstrip()) if lines else None
    if closers:
        for i in range(1, len(lines)):
            if lines[i].rstrip() in closers:
                return i + 1
    return 0


def _without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without its HTML comments (`<!-- … -->`), and whether a comment is still open at its end."""
    kept, pos = [], 0
    while True:
        if in_comment:
            end = line.find("-->", pos)
            if end < 0:
                return "".join(kept), True
            pos, in_comment = end + 3, False
        start = line.find("<!--", pos)
        if start < 0:
            kept.append(line[pos:])
            return "".join(kept), False
        kept.append(line[pos:start])
        pos, in_comment = start + 4, True


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
    around, never through: see passeur.verbatim)."""
    if "*" not in text and "_" not in text:
        return normalize(text)  # no emphasis to drop: the verbatim spans need not be found
    parts, last = [], 0
    for match in VERBATIM.finditer(text):
        parts += [strip_emphasis(text[last:match.start()]), match.group()]
        last = match.end()
    parts.append(strip_emphasis(text[last:]))
    return normalize("".join(parts))


_DELIMITERS = ("**", "__", "*", "_")
_DELIMITER = re.compile(r"[*_]")


def _alphanumeric(ch: str) -> bool:
    return ch.isalnum()


def strip_emphasis(text: str) -> str:
    r"""Emphasis marks dropped, in linear time: what

        (\*\*|\*)(\S(?:.*?\S)?)\1  |  (?<![^\W_])(__|_)(\S(?:.*?\S)?)\3(?![^\W_])

    replaces by the text between the marks (tests/test_hostile.py checks it against that regex).
    An underscore opens only where no letter or digit stands before it and closes only where none
    follows (CommonMark: `max_retry_count` is one word); asterisks work inside words too.

    That regex scans to the end of the text for every opening mark without a closing one
    (quadratic on "*a *a *a …"). Here each mark's nearest closing mark is found by a forward
    search that never goes back over text already searched, so the whole pass is linear.
    """
    n = len(text)
    out: list[str] = []
    closers = {d: (-1, -1) for d in _DELIMITERS}  # delimiter -> (searched from, first closing mark there)
    newline = (-1, -1)
    last = i = 0

    def closes(d: str, j: int) -> bool:
        """d at j can close: after a non-space character, and for "_", before no letter or digit."""
        return not text[j - 1].isspace() and (d[0] != "_" or j + len(d) >= n or not _alphanumeric(text[j + len(d)]))

    def closing(d: str, q: int) -> int:
        """The first j >= q where d closes; -1 if none."""
        searched, found = closers[d]
        if searched >= 0 and q >= searched and (found < 0 or found >= q):
            return found
        j = text.find(d, q)
        while j > 0 and not closes(d, j):
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
            if d[0] == "_" and i > 0 and _alphanumeric(text[i - 1]):
                continue  # inside a word: a letter
            c = i + len(d)
            if c >= n or text[c].isspace():
                continue
            if newline[0] < 0 or newline[1] < c:  # the regex's "." stops at a line end
                end = text.find("\n", c)
                newline = (c, n if end < 0 else end)
            limit = newline[1]
            j = closing(d, c + 2) if c + 2 <= limit else -1  # content of two or more characters first
            if not 0 <= j <= limit:
                j = c + 1 if text.startswith(d, c + 1) and closes(d, c + 1) else -1  # then a one-character content
            if j >= 0:
                out.append(text[last:i])
                out.append(text[c:j])
                i = last = j + len(d)
                break
        else:
            i += 1
    out.append(text[last:])
    return "".join(out)
