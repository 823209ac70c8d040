"""Glossary files: TSV (the main format), CSV, and TBX (ISO 30042) import and export.

TSV, one concept per row, a column per language, diff-friendly:

    id        fr                 en              ar                 he       dnt  case  forbidden:en  note
    tsahal    Tsahal             IDF             الجيش الإسرائيلي   צה"ל                 Tsahal        why...

`|` separates variants (the first is the preferred target form). `dnt` (yes/empty) keeps the
source form in every language; `case` (sensitive/empty) makes matching case-sensitive;
`forbidden:LANG` lists renderings the newsroom rejects. Lines starting with # are comments.

Every row has exactly one cell per column of the header: a row with more or fewer cells is an
error, never padded, so that no cell silently moves to its neighbour's column. A file is
written back as it was read (its column order, comments, blank lines, line endings, BOM); only
cells are written in normal form (variants joined by `|`, `yes`, `sensitive`). In CSV, a cell
that a spreadsheet would run as a formula (starting with = + - @) is written with a leading
apostrophe, which reading removes.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

from passeur.errors import InputError
from passeur.languages import LANGUAGES, language
from passeur.glossary.match import fold
from passeur.glossary.model import Concept, Glossary, Layout
from passeur.glossary.morph import french

LANG_COLUMN = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
QUALIFIED = ("forbidden:", "plural:", "singular:")  # column families qualified by a language, e.g. forbidden:en
KNOWN_COLUMNS = {"id", "dnt", "case", "source-only", "note"}
FLAG_COLUMNS = {"dnt": ("yes", {"yes", "y", "true", "1", "x", "dnt"}),
                "case": ("sensitive", {"yes", "y", "true", "1", "x", "sensitive"}),
                "source-only": ("yes", {"yes", "y", "true", "1", "x"})}
NO = {"", "no", "n", "false", "0"}
TRUE = FLAG_COLUMNS["dnt"][1] | FLAG_COLUMNS["case"][1]  # any flag value (TBX descrips)
MAX_CELL = 128 * 1024  # bytes of UTF-8: a term or a note, never a document
# A term is a name or a phrase ("Bureau de la coordination des affaires humanitaires" is 7 words);
# longer ones are a mistake, and each is matched at every place a sentence offers its first letters.
MAX_TERM_WORDS, MAX_TERM_CHARS = 24, 200
# Characters that end a line for some editor or renderer, or are invisible controls: never inside a cell.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
# Invisible format characters (direction marks, zero-width spaces, a stray BOM): pasted along with a
# term, they make it match nothing while looking right.
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FORMULA = re.compile(r"^'*[=+\-@]")  # what spreadsheets run (CSV injection), with its escapes
_SEPARATOR = {"\t": "tab", ",": "comma", ";": "semicolon"}


class GlossaryProblems(InputError):
    """Every problem found in a glossary file, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        # One line (the first problem); `passeur glossary validate` lists them all.
        more = len(problems) - 1
        super().__init__(problems[0] if not more else
                         f"{problems[0]} (and {more} more problem{'s' * (more != 1)}: `passeur glossary validate` "
                         "lists them all)")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in cell.split("|") if v.strip())


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


def _unquote(cell: str) -> str:
    """A TSV cell as a spreadsheet saves it when it holds a quote: "צה""ל" is צה"ל."""
    match = _QUOTED.fullmatch(cell.strip())
    return match.group(1).replace('""', '"') if match and '""' in match.group(1) else cell


def _cells(count: int) -> str:
    return f"{count} cell" + ("" if count == 1 else "s")


def _char_name(ch: str) -> str:
    names = {"\t": "a tab", "\n": "a line break", "\r": "a line break", "\x0b": "a line break", "\x0c": "a page break",
             "\x85": "a line break", "\u2028": "a line separator", "\u2029": "a paragraph separator"}
    return names.get(ch, f"the control character U+{ord(ch):04X}")


def _csv_cells(line: str, comma: str = ",") -> tuple[list[str], str | None, int]:
    """One CSV line as cells (RFC 4180 quoting: "" is a quote inside a quoted cell); a cell never
    spans lines. `comma` is the separator (a semicolon in a French spreadsheet's export). Returns
    (cells, problem, column of the problem)."""
    cells: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            parts, j = [], i + 1
            while True:
                k = line.find('"', j)
                if k < 0:
                    return cells, ("a quoted cell is not closed on its line (a cell cannot hold a line break): "
                                   "close the quote"), len(cells) + 1
                parts.append(line[j:k])
                if line[k + 1:k + 2] == '"':
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            if i < n and line[i] != comma:
                return cells, "text after a closing quote: quote the whole cell, doubling quotes inside it", len(cells) + 1
            cells.append("".join(parts))
        else:
            k = line.find(comma, i)
            k = n if k < 0 else k
            cells.append(line[i:k])
            i = k
        if i >= n:
            return cells, None, 0
        i += 1  # the comma
        if i == n:
            cells.append("")
            return cells, None, 0


def _csv_line(cells: list[str], comma: str = ",") -> str:
    out = []
    for cell in cells:
        if _FORMULA.match(cell):
            cell = "'" + cell  # never run by a spreadsheet; read_csv takes the apostrophe off
        out.append('"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in comma + '"') else cell)
    return comma.join(out)


# Three-letter (ISO 639-2/3) and old codes met in TBX files and spreadsheet headers.
_CODES = {"fra": "fr", "fre": "fr", "eng": "en", "ara": "ar", "arb": "ar", "heb": "he", "iw": "he", "deu": "de",
          "ger": "de", "spa": "es", "ita": "it", "por": "pt", "rus": "ru", "zho": "zh", "chi": "zh", "fas": "fa",
          "per": "fa", "urd": "ur", "yid": "yi", "ji": "yi", "pol": "pl", "ces": "cs", "cze": "cs", "swe": "sv",
          "ell": "el", "gre": "el"}


def base_language(code: str) -> str:
    """A language tag as passeur uses it: the language without its region or script ("fr-FR", "fr_CA"
    → "fr", "he-IL" → "he"), lowercased, old and three-letter codes read ("iw", "ara")."""
    base = re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()
    return _CODES.get(base, base)


def _column_name(name: str) -> str:
    """A header cell as passeur reads it: language tags without their region ("en-GB" → "en",
    "plural:he-IL" → "plural:he")."""
    family, _, lang = name.rpartition(":")
    if family.lower() + ":" in QUALIFIED and LANG_COLUMN.match(lang.lower()) and (
            LANG_COLUMN.match(lang) or base_language(lang) in LANGUAGES):
        return f"{family.lower()}:{base_language(lang)}"
    if name.lower() in KNOWN_COLUMNS:
        return name.lower()  # "ID", "Note"
    if LANG_COLUMN.match(name) or (LANG_COLUMN.match(name.lower()) and base_language(name) in LANGUAGES):
        return base_language(name)  # "FR", "en-GB", "iw"; "IDF" is no language
    return name


def _header_problems(header: list[str], path: str, line: int, separator: str = "tab") -> tuple[list[str], list[str]]:
    """(languages, problems) of a header row: each problem is one line, whatever the rows below hold."""
    known = [name for name in header if name in KNOWN_COLUMNS or LANG_COLUMN.match(name)
             or (name.startswith(QUALIFIED) and LANG_COLUMN.match(name.split(":", 1)[1]))]
    if not known:
        return [], [f"{path}:{line}:1: this line is not a header (no id, fr, en, ar, he column): the first line "
                    "that is not a comment must name the columns, e.g. id, fr, en, ar, he, separated by "
                    + ("tabs (a .tsv file)" if separator == "tab" else f"{separator}s (a .csv file)")]
    problems, seen, languages = [], {}, []
    for column, name in enumerate(header, start=1):
        if name in seen:
            problems.append(f"{path}:{line}:{column}: column {name!r} twice (also column {seen[name]}): "
                            "keep one, or rename it")
            continue
        seen[name] = column
        if name in known:
            lang = name.split(":", 1)[-1]
            if name not in KNOWN_COLUMNS and lang not in LANGUAGES:
                problems.append(f"{path}:{line}:{column}: column {name!r}: {lang!r} is not a language passeur "
                                f"knows ({', '.join(sorted(LANGUAGES))}), so nothing would ever use it: "
                                "rename it with a language code, or remove it")
            elif name not in KNOWN_COLUMNS and LANG_COLUMN.match(name):
                languages.append(name)
        elif not name:
            problems.append(f"{path}:{line}:{column}: empty column name: name the column, or remove the "
                            "separator at the end of the header")
        else:
            problems.append(f"{path}:{line}:{column}: unknown column {name!r}: use a language code "
                            "(fr, en, ar, he), forbidden:LANG, plural:LANG, singular:LANG, id, dnt, case, "
                            "source-only or note")
    if not languages:
        problems.append(f"{path}:{line}: no language column: add fr, en, ar, he columns")
    for column, name in enumerate(header, start=1):
        if name.startswith(QUALIFIED) and name in known and languages and name.split(":", 1)[1] not in languages:
            problems.append(f"{path}:{line}:{column}: column {name!r} is for {name.split(':', 1)[1]}, which has no "
                            f"column of its own (the languages: {', '.join(languages)}): add that column, or "
                            "rename this one")
    return languages, problems


def _alike(a: str, b: str, case: bool) -> str | None:
    """Whether two source terms match the same text, and why: "same", "accents" (matching never
    tells accents apart), "case" (matching ignores case unless both are case-sensitive); else None."""
    if a == b:
        return "same"
    if fold(a, True) == fold(b, True):
        return "accents"
    if not case and fold(a, False) == fold(b, False):
        return "case"
    return None


ACCENTS = "matching does not tell accents apart"


def _script(text: str) -> set[str]:
    """The scripts of text's letters: "latin", or the code of the language whose script they are (ar, he…)."""
    found = set()
    for ch in text:
        if not ch.isalpha():
            continue
        owner = next((code for code, lang in LANGUAGES.items() if lang.script and lang.script[0] <= ch <= lang.script[1]), None)
        found.add(owner or ("latin" if ch < "\u0250" else "other"))
    return found


def _misplaced(header: list[str], row: list[str]) -> tuple[int, str] | None:
    """The first cell of a row that looks like it belongs to another column (Arabic in the en
    column, Hebrew in the ar one, "sensitive" under dnt): (column, what it holds)."""
    names = {code: lang.name for code, lang in LANGUAGES.items()}
    for index, (name, cell) in enumerate(zip(header, row)):
        value = cell.strip()
        if not value:
            continue
        if name in FLAG_COLUMNS:
            if value.lower() not in FLAG_COLUMNS[name][1] | NO:
                return index + 1, repr(value)
            continue
        lang = name.split(":", 1)[-1]
        if name in KNOWN_COLUMNS or not LANG_COLUMN.match(lang):
            continue
        own = lang if language(lang).script else "latin"
        scripts = _script(value)
        foreign = sorted(scripts - {own, "latin", "other"})  # Latin names (Azure) are at home everywhere
        if foreign and own not in scripts:
            return index + 1, f"{names.get(foreign[0], foreign[0])} text"
    return None


def read_table(text: str, path: str, delimiter: str) -> Glossary:
    """Parse TSV or CSV; collect every problem (file:line:column: what and how to fix), and keep
    the file's layout (column order, comments, blank lines, line endings) for writing it back."""
    problems: list[str] = []
    warnings: list[str] = []
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    newline = _LINE_BREAK.search(text)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the file's last line break
    separator = _SEPARATOR.get(delimiter, repr(delimiter))
    comments: list[tuple[int, str]] = []
    rows: list[tuple[int, list[str]]] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if not line.strip() or line.split(delimiter, 1)[0].lstrip().startswith("#"):
            comments.append((len(rows), line))
            continue
        if delimiter in ",;":
            cells, problem, column = _csv_cells(line, delimiter)
            if problem:
                start = number
                if problem.startswith("a quoted cell"):
                    # A quoted cell holding a line break: one error, and the lines it spans are skipped.
                    for last in range(number + 1, min(len(lines), number + 100) + 1):
                        if _csv_cells("\n".join(lines[number - 1:last]), delimiter)[1] is None:
                            problem = f"a cell holds a line break (lines {number} to {last}): write it on one line"
                            number = last
                            break
                problems.append(f"{path}:{start}:{column}: {problem}")
                continue
            cells = [cell[1:] if _FORMULA.match(cell) and cell.startswith("'") else cell for cell in cells]
        else:
            cells = [_unquote(cell) for cell in line.split(delimiter)]
        bad = False
        for column, cell in enumerate(cells, start=1):
            control = _CONTROL.search(cell)
            size = len(cell.encode("utf-8"))
            if size > MAX_CELL:
                problems.append(f"{path}:{number}:{column}: a cell of {size // 1024} KB, over the {MAX_CELL // 1024} KB "
                                "limit: a glossary cell holds a term, variants or a short note")
                bad = True
            elif control:
                problems.append(f"{path}:{number}:{column}: {_char_name(control.group())} inside a cell: "
                                "a cell holds one line of text; remove it")
                bad = True
        if not bad:
            rows.append((number, cells))
    if not rows:
        raise GlossaryProblems(problems or [f"{path}: no header row: the first line must name the columns, "
                                            f"e.g. id, fr, en, ar, he separated by {separator}s"])
    header_line, header = rows[0]
    header = [_column_name(h.strip()) for h in header]
    languages, header_problems = _header_problems(header, path, header_line, separator)
    problems += header_problems
    if not languages:
        raise GlossaryProblems(problems)
    data = rows[1:]
    widths = {len(cells) for _, cells in data}
    if len(data) > 1 and len(widths) == 1 and widths != {len(header)}:
        # Every row disagrees with the header the same way: the header is at fault, once.
        count = widths.pop()
        fix = ("name the missing column in the header" if count > len(header)
               else f"remove the header's column {header[count]!r}, or add a cell for it to every row")
        problems.append(f"{path}:{header_line}:{min(count, len(header)) + 1}: the header names {len(header)} columns "
                        f"but every row has {_cells(count)}: {fix}")
        raise GlossaryProblems(problems)
    source = languages[0]
    col = {name: i + 1 for i, name in reversed(list(enumerate(header)))}
    concepts: list[Concept] = []
    seen_ids: dict[str, int] = {}
    seen_terms: dict[str, list[tuple[str, bool, str, int]]] = {}  # folded term -> (term, case, concept, line)
    lemmas: dict[str, tuple[str, str, int]] = {}  # folded singular -> (term, concept, line): "pâte" for "pâtes"
    for number, row in data:
        if len(row) != len(header):
            if len(row) < len(header):
                shifted = _misplaced(header, row)
                where = (f"the {header[shifted[0] - 1]} cell holds {shifted[1]}, so a cell is probably missing before it"
                         if shifted else f"no cell for {', '.join(header[len(row):])}")
                problems.append(f"{path}:{number}:{shifted[0] if shifted else len(row) + 1}: {_cells(len(row))} for "
                                f"{len(header)} columns ({where}): every row needs a cell per column, an empty one "
                                f"too: put back the missing {separator}")
            else:
                problems.append(f"{path}:{number}:{len(header) + 1}: {_cells(len(row))} for {len(header)} columns: "
                                f"remove the extra {separator}" + (" (or quote the cell that holds a comma)"
                                                                   if delimiter in ",;" else ""))
            continue
        cells = dict(zip(header, row))
        terms = {lang: _split(cells.get(lang, "")) for lang in languages}
        forbidden = {name.split(":", 1)[1]: _split(value) for name, value in cells.items()
                     if name.startswith("forbidden:") and _split(value)}
        plurals = {name.split(":", 1)[1]: _split(value) for name, value in cells.items()
                   if name.startswith("plural:") and _split(value)}
        singulars = {name.split(":", 1)[1]: _split(value) for name, value in cells.items()
                     if name.startswith("singular:") and _split(value)}
        flags = {}
        for name, (_, yes) in FLAG_COLUMNS.items():
            value = cells.get(name, "").strip().lower()
            flags[name] = value in yes
            if value not in yes and value not in NO:
                expected = FLAG_COLUMNS[name][0]
                problems.append(f"{path}:{number}:{col[name]}: {name} {cells[name].strip()!r}: write {expected} "
                                "or leave the cell empty" + (" (is a cell missing before it?)"
                                                             if value in TRUE else ""))
        dnt, case, source_only = flags["dnt"], flags["case"], flags["source-only"]
        concept_id = cells.get("id", "").strip() or (terms[source][0] if terms[source] else f"line{number}")
        if not terms[source]:
            problems.append(f"{path}:{number}:{col[source]}: empty {source} term: every concept needs its source term")
            continue
        if dnt:
            given = [lang for lang in languages[1:] if terms[lang] or plurals.get(lang) or singulars.get(lang)]
            if given:
                problems.append(f"{path}:{number}:{col[given[0]]}: concept {concept_id!r} is do-not-translate (dnt=yes) "
                                f"and has a {given[0]} term: dnt keeps {terms[source][0]!r} in every language; clear "
                                f"the {given[0]} cell, or clear dnt to give each language its own term")
        elif not source_only:
            missing = [lang for lang in languages[1:] if not terms[lang]]
            if missing:
                warnings.append(f"{path}:{number}:{col[missing[0]]}: concept {concept_id!r} has no "
                                f"{', '.join(missing)} term: its occurrences will be reported as 'no target "
                                "equivalent'; give the term, or mark the concept dnt=yes or source-only=yes")
        if not dnt:
            for lang in languages[1:]:
                raw = cells.get(lang, "")
                if raw.strip() and not terms[lang]:
                    problems.append(f"{path}:{number}:{col[lang]}: empty preferred {lang} term: write the term first, variants after |")
                elif raw.strip().startswith("|"):
                    problems.append(f"{path}:{number}:{col[lang]}: empty preferred {lang} term before '|': write the preferred term first")
        for name, values in [(lang, terms[lang]) for lang in languages] + [
                (name, _split(value)) for name, value in cells.items() if name.startswith(QUALIFIED)]:
            invisible = next((m for m in map(_INVISIBLE.search, values) if m), None)
            if invisible:
                problems.append(f"{path}:{number}:{col[name]}: an invisible U+{ord(invisible.group()):04X} "
                                f"({unicodedata.name(invisible.group(), 'format character').lower()}) in the {name} term "
                                f"{invisible.string!r}: remove it, a term with it matches nothing")
            long = next((t for t in values if len(t) > MAX_TERM_CHARS or len(t.split()) > MAX_TERM_WORDS), None)
            if long:
                size = (f"{len(long.split())} words (at most {MAX_TERM_WORDS})" if len(long.split()) > MAX_TERM_WORDS
                        else f"{len(long)} characters (at most {MAX_TERM_CHARS})")
                problems.append(f"{path}:{number}:{col[name]}: the {name} term has {size}: a term is a name or a "
                                "phrase: shorten it, or split it into concepts")
        if concept_id in seen_ids:
            problems.append(f"{path}:{number}:{col.get('id', 1)}: duplicate id {concept_id!r} (first on line {seen_ids[concept_id]}): make ids unique")
        seen_ids.setdefault(concept_id, number)
        for index, term in enumerate(terms[source]):
            for other in terms[source][:index]:
                why = _alike(term, other, case)
                if why:
                    why = {"same": "written twice", "accents": ACCENTS,
                           "case": "the concept is not case-sensitive, so case is ignored"}[why]
                    warnings.append(f"{path}:{number}:{col[source]}: variants {other!r} and {term!r} of concept "
                                    f"{concept_id!r} match the same text ({why}): one is enough")
                    break
            else:
                for first, first_case, first_id, first_line in seen_terms.get(fold(term, False), ()):
                    if first_id == concept_id:
                        continue
                    why = _alike(term, first, case and first_case)
                    if why == "accents":
                        # Matching tells accented text apart ("marché" is never "marche"); text typed
                        # without accents is read as the concept written without them.
                        warnings.append(f"{path}:{number}:{col[source]}: {term!r} and {first!r} (concept {first_id!r}, "
                                        f"line {first_line}) differ only by accents: a text that has them is read as "
                                        "its own concept, a text typed without accents as the one written without")
                        break
                    if why:
                        loose = [name for name, sensitive in ((first_id, first_case), (concept_id, case)) if not sensitive]
                        why = {"same": "", "accents": f"; {ACCENTS}",
                               "case": f"; concept {loose[0]!r} ignores case" if len(loose) == 1 else "; both ignore case"}[why]
                        as_written = "" if first == term else f" as {first!r}"
                        problems.append(f"{path}:{number}:{col[source]}: duplicate source term {term!r}: also in "
                                        f"concept {first_id!r} (line {first_line}{as_written}{why}), so a text would "
                                        "match both concepts: keep the term in one of them")
                        break
            seen_terms.setdefault(fold(term, False), []).append((term, case, concept_id, number))
            if source == "fr":
                folded = fold(term, False)
                lemma = french.singular_phrase(folded) or folded
                other = lemmas.setdefault(lemma, (term, concept_id, number))
                if other[1] != concept_id and fold(other[0], False) != folded:
                    warnings.append(f"{path}:{number}:{col[source]}: {term!r} and {other[0]!r} (concept {other[1]!r}, "
                                    f"line {other[2]}) are forms of one word: a text's {term!r} is read as concept "
                                    f"{concept_id!r}, {other[0]!r} as {other[1]!r}; if one concept is meant, keep "
                                    "one form")
        for lang, bad in forbidden.items():
            clash = set(bad) & set(terms.get(lang, ()))
            if clash:
                problems.append(f"{path}:{number}:{col['forbidden:' + lang]}: {sorted(clash)[0]!r} is both allowed and "
                                f"forbidden in {lang}: remove it from one of the two columns")
        concept = Concept(concept_id, terms, dnt, case, forbidden, cells.get("note", "").strip(), number, plurals,
                          singulars, source_only)
        if not dnt and source == "fr" and concept.plural_entry(source):
            # Arabic and Hebrew plurals are not generated, nor singulars: a plural entry needs its singular.
            unsung = [lang for lang in languages[1:] if terms[lang] and not singulars.get(lang)
                      and lang not in ("en", source)]
            if unsung:
                warnings.append(f"{path}:{number}:{col[unsung[0]]}: concept {concept_id!r} is written in the plural: "
                                f"a singular occurrence will get the plural {unsung[0]} form too; add a "
                                f"singular:{unsung[0]} column with the singular")
        concepts.append(concept)
    if problems:
        raise GlossaryProblems(problems)
    layout = Layout(tuple(header), tuple(comments), newline.group() if newline else "\n", bom, delimiter)
    return Glossary(Path(path).stem.split(".")[0], tuple(languages), tuple(concepts), path, layout, tuple(warnings))


def _text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")  # a BOM is kept as U+FEFF: read_table notes it and writes it back
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8: save the glossary as UTF-8") from None


def read_tsv(data: bytes, path: str) -> Glossary:
    return read_table(_text(data, path), path, "\t")


def read_csv(data: bytes, path: str) -> Glossary:
    """CSV separated by commas, or by semicolons as spreadsheets write it where the comma is the decimal
    mark (French Excel): the header line tells which."""
    text = _text(data, path)
    header = next((line for line in _LINE_BREAK.split(text.lstrip("\ufeff"))
                   if line.strip() and not line.lstrip().startswith("#")), "")
    return read_table(text, path, ";" if header.count(";") > header.count(",") else ",")


def _columns(glossary: Glossary) -> list[str]:
    """The columns to write: the file's own, in its order, plus any the content now needs."""
    used = sorted({lang for c in glossary.concepts for lang, forms in c.forbidden.items() if forms})
    plural = [lang for lang in glossary.languages if any(c.plurals.get(lang) for c in glossary.concepts)]
    single = [lang for lang in glossary.languages if any(c.singulars.get(lang) for c in glossary.concepts)]
    default = ["id", *glossary.languages, "dnt", "case", "source-only", *[f"forbidden:{lang}" for lang in used],
               *[f"plural:{lang}" for lang in plural], *[f"singular:{lang}" for lang in single], "note"]
    if glossary.layout is None:
        return default
    source = glossary.source
    needed = {"id": any(c.id != (c.terms.get(source) or ("",))[0] for c in glossary.concepts),
              "dnt": any(c.dnt for c in glossary.concepts), "case": any(c.case_sensitive for c in glossary.concepts),
              "source-only": any(c.source_only for c in glossary.concepts),
              "note": any(c.note for c in glossary.concepts)}
    columns = [name for name in glossary.layout.columns
               if name in KNOWN_COLUMNS or name in glossary.languages or name.startswith(QUALIFIED)]
    for index, name in enumerate(default):
        if name in columns or not needed.get(name, True):
            continue
        before = [other for other in default[:index] if other in columns]
        columns.insert(columns.index(before[-1]) + 1 if before else 0, name)
    return columns


def _cell(concept: Concept, name: str) -> str:
    if name == "id":
        return concept.id
    if name == "dnt":
        return FLAG_COLUMNS["dnt"][0] if concept.dnt else ""
    if name == "case":
        return FLAG_COLUMNS["case"][0] if concept.case_sensitive else ""
    if name == "source-only":
        return FLAG_COLUMNS["source-only"][0] if concept.source_only else ""
    if name == "note":
        return concept.note
    if name.startswith("forbidden:"):
        forms = concept.forbidden.get(name.split(":", 1)[1], ())
    elif name.startswith("plural:"):
        forms = concept.plurals.get(name.split(":", 1)[1], ())
    elif name.startswith("singular:"):
        forms = concept.singulars.get(name.split(":", 1)[1], ())
    else:
        forms = concept.terms.get(name, ())
    bad = next((form for form in forms if "|" in form), None)
    if bad is not None:
        raise InputError(f"concept {concept.id!r}, column {name}: the term {bad!r} holds a '|', which separates "
                         "variants: it would be read back as two terms")
    return "|".join(forms)


def write_table(glossary: Glossary, delimiter: str = "\t", header_comment: bool = True) -> str:
    """The glossary as TSV or CSV, laid out as the file it was read from (columns, comments,
    blank lines, line endings); a glossary built in code gets passeur's default layout."""
    columns = _columns(glossary)
    layout = glossary.layout
    if layout is not None and (layout.delimiter == "\t") == (delimiter == "\t"):
        comments = list(layout.comments)
    elif layout is not None:
        # Comments stay in a TSV: a spreadsheet opening the CSV would show them as data rows.
        comments = [(at, text) for at, text in layout.comments if not text.strip()]
    elif header_comment and delimiter == "\t":
        comments = [(0, f"# passeur glossary {glossary.name}: one concept per row; | separates variants, the first is preferred")]
    else:
        comments = []
    table = [columns]
    for concept in glossary.concepts:
        row = [_cell(concept, name) for name in columns]
        for name, value in zip(columns, row):
            control = _CONTROL.search(value)
            if control:
                raise InputError(f"concept {concept.id!r}, column {name}: {_char_name(control.group())} cannot be "
                                 "written in a glossary cell (one line of text each): remove it")
        table.append(row)
    lines: list[str] = []
    for position, row in enumerate(table):
        lines += [text for at, text in comments if at == position]
        if delimiter in ",;":
            line = _csv_line(row, delimiter)
            if line.lstrip().startswith("#"):  # quoted, a first cell starting with # is not a comment
                line = '"' + row[0] + '"' + line[len(row[0]):]
            lines.append(line)
        elif row[0].lstrip().startswith("#"):
            raise InputError(f"column {columns[0]} begins with '#' ({row[0]!r}), so the row would read as a comment: "
                             "put another column first (e.g. id)")
        else:
            lines.append(delimiter.join(row))
    lines += [text for at, text in comments if at >= len(table)]
    newline = layout.newline if layout else "\n"
    return ("\ufeff" if layout and layout.bom else "") + newline.join(lines) + newline


def write_tsv(glossary: Glossary, header_comment: bool = True) -> str:
    return write_table(glossary, "\t", header_comment)


def write_csv(glossary: Glossary) -> str:
    """CSV with the separator the file was read with (a French spreadsheet's semicolons), else commas."""
    layout = glossary.layout
    return write_table(glossary, layout.delimiter if layout and layout.delimiter in ",;" else ",")


# --- TBX (ISO 30042, TBX-Basic style) -------------------------------------------------------

TBX_NS = "{http://www.w3.org/XML/1998/namespace}lang"


def _merge_orders(orders: list[list[str]], first_seen: list[str]) -> list[str]:
    """One column order agreeing with every entry's order of languages where it can (an entry
    without Arabic says nothing about where ar goes): what passeur wrote reads back in its order."""
    after: dict[str, set[str]] = {lang: set() for lang in first_seen}
    for order in orders:
        for earlier, later in zip(order, order[1:]):
            after[earlier].add(later)
    waiting = {lang: sum(lang in later for later in after.values()) for lang in first_seen}
    merged: list[str] = []
    while len(merged) < len(first_seen):
        ready = [lang for lang in first_seen if lang not in merged and waiting[lang] == 0]
        lang = ready[0] if ready else next(lang for lang in first_seen if lang not in merged)  # a cycle: as seen
        merged.append(lang)
        for later in after[lang]:
            waiting[later] -= 1
    return merged


def read_tbx(data: bytes, path: str) -> Glossary:
    """Parse TBX safely (no DTD, no entity expansion, no external entities: defusedxml refuses them)
    and validate it as a table would be, every problem at its line in the XML. Language tags are
    read without their region ("fr-FR" is fr)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring
    from lxml import etree

    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except DefusedXmlException as err:
        raise InputError(f"{path}: refused: the TBX declares a DTD or entities ({type(err).__name__}): "
                         "export it again without a DOCTYPE") from None
    except Exception as err:  # ElementTree.ParseError, lxml's XMLSyntaxError and friends
        raise InputError(f"{path}: not well-formed XML ({err}): check the file") from None
    languages: list[str] = []
    orders: list[list[str]] = []  # each entry's languages, in its order
    concepts = []
    where: list[dict[str, int]] = []  # per entry: "" -> its line, language -> its langSet's line
    first_seen: dict[str, int] = {}  # language -> the line where it first appears
    for position, entry in enumerate(root.iter("termEntry"), start=1):
        orders.append([])
        lines = {"": entry.sourceline or 0}
        terms: dict[str, list[str]] = {}
        forbidden: dict[str, list[str]] = {}
        plurals: dict[str, list[str]] = {}
        singulars: dict[str, list[str]] = {}
        flags = {"passeur-dnt": False, "passeur-case": False, "passeur-source-only": False}
        note = ""
        for descrip in entry.findall("descrip"):
            if descrip.get("type", "") in flags:
                flags[descrip.get("type")] = (descrip.text or "").strip().lower() in TRUE
        for note_el in entry.findall("note"):
            note = (note_el.text or "").strip()
        for lang_set in entry.findall("langSet"):
            tag = lang_set.get(TBX_NS) or lang_set.get("lang") or ""
            lang = base_language(tag) if LANG_COLUMN.match(base_language(tag)) else tag
            lines.setdefault(lang, lang_set.sourceline or lines[""])
            first_seen.setdefault(lang, lang_set.sourceline or lines[""])
            if lang and lang not in languages:
                languages.append(lang)
            if lang and lang not in orders[-1]:
                orders[-1].append(lang)
            for tig in list(lang_set.findall("tig")) + list(lang_set.findall("ntig")):
                term_el = tig.find("term") if tig.find("term") is not None else tig.find("termGrp/term")
                if term_el is None or not (term_el.text or "").strip():
                    continue
                status = grammatical = ""
                for term_note in tig.iter("termNote"):
                    if term_note.get("type") == "administrativeStatus":
                        status = (term_note.text or "").strip()
                    elif term_note.get("type") == "grammaticalNumber":
                        grammatical = (term_note.text or "").strip()
                target = (forbidden if status.startswith(("deprecatedTerm", "supersededTerm"))
                          else plurals if grammatical == "plural" and status != "preferredTerm-admn-sts"
                          else singulars if grammatical == "singular" and status != "preferredTerm-admn-sts"
                          else terms)
                target.setdefault(lang, []).append(term_el.text.strip())
        where.append(lines)
        concept_id = entry.get("id") or f"entry{position}"
        concepts.append(Concept(concept_id, {k: tuple(v) for k, v in terms.items()}, flags["passeur-dnt"],
                                flags["passeur-case"], {k: tuple(v) for k, v in forbidden.items()}, note, position,
                                {k: tuple(v) for k, v in plurals.items()}, {k: tuple(v) for k, v in singulars.items()},
                                flags["passeur-source-only"]))
    if not concepts:
        raise InputError(f"{path}: no termEntry found: is this a TBX file?")
    languages = _merge_orders(orders, languages)
    if "fr" in languages:
        languages.remove("fr")
        languages.insert(0, "fr")
    table = Glossary("tbx", tuple(languages), tuple(concepts))
    columns = _columns(table)
    text = write_tsv(table, header_comment=False)

    def at_xml_line(message: str) -> str:
        """A problem found in the table, told at its line in the XML: the entry's langSet, else the entry."""
        match = re.match(rf"{re.escape(path)}:(\d+)(?::(\d+))?: ", message)
        if not match:
            return message
        row, column = int(match.group(1)), int(match.group(2) or 0)
        name = columns[column - 1].split(":", 1)[-1] if 0 < column <= len(columns) else ""
        line = (first_seen.get(name, 1) if row == 1 else
                where[row - 2].get(name, where[row - 2][""]) if 0 <= row - 2 < len(where) else row)
        def entry_line(found: re.Match) -> str:
            row = int(found.group(1)) - 2
            return f"(line {where[row][''] if 0 <= row < len(where) else found.group(1)}"

        return f"{path}:{line}: " + re.sub(r"\(line (\d+)", entry_line, message[match.end():])

    try:
        read = read_table(text, path, "\t")  # the same validation as a hand-written file
    except GlossaryProblems as problems:
        raise GlossaryProblems([at_xml_line(p) for p in problems.problems]) from None
    # A TBX has no columns to keep, and its concepts keep their XML lines for messages.
    concepts = tuple(dataclasses.replace(c, line=where[i][""]) for i, c in enumerate(read.concepts))
    return dataclasses.replace(read, concepts=concepts, layout=None,
                               warnings=tuple(at_xml_line(w) for w in read.warnings))


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
        if c.source_only:
            out.append('      <descrip type="passeur-source-only">yes</descrip>')
        if c.note:
            out.append(f"      <note>{escape(c.note)}</note>")
        for lang in glossary.languages:
            forms = [(t, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts")
                     for i, t in enumerate(c.terms.get(lang, ()))]
            forms += [(t, "deprecatedTerm-admn-sts") for t in c.forbidden.get(lang, ())]
            plurals = [(t, "plural") for t in c.plurals.get(lang, ())]
            plurals += [(t, "singular") for t in c.singulars.get(lang, ())]
            if not forms and not plurals:
                continue
            out.append(f"      <langSet xml:lang={quoteattr(lang)}>")
            for term, status in forms:
                out.append(f'        <tig><term>{escape(term)}</term><termNote type="administrativeStatus">{status}</termNote></tig>')
            for term, grammatical in plurals:
                out.append(f'        <tig><term>{escape(term)}</term><termNote type="grammaticalNumber">{grammatical}'
                           '</termNote></tig>')
            out.append("      </langSet>")
        out.append("    </termEntry>")
    out += ["  </body></text>", "</martif>", ""]
    return "\n".join(out)
