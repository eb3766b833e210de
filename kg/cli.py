"""The ``kg`` command line: a thin layer that checks arguments and calls the stages.

Exit codes: 0 success; 1 a user error (bad input, invalid graph), printed as one
line on stderr; 2 a misuse of the command line itself (unknown option); 130 interrupted
(Ctrl-C), with every finished article kept.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click

from kg import __version__
from kg.errors import InputError, KgError, OptionError

FORMAT_CHOICE = click.Choice(["trig", "nquads", "turtle", "json-ld"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """conflict-kg: knowledge graphs of who did what, where, when, and who said so.

    \b
    Example:
      kg build article.txt --published 2022-09-07 -o article.trig
      kg validate article.trig
    """


def _pair(item: str, option: str) -> tuple[str, str]:
    """``"text=body"`` as ``("text", "body")``; anything without ``=`` is a usage error."""
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise OptionError(f"{option} {item}: write NAME=COLUMN, e.g. {option} text=body")
    return name.strip(), value


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD) of .txt/.md articles.")
@click.option("--source", help="Publisher of .txt/.md articles, e.g. 'Reuters'.")
@click.option("--url", help="URL of the article (one .txt/.md article).")
@click.option("--field", "fields", multiple=True, metavar="NAME=COLUMN",
              help="Where a corpus keeps a field: NAME is id, headline, published, source, url or text "
              "(repeatable).")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write all graphs to this file.")
@click.option("--out-dir", type=click.Path(path_type=Path), help="Write one graph file per article here.")
@click.option("--store", metavar="DIR|URL", help="Add the graphs to this store directory, or to a SPARQL server "
              "(http://HOST:8890/sparql; credentials as http://USER:PASSWORD@HOST/… or in "
              "KG_STORE_USER/KG_STORE_PASSWORD).")
@click.option("--graph-store", metavar="URL", help="The server's Graph Store Protocol address, when not the "
              "usual one for its --store endpoint (Virtuoso: …/sparql-graph-crud-auth).")
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="RDF format (default: from the suffix, else TriG).")
@click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes to run the extraction on.")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Run the extraction on the workers of this Dask scheduler instead of local processes.")
@click.option("--window", type=click.IntRange(0, 60), default=1, show_default=True,
              help="With --store: days apart that reports of one event may be dated.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every event and claim found.")
def build(inputs, published, source, url, fields, out, out_dir, store, graph_store, fmt, model, workers,
          scheduler, window, verbose) -> None:
    """Build the knowledge graph of articles (.txt, .md, .html, .jsonl/.csv corpora, or folders).

    Each article becomes one named graph. A summary goes to stderr; with none of
    --out, --out-dir, --store the graph goes to stdout. With --store, articles
    already stored with the same text are skipped and the merged layer is updated.

    \b
    Examples:
      kg build story.txt --published 2022-09-07 --source MorningPress -o story.trig
      kg build reports.jsonl --out-dir graphs/
      kg build news.csv --field text=article_body --field published=pub_date -o news.trig
      kg build reports.jsonl --store kg-store --workers 2
      kg build reports.jsonl --store http://dba:dba@localhost:8890/sparql
      kg build reports.jsonl --store kg-store --scheduler tcp://10.0.0.5:8786
    """
    from kg.build import describe, run_build, summary
    from kg.ingest import parse_date, read_inputs

    if sum(map(bool, (out, out_dir, store))) > 1:
        raise OptionError("--out, --out-dir and --store: give one of them")
    if graph_store and not store:
        raise OptionError("--graph-store goes with --store http://…")
    date = parse_date(published, where="--published") if published else None
    problems: list[str] = []
    mapping = dict(_pair(f, "--field") for f in fields)
    articles = list(read_inputs(list(inputs), problems, fields=mapping or None, published=date,
                                source=source, url=url))
    if url and len(articles) > 1:
        raise OptionError("--url names one article, but the inputs hold several")
    for problem in problems:
        click.echo(f"kg: skipped {problem}", err=True)
    if not articles:
        raise InputError(f"{', '.join(map(str, inputs))}: no readable article")
    report = run_build(articles, out=out, out_dir=out_dir, store=store, graph_store=graph_store, fmt=fmt,
                       model=model, workers=workers, scheduler=scheduler, window=timedelta(days=window))
    if verbose:
        click.echo(describe(report.done), err=True)
    click.echo(summary(report.done, report.failures, report.skipped), err=True)


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="Merged dataset file.")
@click.option("--window", type=click.IntRange(0, 60), default=1, show_default=True,
              help="Days apart that reports of one event may be dated.")
def merge(graphs, out, window) -> None:
    """Merge article graphs: one node per entity and event, sources counted, conflicts linked.

    The article graphs are kept as they are; the merged layer is added as the named
    graph https://w3id.org/conflict-kg/id/merged.

    \b
    Example:
      kg merge a.trig b.trig -o merged.trig
    """

    from kg.merge import update_merged_layer
    from kg.store import dump_store, open_source

    store = open_source(list(graphs))
    size = update_merged_layer(store, window=timedelta(days=window))
    dump_store(store, out)
    click.echo(f"merged layer: {size} triples; written to {out}", err=True)


@cli.command()
@click.argument("store", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="Output file (.trig or .nq).")
def export(store, out) -> None:
    """Write a store's graphs (articles and merged layer) to a TriG or N-Quads file.

    \b
    Example:
      kg export kg-store -o corpus.trig
    """
    from kg.store import dump_store, open_store

    dump_store(open_store(store), out)
    click.echo(f"exported {store} to {out}", err=True)


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(graphs) -> None:
    """Check graph files against the ontology's SHACL shapes; exit 1 on any violation.

    \b
    Example:
      kg validate story.trig
    """
    from kg.validate import validate_files

    violations = validate_files(list(graphs))
    for violation in violations:
        click.echo(str(violation), err=True)
    if violations:
        raise click.exceptions.Exit(1)
    click.echo(f"valid: {', '.join(map(str, graphs))} conforms to the conflict-kg shapes", err=True)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help="HTML file to write.")
@click.option("--around", metavar="NAME", help="Draw only what is near the entity with this name or alias.")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many events away from --around to go.")
@click.option("--since", metavar="YYYY-MM-DD", help="Keep events dated on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Keep events dated on or before this day.")
@click.option("--types", metavar="T,T", help="Keep only these classes, e.g. Retreat,Settlement (Event: all events).")
@click.option("--min-sources", type=click.IntRange(min=1), default=1, show_default=True,
              help="Keep events reported by at least N distinct articles.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=300, show_default=True,
              help="Draw at most N nodes, the best ranked; the page says what was left out.")
def viz(sources, out, around, hops, since, until, types, min_sources, max_nodes) -> None:
    """Draw graphs as one self-contained HTML page (works offline, no external URL).

    SOURCES are graph files, folders of them, or a store directory.

    \b
    Examples:
      kg viz out/isw/ -o isw.html
      kg viz out/isw/ -o balakliya.html --around Balakliya --hops 2 --since 2022-09-01
    """
    from kg.viz import viz_source

    summary = viz_source(list(sources), out, around=around, hops=hops, since=since, until=until, types=types,
                         min_sources=min_sources, max_nodes=max_nodes)
    click.echo(str(summary), err=True)


@cli.command()
@click.argument("args", nargs=-1, required=True, metavar="SOURCE... [NAME|FILE.rq]")
@click.option("--sparql", metavar="TEXT", help="Run this SPARQL text instead of a named question.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Readable table, or SPARQL 1.1 results for machines.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds before the query is abandoned.")
@click.option("--list", "list_only", is_flag=True, help="List the named questions and exit.")
def query(args, sparql, params, fmt, timeout, list_only) -> None:
    """Ask a graph a question: a named question from queries/, an .rq file, or --sparql.

    SOURCE is graph files, folders of them, or a store directory; the last argument is
    the question unless --sparql is given. Results go to stdout.

    \b
    Examples:
      kg query seed.trig retreats
      kg query kg-store control-timeline --param place=Balakliya --format csv
      kg query seed.trig --sparql "SELECT ?e WHERE { ?e a <https://w3id.org/conflict-kg/ontology#Retreat> }"
      kg query --list .
    """
    from kg.query import describe_queries, query_command

    if list_only:
        click.echo(describe_queries())
        return
    sources, name = (list(args), None) if sparql else (list(args[:-1]), args[-1])
    click.echo(query_command(sources, name, sparql, params, fmt, timeout))


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free).")
@click.option("--graph", "graph_html", type=click.Path(path_type=Path), help="A kg viz page to serve at /graph.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows an answer may hold; longer ones are cut and say so (X-SPARQL-MaxRows).")
def serve(sources, host, port, graph_html, timeout, max_rows) -> None:
    """Serve graphs as a read-only SPARQL 1.1 endpoint with a page of the named questions.

    GET or POST /sparql (results as JSON, XML, CSV or TSV by the Accept header); the
    page at / runs the named questions and free SPARQL. Updates are refused.

    \b
    Example:
      kg serve kg-store --port 8000 --graph isw.html
      kg serve kg-store --timeout 30 --max-rows 50000
    """
    from kg.serve import serve as run_server
    from kg.store import open_source

    run_server(open_source(list(sources)), host, port, graph_html=graph_html, timeout=timeout, max_rows=max_rows)


def main() -> None:
    """Entry point: run the CLI, turning user errors into one line and exit status 1."""
    try:
        status = cli.main(standalone_mode=False)
    except KgError as err:
        click.echo(f"kg: error: {err}", err=True)
        sys.exit(1)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Abort as err:
        if isinstance(err.__cause__, KeyboardInterrupt):
            # Each article graph is written whole, so a store is left consistent.
            click.echo("kg: interrupted; finished articles are kept, and running the same "
                       "command again goes on from there", err=True)
            sys.exit(130)
        click.echo("kg: aborted", err=True)
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
