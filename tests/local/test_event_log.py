"""Tests for apertur_local._event_log: ids, per-session reads, cursors, retention, waiting."""

from __future__ import annotations

import asyncio

import pytest

from apertur_local._config import Clock
from apertur_local._event_log import EventLog

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_log(*, retention: float = 300.0, max_events: int = 1000) -> tuple[EventLog, Clock]:
    clock = Clock()
    return EventLog(clock.now, retention=retention, max_events=max_events), clock


def test_ids_are_epoch_and_a_growing_sequence() -> None:
    log, _ = make_log()
    first = log.append("s1", "image:ready", {"imageId": "a"})
    second = log.append("s2", "image:ready", {"imageId": "b"})
    assert first.id == f"{log.epoch}-1"
    assert second.id == f"{log.epoch}-2"
    assert (first.seq, second.seq, log.head) == (1, 2, 2)
    assert len(log.epoch) == 8
    assert EventLog(Clock().now).epoch != log.epoch


def test_after_reads_one_session_in_order_and_in_batches() -> None:
    log, _ = make_log()
    for number in range(5):
        log.append("s1", "image:ready", {"n": number})
        log.append("s2", "image:ready", {"n": number})
    events = log.after("s1", 0, 100)
    assert [e.data["n"] for e in events] == [0, 1, 2, 3, 4]
    assert {e.session_id for e in events} == {"s1"}
    first_two = log.after("s1", 0, 2)
    assert [e.data["n"] for e in first_two] == [0, 1]
    rest = log.after("s1", first_two[-1].seq, 100)
    assert [e.data["n"] for e in rest] == [2, 3, 4]
    assert log.after("s1", log.head, 100) == []
    assert log.after("unknown", 0, 100) == []
    assert [e.seq for e in log.all_after(8, 100)] == [9, 10]


def test_cursor_after_last_event_id() -> None:
    log, _ = make_log()
    for _ in range(3):
        log.append("s1", "image:ready", {})
    assert log.cursor_after(None) == 3  # a new stream starts at the head
    assert log.cursor_after(f"{log.epoch}-2") == 2
    assert log.cursor_after(f" {log.epoch}-2 ") == 2
    # ids this log did not hand out: replay everything retained
    assert log.cursor_after(f"{log.epoch}-99") == 0
    assert log.cursor_after("0badcafe-2") == 0
    assert log.cursor_after("garbage") == 0
    assert log.cursor_after(f"{log.epoch}--1") == 0
    assert log.cursor_after(f"{log.epoch}-" + "9" * 40) == 0
    assert log.cursor_after("") == 0


def test_events_expire_after_the_retention() -> None:
    log, clock = make_log(retention=300.0)
    old = log.append("s1", "image:ready", {"n": 1})
    clock.advance(200)
    log.append("s1", "image:ready", {"n": 2})
    clock.advance(101)  # the first is 301 s old, the second 101 s
    assert [e.data["n"] for e in log.after("s1", 0, 100)] == [2]
    # resuming from the expired id replays what followed it
    assert [e.data["n"] for e in log.after("s1", log.cursor_after(old.id), 100)] == [2]
    clock.advance(300)
    assert log.after("s1", 0, 100) == []
    assert len(log) == 0


def test_the_log_keeps_at_most_max_events() -> None:
    log, _ = make_log(max_events=3)
    for number in range(10):
        log.append(f"s{number % 2}", "image:ready", {"n": number})
    assert len(log) == 3
    assert [e.data["n"] for e in log.all_after(0, 100)] == [7, 8, 9]
    assert [e.data["n"] for e in log.after("s0", 0, 100)] == [8]


def test_reset_forgets_events_but_never_reuses_ids() -> None:
    log, _ = make_log()
    log.append("s1", "image:ready", {})
    generation = log.generation
    log.reset()
    assert len(log) == 0
    assert log.generation == generation + 1
    assert log.append("s1", "image:ready", {}).seq == 2


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="positive retention"):
        EventLog(Clock().now, retention=0)
    with pytest.raises(ValueError, match="positive retention"):
        EventLog(Clock().now, max_events=0)


async def test_wait_wakes_on_an_event_of_the_session() -> None:
    log, _ = make_log()
    waiter = asyncio.ensure_future(log.wait("s1", log.head, 30))
    await asyncio.sleep(0)
    assert not waiter.done()
    log.append("s1", "image:ready", {})
    assert await waiter is True


async def test_wait_ignores_other_sessions_and_times_out() -> None:
    log, _ = make_log()
    waiter = asyncio.ensure_future(log.wait("s1", log.head, 0.05))
    await asyncio.sleep(0)
    log.append("s2", "image:ready", {})
    assert await waiter is False


async def test_wait_returns_at_once_when_events_are_already_there() -> None:
    log, _ = make_log()
    log.append("s1", "image:ready", {})
    assert await log.wait("s1", 0, 30) is True
    assert await log.wait(None, 0, 30) is True


async def test_any_session_waiter_wakes_on_every_append() -> None:
    log, _ = make_log()
    waiter = asyncio.ensure_future(log.wait(None, log.head, 30))
    await asyncio.sleep(0)
    log.append("s9", "session:completed", {})
    assert await waiter is True


async def test_reset_and_close_release_waiters() -> None:
    log, _ = make_log()
    waiter = asyncio.ensure_future(log.wait("s1", log.head, 30))
    await asyncio.sleep(0)
    log.reset()
    assert await waiter is True
    waiter = asyncio.ensure_future(log.wait(None, log.head, None))
    await asyncio.sleep(0)
    log.close()
    assert await waiter is True
    assert await log.wait("s1", log.head, None) is True  # closed: never blocks again


@pytest.mark.parametrize("turns", range(4))
async def test_a_cancelled_wait_stays_cancelled_when_an_event_arrives_with_it(turns: int) -> None:
    """A stream's writer is cancelled when its client leaves: an event appended in the same turn
    must not turn the cancellation into a normal return (the writer would then outlive it)."""
    log, _ = make_log()
    waiter = asyncio.ensure_future(log.wait("s1", log.head, 30))
    for _ in range(turns):
        await asyncio.sleep(0)
    log.append("s1", "image:ready", {})
    pending = waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        return
    assert not pending  # it had returned before the cancel: nothing was lost
