"""Extraction time of kg against the bare spaCy pipeline on the same text, same process.

Usage: python benchmarks/extraction_speed.py [ARTICLE] [--repeat N]

Loads the model and the gazetteer first (not timed), then times, alternately,
the bare trained pipeline and kg's full extraction (pipeline + kg components +
Extraction values) on ARTICLE (default: the shared seed article), and prints the
median times and their ratio (target <= 1.3). RDF writing is timed apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import spacy

from kg.extract import extract
from kg.ingest import read_article_file
from kg.pipeline import load_pipeline, model_name, shared_gazetteer
from kg.rdf import add_extraction, new_dataset

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed-balakliya.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=SEED)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not args.article.exists():
        print(f"skipped: {args.article} is absent (needs ../shared/corpora)", file=sys.stderr)
        return 0
    article = read_article_file(args.article, published=date(2022, 9, 7))
    bare = spacy.load(model_name())
    full = load_pipeline()
    _ = shared_gazetteer().places  # load the settlement index before timing
    extract(full(article.text), article)  # warm-up: first calls build caches
    bare(article.text)
    bare_times, kg_times, rdf_times = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        bare(article.text)
        bare_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        extraction = extract(full(article.text), article)
        kg_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        add_extraction(new_dataset(), extraction)
        rdf_times.append(time.perf_counter() - start)
    bare_ms = statistics.median(bare_times) * 1000
    kg_ms = statistics.median(kg_times) * 1000
    rdf_ms = statistics.median(rdf_times) * 1000
    words = len(article.text.split())
    print(f"article          {args.article.name} ({words} words), {args.repeat} runs, medians")
    print(f"bare spaCy       {bare_ms:8.1f} ms  ({model_name()})")
    print(f"kg extraction    {kg_ms:8.1f} ms")
    print(f"ratio            {kg_ms / bare_ms:8.2f}  (target <= 1.30)")
    print(f"RDF graph build  {rdf_ms:8.1f} ms  (not part of the ratio)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
