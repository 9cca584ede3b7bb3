"""THE request path: every call of every namespace, sync and async, generated or hand-written.

:class:`SyncCore` / :class:`AsyncCore` implement the generated ``Requester`` / ``AsyncRequester``
protocols: ``run`` (a call parsed into its model) and ``download`` (a binary response streamed
into a file, or returned as bytes), which every generated namespace method calls. Hand-written
methods use ``call`` + ``send`` for what the generated ones cannot do (a streamed upload body
replacing the generated ``files=``). Each call:

1. builds the generated request description (``build()``, the endpoint's ``_get_kwargs``): an
   unusable argument becomes :class:`InvalidInputError` before anything is sent; the per-call
   ``extra_headers`` / ``extra_query`` / ``extra_body`` are merged in;
2. builds one ``httpx.Request`` with the client's ``httpx`` client (base URL, auth, User-Agent),
   the per-call timeout and the retry extensions of ``transport``;
3. sends it through the client's :class:`RetryTransport`, which retries, signs and logs each
   attempt;
4. maps the outcome in one place: ``response`` for statuses and bodies, ``failures`` for
   transport failures (``APIConnectionError``, ``APITimeoutError``,
   ``UploadMayHaveBeenStoredError``).

It runs on every call, so it does no work that is switched off (log records below the
logger's level) and lets httpx parse each URL once. Everything but the send itself is shared by
the two cores (:class:`CoreBase`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import attrs
import httpx

from apertur_api.types import ArgumentError

from .config import LONG_POLL_READ_TIMEOUT, ClientConfig, TimeoutArg, check_max_retries, to_timeout
from .downloads import async_write_download, write_download
from .exceptions import AperturError, InvalidInputError
from .failures import aread_capped, map_error, mapped_errors, read_capped
from .log import log_failure, log_response, logger
from .response import check_status, is_success, parse_response
from .transport import EXT_CALL, EXT_DEADLINE, EXT_MAX_RETRIES, EXT_UPLOAD, RETRY_COUNT_HEADER

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
_OWN_KWARGS = frozenset({"method", "url", "files", "headers"})
# What else a badly typed argument can raise while the generated code builds the request.
_BUILD_ERRORS = (TypeError, ValueError, AttributeError, KeyError)


@attrs.frozen
class Call(Generic[T]):
    """One API call, described without I/O.

    ``long_poll`` raises the default read timeout above the server's 5-minute hold; ``upload``
    (with its framing ``upload_headers``) is the streamed body replacing the generated
    ``files=`` kwarg.
    """

    operation: Operation[T]
    kwargs: dict[str, Any]
    timeout: TimeoutArg = None
    max_retries: int | None = None
    long_poll: bool = False
    upload: UploadStream | None = None
    upload_headers: Mapping[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_max_retries(self.max_retries)


def _built(operation: Operation[Any], build: Build) -> dict[str, Any]:
    """The generated request description; bad arguments become :class:`InvalidInputError`."""
    try:
        return build()
    except ArgumentError as exc:
        raise InvalidInputError(str(exc)) from exc
    except _BUILD_ERRORS as exc:
        raise InvalidInputError(
            f"{operation.name}: the request could not be built ({type(exc).__name__}: {exc})"
        ) from exc


def _with_extras(
    kwargs: dict[str, Any],
    headers: Headers | None,
    query: Query | None,
    body: Body | None,
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


def _attempts(request: httpx.Request) -> int:
    try:
        return int(request.headers.get(RETRY_COUNT_HEADER, "0")) + 1
    except ValueError:
        return 1


class CoreBase:
    """The non-I/O half of the request path, shared by the sync and async cores."""

    def __init__(self, config: ClientConfig, api: AuthenticatedClient) -> None:
        self.config = config
        self.api = api  # the generated client: ``client.api``, and what the parsers take
        timeout = config.timeout
        # Connect + read of the client's timeout: the deadline span of a plain call.
        self._default_span = (timeout.connect or 0) + (timeout.read or 0)
        self._base: tuple[httpx.URL, str] | None = None  # (http.base_url, str of it)

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
        kwargs = _built(operation, build)
        if extra_headers or extra_query or extra_body:
            kwargs = _with_extras(kwargs, extra_headers, extra_query, extra_body)
        if upload is None:
            return Call(operation, kwargs, timeout, max_retries, long_poll)
        return Call(
            operation, kwargs, timeout, max_retries, long_poll, upload, upload_headers or {}
        )

    def timeout_for(self, call: Call[Any]) -> httpx.Timeout:
        """The call's timeout, else the client's (read raised for long-polls)."""
        if call.timeout is not None:
            return to_timeout(call.timeout)
        timeout = self.config.timeout
        if call.long_poll and (timeout.read or 0) < LONG_POLL_READ_TIMEOUT:
            timeout = httpx.Timeout(
                connect=timeout.connect,
                read=LONG_POLL_READ_TIMEOUT,
                write=timeout.write,
                pool=timeout.pool,
            )
        return timeout

    def build(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any], *, stream: bool
    ) -> httpx.Request:
        """The ``httpx.Request`` for ``call`` (nothing is sent)."""
        if http.is_closed:
            raise InvalidInputError(
                "this client is closed: create a new one (or use it inside its with-block)"
            )
        kwargs = call.kwargs
        method = kwargs["method"]
        url = kwargs["url"]
        # method, url and headers are not passed on as they are; neither is files when
        # call.upload replaces it.
        own = _OWN_KWARGS if call.upload is not None else _OWN_KWARGS - {"files"}
        rest = {k: v for k, v in kwargs.items() if k not in own} if len(kwargs) > 2 else {}
        headers = kwargs.get("headers") or None
        if call.timeout is None and not call.long_poll:
            timeout, span = self.config.timeout, self._default_span
        else:
            timeout = self.timeout_for(call)
            span = (timeout.connect or 0) + (timeout.read or 0)
        extensions: dict[str, Any] = {EXT_CALL: True}
        if call.max_retries is not None:
            extensions[EXT_MAX_RETRIES] = call.max_retries
        if call.upload is not None:
            extensions[EXT_UPLOAD] = True
        elif not stream:
            # One deadline across attempts: a call never outlives connect + read timeouts.
            # Streamed bodies (uploads, downloads) scale with size and get none.
            extensions[EXT_DEADLINE] = time.monotonic() + span
        try:
            request = http.build_request(
                method,
                self._merged(http, url),
                headers=headers,
                timeout=timeout,
                extensions=extensions,
                **rest,
            )
        except (TypeError, ValueError) as exc:  # e.g. NaN in a JSON body
            raise InvalidInputError(f"the request could not be built: {exc}") from exc
        if call.upload is None:
            return request
        merged = httpx.Headers(
            [(k, v) for k, v in request.headers.multi_items() if k.lower() not in _BODY_HEADERS]
        )
        merged.update(call.upload_headers)
        return httpx.Request(
            request.method,
            request.url,
            headers=merged,
            stream=call.upload,
            extensions=request.extensions,
        )

    def _merged(self, http: httpx.Client | httpx.AsyncClient, url: str) -> str:
        """``url`` (a generated path) joined to the base URL as httpx would, in one string.

        httpx parses a relative URL, then the merged one again: an absolute string is parsed
        once. Anything but a plain path (query, fragment, ``//``) is left to httpx.
        """
        base = self._base
        if base is None or base[0] is not http.base_url:
            text = str(http.base_url)  # its raw path ends with "/", which str() may drop
            base = self._base = (http.base_url, text if text.endswith("/") else text + "/")
        if url[:1] != "/" or url[:2] == "//" or "?" in url or "#" in url:
            return url
        if len(url) + len(base[1]) > _MAX_URL_LENGTH:  # httpx would reject the joined string
            return url
        # httpx keeps the base URL's trailing "/" and strips the path's leading ones.
        return base[1] + url.lstrip("/")

    def done(self, response: httpx.Response, started: float) -> None:
        """Log a call that got a response."""
        if logger.isEnabledFor(logging.INFO):
            request = response.request
            elapsed = time.monotonic() - started
            log_response(request, response.status_code, _attempts(request), elapsed)

    def finish(self, call: Call[T], response: httpx.Response, started: float) -> T:
        """Log and map a fully read response."""
        self.done(response, started)
        return parse_response(call.operation, response, self.api)

    def failed(self, request: httpx.Request, error: BaseException, started: float) -> None:
        """Log a call that ended without a response."""
        log_failure(request, error, _attempts(request), time.monotonic() - started)


class SyncCore(CoreBase):
    """Sends calls with an ``httpx.Client``."""

    def __init__(self, config: ClientConfig, api: AuthenticatedClient, http: httpx.Client) -> None:
        super().__init__(config, api)
        self.http = http

    def _send(self, call: Call[Any], *, stream: bool) -> tuple[httpx.Response, float]:
        request = self.build(self.http, call, stream=stream)
        started = time.monotonic()
        try:
            return self.http.send(request, stream=stream), started
        except (httpx.RequestError, httpx.StreamError) as exc:
            mapped = map_error(exc, upload=call.upload is not None)
            if mapped is None:
                raise
            self.failed(request, mapped, started)
            raise mapped from exc
        except AperturError as exc:
            self.failed(request, exc, started)
            raise

    def send(self, call: Call[T]) -> T:
        """Send a described call and return its parsed result (or raise the typed error)."""
        response, started = self._send(call, stream=False)
        return self.finish(call, response, started)

    def run(self, operation: Operation[T], build: Build, **options: Unpack[CallOptions]) -> T:
        """Build, send and map one call (the generated namespaces' entry point)."""
        return self.send(self.call(operation, build, **options))

    def download(
        self,
        operation: Operation[Any],
        build: Build,
        to: DownloadTarget | None,
        **options: Unpack[CallOptions],
    ) -> bytes | int:
        """Stream a binary response into ``to`` (returns the byte count), or return its bytes.

        An error status is read (capped) and raised as the typed error.
        """
        call = self.call(operation, build, **options)
        response, started = self._send(call, stream=True)
        try:
            with mapped_errors():
                if not is_success(response.status_code):
                    self.done(response, started)
                    check_status(response, read_capped(response))
                if to is None:
                    data: bytes | int = response.read()
                else:
                    data = write_download(response.iter_bytes(), to)
        finally:
            response.close()
        self.done(response, started)
        return data


class AsyncCore(CoreBase):
    """Sends calls with an ``httpx.AsyncClient``."""

    def __init__(
        self, config: ClientConfig, api: AuthenticatedClient, http: httpx.AsyncClient
    ) -> None:
        super().__init__(config, api)
        self.http = http

    async def _send(self, call: Call[Any], *, stream: bool) -> tuple[httpx.Response, float]:
        request = self.build(self.http, call, stream=stream)
        started = time.monotonic()
        try:
            return await self.http.send(request, stream=stream), started
        except RuntimeError as exc:  # e.g. "Event loop is closed": reused across asyncio.run()
            wrong_loop = InvalidInputError(
                f"the request could not be sent ({exc}); an AsyncApertur belongs to the event "
                "loop it was first used in: create one per loop"
            )
            self.failed(request, wrong_loop, started)
            raise wrong_loop from exc
        except (httpx.RequestError, httpx.StreamError) as exc:
            mapped = map_error(exc, upload=call.upload is not None)
            if mapped is None:
                raise
            self.failed(request, mapped, started)
            raise mapped from exc
        except AperturError as exc:
            self.failed(request, exc, started)
            raise

    async def send(self, call: Call[T]) -> T:
        """Send a described call and return its parsed result (or raise the typed error)."""
        response, started = await self._send(call, stream=False)
        return self.finish(call, response, started)

    async def run(self, operation: Operation[T], build: Build, **options: Unpack[CallOptions]) -> T:
        """Build, send and map one call (the generated namespaces' entry point)."""
        return await self.send(self.call(operation, build, **options))

    async def download(
        self,
        operation: Operation[Any],
        build: Build,
        to: DownloadTarget | None,
        **options: Unpack[CallOptions],
    ) -> bytes | int:
        """Async twin of :meth:`SyncCore.download`."""
        call = self.call(operation, build, **options)
        response, started = await self._send(call, stream=True)
        try:
            with mapped_errors():
                if not is_success(response.status_code):
                    self.done(response, started)
                    check_status(response, await aread_capped(response))
                if to is None:
                    data: bytes | int = await response.aread()
                else:
                    data = await async_write_download(response.aiter_bytes(), to)
        finally:
            await response.aclose()
        self.done(response, started)
        return data
