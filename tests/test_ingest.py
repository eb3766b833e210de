"""Ingest: article files and JSON Lines corpora in, ``Article`` values out.

Every unreadable input is an ``InputError`` whose message names the file (and the
line, for corpora) and the fault; every test writes its own short files to tmp_path.
"""

import json
from datetime import date

import pytest

from kg.errors import InputError, OptionError
from kg.ingest import (
    article_key,
    parse_date,
    read_article_file,
    read_inputs,
    read_jsonl,
)

BODY = ("Ukrainian forces recaptured the village of Dovhenke on Monday, the General Staff said.\n"
        "Russian troops withdrew towards Izium overnight.\n")


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# --- plain text and Markdown -------------------------------------------------------


def test_txt_first_line_above_blank_line_is_the_headline(tmp_path):
    path = write(tmp_path / "story.txt", "Ukraine retakes Dovhenke\n\n" + BODY)
    article = read_article_file(path, published=date(2022, 9, 12), source="Morning Press")
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.text == "Ukraine retakes Dovhenke\n\n" + BODY
    assert article.published == date(2022, 9, 12)
    assert article.source == "Morning Press"
    assert article.origin == str(path)


def test_txt_first_line_followed_by_text_is_not_a_headline(tmp_path):
    path = write(tmp_path / "story.txt", "Ukraine retakes Dovhenke\n" + BODY)
    assert read_article_file(path).headline is None


def test_txt_first_sentence_ending_in_full_stop_is_not_a_headline(tmp_path):
    path = write(tmp_path / "story.txt", "Shelling continued near Izium.\n\n" + BODY)
    assert read_article_file(path).headline is None


def test_txt_single_paragraph_has_no_headline(tmp_path):
    path = write(tmp_path / "story.txt", BODY)
    assert read_article_file(path).headline is None


def test_txt_with_windows_line_endings_keeps_its_headline(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Ukraine retakes Dovhenke\r\n\r\nRussian troops withdrew.\r\n")
    assert read_article_file(path).headline == "Ukraine retakes Dovhenke"


def test_txt_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("Ukraine retakes Dovhenke\n\n".encode("utf-8-sig") + BODY.encode())
    article = read_article_file(path)
    assert article.headline == "Ukraine retakes Dovhenke"
    assert not article.text.startswith("\ufeff")


def test_markdown_hash_title_is_the_headline(tmp_path):
    path = write(tmp_path / "story.md", "# Ukraine retakes Dovhenke\n" + BODY)
    assert read_article_file(path).headline == "Ukraine retakes Dovhenke"


def test_markdown_level_two_title_is_the_headline(tmp_path):
    path = write(tmp_path / "story.md", "## Ukraine retakes Dovhenke\n\n" + BODY)
    assert read_article_file(path).headline == "Ukraine retakes Dovhenke"


def test_hash_line_in_a_txt_file_is_not_markdown(tmp_path):
    path = write(tmp_path / "story.txt", "# Ukraine retakes Dovhenke\n" + BODY)
    assert read_article_file(path).headline is None


def test_suffix_is_matched_without_regard_to_case(tmp_path):
    path = write(tmp_path / "STORY.TXT", "Ukraine retakes Dovhenke\n\n" + BODY)
    assert read_article_file(path).headline == "Ukraine retakes Dovhenke"


def test_read_inputs_walks_a_folder_in_name_order(tmp_path):
    folder = tmp_path / "news"
    (folder / "deeper").mkdir(parents=True)
    write(folder / "b.txt", "Second story\n\n" + BODY)
    write(folder / "deeper" / "c.md", "# Third story\n" + BODY)
    write(folder / "a.txt", "First story\n\n" + BODY)
    write(folder / "notes.pdf", "not,an,article\n")
    headlines = [a.headline for a in read_inputs([folder])]
    assert headlines == ["First story", "Second story", "Third story"]


# --- unreadable inputs ---------------------------------------------------------------


def test_missing_file_is_an_input_error_naming_it(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError, match="no such file") as err:
        list(read_inputs([path]))
    assert str(path) in str(err.value)


def test_folder_without_articles_is_an_input_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    write(folder / "readme.pdf", "a,b\n")
    with pytest.raises(InputError, match="holds no .txt, .md, .jsonl, .csv, .tsv, .html or .htm") as err:
        list(read_inputs([folder]))
    assert str(folder) in str(err.value)


def test_folder_given_as_an_article_file_is_an_input_error(tmp_path):
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder") as err:
        read_article_file(folder)
    assert str(folder) in str(err.value)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n"], ids=["empty", "whitespace"])
def test_empty_file_is_an_input_error(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty") as err:
        read_article_file(path)
    assert str(path) in str(err.value)


def test_binary_file_is_an_input_error(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary") as err:
        read_article_file(path)
    assert str(path) in str(err.value)


def test_invalid_utf8_is_an_input_error_with_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    before = "Shelling hit the caf"
    path.write_bytes((before + "\u00e9 in Kharkiv.\n").encode("latin-1"))
    with pytest.raises(InputError, match=rf"not valid UTF-8 \(byte {len(before)}\)") as err:
        read_article_file(path)
    assert str(path) in str(err.value)


def test_unknown_suffix_is_an_input_error(tmp_path):
    path = write(tmp_path / "story.pdf", BODY)
    with pytest.raises(InputError, match="unknown kind of file") as err:
        list(read_inputs([path]))
    assert str(path) in str(err.value)
    assert ".txt" in str(err.value) and ".jsonl" in str(err.value)


# --- JSON Lines corpora --------------------------------------------------------------


def write_jsonl(path, *records):
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return write(path, "\n".join(lines) + "\n")


def test_jsonl_reads_the_primary_field_names(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", {
        "id": "mp-0912", "headline": "Ukraine retakes Dovhenke", "published": "2022-09-12",
        "source": "Morning Press", "url": "https://example.org/dovhenke", "text": BODY,
    })
    [article] = read_jsonl(path)
    assert article.key == "mp-0912"
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published == date(2022, 9, 12)
    assert article.source == "Morning Press"
    assert article.url == "https://example.org/dovhenke"
    assert article.text == BODY
    assert article.origin == f"{path}:1"


def test_jsonl_reads_the_alternative_field_names(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", {
        "title": "Ukraine retakes Dovhenke", "date": "2022-09-12T08:30:00Z",
        "url": "https://example.org/dovhenke", "body": BODY,
    })
    [article] = read_jsonl(path)
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published == date(2022, 9, 12)
    assert article.text == BODY
    assert article.key == article_key(url="https://example.org/dovhenke", text=BODY)


def test_jsonl_skips_blank_lines_and_numbers_lines_from_one(tmp_path):
    path = write(tmp_path / "corpus.jsonl",
                 json.dumps({"text": "First."}) + "\n\n" + json.dumps({"text": "Second."}) + "\n")
    articles = list(read_jsonl(path))
    assert [a.text for a in articles] == ["First.", "Second."]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]
    assert all(a.published is None and a.headline is None for a in articles)


def test_read_inputs_dispatches_jsonl_to_the_corpus_reader(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", {"text": "First."}, {"text": "Second."})
    assert [a.text for a in read_inputs([path])] == ["First.", "Second."]


def test_jsonl_line_that_is_not_json_names_file_and_line(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", {"text": "First."}, "{'text': 'single quotes'}")
    with pytest.raises(InputError, match="not JSON") as err:
        list(read_jsonl(path))
    assert f"{path}:2:" in str(err.value)


def test_jsonl_line_that_is_not_an_object_names_file_and_line(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", ["a", "list"])
    with pytest.raises(InputError, match="expected a JSON object") as err:
        list(read_jsonl(path))
    assert f"{path}:1:" in str(err.value)


@pytest.mark.parametrize("record", [{"headline": "No body"}, {"text": ""}, {"body": "  \n "}],
                         ids=["absent", "empty", "blank"])
def test_jsonl_object_without_text_names_file_and_line(tmp_path, record):
    path = write_jsonl(tmp_path / "corpus.jsonl", {"text": "First."}, record)
    with pytest.raises(InputError, match="has no text") as err:
        list(read_jsonl(path))
    assert f"{path}:2:" in str(err.value)


def test_jsonl_bad_date_names_file_and_line(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", {"text": "First.", "date": "12/09/2022"})
    with pytest.raises(OptionError, match="is not a date") as err:
        list(read_jsonl(path))
    assert f"{path}:1:" in str(err.value)


# --- dates and keys --------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2022-09-12", date(2022, 9, 12)),
    ("  2022-09-12\n", date(2022, 9, 12)),
    ("2022-09-12T08:30:00+03:00", date(2022, 9, 12)),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_parse_date_accepts_iso_dates(value, expected):
    assert parse_date(value, where="--published") == expected


@pytest.mark.parametrize("value", ["2022-13-45", "2023-02-29", "yesterday", "12/09/2022", ""])
def test_parse_date_refuses_what_is_not_a_date(value):
    with pytest.raises(OptionError, match="expected YYYY-MM-DD") as err:
        parse_date(value, where="--published")
    assert str(err.value).startswith("--published:")
    assert f"'{value}'" in str(err.value)


def test_article_key_is_stable_for_the_same_url():
    url = "https://example.org/dovhenke"
    assert article_key(url=url, text="one text") == article_key(url=url, text="another text")
    assert article_key(url=url, text="x") == article_key(url=f"  {url}\n", text="x")


def test_article_key_differs_for_different_urls():
    assert (article_key(url="https://example.org/a", text=BODY)
            != article_key(url="https://example.org/b", text=BODY))


def test_article_key_without_url_follows_the_text():
    assert article_key(url=None, text=BODY) == article_key(url=None, text=BODY)
    assert article_key(url=None, text=BODY) != article_key(url=None, text=BODY + " ")
    assert article_key(url="", text=BODY) == article_key(url=None, text=BODY)


def test_same_file_read_twice_gets_the_same_key(tmp_path):
    path = write(tmp_path / "story.txt", BODY)
    assert read_article_file(path).key == read_article_file(path).key
    other = write(tmp_path / "other.txt", BODY.replace("Monday", "Tuesday"))
    assert read_article_file(path).key != read_article_file(other).key
