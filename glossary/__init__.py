"""passeur's glossary: terms kept exactly as the newsroom decided, in every language.

Read a glossary (TSV, CSV, TBX), protect its terms through translation, restore them in each
target language, check the result, and compare two versions of a glossary.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from glossary.formats import read_table, read_tbx, write_csv, write_tbx, write_tsv
from glossary.model import Concept, Glossary
from translate.errors import InputError

# Format name -> (reader(data: bytes, path) -> Glossary, writer(Glossary) -> str).
FORMATS = {
    "tsv": (lambda data, path: read_table(_text(data, path), path, "\t"), write_tsv),
    "csv": (lambda data, path: read_table(_text(data, path), path, ","), write_csv),
    "tbx": (read_tbx, write_tbx),
}
SUFFIXES = {".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".csv": "csv", ".tbx": "tbx", ".xml": "tbx"}
DEFAULT_NAME = "newsroom"


def _text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8: save the glossary as UTF-8") from None


def format_of(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{path}: unknown glossary format {suffix!r}: use .tsv, .csv or .tbx (or --glossary-format)")
    return SUFFIXES[suffix]


def load_glossary(path: str | Path, fmt: str | None = None) -> Glossary:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read the glossary ({err.strerror})") from None
    reader, _ = FORMATS[format_of(path, fmt)]
    return reader(data, str(path))


def default_glossary() -> Glossary:
    """The domain glossary that ships with passeur (package data)."""
    data = resources.files("glossary").joinpath(f"data/{DEFAULT_NAME}.tsv").read_bytes()
    return FORMATS["tsv"][0](data, f"{DEFAULT_NAME}.tsv")


def dump_glossary(glossary: Glossary, fmt: str) -> str:
    return FORMATS[fmt][1](glossary)


__all__ = ["Concept", "Glossary", "FORMATS", "load_glossary", "default_glossary", "dump_glossary"]
