"""passeur's glossary: terms kept exactly as the newsroom decided, in every language.

Read a glossary (TSV, CSV, TBX), find its terms (match), carry them through translation
(protect), check translations against it (check), and compare two versions (diff).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from passeur.errors import InputError, warn
from passeur.inputs import read_regular
from passeur.glossary.formats import read_csv, read_tbx, read_tsv, write_csv, write_tbx, write_tsv
from passeur.glossary.model import Concept, Glossary


@dataclass(frozen=True)
class Format:
    read: Callable[[bytes, str], Glossary]  # (file content, file name for messages) -> Glossary
    write: Callable[[Glossary], str]
    suffixes: tuple[str, ...]


# One entry per glossary file format; the command line's choices are built from it.
FORMATS = {
    "tsv": Format(read_tsv, write_tsv, (".tsv", ".tab", ".txt")),
    "csv": Format(read_csv, write_csv, (".csv",)),
    "tbx": Format(read_tbx, write_tbx, (".tbx", ".xml")),
}
DEFAULT_NAME = "newsroom"
MAX_GLOSSARY_BYTES = 64 << 20  # a glossary of 10,000 concepts is about 2 MB


def format_of(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower()
    for name, spec in FORMATS.items():
        if suffix in spec.suffixes:
            return name
    known = ", ".join(s for spec in FORMATS.values() for s in spec.suffixes)
    raise InputError(f"{path}: unknown glossary format {suffix!r}: name the file with one of {known}")


def load_glossary(path: str | Path, fmt: str | None = None) -> Glossary:
    """A glossary file, validated (GlossaryProblems lists every error); what is worth a look but
    not an error (variants of a concept that match the same text) is a PasseurWarning each, and
    in the glossary's `warnings`."""
    fmt = format_of(path, fmt)
    data = read_regular(path, MAX_GLOSSARY_BYTES, "glossary", fix="a glossary file (.tsv, .csv, .tbx)")
    glossary = FORMATS[fmt].read(data, str(path))
    for warning in glossary.warnings:
        warn(warning)
    return glossary


def default_glossary() -> Glossary:
    """The domain glossary that ships with passeur (package data)."""
    data = resources.files("passeur.glossary").joinpath(f"data/{DEFAULT_NAME}.tsv").read_bytes()
    return FORMATS["tsv"].read(data, f"{DEFAULT_NAME}.tsv")


def default_glossary_path() -> Path:
    return Path(str(resources.files("passeur.glossary").joinpath(f"data/{DEFAULT_NAME}.tsv")))


def dump_glossary(glossary: Glossary, fmt: str) -> str:
    return FORMATS[fmt].write(glossary)


__all__ = ["Concept", "Glossary", "FORMATS", "load_glossary", "default_glossary", "dump_glossary", "format_of"]
