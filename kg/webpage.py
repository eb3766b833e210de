"""Web pages: a saved HTML page in, its main text and metadata out.

trafilatura finds the article in the page and drops the menus, sidebars, footers,
scripts and reader comments around it; it reads the title, date, site name and
URL from the page's own markup. Nothing is fetched: the page is read as saved.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from kg.errors import InputError

# Only the page's own publication markup: the extensive search would take the first
# date in the text, which in a war report is usually the date of an event.
DATE_SEARCH = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True)
class Page:
    """The article a web page holds. ``published`` is YYYY-MM-DD as the page gives it."""

    text: str
    title: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None


def extract_page(html: bytes, *, where: str) -> Page:
    """Extract the main text and metadata of a saved page.

    The text keeps one paragraph a block of the page, with a blank line between
    paragraphs, so a sub-heading never runs on into the sentence after it.

    Args:
        html: the page as saved; its charset is read from the page.
        where: the file name, for the error message.

    Returns:
        The page's article; ``site`` is the site name, else the host of its URL.

    Raises:
        InputError: when the page holds no article text.
    """
    # Precision over recall: a page without an article yields nothing, not its menu.
    found = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_precision=True,
        date_extraction_params=DATE_SEARCH,
    )
    blocks = [line.strip() for line in (found.text if found else "").splitlines()]
    text = "\n\n".join(block for block in blocks if block)
    if not text:
        raise InputError(f"{where}: no article text found in the page")
    return Page(text=text, title=found.title, published=found.date,
                site=found.sitename or found.hostname, url=found.url)
