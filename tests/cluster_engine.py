"""The echo engine as a cluster test sees it from outside the workers: every sentence it translates is
logged (PASSEUR_TEST_LOG_DIR/log.txt, one line per sentence and pair, with the worker's pid); a
sentence with KILL-WORKER kills its worker process once (the file `killed` says it happened); one
with FAIL-ALWAYS raises, and each try is logged."""

from __future__ import annotations

import os
from pathlib import Path

from echo_engine import EchoEngine


class LoggedEngine(EchoEngine):
    name = "logged"

    def translate(self, sentences, source, target, progress=None):
        folder = Path(os.environ["PASSEUR_TEST_LOG_DIR"])
        if any("KILL-WORKER" in s for s in sentences) and not (folder / "killed").exists():
            (folder / "killed").write_text(str(os.getpid()))
            os._exit(1)  # as a machine lost mid-article: no exception, no clean-up
        with open(folder / "log.txt", "a", encoding="utf-8") as log:
            if any("FAIL-ALWAYS" in s for s in sentences):
                log.write(f"{os.getpid()}\tfailed\t{source}>{target}\n")
                raise RuntimeError("this sentence cannot be translated")
            log.write("".join(f"{os.getpid()}\t{source}>{target}\t{s}\n" for s in sentences))
        return super().translate(sentences, source, target, progress)
