"""Word documents (.docx): read in place, written back one document per target language.

Read: the body, then footnotes and endnotes, then headers and footers; in each, every paragraph
(tables, lists and text boxes included; a text box once, not again through the copy Word keeps
for older readers in `mc:Fallback`). A paragraph's runs are merged into one text before it is
cut into sentences, so a sentence with a bold word is one sentence; each run's formatting (its
properties, and the link it sits in) is a style, and the words in a style other than the
paragraph's own become marks (passeur.article.Mark) that ride through translation as tags
(passeur.inline). What is not text goes with the text as an inline object, never translated:
fields (a page number, a cross-reference, a table of contents: everything from the field's start
to its end), images, footnote and comment references, bookmarks, tabs that are not text.
Tracked changes are accepted: inserted text is text, deleted text is dropped (never
translated), and a warning says so. Comments stay as they are, untranslated. Headings come from
the paragraph style ("Title", "Heading 1", an outline level).

Written: the source package with each paragraph's runs made again from the translation and its
marks (each style's own run properties, links around their words, objects where the tags put
them); every other part is copied as it was (images, styles, comments, settings). For Arabic
and Hebrew, paragraphs, runs, tables and sections are right-to-left (`w:bidi`, `w:rtl`,
`w:bidiVisual`), with the complex-script language, font, bold, italic and size Word uses for them.

The walk over a document is deterministic: the writer parses the source again and walks it the
same way, so block i of the reader is paragraph i of the writer.
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field

from lxml import etree

from passeur.article import CODE, HEADING, NOTE, TEXT, TITLE, Mark
from passeur.errors import InputError, warn
from passeur.translate.blocks import Block, check_words
from passeur.translate.formats import Document, Translation, base_style, layout_pieces, paragraph_block
from passeur.translate.formats.package import Package, serialize

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
OFFICE_DOCUMENT = "/officeDocument"
MAIN_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",)
MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml",
               "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
TEMPLATE_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, RUN, T, RPR, PPR, HYPERLINK = w("p"), w("r"), w("t"), w("rPr"), w("pPr"), w("hyperlink")
FALLBACK = f"{{{MC}}}Fallback"
ALTERNATE = f"{{{MC}}}AlternateContent"
CHOICE = f"{{{MC}}}Choice"
# Wrappers whose content is read as if they were not there: inserted text (tracked changes
# accepted), a move's destination, smart tags, custom XML, bidi embeddings.
TRANSPARENT = {w("ins"), w("moveTo"), w("smartTag"), w("customXml"), w("dir"), w("bdo")}
# Dropped: deleted text (tracked changes accepted), a move's source, spelling marks.
DROPPED = {w("del"), w("moveFrom"), w("proofErr"), w("moveFromRangeStart"), w("moveFromRangeEnd"),
           w("moveToRangeStart"), w("moveToRangeEnd"), w("customXmlInsRangeStart"), w("customXmlInsRangeEnd"),
           w("customXmlDelRangeStart"), w("customXmlDelRangeEnd")}
REVISIONS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}
CHANGES = {w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
                          "tblGridChange", "tblPrExChange", "numberingChange", "cellIns", "cellDel", "cellMerge")}
# Run content that is text; everything else in a run is an inline object.
RUN_TEXT = {T: None, w("tab"): "\t", w("cr"): "\n", w("noBreakHyphen"): "\u2011"}
RUN_DROPPED = {RPR, w("softHyphen"), w("lastRenderedPageBreak"), w("delText"), w("delInstrText")}
FIELD_CHAR, INSTR = w("fldChar"), w("instrText")
NOTE_SKIP = {"separator", "continuationSeparator", "continuationNotice"}


# --- walking a document ---------------------------------------------------------------------

@dataclass
class Style:
    """A run's formatting: its properties and the link it sits in (either may be None)."""

    properties: etree._Element | None
    link: etree._Element | None


@dataclass
class Paragraph:
    """A paragraph as a sequence of text pieces (text, style code) and objects (elements, link)."""

    element: etree._Element
    kind: str
    pieces: list = field(default_factory=list)  # ("text", str, style) | ("object", [elements], style)
    revised: bool = False  # holds tracked changes, which rewriting accepts

    @property
    def text(self) -> str:
        return "".join(p[1] for p in self.pieces if p[0] == "text")


class Walk:
    """One pass over a document's paragraphs; the same pass in the reader and in the writer."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.style_codes: dict[bytes, int] = {}
        self.styles: list[Style] = []
        self.revisions = 0
        self.in_field = 0

    def style(self, properties, link) -> int:
        if properties is not None and len(properties) == 0 and not properties.attrib:
            properties = None  # <w:rPr/> is no properties at all
        if properties is not None and properties.find(w("rPrChange")) is not None:
            properties = copy.deepcopy(properties)
            for change in properties.findall(w("rPrChange")):
                properties.remove(change)
        key = (etree.tostring(properties) if properties is not None else b"") + b"|" + (
            etree.tostring(_shallow(link)) if link is not None else b"")
        code = self.style_codes.get(key)
        if code is None:
            code = self.style_codes[key] = len(self.styles)
            self.styles.append(Style(properties, link))
        return code

    def paragraph(self, element, kind: str) -> Paragraph:
        paragraph = Paragraph(element, kind)
        self._content(element, None, paragraph)
        return paragraph

    def _content(self, node, link, paragraph: Paragraph) -> None:
        for child in node:
            tag = child.tag
            if tag == PPR or not isinstance(tag, str):
                continue
            if tag in REVISIONS:
                paragraph.revised = True
                self.revisions += 1
            if tag == RUN:
                self._run(child, link, paragraph)
            elif tag == HYPERLINK:
                self._content(child, child, paragraph)
            elif tag in TRANSPARENT:
                self._content(child, link, paragraph)
            elif tag in DROPPED:
                continue
            else:  # bookmarks, comment anchors, simple fields, content controls, equations, drawings
                self._object([child], None, link, paragraph, in_run=False)

    def _run(self, run, link, paragraph: Paragraph) -> None:
        properties = run.find(RPR)
        code = self.style(properties, link)
        for child in run:
            tag = child.tag
            if tag in RUN_DROPPED or not isinstance(tag, str):
                continue
            if tag == FIELD_CHAR:
                kind = child.get(w("fldCharType"))
                self.in_field += kind == "begin"
                self._object([child], properties, link, paragraph)
                self.in_field = max(0, self.in_field - (kind == "end"))
            elif self.in_field or tag == INSTR:
                self._object([child], properties, link, paragraph)
            elif tag in RUN_TEXT:
                text = child.text or "" if tag == T else RUN_TEXT[tag]
                if text:
                    paragraph.pieces.append(("text", text, code))
            elif tag == w("br") and child.get(w("type"), "textWrapping") == "textWrapping":
                paragraph.pieces.append(("text", "\n", code))
            else:
                self._object([child], properties, link, paragraph)

    def _object(self, elements, properties, link, paragraph: Paragraph, in_run: bool = True) -> None:
        """Run content (kept in a run with its run's properties) or paragraph content, kept as it
        is; objects with no text between them are one object."""
        items = [("run" if in_run else "bare", properties, e) for e in elements]
        last = paragraph.pieces[-1] if paragraph.pieces else None
        code = self.style(None, link)
        if last is not None and last[0] == "object" and last[2] == code:
            last[1].extend(items)
        else:
            paragraph.pieces.append(("object", items, code))


def _shallow(element) -> etree._Element:
    """An element without its children: a link's identity is its attributes."""
    copied = etree.Element(element.tag, dict(element.attrib), nsmap=element.nsmap)
    return copied


@dataclass
class Source:
    """A parsed .docx: the package, its translatable parts (name, root, kind of their paragraphs)
    and the paragraphs of the walk."""

    package: Package
    parts: list[tuple[str, etree._Element, str]]
    styles_part: str | None
    walk: Walk
    paragraphs: list[Paragraph]


def _relationships(package: Package, part: str) -> list[etree._Element]:
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in package.names:
        return []
    return package.xml(rels).findall(f"{{{PKG_REL}}}Relationship")


def _target(part: str, relationship) -> str:
    target = relationship.get("Target", "")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def open_source(data: bytes, name: str) -> Source:
    package = Package(data, name, "document", ".docx")
    if "[Content_Types].xml" not in package.names:
        raise InputError(f"{name}: is a zip archive but not a Word document (no [Content_Types].xml): give a .docx")
    types = package.xml("[Content_Types].xml")
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in types.findall(f"{{{CT}}}Override")}
    if "word/vbaProject.bin" in package.names or any(t in MACRO_TYPES for t in overrides.values()):
        raise InputError(f"{name}: holds macros (a .docm): passeur does not read macro-enabled documents; save it as a "
                         ".docx without macros (Word: File, Save As, Word Document)")
    main = next((_target("", r) for r in _relationships(package, "") if r.get("Type", "").endswith(OFFICE_DOCUMENT)),
                None)
    if main is None or main not in package.names:
        raise InputError(f"{name}: is a zip archive but not a Word document (no main document part): give a .docx")
    if overrides.get(main) in TEMPLATE_TYPES:
        raise InputError(f"{name}: is a Word template (.dotx): create a document from it and translate that")
    if overrides.get(main) not in MAIN_TYPES:
        raise InputError(f"{name}: is not a Word document (its main part is {overrides.get(main) or 'untyped'}): "
                         "give a .docx")
    related = {kind: [] for kind in ("footnotes", "endnotes", "header", "footer", "styles")}
    for relationship in _relationships(package, main):
        if relationship.get("TargetMode") == "External":
            continue  # a link, a linked image or template: kept, never fetched
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        if kind in related:
            target = _target(main, relationship)
            if target in package.names and target not in related[kind]:
                related[kind].append(target)
    parts = [(main, package.xml(main), TEXT)]
    parts += [(p, package.xml(p), NOTE) for kind in ("footnotes", "endnotes", "header", "footer") for p in
              sorted(related[kind])]
    styles_part = related["styles"][0] if related["styles"] else None
    headings = _heading_styles(package.xml(styles_part)) if styles_part else {}
    walk = Walk(package)
    paragraphs = []
    for part, root, kind in parts:
        walk.in_field = 0
        for element in root.iter(P):
            if _skipped(element):
                continue
            paragraphs.append(walk.paragraph(element, kind if kind == NOTE else _kind(element, headings)))
    return Source(package, parts, styles_part, walk, paragraphs)


def _skipped(paragraph) -> bool:
    """A paragraph in the copy of a text box kept for older readers, or in a footnote separator."""
    for ancestor in paragraph.iterancestors():
        if ancestor.tag == FALLBACK:
            return True
        if ancestor.tag in (w("footnote"), w("endnote")) and ancestor.get(w("type")) in NOTE_SKIP:
            return True
    return False


def _heading_styles(styles) -> dict[str, str]:
    """Paragraph style id -> title or heading, from the style's name or outline level (and those
    it is based on)."""
    by_id = {}
    for style in styles.findall(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        name = (style.find(w("name")).get(w("val"), "") if style.find(w("name")) is not None else "").lower()
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        based = style.find(w("basedOn"))
        by_id[style.get(w("styleId"))] = (name, outline is not None and outline.get(w("val"), "9") < "9",
                                         based.get(w("val")) if based is not None else None)
    kinds = {}
    for ident in by_id:
        seen, current = set(), ident
        while current in by_id and current not in seen:
            seen.add(current)
            name, outlined, based = by_id[current]
            if name == "title":
                kinds[ident] = TITLE
                break
            if name.startswith(("heading", "subtitle")) or outlined:
                kinds[ident] = HEADING
                break
            current = based
    return kinds


def _kind(paragraph, headings: dict[str, str]) -> str:
    properties = paragraph.find(PPR)
    if properties is None:
        return TEXT
    style = properties.find(w("pStyle"))
    outline = properties.find(w("outlineLvl"))
    if outline is not None and outline.get(w("val"), "9") < "9":
        return HEADING
    return headings.get(style.get(w("val")), TEXT) if style is not None else TEXT


# --- reading --------------------------------------------------------------------------------

def translatable(paragraph: Paragraph) -> bool:
    return bool(paragraph.text.strip())


def read(data: bytes, name: str, encoding: str | None = None) -> Document:
    source = open_source(data, name)
    blocks = []
    for paragraph in source.paragraphs:
        if translatable(paragraph):
            block = paragraph_block(paragraph.pieces, paragraph.kind)
            check_words(block.text)
            blocks.append(block)
    if source.walk.revisions:
        warn(f"{name}: tracked changes accepted ({source.walk.revisions} insertions and deletions): the translation is "
             "of the text as it reads with them accepted, and has no tracked changes")
    # The first title-styled paragraph is the title only when it comes first; other titles are headings.
    for i, block in enumerate(blocks):
        if block.kind == TITLE and i > 0:
            blocks[i] = Block(block.text, HEADING, block.marks)
    if len(blocks) > 1 and blocks[0].kind == HEADING:
        blocks[0] = Block(blocks[0].text, TITLE, blocks[0].marks)
    return Document(blocks, data)


# --- writing --------------------------------------------------------------------------------

RTL_LANGUAGES = {"ar": "ar-SA", "he": "he-IL"}
COMPLEX_FONT = "Arial"  # Word's complex-script default: it has Arabic and Hebrew letters

# Children of w:pPr, w:rPr, w:tblPr and w:sectPr in the order the schema requires (Word refuses
# a document whose properties are out of order).
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
             "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
             "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
             "vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()
TBLPR_ORDER = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
               "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange").split()
SECTPR_ORDER = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
                "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange").split()


_RANKS: dict[int, dict[str, int]] = {}


def _child(parent, name: str, order: list[str]) -> etree._Element:
    """parent's child w:name, made at its place in the schema's order when absent."""
    found = parent.find(w(name))
    if found is not None:
        return found
    ranks = _RANKS.get(id(order))
    if ranks is None:
        ranks = _RANKS[id(order)] = {w(local): rank for rank, local in enumerate(order)}
    element = etree.Element(w(name))
    rank = ranks[element.tag]
    for index, sibling in enumerate(parent):
        if ranks.get(sibling.tag, -1) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _properties(parent, tag: str, first: bool = True) -> etree._Element:
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def right_to_left_run(properties, locale: str) -> None:
    """Run properties for Arabic or Hebrew: right-to-left, its language, a complex-script font,
    and bold, italic and size repeated for complex scripts (Word does not apply w:b to them)."""
    for plain, complex_ in (("b", "bCs"), ("i", "iCs")):
        value = properties.find(w(plain))
        if value is not None and properties.find(w(complex_)) is None:
            _child(properties, complex_, RPR_ORDER).attrib.update(value.attrib)
    size = properties.find(w("sz"))
    if size is not None and properties.find(w("szCs")) is None:
        _child(properties, "szCs", RPR_ORDER).set(w("val"), size.get(w("val"), "22"))
    fonts = _child(properties, "rFonts", RPR_ORDER)
    if fonts.get(w("cs")) is None and fonts.get(w("cstheme")) is None:
        fonts.set(w("cs"), COMPLEX_FONT)
    _child(properties, "rtl", RPR_ORDER)
    _child(properties, "lang", RPR_ORDER).set(w("bidi"), locale)


class RunProperties:
    """Each style's run properties as a language's runs get them (right-to-left added once per style)."""

    def __init__(self, locale: str | None) -> None:
        self.locale = locale
        self.made: dict[int, etree._Element | None] = {}

    def __call__(self, properties) -> etree._Element | None:
        key = id(properties)
        if key not in self.made:
            made = copy.deepcopy(properties) if properties is not None else None
            if self.locale:
                made = made if made is not None else etree.Element(RPR)
                right_to_left_run(made, self.locale)
            self.made[key] = made
        made = self.made[key]
        return copy.deepcopy(made) if made is not None else None


def _runs(text: str, properties, prepare: RunProperties) -> list[etree._Element]:
    """Runs for text in one style: w:t, with tabs and line breaks as Word writes them."""
    runs = []
    run = etree.Element(RUN)
    made = prepare(properties)
    if made is not None:
        run.append(made)
    piece = []

    def flush():
        if piece:
            element = etree.SubElement(run, T)
            element.text = "".join(piece)
            if element.text != element.text.strip():
                element.set(XML_SPACE, "preserve")
            piece.clear()

    for ch in text:
        if ch == "\t":
            flush()
            etree.SubElement(run, w("tab"))
        elif ch == "\n":
            flush()
            etree.SubElement(run, w("br"))
        elif ch == "\u2011":
            flush()
            etree.SubElement(run, w("noBreakHyphen"))
        else:
            piece.append(ch)
    flush()
    runs.append(run)
    return runs


def _object_elements(items, prepare: RunProperties) -> list[etree._Element]:
    out = []
    for how, properties, element in items:
        if how == "run":
            run = etree.Element(RUN)
            made = prepare(properties)
            if made is not None:
                run.append(made)
            run.append(element)
            out.append(run)
        else:
            out.append(element)
    return out


def _rewrite(paragraph: Paragraph, styles: list[Style], base: int | None, text: str, marks: list[Mark],
             prepare: RunProperties) -> None:
    """Make a paragraph's content again from its translated text and marks."""
    objects = {index: piece for index, piece in enumerate(paragraph.pieces) if piece[0] == "object"}
    element = paragraph.element
    for child in list(element):
        if child.tag != PPR:
            element.remove(child)
    out: list[tuple[etree._Element, int | None]] = []  # (element, link style code or None)
    for piece in layout_pieces(text, marks, base, objects):
        if piece[0] == "text":
            style = styles[piece[2]] if piece[2] is not None else Style(None, None)
            out += [(run, piece[2]) for run in _runs(piece[1], style.properties, prepare)]
        else:
            _, items, link_code = objects[piece[1]]
            out += [(e, link_code) for e in _object_elements(items, prepare)]
    # Runs of one link go into one copy of the link.
    current_link, wrapper = None, None
    for child, code in out:
        link = styles[code].link if code is not None else None
        if link is None:
            element.append(child)
            current_link = wrapper = None
            continue
        if link is not current_link:
            wrapper = _shallow(link)
            element.append(wrapper)
            current_link = link
        wrapper.append(child)


def _right_to_left(root, locale: str) -> None:
    """Every paragraph, table and section of a part right-to-left."""
    for paragraph in root.iter(P):
        _child(_properties(paragraph, PPR), "bidi", PPR_ORDER)
    for table in root.iter(w("tbl")):
        properties = table.find(w("tblPr"))
        if properties is None:
            properties = etree.Element(w("tblPr"))
            table.insert(0, properties)
        _child(properties, "bidiVisual", TBLPR_ORDER)
    for section in root.iter(w("sectPr")):
        _child(section, "bidi", SECTPR_ORDER)


def _accept_changes(root) -> None:
    """What tracked changes leave outside the paragraphs rewritten: property changes, marks on
    paragraph marks and rows (a deleted row goes)."""
    for element in list(root.iter(*CHANGES)):
        element.getparent().remove(element)
    for row in list(root.iter(w("tr"))):
        properties = row.find(w("trPr"))
        if properties is not None and properties.find(w("del")) is not None:
            row.getparent().remove(row)
        elif properties is not None:
            for mark in properties.findall(w("ins")):
                properties.remove(mark)
    for properties in root.iter(PPR):
        run = properties.find(RPR)
        if run is not None:
            for mark in run.findall(w("ins")) + run.findall(w("del")):
                run.remove(mark)


def _text_boxes_once(root) -> None:
    """The copy of each text box kept for older readers (mc:Fallback) gets the translated content."""
    for alternate in root.iter(ALTERNATE):
        choice = alternate.find(CHOICE)
        fallback = alternate.find(FALLBACK)
        if choice is None or fallback is None:
            continue
        new = list(choice.iter(w("txbxContent")))
        old = list(fallback.iter(w("txbxContent")))
        if len(new) != len(old):
            continue
        for source, target in zip(new, old):
            for child in list(target):
                target.remove(child)
            for child in source:
                target.append(copy.deepcopy(child))


def write(result, lang: str) -> bytes:
    """The source document with the translation into lang put in place of its text."""
    article = result.article
    if article.format != "docx" or not isinstance(article.layout, bytes):
        return write_new(result, lang)
    source = open_source(article.layout, article.name)
    locale = RTL_LANGUAGES.get(lang)
    prepare = RunProperties(locale)
    translation = Translation(result, lang)
    number = 0
    for paragraph in source.paragraphs:
        if not translatable(paragraph):
            if paragraph.revised:  # its tracked changes accepted, as everywhere
                objects = [Mark(0, 0, i) for i, piece in enumerate(paragraph.pieces) if piece[0] == "object"]
                _rewrite(paragraph, source.walk.styles, None, "", objects, prepare)
            continue
        text, placed = translation.block(number, paragraph_block(paragraph.pieces, paragraph.kind))
        number += 1
        _rewrite(paragraph, source.walk.styles, base_style(paragraph.pieces), text, placed, prepare)
    parts = {}
    for part, root, _ in source.parts:
        _accept_changes(root)
        _text_boxes_once(root)
        if locale:
            _right_to_left(root, locale)
        parts[part] = serialize(root)
    if locale and source.styles_part:
        styles = source.package.xml(source.styles_part)
        for properties in styles.iter(RPR):
            right_to_left_run(properties, locale)
        for properties in styles.iter(PPR):
            if properties.getparent() is not None and properties.getparent().tag == w("style") or \
                    properties.getparent().tag == w("pPrDefault"):
                _child(properties, "bidi", PPR_ORDER)
        parts[source.styles_part] = serialize(styles)
    return source.package.rewritten(parts)


def write_new(result, lang: str) -> bytes:
    """A new Word document for a translation whose source is not one (a PDF, a text file): its
    paragraphs in order, the title and headings in Word's heading styles, made with python-docx."""
    import io

    import docx
    from docx.shared import Pt

    article = result.article
    text = result.translations.get(lang) or article.sentences
    document = docx.Document()
    for group in article.paragraphs():
        kind = article.segments[group[0]].kind
        joined = " ".join(text[i] or article.segments[i].text for i in group)
        if kind == TITLE:
            document.add_heading(joined, level=0)
        elif kind == HEADING and len(group) == 1:
            document.add_heading(joined, level=1)
        elif kind == CODE:
            run = document.add_paragraph().add_run(joined)
            run.font.name = "Courier New"
            run.font.size = Pt(9)
        else:
            document.add_paragraph(joined)
    locale = RTL_LANGUAGES.get(lang)
    if locale:
        body = document.element.body
        for run in body.iter(RUN):
            right_to_left_run(_properties(run, RPR), locale)
        _right_to_left(body, locale)
        for properties in document.styles.element.iter(RPR):
            right_to_left_run(properties, locale)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
