"""THE request path: every call of every namespace, sync and async, generated or hand-written.

:class:`SyncCore` / :class:`AsyncCore` implement the generated ``Requester`` / ``AsyncRequester``
protocols: ``run`` (a call parsed into its model) and ``download`` (a binary response streamed
into a file, or returned as bytes), which every generated namespace method calls. Hand-written
methods use ``call`` + ``send`` for what the generated ones cannot do (a streamed upload body
replacing the generated ``files=``). A call's request is built from the generated request
description (an unusable argument is an :class:`InvalidInputError` before anything is sent) and
sent through the client's :class:`RetryTransport`, which retries, signs, logs and bounds it;
statuses and bodies are mapped by ``response``, transport failures by ``failures``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import attrs
import httpx

from apertur_api.types import ArgumentError

from .config import (
    LONG_POLL_READ_TIMEOUT,
    ClientConfig,
    TimeoutArg,
    check_max_retries,
    is_int,
    to_timeout,
)
from .downloads import async_write_download, write_download
from .exceptions import InvalidInputError
from .failures import map_error, mapped_errors
from .pages import async_pages, pages
from .response import check_status, is_success, parse_response
from .transport import EXT_DEADLINE, EXT_LIMIT_NAME, EXT_MAX_BYTES, EXT_MAX_RETRIES, EXT_UPLOAD

if TYPE_CHECKING:
    from apertur_api import AuthenticatedClient
    from apertur_api.types import Body, CallOptions, DownloadTarget, Headers, Operation, Query

__all__ = ["AsyncCore", "Build", "Call", "CoreBase", "SyncCore"]

T = TypeVar("T")

Build = Callable[[], dict[str, Any]]
"""Returns the generated request description (``_get_kwargs``); may raise ``ArgumentError``."""
UploadStream = httpx.SyncByteStream | httpx.AsyncByteStream

_BODY_HEADERS = ("content-length", "transfer-encoding", "content-type")
_MAX_URL_LENGTH = 65536
"""httpx's limit on a URL string (it checks a merged URL's components, not their sum)."""
URL_CACHE_SIZE = 256
"""Request URLs a client keeps parsed (then it starts over): parsing one costs httpx more than
the rest of building the request, and a client calls the same URLs again and again (its
sessions, their uploads and polls)."""
KEPT_URL_LENGTH = 2048
"""Longest path kept parsed (so the kept URLs take a few hundred KiB at most)."""
_OWN_KWARGS = frozenset({"method", "url", "files", "headers"})
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")
# What else a badly typed argument can raise while the generated code builds the request.
_BUILD_ERRORS = (TypeError, ValueError, AttributeError, KeyError)


@attrs.frozen
class Call(Generic[T]):
    """One API call, described without I/O.

    ``long_poll`` raises the default read timeout above the server's 5-minute hold; ``upload``
    (with its framing ``upload_headers``) is the streamed body replacing the generated ``files=``.
    """

    operation: Operation[T]
    kwargs: dict[str, Any]
    timeout: TimeoutArg = None
    max_retries: int | None = attrs.field(default=None)
    long_poll: bool = False
    upload: UploadStream | None = None
    upload_headers: Mapping[str, str] | None = None

    @max_retries.validator
    def _check(self, attribute: object, value: int | None) -> None:
        check_max_retries(value)


def _check_headers(headers: Mapping[Any, Any]) -> None:
    """Refuse a header that cannot be sent, naming it but never showing its value (it may be a
    session password): otherwise the send fails half-way, as if the request had gone out."""
    for name, value in headers.items():
        name = name.decode("latin-1") if isinstance(name, bytes) else name
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidInputError(f"invalid header name: {name!r}")
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        if not isinstance(text, str):
            raise InvalidInputError(f"the value of header {name} must be a string")
        if not _FIELD_VALUE.fullmatch(text):
            raise InvalidInputError(
                f"the value of header {name} cannot be sent: HTTP headers carry printable ASCII "
                "only, with no line breaks"
            )


def _with_extras(
    kwargs: dict[str, Any], headers: Headers | None, query: Query | None, body: Body | None
) -> dict[str, Any]:
    """``kwargs`` with the caller's extra headers, query parameters and JSON body fields."""
    for value, what in ((headers, "extra_headers"), (query, "extra_query"), (body, "extra_body")):
        if value is not None and not isinstance(value, Mapping):
            raise InvalidInputError(f"{what} must be a mapping (dict)")
    out = dict(kwargs)
    if headers:
        out["headers"] = {**(kwargs.get("headers") or {}), **headers}
    if query:
        out["params"] = {**(kwargs.get("params") or {}), **query}
    if body:
        if "json" in kwargs:
            if not isinstance(kwargs["json"], dict):
                raise InvalidInputError("extra_body needs a request whose JSON body is an object")
            out["json"] = {**kwargs["json"], **body}
        elif {"content", "data", "files"} & kwargs.keys():
            raise InvalidInputError("extra_body applies to JSON request bodies only")
        else:
            out["json"] = dict(body)
            out["headers"] = {**out.get("headers", {}), "Content-Type": "application/json"}
    return out


class CoreBase:
    """The non-I/O half of the request path, shared by the sync and async cores."""

    def __init__(self, config: ClientConfig, api: AuthenticatedClient, http: Any) -> None:
        self.config = config
        self.api = api  # the generated client: ``client.api``, and what the parsers take
        self.http = http
        # (http.base_url, str of it, the URLs joined to it so far: path → parsed)
        self._base: tuple[httpx.URL, str, dict[str, httpx.URL]] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    def call(
        self,
        operation: Operation[T],
        build: Build,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
        long_poll: bool = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        upload: UploadStream | None = None,
        upload_headers: Mapping[str, str] | None = None,
    ) -> Call[T]:
        """Describe a call: build its request, merge the extras, check the per-call options."""
        try:
            kwargs = build()
        except ArgumentError as exc:
            raise InvalidInputError(str(exc)) from exc
        except _BUILD_ERRORS as exc:
            message = f"{operation.name}: the request could not be built"
            raise InvalidInputError(f"{message} ({type(exc).__name__}: {exc})") from exc
        if extra_headers or extra_query or extra_body:
            kwargs = _with_extras(kwargs, extra_headers, extra_query, extra_body)
        if headers := kwargs.get("headers"):
            _check_headers(headers)
        return Call(operation, kwargs, timeout, max_retries, long_poll, upload, upload_headers)

    def timeout_for(self, call: Call[Any]) -> httpx.Timeout:
        """The call's timeout, else the client's (read raised for long-polls)."""
        if call.timeout is not None:
            return to_timeout(call.timeout)
        timeout = self.config.timeout
        if call.long_poll and (timeout.read or 0) < LONG_POLL_READ_TIMEOUT:
            return httpx.Timeout(**{**timeout.as_dict(), "read": LONG_POLL_READ_TIMEOUT})
        return timeout

    def build(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any], *, stream: bool
    ) -> httpx.Request:
        """The ``httpx.Request`` for ``call`` (nothing is sent). A ``stream`` (a download) gets no
        size limit; it and an upload take as long as their size needs: no deadline unless the call
        was given a timeout, only per-phase limits."""
        if http.is_closed:
            raise InvalidInputError(
                "this client is closed: create a new one (or use it inside its with-block)"
            )
        kwargs, upload = call.kwargs, call.upload
        # method, url and headers are passed on their own; files too, unless the upload replaces it
        own = _OWN_KWARGS if upload is not None else _OWN_KWARGS - {"files"}
        rest = {k: v for k, v in kwargs.items() if k not in own} if len(kwargs) > 2 else {}
        extensions: dict[str, Any] = {}
        if call.max_retries is not None:
            extensions[EXT_MAX_RETRIES] = call.max_retries
        if upload is not None:
            extensions[EXT_UPLOAD] = True
        if stream:
            extensions[EXT_MAX_BYTES] = None
        if call.timeout is None and (stream or upload is not None):
            extensions[EXT_DEADLINE] = None
        try:
            request = http.build_request(
                kwargs["method"],
                self._merged(http, kwargs["url"]),
                headers=kwargs.get("headers") or None,
                timeout=self.timeout_for(call),
                extensions=extensions,
                **rest,
            )
        except (TypeError, ValueError) as exc:  # e.g. NaN in a JSON body
            raise InvalidInputError(f"the request could not be built: {exc}") from exc
        if upload is None:
            return request
        headers = [(k, v) for k, v in request.headers.multi_items() if k not in _BODY_HEADERS]
        merged = httpx.Headers(headers)
        merged.update(call.upload_headers or {})
        return httpx.Request(
            request.method,
            request.url,
            headers=merged,
            stream=upload,
            extensions=request.extensions,
        )

    def _merged(self, http: httpx.Client | httpx.AsyncClient, url: str) -> httpx.URL | str:
        """``url`` (a generated path) joined to the base URL as httpx would, parsed.

        httpx parses a relative URL, then the merged one again: the joined string is parsed
        once, and kept for the next call to the same URL (:data:`URL_CACHE_SIZE` of them, up to
        :data:`KEPT_URL_LENGTH` characters; an ``httpx.URL`` never changes). Anything but a
        plain path (query, fragment, ``//``) is left to httpx.
        """
        base = self._base
        if base is None or base[0] is not http.base_url:
            text = str(http.base_url)  # its raw path ends with "/", which str() may drop
            base = self._base = (http.base_url, text if text.endswith("/") else text + "/", {})
        if url[:1] != "/" or url[:2] == "//" or "?" in url or "#" in url:
            return url
        if len(url) + len(base[1]) > _MAX_URL_LENGTH:  # httpx would reject the joined string
            return url
        kept = base[2]
        parsed = kept.get(url)
        if parsed is None:
            # httpx keeps the base URL's trailing "/" and strips the path's leading ones.
            parsed = httpx.URL(base[1] + url.lstrip("/"))
            if len(url) <= KEPT_URL_LENGTH:
                if len(kept) >= URL_CACHE_SIZE:
                    kept.clear()
                kept[url] = parsed
        return parsed

    def download_request(
        self,
        operation: Operation[Any],
        build: Build,
        to: DownloadTarget | None,
        max_bytes: int | None,
        options: CallOptions,
    ) -> httpx.Request:
        """The request of a download. Its body is held to the caller's ``max_bytes`` (say, the
        size the API announced for the image); without one, to the client's
        ``max_download_bytes`` when kept in memory, not at all when written to ``to=`` (it goes to
        disk as it comes)."""
        request = self.build(self.http, self.call(operation, build, **options), stream=True)
        if max_bytes is not None:
            if not is_int(max_bytes) or max_bytes < 0:
                raise InvalidInputError("max_bytes must be a non-negative number of bytes")
            limit = (max_bytes, "max_bytes")
        elif to is None:
            limit = (self.config.max_download_bytes, "max_download_bytes")
        else:
            return request
        request.extensions[EXT_MAX_BYTES], request.extensions[EXT_LIMIT_NAME] = limit
        return request


class SyncCore(CoreBase):
    """Sends calls with an ``httpx.Client``."""

    pages = staticmethod(pages)

    http: httpx.Client

    def send(self, call: Call[T]) -> T:
        """Send a described call and return its parsed result (or raise the typed error)."""
        try:
            response = self.http.send(self.build(self.http, call, stream=False))
        except (httpx.RequestError, httpx.StreamError) as exc:  # (not a ``with``: every call)
            raise map_error(exc, upload=call.upload is not None) or exc from exc
        return parse_response(call.operation, response, self.api)

    def run(self, operation: Operation[T], build: Build, **options: Unpack[CallOptions]) -> T:
        """Build, send and map one call (the generated namespaces' entry point)."""
        return self.send(self.call(operation, build, **options))

    def download(
        self,
        operation: Operation[Any],
        build: Build,
        to: DownloadTarget | None,
        max_bytes: int | None = None,
        **options: Unpack[CallOptions],
    ) -> bytes | int:
        """Stream a binary response into ``to`` (returns the byte count), or return its bytes.

        An error status is read (the transport keeps its first MiB) and raised as the typed error.
        """
        request = self.download_request(operation, build, to, max_bytes, options)
        with mapped_errors():
            response = self.http.send(request, stream=True)
            try:
                if to is None or not is_success(response.status_code):
                    data: bytes | int = response.read()
                else:
                    data = write_download(response.iter_bytes(), to)
            finally:
                response.close()
        check_status(response)
        return data


class AsyncCore(CoreBase):
    """Sends calls with an ``httpx.AsyncClient``."""

    pages = staticmethod(async_pages)

    http: httpx.AsyncClient

    async def _send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        try:
            return await self.http.send(request, stream=stream)
        except RuntimeError as exc:  # e.g. "Event loop is closed": reused across asyncio.run()
            raise InvalidInputError(
                f"the request could not be sent ({exc}); an AsyncApertur belongs to the event "
                "loop it was first used in: create one per loop"
            ) from exc

    async def send(self, call: Call[T]) -> T:
        """Send a described call and return its parsed result (or raise the typed error)."""
        try:
            response = await self._send(self.build(self.http, call, stream=False))
        except (httpx.RequestError, httpx.StreamError) as exc:  # (not a ``with``: every call)
            raise map_error(exc, upload=call.upload is not None) or exc from exc
        return parse_response(call.operation, response, self.api)

    async def run(self, operation: Operation[T], build: Build, **options: Unpack[CallOptions]) -> T:
        """Build, send and map one call (the generated namespaces' entry point)."""
        return await self.send(self.call(operation, build, **options))

    async def download(
        self,
        operation: Operation[Any],
        build: Build,
        to: DownloadTarget | None,
        max_bytes: int | None = None,
        **options: Unpack[CallOptions],
    ) -> bytes | int:
        """Async twin of :meth:`SyncCore.download`."""
        request = self.download_request(operation, build, to, max_bytes, options)
        with mapped_errors():
            response = await self._send(request, stream=True)
            try:
                if to is None or not is_success(response.status_code):
                    data: bytes | int = await response.aread()
                else:
                    data = await async_write_download(response.aiter_bytes(), to)
            finally:
                await response.aclose()
        check_status(response)
        return data
