"""Validation: an output graph checked against ``ontology/shapes.ttl`` with pySHACL.

Input: RDF files. Output: a list of ``Violation`` values (empty when the graph
conforms), each naming the node, the property and what was expected.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.rdf import read_dataset

ONTOLOGY_FILES = ("conflict.ttl", "shapes.ttl")


def ontology_dir() -> Path:
    """Return the folder holding the ontology files (source tree or installed copy)."""
    for candidate in (Path(__file__).resolve().parent.parent / "ontology",
                      Path(sys.prefix) / "share" / "conflict-kg" / "ontology"):
        if (candidate / "conflict.ttl").is_file():
            return candidate
    raise FileNotFoundError("the conflict-kg ontology files are not installed")


def ontology_graph() -> Graph:
    """The ontology (classes, properties, SKOS mappings) as one graph."""
    g = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name != "shapes.ttl":
            g.parse(path, format="turtle")
    return g


@dataclass(frozen=True)
class Violation:
    """One SHACL result, readable."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}"


def validate_files(paths: list[Path]) -> list[Violation]:
    """Validate RDF files as one dataset against the shapes; return the violations.

    Raises:
        GraphError: when a file cannot be read.
    """
    from pyshacl import validate

    data = read_dataset(paths)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    union = Graph(namespace_manager=data.namespace_manager)
    for s, p, o, _ in data.quads():
        union.add((s, p, o))
    _, report, _ = validate(union, shacl_graph=shapes, ont_graph=ontology_graph(),
                            inference="rdfs", abort_on_first=False, allow_warnings=True)
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        out.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=union.namespace_manager.normalizeUri(path) if path is not None else None,
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
