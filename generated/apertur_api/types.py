"""Shared types: UNSET, File, Response, and what the namespace classes are built on"""

import datetime
import os
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from enum import Enum
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, Protocol, Self, TypedDict, TypeVar, Unpack

import httpx
from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class FromDict(Protocol):
    """A generated model: built from its wire form."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=FromDict)


class Row(Protocol):
    """A row of a paged list: identified by its ``id``."""

    @property
    def id(self) -> str: ...


RowT = TypeVar("RowT", bound=Row)
RowT_co = TypeVar("RowT_co", bound=Row, covariant=True)


class Page(Protocol[RowT_co]):
    """One page of a ``{data, page, pageSize, total, totalPages}`` list."""

    @property
    def data(self) -> Sequence[RowT_co]: ...

    @property
    def total_pages(self) -> int: ...


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def status_code_of(code: int) -> HTTPStatus | int:
    """The HTTPStatus for a code, or the bare int for a non-standard one (e.g. 599)"""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


# --- what the namespace classes (api/<tag>/__init__.py) call --------------------------------------

Timeout = float | httpx.Timeout | None
""" A per-call timeout: seconds, an ``httpx.Timeout``, or None for the client's own. """
Headers = Mapping[str, str]
Query = Mapping[str, Any]
Body = Mapping[str, Any]
DownloadTarget = str | os.PathLike[str] | IO[bytes]
""" Where a binary response goes: a filesystem path (written atomically) or a binary file object. """


@define(frozen=True)
class Operation(Generic[T]):
    """One endpoint as the request path sees it: ``T`` is what a successful call returns.

    ``parse`` is the endpoint module's ``_parse_response``; ``success`` its documented 2xx status.
    """

    name: str
    success: int
    parse: Callable[..., object]


class CallOptions(TypedDict, total=False):
    """What a namespace method passes to the request path besides the request itself."""

    timeout: Timeout
    max_retries: int | None
    long_poll: bool
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None


class Requester(Protocol):
    """The synchronous request path a namespace class sends through (the SDK implements it).

    ``build`` returns the endpoint's ``_get_kwargs(...)`` (method, url, params, json, headers); it
    is called by the request path, once, and raises :class:`ArgumentError` for an unusable
    argument, before anything is sent. ``run`` returns the parsed success model; ``download``
    streams a binary response into ``to`` (returning the byte count), or returns its bytes; past
    ``max_bytes`` (None: the client's own limit for a body kept in memory) it raises.
    Options: ``timeout`` and ``max_retries`` for this call, ``long_poll`` (a read timeout above
    the server's hold), and ``extra_*`` mappings merged into the request as sent.
    ``pages`` walks a paged list (``list_all``): the rows of ``fetch(1)``, ``fetch(2)``, ... as
    they are iterated, each once, until the last page or ``max_pages``.
    """

    def run(
        self,
        operation: Operation[T],
        build: Callable[[], dict[str, Any]],
        **options: Unpack[CallOptions],
    ) -> T: ...

    def download(
        self,
        operation: Operation[Any],
        build: Callable[[], dict[str, Any]],
        to: DownloadTarget | None,
        max_bytes: int | None = None,
        **options: Unpack[CallOptions],
    ) -> bytes | int: ...

    def pages(self, fetch: Callable[[int], Page[RowT]], max_pages: int) -> Iterator[RowT]: ...


class AsyncRequester(Protocol):
    """The asynchronous request path (see :class:`Requester`)."""

    async def run(
        self,
        operation: Operation[T],
        build: Callable[[], dict[str, Any]],
        **options: Unpack[CallOptions],
    ) -> T: ...

    async def download(
        self,
        operation: Operation[Any],
        build: Callable[[], dict[str, Any]],
        to: DownloadTarget | None,
        max_bytes: int | None = None,
        **options: Unpack[CallOptions],
    ) -> bytes | int: ...

    def pages(
        self, fetch: Callable[[int], Awaitable[Page[RowT]]], max_pages: int
    ) -> AsyncIterator[RowT]: ...


class SyncResource:
    """Base of the synchronous namespace classes."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class AsyncResource:
    """Base of the asynchronous namespace classes."""

    def __init__(self, requester: AsyncRequester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


# --- argument conversions of the namespace methods (None → UNSET: left out of the request) ---------


class ArgumentError(Exception):
    """An argument cannot be sent as it is; the request path reports it before sending anything."""


def path_arg(value: str, name: str) -> str:
    """A path parameter: a non-empty string (URL-encoded by the endpoint module).

    ``.`` and ``..`` are refused: percent-encoding keeps dots and URLs resolve dot segments, so
    such an id would reach another endpoint.
    """
    if not isinstance(value, str) or not value.strip():
        raise ArgumentError(f"{name} must be a non-empty string")
    if value in (".", ".."):
        raise ArgumentError(f"{name} cannot be {value!r}")
    return value


def text(value: str, name: str) -> str:
    """A required string field: a non-empty string."""
    if not isinstance(value, str) or not value:
        raise ArgumentError(f"{name} must be a non-empty string")
    return value


def given(value: T | None) -> T | Unset:
    """An optional value as it is; None leaves it out."""
    return UNSET if value is None else value


def required(value: T | Unset, name: str) -> T:
    """A required value that a conversion may have turned into UNSET (it was None)."""
    if isinstance(value, Unset):
        raise ArgumentError(f"{name} is required")
    return value


def date_time(value: str | datetime.datetime | None, name: str) -> datetime.datetime | Unset:
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
    raise ArgumentError(f"{name} must be an ISO 8601 date-time, got {value!r}")


def date(value: str | datetime.date | None, name: str) -> datetime.date | Unset:
    """An ISO 8601 date string or a date."""
    if value is None:
        return UNSET
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ArgumentError(f"{name} must be an ISO 8601 date, got {value!r}")


def enum_value(cls: type[E], value: str | E | None, name: str) -> E | Unset:
    """A generated enum from its value. Values the spec does not list are sent as they are (the
    enums keep them as UNKNOWN members): the server may know newer values."""
    if value is None:
        return UNSET
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise ArgumentError(f"{name} must be a string, got {type(value).__name__}")
    return cls(value)


def model(cls: type[M], value: Mapping[str, Any] | None, name: str) -> M | Unset:
    """A generated object model from a mapping (its keys as on the wire)."""
    if value is None:
        return UNSET
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ArgumentError(f"{name} must be a mapping (dict)")
    try:
        built = cls.from_dict(dict(value))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArgumentError(f"{name} is not a valid {cls.__name__}: {exc!r}") from exc
    return built


def items(
    values: Iterable[Any] | None, name: str, kind: type | tuple[type, ...]
) -> list[Any] | Unset:
    """A list from any iterable (not a bare string or mapping). ``kind`` is a generated enum or
    model class (each item converted to it), or the types each item must have (bool never
    counts as a number)."""
    if values is None:
        return UNSET
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ArgumentError(f"{name} must be a list")
    if isinstance(kind, tuple):
        out = list(values)
        for item in out:
            if not isinstance(item, kind) or (isinstance(item, bool) and bool not in kind):
                kinds = " or ".join(k.__name__ for k in kind)
                raise ArgumentError(f"{name} must contain only {kinds} values")
        return out
    converted: list[Any]
    if issubclass(kind, Enum):
        converted = [enum_value(kind, item, name) for item in values]
    else:
        converted = [model(kind, item, name) for item in values]
    if any(isinstance(item, Unset) for item in converted):
        raise ArgumentError(f"{name} cannot contain None")
    return converted


__all__ = [
    "UNSET",
    "ArgumentError",
    "AsyncRequester",
    "AsyncResource",
    "Body",
    "CallOptions",
    "DownloadTarget",
    "File",
    "FileTypes",
    "FromDict",
    "Headers",
    "Operation",
    "Page",
    "Query",
    "RequestFiles",
    "Requester",
    "Response",
    "Row",
    "SyncResource",
    "Timeout",
    "Unset",
    "date",
    "date_time",
    "enum_value",
    "given",
    "items",
    "model",
    "path_arg",
    "required",
    "status_code_of",
    "text",
]
