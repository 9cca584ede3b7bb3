"""Who may use the control plane ``/_local/…``: not a web page, not a rebound host name."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from localhelpers import client_for, create_session

from apertur_local import LocalApertur
from apertur_local._control import host_is_local


def _raw(server: LocalApertur, method: str, path: str, **headers: str) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=30) as http:
        return http.request(method, server.url + path, headers=headers)


def _sessions(server: LocalApertur) -> int:
    with client_for(server) as api:
        return int(api.get("/api/v1/sessions").json()["total"])


@pytest.mark.parametrize(
    "headers",
    [
        {
            "Content-Type": "text/plain",
            "Origin": "http://evil.example",
            "Host": "rebind.evil.example",
        },
        {"Host": "rebind.evil.example"},
        {"Host": "rebind.evil.example:8484"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Host": ""},
    ],
    ids=[
        "page-and-rebind",
        "rebind",
        "rebind-port",
        "origin",
        "null-origin",
        "cross-site",
        "same-site",
        "empty-host",
    ],
)
def test_a_web_page_cannot_reset_or_read_the_server(
    apertur_local: LocalApertur, headers: dict[str, str]
) -> None:
    with client_for(apertur_local) as api:
        create_session(api)
    reset = _raw(apertur_local, "POST", "/_local/reset", **headers)
    assert reset.status_code == 403
    assert reset.json()["code"] == "FORBIDDEN"
    state = _raw(apertur_local, "GET", "/_local/state", **headers)
    assert state.status_code == 403
    assert "dataDir" not in state.text
    assert _raw(apertur_local, "DELETE", "/_local/faults", **headers).status_code == 403
    assert _sessions(apertur_local) == 1


def test_the_server_itself_and_loopback_names_are_welcome(apertur_local: LocalApertur) -> None:
    port = apertur_local.url.rsplit(":", 1)[1]
    own = f"127.0.0.1:{port}"
    for headers in (
        {},
        {"Host": f"localhost:{port}"},
        {"Host": f"LOCALHOST.:{port}"},
        {"Host": f"[::1]:{port}"},
        {"Host": f"127.0.0.2:{port}"},
        {"Host": own, "Origin": f"http://{own}", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ):
        assert _raw(apertur_local, "GET", "/_local/state", **headers).status_code == 200, headers
    with client_for(apertur_local) as api:
        create_session(api)
    assert _raw(apertur_local, "POST", "/_local/reset", Origin=f"http://{own}").status_code == 200
    assert _sessions(apertur_local) == 0


def test_host_rules() -> None:
    assert host_is_local("localhost", "127.0.0.1")
    assert host_is_local("127.9.9.9", "127.0.0.1")
    assert host_is_local("::ffff:127.0.0.1", "127.0.0.1")
    assert host_is_local("apertur.test", "apertur.test")
    assert not host_is_local("evil.localhost", "127.0.0.1")
    assert not host_is_local("10.0.0.1", "127.0.0.1")
    assert not host_is_local("0.0.0.0", "127.0.0.1")  # noqa: S104


@pytest.fixture
def guarded() -> Iterator[LocalApertur]:
    with LocalApertur(control_token="ctl-secret-7f3a") as server:
        yield server


def test_a_control_token_is_required_when_set(guarded: LocalApertur) -> None:
    with client_for(guarded) as api:
        create_session(api)
    assert _raw(guarded, "POST", "/_local/reset").status_code == 401
    wrong = _raw(guarded, "POST", "/_local/reset", **{"X-Apertur-Control-Token": "nope"})
    assert wrong.status_code == 401
    assert "ctl-secret" not in wrong.text
    assert _sessions(guarded) == 1
    assert _raw(guarded, "GET", "/_local/health").status_code == 200  # readiness needs no token
    token = {"X-Apertur-Control-Token": "ctl-secret-7f3a"}
    # the token also lets a client reach the server under another name (a container's, say)
    assert _raw(guarded, "GET", "/_local/state", Host="apertur:8484", **token).status_code == 200
    guarded.reset()  # LocalApertur sends its token
    assert _sessions(guarded) == 0
    assert "ctl-secret" not in repr(guarded.config)
