from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Operation, Response, Unset, status_code_of


def _get_kwargs(
    session_id: str,
    *,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/sessions/{session_id}/events".format(
            session_id=quote(str(session_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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


OPERATION: Operation[str] = Operation("stream_session_events", 200, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | str]:
    parsed: Error | str | None
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
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Stream a session's events (API key)

     The same Server-Sent Events stream as `streamUploadEvents`, for a session of the caller's
    project. The API key goes in `Authorization: Bearer`, or in the `token` query parameter for
    clients that cannot set headers (such as a browser's `EventSource`).

    Args:
        session_id (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a session's events (API key)

     The same Server-Sent Events stream as `streamUploadEvents`, for a session of the caller's
    project. The API key goes in `Authorization: Bearer`, or in the `token` query parameter for
    clients that cannot set headers (such as a browser's `EventSource`).

    Args:
        session_id (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return sync_detailed(
        session_id=session_id,
        client=client,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Stream a session's events (API key)

     The same Server-Sent Events stream as `streamUploadEvents`, for a session of the caller's
    project. The API key goes in `Authorization: Bearer`, or in the `token` query parameter for
    clients that cannot set headers (such as a browser's `EventSource`).

    Args:
        session_id (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a session's events (API key)

     The same Server-Sent Events stream as `streamUploadEvents`, for a session of the caller's
    project. The API key goes in `Authorization: Bearer`, or in the `token` query parameter for
    clients that cannot set headers (such as a browser's `EventSource`).

    Args:
        session_id (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return (
        await asyncio_detailed(
            session_id=session_id,
            client=client,
            last_event_id=last_event_id,
        )
    ).parsed
