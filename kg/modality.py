"""Modality: whether an event is stated as fact, as possible, as denied or as planned.

Input: an event's trigger token in a parsed Doc. Output: "Negated", "Possible",
"Planned" or None (stated as fact). Cues are read on the trigger and on the verbs
that control it ("failed to capture", "plans to attack", "may seek to encircle").
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.lexicon import (
    NEGATING_VERBS,
    PLANNED_NOUNS,
    PLANNED_VERBS,
    POSSIBLE_AUX,
    POSSIBLE_WORDS,
    SPEECH_VERBS,
)

OBJECTIVE_NOUNS = {"objective", "goal", "aim", "mission", "intent", "task"}
POSSIBLE_NOUNS = {"threat", "risk", "possibility", "prospect", "danger", "likelihood", "chance",
                  "vulnerability", "vulnerable", "susceptible", "exposure"}
# "signs of a withdrawal" makes it possible; "no signs of a withdrawal" denies it.
EVIDENCE_NOUNS = {"sign", "indication", "indicator", "evidence"}
ATTEMPTED = {"attempt", "effort", "bid", "try"}  # an attempt to advance is an advance
CONTROL_DEPS = {"xcomp", "acomp", "pcomp"}
FUTURE_AUX = {"will", "shall", "'ll"}


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)


def _controllers(trigger: Token) -> list[Token]:
    """The trigger and the words above it that control it (through xcomp, "plans to")."""
    chain = [trigger]
    tok = trigger
    while tok.head.i != tok.i and len(chain) < 5 and (
            tok.dep_ in CONTROL_DEPS | {"aux"} or (tok.dep_ == "conj" and not _has_subject(tok))):
        tok = tok.head
        chain.append(tok)
    if trigger.dep_ == "pobj" and trigger.head.lower_ in {"of", "to"} and \
            trigger.head.head.lemma_.lower() in POSSIBLE_NOUNS | EVIDENCE_NOUNS:
        chain.append(trigger.head.head)  # "under threat of encirclement", "vulnerable to"
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in {"dobj", "attr", "nsubjpass"}:
        chain.append(trigger.head)
    if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep" and \
            trigger.head.head.lemma_.lower() in PLANNED_NOUNS:
        chain.append(trigger.head.head)
    return chain


def _denied(trigger: Token) -> bool:
    """"The ministry denied that its forces retreated": the retreat is negated. A denial
    of somebody's claim ("X claimed that ...; Y denied these claims") negates the claim,
    not the event, so the walk stops at another speech verb."""
    child = trigger
    for tok in trigger.ancestors:
        lemma = tok.lemma_.lower()
        if lemma == "deny" and child.dep_ in {"ccomp", "dobj", "xcomp"}:
            return True
        if lemma in SPEECH_VERBS:
            return False
        child = tok
    return False


def _hedged_clause(trigger: Token) -> bool:
    """"It remains unlikely that forces would take Kyiv": the clause's host is hedged."""
    for tok in trigger.ancestors:
        if tok.pos_ in {"VERB", "AUX"} and any(
                c.dep_ == "acomp" and c.lemma_.lower() in POSSIBLE_WORDS for c in tok.children):
            return True
        if tok.lemma_.lower() in SPEECH_VERBS:
            return False
    return False


def _stated_objective(trigger: Token) -> bool:
    """"(Russian objective: Withdraw forces ...)": what follows an objective is a plan."""
    sent = trigger.sent
    for tok in sent:
        if tok.i >= trigger.i:
            return False
        if tok.lemma_.lower() in OBJECTIVE_NOUNS and tok.i + 1 < len(tok.doc) and tok.nbor().text == ":":
            return True
    return False


def modality_of(trigger: Token) -> str | None:
    """Return the modality of the event expressed by ``trigger`` (None for plain fact)."""
    negated = possible = planned = False
    for depth, tok in enumerate(_controllers(trigger)):
        lemma = tok.lemma_.lower()
        if depth and lemma in NEGATING_VERBS:
            negated = True
        if depth and (lemma in PLANNED_VERBS or lemma in PLANNED_NOUNS):
            planned = True
        if depth and lemma in POSSIBLE_WORDS | POSSIBLE_NOUNS | EVIDENCE_NOUNS:
            possible = True
        for child in tok.children:
            word = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "det" and word == "no"):
                negated = True
            elif child.dep_ == "aux" and word in POSSIBLE_AUX:
                possible = True
            elif child.dep_ == "aux" and word in FUTURE_AUX:
                planned = True
            elif child.dep_ in {"advmod", "amod"} and word in POSSIBLE_WORDS:
                possible = True
    if _denied(trigger):
        negated = True
    if _stated_objective(trigger):
        planned = True
    for tok in _controllers(trigger):
        if tok.dep_ in {"acl", "advcl"} and tok.head.lemma_.lower() not in ATTEMPTED and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            planned = True  # a purpose: "an offensive to liberate the region"
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "for" and trigger.head.head.pos_ == "NOUN":
        planned = True  # "conditions for a withdrawal", "preparations for an offensive"
    if _hedged_clause(trigger):
        possible = True
    if negated:
        return "Negated"
    if possible:
        return "Possible"
    if planned:
        return "Planned"
    return None
