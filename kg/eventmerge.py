"""Within-article event identity: mentions of one real-world event become one event.

Input: event mentions (type, roles, date, modality) in text order. Output: clusters
of mention indices, one per event. Two mentions corefer when they have the same
class and modality, no conflicting date, agents or places, and share an agent or a
place. Mentions that name a place are clustered first; a mention that names none
joins the nearest earlier compatible event, preferring one named with the same word,
so "the push" finds the push just named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PLACE_ROLES = ("location", "origin", "destination")


@dataclass
class MentionFacts:
    """What merging needs to know of one mention."""

    position: int
    type: str
    agents: frozenset[str]
    places: frozenset[str]
    targets: frozenset[str]
    date: date | None
    modality: str | None
    lemma: str = ""
    end: date | None = None


@dataclass
class _Cluster:
    type: str
    modality: str | None
    members: list[int] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    spans: list[tuple[date, date]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    lemmas: set[str] = field(default_factory=set)

    def compatible(self, m: MentionFacts) -> bool:
        if m.type != self.type or m.modality != self.modality:
            return False
        if m.date and any(not _overlap((m.date, m.end or m.date), span) for span in self.spans):
            return False
        for mine, theirs in ((self.agents, m.agents), (self.places, m.places)):
            if mine and theirs and mine.isdisjoint(theirs):
                return False
        return True

    def shares(self, m: MentionFacts) -> bool:
        return bool(self.agents & m.agents or self.places & m.places or self.targets & m.targets)

    def add(self, index: int, m: MentionFacts) -> None:
        self.members.append(index)
        self.agents |= m.agents
        self.places |= m.places
        self.targets |= m.targets
        if m.date:
            self.spans.append((m.date, m.end or m.date))
        self.positions.append(m.position)
        self.lemmas.add(m.lemma)

    def distance_back(self, position: int) -> int:
        """How far back the nearest member lies (members after ``position`` count as far)."""
        before = [position - p for p in self.positions if p <= position]
        return min(before) if before else 10**9 + min(p - position for p in self.positions)


def cluster_mentions(mentions: list[MentionFacts]) -> list[list[int]]:
    """Group mention indices into events; each list is one event, in text order."""
    clusters: list[_Cluster] = []
    order = sorted(range(len(mentions)), key=lambda i: (not mentions[i].places,
                                                       mentions[i].position))
    for index in order:
        m = mentions[index]
        candidates = [c for c in clusters if c.compatible(m) and c.shares(m)]
        # the same word most likely names the same event ("the push" after "a push")
        same_word = [c for c in candidates if m.lemma in c.lemmas] or candidates
        chosen = min(same_word, key=lambda c: c.distance_back(m.position), default=None)
        if chosen is None:
            chosen = _Cluster(m.type, m.modality)
            clusters.append(chosen)
        chosen.add(index, m)
    return sorted((sorted(c.members) for c in clusters), key=lambda ms: mentions[ms[0]].position)


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
