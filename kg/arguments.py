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


def _mention(tok: Token) -> Entity | None:
    found = tok.doc._.kg_token_mention.get(tok.i)
    return found.entity if found else None


def entity_of(tok: Token, antecedents: Antecedents, depth: int = 0) -> Entity | None:
    """Return the entity one token stands for, or None."""
    entity = _mention(tok)
    if entity is not None:
        return entity
    if tok.lower_ == "who":
        entity = resolve_anaphor(tok, antecedents)
        if entity is not None:
            return entity
    if tok.tag_ in {"WDT", "WP"} and tok.head.dep_ in {"relcl", "acl"}:
        entity = entity_of(tok.head.head, antecedents, depth + 1) if depth < MAX_DEPTH else None
        if entity is not None:
            return entity
    entity = resolve_anaphor(tok, antecedents)
    if entity is not None or depth >= MAX_DEPTH:
        return entity
    lemma = tok.lemma_.lower()
    if lemma in CONTAINER_NOUNS or tok.lower_ in CONTAINER_NOUNS or tok.lower_ in COMPASS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in {"of", "from", "in", "near", "around"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        entity = entity_of(pobj, antecedents, depth + 1)
                        if entity is not None:
                            return entity
            if child.lower_ in COMPASS and child.i > tok.i:
                entity = entity_of(child, antecedents, depth + 1)  # "villages west of X"
                if entity is not None:
                    return entity
            if child.dep_ in {"compound", "amod", "nmod"} and child.i < tok.i:
                entity = _mention(child)
                if entity is not None:
                    return entity
    if lemma in FORCE_NOUNS or lemma in CONTAINER_NOUNS:
        for child in tok.children:
            if child.dep_ == "poss":
                entity = entity_of(child, antecedents, depth + 1)
                if entity is not None and entity.type not in {"Settlement", "Region"}:
                    return entity
    return None


def entities_of(tok: Token, antecedents: Antecedents) -> list[Entity]:
    """Return the entities a token and its coordinated siblings stand for, in order."""
    out: list[Entity] = []
    for member in (tok, *tok.conjuncts):
        entity = entity_of(member, antecedents)
        if entity is not None and entity not in out:
            out.append(entity)
    return out
