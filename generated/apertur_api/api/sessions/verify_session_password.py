from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.verify_password_request import VerifyPasswordRequest
from ...models.verify_password_result import VerifyPasswordResult
from ...types import Operation, Response, status_code_of


def _get_kwargs(
    uuid: str,
    *,
    body: VerifyPasswordRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/upload/{uuid}/verify-password".format(
            uuid=quote(str(uuid), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | VerifyPasswordResult | None:
    if response.status_code == 200:
        response_200 = VerifyPasswordResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 410:
        response_410 = Error.from_dict(response.json())

        return response_410

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


OPERATION: Operation[VerifyPasswordResult] = Operation(
    "verify_session_password", 200, _parse_response
)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | VerifyPasswordResult]:
    parsed: Error | VerifyPasswordResult | None
    try:
        parsed = _parse_response(client=client, response=response)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        if not 200 <= response.status_code < 300:  # not the documented JSON: a proxy's page...
            parsed = None
        elif client.invalid_response is None:
            raise
        else:
            raise client.invalid_response(response, exc) from exc
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyPasswordRequest,
) -> Response[Error | VerifyPasswordResult]:
    """Check a session password

     Also callable without an API key (the session id is the credential), as the upload page
    does before it lets a person choose photos.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        body (VerifyPasswordRequest):  Example: {'password': 's3cr3t'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | VerifyPasswordResult]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyPasswordRequest,
) -> Error | VerifyPasswordResult | None:
    """Check a session password

     Also callable without an API key (the session id is the credential), as the upload page
    does before it lets a person choose photos.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        body (VerifyPasswordRequest):  Example: {'password': 's3cr3t'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | VerifyPasswordResult
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyPasswordRequest,
) -> Response[Error | VerifyPasswordResult]:
    """Check a session password

     Also callable without an API key (the session id is the credential), as the upload page
    does before it lets a person choose photos.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        body (VerifyPasswordRequest):  Example: {'password': 's3cr3t'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | VerifyPasswordResult]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyPasswordRequest,
) -> Error | VerifyPasswordResult | None:
    """Check a session password

     Also callable without an API key (the session id is the credential), as the upload page
    does before it lets a person choose photos.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        body (VerifyPasswordRequest):  Example: {'password': 's3cr3t'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | VerifyPasswordResult
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            body=body,
        )
    ).parsed
