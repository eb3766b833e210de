"""Ingest of CSV/TSV corpora, field mappings and saved web pages.

Every test writes its own short files to tmp_path; the web pages are read offline.
"""

import csv
import json
from datetime import date

import pytest

from kg.errors import InputError, OptionError
from kg.ingest import article_key, read_csv, read_inputs, read_jsonl, read_webpage

BODY = ("Ukrainian forces recaptured the village of Dovhenke on Monday, the General Staff said.\n"
        "Russian troops withdrew towards Izium overnight.")


def write(path, text):
    path.write_text(text, encoding="utf-8", newline="")
    return path


def write_csv(path, rows, *, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    return path


# --- CSV and TSV corpora ------------------------------------------------------------


def test_csv_reads_the_usual_columns(tmp_path):
    path = write_csv(tmp_path / "corpus.csv", [
        ["id", "title", "date", "source", "url", "body"],
        ["mp-0912", "Ukraine retakes Dovhenke", "2022-09-12T08:30:00Z", "Morning Press",
         "https://example.org/dovhenke", BODY],
    ])
    [article] = read_csv(path)
    assert article.key == "mp-0912"
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published == date(2022, 9, 12)
    assert article.source == "Morning Press"
    assert article.url == "https://example.org/dovhenke"
    assert article.text == BODY
    assert article.origin == f"{path}:2"


def test_csv_header_is_matched_without_regard_to_case_or_spaces(tmp_path):
    path = write(tmp_path / "corpus.csv", "Headline , Text\nUkraine retakes Dovhenke,Shelling.\n")
    [article] = read_csv(path)
    assert (article.headline, article.text) == ("Ukraine retakes Dovhenke", "Shelling.")


def test_csv_empty_cells_are_absent_and_the_key_follows_the_url(tmp_path):
    path = write(tmp_path / "corpus.csv",
                 "id,headline,published,url,text\n,,,https://example.org/a,Shelling.\n")
    [article] = read_csv(path)
    assert article.headline is None and article.published is None and article.source is None
    assert article.key == article_key(url="https://example.org/a", text="Shelling.")


def test_csv_field_mapping_names_the_columns(tmp_path):
    path = write_csv(tmp_path / "corpus.csv", [
        ["doc", "pub_date", "article_body", "text"],
        ["a1", "2022-09-12", BODY, "a column the mapping does not use"],
    ])
    [article] = read_csv(path, fields={"id": "doc", "published": "pub_date", "text": "article_body"})
    assert article.key == "a1"
    assert article.published == date(2022, 9, 12)
    assert article.text == BODY


def test_tsv_is_read_with_a_tab_delimiter(tmp_path):
    path = write_csv(tmp_path / "corpus.tsv", [
        ["title", "text"], ["One, with a comma", "First."], ["Two", "Second."],
    ], delimiter="\t")
    articles = list(read_inputs([path]))
    assert [(a.headline, a.text) for a in articles] == [("One, with a comma", "First."),
                                                         ("Two", "Second.")]


def test_csv_quoted_body_spans_lines_and_rows_are_located_by_their_first_line(tmp_path):
    path = write(tmp_path / "corpus.csv",
                 'id,text\r\n'
                 'a,"Shelling hit Kharkiv.\r\n\r\nTwo were killed, officials said."\r\n'
                 '\r\n'
                 'b,"She said ""no comment"" twice."\r\n')
    first, second = read_csv(path)
    assert first.text == "Shelling hit Kharkiv.\r\n\r\nTwo were killed, officials said."
    assert first.origin == f"{path}:2"
    assert second.text == 'She said "no comment" twice.'
    assert second.origin == f"{path}:6"


def test_csv_byte_order_mark_does_not_rename_the_first_column(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_bytes("text,title\nShelling.,Kharkiv\n".encode("utf-8-sig"))
    [article] = read_csv(path)
    assert (article.text, article.headline) == ("Shelling.", "Kharkiv")


def test_csv_field_longer_than_the_csv_module_default_limit_is_read(tmp_path):
    body = "Shelling continued near Izium. " * 10_000
    assert len(body) > csv.field_size_limit()
    path = write_csv(tmp_path / "corpus.csv", [["text"], [body]])
    [article] = read_csv(path)
    assert article.text == body


BROKEN = ("id,date,text\n"
          "a,2022-09-12,First.\n"
          "b,2022-09-12,\n"
          "c,12/09/2022,Third.\n"
          "d,2022-09-13\n"
          "e,2022-09-14,Fifth.\n")


def test_csv_broken_rows_are_noted_and_skipped_when_problems_are_collected(tmp_path):
    path = write(tmp_path / "corpus.csv", BROKEN)
    problems = []
    assert [a.key for a in read_inputs([path], problems)] == ["a", "e"]
    assert problems == [
        f"{path}:3: the article has no text (fields text)",
        f"{path}:4: '12/09/2022' is not a date; expected YYYY-MM-DD",
        f"{path}:5: the row has 2 fields, the header 3",
    ]


@pytest.mark.parametrize("row, error, message", [
    ("b,2022-09-12,", InputError, "has no text"),
    ("c,12/09/2022,Third.", OptionError, "is not a date"),
    ("d,2022-09-13", InputError, "the row has 2 fields"),
], ids=["no-text", "bad-date", "short-row"])
def test_csv_broken_row_is_raised_with_file_and_line_without_problems(tmp_path, row, error, message):
    path = write(tmp_path / "corpus.csv", f"id,date,text\na,2022-09-12,First.\n{row}\n")
    with pytest.raises(error, match=message) as err:
        list(read_csv(path))
    assert str(err.value).startswith(f"{path}:3: ")


def test_csv_without_a_text_column_names_the_file_and_its_columns(tmp_path):
    path = write(tmp_path / "corpus.csv", "id,title,notes\na,Kharkiv,shelling\n")
    problems = []
    with pytest.raises(InputError) as err:
        list(read_inputs([path], problems))
    assert str(err.value) == (f"{path}: the header names no text column (text/body/content); "
                              "its columns are: id, title, notes; give it with --field text=COLUMN")
    assert problems == []


def test_csv_without_a_mapped_column_names_it(tmp_path):
    path = write(tmp_path / "corpus.csv", "text,pubdate\nShelling.,2022-09-12\n")
    with pytest.raises(InputError, match=r"no published column \(pub_date\); its columns are: text, pubdate"):
        list(read_csv(path, fields={"published": "pub_date"}))


# --- field mappings -------------------------------------------------------------------


def test_jsonl_field_mapping_names_the_keys(tmp_path):
    record = {"headline": "Not this one", "heading": "Ukraine retakes Dovhenke",
              "pub_date": "2022-09-12", "article_body": BODY}
    path = write(tmp_path / "corpus.jsonl", json.dumps(record) + "\n")
    fields = {"headline": "heading", "published": "pub_date", "text": "article_body"}
    [article] = read_inputs([path], fields=fields)
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published == date(2022, 9, 12)
    assert article.text == BODY


def test_jsonl_mapped_text_key_replaces_the_usual_ones(tmp_path):
    path = write(tmp_path / "corpus.jsonl", json.dumps({"text": "Shelling."}) + "\n")
    with pytest.raises(InputError, match=r":1: the article has no text \(fields article_body\)"):
        list(read_jsonl(path, fields={"text": "article_body"}))


@pytest.mark.parametrize("fields, message", [
    ({"body": "article_body"}, "unknown field 'body'; expected one of id, headline, published"),
    ({"text": " "}, "no column given for 'text'"),
], ids=["unknown-field", "blank-column"])
def test_bad_field_mapping_is_an_option_error(tmp_path, fields, message):
    path = write(tmp_path / "corpus.csv", "text\nShelling.\n")
    with pytest.raises(OptionError, match=message):
        list(read_inputs([path], fields=fields))


# --- saved web pages ------------------------------------------------------------------

PARAGRAPHS = [
    "Ukrainian forces recaptured the village of Dovhenke on Monday, the General Staff said "
    "in its morning report, after three days of heavy fighting south of Izium.",
    "Russian troops withdrew towards Izium overnight, leaving behind damaged armour and "
    "artillery positions, according to a regional official who spoke to reporters.",
    "The Russian defence ministry said its units had regrouped along the Oskil river and "
    "did not confirm the loss of the village.",
]


def page(*, head="", article=None):
    paragraphs = "".join(f"<p>{p}</p>\n" for p in (PARAGRAPHS if article is None else article))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ukraine retakes Dovhenke | Morning Press</title>
{head}
<script>var tracker = "TRACKER-IN-THE-HEAD";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Ukraine retakes Dovhenke</h1>
{paragraphs}<script>document.write("SCRIPT-IN-THE-ARTICLE");</script>
</article></main>
<footer><p>Copyright 2022 Morning Press. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""


META = """<meta property="og:title" content="Ukraine retakes Dovhenke">
<meta property="og:site_name" content="Morning Press">
<meta property="og:url" content="https://example.org/dovhenke">
<meta property="article:published_time" content="2022-09-12T08:30:00+03:00">"""


def test_webpage_gives_the_article_text_and_the_page_metadata(tmp_path):
    path = write(tmp_path / "dovhenke.html", page(head=META))
    article = read_webpage(path)
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published == date(2022, 9, 12)
    assert article.source == "Morning Press"
    assert article.url == "https://example.org/dovhenke"
    assert article.key == article_key(url="https://example.org/dovhenke", text=article.text)
    assert article.origin == str(path)
    assert article.text.split("\n\n") == ["Ukraine retakes Dovhenke", *PARAGRAPHS]


def test_webpage_drops_navigation_footer_and_scripts(tmp_path):
    text = read_webpage(write(tmp_path / "dovhenke.html", page(head=META))).text
    for boilerplate in ("Home", "World news", "Sport", "Copyright", "Privacy",
                        "TRACKER", "SCRIPT-IN-THE-ARTICLE", "document.write"):
        assert boilerplate not in text


def test_webpage_metadata_given_stands_in_for_the_page_only_when_given(tmp_path):
    path = write(tmp_path / "dovhenke.htm", page(head=META))
    article = read_webpage(path, published=date(2022, 9, 13), source="Wire copy")
    assert article.published == date(2022, 9, 13)
    assert article.source == "Wire copy"
    assert article.url == "https://example.org/dovhenke"
    [through_inputs] = read_inputs([path], url="https://example.org/copy", published=None)
    assert through_inputs.url == "https://example.org/copy"
    assert through_inputs.published == date(2022, 9, 12)
    assert through_inputs.source == "Morning Press"


def test_webpage_without_metadata_takes_the_title_and_no_date(tmp_path):
    article = read_webpage(write(tmp_path / "page.html", page()))
    assert article.headline == "Ukraine retakes Dovhenke"
    assert article.published is None and article.url is None
    assert article.key == article_key(url=None, text=article.text)


def test_webpage_date_in_the_text_is_not_taken_for_the_publication_date(tmp_path):
    dated = [f"On 24 February 2022 the offensive began. {PARAGRAPHS[0]}", *PARAGRAPHS[1:]]
    article = read_webpage(write(tmp_path / "page.html", page(article=dated)))
    assert article.published is None


def test_webpage_in_a_legacy_charset_is_decoded_by_its_meta_charset(tmp_path):
    html = page(article=["Українські сили звільнили село Довгеньке в понеділок, повідомив "
                         "Генеральний штаб у ранковому зведенні після трьох днів боїв."] * 3)
    path = tmp_path / "page.html"
    path.write_bytes(html.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251"))
    assert "Довгеньке" in read_webpage(path).text


@pytest.mark.parametrize("body", [
    "",
    '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
    "<footer><p>Copyright 2022 Morning Press.</p></footer>",
    "<script>var article = 'Shelling hit Kharkiv on Monday, officials said.';</script>",
], ids=["empty-body", "only-navigation", "only-script"])
def test_webpage_without_article_text_is_an_input_error(tmp_path, body):
    path = write(tmp_path / "page.html",
                 f"<html><head><title>Morning Press</title></head><body>{body}</body></html>")
    with pytest.raises(InputError) as err:
        list(read_inputs([path]))
    assert str(err.value) == f"{path}: no article text found in the page"


def test_page_without_article_text_is_skipped_and_noted_when_problems_are_collected(tmp_path):
    empty = write(tmp_path / "empty.html", "<html><head><title>Menu</title></head><body></body></html>")
    problems: list[str] = []
    assert list(read_inputs([empty], problems)) == []
    assert problems == [f"{empty}: no article text found in the page"]


def test_missing_webpage_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_webpage(tmp_path / "gone.html")


# --- folders and kinds ----------------------------------------------------------------


def test_folder_with_every_kind_is_read_in_name_order(tmp_path):
    folder = tmp_path / "inputs"
    (folder / "pages").mkdir(parents=True)
    write(folder / "a.txt", "Text story\n\n" + BODY)
    write(folder / "b.md", "# Markdown story\n" + BODY)
    write(folder / "c.jsonl", json.dumps({"headline": "JSON story", "text": BODY}) + "\n")
    write_csv(folder / "d.csv", [["title", "body"], ["CSV story", BODY]])
    write_csv(folder / "e.tsv", [["title", "body"], ["TSV story", BODY]], delimiter="\t")
    write(folder / "pages" / "f.html", page(head=META))
    write(folder / "pages" / "g.HTM", page(head=META.replace("dovhenke", "second")))
    write(folder / "notes.pdf", "not an article")
    headlines = [a.headline for a in read_inputs([folder])]
    assert headlines == ["Text story", "Markdown story", "JSON story", "CSV story", "TSV story",
                         "Ukraine retakes Dovhenke", "Ukraine retakes Dovhenke"]


def test_folder_without_inputs_names_every_kind(tmp_path):
    (tmp_path / "notes.pdf").write_text("x")
    with pytest.raises(InputError) as err:
        list(read_inputs([tmp_path]))
    assert str(err.value) == (f"{tmp_path}: the folder holds no .txt, .md, .jsonl, .csv, .tsv, "
                              ".html or .htm files")


def test_unknown_kind_names_every_kind(tmp_path):
    path = write(tmp_path / "story.pdf", BODY)
    with pytest.raises(InputError) as err:
        list(read_inputs([path]))
    assert str(err.value) == (f"{path}: unknown kind of file; expected one of "
                              ".txt, .md, .jsonl, .csv, .tsv, .html, .htm")
