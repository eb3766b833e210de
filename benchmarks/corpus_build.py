"""The 319-report corpus into a store: wall time against bare spaCy, peak memory, merging.

Usage: python benchmarks/corpus_build.py [CORPUS.jsonl] [--workers N] [--samples K] [--store DIR]

Times, in one run: (1) bare spaCy ``nlp.pipe`` over the corpus texts with N processes;
(2) ``kg build --store`` of the same articles with N worker processes (extraction, RDF,
store and merged layer). Prints both, their ratio (target <= 1.5), the peak resident
memory of this process and of the largest child (target < 4 GB), entity nodes per
1,000 entity mentions, and K random merged events and K near misses (same class and
place, not merged) with their evidence, for a person to judge. With --store DIR it only
prints the samples of that existing store.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import spacy

from kg.build import run_build
from kg.ingest import read_inputs
from kg.merge import MERGED_GRAPH
from kg.pipeline import model_name
from kg.store import open_store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "isw-2022.jsonl"
PREFIXES = """PREFIX ck: <https://w3id.org/conflict-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""


def _rows(store, query):
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def _evidence(store, event_iri: str, place: str) -> str:
    """The event's evidence sentence that names the place (its first five letters), else any."""
    rows = [r["s"].value for r in _rows(store, f"SELECT ?s WHERE {{ <{event_iri}> ck:evidence/nif:anchorOf ?s }}")]
    naming = [s for s in rows if place[:5].lower() in s.lower()]
    return (naming or rows or [""])[0][:160]


def samples(store, k: int) -> None:
    """Print k random merges and k near misses with evidence sentences."""
    rng = random.Random(7)
    rows = _rows(store, f"""SELECT ?m ?t ?p ?n WHERE {{ GRAPH <{MERGED_GRAPH}> {{
        ?m a ?t ; ck:location ?p ; ck:sourceCount ?n . FILTER(?t != ck:Event) }} }}""")
    label = {}
    by_place: dict[tuple[str, str], list[str]] = {}
    several = []
    for row in rows:
        key = (row["t"].value.split("#")[1], row["p"].value)
        by_place.setdefault(key, []).append(row["m"].value)
        if int(row["n"].value) > 1:
            several.append((row["m"].value, key))

    def place(iri: str) -> str:
        if iri not in label:
            found = _rows(store, f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }} LIMIT 1")
            label[iri] = found[0]["l"].value if found else iri
        return label[iri]

    def members(merged: str) -> list[str]:
        return [r["e"].value for r in _rows(store, f"""SELECT ?e WHERE {{
            GRAPH <{MERGED_GRAPH}> {{ <{merged}> owl:sameAs ?e }} }}""")]

    print(f"\n{k} random merges (of {len(several)} events at a place reported by several articles):")
    for merged, (type_, where) in rng.sample(several, min(k, len(several))):
        print(f"- {type_} at {place(where)}")
        for member in members(merged)[:3]:
            print(f"    {member.split('/article/')[1][:40]}: {_evidence(store, member, place(where))}")
    crowded = [(key, ms) for key, ms in by_place.items() if len(set(ms)) > 1]
    print(f"\n{k} random near misses (same class and place, kept apart):")
    for (type_, where), ms in rng.sample(crowded, min(k, len(crowded))):
        a, b = rng.sample(sorted(set(ms)), 2)
        print(f"- {type_} at {place(where)}")
        for merged in (a, b):
            member = members(merged)[0]
            print(f"    {member.split('/article/')[1][:40]}: {_evidence(store, member, place(where))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--store", type=Path, help="only print the samples of this existing store")
    args = parser.parse_args()
    if args.store:
        samples(open_store(args.store), args.samples)
        return 0
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} is absent (needs ../shared/corpora)", file=sys.stderr)
        return 0
    articles = list(read_inputs([args.corpus]))
    texts = [a.text for a in articles]
    start = time.perf_counter()
    nlp = spacy.load(model_name())
    for _ in nlp.pipe(texts, n_process=args.workers, batch_size=8):
        pass
    bare = time.perf_counter() - start
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        start = time.perf_counter()
        report = run_build(articles, store=Path(tmp) / "store", workers=args.workers)
        built = time.perf_counter() - start
        own, child = _peak_mb()
        store = open_store(Path(tmp) / "store")
        mentions = sum(len(ex.mentions) for ex in report.done)
        nodes = _rows(store, f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH ?g {{ ?e a ?t }}
            VALUES ?t {{ ck:Person ck:ArmedGroup ck:Organization ck:Country ck:Region ck:Settlement }}
            FILTER NOT EXISTS {{ GRAPH <{MERGED_GRAPH}> {{ ?e owl:sameAs ?other }} }} }}""")[0]["n"].value
        print(f"corpus            {args.corpus.name}: {len(articles)} articles, {args.workers} processes")
        print(f"bare spaCy pipe   {bare:8.1f} s  (model load included)")
        print(f"kg build --store  {built:8.1f} s  (extraction, RDF, store, merged layer)")
        print(f"ratio             {built / bare:8.2f}  (target <= 1.5)")
        print(f"peak memory       {own:8.0f} MB in this process, {child:.0f} MB in the largest worker")
        print(f"failures          {len(report.failures)}")
        print(f"entity nodes      {int(nodes) * 1000 / max(mentions, 1):8.1f} per 1,000 entity mentions "
              f"({nodes} nodes, {mentions} mentions)")
        if args.samples:
            samples(store, args.samples)
        del store  # close the store before its folder goes
    return 0


if __name__ == "__main__":
    sys.exit(main())
