"""Batch extraction: many articles through the pipeline, over several processes.

Input: ``Article`` values. Output: an ordered stream of ``Extraction`` values, or
``Failure`` values for articles that broke (the run goes on; the caller reports
them). Each worker process loads the pipeline once; each batch runs inside spaCy's
``memory_zone`` so memory does not grow with the corpus. The processes are local,
or the workers of a Dask cluster (``kg.cluster``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass

from tqdm import tqdm

from kg.extract import extract
from kg.model import Article, Extraction

BATCH_SIZE = 8
_worker_nlp = None


@dataclass(frozen=True)
class Failure:
    """An article that could not be processed, and why."""

    origin: str
    message: str


def extract_batch(nlp, articles: list[Article]) -> list[Extraction | Failure]:
    """Extract a batch of articles with ``nlp``, one result per article, in order.

    Args:
        nlp: the loaded pipeline (``kg.pipeline.load_pipeline``).
        articles: the batch.

    Returns:
        An ``Extraction`` per article, or a ``Failure`` for an article that raised.
    """
    with nlp.memory_zone():
        try:
            docs = list(nlp.pipe(a.text for a in articles))
            return [extract(doc, a) for doc, a in zip(docs, articles, strict=True)]
        except Exception:  # one article broke the batch: redo it one by one, keeping the rest
            pass
    out: list[Extraction | Failure] = []
    for article in articles:
        with nlp.memory_zone():
            try:
                out.append(extract(nlp(article.text), article))
            except Exception as err:  # isolate any fault to its article
                out.append(Failure(article.origin, f"{type(err).__name__}: {err}"))
    return out


def _init_worker(model: str | None) -> None:
    global _worker_nlp
    from kg.pipeline import load_pipeline

    _worker_nlp = load_pipeline(model)


def _work(articles: list[Article]) -> list[Extraction | Failure]:
    return extract_batch(_worker_nlp, articles)


def extract_many(articles: list[Article], *, model: str | None = None, workers: int = 1,
                 nlp=None, progress: bool = True, scheduler: str | None = None) -> Iterator[Extraction | Failure]:
    """Yield an ``Extraction`` or a ``Failure`` per article, in input order.

    Args:
        articles: the articles to process.
        model: the spaCy model name (see ``kg.pipeline.model_name``).
        workers: processes to use; 1 runs in this process. Ignored with ``scheduler``.
        nlp: a loaded pipeline to use when ``workers`` is 1. Ignored with ``scheduler``.
        progress: show a progress bar with articles per second on stderr.
        scheduler: the address of a Dask scheduler (``tcp://HOST:8786``) whose workers
            do the extraction instead of local processes (see ``kg.cluster``).

    Raises:
        OptionError: when ``scheduler`` is given but cannot be used.
        ModelError: when the pipeline cannot be loaded, here or on a Dask worker.
    """
    batches = [articles[i:i + BATCH_SIZE] for i in range(0, len(articles), BATCH_SIZE)]
    bar = tqdm(total=len(articles), unit="article", desc="extracting", leave=False,
               disable=not progress or len(articles) < 2)
    if scheduler:
        from kg.cluster import extract_on_cluster
        from kg.pipeline import model_name

        yield from _counted(extract_on_cluster(batches, model=model_name(model), scheduler=scheduler), bar)
        return
    if workers <= 1:
        if nlp is None:
            from kg.pipeline import load_pipeline

            nlp = load_pipeline(model)
        results = (extract_batch(nlp, batch) for batch in batches)
        yield from _counted(results, bar)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
        yield from _counted(pool.imap(_work, batches), bar)


def _counted(results, bar) -> Iterator[Extraction | Failure]:
    with bar:
        for batch in results:
            bar.update(len(batch))
            yield from batch
