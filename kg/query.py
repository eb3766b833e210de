"""Questions to the graph: the named SPARQL queries in ``queries/*.rq``, run on a store.

Input: a pyoxigraph ``Store`` (``kg.store.open_source``), a query (a name from
``queries/``, a path to an ``.rq`` file, or SPARQL text) and parameters as strings.
Output: a ``QueryResult`` (its rows read, within a time bound), which ``kg.results``
writes as a table or in the SPARQL 1.1 result formats.

The default graph is the union of the named graphs, so a query sees every article.
Parameters are bound to the query's variables (pyoxigraph ``substitutions``, SPARQL
SEP-0007), never pasted into its text, so no value can change what a query means;
a parameter must therefore be a variable the query SELECTs. A value that looks like
an IRI (``https://…``, ``<…>``, ``kgid:geonames/712926``) is bound as an IRI,
``YYYY-MM-DD`` as an ``xsd:date``, a number as ``xsd:integer``/``xsd:decimal``,
anything else as a string.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, OptionError
from kg.results import FORMATS, PREFIXES, XSD, QueryResult, format_result

WORKER = "kg-query"
_PARAM = re.compile(r"\?(\w+)\s*[—–-]+\s*(.*?)\s*\((required|optional)(?:,\s*example:?\s*(.*?))?\)\s*$")
_LITERALS = ((re.compile(r"\d{4}-\d{2}-\d{2}"), "date"), (re.compile(r"[+-]?\d+"), "integer"),
             (re.compile(r"[+-]?\d*\.\d+"), "decimal"))


class QueryError(KgError):
    """A query cannot be found, parsed or run, or its parameters do not fit it."""


class QueryTimeout(QueryError):
    """A query did not finish within its time bound."""


@dataclass(frozen=True)
class Parameter:
    """A parameter a named query takes, from its ``# Parameters:`` header."""

    name: str
    meaning: str
    required: bool
    example: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query file and its header; ``parameters`` is None when it has no Parameters line."""

    name: str
    path: Path
    question: str
    parameters: tuple[Parameter, ...] | None
    columns: tuple[str, ...]
    text: str


def queries_dir() -> Path:
    """The folder of named queries: the repository's ``queries/``, else the installed copy."""
    here = Path(__file__).resolve().parents[1] / "queries"
    return here if here.is_dir() else Path(sys.prefix) / "share" / "conflict-kg" / "queries"


def parse_header(text: str, path: Path) -> NamedQuery:
    """Read the ``# Question:``, ``# Parameters:`` (one ``?name — …`` a line) and ``# Columns:`` lines.

    Raises:
        QueryError: for a parameter line that does not follow the pattern.
    """
    fields: dict[str, str] = {}
    params: list[Parameter] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        key, _, value = body.partition(":")
        if key in ("Question", "Columns"):
            fields[key] = value.strip()
        elif key == "Parameters":
            params, body = [], value.strip()
        if params is not None and body.startswith("?"):
            match = _PARAM.match(body)
            if not match:
                raise QueryError(f"{path}: cannot read the parameter line {line!r}; write "
                                 "'?name — meaning (required|optional, example: value)'")
            name, meaning, need, example = match.groups()
            params.append(Parameter(name, meaning, need == "required", example))
    columns = tuple(c.strip() for c in fields.get("Columns", "").split(",") if c.strip())
    return NamedQuery(path.stem, path, fields.get("Question", ""),
                      None if params is None else tuple(params), columns, text)


def list_queries() -> list[NamedQuery]:
    """Every named query in ``queries_dir()``, sorted by name."""
    return [parse_header(p.read_text(encoding="utf-8"), p) for p in sorted(queries_dir().glob("*.rq"))]


def load_query(name_or_path: str) -> NamedQuery:
    """A named query (``retreats``) or a query file (``my/question.rq``).

    Raises:
        QueryError: for an unknown name (listing the known ones) or an unreadable file.
    """
    path = Path(name_or_path)
    if path.suffix != ".rq" and not path.is_file():
        path = queries_dir() / f"{name_or_path}.rq"
        if not re.fullmatch(r"[\w-]+", name_or_path) or not path.is_file():
            names = ", ".join(q.name for q in list_queries()) or "(none)"
            raise QueryError(f"unknown query {name_or_path!r}; the named queries are: {names} "
                             "(or give the path of a .rq file)")
    try:
        return parse_header(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query: {err}") from None


def to_term(value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for (see the module docstring).

    Raises:
        QueryError: for an IRI with characters IRIs cannot hold, or an impossible date.
    """
    prefix, colon, local = value.partition(":")
    if re.fullmatch(r"<[^<>\s]*>", value):
        iri = value[1:-1]
    elif re.fullmatch(r"(https?|urn):\S+", value):
        iri = value
    elif colon and prefix in PREFIXES and re.fullmatch(r"\S+", local):
        iri = PREFIXES[prefix] + local
    else:
        iri = None
    try:
        if iri is not None:
            return ox.NamedNode(iri)
        for pattern, datatype in _LITERALS:
            if pattern.fullmatch(value):
                if datatype == "date":
                    date.fromisoformat(value)
                return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    except ValueError as err:
        raise QueryError(f"parameter value {value!r} is not a valid {'IRI' if iri else 'date'}: {err}") from None
    return ox.Literal(value)


def parse_params(pairs: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """``["place=Balakliya", "km=30"]`` (or a mapping) as ``{"place": "Balakliya", "km": "30"}``.

    Raises:
        OptionError: for an item without ``=`` or a name that is not a variable name.
    """
    params = {}
    for item in pairs or ():
        name, sep, value = (item, "=", pairs[item]) if isinstance(pairs, Mapping) else item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise OptionError(f"--param {item}: write NAME=VALUE, e.g. --param place=Balakliya")
        params[name] = value
    return params


def check_params(query: NamedQuery, params: Mapping[str, str]) -> None:
    """Check ``params`` against the parameters ``query`` declares (if it declares them).

    Raises:
        QueryError: for a parameter it does not take, or a required one missing.
    """
    known = {p.name: p for p in query.parameters or ()}
    for name in params if query.parameters is not None else ():
        if name not in known:
            raise QueryError(f"query {query.name!r} has no parameter {name!r}; it takes: {', '.join(known) or 'none'}")
    for p in known.values():
        if p.required and p.name not in params:
            hint = f" (example: --param {p.name}={p.example})" if p.example else ""
            raise QueryError(f"query {query.name!r} needs --param {p.name}=…, {p.meaning}{hint}")


def running_queries() -> int:
    """How many query workers are running, including those whose caller stopped waiting."""
    return sum(t.name == WORKER for t in threading.enumerate())


def run_query(store: ox.Store, text: str, *, params: Mapping[str, str] | None = None,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
    """Run SPARQL ``text`` on the union of ``store``'s graphs, with ``params`` bound.

    With ``timeout`` the query runs in a worker thread, and QueryTimeout is raised when it
    has not finished in time. pyoxigraph cannot interrupt a query: the worker stops at the
    next row it reads, but one that computes before its first row (sorting, grouping)
    runs on to its end in the background (``running_queries`` counts them).

    Raises:
        QueryError: for a syntax error (with its line:column), a parameter that is not a
            SELECTed variable, a failure while running, or the timeout (QueryTimeout).
    """
    for name in params or ():
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    bindings = {ox.Variable(k): to_term(v) for k, v in (params or {}).items()}
    cancel = threading.Event()

    def evaluate() -> QueryResult:
        try:
            answer = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=bindings)
            return _read(answer, max_rows, cancel)
        except SyntaxError as err:
            raise QueryError(f"invalid SPARQL, {err}") from None
        except (RuntimeError, OSError, ValueError) as err:
            var = re.search(r"variable \?(\w+) in its SELECT projection", str(err))
            if var:
                raise QueryError(f"parameter {var.group(1)!r} is not a variable the query SELECTs; "
                                 "a parameter must be one of its result columns") from None
            raise QueryError(f"the query failed: {err}") from None

    return evaluate() if timeout is None else _within(evaluate, timeout, cancel)


def _read(answer, max_rows: int | None, cancel: threading.Event) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        kind, variables = "select", tuple(v.value for v in answer.variables)
        rows_of = (tuple(s[i] for i in range(len(variables))) for s in answer)
    else:
        kind, variables = "graph", ("subject", "predicate", "object")
        rows_of = ((t.subject, t.predicate, t.object) for t in answer)
    rows: list[tuple] = []
    for row in rows_of:
        if cancel.is_set() or (max_rows is not None and len(rows) >= max_rows):
            return QueryResult(kind, variables, tuple(rows), truncated=not cancel.is_set())
        rows.append(row)
    return QueryResult(kind, variables, tuple(rows))


def _within(evaluate: Callable[[], QueryResult], timeout: float, cancel: threading.Event) -> QueryResult:
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = evaluate()
        except BaseException as err:  # raised again in the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=work, name=WORKER, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancel.set()
        raise QueryTimeout(f"query timed out after {timeout:g} s; narrow it (a LIMIT, a parameter) or allow more time")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def describe_queries() -> str:
    """The named queries: name, question, parameters and columns, a paragraph each."""
    return "\n".join(
        f"{q.name}\n  {q.question}\n  parameters: "
        + ("; ".join(f"{p.name} ({'required' if p.required else 'optional'}, e.g. {p.example})"
                     for p in q.parameters or ()) or "none")
        + f"\n  columns: {', '.join(q.columns)}" for q in list_queries())


def query_command(sources: list, query: str | None, sparql: str | None,
                  params: Iterable[str] | Mapping[str, str] | None = None,
                  fmt: str = "table", timeout: float | None = None) -> str:
    """What ``kg query`` prints: ``query`` (a name or .rq file) or ``sparql``, run on ``sources``.

    Raises:
        OptionError: for neither or both of ``query`` and ``sparql``, no source, a bad format.
        QueryError: naming the query, for anything ``load_query`` or ``run_query`` refuse.
        GraphError: for a source that cannot be read.
    """
    from kg.store import open_source

    if (query is None) == (sparql is None):
        raise OptionError("give a query name or .rq file, or --sparql TEXT (one of them)")
    if not sources:
        raise OptionError("give the graph files, folders or store to query before the query")
    if fmt not in FORMATS:
        raise OptionError(f"--format {fmt}: use one of {', '.join(FORMATS)}")
    values = parse_params(params)
    label = "--sparql"
    if query is not None:
        named = load_query(query)
        check_params(named, values)
        sparql, label = named.text, f"query {named.name!r}"
    store = open_source([Path(s) for s in sources])
    try:
        result = run_query(store, sparql, params=values, timeout=timeout)
    except QueryError as err:
        raise type(err)(f"{label}: {err}") from None
    return format_result(result, fmt)
