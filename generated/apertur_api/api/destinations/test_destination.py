from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.destination_test_result import DestinationTestResult
from ...models.error import Error
from ...types import Operation, Response, status_code_of


def _get_kwargs(
    project_id: str,
    dest_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/projects/{project_id}/destinations/{dest_id}/test".format(
            project_id=quote(str(project_id), safe=""),
            dest_id=quote(str(dest_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DestinationTestResult | Error | None:
    if response.status_code == 200:
        response_200 = DestinationTestResult.from_dict(response.json())

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


OPERATION: Operation[DestinationTestResult] = Operation("test_destination", 200, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DestinationTestResult | Error]:
    parsed: DestinationTestResult | Error | None
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
    dest_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DestinationTestResult | Error]:
    """Send a test delivery to a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        dest_id (str):  Example: dest_01HX3Q8.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DestinationTestResult | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        dest_id=dest_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    dest_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DestinationTestResult | Error | None:
    """Send a test delivery to a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        dest_id (str):  Example: dest_01HX3Q8.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DestinationTestResult | Error
    """

    return sync_detailed(
        project_id=project_id,
        dest_id=dest_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    dest_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DestinationTestResult | Error]:
    """Send a test delivery to a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        dest_id (str):  Example: dest_01HX3Q8.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DestinationTestResult | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        dest_id=dest_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    dest_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DestinationTestResult | Error | None:
    """Send a test delivery to a destination

    Args:
        project_id (str):  Example: proj_01HX3Q7.
        dest_id (str):  Example: dest_01HX3Q8.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DestinationTestResult | Error
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            dest_id=dest_id,
            client=client,
        )
    ).parsed
