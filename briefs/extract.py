"""Placeholder until the extractor lands: finds nothing."""
from .models import Article


def extract(article: Article) -> Article:
    return article
