from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_status import DeliveryStatus
from ...models.error import Error
from ...types import UNSET, Operation, Response, Unset, status_code_of


def _get_kwargs(
    uuid: str,
    *,
    poll_from: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["pollFrom"] = poll_from

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/upload-sessions/{uuid}/delivery-status".format(
            uuid=quote(str(uuid), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryStatus | Error | None:
    if response.status_code == 200:
        response_200 = DeliveryStatus.from_dict(response.json())

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


OPERATION: Operation[DeliveryStatus] = Operation("get_delivery_status", 200, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeliveryStatus | Error]:
    parsed: DeliveryStatus | Error | None
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
    poll_from: str | Unset = UNSET,
) -> Response[DeliveryStatus | Error]:
    """Per-file, per-destination delivery status (long-poll with pollFrom)

     Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
    the server holds the request up to about 5 minutes until something changes after the cursor,
    then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
    hold: the client uses 360 s for these calls.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        poll_from (str | Unset):  Example: 2026-06-12T09:44:41.919Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryStatus | Error]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        poll_from=poll_from,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    poll_from: str | Unset = UNSET,
) -> DeliveryStatus | Error | None:
    """Per-file, per-destination delivery status (long-poll with pollFrom)

     Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
    the server holds the request up to about 5 minutes until something changes after the cursor,
    then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
    hold: the client uses 360 s for these calls.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        poll_from (str | Unset):  Example: 2026-06-12T09:44:41.919Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryStatus | Error
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        poll_from=poll_from,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    poll_from: str | Unset = UNSET,
) -> Response[DeliveryStatus | Error]:
    """Per-file, per-destination delivery status (long-poll with pollFrom)

     Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
    the server holds the request up to about 5 minutes until something changes after the cursor,
    then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
    hold: the client uses 360 s for these calls.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        poll_from (str | Unset):  Example: 2026-06-12T09:44:41.919Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryStatus | Error]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        poll_from=poll_from,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    poll_from: str | Unset = UNSET,
) -> DeliveryStatus | Error | None:
    """Per-file, per-destination delivery status (long-poll with pollFrom)

     Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
    the server holds the request up to about 5 minutes until something changes after the cursor,
    then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
    hold: the client uses 360 s for these calls.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        poll_from (str | Unset):  Example: 2026-06-12T09:44:41.919Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryStatus | Error
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            poll_from=poll_from,
        )
    ).parsed
