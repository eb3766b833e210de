"""Ingest: files and corpora in, ``Article`` values out.

Reads plain-text (.txt) and Markdown (.md) articles, whose first line is the
headline when it stands alone, and JSON Lines corpora with one article an object.
Every problem is an ``InputError`` that names the file (and line) and the fault.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kg.errors import InputError, OptionError
from kg.model import Article

TEXT_SUFFIXES = (".txt", ".md")
CORPUS_SUFFIXES = (".jsonl",)
JSONL_FIELDS = {
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


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file, refusing missing, empty, binary and undecodable ones.

    Raises:
        InputError: naming the file and the fault.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the article files inside it")
    data = path.read_bytes()
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
        kinds = ", ".join(TEXT_SUFFIXES + CORPUS_SUFFIXES)
        raise InputError(f"{path}: unknown kind of file; expected one of {kinds}")
    text = read_text_file(path)
    return Article(
        key=article_key(url=url, text=text), text=text,
        headline=split_headline(text, markdown=path.suffix.lower() == ".md"),
        published=published, source=source, url=url, origin=str(path),
    )


def _field(record: dict, name: str) -> str | None:
    for candidate in JSONL_FIELDS[name]:
        value = record.get(candidate)
        if value not in (None, ""):
            return str(value)
    return None


def read_jsonl(path: Path, problems: list[str] | None = None) -> Iterator[Article]:
    """Yield the articles of a JSON Lines corpus, one object a line.

    Args:
        path: the corpus file.
        problems: when given, a broken line is noted here and skipped instead of raised.

    Raises:
        InputError: for an unreadable file, or a broken line when ``problems`` is None.
    """
    text = read_text_file(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _record(line, f"{path}:{number}")
        except (InputError, OptionError) as err:
            if problems is None:
                raise
            problems.append(str(err))


def _record(line: str, where: str) -> Article:
    """One JSON Lines record as an Article."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not JSON ({err.msg})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    body = _field(record, "text")
    if not body or not body.strip():
        raise InputError(f"{where}: the article has no text (fields text/body/content)")
    published = _field(record, "published")
    url = _field(record, "url")
    doc_id = _field(record, "id")
    return Article(
        key=doc_id or article_key(url=url, text=body), text=body,
        headline=_field(record, "headline"),
        published=parse_date(published, where=where) if published else None,
        source=_field(record, "source"), url=url, origin=where,
    )


def read_inputs(paths: list[Path], problems: list[str] | None = None, **metadata) -> Iterator[Article]:
    """Yield the articles of every path: article files, corpora, and folders of either.

    Args:
        paths: files and folders.
        problems: when given, broken corpus lines are noted here and skipped.
        **metadata: published, source, url for .txt/.md articles.
    """
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.rglob("*")
                             if p.suffix.lower() in TEXT_SUFFIXES + CORPUS_SUFFIXES)
            if not members:
                raise InputError(f"{path}: the folder holds no .txt, .md or .jsonl files")
            yield from read_inputs(members, problems, **metadata)
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            yield from read_jsonl(path, problems)
        else:
            yield read_article_file(path, **metadata)
