"""What every namespace shares: the core it sends through and argument conversions.

Namespaces never send anything themselves: they turn keyword arguments into the generated
request models, ask the generated ``_get_kwargs`` for the request, and hand the resulting
:class:`~apertur_ext._request.Call` to their core. Conversions raise
:class:`InvalidInputError` (never ``ValueError``) before anything is sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

from apertur_api.types import UNSET, Unset

from .._config import TimeoutArg
from .._exceptions import InvalidInputError
from .._request import AsyncCore, Call, SyncCore
from .._response import Operation

__all__ = [
    "UNSET",
    "AsyncResource",
    "SyncResource",
    "Unset",
    "opt",
    "project_call",
    "require_id",
    "to_datetime",
    "to_enum",
    "to_enums",
    "to_int_list",
    "to_mapping_model",
    "to_str_list",
]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
M = TypeVar("M")


class SyncResource:
    """Base of the synchronous namespaces."""

    def __init__(self, core: SyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class AsyncResource:
    """Base of the asynchronous namespaces."""

    def __init__(self, core: AsyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def require_id(value: str, what: str) -> str:
    """A path parameter: a non-empty string (it is URL-encoded by the generated code).

    ``.`` and ``..`` are refused: percent-encoding keeps dots, and a URL's dot segments are
    resolved before sending, so they would reach another endpoint; no Apertur id is either.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be a non-empty string")
    if value in (".", ".."):
        raise InvalidInputError(f"{what} cannot be {value!r}")
    return value


def project_call(
    op: Operation[T],
    project_id: str,
    *ids: tuple[str, str],
    timeout: TimeoutArg,
    max_retries: int | None,
    **kwargs: object,
) -> Call[T]:
    """A call on a project-scoped path; ``ids`` are (value, name) pairs after the project id."""
    args = [require_id(project_id, "project_id")] + [require_id(v, name) for v, name in ids]
    return Call(op, op.kwargs(*args, **kwargs), timeout, max_retries)


def opt(value: T | None) -> T | Unset:
    """``None`` (not given) → ``UNSET`` (left out of the request)."""
    return UNSET if value is None else value


def to_datetime(value: str | datetime.datetime | None, what: str) -> datetime.datetime | Unset:
    """An ISO 8601 string or a datetime; naive datetimes are sent as they are."""
    if value is None:
        return UNSET
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInputError(f"{what} must be an ISO 8601 date-time, got {value!r}")


def to_enum(cls: type[E], value: str | E | None, what: str) -> E | Unset:
    """A generated enum from its value. Values the spec does not list are sent as they are
    (the generated enums keep them as ``UNKNOWN`` members): the server may know newer values,
    and it answers a wrong one with a ValidationError."""
    if value is None:
        return UNSET
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, got {type(value).__name__}")
    return cls(value)


def to_enums(cls: type[E], values: Iterable[str | E] | None, what: str) -> list[E] | Unset:
    """A list of generated enums (see :func:`to_enum`)."""
    if values is None:
        return UNSET
    out: list[E] = []
    for item in _as_list(values, what, (str, cls)):
        converted = to_enum(cls, item, what)
        if not isinstance(converted, Unset):
            out.append(converted)
    return out


def to_str_list(values: Iterable[str] | None, what: str) -> list[str] | Unset:
    """A list from any iterable of strings; ``None`` → ``UNSET``."""
    if values is None:
        return UNSET
    return _as_list(values, what, (str,))


def to_int_list(values: Iterable[int] | None, what: str) -> list[int] | Unset:
    """A list from any iterable of integers; ``None`` → ``UNSET``."""
    if values is None:
        return UNSET
    items = _as_list(values, what, (int,))
    if any(isinstance(item, bool) for item in items):
        raise InvalidInputError(f"{what} must contain only integers")
    return items


def _as_list(values: Iterable[Any], what: str, kinds: tuple[type, ...]) -> list[Any]:
    # A bare string is iterable too; refuse it rather than sending its characters.
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidInputError(f"{what} must be a list")
    items = list(values)
    if not all(isinstance(item, kinds) for item in items):
        names = " or ".join(kind.__name__ for kind in kinds)
        raise InvalidInputError(f"{what} must contain only {names} values")
    return items


def to_mapping_model(cls: type[M], value: Mapping[str, Any] | None, what: str) -> M | Unset:
    """A generated free-form object model (``additional_properties`` only) from a mapping."""
    if value is None:
        return UNSET
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a mapping (dict)")
    model: M = getattr(cls, "from_dict")(dict(value))  # noqa: B009 - generated classmethod
    return model
