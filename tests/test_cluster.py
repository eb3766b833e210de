"""Extraction on a Dask cluster: a real LocalCluster with one worker process."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from datetime import date

import pytest

from kg import cluster as kg_cluster
from kg.batch import Failure, extract_many
from kg.errors import ModelError, OptionError
from kg.ingest import article_key
from kg.model import Article, Extraction

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.model

TEXTS = (
    "Russian forces withdrew from Balakliya on 8 September.",
    "Ukrainian troops entered Izyum on 10 September, the General Staff said.",
    "Russian artillery shelled Kharkiv overnight, the regional governor said.",
    "Ukrainian forces recaptured Kupiansk after heavy fighting.",
    "The Russian defence ministry said its troops were regrouping near Lyman.",
    "Ukrainian units advanced towards Lyman from the north.",
    "Russian troops attacked Bakhmut on 12 September.",
    "Ukrainian forces defended Bakhmut against repeated assaults.",
    "Russian forces retreated from Kupiansk, according to the Institute for the Study of War.",
    "Ukrainian troops crossed the Oskil river near Kupiansk.",
)


def _article(text: str, origin: str) -> Article:
    return Article(key=article_key(url=None, text=text), text=text, published=date(2022, 9, 10),
                   origin=origin)


ARTICLES = [_article(text, f"a{i}.txt") for i, text in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def test_cluster_gives_the_local_extractions_in_input_order(cluster, nlp):
    local = list(extract_many(ARTICLES, nlp=nlp, progress=False))
    remote = list(extract_many(ARTICLES, scheduler=cluster.scheduler_address, progress=False))
    assert all(isinstance(r, Extraction) for r in remote)
    assert [r.article for r in remote] == ARTICLES
    assert [r.events for r in remote] == [r.events for r in local]
    assert [r.entities for r in remote] == [r.entities for r in local]
    assert remote == local
    assert sum(len(r.events) for r in remote) >= len(ARTICLES) // 2


def test_an_article_too_long_to_parse_fails_alone_on_the_cluster(cluster):
    too_long = _article("Russian forces withdrew. " * 40_001, "long.txt")  # over spaCy's max_length
    articles = ARTICLES[:3] + [too_long] + ARTICLES[3:]
    results = list(extract_many(articles, scheduler=cluster.scheduler_address, progress=False))
    assert [type(r) for r in results] == [Extraction] * 3 + [Failure] + [Extraction] * 7
    assert results[3].origin == "long.txt" and "E088" in results[3].message
    assert [r.article for r in results if isinstance(r, Extraction)] == ARTICLES


def test_a_batch_whose_worker_dies_becomes_failures_and_the_run_goes_on(cluster, monkeypatch):
    monkeypatch.setattr(cluster.scheduler, "allowed_failures", 0)  # no retry, so the death shows
    slow = " ".join(TEXTS) * 5  # a batch of these runs for a second or two
    articles = ([_article(t, f"before{i}.txt") for i, t in enumerate(TEXTS[:8])]
                + [_article(f"{i}. {slow}", f"slow{i}.txt") for i in range(8)]
                + [_article(t, f"after{i}.txt") for i, t in enumerate(TEXTS[:8])])
    results = extract_many(articles, scheduler=cluster.scheduler_address, progress=False)
    first = next(results)  # the first batch is back, the slow one is running: kill its worker
    nanny = next(iter(cluster.workers.values()))
    dead = nanny.worker_address
    os.kill(nanny.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while dead in cluster.scheduler.workers:  # else the next batch could go to the dying worker too
        assert time.monotonic() < deadline, "the scheduler did not notice the killed worker"
        time.sleep(0.05)
    results = [first, *results]
    assert [r.article.origin if isinstance(r, Extraction) else r.origin for r in results] == \
        [a.origin for a in articles]
    assert [type(r) for r in results] == [Extraction] * 8 + [Failure] * 8 + [Extraction] * 8
    assert all(r.message.startswith("KilledWorker: Dask worker tcp://127.0.0.1:") for r in results[8:16])


def test_a_model_missing_on_the_workers_is_a_model_error_naming_the_worker(cluster):
    with pytest.raises(ModelError, match=r"^on Dask worker host .+: cannot load spaCy model 'no_such_model'"):
        list(extract_many(ARTICLES, model="no_such_model", scheduler=cluster.scheduler_address, progress=False))


def _refused() -> str:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_a_scheduler_that_does_not_answer_is_an_option_error_naming_it(kind, monkeypatch):
    monkeypatch.setattr(kg_cluster, "CONNECT_TIMEOUT", 1)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        address = _refused() if kind == "refused" else f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        start = time.monotonic()
        with pytest.raises(OptionError) as err:
            list(extract_many(ARTICLES, scheduler=address, progress=False))
    assert time.monotonic() - start < 5
    assert str(err.value) == (f"no Dask scheduler answered at {address} within 1 s; "
                              "start one with `dask scheduler` or check the address")


def test_a_scheduler_address_without_port_is_an_option_error():
    with pytest.raises(OptionError, match=r"^--scheduler tcp://127.0.0.1: missing port number"):
        list(extract_many(ARTICLES, scheduler="tcp://127.0.0.1", progress=False))


def test_scheduler_without_distributed_installed_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an import of a missing package sees
    with pytest.raises(OptionError) as err:
        list(extract_many(ARTICLES, scheduler="tcp://127.0.0.1:8786", progress=False))
    assert str(err.value) == "--scheduler needs dask.distributed: pip install 'conflict-kg[cluster]'"


def test_kg_build_with_a_scheduler_fills_the_store_as_a_local_build_does(cluster, tmp_path):
    import json
    import subprocess

    from kg.store import open_store

    with (tmp_path / "corpus.jsonl").open("w") as corpus:
        for i, text in enumerate(TEXTS):
            corpus.write(json.dumps({"id": f"a{i}", "date": "2022-09-10", "text": text}) + "\n")
    kg = os.path.join(os.path.dirname(sys.executable), "kg")
    for store, extra in (("on-cluster", ["--scheduler", cluster.scheduler_address]), ("local", [])):
        done = subprocess.run([kg, "build", "corpus.jsonl", "--store", store, *extra], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

    def counts(name):
        return {r["g"].value: int(r["n"].value) for r in open_store(tmp_path / name).query(per_graph)}

    assert counts("on-cluster") == counts("local")
    assert len(counts("local")) == len(TEXTS) + 1  # the articles and the merged layer
