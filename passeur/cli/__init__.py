"""passeur's command line: parses options, calls the library (passeur.api), prints with rich.

This package is the only place that talks to a terminal. Library errors (PasseurError) become
one line on stderr and exit code 2, and library warnings (PasseurWarning) one line each, here
and nowhere else.
"""

from __future__ import annotations

import sys
import warnings

import click

from passeur import api
from passeur.cli.cache import cache
from passeur.cli.glossary import glossary
from passeur.cli.models import models
from passeur.cli.options import CONTEXT
from passeur.cli.terminal import bidi_option, one_line
from passeur.cli.translate import brief, summarize, translate

# The flag each library argument is given with: a library error about an argument starts with the
# value at fault, and the command line puts the flag before it ("--to 'english' is not a language code").
FLAGS = {"targets": "--to", "source": "--source", "lang": "--lang", "format": "--format"}


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if issubclass(category, api.PasseurWarning):
        click.echo(f"passeur: warning: {one_line(message)}", err=True)
    else:
        warnings._showwarning_orig(message, category, filename, lineno, file, line)  # type: ignore[attr-defined]


class PasseurGroup(click.Group):
    """Turns every PasseurError into one line and exit code 2 (a traceback only with --debug), and
    click's own usage errors (an option out of range, a missing argument) into one line too."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            command = err.ctx.command_path if err.ctx else "passeur"
            click.echo(f"passeur: error: {one_line(err.format_message())} (see `{command} --help`)", err=True)
            sys.exit(2)
        except click.ClickException as err:
            err.show()
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("passeur: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    plugged = False

    def get_command(self, ctx, name):
        if name not in self.commands and not self.plugged:
            self.plug()
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        self.plug()
        return super().list_commands(ctx)

    def plug(self) -> None:
        if not self.plugged:
            self.plugged = True
            _plugged_commands()

    def invoke(self, ctx):
        with warnings.catch_warnings():
            warnings.simplefilter("always", api.PasseurWarning)
            warnings._showwarning_orig = warnings.showwarning  # type: ignore[attr-defined]
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except api.PasseurError as err:
                if ctx.params.get("debug"):
                    raise
                flag = FLAGS.get(err.argument or "")
                click.echo(f"passeur: error: {flag + ' ' if flag else ''}{one_line(err)}", err=True)
                ctx.exit(2)
            except KeyboardInterrupt:
                cached = ctx.meta.get("passeur.cache")
                kept = (f"every sentence translated so far is in the cache ({cached}): run the same command again to go on"
                        if cached else "with --no-cache nothing translated was kept")
                click.echo(f"passeur: interrupted: no output was half-written; {kept}", err=True)
                ctx.exit(130)


@click.group(cls=PasseurGroup, context_settings=CONTEXT)
@click.version_option(api.VERSION, prog_name="passeur")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@bidi_option
def cli(debug):
    """passeur: translate French news into English, Arabic and Hebrew, offline.

    \b
    Example:
        passeur models install fr:en en:ar en:he
        passeur translate article.txt --to en,ar,he
    """


for command in (translate, summarize, brief, glossary, models, cache):
    cli.add_command(command)


def _plugged_commands() -> None:
    """Commands other parts of passeur (`passeur serve`) and other distributions register under the
    entry point group passeur.commands; one that cannot be loaded is left out, with a warning.
    Looked up once, when a command name is not passeur's own or the commands are listed: reading
    every installed distribution's entry points takes some 20 ms, which `passeur translate` spares."""
    from importlib.metadata import entry_points

    for point in entry_points(group=COMMANDS_GROUP):
        if point.name in cli.commands:
            continue
        try:
            command = point.load()
        except Exception as err:  # a broken plug-in must not take the whole command line down
            click.echo(f"passeur: warning: the command {point.name!r} ({point.value}) cannot be loaded: {err}", err=True)
            continue
        if isinstance(command, click.Command):
            cli.add_command(command, point.name)


COMMANDS_GROUP = "passeur.commands"


def main() -> None:
    # SIGTERM (kill, a service manager, a cluster) and SIGHUP stop passeur as Ctrl-C does.
    api.stop_on_signals()
    cli(prog_name="passeur")
