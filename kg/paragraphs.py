"""Paragraphs and title lines: layout the statistical parser does not see.

Input: a tokenised ``Doc`` (before the parser). Output: a sentence start at every
line break, so headlines and captions never fuse with the next sentence, and after
reference markers ("...line of contact.[52] The General Staff ..."), and
``doc._.kg_title_tokens``: the indices of tokens on title-case lines (headlines and
sub-headings), which the NER reads poorly.
"""

from __future__ import annotations

from spacy.tokens import Doc

SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for",
               "from", "by", "with", "as", "is", "vs", "via", "into", "over"}


def is_title_line(words: list[str]) -> bool:
    """Tell whether a line reads as a title: most content words capitalised, no full stop."""
    content = [w for w in words if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    if len(content) < 2 or words[-1] in {".", "!"}:
        return False
    capitalised = sum(1 for w in content if w[:1].isupper())
    return capitalised / len(content) >= 0.75


def _lines(doc: Doc) -> list[list[int]]:
    lines: list[list[int]] = [[]]
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            lines.append([])
        else:
            lines[-1].append(tok.i)
    return [line for line in lines if line]


def mark_lines(doc: Doc) -> Doc:
    """Start a sentence at each new paragraph or title line; record the title-line tokens.

    A blank line always ends a sentence; a single line break ends one when the line
    before it is a title or ends in closing punctuation (hard-wrapped prose runs on).
    """
    titles: set[int] = set()
    previous: list[int] | None = None
    for line in _lines(doc):
        title = is_title_line([doc[i].text for i in line])
        if title:
            titles.update(line)
        if previous is not None:
            gap = doc[line[0] - 1].text if line[0] > 0 else ""
            ends = doc[previous[-1]].text[-1:] in {".", "!", "?", ":", ")", "\"", "\u201d"}
            if gap.count("\n") > 1 or title or ends or previous[0] in titles:
                doc[line[0]].is_sent_start = True
        previous = line
    _after_footnotes(doc)
    doc._.kg_title_tokens = titles
    return doc


def _after_footnotes(doc: Doc) -> None:
    """A sentence starts after a reference marker that follows a full stop: ".[52] The"."""
    for tok in doc[3:-1]:
        if tok.text == "]" and doc[tok.i - 1].like_num and doc[tok.i - 2].text == "[" \
                and doc[tok.i - 3].text in {".", "!", "?"} and doc[tok.i + 1].is_title:
            doc[tok.i + 1].is_sent_start = True
