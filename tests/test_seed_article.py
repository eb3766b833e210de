"""The shared example article, scored by the shared scorer: the floors of the one-article issue."""

import json
import subprocess
import sys
from datetime import date

import pytest
from conftest import SHARED

SEED = SHARED / "corpora" / "seed-balakliya.txt"
GOLD = SHARED / "eval" / "gold" / "seed-balakliya.gold.json"
SCORER = SHARED / "eval" / "score.py"

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not SEED.exists(), reason="../shared/corpora is absent"),
]


@pytest.fixture(scope="module")
def scores(nlp, tmp_path_factory):
    from kg.build import write_one_file
    from kg.extract import extract
    from kg.ingest import read_article_file
    from kg.validate import validate_files

    article = read_article_file(SEED, published=date(2022, 9, 7))
    out = tmp_path_factory.mktemp("seed") / "seed.trig"
    write_one_file([extract(nlp(article.text), article)], out, None, [])
    assert validate_files([out]) == []
    report = out.with_suffix(".json")
    subprocess.run([sys.executable, str(SCORER), str(out), "--gold", str(GOLD), "--json",
                    str(report)], check=True, capture_output=True)
    return json.loads(report.read_text())


def test_seed_entities_events_and_claims_meet_the_floors(scores):
    assert scores["entities"]["f1"] >= 0.85
    assert scores["events_strict"]["f1"] >= 0.70
    assert scores["claims"]["f1"] >= 0.70


def test_seed_places_dates_evidence_and_contradiction(scores):
    geo_ok, geo_all = scores["entities"]["geonames_linked"].split("/")
    assert geo_ok == geo_all and int(geo_all) >= 3
    assert scores["events_strict"]["dates_right"] == "1/1"
    done, total = scores["provenance"].split("/")
    assert done == total
    assert scores["contradictions_found"] == "1/1"
