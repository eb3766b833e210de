"""Extraction: a processed spaCy Doc and its Article in, an ``Extraction`` out.

Collects the entity, event and claim mentions the pipeline's components left on the
Doc, resolves dates against the publication date, merges the mentions of one event
(``kg.eventmerge``), finds contradictions (``kg.contradictions``) and returns frozen
values ready for the RDF writer.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg import timex
from kg.contradictions import find_contradictions
from kg.eventmerge import PLACE_ROLES, MentionFacts, cluster_mentions
from kg.model import PLACE_TYPES, Article, Claim, Entity, EntityMention, Event, Extraction, RelativePlace, Sentence


class _Sentences:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.cache: dict[int, Sentence] = {}

    def at(self, token_index: int) -> Sentence:
        sent = self.doc[token_index].sent
        if sent.start not in self.cache:
            first = sent.start
            while first + 3 < sent.end and self.doc[first].text == "[" \
                    and self.doc[first + 1].like_num and self.doc[first + 2].text == "]":
                first += 3  # a reference marker "[23]" left over from the sentence before
            span = self.doc[first:sent.end]
            text = span.text.strip()
            start = span.start_char + (len(span.text) - len(span.text.lstrip()))
            self.cache[sent.start] = Sentence(start, start + len(text), text)
        return self.cache[sent.start]


def extract_article(nlp: Language, article: Article) -> Extraction:
    """Run the pipeline on one article and return what it found."""
    return extract(nlp(article.text), article)


def extract(doc: Doc, article: Article) -> Extraction:
    """Turn a processed Doc into an ``Extraction`` for ``article``."""
    sentences = _Sentences(doc)
    entities: dict[str, Entity] = {}
    mentions: list[EntityMention] = []
    for found in doc._.kg_mentions:
        entities.setdefault(found.entity.key, found.entity)
        mentions.append(EntityMention(found.entity.key, found.surface(doc), sentences.at(found.start)))
    events, event_keys = _events(doc, article, sentences, entities, mentions)
    claims = _claims(doc, article, sentences, entities, mentions, event_keys)
    _add_sides(doc._.kg_sides, entities, mentions)
    return Extraction(
        article=article, entities=tuple(entities.values()), mentions=tuple(mentions),
        events=tuple(events), claims=tuple(claims),
        person_roles=tuple(dict.fromkeys(doc._.kg_person_roles)),
        contradictions=tuple(find_contradictions(events, claims, entities)),
    )


def _use(entity: Entity, sentence: Sentence, entities: dict, mentions: list) -> str:
    """Register an entity that an event or claim uses, with its sentence as evidence."""
    if entity.key not in entities:
        entities[entity.key] = entity
        mentions.append(EntityMention(entity.key, "", sentence))
    return entity.key


def _events(doc, article, sentences, entities, mentions) -> tuple[list[Event], dict[int, str]]:
    raw = doc._.kg_event_mentions
    facts = []
    for m in raw:
        start, end = timex.resolve(m.time_text, article.published) if m.time_text else (None, None)
        facts.append(MentionFacts(
            position=m.trigger, type=m.type,
            agents=frozenset(e.key for r, e in m.roles if r == "agent"),
            places=frozenset(e.key for r, e in m.roles
                             if r in PLACE_ROLES or (r == "target" and e.type in PLACE_TYPES)),
            targets=frozenset(e.key for r, e in m.roles if r == "target"),
            date=start, end=end, modality=m.modality, lemma=m.lemma))
    events, keys = [], {}
    for members in cluster_mentions(facts):
        first = raw[members[0]]
        key = f"{article.key}/event/{doc[first.trigger].idx}" + (f"-{first.part}" if first.part else "")
        roles: list[tuple[str, str]] = []
        evidence: list[Sentence] = []
        relative: list[RelativePlace] = []
        date = end = time_text = None
        for index in members:
            m = raw[index]
            sentence = sentences.at(m.trigger)
            evidence.append(sentence)
            for role, entity in m.roles:
                pair = (role, _use(entity, sentence, entities, mentions))
                if pair not in roles:
                    roles.append(pair)
            for anchor, direction, distance in m.relative:
                place = RelativePlace(anchor.key, direction, distance)
                if place not in relative:
                    relative.append(place)
            if facts[index].date and date is None:
                date, end, time_text = facts[index].date, facts[index].end, m.time_text
            elif m.time_text and time_text is None:
                time_text = m.time_text
            keys[index] = key
        events.append(Event(
            key=key, type=first.type, roles=tuple(roles), evidence=tuple(dict.fromkeys(evidence)),
            triggers=tuple(dict.fromkeys(raw[i].trigger_text for i in members)),
            date=date, end_date=end, time_text=time_text, modality=first.modality,
            relative_places=tuple(relative)))
    return events, keys


def _is_publisher(entity: Entity | None, article: Article) -> bool:
    if entity is None or not article.source:
        return entity is None
    source = article.source.casefold()
    return entity.label.casefold() in source or source in entity.label.casefold()


def _claims(doc, article, sentences, entities, mentions, event_keys) -> list[Claim]:
    raw = doc._.kg_event_mentions
    claims: dict[tuple, Claim] = {}
    for c in doc._.kg_claim_mentions:
        sentence = sentences.at(raw[c.event].trigger)
        assessment = c.assessing and _is_publisher(c.claimant, article)
        claimant = None if assessment or c.claimant is None else \
            _use(c.claimant, sentence, entities, mentions)
        channel = _use(c.channel, sentence, entities, mentions) if c.channel else None
        asserts = event_keys[c.event]
        identity = (asserts, claimant, channel, assessment, sentence)
        if identity not in claims:
            kind = "assessment" if assessment else "claim"
            claims[identity] = Claim(key=f"{article.key}/{kind}/{sentence.start}-{len(claims)}",
                                     asserts=asserts, evidence=sentence, claimant=claimant,
                                     channel=channel, kind=kind)
    return list(claims.values())


def _add_sides(sides: dict[str, Entity], entities: dict, mentions: list) -> None:
    """Add the country each armed group fights for, evidenced by the group's sentences."""
    for mention in list(mentions):
        side = entities[mention.entity].side
        if side and side in sides:
            _use(sides[side], mention.sentence, entities, mentions)
