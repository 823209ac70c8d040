"""Summaries: sentence choice, projection onto every language, the summarize command, ROUGE."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from summarize import SUMMARIZERS
from summarize.select import SummaryRequest, WordTokenizer, select
from translate.document import article_from_blocks, read_article, text_blocks
from translate.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def article(text):
    return article_from_blocks("t.txt", text_blocks(text))


@pytest.mark.parametrize("algorithm", list(SUMMARIZERS))
def test_every_algorithm_picks_body_sentences_in_article_order(algorithm, article_path):
    a = read_article(article_path)
    indices = select(a, SummaryRequest(algorithm, 3))
    assert len(indices) == 3 and indices == sorted(set(indices))
    assert not any(a.segments[i].heading for i in indices)  # no title, subheading or caption


def test_lead_and_length_options(article_path):
    a = read_article(article_path)
    assert select(a, SummaryRequest("lead", 2)) == [1, 3]  # 0 is the title, 2 a photo caption
    assert len(select(a, SummaryRequest("lead", None, ratio=0.25))) == round(0.25 * 23)
    short = article("Titre\n\nUne seule phrase.")
    assert select(short, SummaryRequest("lexrank", 3)) == [1]
    with pytest.raises(InputError, match="unknown summarizer 'nope'"):
        select(short, SummaryRequest("nope", 1))


def test_tokenizer_drops_elided_letters():
    assert WordTokenizer().to_words("L’armée d’Israël a 2 drones") == ["armée", "Israël", "2", "drones"]


def test_summary_is_the_same_sentences_in_every_language(article_path, echo_registered, run):
    result = run("summarize", article_path, "--engine", "echo", "--sentences", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    indices = data["summary"]["indices"]
    assert len(indices) == 2 and data["summary"]["algorithm"] == "lexrank-lead"
    for lang in ("en", "ar", "he"):
        assert data["summary"][lang] == [data["translations"][lang][i] for i in indices]
        # only the headline and the summary sentences are translated; the rest stay null, aligned
        assert [i for i, s in enumerate(data["translations"][lang]) if s is not None] == [0] + indices
    assert data["summary"]["fr"] == [data["source"]["sentences"][i] for i in indices]
    assert "|sum:lexrank-lead,2|" in data["signature"]


def test_summarize_text_output(article_path, echo_registered, run):
    result = run("--no-bidi", "summarize", article_path, "--engine", "echo", "--to", "he", "--algorithm", "lead")
    assert result.exit_code == 0
    assert "[he] עברית\n[he] [en] Sous pression, Microsoft" in result.stdout  # the translated headline
    assert "[he] [en] Face à de lourdes accusations" in result.stdout


def test_rouge_scorer():
    from rouge import rouge_l, rouge_n, tokens

    assert tokens("L’armée a dit « non » ; العربية") == ["l", "armée", "a", "dit", "non", "العربية"]
    a, b = tokens("le chat dort sur le tapis"), tokens("le chat dort")
    assert rouge_n(b, a, 1) == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert rouge_n(a, a, 2) == 1.0 and rouge_n(tokens("x y"), a, 1) == 0.0
    assert rouge_l(tokens("le dort tapis"), a) == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_orangesum_default_beats_lead_on_a_sample():
    """On the first 30 OrangeSum articles the default (lexrank-lead, 2) is not worse than lead-2 in ROUGE-L."""
    from rouge import ORANGESUM, rouge_l, tokens

    docs = (ORANGESUM / "source_documents.txt").read_text("utf-8").splitlines()[:30]
    gold = (ORANGESUM / "gold.txt").read_text("utf-8").splitlines()[:30]

    def score(algorithm):
        total = 0.0
        for doc, ref in zip(docs, gold):
            a = article_from_blocks("o", [("", True), (doc, False)])
            chosen = select(a, SummaryRequest(algorithm, 2))
            total += rouge_l(tokens(" ".join(a.segments[i].text for i in chosen)), tokens(ref))
        return total / len(docs)

    assert score("lexrank-lead") >= score("lead")
