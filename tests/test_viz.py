"""``kg viz``: the page of a small graph the test writes itself, the focus options, the
cap and its note, a page that needs no network, and article text that stays text.

The graph holds two articles, ten entities, four events, two claims and a
contradiction; one person's label, an alias, a headline and a sentence are HTML
attacks, which must reach the reader as text and nowhere as markup.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import KgError, OptionError
from kg.viz import PAGES, FocusError, VizSummary, render, viz_source

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

TRIG = r"""
@prefix ck: <https://w3id.org/conflict-kg/ontology#> .
@prefix id: <https://w3id.org/conflict-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:article\/a1 {
  id:article\/a1 a schema:NewsArticle ; schema:headline "Balakliya liberated" ;
      schema:datePublished "2022-09-09"^^xsd:date .
  id:article\/a1\/mention\/1 a ck:Mention ; prov:wasDerivedFrom id:article\/a1 ;
      nif:anchorOf "Russian troops fled Balakliya for Izyum <script>alert(1)</script>." ;
      nif:beginIndex 0 ; nif:endIndex 60 .
  id:article\/a1\/mention\/2 a ck:Mention ; prov:wasDerivedFrom id:article\/a1 ;
      nif:anchorOf "Ukrainian forces liberated Balakliya." ; nif:beginIndex 61 ; nif:endIndex 98 .

  id:armedgroup\/russian-forces a ck:ArmedGroup ; rdfs:label "Russian forces" ;
      skos:altLabel "Russian troops" ; ck:side id:geonames\/2017370 ; ck:evidence id:article\/a1\/mention\/1 .
  id:armedgroup\/ukrainian-forces a ck:ArmedGroup ; rdfs:label "Ukrainian forces" ;
      ck:side id:geonames\/690791 ; ck:evidence id:article\/a1\/mention\/2 .
  id:geonames\/2017370 a ck:Country ; rdfs:label "Russia" .
  id:geonames\/690791 a ck:Country ; rdfs:label "Ukraine" .
  id:geonames\/712926 a ck:Settlement ; rdfs:label "Balakliya" ; skos:altLabel "Balakleya" ;
      owl:sameAs <https://sws.geonames.org/712926/> ; geo:lat 49.46 ; geo:long 36.86 ;
      ck:evidence id:article\/a1\/mention\/1 , id:article\/a1\/mention\/2 .
  id:geonames\/706524 a ck:Settlement ; rdfs:label "Izyum" ; ck:evidence id:article\/a1\/mention\/1 .
  id:geonames\/706482 a ck:Region ; rdfs:label "Kharkiv Oblast" .
  id:person\/alexey-arestovych a ck:Person ; rdfs:label "Alexey Arestovych" ;
      ck:role "presidential office advisor" ; ck:evidence id:article\/a1\/mention\/1 .
  id:wikidata\/Q866 a ck:Organization ; rdfs:label "YouTube" .

  id:article\/a1\/event\/1 a ck:Event , ck:Retreat ; ck:agent id:armedgroup\/russian-forces ;
      ck:origin id:geonames\/712926 ; ck:destination id:geonames\/706524 ; ck:date "2022-09-08"^^xsd:date ;
      ck:trigger "fled" ; ck:evidence id:article\/a1\/mention\/1 .
  id:article\/a1\/event\/2 a ck:Event , ck:TakeControl ; ck:agent id:armedgroup\/ukrainian-forces ;
      ck:target id:geonames\/712926 ; ck:date "2022-09-09"^^xsd:date ; ck:sourceCount 3 ;
      ck:trigger "liberated" ; ck:evidence id:article\/a1\/mention\/2 .
  id:article\/a1\/event\/4 a ck:Event , ck:Attack ; ck:agent id:armedgroup\/russian-forces ;
      ck:location id:geonames\/706482 ; ck:modality ck:Possible ; ck:evidence id:article\/a1\/mention\/1 .
  id:article\/a1\/claim\/1 a ck:Claim ; ck:claimant id:person\/alexey-arestovych ; ck:channel id:wikidata\/Q866 ;
      ck:asserts id:article\/a1\/event\/1 ; ck:evidence id:article\/a1\/mention\/1 .
}

id:article\/a2 {
  id:article\/a2 a schema:NewsArticle ; schema:headline "\"><img src=x onerror=alert(1)>" ;
      schema:datePublished "2022-09-10"^^xsd:date .
  id:article\/a2\/mention\/1 a ck:Mention ; prov:wasDerivedFrom id:article\/a2 ;
      nif:anchorOf "Russian proxies still defend Balakliya, said \"><img src=x onerror=alert(1)>." ;
      nif:beginIndex 0 ; nif:endIndex 80 .
  id:armedgroup\/russian-forces a ck:ArmedGroup ; rdfs:label "Russian forces" ;
      ck:evidence id:article\/a2\/mention\/1 .
  id:person\/evil a ck:Person ; rdfs:label "<script>alert(1)</script>" ;
      skos:altLabel "\"><img src=x onerror=alert(1)>" ; ck:evidence id:article\/a2\/mention\/1 .
  id:article\/a1\/event\/2 ck:evidence id:article\/a2\/mention\/1 .
  id:article\/a2\/event\/3 a ck:Event , ck:Defend ; ck:agent id:armedgroup\/russian-forces ;
      ck:location id:geonames\/712926 ; ck:date "2022-09-10"^^xsd:date ; ck:evidence id:article\/a2\/mention\/1 ;
      ck:contradicts id:article\/a1\/event\/2 .
  id:article\/a2\/claim\/1 a ck:Claim ; ck:claimant id:person\/evil ; ck:asserts id:article\/a2\/event\/3 ;
      ck:evidence id:article\/a2\/mention\/1 .
}
"""

ALL_LABELS = {"Russian forces", "Ukrainian forces", "Russia", "Ukraine", "Balakliya", "Izyum", "Kharkiv Oblast",
              "Alexey Arestovych", "YouTube", SCRIPT, "Retreat", "Take control", "Defend", "Attack", "Claim"}


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


def page_data(html: str) -> dict:
    """The JSON block the page script draws from."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))


def markup(html: str) -> str:
    """The page without the contents of its script and style elements."""
    return re.sub(r"(<(script|style)\b[^>]*>).*?(</\2>)", r"\1\3", html, flags=re.S)


def drawn(html: str) -> set[str]:
    """The tooltip labels of the nodes drawn (entity labels, event and claim classes)."""
    return {info["label"] for info in page_data(html)["info"].values()}


def test_small_graph_draws_every_node_and_edge_with_a_legend(store, tmp_path):
    out = tmp_path / "graph.html"
    summary = render(store, out)
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    assert summary == VizSummary(nodes=16, edges=16, left_out=0, left_out_edges=0, path=out,
                                 size=len(html.encode("utf-8")))
    assert len(data["nodes"]) == 16 and len(data["edges"]) == 16
    assert drawn(html) == ALL_LABELS
    assert sorted(e["label"] for e in data["edges"]) == sorted(
        ["side", "side", "agent", "origin", "destination", "agent", "target", "agent", "location", "agent",
         "location", "claimant", "asserts", "claimant", "asserts", "contradicts"])
    assert '<aside id="kg-legend"' in html and "<h2>Legend</h2>" in html
    for name in ("Armed group", "Settlement", "Take control", "Retreat", "Claim", "contradicts", "claimant"):
        assert f"</svg>{name}</li>" in html, name
    assert "Encirclement</li>" not in html  # the legend lists only what is drawn
    assert 'id="kg-note"' not in html  # nothing left out, nothing to say


def test_claims_and_contradictions_are_drawn_distinctly(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out)
    data = page_data(out.read_text(encoding="utf-8"))
    claims = [n for n in data["nodes"] if n["label"] == "claim"]
    assert len(claims) == 2 and all(n["shape"] == "box" and n["shapeProperties"]["borderDashes"] for n in claims)
    ids = {n["id"] for n in claims}
    claim_edges = [e for e in data["edges"] if e["label"] in ("claimant", "asserts")]
    assert all(e["dashes"] for e in claim_edges)
    assert {e["to"] for e in claim_edges if e["label"] == "claimant"} == ids  # from the claimant
    assert {e["from"] for e in claim_edges if e["label"] == "asserts"} == ids  # to the event
    (contradiction,) = [e for e in data["edges"] if e["label"] == "contradicts"]
    assert contradiction["dashes"] and contradiction["color"]["color"] == "#d62728"
    events = {n["id"]: n for n in data["nodes"] if n["shape"] == "diamond"}
    assert len(events) == 4 and {contradiction["from"], contradiction["to"]} <= set(events)


def test_tooltip_holds_type_aliases_date_sources_and_evidence_with_headline(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out)
    info = {i["label"]: i for i in page_data(out.read_text(encoding="utf-8"))["info"].values()}
    place = dict(info["Balakliya"]["facts"])
    assert place["type"] == "Settlement" and place["also called"] == "Balakleya"
    assert place["reported by"] == "1 article"
    assert {e["source"] for e in info["Balakliya"]["evidence"]} == {"— Balakliya liberated, 2022-09-09"}
    taken = dict(info["Take control"]["facts"])
    assert taken["date"] == "2022-09-09" and taken["reported by"] == "3 articles"  # ck:sourceCount wins
    assert taken["agent"] == "Ukrainian forces" and taken["target"] == "Balakliya"
    assert [e["text"] for e in info["Take control"]["evidence"]][0].startswith("Russian proxies")  # newest first
    assert dict(info["Attack"]["facts"])["type"] == "Attack (possible)"
    claim = dict(next(i for i in info.values() if dict(i["facts"]).get("claimant") == "Alexey Arestovych")["facts"])
    assert claim["channel"] == "YouTube" and claim["asserts"].startswith("Retreat: agent Russian forces")


def test_page_references_nothing_outside_itself(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html, re.I), "a URL is left in the page"
    assert not re.search(r"\b(src|href|srcset|action|poster|background)\s*=", markup(html), re.I)
    assert "@import" not in html and "sourceMappingURL" not in html
    assert all(u.startswith("url(data:") or u.startswith('url("data:') for u in re.findall(r"url\([^)]{0,6}", html))
    assert "default-src 'none'" in html  # and a Content-Security-Policy forbids any fetch
    assert "bootstrap" not in html.lower() and "tom-select" not in html.lower()


def test_html_in_labels_and_sentences_stays_text(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out, around=SCRIPT)  # the name also goes into the page, in the focus line
    html = out.read_text(encoding="utf-8")
    for attack in (SCRIPT, IMG, "<img", "<script>alert", "alert(1)</script>"):
        assert attack not in html, attack
    assert markup(html).count("<script") == 3  # the data block, vis-network, the page's own
    assert "onerror" not in html.split('id="kg-data">')[0]  # before the data block: only escaped text
    assert "around “&lt;script&gt;alert(1)&lt;/script&gt;”" in html
    assert "\\u003cscript\\u003ealert(1)\\u003c\\/script\\u003e" in html
    info = {i["label"]: i for i in page_data(html)["info"].values()}
    evil = info[SCRIPT]  # the JSON gives the strings back exactly, to be set with textContent
    assert dict(evil["facts"])["also called"] == IMG
    assert IMG in evil["evidence"][0]["text"] and evil["evidence"][0]["source"] == f"— {IMG}, 2022-09-10"
    page_script = (PAGES / "graph.js").read_text(encoding="utf-8")
    assert page_script in html and "textContent" in page_script and "innerHTML" not in page_script


def test_around_matches_an_alias_in_any_case_and_counts_hops_in_events(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out, around="balakleya", hops=1)
    assert drawn(out.read_text(encoding="utf-8")) == {
        "Balakliya", "Izyum", "Russian forces", "Ukrainian forces", "Retreat", "Take control", "Defend", "Claim",
        "Alexey Arestovych", SCRIPT}
    summary = render(store, out, around="  BALAKLIYA ", hops=2)
    assert drawn(out.read_text(encoding="utf-8")) == ALL_LABELS - {"YouTube"}
    assert summary.nodes == 15 and summary.left_out == 0
    render(store, out, around="Balakliya", hops=0)
    assert drawn(out.read_text(encoding="utf-8")) == {"Balakliya"}


def test_around_an_unknown_name_is_a_clear_error_and_writes_nothing(store, tmp_path):
    out = tmp_path / "graph.html"
    with pytest.raises(FocusError, match=r"no entity is named 'Balak'.*did you mean: Balakliya") as err:
        render(store, out, around="Balak")
    assert isinstance(err.value, KgError)
    with pytest.raises(FocusError, match="no entity is named 'Atlantis'"):
        render(store, out, around="Atlantis")
    assert list(tmp_path.iterdir()) == []


def test_since_until_keep_events_of_those_days_and_what_they_involve(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out, since=date(2022, 9, 9), until=date(2022, 9, 9))
    assert drawn(out.read_text(encoding="utf-8")) == {"Take control", "Ukrainian forces", "Balakliya"}
    render(store, out, since=date(2022, 9, 9))
    assert drawn(out.read_text(encoding="utf-8")) == {
        "Take control", "Defend", "Ukrainian forces", "Russian forces", "Balakliya", "Claim", SCRIPT}
    render(store, out, until=date(2022, 9, 8))  # the undated attack goes too
    assert drawn(out.read_text(encoding="utf-8")) == {
        "Retreat", "Russian forces", "Balakliya", "Izyum", "Claim", "Alexey Arestovych"}


def test_types_restrict_the_classes_drawn(store, tmp_path):
    out = tmp_path / "graph.html"
    summary = render(store, out, types={"retreat", "Settlement"})
    assert drawn(out.read_text(encoding="utf-8")) == {"Retreat", "Balakliya", "Izyum"}
    assert (summary.nodes, summary.edges) == (3, 2)
    render(store, out, types={"Event"})
    assert drawn(out.read_text(encoding="utf-8")) == {"Retreat", "Take control", "Defend", "Attack"}
    with pytest.raises(FocusError, match="unknown type 'Battle'"):
        render(store, out, types={"Battle"})


def test_min_sources_keeps_events_reported_by_enough_articles(store, tmp_path):
    out = tmp_path / "graph.html"
    render(store, out, min_sources=2)
    assert drawn(out.read_text(encoding="utf-8")) == {"Take control", "Ukrainian forces", "Balakliya"}
    with pytest.raises(FocusError, match="nothing to draw"):
        render(store, out, min_sources=4)


def big_store(events: int = 120, places: int = 40) -> ox.Store:
    """A graph larger than a small cap: events by two sides at many places."""
    lines = ["@prefix ck: <https://w3id.org/conflict-kg/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix id: <https://w3id.org/conflict-kg/id/> ."]
    for side in ("ru", "ua"):
        lines.append(f"id:g\\/{side} a ck:ArmedGroup ; rdfs:label \"{side} forces\" .")
    for p in range(places):
        lines.append(f"id:p\\/{p} a ck:Settlement ; rdfs:label \"Place {p}\" .")
    kinds = ("Attack", "Advance", "Retreat", "Defend")
    for e in range(events):
        lines.append(f"id:e\\/{e} a ck:Event , ck:{kinds[e % 4]} ; ck:agent id:g\\/{('ru', 'ua')[e % 2]} ; "
                     f"ck:location id:p\\/{(e * 7) % places} .")
    store = ox.Store()
    store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def test_max_nodes_caps_the_drawing_and_the_page_says_what_was_left_out(tmp_path):
    out = tmp_path / "graph.html"
    summary = render(big_store(), out, max_nodes=25)
    html = out.read_text(encoding="utf-8")
    assert summary.nodes == len(page_data(html)["nodes"]) == 25
    assert summary.left_out == 2 + 40 + 120 - 25 and summary.left_out_edges == 240 - summary.edges
    note = re.search(r'<p id="kg-note"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert f"25 of 162 nodes and {summary.edges} of 240 edges are drawn" in note
    assert "Left out:" in note and "--around NAME" in note and "--max-nodes" in note
    assert "left out 137 nodes" in str(summary)
    # the summary draws each event with its agent and place: none is left hanging alone
    data = page_data(html)
    events = {n["id"] for n in data["nodes"] if n["shape"] == "diamond"}
    assert len(events) > 10
    for event in events:
        assert sorted(e["label"] for e in data["edges"] if event in (e["from"], e["to"])) == ["agent", "location"]


def test_the_default_cap_is_300_nodes(tmp_path):
    summary = render(big_store(events=400, places=150), tmp_path / "graph.html")
    assert summary.nodes == 300 and summary.left_out == 2 + 150 + 400 - 300


def test_the_page_is_replaced_whole_and_no_temporary_file_is_left(store, tmp_path):
    out = tmp_path / "graph.html"
    out.write_text("old page")
    render(store, out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FocusError):
        render(store, out, around="Atlantis")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_viz_source_reads_files_and_checks_the_options_as_typed(tmp_path):
    graph = tmp_path / "small.trig"
    graph.write_text(TRIG, encoding="utf-8")
    out = tmp_path / "graph.html"
    summary = viz_source([graph], out, since="2022-09-09", until="2022-09-09", types="TakeControl, Settlement")
    assert summary.nodes == 2 and "conflict-kg: small.trig" in out.read_text(encoding="utf-8")
    with pytest.raises(OptionError, match="--since: '9 Sept' is not a date"):
        viz_source([graph], out, since="9 Sept")
    with pytest.raises(FocusError, match="--since 2022-09-10 is after --until 2022-09-09"):
        viz_source([graph], out, since="2022-09-10", until="2022-09-09")
    with pytest.raises(KgError, match="no such file"):
        viz_source([tmp_path / "missing.trig"], out)


ISW = ROOT / "out" / "isw"


@pytest.mark.skipif(not ISW.is_dir(), reason=f"{ISW} is absent (build it with kg build --out-dir)")
def test_default_view_of_the_isw_reports_is_a_summary_under_5_mb(tmp_path):
    from kg.store import open_source

    summary = render(open_source([ISW]), tmp_path / "isw.html")
    assert summary.nodes <= 300 and summary.left_out > 0
    assert summary.size < 5_000_000


@pytest.mark.browser
def test_page_in_headless_chromium_draws_offline_settles_and_runs_no_injected_code(store, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    out = tmp_path / "graph.html"
    summary = render(store, out)
    requests, problems, dialogs = [], [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            started = time.monotonic()
            page.goto(out.as_uri())
            page.wait_for_function("() => window.kgPhysicsStopped === true", timeout=5000)
            settled = time.monotonic() - started
            assert page.evaluate("window.kgNetwork.body.data.nodes.length") == summary.nodes
            assert page.evaluate("window.kgNetwork.body.data.edges.length") == summary.edges
            assert page.evaluate("window.kgNetwork.physics.physicsEnabled") is False
            before = page.evaluate("JSON.stringify(window.kgNetwork.getPositions())")
            page.wait_for_timeout(300)
            assert page.evaluate("JSON.stringify(window.kgNetwork.getPositions())") == before, "still moving"

            # hover the node whose label is a script: its tooltip shows the attacks as text
            x, y = page.evaluate("""() => {
                const network = window.kgNetwork;
                const node = network.body.data.nodes.get().find(n => n.label.includes("alert(1)"));
                const at = network.canvasToDOM(network.getPositions([node.id])[node.id]);
                const box = document.getElementById("kg-network").getBoundingClientRect();
                return [box.left + at.x, box.top + at.y];
            }""")
            page.mouse.move(x - 40, y - 40)
            page.mouse.move(x, y, steps=5)
            page.wait_for_function("() => { const tip = document.querySelector('div.vis-tooltip');"
                                   " return tip && tip.style.visibility === 'visible'; }", timeout=3000)
            tip = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
            assert SCRIPT in tip, tip  # the label, as text
            assert IMG in tip, tip  # the alias, the sentence and the headline, as text
            assert f"said {IMG}." in tip and f"— {IMG}, 2022-09-10" in tip, tip
            assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
            assert page.evaluate("document.scripts.length") == 3
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / "graph.png"))
        finally:
            browser.close()
    assert settled < 5
    assert requests == [out.as_uri()], f"requests besides the page: {requests}"
    assert problems == [], problems
    assert dialogs == [], f"a dialog opened: {dialogs}"
