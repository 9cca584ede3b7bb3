"""API keys K1-K5 and authentication against a local server."""

from __future__ import annotations

import httpx
from localhelpers import client_for, create_session

from apertur_local import LocalApertur


def keys_url(server: LocalApertur) -> str:
    return f"/api/v1/projects/{server.project_id}/keys"


def test_bootstrap_key_is_listed_without_secrets(
    api: httpx.Client, apertur_local: LocalApertur
) -> None:
    response = api.get(keys_url(apertur_local))
    assert response.status_code == 200
    (key,) = response.json()
    assert key["env"] == "test"
    assert key["isActive"] is True
    assert apertur_local.api_key not in response.text
    assert key["prefix"] == apertur_local.api_key[:14]


def test_created_key_authenticates_and_is_shown_once(
    api: httpx.Client, apertur_local: LocalApertur
) -> None:
    created = api.post(keys_url(apertur_local), json={"label": "ci", "maxImages": 5})
    assert created.status_code == 201
    body = created.json()
    plain = body["plainTextKey"]
    assert plain.startswith("aptr_test_")
    assert body["key"]["maxImages"] == 5
    assert body["key"]["prefix"] == plain[:14]
    listed = api.get(keys_url(apertur_local))
    assert plain not in listed.text
    with client_for(apertur_local, plain) as other:
        assert other.get("/api/v1/stats").status_code == 200


def test_key_limits_become_session_defaults(api: httpx.Client, apertur_local: LocalApertur) -> None:
    plain = api.post(
        keys_url(apertur_local),
        json={
            "label": "limited",
            "maxImages": 2,
            "allowedMimeTypes": ["image/png"],
            "maxImageDimension": 50,
        },
    ).json()["plainTextKey"]
    with client_for(apertur_local, plain) as other:
        sid = create_session(other)
        session = other.get(f"/api/v1/upload/{sid}/session").json()
    assert session["effectiveMaxImages"] == 2
    assert session["effectiveAllowedMimeTypes"] == ["image/png"]
    assert session["effectiveMaxImageDimension"] == 50


def test_update_and_deactivate_key(api: httpx.Client, apertur_local: LocalApertur) -> None:
    created = api.post(keys_url(apertur_local), json={"label": "x"}).json()
    key_id, plain = created["key"]["id"], created["plainTextKey"]
    patched = api.patch(
        f"{keys_url(apertur_local)}/{key_id}",
        json={
            "label": "renamed",
            "maxImages": None,
            "allowedIps": ["203.0.113.7"],
            "isActive": False,
        },
    )
    assert patched.status_code == 200
    assert patched.json()["label"] == "renamed"
    assert patched.json()["allowedIps"] == ["203.0.113.7"]
    with client_for(apertur_local, plain) as other:
        denied = other.get("/api/v1/stats")
    assert denied.status_code == 401
    assert denied.json()["code"] == "AUTHENTICATION_FAILED"


def test_deleted_key_gets_401(api: httpx.Client, apertur_local: LocalApertur) -> None:
    created = api.post(keys_url(apertur_local), json={"label": "x"}).json()
    assert api.delete(f"{keys_url(apertur_local)}/{created['key']['id']}").status_code == 204
    with client_for(apertur_local, created["plainTextKey"]) as other:
        assert other.get("/api/v1/stats").status_code == 401
    assert api.delete(f"{keys_url(apertur_local)}/{created['key']['id']}").status_code == 404


def test_missing_malformed_and_unknown_credentials(apertur_local: LocalApertur) -> None:
    url = apertur_local.url + "/api/v1/stats"
    for headers in (
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer aptr_test_nope"},
    ):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401
        assert set(response.json()) == {"message", "code"}


def test_live_prefix_gives_live_env() -> None:
    with LocalApertur(api_key="aptr_live_local") as server, client_for(server) as client:
        (key,) = client.get(keys_url(server)).json()
        assert key["env"] == "live"
        created = client.post(keys_url(server), json={"label": "l"}).json()
        assert created["plainTextKey"].startswith("aptr_live_")
        assert client.post("/api/v1/upload-sessions", json={}).json()["env"] == "live"


def test_other_project_is_not_found(api: httpx.Client) -> None:
    for path in ("keys", "destinations", "webhooks"):
        response = api.get(f"/api/v1/projects/proj_other/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"


def test_key_validation(api: httpx.Client, apertur_local: LocalApertur) -> None:
    url = keys_url(apertur_local)
    assert api.post(url, json={}).status_code == 400
    assert api.post(url, json={"label": 3}).status_code == 400
    assert api.post(url, json={"label": "x", "maxImages": "many"}).status_code == 400
    assert api.post(url, json={"label": "x", "allowedMimeTypes": "image/png"}).status_code == 400
    assert api.patch(f"{url}/key_bootstrap", json={"isActive": "no"}).status_code == 400
    assert api.patch(f"{url}/key_nope", json={"label": "x"}).status_code == 404


def test_set_key_destinations(api: httpx.Client, apertur_local: LocalApertur) -> None:
    dest = api.post(
        f"/api/v1/projects/{apertur_local.project_id}/destinations",
        json={"type": "s3", "name": "bucket", "config": {"bucket": "b"}},
    ).json()
    response = api.put(
        "/api/v1/keys/key_bootstrap/destinations",
        json={"destination_ids": [dest["id"]], "long_polling_enabled": True},
    )
    assert response.status_code == 200
    assert response.json() == {
        "destinations": [{"id": dest["id"], "type": "s3", "name": "bucket", "isActive": True}],
        "longPollingEnabled": True,
    }
    # omitting long_polling_enabled leaves it unchanged
    again = api.put("/api/v1/keys/key_bootstrap/destinations", json={"destination_ids": []})
    assert again.json() == {"destinations": [], "longPollingEnabled": True}
    assert (
        api.put("/api/v1/keys/key_nope/destinations", json={"destination_ids": []}).status_code
        == 404
    )
    unknown = api.put(
        "/api/v1/keys/key_bootstrap/destinations", json={"destination_ids": ["dest_x"]}
    )
    assert unknown.status_code == 404
    assert api.put("/api/v1/keys/key_bootstrap/destinations", json={}).status_code == 400
