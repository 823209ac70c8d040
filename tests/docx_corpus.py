"""Word documents of every shape passeur must read and write back, made here with python-docx
(and XML where python-docx does not reach), from the text of examples/azure-cloud.fr.txt.

Each builder returns the path of a .docx; `SHAPES` names them all. Tests read them, translate them
and compare what comes back (tests/test_docx.py), and LibreOffice opens what passeur wrote.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _png() -> bytes:
    """A 4×4 red PNG, made by hand."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _run(paragraph, text, bold=False, italic=False, rsid=None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if rsid:
        run._r.set(qn("w:rsidR"), rsid)
    return run


def _xml(paragraph, xml: str) -> None:
    """Append raw WordprocessingML (w: prefixed) to a paragraph."""
    from lxml import etree

    wrapper = etree.fromstring(f'<w:wrap xmlns:w="{W_NS}" '
                               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                               'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                               'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                               'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                               'xmlns:v="urn:schemas-microsoft-com:vml">' + xml + "</w:wrap>")
    for child in list(wrapper):
        paragraph._p.append(child)


def _hyperlink(paragraph, url: str, text: str, bold=False) -> None:
    rel = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    _xml(paragraph, f'<w:hyperlink r:id="{rel}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
                    f'{"<w:b/>" if bold else ""}<w:u w:val="single"/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>')


def _field(instruction: str, result: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} '
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


TEXT_BOX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" '
            'distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
            '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="2286000" cy="457200"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="10" name="Encadré"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2286000" cy="457200"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>'
            '{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>'
            '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect style="width:180pt;height:36pt">'
            '<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect>'
            '</w:pict></mc:Fallback></mc:AlternateContent></w:r>')

FOOTNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
             '<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Selon '
             'une enquête conjointe du </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Guardian</w:t></w:r><w:r><w:t>, '
             'publiée en août 2025.</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _add_footnotes(path: Path) -> None:
    """python-docx writes no footnotes part: add one, with its relationship and content type."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rIdFoot" Type="http://'
                                                         'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                                         'footnotes" Target="footnotes.xml"/></Relationships>').encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace("</Types>", '<Override PartName="/word/footnotes.xml" ContentType="'
                                                 'application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                                 'footnotes+xml"/></Types>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def newsroom_report(path: Path) -> Path:
    """Every shape at once: title and headings, bold and italic words, runs split mid-word, a link,
    a field, a footnote, a comment, an image, a table, a list, a header and footer, tracked
    changes, a text box, and a right-to-left paragraph."""
    document = docx.Document()
    document.add_heading("Cloud et surveillance : Microsoft sous pression", level=0)
    paragraph = document.add_paragraph()
    _run(paragraph, "PARIS (AFP) - L’armée israélienne a stocké sur ")
    _run(paragraph, "Azure", bold=True)
    _run(paragraph, " des enregistrements d’appels ")
    _run(paragraph, "intercep", italic=True, rsid="00A1B2C3")  # a word split across runs, mid-word
    _run(paragraph, "tés", italic=True, rsid="00D4E5F6")
    _run(paragraph, " à Gaza. Microsoft a d’abord ")
    _run(paragraph, "démenti", bold=True, italic=True)
    _run(paragraph, ", puis ouvert une enquête")
    _xml(paragraph, '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/></w:r>')
    _run(paragraph, ".")
    paragraph = document.add_paragraph("Le rapport complet est en ligne : ")
    _hyperlink(paragraph, "https://example.org/rapport-azure", "lire le rapport", bold=True)
    _run(paragraph, ", page ")
    _xml(paragraph, _field("PAGE", "3"))
    _run(paragraph, " de l’édition imprimée.")
    document.add_heading("Une contestation venue de l’intérieur", level=1)
    paragraph = document.add_paragraph()
    commented = _run(paragraph, "Des employés ont protesté devant le siège")
    _run(paragraph, " de Redmond, ")
    _xml(paragraph, '<w:ins w:id="90" w:author="Rédaction" w:date="2025-09-01T10:00:00Z"><w:r><w:t xml:space='
                    '"preserve">selon leurs avocats, </w:t></w:r></w:ins><w:del w:id="91" w:author="Rédaction" '
                    'w:date="2025-09-01T10:00:00Z"><w:r><w:delText xml:space="preserve">dit-on, </w:delText></w:r>'
                    '</w:del>')
    _run(paragraph, "et réclament la fin du contrat.")
    document.add_comment([commented], text="Vérifier la date avec la source.", author="Rédaction", initials="R")
    paragraph = document.add_paragraph("Les sommes en jeu :")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    _run(paragraph, "voir le tableau ci-dessous.")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (row, col), text in {(0, 0): "Contrat", (0, 1): "Montant", (1, 0): "Nimbus",
                             (1, 1): "1,2 milliard de dollars"}.items():
        cell = table.cell(row, col).paragraphs[0]
        _run(cell, text, bold=row == 0)
    document.add_paragraph("Première revendication des salariés.", style="List Bullet")
    document.add_paragraph("Seconde revendication des salariés.", style="List Bullet")
    paragraph = document.add_paragraph("Une image du siège : ")
    paragraph.add_run().add_picture(io.BytesIO(_png()), width=Pt(24))
    _run(paragraph, " prise en 2024.")
    paragraph = document.add_paragraph("Encadré ci-contre. ")
    _xml(paragraph, TEXT_BOX.format(text="Microsoft conteste toute surveillance de masse."))
    paragraph = document.add_paragraph()
    from lxml import etree

    etree.SubElement(paragraph._p.get_or_add_pPr(), qn("w:bidi"))
    run = _run(paragraph, "Le slogan « لا للحرب » figurait sur les pancartes.")
    _xml_run_rtl(run)
    document.sections[0].header.paragraphs[0].text = "Dossier : surveillance et cloud"
    footer = document.sections[0].footer.paragraphs[0]
    _run(footer, "Page ")
    _xml(footer, _field("PAGE", "1"))
    document.save(path)
    _add_footnotes(path)
    return path


def _xml_run_rtl(run) -> None:
    properties = run._r.get_or_add_rPr()
    from lxml import etree

    etree.SubElement(properties, qn("w:rtl"))


SHAPES = {"newsroom-report": newsroom_report}


def view(path: Path) -> list[list[tuple[str, bool, bool, str]]]:
    """What a reader sees of a .docx, made without passeur: per paragraph (body, footnotes,
    headers, footers; text boxes once), each character with its bold, italic and link, and each
    inline object as a token ("<footnoteReference>"), tracked changes accepted."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        parts = ["word/document.xml"] + sorted(n for n in names if re.fullmatch(r"word/(footnotes|endnotes|header\d*"
                                                                             r"|footer\d*)\.xml", n))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        links = {r.get("Id"): r.get("Target") for r in rels}
        roots = [etree.fromstring(archive.read(p)) for p in parts]
    w = f"{{{W_NS}}}"
    out = []

    def on(properties, name):
        if properties is None:
            return False
        found = properties.find(w + name)
        return found is not None and found.get(w + "val", "true") not in ("0", "false")

    def walk(node, run_properties, link, tokens):
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag in ("pPr", "rPr", "del", "moveFrom", "proofErr", "lastRenderedPageBreak", "softHyphen") or not tag:
                continue
            if tag == "p":
                continue  # a text box's paragraph: its own entry
            if tag == "r":
                walk(child, child.find(w + "rPr"), link, tokens)
            elif tag == "hyperlink":
                walk(child, run_properties, links.get(child.get(f"{{{rels.nsmap.get('r', '')}}}id")) or
                     links.get(child.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"), ""),
                     tokens)
            elif tag in ("ins", "smartTag", "customXml"):
                walk(child, run_properties, link, tokens)
            elif tag == "t":
                tokens += [(ch, on(run_properties, "b"), on(run_properties, "i"), link or "") for ch in child.text or ""]
            elif tag in ("tab", "br", "cr"):
                tokens.append(({"tab": "\t"}.get(tag, "\n"), False, False, link or ""))
            else:
                tokens.append((f"<{tag}>", False, False, ""))

    for root in roots:
        for paragraph in root.iter(w + "p"):
            if any(etree.QName(a).localname == "Fallback" for a in paragraph.iterancestors()):
                continue
            tokens: list = []
            walk(paragraph, None, "", tokens)
            out.append(tokens)
    return out


# --- OpenDocument ----------------------------------------------------------------------------------

ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"')
ODT_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODT_NS}><office:automatic-styles>
<style:style style:name="Gras" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-complex="bold"/></style:style>
<style:style style:name="Ital" style:family="text"><style:text-properties fo:font-style="italic" style:font-style-complex="italic"/></style:style>
</office:automatic-styles><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Rédaction</dc:creator><dc:date>2025-09-01T10:00:00</dc:date></office:change-info><text:p>dit-on, </text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:style-name="Title" text:outline-level="1">Cloud et surveillance : Microsoft sous pression</text:h>
<text:p text:style-name="Standard">L’armée israélienne a stocké sur <text:span text:style-name="Gras">Azure</text:span> des enregistrements d’appels <text:span text:style-name="Ital">intercep</text:span><text:span text:style-name="Ital">tés</text:span> à Gaza.<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">Selon une enquête conjointe du <text:span text:style-name="Ital">Guardian</text:span>.</text:p></text:note-body></text:note> Microsoft a <text:change text:change-id="ct1"/>d’abord  <text:span text:style-name="Gras">démenti</text:span>.</text:p>
<text:p text:style-name="Standard">Le rapport est en ligne : <text:a xlink:type="simple" xlink:href="https://example.org/rapport-azure">lire le rapport</text:a>, page <text:page-number text:select-page="current">3</text:page-number> de l’édition imprimée.<office:annotation><dc:creator>Rédaction</dc:creator><text:p>Vérifier la page.</text:p></office:annotation></text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="2">Une contestation venue de l’intérieur</text:h>
<text:list><text:list-item><text:p>Première revendication des salariés.</text:p></text:list-item></text:list>
<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell><text:p>Nimbus</text:p></table:table-cell><table:table-cell><text:p>1,2 milliard de dollars</text:p></table:table-cell></table:table-row></table:table>
<text:p>Les sommes en jeu :<text:line-break/>voir le tableau<text:tab/>ci-dessus.</text:p>
</office:text></office:body></office:document-content>"""
ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODT_NS}><office:styles><style:default-style style:family="paragraph"><style:paragraph-properties/><style:text-properties fo:language="fr" fo:country="FR"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/><style:style style:name="Title" style:family="paragraph"><style:text-properties fo:font-size="24pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
</office:styles></office:document-styles>"""
ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def newsroom_odt(path: Path) -> Path:
    """The same shapes in OpenDocument: spans split mid-word, a footnote, a link, a field, a comment,
    a tracked deletion, a heading, a list, a table, a line break and a tab."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        for name, text in (("content.xml", ODT_CONTENT), ("styles.xml", ODT_STYLES),
                           ("META-INF/manifest.xml", ODT_MANIFEST)):
            archive.writestr(name, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return path


def odt_view(path: Path) -> list[list[tuple[str, str, str]]]:
    """Per paragraph of an .odt (comments and deleted text left out), each character with the span
    style and link around it, each inline object as a token; white space as ODF collapses it."""
    from lxml import etree

    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    root = etree.fromstring(zipfile.ZipFile(path).read("content.xml"))
    out = []

    def walk(node, span, link, tokens):
        def add(text):
            if not text:
                return
            collapsed = " ".join(text.split())
            collapsed = (" " if text[0].isspace() else "") + collapsed + (" " if text[-1].isspace() and collapsed else "")
            tokens.extend((ch, span, link) for ch in collapsed)
        add(node.text)
        for child in node:
            local = etree.QName(child).localname
            if local == "span":
                walk(child, child.get(f"{{{text_ns}}}style-name"), link, tokens)
            elif local == "a":
                walk(child, span, child.get("{http://www.w3.org/1999/xlink}href"), tokens)
            elif local in ("s", "tab", "line-break"):
                count = int(child.get(f"{{{text_ns}}}c", "1"))
                tokens += [({"s": " ", "tab": "\t"}.get(local, "\n"), span, link)] * count
            elif local not in ("change", "change-start", "change-end", "soft-page-break"):
                tokens.append((f"<{local}>", "", ""))
            add(child.tail)

    for paragraph in root.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h"):
        if any(etree.QName(a).localname in ("annotation", "tracked-changes") for a in paragraph.iterancestors()):
            continue
        tokens: list = []
        walk(paragraph, "", "", tokens)
        out.append(tokens)
    return out


# --- PDF and subtitles -------------------------------------------------------------------------

def simple_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of text lines (Helvetica, WinAnsi: French letters), one list of lines per page; a
    blank line is space between paragraphs."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        ops, y = ["BT /F1 11 Tf"], 770
        for line in lines:
            if line:
                escaped = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                ops.append(f"1 0 0 1 72 {y} Tm (" + escaped.decode("latin-1") + ") Tj")
            y -= 14 if line else 10
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n" + stream.decode("latin-1") + "\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body.encode("latin-1") + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


SUBTITLES = """1
00:00:01,000 --> 00:00:03,500
L’armée israélienne a stocké
des enregistrements sur <i>Azure</i>.

2
00:00:04,000 --> 00:00:06,000
{\\an8}Microsoft a d’abord <b>démenti</b>,

3
00:00:06,500 --> 00:00:09,000
puis ouvert une enquête interne.
"""
