"""``list_all``: every row of a paged list endpoint, fetched one page at a time, sync and async.

Pages 1, 2, ... of ``{data, page, pageSize, total, totalPages}`` are fetched through the
namespace's own ``list`` (so its retries apply) as the iteration reaches them. The walk ends
after page ``totalPages`` (when that is a sane number) or on the first empty page, and is cut
off at ``max_pages`` (:class:`InvalidResponseError`) rather than looping forever. Rows arriving
meanwhile shift the offset pages of a newest-first list: a row seen already comes round again
and is dropped by its ``id`` (one may still be missed: the walk is not a snapshot).
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

from .._core.config import TimeoutArg
from .._core.exceptions import InvalidInputError, InvalidResponseError

__all__ = ["DEFAULT_MAX_PAGES", "AsyncListAll", "ListAll"]

DEFAULT_MAX_PAGES = 10_000


class Row(Protocol):
    """A list row: identified by its ``id``."""

    @property
    def id(self) -> str: ...


RowT = TypeVar("RowT", bound=Row)
RowT_co = TypeVar("RowT_co", bound=Row, covariant=True)


class Page(Protocol[RowT_co]):
    """One page of a ``{data, page, pageSize, total, totalPages}`` list."""

    @property
    def data(self) -> Sequence[RowT_co]: ...

    @property
    def total_pages(self) -> int: ...


class _Walk(Generic[RowT]):
    """The pages to ask for, and what to make of each: no I/O, so both loops share it."""

    def __init__(self, max_pages: int) -> None:
        if max_pages < 1:
            raise InvalidInputError(f"max_pages must be >= 1, got {max_pages}")
        self.numbers = range(1, max_pages + 1)
        self.done = False
        self._seen: set[str] = set()

    def rows(self, number: int, page: Page[RowT]) -> list[RowT]:
        """The page's rows not yielded before; ``done`` once it is the last page."""
        total = page.total_pages
        sane = isinstance(total, int) and not isinstance(total, bool) and total >= 0
        self.done = not page.data or (sane and number >= total)
        fresh = []
        for row in page.data:
            if row.id not in self._seen:
                self._seen.add(row.id)
                fresh.append(row)
        return fresh

    def too_many(self) -> InvalidResponseError:
        return InvalidResponseError(
            f"The server kept returning pages after {len(self.numbers)} pages; stopping (raise "
            "max_pages if the list really is that long)"
        )


class _Lists(Protocol[RowT_co]):
    @property
    def list(self) -> Callable[..., Page[RowT_co]]: ...


class _AsyncLists(Protocol[RowT_co]):
    @property
    def list(self) -> Callable[..., Awaitable[Page[RowT_co]]]: ...


class ListAll(Generic[RowT]):
    """Mixed into a namespace whose ``list`` answers pages of rows."""

    def list_all(
        self: _Lists[RowT],
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Iterator[RowT]:
        """Every row of :meth:`list`, fetching one page (of ``page_size`` rows) at a time as
        the iterator advances; a row that comes round again on a later page is not repeated.

        ``timeout`` and ``max_retries`` apply to each page's request. After ``max_pages``
        pages without an end, :class:`InvalidResponseError` is raised.
        """
        walk = _Walk[RowT](max_pages)
        for number in walk.numbers:
            page = self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            )
            yield from walk.rows(number, page)
            if walk.done:
                return
        raise walk.too_many()


class AsyncListAll(Generic[RowT]):
    """Mixed into an async namespace whose ``list`` answers pages of rows."""

    async def list_all(
        self: _AsyncLists[RowT],
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[RowT]:
        """Every row of :meth:`list` (``async for``), fetching one page at a time; as
        ``list_all`` of the synchronous client."""
        walk = _Walk[RowT](max_pages)
        for number in walk.numbers:
            page = await self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            )
            for row in walk.rows(number, page):
                yield row
            if walk.done:
                return
        raise walk.too_many()
