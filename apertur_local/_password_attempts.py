"""A bound on guessing session passwords from the upload page.

Without an API key, the session id is the capability, and the page's routes (verify-password,
upload) check a password protecting the session. Nothing else limits how fast they can be tried
(``--rate-limit`` is per client address, and off by default), so each session accepts at most
``limit`` wrong passwords in any ``window`` seconds from such requests. Beyond that, every
password it is sent without a key, right or wrong, is answered 429 ``RATE_LIMITED`` with
``Retry-After`` (the seconds until the oldest failure leaves the window): answering a right
password then would tell a guesser that it is right. Requests with a valid key are not counted
or limited: their caller owns the session and may change its password anyway.

The failures are kept in memory, by session id, against the server's clock (so a test moves
past the window with ``POST /_local/clock``); a restart or a reset forgets them.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from ._errors import ApiError

__all__ = ["PasswordAttempts"]

_PRUNE_ABOVE = 10_000


class PasswordAttempts:
    """Wrong passwords per session within a sliding window (see the module docstring)."""

    def __init__(self, limit: int, now: Callable[[], float], window: float = 60.0) -> None:
        if limit < 1:
            raise ValueError("the password attempt limit must be at least 1")
        self.limit = limit
        self.window = window
        self._now = now
        self._failures: dict[str, deque[float]] = {}

    def check(self, session_id: str) -> None:
        """Raise 429 while ``session_id`` has ``limit`` failures within the window."""
        failures = self._recent(session_id, self._now())
        if failures is not None and len(failures) >= self.limit:
            retry_after = max(1, math.ceil(failures[0] + self.window - self._now()))
            raise ApiError(
                429,
                f"Too many wrong passwords for this session: try again in {retry_after} s",
                "RATE_LIMITED",
                headers={"Retry-After": str(retry_after)},
            )

    def failed(self, session_id: str) -> None:
        """Count one wrong password for ``session_id``."""
        now = self._now()
        if len(self._failures) > _PRUNE_ABOVE:
            for known in list(self._failures):
                self._recent(known, now)
        failures = self._failures.setdefault(session_id, deque(maxlen=self.limit))
        failures.append(now)

    def clear(self) -> None:
        """Forget every failure (the sessions were reset)."""
        self._failures.clear()

    def _recent(self, session_id: str, now: float) -> deque[float] | None:
        """The failures of ``session_id`` still inside the window (older ones are dropped)."""
        failures = self._failures.get(session_id)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[session_id]
            return None
        return failures
