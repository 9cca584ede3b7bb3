"""Every public method reachable from ``Apertur`` / ``AsyncApertur`` keeps its signature.

``public_signatures.json`` records, for each method of each namespace (and of the clients
themselves), its parameters in order with their kinds and defaults, and whether it is a
coroutine function. A recorded method must still exist with the same positional parameters and
its keyword-only parameters in the same order; a method may only grow new keyword-only
parameters with defaults (the per-call ``extra_headers`` / ``extra_query`` / ``extra_body``, a
new optional field of the API). New methods are allowed.

After an intended change, rewrite the snapshot with
``python tests/ext/test_public_signatures.py --write`` and review the diff.
"""

from __future__ import annotations

import enum
import inspect
import json
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("public_signatures.json")


def _default(value: object) -> object:
    if value is inspect.Parameter.empty:
        return "<required>"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if callable(value):
        return f"<function {getattr(value, '__name__', '?')}>"
    return f"<{type(value).__name__}>"  # e.g. the UNSET sentinel


def _parameters(fn: Any) -> list[dict[str, object]]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # without self
    return [{"name": p.name, "kind": p.kind.name, "default": _default(p.default)} for p in params]


def _kind(fn: Any) -> str:
    if inspect.iscoroutinefunction(fn):
        return "async"
    return "sync"


def _methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and inspect.isfunction(member)
    }


def current() -> dict[str, dict[str, object]]:
    """The public signatures of both clients and every namespace, as recorded in the snapshot."""
    from apertur_ext import Apertur, AsyncApertur

    out: dict[str, dict[str, object]] = {}
    for client_cls in (Apertur, AsyncApertur):
        client = client_cls("aptr_live_signatures")
        owner = client_cls.__name__
        for name in ("__init__", *_methods(client_cls)):
            fn = getattr(client_cls, name)
            out[f"{owner}.{name}"] = {"kind": _kind(fn), "parameters": _parameters(fn)}
        for attr in dir(client_cls):
            if attr.startswith("_"):
                continue
            if not isinstance(inspect.getattr_static(client_cls, attr), cached_property):
                continue
            namespace = type(getattr(client, attr))
            for name, fn in _methods(namespace).items():
                out[f"{owner}.{attr}.{name}"] = {"kind": _kind(fn), "parameters": _parameters(fn)}
    return dict(sorted(out.items()))


def _compatible(recorded: list[dict[str, object]], now: list[dict[str, object]]) -> bool:
    """Same positional parameters; the recorded keyword-only ones still there, in order; anything
    new is keyword-only with a default (so no existing call changes meaning)."""

    def positional(params: list[dict[str, object]]) -> list[dict[str, object]]:
        return [p for p in params if p["kind"] != "KEYWORD_ONLY"]

    if positional(recorded) != positional(now):
        return False
    keyword_now = [p for p in now if p["kind"] == "KEYWORD_ONLY"]
    remaining = iter(keyword_now)
    if not all(p in remaining for p in recorded if p["kind"] == "KEYWORD_ONLY"):
        return False  # one is missing, changed, or out of order
    return all(p in recorded or p["default"] != "<required>" for p in keyword_now)


def test_public_signatures_match_the_snapshot() -> None:
    recorded = json.loads(SNAPSHOT.read_text())
    now = current()
    missing = sorted(set(recorded) - set(now))
    assert missing == [], "public methods removed"
    changed = {
        name: {"recorded": entry, "now": now[name]}
        for name, entry in recorded.items()
        if entry["kind"] != now[name]["kind"]
        or not _compatible(entry["parameters"], now[name]["parameters"])  # type: ignore[arg-type]
    }
    assert changed == {}


def test_snapshot_covers_every_namespace_method() -> None:
    recorded = json.loads(SNAPSHOT.read_text())
    namespace_methods = [name for name in recorded if name.count(".") == 2]
    assert len(namespace_methods) >= 82


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/ext/test_public_signatures.py --write")
    lines = []
    for name, entry in current().items():
        params = ",\n".join(f"   {json.dumps(p)}" for p in entry["parameters"])  # type: ignore[attr-defined]
        params = f"\n{params}\n " if params else ""
        lines.append(
            f' {json.dumps(name)}: {{"kind": {json.dumps(entry["kind"])}, "parameters": [{params}]}}'
        )
    SNAPSHOT.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"wrote {SNAPSHOT}")
