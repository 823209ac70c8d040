"""Terms that agree with their sentence: a plural source gets a plural target, and the check says
*wrong form* when it does not."""

from __future__ import annotations

import pytest
from echo_engine import EchoEngine

from passeur.glossary.check import check_sentence
from passeur.glossary.formats import read_tsv, write_tsv
from passeur.glossary.morph.english import plural as english_plural
from passeur.glossary.match import TermMatcher
from passeur.glossary.protect import protect, restore
from passeur.pipeline import run
from passeur.result import STATUS_MISSING, STATUS_OK, STATUS_WRONG_FORM
from passeur.translate.read import article_from_blocks, read_article

GLOSSARY = read_tsv((
    "id\tfr\ten\tar\the\tplural:ar\tplural:he\n"
    "symptome\tsymptôme\tsymptom\tعرض\tתסמין\tأعراض\tתסמינים\n"
    "pneumonie\tpneumonie\tpneumonia\tالتهاب رئوي\tדלקת ריאות\t\t\n"
    "essai\tessai clinique\tclinical trial\tتجربة سريرية\tניסוי קליני\tتجارب سريرية\tניסויים קליניים\n"
    "contagieux\tcontagieux\tcontagious\tمعد\tמדבק\t\t\n"
    "oms\tOMS\tWHO\tمنظمة الصحة العالمية\tארגון הבריאות העולמי\t\t\n"
    "virus\tvirus\tvirus\tفيروس\tנגיף\tفيروسات\tנגיפים\n"
    "deces\tdécès\tdeath\tوفاة\tמוות\tوفيات\tמקרי מוות\n"
    "cas\tcas\tcase\tحالة\tמקרה\tحالات\tמקרים\n"
    "desinfectant\tdésinfectant\tdisinfectant\tمطهر\tמחטא\tمطهرة\tמחטאים\n"
    "vaccin\tvaccin\tvaccine\tلقاح\tחיסון\t\t\n"
    "hopital\thôpital\thospital\tمستشفى\tבית חולים\tمستشفيات\tבתי חולים\n"
    "antiviral\tmédicament antiviral|médicaments antiviraux\tantiviral drug\t\t\t\t\n"
    "soins\tsoins médicaux\tmedical care\t\t\t\t\n"
    "restriction\trestriction\trestriction\t\t\t\t\n"
    "fievre\tfièvre\tfever\t\t\t\t\n"
).encode(), "health.tsv")


@pytest.mark.parametrize("term, plural", [("symptom", "symptoms"), ("case fatality rate", "case fatality rates"),
                                          ("child", "children"), ("clinical trial", "clinical trials"),
                                          ("infected", None), ("contagious", None), ("WHO", None),
                                          ("Gaza Strip", None), ("epidemic", "epidemics"),
                                          ("medical care", None), ("international travel", None),
                                          ("malaria", None), ("pneumonia", "pneumonias")])
def test_english_plurals_of_common_nouns_only(term, plural):
    # Mass nouns take no plural, whatever the number in French ("des soins médicaux": "medical care").
    assert english_plural(term) == plural


def test_a_term_ending_in_a_digit_does_not_end_inside_a_number():
    glossary = read_tsv("id\tfr\ten\ng\tgrippe de 1918\t1918 flu\ngrippe\tgrippe\tinfluenza\n".encode(), "g.tsv")
    for dash in "-\u2011\u2013\u2014":  # hyphen, non-breaking hyphen, en and em dashes
        assert [o.text for o in TermMatcher(glossary).find(f"la grippe de 1918{dash}1919 et la grippe de 1918.")] == [
            "grippe", "grippe de 1918"]


def test_decomposed_accents_are_the_same_letters(tmp_path):
    """Text saved with combining accents (e + U+0301, as macOS often does) finds the glossary's terms."""
    path = tmp_path / "nfd.txt"
    path.write_text("Les ho\u0302pitaux du virus.\n\nLe de\u0301ce\u0300s est confirmé.", "utf-8")
    article = read_article(path)
    found = [o.concept.id for s in article.segments for o in TermMatcher(GLOSSARY).find(s.text)]
    assert found == ["hopital", "virus", "deces"]
    # A glossary cell typed that way finds the composed text too.
    decomposed = read_tsv("id\tfr\ten\nh\tho\u0302pital\thospital\n".encode(), "nfd.tsv")
    assert [o.plural for o in TermMatcher(decomposed).find("L’hôpital et les hôpitaux")] == [False, True]


@pytest.mark.parametrize("sentence, plural", [
    ("ces symptômes", [True]), ("un symptôme", [False]), ("d’autres pneumonies", [True]),
    ("les essais cliniques", [True]), ("l’OMS", [False]),
    # -al makes its plural in -aux.
    ("les hôpitaux", [True]), ("un hôpital", [False]), ("des médicaments antiviraux", [True]),
    # A variant that is another variant in the plural is a plural variant, even written in the same cell.
    ("Médicaments antiviraux", [True]), ("un médicament antiviral", [False]),
    # A form that cannot tell its number takes it from the word before: determiner, number, quantity.
    ("les virus", [True]), ("le virus", [False]), ("ces nouveaux virus", [True]), ("3 virus", [True]),
    ("1 virus", [False]), ("10² virus", [False]), ("٣ virus", [True]), ("01 virus", [False]),
    ("un million de décès", [True]), ("beaucoup de virus", [True]), ("du virus", [False]),
    ("Les virus", [True]), ("le nombre de décès", [True]), ("un décès", [False]),
    # Without a determiner, as in a headline, the adjective after it tells; after a singular one, never.
    ("Virus mortels détectés.", [True]), ("Décès suspects à Lyon", [True]), ("Le virus mortels", [False]),
    ("Virus mortel", [False]), ("Le virus dans les", [False]), ("Virus sous surveillance", [False]),
    # A form that can tell keeps its own number: "un peu de fièvre" is singular.
    ("un peu de fièvre", [False]), ("des fièvres", [True]),
])
def test_the_number_of_an_occurrence(sentence, plural):
    assert [o.plural for o in TermMatcher(GLOSSARY).find(sentence)] == plural


@pytest.mark.parametrize("sentence, modifier", [
    # After a plural noun, a plural term modifies it: an English modifier does not take the plural.
    ("des lingettes désinfectantes", True), ("plusieurs candidats vaccins", True),
    ("les désinfectants", False), ("des vaccins", False), ("de nouveaux vaccins", False),
    ("ces vaccins", False), ("trois vaccins", False), ("sans vaccins", False),
    # "de" and adverbs of degree come before an adjective that precedes its noun.
    ("d’importantes restrictions", False), ("les plus grandes restrictions", False),
    ("les plus récentes restrictions", False),
])
def test_a_plural_term_after_a_plural_noun_modifies_it(sentence, modifier):
    (occurrence,) = TermMatcher(GLOSSARY).find(sentence)
    assert occurrence.plural and occurrence.modifier == modifier
    assert occurrence.plural_in("en") == (not modifier)
    assert occurrence.plural_in("ar") and occurrence.plural_in("he")  # Arabic and Hebrew modifiers agree


@pytest.mark.parametrize("source, plural_in", [
    # Arabic nouns agree with the count: plural after 3 to 10, singular after 11 and up, 100, 1000, a
    # million (and after 2 the dual, no plural either). English and Hebrew: plural from 2.
    ("3 hôpitaux", {"ar": True, "en": True, "he": True}), ("dix hôpitaux", {"ar": True, "en": True, "he": True}),
    ("20 hôpitaux", {"ar": False, "en": True, "he": True}), ("103 hôpitaux", {"ar": True, "en": True, "he": True}),
    ("1 000 virus", {"ar": False, "en": True, "he": True}), ("un million de décès", {"ar": False, "en": True}),
    ("des millions de décès", {"ar": True, "en": True}), ("2 hôpitaux", {"ar": False, "en": True, "he": True}),
    ("les hôpitaux", {"ar": True, "en": True, "he": True}),
])
def test_arabic_nouns_agree_with_their_count(source, plural_in):
    (occurrence,) = TermMatcher(GLOSSARY).find(source)
    assert {lang: occurrence.plural_in(lang) for lang in plural_in} == plural_in


@pytest.mark.parametrize("lang, source, output, expected", [
    ("en", "ces symptômes", "these PSR0", "these symptoms"),
    ("en", "d’autres pneumonies", "other PSR0", "other pneumonias"),
    ("en", "un symptôme", "a PSR0", "a symptom"),
    ("he", "ces symptômes", "ה PSR0 האלה", "התסמינים האלה"),  # the listed plural, with the article attached
    ("ar", "les essais cliniques", "ال PSR0", "تجارب سريرية"),
    ("ar", "des pneumonies", "PSR0", "التهاب رئوي"),  # no Arabic plural listed: the singular form
    ("en", "des lingettes désinfectantes", "PSR0 wipes", "Disinfectant wipes"),  # a sentence's first word
    ("en", "les désinfectants", "the PSR0", "the disinfectants"),
    ("ar", "des lingettes désinfectantes", "مناديل PSR0", "مناديل مطهرة"),
    ("en", "ces virus", "these PSR0", "these viruses"),
    ("he", "ces virus", "ה PSR0 האלה", "הנגיפים האלה"),
    ("en", "des soins médicaux", "they need PSR0", "they need medical care"),
    ("en", "les hôpitaux", "the PSR0", "the hospitals"),
    ("ar", "20 hôpitaux", "20 PSR0", "20 مستشفى"), ("ar", "5 hôpitaux", "5 PSR0", "5 مستشفيات"),
    # A one-word common noun keeps the Arabic article the model gave it; names and phrases carry their own.
    ("ar", "les virus", "انتشرت الPSR0", "انتشرت الفيروسات"), ("ar", "les virus", "بالPSR0", "بالفيروسات"),
    ("ar", "les essais cliniques", "ال PSR0", "تجارب سريرية"),
])
def test_plural_sources_restore_plural_targets(lang, source, output, expected):
    occurrences = TermMatcher(GLOSSARY).find(source)
    assert restore(output, protect(source, occurrences), lang, "fr").text == expected


@pytest.mark.parametrize("source, target, lang, status", [
    ("ces symptômes", "these symptom", "en", STATUS_WRONG_FORM),
    ("ces symptômes", "these symptoms", "en", STATUS_OK),
    ("un symptôme", "several symptoms", "en", STATUS_WRONG_FORM),
    ("ces symptômes", "these signs", "en", STATUS_MISSING),
    ("ces symptômes", "هذه أعراض", "ar", STATUS_OK),
    ("ces symptômes", "هذا عرض", "ar", STATUS_WRONG_FORM),
    ("des pneumonies", "التهاب رئوي", "ar", STATUS_OK),  # no plural known in Arabic: the singular is all we can ask
    # An English modifier is singular; any space between a term's words is a space.
    ("des lingettes désinfectantes", "disinfectant wipes", "en", STATUS_OK),
    ("des lingettes désinfectantes", "disinfectants wipes", "en", STATUS_WRONG_FORM),
    ("des soins médicaux", "Medical\u00a0care was given.", "en", STATUS_OK),
    # Arabic: the count decides the number; the article is accepted on a term and on each word of a phrase.
    ("20 virus", "20 فيروس", "ar", STATUS_OK), ("3 virus", "3 فيروسات", "ar", STATUS_OK),
    ("3 virus", "3 فيروس", "ar", STATUS_WRONG_FORM), ("les virus", "انتشرت الفيروسات", "ar", STATUS_OK),
    ("les virus", "بالفيروسات", "ar", STATUS_OK), ("les essais cliniques", "التجارب السريرية", "ar", STATUS_OK),
    ("deux virus", "فيروسان", "ar", STATUS_OK), ("deux hôpitaux", "في مستشفيين", "ar", STATUS_OK),
    ("20 nouveaux virus", "20 فيروس جديد", "ar", STATUS_OK), ("50 millions de décès", "50 مليون وفاة", "ar", STATUS_OK),
    # Hebrew: the article on each word of a phrase, and in a construct ("בית החולים").
    ("les hôpitaux", "בבתי החולים", "he", STATUS_OK), ("l’hôpital", "בבית החולים", "he", STATUS_OK),
    ("les essais cliniques", "הניסויים הקליניים", "he", STATUS_OK),
    # Where nothing tells the number of a form that cannot show it, either number is right.
    ("Décès en hausse", "Deaths rising", "en", STATUS_OK), ("Décès en hausse", "Death toll rising", "en", STATUS_OK),
    ("aucun cas", "no cases", "en", STATUS_OK), ("Les plus dangereux virus", "The most dangerous virus", "en",
                                                 STATUS_WRONG_FORM),
    ("le virus", "the viruses", "en", STATUS_WRONG_FORM), ("zéro cas", "zero cases", "en", STATUS_OK),
])
def test_check_reports_wrong_form(source, target, lang, status):
    occurrences = TermMatcher(GLOSSARY).find(source)
    hits = check_sentence(0, source, occurrences, target, lang, GLOSSARY)
    assert [h.status for h in hits] == [status]


def test_plurals_through_the_pipeline_and_the_fallback():
    article = article_from_blocks("a.txt", [("Ces symptômes et ces essais cliniques inquiètent.", "text")])
    result = run([article], ["en", "he"], EchoEngine(), GLOSSARY)[0]
    assert "symptoms" in result.translations["en"][0] and "clinical trials" in result.translations["en"][0]
    assert "תסמינים" in result.translations["he"][0]
    assert {h.status for h in result.terms} == {STATUS_OK}

    class Dropper(EchoEngine):
        def translate(self, sentences, source, target, progress=None):
            return [s.replace("PSR0", "").replace("PSR10", "") if "PSR" in s else s for s in sentences]

    again = run([article_from_blocks("a.txt", [("Ces symptômes inquiètent.", "text")])], ["en"], Dropper(), GLOSSARY)[0]
    hit = next(h for h in again.terms if h.concept == "symptome")
    assert hit.enforced == "fallback" and hit.target == "symptoms"


def test_plural_columns_round_trip():
    assert read_tsv(write_tsv(GLOSSARY).encode(), "again.tsv").concepts == GLOSSARY.concepts
    concept = GLOSSARY.by_id()["symptome"]
    assert concept.plural_forms("he") == ("תסמינים",) and concept.plural_forms("en") == ("symptoms",)
