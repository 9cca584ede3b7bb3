"""Paging: every row of a paged list, fetched one page at a time, for the generated ``list_all``.

Pages 1, 2, ... of ``{data, page, pageSize, total, totalPages}`` are fetched through the
namespace's own ``list`` (so its retries apply) as the iteration reaches them. The walk ends
after page ``totalPages`` (when that is a sane number) or on the first empty page, and is cut
off at ``max_pages`` (:class:`InvalidResponseError`) rather than looping forever. Rows arriving
meanwhile shift the offset pages of a newest-first list: a row seen already comes round again
and is dropped by its ``id`` (one may still be missed: the walk is not a snapshot).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic

from apertur_api.types import Page, RowT

from .exceptions import InvalidInputError, InvalidResponseError

__all__ = ["async_pages", "pages"]


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


def pages(fetch: Callable[[int], Page[RowT]], max_pages: int) -> Iterator[RowT]:
    """Every row of the pages ``fetch(1)``, ``fetch(2)``, ..., as the iteration reaches them."""
    walk = _Walk[RowT](max_pages)
    for number in walk.numbers:
        yield from walk.rows(number, fetch(number))
        if walk.done:
            return
    raise walk.too_many()


async def async_pages(
    fetch: Callable[[int], Awaitable[Page[RowT]]], max_pages: int
) -> AsyncIterator[RowT]:
    """Every row of the pages ``await fetch(1)``, ``await fetch(2)``, ... (``async for``)."""
    walk = _Walk[RowT](max_pages)
    for number in walk.numbers:
        for row in walk.rows(number, await fetch(number)):
            yield row
        if walk.done:
            return
    raise walk.too_many()
