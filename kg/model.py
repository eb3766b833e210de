"""Values that move between the stages: frozen, hashable dataclasses.

An ``Article`` comes out of ingest; an ``Extraction`` (entities, events, claims and
the sentences they rest on) comes out of extraction and goes into the RDF writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ENTITY_TYPES = ("Person", "ArmedGroup", "Organization", "Country", "Region", "Settlement")
PLACE_TYPES = frozenset({"Country", "Region", "Settlement"})
ACTOR_TYPES = frozenset({"Person", "ArmedGroup", "Organization", "Country"})
EVENT_TYPES = ("Attack", "Combat", "Retreat", "Advance", "TakeControl", "Defend",
               "Encirclement", "Redeployment")
ROLES = ("agent", "target", "location", "origin", "destination")
MODALITIES = ("Possible", "Negated", "Planned")


@dataclass(frozen=True)
class Article:
    """One news article and its metadata. ``text`` is the original text, unchanged."""

    key: str
    text: str
    headline: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    origin: str = "<text>"


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article: the evidence unit. Offsets index ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A real-world entity. ``key`` is stable across articles (external id or name key)."""

    key: str
    type: str
    label: str
    geonames: int | None = None
    wikidata: str | None = None
    lat: float | None = None
    lon: float | None = None
    side: str | None = None
    part_of: str | None = None


@dataclass(frozen=True)
class EntityMention:
    """An entity named (or referred to) in a sentence with the words used."""

    entity: str
    surface: str
    sentence: Sentence


@dataclass(frozen=True)
class RelativePlace:
    """A location given relative to a named place: "12 km northwest of Izyum"."""

    anchor: str
    direction: str | None = None
    distance_km: float | None = None


@dataclass(frozen=True)
class Event:
    """One real-world event of the article, with every sentence that describes it."""

    key: str
    type: str
    roles: tuple[tuple[str, str], ...]
    evidence: tuple[Sentence, ...]
    triggers: tuple[str, ...] = ()
    date: date | None = None
    end_date: date | None = None
    time_text: str | None = None
    modality: str | None = None
    relative_places: tuple[RelativePlace, ...] = ()

    def role(self, name: str) -> tuple[str, ...]:
        """Return the entity keys filling role ``name``."""
        return tuple(key for role, key in self.roles if role == name)


@dataclass(frozen=True)
class Claim:
    """Somebody (or nobody named) says that an event happened.

    ``kind`` is "claim" for attributed statements and "assessment" for the
    publishing source's own analytic judgement.
    """

    key: str
    asserts: str
    evidence: Sentence
    claimant: str | None = None
    channel: str | None = None
    kind: str = "claim"


@dataclass(frozen=True)
class Extraction:
    """Everything found in one article."""

    article: Article
    entities: tuple[Entity, ...]
    mentions: tuple[EntityMention, ...]
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    person_roles: tuple[tuple[str, str], ...] = ()
    contradictions: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = field(default=())
