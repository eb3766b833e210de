"""Size and settling time of the page ``kg viz`` draws by default for a folder of graphs.

Usage: python benchmarks/viz_size.py [FOLDER] [--max-nodes N] [--out FILE]

Loads every graph in FOLDER (default: out/isw, the 319 ISW reports built with
``kg build ../shared/corpora/isw-2022.jsonl --out-dir out/isw``), renders the default
view (a summary of at most 300 nodes) and prints the load and render times, the size
of the HTML (target: under 5 MB) and the nodes and edges drawn and left out. When
/usr/bin/chromium and the playwright package are there, it also opens the page in
headless Chromium and prints when the network stopped moving, counted from the start
of page load (target: under 5 s).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from kg.store import open_source
from kg.viz import render

ISW = Path(__file__).resolve().parents[1] / "out" / "isw"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def settle(page: Path) -> tuple[float, str, int]:
    """Open ``page`` in headless Chromium: seconds until physics stopped, why, and outside requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1600, "height": 1000})
            outside = []
            tab.on("request", lambda request: request.url.startswith("file:") or outside.append(request.url))
            tab.goto(page.as_uri())
            tab.wait_for_function("() => window.kgPhysicsStopped === true", timeout=30_000)
            return tab.evaluate("window.kgStoppedAt") / 1000, tab.evaluate("window.kgStoppedBy"), len(outside)
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ISW)
    parser.add_argument("--max-nodes", type=int, default=300)
    parser.add_argument("--out", type=Path, help="keep the page here (default: a temporary file)")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"skipped: {args.folder} is absent (build it with kg build --out-dir)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "graph.html"
        start = time.perf_counter()
        store = open_source([args.folder])
        loaded = time.perf_counter()
        summary = render(store, out, max_nodes=args.max_nodes, title=f"conflict-kg: {args.folder.name}")
        rendered = time.perf_counter()
        graphs = sum(1 for _ in store.named_graphs())
        print(f"graphs:        {graphs:,} named graphs, {len(store):,} quads from {args.folder}")
        print(f"load, render:  {loaded - start:.1f} s, {rendered - loaded:.1f} s")
        print(f"html size:     {summary.size / 1_000_000:.2f} MB ({summary.size:,} bytes; target < 5 MB)")
        print(f"drawn:         {summary.nodes:,} nodes, {summary.edges:,} edges")
        print(f"left out:      {summary.left_out:,} nodes, {summary.left_out_edges:,} edges")
        if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
            print("settling:      skipped (needs /usr/bin/chromium and the playwright package)")
            return 0
        seconds, reason, outside = settle(out)
        print(f"settling:      physics stopped {seconds:.2f} s after page load began ({reason}; target < 5 s)")
        print(f"requests:      {outside} to anything but the page itself")
    return 0


if __name__ == "__main__":
    sys.exit(main())
