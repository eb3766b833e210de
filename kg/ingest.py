"""Ingest: files and corpora in, ``Article`` values out.

Reads plain-text (.txt) and Markdown (.md) articles, whose first line is the
headline when it stands alone; corpora with one article a record, as JSON Lines
(.jsonl) or as CSV (.csv, or tab-separated .tsv) under a header row; and saved web
pages (.html, .htm), whose main text and metadata ``kg.webpage`` extracts.
Every problem is an ``InputError`` that names the file (and line) and the fault.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kg.errors import InputError, KgError, OptionError
from kg.model import Article
from kg.webpage import extract_page

TEXT_SUFFIXES = (".txt", ".md")
CORPUS_SUFFIXES = (".jsonl", ".csv", ".tsv")
PAGE_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + CORPUS_SUFFIXES + PAGE_SUFFIXES
# Our name of each field, and the keys (JSON) or columns (CSV) it is read from.
CORPUS_FIELDS = {
    "id": ("id",),
    "headline": ("headline", "title"),
    "published": ("published", "date", "datePublished"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "text": ("text", "body", "content"),
}


def parse_date(value: str, *, where: str) -> date:
    """Parse an ISO date (YYYY-MM-DD; a longer timestamp keeps its date part).

    Raises:
        OptionError: when ``value`` is not such a date; the message names ``where``.
    """
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise OptionError(f"{where}: '{value}' is not a date; expected YYYY-MM-DD") from None


def article_key(*, url: str | None, text: str) -> str:
    """Mint the stable key of an article: from its URL when known, else from its text."""
    basis = url.strip() if url else text
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the article files inside it")
    return path.read_bytes()


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file, refusing missing, empty, binary and undecodable ones.

    Raises:
        InputError: naming the file and the fault.
    """
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not valid UTF-8 (byte {err.start}); save it as UTF-8") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


def split_headline(text: str, *, markdown: bool) -> str | None:
    """Return the headline: a first line that stands alone above a blank line (or '# ...')."""
    lines = text.lstrip("\ufeff").split("\n")
    first = lines[0].strip()
    if markdown and first.startswith("#"):
        return first.lstrip("#").strip() or None
    standalone = len(lines) > 1 and not lines[1].strip()
    if first and standalone and not first.endswith((".", ":", ";", ",")):
        return first
    return None


def read_article_file(path: Path, *, published: date | None = None, source: str | None = None,
                      url: str | None = None) -> Article:
    """Read one .txt or .md article.

    Raises:
        InputError: when the file is missing, empty, binary, undecodable or of an unknown kind.
    """
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(f"{path}: unknown kind of file; expected one of {', '.join(SUFFIXES)}")
    text = read_text_file(path)
    return Article(
        key=article_key(url=url, text=text), text=text,
        headline=split_headline(text, markdown=path.suffix.lower() == ".md"),
        published=published, source=source, url=url, origin=str(path),
    )


def read_webpage(path: Path, *, published: date | None = None, source: str | None = None,
                 url: str | None = None) -> Article:
    """Read one saved web page (.html, .htm): its main text, title, date, site and URL.

    Args:
        path: the page file.
        published, source, url: when given, these stand in for what the page says.

    Raises:
        InputError: when the file is missing or the page holds no article text.
        OptionError: when the page's date is not a date.
    """
    page = extract_page(_read_bytes(path), where=str(path))
    url = url or page.url
    if published is None and page.published:
        published = parse_date(page.published, where=str(path))
    return Article(
        key=article_key(url=url, text=page.text), text=page.text, headline=page.title,
        published=published, source=source or page.site, url=url, origin=str(path),
    )


def corpus_fields(fields: dict[str, str] | None) -> dict[str, tuple[str, ...]]:
    """Return the keys each field is read from: the mapping's, else the usual ones.

    Args:
        fields: our field name → the key or column name that holds it in the corpus.

    Raises:
        OptionError: for a field that is not one of ours, or a blank column name.
    """
    names = dict(CORPUS_FIELDS)
    for field, column in (fields or {}).items():
        if field not in CORPUS_FIELDS:
            raise OptionError(f"field mapping: unknown field '{field}'; "
                              f"expected one of {', '.join(CORPUS_FIELDS)}")
        if not column.strip():
            raise OptionError(f"field mapping: no column given for '{field}'")
        names[field] = (column.strip(),)
    return names


def _article(values: dict[str, str | None], where: str, *, text_from: str) -> Article:
    """One corpus record, by our field names, as an Article; empty values count as absent."""
    body, published, url, doc_id = (values.get(f) for f in ("text", "published", "url", "id"))
    if not body or not body.strip():
        raise InputError(f"{where}: the article has no text (fields {text_from})")
    return Article(
        key=doc_id or article_key(url=url, text=body), text=body,
        headline=values.get("headline") or None,
        published=parse_date(published, where=where) if published else None,
        source=values.get("source") or None, url=url or None, origin=where,
    )


def _skip(err: KgError, problems: list[str] | None) -> None:
    if problems is None:
        raise err
    problems.append(str(err))


def read_jsonl(path: Path, problems: list[str] | None = None, *,
               fields: dict[str, str] | None = None) -> Iterator[Article]:
    """Yield the articles of a JSON Lines corpus, one object a line.

    Args:
        path: the corpus file.
        problems: when given, a broken line is noted here and skipped instead of raised.
        fields: our field name → the key that holds it (see ``corpus_fields``).

    Raises:
        InputError: for an unreadable file, or a broken line when ``problems`` is None.
        OptionError: for a bad field mapping, or a bad date when ``problems`` is None.
    """
    names = corpus_fields(fields)
    text = read_text_file(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield _article(_json_values(line, names, where), where, text_from="/".join(names["text"]))
        except KgError as err:
            _skip(err, problems)


def _json_values(line: str, names: dict[str, tuple[str, ...]], where: str) -> dict[str, str | None]:
    """One JSON Lines record by our field names: the first non-empty key of each."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not JSON ({err.msg})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    present = {key: str(value) for key, value in record.items() if value not in (None, "")}
    return {field: next((present[k] for k in keys if k in present), None)
            for field, keys in names.items()}


def read_csv(path: Path, problems: list[str] | None = None, *,
             fields: dict[str, str] | None = None) -> Iterator[Article]:
    """Yield the articles of a CSV corpus (tab-separated for .tsv), one row an article.

    The header row names the columns, matched without regard to case; a quoted
    field may span lines, and a row is located by the line it starts on.

    Args:
        path: the corpus file.
        problems: when given, a broken row is noted here and skipped instead of raised.
        fields: our field name → the column that holds it (see ``corpus_fields``).

    Raises:
        InputError: for an unreadable file, a header without a text column or a
            mapped column, or a broken row when ``problems`` is None.
        OptionError: for a bad field mapping, or a bad date when ``problems`` is None.
    """
    names = corpus_fields(fields)
    text = read_text_file(path)
    # No field can outgrow the file, and the default limit (128 KiB) is below a long article.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    header = [column.strip() for column in next(reader)]
    columns = _columns(header, names, path, mapped=set(fields or ()))
    text_from = header[columns["text"]]
    end = reader.line_num
    for row in reader:
        where, end = f"{path}:{end + 1}", reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            if len(row) != len(header):
                raise InputError(f"{where}: the row has {len(row)} fields, the header {len(header)}")
            values = {field: row[i] for field, i in columns.items()}
            yield _article(values, where, text_from=text_from)
        except KgError as err:
            _skip(err, problems)


def _columns(header: list[str], names: dict[str, tuple[str, ...]], path: Path, *,
             mapped: set[str]) -> dict[str, int]:
    """The column of each field the header names; the text column and mapped ones must be there."""
    index: dict[str, int] = {}
    for i, column in enumerate(header):
        index.setdefault(column.lower(), i)
    columns = {}
    for field, keys in names.items():
        found = [index[k.lower()] for k in keys if k.lower() in index]
        if found:
            columns[field] = found[0]
        elif field == "text" or field in mapped:
            raise InputError(f"{path}: the header names no {field} column ({'/'.join(keys)}); "
                             f"its columns are: {', '.join(header) or 'none'}; "
                             f"give it with --field {field}=COLUMN")
    return columns


def read_inputs(paths: list[Path], problems: list[str] | None = None, *,
                fields: dict[str, str] | None = None, **metadata) -> Iterator[Article]:
    """Yield the articles of every path: articles, corpora, web pages, and folders of them.

    Args:
        paths: files and folders.
        problems: when given, broken corpus lines and rows, and pages without an
            article, are noted here and skipped.
        fields: for corpora, our field name → the key or column that holds it;
            the names are id, headline, published, source, url, text.
        **metadata: published, source, url for .txt/.md articles and web pages.

    Raises:
        InputError: for an unreadable input (see the readers).
        OptionError: for a bad field mapping.
    """
    for path in paths:
        suffix = path.suffix.lower()
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            if not members:
                kinds = ", ".join(SUFFIXES[:-1]) + " or " + SUFFIXES[-1]
                raise InputError(f"{path}: the folder holds no {kinds} files")
            yield from read_inputs(members, problems, fields=fields, **metadata)
        elif suffix == ".jsonl":
            yield from read_jsonl(path, problems, fields=fields)
        elif suffix in CORPUS_SUFFIXES:
            yield from read_csv(path, problems, fields=fields)
        elif suffix in PAGE_SUFFIXES:
            try:  # a scraped page without an article is skipped like a broken corpus row
                yield read_webpage(path, **metadata)
            except KgError as err:
                _skip(err, problems)
        else:
            yield read_article_file(path, **metadata)
