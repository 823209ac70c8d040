"""Finding glossary terms (and verbatim spans) in source sentences.

Terms are found whatever their case (unless the concept is case-sensitive), accents and
elision ("l’armée israélienne", "d’Azure"), and lowercase words take plural and feminine
endings ("armées israéliennes"). Each sentence is searched once; the occurrences found are
carried to protection, restoration and the term check.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from passeur.glossary.folding import fold
from passeur.glossary.model import Concept, Glossary
from passeur.glossary.morph import french
from passeur.verbatim import VERBATIM

VERBATIM_ID = "verbatim"


_HYPHEN = "[-\u2010\u2011\\s]"


def _source_pattern(term: str, concept: Concept, from_singular: bool) -> tuple[str, bool]:
    """(regex on folded text, whether the form shows its number) for a source term.

    Words that take plural and feminine endings get them as optional groups, so that a match
    tells whether the occurrence is plural; an entry written in the plural ("colons", "forces
    armées") is matched from its singular, so that "Un colon" is found too. Words that do not
    change ("prix", "virus", names, acronyms) are matched as written: the words before them tell
    their number."""
    folded = fold(term, concept.case_sensitive)
    if from_singular:
        folded = french.singular_phrase(folded) or folded
    parts, tells = [], False
    for word, written in zip(folded.split(), term.split()):
        piece = re.escape(word)
        lower = word.lower()
        if not concept.dnt and word.isalpha() and word.islower() and len(word) >= 3 and (
                french.changes(lower) or lower.endswith(("al", "au", "eu", "ou"))):
            if lower.endswith("al"):  # "antiviral", "hôpital": plural -aux ("antiviraux", "hôpitaux")
                piece = re.escape(word[:-1]) + r"(?:l(e?s|e)?|(ux))"
            elif lower.endswith(("en", "on")):  # "palestinien": "palestinienne(s)", "espion": "espionne"
                piece += r"(n?e?s|x|n?e)?"
            else:
                piece += r"(e?s|x|e)?"
            tells |= written[:1].islower()
        parts.append(piece.replace(r"\-", _HYPHEN))
    words = folded.split()
    # A term ending in a digit does not end inside a number: "grippe de 1918" is not in "1918-1919".
    number = r"(?![-\u2010-\u2015\u2212.,/]\d)" if words and words[-1][-1:].isdigit() else ""
    # A space and a hyphen between words are one ("Nations unies", "Nations-Unies"; "cessez-le-feu").
    return r"(?<!\w)" + f"(?:\\s|{_HYPHEN})+".join(parts) + r"(?!\w)" + number, tells


# The number of a French occurrence shows in its endings ("armées israéliennes"). When its form
# cannot tell ("virus", "décès", "cas"), the words before it do: a plural determiner, quantifier,
# number, or an adjective that stands before its noun ("les nouveaux virus"). Folded (no accents).
# Adjectives that stand before their noun:
_PRENOMINAL = frozenset("""
beaux belles jolis jolies jeunes vieux vieilles nouveaux nouvelles anciens anciennes bons bonnes
mauvais mauvaises meilleurs meilleures pires gentils gentilles grands grandes petits petites gros
grosses hauts hautes longs longues courts courtes larges premiers premieres derniers dernieres seuls
seules prochains prochaines vrais vraies faux fausses simples pauvres principaux principales""".split())
_PLURAL_BEFORE = _PRENOMINAL | frozenset("""
les des ces mes tes ses nos vos leurs aux plusieurs certains certaines quelques tous toutes autres
memes divers diverses nombreux nombreuses differents differentes tels telles quels quelles lesquels
lesquelles auxquels auxquelles desquels desquelles deux trois quatre cinq six sept huit neuf dix onze
douze treize quatorze quinze seize vingt vingts trente quarante cinquante soixante cent cents mille
zero""".split())
# Singular determiners: after them a form that cannot tell is singular, whatever follows.
_SINGULAR_BEFORE = frozenset("le la l un une du au ce cet cette mon ton son ma ta sa notre votre leur chaque "
                             "quel quelle".split())
# Other words ending in -s or -x after which a term is not modifying a noun: prepositions,
# adverbs, pronouns, conjunctions, a few verbs.
_FUNCTION_WORDS = frozenset("""
dans sous sans vers chez depuis hors apres pres tres plus moins pas jamais alors puis ainsi parfois
toujours mais nous vous ils elles eux lors es as suis vas fais dis peux veux sais dois vais vois avons
sommes etes""".split())
# Numbers written as words, for languages whose nouns agree with the count itself (Arabic).
_NUMBERS = {"zero": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
            "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
            "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
            "cents": 100, "mille": 1000, "million": 10**6, "milliard": 10**9}
# After these, either number is right in the translation ("aucun otage": "no hostages were freed").
_EITHER = frozenset("aucun aucune nul nulle sans".split())
# Quantities before "de" that count: "un million de décès", "beaucoup de virus" ("peu de" and "pas
# de" can be either: "un peu de virus").
_QUANTITY = frozenset("""
beaucoup plus moins trop assez tant autant combien nombre nombres majorite minorite
millier milliers million millions milliard milliards centaine centaines dizaine dizaines douzaine
douzaines""".split())
# Words after which a plural word is likely an adjective before its noun: adverbs of degree
# ("les plus graves épidémies") and "de", which replaces "des" there ("d'importantes restrictions").
_ADJECTIVE_AFTER = frozenset("plus moins tres si aussi trop assez bien fort de d".split())
# The three words before a term, read backwards from it (one match attempt, so linear): "d'", "de ".
_WORDS_BEFORE = re.compile(r"(?:\s*'|\s+)(\w+)(?:(?:\s*'|\s+)(\w+)(?:(?:\s*'|\s+)(\w+))?)?")
_WORD_AFTER = re.compile(r"\s+(\w+)")


def _count(word: str) -> int | None:
    return int(word) if word.isdecimal() and len(word) < 10 else _NUMBERS.get(word)


def _number(folded: str, start: int, end: int, plural: bool, tells: bool = False) -> tuple[bool, bool, int | None, bool]:
    """(plural, modifier, count, certain) for a term at folded[start:end], given whether its own form
    is plural and whether its form shows its number at all (`tells`: "colon" does, "prix", "virus"
    and "Ehpad" do not): the fields of an Occurrence. Where the form cannot tell, the words before
    it do: a determiner, a number, a quantity ("les Ehpad", "trois prix", "beaucoup de virus").

    A plural term right after a plural noun modifies it, as adjectives and nouns in apposition do
    in French ("lingettes désinfectantes", "candidats vaccins", "pays membres")."""
    found = _WORDS_BEFORE.match(folded[max(0, start - 80):start][::-1])
    word, before, third = ([w[::-1].lower() for w in found.groups(default="")] if found else ["", "", ""])
    # The count skips an adjective and "de": "20 nouveaux cas", "un million de décès", "50 millions de morts".
    counted, next_word = (before, third) if word in _PRENOMINAL or word in ("de", "d") else (word, before)
    count = _count(counted)
    if count is None and counted in ("millions", "milliards") and _count(next_word) is not None:
        count = 10**6
    certain = True
    if not plural and not tells:  # "virus", "décès", "Ehpad": the form cannot tell
        after = _WORD_AFTER.match(folded, end, end + 60)
        following = after.group(1).lower() if after else ""
        plural = (word in _PLURAL_BEFORE or (count is not None and count != 1)
                  or (word in ("de", "d") and before in _QUANTITY)
                  or (before in _ADJECTIVE_AFTER and third in _PLURAL_BEFORE)  # "les plus dangereux virus"
                  # Without a determiner (a headline), the adjective after it tells: "Virus mortels détectés".
                  or (len(following) >= 4 and following.isalpha() and following.endswith(("s", "x"))
                      and following not in _PLURAL_BEFORE and following not in _FUNCTION_WORDS
                      and word not in _SINGULAR_BEFORE))
        certain = plural or word in _SINGULAR_BEFORE or count == 1
    if word in _EITHER:
        certain = False  # "aucun otage": "no hostage" and "no hostages" are both English
    modifier = (plural and len(word) >= 3 and word.isalpha() and word.endswith(("s", "x"))
                and word not in _PLURAL_BEFORE and word not in _FUNCTION_WORDS and before not in _ADJECTIVE_AFTER)
    return plural, modifier, count, certain


@dataclass(frozen=True)
class Occurrence:
    concept: Concept
    start: int
    end: int
    text: str
    plural: bool = False  # a plural variant, a plural ending ("armées israéliennes") or determiner ("les virus")
    modifier: bool = False  # plural and right after a plural noun ("lingettes désinfectantes")
    count: int | None = None  # the number before it ("20 morts": 20; "un million de décès": 1,000,000)
    certain: bool = True  # False where nothing tells ("Décès en hausse", "aucun cas"): either number is right

    def plural_in(self, lang: str) -> bool:
        """Whether the target form is plural. The source's number carries over, except that:

        - an English noun or adjective before another noun never takes the plural: "lingettes
          désinfectantes" is "disinfectant wipes", "candidats vaccins" "vaccine candidates"
          (Arabic and Hebrew modifiers agree in number, so they keep it);
        - an Arabic noun counted by a number is plural only after 3 to 10 (103, 210 too): "ثلاثة
          مستشفيات", but "20 حالة", "مئة حالة", "مليون وفاة" (and the dual, after 2, is no plural)."""
        if lang == "ar" and self.count is not None:
            return 3 <= self.count % 100 <= 10
        return self.plural and not (self.modifier and lang == "en")


def _ligature(term: str) -> str:
    """A term's other spelling of œ: "sœur" → "soeur", "soeur" → "sœur"."""
    if "œ" in term.lower():
        return term.replace("œ", "oe").replace("Œ", "Oe")
    return re.sub(r"oe(?=[uil])", "œ", term)  # "coeur", "voeu", "oeil", "manoeuvre": not "poème"


_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def _accented(ch: str) -> bool:
    return len(unicodedata.normalize("NFD", ch)) > 1 and ch.isalpha()


def _accents_agree(text: str, term: str) -> bool:
    """Whether a match keeps the term's accents where the text has some: text typed without accents
    ("Israel", "ETATS-UNIS") finds "Israël", "États-Unis", but an accented letter is meant, so
    "côlon" is not "colon", nor "marché" "marche" (the words of each are compared from their start)."""
    if not any(_accented(ch) for ch in text):
        return True
    for text_word, term_word in zip(re.split(r"[\s\-\u2010\u2011']+", text), re.split(r"[\s\-\u2010\u2011']+", term)):
        for a, b in zip(text_word, term_word):
            if _accented(a) and a.lower() != b.lower():
                return False
    return True


def verbatim_concept(source: str, text: str) -> Concept:
    return Concept(VERBATIM_ID, {source: (text,)}, dnt=True, case_sensitive=True)


class TermMatcher:
    """Finds the source terms of a glossary, and verbatim spans, in sentences: leftmost, then
    longest, then the form as written before an inflected one ("pâtes" is the concept written
    "pâtes", not the plural of "pâte"), never overlapping.

    Terms are indexed by their first three (folded) characters and each variant's pattern is
    compiled when a sentence first offers its key, so a glossary of ten thousand concepts
    costs what its candidate terms cost, not one giant alternation.
    """

    KEY = 3

    def __init__(self, glossary: Glossary, verbatim: bool = True):
        self.glossary = glossary
        self.verbatim = verbatim
        self.french = glossary.source == "fr"  # the rules that read the words before a term are French
        # case-sensitive? -> first letters -> (term, concept, listed plural, its singular if it may be a plural,
        # whether another variant is that singular)
        Entry = tuple[str, Concept, bool, "str | None", bool]
        self._index: dict[bool, dict[str, list[Entry]]] = {False: {}, True: {}}
        self._capitals: dict[str, list[Entry]] = {}  # case-sensitive terms, by lowercase key
        self._compiled: dict[tuple[str, int, bool], tuple[re.Pattern, bool]] = {}
        for concept in glossary.concepts:
            # Terms in composed form, as the text is read: "ho\u0302pital" typed in a cell is "hôpital".
            forms = [(unicodedata.normalize("NFC", term), False) for term in concept.terms.get(glossary.source, ())]
            forms += [(unicodedata.normalize("NFC", term), True) for term in concept.plurals.get(glossary.source, ())]
            forms += [(unicodedata.normalize("NFC", term), False) for term in concept.singulars.get(glossary.source, ())]
            # "œ" and "oe" are one spelling: "sœur" and "soeur", "vœux" and "voeux".
            forms += [(_ligature(term), plural) for term, plural in forms if _ligature(term) != term]
            keys = [fold(term, concept.case_sensitive) for term, _ in forms]
            written = set(keys)
            bases: set[str] = set()
            for (term, plural), key in zip(forms, keys):
                # An entry written in the plural, or a variant that is another in the plural ("médicament
                # antiviral | médicaments antiviraux"), is matched from its singular: "colon" in "colons".
                # Whether the entry is plural (English first: a library call) is asked when a sentence
                # first offers the term's letters, not here for every concept.
                single = french.singular_phrase(key) if self.french and not concept.dnt else None
                sure = single is not None and single in written
                if ((single if sure else key), plural) in bases:
                    continue  # the same pattern already
                bases.add(((single if sure else key), plural))
                entry = (term, concept, plural, single, sure)
                for first in dict.fromkeys((key[: self.KEY], (single or key)[: self.KEY])):
                    self._index[concept.case_sensitive].setdefault(first, []).append(entry)
                    if concept.case_sensitive:
                        self._capitals.setdefault(first.lower(), []).append(entry)
        self._key_lengths = sorted({len(k) for index in self._index.values() for k in index})

    def _pattern(self, term: str, concept: Concept, single: str | None, sure: bool,
                 capitals: bool = False) -> tuple[re.Pattern, bool]:
        """A term's pattern, compiled the first time a sentence offers its key; `capitals`: a
        case-sensitive term matched in a text in capitals."""
        cache_key = (term, id(concept), capitals)
        if cache_key not in self._compiled:
            from_singular = single is not None and (sure or concept.plural_entry(self.glossary.source))
            regex, tells = _source_pattern(term, concept, from_singular)
            self._compiled[cache_key] = (re.compile(regex, re.IGNORECASE if capitals else 0), tells)
        return self._compiled[cache_key]

    def find(self, sentence: str) -> list[Occurrence]:
        if _INVISIBLE.search(sentence):
            # A soft hyphen or zero-width space (pasted from a CMS: "Cis\u00adjordanie") hides no term:
            # the sentence is searched without them, and each occurrence spans them in the original.
            kept = [i for i, ch in enumerate(sentence) if not _INVISIBLE.match(ch)]
            stripped = "".join(sentence[i] for i in kept)
            return [dataclasses.replace(o, start=kept[o.start], end=kept[o.end - 1] + 1,
                                        text=sentence[kept[o.start]:kept[o.end - 1] + 1])
                    for o in self._find(stripped)]
        return self._find(sentence)

    def _find(self, sentence: str) -> list[Occurrence]:
        found: list[tuple[Occurrence, int]] = []
        # Case-insensitive concepts on the lowercased text; case-sensitive ones as written, and in
        # capitals too where the text is in capitals ("GAZA : TSAHAL FRAPPE", a headline).
        passes = [(False, self._index[False], False), (True, self._index[True], False)]
        if self._index[True] and any(ch.isupper() for ch in sentence):
            passes.append((False, self._capitals, True))
        for case, index, capitals in passes:
            if not index:
                continue
            folded = fold(sentence, case)
            for start in range(len(folded)):
                if folded[start].isspace() or (start and folded[start - 1].isalnum()):
                    continue  # terms begin at a word (or sign) boundary
                if capitals and not sentence[start].isupper():
                    continue
                for length in self._key_lengths:
                    for term, concept, listed_plural, single, sure in index.get(folded[start:start + length], ()):
                        pattern, tells = self._pattern(term, concept, single, sure, capitals)
                        match = pattern.match(folded, start)
                        if not match or not _accents_agree(sentence[start:match.end()], term) or (
                                capitals and any(ch.islower() for ch in sentence[start:match.end()])):
                            continue
                        ending = any(ending and ending[-1] in "sx" for ending in match.groups())
                        plural = listed_plural or ending
                        number = (_number(folded, start, match.end(), plural, tells or listed_plural)
                                  if self.french else (plural, False, None, True))
                        text = sentence[start:match.end()]
                        # The form as written first, accents too ("marche" is the concept written
                        # "marche" before the one written "marché"), then as written but for accents.
                        rank = 0 if text.casefold() == term.casefold() else 1 if match.group() == fold(term, case) else 2
                        found.append((Occurrence(concept, start, match.end(), text, *number), rank))
        if self.verbatim:
            found += [(Occurrence(verbatim_concept(self.glossary.source, m.group()), m.start(), m.end(), m.group()), 0)
                      for m in VERBATIM.finditer(sentence)]
        # Leftmost first; at one position the longest; then a form as written; a verbatim span (a URL)
        # beats a term inside it.
        found.sort(key=lambda item: (item[0].start, -(item[0].end - item[0].start), item[1],
                                     item[0].concept.id != VERBATIM_ID))
        kept: list[Occurrence] = []
        for occurrence, _ in found:
            if not kept or occurrence.start >= kept[-1].end:
                kept.append(occurrence)
        return kept
