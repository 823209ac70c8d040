"""Bytes to text for the text formats (txt, md, html, srt): UTF-8 (BOM tolerated), UTF-16 or
UTF-32 with a BOM, or the encoding given; anything else is a one-line error naming the fix."""

from __future__ import annotations

import codecs
import unicodedata
import re

from passeur.errors import InputError


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
    return f"{name}: looks like a binary file, not an article: give a .txt, .md, .html, .docx, .odt, .srt or .pdf file"


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


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """decode(), in composed form: "é" typed as e + combining accent (as macOS often saves it) is
    the "é" the glossary has."""
    return unicodedata.normalize("NFC", decode(data, name, encoding))
