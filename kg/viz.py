"""Viz: a store in, one self-contained HTML page of the graph out (``kg viz``).

Input: a pyoxigraph ``Store`` (or the paths ``open_source`` reads) and focus options.
Output: an HTML file that draws the chosen part of the graph with vis-network (through
pyvis), with a legend, tooltips quoting the evidence, and a note on what was left out;
``render`` returns a ``VizSummary``. The page needs no network: the vis-network script
and stylesheet bundled with pyvis are copied into it, nothing else is referenced, and a
Content-Security-Policy forbids any fetch and any script but the page's own.

Events are drawn as nodes, not as edges. An event has up to five roles (agent, target,
location, origin, destination), often more than two participants or only one, and it is
itself what claims assert and what contradictions link; an edge can have two ends and
nothing can point at it, so most events could not be drawn as edges at all. As small
diamonds coloured by class, events sit between who acted and where: an actor points
into the event (agent, and origin for the place left) and the event points out to what
it was done to and where (target, location, destination), so a path reads as a sentence
("Russian forces → Retreat → Balakliya"), and several events at one place gather around
it instead of stacking up as parallel edges. Claims are dashed boxes between the
claimant and the event, and contradictions are red dashed lines between two events or
two claims.

Article text and labels are data, never markup: they travel in a JSON block with ``<``,
``>``, ``&`` and ``/`` escaped, and the page script puts them into the page with
``textContent`` (tooltips are DOM elements given to vis-network, not HTML strings).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pyvis
from pyvis.network import Network

from kg.vizdata import ENTITY_KINDS, EVENT_KINDS, ROLES, FocusError, Selection, choose, evidence, load_graph

__all__ = ["FocusError", "VizSummary", "render", "viz_source"]

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
PAGES = Path(__file__).parent / "pages"  # the page's template, style and script
MAX_SENTENCE = 400
MAX_ALIASES = 12
MAX_LABEL = 40

NAMES = {"ArmedGroup": "Armed group", "TakeControl": "Take control"}
# class: (vis shape, fill, border)
NODE_STYLES = {
    "Country": ("star", "#4e79a7", "#2f4b66"),
    "ArmedGroup": ("triangle", "#9c755f", "#5e4639"),
    "Person": ("dot", "#f28e2b", "#a35f1a"),
    "Organization": ("square", "#b07aa1", "#6f4c66"),
    "Region": ("hexagon", "#76b7b2", "#47706c"),
    "Settlement": ("triangleDown", "#59a14f", "#36622f"),
    "TakeControl": ("diamond", "#d37295", "#8a4660"),
    "Retreat": ("diamond", "#edc948", "#a08626"),
    "Advance": ("diamond", "#8cd17d", "#55894a"),
    "Encirclement": ("diamond", "#a0cbe8", "#5a87a6"),
    "Attack": ("diamond", "#e15759", "#943536"),
    "Combat": ("diamond", "#ff9da7", "#b5636c"),
    "Defend": ("diamond", "#499894", "#2c5f5c"),
    "Redeployment": ("diamond", "#bab0ac", "#7a716d"),
    "Claim": ("box", "#fff4cc", "#b8860b"),
    "Assessment": ("box", "#e3eefa", "#4e79a7"),
}
# link: (colour, dashes, drawn from the event's side: True when the arrow points away from it)
EDGE_STYLES = {
    "agent": ("#4d4d4d", False, False),
    "origin": ("#7f6a9e", False, False),
    "target": ("#943536", False, True),
    "location": ("#36622f", False, True),
    "destination": ("#2f6f9e", False, True),
    "near": ("#36622f", [2, 4], True),
    "side": ("#9a9a9a", [2, 4], True),
    "claimant": ("#b8860b", [6, 4], False),
    "asserts": ("#b8860b", [6, 4], True),
    "contradicts": ("#d62728", [8, 6], True),
}
SVG_SHAPES = {
    "dot": '<circle cx="10" cy="10" r="7"/>',
    "triangle": '<polygon points="10,2 18,17 2,17"/>',
    "triangleDown": '<polygon points="2,3 18,3 10,18"/>',
    "square": '<rect x="3" y="3" width="14" height="14"/>',
    "hexagon": '<polygon points="10,2 17,6 17,14 10,18 3,14 3,6"/>',
    "star": '<polygon points="10,1 12.6,7 19,7.2 14,11.3 15.8,18 10,14.2 4.2,18 6,11.3 1,7.2 7.4,7"/>',
    "diamond": '<polygon points="10,1 19,10 10,19 1,10"/>',
    "box": '<rect x="1" y="5" width="18" height="10" rx="3" stroke-dasharray="3 2"/>',
}
OPTIONS = {
    "autoResize": True,
    "nodes": {"font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1},
    "edges": {"font": {"size": 10, "face": "system-ui, sans-serif", "align": "middle", "color": "#333333",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1.2,
              "selectionWidth": 2},
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.008, "springLength": 90,
                                     "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.2},
                "maxVelocity": 60, "minVelocity": 1, "timestep": 0.4,
                "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 20, "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "multiselect": True},
    "layout": {"randomSeed": 7, "improvedLayout": False},
}


@dataclass(frozen=True)
class VizSummary:
    """What a page shows: nodes and edges drawn, and those the cap left out."""

    nodes: int
    edges: int
    left_out: int
    left_out_edges: int = 0
    path: Path | None = None
    size: int = 0

    def __str__(self) -> str:
        where = f" to {self.path} ({self.size / 1_000_000:.1f} MB)" if self.path else ""
        line = f"drew {self.nodes:,} nodes and {self.edges:,} edges{where}"
        if self.left_out:
            line += (f"; left out {self.left_out:,} nodes and {self.left_out_edges:,} edges "
                     "(focus with --around, --since/--until, --types, --min-sources, or raise --max-nodes)")
        return line


def render(store: ox.Store, out: Path, *, around: str | None = None, hops: int = 1, since: date | None = None,
           until: date | None = None, types: set[str] | None = None, min_sources: int = 1,
           max_nodes: int = 300, title: str = "conflict-kg graph") -> VizSummary:
    """Draw the graph in ``store`` as a self-contained HTML page at ``out``.

    Args:
        store: the graphs to draw (the union of its named graphs).
        out: the HTML file to write (atomically: a temporary file, then a rename).
        around: draw only what is near the entity with this label or alias (any case).
        hops: how many events away from ``around`` to go (1: its events, their
            participants and places, and the claims about them).
        since: keep events dated on or after this day (undated events go).
        until: keep events dated on or before this day (undated events go).
        types: keep only these classes, e.g. {"Retreat", "Settlement"} ("Event" for all
            event classes).
        min_sources: keep events reported by at least this many distinct articles.
        max_nodes: draw at most this many nodes, the best ranked; the page says what
            was left out.
        title: the page's heading.

    Returns:
        How many nodes and edges were drawn and left out, the path and its size.

    Raises:
        FocusError: when ``around`` names no entity, a type is unknown, or nothing is left.
    """
    graph = load_graph(store)
    selection = choose(graph, around=around, hops=hops, since=since, until=until, types=types,
                       min_sources=min_sources, max_nodes=max_nodes)
    page = _page(store, selection, title=title, focus=_focus_text(around, hops, since, until, types, min_sources),
                 max_nodes=max_nodes)
    _write_atomically(out, page.encode("utf-8"))
    return VizSummary(nodes=len(selection.drawn), edges=len(selection.edges),
                      left_out=sum(selection.left_out.values()), left_out_edges=selection.left_out_edges,
                      path=out, size=len(page.encode("utf-8")))


def viz_source(sources: Iterable[Path], out: Path, *, around: str | None = None, hops: int = 1,
               since: str | None = None, until: str | None = None, types: str | None = None,
               min_sources: int = 1, max_nodes: int = 300) -> VizSummary:
    """``kg viz``: open the sources, check the options as typed, and ``render``.

    ``since`` and ``until`` are YYYY-MM-DD; ``types`` is a comma-separated list.

    Raises:
        KgError: for an unreadable source, a malformed date, or a focus that names nothing.
    """
    from kg.ingest import parse_date
    from kg.store import open_source

    start = parse_date(since, where="--since") if since else None
    end = parse_date(until, where="--until") if until else None
    if start and end and start > end:
        raise FocusError(f"--since {start} is after --until {end}")
    kinds = {t for t in (types or "").split(",") if t.strip()} if types is not None else None
    if kinds is not None and not kinds:
        raise FocusError("--types: give one or more class names, e.g. --types Retreat,Settlement")
    paths = list(sources)
    store = open_source(paths)
    title = "conflict-kg: " + ", ".join(p.name or str(p) for p in paths)
    return render(store, out, around=around, hops=hops, since=start, until=end, types=kinds,
                  min_sources=min_sources, max_nodes=max_nodes, title=title)


def _name(kind: str) -> str:
    return NAMES.get(kind, kind)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _focus_text(around, hops, since, until, types, min_sources) -> str:
    parts = []
    if around is not None:
        parts.append(f"around “{around}”, {hops} hop{'s' if hops != 1 else ''}")
    if since or until:
        parts.append(f"events from {since or 'the start'} to {until or 'the end'}")
    if types is not None:
        parts.append("types: " + ", ".join(sorted(types)))
    if min_sources > 1:
        parts.append(f"events reported by {min_sources} or more articles")
    return "; ".join(parts)


def _event_label(data: dict) -> str:
    label = _name(data["kind"])
    if data["modality"] == "Possible":
        label += "?"
    elif data["modality"] == "Negated":
        label = "not " + label.lower()
    elif data["modality"] == "Planned":
        label = "planned " + label.lower()
    if data["sources"] > 1:
        label += f" ×{data['sources']}"
    return label + (f"\n{data['date'].isoformat()}" if data["date"] else "")


def _dates(data: dict) -> str:
    if data["date"] is None:
        return ""
    if data["end_date"] and data["end_date"] != data["date"]:
        return f"{data['date'].isoformat()} to {data['end_date'].isoformat()}"
    return data["date"].isoformat()


def _describe(graph, event: str) -> str:
    """An event in words: "Retreat (possible): agent Russian forces, origin Balakliya"."""
    data = graph.nodes[event]
    roles = ", ".join(f"{key} {edge.get('text', graph.nodes[v]['label'])}"
                      for _, v, key, edge in sorted(graph.out_edges(event, keys=True, data=True),
                                                    key=lambda e: (e[2], e[1])) if key in (*ROLES, "near"))
    modality = f" ({data['modality'].lower()})" if data["modality"] else ""
    return f"{_name(data['kind'])}{modality}" + (f": {roles}" if roles else "")


def _facts(selection: Selection, node: str) -> list[list[str]]:
    """The lines of a tooltip: type, aliases, roles, dates, reports, participants."""
    graph = selection.graph
    data = graph.nodes[node]
    kind = _name(data["kind"]) + (f" ({data['modality'].lower()})" if data["modality"] else "")
    facts = [["type", kind]]
    if data["aliases"]:
        more = len(data["aliases"]) - MAX_ALIASES
        facts.append(["also called", "; ".join(data["aliases"][:MAX_ALIASES]) + (f" and {more} more" if more > 0
                                                                                 else "")])
    if data["roles"]:
        facts.append(["role", "; ".join(data["roles"])])
    for link in (*ROLES, "near", "side", "claimant", "asserts"):
        ends = sorted(_describe(graph, v) if link == "asserts" else edge.get("text", graph.nodes[v]["label"])
                      for _, v, key, edge in graph.out_edges(node, keys=True, data=True) if key == link)
        if ends:
            facts.append([link, "; ".join(ends)])
    if data["channels"]:
        facts.append(["channel", "; ".join(graph.nodes[c]["label"] if c in graph else c.rsplit("/", 1)[-1]
                                           for c in data["channels"])])
    if data["date"]:
        facts.append(["date", _dates(data)])
    if data["time_text"]:
        facts.append(["when", "; ".join(data["time_text"])])
    if data["triggers"]:
        facts.append(["words", "; ".join(data["triggers"])])
    facts.append(["reported by", f"{data['sources']} article{'s' if data['sources'] != 1 else ''}"])
    return facts


def _network(store: ox.Store, selection: Selection, title: str) -> tuple[Network, dict[str, dict]]:
    """The pyvis network of the selection, and each node's tooltip data by vis id."""
    graph = selection.graph
    net = Network(height="100%", width="100%", directed=True, heading=title)
    ids = {node: f"n{i}" for i, node in enumerate(selection.drawn)}
    info: dict[str, dict] = {}
    for node, vis_id in ids.items():
        data = graph.nodes[node]
        shape, fill, border = NODE_STYLES[data["kind"]]
        colour = {"background": fill, "border": border, "highlight": {"background": fill, "border": "#000000"},
                  "hover": {"background": fill, "border": "#000000"}}
        options: dict = {"color": colour, "borderWidth": 1}
        if data["group"] == "entity":
            weight = data["sources"] + graph.degree(node)
            label = _short(data["label"], MAX_LABEL)
            # hubs get larger nodes and labels that stay readable when the whole graph is in view
            options |= {"size": round(10 + 3 * math.log2(1 + weight), 1),
                        "mass": round(1 + math.log2(1 + weight) / 3, 2),
                        "font": {"size": round(min(40.0, 12 + 2.2 * math.log2(1 + weight)))}}
            if node in selection.centres:
                options |= {"borderWidth": 4, "font": {"size": 40}}
        elif data["group"] == "event":
            label = _event_label(data)
            options |= {"size": 9 + 3 * min(data["sources"] - 1, 6), "font": {"size": 11}}
        else:
            label = "assessment" if data["kind"] == "Assessment" else "claim"
            options |= {"shapeProperties": {"borderDashes": [5, 3]}, "font": {"size": 11}, "margin": 5}
        net.add_node(vis_id, label=label, shape=shape, **options)
        sentences, total = evidence(store, node)
        info[vis_id] = {
            "label": data["label"] if data["group"] == "entity" else _name(data["kind"]),
            "facts": _facts(selection, node),
            "evidence": [{"text": _short(e.sentence, MAX_SENTENCE),
                          "source": "— " + (e.headline or "untitled article") + (f", {e.published}" if e.published
                                                                                  else "")}
                         for e in sentences],
            "more": (f"and {total - len(sentences)} more sentence{'s' if total - len(sentences) != 1 else ''}"
                     if total > len(sentences) else ""),
            "iri": node,
        }
    for source, target, link in selection.edges:
        colour, dashes, outward = EDGE_STYLES[link]
        start, end = (ids[source], ids[target]) if outward else (ids[target], ids[source])
        options = {"label": link, "color": {"color": colour, "highlight": colour, "hover": colour},
                   "dashes": dashes}
        if link == "contradicts":
            options |= {"arrows": {"to": {"enabled": False}}, "width": 2.5, "font": {"color": "#d62728"}}
        net.add_edge(start, end, **options)
    # fewer layout rounds for a large drawing, so that it settles within a few seconds
    iterations = 400 if len(ids) <= 300 else max(60, 120_000 // len(ids))
    net.options = OPTIONS | {"physics": OPTIONS["physics"] | {
        "stabilization": OPTIONS["physics"]["stabilization"] | {"iterations": iterations}}}
    return net, info


def _legend(selection: Selection) -> str:
    """The legend: the node classes and the kinds of links drawn, as an HTML block."""
    graph = selection.graph
    kinds = {graph.nodes[n]["kind"] for n in selection.drawn}
    links = {link for _, _, link in selection.edges}
    rows = []
    for kind in (*ENTITY_KINDS, *EVENT_KINDS, "Claim", "Assessment"):
        if kind in kinds:
            shape, fill, border = NODE_STYLES[kind]
            rows.append(f'<li><svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" fill="{fill}" '
                        f'stroke="{border}">{SVG_SHAPES[shape]}</svg>{html.escape(_name(kind))}</li>')
    lines = []
    for link, (colour, dashes, _) in EDGE_STYLES.items():
        if link in links:
            dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
            width = 2.5 if link == "contradicts" else 1.5
            lines.append(f'<li><svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">'
                         f'<line x1="1" y1="5" x2="27" y2="5" stroke="{colour}" stroke-width="{width}"{dash}/>'
                         f"</svg>{html.escape(link)}</li>")
    return ('<aside id="kg-legend" class="kg-legend"><h2>Legend</h2><ul class="kg-kinds">' + "".join(rows)
            + '</ul><ul class="kg-links">' + "".join(lines) + "</ul><p>Events are diamonds between who acted "
            "and where; size grows with the number of reporting articles. Hover a node for its sources.</p></aside>")


def _note(selection: Selection, max_nodes: int) -> str:
    """The visible note on what the cap left out, and how to focus."""
    left = selection.left_out
    if not sum(left.values()):
        return ""
    total = len(selection.drawn) + sum(left.values())
    total_edges = len(selection.edges) + selection.left_out_edges
    parts = [f"{left[g]:,} {name}" for g, name in (("event", "events"), ("statement", "claims and assessments"),
                                                    ("entity", "entities")) if left[g]]
    text = (f"Summary view: {len(selection.drawn):,} of {total:,} nodes and {len(selection.edges):,} of "
            f"{total_edges:,} edges are drawn (at most {max_nodes:,} nodes, ranked by links and by the number "
            f"of articles reporting them). Left out: {', '.join(parts)}, and {selection.left_out_edges:,} edges. "
            "To see them, focus: --around NAME [--hops N], --since/--until YYYY-MM-DD, "
            "--types Retreat,Settlement, --min-sources 2, or raise --max-nodes.")
    return f'<p id="kg-note" class="kg-note" role="note">{html.escape(text)}</p>'


def _script_json(value: object) -> str:
    """JSON that is inert inside a <script> element and holds no literal URL."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _vis_script() -> str:
    """pyvis's vis-network script, without its source-map reference and with every "://"
    written as ":\\/\\/" (same string value in JS) so the page holds no literal URL."""
    script = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S*", "", script)
    return script.replace("://", ":\\/\\/")


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(store: ox.Store, selection: Selection, *, title: str, focus: str, max_nodes: int) -> str:
    """The HTML page of a selection."""
    net, info = _network(store, selection, title)
    page_script = (PAGES / "graph.js").read_text(encoding="utf-8")
    nodes, edges, heading, _, _, options = net.get_network_data()
    data = _script_json({"nodes": nodes, "edges": edges, "options": json.loads(options), "info": info})
    vis = _vis_script()
    policy = (f"default-src 'none'; script-src {_sha256(vis)} {_sha256(page_script)}; "
              "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    status = (f"{len(selection.drawn):,} nodes and {len(selection.edges):,} edges. Drag to move, scroll to zoom, "
              "hover a node for its evidence.")
    parts = {
        "POLICY": html.escape(policy, quote=False),  # has no double quote; keeps its single ones
        "TITLE": html.escape(heading), "FOCUS": html.escape(focus),
        "NOTE": _note(selection, max_nodes), "LEGEND": _legend(selection), "STATUS": html.escape(status),
        "VIS_CSS": (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        "PAGE_CSS": (PAGES / "graph.css").read_text(encoding="utf-8"),
        "DATA": data, "VIS_JS": vis, "PAGE_JS": page_script,
    }
    template = (PAGES / "graph.html").read_text(encoding="utf-8")
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template)


def _write_atomically(out: Path, content: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; the page is an ordinary file
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
