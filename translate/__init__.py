"""passeur's translation library: reading articles, segmentation, engines, models, pivoting, cache.

Importing it is cheap: CTranslate2, SentencePiece and numpy load when a model first runs.
"""

# Engine name -> "module:Class". Built-in engines are imported only when chosen; others
# register through the entry point group `passeur.engines` (see passeur.translate.engine).
ENGINES = {
    "argos": "passeur.translate.argos:ArgosEngine",
}
DEFAULT_ENGINE = "argos"
