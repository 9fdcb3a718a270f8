"""newsbrief's domain: articles read into who said what, stored, and answered.

briefs/ never imports telegram, pydantic_settings or spacy at import time (the
extractor loads its model on first use), so any adapter can use it.
"""
from .ingest import IngestReport, ingest_paths, iter_article_files, read_file
from .models import Article, ArticleError, Block, Claim, Quote, Speaker
from .parse import parse_text, read_path
from .replies import Reply, answer, press
from .store import Store

__all__ = [
    "Article", "ArticleError", "Block", "Claim", "IngestReport", "Quote", "Reply", "Speaker", "Store",
    "answer", "ingest_paths", "iter_article_files", "parse_text", "press", "read_file", "read_path",
]
