from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ack_request import AckRequest
from ...models.ack_result import AckResult
from ...models.error import Error
from ...types import UNSET, Operation, Response, Unset, status_code_of


def _get_kwargs(
    uuid: str,
    image_id: str,
    *,
    body: AckRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/upload-sessions/{uuid}/images/{image_id}/ack".format(
            uuid=quote(str(uuid), safe=""),
            image_id=quote(str(image_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    # an optional body: announce a content type only when one is sent
    if not isinstance(body, Unset):
        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AckResult | Error | None:
    if response.status_code == 200:
        response_200 = AckResult.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

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


OPERATION: Operation[AckResult] = Operation("ack_image", 200, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AckResult | Error]:
    parsed: AckResult | Error | None
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
    image_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AckRequest | Unset = UNSET,
) -> Response[AckResult | Error]:
    """Acknowledge a queued image, removing it from the queue

     The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
    image a second time answers 409.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        image_id (str):  Example: img_01HX3Q9V7Y.
        body (AckRequest | Unset): An empty object; a POST without a body is equally valid.
            Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AckResult | Error]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        image_id=image_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    image_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AckRequest | Unset = UNSET,
) -> AckResult | Error | None:
    """Acknowledge a queued image, removing it from the queue

     The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
    image a second time answers 409.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        image_id (str):  Example: img_01HX3Q9V7Y.
        body (AckRequest | Unset): An empty object; a POST without a body is equally valid.
            Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AckResult | Error
    """

    return sync_detailed(
        uuid=uuid,
        image_id=image_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    image_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AckRequest | Unset = UNSET,
) -> Response[AckResult | Error]:
    """Acknowledge a queued image, removing it from the queue

     The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
    image a second time answers 409.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        image_id (str):  Example: img_01HX3Q9V7Y.
        body (AckRequest | Unset): An empty object; a POST without a body is equally valid.
            Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AckResult | Error]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        image_id=image_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    image_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AckRequest | Unset = UNSET,
) -> AckResult | Error | None:
    """Acknowledge a queued image, removing it from the queue

     The body is optional: send none (and no Content-Type) or a JSON `{}`. Acknowledging an
    image a second time answers 409.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        image_id (str):  Example: img_01HX3Q9V7Y.
        body (AckRequest | Unset): An empty object; a POST without a body is equally valid.
            Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AckResult | Error
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            image_id=image_id,
            client=client,
            body=body,
        )
    ).parsed
