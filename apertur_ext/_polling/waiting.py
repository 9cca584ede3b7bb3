"""Wait until a session's deliveries reach a condition, following the long-poll cursor.

The first call asks for the delivery status without a cursor (a snapshot at once); each later
call passes the previous ``lastChanged`` as ``poll_from``, so the server holds it (up to about
five minutes) until something changes, else answers the same snapshot; then we ask again. The
deadline is checked between calls, so one hold may overrun it. Transient errors are retried as
in ``poll_and_process``; a cursor call answered at once without a change is repeated no faster
than every ``min_interval`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from apertur_api.models.delivery_state import DeliveryState
from apertur_api.models.delivery_status import DeliveryStatus

from .._core.config import is_number
from .._core.exceptions import APITimeoutError, InvalidInputError
from .._core.retry import RetryPolicy
from .state import DEFAULT_POLL_RETRY, retry_delay

__all__ = [
    "Condition",
    "DeliveryTimeoutError",
    "all_sent",
    "async_wait_for_delivery",
    "at_least",
    "settled",
    "wait_for_delivery",
]

logger = logging.getLogger("apertur")
Condition = Callable[[DeliveryStatus], bool]
FINAL_STATES = frozenset({DeliveryState.SENT, DeliveryState.FAILED})


class DeliveryTimeoutError(APITimeoutError):
    """The condition did not hold before the deadline; ``last_status`` is the latest snapshot
    (``None`` if no call succeeded)."""

    last_status: DeliveryStatus | None

    def __init__(self, message: str, *, last_status: DeliveryStatus | None = None) -> None:
        super().__init__(message)
        self.last_status = last_status

    def __reduce__(self) -> tuple[Any, ...]:
        # Generated models do not survive pickling intact (UNSET loses its identity): use JSON.
        wire = None if self.last_status is None else self.last_status.to_dict()
        return (_restore_timeout, (self.message, wire))


def _restore_timeout(message: str, wire: dict[str, Any] | None) -> DeliveryTimeoutError:
    status = None if wire is None else DeliveryStatus.from_dict(wire)
    return DeliveryTimeoutError(message, last_status=status)


def settled(status: DeliveryStatus) -> bool:
    """At least one file, and every destination of every file is final (``sent`` or ``failed``)."""
    return bool(status.files) and all(
        d.status in FINAL_STATES for f in status.files for d in f.destinations
    )


def all_sent(status: DeliveryStatus) -> bool:
    """At least one file, and every destination of every file is ``sent``."""
    return bool(status.files) and all(
        d.status == DeliveryState.SENT for f in status.files for d in f.destinations
    )


def at_least(n_files: int, then: Condition = settled) -> Condition:
    """A condition: the session lists at least ``n_files`` files and ``then`` holds."""
    if n_files < 1:
        raise InvalidInputError("n_files must be >= 1")

    def condition(status: DeliveryStatus) -> bool:
        return len(status.files) >= n_files and then(status)

    condition.__name__ = f"at_least({n_files})"
    return condition


class _Waiter:
    """The I/O-free part of a wait: deadline, cursor, pacing and retry decisions."""

    def __init__(
        self,
        timeout: float,
        min_interval: float,
        clock: Callable[[], float],
        retry: RetryPolicy,
        condition: Condition,
    ) -> None:
        if not callable(condition):
            raise InvalidInputError("condition must be callable: condition(status) -> bool")
        if not (is_number(timeout) and is_number(min_interval)):
            raise InvalidInputError("timeout and min_interval must be numbers of seconds")
        if not timeout > 0 or not min_interval >= 0:
            raise InvalidInputError("timeout must be > 0 and min_interval >= 0 seconds")
        self.clock, self.retry, self.min_interval = clock, retry, min_interval
        self.timeout, self.deadline = timeout, clock() + timeout
        self.cursor: str | None = None
        self.last: DeliveryStatus | None = None
        self.attempt = 0
        self.started = 0.0

    def expired(self, cause: BaseException | None = None) -> DeliveryTimeoutError:
        if (last := self.last) is None:
            state = "no delivery status was received"
        else:
            deliveries = [d for f in last.files for d in f.destinations]
            pending = sum(d.status not in FINAL_STATES for d in deliveries)
            state = (
                f"session {last.status}, {len(last.files)} file(s), "
                f"{pending} of {len(deliveries)} destination deliveries not final"
            )
        message = f"Delivery condition not met within {self.timeout:g}s: {state}"
        err = DeliveryTimeoutError(message, last_status=last)
        err.__cause__ = cause
        return err

    def after_error(self, exc: Exception) -> float:
        """Seconds to wait before calling again; raises when the error is final."""
        delay = retry_delay(self.retry, self.attempt, exc)
        if delay is None:
            raise exc
        self.attempt += 1
        if self.clock() + delay >= self.deadline:
            raise self.expired(exc)
        logger.warning("wait_for_delivery: %r; retry %d in %.2fs", exc, self.attempt, delay)
        return delay

    def after_status(self, status: DeliveryStatus, condition: Condition) -> float | None:
        """None when ``status`` satisfies ``condition``, else seconds to wait before asking
        again; raises :class:`DeliveryTimeoutError` past the deadline."""
        self.attempt, self.last = 0, status
        if condition(status):
            return None
        now = self.clock()
        if now >= self.deadline:
            raise self.expired()
        quick = self.cursor is not None and now - self.started < self.min_interval
        self.cursor = status.last_changed
        if not quick:
            return 0.0
        return min(self.min_interval - (now - self.started), self.deadline - now)


def wait_for_delivery(
    fetch: Callable[..., DeliveryStatus],
    condition: Condition = settled,
    *,
    timeout: float = 600.0,
    min_interval: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
    retry: RetryPolicy = DEFAULT_POLL_RETRY,
) -> DeliveryStatus:
    """Call ``fetch(poll_from=...)`` (the client's ``delivery_status`` for one session) until
    ``condition(status)`` holds; return that status. Raises :class:`DeliveryTimeoutError` after
    ``timeout`` seconds, or an API error that is not transient or outlived ``retry``."""
    waiter = _Waiter(timeout, min_interval, clock, retry, condition)
    while True:
        waiter.started = clock()
        try:
            status = fetch(poll_from=waiter.cursor)
        except Exception as exc:
            sleep(waiter.after_error(exc))
            continue
        if (pause := waiter.after_status(status, condition)) is None:
            return status
        if pause > 0:
            sleep(pause)


async def async_wait_for_delivery(
    fetch: Callable[..., Awaitable[DeliveryStatus]],
    condition: Condition = settled,
    *,
    timeout: float = 600.0,  # noqa: ASYNC109 (a wait deadline checked between calls, not a scope)
    min_interval: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = anyio.sleep,
    retry: RetryPolicy = DEFAULT_POLL_RETRY,
) -> DeliveryStatus:
    """Async twin of :func:`wait_for_delivery` (``fetch`` and ``sleep`` are coroutine functions)."""
    waiter = _Waiter(timeout, min_interval, clock, retry, condition)
    while True:
        waiter.started = clock()
        try:
            status = await fetch(poll_from=waiter.cursor)
        except Exception as exc:
            await sleep(waiter.after_error(exc))
            continue
        if (pause := waiter.after_status(status, condition)) is None:
            return status
        if pause > 0:
            await sleep(pause)
