"""The exceptions passeur's library raises.

Every message is one line that names the thing at fault and says what to do; the command
line prints it as it is and exits with code 2.
"""


class PasseurError(Exception):
    """Base of every error passeur reports to its user."""


class InputError(PasseurError):
    """An article, glossary or option the user gave cannot be used as it is."""


class ModelError(PasseurError):
    """A translation model is missing, corrupt, or cannot be fetched."""


class EngineError(PasseurError):
    """A translation engine is unknown or cannot run."""

