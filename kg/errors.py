"""The project's error hierarchy.

Every error a user can cause is a ``KgError``: the CLI prints its message on one
line to stderr and exits with status 1. Anything else is a bug and keeps its
traceback.
"""


class KgError(Exception):
    """A problem the user can fix; the message says what and where."""


class InputError(KgError):
    """An input article or corpus cannot be read (missing, empty, binary, bad encoding)."""


class OptionError(KgError):
    """A command-line value is malformed, such as a date that is not YYYY-MM-DD."""


class ModelError(KgError):
    """The spaCy pipeline cannot be loaded."""


class GraphError(KgError):
    """An RDF file cannot be read or does not follow the ontology."""
