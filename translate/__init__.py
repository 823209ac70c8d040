"""passeur's translation library: articles, segmentation, engines, models, pivoting.

Importing it is cheap: CTranslate2, SentencePiece and numpy load when a model first runs.
"""

__version__ = "0.1.0"

# Engine name -> "module:Class". Built-in engines are imported only when chosen; others
# register through the entry point group `passeur.engines` (see translate.engine).
ENGINES = {
    "argos": "translate.argos:ArgosEngine",
}
