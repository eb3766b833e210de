"""Speed of the named questions on pyoxigraph (what kg uses) and on rdflib, same graphs, same queries.

Usage: python benchmarks/query_speed.py [FOLDER] [--repeat N] [--rdflib-repeat N] [--rdflib-timeout S]
                                        [--only NAME ...]

FOLDER holds per-article graph files, as ``kg build ../shared/corpora/isw-2022.jsonl
--out-dir out/isw`` writes them (default: out/isw). They are loaded into an rdflib
``Dataset`` (default graph = union of the named graphs) and into a pyoxigraph store
(``kg.store.open_source``); every query in queries/ then runs on both with the example
values of its parameters (bound: ``initBindings`` in rdflib, substitutions in
pyoxigraph), and the median times (ms), their ratio and the row counts are printed side
by side. rdflib runs each query in a forked process that is stopped after
``--rdflib-timeout`` seconds, so one slow query does not hold up the rest. Without
FOLDER the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "out" / "isw"


def example_params(query) -> dict[str, str]:
    """The example value of every parameter that has one."""
    return {p.name: p.example for p in query.parameters or () if p.example}


def rdflib_bindings(params: dict[str, str]) -> dict:
    """The parameters as rdflib terms, converted the way kg.query binds them for pyoxigraph."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    from kg.query import to_term

    bound = {}
    for name, value in params.items():
        term = to_term(value)
        bound[name] = URIRef(term.value) if isinstance(term, ox.NamedNode) else \
            Literal(term.value, datatype=URIRef(term.datatype.value))
    return bound


def _rdflib_child(dataset, text: str, bindings: dict, repeat: int, pipe) -> None:
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(list(dataset.query(text, initBindings=bindings)))
        times.append(time.perf_counter() - start)
    pipe.send((statistics.median(times) * 1000, rows))


def time_rdflib(dataset, text: str, bindings: dict, repeat: int, timeout: float) -> tuple[float | None, int | None]:
    """(median ms, rows) of ``text`` on ``dataset``, or (None, None) past ``timeout`` seconds."""
    receive, send = mp.Pipe(duplex=False)
    child = mp.get_context("fork").Process(target=_rdflib_child, args=(dataset, text, bindings, repeat, send))
    child.start()
    if receive.poll(timeout):
        found = receive.recv()
        child.join()
        return found
    child.kill()
    child.join()
    return None, None


def time_oxigraph(store, text: str, params: dict, repeat: int) -> tuple[float, int]:
    """(median ms, rows) of ``text`` on ``store`` through kg.query.run_query."""
    from kg.query import run_query

    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(run_query(store, text, params=params).rows)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5, help="pyoxigraph runs per query (median)")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="rdflib runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds per rdflib query")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these named queries")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.glob("*") if p.suffix in (".trig", ".nq")) if args.folder.is_dir() else []
    if not files:
        print(f"skipped: {args.folder} holds no graphs; make them with\n"
              f"  kg build ../shared/corpora/isw-2022.jsonl --out-dir {args.folder}", file=sys.stderr)
        return 0
    from rdflib import Dataset

    from kg.query import list_queries
    from kg.store import open_source

    queries = [q for q in list_queries() if not args.only or q.name in args.only]
    # rdflib first: its queries run in forked children, before pyoxigraph has started any thread
    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    for path in files:
        dataset.parse(path, format="trig" if path.suffix == ".trig" else "nquads")
    rdflib_load = time.perf_counter() - start
    print(f"rdflib: {len(files)} files loaded in {rdflib_load:.1f} s", file=sys.stderr)
    rdflib_times = {}
    for q in queries:
        rdflib_times[q.name] = time_rdflib(dataset, q.text, rdflib_bindings(example_params(q)), args.rdflib_repeat,
                                           args.rdflib_timeout)
        print(f"rdflib: {q.name} {rdflib_times[q.name]}", file=sys.stderr, flush=True)
    del dataset
    start = time.perf_counter()
    store = open_source(files)
    oxigraph_load = time.perf_counter() - start
    print(f"{len(files)} graph files from {args.folder}: pyoxigraph {len(store)} quads loaded in "
          f"{oxigraph_load:.1f} s, rdflib in {rdflib_load:.1f} s; medians of {args.repeat} (pyoxigraph) and "
          f"{args.rdflib_repeat} (rdflib) runs, ms\n")
    print(f"{'question':<22} {'pyoxigraph':>11} {'rdflib':>11} {'ratio':>7}  rows (ox / rdflib)  parameters")
    ratios = []
    for q in queries:
        params = example_params(q)
        ox_ms, ox_rows = time_oxigraph(store, q.text, params, args.repeat)
        rl_ms, rl_rows = rdflib_times[q.name]
        ratio = f"{rl_ms / ox_ms:7.1f}" if rl_ms is not None and ox_ms > 0 else "      -"
        if rl_ms is not None and ox_ms > 0:
            ratios.append(rl_ms / ox_ms)
        rl_text = f"{rl_ms:11.1f}" if rl_ms is not None else f"{'>' + format(args.rdflib_timeout, 'g') + ' s':>11}"
        rows = f"{ox_rows} / {rl_rows if rl_rows is not None else '-'}"
        flag = "" if rl_rows in (None, ox_rows) else " (differ)"
        shown = " ".join(f"{k}={v}" for k, v in params.items())
        print(f"{q.name:<22} {ox_ms:11.1f} {rl_text} {ratio}  {rows + flag:<18}  {shown}")
    if ratios:
        print(f"\nrdflib / pyoxigraph: median ratio {statistics.median(ratios):.1f} over {len(ratios)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
