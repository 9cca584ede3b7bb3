"""The local server never reaches the internet by surprise: webhooks to non-loopback hosts are
logged as failed deliveries that say why, unless --allow-external-delivery is given."""

from __future__ import annotations

import httpx
from localhelpers import wait_until

from apertur_local import LocalApertur
from apertur_local.__main__ import parser


def test_event_to_an_external_host_fails_with_a_reason(
    api: httpx.Client, apertur_local: LocalApertur
) -> None:
    project = apertur_local.project_id
    hook = api.post(
        f"/api/v1/projects/{project}/webhooks",
        json={"url": "https://203.0.113.5/hooks", "topics": ["*"], "maxRetries": 0},
    ).json()
    assert api.post(f"/api/v1/projects/{project}/webhooks/{hook['id']}/test").status_code == 200

    def failed() -> list[dict[str, object]]:
        page = api.get(f"/api/v1/projects/{project}/webhooks/{hook['id']}/deliveries").json()
        return [d for d in page["deliveries"] if d["status"] == "failed"]

    delivery = wait_until(failed)[0]
    assert "loopback" in str(delivery["lastError"])
    assert delivery["responseCode"] is None


def test_the_serve_command_can_allow_external_delivery() -> None:
    assert parser().parse_args(["serve"]).allow_external_delivery is False
    assert parser().parse_args(["serve", "--allow-external-delivery"]).allow_external_delivery


def test_a_wildcard_bind_advertises_loopback() -> None:
    from apertur_local import LocalConfig

    assert LocalConfig(host="0.0.0.0", port=8484).url == "http://127.0.0.1:8484"  # noqa: S104
    assert LocalConfig(host="::", port=8484).url == "http://[::1]:8484"
