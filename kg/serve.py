"""A read-only SPARQL 1.1 Protocol endpoint and a page to ask and browse, on the standard library.

Input: a pyoxigraph ``Store`` (``kg.store.open_source``) and, optionally, a graph-view
HTML file (from ``kg viz``). Output: an ``http.server.ThreadingHTTPServer`` answering

    GET  /                  the page: the named questions with their parameters, a SPARQL box,
                            answers as a table (all CSS and JS inline, data set as text)
    GET  /sparql?query=...  a SPARQL query (also POST: a form with query=, or an
                            application/sparql-query body), per the SPARQL 1.1 Protocol
    GET  /queries           the named questions, and the prefixes used to shorten IRIs, as JSON
    GET  /queries/NAME?p=v  a named question, its parameters bound (never pasted)
    GET  /graph             the graph view, when one was given

Answers are SPARQL results JSON (the default), XML, CSV or TSV as the Accept header
asks; CONSTRUCT/DESCRIBE answers are Turtle (the default) or N-Triples, or rows of
subject, predicate, object when a results format is asked for. Nothing can write:
SPARQL Update (``update=``, INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...) gets 403,
PUT/DELETE/PATCH 405; federated ``SERVICE`` calls get 403 too, so that a client cannot
make the server fetch other hosts. A query that runs past ``timeout`` seconds gets 503
(pyoxigraph cannot stop it: it finishes in the background); while ``max_running``
queries are running, new ones get 503 too. Answers stop at ``max_rows`` rows and the
``X-SPARQL-MaxRows`` header (as Virtuoso does) then says the answer was cut. On a
loopback address only requests naming a loopback host are answered (DNS rebinding).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import socket
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import OptionError
from kg.query import (
    NamedQuery,
    QueryError,
    QueryTimeout,
    check_params,
    list_queries,
    run_query,
    running_queries,
)
from kg.results import PREFIXES, QueryResult, format_result

MAX_BODY = 1 << 20
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
CONTENT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_LEXEMES = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                      r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)\s*)*", re.I)
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.I)


class Refused(Exception):
    """A request the endpoint answers with an HTTP error status and a message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}


def _bare(text: str) -> str:
    """``text`` with comments removed and strings and IRIs emptied, to look for keywords."""
    def blank(match: re.Match) -> str:
        token = match.group(0)
        return " " if token.startswith("#") else ('<>' if token.startswith("<") else '""')
    return _LEXEMES.sub(blank, text)


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request (its first keyword after the prologue)."""
    rest = _PROLOGUE.sub("", _bare(text), count=1)
    word = re.match(r"[A-Za-z]+", rest)
    return bool(word) and word.group(0).upper() in UPDATE_WORDS


def uses_service(text: str) -> bool:
    """Whether ``text`` contains a federated ``SERVICE`` clause."""
    return bool(_SERVICE.search(_bare(text)))


def choose_format(accept: str | None, kind: str) -> tuple[str, str]:
    """The answer format for an Accept header: ("json"|"xml"|"csv"|"tsv"|"turtle"|"ntriples", media type)."""
    ranked = []
    for i, item in enumerate((accept or "").split(",")):
        media, _, params = item.strip().partition(";")
        q = re.search(r"q=([0-9.]+)", params)
        weight = float(q.group(1)) if q else 1.0
        if weight > 0:  # q=0: "not this one"
            ranked.append((-weight, i, media.strip().lower()))
    for _, _, media in sorted(ranked):
        if kind == "graph" and media in GRAPH_TYPES:
            return ("turtle" if media == "text/turtle" else "ntriples"), media
        if media in RESULT_TYPES:
            fmt = RESULT_TYPES[media]
            return fmt, CONTENT_TYPES[fmt]
    return ("turtle", "text/turtle") if kind == "graph" else ("json", CONTENT_TYPES["json"])


def render_answer(result: QueryResult, fmt: str) -> bytes:
    """The body of an answer in ``fmt`` (see ``choose_format``)."""
    if fmt in ("turtle", "ntriples"):
        triples = [ox.Triple(*row) for row in result.rows]
        rdf = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        return ox.serialize(triples, format=rdf, prefixes=PREFIXES if fmt == "turtle" else None)
    return format_result(result, fmt).encode("utf-8")


class KgServer(ThreadingHTTPServer):
    """The HTTP server; holds the store, the bounds and the rendered page."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: ox.Store, *, graph_html: Path | None,
                 timeout: float, max_rows: int, max_running: int, quiet: bool):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.store, self.graph_html, self.quiet = store, graph_html, quiet
        self.query_timeout, self.max_rows, self.max_running = timeout, max_rows, max_running
        self.queries = {q.name: q for q in list_queries()}
        self.page = render_page(list(self.queries.values()), graph=graph_html is not None).encode("utf-8")
        self.loopback_only = address[0] in LOOPBACK

    def handle_error(self, request, client_address) -> None:
        """A client that went away is not an error worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """One request: routes, checks, runs the query, writes the answer."""

    server: KgServer
    server_version = "conflict-kg"
    timeout = 30  # seconds a client may take to send its request

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._handle(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._handle(self._post)

    def _refuse_method(self) -> None:
        self._handle(lambda: self._raise(405, "this endpoint is read-only: use GET or POST", {"Allow": "GET, POST"}))

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    @staticmethod
    def _raise(status: int, message: str, headers: dict[str, str] | None = None):
        raise Refused(status, message, headers)

    def _handle(self, route) -> None:
        try:
            self._check_host()
            status, body, media, headers = route()
        except Refused as err:
            status, body, media, headers = err.status, f"{err}\n".encode(), "text/plain; charset=utf-8", err.headers
        except (ConnectionError, TimeoutError):
            return
        except Exception:  # a bug: answer 500, keep serving, log the traceback
            traceback.print_exc()
            status, body, media, headers = 500, b"internal error\n", "text/plain; charset=utf-8", {}
        self._send(status, body, media, headers)

    def _check_host(self) -> None:
        host = urlsplit("//" + (self.headers.get("Host") or "")).hostname or ""
        if self.server.loopback_only and host not in LOOPBACK:
            raise Refused(403, f"unexpected Host {host!r}: this endpoint answers only on its loopback address")

    def _get(self):
        url = urlsplit(self.path)
        args = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            return 200, self.server.page, "text/html; charset=utf-8", {"Content-Security-Policy": PAGE_CSP}
        if url.path == "/sparql":
            return self._sparql(args)
        if url.path == "/queries":
            data = {"prefixes": PREFIXES, "queries": [_describe(q) for q in self.server.queries.values()]}
            return 200, json.dumps(data).encode(), "application/json", {}
        if url.path.startswith("/queries/"):
            return self._named(url.path.removeprefix("/queries/"), args)
        if url.path == "/graph" and self.server.graph_html is not None:
            return 200, self.server.graph_html.read_bytes(), "text/html; charset=utf-8", {}
        if url.path == "/graph":
            raise Refused(404, "no graph view: start kg serve with --graph FILE.html (made by kg viz)")
        raise Refused(404, f"no such page: {url.path}; see / for the questions, /sparql for queries")

    def _post(self):
        if urlsplit(self.path).path != "/sparql":
            raise Refused(404, "POST goes to /sparql")
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Refused(411, "send a Content-Length")
        if int(length) > MAX_BODY:
            raise Refused(413, f"request body over {MAX_BODY} bytes")
        body = self.rfile.read(int(length))
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "the request body is not UTF-8") from None
        if media == "application/x-www-form-urlencoded":
            return self._sparql(parse_qs(text, keep_blank_values=True))
        if media == "application/sparql-query":
            return self._sparql({"query": [text]})
        if media == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        raise Refused(415, "send application/x-www-form-urlencoded (query=...) or application/sparql-query")

    def _sparql(self, args: dict[str, list[str]]):
        if "update" in args:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if "default-graph-uri" in args or "named-graph-uri" in args:
            raise Refused(400, "default-graph-uri and named-graph-uri are not supported: the default graph "
                               "is the union of all graphs; use GRAPH in the query")
        if len(args.get("query", [])) != 1:
            raise Refused(400, "give exactly one query parameter: /sparql?query=SELECT ...")
        text = args["query"][0]
        if is_update(text):
            raise Refused(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
                               "CREATE, ADD, MOVE, COPY) is refused")
        if uses_service(text):
            raise Refused(403, "federated queries (SERVICE) are disabled on this endpoint")
        return self._run(text, {})

    def _named(self, name: str, args: dict[str, list[str]]):
        query = self.server.queries.get(name)
        if query is None:
            raise Refused(404, f"no named query {name!r}; GET /queries lists them")
        params = {k: v[-1] for k, v in args.items() if v and v[-1] != ""}
        try:
            check_params(query, params)
        except QueryError as err:
            raise Refused(400, str(err)) from None
        return self._run(query.text, params)

    def _run(self, text: str, params: dict[str, str]):
        if running_queries() >= self.server.max_running:
            raise Refused(503, f"busy: {self.server.max_running} queries are running (timed-out ones run on "
                               "to their end); try again shortly", {"Retry-After": "10"})
        try:
            result = run_query(self.server.store, text, params=params, timeout=self.server.query_timeout,
                               max_rows=self.server.max_rows)
        except QueryTimeout as err:
            raise Refused(503, str(err)) from None
        except QueryError as err:
            raise Refused(400, str(err)) from None
        fmt, media = choose_format(self.headers.get("Accept"), result.kind)
        headers = {"X-SPARQL-MaxRows": str(self.server.max_rows)} if result.truncated else {}
        return 200, render_answer(result, fmt), media, headers

    def _send(self, status: int, body: bytes, media: str, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client left; nobody to answer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the http.server signature)
        if not self.server.quiet:
            super().log_message(format, *args)


def _describe(query: NamedQuery) -> dict:
    params = [{"name": p.name, "meaning": p.meaning, "required": p.required, "example": p.example}
              for p in query.parameters or ()]
    return {"name": query.name, "question": query.question, "parameters": params, "columns": list(query.columns)}


def make_server(store: ox.Store, host: str = "127.0.0.1", port: int = 8000, *, graph_html: Path | None = None,
                timeout: float = 10.0, max_rows: int = 10_000, max_running: int = 4,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server for ``store`` on ``host``:``port`` (0 picks a free port); call ``serve_forever()``.

    Raises:
        OSError: when the address cannot be bound (in use, not ours).
    """
    return KgServer((host, port), store, graph_html=graph_html, timeout=timeout, max_rows=max_rows,
                    max_running=max_running, quiet=quiet)


def serve(store: ox.Store, host: str = "127.0.0.1", port: int = 8000, graph_html: Path | None = None,
          **bounds) -> None:
    """Serve ``store`` until interrupted, printing the address to stderr.

    Raises:
        OptionError: when ``host``:``port`` cannot be listened on (in use, not this machine's).
    """
    try:
        server = make_server(store, host, port, graph_html=graph_html, **bounds)
    except OSError as err:
        raise OptionError(f"--host {host} --port {port}: cannot listen there: {err.strerror or err}") from None
    shown = f"[{host}]" if ":" in host else host
    print(f"kg serve: http://{shown}:{server.server_address[1]}/ (SPARQL at /sparql); Ctrl-C stops",
          file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def render_page(queries: list[NamedQuery], *, graph: bool) -> str:
    """The page at ``/``: one form per named question, a SPARQL box and the results table."""
    forms = []
    for q in queries:
        fields = "".join(
            f'<label>{html.escape(p.name)}<input name="{html.escape(p.name)}" '
            f'placeholder="{html.escape(p.example or "")}" title="{html.escape(p.meaning)}"'
            f'{" required" if p.required else ""}></label>' for p in q.parameters or ())
        forms.append(f'<form class="question" data-name="{html.escape(q.name)}"><p>{html.escape(q.question)}</p>'
                     f'<div>{fields}<button>Ask</button><code>{html.escape(q.name)}</code></div></form>')
    link = '<a href="/graph">graph view</a>' if graph else ""
    return (PAGE.replace("{graph}", link).replace("{style}", STYLE).replace("{script}", SCRIPT)
            .replace("{forms}", "\n".join(forms)))


PAGES = Path(__file__).parent / "pages"  # the page's template, style and script
STYLE = (PAGES / "ask.css").read_text(encoding="utf-8")
SCRIPT = (PAGES / "ask.js").read_text(encoding="utf-8")
PAGE = (PAGES / "ask.html").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# Only the page's own script and style may run: markup that ever slipped into the page could not.
PAGE_CSP = (f"default-src 'none'; script-src {_sha256(SCRIPT)}; style-src {_sha256(STYLE)}; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'")
