"""English plurals of glossary terms, with the `inflect` library (imported only when needed).

Only common nouns are inflected: a lowercase preferred form whose last word does not look like
an adjective, participle or verb ("infected", "contagious", "hospitalize" stay as they are) and is
not a mass noun ("medical care", "malaria").
Names and acronyms ("IDF", "Gaza Strip") keep their form. A newsroom that wants another plural,
or plurals in Arabic and Hebrew, lists them in the glossary's plural:LANG column.
"""

from __future__ import annotations

from functools import lru_cache

# Endings of English words that do not take a plural -s: participles, adjectives, verbs.
NOT_NOUN = ("ed", "ing", "ous", "ive", "able", "ible", "ful", "less", "ize", "ise", "ic", "ical", "ary", "atory")
# Nouns among them that do: the exceptions newsrooms meet.
NOUNS = {"epidemic", "pandemic", "clinic", "topic", "critic", "mechanic", "relative", "representative",
         "detective", "executive", "initiative", "objective", "directive", "secretary", "dignitary",
         "emissary", "adversary", "laboratory", "anniversary", "summary", "boundary", "library", "itinerary",
         "beneficiary", "mercenary", "missionary", "vocabulary", "commentary", "documentary", "dictionary",
         "constituency", "thing", "building", "meeting", "briefing", "hearing", "ruling", "warning", "wedding",
         "bombing", "shooting", "killing", "uprising", "offensive", "explosive", "operative", "hostage"}


# Nouns English uses as mass nouns, whatever the number in French ("des soins médicaux" is
# "medical care"): general ones, then illnesses that are not counted ("pneumonia" is: "other
# pneumonias").
UNCOUNTABLE = {"advice", "aid", "assistance", "baggage", "care", "clothing", "damage", "equipment", "evidence",
               "feedback", "food", "footage", "furniture", "guidance", "health", "help", "homework",
               "hospitality", "housing", "immunity", "information", "infrastructure", "intelligence", "knowledge",
               "legislation", "luggage", "machinery", "mail", "money", "news", "personnel", "pollution", "poverty",
               "progress", "research", "safety", "security", "shelter", "software", "staff", "traffic", "training",
               "transport", "travel", "unemployment", "violence", "weather", "welfare", "work",
               "asthma", "bronchitis", "cholera", "dementia", "diabetes", "diarrhea", "diarrhoea", "hepatitis",
               "hypertension", "influenza", "flu", "malaria", "measles", "meningitis", "mumps", "obesity",
               "polio", "rabies", "sepsis", "smallpox", "tuberculosis", "typhoid"}


def inflectable(term: str) -> bool:
    """Whether a term looks like a common noun phrase (its last word a countable noun)."""
    words = term.split()
    last = words[-1] if words else ""
    return (bool(last) and last.isalpha() and last.islower() and last not in UNCOUNTABLE
            and (last in NOUNS or not last.endswith(NOT_NOUN)))


@lru_cache(maxsize=4096)
def english_plural(term: str) -> str | None:
    """'symptom' -> 'symptoms', 'case fatality rate' -> 'case fatality rates', 'child' -> 'children';
    None for a term that takes no plural."""
    if not inflectable(term):
        return None
    return _engine().plural_noun(term) or None


@lru_cache(maxsize=1)
def _engine():
    # inflect wraps its methods in typeguard's @typechecked, which rewrites each one when the module
    # is imported (1.7 s, measured with -X importtime). passeur calls it with plain strings only, so
    # the decorator is made a pass-through while inflect is imported: 0.05 s.
    import typeguard

    typechecked = typeguard.typechecked
    typeguard.typechecked = lambda target=None, **options: target if target is not None else (lambda f: f)
    try:
        import inflect
    finally:
        typeguard.typechecked = typechecked
    return inflect.engine()
