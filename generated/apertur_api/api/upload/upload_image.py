from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.encryption_mode import EncryptionMode
from ...models.error import Error
from ...models.upload_image_body import UploadImageBody
from ...models.upload_result import UploadResult
from ...types import UNSET, Operation, Response, Unset, status_code_of


def _get_kwargs(
    uuid: str,
    *,
    body: UploadImageBody,
    x_session_password: str | Unset = UNSET,
    x_aptr_encrypted: EncryptionMode | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_session_password, Unset):
        headers["x-session-password"] = x_session_password

    if not isinstance(x_aptr_encrypted, Unset):
        headers["X-Aptr-Encrypted"] = str(x_aptr_encrypted)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/upload/{uuid}/images".format(
            uuid=quote(str(uuid), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    # multipart: httpx sets Content-Type with a random boundary

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UploadResult | None:
    if response.status_code == 201:
        response_201 = UploadResult.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Error.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

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


OPERATION: Operation[UploadResult] = Operation("upload_image", 201, _parse_response)
""" This endpoint for the SDK's request path: what a success returns, its status, its parser. """


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | UploadResult]:
    parsed: Error | UploadResult | None
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
    body: UploadImageBody,
    x_session_password: str | Unset = UNSET,
    x_aptr_encrypted: EncryptionMode | Unset = UNSET,
) -> Response[Error | UploadResult]:
    """Upload one image into a session (plain or encrypted)

     Plain: the `file` part holds the image bytes. Encrypted (`X-Aptr-Encrypted: default`): the
    `file` part holds the UTF-8 JSON envelope (EncryptedEnvelope), part type
    `application/octet-stream`, filename `<name>.enc`. Part order does not matter. Send `source`
    only when you have one: the server rejects `sdk` and defaults to `camera`.
    Also callable without an API key (the session id is the credential), as the upload page
    does; the session's password, limits and expiry apply either way.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        x_session_password (str | Unset):
        x_aptr_encrypted (EncryptionMode | Unset): `default`: the file is an envelope encrypted
            for the server key. Example: default.
        body (UploadImageBody):  Example: {'file': '(the image bytes)', 'source': 'gallery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadResult]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        body=body,
        x_session_password=x_session_password,
        x_aptr_encrypted=x_aptr_encrypted,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: UploadImageBody,
    x_session_password: str | Unset = UNSET,
    x_aptr_encrypted: EncryptionMode | Unset = UNSET,
) -> Error | UploadResult | None:
    """Upload one image into a session (plain or encrypted)

     Plain: the `file` part holds the image bytes. Encrypted (`X-Aptr-Encrypted: default`): the
    `file` part holds the UTF-8 JSON envelope (EncryptedEnvelope), part type
    `application/octet-stream`, filename `<name>.enc`. Part order does not matter. Send `source`
    only when you have one: the server rejects `sdk` and defaults to `camera`.
    Also callable without an API key (the session id is the credential), as the upload page
    does; the session's password, limits and expiry apply either way.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        x_session_password (str | Unset):
        x_aptr_encrypted (EncryptionMode | Unset): `default`: the file is an envelope encrypted
            for the server key. Example: default.
        body (UploadImageBody):  Example: {'file': '(the image bytes)', 'source': 'gallery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadResult
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        body=body,
        x_session_password=x_session_password,
        x_aptr_encrypted=x_aptr_encrypted,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: UploadImageBody,
    x_session_password: str | Unset = UNSET,
    x_aptr_encrypted: EncryptionMode | Unset = UNSET,
) -> Response[Error | UploadResult]:
    """Upload one image into a session (plain or encrypted)

     Plain: the `file` part holds the image bytes. Encrypted (`X-Aptr-Encrypted: default`): the
    `file` part holds the UTF-8 JSON envelope (EncryptedEnvelope), part type
    `application/octet-stream`, filename `<name>.enc`. Part order does not matter. Send `source`
    only when you have one: the server rejects `sdk` and defaults to `camera`.
    Also callable without an API key (the session id is the credential), as the upload page
    does; the session's password, limits and expiry apply either way.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        x_session_password (str | Unset):
        x_aptr_encrypted (EncryptionMode | Unset): `default`: the file is an envelope encrypted
            for the server key. Example: default.
        body (UploadImageBody):  Example: {'file': '(the image bytes)', 'source': 'gallery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadResult]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        body=body,
        x_session_password=x_session_password,
        x_aptr_encrypted=x_aptr_encrypted,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: UploadImageBody,
    x_session_password: str | Unset = UNSET,
    x_aptr_encrypted: EncryptionMode | Unset = UNSET,
) -> Error | UploadResult | None:
    """Upload one image into a session (plain or encrypted)

     Plain: the `file` part holds the image bytes. Encrypted (`X-Aptr-Encrypted: default`): the
    `file` part holds the UTF-8 JSON envelope (EncryptedEnvelope), part type
    `application/octet-stream`, filename `<name>.enc`. Part order does not matter. Send `source`
    only when you have one: the server rejects `sdk` and defaults to `camera`.
    Also callable without an API key (the session id is the credential), as the upload page
    does; the session's password, limits and expiry apply either way.

    Args:
        uuid (str):  Example: 7c9e6679-7425-40de-944b-e07fc1f90ae7.
        x_session_password (str | Unset):
        x_aptr_encrypted (EncryptionMode | Unset): `default`: the file is an envelope encrypted
            for the server key. Example: default.
        body (UploadImageBody):  Example: {'file': '(the image bytes)', 'source': 'gallery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadResult
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            body=body,
            x_session_password=x_session_password,
            x_aptr_encrypted=x_aptr_encrypted,
        )
    ).parsed
