"""passeur's summaries: pick the key French sentences; every language gets their translations.

Summaries are extractive: a summarizer chooses sentence indices in the French article, and the
summary in English, Arabic and Hebrew is the aligned translations of those same sentences, so
the four summaries say the same thing. Everything runs offline: passeur's own segmentation and
word tokenizer, nltk's Snowball stemmers (code, no data download) and sumy's packaged stop words.
"""

# Algorithm name -> "module:Class" of a passeur.summarize.base.Summarizer, imported only when chosen.
SUMMARIZERS = {
    "learned": "passeur.summarize.learned:Learned",
    "lead": "passeur.summarize.base:Lead",
    "lexrank-lead": "passeur.summarize.lexrank:LexRankLead",
    "lexrank": "passeur.summarize.sumy_adapter:LexRank",
    "textrank": "passeur.summarize.sumy_adapter:TextRank",
    "lsa": "passeur.summarize.sumy_adapter:Lsa",
    "luhn": "passeur.summarize.sumy_adapter:Luhn",
    "kl": "passeur.summarize.sumy_adapter:KL",
    "sumbasic": "passeur.summarize.sumy_adapter:SumBasic",
    "reduction": "passeur.summarize.sumy_adapter:Reduction",
}
DEFAULT_ALGORITHM = "learned"  # beats lead-2 on OrangeSum (README, bench/rouge.py); trained in bench/summary/
