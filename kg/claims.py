"""Claims: who says which event happened, and where they said it.

Input: a Doc with entity and event mentions. Output: ``doc._.kg_claim_mentions``,
one ``ClaimMention`` per (statement, event). A speech or report verb ("said",
"claimed", "reported", "denied") claims the events of its complement clause or
object; "according to X" claims the events of its clause; "reportedly" makes a
claim with no claimant. The innermost attribution of a nested report wins.
The claimant is the speaker ("advisor Arestovych said"), the source of a report
noun ("a report by CNN said"), or nobody ("some are saying", "reports claim");
the channel comes from "on YouTube", "in a Telegram post", "told CNN".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.arguments import entities_of
from kg.coref import Antecedents, resolve_anaphor
from kg.lexicon import (
    ASSESS_VERBS,
    HEARSAY_ADVERBS,
    REPORT_NOUNS,
    SPEECH_VERBS,
    UNATTRIBUTED_SUBJECTS,
)
from kg.model import Entity

CLAIMANT_TYPES = {"Person", "Organization", "ArmedGroup", "Country"}
# Verbs whose object can be an event ("reported fighting"); one writes or says words.
OBJECT_CLAIM_VERBS = {"report", "announce", "confirm", "deny", "claim", "acknowledge", "admit",
                      "reveal", "show", "indicate", "allege", "publish", "post"}
BACKGROUND_DEPS = {"acl", "relcl", "amod", "compound", "npadvmod", "poss", "appos", "nmod"}
CHANNEL_PREPS = {"on", "in", "via", "through", "to"}


@dataclass(frozen=True)
class ClaimMention:
    """A statement that one event happened."""

    event: int
    claimant: Entity | None
    channel: Entity | None
    verb: str
    assessing: bool
    subject_text: str | None


def _speech_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.pos_ == "VERB" and (lemma in SPEECH_VERBS or lemma in ASSESS_VERBS)


def _copula_subject(child: Token, head: Token) -> bool:
    """"X was a diversion" says something of X; it does not assert that X happened."""
    return child.dep_ in {"nsubj", "nsubjpass"} and head.lemma_ == "be" and any(
        c.dep_ in {"attr", "acomp"} for c in head.children)


def _governing_speech(trigger: Token) -> Token | None:
    """Walk up from a trigger to the nearest speech verb whose complement holds it.

    Events inside modifiers (relative clauses, participles, adjectives) are background
    to the statement, not what it asserts, so the walk stops there.
    """
    child, tok = trigger, trigger.head
    while tok.i != child.i:
        purpose = child.dep_ == "acl" and tok.lemma_.lower() in {"effort", "attempt", "bid", "plan"}
        if (child.dep_ in BACKGROUND_DEPS and not purpose) or _copula_subject(child, tok):
            return None
        if _speech_verb(tok) and child.dep_ not in {"nsubj", "nsubjpass"}:
            if child.dep_ != "dobj" or tok.lemma_.lower() in OBJECT_CLAIM_VERBS:
                return tok
            return None
        for sibling in tok.children:
            if sibling.dep_ in {"parataxis", "ccomp"} and sibling.i > child.i and \
                    _speech_verb(sibling) and not any(c.dep_ in {"ccomp", "dobj"} for c in sibling.children):
                return sibling
        child, tok = tok, tok.head
    return None


def _according_to(trigger: Token, antecedents: Antecedents) -> list[Entity] | None:
    for tok in (trigger, *trigger.ancestors):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "according":
                to = next((c for c in prep.children if c.lower_ == "to"), None)
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
                if pobj is not None:
                    return [e for e in entities_of(pobj, antecedents) if e.type in CLAIMANT_TYPES]
                return []
    return None


def _hearsay(trigger: Token) -> bool:
    return any(c.lower_ in HEARSAY_ADVERBS for t in (trigger, trigger.head) for c in t.children)


def _source_of(noun: Token, antecedents: Antecedents) -> Entity | None:
    """"a report by CNN", "a statement from the ministry", "CNN's report"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
            for pobj in child.children:
                for entity in entities_of(pobj, antecedents):
                    if entity.type in CLAIMANT_TYPES:
                        return entity
        if child.dep_ in {"poss", "compound"}:
            for entity in entities_of(child, antecedents):
                if entity.type in CLAIMANT_TYPES:
                    return entity
    return None


def claimant_of(verb: Token, antecedents: Antecedents) -> tuple[Entity | None, str | None]:
    """Return (claimant, subject words) for a speech verb; claimant None when unnamed."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    if subject is None and verb.dep_ in {"relcl", "conj"}:
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None, None
    words = " ".join(t.text for t in subject.subtree)
    lemma = subject.lemma_.lower()
    named = [e for e in entities_of(subject, antecedents) if e.type in CLAIMANT_TYPES]
    if named and subject.lower_ != "it":
        return named[0], words
    if lemma in REPORT_NOUNS:
        return _source_of(subject, antecedents), words
    if subject.lower_ == "it" and subject.dep_ == "nsubj":
        return resolve_anaphor(subject, antecedents), words
    if lemma in UNATTRIBUTED_SUBJECTS or subject.lower_ in UNATTRIBUTED_SUBJECTS:
        return None, words
    inner = [e for t in subject.subtree for e in entities_of(t, antecedents)]
    for wanted in ("Person", "Organization"):  # "Secretary of the Council Oleksiy Danilov"
        for entity in inner:
            if entity.type == wanted:
                return entity, words
    return None, words


def channel_of(verb: Token, antecedents: Antecedents) -> Entity | None:
    """Return where a statement was made: "on YouTube", "in a Telegram post", "told CNN"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in CHANNEL_PREPS:
            for pobj in child.children:
                for tok in (pobj, *[c for c in pobj.children if c.dep_ in {"compound", "poss"}]):
                    for entity in entities_of(tok, antecedents):
                        if entity.type == "Organization":
                            return entity
        if child.dep_ == "dative" and verb.lemma_.lower() == "tell":
            for entity in entities_of(child, antecedents):
                if entity.type == "Organization":
                    return entity
    return None


def find_claims(doc: Doc) -> Doc:
    """Attach ``doc._.kg_claim_mentions`` (see the module docstring)."""
    antecedents = Antecedents(doc)
    out: list[ClaimMention] = []
    for index, event in enumerate(doc._.kg_event_mentions):
        trigger = doc[event.trigger]
        verb = _governing_speech(trigger)
        if verb is not None:
            claimant, words = claimant_of(verb, antecedents)
            out.append(ClaimMention(index, claimant, channel_of(verb, antecedents),
                                    verb.lemma_.lower(), verb.lemma_.lower() in ASSESS_VERBS,
                                    words))
            continue
        sources = _according_to(trigger, antecedents)
        if sources is not None:
            for source in sources or [None]:
                out.append(ClaimMention(index, source, None, "according to", False, None))
        elif _hearsay(trigger):
            out.append(ClaimMention(index, None, None, "reportedly", False, None))
    doc._.kg_claim_mentions = out
    return doc
