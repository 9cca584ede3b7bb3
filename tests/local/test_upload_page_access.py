"""Session-capability access: the upload page's three routes work with the session id alone.

Without an ``Authorization`` header, ``GET /api/v1/upload/{uuid}/session``, ``POST .../verify-password``
and ``POST .../images`` act for the key that created the session; every other route still answers
401. A key that is sent is checked as before. The page and its files are served without a key,
with headers that keep the link (the capability) to this server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from localhelpers import client_for, create_session, envelope, make_png

from apertur_local import LocalApertur

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
PAGE_OPERATIONS = {"getSession", "verifySessionPassword", "uploadImage", "streamUploadEvents"}


@pytest.fixture
def anonymous(apertur_local: LocalApertur) -> Iterator[httpx.Client]:
    """What the page is: plain HTTP with no key."""
    with httpx.Client(base_url=apertur_local.url, trust_env=False, timeout=30) as client:
        yield client


def page_upload(client: httpx.Client, sid: str, data: bytes, **headers: str) -> httpx.Response:
    return client.post(
        f"/api/v1/upload/{sid}/images",
        files={"file": ("photo.png", data, "image/png")},
        data={"source": "gallery"},
        headers=headers,
    )


def test_the_page_routes_work_without_a_key(api: httpx.Client, anonymous: httpx.Client) -> None:
    sid = create_session(api, long_polling=True, password="pw", max_images=3)
    session = anonymous.get(f"/api/v1/upload/{sid}/session")
    assert session.status_code == 200
    assert session.json()["password_protected"] is True
    assert session.json()["effectiveMaxImages"] == 3
    check = anonymous.post(f"/api/v1/upload/{sid}/verify-password", json={"password": "pw"})
    assert check.json() == {"valid": True}

    assert page_upload(anonymous, sid, make_png()).status_code == 403  # no password
    assert (
        page_upload(anonymous, sid, make_png(), **{"x-session-password": "no"}).status_code == 403
    )
    stored = page_upload(anonymous, sid, make_png(5, 5), **{"x-session-password": "pw"})
    assert stored.status_code == 201, stored.text
    queue = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]
    assert [(i["id"], i["source"]) for i in queue] == [(stored.json()["id"], "gallery")]


def test_encrypted_upload_with_the_key_from_the_session(
    api: httpx.Client, anonymous: httpx.Client
) -> None:
    """The page's way to encrypt: ``serverPublicKey`` of the session, no call to server-key."""
    sid = create_session(api, long_polling=True)
    pem = anonymous.get(f"/api/v1/upload/{sid}/session").json()["serverPublicKey"]
    assert pem == api.get("/api/v1/encryption/server-key").json()["publicKey"]
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    plain = make_png(7, 7)
    response = anonymous.post(
        f"/api/v1/upload/{sid}/images",
        files={
            "file": (
                "p.png.enc",
                json.dumps(envelope(key, plain)).encode(),
                "application/octet-stream",
            )
        },
        headers={"X-Aptr-Encrypted": "default"},
    )
    assert response.status_code == 201, response.text
    image_id = response.json()["id"]
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{image_id}").content == plain


def _operations() -> list[tuple[str, str, str]]:
    return [
        (method.upper(), path, op["operationId"])
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [op for op in _operations() if op[2] not in PAGE_OPERATIONS],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("/") else "",
)
def test_every_other_route_still_needs_the_key(
    api: httpx.Client, anonymous: httpx.Client, method: str, path: str, operation: str
) -> None:
    sid = create_session(api, long_polling=True)
    image = page_upload(anonymous, sid, make_png()).json()["id"]
    values = {
        "uuid": sid,
        "projectId": "proj_local",
        "imageId": image,
        "recordId": image,
        "keyId": "key_bootstrap",
    }
    url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), path)
    response = anonymous.request(
        method, url, json={} if method in {"POST", "PATCH", "PUT"} else None
    )
    assert response.status_code == 401, (operation, response.text)


def test_the_spec_and_the_server_agree_on_which_routes_are_open() -> None:
    open_in_spec = {
        op["operationId"]
        for item in SPEC["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and {} in op.get("security", [])
    }
    assert open_in_spec == PAGE_OPERATIONS


def test_a_key_that_is_sent_is_still_checked(api: httpx.Client, anonymous: httpx.Client) -> None:
    sid = create_session(api)
    wrong = {"Authorization": "Bearer aptr_test_not_a_key"}
    assert anonymous.get(f"/api/v1/upload/{sid}/session", headers=wrong).status_code == 401
    verify = anonymous.post(
        f"/api/v1/upload/{sid}/verify-password", json={"password": "x"}, headers=wrong
    )
    assert verify.status_code == 401
    assert page_upload(anonymous, sid, make_png(), **wrong).status_code == 401
    assert api.get(f"/api/v1/upload/{sid}/session").status_code == 200


def test_unknown_sessions_are_404_without_a_key(anonymous: httpx.Client) -> None:
    sid = "00000000-0000-4000-8000-000000000000"
    assert anonymous.get(f"/api/v1/upload/{sid}/session").status_code == 404
    assert page_upload(anonymous, sid, make_png()).status_code == 404


@pytest.mark.parametrize("revoke", ["delete", "deactivate"])
def test_revoking_the_creating_key_revokes_the_link(
    api: httpx.Client, anonymous: httpx.Client, apertur_local: LocalApertur, revoke: str
) -> None:
    created = api.post("/api/v1/projects/proj_local/keys", json={"label": "app"}).json()
    key_id = created["key"]["id"]
    with client_for(apertur_local, created["plainTextKey"]) as app:
        sid = create_session(app)
    assert anonymous.get(f"/api/v1/upload/{sid}/session").status_code == 200
    if revoke == "delete":
        api.delete(f"/api/v1/projects/proj_local/keys/{key_id}").raise_for_status()
    else:
        api.patch(
            f"/api/v1/projects/proj_local/keys/{key_id}", json={"isActive": False}
        ).raise_for_status()
    refused = anonymous.get(f"/api/v1/upload/{sid}/session")
    assert refused.status_code == 403
    assert "revoked" in refused.json()["message"]
    assert page_upload(anonymous, sid, make_png()).status_code == 403
    assert (
        api.get(f"/api/v1/upload/{sid}/session").status_code == 200
    )  # the project's key still can


def test_request_signing_applies_to_keyed_calls_only(tmp_path: Path) -> None:
    with LocalApertur(signing_secret="s3cret", data_dir=tmp_path) as server:
        with httpx.Client(base_url=server.url, trust_env=False) as plain:
            # Session creation must be signed: build one through the state directly.
            app = server.app
            assert app is not None
            key = app.state.keys.authenticate(server.api_key)
            from apertur_local._store_sessions import SessionOptions

            sid = app.state.sessions.create(key, SessionOptions()).id
            assert plain.get(f"/api/v1/upload/{sid}/session").status_code == 200
            check = plain.post(f"/api/v1/upload/{sid}/verify-password", json={"password": "x"})
            assert check.json() == {"valid": True}
            keyed = plain.get(
                f"/api/v1/upload/{sid}/session",
                headers={"Authorization": f"Bearer {server.api_key}"},
            )
            assert keyed.status_code == 401
            assert keyed.json()["code"] == "INVALID_SIGNATURE"
            assert plain.get("/api/v1/sessions").json()["code"] == "INVALID_SIGNATURE"


# ------------------------------------------------------------------------------------ the page


def test_the_page_is_served_with_protective_headers(
    api: httpx.Client, anonymous: httpx.Client
) -> None:
    sid = create_session(api)
    page = anonymous.get(f"/u/{sid}")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert f'data-session="{sid}"' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows none
    for src in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        asset = anonymous.get(src)
        assert asset.status_code == 200, src
        assert asset.headers["x-content-type-options"] == "nosniff"
    assert anonymous.head(f"/u/{sid}").status_code == 200


def test_the_page_states_the_session_file_size_limit(
    api: httpx.Client, anonymous: httpx.Client
) -> None:
    sid = create_session(api)
    assert 'data-max-bytes="1610612736"' in anonymous.get(f"/u/{sid}").text
    api.patch(f"/api/v1/upload-sessions/{sid}", json={"max_image_size_mb": 3}).raise_for_status()
    assert f'data-max-bytes="{3 * 1024 * 1024}"' in anonymous.get(f"/u/{sid}").text


def test_an_unknown_or_hostile_link_gets_the_page_with_404(anonymous: httpx.Client) -> None:
    page = anonymous.get('/u/"><img src=x onerror=alert(1)>')
    assert page.status_code == 404
    assert "<img src=x" not in page.text
    assert 'data-session="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page.text


@pytest.mark.parametrize("name", ["nope.js", "..%2F_lan.py", "upload.html", "%2e%2e"])
def test_only_the_page_files_are_served(anonymous: httpx.Client, name: str) -> None:
    assert anonymous.get(f"/assets/upload/{name}").status_code == 404


def test_the_page_files_have_their_types(anonymous: httpx.Client) -> None:
    types = {
        "upload.js": "text/javascript; charset=utf-8",
        "upload.css": "text/css; charset=utf-8",
        "icon.svg": "image/svg+xml",
    }
    for name, media_type in types.items():
        response = anonymous.get(f"/assets/upload/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        content = response.content.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")
        assert b"http://" not in content  # nothing loaded from elsewhere
        assert b"https://" not in content


def test_short_links_keep_the_page_options(api: httpx.Client, anonymous: httpx.Client) -> None:
    created = api.post("/api/v1/upload-sessions", json={}).json()
    code = created["short_url"].rsplit("/", 1)[1]
    response = anonymous.get(f"/s/{code}?lang=fr&colorScheme=dark")
    assert response.status_code == 302
    assert response.headers["location"] == f"/u/{created['id']}?lang=fr&colorScheme=dark"
