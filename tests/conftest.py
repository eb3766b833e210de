"""Shared fixtures: the trained pipeline (loaded once) and a helper to extract a text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def nlp():
    from kg.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def run(nlp):
    """Extract a short text written by the test; returns a ``Found`` view of it."""
    from kg.extract import extract
    from kg.ingest import article_key
    from kg.model import Article

    def _run(text: str, published: date | None = date(2022, 9, 10), source: str | None = None):
        article = Article(key=article_key(url=None, text=text), text=text, published=published,
                          source=source)
        return Found(extract(nlp(text), article))

    return _run


class Found:
    """Readable access to an Extraction for assertions."""

    def __init__(self, extraction):
        self.ex = extraction
        self.entities = {e.key: e for e in extraction.entities}

    def entity(self, label: str):
        """The entity whose label or any surface equals ``label``."""
        for e in self.ex.entities:
            if e.label == label:
                return e
        for m in self.ex.mentions:
            if m.surface == label:
                return self.entities[m.entity]
        raise AssertionError(f"no entity {label!r}; have {[e.label for e in self.ex.entities]}")

    def gaz_key(self, curated_key: str) -> str:
        """The entity key of a curated gazetteer item."""
        from kg.pipeline import shared_gazetteer

        return shared_gazetteer().curated[curated_key].entity.key

    def label(self, key: str) -> str:
        return self.entities[key].label

    def events(self, type_: str):
        return [e for e in self.ex.events if e.type == type_]

    def event(self, type_: str):
        found = self.events(type_)
        assert len(found) == 1, f"expected one {type_}, got {self.describe()}"
        return found[0]

    def roles(self, event, role: str) -> set[str]:
        return {self.label(k) for k in event.role(role)}

    def claims_of(self, event):
        return [c for c in self.ex.claims if c.asserts == event.key]

    def describe(self) -> str:
        return "; ".join(f"{e.type}{[(r, self.label(k)) for r, k in e.roles]}" for e in self.ex.events)
