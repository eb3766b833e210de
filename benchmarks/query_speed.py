"""Speed of the named questions on pyoxigraph (what kg uses) and on rdflib, same graph, same queries.

Usage: python benchmarks/query_speed.py [FOLDER] [--articles-only] [--repeat N] [--rdflib-repeat N]
                                        [--rdflib-timeout S] [--only NAME ...]

FOLDER holds per-article graph files, as ``kg build ../shared/corpora/isw-2022.jsonl
--out-dir out/isw`` writes them (default: out/isw). By default the questions run on
the merged graph: the article graphs plus the merged layer that ``kg merge`` adds
(``kg.merge.update_merged_layer``, computed in a separate process and written to a
temporary N-Quads file); ``--articles-only`` leaves the merged layer out. The graph
is loaded into an rdflib ``Dataset`` (default graph = union of the named graphs) and
into a pyoxigraph store (``kg.store.open_source``); every query in queries/ then runs
on both with the example values of its parameters (bound: ``initBindings`` in rdflib,
substitutions in pyoxigraph), and the median times (ms), their ratio and the row
counts are printed side by side. rdflib runs each query in a forked process that is
stopped after ``--rdflib-timeout`` seconds, so one slow query does not hold up the
rest ("> 60 s" in the table; "failed" when rdflib raises). Without FOLDER the script
says so and exits 0.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
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


def time_rdflib(dataset, text: str, bindings: dict, repeat: int, timeout: float) -> tuple[float, int] | str:
    """(median ms, rows) of ``text`` on ``dataset``; "timeout" past ``timeout`` seconds, "error" if rdflib fails."""
    receive, send = mp.Pipe(duplex=False)
    child = mp.get_context("fork").Process(target=_rdflib_child, args=(dataset, text, bindings, repeat, send))
    child.start()
    send.close()  # the child holds the only sending end: a child that dies ends the pipe
    try:
        found = receive.recv() if receive.poll(timeout) else "timeout"
    except EOFError:
        found = "error"
    if child.is_alive():
        child.kill()
    child.join()
    return found


def write_merged(files: list[Path], out: Path) -> None:
    """Write the article graphs of ``files`` and their merged layer to ``out`` (N-Quads)."""
    from kg.merge import update_merged_layer
    from kg.store import dump_store, load_files

    store = load_files(files)
    update_merged_layer(store)
    dump_store(store, out)


def merged_files(files: list[Path], folder: Path) -> list[Path]:
    """``files`` merged into one N-Quads file in ``folder``, in a separate process so that
    pyoxigraph starts no thread here before rdflib's forked children (see ``main``)."""
    out = folder / "merged.nq"
    start = time.perf_counter()
    worker = mp.get_context("spawn").Process(target=write_merged, args=(files, out))
    worker.start()
    worker.join()
    if worker.exitcode != 0:
        raise SystemExit(f"merging {len(files)} graph files failed (exit code {worker.exitcode})")
    print(f"merged layer added to {len(files)} graph files in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return [out]


def time_oxigraph(store, text: str, params: dict, repeat: int) -> tuple[float, int]:
    """(median ms, rows) of ``text`` on ``store`` through kg.query.run_query."""
    from kg.query import run_query

    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(run_query(store, text, params=params).rows)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, rows


def compare(files: list[Path], what: str, args: argparse.Namespace) -> None:
    """Load ``files`` into rdflib and pyoxigraph, time every named question on both, print the table."""
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
    print(f"rdflib: {what} loaded in {rdflib_load:.1f} s", file=sys.stderr)
    rdflib_times = {}
    for q in queries:
        rdflib_times[q.name] = time_rdflib(dataset, q.text, rdflib_bindings(example_params(q)), args.rdflib_repeat,
                                           args.rdflib_timeout)
        print(f"rdflib: {q.name} {rdflib_times[q.name]}", file=sys.stderr, flush=True)
    del dataset
    start = time.perf_counter()
    store = open_source(files)
    oxigraph_load = time.perf_counter() - start
    print(f"{what}: pyoxigraph {len(store)} quads loaded in "
          f"{oxigraph_load:.1f} s, rdflib in {rdflib_load:.1f} s; medians of {args.repeat} (pyoxigraph) and "
          f"{args.rdflib_repeat} (rdflib) runs, ms\n")
    print(f"{'question':<22} {'pyoxigraph':>11} {'rdflib':>11} {'ratio':>7}  rows (ox / rdflib)  parameters")
    ratios = []
    for q in queries:
        params = example_params(q)
        ox_ms, ox_rows = time_oxigraph(store, q.text, params, args.repeat)
        found = rdflib_times[q.name]
        rl_ms, rl_rows = (None, None) if isinstance(found, str) else found
        ratio = f"{rl_ms / ox_ms:7.1f}" if rl_ms is not None and ox_ms > 0 else "      -"
        if rl_ms is not None and ox_ms > 0:
            ratios.append(rl_ms / ox_ms)
        failed = f"> {args.rdflib_timeout:g} s" if found == "timeout" else "failed"
        rl_text = f"{rl_ms:11.1f}" if rl_ms is not None else f"{failed:>11}"
        rows = f"{ox_rows} / {rl_rows if rl_rows is not None else '-'}"
        flag = "" if rl_rows in (None, ox_rows) else " (differ)"
        shown = " ".join(f"{k}={v}" for k, v in params.items())
        print(f"{q.name:<22} {ox_ms:11.1f} {rl_text} {ratio}  {rows + flag:<18}  {shown}")
    if ratios:
        print(f"\nrdflib / pyoxigraph: median ratio {statistics.median(ratios):.1f} over {len(ratios)} questions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--articles-only", action="store_true", help="leave the merged layer out")
    parser.add_argument("--repeat", type=int, default=5, help="pyoxigraph runs per query (median)")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="rdflib runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds per rdflib query")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these named queries")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.glob("*") if p.suffix in (".trig", ".nq")) if args.folder.is_dir() else []
    if not files:
        print(f"skipped: {args.folder} holds no graphs; make them with\n"
              f"  kg build ../shared/corpora/isw-2022.jsonl --out-dir {args.folder}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="query-speed-") as scratch:
        graphs = files if args.articles_only else merged_files(files, Path(scratch))
        layer = "article graphs only" if args.articles_only else "article graphs and merged layer"
        compare(graphs, f"{len(files)} graph files from {args.folder}, {layer}", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
