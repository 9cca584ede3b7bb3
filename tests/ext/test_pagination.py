"""Tests for ``list_all`` (generated for every paged list; the walk is apertur_ext._core.pages):
stop rules, laziness, the max_pages guard, repeats dropped by id, async parity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import attrs
import pytest

from apertur_api.api.sessions import AsyncSessions, Sessions
from apertur_api.models.sessions_page import SessionsPage
from apertur_ext._core.exceptions import InvalidInputError, InvalidResponseError
from apertur_ext._core.pages import async_pages, pages


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@attrs.frozen
class Row:
    id: str


@attrs.frozen
class Page:
    data: list[Row]
    total_pages: Any


Fetch = Callable[[int], Page]


class Pager:
    pages = staticmethod(pages)


class AsyncPager:
    pages = staticmethod(async_pages)


class Lister(Sessions):
    """The generated ``list_all``, over a ``list`` that answers from ``fetch(page_number)``."""

    def __init__(self, fetch: Callable[[int], Any]) -> None:
        super().__init__(Pager())  # type: ignore[arg-type]
        self.fetch = fetch
        self.asked: list[dict[str, Any]] = []

    def list(self, *, page: int, **options: Any) -> Any:
        self.asked.append(options)
        return self.fetch(page)


class AsyncLister(AsyncSessions):
    def __init__(self, fetch: Callable[[int], Any]) -> None:
        super().__init__(AsyncPager())  # type: ignore[arg-type]
        self.fetch = fetch

    async def list(self, *, page: int, **options: Any) -> Any:
        return self.fetch(page)


def make_pages(pages: list[list[int]], total_pages: int | None | str) -> tuple[Fetch, list[int]]:
    """A fake fetch over fixed pages of rows ``"1"``, ``"2"``...; records every page asked for."""
    calls: list[int] = []

    def fetch(number: int) -> Page:
        calls.append(number)
        data = pages[number - 1] if number <= len(pages) else []
        return Page([Row(str(n)) for n in data], total_pages)

    return fetch, calls


def ids(rows: Iterator[Row]) -> list[int]:
    return [int(row.id) for row in rows]


def collect(fetch: Callable[[int], Any], **kw: Any) -> list[int]:
    return ids(Lister(fetch).list_all(**kw))


async def acollect(fetch: Callable[[int], Any], **kw: Any) -> list[int]:
    return [int(row.id) async for row in AsyncLister(fetch).list_all(**kw)]


def test_stops_at_total_pages_without_fetching_more() -> None:
    fetch, calls = make_pages([[1, 2], [3, 4], [5]], 3)
    assert collect(fetch) == [1, 2, 3, 4, 5]
    assert calls == [1, 2, 3]


def test_stops_on_empty_page_when_total_unknown() -> None:
    fetch, calls = make_pages([[1], [2]], None)
    assert collect(fetch) == [1, 2]
    assert calls == [1, 2, 3]


def test_empty_page_ends_even_if_total_says_more() -> None:
    fetch, calls = make_pages([[1], [], [3]], 3)
    assert collect(fetch) == [1]
    assert calls == [1, 2]


@pytest.mark.parametrize("bad", ["3", -1, True, 2.5])
def test_insane_total_pages_is_ignored(bad: Any) -> None:
    fetch, _ = make_pages([[1], [2]], bad)
    assert collect(fetch) == [1, 2]


def test_zero_total_pages_with_items_yields_them_once() -> None:
    fetch, calls = make_pages([[1]], 0)
    assert collect(fetch) == [1]
    assert calls == [1]


def test_options_reach_every_page_request() -> None:
    fetch, _ = make_pages([[1], [2, 3]], 2)
    lister = Lister(fetch)
    assert ids(lister.list_all(page_size=2, timeout=3.0, max_retries=1)) == [1, 2, 3]
    assert lister.asked == [{"page_size": 2, "timeout": 3.0, "max_retries": 1}] * 2


def test_never_ending_server_is_cut_off() -> None:
    def fetch(number: int) -> Page:
        return Page([Row(str(number))], None)

    with pytest.raises(InvalidResponseError, match="max_pages"):
        collect(fetch, max_pages=5)


def test_lazy_fetching() -> None:
    fetch, calls = make_pages([[1, 2], [3]], 2)
    it = Lister(fetch).list_all()
    assert calls == []
    assert next(it).id == "1"
    assert calls == [1]


def test_bad_arguments() -> None:
    fetch, _ = make_pages([[1]], 1)
    with pytest.raises(InvalidInputError):
        collect(fetch, max_pages=0)


def test_fetch_errors_propagate() -> None:
    def fetch(number: int) -> Page:
        raise InvalidResponseError("boom")

    with pytest.raises(InvalidResponseError, match="boom"):
        collect(fetch)


def test_with_generated_page_model() -> None:
    pages = [
        SessionsPage.from_dict(
            {"data": [{"id": f"s{n}"}], "total": 2, "page": n, "pageSize": 1, "totalPages": 2}
        )
        for n in (1, 2)
    ]
    got = Lister(lambda n: pages[n - 1]).list_all()
    assert [row.id for row in got] == ["s1", "s2"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("pages", "total_pages", "expected"),
    [([[1, 2], [3]], 2, [1, 2, 3]), ([[1], [2]], None, [1, 2]), ([[1], [], [3]], 3, [1])],
)
async def test_async_parity(
    pages: list[list[int]], total_pages: int | None, expected: list[int]
) -> None:
    fetch, calls = make_pages(pages, total_pages)
    fetch2, calls2 = make_pages(pages, total_pages)
    assert await acollect(fetch) == collect(fetch2) == expected
    assert calls == calls2


@pytest.mark.anyio
async def test_async_never_ending_and_laziness() -> None:
    asked: list[int] = []

    def fetch(number: int) -> Page:
        asked.append(number)
        return Page([Row(str(number))], None)

    it: AsyncIterator[Row] = AsyncLister(fetch).list_all(max_pages=3)
    assert asked == []
    assert (await it.__anext__()).id == "1"
    assert asked == [1]
    with pytest.raises(InvalidResponseError):
        async for _ in it:
            pass


def test_rows_that_come_round_again_are_dropped_by_id() -> None:
    # A newest-first list where a row arrives after page 1: page 2 repeats page 1's last row.
    pages = {1: [4, 3], 2: [3, 2], 3: [1]}
    assert collect(lambda n: Page([Row(str(i)) for i in pages[n]], 3)) == [4, 3, 2, 1]


@pytest.mark.anyio
async def test_async_drops_repeats() -> None:
    pages = {1: [4, 3], 2: [3, 2]}
    assert await acollect(lambda n: Page([Row(str(i)) for i in pages[n]], 2)) == [4, 3, 2]
