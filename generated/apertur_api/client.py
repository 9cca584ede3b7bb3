"""The clients the endpoint functions take: ``Client`` (no credentials) and ``AuthenticatedClient``"""

import ssl
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx
from attrs import define, evolve, field


@define
class Client:
    """Settings for the endpoint functions, without credentials.

    Keyword arguments, used to build the httpx clients on first use:

    - ``base_url``: the base URL of the API; requests go to paths relative to it.
    - ``cookies``, ``headers``: sent with every request.
    - ``timeout``: an ``httpx.Timeout``; API functions raise ``httpx.TimeoutException`` past it.
    - ``verify_ssl``: whether to verify the server's TLS certificate (True in production).
    - ``follow_redirects``: whether to follow redirects (default False).
    - ``httpx_args``: more arguments for the ``httpx.Client`` and ``httpx.AsyncClient``.

    ``with_headers``, ``with_cookies`` and ``with_timeout`` return a new client with its own httpx
    clients; the httpx clients of this one (including one given by ``set_httpx_client``) are left
    as they are.
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether to raise ``errors.UnexpectedStatus`` for a status the OpenAPI document does not list."""
    invalid_response: Callable[[httpx.Response, Exception], Exception] | None = field(
        default=None, kw_only=True
    )
    """Makes the error raised for a success response whose body cannot be parsed (not JSON,
    another shape) from the response and the parser's error; None raises the parser's error."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=None, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """A new client like this one, with additional headers"""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """A new client like this one, with additional cookies"""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "Client":
        """A new client like this one, with another timeout"""
        return evolve(self, timeout=timeout)

    def _client_headers(self) -> dict[str, str]:
        return dict(self._headers)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use ``client`` for the synchronous endpoint functions.

        **NOTE**: its own base URL, headers, cookies and timeout are used instead of this one's.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The underlying httpx.Client, built on first use unless one was set"""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._client_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter the httpx.Client's context (you cannot enter twice, see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        """Exit (and so close) the httpx.Client"""
        self.get_httpx_client().__exit__(exc_type, exc, tb)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use ``async_client`` for the asynchronous endpoint functions.

        **NOTE**: its own base URL, headers, cookies and timeout are used instead of this one's.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The underlying httpx.AsyncClient, built on first use unless one was set"""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._client_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter the httpx.AsyncClient's context (you cannot enter twice, see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        """Exit (and so close) the httpx.AsyncClient"""
        await self.get_async_httpx_client().__aexit__(exc_type, exc, tb)


@define
class AuthenticatedClient:
    """Settings for the endpoint functions, with a bearer token (never shown in a repr).

    Keyword arguments, used to build the httpx clients on first use:

    - ``base_url``: the base URL of the API; requests go to paths relative to it.
    - ``cookies``, ``headers``: sent with every request.
    - ``timeout``: an ``httpx.Timeout``; API functions raise ``httpx.TimeoutException`` past it.
    - ``verify_ssl``: whether to verify the server's TLS certificate (True in production).
    - ``follow_redirects``: whether to follow redirects (default False).
    - ``httpx_args``: more arguments for the ``httpx.Client`` and ``httpx.AsyncClient``.
    - ``token``, ``prefix`` (``Bearer``), ``auth_header_name`` (``Authorization``): the credential header.

    ``with_headers``, ``with_cookies`` and ``with_timeout`` return a new client with its own httpx
    clients; the httpx clients of this one (including one given by ``set_httpx_client``) are left
    as they are.
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether to raise ``errors.UnexpectedStatus`` for a status the OpenAPI document does not list."""
    invalid_response: Callable[[httpx.Response, Exception], Exception] | None = field(
        default=None, kw_only=True
    )
    """Makes the error raised for a success response whose body cannot be parsed (not JSON,
    another shape) from the response and the parser's error; None raises the parser's error."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=None, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)
    token: str = field(repr=False)
    """The token to use for authentication"""
    prefix: str = "Bearer"
    """The prefix to use for the Authorization header"""
    auth_header_name: str = "Authorization"
    """The name of the Authorization header"""

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """A new client like this one, with additional headers"""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """A new client like this one, with additional cookies"""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "AuthenticatedClient":
        """A new client like this one, with another timeout"""
        return evolve(self, timeout=timeout)

    def _client_headers(self) -> dict[str, str]:
        credential = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: credential}

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use ``client`` for the synchronous endpoint functions.

        **NOTE**: its own base URL, headers, cookies and timeout are used instead of this one's.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The underlying httpx.Client, built on first use unless one was set"""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._client_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter the httpx.Client's context (you cannot enter twice, see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        """Exit (and so close) the httpx.Client"""
        self.get_httpx_client().__exit__(exc_type, exc, tb)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use ``async_client`` for the asynchronous endpoint functions.

        **NOTE**: its own base URL, headers, cookies and timeout are used instead of this one's.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The underlying httpx.AsyncClient, built on first use unless one was set"""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._client_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter the httpx.AsyncClient's context (you cannot enter twice, see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        """Exit (and so close) the httpx.AsyncClient"""
        await self.get_async_httpx_client().__aexit__(exc_type, exc, tb)


__all__ = ["AuthenticatedClient", "Client"]
