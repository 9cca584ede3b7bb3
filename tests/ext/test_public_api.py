"""The public surface: ``__all__`` is sorted and complete, imports stay light, and every
synchronous namespace has an asynchronous twin with the same methods and parameters."""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

import apertur_ext
from apertur_ext import Apertur, AsyncApertur


def _namespaces(cls: type) -> list[str]:
    return sorted(
        name
        for name in dir(cls)
        if not name.startswith("_")
        and isinstance(inspect.getattr_static(cls, name), functools.cached_property)
    )


NAMESPACES = _namespaces(Apertur)


def test_all_is_sorted_and_unique() -> None:
    assert apertur_ext.__all__ == sorted(set(apertur_ext.__all__))


def test_all_matches_the_public_names() -> None:
    public = {
        name
        for name in dir(apertur_ext)
        if not name.startswith("_") and not isinstance(getattr(apertur_ext, name), types.ModuleType)
    }
    assert public == set(apertur_ext.__all__) - {"__version__"}
    for name in apertur_ext.__all__:
        value = getattr(apertur_ext, name)
        if name == "__version__":
            assert value == importlib.metadata.version("apertur-client")
        else:
            assert isinstance(value, type | types.FunctionType), name
            assert value.__name__ == name  # the object the name promises, not a stand-in
            assert value.__module__.startswith(("apertur_ext.", "apertur_api."))


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        apertur_ext.no_such_name  # noqa: B018


def test_official_names_are_exported() -> None:
    official = {
        "Apertur",
        "AperturError",
        "AuthenticationError",
        "NotFoundError",
        "RateLimitError",
        "ValidationError",
        "encrypt_image",
        "verify_event_signature",
        "verify_svix_signature",
        "verify_webhook_signature",
    }
    assert official <= set(apertur_ext.__all__)


def test_import_is_light() -> None:
    code = (
        "import sys, apertur_ext; "
        "heavy = [m for m in sys.modules if m.startswith(('apertur_api.models', 'cryptography', "
        "'apertur_ext._resources', 'socketio'))]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _public_methods(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def _shape(fn: object) -> list[tuple[str, object, object]]:
    params = inspect.signature(fn).parameters.values()  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default) for p in params]


def test_every_tag_of_the_spec_is_a_namespace() -> None:
    spec = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text("utf-8"))
    tags = {tag["name"] for tag in spec["tags"]}
    assert tags | {"events"} == set(NAMESPACES) == set(_namespaces(AsyncApertur))


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_async_namespace_mirrors_the_sync_one(namespace: str) -> None:
    sync_cls = type(getattr(Apertur("aptr_live_x"), namespace))
    async_cls = type(getattr(AsyncApertur("aptr_live_x"), namespace))
    sync_methods, async_methods = _public_methods(sync_cls), _public_methods(async_cls)
    assert sync_methods.keys() == async_methods.keys()
    for method, sync_fn in sync_methods.items():
        async_fn = async_methods[method]
        assert _shape(sync_fn) == _shape(async_fn), method
        assert not inspect.iscoroutinefunction(sync_fn), method
        if method.endswith("list_all"):
            assert not inspect.iscoroutinefunction(async_fn)
        else:
            assert inspect.iscoroutinefunction(async_fn), method


def test_clients_have_the_same_surface() -> None:
    sync_names = {n for n in dir(Apertur) if not n.startswith("_")}
    async_names = {n for n in dir(AsyncApertur) if not n.startswith("_")}
    assert sync_names == async_names
    assert set(NAMESPACES) <= sync_names
    assert _shape(Apertur.__init__) == _shape(AsyncApertur.__init__)


def test_official_method_names_exist() -> None:
    expected = {
        "sessions": {
            "create",
            "get",
            "update",
            "list",
            "recent",
            "qr",
            "verify_password",
            "delivery_status",
            "share",
            "wait_for_delivery",
            "list_all",
        },
        "upload": {"image", "image_encrypted"},
        "uploads": {"list", "recent", "download", "list_all"},
        "polling": {"list", "download", "ack", "poll_and_process"},
        "destinations": {"list", "create", "update", "delete", "test"},
        "keys": {"list", "create", "update", "delete", "set_destinations"},
        "webhooks": {"list", "create", "update", "delete", "test", "deliveries", "retry_delivery"},
        "encryption": {"get_server_key"},
        "stats": {"get"},
        "events": {"subscribe"},
    }
    client = Apertur("aptr_live_x")
    for namespace, methods in expected.items():
        assert methods <= set(_public_methods(type(getattr(client, namespace)))), namespace
