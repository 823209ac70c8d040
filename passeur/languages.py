"""What passeur knows about each language, in one place.

Names for headings, writing direction, the script used to recognize text, sumy's stop-word
list and the Snowball stemmer for summaries. How words attach to a glossary term (Hebrew
prefixes, Arabic clitics) is the glossary's morphology: passeur.glossary.morph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from passeur.errors import InputError


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, for messages
    native: str = ""  # for headings of outputs
    rtl: bool = False
    script: tuple[str, str] | None = None  # the Unicode block that identifies it, when not Latin
    stop_words: str | None = None  # sumy's packaged stop-word list
    stemmer: str | None = None  # nltk's Snowball stemmer (code only, no data download)

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def heading(self) -> str:
        return self.native or self.code


LANGUAGES = {lang.code: lang for lang in (
    Language("fr", "French", "Français", stop_words="french", stemmer="french"),
    Language("en", "English", "English", stop_words="english", stemmer="english"),
    Language("ar", "Arabic", "العربية", rtl=True, script=("\u0600", "\u06ff"), stemmer="arabic"),
    Language("he", "Hebrew", "עברית", rtl=True, script=("\u0590", "\u05ff")),
    Language("de", "German", "Deutsch", stop_words="german", stemmer="german"),
    Language("es", "Spanish", "Español", stop_words="spanish", stemmer="spanish"),
    Language("it", "Italian", "Italiano", stop_words="italian", stemmer="italian"),
    Language("pt", "Portuguese", "Português", stop_words="portuguese", stemmer="portuguese"),
    Language("pl", "Polish", "Polski", stop_words="polish"),
    Language("cs", "Czech", "Čeština", stop_words="czech"),
    Language("sv", "Swedish", "Svenska", stop_words="swedish", stemmer="swedish"),
    Language("el", "Greek", "Ελληνικά", script=("\u0370", "\u03ff")),
    Language("ru", "Russian", "Русский", script=("\u0400", "\u04ff"), stemmer="russian"),
    Language("zh", "Chinese", "中文", script=("\u4e00", "\u9fff")),
    Language("fa", "Persian", "فارسی", rtl=True),
    Language("ur", "Urdu", "اردو", rtl=True),
    Language("yi", "Yiddish", "ייִדיש", rtl=True),
)}

_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


def language(code: str) -> Language:
    """Facts about a language; an unknown (but well-formed) code gets a plain left-to-right entry."""
    return LANGUAGES.get(code) or Language(code, code)


# Codes still met for languages whose ISO 639-1 code changed: Hebrew was "iw", Yiddish "ji".
_RENAMED = {"iw": "he", "ji": "yi", "in": "id"}


def check_code(code: str, what: str = "language") -> str:
    """A language code as users give it (fr, en, ar, he, pt-BR, he_IL, EN), as passeur uses it: the
    language alone, lowercased ("pt-BR" is pt, "iw" is he); anything else is refused."""
    cleaned = code.strip()
    if not _CODE.fullmatch(cleaned.replace("_", "-").lower()):
        raise InputError(f"{what} {code!r} is not a language code: use ISO 639 codes such as fr, en, ar, he")
    base = re.split(r"[-_]", cleaned, maxsplit=1)[0].lower()
    return _RENAMED.get(base, base)


def is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def has_rtl(text: str) -> bool:
    return any(is_rtl(ch) for ch in text)
