"""kg.serve over real HTTP: a server on a free port in a thread, and urllib as the client."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from kg.query import list_queries, running_queries
from kg.serve import choose_format, is_update, make_server, uses_service

ID = "https://w3id.org/conflict-kg/id/"
CK = "https://w3id.org/conflict-kg/ontology#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MAX_ROWS = 20
JSON_TYPE = "application/sparql-results+json"
LABELS = ("SELECT ?place ?name WHERE { ?place a ck:Settlement ; rdfs:label ?name "
          "FILTER(STRSTARTS(?name, \"Village\")) } ORDER BY ?name")


def small_store() -> ox.Store:
    """Thirty settlements, one named with markup; a Defend event at it."""
    store = ox.Store()
    g = ox.NamedNode(ID + "article/aaa")
    quads = []
    for i in range(30):
        place = ox.NamedNode(f"{ID}settlement/village-{i:02d}")
        quads += [ox.Quad(place, RDF_TYPE, ox.NamedNode(CK + "Settlement"), g),
                  ox.Quad(place, RDFS_LABEL, ox.Literal(f"Village {i:02d}"), g)]
    odd = ox.NamedNode(ID + "settlement/odd")
    event = ox.NamedNode(ID + "article/aaa/event/1")
    quads += [ox.Quad(odd, RDF_TYPE, ox.NamedNode(CK + "Settlement"), g),
              ox.Quad(odd, RDFS_LABEL, ox.Literal(SCRIPT), g),
              ox.Quad(odd, SKOS_ALT, ox.Literal(IMG), g),
              ox.Quad(event, RDF_TYPE, ox.NamedNode(CK + "Event"), g),
              ox.Quad(event, RDF_TYPE, ox.NamedNode(CK + "Defend"), g),
              ox.Quad(event, ox.NamedNode(CK + "location"), odd, g)]
    store.extend(quads)
    return store


@contextlib.contextmanager
def running(srv):
    """The base URL of ``srv`` serving in a thread; shut down afterwards."""
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    graph = tmp_path_factory.mktemp("view") / "graph.html"
    graph.write_text("<!doctype html><title>graph view</title><p>the graph</p>")
    srv = make_server(small_store(), "127.0.0.1", 0, graph_html=graph, max_rows=MAX_ROWS, quiet=True)
    with running(srv) as base:
        yield base


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get_query(base: str, query: str, accept: str = JSON_TYPE):
    return fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


# ---------------------------------------------------------------- the protocol


def test_get_answers_sparql_json_by_default(server):
    status, headers, body = fetch(f"{server}/sparql?" + urllib.parse.urlencode({"query": LABELS}))
    assert status == 200 and headers["Content-Type"].startswith(JSON_TYPE)
    data = json.loads(body)
    assert data["head"]["vars"] == ["place", "name"]
    assert data["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Village 00"}


def test_the_accept_header_chooses_xml_csv_or_tsv(server):
    status, headers, body = get_query(server, LABELS, "application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    root = ET.fromstring(body)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.tag == ns + "sparql" and [v.get("name") for v in root.iter(ns + "variable")] == ["place", "name"]
    status, headers, body = get_query(server, LABELS, "text/csv")
    assert headers["Content-Type"].startswith("text/csv") and body.decode().startswith("place,name\r\n")
    status, headers, body = get_query(server, LABELS, "text/tab-separated-values")
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines()[:2] == ["?place\t?name", f'<{ID}settlement/village-00>\t"Village 00"']
    status, _, body = get_query(server, LABELS, "text/html, text/csv;q=0.5, application/json;q=0.9")
    assert body.startswith(b"{")  # the highest q it can give


def test_post_with_a_form_or_a_sparql_query_body(server):
    status, _, body = fetch(f"{server}/sparql", data=urllib.parse.urlencode({"query": LABELS}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, _, body = fetch(f"{server}/sparql", data=b"ASK { ?s a ck:Defend }",
                            headers={"Content-Type": "application/sparql-query", "Accept": JSON_TYPE})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_construct_answers_are_turtle_when_asked(server):
    query = (f"CONSTRUCT {{ ?s rdfs:label ?l }} "
             f"WHERE {{ <{ID}settlement/village-03> rdfs:label ?l BIND(<{ID}x> AS ?s) }}")
    status, headers, body = get_query(server, query, "text/turtle")
    assert status == 200 and headers["Content-Type"] == "text/turtle"
    assert b'kgid:x rdfs:label "Village 03"' in body


def test_a_syntax_error_is_a_400_with_the_position(server):
    status, _, body = get_query(server, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400 and re.search(rb"error at 1:\d+", body)


# ---------------------------------------------------------------- nothing can write


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
    "PREFIX ex: <http://example.org/>  # a comment\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>", "CLEAR ALL", "DROP GRAPH <http://example.org/g>",
    "create graph <http://example.org/g>",
])
def test_updates_are_refused_with_403_and_nothing_changes(server, update):
    assert get_query(server, update)[0] == 403
    status, _, body = fetch(f"{server}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, _ = fetch(f"{server}/sparql", data=update.encode(),
                         headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    count = json.loads(get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2])
    assert count["results"]["bindings"][0]["n"]["value"] == "66"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_write_methods_are_refused_with_405(server, method):
    status, headers, _ = fetch(f"{server}/sparql", data=b"<a> <b> <c> .", method=method,
                               headers={"Content-Type": "application/n-triples"})
    assert status == 405 and headers["Allow"] == "GET, POST"


def test_federated_service_calls_are_refused(server):
    status, _, body = get_query(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    assert get_query(server, "SELECT ?service WHERE { BIND(1 AS ?service) }")[0] == 200


def test_keywords_inside_strings_iris_and_comments_are_not_mistaken():
    assert not is_update('SELECT ?s WHERE { ?s ?p "INSERT DATA" }')
    assert not is_update("# DELETE everything\nSELECT * WHERE { ?s ?p ?o }")
    assert is_update("PREFIX ex: <http://example.org/delete#>\nBASE <http://x/>\n  insert data { ex:a ex:b 1 }")
    assert not uses_service('SELECT * WHERE { ?s <http://example.org/SERVICE> "SERVICE" } # SERVICE')
    assert uses_service("SELECT * WHERE { service ?endpoint { ?s ?p ?o } }")


# ---------------------------------------------------------------- bounds and bad clients


def test_answers_stop_at_max_rows_and_say_so(server):
    status, headers, body = get_query(server, LABELS)
    assert status == 200 and headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert "X-SPARQL-MaxRows" not in get_query(server, LABELS + " LIMIT 5")[1]


def _no_query_running(within: float = 15.0) -> bool:
    deadline = time.monotonic() + within
    while running_queries() and time.monotonic() < deadline:
        time.sleep(0.05)
    return running_queries() == 0


def test_a_slow_query_gets_503_then_the_server_is_busy_until_it_ends_then_answers():
    assert _no_query_running()  # queries that timed out in other tests run on in this process
    with running(make_server(small_store(), "127.0.0.1", 0, timeout=0.3, max_running=1, quiet=True)) as base:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w }"  # 66⁴ rows, ~2 s
        started = time.perf_counter()
        status, _, body = get_query(base, slow)
        assert status == 503 and b"timed out after 0.3 s" in body
        assert time.perf_counter() - started < 2
        status, headers, body = get_query(base, "ASK {}")
        assert status == 503 and b"busy" in body and headers["Retry-After"]
        assert _no_query_running()
        assert get_query(base, "ASK {}")[0] == 200


def test_a_client_that_disconnects_mid_answer_does_not_stop_the_server(server):
    host, port = urllib.parse.urlsplit(server).hostname, urllib.parse.urlsplit(server).port
    big = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o ?s2 ?p2 ?o2 }")
    for request in (f"GET /sparql?query={big} HTTP/1.1\r\nHost: {host}\r\n\r\n",
                    f"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Length: 500\r\n\r\nquery=SEL",
                    "GET /spar"):
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.sendall(request.encode())
        # closed at once (with a reset); the next client is still answered
        status, _, body = get_query(server, "ASK { ?s a ck:Defend }")
        assert status == 200 and json.loads(body)["boolean"] is True


def test_requests_naming_another_host_are_refused(server):
    status, _, body = fetch(f"{server}/sparql?query=ASK%7B%7D", headers={"Host": "evil.example"})
    assert status == 403 and b"Host" in body


# ---------------------------------------------------------------- named questions and the page


def test_named_questions_are_listed_and_run_with_bound_parameters(server):
    status, _, body = fetch(f"{server}/queries")
    listed = json.loads(body)
    assert status == 200 and {q["name"] for q in listed["queries"]} == {q.name for q in list_queries()}
    assert listed["prefixes"]["kgid"] == ID
    status, _, body = fetch(f"{server}/queries/control-timeline?" + urllib.parse.urlencode({"place": SCRIPT}))
    bindings = json.loads(body)["results"]["bindings"]
    assert status == 200 and [b["change"]["value"] for b in bindings] == ["held"]
    assert bindings[0]["place"]["value"] == SCRIPT
    status, _, body = fetch(f"{server}/queries/control-timeline")
    assert status == 400 and b"needs --param place" in body
    assert fetch(f"{server}/queries/no-such-question")[0] == 404
    assert fetch(f"{server}/queries/..%2F..%2Fetc%2Fpasswd")[0] == 404


def test_labels_with_markup_come_back_only_json_escaped(server):
    query = "SELECT ?name ?other WHERE { ?p rdfs:label ?name ; skos:altLabel ?other }"
    status, _, body = get_query(server, query)
    assert status == 200
    assert b"<script" not in body and b"<img" not in body and b"\\u003cscript\\u003e" in body
    row = json.loads(body)["results"]["bindings"][0]
    assert row["name"]["value"] == SCRIPT and row["other"]["value"] == IMG
    node = fetch(f"{server}/queries/node?" + urllib.parse.urlencode({"node": ID + "settlement/odd"}))[2]
    assert b"<script" not in node and SCRIPT in node.decode("unicode_escape")


def test_the_page_lists_the_questions_and_loads_nothing_from_elsewhere(server):
    status, headers, body = fetch(f"{server}/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert re.findall(r"https?://", page) == []
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\(", page)
    for q in list_queries():
        assert html.escape(q.question) in page and f'data-name="{q.name}"' in page
        for p in q.parameters or ():
            assert f'name="{p.name}"' in page
    assert "<textarea" in page and 'href="/graph"' in page
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]


def test_the_pages_own_script_and_style_are_the_only_ones_its_policy_lets_run(server):
    _, headers, body = fetch(f"{server}/")
    page, policy = body.decode(), headers["Content-Security-Policy"]
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        inline = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert len(inline) == 1
        digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        assert re.search(rf"{directive} 'sha256-{re.escape(digest)}';", policy)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_the_page_sets_data_as_text_never_as_markup(server):
    script = re.search(r"<script>(.*)</script>", fetch(f"{server}/")[2].decode(), re.S).group(1)
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_the_graph_view_is_served_when_given(server):
    status, headers, body = fetch(f"{server}/graph")
    assert status == 200 and b"the graph" in body and headers["Content-Type"].startswith("text/html")
    assert fetch(f"{server}/nowhere")[0] == 404


def test_without_a_graph_view_graph_is_404_and_not_linked():
    with running(make_server(small_store(), "127.0.0.1", 0, quiet=True)) as base:
        status, _, body = fetch(f"{base}/graph")
        assert status == 404 and b"kg viz" in body
        assert b'href="/graph"' not in fetch(f"{base}/")[2]


def test_choose_format_defaults():
    assert choose_format(None, "select") == ("json", JSON_TYPE)
    assert choose_format("*/*", "graph") == ("turtle", "text/turtle")
    assert choose_format("application/n-triples", "graph") == ("ntriples", "application/n-triples")
    assert choose_format("text/csv", "graph")[0] == "csv"
