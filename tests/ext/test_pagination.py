"""Tests for apertur_ext._resources.pagination: stop rules, laziness, the max_pages guard, async parity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from apertur_api.models.sessions_page import SessionsPage
from apertur_ext._core.exceptions import InvalidInputError, InvalidResponseError
from apertur_ext._resources.pagination import aiterate_pages, iterate_pages


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_pages(
    pages: list[list[int]], total_pages: int | None | str
) -> tuple[Callable[[int], dict[str, Any]], list[int]]:
    """A fake fetch over fixed pages; records every page number asked for."""
    calls: list[int] = []

    def fetch(number: int) -> dict[str, Any]:
        calls.append(number)
        data = pages[number - 1] if number <= len(pages) else []
        return {"data": data, "totalPages": total_pages}

    return fetch, calls


def items(page: dict[str, Any]) -> list[int]:
    return page["data"]  # type: ignore[no-any-return]


def total(page: dict[str, Any]) -> Any:
    return page["totalPages"]


def collect(fetch: Callable[[int], dict[str, Any]], **kw: Any) -> list[int]:
    return list(iterate_pages(fetch, items, total, **kw))


async def acollect(fetch: Callable[[int], dict[str, Any]], **kw: Any) -> list[int]:
    async def afetch(number: int) -> dict[str, Any]:
        return fetch(number)

    return [item async for item in aiterate_pages(afetch, items, total, **kw)]


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


def test_no_total_pages_callable() -> None:
    fetch, _ = make_pages([[1], [2, 3]], 99)
    assert list(iterate_pages(fetch, items)) == [1, 2, 3]


def test_never_ending_server_is_cut_off() -> None:
    def fetch(number: int) -> dict[str, Any]:
        return {"data": [number], "totalPages": None}

    with pytest.raises(InvalidResponseError, match="max_pages"):
        collect(fetch, max_pages=5)


def test_lazy_fetching() -> None:
    fetch, calls = make_pages([[1, 2], [3]], 2)
    it: Iterator[int] = iterate_pages(fetch, items, total)
    assert calls == []
    assert next(it) == 1
    assert calls == [1]


def test_start_page() -> None:
    fetch, calls = make_pages([[1], [2], [3]], 3)
    assert collect(fetch, start_page=2) == [2, 3]
    assert calls == [2, 3]


@pytest.mark.parametrize("kw", [{"start_page": 0}, {"max_pages": 0}])
def test_bad_arguments(kw: dict[str, int]) -> None:
    fetch, _ = make_pages([[1]], 1)
    with pytest.raises(InvalidInputError):
        collect(fetch, **kw)


def test_fetch_errors_propagate() -> None:
    def fetch(number: int) -> dict[str, Any]:
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
    got = iterate_pages(lambda n: pages[n - 1], lambda p: p.data, lambda p: p.total_pages)
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
    async def fetch(number: int) -> dict[str, Any]:
        return {"data": [number], "totalPages": None}

    it: AsyncIterator[int] = aiterate_pages(fetch, items, total, max_pages=3)
    assert await it.__anext__() == 1
    with pytest.raises(InvalidResponseError):
        async for _ in it:
            pass


def test_key_of_drops_items_that_come_round_again() -> None:
    # A newest-first list where an item arrives after page 1: page 2 repeats page 1's last row.
    pages = {1: ["d", "c"], 2: ["c", "b"], 3: ["a"]}
    got = list(iterate_pages(lambda n: pages[n], lambda p: p, lambda _: 3, key_of=lambda x: x))
    assert got == ["d", "c", "b", "a"]
    without = list(iterate_pages(lambda n: pages[n], lambda p: p, lambda _: 3))
    assert without == ["d", "c", "c", "b", "a"]


@pytest.mark.anyio
async def test_async_key_of_drops_repeats() -> None:
    pages = {1: ["d", "c"], 2: ["c", "b"]}

    async def fetch(n: int) -> list[str]:
        return pages[n]

    got = [x async for x in aiterate_pages(fetch, lambda p: p, lambda _: 2, key_of=lambda x: x)]
    assert got == ["d", "c", "b"]
