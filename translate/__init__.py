"""passeur's translation library: reading articles, segmentation, engines, models, pivoting, cache.

Importing it is cheap: CTranslate2, SentencePiece and numpy load when a model first runs.
"""

# Engine name -> "module:Class". Built-in engines are imported only when chosen; others
# register through the entry point group `passeur.engines` (see passeur.translate.engine).
ENGINES = {
    "argos": "passeur.translate.argos:ArgosEngine",
}
DEFAULT_ENGINE = "argos"

# Document formats. A reader is `read(data: bytes, name, encoding) -> Document` (blocks and the
# layout its writer needs); a writer is `write(result, lang) -> bytes`, one document per target
# language, the source's own layout with the translation put back in place (or, for a source of
# another format, a new document with its paragraphs). Imported only when a file of the format
# is read or written.
READERS = {
    "txt": "passeur.translate.formats.text:read",
    "md": "passeur.translate.formats.markdown:read",
    "html": "passeur.translate.formats.html:read",
    "docx": "passeur.translate.formats.docx:read",
    "odt": "passeur.translate.formats.odt:read",
    "srt": "passeur.translate.formats.srt:read",
    "pdf": "passeur.translate.formats.pdf:read",
}
WRITERS = {
    "docx": "passeur.translate.formats.docx:write",
    "odt": "passeur.translate.formats.odt:write",
    "srt": "passeur.translate.formats.srt:write",
}
SUFFIXES = {
    "": "txt", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".docx": "docx", ".odt": "odt", ".srt": "srt", ".pdf": "pdf",
}
# Document format (file suffix) -> "module:function" reading a file into its layout (its sentences,
# and the document put back with their translations, in place): what `passeur serve` translates
# as files. A format is one entry; the function takes (file bytes, file name, source language)
# and returns an object with `sentences`, `paragraphs` and `fill(translations)` -> str or bytes.
LAYOUTS = {
    ".txt": "passeur.translate.texts:plain_document",
    ".md": "passeur.translate.texts:markdown_document",
    ".markdown": "passeur.translate.texts:markdown_document",
    ".html": "passeur.translate.texts:html_document",
    ".htm": "passeur.translate.texts:html_document",
}
