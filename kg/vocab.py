"""The one place Python reaches ontology terms.

``CK`` is a closed namespace: a misspelt term raises ``AttributeError`` instead of
minting a new IRI. ``tests/test_vocab.py`` checks it against ``ontology/conflict.ttl``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/conflict-kg/ontology"
ID_BASE = "https://w3id.org/conflict-kg/id/"

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem#")
GEONAMES = "https://sws.geonames.org/"
WIKIDATA = "http://www.wikidata.org/entity/"


class CK(DefinedNamespace):
    """Terms of the conflict ontology (``ontology/conflict.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Actor: URIRef
    Place: URIRef
    Person: URIRef
    ArmedGroup: URIRef
    Organization: URIRef
    Country: URIRef
    Region: URIRef
    Settlement: URIRef
    Event: URIRef
    Attack: URIRef
    Combat: URIRef
    Retreat: URIRef
    Advance: URIRef
    TakeControl: URIRef
    Defend: URIRef
    Encirclement: URIRef
    Redeployment: URIRef
    Claim: URIRef
    Assessment: URIRef
    Mention: URIRef
    Modality: URIRef
    RelativePlace: URIRef
    # modality individuals
    Possible: URIRef
    Negated: URIRef
    Planned: URIRef
    # object properties
    agent: URIRef
    target: URIRef
    location: URIRef
    origin: URIRef
    destination: URIRef
    claimant: URIRef
    channel: URIRef
    asserts: URIRef
    evidence: URIRef
    contradicts: URIRef
    modality: URIRef
    side: URIRef
    partOf: URIRef
    relativeLocation: URIRef
    relativeTo: URIRef
    reportedBy: URIRef
    # datatype properties
    date: URIRef
    endDate: URIRef
    timeText: URIRef
    role: URIRef
    trigger: URIRef
    direction: URIRef
    distanceKm: URIRef
    sourceCount: URIRef
