"""Turn a paged list endpoint into an iterator over every item, sync and async.

The list endpoints answer ``{data: [...], page, pageSize, total, totalPages}`` (1-based pages).
:func:`iterate_pages` asks for page 1, 2, ... and stops after the page numbered ``totalPages``,
on the first empty page, or when ``total_pages_of`` cannot tell (``None``) and a page comes back
empty. A server that never stops answering is cut off at ``max_pages`` with an
:class:`InvalidResponseError`, rather than looping forever or silently truncating.

Nothing here knows HTTP: the caller passes ``fetch_page(page_number)``, so the client's resource
methods (and their retries) stay the only request path.

Offset pages over a newest-first list shift when items arrive during the iteration: an item
already seen comes round again on the next page. With ``key_of`` (e.g. the item's id) such
repeats are dropped, so no item is yielded twice; one that arrives mid-way may still be missed,
as with any offset paging — the iteration is a walk over a moving list, not a snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from .._core.config import TimeoutArg
from .._core.exceptions import InvalidInputError, InvalidResponseError

__all__ = ["DEFAULT_MAX_PAGES", "aevery_row", "aiterate_pages", "every_row", "iterate_pages"]

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")


class Row(Protocol):
    """A list row: identified by its ``id``."""

    @property
    def id(self) -> str: ...


RowT = TypeVar("RowT", bound=Row)


class RowPage(Protocol[RowT]):
    """One page of a ``{data, page, pageSize, total, totalPages}`` list."""

    @property
    def data(self) -> list[RowT]: ...

    @property
    def total_pages(self) -> int: ...


DEFAULT_MAX_PAGES = 10_000


def _check_args(start_page: int, max_pages: int) -> None:
    if start_page < 1:
        raise InvalidInputError(f"start_page must be >= 1, got {start_page}")
    if max_pages < 1:
        raise InvalidInputError(f"max_pages must be >= 1, got {max_pages}")


def _total_pages(page: PageT, total_pages_of: Callable[[PageT], int | None] | None) -> int | None:
    """The page count the server reports, or None when absent or not a sane integer."""
    if total_pages_of is None:
        return None
    total = total_pages_of(page)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        return None
    return total


def _is_last(number: int, items: Sequence[object], total: int | None) -> bool:
    return not items or (total is not None and number >= total)


def _fresh(
    items: Sequence[ItemT], key_of: Callable[[ItemT], object] | None, seen: set[object]
) -> list[ItemT]:
    """The items not yielded before (all of them without ``key_of``)."""
    if key_of is None:
        return list(items)
    fresh = []
    for item in items:
        key = key_of(item)
        if key not in seen:
            seen.add(key)
            fresh.append(item)
    return fresh


def _too_many(max_pages: int) -> InvalidResponseError:
    return InvalidResponseError(
        f"The server kept returning pages after {max_pages} pages; stopping (raise max_pages "
        "if the list really is that long)"
    )


def iterate_pages(
    fetch_page: Callable[[int], PageT],
    items_of: Callable[[PageT], Sequence[ItemT]],
    total_pages_of: Callable[[PageT], int | None] | None = None,
    *,
    start_page: int = 1,
    max_pages: int = DEFAULT_MAX_PAGES,
    key_of: Callable[[ItemT], object] | None = None,
) -> Iterator[ItemT]:
    """Yield every item of every page, fetching pages lazily (one request per page).

    ``items_of(page)`` returns the page's items (e.g. ``lambda p: p.data``); ``total_pages_of``
    its page count (e.g. ``lambda p: p.total_pages``). Raises :class:`InvalidResponseError` after
    ``max_pages`` pages if the server has still not signalled the end; errors from
    ``fetch_page`` propagate unchanged. ``key_of`` drops items already yielded (see above).
    """
    _check_args(start_page, max_pages)
    seen: set[object] = set()
    for number in range(start_page, start_page + max_pages):
        page = fetch_page(number)
        items = items_of(page)
        yield from _fresh(items, key_of, seen)
        if _is_last(number, items, _total_pages(page, total_pages_of)):
            return
    raise _too_many(max_pages)


async def aiterate_pages(
    fetch_page: Callable[[int], Awaitable[PageT]],
    items_of: Callable[[PageT], Sequence[ItemT]],
    total_pages_of: Callable[[PageT], int | None] | None = None,
    *,
    start_page: int = 1,
    max_pages: int = DEFAULT_MAX_PAGES,
    key_of: Callable[[ItemT], object] | None = None,
) -> AsyncIterator[ItemT]:
    """Async twin of :func:`iterate_pages`: ``fetch_page`` is a coroutine function."""
    _check_args(start_page, max_pages)
    seen: set[object] = set()
    for number in range(start_page, start_page + max_pages):
        page = await fetch_page(number)
        items = items_of(page)
        for item in _fresh(items, key_of, seen):
            yield item
        if _is_last(number, items, _total_pages(page, total_pages_of)):
            return
    raise _too_many(max_pages)


def every_row(
    list_page: Callable[..., RowPage[RowT]],
    page_size: int | None,
    max_pages: int,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Iterator[RowT]:
    """``list_all`` of a namespace whose ``list(page=, page_size=)`` answers :class:`RowPage`."""
    return iterate_pages(
        lambda n: list_page(page=n, page_size=page_size, timeout=timeout, max_retries=max_retries),
        lambda p: p.data,
        lambda p: p.total_pages,
        max_pages=max_pages,
        key_of=lambda row: row.id,
    )


def aevery_row(
    list_page: Callable[..., Awaitable[RowPage[RowT]]],
    page_size: int | None,
    max_pages: int,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> AsyncIterator[RowT]:
    """Async twin of :func:`every_row` (``list_page`` is a coroutine function)."""
    return aiterate_pages(
        lambda n: list_page(page=n, page_size=page_size, timeout=timeout, max_retries=max_retries),
        lambda p: p.data,
        lambda p: p.total_pages,
        max_pages=max_pages,
        key_of=lambda row: row.id,
    )
