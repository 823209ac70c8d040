"""Zip packages (.docx, .odt) opened without trusting them.

A document is a zip of XML parts, and a hostile one may be a zip bomb, declare entities (XXE,
"billion laughs"), or be something else under the right name. Before any part is used: the
archive's entries are counted, their declared sizes added up and compared with the file's (a
part is read no further than its declared size, so the declared sizes bound the memory), and
every XML part is checked for a DTD, which no office document needs. XML is parsed with no
entity resolution, no DTD and no network. Nothing a package points to (an external link, a
linked image, a remote template) is ever fetched: passeur opens no connection to read a file.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from passeur.errors import InputError
from passeur.inputs import mb

MAX_ENTRIES = 10_000
MAX_PART = 256 << 20  # one part unpacked: a 30-page report's document.xml is about 1 MB
MAX_UNPACKED = 1 << 30  # every part together
MAX_RATIO = 100  # unpacked / packed size of the whole archive (office XML packs 5 to 20 times)

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                         remove_blank_text=False, huge_tree=False)
_DOCTYPE = (b"<!doctype", "<!doctype".encode("utf-16-le"), "<!doctype".encode("utf-16-be"))


class Package:
    """The parts of a zip package, read on demand, each at most its declared size."""

    def __init__(self, data: bytes, name: str, what: str, suffix: str) -> None:
        self.name, self.what, self.suffix = name, what, suffix
        if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: .doc, or an encrypted .docx
            raise InputError(f"{name}: is an encrypted or old-format (.doc) file, not a {suffix}: save it as {suffix} "
                             "without a password, then translate that")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
            raise InputError(f"{name}: is not a valid {suffix} (a damaged zip archive: {err}): save it again") from None
        if len(entries) > MAX_ENTRIES:
            raise InputError(f"{name}: holds {len(entries):,} parts: passeur reads {what}s of up to {MAX_ENTRIES:,}")
        names = [e.filename for e in entries]
        if len(set(names)) != len(names):
            raise InputError(f"{name}: names a part twice: a damaged or forged {suffix}; save it again")
        unpacked = sum(e.file_size for e in entries)
        if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * len(data) + (16 << 20):
            raise InputError(f"{name}: would unpack to {mb(unpacked)} from {mb(len(data))} (a zip bomb?): passeur reads "
                             f"{what}s that unpack to at most {MAX_RATIO} times their size and {mb(MAX_UNPACKED)}")
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise InputError(f"{name}: is password-protected: save it without a password, then translate that")
            if entry.file_size > MAX_PART:
                raise InputError(f"{name}: its part {entry.filename} unpacks to {mb(entry.file_size)}: passeur reads "
                                 f"parts of up to {mb(MAX_PART)}")
        self.entries = entries
        self.names = set(names)
        for entry in entries:
            if entry.filename.lower().endswith((".xml", ".rels")) or entry.filename == "mimetype":
                head = self.read(entry.filename)[:4096].lower()
                if any(mark in head for mark in _DOCTYPE):
                    raise InputError(f"{name}: its part {entry.filename} declares a DTD, which no {suffix} has (an XML "
                                     "entity attack?): passeur does not read it")

    def read(self, part: str) -> bytes:
        try:
            with self.zip.open(part) as stream:
                return stream.read(MAX_PART + 1)
        except KeyError:
            raise InputError(f"{self.name}: has no part {part}: not a complete {self.suffix}; save it again") from None
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as err:
            raise InputError(f"{self.name}: its part {part} cannot be unpacked ({err}): the file is damaged; "
                             "save it again") from None

    def xml(self, part: str) -> etree._Element:
        try:
            root = etree.fromstring(self.read(part), PARSER)
        except etree.XMLSyntaxError as err:
            raise InputError(f"{self.name}: its part {part} is not well-formed XML ({err}): the file is damaged; "
                             "save it again") from None
        if root.getroottree().docinfo.doctype:
            raise InputError(f"{self.name}: its part {part} declares a DTD: passeur does not read it")
        return root

    def rewritten(self, parts: dict[str, bytes]) -> bytes:
        """The package with `parts` replaced, every other part as it was, in the same order."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for entry in self.entries:
                data = parts.get(entry.filename)
                if data is None:
                    data = self.read(entry.filename)
                info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
                info.compress_type = entry.compress_type
                info.external_attr = entry.external_attr
                archive.writestr(info, data)
        return out.getvalue()


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
