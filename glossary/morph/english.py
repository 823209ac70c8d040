"""English: the number of a term, its other number (the `inflect` library, imported when first
needed), and the article before it.

A term's own number is detected: "settlers" is plural (its singular "settler"), "settler" singular
(its plural "settlers"), so an entry can be written in either number. Names and acronyms keep
their form ("IDF", "Gaza Strip"), except plural acronyms ("NGOs") and nationality nouns
("Palestinians", "Israeli"). Mass nouns ("medical care", "data", "police") and nouns with one form
for both numbers ("headquarters", "series", "people") are invariable, from a lexicon where the
library does not know: inflect pluralises a plural ("settlerss") and singularises a mass noun
("datum"). Adjectives, participles and verbs ("contagious", "infected") take no plural. In a
phrase with "of", the head before it takes the number ("prisoners of war").
"""

from __future__ import annotations

import re
from functools import lru_cache

from passeur.glossary.morph import Forms, words
from passeur.glossary.morph.plain import listed_forms

ATTACHMENTS: tuple[str, ...] = ()

# Endings of English words that do not take a plural -s: participles, adjectives, verbs.
NOT_NOUN = ("ed", "ing", "ous", "ive", "able", "ible", "ful", "less", "ic", "ical", "ary", "atory")
VERB = ("ize", "ise")  # "hospitalize", "mobilise"; not "prize", "size", "noise" (short words)
# Nouns among them that do: the exceptions newsrooms meet.
NOUNS = frozenset("""
epidemic pandemic clinic topic critic mechanic relative representative detective executive initiative
objective directive secretary dignitary emissary adversary laboratory anniversary summary boundary library
itinerary beneficiary mercenary missionary vocabulary commentary documentary dictionary constituency thing
building meeting briefing hearing ruling warning wedding bombing shooting killing uprising offensive explosive
operative hostage militant exercise enterprise franchise compromise premise expertise captive native fugitive
incentive alternative perspective collective narrative motive archive sedative conservative""".split())
# Capitalised nouns that are counted: titles ("Prime Ministers", "Members of the Knesset").
TITLES = frozenset("""
minister member president secretary senator deputy ambassador general commander governor mayor judge director
chancellor officer chief envoy spokesman spokeswoman spokesperson prosecutor king queen prince emir sheikh
rabbi imam bishop cardinal mp""".split())
# Singular nouns ending in -s that the library would take for plurals ("gas" is not "ga"s).
SINGULAR_S = frozenset("""
gas bias alias atlas canvas pancreas chaos cosmos ethos pathos kudos lens iris penis pelvis tennis""".split())
# Plurals the library gets wrong: "mine" is no pronoun here ("mines", not "ours").
IRREGULAR = {"mine": "mines", "thief": "thieves", "passer-by": "passers-by", "passerby": "passersby",
             "looker-on": "lookers-on"}
# One form for both numbers: mass nouns ("medical care", "des soins médicaux"), nouns with one
# form ("headquarters", "series"), plural-only nouns ("data", "police", "people"), and illnesses
# that are not counted ("pneumonia" is: "other pneumonias").
INVARIABLE = frozenset("""
advice aid assistance baggage care clothing damage equipment evidence feedback food footage furniture
guidance health help homework hospitality housing immunity information infrastructure intelligence
knowledge legislation luggage machinery mail money news personnel pollution poverty progress research
safety security shelter software staff traffic training transport travel unemployment violence weather
welfare work
asthma bronchitis cholera dementia diabetes diarrhea diarrhoea hepatitis hypertension influenza flu
malaria measles meningitis mumps obesity polio rabies sepsis smallpox tuberculosis typhoid
data media police headquarters series species aircraft spacecraft sheep fish deer offspring
livestock cattle crossroads barracks whereabouts means clothes politics economics physics ethics
statistics mathematics thanks goods remains premises surroundings belongings outskirts proceeds
scissors trousers jeans pants pyjamas pajamas glasses binoculars congress corps arms talks affairs savings
earnings customs quarters""".split())
# Nationality and group nouns are capitalised, yet counted: "a Palestinian", "two Israelis".
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians?|ans?|is?|ites?|ese|ists?)$")
_PREPOSITIONS = frozenset("of in for on at to from with by under against".split())


@lru_cache(maxsize=1)
def _engine():
    # inflect wraps its methods in typeguard's @typechecked, which rewrites each one when the module
    # is imported (1.7 s, measured with -X importtime), and importing typeguard itself takes 0.06 s
    # (it brings in asyncio and unittest.mock). passeur calls inflect with plain strings only, so
    # while inflect is imported it sees a typeguard whose decorator is a pass-through; a typeguard
    # imported before, or after (by anyone else), is the real one.
    import sys
    import types

    stand_in = types.ModuleType("typeguard")
    stand_in.typechecked = lambda target=None, **options: target if target is not None else (lambda f: f)
    real = sys.modules.get("typeguard")
    sys.modules["typeguard"] = stand_in
    try:
        import inflect
    finally:
        if real is not None:
            sys.modules["typeguard"] = real
        else:
            del sys.modules["typeguard"]
    return inflect.engine()


def head_noun(term: str) -> tuple[str, str, str]:
    """(words before the head, the head noun, what follows it): the head is the last word before a
    preposition ("prisoners of war": "prisoners"), else the last word."""
    parts = term.split(" ")
    end = next((i for i, w in enumerate(parts) if i and w.lower() in _PREPOSITIONS), len(parts))
    before, head, after = parts[:end - 1], parts[end - 1], parts[end:]
    return " ".join(before), head, " ".join(after)


def _countable(head: str) -> bool:
    parts = head.split("-")
    if not all(part.isalpha() for part in parts):
        return False
    if len(parts) > 1:  # "asylum-seeker", "commander-in-chief", "passer-by": the noun among the parts
        return _countable(parts[0] if parts[1].lower() in _PREPOSITIONS | {"by", "on"} else parts[-1])
    if head[:1].isupper():
        return bool(_DEMONYM.match(head)) or head.lower() in TITLES
    lower = head.lower()
    return lower not in INVARIABLE and (lower in NOUNS or not (lower.endswith(NOT_NOUN)
                                                                or len(lower) >= 8 and lower.endswith(VERB)))


def _plural(word: str) -> str | None:
    """The library's plural, where it is a plural of this word (not a pronoun's: "mine" → "ours")."""
    if word.lower() in IRREGULAR:
        plural = IRREGULAR[word.lower()]
        return word[:1] + plural[1:] if word[:1].isupper() else plural
    plural = _engine().plural_noun(word) or None
    return plural if plural and plural[:1].lower() == word[:1].lower() else (word + "s" if plural else None)


@lru_cache(maxsize=8192)
def number(term: str) -> tuple[str, str | None, str | None]:
    """(kind, singular, plural) of a term: kind is "singular", "plural" or "invariable"; the other
    number's form is None where the term has none."""
    before, head, after = head_noun(term)

    def whole(word: str) -> str:
        return " ".join(p for p in (before, word, after) if p)

    if head.isupper() and len(head) > 1 or not head:
        return "invariable", term, term  # IDF, WHO
    if len(head) > 2 and head.endswith("s") and head[:-1].isupper():
        return "plural", whole(head[:-1]), term  # NGOs
    lower = head.lower()
    if (head[:1].isupper() and head.endswith("s") and not head.endswith("ss") and _countable(head[:-1])
            and _plural(head[:-1]) == head):
        return "plural", whole(head[:-1]), term  # Israelis, Iraqis, Palestinians
    if not _countable(head):
        return "invariable", term, term
    if lower not in SINGULAR_S and not lower.endswith(("ss", "us", "is", "ics")):
        single = _engine().singular_noun(head)
        if (single and single != head and _plural(single) == head and single.lower() not in INVARIABLE
                and len(single) > 2):
            return "plural", whole(single), term
    plural = _plural(head)
    return "singular", term, whole(plural) if plural and plural != head else None


def forms(cells: tuple[str, ...], singulars: tuple[str, ...], plurals: tuple[str, ...], entry_plural: bool) -> Forms:
    """Each variant in its own number, the other generated; listed forms first."""
    single, many = list(singulars), list(plurals)
    for cell in cells:
        kind, one, more = number(cell)
        if kind == "plural" and not singulars and one:
            single.append(one)
        if kind != "plural":
            single.append(cell)
        if kind != "singular":
            many.append(cell)
        elif more and not plurals:
            many.append(more)
    if not cells:
        return listed_forms((), singulars, plurals, entry_plural)
    return Forms(tuple(dict.fromkeys(single)), tuple(dict.fromkeys(many)))


def plural(term: str) -> str | None:
    """The plural of a term ("symptom" → "symptoms"), None for one that takes none."""
    kind, _, more = number(term)
    return more if kind == "singular" else None


def indefinite(article: str, word: str) -> str:
    """English a/an before word (by its first letter: a good guess for names and acronyms aside)."""
    if article.lower() not in ("a", "an"):
        return article
    first = word.split(" ", 1)[0].strip("\"'“‘«")
    if 1 < len(first) <= 3 and first.isupper():  # read letter by letter: "an NGO", "an IDF", "a UN"
        wanted = "an" if first[0] in "AEFHILMNORSX" else "a"
    else:
        wanted = "an" if word[:1].lower() in "aeiou" else "a"
    return wanted.capitalize() if article[0].isupper() else wanted


_A_BEFORE = re.compile(r"(?<![\w-])(an?|An?|AN?) $")


def agree(before: str, term: str) -> str:
    """The text before a restored term, its a/an agreeing with the term ("a NGO" → "an NGO" is left to
    the letter rule: "a IDF" → "an IDF")."""
    found = _A_BEFORE.search(before)
    return before[:found.start(1)] + indefinite(found.group(1), term) + " " if found else before


def pattern(folded: str, articles: bool = False, common: bool = True) -> str:
    article = r"(?:(?P<article>(?i:the|an|a))\s+)?" if articles else ""
    return rf"(?<!\w){article}(?P<prefix>)(?P<form>{words(folded)})(?!\w)"


def attach(prefix: str, term: str, common: bool = False) -> str:
    return f"{prefix} {term}" if prefix else term
