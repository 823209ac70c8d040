"""OpenDocument text (.odt): content.xml read in place with lxml, written back per language.

Every paragraph and heading of the body (lists, tables, frames and footnotes included) is a
block; a heading is `text:h`, a footnote's paragraphs are notes. Spans (`text:span`) and links
(`text:a`) are the styles whose words ride through translation as tags; notes, fields (page
number, date, references), bookmarks, frames and comments (`office:annotation`, kept
untranslated) are inline objects. Tracked changes are accepted: deleted text, kept by ODF in
`text:tracked-changes`, is never read, and the change marks go. For Arabic and Hebrew, every
paragraph and table style is right-to-left, with the complex-script language.
"""

from __future__ import annotations

from lxml import etree

from passeur.article import HEADING, NOTE, TEXT, TITLE, Mark
from passeur.errors import InputError, warn
from passeur.translate.blocks import Block, check_words
from passeur.translate.formats import Document, Translation, base_style, layout_pieces, paragraph_block
from passeur.translate.formats.package import Package, serialize

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
MIMETYPE = b"application/vnd.oasis.opendocument.text"


def t(tag: str) -> str:
    return f"{{{TEXT_NS}}}{tag}"


PARAGRAPHS = {t("p"), t("h")}
SPAN, LINK = t("span"), t("a")
CHANGES = {t("change-start"), t("change-end"), t("change")}
TEXT_LIKE = {t("s"): " ", t("tab"): "\t", t("line-break"): "\n"}
DROPPED = {t("soft-page-break")} | CHANGES


class Walk:
    def __init__(self) -> None:
        self.codes: dict[tuple, int] = {}
        self.styles: list[tuple] = []  # code -> ((tag, attributes) of each enclosing span or link, outermost first)
        self.changes = 0

    def style(self, stack: tuple) -> int:
        code = self.codes.get(stack)
        if code is None:
            code = self.codes[stack] = len(self.styles)
            self.styles.append(stack)
        return code

    def paragraph(self, element) -> list:
        pieces: list = []
        self._content(element, (), pieces)
        return pieces

    def _text(self, text: str | None, stack: tuple, pieces: list) -> None:
        if text:
            # ODF collapses white space in text: runs of it are one space (text:s gives more).
            collapsed = " ".join(text.split())
            if text[:1].isspace():
                collapsed = " " + collapsed
            if text[-1:].isspace() and collapsed.strip():
                collapsed += " "
            pieces.append(("text", collapsed, self.style(stack)))

    def _content(self, node, stack: tuple, pieces: list) -> None:
        self._text(node.text, stack, pieces)
        for child in node:
            tag = child.tag
            if tag in (SPAN, LINK):
                self._content(child, stack + ((tag, tuple(sorted(child.attrib.items()))),), pieces)
            elif tag in TEXT_LIKE:
                count = int(child.get(t("c"), "1") or 1) if tag == t("s") else 1
                pieces.append(("text", TEXT_LIKE[tag] * max(1, min(count, 1000)), self.style(stack)))
            elif tag in DROPPED or not isinstance(tag, str):
                self.changes += tag in CHANGES
            else:  # notes, fields, bookmarks, frames, comments
                last = pieces[-1] if pieces else None
                code = self.style(stack)
                if last is not None and last[0] == "object" and last[2] == code:
                    last[1].append(child)
                else:
                    pieces.append(("object", [child], code))
            self._text(child.tail, stack, pieces)


def _open(data: bytes, name: str):
    package = Package(data, name, "document", ".odt")
    if "mimetype" in package.names and package.read("mimetype").strip() != MIMETYPE:
        raise InputError(f"{name}: is an OpenDocument file but not a text document "
                         f"({package.read('mimetype')[:60].decode('ascii', 'replace')}): give an .odt")
    if "content.xml" not in package.names:
        raise InputError(f"{name}: is a zip archive but not an OpenDocument text (no content.xml): give an .odt")
    if any(n.lower().startswith(("basic/", "scripts/")) for n in package.names):
        raise InputError(f"{name}: holds macros: passeur does not read documents with macros; save it without them")
    root = package.xml("content.xml")
    walk = Walk()
    paragraphs = []
    for element in root.iter(*PARAGRAPHS):
        if any(a.tag in (f"{{{OFFICE}}}annotation", t("tracked-changes")) for a in element.iterancestors()):
            continue  # a comment's text, or text a tracked change deleted
        in_note = any(a.tag == t("note-body") for a in element.iterancestors())
        kind = NOTE if in_note else HEADING if element.tag == t("h") else TEXT
        if kind == HEADING and element.get(t("outline-level")) == "0":
            kind = TEXT
        paragraphs.append((element, kind, walk.paragraph(element)))
    return package, root, walk, paragraphs


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    package, root, walk, paragraphs = _open(data, name)
    blocks = []
    for _, kind, pieces in paragraphs:
        block = paragraph_block(pieces, kind)
        if block.text.strip():
            check_words(block.text)
            blocks.append(block)
    if walk.changes or root.find(f".//{t('tracked-changes')}") is not None:
        warn(f"{name}: tracked changes accepted: the translation is of the text as it reads with them accepted, "
             "and has no tracked changes")
    title = next((e for e, k, _ in paragraphs if e.get(f"{{{TEXT_NS}}}style-name", "").lower() == "title"), None)
    if blocks and (title is not None and blocks[0].text.strip() == "".join(title.itertext()).strip()
                   or blocks[0].kind == HEADING and len(blocks) > 1):
        blocks[0] = Block(blocks[0].text, TITLE, blocks[0].marks)
    return Document(blocks, data)


def _spaced(parent, text: str, last) -> object:
    """Append text to parent after `last` (an element, or None for parent's own text) as ODF
    writes it: a space that would collapse as text:s, tabs and line breaks as elements."""
    def add_text(piece: str):
        nonlocal last
        if not piece:
            return
        if last is None:
            parent.text = (parent.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece

    def add_element(tag: str, count: int = 1):
        nonlocal last
        element = etree.SubElement(parent, t(tag))
        if count > 1:
            element.set(t("c"), str(count))
        last = element

    i, n = 0, len(text)
    start = 0
    while i < n:
        ch = text[i]
        if ch in "\t\n":
            add_text(text[start:i])
            add_element("tab" if ch == "\t" else "line-break")
            i += 1
            start = i
        elif ch == " ":
            j = i
            while j < n and text[j] == " ":
                j += 1
            previous = text[i - 1] if i else ""
            keep_one = i > 0 and previous not in "\t\n"
            add_text(text[start:i] + (" " if keep_one else ""))
            extra = (j - i) - (1 if keep_one else 0)
            if extra:
                add_element("s", extra)
            i = start = j
        else:
            i += 1
    add_text(text[start:])
    return last


def _rewrite(element, pieces: list, styles: list[tuple], text: str, marks: list[Mark]) -> None:
    objects = {index: piece for index, piece in enumerate(pieces) if piece[0] == "object"}
    for child in list(element):
        element.remove(child)
    element.text = None
    opened: list[tuple[tuple, etree._Element]] = []  # the spans and links now open, outermost first
    last_at: dict[int, object] = {}

    def container(stack: tuple):
        while opened and (len(opened) > len(stack) or opened[-1][0] != stack[:len(opened)]):
            opened.pop()
        while len(opened) < len(stack):
            tag, attributes = stack[len(opened)]
            parent = opened[-1][1] if opened else element
            child = etree.SubElement(parent, tag, dict(attributes))
            last_at[id(parent)] = child
            opened.append((stack[:len(opened) + 1], child))
        return opened[-1][1] if opened else element

    for piece in layout_pieces(text, marks, base_style(pieces), objects):
        if piece[0] == "text":
            parent = container(styles[piece[2]] if piece[2] is not None else ())
            last_at[id(parent)] = _spaced(parent, piece[1], last_at.get(id(parent)))
        else:
            _, items, code = objects[piece[1]]
            parent = container(styles[code])
            for item in items:
                parent.append(item)
                item.tail = None
                last_at[id(parent)] = item


def _right_to_left(root, lang: str) -> None:
    """Paragraph and table styles right-to-left, aligned to the right (left and right swapped), text
    in the complex-script language."""
    style = f"{{{STYLE}}}"
    for properties in root.iter(f"{style}paragraph-properties", f"{style}table-properties"):
        properties.set(f"{style}writing-mode", "rl-tb")
        if properties.tag == f"{style}paragraph-properties":
            # Aligned to the start of the line, the right. Said as "right": LibreOffice lays out
            # "start" as the left even in right-to-left paragraphs.
            align = properties.get(f"{{{FO}}}text-align")
            properties.set(f"{{{FO}}}text-align", {"left": "right", "start": "right", "right": "left", "end": "left",
                                                   None: "right"}.get(align, align))
    for properties in root.iter(f"{style}text-properties"):
        properties.set(f"{style}language-complex", lang)
    for family in root.iter(f"{style}style", f"{style}default-style"):
        if family.get(f"{style}family") in ("paragraph", "table") and family.find(
                f"{style}{family.get(f'{style}family')}-properties") is None:
            properties = etree.Element(f"{style}{family.get(f'{style}family')}-properties")
            properties.set(f"{style}writing-mode", "rl-tb")
            if family.get(f"{style}family") == "paragraph":
                properties.set(f"{{{FO}}}text-align", "right")
            family.insert(0, properties)


def write(result, lang: str) -> bytes:
    article = result.article
    if article.format != "odt" or not isinstance(article.layout, bytes):
        raise InputError(f"{article.name}: is not an .odt: write it as docx or md (--format docx)")
    package, root, walk, paragraphs = _open(article.layout, article.name)
    translation = Translation(result, lang)
    number = 0
    for element, kind, pieces in paragraphs:
        block = paragraph_block(pieces, kind)
        if not block.text.strip():
            continue
        text, placed = translation.block(number, block)
        number += 1
        _rewrite(element, pieces, walk.styles, text, placed)
    for changes in list(root.iter(t("tracked-changes"))):
        changes.getparent().remove(changes)
    parts = {"content.xml": serialize(root)}
    if lang in ("ar", "he"):
        _right_to_left(root, lang)
        parts["content.xml"] = serialize(root)
        if "styles.xml" in package.names:
            styles = package.xml("styles.xml")
            _right_to_left(styles, lang)
            parts["styles.xml"] = serialize(styles)
    return package.rewritten(parts)

