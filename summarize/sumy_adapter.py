"""sumy's summarizers, used through its public API on passeur's sentences."""

from __future__ import annotations

import importlib

from passeur.summarize.base import Summarizer


class SumySummarizer(Summarizer):
    sumy_class = ""  # "module:Class" of a sumy summarizer

    def choose(self, article, candidates, count):
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        module, _, name = self.sumy_class.partition(":")
        summarizer = getattr(importlib.import_module(module), name)(self.resources.stemmer)
        summarizer.stop_words = self.resources.stop_words
        by_paragraph: dict[int, list] = {}
        index_of: dict[int, int] = {}
        for i in candidates:
            sentence = Sentence(article.segments[i].text, self.resources.tokenizer)
            by_paragraph.setdefault(article.segments[i].paragraph, []).append(sentence)
            index_of[id(sentence)] = i
        document = ObjectDocumentModel([Paragraph(sentences) for sentences in by_paragraph.values()])
        return [index_of[id(s)] for s in summarizer(document, count)]


class LexRank(SumySummarizer):
    sumy_class = "sumy.summarizers.lex_rank:LexRankSummarizer"


class TextRank(SumySummarizer):
    sumy_class = "sumy.summarizers.text_rank:TextRankSummarizer"


class Lsa(SumySummarizer):
    sumy_class = "sumy.summarizers.lsa:LsaSummarizer"


class Luhn(SumySummarizer):
    sumy_class = "sumy.summarizers.luhn:LuhnSummarizer"


class KL(SumySummarizer):
    sumy_class = "sumy.summarizers.kl:KLSummarizer"


class SumBasic(SumySummarizer):
    sumy_class = "sumy.summarizers.sum_basic:SumBasicSummarizer"


class Reduction(SumySummarizer):
    sumy_class = "sumy.summarizers.reduction:ReductionSummarizer"
