"""A SPARQL server as the store: a real Virtuoso (Debian's virtuoso-opensource) on loopback.

`.ci/run` installs Virtuoso; the tests start their own server in a temporary folder.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import requests

from kg.errors import GraphError
from kg.merge import MERGED_GRAPH
from kg.remote import RemoteStore, graph_store_url
from kg.vocab import CK

VIRTUOSO = shutil.which("virtuoso-t")
pytestmark = pytest.mark.skipif(VIRTUOSO is None, reason="virtuoso-t not installed (.ci/run installs it)")

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000
MaxQueryExecutionTime = 120
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """The query endpoint of a fresh Virtuoso (user dba, password dba) on loopback."""
    folder = tmp_path_factory.mktemp("virtuoso")
    http = free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=free_port(), http=http))
    server = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        for _ in range(240):
            try:
                if requests.get(endpoint, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, (folder / "virtuoso.log").read_text()[-2000:]
            time.sleep(0.25)
        else:
            pytest.fail("Virtuoso did not answer within 60 s")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def triples_per_graph(store, under: str = "https://w3id.org/conflict-kg/") -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                       f"FILTER(STRSTARTS(STR(?g), '{under}')) }} GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def dba(endpoint: str) -> str:
    return endpoint.replace("http://", "http://dba:dba@")


def test_graph_store_address_follows_the_server_convention():
    assert graph_store_url("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud-auth"
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h:3030/ds") == "http://h:3030/ds"


def test_a_large_graph_goes_in_batches_and_a_put_replaces_it(virtuoso):
    store = RemoteStore(dba(virtuoso), batch_triples=10)
    name = "https://example.org/batched"
    lines = [f"<https://w3id.org/conflict-kg/id/s{i}> <{CK.date}> \"2022-09-{i % 28 + 1:02d}\" .\n"
             for i in range(25)]
    store.replace_graph(name, "".join(lines).encode())
    assert triples_per_graph(store, name)[name] == 25
    store.replace_graph(name, "".join(lines[:5]).encode())
    assert triples_per_graph(store, name)[name] == 5


def test_an_answer_cut_by_the_server_is_an_error_not_a_silent_loss(virtuoso):
    store = RemoteStore(dba(virtuoso))
    name = "https://example.org/many"
    store.replace_graph(name, "".join(f"<https://example.org/s{i}> <https://example.org/p> {i} .\n"
                                      for i in range(1500)).encode())
    assert len(list(store.query(f"SELECT ?s WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }} LIMIT 999"))) == 999
    with pytest.raises(GraphError, match="cut an answer at 1000 rows"):
        store.query(f"SELECT ?s WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")


def test_wrong_password_is_one_clear_error(virtuoso):
    store = RemoteStore(virtuoso.replace("http://", "http://dba:nope@"))
    with pytest.raises(GraphError, match="answered 401.*check the user and password"):
        store.replace_graph("https://w3id.org/conflict-kg/id/article/x", b"")


def test_unreachable_server_is_one_clear_error():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5)
    with pytest.raises(GraphError, match="cannot reach the SPARQL server"):
        store.query("ASK {}")


ARTICLE_A = "Russian forces retreated from Kupiansk on Friday. Ukrainian troops liberated Lyman."
ARTICLE_B = "Russian forces retreated from Kupiansk on Friday. Russian proxies still defend Lyman."


@pytest.mark.model
def test_build_into_virtuoso_matches_the_local_store_and_is_incremental(virtuoso, tmp_path, nlp):
    from kg.build import run_build
    from kg.ingest import read_inputs
    from kg.store import open_store

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(f'{{"id": "a", "date": "2022-09-10", "text": "{ARTICLE_A}"}}\n'
                      f'{{"id": "b", "date": "2022-09-10", "text": "{ARTICLE_B}"}}\n')
    articles = list(read_inputs([corpus]))
    first = run_build(articles, store=dba(virtuoso))
    assert len(first.done) == 2
    remote = triples_per_graph(RemoteStore(virtuoso))
    run_build(articles, store=tmp_path / "local")
    assert remote == triples_per_graph(open_store(tmp_path / "local"))
    assert remote[MERGED_GRAPH] > 0
    merged = RemoteStore(virtuoso).query(
        f"SELECT ?e WHERE {{ GRAPH <{MERGED_GRAPH}> {{ ?e a <{CK.Retreat}> ; <{CK.sourceCount}> 2 }} }}")
    assert len(list(merged)) == 1
    again = run_build(articles, store=dba(virtuoso))
    assert again.skipped == 2 and again.done == []
    assert triples_per_graph(RemoteStore(virtuoso)) == remote

