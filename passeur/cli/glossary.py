"""passeur glossary: validate, show, check and diff."""

from __future__ import annotations

import json
import sys

import click

from passeur import api
from passeur.cli.options import CONTEXT
from passeur.cli.terminal import bidi_option, escape, stdout_console, terminal
from passeur.errors import InputError
from passeur.glossary import FORMATS

TABLE_FORMATS = ["table", "json", "md"]


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

    \b
    Example:
        passeur glossary validate newsroom.tsv
    """
    from passeur.glossary import load_glossary
    from passeur.glossary.formats import GlossaryProblems

    try:
        g = load_glossary(file)
    except GlossaryProblems as err:
        for problem in err.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    click.echo(f"{file}: {len(g.concepts)} concepts, languages {', '.join(g.languages)}: ok ({g.signature()})")


@glossary.command("show", context_settings=CONTEXT)
@bidi_option
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", *FORMATS]), default="table", show_default=True)
def glossary_show(file, fmt):
    """Print a glossary (the shipped newsroom glossary when no FILE) as a table, or convert it.

    \b
    Example:
        passeur glossary show
        passeur glossary show terms.tbx --format tsv > terms.tsv
    """
    from passeur.glossary import dump_glossary

    g = api.open_glossary(file or api.DEFAULT_GLOSSARY)
    if fmt != "table":
        click.echo(dump_glossary(g, fmt), nl=False)
        return
    from rich.table import Table

    console = stdout_console()
    table = Table(title=escape(f"glossary {g.name} ({g.signature()})"), show_lines=True)
    for column in ["id", *g.languages, "DNT", "forbidden"]:
        table.add_column(column, overflow="fold")
    rows = []
    for c in g.concepts:
        forbidden = "\n".join(f"{lang}: {', '.join(v)}" for lang, v in c.forbidden.items())
        cells = ["\n".join(c.targets(lang, g.source)) for lang in g.languages]
        rows.append([c.id, *cells, "yes" if c.dnt else "", forbidden])
    terminal().add_rows(table, rows, console.width)
    console.print(table)
    # Notes are prose: below the table, where they have the terminal's whole width.
    for c in g.concepts:
        if c.note:
            console.print(f"[bold]{escape(c.id)}[/bold]: " + escape(terminal().display(c.note, console.width - len(c.id) - 2)))


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
    """Term QA of translated articles: ok, missing target term, forbidden term used, no target
    equivalent, and numbers missing from the translation (number mismatch).

    FILES are outputs of `passeur translate --format json` (or summarize, brief); or give
    --source, --translation and --lang for line-aligned plain text. Exit 1 when a term is
    missing or forbidden, or a number does not match. Sentences are numbered from 1.

    \b
    Example:
        passeur translate article.txt --format json -o article.json
        passeur glossary check article.json
    """
    from passeur.glossary.check import check_results
    from passeur.result import read_results

    g = api.open_glossary(glossary_path or api.DEFAULT_GLOSSARY)
    results = [r for name in files for r in read_results(name)]
    if source_file or translation_file:
        if not (source_file and translation_file and lang):
            raise InputError("--source, --translation and --lang go together: give all three")
        results.append(_line_aligned(source_file, translation_file, lang, g.source))
    if not results:
        raise InputError("nothing to check: give translated JSON files, or --source, --translation and --lang")
    report = check_results(results, g)
    shown = report.rows if show_all else [(f, h) for f, h in report.rows if h.status != "ok"]
    headers = ["file", "sentence", "lang", "concept", "term", "target", "status"]
    rows = [[f, str(h.sentence + 1), h.lang, h.concept, h.term, h.target or "", h.status] for f, h in shown]
    if fmt == "json":
        click.echo(json.dumps([{"file": f, **h.to_dict()} for f, h in shown], ensure_ascii=False, indent=2))
    elif fmt == "md":
        from passeur.briefing.markdown import table

        click.echo(table(headers, rows), nl=False)
    else:
        from rich.table import Table

        console = stdout_console()
        out = Table(*headers, title=escape(f"term check against {g.signature()}"))
        terminal().add_rows(out, rows, console.width,
                            ["red" if h.problem else "" for _, h in shown])
        console.print(out)
    click.echo(f"{len(report.rows)} term occurrences checked, {len(report.problems)} problems", err=True)
    sys.exit(1 if report.problems else 0)


def _line_aligned(source_file, translation_file, lang, source_lang):
    from pathlib import Path

    from passeur.article import Article, Segment
    from passeur.result import ArticleResult

    try:
        src = Path(source_file).read_text("utf-8").splitlines()
        tgt = Path(translation_file).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{source_file} / {translation_file}: cannot be read ({err}): give UTF-8 text files") from None
    if len(src) != len(tgt):
        raise InputError(f"{translation_file}: {len(tgt)} lines for {len(src)} in {source_file}: the files must be line-aligned")
    article = Article(translation_file, [Segment(s, i) for i, s in enumerate(src)], source_lang)
    return ArticleResult(article, {lang: tgt})


@glossary.command("diff", context_settings=CONTEXT)
@bidi_option
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--impact", "impact_files", multiple=True, type=click.Path(dir_okay=False),
              help="Translated articles (translate --format json) to show the change on; repeatable.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
def glossary_diff(old, new, impact_files, fmt):
    """Concepts added, removed and changed between two glossaries; exit 1 when they differ.

    \b
    Example:
        passeur glossary diff newsroom-v1.tsv newsroom-v2.tsv --format md
        passeur glossary diff old.tsv new.tsv --impact article.json
    """
    from passeur.glossary import load_glossary
    from passeur.glossary.diff import diff, impact
    from passeur.result import read_results

    g_old, g_new = load_glossary(old), load_glossary(new)
    changes = diff(g_old, g_new)
    results = [r for name in impact_files for r in read_results(name)]
    impacts = impact(g_old, g_new, changes, results) if results else []
    change_rows = [[c.concept, c.kind, c.field, c.old, c.new] for c in changes]
    impact_rows = [[i.file, str(i.sentence + 1), i.lang, i.before, i.after] for i in impacts]
    if fmt == "json":
        click.echo(json.dumps({"changes": [c.to_dict() for c in changes], "impact": [i.to_dict() for i in impacts]},
                              ensure_ascii=False, indent=2))
    elif fmt == "md":
        from passeur.briefing.markdown import escape_markdown, table

        click.echo(f"### Glossary changes: {escape_markdown(old)} → {escape_markdown(new)}\n")
        click.echo(table(["concept", "change", "field", "before", "after"], change_rows), nl=False)
        if impact_files:
            click.echo("\n### Sentences affected\n")
            click.echo(table(["file", "sentence", "lang", "before", "after"], impact_rows) if impacts
                       else "No published sentence changes.\n", nl=False)
    else:
        from rich.table import Table

        console = stdout_console()
        table = Table("concept", "change", "field", "before", "after", title=escape(f"{old} → {new}"))
        terminal().add_rows(table, change_rows, console.width)
        console.print(table)
        if impact_files:
            if impacts:
                table = Table("file", "sentence", "lang", "before", "after", title="sentences affected", show_lines=True)
                terminal().add_rows(table, impact_rows, console.width)
                console.print(table)
            else:
                console.print("no published sentence changes")
    sys.exit(1 if changes else 0)
