"""conflict-kg: knowledge graphs of armed-conflict reporting, with who-said-what kept.

The data flows one way through the stages, one module each:
text --ingest--> Article --nlp--> spaCy Doc --extract--> Extraction --rdf--> named graph.
"""

__version__ = "0.1.0"
