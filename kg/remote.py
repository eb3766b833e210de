"""Remote store: any SPARQL 1.1 server, for builds too big for one machine's store.

Input: N-Triples of whole named graphs, and SELECT queries. Output: graphs written
through the SPARQL 1.1 Graph Store Protocol (a PUT replaces a graph, further POSTs
append to it, each request carrying up to ``batch_triples`` triples), and query
solutions read through the SPARQL 1.1 Protocol, parsed by pyoxigraph so the rest of
conflict-kg reads them exactly as it reads an Oxigraph store's.

Credentials come from the URL (``http://USER:PASSWORD@host/sparql``) or from
``KG_STORE_USER`` and ``KG_STORE_PASSWORD``; HTTP Basic and Digest are both answered.
"""

from __future__ import annotations

import os
import urllib.parse

import pyoxigraph as ox
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from kg.errors import GraphError

DEFAULT_BATCH_TRIPLES = 5000
JSON_RESULTS = "application/sparql-results+json"
# Where well-known servers take Graph Store Protocol requests, given their query endpoint.
GRAPH_STORE_PATHS = {"/sparql": "/sparql-graph-crud-auth",  # Virtuoso
                     "/query": "/store"}  # Oxigraph server
PROBE_GRAPH = "https://w3id.org/conflict-kg/id/probe"


def is_remote(spec: str) -> bool:
    """Whether a ``--store`` value names a SPARQL server rather than a directory."""
    return spec.startswith(("http://", "https://"))


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol address that goes with a query endpoint.

    Virtuoso's ``/sparql`` pairs with ``/sparql-graph-crud-auth`` and Oxigraph's
    ``/query`` with ``/store``; any other server is assumed to take both at one
    address (as Fuseki's dataset URL does).
    """
    parts = urllib.parse.urlsplit(endpoint)
    for suffix, replacement in GRAPH_STORE_PATHS.items():
        if parts.path.endswith(suffix):
            return parts._replace(path=parts.path[: -len(suffix)] + replacement).geturl()
    return endpoint


class RemoteStore:
    """A SPARQL 1.1 server used as conflict-kg's store (the subset of pyoxigraph's API it needs)."""

    def __init__(self, endpoint: str, *, graph_store: str | None = None,
                 batch_triples: int = DEFAULT_BATCH_TRIPLES, timeout: float = 120) -> None:
        """Prepare a client; nothing is sent until the first request.

        Args:
            endpoint: the query endpoint, optionally with ``USER:PASSWORD@`` in it.
            graph_store: the Graph Store Protocol address (default: see ``graph_store_url``).
            batch_triples: triples per write request.
            timeout: seconds to wait for one answer.
        """
        parts = urllib.parse.urlsplit(endpoint)
        user = urllib.parse.unquote(parts.username or "") or os.environ.get("KG_STORE_USER")
        password = urllib.parse.unquote(parts.password or "") or os.environ.get("KG_STORE_PASSWORD", "")
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        self.endpoint = parts._replace(netloc=netloc).geturl()
        self.graph_store = graph_store or graph_store_url(self.endpoint)
        self.batch_triples = batch_triples
        self.timeout = timeout
        self._credentials = (user, password) if user else None
        self._session = requests.Session()
        self._signed_in = False

    def _sign_in(self) -> None:
        """Learn the server's authentication scheme with a bodiless request, before any upload.

        A server that answers 401 to a large upload may close the connection while the
        body is still being sent; after this probe, Digest credentials go with every
        request from the start.
        """
        self._signed_in = True
        if self._credentials is None:
            return
        probe = self._send("GET", self.graph_store, params={"graph": PROBE_GRAPH}, expected=(200, 401, 404))
        scheme = probe.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        self._session.auth = (HTTPDigestAuth if scheme == "digest" else HTTPBasicAuth)(*self._credentials)
        self._send("GET", self.graph_store, params={"graph": PROBE_GRAPH}, expected=(200, 404))

    def _send(self, method: str, url: str, *, expected: tuple[int, ...] = (200, 201, 204),
              **kwargs) -> requests.Response:
        if not self._signed_in:
            self._sign_in()
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as err:
            raise GraphError(f"{url}: cannot reach the SPARQL server ({type(err).__name__})") from None
        if response.status_code not in expected:
            detail = response.text.strip().splitlines()
            hint = " (check the user and password)" if response.status_code in (401, 403) else ""
            raise GraphError(f"{url}: the server answered {response.status_code} {response.reason}{hint}"
                             f"{': ' + detail[0][:200] if detail else ''}")
        return response

    def query(self, sparql: str, *, prefixes: dict[str, str] | None = None) -> ox.QuerySolutions:
        """Run a SELECT query on the server; return pyoxigraph solutions.

        Raises:
            GraphError: when the server cannot be reached or refuses the query.
        """
        head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())
        answer = self._send("POST", self.endpoint, data={"query": head + sparql},
                            headers={"Accept": JSON_RESULTS})
        cap = answer.headers.get("X-SPARQL-MaxRows")
        if cap:  # Virtuoso's sign that the answer may have been cut at its ResultSetMaxRows
            raise GraphError(f"{self.endpoint}: the server cut an answer at {cap} rows; raise its "
                             "limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
        try:
            return ox.parse_query_results(answer.content, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as err:
            raise GraphError(f"{self.endpoint}: the answer is not SPARQL JSON results ({err})") from None

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        """Replace the named graph ``name`` with ``ntriples``, in batches of ``batch_triples``.

        The first request replaces the graph (PUT) and the rest append (POST). Graphs
        written by conflict-kg have no blank nodes, so splitting by line is safe.

        Raises:
            GraphError: when the server cannot be reached or refuses a request.
        """
        lines = ntriples.splitlines(keepends=True)
        batches = [lines[i:i + self.batch_triples] for i in range(0, len(lines), self.batch_triples)] or [[]]
        for number, batch in enumerate(batches):
            self._send("PUT" if number == 0 else "POST", self.graph_store, params={"graph": name},
                       data=b"".join(batch), headers={"Content-Type": "application/n-triples"})

    def flush(self) -> None:
        """Nothing to do: every request is committed by the server when it answers."""
