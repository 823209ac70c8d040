"""passeur glossary: validate, show, check and diff."""

from __future__ import annotations

import json
import sys

import click

from passeur import api
from passeur.cli.options import CONTEXT
from passeur.cli.terminal import bidi_option, escape, one_line, table_console, table_width, terminal

TABLE_FORMATS = ["table", "json", "md"]
SENTENCE = "sentence (from 1)"  # people count from 1; JSON keeps passeur's 0-based indices


def _terminal_headers(headers: list[str]) -> list[str]:
    """Column headers for a terminal table: "(from 1)" on a line of its own, never split."""
    return [h.replace(" (from 1)", "\n(from 1)") for h in headers]


@click.group(context_settings=CONTEXT)
def glossary():
    """Validate, show, check and compare glossaries.

    \b
    Example:
        passeur glossary validate newsroom.tsv
        passeur glossary diff old.tsv new.tsv --impact article.json
    """


@glossary.command("validate", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
def glossary_validate(file):
    """Check a glossary file; every problem is listed with file, line and column (exit 2).

    A row with more or fewer cells than the header, a source term in two concepts (matching
    ignores accents, and case unless both concepts are case-sensitive) are errors; variants of
    one concept that match the same text are warnings (exit 0).

    \b
    Example:
        passeur glossary validate newsroom.tsv
    """
    try:
        g = api.validate_glossary(file)  # its warnings are listed below, with the count
    except api.GlossaryProblems as err:
        for problem in err.problems:
            click.echo(one_line(problem), err=True)
        sys.exit(2)
    for warning in g.warnings:  # FILE:LINE:COL: warning: what, as compilers and editors expect
        where, _, what = warning[len(str(file)):].partition(": ")
        click.echo(one_line(f"{file}{where}: warning: {what}"), err=True)
    count = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    warned = f", {count(len(g.warnings), 'warning')}" if g.warnings else ""
    click.echo(f"{file}: {count(len(g.concepts), 'concept')}, languages {', '.join(g.languages)}: ok{warned} "
               f"({g.signature()})")


def _forms_shown(concept, lang: str, source: str) -> list[str]:
    """A concept's terms in lang as written, then the forms of the other number passeur writes
    (listed in plural:/singular: columns or made by the language's morphology): "pl. settlers"."""
    written = list(concept.targets(lang, source))
    forms = concept.forms(lang, source)
    return (written + [f"pl. {f}" for f in forms.plural if f not in written]
            + [f"sg. {f}" for f in forms.singular if f not in written])


@glossary.command("show", context_settings=CONTEXT)
@bidi_option
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", *api.glossary_formats()]), default="table", show_default=True)
def glossary_show(file, fmt):
    """Print a glossary (the shipped newsroom glossary when no FILE) as a table, or export it.

    As tsv or csv the file is written back column for column, comments and blank lines kept,
    so an export of an unedited file is that file (TSV to CSV and TBX convert). In CSV, a
    cell starting with = + - @ gets a leading apostrophe (spreadsheets never run it as a
    formula); reading the CSV takes it off. Printed to a pipe or a file, the table is never
    wrapped: `passeur glossary show | grep Cisjordanie` finds the row.

    \b
    Example:
        passeur glossary show
        passeur glossary show --format tsv > newsroom.tsv
        passeur glossary show terms.tbx --format tsv > terms.tsv
    """
    g = api.open_glossary(file or api.DEFAULT_GLOSSARY)
    if fmt != "table":
        click.echo(api.dump_glossary(g, fmt), nl=False)
        return
    from rich.table import Table

    console = table_console()
    width = table_width(console)
    table = Table(title=escape(f"glossary {g.name} ({g.signature()})"), show_lines=True)
    for column in ["id", *g.languages, "rules"]:
        table.add_column(column)
    rows = []
    for c in g.concepts:
        rules = (["dnt: yes"] if c.dnt else []) + (["case: sensitive"] if c.case_sensitive else [])
        rules += [f"forbidden {lang}: {', '.join(v)}" for lang, v in c.forbidden.items()]
        cells = ["\n".join(_forms_shown(c, lang, g.source)) for lang in g.languages]
        rows.append([c.id, *cells, "\n".join(rules)])
    terminal().add_rows(table, rows, width)
    console.print(table, crop=False)
    # Notes are prose: below the table, where they have the terminal's whole width.
    for c in g.concepts:
        if c.note:
            shown = terminal().lines(c.note, width - len(c.id) - 2 if width else None)
            console.print(f"[bold]{escape(c.id)}[/bold]: " + escape(shown[0]), crop=False, overflow="ignore")
            for line in shown[1:]:
                console.print(" " * (len(c.id) + 2) + escape(line), crop=False, overflow="ignore")


@glossary.command("check", context_settings=CONTEXT)
@bidi_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False), help="Glossary (default: the shipped one).")
@click.option("--source", "source_file", type=click.Path(dir_okay=False), help="Source sentences, one per line.")
@click.option("--translation", "translation_file", type=click.Path(dir_okay=False), help="Translated sentences, line-aligned with --source.")
@click.option("--lang", help="Language of --translation.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="List ok terms too, not only problems.")
def glossary_check(files, glossary_path, source_file, translation_file, lang, fmt, show_all):
    """Term QA of translated articles: ok, missing target term, wrong form (the term in the
    other number), forbidden term used, no target equivalent (the glossary has no term in that
    language), verbatim span lost, and numbers missing from the translation (number mismatch).

    FILES are outputs of `passeur translate --format json` (or summarize, brief); or give
    --source, --translation and --lang for line-aligned plain text. Exit 1 when any of these is
    found (every status but ok, and source only for concepts marked source-only=yes). Tables number sentences from 1, as the
    briefing does; in --format json, `sentence` is the 0-based index into source.sentences, as
    in the translation's JSON.

    \b
    Example:
        passeur translate article.txt --format json -o article.json
        passeur glossary check article.json
    """
    aligned = None
    if source_file or translation_file or lang:
        if not (source_file and translation_file and lang):
            raise api.InputError("--source, --translation and --lang go together: give all three")
        aligned = api.LineAligned(source_file, translation_file, lang)
    if not files and aligned is None:
        raise api.InputError("nothing to check: give translated JSON files, or --source, --translation and --lang")
    g = api.open_glossary(glossary_path or api.DEFAULT_GLOSSARY)
    report = api.check_terms(files, g, aligned)
    shown = report.rows if show_all else [(f, h) for f, h in report.rows if h.status != "ok"]
    headers = ["file", SENTENCE, "lang", "concept", "term", "target", "status"]
    rows = [[f, str(h.sentence + 1), h.lang, h.concept, h.term, h.target or "", h.status] for f, h in shown]
    if fmt == "json":
        click.echo(json.dumps([{"file": f, **h.to_dict()} for f, h in shown], ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(api.markdown_table(headers, rows), nl=False)
    else:
        from rich.table import Table

        console = table_console()
        out = Table(*_terminal_headers(headers), title=escape(f"term check against {g.signature()}"))
        terminal().add_rows(out, rows, table_width(console), ["red" if h.problem else "" for _, h in shown])
        console.print(out, crop=False)
    problems = len(report.problems)
    click.echo(f"{len(report.rows)} term occurrences checked, {problems} problem{'' if problems == 1 else 's'}", err=True)
    sys.exit(1 if report.problems else 0)


@glossary.command("diff", context_settings=CONTEXT)
@bidi_option
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.argument("more", nargs=-1, type=click.Path(dir_okay=False), metavar="")
@click.option("--impact", "impact_files", multiple=True, type=click.Path(dir_okay=False),
              help="Translated articles (translate, summarize or brief --format json) to show the change on; "
                   "repeatable, or several after one --impact (a shell glob: --impact out/*.json).")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
def glossary_diff(old, new, more, impact_files, fmt):
    """Concepts added, removed and changed between two glossaries, field by field with its
    label (en, ar, forbidden:he, note…); exit 1 when they differ. Column order and comments
    are layout, not content: they never show.

    With --impact, each published sentence the change alters, before and after: the new
    preferred term put where the old one stands, with the sentence's articles, Hebrew prefixes
    and Arabic clitics around it (nothing is translated again). Tables number sentences from
    1; in --format json, `sentence` is the 0-based index into source.sentences, and `impact`
    is null without --impact.

    \b
    Example:
        passeur glossary diff newsroom-v1.tsv newsroom-v2.tsv --format md
        passeur glossary diff old.tsv new.tsv --impact article.json
        passeur glossary diff old.tsv new.tsv --impact out/*.json
    """
    if more and not impact_files:
        raise click.UsageError(f"unexpected {more[0]!r}: give two glossaries, and translated articles after --impact")
    impact_files = (*impact_files, *more)
    found = api.diff_glossaries(old, new, impact_files)
    changes, impacts = found.changes, found.impacts
    change_headers = ["concept", "change", "field", "before", "after"]
    change_rows = [[c.concept, c.kind, c.field, c.old, c.new] for c in changes]
    impact_headers = ["file", SENTENCE, "lang", "concept", "replaced", "before", "after"]
    impact_rows = [[i.file, str(i.sentence + 1), i.lang, i.concept, "\n".join(f"{a} → {b}" for a, b in i.replaced),
                    i.before, i.after] for i in impacts]
    no_changes = "No changes: the two glossaries hold the same concepts."
    no_impact = f"No published sentence changes in {', '.join(impact_files)}."
    if fmt == "json":
        click.echo(json.dumps({"old": old, "new": new, "changes": [c.to_dict() for c in changes],
                               "impact": [i.to_dict() for i in impacts] if impact_files else None,
                               "impact_files": list(impact_files),
                               "summary": [line for line in (no_changes if not changes else "",
                                                             no_impact if impact_files and not impacts else "") if line]},
                              ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(f"### Glossary changes: {api.escape_markdown(old)} → {api.escape_markdown(new)}\n")
        click.echo(api.markdown_table(change_headers, change_rows) if changes else f"{no_changes}\n", nl=False)
        if impact_files:
            click.echo("\n### Sentences affected\n")
            click.echo(api.markdown_table(impact_headers, impact_rows) if impacts else
                       f"{api.escape_markdown(no_impact)}\n", nl=False)
    else:
        from rich.table import Table

        console = table_console()
        width = table_width(console)
        if changes:
            table = Table(*change_headers, title=escape(f"{old} → {new}"))
            terminal().add_rows(table, change_rows, width)
            console.print(table, crop=False)
        else:
            console.print(escape(no_changes), crop=False)
        if impact_files:
            if impacts:
                table = Table(*_terminal_headers(impact_headers), title="sentences affected", show_lines=True)
                terminal().add_rows(table, impact_rows, width)
                console.print(table, crop=False)
            else:
                console.print(escape(no_impact), crop=False)
    sys.exit(1 if changes else 0)
