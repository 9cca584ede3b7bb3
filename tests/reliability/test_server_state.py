"""The local server's state under hostile input and restarts, over HTTP and the real command.

Each test replays a way the server used to lose or corrupt its state:

* a body nested ~960 levels deep was inserted in memory, then failed to persist, and from then
  on every write answered 500 while changing memory only (restart: all lost);
* a truncated state file was silently replaced by an empty state at restart;
* a restart with the same key and another project id left the key on the old project while the
  banner named the new one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from reliability_helpers import make_png

from apertur_local import LocalApertur
from apertur_local._json_body import MAX_JSON_DEPTH

KEY = {"Authorization": "Bearer aptr_test_local"}


def _client(server: LocalApertur) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=KEY, timeout=30, trust_env=False)


def _nested(depth: int) -> str:
    return '{"metadata": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH, 960, 100_000])
def test_a_deeply_nested_body_is_refused_and_changes_nothing(tmp_path: Path, depth: int) -> None:
    with LocalApertur(data_dir=tmp_path) as server, _client(server) as api:
        kept = api.post("/api/v1/upload-sessions", json={"tags": ["kept"]}).json()["id"]
        deep = api.post(
            "/api/v1/upload-sessions",
            content=_nested(depth),
            headers={"Content-Type": "application/json"},
        )
        assert deep.status_code == 400
        assert "nested deeper than" in deep.json()["message"]
        assert api.get("/api/v1/sessions").json()["total"] == 1  # not inserted anywhere
        later = api.post("/api/v1/upload-sessions", json={"metadata": {"ok": [1, {"x": 2}]}})
        assert later.status_code == 201  # every later write still works
        image = api.post(
            f"/api/v1/upload/{kept}/images", files={"file": ("a.png", make_png(1), "image/png")}
        )
        assert image.status_code == 201
    with LocalApertur(data_dir=tmp_path) as again, _client(again) as api:
        ids = {s["id"] for s in api.get("/api/v1/sessions").json()["data"]}
        assert ids == {kept, later.json()["id"]}
        assert api.get(f"/api/v1/uploads/{image.json()['id']}/download").content == make_png(1)


def test_every_json_body_is_depth_limited(tmp_path: Path) -> None:
    deep = '{"advance": ' + "[" * 64 + "]" * 64 + "}"
    with LocalApertur(data_dir=tmp_path) as server, _client(server) as api:
        for method, path in (
            ("POST", "/api/v1/projects/proj_local/webhooks"),
            ("PATCH", "/api/v1/projects/proj_local/keys/key_bootstrap"),
            ("POST", "/_local/clock"),
            ("POST", "/_local/faults"),
            ("PUT", "/_local/faults/chaos"),
        ):
            response = api.request(
                method, path, content=deep, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 400, (method, path, response.text)
            assert "nested deeper than" in response.text, (method, path)
        assert (
            httpx.get(server.url + "/_local/state", trust_env=False).json()["counts"]["webhooks"]
            == 0
        )


def _serve(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real command on ``data_dir``; it must refuse (and so end) by itself."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "apertur_local",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _fill(data_dir: Path, **options: str) -> str:
    with LocalApertur(data_dir=data_dir, **options) as server, _client(server) as api:
        sid = str(api.post("/api/v1/upload-sessions", json={}).json()["id"])
        api.post(f"/api/v1/upload/{sid}/images", files={"file": ("a.png", make_png(2))})
    return sid


def test_a_truncated_store_is_never_replaced_by_an_empty_one(tmp_path: Path) -> None:
    _fill(tmp_path)
    database = tmp_path / "state.sqlite3"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3])
    done = _serve(tmp_path)
    assert done.returncode == 2
    assert "state.sqlite3" in done.stderr
    assert "will not start" in done.stderr
    assert "Traceback" not in done.stderr
    assert database.read_bytes() == data[: len(data) // 3]  # left for the user to restore
    assert len(list((tmp_path / "blobs").iterdir())) == 1  # and no image orphaned or removed


def test_a_truncated_legacy_state_file_is_refused_not_replaced(tmp_path: Path) -> None:
    legacy = tmp_path / "state.json"
    legacy.write_text(json.dumps({"projects": [], "keys": [], "sessions": []})[:30])
    done = _serve(tmp_path)
    assert done.returncode == 2
    assert "state.json" in done.stderr
    assert "cannot be migrated" in done.stderr
    assert legacy.read_text() == json.dumps({"projects": [], "keys": [], "sessions": []})[:30]
    assert not (tmp_path / "state.sqlite3").exists()


def test_a_second_server_on_a_data_directory_is_refused(tmp_path: Path) -> None:
    with LocalApertur(data_dir=tmp_path):
        done = _serve(tmp_path)
    assert done.returncode == 2
    assert "in use by another apertur-local" in done.stderr


def test_another_project_id_on_a_data_directory_is_refused_with_the_way_out(
    tmp_path: Path,
) -> None:
    sid = _fill(tmp_path, project_id="proj_first")
    done = _serve(tmp_path, "--project-id", "proj_second")
    assert done.returncode == 2
    assert "'proj_first'" in done.stderr
    assert "--project-id proj_first" in done.stderr
    assert "listening" not in done.stdout  # no banner naming a project the key is not on
    with LocalApertur(data_dir=tmp_path, project_id="proj_first") as server, _client(server) as api:
        assert api.get(f"/api/v1/upload/{sid}/session").status_code == 200
        assert api.get("/api/v1/projects/proj_first/keys").status_code == 200
