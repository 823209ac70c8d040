"""Where passeur and argostranslate keep their files, by the XDG rules both follow."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping


def home(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("HOME") or Path.home())


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME, else ~/.local/share."""
    return Path(environ.get("XDG_DATA_HOME") or home(environ) / ".local" / "share")


def config_home(environ: Mapping[str, str] = os.environ) -> Path:
    """$XDG_CONFIG_HOME, else ~/.config."""
    return Path(environ.get("XDG_CONFIG_HOME") or home(environ) / ".config")
