"""French-aware sentence segmentation, offline and rule-based.

Every later stage (translation, term checks, summaries, diffs) works on the list of
sentences made here: sentence i of the French is sentence i of every translation. The
rules are those of French news typography: abbreviations (M., Mme, Dr, art., janv.),
initials and acronyms (J. K. Rowling, U.S.), decimals (6,5 %, 3.5), ellipses that do or do
not end a sentence, French quotes (« … ») and the space before ? and !.

Sentences are exact substrings of the paragraph: joining them with single spaces gives the
paragraph back, modulo whitespace. Nothing is ever dropped or rewritten here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# A candidate end: terminal punctuation, then any closing quotes or brackets, then space.
# French sets » and ” apart with a (no-break) space: "fini. »". A straight " after a space is
# the opening quote of the next sentence, so only » and ” may follow a space here.
# Scraped text also glues sentences together ("médecin.\"L'unité"): with no space, a capital
# (or an opening quote and a capital) after a lowercase word still starts a sentence.
#
# This was one regex, `(?:\.{3}|…|[.!?])+(?:["’)\]]|\s?[»”])*(?=\s|["«“]?[A-ZÀ-ÖØ-Ý])`, whose
# nested quantifiers backtrack exponentially on a run of full stops that the lookahead refuses
# ("Signature :" and 56 dots never finished). `candidate_ends` finds the same ends by hand, in
# one pass: each run of punctuation is taken whole (a shorter run is followed by punctuation,
# which the lookahead refuses anyway), then the closers after it, longest first.
_PUNCT = re.compile(r"[.!?…]+")
_CLOSERS = frozenset("\"’)]")
_SPACED_CLOSERS = frozenset("»”")
_OPENING_QUOTES = frozenset("\"«“")


def _is_capital(ch: str) -> bool:
    return "A" <= ch <= "Z" or "À" <= ch <= "Ö" or "Ø" <= ch <= "Ý"


def _opens_next(text: str, i: int) -> bool:
    r"""The old lookahead `(?=\s|["«“]?[A-ZÀ-ÖØ-Ý])` at i."""
    if i >= len(text):
        return False
    ch = text[i]
    if ch.isspace() or _is_capital(ch):
        return True
    return ch in _OPENING_QUOTES and i + 1 < len(text) and _is_capital(text[i + 1])


def candidate_ends(text: str):
    """(start, end) of each candidate sentence end: linear in the text, whatever it holds."""
    n = len(text)
    for run in _PUNCT.finditer(text):
        ends = [run.end()]
        i = run.end()
        while i < n:  # closers, each unit unambiguous: " ’ ) ], or an optional space then » ”
            ch = text[i]
            if ch in _CLOSERS or ch in _SPACED_CLOSERS:
                i += 1
            elif ch.isspace() and i + 1 < n and text[i + 1] in _SPACED_CLOSERS:
                i += 2
            else:
                break
            ends.append(i)
        for end in reversed(ends):  # greedy first, as the regex backtracked
            if _opens_next(text, end):
                yield run.start(), end
                break


_WORD_BEFORE = re.compile(r"([\w.\-’']+)$")
# The regexes below run on windows of at most 200 characters around a candidate end, so each
# candidate costs a bounded amount whatever the paragraph; the repeated groups in _INITIALS
# and _COMPOUND have a fixed width, nothing to backtrack into.
_GLUED_AFTER = re.compile(r"[a-zà-öø-ÿ]{2}[\"»”)]?$")
# Scraped text glues sentences after other endings too: a number or a measure ("en 2018.Les",
# "30%.Une", "19h.Le", "Covid-19.Seuls"), an acronym ("l'AFP.Le", "(OMS).\"Cela"), a name ending in
# a sign ("Canal+.Une"), a closing quote or bracket, or ? and ! ("enfin ?Le"). These are split only
# when a capitalized word follows (a capital, then a lowercase letter or an apostrophe; or "A ",
# "À "): never "3.5", "U.S.Army", "E.Leclerc" (one initial), "LREM.M." or "www.Site.com".
_GLUED_AFTER_OTHER = re.compile(
    r"(?:\d[a-zà-ÿ°%]?|[%°+!?…]|\.\.|(?<![\w.])[A-ZÀ-ÖØ-Ý]{2,}|[a-zà-öø-ÿ]{2})[\"»”)’']*\s?[\"»”)’']*$")
_GLUED_NEXT = re.compile(r"[\"«“]?(?:[A-ZÀ-ÖØ-Ý](?:[a-zà-öø-ÿ]|[’'][A-Za-zÀ-ÖØ-öø-ÿ])|[AÀ]\s)")
_DOTTED_WORD = re.compile(r"\S*\.\w")
_APOSTROPHE = re.compile(r"[’']")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_COMPOUND = re.compile(r"(?:\w\.-)+\w")
# What may open a new sentence: a capital, a digit, an opening quote, bracket or dash.
_STARTS_SENTENCE = re.compile(r"[«\"“(\[—–\-]?\s*[\d\w]")


@lru_cache(maxsize=None)
def abbreviations(lang: str = "fr") -> dict[str, bool]:
    """Abbreviation (lowercased, no final period) -> whether it is protected only before a number."""
    text = resources.files("passeur.translate").joinpath(f"data/abbreviations.{lang}.txt").read_text("utf-8")
    table: dict[str, bool] = {}
    for line in text.splitlines():
        word, _, flag = line.split("#", 1)[0].strip().partition(" ")
        if word:
            table[word.lower().rstrip(".")] = flag.strip() == "9"
    return table


def _is_boundary(text: str, start: int, end: int, abbrevs: dict[str, bool]) -> bool:
    """Whether the punctuation text[start:end] ends the sentence."""
    rest = text[end:end + 200].lstrip()
    if not rest:
        return True
    if not text[end].isspace():
        # Glued: after a lowercase word, or another ending before a capitalized word (above); never
        # inside a dotted word ("U.S.Army", "M.Dupont", "www.Example.com").
        if _DOTTED_WORD.match(text, end, end + 200):
            return False
        if not _GLUED_AFTER.search(text[max(0, start - 3):start]) and not (
                _GLUED_AFTER_OTHER.search(text[max(0, start - 12):start]) and _GLUED_NEXT.match(text, end)):
            return False
    first = rest[0]
    punct = text[start:end].rstrip("»\"”’)]")
    if first.islower():
        # "M. le ministre", "… et la suite", "etc. et" go on; only ?/! inside quotes could be
        # debatable, and French continues lowercase after them too ("« Pourquoi ? » demande-t-il").
        return False
    if not _STARTS_SENTENCE.match(rest):
        return False
    if punct == ".":
        # Only the word before matters: look at a short window, not the whole paragraph.
        match = _WORD_BEFORE.search(text, max(0, start - 60), start)
        word = match.group(1) if match else ""
        # The word after an elision: "l’art." is "art".
        bare = _APOSTROPHE.split(word)[-1].lstrip("(«\"“-").rstrip(".")
        lowered = bare.lower()
        if lowered in abbrevs and (not abbrevs[lowered] or first.isdigit()):
            return False
        # Initials and acronyms: "J. K. Rowling", "U.S. Army", "S.A.".
        if len(bare) == 1 and bare.isalpha() and bare.isupper():
            return False
        if _INITIALS.fullmatch(bare):
            return False
        # "J.-C." and similar compound abbreviations.
        if _COMPOUND.fullmatch(bare):
            return False
    return True


def split_sentences(paragraph: str, lang: str = "fr") -> list[str]:
    """Split one paragraph into sentences; each is a stripped substring of the paragraph."""
    abbrevs = abbreviations(lang)
    sentences: list[str] = []
    begin = 0
    for start, end in candidate_ends(paragraph):
        if end < len(paragraph) and not paragraph[end].isspace() and paragraph[end - 1] == '"':
            end -= 1  # a straight quote glued to the next word opens the next sentence
        if _is_boundary(paragraph, start, end, abbrevs):
            sentence = paragraph[begin:end].strip()
            if sentence:
                sentences.append(sentence)
            begin = end
    tail = paragraph[begin:].strip()
    if tail:
        sentences.append(tail)
    return sentences
