"""What a reader can take whole: the units a summary quotes, and the sentences it never quotes.

A summary is a set of sentence indices (sentence i of the French is sentence i of every
translation), so it can only take or leave whole sentences. Three rules make that set read
well, whichever summarizer chose it:

- a quotation split over several sentences is one unit, taken whole or not at all; a
  quotation that never closes (or closes without opening) is never quoted;
- a sentence that opens on a pronoun, a demonstrative or a possessive ("Il", "Cette mesure",
  "Son avocat"), or on a bare definite noun that points back ("Le texte a été publié…",
  "L'homme, âgé de 45 ans, …"), does not open a summary: its antecedent sentence comes with it;
- never quoted: a sentence repeating the title, one that does not end like a sentence (a
  truncated line, a subheading or caption left in the text, an agency slug, code), and one
  with a subheading glued to it ("Une enquête ouverteEntendu en garde à vue…").

Datelines, bylines and captions that the readers recognise have their own kinds and are not
candidates at all (Article.body()). Everything here is plain string work on one sentence at a
time: nothing backtracks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Openers that need the sentence before them. Elided forms are split at the apostrophe ("c'est").
ANAPHORS = frozenset(
    "il ils elle elles ce c cet cette ces ceci cela ça celui celle ceux celles son sa ses leur leurs lui".split())
# ...except where they point at nothing before: "Il y a dix ans", "Il faut", "Ce lundi", "Cette année".
_IMPERSONAL = ("il y a", "il y avait", "il y aura", "il faut", "il fallait", "il faudra", "il faudrait")
_TIME = frozenset(("matin", "soir", "midi", "après-midi", "week-end", "weekend", "lundi", "mardi", "mercredi",
                   "jeudi", "vendredi", "samedi", "dimanche", "jour", "nuit", "semaine", "mois", "année", "an",
                   "printemps", "été", "automne", "hiver", "saison", "trimestre", "siècle"))
_APOSTROPHES = "'’"
_OPENERS_LEADING = "«\"“—–-(["
_SENTENCE_END = frozenset(".!?…")
_CLOSERS = frozenset("\"'’»”)]")
_QUOTE_MARK = re.compile('[«»“”"]')  # one character: nothing to backtrack
# Three lowercase letters, then a capital and a lowercase letter: where a glued subheading ends (fixed width).
_GLUE = re.compile("[a-zà-öø-ÿ]{3}[A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ]")


def first_words(sentence: str, n: int = 3) -> list[str]:
    """The first words, lowercased, elisions split ("C'est" -> ["c", "est"])."""
    words: list[str] = []
    for raw in sentence.split(None, n + 1)[:n + 1]:
        for ch in _APOSTROPHES:
            raw = raw.replace(ch, " ")
        words += [w.strip(",;:.!?…()«»\"“”").lower() for w in raw.split()]
    return [w for w in words if w][:n]


def opens_on_anaphor(sentence: str) -> bool:
    """The sentence starts with a pronoun, demonstrative or possessive pointing back (not inside a quotation)."""
    text = sentence.lstrip()
    if not text or text[0] in _OPENERS_LEADING:
        return False
    words = first_words(text, 4)
    if not words or words[0].split("-")[0] not in ANAPHORS:  # "ceux-ci", "celle-là"
        return False
    phrase = " ".join(words)
    if any(phrase == p or phrase.startswith(p + " ") for p in _IMPERSONAL):
        return False
    return not (words[0] in ("ce", "cet", "cette", "ces") and len(words) > 1 and words[1] in _TIME)


# A definite noun phrase can point back as a pronoun does: "Le texte a été publié au Journal
# officiel", "L'homme, âgé de 45 ans, a été interpellé", "Les deux hommes ont été relâchés". It
# does when its noun is bare (a verb, a clitic or a comma right after it: no "de …", no name, no
# adjective to say which one) and the noun is one that names something already told (the
# suspect, the text, the drama) or one the sentences before it used. Institutions that are one of
# a kind in the news ("Le gouvernement a annoncé") stand alone.
BACK_NOUNS = frozenset("""
    homme hommes femme femmes garçon garçons fille filles enfant enfants adolescent adolescente adolescents
    individu individus suspect suspecte suspects victime victimes agresseur agresseurs auteur auteurs
    couple famille mère père fils frère sœur époux épouse mari conducteur conductrice automobiliste
    passager passagers chauffeur motard cycliste piéton joueur joueuse entraîneur club équipe
    quadragénaire quinquagénaire sexagénaire septuagénaire octogénaire nonagénaire trentenaire vingtenaire
    octogénaires quadragénaires sexagénaires mis accusé accusée prévenu prévenue détenu détenus
    texte textes mesure mesures décision décret loi projet proposition amendement document documents rapport
    lettre courrier message vidéo vidéos images photo photos cliché séquence extrait publication
    drame incident accident affaire faits scène attaque agression incendie explosion collision accord
    opération dispositif appareil avion véhicule voiture camion bateau navire animal chien chat bête
    film série livre album chanson émission match rencontre concert spectacle
    entreprise société groupe marque établissement magasin usine site bâtiment maison appartement
    jeune artiste chanteur chanteuse acteur actrice comédien comédienne star élu élue militant militante
    patient patiente malade blessé blessés intéressé intéressée
    """.split())
_BEFORE_NOUN = frozenset(("jeune", "jeunes", "deux", "trois", "quatre", "cinq", "six", "petit", "petite",
                          "même", "mêmes", "nouveau", "nouvelle", "nouvel", "premier", "première"))
_ONE_OF_A_KIND = frozenset("""gouvernement police gendarmerie justice parquet armée pape président présidente
    ministère ministre état etat monde planète terre pays france exécutif opposition majorité assemblée sénat
    """.split())
# What may follow a bare noun: a comma, an auxiliary or a clitic (verbs ending in -ent are also taken).
_AFTER_BARE_NOUN = frozenset("""a ont est sont était étaient avait avaient aura auront sera seront serait
    s se n ne y en l lui leur va vont doit doivent devrait devraient pourrait pourraient peut peuvent
    fait font reste restent semble semblent vient viennent affirme explique raconte dit""".split())


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _words(text) if len(w) > 3}


_OPENING_TOKENS = re.compile(r"[\w-]+|[,'’]")


def opens_on_back_reference(sentence: str, before: set[str] | frozenset[str] = frozenset()) -> bool:
    """The sentence starts with a bare definite noun phrase that points back ("Le texte a été
    publié…", "L'homme, âgé de 45 ans, …"); `before` holds the stems (_stems) of the words used by
    the sentences before it."""
    head = _OPENING_TOKENS.findall(sentence.lstrip()[:80])
    if not head or head[0] not in ("Le", "La", "Les", "L"):
        return False
    k = 2 if head[0] == "L" and head[1:2] and head[1] in _APOSTROPHES else 1
    if k < len(head) and head[k].lower() in _BEFORE_NOUN:
        k += 1
    if k + 1 >= len(head):
        return False
    noun, after = head[k], head[k + 1]
    if not noun.isalpha() or not noun.islower() or noun in _ONE_OF_A_KIND or noun in _TIME:
        return False
    if not (after == "," or after in _AFTER_BARE_NOUN or (after.endswith("ent") and len(after) > 5)):
        return False  # "Le texte de loi", "La magistrate Mary Strobel", "L'armée israélienne"
    return noun in BACK_NOUNS or (len(noun) > 3 and noun[:5] in before)


def ends_like_a_sentence(sentence: str) -> bool:
    """Final punctuation, possibly followed by closing quotes or brackets ("… fini. »", "(…).")."""
    text = sentence.rstrip()
    while text and (text[-1] in _CLOSERS or text[-1].isspace()):
        text = text[:-1]
    return bool(text) and text[-1] in _SENTENCE_END


def has_glued_heading(sentence: str) -> bool:
    """A word whose lowercase run runs into a capitalized word ("ouverteEntendu", "rendez-vousSelon"),
    or a closing quote straight into an opening one ("l'extrême-argent""Moi"): a subheading or
    caption glued to the next sentence when the page was scraped. Names that start with a capital
    (TikTok, YouTube, AstraZeneca) are not glue."""
    if '""' in sentence or "»«" in sentence or "”“" in sentence:
        return True
    for glue in _GLUE.finditer(sentence):
        start = sentence.rfind(" ", 0, glue.start()) + 1
        word = sentence[start:glue.end()].lstrip(_OPENERS_LEADING)
        if word[:1].islower():
            return True
    return False


_ALNUM = re.compile(r"[^\W_]+")  # runs of str.isalnum() characters


def _words(text: str) -> list[str]:
    return _ALNUM.findall(text.lower())


def repeats_title(sentence: str, title: str | None) -> bool:
    """The sentence is the title again, or starts with it (a headline glued to the first sentence)."""
    if not title:
        return False
    head, words = _words(title), _words(sentence)
    if not head or not words:
        return False
    # a headline glued to the sentence: "…mobilisésUn violent incendie…", "Charlotte Casiraghi enceinte ?par…"
    if (len(head) >= 4 or len("".join(head)) >= 15) and "".join(words).startswith("".join(head)):
        return True
    shared = len(set(head) & set(words))
    return shared >= 0.8 * len(set(head)) and len(words) <= 1.5 * len(head) + 2


class _Quotes:
    """Quotation depth across the sentences of a paragraph: « » and “ ” by direction, straight
    quotes by the side their neighbours are on."""

    def __init__(self) -> None:
        self.french = self.curly = 0
        self.straight = False
        self.broken = False  # a closing mark with nothing open

    def feed(self, text: str) -> None:
        n = len(text)
        for mark in _QUOTE_MARK.finditer(text):
            ch, i = mark.group(), mark.start()
            if ch == "«":
                self.french += 1
            elif ch == "»":
                self.french -= 1
            elif ch == "“":
                self.curly += 1
            elif ch == "”":
                self.curly -= 1
            else:
                before = text[i - 1] if i else " "
                after = text[i + 1] if i + 1 < n else " "
                if before.isspace() or before in "([{«'’-–—":
                    opening = True
                elif after.isspace() or after in ".,;:!?)]}»…-–—":
                    opening = False
                else:
                    opening = not self.straight
                if opening == self.straight:
                    self.broken = True  # an opening quote inside a quotation, or a close with none open
                self.straight = opening
            if self.french < 0 or self.curly < 0:
                self.broken = True
                self.french, self.curly = max(0, self.french), max(0, self.curly)

    @property
    def open(self) -> bool:
        return bool(self.french or self.curly or self.straight)


@dataclass(frozen=True)
class Unit:
    """Consecutive sentences a summary takes together (one, or a quotation spread over several)."""

    indices: tuple[int, ...]
    words: int
    opens: bool  # may open a summary (its first sentence does not point back)


def units(sentences: list[str], candidates: list[int], paragraphs: list[int] | None = None,
          title: str | None = None) -> list[Unit]:
    """The candidates grouped into the units a summary may quote, in article order.

    A quotation spread over sentences i..j becomes one unit when all of i..j are candidates;
    a quotation left open at the end of its paragraph (or closed without opening), and any
    unit holding a sentence that is never quoted, is dropped."""
    if not candidates:
        return []
    allowed = set(candidates)
    out: list[Unit] = []
    paragraph_of = paragraphs or [0] * len(sentences)
    first, last = min(candidates), max(candidates)
    group: list[int] = []
    quotes = _Quotes()
    told: set[str] = set()  # the stems of the sentences before the group (for definite back-references)
    for sentence in sentences[max(0, first - 20):first]:
        told |= _stems(sentence)
    before_group = told
    for i in range(first, last + 1):
        if group and paragraph_of[i] != paragraph_of[group[-1]]:
            group, quotes = [], _Quotes()  # a quotation left open at a paragraph's end: dropped
        if not group:
            before_group = set(told)
        group.append(i)
        told |= _stems(sentences[i])
        quotes.feed(sentences[i])
        if quotes.open:
            continue
        if not quotes.broken and all(k in allowed and quotable(sentences[k], title) for k in group):
            opener = sentences[group[0]]
            out.append(Unit(tuple(group), sum(len(sentences[k].split()) for k in group),
                            not opens_on_anaphor(opener) and not opens_on_back_reference(opener, before_group)))
        group, quotes = [], _Quotes()
    return out


def quotable(sentence: str, title: str | None = None) -> bool:
    """A sentence a summary may quote (on its own or within its quotation)."""
    return ends_like_a_sentence(sentence) and not has_glued_heading(sentence) and not repeats_title(sentence, title)


def readable(chosen: list[int], all_units: list[Unit]) -> list[int]:
    """Close a choice of sentences over the units: each chosen sentence brings its whole
    quotation, and a first unit that points back brings the unit before it (its antecedent).
    Sentences in no unit are dropped."""
    by_index = {i: k for k, unit in enumerate(all_units) for i in unit.indices}
    picked = sorted({by_index[i] for i in chosen if i in by_index})
    while picked and not all_units[picked[0]].opens:
        # its antecedents: the units just before it, back to one that stands alone
        k = picked[0]
        while not all_units[k].opens and k > 0 and all_units[k - 1].indices[-1] == all_units[k].indices[0] - 1:
            k -= 1
        if all_units[k].opens:
            picked = sorted(set(picked) | set(range(k, picked[0])))
        elif len(picked) > 1:
            picked.pop(0)  # nothing before it stands alone: the next unit opens instead
        else:
            break
    return [i for k in picked for i in all_units[k].indices]
