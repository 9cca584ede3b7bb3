from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.key_destinations_result import KeyDestinationsResult
from ...models.set_key_destinations_request import SetKeyDestinationsRequest
from ...types import Operation, Response, status_code_of


def _get_kwargs(
    key_id: str,
    *,
    body: SetKeyDestinationsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/keys/{key_id}/destinations".format(
            key_id=quote(str(key_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | KeyDestinationsResult | None:
    if response.status_code == 200:
        response_200 = KeyDestinationsResult.from_dict(response.json())

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

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

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


OPERATION: Operation[KeyDestinationsResult] = Operation(
    "set_api_key_destinations", 200, _parse_response
)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | KeyDestinationsResult]:
    parsed: Error | KeyDestinationsResult | None
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
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetKeyDestinationsRequest,
) -> Response[Error | KeyDestinationsResult]:
    """Set a key's default destinations (not project-scoped)

     Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
    the key's long-polling setting is unchanged.

    Args:
        key_id (str):  Example: key_01HX3Q9.
        body (SetKeyDestinationsRequest): The destinations a key delivers to. Example:
            {'destination_ids': ['dest_01HX3Q8'], 'long_polling_enabled': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | KeyDestinationsResult]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetKeyDestinationsRequest,
) -> Error | KeyDestinationsResult | None:
    """Set a key's default destinations (not project-scoped)

     Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
    the key's long-polling setting is unchanged.

    Args:
        key_id (str):  Example: key_01HX3Q9.
        body (SetKeyDestinationsRequest): The destinations a key delivers to. Example:
            {'destination_ids': ['dest_01HX3Q8'], 'long_polling_enabled': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | KeyDestinationsResult
    """

    return sync_detailed(
        key_id=key_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetKeyDestinationsRequest,
) -> Response[Error | KeyDestinationsResult]:
    """Set a key's default destinations (not project-scoped)

     Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
    the key's long-polling setting is unchanged.

    Args:
        key_id (str):  Example: key_01HX3Q9.
        body (SetKeyDestinationsRequest): The destinations a key delivers to. Example:
            {'destination_ids': ['dest_01HX3Q8'], 'long_polling_enabled': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | KeyDestinationsResult]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetKeyDestinationsRequest,
) -> Error | KeyDestinationsResult | None:
    """Set a key's default destinations (not project-scoped)

     Replaces the key's destinations. `long_polling_enabled` is optional: when it is left out,
    the key's long-polling setting is unchanged.

    Args:
        key_id (str):  Example: key_01HX3Q9.
        body (SetKeyDestinationsRequest): The destinations a key delivers to. Example:
            {'destination_ids': ['dest_01HX3Q8'], 'long_polling_enabled': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | KeyDestinationsResult
    """

    return (
        await asyncio_detailed(
            key_id=key_id,
            client=client,
            body=body,
        )
    ).parsed
