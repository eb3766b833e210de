"""Within-article reference: "the town", "there", "he" and "who" to their antecedents.

Input: a Doc whose entity mentions are set (``kg.entities``). Output: the entity an
anaphoric token stands for, taken as the nearest earlier mention of the right kind.
Rules suited to news reports, not a general coreference model.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Token

from kg.lexicon import ANAPHORIC_PLACE_NOUNS
from kg.model import Entity

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
DEFINITE = {"the", "this", "that"}
LOOKBACK_SENTENCES = 4


class Antecedents:
    """Entity mentions of a Doc by type, in order, for nearest-before look-ups."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_type: dict[str, tuple[list[int], list[Entity]]] = {}
        for found in doc._.kg_mentions:
            starts, entities = self.by_type.setdefault(found.entity.type, ([], []))
            starts.append(found.start)
            entities.append(found.entity)

    def last(self, before: int, types: tuple[str, ...], *, same_sentence: bool = False) -> Entity | None:
        """Return the last entity of one of ``types`` mentioned before token ``before``
        (within a few sentences, or within its own sentence)."""
        best, best_start = None, -1
        window = self.doc[before].sent.start if same_sentence else self._window_start(before)
        for type_ in types:
            starts, entities = self.by_type.get(type_, ([], []))
            k = bisect_left(starts, before) - 1
            if k >= 0 and starts[k] >= window and starts[k] > best_start:
                best, best_start = entities[k], starts[k]
        return best

    def _window_start(self, before: int) -> int:
        sent = self.doc[before].sent
        for _ in range(LOOKBACK_SENTENCES):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        return sent.start


def resolve_anaphor(tok: Token, antecedents: Antecedents) -> Entity | None:
    """Return the entity an anaphoric token refers to, or None when it is not one."""
    lower = tok.lower_
    if lower in PERSON_PRONOUNS:
        return antecedents.last(tok.i, ("Person",))
    if lower == "there" and tok.dep_ == "advmod":
        return antecedents.last(tok.i, ("Settlement", "Region"))
    if lower in {"its", "their"} and tok.dep_ == "poss":
        if _owner_is_own_subject(tok):
            return None
        # the actor of the same sentence first ("the command announced its offensive"),
        # then the nearest force ("to cover their withdrawal"), then anybody
        actors = ("Organization", "ArmedGroup", "Country")
        return (antecedents.last(tok.i, actors, same_sentence=True)
                or antecedents.last(tok.i, ("ArmedGroup",)) or antecedents.last(tok.i, actors))
    if lower == "it" and tok.dep_ == "nsubj":
        return antecedents.last(tok.i, ("Organization", "Country"))
    if lower == "who" and tok.tag_ == "WP":
        return antecedents.last(tok.i, ("Person",))
    kind = ANAPHORIC_PLACE_NOUNS.get(tok.lemma_.lower())
    if kind and any(c.lower_ in DEFINITE for c in tok.children):
        names_itself = any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
        if not names_itself:
            return antecedents.last(tok.i, (kind,))
    return None


def _owner_is_own_subject(poss: Token) -> bool:
    """Whether "its"/"their" belongs to the nearest subject before it, a noun naming no entity.

    In "the MoD reported that Russian generals want their commanders to…", "their" is
    the generals', not the MoD's: the nearest clause subject before the possessive (in
    its own clause or the one above), a plural ("their") or singular ("its") common
    noun outside any entity mention, owns it.
    """
    number = "NNS" if poss.lower_ == "their" else "NN"
    mentions = poss.doc._.kg_token_mention
    for verb in poss.ancestors:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < poss.i]
        if subjects:
            return subjects[-1].tag_ == number and subjects[-1].i not in mentions
    return False
