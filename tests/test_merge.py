"""Merging across articles and the store: identity, sources, contradictions, idempotence."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.merge import MERGED_GRAPH, _Event, event_clusters, person_clusters, person_key

CK = "https://w3id.org/conflict-kg/ontology#"


def test_transliterations_and_surnames_are_one_person():
    people = {"p/alexey-arestovych": "Alexey Arestovych", "p/oleksiy-arestovych": "Oleksiy Arestovych",
              "p/oleksii-arestovych": "Oleksii Arestovych", "p/arestovych": "Arestovych",
              "p/anatoly-dremov": "Anatoly Dremov"}
    canonical = person_clusters(people)
    assert len({canonical[k] for k in people if "arestovych" in k}) == 1
    assert canonical["p/anatoly-dremov"] == "p/anatoly-dremov"


def test_different_first_names_stay_apart():
    canonical = person_clusters({"a": "Vitaly Kim", "b": "Yulia Kim", "c": "Kim"})
    assert canonical["a"] != canonical["b"]
    assert person_key("Oleksii Danilov") == person_key("Alexei Danilov")


def event(iri, type_="Retreat", day=date(2022, 9, 8), agents=("ru",), places=("izium",), undated=False):
    e = _Event(iri, f"article-of-{iri}", type_, day, None, undated=undated)
    e.roles["agent"].update(agents)
    e.roles["location"].update(places)
    return e


def test_reports_of_one_event_merge_and_others_stay_apart():
    events = {e.iri: e for e in [
        event("a"), event("b", day=date(2022, 9, 9), undated=True), event("c", agents=()),
        event("d", day=date(2022, 9, 20)), event("e", places=("lyman",)),
        event("f", agents=("ua",)), event("g", type_="Attack"), event("h", day=date(2022, 9, 9))]}
    groups = event_clusters(events)
    assert ["a", "b", "c"] in groups  # b, published the next day without a day of its own, fits
    assert ["d"] in groups and ["e"] in groups and ["f"] in groups and ["g"] in groups
    assert ["h"] in groups  # a report that gives the next day is another event


def test_undated_reports_merge_only_when_published_the_same_day():
    events = {e.iri: e for e in [event("a", day=date(2022, 6, 1), undated=True),
                                 event("b", day=date(2022, 6, 2), undated=True),
                                 event("c", day=date(2022, 6, 2), undated=True), event("d", day=date(2022, 6, 1))]}
    groups = event_clusters(events)
    assert ["b", "c"] in groups  # two reports of one day
    assert ["a", "d"] in groups  # an undated report joins a dated one within the window
    for iri in "ab":  # the next day's report repeats the same sentence: one event
        events[iri].sentences.add("russian forces shelled kharkiv city")
    assert ["a", "b", "d"] in event_clusters({k: v for k, v in events.items() if k != "c"})


def test_events_placed_only_in_an_oblast_merge_only_on_the_same_sentence():
    events = {e.iri: e for e in [event("a", places=("oblast",)), event("b", places=("oblast",)),
                                 event("c", places=("oblast",)), event("d", places=("oblast", "izium"))]}
    for iri in "ac":
        events[iri].sentences.add("russian forces shelled kharkiv oblast")
    events["d"].sentences.add("russian forces shelled izium in kharkiv oblast")
    groups = event_clusters(events, wide=frozenset({"oblast"}))
    assert ["a", "c"] in groups and ["b"] in groups and ["d"] in groups


def test_daily_reports_do_not_chain_into_one_event():
    events = {f"e{i}": event(f"e{i}", day=date(2022, 9, 1 + i), undated=i % 2 == 1) for i in range(6)}
    assert max(len(g) for g in event_clusters(events)) <= 2


small_events = st.lists(
    st.tuples(st.sampled_from(["Attack", "Retreat"]), st.integers(0, 5),
              st.sampled_from([(), ("ru",), ("ua",)]), st.sampled_from([("x",), ("y",), ("x", "y")]),
              st.booleans()),
    min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(small_events, st.randoms(use_true_random=False))
def test_event_merging_does_not_depend_on_order(specs, rnd):
    events = [event(f"e{i}", t, date(2022, 9, 1 + d), a, p, u) for i, (t, d, a, p, u) in enumerate(specs)]
    forward = event_clusters({e.iri: e for e in events})
    rnd.shuffle(events)
    assert event_clusters({e.iri: e for e in events}) == forward


@settings(max_examples=60, deadline=None)
@given(small_events)
def test_every_event_is_in_exactly_one_merged_event(specs):
    events = {f"e{i}": event(f"e{i}", t, date(2022, 9, 1 + d), a, p, u) for i, (t, d, a, p, u) in enumerate(specs)}
    members = [m for g in event_clusters(events) for m in g]
    assert sorted(members) == sorted(events)


ARTICLE_A = ("Russian troops fled Kupiansk on Friday, Ukrainian officials said. "
             "Some are saying that Lyman has been liberated.")
ARTICLE_B = ("Russian forces retreated from Kupiansk on Friday. A report by CNN said that Lyman is "
             "still being defended by Russian proxies.")


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    (folder / "corpus.jsonl").write_text(
        f'{{"id": "a", "date": "2022-09-10", "text": "{ARTICLE_A}"}}\n'
        f'{{"id": "b", "date": "2022-09-10", "text": "{ARTICLE_B}"}}\n')
    return folder


def count(store, query):
    rows = list(store.query(f"PREFIX ck: <{CK}> SELECT (COUNT(*) AS ?n) WHERE {{ {query} }}",
                            use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


@pytest.mark.model
def test_store_merges_across_articles_and_rebuilding_changes_nothing(two_articles, nlp):
    from kg.build import run_build
    from kg.ingest import read_inputs
    from kg.store import open_store

    articles = list(read_inputs([two_articles / "corpus.jsonl"]))
    store_dir = two_articles / "store"
    first = run_build(articles, store=store_dir)
    assert len(first.done) == 2
    store = open_store(store_dir)
    merged = f"GRAPH <{MERGED_GRAPH}> {{ ?e a ck:Retreat ; ck:sourceCount 2 }}"
    assert count(store, merged) == 1
    assert count(store, f"GRAPH <{MERGED_GRAPH}> {{ ?a ck:contradicts ?b }}") >= 2
    triples = count(store, "GRAPH ?g { ?s ?p ?o }")
    del store
    second = run_build(articles, store=store_dir)
    assert second.done == [] and second.skipped == 2
    assert count(open_store(store_dir), "GRAPH ?g { ?s ?p ?o }") == triples


@pytest.mark.model
def test_interrupted_store_build_keeps_whole_graphs_and_a_rerun_completes_it(two_articles, nlp, monkeypatch):
    import kg.build
    from kg.build import run_build
    from kg.ingest import read_inputs
    from kg.store import open_store

    articles = list(read_inputs([two_articles / "corpus.jsonl"]))
    clean_dir = two_articles / "clean"
    run_build(articles, store=clean_dir)
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    clean = {r["g"].value: int(r["n"].value) for r in open_store(clean_dir).query(per_graph)}

    real_extract_many = kg.build.extract_many

    def interrupted_after_one(todo, **options):
        results = real_extract_many(todo, **options)
        yield next(results)
        raise KeyboardInterrupt  # as when the user presses Ctrl-C during the second article

    monkeypatch.setattr(kg.build, "extract_many", interrupted_after_one)
    store_dir = two_articles / "interrupted"
    with pytest.raises(KeyboardInterrupt):
        run_build(articles, store=store_dir)
    half = {r["g"].value: int(r["n"].value) for r in open_store(store_dir).query(per_graph)}
    assert len(half) == 1, "one article graph, whole; no merged layer yet"
    ((graph, size),) = half.items()
    assert clean[graph] == size

    monkeypatch.setattr(kg.build, "extract_many", real_extract_many)
    rerun = run_build(articles, store=store_dir)
    assert rerun.skipped == 1 and len(rerun.done) == 1
    assert {r["g"].value: int(r["n"].value) for r in open_store(store_dir).query(per_graph)} == clean
