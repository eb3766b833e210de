"""Cluster extraction: batches of articles extracted by the workers of a Dask cluster.

Input: batches of ``Article`` values and the address of a running Dask scheduler.
Output: each batch's ``Extraction`` or ``Failure`` values, batch after batch in input
order. Each worker process loads the pipeline on its first batch and keeps it. Two
batches per worker thread are in flight at most, so memory does not grow with the
corpus on either side. Dask retries a batch whose worker dies on another worker
(``distributed.scheduler.allowed-failures`` times, 3 by default); a batch that has
killed more workers than that becomes a ``Failure`` per article and the run goes on.

``distributed`` is imported here only when a scheduler is asked for, so kg works
without it installed.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator

from spacy.language import Language

from kg.batch import Failure, extract_batch
from kg.errors import ModelError, OptionError
from kg.model import Article, Extraction
from kg.pipeline import load_pipeline

CONNECT_TIMEOUT = 10  # seconds to reach the scheduler
IN_FLIGHT_PER_THREAD = 2
_pipelines: dict[str, Language] = {}  # in a worker process: model name -> loaded pipeline
_pipelines_lock = threading.Lock()


def extract_on_cluster(batches: Iterable[list[Article]], *, model: str,
                       scheduler: str) -> Iterator[list[Extraction | Failure]]:
    """Yield each batch's results, in input order, extracted on the cluster at ``scheduler``.

    Args:
        batches: lists of articles; each list is one Dask task.
        model: the spaCy model each worker loads (a name, as ``kg.pipeline.model_name`` gives).
        scheduler: the scheduler's address, such as ``tcp://10.0.0.5:8786``.

    Raises:
        OptionError: when dask.distributed is not installed or no scheduler answers at ``scheduler``.
        ModelError: when a worker cannot load ``model``.
    """
    try:
        import distributed
    except ImportError:
        raise OptionError("--scheduler needs dask.distributed: pip install 'conflict-kg[cluster]'") from None
    with _connect(distributed, scheduler) as client:
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, client.submit(_extract_on_worker, model, batch, pure=False)))
            while len(pending) >= IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values())):
                yield _collect(distributed, *pending.popleft())
        while pending:
            yield _collect(distributed, *pending.popleft())


def _connect(distributed, address: str):
    try:
        distributed.comm.get_address_host_port(address)
    except ValueError as err:
        raise OptionError(f"--scheduler {address}: {err}; expected an address like tcp://HOST:8786") from None
    try:
        asyncio.run(_handshake(distributed, address))
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception:  # refused, timed out, or a server that does not speak Dask
        raise OptionError(f"no Dask scheduler answered at {address} within {CONNECT_TIMEOUT} s; "
                          "start one with `dask scheduler` or check the address") from None


async def _handshake(distributed, address: str) -> None:
    # Client() waits forever on a server that accepts the connection but never answers
    # (the dashboard's HTTP port, say), so the first handshake gets a deadline of its own.
    comm = await asyncio.wait_for(distributed.comm.connect(address, timeout=CONNECT_TIMEOUT), CONNECT_TIMEOUT)
    await comm.close()


def _collect(distributed, batch: list[Article], future) -> list[Extraction | Failure]:
    try:
        return future.result()
    except distributed.KilledWorker as err:
        why = (f"KilledWorker: Dask worker {err.last_worker.address} died extracting this batch, "
               f"after {err.allowed_failures} retries")
        return [Failure(article.origin, why) for article in batch]


def _extract_on_worker(model: str, articles: list[Article]) -> list[Extraction | Failure]:
    # spaCy memory zones must not overlap, so the threads of a worker take turns
    with _pipelines_lock:
        if model not in _pipelines:
            try:
                _pipelines[model] = load_pipeline(model)
            except ModelError as err:
                raise ModelError(f"on Dask worker host {socket.gethostname()}: {err}") from None
        return extract_batch(_pipelines[model], articles)
