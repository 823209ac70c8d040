"""How a result was made, sacrebleu-style, built from each part's own signature.

    fr>en:argos/translate-fr_en-1.9#3b0c1d|en>ar:argos/translate-en_ar-1.9#9e2f70|dec:beam4,int8,len2
    |gloss:newsroom@3f2a9c|sum:learned,2|v:0.2.0

Each hop names the engine, the model package, its version and a fingerprint of its files;
`dec` the decoding settings that change output (the translation cache is keyed by the same
two strings); `gloss` the glossary's name and content hash; `sum` the summarizer and length.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    hops: tuple[tuple[str, str, str], ...] = ()  # (source, target, the engine's signature for the pair)
    decoding: str = ""  # the engine's settings that change output
    glossary: str = ""  # name@hash
    protection: str = ""  # how glossary terms were carried through the model (placeholder style)
    summary: str = ""  # algorithm,length
    version: str = ""

    def __str__(self) -> str:
        parts = [f"{a}>{b}:{how}" for a, b, how in self.hops]
        for key, value in (("dec", self.decoding), ("gloss", self.glossary), ("prot", self.protection),
                           ("sum", self.summary), ("v", self.version)):
            if value:
                parts.append(f"{key}:{value}")
        return "|".join(parts)

    @classmethod
    def parse(cls, text: str) -> "Signature":
        hops, named = [], {}
        for part in text.split("|"):
            key, _, value = part.partition(":")
            if ">" in key:
                source, _, target = key.partition(">")
                hops.append((source, target, value))
            else:
                named[key] = value
        return cls(tuple(hops), named.get("dec", ""), named.get("gloss", ""), named.get("prot", ""),
                   named.get("sum", ""), named.get("v", ""))
