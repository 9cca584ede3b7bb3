"""Tests for apertur_ext._polling.waiting: the long-poll cursor, hold timeouts, deadline, pacing,
transient errors, the conditions, async parity. A fake clock: no test waits on real time."""

from __future__ import annotations

import pickle
import time
from typing import Any

import pytest

from apertur_api.models.delivery_status import DeliveryStatus
from apertur_ext._core.exceptions import (
    APIConnectionError,
    APITimeoutError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
)
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._polling.waiting import (
    DeliveryTimeoutError,
    all_sent,
    async_wait_for_delivery,
    at_least,
    settled,
    wait_for_delivery,
)

NO_JITTER = RetryPolicy(max_retries=3, initial_delay=1.0, max_delay=8.0, jitter=0.0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def status(cursor: str, *files: list[str], session: str = "active") -> DeliveryStatus:
    """A snapshot: one list of destination states per file."""
    return DeliveryStatus.from_dict(
        {
            "status": session,
            "lastChanged": cursor,
            "files": [
                {
                    "record_id": f"img_{n}",
                    "destinations": [
                        {"destination_id": f"d{k}", "status": s} for k, s in enumerate(states)
                    ],
                }
                for n, states in enumerate(files)
            ],
        }
    )


class FakeServer:
    """Answers scripted snapshots; each answer may take `hold` fake seconds."""

    def __init__(self, script: list[tuple[float, DeliveryStatus | Exception]]) -> None:
        self.script = script
        self.now = 0.0
        self.cursors: list[str | None] = []
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def fetch(self, poll_from: str | None) -> DeliveryStatus:
        self.cursors.append(poll_from)
        hold, answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        self.now += hold
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def afetch(self, poll_from: str | None) -> DeliveryStatus:
        return self.fetch(poll_from)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def wait(server: FakeServer, condition: Any = settled, **kw: Any) -> DeliveryStatus:
    kw.setdefault("retry", NO_JITTER)
    return wait_for_delivery(server.fetch, condition, clock=server.clock, sleep=server.sleep, **kw)


async def await_(server: FakeServer, condition: Any = settled, **kw: Any) -> DeliveryStatus:
    kw.setdefault("retry", NO_JITTER)
    return await async_wait_for_delivery(
        server.afetch, condition, clock=server.clock, sleep=server.asleep, **kw
    )


SCRIPT_OK = [
    (0.0, status("t1", ["pending"])),
    (40.0, status("t2", ["sending"])),
    (300.0, status("t2", ["sending"])),  # the server's hold ended without a change
    (5.0, status("t3", ["sent"])),
]


def test_follows_the_cursor_until_settled() -> None:
    server = FakeServer(list(SCRIPT_OK))
    result = wait(server)
    assert result.last_changed == "t3"
    assert server.cursors == [None, "t1", "t2", "t2"]
    assert server.sleeps == []  # long-poll answers are never paced


@pytest.mark.anyio
async def test_async_parity() -> None:
    server, aserver = FakeServer(list(SCRIPT_OK)), FakeServer(list(SCRIPT_OK))
    assert wait(server).to_dict() == (await await_(aserver)).to_dict()
    assert server.cursors == aserver.cursors
    assert server.sleeps == aserver.sleeps


def test_deadline_raises_with_last_status() -> None:
    server = FakeServer([(0.0, status("t1", ["pending"])), (300.0, status("t1", ["retrying"]))])
    with pytest.raises(DeliveryTimeoutError) as exc:
        wait(server, timeout=600)
    assert isinstance(exc.value, APITimeoutError)
    assert exc.value.last_status is not None
    assert exc.value.last_status.files[0].destinations[0].status == "retrying"
    assert "1 of 1 destination deliveries not final" in str(exc.value)
    assert server.cursors == [None, "t1", "t1"]
    clone = pickle.loads(pickle.dumps(exc.value))
    assert clone.last_status.to_dict() == exc.value.last_status.to_dict()


@pytest.mark.anyio
async def test_async_deadline() -> None:
    server = FakeServer([(0.0, status("t1")), (300.0, status("t1"))])
    with pytest.raises(DeliveryTimeoutError, match="0 file"):
        await await_(server, timeout=500)


def test_quick_unchanged_answers_are_paced() -> None:
    server = FakeServer([(0.0, status("t1", ["pending"])), (0.25, status("t1", ["pending"]))])
    with pytest.raises(DeliveryTimeoutError):
        wait(server, timeout=5, min_interval=1.0)
    assert server.sleeps[0] == 0.75
    assert len(server.cursors) == 7  # the snapshot, then one call a second: not a hot loop


def test_transient_errors_are_retried() -> None:
    server = FakeServer(
        [
            (0.0, status("t1", ["pending"])),
            (0.0, APIConnectionError("reset")),
            (0.0, RateLimitError("slow", retry_after=4)),
            (1.0, status("t2", ["failed", "sent"])),
        ]
    )
    assert wait(server).last_changed == "t2"
    assert server.sleeps == [1.0, 4.0]
    assert server.cursors == [None, "t1", "t1", "t1"]


def test_non_transient_error_raises() -> None:
    server = FakeServer([(0.0, NotFoundError("no such session", status_code=404))])
    with pytest.raises(NotFoundError):
        wait(server)


def test_retry_that_would_pass_the_deadline_times_out_with_cause() -> None:
    server = FakeServer([(0.0, status("t1", ["pending"])), (9.5, APIConnectionError("down"))])
    with pytest.raises(DeliveryTimeoutError) as exc:
        wait(server, timeout=10)
    assert isinstance(exc.value.__cause__, APIConnectionError)


def test_conditions() -> None:
    empty = status("t")
    assert not settled(empty)
    assert not all_sent(empty)
    assert settled(status("t", ["sent", "failed"], []))
    assert not settled(status("t", ["sent", "retrying"]))
    assert not settled(status("t", ["sending"]))
    assert all_sent(status("t", ["sent"], ["sent"]))
    assert not all_sent(status("t", ["sent"], ["failed"]))
    assert not settled(status("t", ["delivered"]))  # unknown states are not final
    two = at_least(2)
    assert not two(status("t", ["sent"]))
    assert two(status("t", ["sent"], ["failed"]))
    assert at_least(1, all_sent)(status("t", ["sent"]))
    assert two.__name__ == "at_least(2)"
    with pytest.raises(InvalidInputError, match=r"^n_files must be >= 1$"):
        at_least(0)


def test_custom_condition_sees_every_snapshot() -> None:
    seen: list[str] = []

    def condition(s: DeliveryStatus) -> bool:
        seen.append(s.last_changed)
        return s.status == "completed"

    server = FakeServer([(0.0, status("t1")), (2.0, status("t2", session="completed"))])
    wait(server, condition)
    assert seen == ["t1", "t2"]


@pytest.mark.parametrize("kw", [{"timeout": 0}, {"timeout": -1}, {"min_interval": -1}])
def test_bad_arguments(kw: dict[str, float]) -> None:
    with pytest.raises(
        InvalidInputError, match=r"^timeout must be > 0 and min_interval >= 0 seconds$"
    ):
        wait(FakeServer([(0.0, status("t"))]), **kw)


@pytest.mark.parametrize("kw", [{"timeout": 0.5}, {"min_interval": 0}, {"min_interval": 0.5}])
def test_small_arguments_are_valid(kw: dict[str, float]) -> None:
    assert wait(FakeServer([(0.0, status("t", ["sent"]))]), **kw).last_changed == "t"


@pytest.mark.anyio
async def test_async_transient_error_and_pacing() -> None:
    server = FakeServer(
        [
            (0.0, status("t1", ["pending"])),
            (0.0, APIConnectionError("reset")),
            (0.5, status("t1", ["pending"])),
            (0.0, status("t2", ["sent"])),
        ]
    )
    assert (await await_(server)).last_changed == "t2"
    assert server.sleeps == [1.0, 0.5]


def test_timeout_before_any_status() -> None:
    server = FakeServer([(0.0, APIConnectionError("down"))])
    with pytest.raises(DeliveryTimeoutError) as exc:
        wait(server, timeout=2.5)
    assert (
        str(exc.value) == "Delivery condition not met within 2.5s: no delivery status was received"
    )
    assert exc.value.last_status is None
    assert server.sleeps == [1.0]  # the first retry waits the first backoff step; the next
    # (2 s more) would end at or past the deadline, so it is not waited for
    clone = pickle.loads(pickle.dumps(exc.value))  # picklable without a status too
    assert (str(clone), clone.last_status) == (str(exc.value), None)


def test_consecutive_errors_back_off_exponentially_then_raise() -> None:
    """Each error in a row waits the next backoff step; once the retries are spent, the error
    itself is raised (here well before the deadline)."""
    server = FakeServer([(0.0, APIConnectionError("down"))])
    with pytest.raises(APIConnectionError):
        wait(server, timeout=100)
    assert server.sleeps == [1.0, 2.0, 4.0]  # NO_JITTER: 3 retries
    assert len(server.cursors) == 4


def test_a_retry_ending_exactly_at_the_deadline_is_not_waited_for() -> None:
    server = FakeServer([(0.0, APIConnectionError("down"))])
    with pytest.raises(DeliveryTimeoutError):
        wait(server, timeout=3)  # after 1 s, a 2 s backoff would end exactly at 3 s
    assert server.sleeps == [1.0]
    assert len(server.cursors) == 2


def test_a_retry_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    error = APIConnectionError("reset")
    server = FakeServer([(0.0, error), (0.0, status("t1", ["sent"]))])
    with caplog.at_level("WARNING", logger="apertur"):
        wait(server)
    assert [r.getMessage() for r in caplog.records] == [
        f"wait_for_delivery: {error!r}; retry 1 in 1.00s"
    ]


def test_pacing_is_cut_short_by_the_deadline() -> None:
    """Quick unchanged answers are paced ``min_interval`` apart, but a pause never runs past
    the deadline."""
    server = FakeServer([(0.0, status("t1", ["pending"])), (0.5, status("t1", ["pending"]))])
    with pytest.raises(DeliveryTimeoutError):
        wait(server, timeout=5, min_interval=3)
    assert server.sleeps == [2.5, 1.5]  # 3 s after the call started; then only to 5 s


def test_defaults_wait_ten_minutes_and_pace_one_second() -> None:
    """No ``timeout`` or ``min_interval`` given: the wait gives up after 600 s, and quick
    unchanged answers are paced one second apart."""
    server = FakeServer([(0.0, status("t1", ["pending"])), (300.0, status("t1", ["pending"]))])
    with pytest.raises(DeliveryTimeoutError, match=r"within 600s:"):
        wait_for_delivery(server.fetch, clock=server.clock, sleep=server.sleep)
    assert server.cursors == [None, "t1", "t1"]  # at 0, 0 and 300 s; at 600 s it gives up
    unchanged = (0.25, status("t1", ["pending"]))
    quick = FakeServer([(0.0, status("t1", ["pending"])), unchanged, unchanged])
    quick.script.append((0.25, status("t2", ["sent"])))
    wait_for_delivery(quick.fetch, clock=quick.clock, sleep=quick.sleep)
    assert quick.sleeps == [0.75, 0.75]


@pytest.mark.anyio
async def test_async_defaults_wait_ten_minutes() -> None:
    server = FakeServer([(0.0, status("t1", ["pending"])), (300.0, status("t1", ["pending"]))])
    with pytest.raises(DeliveryTimeoutError, match=r"within 600s:"):
        await async_wait_for_delivery(server.afetch, clock=server.clock, sleep=server.asleep)
    assert server.cursors == [None, "t1", "t1"]


def test_real_clock_and_sleep_pace_quick_answers() -> None:
    """The real defaults (clock, sleep, min_interval): a cursor call answered at once with no
    change is repeated only after a second. Bounded from below only: a sleep never ends early."""
    calls: list[float] = []
    answers = [status("t1", ["pending"]), status("t1", ["pending"]), status("t2", ["sent"])]

    def fetch(poll_from: str | None) -> DeliveryStatus:
        calls.append(time.monotonic())
        return answers[len(calls) - 1]

    assert wait_for_delivery(fetch).last_changed == "t2"
    assert len(calls) == 3
    assert calls[2] - calls[1] >= 1.0 - 0.01  # paced; the first cursor call was not
