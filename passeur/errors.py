"""The exceptions and warnings passeur's library raises.

Every message is one line that names the thing at fault and says what to do; the command
line prints it as it is and exits with code 2. Warnings go through Python's `warnings`
module, so a library user sees them too and the command line prints them as one line each.
"""

from __future__ import annotations


class PasseurError(Exception):
    """Base of every error passeur reports to its user.

    `argument`, when set, names the argument of the library call that was at fault ("targets",
    "source", "lang"): the message itself never names a command-line flag, so that each front end
    (the command line, the server) can say it in its own words.
    """

    def __init__(self, *args, argument: str | None = None):
        super().__init__(*args)
        self.argument = argument


class InputError(PasseurError):
    """An article, glossary, option or setting the user gave cannot be used as it is."""


class ModelError(PasseurError):
    """A translation model is missing, corrupt, or cannot be fetched."""


class EngineError(PasseurError):
    """A translation engine is unknown or cannot run."""


class PasseurWarning(UserWarning):
    """Something the user should know that does not stop the work (e.g. the cache is set aside)."""


def warn(message: str) -> None:
    import warnings

    warnings.warn(PasseurWarning(message), stacklevel=2)
