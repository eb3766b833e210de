"""Entities: spaCy's named entities corrected and linked with the gazetteer.

Input: a parsed ``Doc`` with spaCy's NER and the title lines marked by
``kg.paragraphs``. Output on the Doc: ``doc._.kg_mentions`` (``Found`` spans sorted
by position), ``doc._.kg_token_mention`` (token index to its ``Found``) and
``doc._.kg_person_roles`` ((person key, role words) pairs).

Rules, in order of trust: curated names (armed groups, organisations, regions,
countries); a side's forces ("Russian troops", "the Ukrainians", "defenders of
Ukraine"); spaCy's entities, retyped when the gazetteer knows the name as a place;
and proper nouns that the gazetteer places in a country or region the article names.
Title-case lines are read only through the gazetteer, since the model mislabels them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, slug
from kg.geonames import name_key
from kg.lexicon import ASSESS_VERBS, FORCE_NOUNS, SOURCE_NOUNS, SPEECH_VERBS
from kg.model import Entity
from kg.places import PlaceContext, choose_town
from kg.units import find_units

PLACE_NOUNS = {"village", "town", "city", "settlement", "hromada", "raion", "district"}
# labels the small model gives place names by mistake ("Bucha" as a PRODUCT)
UNTRUSTED_LABELS = {"", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
ARMED_HEADS = {"army", "brigade", "regiment", "battalion", "division", "corps", "detachment",
               "legion", "fleet", "militia", "company", "forces", "guard", "group", "squadron",
               "unit", "units"}


@dataclass(frozen=True)
class Found:
    """An entity mention in the Doc: tokens ``start:end`` name ``entity``."""

    start: int
    end: int
    entity: Entity

    def surface(self, doc: Doc) -> str:
        """Return the words of the mention."""
        return doc[self.start:self.end].text


@dataclass
class _Candidate:
    start: int
    end: int
    priority: int
    label: str
    entity: Entity | None = None
    town_name: str | None = None


def _trim(span: Span) -> tuple[int, int]:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return start, end


class EntityLinker:
    """The spaCy component that finds and links entities (see the module docstring)."""

    def __init__(self, nlp, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        names = gazetteer.curated_alias_names() + gazetteer.country_surface
        lower, exact = [], []
        for name in set(names):
            doc = nlp.make_doc(name)
            (exact if name.isupper() and len(name) <= 5 else lower).append(doc)
        self.by_lower.add("NAME", lower)
        self.by_orth.add("NAME", exact)

    # -- candidates -------------------------------------------------------
    def _named(self, doc: Doc) -> list[_Candidate]:
        found = []
        for _, start, end in list(self.by_lower(doc)) + list(self.by_orth(doc)):
            last = doc[end - 1]
            if last.dep_ == "compound" and last.head.i >= end:
                continue  # "Russian command" inside "a Russian command post"
            text = doc[start:end].text
            code = self.gaz.lookup_country(text)
            if code:
                found.append(_Candidate(start, end, 4, "COUNTRY", self.gaz.countries[code]))
                continue
            record = self.gaz.lookup_curated(text)
            if record:
                entity = self.gaz.resolve_part_of(record.entity)
                found.append(_Candidate(start, end, 4, "CURATED", entity))
        return found

    def _units(self, doc: Doc) -> list[_Candidate]:
        return [_Candidate(u.start, u.end, 6, "UNIT", u.entity) for u in find_units(doc, self.gaz)]

    def _coordinated_regions(self, doc: Doc) -> list[_Candidate]:
        """"Donetsk and Luhansk Oblasts": each name with the shared head is a region."""
        found = []
        for tok in doc:
            if tok.lower_ not in {"oblasts", "regions", "provinces"}:
                continue
            head = {"oblasts": "Oblast", "regions": "region", "provinces": "province"}[tok.lower_]
            i = tok.i - 1
            while i >= 0 and (doc[i].pos_ == "PROPN" or doc[i].lower_ in {"and", ","}):
                if doc[i].pos_ == "PROPN":
                    record = self.gaz.lookup_curated(f"{doc[i].text} {head}")
                    if record:
                        end = tok.i + 1 if i == tok.i - 1 else i + 1
                        found.append(_Candidate(i, end, 5, "CURATED", record.entity))
                i -= 1
        return found

    def _collective_sources(self, doc: Doc) -> list[_Candidate]:
        """"Russian milbloggers", "Ukrainian officials": a side's voices as one source."""
        found = []
        for tok in doc:
            plural = SOURCE_NOUNS.get(tok.lemma_.lower())
            if plural is None or tok.pos_ != "NOUN":
                continue
            for child in tok.lefts:
                code = self.gaz.adjectives.get(child.lower_)
                if code and child.dep_ in {"amod", "compound", "nmod"}:
                    adjective = self.gaz.countries[code]
                    label = f"{child.text} {plural}"
                    entity = Entity(key=f"organization/{slug(label)}", type="Organization",
                                    label=label, side=adjective.key)
                    found.append(_Candidate(child.i, tok.i + 1, 3, "SOURCE", entity))
                    break
        return found

    def _sides(self, doc: Doc) -> list[_Candidate]:
        found = []
        for tok in doc:
            if tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            code = self.gaz.plurals.get(tok.lower_) if tok.tag_ in {"NNS", "NNPS"} else None
            if code:
                found.append(_Candidate(tok.i, tok.i + 1, 3, "SIDE", self.gaz.side_forces(code)))
                continue
            if tok.lower_ not in FORCE_NOUNS and tok.lemma_.lower() not in FORCE_NOUNS:
                continue
            modifiers = self._side_modifiers(tok)
            for n, (child, entity) in enumerate(modifiers):
                last = n == len(modifiers) - 1
                found.append(_Candidate(child.i, tok.i + 1 if last else child.i + 1, 3, "SIDE", entity))
            if modifiers:
                continue
            for prep in tok.rights:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if prep.lower_ == "of" and pobj is not None:
                    code = self.gaz.lookup_country(pobj.text)
                    if code:
                        found.append(_Candidate(tok.i, pobj.i + 1, 5, "SIDE",
                                                self.gaz.side_forces(code)))
        return found

    def _side_modifiers(self, noun) -> list[tuple]:
        """The sides named before a force noun: "Russian troops", "Russian and proxy forces"."""
        out = []
        for child in noun.lefts:
            if child.dep_ not in {"amod", "compound", "nmod", "npadvmod"}:
                continue
            for word in (child, *child.conjuncts):
                if word.i >= noun.i or any(w.i == word.i for w, _ in out):
                    continue
                record = self.gaz.lookup_curated(f"{word.text} {noun.text}")
                code = self.gaz.adjectives.get(word.lower_)
                if record and record.entity.type == "ArmedGroup":
                    out.append((word, record.entity))
                elif code:
                    out.append((word, self.gaz.side_forces(code)))
        return sorted(out, key=lambda pair: pair[0].i)

    def _ner(self, doc: Doc, titles: set[int]) -> list[_Candidate]:
        found = []
        for ent in doc.ents:
            if ent.label_ not in NER_LABELS:
                continue
            start, end = _trim(ent)
            if ent.label_ in {"GPE", "LOC"} and end - start > 1 and self.gaz.demonym(doc[start].text):
                start += 1  # "Russian Zaporizhia Oblast": the adjective says who holds it
            if start >= end:
                continue
            curated = self.gaz.lookup_curated(doc[start:end].text)
            if curated:
                found.append(_Candidate(start, end, 4, "CURATED", self.gaz.resolve_part_of(curated.entity)))
                continue
            text = doc[start:end].text
            in_title = start in titles
            if self.gaz.demonym(text) or (ent.label_ == "NORP" and in_title):
                continue
            if ent.label_ == "PERSON" and _speaks(doc[end - 1]):
                found.append(_Candidate(start, end, 1, "PERSON"))  # "Danilov stated", not a town
                continue
            name = text
            if not self.gaz.towns(name) and end - start > 1 and doc[end - 1].lower_ in PLACE_NOUNS:
                name = doc[start:end - 1].text  # "Balakliia village"
            if self.gaz.towns(name):
                found.append(_Candidate(start, end, 2, ent.label_, town_name=name))
            elif not in_title:
                found.append(_Candidate(start, end, 1, ent.label_))
        return found

    def _proper_nouns(self, doc: Doc, titles: set[int]) -> list[_Candidate]:
        found = []
        i = 0
        while i < len(doc):
            if doc[i].pos_ == "PROPN" and doc[i].ent_type_ in UNTRUSTED_LABELS and i not in titles:
                j = i
                while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].ent_type_ in UNTRUSTED_LABELS:
                    j += 1
                text = doc[i:j].text
                if 1 < j - i <= 3 and _speaks(doc[j - 1]) and all(t.is_title for t in doc[i:j]):
                    found.append(_Candidate(i, j, 1, "PERSON"))  # "Oleksiy Danilov reported"
                elif self.gaz.towns(text):
                    found.append(_Candidate(i, j, 0, "PROPN", town_name=text))
                i = j
            else:
                i += 1
        return found

    # -- linking ----------------------------------------------------------
    def _context(self, doc: Doc, chosen: list[_Candidate]) -> PlaceContext:
        context = PlaceContext()
        for tok in doc:
            code = self.gaz.demonym(tok.text)
            if code:
                context.countries.add(code)
        for cand in chosen:
            entity = cand.entity
            if entity is None:
                continue
            if entity.type == "Country":
                context.countries.update(c for c, e in self.gaz.countries.items() if e == entity)
            curated = self.gaz.curated_of(entity)
            if curated and curated[1].entity.type == "Region":
                context.regions.add(curated[0])
                if curated[1].country:
                    context.countries.add(curated[1].country)
        return context

    def _anchors(self, chosen: list[_Candidate]) -> list[tuple[float, float]]:
        """Where the article is: the towns it names that have one candidate of that main name."""
        anchors = []
        for cand in chosen:
            if cand.town_name and cand.label in {"GPE", "LOC"}:
                towns = [t for t in self.gaz.towns(cand.town_name)
                         if name_key(t.name) == name_key(cand.town_name)]
                if len(towns) == 1:
                    anchors.append((towns[0].lat, towns[0].lon))
        return anchors

    def _town_entity(self, cand: _Candidate, context: PlaceContext) -> Entity | None:
        town = choose_town(self.gaz.towns(cand.town_name), context, region_of=self.gaz.region_of,
                           require_context=cand.label not in {"GPE", "LOC"}, name=cand.town_name)
        if town is None:
            return None
        return Entity(key=f"geonames/{town.geonames}", type="Settlement", label=town.name,
                      geonames=town.geonames, lat=town.lat, lon=town.lon)

    def _fallback_entity(self, doc: Doc, cand: _Candidate) -> Entity | None:
        text = doc[cand.start:cand.end].text
        if not text[:1].isupper():
            return None  # "the east bank": a description, not a name
        if cand.label == "PERSON":
            return Entity(key=f"person/{slug(text)}", type="Person", label=text)
        if cand.label == "ORG":
            armed = doc[cand.end - 1].lower_ in ARMED_HEADS
            type_ = "ArmedGroup" if armed else "Organization"
            return Entity(key=f"{type_.lower()}/{slug(text)}", type=type_, label=text)
        if cand.label == "GPE":
            return Entity(key=f"settlement/{slug(text)}", type="Settlement", label=text)
        if cand.label == "LOC":
            return Entity(key=f"region/{slug(text)}", type="Region", label=text)
        return None

    def _sides_of(self, found: list[Found]) -> dict[str, Entity]:
        """The countries the armed groups mentioned fight for, by entity key."""
        by_key = {c.key: c for c in self.gaz.countries.values()}
        return {f.entity.side: by_key[f.entity.side] for f in found
                if f.entity.side in by_key}

    def __call__(self, doc: Doc) -> Doc:
        titles = doc._.kg_title_tokens
        candidates = (self._units(doc) + self._named(doc) + self._coordinated_regions(doc) + self._sides(doc)
                      + self._collective_sources(doc)
                      + self._ner(doc, titles)
                      + self._proper_nouns(doc, titles))
        candidates.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
        taken: set[int] = set()
        chosen: list[_Candidate] = []
        for cand in candidates:
            if taken.isdisjoint(range(cand.start, cand.end)):
                chosen.append(cand)
                taken.update(range(cand.start, cand.end))
        context = self._context(doc, chosen)
        context.anchors = self._anchors(chosen)
        towns = {i: self._town_entity(c, context) for i, c in enumerate(chosen) if c.town_name}
        # Countries of the towns that resolve on their own join the context; only when that
        # widens it do the towns need resolving again.
        widened = {self.gaz.places.towns[t.geonames].country for t in towns.values() if t} - context.countries
        if widened:
            context.countries |= widened
            towns = {i: self._town_entity(c, context) for i, c in enumerate(chosen) if c.town_name}
        found = []
        for i, cand in enumerate(chosen):
            entity = cand.entity
            if entity is None and cand.town_name:
                entity = towns[i]
            if entity is None and cand.label != "PROPN" and cand.start not in titles:
                entity = self._fallback_entity(doc, cand)
            if entity is not None:
                found.append(Found(cand.start, cand.end, entity))
        found = _unify_people(doc, sorted(found, key=lambda f: f.start))
        doc._.kg_mentions = found
        doc._.kg_sides = self._sides_of(found)
        index: dict[int, Found] = {}
        for item in found:
            for i in range(item.start, item.end):
                index[i] = item
        doc._.kg_token_mention = index
        doc._.kg_person_roles = _person_roles(doc, found)
        return doc


def _speaks(tok) -> bool:
    """Whether a name is the subject of a speech verb: people speak, towns do not."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in SPEECH_VERBS | ASSESS_VERBS


def _unify_people(doc: Doc, found: list[Found]) -> list[Found]:
    """Give a surname-only mention the entity of the full name it shortens."""
    full = {}
    for item in found:
        if item.entity.type == "Person" and item.end - item.start > 1:
            full.setdefault(doc[item.end - 1].lower_, item.entity)
    out = []
    for item in found:
        if item.entity.type == "Person" and item.end - item.start == 1:
            entity = full.get(doc[item.start].lower_)
            if entity is not None:
                item = Found(item.start, item.end, entity)
        out.append(item)
    return out


def _appositive_role(doc: Doc, item: Found) -> str | None:
    """"Oleh Synehubov, the head of the regional administration" -> the role words."""
    head = doc[item.end - 1]
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words = list(child.subtree)
            while words and (words[0].lower_ in {"the", "a", "an"} or words[0].is_punct):
                words = words[1:]
            while words and words[-1].is_punct:
                words = words[:-1]
            return doc[words[0].i:words[-1].i + 1].text if words else None
    return None


def _person_roles(doc: Doc, found: list[Found]) -> list[tuple[str, str]]:
    """Read roles written around a name: "presidential office advisor Alexey Arestovych",
    "Oleh Synehubov, the head of the regional administration"."""
    roles = []
    for item in found:
        if item.entity.type != "Person":
            continue
        appositive = _appositive_role(doc, item)
        if appositive:
            roles.append((item.entity.key, appositive))
        head = doc[item.end - 1]
        lefts = [t for t in head.lefts if t.i < item.start and t.dep_ in {"compound", "amod", "nmod"}]
        if not lefts:
            continue
        start = min(t.left_edge.i for t in lefts)
        while start < item.start and doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        words = doc[start:item.start]
        if words and any(t.pos_ == "NOUN" for t in words):
            roles.append((item.entity.key, words.text))
    return roles
