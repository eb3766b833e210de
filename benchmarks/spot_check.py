"""Print random events with their roles and evidence sentence, for a person to judge.

Usage: python benchmarks/spot_check.py GRAPH_DIR [-n 20] [--seed 1]

Reads every graph file in GRAPH_DIR (for example the per-article graphs of
``kg build ../shared/corpora/isw-2022.jsonl --out-dir GRAPH_DIR``) and prints N events
drawn at random: class, roles, date, modality, and the sentence they come from.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from kg.store import open_source

QUERY = """PREFIX ck: <https://w3id.org/conflict-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?e ?type (GROUP_CONCAT(DISTINCT ?role; separator=", ") AS ?roles) (SAMPLE(?d) AS ?date)
       (SAMPLE(?m) AS ?modality) (SAMPLE(?s) AS ?sentence) WHERE {
  ?e a ck:Event, ?type ; ck:evidence/nif:anchorOf ?s . FILTER(?type != ck:Event)
  OPTIONAL { ?e ?p ?x . ?x rdfs:label ?l .
             FILTER(?p IN (ck:agent, ck:target, ck:location, ck:origin, ck:destination))
             BIND(CONCAT(STRAFTER(STR(?p), "#"), "=", ?l) AS ?role) }
  OPTIONAL { ?e ck:date ?d } OPTIONAL { ?e ck:modality ?m }
} GROUP BY ?e ?type"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", type=Path)
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.graphs.exists():
        print(f"skipped: {args.graphs} is absent", file=sys.stderr)
        return 0
    rows = list(open_source([args.graphs]).query(QUERY, use_default_graph_as_union=True))
    for n, row in enumerate(random.Random(args.seed).sample(rows, min(args.n, len(rows))), 1):
        extra = " ".join(v.value.split("#")[-1] for v in (row["date"], row["modality"]) if v)
        print(f"{n:2}. {row['type'].value.split('#')[1]} [{row['roles'].value}] {extra}")
        print(f"    \"{row['sentence'].value}\"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
