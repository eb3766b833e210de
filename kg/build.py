"""Build: articles in, graphs written; the work behind ``kg build``.

The caller reads every input first (so a bad file stops the run before anything is
written); extraction runs through ``kg.batch``; results go to one dataset file (one
named graph per article), one file per article, or a store (incremental: articles
already there with the same text are not processed again, and the merged layer is
recomputed at the end).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from kg.batch import Failure, extract_many
from kg.iri import article_iri
from kg.merge import DEFAULT_WINDOW, update_merged_layer
from kg.model import Article, Extraction
from kg.rdf import FORMATS, add_extraction, content_hash, new_dataset, write_dataset
from kg.store import GraphStore, open_target, replace_graph
from kg.vocab import SCHEMA

Result = Extraction | Failure


def _extractions(results: Iterable[Result], failures: list[Failure]) -> Iterator[Extraction]:
    for result in results:
        if isinstance(result, Failure):
            failures.append(result)
        else:
            yield result


def pending_articles(store: GraphStore, articles: list[Article]) -> list[Article]:
    """The articles that ``store`` does not already hold with the same text."""
    held = {row["g"].value: row["h"].value for row in store.query(
        f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{SCHEMA.sha256}> ?h }} }}")}
    return [a for a in articles if held.get(str(article_iri(a.key))) != content_hash(a.text)]


def write_to_store(results: Iterable[Result], store: GraphStore, failures: list[Failure], *,
                   window: timedelta = DEFAULT_WINDOW) -> list[Extraction]:
    """Put each article's graph in ``store`` (replacing an older one), then re-merge."""
    done = []
    for ex in _extractions(results, failures):
        ds = new_dataset()
        graph = add_extraction(ds, ex)
        replace_graph(store, str(graph.identifier), graph.serialize(format="nt", encoding="utf-8"))
        done.append(ex)
    update_merged_layer(store, window=window)
    store.flush()
    return done


def write_one_file(results: Iterable[Result], out: Path | None, fmt: str | None,
                   failures: list[Failure]) -> list[Extraction]:
    """Write all extractions into one dataset file (stdout when ``out`` is None)."""
    ds = new_dataset()
    done = []
    for ex in _extractions(results, failures):
        add_extraction(ds, ex)
        done.append(ex)
    if out is None:
        sys.stdout.write(ds.serialize(format=fmt or "trig"))
    else:
        write_dataset(ds, out, fmt)
    return done


def write_per_article(results: Iterable[Result], out_dir: Path, fmt: str | None,
                      failures: list[Failure]) -> list[Extraction]:
    """Write each extraction to ``out_dir/<article id>.<ext>``; return them."""
    suffix = FORMATS[fmt or "trig"]
    done = []
    for ex in _extractions(results, failures):
        ds = new_dataset()
        add_extraction(ds, ex)
        name = ex.article.key.replace("/", "_")
        write_dataset(ds, out_dir / f"{name}{suffix}", fmt or "trig")
        done.append(ex)
    return done


def summary(extractions: list[Extraction], failures: list[Failure] = (), skipped: int = 0) -> str:
    """A few lines saying what was found: entities, events and claims by type."""
    entities = Counter(e.type for ex in extractions for e in ex.entities)
    events = Counter(e.type for ex in extractions for e in ex.events)
    claims = Counter(c.kind for ex in extractions for c in ex.claims)
    contradictions = sum(len(ex.contradictions) for ex in extractions)

    def line(title: str, counts: Counter) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in counts.most_common()) or "none"
        return f"{title:<9} {sum(counts.values()):>4}  ({parts})"

    lines = [f"kg: skipped {f.origin}: {f.message}" for f in failures]
    if skipped:
        lines.append(f"unchanged {skipped:>4}  (already in the store)")
    return "\n".join(lines + [
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


@dataclass
class BuildReport:
    """What a build did."""

    done: list[Extraction] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: int = 0


def run_build(articles: list[Article], *, out: Path | None = None, out_dir: Path | None = None,
              store: str | Path | None = None, fmt: str | None = None, model: str | None = None,
              graph_store: str | None = None, workers: int = 1, scheduler: str | None = None,
              window: timedelta = DEFAULT_WINDOW) -> BuildReport:
    """Extract ``articles`` and write them to one file, one file each, or a store.

    Args:
        articles: what to build.
        out, out_dir, store: where to write (one of them; none writes to stdout). ``store``
            is a directory or a SPARQL server's query endpoint (see ``kg.store.open_target``).
        fmt: the RDF format of files.
        model: the spaCy pipeline.
        graph_store: a SPARQL server's Graph Store Protocol address, when not the usual one.
        workers: local extraction processes.
        scheduler: a Dask scheduler whose workers do the extraction instead.
        window: how many days apart reports of one event may be dated, for the merged layer.
    """
    report = BuildReport()
    target = open_target(store, graph_store=graph_store) if store else None
    todo = pending_articles(target, articles) if target is not None else articles
    report.skipped = len(articles) - len(todo)
    results = extract_many(todo, model=model, workers=workers, scheduler=scheduler)
    if target is not None:
        report.done = write_to_store(results, target, report.failures, window=window)
    elif out_dir:
        report.done = write_per_article(results, out_dir, fmt, report.failures)
    else:
        report.done = write_one_file(results, out, fmt, report.failures)
    return report
