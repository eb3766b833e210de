"""Arguments: from a token in an event's frame to the entities it stands for.

Input: a token (subject, object, prepositional object) of a parsed Doc with entity
mentions. Output: the entities it names, following coordination ("X and Y"),
containers ("the town of X", "thousands of Russian troops", "the outskirts of X"),
possessives ("Putin's commanders"), relative pronouns and anaphora.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref import Antecedents, resolve_anaphor
from kg.lexicon import COMPASS, CONTAINER_NOUNS, FORCE_NOUNS
from kg.model import Entity

MAX_DEPTH = 3
CONTAINER_PREPS = {"of", "from", "in", "near", "around"}


def _mention(tok: Token) -> Entity | None:
    found = tok.doc._.kg_token_mention.get(tok.i)
    return found.entity if found else None


def _resolve(tok: Token, antecedents: Antecedents, depth: int) -> list[Entity]:
    """The entities one token stands for (a container may hold several: "X and Y")."""
    entity = _mention(tok)
    if entity is not None:
        return [entity, *_coordinated_sides(tok, entity)]
    if tok.lower_ == "who":
        entity = resolve_anaphor(tok, antecedents)
        if entity is not None:
            return [entity]
    if tok.tag_ in {"WDT", "WP"} and tok.head.dep_ in {"relcl", "acl"} and depth < MAX_DEPTH:
        found = _resolve(tok.head.head, antecedents, depth + 1)
        if found:
            return found
    entity = resolve_anaphor(tok, antecedents)
    if entity is not None:
        return [entity]
    if depth >= MAX_DEPTH:
        return []
    lemma = tok.lemma_.lower()
    if lemma in CONTAINER_NOUNS or tok.lower_ in CONTAINER_NOUNS or tok.lower_ in COMPASS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in CONTAINER_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = _with_conjuncts(pobj, antecedents, depth + 1)
                        if found:
                            return found
            if child.lower_ in COMPASS and child.i > tok.i:
                found = _resolve(child, antecedents, depth + 1)  # "villages west of X"
                if found:
                    return found
            if child.dep_ in {"compound", "amod", "nmod"} and child.i < tok.i:
                entity = _mention(child)
                if entity is not None:
                    return [entity]
    if lemma in FORCE_NOUNS or lemma in CONTAINER_NOUNS:
        for child in tok.children:
            if child.dep_ == "poss":
                found = [e for e in _resolve(child, antecedents, depth + 1)
                         if e.type not in {"Settlement", "Region"}]
                if found:
                    return found
    return []


def _coordinated_sides(tok: Token, entity: Entity) -> list[Entity]:
    """"Russian and proxy forces": the other sides named as modifiers of the same noun."""
    out = []
    for child in tok.lefts:
        for word in (child, *child.conjuncts):
            other = _mention(word)
            if other is not None and other != entity and other.type == "ArmedGroup" and other not in out:
                out.append(other)
    return out


def _members(tok: Token) -> list[Token]:
    """A token with its coordinated and appositive siblings: "Bucha, Hostomel, and Irpin"."""
    members = [tok, *tok.conjuncts]
    for member in list(members):
        for child in member.children:
            if child.dep_ == "appos" and child.pos_ in {"PROPN", "NOUN"}:
                members.extend([child, *child.conjuncts])
    return members


def _with_conjuncts(tok: Token, antecedents: Antecedents, depth: int) -> list[Entity]:
    out: list[Entity] = []
    for member in _members(tok):
        for entity in _resolve(member, antecedents, depth):
            if entity not in out:
                out.append(entity)
    return out


def entities_of(tok: Token, antecedents: Antecedents) -> list[Entity]:
    """Return the entities a token and its coordinated siblings stand for, in order."""
    return _with_conjuncts(tok, antecedents, 0)
