from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_destination_request import CreateDestinationRequest
from ...models.destination import Destination
from ...models.error import Error
from ...types import Operation, Response, status_code_of


def _get_kwargs(
    project_id: str,
    *,
    body: CreateDestinationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/projects/{project_id}/destinations".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Destination | Error | None:
    if response.status_code == 201:
        response_201 = Destination.from_dict(response.json())

        return response_201

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


OPERATION: Operation[Destination] = Operation("create_destination", 201, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Destination | Error]:
    parsed: Destination | Error | None
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
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateDestinationRequest,
) -> Response[Destination | Error]:
    """Create a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        body (CreateDestinationRequest):  Example: {'type': 'webhook', 'name': 'Order images',
            'config': {'url': 'https://example.com/hooks/images', 'format': 'json_base64'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Destination | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateDestinationRequest,
) -> Destination | Error | None:
    """Create a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        body (CreateDestinationRequest):  Example: {'type': 'webhook', 'name': 'Order images',
            'config': {'url': 'https://example.com/hooks/images', 'format': 'json_base64'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Destination | Error
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateDestinationRequest,
) -> Response[Destination | Error]:
    """Create a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        body (CreateDestinationRequest):  Example: {'type': 'webhook', 'name': 'Order images',
            'config': {'url': 'https://example.com/hooks/images', 'format': 'json_base64'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Destination | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateDestinationRequest,
) -> Destination | Error | None:
    """Create a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        body (CreateDestinationRequest):  Example: {'type': 'webhook', 'name': 'Order images',
            'config': {'url': 'https://example.com/hooks/images', 'format': 'json_base64'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Destination | Error
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
