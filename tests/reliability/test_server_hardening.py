"""Hardening of the local server, with plain httpx (no SDK in the way).

* every protected operation of openapi.yaml rejects missing, malformed, wrong, deleted and
  inactive keys with 401, leaks nothing about the resource, echoes no token and changes nothing;
  the upload page's three operations (the session id is their capability, no key needed) reject
  every one of those but the missing key the same way;
* uploaded filenames with ``../`` or absolute paths never leave the data directory;
* oversized bodies get 413 (400 for JSON endpoints, which do not document 413) without the
  server reading them: a 2 GiB streaming body must be refused after a few MiB at most.

The stateful schemathesis phase (no 5xx over chained calls) is tests/contract/test_schemathesis.py.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from reliability_helpers import (
    CountingBody,
    bearer,
    create_session,
    is_protected,
    make_png,
    operations,
    tree,
    upload,
)

from apertur_local import LocalApertur

MIB = 1024 * 1024
GUARD = 32 * MIB
"""A server that has read this much of a body larger than its 1 MiB limit is reading it all."""


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hardening")


@pytest.fixture(scope="module")
def server(base_dir: Path) -> Iterator[LocalApertur]:
    with LocalApertur(data_dir=base_dir / "data", max_body_bytes=MIB) as srv:
        yield srv


@pytest.fixture
def api(server: LocalApertur) -> Iterator[httpx.Client]:
    server.reset()
    with httpx.Client(base_url=server.url, headers=bearer(server.api_key), timeout=30) as client:
        yield client


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def ids(api: httpx.Client, server: LocalApertur) -> dict[str, str]:
    """Real ids for every path parameter, so a rejection cannot be a mere 404."""
    project = f"/api/v1/projects/{server.project_id}"
    session = create_session(api, long_polling=True)
    image = _created(upload(api, session, make_png(1)))["id"]
    dest = _created(
        api.post(
            project + "/destinations",
            json={"type": "s3", "name": "d", "config": {"bucket": "b", "region": "r"}},
        )
    )["id"]
    hook = _created(
        api.post(
            project + "/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "topics": ["project.upload.*"]},
        )
    )["id"]
    key = _created(api.post(project + "/keys", json={"label": "spare"}))["key"]["id"]
    return {
        "uuid": session,
        "sessionId": session,
        "imageId": image,
        "recordId": image,
        "projectId": server.project_id,
        "destId": dest,
        "webhookId": hook,
        "keyId": key,
        "deliveryId": "del_unknown",
    }


def _new_key(api: httpx.Client, server: LocalApertur, label: str) -> tuple[str, str]:
    created = _created(
        api.post(f"/api/v1/projects/{server.project_id}/keys", json={"label": label})
    )
    return created["key"]["id"], created["plainTextKey"]


def _credential(kind: str, api: httpx.Client, server: LocalApertur) -> dict[str, str]:
    """Authorization headers of each kind of bad credential."""
    good = server.api_key
    project = f"/api/v1/projects/{server.project_id}/keys"
    if kind == "missing":
        return {}
    if kind == "empty_bearer":
        return {"Authorization": "Bearer"}
    if kind == "basic_scheme":  # the right key, the wrong scheme
        return {"Authorization": "Basic " + base64.b64encode(f"{good}:".encode()).decode()}
    if kind == "bare_key":
        return {"Authorization": good}
    if kind == "wrong":
        return bearer("aptr_test_" + uuid.uuid4().hex)
    if kind == "truncated":
        return bearer(good[:-1])
    if kind == "extended":
        return bearer(good + "x")
    if kind == "deleted":
        key_id, plain = _new_key(api, server, "to delete")
        assert api.get("/api/v1/stats", headers=bearer(plain)).status_code == 200
        assert api.delete(f"{project}/{key_id}").status_code == 204
        return bearer(plain)
    if kind == "inactive":
        key_id, plain = _new_key(api, server, "to deactivate")
        assert api.get("/api/v1/stats", headers=bearer(plain)).status_code == 200
        patched = api.patch(f"{project}/{key_id}", json={"isActive": False})
        assert patched.status_code == 200, patched.text
        return bearer(plain)
    raise AssertionError(kind)


def _request(
    client: httpx.Client, method: str, template: str, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    path = re.sub(r"\{(\w+)\}", lambda m: ids[m[1]], template)
    if template.endswith("/events"):  # an event stream: its 200 never ends, read only errors
        with client.stream(method, path, headers=headers) as response:
            if response.status_code != 200:
                response.read()
            return response
    if template.endswith("/images") and method == "POST":
        files = {"file": ("x.png", make_png(99), "image/png")}
        return client.request(method, path, files=files, headers=headers)
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, path, json=body, headers=headers)


PROTECTED = [(m, p, name) for m, p, name, op in operations() if is_protected(op)]
UPLOAD_PAGE = [(m, p, name) for m, p, name, op in operations() if not is_protected(op)]
BAD_CREDENTIALS = [
    "missing",
    "empty_bearer",
    "basic_scheme",
    "bare_key",
    "wrong",
    "truncated",
    "extended",
    "deleted",
    "inactive",
]


def test_the_spec_protects_every_operation_but_the_upload_pages() -> None:
    assert {name for _, _, name in UPLOAD_PAGE} == {
        "getSession",
        "verifySessionPassword",
        "uploadImage",
        "streamUploadEvents",
    }
    assert all(path.startswith("/api/v1/upload/{uuid}/") for _, path, _ in UPLOAD_PAGE)
    assert len(PROTECTED) == len(list(operations())) - 4 >= 30


@pytest.mark.parametrize("kind", BAD_CREDENTIALS)
def test_every_protected_operation_rejects_bad_keys(
    kind: str, api: httpx.Client, server: LocalApertur, ids: dict[str, str]
) -> None:
    headers = _credential(kind, api, server)
    before = api.get("/_local/state").json()["counts"]
    # A client without default headers: only the bad credential goes out.
    # A key that is sent is checked on the upload page's routes too; only no key at all is
    # the page's way in.
    checked = PROTECTED + (UPLOAD_PAGE if kind != "missing" else [])
    with httpx.Client(base_url=server.url, timeout=30) as anonymous:
        for method, template, name in checked:
            response = _request(anonymous, method, template, ids, headers)
            assert response.status_code == 401, (name, response.status_code, response.text)
            assert response.json()["code"] == "AUTHENTICATION_FAILED", name
            token = headers.get("Authorization", "").partition(" ")[2]
            assert len(token) < 8 or token not in response.text, name
    assert api.get("/_local/state").json()["counts"] == before  # nothing changed
    # Control: the same requests with the good key get past authentication.
    for method, template, name in PROTECTED:
        response = _request(api, method, template, ids, {})
        assert response.status_code != 401, (name, response.text)


EVIL_NAMES = [
    "../../evil-parent.png",
    "..\\..\\evil-backslash.png",
    "sub/../../evil-mixed.png",
    "....//....//evil-dots.png",
    "%2e%2e%2fevil-encoded.png",
    "../" * 60 + "evil-deep.png",
    "..",
    "/",
]


def test_filenames_never_leave_the_data_directory(
    api: httpx.Client, server: LocalApertur, base_dir: Path
) -> None:
    outside = base_dir / f"outside-{uuid.uuid4().hex}"
    outside.mkdir()
    names = [*EVIL_NAMES, str(outside / "evil-absolute.png"), "C:\\evil-drive.png"]
    session = create_session(api, long_polling=True)
    stored: dict[str, bytes] = {}
    for index, name in enumerate(names):
        data = make_png(1000 + index)
        response = upload(api, session, data, filename=name)
        assert response.status_code == 201, (name, response.text)
        shown = response.json()["filename"]
        assert "/" not in shown, shown
        assert "\\" not in shown, shown
        assert shown not in ("", ".", ".."), shown
        stored[response.json()["id"]] = data
    for image_id, data in stored.items():
        got = api.get(f"/api/v1/upload-sessions/{session}/images/{image_id}")
        assert got.status_code == 200
        assert got.content == data

    data_dir = server.data_dir
    assert data_dir == base_dir / "data"
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in base_dir.iterdir()) == sorted(["data", outside.name])
    for path in tree(base_dir):
        assert data_dir in path.parents, path
        assert "evil" not in path.name, path
        relative = path.relative_to(data_dir)
        known = ("blobs", "tmp", "trash", "orphans", "server_key.pem", ".lock")
        assert relative.parts[0] in known or relative.name.startswith("state.sqlite3"), relative
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+", path.name), path
    contents = {p.read_bytes() for p in tree(data_dir / "blobs")}
    assert set(stored.values()) <= contents


@pytest.mark.parametrize(
    ("target", "declared", "auth"),
    [
        pytest.param(
            "upload",
            False,
            True,
            id="upload-chunked",
        ),
        pytest.param(
            "upload",
            True,
            True,
            id="upload-content-length",
        ),
        pytest.param(
            "upload",
            False,
            False,
            id="upload-without-key",  # the upload page's way: the session id is the capability
        ),
        pytest.param(
            "json",
            False,
            True,
            id="json-chunked",
        ),
        pytest.param(
            "json",
            True,
            True,
            id="json-content-length",
        ),
    ],
)
def test_oversized_bodies_are_refused_unread(
    target: str, declared: bool, auth: bool, api: httpx.Client, server: LocalApertur
) -> None:
    total = 2 * 1024 * MIB
    session = create_session(api)
    if target == "upload":
        path = f"/api/v1/upload/{session}/images"
        prefix = (
            b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
            b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n"
        )
        headers = {"Content-Type": "multipart/form-data; boundary=bnd"}
        expected = {413}
    else:
        path = "/api/v1/upload-sessions"
        prefix = b'{"tags": ["' + b"a" * 100 + b'"], "pad": "'
        headers = {"Content-Type": "application/json"}
        expected = {400, 413}
    body = CountingBody(total, GUARD, prefix)
    if declared:
        headers["Content-Length"] = str(total)
    if auth:
        headers.update(bearer(server.api_key))
    with httpx.Client(base_url=server.url, timeout=60) as client:
        response = client.post(path, content=iter(body), headers=headers)
    assert response.status_code in expected, response.text
    print(
        f"\n{target} declared={declared} auth={auth}: {response.status_code} after {body.consumed} bytes"
    )
    assert body.consumed < GUARD
    assert tree(server.data_dir / "tmp") == []  # the partial part file was removed
