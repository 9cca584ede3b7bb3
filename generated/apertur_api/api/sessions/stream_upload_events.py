from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Operation, Response, Unset, status_code_of


def _get_kwargs(
    uuid: str,
    *,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/upload/{uuid}/events".format(
            uuid=quote(str(uuid), safe=""),
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

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

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


OPERATION: Operation[str] = Operation("stream_upload_events", 200, _parse_response)
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
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Stream a session's events (upload-page family, no API key needed)

     Opens a Server-Sent Events stream of the session's real-time events. No API key is needed:
    the session id is the credential, as for the session's other upload-page operations; a key
    that is sent is checked (the session must then belong to its project). The stream starts
    with `connected`, then carries `image:ready`, `image:delivering`, `image:delivered`,
    `image:failed` and `session:completed` as they happen (the format is described with the
    200 response). Send the id of the last event received as `Last-Event-ID` when reconnecting
    to receive what was missed (events are kept for 5 minutes).

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a session's events (upload-page family, no API key needed)

     Opens a Server-Sent Events stream of the session's real-time events. No API key is needed:
    the session id is the credential, as for the session's other upload-page operations; a key
    that is sent is checked (the session must then belong to its project). The stream starts
    with `connected`, then carries `image:ready`, `image:delivering`, `image:delivered`,
    `image:failed` and `session:completed` as they happen (the format is described with the
    200 response). Send the id of the last event received as `Last-Event-ID` when reconnecting
    to receive what was missed (events are kept for 5 minutes).

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Stream a session's events (upload-page family, no API key needed)

     Opens a Server-Sent Events stream of the session's real-time events. No API key is needed:
    the session id is the credential, as for the session's other upload-page operations; a key
    that is sent is checked (the session must then belong to its project). The stream starts
    with `connected`, then carries `image:ready`, `image:delivering`, `image:delivered`,
    `image:failed` and `session:completed` as they happen (the format is described with the
    200 response). Send the id of the last event received as `Last-Event-ID` when reconnecting
    to receive what was missed (events are kept for 5 minutes).

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a session's events (upload-page family, no API key needed)

     Opens a Server-Sent Events stream of the session's real-time events. No API key is needed:
    the session id is the credential, as for the session's other upload-page operations; a key
    that is sent is checked (the session must then belong to its project). The stream starts
    with `connected`, then carries `image:ready`, `image:delivering`, `image:delivered`,
    `image:failed` and `session:completed` as they happen (the format is described with the
    200 response). Send the id of the last event received as `Last-Event-ID` when reconnecting
    to receive what was missed (events are kept for 5 minutes).

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        last_event_id (str | Unset):  Example: 5f3a9c1e-42.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            last_event_id=last_event_id,
        )
    ).parsed
