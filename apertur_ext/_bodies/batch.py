"""Batch uploads without I/O: the sources a batch names, one outcome per source in order, the
progress reported, and when the batch stops."""

from __future__ import annotations

import glob
import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import TypeAlias

import attrs

from apertur_api.models import UploadResult

from .._core.config import is_int
from .._core.exceptions import (
    AperturError,
    AuthenticationError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from .sources import UploadInput

__all__ = ["MAX_CONCURRENCY", "Batch", "BatchProgress", "BatchSources", "UploadOutcome"]

MAX_CONCURRENCY = 32
"""The most uploads a batch runs at once (the client's pool holds up to 100 connections)."""

BatchSources: TypeAlias = str | os.PathLike[str] | Iterable[UploadInput]
"""A list of sources, or one directory or glob pattern."""

_SESSION_ERRORS = (AuthenticationError, PermissionDeniedError, NotFoundError, GoneError)
"""About the key or the session, not the image: every other image would fail alike."""
_GLOB = re.compile(r"[*?[]")


@attrs.frozen
class UploadOutcome:
    """What became of one source of a batch: ``result`` when it was stored, else ``error`` (an
    :class:`UploadMayHaveBeenStoredError` when it may have been stored all the same); neither
    when the batch stopped before trying it."""

    source: object
    result: UploadResult | None = None
    error: AperturError | None = None

    @property
    def ok(self) -> bool:
        """The image was stored."""
        return self.result is not None


@attrs.frozen
class BatchProgress:
    """Where a batch stands: ``done`` of ``total`` images finished (stored or failed) and
    ``bytes_sent`` of their content so far; ``finished`` is the image that just finished, if
    one did (else bytes went out)."""

    done: int
    total: int
    bytes_sent: int
    finished: UploadOutcome | None = None


def _expand(sources: BatchSources) -> list[object]:
    """A directory stands for the regular, non-hidden files directly inside it and a glob
    pattern (``*``, ``?``, ``[``; ``**`` recursive) for the files it matches, both by name;
    anything else is one source."""
    if isinstance(sources, str | os.PathLike | bytes | bytearray | memoryview) or hasattr(
        sources, "read"
    ):
        sources = [sources]  # type: ignore[list-item]
    elif not isinstance(sources, Iterable):
        raise InvalidInputError("sources must be a list of paths, bytes or file objects")
    items: list[object] = []
    for source in sources:
        path = os.fspath(source) if isinstance(source, str | os.PathLike) else None
        if isinstance(path, str) and os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if not n.startswith("."))
            items += [f for n in names if os.path.isfile(f := os.path.join(path, n))]
        elif isinstance(path, str) and not os.path.exists(path) and _GLOB.search(path):
            found = sorted(f for f in glob.glob(path, recursive=True) if os.path.isfile(f))
            if not found:
                raise InvalidInputError(f"no file matches {path!r}")
            items += found
        else:
            items.append(source)  # a file; if missing, its upload fails with the reason
    return items


class Batch:
    """One batch's sources and outcomes; thread-safe. ``on_progress`` is called under its lock
    (one call at a time, from the thread or task that sent the bytes)."""

    def __init__(
        self,
        sources: BatchSources,
        concurrency: int,
        on_progress: Callable[[BatchProgress], object] | None,
        stop_on_error: bool,
    ) -> None:
        if not (is_int(concurrency) and 1 <= concurrency <= MAX_CONCURRENCY):
            raise InvalidInputError(f"concurrency must be 1 to {MAX_CONCURRENCY}")
        self.items = _expand(sources)
        self.workers = max(1, min(concurrency, len(self.items)))
        self.outcomes: list[UploadOutcome | None] = [None] * len(self.items)
        self.sent = [0] * len(self.items)
        self.done = self.bytes_sent = 0
        self.stopped = False  # no new upload starts
        self.on_progress, self.stop_on_error = on_progress, stop_on_error
        self.lock = threading.Lock()

    def _notify(self, finished: UploadOutcome | None = None) -> None:
        if self.on_progress is not None:
            self.on_progress(BatchProgress(self.done, len(self.items), self.bytes_sent, finished))

    def progress(self, index: int) -> Callable[[int], None]:
        """The ``on_progress`` for the upload of item ``index`` (bytes sent so far)."""

        def report(sent: int) -> None:
            with self.lock:
                self.bytes_sent += sent - self.sent[index]
                self.sent[index] = sent
                self._notify()

        return report

    def finish(
        self, index: int, result: UploadResult | None, error: AperturError | OSError | None
    ) -> None:
        """Record item ``index``'s outcome; an error may stop the batch."""
        if isinstance(error, OSError):
            error = InvalidInputError(f"cannot read {self.items[index]!r}: {error}")
        with self.lock:
            outcome = UploadOutcome(self.items[index], result, error)
            self.outcomes[index] = outcome
            self.done += 1
            if error is not None and (self.stop_on_error or isinstance(error, _SESSION_ERRORS)):
                self.stopped = True
            self._notify(outcome)

    def results(self) -> list[UploadOutcome]:
        """One outcome per source, in order (untried sources have neither result nor error)."""
        return [o or UploadOutcome(s) for o, s in zip(self.outcomes, self.items, strict=True)]
