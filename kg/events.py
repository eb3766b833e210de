"""Events: triggers in the dependency parse and the roles around them.

Input: a parsed Doc with entity mentions (``kg.entities``). Output:
``doc._.kg_event_mentions``, one ``EventMention`` per trigger that has at least one
role, in text order. Verbal triggers ("fled", "was liberated") read subjects,
objects, passive agents and prepositions; nominal ones ("a push in the Kharkiv
region", "battles around Izyum", "a possible encirclement") read their modifiers
and the verb that governs them. Subjects are inherited through coordination and
control ("routed and forced to flee").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.arguments import entities_of
from kg.coref import Antecedents
from kg.lexicon import (
    COMPASS,
    NOUN_PRIORITY,
    NOUN_TRIGGERS,
    PHRASAL_TRIGGERS,
    PREP_ROLES,
    SUPPORT_VERBS,
    UNDERGO_VERBS,
    VERB_TRIGGERS,
    WEAK_VERBS,
)
from kg.modality import modality_of
from kg.model import ACTOR_TYPES, PLACE_TYPES, Entity

VERB_TYPE = {lemma: type_ for type_, lemmas in VERB_TRIGGERS.items() for lemma in lemmas}
NOUN_TYPE = {}
for _type in reversed(NOUN_PRIORITY):
    NOUN_TYPE.update({lemma: _type for lemma in NOUN_TRIGGERS[_type]})
ATTEMPT_NOUNS = {"attempt", "effort", "bid", "push", "operation", "order", "plan", "intention"}
OBJECT_CONTROL = {"force", "order", "compel", "allow", "push", "drive", "make", "cause", "help"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
PLACE_OBJECT_ROLE = {"Retreat": "origin", "Advance": "destination", "Redeployment": "destination",
                     "Attack": "target", "Encirclement": "target", "Combat": "location"}
DISTANCE_UNITS = {"km": 1.0, "kilometers": 1.0, "kilometres": 1.0, "kilometer": 1.0,
                  "kilometre": 1.0, "miles": 1.609, "mile": 1.609}
PLACE_VERBS = {"take", "control", "secure", "clear", "enter", "reach", "cross", "approach", "move"}
MOVE_VERBS = {"send", "deploy", "transfer"}
PLACE_PREPS = {"in", "at", "near", "around", "along", "on", "toward", "towards", "into", "outside"}
INTRANSITIVE_HOSTS = {"be", "take", "continue", "rage", "occur", "intensify", "erupt", "resume",
                      "break", "happen", "unfold", "ensue", "persist", "go"}


@dataclass(frozen=True)
class EventMention:
    """One trigger in one sentence, with the roles read around it."""

    type: str
    trigger: int
    trigger_text: str
    lemma: str
    roles: tuple[tuple[str, Entity], ...]
    modality: str | None
    time_text: str | None
    sent_start: int
    part: int = 0
    relative: tuple[tuple[Entity, str | None, float | None], ...] = ()


def trigger_type(tok: Token) -> str | None:
    """Return the event class a token triggers, or None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        if tok.dep_ == "amod" and tok.tag_ != "VBG":
            return None  # "the occupied city" describes a state, not an event
        for child in tok.children:
            phrase = (lemma, child.lemma_.lower())
            if child.dep_ in {"prt", "dobj", "prep"} and phrase in PHRASAL_TRIGGERS:
                return PHRASAL_TRIGGERS[phrase]
        return VERB_TYPE.get(lemma)
    if tok.dep_ == "compound":
        return None  # "an occupation official", "attack helicopters"
    if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.i in tok.doc._.kg_title_tokens):
        return NOUN_TYPE.get(lemma) or NOUN_TYPE.get(tok.lower_)
    return None


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """Return (subject token, is passive subject), inherited through conj/xcomp/acl."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child, child.dep_ == "nsubjpass"
    if verb.dep_ in {"acl", "relcl", "amod"} and verb.head.i != verb.i:
        head = verb.head
        if head.lemma_.lower() in ATTEMPT_NOUNS:
            governor = head.head.head if head.dep_ == "pobj" else head.head
            if governor.pos_ == "VERB":  # "continued attempts to advance", "in an effort to"
                return _subject(governor)[0], False
        return head, False
    if verb.dep_ == "pcomp" and verb.head.head.pos_ == "VERB":
        return _subject(verb.head.head)[0], False  # "focused on regaining"
    if verb.dep_ in {"xcomp", "acomp"}:
        head = verb.head
        if head.lemma_.lower() in OBJECT_CONTROL:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, False
        subject, _ = _subject(head)
        return subject, False
    if verb.dep_ in {"conj", "advcl"} and verb.head.i != verb.i and verb.head.pos_ in {"VERB", "AUX"}:
        subject, _ = _subject(verb.head)
        return subject, False
    return None, False


class _Frame:
    """Collects the roles of one trigger."""

    def __init__(self, type_: str, antecedents: Antecedents, forces_of):
        self.type = type_
        self.antecedents = antecedents
        self.forces_of = forces_of
        self.roles: list[tuple[str, Entity]] = []
        self.relative: list[tuple[Entity, str | None, float | None]] = []
        self.civilian_agent = False

    def split_by_settlement(self) -> list[list[tuple[str, Entity]]]:
        """One role list per settlement when several are named ("struck X and Y"):
        reports list places that are separate events."""
        settlements = [(r, e) for r, e in self.roles if e.type == "Settlement"
                       and r in {"location", "origin", "destination", "target"}]
        if len(settlements) < 2:
            return [self.roles]
        shared = [(r, e) for r, e in self.roles if (r, e) not in settlements]
        return [shared + [pair] for pair in settlements]

    def add(self, role: str | None, tok: Token | None) -> None:
        if role is None or tok is None:
            return
        for entity in entities_of(tok, self.antecedents):
            self.add_entity(role, entity)

    def add_entity(self, role: str, entity: Entity) -> None:
        is_place = entity.type in PLACE_TYPES and entity.type != "Country"
        if role == "agent" and is_place:
            return
        if role == "agent" and entity.type == "Organization":
            if not entity.side:
                self.civilian_agent = True  # "party members fled": not a military event
                return
            entity = self.forces_of(entity.side) or entity  # "the MoD claimed to have repelled"
        if role in {"location", "origin", "destination"} and entity.type not in PLACE_TYPES:
            if role == "location" or entity.type not in ACTOR_TYPES:
                return
            role = "target" if self.type in {"Attack", "Combat", "Encirclement", "Advance"} else None
            if role is None:
                return
        if (role, entity) not in self.roles:
            self.roles.append((role, entity))

    def add_object(self, tok: Token) -> None:
        for entity in entities_of(tok, self.antecedents):
            if entity.type in PLACE_TYPES:
                role = PLACE_OBJECT_ROLE.get(self.type, "location")
            elif self.type == "Retreat":
                continue
            elif self.type == "Redeployment" and not any(r == "agent" for r, _ in self.roles):
                role = "agent"
            else:
                role = "target"
            self.add_entity(role, entity)

    def add_prep(self, prep: Token, *, nominal: bool) -> None:
        word = prep.lower_
        role = PREP_ROLES.get(word)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return
        if word == "of":
            if not nominal:
                return
            for entity in entities_of(pobj, self.antecedents):
                if entity.type in PLACE_TYPES:
                    self.add_entity(PLACE_OBJECT_ROLE.get(self.type, "location"), entity)
                elif self.type in {"Retreat", "Advance", "Redeployment", "Combat"}:
                    self.add_entity("agent", entity)
                else:
                    self.add_entity("target", entity)
            return
        if word == "on" and self.type in {"Attack", "Advance"}:
            role = "target" if self.type == "Attack" else "destination"
        if word == "with" and self.type != "Combat":
            return
        self.add(role, pobj)


class EventFinder:
    """The spaCy component that finds event mentions (see the module docstring)."""

    def __init__(self, gazetteer):
        self.gaz = gazetteer
        self.country_codes = {e.key: code for code, e in gazetteer.countries.items()}

    def forces_of(self, country_key: str) -> Entity | None:
        """The armed forces of the country with entity key ``country_key``."""
        code = self.country_codes.get(country_key)
        return self.gaz.side_forces(code) if code else None

    def __call__(self, doc: Doc) -> Doc:
        antecedents = Antecedents(doc)
        mentions = []
        for tok in doc:
            type_ = trigger_type(tok)
            if type_ is None or tok.i in doc._.kg_token_mention:
                continue
            frame = _Frame(type_, antecedents, self.forces_of)
            gerund = tok.tag_ == "VBG" and tok.dep_ in {"nsubj", "csubj", "dobj", "pobj"}
            verbal = (tok.pos_ == "VERB" or tok.dep_ == "amod") and not gerund
            if verbal:
                self._verb_roles(tok, frame)
            else:
                self._noun_roles(tok, frame)
            self._default_location(tok, frame)
            if not frame.roles or frame.civilian_agent or (verbal and not self._credible(tok, frame)):
                continue
            modality, time_text = modality_of(tok), time_words(tok)
            for part, roles in enumerate(frame.split_by_settlement()):
                anchors = {e for _, e in roles}
                mentions.append(EventMention(
                    type=type_, trigger=tok.i, trigger_text=tok.text, lemma=tok.lemma_.lower(),
                    roles=tuple(roles), modality=modality, time_text=time_text,
                    sent_start=tok.sent.start, part=part,
                    relative=tuple(r for r in frame.relative if r[0] in anchors)))
        doc._.kg_event_mentions = mentions
        return doc

    def _verb_roles(self, verb: Token, frame: _Frame) -> None:
        subject, passive = _subject(verb)
        if _headline_passive(verb, frame.type):
            passive = True
        if verb.dep_ == "amod":
            frame.add("agent", verb.head)
        elif subject is not None:
            if passive:
                self._passive_subject(subject, frame)
            else:
                frame.add("agent", subject)
        for child in verb.children:
            if child.dep_ == "agent":
                frame.add("agent", next((c for c in child.children if c.dep_ == "pobj"), None))
            elif child.dep_ == "conj" and child.pos_ == "PROPN":
                frame.add("location", child)  # a place list the parser split off the verb
            elif child.dep_ == "dobj":
                frame.add_object(child)
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ in {"from", "to", "into", "toward", "towards"}:
                        frame.add_prep(prep, nominal=False)  # "moved wagons from X to Y"
            elif child.dep_ == "prep":
                frame.add_prep(child, nominal=False)
            elif child.dep_ == "advmod" and child.lower_ == "there":
                frame.add("location", child)
            elif child.dep_ in {"advmod", "npadvmod"} and child.lower_ in COMPASS:
                _add_compass(child, frame)
            elif child.dep_ == "prt":
                for prep in child.children:
                    if prep.dep_ == "prep":
                        frame.add_prep(prep, nominal=False)

    @staticmethod
    def _passive_subject(subject: Token, frame: _Frame) -> None:
        if frame.type == "Retreat":
            frame.add("agent", subject)
            return
        for entity in entities_of(subject, frame.antecedents):
            if entity.type in PLACE_TYPES and frame.type not in {"Attack", "Encirclement"}:
                frame.add_entity("location", entity)
            else:
                frame.add_entity("target", entity)

    def _noun_roles(self, noun: Token, frame: _Frame) -> None:
        for child in noun.children:
            if child.dep_ in {"amod", "compound", "nmod", "poss"} and child.i < noun.i:
                code = self.gaz.adjectives.get(child.lower_)
                if code:
                    frame.add_entity("agent", self.gaz.side_forces(code))
                else:
                    for entity in entities_of(child, frame.antecedents):
                        frame.add_entity("location" if entity.type in PLACE_TYPES - {"Country"}
                                         else "agent", entity)
            elif child.dep_ == "prep":
                frame.add_prep(child, nominal=True)
            elif child.dep_ == "acl":
                for prep in child.children:
                    if prep.dep_ == "prep":
                        frame.add_prep(prep, nominal=True)
            elif child.dep_ in {"advmod", "npadvmod"} and child.lower_ in COMPASS:
                _add_compass(child, frame)
        host = _host_verb(noun)
        if host is None:
            return
        lemma = host.lemma_.lower()
        if noun.dep_ == "nsubj" and lemma in INTRANSITIVE_HOSTS:
            for child in host.children:
                if child.dep_ == "prep":
                    frame.add_prep(child, nominal=False)
                elif child.dep_ == "advmod" and child.lower_ == "there":
                    frame.add("location", child)
            return
        subject, _ = _subject(host)
        if subject is None:
            return
        if lemma in UNDERGO_VERBS:
            frame.add("target", subject)
        elif lemma in SUPPORT_VERBS:
            if not any(r == "agent" for r, _ in frame.roles):
                frame.add("agent", subject)
            for child in host.children:
                if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
                    frame.add_prep(child, nominal=False)
                elif child.dep_ in {"advmod", "npadvmod"} and child.lower_ in COMPASS:
                    _add_compass(child, frame)

    @staticmethod
    def _default_location(tok: Token, frame: _Frame) -> None:
        """Without a place role, take the place of a "where" clause, or a place named
        inside the agent's or the object's own phrase ("troops in X fled")."""
        if any(r in {"location", "origin", "destination"} for r, _ in frame.roles):
            return
        clause = tok
        while clause.dep_ in {"xcomp", "conj"} and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl" and any(c.lower_ == "where" for c in clause.children):
            frame.add("location", clause.head)
            return
        if tok.pos_ != "VERB":
            return
        subject, passive = _subject(tok)
        phrases = [c for c in tok.children if c.dep_ == "dobj"]
        if subject is not None and not passive:
            phrases.insert(0, subject)
        for phrase in phrases:
            for inner in phrase.subtree:
                if inner.dep_ == "pobj" and inner.head.lower_ in {"in", "at", "near", "of", "around"}:
                    for entity in entities_of(inner, frame.antecedents):
                        if entity.type in {"Settlement", "Region"}:
                            frame.add_entity("location", entity)
                            return

    @staticmethod
    def _credible(tok: Token, frame: _Frame) -> bool:
        """Ordinary senses of weak verbs need a military reading: "take" and "move into"
        need a place ("take some time" is no capture), "send" and "deploy" need forces
        moved ("sending text messages"), the rest a military participant ("held talks")."""
        lemma = tok.lemma_.lower()
        if lemma not in WEAK_VERBS:
            return True
        places = any(r in {"location", "origin", "destination"} or (r == "target" and e.type in PLACE_TYPES)
                     for r, e in frame.roles)
        forces = any(_names_forces(c) for c in tok.children if c.dep_ in {"dobj", "nsubjpass"})
        if lemma in PLACE_VERBS:
            return places
        if lemma in MOVE_VERBS:
            return forces or (places and any(e.type == "ArmedGroup" for _, e in frame.roles))
        if any(e.type == "ArmedGroup" for _, e in frame.roles) or forces:
            return True
        return frame.type in {"TakeControl", "Defend", "Advance", "Retreat"} and any(
            r in {"location", "origin", "destination"} for r, _ in frame.roles) and not any(
            e.type in {"Person", "Organization"} for r, e in frame.roles if r == "agent")


def _distance_km(word: Token) -> float | None:
    """"25km south of", "about 20 km northeast of": the distance before a direction."""
    for child in word.children:
        unit = child.lower_
        if unit in DISTANCE_UNITS:
            number = next((c for c in child.children if c.dep_ == "nummod" and c.like_num), None)
            if number is not None:
                try:
                    return round(float(number.text.replace(",", "")) * DISTANCE_UNITS[unit], 1)
                except ValueError:
                    return None
    return None


def _add_compass(word: Token, frame: _Frame) -> None:
    """"north towards X", "25km south of X": the place the direction is given from or to,
    kept as the location, with the direction and distance as a relative place."""
    for prep in word.children:
        if prep.dep_ != "prep":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if prep.lower_ == "of" and pobj is not None:
            for entity in entities_of(pobj, frame.antecedents):
                if entity.type in PLACE_TYPES:
                    frame.add_entity("location", entity)
                    frame.relative.append((entity, word.lower_, _distance_km(word)))
        else:
            frame.add_prep(prep, nominal=False)


def _names_forces(tok: Token) -> bool:
    """Whether a phrase names fighting forces: "troops", "massive numbers of troops"."""
    for inner in tok.subtree:
        if inner.lemma_.lower() in {"troop", "force", "unit", "soldier", "reserve", "battalion",
                                    "brigade", "regiment", "division", "equipment", "mercenary",
                                    "fighter", "recruit", "conscript", "reservist", "position"}:
            return True
    return False


def _headline_passive(verb: Token, type_: str) -> bool:
    """Headlines drop the auxiliary: "Russians Pummeled Along Front" is passive."""
    if verb.i not in verb.doc._.kg_title_tokens or verb.tag_ not in {"VBN", "VBD"}:
        return False
    transitive = type_ in {"Attack", "TakeControl", "Encirclement"}
    return transitive and not any(c.dep_ == "dobj" for c in verb.children)


def _host_verb(noun: Token) -> Token | None:
    """Return the verb that governs a nominal trigger as subject, object or "in" object."""
    if noun.dep_ in {"dobj", "attr", "nsubj", "nsubjpass"} and noun.head.pos_ in {"VERB", "AUX"}:
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in {"in", "into"}:
        verb = noun.head.head
        if verb.pos_ == "VERB" and verb.lemma_.lower() in SUPPORT_VERBS | {"participate", "involve", "join"}:
            return verb
    return None


def time_words(trigger: Token) -> str | None:
    """Return the DATE words attached to the trigger or to the verb that hosts it."""
    hosts = {trigger.i}
    host = _host_verb(trigger) if trigger.pos_ in {"NOUN", "PROPN"} else None
    if host is not None:
        hosts.add(host.i)
    for ent in trigger.sent.ents:
        if ent.label_ != "DATE":
            continue
        tok = ent.root
        steps = 0
        while tok.head.i != tok.i and tok.i not in hosts and steps < 4:
            if tok.pos_ in {"VERB", "AUX"} and tok.i != ent.root.i:
                break
            tok = tok.head
            steps += 1
        if tok.i in hosts:
            head = ent.root.head
            opening = head.dep_ == "prep" and head.lower_ in {"since", "from", "until", "through"}
            return f"{head.text} {ent.text}" if opening else ent.text
    return None
