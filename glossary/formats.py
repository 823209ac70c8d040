"""Glossary files: TSV (the main format), CSV, and TBX (ISO 30042) import and export.

TSV, one concept per row, a column per language, diff-friendly:

    id        fr                 en              ar                 he       dnt  case  forbidden:en  note
    tsahal    Tsahal             IDF             الجيش الإسرائيلي   צה"ל                 Tsahal        why...

`|` separates variants (the first is the preferred target form). `dnt` (yes/empty) keeps the
source form in every language; `case` (sensitive/empty) makes matching case-sensitive;
`forbidden:LANG` lists renderings the newsroom rejects. Lines starting with # are comments.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from passeur.glossary.model import Concept, Glossary
from passeur.errors import InputError

LANG_COLUMN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")
KNOWN_COLUMNS = {"id", "dnt", "case", "note"}
TRUE = {"yes", "y", "true", "1", "x", "dnt", "sensitive"}


class GlossaryProblems(InputError):
    """Every problem found in a glossary file, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems[0] if len(problems) == 1 else
                         f"{len(problems)} problems in the glossary:\n" + "\n".join(problems))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in cell.split("|") if v.strip())


def read_table(text: str, path: str, delimiter: str) -> Glossary:
    """Parse TSV or CSV; collect every problem (file:line:column: what and how to fix)."""
    problems: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    lines = text.lstrip("\ufeff").splitlines()
    for number, row in enumerate(csv.reader(lines, delimiter=delimiter, quoting=quoting), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        rows.append((number, row))
    if not rows:
        raise GlossaryProblems([f"{path}: no header row: the first line must name the columns, e.g. id\tfr\ten\tar\the"])
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    languages = []
    for column, name in enumerate(header, start=1):
        if name in KNOWN_COLUMNS:
            continue
        if name.startswith("forbidden:") and LANG_COLUMN.match(name.split(":", 1)[1]):
            continue
        if LANG_COLUMN.match(name):
            languages.append(name)
            continue
        problems.append(f"{path}:{header_line}:{column}: unknown column {name!r}: use a language code "
                        "(fr, en, ar, he), forbidden:LANG, id, dnt, case or note")
    if not languages:
        raise GlossaryProblems(problems + [f"{path}:{header_line}: no language column: add fr, en, ar, he columns"])
    source = languages[0]
    concepts: list[Concept] = []
    seen_ids: dict[str, int] = {}
    seen_terms: dict[tuple[str, bool], tuple[int, str]] = {}
    for number, row in rows[1:]:
        if len(row) > len(header):
            problems.append(f"{path}:{number}:{len(header) + 1}: {len(row)} cells for {len(header)} columns: "
                            "remove the extra tab (or quote the cell in CSV)")
            continue
        cells = dict(zip(header, row + [""] * (len(header) - len(row))))
        terms = {lang: _split(cells.get(lang, "")) for lang in languages}
        forbidden = {name.split(":", 1)[1]: _split(value) for name, value in cells.items()
                     if name.startswith("forbidden:") and _split(value)}
        dnt = cells.get("dnt", "").strip().lower() in TRUE
        case = cells.get("case", "").strip().lower() in TRUE
        concept_id = cells.get("id", "").strip() or (terms[source][0] if terms[source] else f"line{number}")
        col = {name: i + 1 for i, name in enumerate(header)}
        if not terms[source]:
            problems.append(f"{path}:{number}:{col[source]}: empty {source} term: every concept needs its source term")
            continue
        if not dnt:
            for lang in languages[1:]:
                raw = cells.get(lang, "")
                if raw.strip() and not terms[lang]:
                    problems.append(f"{path}:{number}:{col[lang]}: empty preferred {lang} term: write the term first, variants after |")
                elif raw.strip().startswith("|"):
                    problems.append(f"{path}:{number}:{col[lang]}: empty preferred {lang} term before '|': write the preferred term first")
        if concept_id in seen_ids:
            problems.append(f"{path}:{number}:{col.get('id', 1)}: duplicate id {concept_id!r} (first on line {seen_ids[concept_id]}): make ids unique")
        seen_ids.setdefault(concept_id, number)
        for term in terms[source]:
            key = (term if case else term.casefold(), case)
            if key in seen_terms:
                first_line, first_id = seen_terms[key]
                problems.append(f"{path}:{number}:{col[source]}: duplicate source term {term!r} "
                                f"(also concept {first_id!r}, line {first_line}): keep it in one concept")
            else:
                seen_terms[key] = (number, concept_id)
        for lang, bad in forbidden.items():
            clash = set(bad) & set(terms.get(lang, ()))
            if clash:
                problems.append(f"{path}:{number}:{col['forbidden:' + lang]}: {sorted(clash)[0]!r} is both allowed and "
                                f"forbidden in {lang}: remove it from one of the two columns")
        concepts.append(Concept(concept_id, terms, dnt, case, forbidden, cells.get("note", "").strip(), number))
    if problems:
        raise GlossaryProblems(problems)
    return Glossary(Path(path).stem.split(".")[0], tuple(languages), tuple(concepts), path)


def _text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8: save the glossary as UTF-8") from None


def read_tsv(data: bytes, path: str) -> Glossary:
    return read_table(_text(data, path), path, "\t")


def read_csv(data: bytes, path: str) -> Glossary:
    return read_table(_text(data, path), path, ",")


def write_table(glossary: Glossary, delimiter: str = "\t", header_comment: bool = True) -> str:
    forbidden_langs = sorted({lang for c in glossary.concepts for lang in c.forbidden})
    header = ["id", *glossary.languages, "dnt", "case", *[f"forbidden:{l}" for l in forbidden_langs], "note"]
    out = io.StringIO()
    if header_comment and delimiter == "\t":
        out.write(f"# passeur glossary {glossary.name}: one concept per row; | separates variants, the first is preferred\n")
    if delimiter == "\t":
        # No quoting in TSV: a '"' is a letter (צה"ל), and cells never hold tabs (see _split).
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n")
    else:
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    for c in glossary.concepts:
        writer.writerow([c.id, *("|".join(c.terms.get(l, ())) for l in glossary.languages),
                         "yes" if c.dnt else "", "sensitive" if c.case_sensitive else "",
                         *("|".join(c.forbidden.get(l, ())) for l in forbidden_langs), c.note])
    return out.getvalue()


def write_tsv(glossary: Glossary, header_comment: bool = True) -> str:
    return write_table(glossary, "\t", header_comment)


def write_csv(glossary: Glossary) -> str:
    return write_table(glossary, ",")


# --- TBX (ISO 30042, TBX-Basic style) -------------------------------------------------------

TBX_NS = "{http://www.w3.org/XML/1998/namespace}lang"


def read_tbx(data: bytes, path: str) -> Glossary:
    """Parse TBX safely: no DTD, no entity expansion, no external entities (defusedxml refuses them)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise InputError(f"{path}: refused: the TBX declares a DTD or entities ({type(err).__name__}): "
                         "export it again without a DOCTYPE") from None
    except Exception as err:  # ElementTree.ParseError and friends
        raise InputError(f"{path}: not well-formed XML ({err}): check the file") from None
    languages: list[str] = []
    concepts = []
    for number, entry in enumerate(root.iter("termEntry"), start=1):
        terms: dict[str, list[str]] = {}
        forbidden: dict[str, list[str]] = {}
        dnt = case = False
        note = ""
        for descrip in entry.findall("descrip"):
            kind = descrip.get("type", "")
            if kind == "passeur-dnt":
                dnt = (descrip.text or "").strip().lower() in TRUE
            elif kind == "passeur-case":
                case = (descrip.text or "").strip().lower() in TRUE
        for note_el in entry.findall("note"):
            note = (note_el.text or "").strip()
        for lang_set in entry.findall("langSet"):
            lang = lang_set.get(TBX_NS) or lang_set.get("lang") or ""
            if lang and lang not in languages:
                languages.append(lang)
            for tig in list(lang_set.findall("tig")) + list(lang_set.findall("ntig")):
                term_el = tig.find("term") if tig.find("term") is not None else tig.find("termGrp/term")
                if term_el is None or not (term_el.text or "").strip():
                    continue
                status = ""
                for term_note in tig.iter("termNote"):
                    if term_note.get("type") == "administrativeStatus":
                        status = (term_note.text or "").strip()
                target = forbidden if status.startswith(("deprecatedTerm", "supersededTerm")) else terms
                target.setdefault(lang, []).append(term_el.text.strip())
        concept_id = entry.get("id") or f"entry{number}"
        concepts.append(Concept(concept_id, {k: tuple(v) for k, v in terms.items()}, dnt, case,
                                {k: tuple(v) for k, v in forbidden.items()}, note, number))
    if not concepts:
        raise InputError(f"{path}: no termEntry found: is this a TBX file?")
    if "fr" in languages:
        languages.remove("fr")
        languages.insert(0, "fr")
    text = write_tsv(Glossary("tbx", tuple(languages), tuple(concepts)))
    return read_table(text, path, "\t")  # the same validation as a hand-written file


def write_tbx(glossary: Glossary) -> str:
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<martif type="TBX-Basic" xml:lang="fr">',
           f"  <martifHeader><fileDesc><sourceDesc><p>passeur glossary {escape(glossary.name)}</p></sourceDesc></fileDesc></martifHeader>",
           "  <text><body>"]
    for c in glossary.concepts:
        out.append(f"    <termEntry id={quoteattr(c.id)}>")
        if c.dnt:
            out.append('      <descrip type="passeur-dnt">yes</descrip>')
        if c.case_sensitive:
            out.append('      <descrip type="passeur-case">sensitive</descrip>')
        if c.note:
            out.append(f"      <note>{escape(c.note)}</note>")
        for lang in glossary.languages:
            forms = [(t, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts")
                     for i, t in enumerate(c.terms.get(lang, ()))]
            forms += [(t, "deprecatedTerm-admn-sts") for t in c.forbidden.get(lang, ())]
            if not forms:
                continue
            out.append(f"      <langSet xml:lang={quoteattr(lang)}>")
            for term, status in forms:
                out.append(f'        <tig><term>{escape(term)}</term><termNote type="administrativeStatus">{status}</termNote></tig>')
            out.append("      </langSet>")
        out.append("    </termEntry>")
    out += ["  </body></text>", "</martif>", ""]
    return "\n".join(out)
