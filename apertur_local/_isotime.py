"""ISO 8601 timestamps on the wire: ``2026-06-12T09:44:41.919Z`` (UTC, milliseconds)."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["format_iso"]

_MAX_TIMESTAMP = 253402300799.0  # 9999-12-31T23:59:59Z


def format_iso(timestamp: float) -> str:
    """UNIX seconds → ``2026-06-12T09:44:41.919Z`` (clamped to years 1970-9999)."""
    clamped = min(max(round(timestamp, 3), 0.0), _MAX_TIMESTAMP)
    moment = datetime.fromtimestamp(clamped, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
