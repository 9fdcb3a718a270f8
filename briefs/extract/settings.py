"""The extractor's few numeric choices and its bounds on work."""
from __future__ import annotations

# The numeric choices of the method; `scripts/eval.py --loo` re-chooses them on the training
# outlets and scores the held-out one. Everything else is fixed rules and word lists.
PARAMS = {
    "scare_max_words": 2,  # a quoted stretch this short is a scare quote, whatever follows it
    # ... and up to this many words without final punctuation (every leave-one-out fold chose 6 over 4)
    "fragment_max_words": 6,
    "gender_window": 1200,  # characters back to look for a speaker whose known gender fits he/she
    "nested_filter": True,  # a report nested in another report belongs to the outer one
    "verb_window": 80,  # characters after a quote in which a speech verb of another sentence may attribute it
}
PARSE_LIMIT = 20_000  # characters of one paragraph given to the parser
MAX_QUOTES_PARSED = 60  # a paragraph with more quotations than this is not prose; it is not parsed
ARTICLE_PARSE_LIMIT = 100_000  # characters of one article given to the parser (news runs 2-30k)
CATAPHORA_WINDOW = 1200  # characters ahead where an unnamed role that speaks may be named ("the mayor ... Mayor X")
IT_WINDOW = 300  # characters back within which "it said" is the organisation that spoke last
STRAY_CLAUSE_REACH = 40  # tokens of a verb's phrase searched for a "that" clause the parser hung in it
HISTORY_LOOKBACK = 500  # mentions looked back over for a pronoun or "the pundit"; keeps hostile input linear
