"""Serving the local network: LAN links for phones, and a warning about what that exposes.

No test sends anything beyond loopback: the "LAN address" is a documentation address
(192.0.2.0/24) handed in place of the detected one, and every request goes to 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys

import httpx
import pytest
from localhelpers import client_for

from apertur_local import LocalApertur, LocalConfig
from apertur_local import _lan as lan
from apertur_local.__main__ import parser
from apertur_local._qr import QrOptions, render_qr

FAKE_LAN = "192.0.2.10"


def test_a_wildcard_bind_advertises_the_lan_address() -> None:
    config = LocalConfig(host="0.0.0.0", port=8484)  # noqa: S104
    advertised = lan.advertise(config, detect=lambda: FAKE_LAN)
    assert advertised.public_url == f"http://{FAKE_LAN}:8484"
    assert advertised.url == "http://127.0.0.1:8484"  # what this machine's clients use


def test_what_is_not_advertised() -> None:
    def detect() -> str:
        raise AssertionError("not asked")

    loopback = LocalConfig(host="127.0.0.1", port=1)
    assert lan.advertise(loopback, detect=detect) is loopback
    specific = LocalConfig(host="192.0.2.20", port=1)
    assert lan.advertise(specific, detect=detect) is specific
    explicit = LocalConfig(host="0.0.0.0", port=1, public_url="http://phone.test:1")  # noqa: S104
    assert lan.advertise(explicit, detect=detect) is explicit
    nothing = LocalConfig(host="0.0.0.0", port=1)  # noqa: S104
    assert lan.advertise(nothing, detect=lambda: None).public_url is None


def test_lan_address_is_a_usable_ipv4_or_none() -> None:
    found = lan.lan_address()  # asks the routing table only; sends nothing
    if found is not None:
        address = ipaddress.ip_address(found)
        assert address.version == 4
        assert not address.is_loopback


def test_the_warning_says_what_is_exposed() -> None:
    assert lan.exposure_warning(LocalConfig()) is None
    assert lan.exposure_warning(LocalConfig(host="localhost")) is None
    assert lan.exposure_warning(LocalConfig(host="::1")) is None
    shared = LocalConfig(host="0.0.0.0", port=8484, public_url=f"http://{FAKE_LAN}:8484")  # noqa: S104
    text = lan.exposure_warning(shared)
    assert text is not None
    assert text.startswith(
        f"WARNING: apertur-local is reachable from your network at http://{FAKE_LAN}:8484"
    )
    assert "upload page" in text
    assert "/_local control plane" in text
    assert "aptr_test_local is the public default: pass --api-key" in text
    own_key = LocalConfig(host="0.0.0.0", public_url="http://x.test:1", api_key="aptr_test_Zq9")  # noqa: S104
    text = lan.exposure_warning(own_key)
    assert text is not None
    assert "aptr_test_Zq9" not in text  # a key of your own is never printed there
    unknown = lan.exposure_warning(LocalConfig(host="0.0.0.0"))  # noqa: S104
    assert unknown is not None
    assert "--public-url" in unknown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://192.168.1.20:8484", "http://192.168.1.20:8484"),
        ("http://laptop.local:8484/", "http://laptop.local:8484"),
        ("https://tunnel.example", "https://tunnel.example"),
    ],
)
def test_public_urls_are_normalised(raw: str, expected: str) -> None:
    assert lan.normalise_public_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["192.168.1.20:8484", "ftp://x", "http://x/path", "http://x?q=1", "http://x:99999", "http://"],
)
def test_bad_public_urls_are_refused(raw: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="public URL"):
        lan.normalise_public_url(raw)
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--public-url", raw])
    assert "--public-url" in capsys.readouterr().err


def test_session_links_carry_the_lan_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lan, "lan_address", lambda: FAKE_LAN)
    with LocalApertur(host="0.0.0.0") as server:  # noqa: S104
        port = server.config.port
        assert server.config.public_url == f"http://{FAKE_LAN}:{port}"
        assert server.url == f"http://127.0.0.1:{port}"
        with client_for(server) as api:
            created = api.post("/api/v1/upload-sessions", json={}).json()
            sid = created["id"]
            assert created["upload_url"] == f"http://{FAKE_LAN}:{port}/u/{sid}"
            assert created["short_url"].startswith(f"http://{FAKE_LAN}:{port}/s/")
            assert created["qr_url"].startswith(f"http://127.0.0.1:{port}/")  # for the developer
            share = api.post(
                f"/api/v1/upload-sessions/{sid}/share",
                json={"channel": "email", "recipient": "a@b.test"},
            ).json()
            assert share["short_url"].startswith(f"http://{FAKE_LAN}:{port}/s/")
            qr = api.get(f"/api/v1/upload-sessions/{sid}/qr", params={"format": "svg"})
            expected, _ = render_qr(created["upload_url"], QrOptions(fmt="svg"))
            assert qr.content == expected


def test_a_loopback_server_links_to_what_the_client_used(apertur_local: LocalApertur) -> None:
    with client_for(apertur_local) as api:
        created = api.post("/api/v1/upload-sessions", json={}).json()
    assert apertur_local.config.public_url is None
    assert created["upload_url"] == f"{apertur_local.url}/u/{created['id']}"


def test_serve_on_every_interface_prints_links_and_a_warning() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_local",
            "serve",
            "--host",
            "0.0.0.0",  # noqa: S104
            "--port",
            "0",
            "--public-url",
            f"http://{FAKE_LAN}:9999",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        assert process.stdout.readline().strip() == (
            f"upload links open at http://{FAKE_LAN}:9999/u/<session id>"
        )
        url = line.split("listening on ")[1].split()[0]
        created = httpx.post(
            url + "/api/v1/upload-sessions",
            json={},
            headers={"Authorization": "Bearer aptr_test_local"},
            trust_env=False,
        ).json()
        assert created["upload_url"] == f"http://{FAKE_LAN}:9999/u/{created['id']}"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert f"WARNING: apertur-local is reachable from your network at http://{FAKE_LAN}:9999" in err
    assert "Traceback" not in err
