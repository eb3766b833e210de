"""Build: articles in, graphs written; the work behind ``kg build``.

Reads every input first (so a bad file stops the run before anything is written),
runs the pipeline over the articles with ``nlp.pipe``, and writes one dataset (one
named graph per article) or one file per article.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from tqdm import tqdm

from kg.extract import extract
from kg.model import Article, Extraction
from kg.rdf import FORMATS, add_extraction, new_dataset, write_dataset

BATCH_SIZE = 16


def extract_all(nlp: Language, articles: list[Article], *, progress: bool = True) -> Iterator[Extraction]:
    """Yield the extraction of every article, in order, with a progress bar on stderr."""
    texts = ((a.text, a) for a in articles)
    docs = nlp.pipe(texts, as_tuples=True, batch_size=BATCH_SIZE)
    bar = tqdm(docs, total=len(articles), unit="article", disable=not progress or len(articles) < 2,
               desc="extracting", leave=False)
    for doc, article in bar:
        yield extract(doc, article)


def write_one_file(extractions: Iterable[Extraction], out: Path | None,
                   fmt: str | None) -> list[Extraction]:
    """Write all extractions into one dataset file (stdout when ``out`` is None)."""
    ds = new_dataset()
    done = []
    for ex in extractions:
        add_extraction(ds, ex)
        done.append(ex)
    if out is None:
        sys.stdout.write(ds.serialize(format=fmt or "trig"))
    else:
        write_dataset(ds, out, fmt)
    return done


def write_per_article(extractions: Iterable[Extraction], out_dir: Path, fmt: str | None) -> list[Extraction]:
    """Write each extraction to ``out_dir/<article id>.<ext>``; return them."""
    suffix = FORMATS[fmt or "trig"]
    done = []
    for ex in extractions:
        ds = new_dataset()
        add_extraction(ds, ex)
        name = ex.article.key.replace("/", "_")
        write_dataset(ds, out_dir / f"{name}{suffix}", fmt or "trig")
        done.append(ex)
    return done


def summary(extractions: list[Extraction]) -> str:
    """A few lines saying what was found: entities, events and claims by type."""
    entities = Counter(e.type for ex in extractions for e in ex.entities)
    events = Counter(e.type for ex in extractions for e in ex.events)
    claims = Counter(c.kind for ex in extractions for c in ex.claims)
    contradictions = sum(len(ex.contradictions) for ex in extractions)

    def line(title: str, counts: Counter) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in counts.most_common()) or "none"
        return f"{title:<9} {sum(counts.values()):>4}  ({parts})"

    return "\n".join([
        f"articles  {len(extractions):>4}",
        line("entities", entities), line("events", events), line("claims", claims),
        f"contradictions {contradictions}",
    ])


def describe(extractions: list[Extraction]) -> str:
    """Readable lines for each event and claim: what happened, who, where, when, who said."""
    lines = []
    for ex in extractions:
        labels = {e.key: e.label for e in ex.entities}
        events = {e.key: e for e in ex.events}
        lines.append(f"# {ex.article.headline or ex.article.origin}")
        for event in ex.events:
            roles = ", ".join(f"{role} {labels.get(key, key)}" for role, key in event.roles)
            when = f" on {event.date.isoformat()}" if event.date else ""
            how = f" [{event.modality.lower()}]" if event.modality else ""
            lines.append(f"  event  {event.type}{how}: {roles}{when}")
        for claim in ex.claims:
            event = events[claim.asserts]
            who = labels.get(claim.claimant, "unattributed") if claim.claimant else "unattributed"
            via = f" via {labels[claim.channel]}" if claim.channel else ""
            lines.append(f"  {claim.kind:<6} {who}{via} -> {event.type} "
                         f"({', '.join(event.triggers)})")
    return "\n".join(lines)
