from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.qr_format import QrFormat
from ...models.qr_style import QrStyle
from ...types import UNSET, File, Operation, Response, Unset, status_code_of


def _get_kwargs(
    uuid: str,
    *,
    format_: QrFormat | Unset = UNSET,
    size: int | Unset = UNSET,
    style: QrStyle | Unset = UNSET,
    fg: str | Unset = UNSET,
    bg: str | Unset = UNSET,
    border_size: int | Unset = UNSET,
    border_color: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["size"] = size

    json_style: str | Unset = UNSET
    if not isinstance(style, Unset):
        json_style = style.value

    params["style"] = json_style

    params["fg"] = fg

    params["bg"] = bg

    params["borderSize"] = border_size

    params["borderColor"] = border_color

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/upload-sessions/{uuid}/qr".format(
            uuid=quote(str(uuid), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


OPERATION: Operation[File] = Operation("get_session_qr", 200, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | File]:
    parsed: Error | File | None
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
    format_: QrFormat | Unset = UNSET,
    size: int | Unset = UNSET,
    style: QrStyle | Unset = UNSET,
    fg: str | Unset = UNSET,
    bg: str | Unset = UNSET,
    border_size: int | Unset = UNSET,
    border_color: str | Unset = UNSET,
) -> Response[Error | File]:
    """The session's QR code as an image

     A PNG, SVG or JPEG image of the session's upload URL.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        format_ (QrFormat | Unset):  Example: png.
        size (int | Unset):  Example: 300.
        style (QrStyle | Unset):  Example: square.
        fg (str | Unset):  Example: 000000.
        bg (str | Unset):  Example: ffffff.
        border_size (int | Unset):  Example: 2.
        border_color (str | Unset):  Example: ffffff.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        format_=format_,
        size=size,
        style=style,
        fg=fg,
        bg=bg,
        border_size=border_size,
        border_color=border_color,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    format_: QrFormat | Unset = UNSET,
    size: int | Unset = UNSET,
    style: QrStyle | Unset = UNSET,
    fg: str | Unset = UNSET,
    bg: str | Unset = UNSET,
    border_size: int | Unset = UNSET,
    border_color: str | Unset = UNSET,
) -> Error | File | None:
    """The session's QR code as an image

     A PNG, SVG or JPEG image of the session's upload URL.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        format_ (QrFormat | Unset):  Example: png.
        size (int | Unset):  Example: 300.
        style (QrStyle | Unset):  Example: square.
        fg (str | Unset):  Example: 000000.
        bg (str | Unset):  Example: ffffff.
        border_size (int | Unset):  Example: 2.
        border_color (str | Unset):  Example: ffffff.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        format_=format_,
        size=size,
        style=style,
        fg=fg,
        bg=bg,
        border_size=border_size,
        border_color=border_color,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    format_: QrFormat | Unset = UNSET,
    size: int | Unset = UNSET,
    style: QrStyle | Unset = UNSET,
    fg: str | Unset = UNSET,
    bg: str | Unset = UNSET,
    border_size: int | Unset = UNSET,
    border_color: str | Unset = UNSET,
) -> Response[Error | File]:
    """The session's QR code as an image

     A PNG, SVG or JPEG image of the session's upload URL.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        format_ (QrFormat | Unset):  Example: png.
        size (int | Unset):  Example: 300.
        style (QrStyle | Unset):  Example: square.
        fg (str | Unset):  Example: 000000.
        bg (str | Unset):  Example: ffffff.
        border_size (int | Unset):  Example: 2.
        border_color (str | Unset):  Example: ffffff.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        format_=format_,
        size=size,
        style=style,
        fg=fg,
        bg=bg,
        border_size=border_size,
        border_color=border_color,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    format_: QrFormat | Unset = UNSET,
    size: int | Unset = UNSET,
    style: QrStyle | Unset = UNSET,
    fg: str | Unset = UNSET,
    bg: str | Unset = UNSET,
    border_size: int | Unset = UNSET,
    border_color: str | Unset = UNSET,
) -> Error | File | None:
    """The session's QR code as an image

     A PNG, SVG or JPEG image of the session's upload URL.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        format_ (QrFormat | Unset):  Example: png.
        size (int | Unset):  Example: 300.
        style (QrStyle | Unset):  Example: square.
        fg (str | Unset):  Example: 000000.
        bg (str | Unset):  Example: ffffff.
        border_size (int | Unset):  Example: 2.
        border_color (str | Unset):  Example: ffffff.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            format_=format_,
            size=size,
            style=style,
            fg=fg,
            bg=bg,
            border_size=border_size,
            border_color=border_color,
        )
    ).parsed
