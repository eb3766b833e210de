"""Store: where graphs live between runs, on Oxigraph (pyoxigraph).

A *source* is what the query, viz and serve commands read: RDF files (loaded into an
in-memory store, named graphs kept) or a store directory written by
``kg build --store``. Article graphs are replaced whole, so adding an article twice
leaves the store as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import GraphError
from kg.rdf import checked_format, first_line
from kg.remote import RemoteStore, is_remote

OX_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
              ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}
STORE_MARKER = "kg-store"
GraphStore = ox.Store | RemoteStore


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` is a store directory made by ``open_store``."""
    return path.is_dir() and (path / STORE_MARKER).exists()


def open_store(path: Path, *, create: bool = False) -> ox.Store:
    """Open (or create) a persistent store directory.

    Raises:
        GraphError: when ``path`` exists but is not a store, or is missing and not created.
    """
    new_empty_dir = create and path.is_dir() and not any(path.iterdir())
    if path.exists() and not is_store_dir(path) and not new_empty_dir:
        raise GraphError(f"{path}: not a conflict-kg store (no {STORE_MARKER} marker)")
    if not path.exists() and not create:
        raise GraphError(f"{path}: no such store")
    path.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(path))
    except OSError as err:
        raise GraphError(f"{path}: cannot open the store: {err}") from None
    (path / STORE_MARKER).touch()
    return store


def open_target(spec: str | Path, *, graph_store: str | None = None) -> GraphStore:
    """Open where a build writes: a SPARQL server for an http(s) address, else a store directory.

    Args:
        spec: a directory, or the server's query endpoint.
        graph_store: the server's Graph Store Protocol address, when not the usual one.

    Raises:
        GraphError: when a directory exists but is not a store.
    """
    if is_remote(str(spec)):
        return RemoteStore(str(spec), graph_store=graph_store)
    return open_store(Path(spec), create=True)


def load_files(paths: list[Path], store: ox.Store | None = None) -> ox.Store:
    """Load RDF files into ``store`` (a new in-memory store by default), keeping graph names.

    Raises:
        GraphError: naming a missing, unknown-format or malformed file.
    """
    store = store if store is not None else ox.Store()
    for path in paths:
        fmt = checked_format(path, OX_FORMATS)
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as err:
            raise GraphError(f"{path}: not valid RDF: {first_line(err)}") from None
    return store


def open_source(paths: list[Path]) -> ox.Store:
    """Open what a command reads: one store directory, or graph files and folders of them.

    Raises:
        GraphError: for a missing or unreadable source.
    """
    if len(paths) == 1 and is_store_dir(paths[0]):
        return open_store(paths[0])
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in OX_FORMATS)
            if not found:
                raise GraphError(f"{path}: the folder holds no RDF files")
            files.extend(found)
        else:
            files.append(path)
    return load_files(files)


def replace_graph(store: GraphStore, name: str, ntriples: bytes) -> None:
    """Replace the named graph ``name`` with the triples of ``ntriples``.

    In an Oxigraph store the old graph goes in one transaction and the new one comes
    in another, so an interrupted build leaves a graph whole or absent, never half.
    """
    if isinstance(store, RemoteStore):
        store.replace_graph(name, ntriples)
        return
    graph = ox.NamedNode(name)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)


def dump_store(store: ox.Store, out: Path) -> None:
    """Write every graph of ``store`` to ``out`` (TriG or N-Quads by suffix), atomically.

    Raises:
        GraphError: for a suffix that cannot hold named graphs.
    """
    fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(out.suffix.lower())
    if fmt is None:
        raise GraphError(f"{out}: write .trig or .nq (formats with named graphs)")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    try:
        store.dump(output=tmp, format=fmt)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
