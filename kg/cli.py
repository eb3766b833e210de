"""The ``kg`` command line: a thin layer that checks arguments and calls the stages.

Exit codes: 0 success; 1 a user error (bad input, invalid graph), printed as one
line on stderr; 2 a misuse of the command line itself (unknown option).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError, OptionError

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


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD) of .txt/.md articles.")
@click.option("--source", help="Publisher of .txt/.md articles, e.g. 'Reuters'.")
@click.option("--url", help="URL of the article (one .txt/.md article).")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write all graphs to this file.")
@click.option("--out-dir", type=click.Path(path_type=Path), help="Write one graph file per article here.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="RDF format (default: from the suffix, else TriG).")
@click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm if installed).")
@click.option("-v", "--verbose", is_flag=True, help="Also list every event and claim found.")
def build(inputs, published, source, url, out, out_dir, fmt, model, verbose) -> None:
    """Build the knowledge graph of articles (.txt, .md, .jsonl corpora, or folders).

    Each article becomes one named graph. A summary goes to stderr; with neither
    --out nor --out-dir the graph goes to stdout.

    \b
    Examples:
      kg build story.txt --published 2022-09-07 --source MorningPress -o story.trig
      kg build reports.jsonl --out-dir graphs/
      kg build articles/ -o all.nq
    """
    from kg.build import describe, extract_all, summary, write_one_file, write_per_article
    from kg.ingest import parse_date, read_inputs
    from kg.pipeline import load_pipeline

    if out and out_dir:
        raise OptionError("--out and --out-dir: give one of them")
    date = parse_date(published, where="--published") if published else None
    articles = list(read_inputs(list(inputs), published=date, source=source, url=url))
    if url and len(articles) > 1:
        raise OptionError("--url names one article, but the inputs hold several")
    extractions = extract_all(load_pipeline(model), articles)
    write = write_per_article if out_dir else write_one_file
    done = write(extractions, out_dir or out, fmt)
    if verbose:
        click.echo(describe(done), err=True)
    click.echo(summary(done), err=True)


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
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
