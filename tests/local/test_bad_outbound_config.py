"""Webhook URLs and headers that could never be sent are refused when configured, and any
failure while sending is a failed delivery attempt, never a stuck one or a 500."""

from __future__ import annotations

import httpx
import pytest
from localhelpers import create_session

from apertur_local import LocalApertur
from apertur_local._outbound import OutboundRequest, OutboundSender


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/", "http://[::1", "http://:80/x", "ftp://127.0.0.1/"]
)
def test_unusable_webhook_urls_are_refused(
    api: httpx.Client, apertur_local: LocalApertur, url: str
) -> None:
    project = apertur_local.project_id
    hook = api.post(f"/api/v1/projects/{project}/webhooks", json={"url": url, "topics": ["*"]})
    assert hook.status_code == 400, hook.text
    dest = api.post(
        f"/api/v1/projects/{project}/destinations",
        json={"type": "webhook", "name": "d", "config": {"url": url}},
    )
    assert dest.status_code == 400, dest.text


@pytest.mark.parametrize("headers", [{"X-Team": "Équipe"}, {"Bad Name": "x"}, {"X-A": "a\nb"}])
def test_unsendable_custom_headers_are_refused(
    api: httpx.Client, apertur_local: LocalApertur, headers: dict[str, str]
) -> None:
    reply = api.post(
        f"/api/v1/projects/{apertur_local.project_id}/webhooks",
        json={"url": "http://127.0.0.1:9/x", "topics": ["*"], "customHeaders": headers},
    )
    assert reply.status_code == 400, reply.text


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_refused(api: httpx.Client, constant: str) -> None:
    reply = api.post(
        "/api/v1/upload-sessions",
        content=f'{{"metadata": {{"score": {constant}}}}}',
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == 400
    assert create_session(api)  # the server is fine afterwards


@pytest.mark.anyio
async def test_any_send_failure_is_a_failed_attempt() -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise OverflowError("port must be 0-65535")

    client = httpx.AsyncClient(transport=httpx.MockTransport(explode))
    result = await OutboundSender(client=client).send(
        OutboundRequest("http://127.0.0.1/x", {}, b"")
    )
    assert not result.ok
    assert result.error == "OverflowError: port must be 0-65535"
    await client.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
