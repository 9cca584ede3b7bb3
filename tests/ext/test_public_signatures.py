"""Every public method reachable from ``Apertur`` / ``AsyncApertur`` keeps its signature.

``public_signatures.json`` records, for each method of each namespace (and of the clients
themselves), its parameters in order with their kinds and defaults, and whether it is a
coroutine function; and each public property of the clients. Two checks:

* compatibility: a recorded method must still exist with the same positional parameters and its
  keyword-only parameters in the same order; it may only have grown keyword-only parameters with
  defaults (so no existing call changes meaning), and a recorded property is still a property;
* freshness: the snapshot is exactly today's surface, so an addition is reviewed and recorded
  rather than left out of the pin.

After an intended change of the public surface, rewrite the snapshot from the repository root
with ``.venv/bin/python tests/ext/test_public_signatures.py --write`` and review its diff with
the change (``git diff tests/ext/public_signatures.json``).
"""

from __future__ import annotations

import enum
import inspect
import json
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("public_signatures.json")
REFRESH = (
    "if the change is intended, refresh the snapshot: "
    ".venv/bin/python tests/ext/test_public_signatures.py --write (and review its diff)"
)


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
    """The public signatures of both clients and every namespace, as recorded in the snapshot.

    A namespace is a public attribute of a client holding a generated resource (the hand-written
    namespaces subclass those); any other public non-method attribute is recorded as a property.
    """
    from apertur_api.types import AsyncResource, SyncResource
    from apertur_ext import Apertur, AsyncApertur

    out: dict[str, dict[str, object]] = {}
    for client_cls in (Apertur, AsyncApertur):
        client = client_cls("aptr_live_signatures")
        owner = client_cls.__name__
        for name in ("__init__", *_methods(client_cls)):
            fn = getattr(client_cls, name)
            out[f"{owner}.{name}"] = {"kind": _kind(fn), "parameters": _parameters(fn)}
        for attr in dir(client_cls):
            if attr.startswith("_") or attr in out or f"{owner}.{attr}" in out:
                continue
            value = getattr(client, attr)
            if isinstance(value, SyncResource | AsyncResource):
                for name, fn in _methods(type(value)).items():
                    entry = {"kind": _kind(fn), "parameters": _parameters(fn)}
                    out[f"{owner}.{attr}.{name}"] = entry
            elif not inspect.ismethod(value):
                out[f"{owner}.{attr}"] = {"kind": "property", "parameters": []}
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
    assert missing == [], "public methods or properties removed"
    changed = {
        name: {"recorded": entry, "now": now[name]}
        for name, entry in recorded.items()
        if entry["kind"] != now[name]["kind"]
        or not _compatible(entry["parameters"], now[name]["parameters"])  # type: ignore[arg-type]
    }
    assert changed == {}


def test_snapshot_is_todays_surface() -> None:
    """Additions are recorded too, so the snapshot never lags behind what users can call."""
    recorded = json.loads(SNAPSHOT.read_text())
    now = current()
    added = sorted(set(now) - set(recorded))
    assert added == [], f"public names not in the snapshot; {REFRESH}"
    grown = sorted(name for name in recorded if recorded[name] != now[name])
    assert grown == [], f"signatures differ from the snapshot; {REFRESH}"


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
