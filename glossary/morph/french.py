"""French: the number of a glossary entry and the singular it is matched from.

A French noun phrase marks its number on each word up to its first preposition ("forces
armées", "prisonniers de guerre"). An entry written in the plural is matched from its singular
with the plural endings optional, so that "colons" finds "Un colon" too, and the ending an
occurrence carries tells its number. Words that do not change in the plural (a small lexicon:
"prix", "virus", "décès"; nouns ending in -z or -x; names and acronyms) are matched as written,
and the words before them (determiners, numbers, quantities) tell their number.

Words here are folded (lowercase, no accents), as matching sees them.
"""

from __future__ import annotations

from passeur.glossary.morph.plain import ATTACHMENTS, attach, listed_forms as forms, pattern  # noqa: F401

# Nouns and adjectives ending in -s, -x or -z in the singular: the same in both numbers.
INVARIABLE = frozenset("""
abces acces agres ananas anis appas avis bas bras buis cadenas canevas cas chaos chassis choix colis
compas concours congres corps cours cypres debarras debris deces decours devis discours dos embarras
enclos engrais epais exces expres fils fois fracas frais gachis glas gras gros haras hachis heros jus
lambris lilas logis mais marais matelas mepris mois os paradis parcours pardessus pays permis poids
pouls proces progres propos puits radis rabais recours refus relais remords repas repos rubis sas
secours semis souris succes sursis taillis talus tamis tapis taudis temps tiers tournevis travers
treillis vernis abus blocus bonus bus cactus campus consensus corpus cursus detritus focus fungus humus
hiatus lapsus lotus minibus autobus obus omnibus opus papyrus plexus prospectus rebus rictus sinus
stimulus terminus thymus tonus typhus uterus virus processus sida gaz nez riz quiz
""".split())
# Plural-only nouns: no singular to match.
PLURAL_ONLY = frozenset("""
gens moeurs frais obseques funerailles fiancailles environs alentours tenebres vivres pourparlers
represailles honoraires arrhes affres annales armoiries decombres entrailles condoleances agissements
""".split())
_AIL = {"travaux": "travail", "baux": "bail", "coraux": "corail", "emaux": "email", "soupiraux": "soupirail",
        "vantaux": "vantail", "vitraux": "vitrail"}
_OU = frozenset("bijoux cailloux choux genoux hiboux joujoux poux".split())
_EU = frozenset("jeux feux lieux enjeux neveux cheveux voeux aveux milieux adieux epieux".split())
_AU = frozenset("tuyaux boyaux noyaux joyaux fleaux preaux sarraux etaux".split())
# Words after which a phrase's words no longer agree with its head: "prisonniers de guerre".
PREPOSITIONS = frozenset("de d du des a au aux en pour contre sur sous avec sans par entre chez".split())


def changes(word: str) -> bool:
    """Whether a folded singular word takes a plural ending: a lowercase word of three letters or
    more, not ending in -s, -x or -z, not in the lexicon of invariable and plural-only nouns."""
    return (len(word) >= 3 and word.isalpha() and word.islower() and not word.endswith(("s", "x", "z"))
            and word not in INVARIABLE and word not in PLURAL_ONLY)


def singular(word: str) -> str | None:
    """The singular of a folded plural word ("colons" → "colon", "hopitaux" → "hopital", "bureaux" →
    "bureau"); None when the word is not a plural (or cannot show it)."""
    if len(word) < 4 or not word.isalpha() or not word.islower() or word in INVARIABLE or word in PLURAL_ONLY:
        return None
    if word in _AIL:
        return _AIL[word]
    if word.endswith("eaux") or word in _AU or word in _OU or word in _EU:
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith(("x", "z", "ss")):
        return None
    if word.endswith("s"):
        return word[:-1]
    return None


def singular_phrase(phrase: str, lowercase_only: str | None = None) -> str | None:
    """The singular of a folded plural phrase, word by word up to its first preposition; None when
    the phrase is not plural. With `lowercase_only` (the phrase as written), words written with a
    capital (names, acronyms: "Nations unies") are kept as they are."""
    folded = phrase.split()
    written = lowercase_only.split() if lowercase_only is not None else folded
    out, changed = [], False
    for index, (word, as_written) in enumerate(zip(folded, written)):
        if word in PREPOSITIONS and index:
            out += folded[index:]
            break
        single = None if as_written[:1].isupper() and lowercase_only is not None else singular(word)
        changed |= single is not None
        out.append(single or word)
    return " ".join(out) if changed else None
