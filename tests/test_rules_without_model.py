"""Rule modules that need no trained model: layout, event identity, places, gazetteer."""

from datetime import date

import spacy

from kg.eventmerge import MentionFacts, cluster_mentions
from kg.gazetteer import Gazetteer, slug
from kg.geonames import Town, name_key
from kg.paragraphs import is_title_line, mark_lines
from kg.pipeline import DOC_EXTENSIONS  # noqa: F401  (registers the Doc extensions)
from kg.places import PlaceContext, choose_town


def facts(position, type_="Retreat", agents=(), places=(), day=None, modality=None, lemma="flee"):
    return MentionFacts(position, type_, frozenset(agents), frozenset(places), frozenset(),
                        day, modality, lemma)


def test_title_lines_are_recognised():
    assert is_title_line(["Russian", "Troops", "Flee", "From", "Ukrainian", "Advance"])
    assert not is_title_line(["Russian", "troops", "fled", "from", "the", "town", "."])


def test_paragraph_breaks_start_sentences_and_titles_are_marked():
    nlp = spacy.blank("en")
    doc = mark_lines(nlp.make_doc("Troops Flee Key Town\n\nThe troops fled the town."))
    title_words = {doc[i].text for i in doc._.kg_title_tokens}
    assert title_words == {"Troops", "Flee", "Key", "Town"}
    the = next(t for t in doc if t.text == "The")
    assert the.is_sent_start


def test_mentions_sharing_agent_and_place_merge():
    groups = cluster_mentions([facts(0, agents={"ru"}, places={"izium"}),
                               facts(10, agents={"ru"}, places={"izium"})])
    assert groups == [[0, 1]]


def test_different_places_or_modality_or_dates_stay_apart():
    groups = cluster_mentions([
        facts(0, agents={"ru"}, places={"izium"}),
        facts(5, agents={"ru"}, places={"lyman"}),
        facts(9, agents={"ru"}, places={"izium"}, modality="Negated"),
        facts(12, agents={"ru"}, places={"izium"}, day=date(2022, 9, 1)),
        facts(14, agents={"ru"}, places={"izium"}, day=date(2022, 9, 3)),
    ])
    assert len(groups) == 4


def test_placeless_mention_joins_the_same_word_before_the_nearest():
    groups = cluster_mentions([
        facts(0, "Advance", {"ua"}, {"kharkiv"}, lemma="push"),
        facts(5, "Advance", {"ua"}, {"balakliya"}, lemma="enter"),
        facts(9, "Advance", {"ua"}, lemma="push"),
    ])
    assert [0, 2] in groups


def test_merging_is_independent_of_input_order():
    items = [facts(0, agents={"ru"}, places={"a"}), facts(3, agents={"ru"}),
             facts(7, agents={"ru"}, places={"a"})]
    forward = {tuple(g) for g in cluster_mentions(items)}
    indices = [2, 0, 1]
    shuffled = [items[i] for i in indices]
    back = {tuple(sorted(indices[i] for i in g)) for g in cluster_mentions(shuffled)}
    assert forward == back


def town(gid, country, admin1, population, lat=49.0, lon=36.0):
    return Town(gid, "Balakliya", lat, lon, country, admin1, population)


def test_context_outweighs_population():
    big = town(1, "UA", "07", 26000)
    small = town(2, "UA", "18", 500)
    regions = {"07": "kharkiv-oblast", "18": "poltava-oblast"}
    region_of = lambda t: regions[t.admin1]  # noqa: E731
    assert choose_town([big, small], PlaceContext(), region_of=region_of) == big
    poltava = PlaceContext(regions={"poltava-oblast"})
    assert choose_town([big, small], poltava, region_of=region_of) == small


def test_untagged_names_need_context_or_size():
    village = town(3, "IT", "12", 700)
    assert choose_town([village], PlaceContext(), region_of=lambda t: None,
                       require_context=True) is None


def test_names_normalise_for_lookup():
    assert name_key("Slov’yansk") == name_key("Slovyansk")
    assert name_key("Kharkiv–Izium") == "kharkiv izium"
    assert slug("Alexey Arestovych") == "alexey-arestovych"


def test_curated_gazetteer_knows_sides_and_aliases():
    gaz = Gazetteer(places=object())
    assert gaz.lookup_curated("Kharkiv region").entity.type == "Region"
    assert gaz.lookup_curated("Rosgvardia").entity.label == "Rosgvardiya"
    assert gaz.demonym("Russians") == "RU" and gaz.demonym("Ukrainian") == "UA"
    ukraine = gaz.countries["UA"]
    assert gaz.side_forces("UA").side == ukraine.key
    assert gaz.lookup_country("Russian Federation") == "RU"


def test_reference_markers_are_split_and_end_the_sentence():
    from kg.pipeline import split_footnotes

    nlp = spacy.blank("en")
    split_footnotes(nlp)
    doc = mark_lines(nlp.make_doc("Russian forces shelled Izium.[52] The General Staff said so."))
    assert [t.text for t in doc][4:8] == [".", "[", "52", "]"]
    assert doc[8].text == "The" and doc[8].is_sent_start
