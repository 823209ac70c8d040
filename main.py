"""`python main.py …` does what `passeur …` does (the command line lives in passeur.cli)."""

import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        import passeur.translate  # noqa: F401  (installed: passeur.translate maps onto ./translate)
    except ImportError:
        # A source checkout that was not installed: map passeur.translate etc. onto the folders here.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import passeur

        passeur.__path__.append(str(Path(__file__).resolve().parent))
    from passeur.cli import main

    sys.exit(main())
