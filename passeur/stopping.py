"""SIGTERM and SIGHUP stop passeur as Ctrl-C does: every `finally` runs, so no temporary file is
left behind, and the exit status is the signal's (143 for SIGTERM).

The handler raises SystemExit. Python runs a signal handler wherever the main thread happens to
be, and an exception raised inside a weakref callback or a finalizer (an import's module-lock
callback, a `__del__`) is printed and dropped: the process would go on as if never told to stop.
`sys.unraisablehook` sees such a dropped exit and sends the signal again, from a thread a moment
later, so that it lands once the callback has returned (and again, should it be dropped again).
"""

from __future__ import annotations

import os
import signal
import sys
import threading

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _dropped(unraisable) -> None:
    exit_ = unraisable.exc_value
    if isinstance(exit_, SystemExit) and isinstance(exit_.code, int) and exit_.code - 128 in SIGNALS:
        threading.Timer(0.05, os.kill, (os.getpid(), exit_.code - 128)).start()
        return
    _previous_hook(unraisable)


_previous_hook = sys.unraisablehook


def install(only_over_default: bool = False) -> dict:
    """Installs `stop` for SIGTERM and SIGHUP (in the main thread only; with `only_over_default`,
    only where the signal's default action would have applied). Returns the handlers replaced."""
    previous = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    if sys.unraisablehook is not _dropped:
        global _previous_hook
        _previous_hook = sys.unraisablehook
        sys.unraisablehook = _dropped
    for number in SIGNALS:
        if only_over_default and signal.getsignal(number) != signal.SIG_DFL:
            continue
        try:
            previous[number] = signal.signal(number, stop)
        except (ValueError, OSError):
            pass
    return previous
