"""The ``kg`` command line, run as a user runs it: the installed console script.

User errors exit 1 with one line on stderr naming the file and the fault, no
traceback and no output file left behind. Those tests point $KG_MODEL at a model
that does not exist, so they also show that inputs are read before the pipeline
loads. Only the tests marked ``model`` load the trained spaCy pipeline.
"""

import os
import shutil
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS

from kg import __version__
from kg.iri import entity_iri
from kg.model import Article, Entity, EntityMention, Event, Extraction, Sentence
from kg.rdf import add_extraction, new_dataset, write_dataset
from kg.vocab import CK

KG = Path(sys.executable).parent / "kg"
if not KG.exists():
    KG = Path(shutil.which("kg") or KG)

STORY = """\
Ukraine retakes Dovhenke

Ukrainian forces recaptured the village of Dovhenke on Monday, the General Staff said. \
Russian troops withdrew towards Izium after two days of heavy fighting. \
Russian artillery shelled the nearby town of Sviatohirsk overnight, regional governor \
Oleh Syniehubov said on Telegram.
"""


def kg(*args: str, cwd: Path, model: str | None = "no_such_model_for_tests"):
    """Run ``kg`` in ``cwd``; ``model`` goes to $KG_MODEL (None: the default pipeline)."""
    assert KG.exists(), f"the kg console script is not installed at {KG}; run pip install -e ."
    env = {k: v for k, v in os.environ.items() if k != "KG_MODEL"}
    if model:
        env["KG_MODEL"] = model
    return subprocess.run([str(KG), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def one_error_line(result) -> str:
    """The single stderr line of a user error; fails on anything else."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: ")
    assert result.stdout == ""
    return lines[0]


def write_valid_graph(path: Path) -> Path:
    """A small graph made by hand: one village, one attack on it."""
    text = "Russian artillery shelled Dovhenke overnight."
    s = Sentence(0, len(text), text)
    ex = Extraction(
        Article(key="0a1b2c3d4e5f6a7b", text=text, published=date(2022, 9, 12)),
        (Entity("geonames/707010", "Settlement", "Dovhenke", geonames=707010),),
        (EntityMention("geonames/707010", "Dovhenke", s),),
        (Event("0a1b2c3d4e5f6a7b/event/0", "Attack", (("location", "geonames/707010"),), (s,)),),
        ())
    ds = new_dataset()
    add_extraction(ds, ex)
    write_dataset(ds, path)
    return path


# --- version and help -------------------------------------------------------------------


def test_version(tmp_path):
    result = kg("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"kg, version {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["build", "--help"], ["validate", "--help"]],
                         ids=["kg", "kg-short", "build", "validate"])
def test_help_exits_0_and_gives_an_example(tmp_path, args):
    result = kg(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout
    assert "Usage: kg" in result.stdout


def test_top_level_help_lists_the_commands(tmp_path):
    out = kg("--help", cwd=tmp_path).stdout
    assert "build" in out and "validate" in out


def test_misuse_of_the_command_line_exits_2(tmp_path):
    result = kg("build", "story.txt", "--format", "xml", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--format" in result.stderr


# --- kg build: user errors ----------------------------------------------------------------


def assert_nothing_written(tmp_path: Path, inputs: list[str]) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(inputs)


def test_build_missing_file(tmp_path):
    line = one_error_line(kg("build", "missing.txt", "-o", "out.trig", cwd=tmp_path))
    assert "missing.txt" in line and "no such file" in line
    assert_nothing_written(tmp_path, [])


@pytest.mark.parametrize("name, content, problem", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n\t\n", "empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin1.txt", "Shelling hit the caf\u00e9 in Kharkiv.\n".encode("latin-1"), "UTF-8"),
    ("notes.pdf", b"%PDF-1.4\n", "unknown kind of file"),
], ids=["empty", "whitespace", "binary", "undecodable", "unknown-suffix"])
def test_build_unreadable_input(tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    line = one_error_line(kg("build", name, "-o", "out.trig", cwd=tmp_path))
    assert name in line and problem in line
    assert not (tmp_path / "out.trig").exists()
    assert_nothing_written(tmp_path, [name])


def test_build_stops_at_a_bad_file_before_writing_anything(tmp_path):
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_text("")
    line = one_error_line(kg("build", "good.txt", "empty.txt", "-o", "out.trig", cwd=tmp_path))
    assert "empty.txt" in line
    assert_nothing_written(tmp_path, ["good.txt", "empty.txt"])


def test_build_corpus_of_only_broken_lines_fails_naming_them(tmp_path):
    (tmp_path / "corpus.jsonl").write_text('{"text": \n[1, 2]\n')
    result = kg("build", "corpus.jsonl", "-o", "out.trig", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert "corpus.jsonl:1" in lines[0] and "not JSON" in lines[0]
    assert "corpus.jsonl:2" in lines[1]
    assert lines[-1].startswith("kg: error:") and "no readable article" in lines[-1]
    assert_nothing_written(tmp_path, ["corpus.jsonl"])


@pytest.mark.model
def test_build_skips_a_broken_corpus_line_and_goes_on(tmp_path):
    (tmp_path / "corpus.jsonl").write_text(
        '{"id": "a1", "text": "Russian forces shelled Izium on Monday."}\n{"text": \n')
    result = kg("build", "corpus.jsonl", "-o", "out.trig", cwd=tmp_path, model=None)
    assert result.returncode == 0, result.stderr
    assert "skipped corpus.jsonl:2: not JSON" in result.stderr
    assert "articles     1" in result.stderr
    assert (tmp_path / "out.trig").exists()


@pytest.mark.parametrize("value", ["2022-13-45", "yesterday"])
def test_build_bad_published_date(tmp_path, value):
    (tmp_path / "story.txt").write_text(STORY)
    result = kg("build", "story.txt", "--published", value, "-o", "out.trig", cwd=tmp_path)
    line = one_error_line(result)
    assert "--published" in line and f"'{value}'" in line and "YYYY-MM-DD" in line
    assert_nothing_written(tmp_path, ["story.txt"])


def test_build_out_and_out_dir_together(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    result = kg("build", "story.txt", "-o", "out.trig", "--out-dir", "graphs", cwd=tmp_path)
    line = one_error_line(result)
    assert "--out" in line and "--out-dir" in line
    assert_nothing_written(tmp_path, ["story.txt"])


def test_build_unknown_model_is_one_line(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    line = one_error_line(kg("build", "story.txt", "-o", "out.trig", cwd=tmp_path))
    assert "no_such_model_for_tests" in line
    assert_nothing_written(tmp_path, ["story.txt"])


# --- kg validate --------------------------------------------------------------------------


def test_validate_valid_graph(tmp_path):
    write_valid_graph(tmp_path / "graph.trig")
    result = kg("validate", "graph.trig", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stderr


def test_validate_planted_violation(tmp_path):
    path = write_valid_graph(tmp_path / "graph.trig")
    ds = Dataset()
    ds.parse(path, format="trig")
    village = entity_iri("geonames/707010")
    [graph] = [g for g in ds.graphs() if (village, RDF.type, CK.Settlement) in g]
    graph.add((village, RDFS.label, Literal("Dolgenkoye")))
    write_dataset(ds, path)
    result = kg("validate", "graph.trig", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(village) in result.stderr
    assert "exactly one canonical rdfs:label" in result.stderr


def test_validate_missing_file(tmp_path):
    line = one_error_line(kg("validate", "missing.trig", cwd=tmp_path))
    assert "missing.trig" in line and "no such file" in line


def test_validate_malformed_file(tmp_path):
    (tmp_path / "broken.trig").write_text("<https://example.org/g> { <https://example.org/a> \n")
    line = one_error_line(kg("validate", "broken.trig", cwd=tmp_path))
    assert "broken.trig" in line and "not valid trig" in line


# --- the trained pipeline -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    (folder / "story.txt").write_text(STORY)
    result = kg("build", "story.txt", "--published", "2022-09-12", "-o", "out.trig",
                cwd=folder, model=None)
    return folder, result


def summary_count(stderr: str, title: str) -> int:
    [line] = [line for line in stderr.splitlines() if line.split()[:1] == [title]]
    return int(line.split()[1])


@pytest.mark.model
def test_build_an_article_into_a_trig_file(built):
    folder, result = built
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    ds = Dataset()
    ds.parse(folder / "out.trig", format="trig")
    events = {s for s, _, _, _ in ds.quads((None, RDF.type, CK.Event, None))}
    assert len([g for g in ds.graphs() if len(g)]) == 1  # one article, one named graph
    assert summary_count(result.stderr, "events") == len(events) >= 1
    assert summary_count(result.stderr, "articles") == 1
    assert sorted(p.name for p in folder.iterdir()) == ["out.trig", "story.txt"]


@pytest.mark.model
def test_built_graph_passes_validation(built):
    folder, _ = built
    result = kg("validate", "out.trig", cwd=folder)
    assert result.returncode == 0, result.stderr


def test_build_names_a_sparql_server_it_cannot_reach_in_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = kg("build", "a.txt", "--store", f"http://127.0.0.1:{port}/sparql", cwd=tmp_path)
    assert "cannot reach the SPARQL server" in one_error_line(result)


@pytest.mark.model
def test_ctrl_c_during_a_store_build_exits_130_and_the_rerun_finishes(tmp_path):
    import json
    import signal
    import time

    with (tmp_path / "corpus.jsonl").open("w") as corpus:
        for day in range(1, 25):
            text = f"Russian forces shelled Kharkiv on 2022-05-{day:02d}. " + STORY.split("\n\n", 1)[1]
            corpus.write(json.dumps({"id": f"r{day}", "date": f"2022-05-{day:02d}", "text": text}) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "KG_MODEL"}
    build = subprocess.Popen([str(KG), "build", "corpus.jsonl", "--store", "S"], cwd=tmp_path, env=env,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "S" / "kg-store").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1].startswith("kg: interrupted; finished articles are kept")
    assert "Traceback" not in stderr
    rerun = kg("build", "corpus.jsonl", "--store", "S", cwd=tmp_path, model=None)
    assert rerun.returncode == 0, rerun.stderr
    done = {line.split()[0]: int(line.split()[1]) for line in rerun.stderr.splitlines()
            if line.startswith(("unchanged", "articles"))}
    assert done.get("unchanged", 0) + done["articles"] == 24


def test_merge_of_a_truncated_graph_file_names_it_and_writes_nothing(tmp_path):
    write_valid_graph(tmp_path / "good.trig")
    whole = write_valid_graph(tmp_path / "cut.trig").read_text()
    (tmp_path / "cut.trig").write_text(whole[: len(whole) // 2])  # as a download stopped half-way
    result = kg("merge", "good.trig", "cut.trig", "-o", "merged.trig", cwd=tmp_path)
    assert one_error_line(result).startswith("kg: error: cut.trig: not valid RDF")
    assert not (tmp_path / "merged.trig").exists()


def test_merge_of_whole_graph_files_writes_the_merged_layer(tmp_path):
    write_valid_graph(tmp_path / "good.trig")
    result = kg("merge", "good.trig", "-o", "merged.trig", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "id/merged" in (tmp_path / "merged.trig").read_text()
    # read back from the store, offsets are xsd:integer and merged events cite their sentences
    checked = kg("validate", "merged.trig", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.model
def test_build_reads_a_saved_web_page_and_a_csv_corpus_with_mapped_columns(tmp_path):
    paragraphs = "".join(f"<p>{p}.</p>" for p in STORY.split("\n\n", 1)[1].strip().split(". "))
    (tmp_path / "page.html").write_text(
        "<html><head><title>Ukraine retakes Dovhenke</title>"
        '<meta property="article:published_time" content="2022-09-12"></head><body>'
        '<nav><a href="/">Home</a></nav>'
        f"<article><h1>Ukraine retakes Dovhenke</h1>{paragraphs}</article>"
        "<footer>Copyright Morning Press</footer></body></html>")
    (tmp_path / "news.csv").write_text(
        'pub_date,article_body\n2022-09-12,"Russian artillery shelled Sviatohirsk overnight."\n')
    result = kg("build", "page.html", "news.csv", "--field", "text=article_body", "--field",
                "published=pub_date", "-o", "out.trig", "-v", cwd=tmp_path, model=None)
    assert result.returncode == 0, result.stderr
    assert "# Ukraine retakes Dovhenke" in result.stderr
    assert "articles     2" in result.stderr
    graph = (tmp_path / "out.trig").read_text()
    assert "Home" not in graph and "Copyright" not in graph
    assert '"2022-09-12"^^xsd:date' in graph


def test_serve_runs_from_the_command_line_with_its_row_bound(tmp_path):
    import json
    import re
    import urllib.parse
    import urllib.request

    write_valid_graph(tmp_path / "g.trig")
    server = subprocess.Popen([str(KG), "serve", "g.trig", "--port", "0", "--max-rows", "2"], cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True)
    try:
        address = re.search(r"http://\S+/", server.stderr.readline()).group(0)
        query = urllib.parse.urlencode({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
        request = urllib.request.Request(f"{address}sparql?{query}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            rows = json.load(answer)["results"]["bindings"]
            assert answer.headers["X-SPARQL-MaxRows"] == "2"
        assert len(rows) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
