"""When to inject faults: the thread-safe :class:`FaultPlan` (no HTTP in here).

A plan holds two things, both empty (off) by default:

* **rules** — "the next ``count`` requests whose method and path match fail like this"; the first
  matching rule with requests left wins and is decremented atomically;
* **chaos** — "each matching request fails with probability ``ratio``", the fault drawn by weight
  from a seeded ``random.Random`` so that a run can be replayed.

Every injected fault is counted under its label (``status:503``, ``close_before``, …).
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from typing import Any

from apertur_local._fault_spec import ChaosConfig, Fault, FaultRule

__all__ = ["FaultPlan"]


def _matches(method: str | None, pattern: re.Pattern[str], req_method: str, path: str) -> bool:
    return (method is None or method == req_method.upper()) and bool(pattern.search(path))


class _LiveRule:
    __slots__ = ("pattern", "remaining", "rule")

    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.pattern = re.compile(rule.path)
        self.remaining = rule.count


class FaultPlan:
    """The faults to inject; safe to use from the server thread and a test thread at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_LiveRule] = []
        self._chaos: ChaosConfig | None = None
        self._chaos_pattern = re.compile("")
        self._rng = random.Random()
        self._injected: Counter[str] = Counter()
        self._chaos_seen = 0

    def add(self, *rules: FaultRule) -> None:
        """Append rules; they apply in the order added."""
        live = [_LiveRule(rule) for rule in rules]
        with self._lock:
            self._rules.extend(live)

    def set_chaos(self, config: ChaosConfig | None) -> None:
        """Turn chaos mode on (reseeding its generator) or off (``None``)."""
        with self._lock:
            self._chaos = config
            self._chaos_seen = 0
            if config is not None:
                self._chaos_pattern = re.compile(config.path)
                self._rng = random.Random(config.seed)

    def clear(self) -> None:
        """Remove every rule, turn chaos off and reset the counters."""
        with self._lock:
            self._rules.clear()
            self._chaos = None
            self._chaos_seen = 0
            self._injected.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """Return the fault to inject into this request (consuming it), or ``None``."""
        with self._lock:
            for live in self._rules:
                if _matches(live.rule.method, live.pattern, method, path):
                    live.remaining -= 1
                    if live.remaining == 0:
                        self._rules.remove(live)
                    self._injected[live.rule.fault.label] += 1
                    return live.rule.fault
            chaos = self._chaos
            if chaos is None or not _matches(chaos.method, self._chaos_pattern, method, path):
                return None
            self._chaos_seen += 1
            if self._rng.random() >= chaos.ratio:
                return None
            weights = [item.weight for item in chaos.actions]
            fault = self._rng.choices(chaos.actions, weights=weights)[0].fault
            self._injected[fault.label] += 1
            return fault

    @property
    def active(self) -> bool:
        """Whether any rule or chaos mode is set (a cheap check, taken without the lock)."""
        return bool(self._rules) or self._chaos is not None

    def snapshot(self) -> dict[str, Any]:
        """JSON view: remaining rules, chaos settings and injection counters."""
        with self._lock:
            rules = [
                {
                    **live.rule.fault.to_json(),
                    "method": live.rule.method,
                    "path": live.rule.path,
                    "remaining": live.remaining,
                }
                for live in self._rules
            ]
            chaos = self._chaos
            chaos_json = None
            if chaos is not None:
                chaos_json = {
                    "ratio": chaos.ratio,
                    "seed": chaos.seed,
                    "method": chaos.method,
                    "path": chaos.path,
                    "actions": [{**a.fault.to_json(), "weight": a.weight} for a in chaos.actions],
                    "requests_seen": self._chaos_seen,
                }
            return {"rules": rules, "chaos": chaos_json, "injected": dict(self._injected)}
