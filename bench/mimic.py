"""An engine that treats placeholders the way neural MT models do, for measuring term accuracy.

No real translation model can run where passeur is built, and random-weight models never copy
a placeholder, so glossary enforcement is measured with this engine. Toward placeholders it
behaves like NMT: each hop copies most of them and mangles some (spacing, case, digits,
moved elsewhere in the sentence) or drops a few, at the rates below, independently per hop
(so Arabic and Hebrew, two hops away, suffer twice). Unprotected text (the fallback path)
renders each glossary term either as the glossary has it or as the model's own habit (the
source form copied), and paraphrases a term away now and then. Other words pass through.
This is a measuring instrument in bench/, never an engine passeur offers.
"""

from __future__ import annotations

import random
import re
import zlib

from passeur.glossary.match import TermMatcher
from passeur.glossary.protect import STYLES
from passeur.translate.engine import Engine

# Per placeholder and per hop. Drawn from what users report of NMT and placeholders
# (LibreTranslate #944): most survive, a few percent are mangled, a few dropped.
RATES = {"copy": 0.86, "space": 0.04, "case": 0.03, "digits": 0.02, "moved": 0.02, "dropped": 0.03}
KNOWS_TERM = 0.5  # unprotected: the model already uses the glossary's form
PARAPHRASED = 0.15  # unprotected: the term disappears in a paraphrase
FORBIDDEN_IN_CONTEXT = 1.0  # unprotected, in a sentence: the rendering the glossary forbids, unless banned (worst case)


class MimicEngine(Engine):
    name = "mimic"

    def __init__(self, glossary, pairs=(("fr", "en"), ("en", "ar"), ("en", "he")), seed=0, style_rates=None):
        super().__init__()
        # Per placeholder style, its rates (default: RATES for every style).
        self.style_rates = style_rates or {}
        self.glossary = glossary
        self.matcher = TermMatcher(glossary)
        self._pairs = set(pairs)
        self.seed = seed

    def pairs(self):
        return set(self._pairs)

    def signature(self, source, target):
        return f"mimic/{source}-{target}"

    def _rng(self, *key) -> random.Random:
        return random.Random(zlib.crc32("\x1f".join(map(str, (self.seed,) + key)).encode()))

    def translate(self, sentences, source, target, progress=None):
        return self.translate_avoiding(sentences, source, target, [()] * len(sentences), progress)

    def translate_avoiding(self, sentences, source, target, avoid, progress=None):
        """Banned phrases are never written (as suppress_sequences does in the argos engine)."""
        out = [self._one(s, source, target, set(a)) for s, a in zip(sentences, avoid)]
        if progress:
            progress(len(sentences))
        return out

    def _one(self, sentence: str, source: str, target: str, banned: set[str] = frozenset()) -> str:
        for style in STYLES.values():
            if style.recover.search(sentence):
                return self._placeholders(sentence, target, style)
        if source == self.glossary.source:
            return self._unprotected(sentence, target, banned)
        return sentence

    def _placeholders(self, sentence: str, target: str, style) -> str:
        rng = self._rng(sentence, target)
        rates = self.style_rates.get(style.name, RATES)
        words = sentence.split(" ")
        moved = []
        for i, word in enumerate(words):
            match = style.recover.search(word)
            if not match:
                continue
            n = match.group(1)
            kind = rng.choices(list(rates), weights=list(rates.values()))[0]
            b, a = style.before, style.after
            new = {"copy": f"{b}{n}{a}", "space": f"{b} {n}{a}", "case": f"{b.lower()}{n}{a.lower()}",
                   "digits": b + n.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + a,
                   "moved": "", "dropped": ""}[kind]
            words[i] = word[:match.start()] + new + word[match.end():]
            if kind == "moved":
                moved.append(f"{b}{n}{a}")
        for token in moved:
            words.insert(rng.randrange(len(words) + 1), token)
        return re.sub(" +", " ", " ".join(words)).strip()

    def _unprotected(self, sentence: str, target: str, banned: set[str] = frozenset()) -> str:
        pieces, last = [], 0
        for occurrence in self.matcher.find(sentence):
            concept = occurrence.concept
            # The model's habit for a term is fixed (alone or in context): it knows the term or copies it.
            knows = self._rng(concept.id, "knows").random() < KNOWS_TERM
            rendering = concept.form(target, self.glossary.source, occurrence.plural) if knows else occurrence.text
            in_context = occurrence.text != sentence
            forbidden = [f for f in concept.forbidden.get(target, ()) if f not in banned]
            if in_context and forbidden and self._rng(sentence, concept.id, "forbidden").random() < FORBIDDEN_IN_CONTEXT:
                rendering = forbidden[0]
            if in_context and self._rng(sentence, concept.id, "paraphrase").random() < PARAPHRASED:
                rendering = ""
            if rendering in banned:
                rendering = concept.form(target, self.glossary.source, occurrence.plural) or ""
            pieces += [sentence[last:occurrence.start], rendering or ""]
            last = occurrence.end
        pieces.append(sentence[last:])
        return re.sub(" +", " ", "".join(pieces)).strip()
