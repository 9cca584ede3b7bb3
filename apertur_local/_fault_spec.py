"""What a fault is: the records of fault injection and their JSON forms (no HTTP, no state).

* :class:`Fault` — one fault (answer a status, drop the connection before or after the app ran,
  delay, truncate the response, or cut an event stream after some events);
* :class:`FaultRule` — a fault for the next ``count`` requests matching a method and path regex;
* :class:`ChaosConfig` — random faults for a ratio of matching requests, drawn by weight.

:func:`parse_rule`, :func:`parse_chaos` and :func:`parse_fault` accept the JSON bodies of
``/_local/faults`` and raise :class:`FaultSpecError` (a ``ValueError``) saying what is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast, get_args

import attrs

__all__ = [
    "ChaosConfig",
    "Fault",
    "FaultAction",
    "FaultRule",
    "FaultSpecError",
    "WeightedFault",
    "parse_chaos",
    "parse_fault",
    "parse_rule",
]

FaultAction = Literal["status", "close_before", "close_after", "delay", "truncate", "drop_stream"]
_ACTIONS: tuple[str, ...] = get_args(FaultAction)
_MAX_DELAY = 3600.0
_MAX_EVENTS = 1_000_000


class FaultSpecError(ValueError):
    """A rule or chaos configuration that cannot be used (the message says why)."""


@attrs.frozen
class Fault:
    """One fault to inject.

    * ``status``: answer ``status`` without running the app (the request body is drained first),
      with ``Retry-After: retry_after`` (seconds or an HTTP-date) when set and a JSON ``body``
      ``{message, code}`` (a default one when ``None``);
    * ``close_before``: drop the connection before the app runs, reading and sending nothing;
    * ``close_after``: run the app fully, then drop the connection instead of answering;
    * ``delay``: sleep ``delay`` seconds, then pass the request through;
    * ``truncate``: run the app, send its headers (real ``Content-Length``) and only
      ``keep_bytes`` bytes of its body (half when ``None``), then drop the connection;
    * ``drop_stream``: pass the response through as it is written and drop the connection once
      ``after_events`` Server-Sent Events (writes carrying an ``id:`` field; heartbeats do not
      count) have gone out; ``0`` drops it right after the response headers. For streaming
      responses (``close_after`` and ``truncate`` wait for a response to end, which an event
      stream never does). A response that ends sooner passes unharmed.
    """

    action: FaultAction
    status: int = 503
    retry_after: str | None = None
    body: Mapping[str, str] | None = None
    delay: float = 0.0
    keep_bytes: int | None = None
    after_events: int = 1

    @property
    def label(self) -> str:
        """The counter name of this fault: ``status:<code>`` or the action."""
        return f"status:{self.status}" if self.action == "status" else self.action

    def to_json(self) -> dict[str, Any]:
        """The JSON form accepted by :func:`parse_fault`."""
        out: dict[str, Any] = {"action": self.action}
        if self.action == "status":
            out["status"] = self.status
            if self.retry_after is not None:
                out["retry_after"] = self.retry_after
            if self.body is not None:
                out["body"] = dict(self.body)
        elif self.action == "delay":
            out["delay"] = self.delay
        elif self.action == "truncate" and self.keep_bytes is not None:
            out["keep_bytes"] = self.keep_bytes
        elif self.action == "drop_stream":
            out["after_events"] = self.after_events
        return out


@attrs.frozen
class FaultRule:
    """Inject ``fault`` into the next ``count`` requests matching ``method`` and ``path``.

    ``path`` is a regular expression searched (``re.search``) in the request path, so anchor it
    (``^…$``) to match exactly; ``method`` ``None`` matches every method.
    """

    fault: Fault
    path: str = ""
    count: int = 1
    method: str | None = None


@attrs.frozen
class WeightedFault:
    """A chaos-mode candidate fault and its relative weight."""

    fault: Fault
    weight: float = 1.0


@attrs.frozen
class ChaosConfig:
    """Random faults: each matching request fails with probability ``ratio``."""

    ratio: float
    actions: Sequence[WeightedFault]
    seed: int | None = None
    path: str = ""
    method: str | None = None


def _field(data: Mapping[str, Any], name: str, kinds: tuple[type, ...], default: Any) -> Any:
    value = data.get(name, default)
    if value is default:
        return value
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise FaultSpecError(f"{name!r} has the wrong type")
    return value


def _mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise FaultSpecError(f"{what} must be a JSON object")
    return cast(Mapping[str, Any], data)


def _pattern(path: Any) -> str:
    if not isinstance(path, str):
        raise FaultSpecError("'path' must be a string (a regular expression)")
    try:
        re.compile(path)
    except re.error as exc:
        raise FaultSpecError(f"'path' is not a valid regular expression: {exc}") from None
    return path


def _method(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.isalpha():
        raise FaultSpecError("'method' must be an HTTP method name")
    return value.upper()


def parse_fault(data: Any) -> Fault:
    """Build a :class:`Fault` from its JSON form; ``FaultSpecError`` when unusable."""
    data = _mapping(data, "a fault")
    action = data.get("action")
    if action not in _ACTIONS:
        raise FaultSpecError(f"'action' must be one of {', '.join(_ACTIONS)}")
    status = _field(data, "status", (int,), 503)
    if not 100 <= status <= 599:
        raise FaultSpecError("'status' must be between 100 and 599")
    retry_after = _field(data, "retry_after", (int, str), None)
    if isinstance(retry_after, int) and retry_after < 0:
        raise FaultSpecError("'retry_after' must not be negative")
    body = _field(data, "body", (Mapping,), None)
    if body is not None and not all(isinstance(v, str) for v in body.values()):
        raise FaultSpecError("'body' must map names to strings")
    delay = float(_field(data, "delay", (int, float), 0.0))
    if not 0 <= delay <= _MAX_DELAY:
        raise FaultSpecError(f"'delay' must be between 0 and {_MAX_DELAY:g} seconds")
    keep = _field(data, "keep_bytes", (int,), None)
    if keep is not None and keep < 0:
        raise FaultSpecError("'keep_bytes' must not be negative")
    after_events = _field(data, "after_events", (int,), 1)
    if not 0 <= after_events <= _MAX_EVENTS:
        raise FaultSpecError(f"'after_events' must be between 0 and {_MAX_EVENTS}")
    return Fault(
        action=cast(FaultAction, action),
        status=status,
        retry_after=None if retry_after is None else str(retry_after),
        body=None if body is None else dict(body),
        delay=delay,
        keep_bytes=keep,
        after_events=after_events,
    )


def parse_rule(data: Any) -> FaultRule:
    """Build a :class:`FaultRule` from ``{method?, path?, count?, action, …fault fields}``."""
    data = _mapping(data, "a rule")
    count = _field(data, "count", (int,), 1)
    if count < 1:
        raise FaultSpecError("'count' must be at least 1")
    return FaultRule(
        fault=parse_fault(data),
        path=_pattern(data.get("path", "")),
        count=count,
        method=_method(data.get("method")),
    )


def parse_chaos(data: Any) -> ChaosConfig:
    """Build a :class:`ChaosConfig` from ``{ratio, actions: [{weight?, …fault}], seed?, …}``."""
    data = _mapping(data, "a chaos configuration")
    ratio = float(_field(data, "ratio", (int, float), -1.0))
    if not 0 <= ratio <= 1:
        raise FaultSpecError("'ratio' must be between 0 and 1")
    items = data.get("actions")
    if not isinstance(items, list) or not items:
        raise FaultSpecError("'actions' must be a non-empty list")
    actions = []
    for item in items:
        weight = float(_field(_mapping(item, "an action"), "weight", (int, float), 1.0))
        if not (math.isfinite(weight) and weight > 0):
            raise FaultSpecError("'weight' must be a positive number")
        actions.append(WeightedFault(parse_fault(item), weight))
    return ChaosConfig(
        ratio=ratio,
        actions=tuple(actions),
        seed=_field(data, "seed", (int,), None),
        path=_pattern(data.get("path", "")),
        method=_method(data.get("method")),
    )
