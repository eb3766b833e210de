"""Place disambiguation: pick the GeoNames settlement an article means.

Input: the candidates for a name and a ``PlaceContext`` (the countries and regions
the article names, and places already resolved). Output: one ``Town`` or none.
Population is the prior; the article's context outweighs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from kg.geonames import Town, name_key

NEARBY_KM = 150.0
# A name the NER did not tag is taken as a town outside the article's context only
# when the town is large enough to be named without introduction.
KNOWN_TOWN_POPULATION = 20000
# A small town that carries the name only as a variant must lie this close to the article's
# other places: "Dibrivne" is a variant of a Poltava village, but a report on Izium
# means the Dibrivne near Izium that GeoNames lists under no such name.
VARIANT_RADIUS_KM = 250.0


@dataclass
class PlaceContext:
    """What the article says about where it is."""

    countries: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    anchors: list[tuple[float, float]] = field(default_factory=list)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def score(town: Town, region: str | None, context: PlaceContext, name: str = "") -> float:
    """Score a candidate: log population, plus bonuses for matching the article's context
    and for carrying the name as its main name rather than as a variant."""
    value = math.log10(town.population + 10)
    if name and name_key(town.name) == name_key(name):
        value += 1.5
    if town.country in context.countries:
        value += 3.0
    if region and region in context.regions:
        value += 4.0
    if any(distance_km((town.lat, town.lon), point) < NEARBY_KM for point in context.anchors):
        value += 2.0
    return value


def choose_town(candidates: list[Town], context: PlaceContext, *, region_of,
                require_context: bool = False, name: str = "") -> Town | None:
    """Return the best candidate, or None.

    Args:
        candidates: the settlements that carry the name.
        context: what the article says about where it is.
        region_of: function from a ``Town`` to the curated key of its region.
        name: the name as written (a town whose main name it is gets a bonus).
        require_context: accept only a town in a country or region the article names,
            or a large one (used for names the NER did not tag as places).
    """
    if context.anchors:
        candidates = [t for t in candidates if name_key(t.name) == name_key(name)
                      or t.population >= KNOWN_TOWN_POPULATION or any(
            distance_km((t.lat, t.lon), point) < VARIANT_RADIUS_KM for point in context.anchors)]
    if require_context:
        candidates = [t for t in candidates
                      if t.country in context.countries or region_of(t) in context.regions
                      or t.population >= KNOWN_TOWN_POPULATION]
    if not candidates:
        return None
    return max(candidates, key=lambda t: (score(t, region_of(t), context, name), -t.geonames))
