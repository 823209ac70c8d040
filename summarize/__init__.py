"""passeur's summaries: pick the key French sentences; every language gets their translations.

Summaries are extractive: sumy (or the lead baseline) chooses sentence indices in the French
article, and the summary in English, Arabic and Hebrew is the aligned translations of those
same sentences, so the four summaries say the same thing. Everything runs offline: sumy gets
passeur's own segmentation and word tokenizer, nltk's Snowball stemmers (code, no data
download) and sumy's packaged stop-word lists.
"""

from __future__ import annotations

# Algorithm name -> "module:Class" of a sumy summarizer, imported only when chosen.
# "lead" (the first sentences) and "lexrank-lead" are passeur's own (summarize.select).
SUMMARIZERS = {
    "lead": None,
    "lexrank-lead": None,
    "lexrank": "sumy.summarizers.lex_rank:LexRankSummarizer",
    "textrank": "sumy.summarizers.text_rank:TextRankSummarizer",
    "lsa": "sumy.summarizers.lsa:LsaSummarizer",
    "luhn": "sumy.summarizers.luhn:LuhnSummarizer",
    "kl": "sumy.summarizers.kl:KLSummarizer",
    "sumbasic": "sumy.summarizers.sum_basic:SumBasicSummarizer",
    "reduction": "sumy.summarizers.reduction:ReductionSummarizer",
}
DEFAULT_ALGORITHM = "lexrank-lead"  # best R-1 and R-L on OrangeSum (README, bench/rouge.py)
DEFAULT_SENTENCES = 2  # the journalists' abstracts are one or two sentences (33 words)
