"""How the server starts and lives: LocalApertur, the CLI, --data-dir persistence, the control
plane, and the request-signing / rate-limit / fault middlewares wired by create_app."""

from __future__ import annotations

import hashlib
import hmac
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from localhelpers import client_for, create_session, make_png, upload

from apertur_local import LocalApertur, LocalConfig, build_app


def test_local_apertur_properties_and_reset() -> None:
    with LocalApertur(api_key="aptr_test_custom", project_id="proj_custom") as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.api_key == "aptr_test_custom"
        assert server.project_id == "proj_custom"
        assert server.data_dir.is_dir()
        with client_for(server) as client:
            create_session(client)
            assert client.get("/api/v1/sessions").json()["total"] == 1
            state = httpx.get(server.url + "/_local/state").json()
            assert state["counts"]["sessions"] == 1
            assert "aptr_test_custom" not in str(state)
            server.reset()
            assert client.get("/api/v1/sessions").json()["total"] == 0
            assert client.get("/api/v1/projects/proj_custom/keys").status_code == 200
        data_dir = server.data_dir
    assert not data_dir.exists()  # the temporary directory is removed on stop


def test_data_dir_keeps_state_images_and_key(tmp_path: Path) -> None:
    with LocalApertur(data_dir=tmp_path) as first, client_for(first) as client:
        sid = create_session(client, long_polling=True, tags=["kept"])
        image_id = upload(client, sid, make_png(7, 7)).json()["id"]
        plain = client.post(
            f"/api/v1/projects/{first.project_id}/keys", json={"label": "k"}
        ).json()["plainTextKey"]
        public_key = client.get("/api/v1/encryption/server-key").json()["publicKey"]
    assert (tmp_path / "state.sqlite3").is_file()
    stored = b"".join(f.read_bytes() for f in tmp_path.glob("state.sqlite3*"))
    assert plain.encode() not in stored
    with LocalApertur(data_dir=tmp_path) as second, client_for(second, plain) as client:
        assert client.get(f"/api/v1/upload/{sid}/session").json()["tags"] == ["kept"]
        assert client.get(f"/api/v1/upload-sessions/{sid}/images/{image_id}").content == make_png(
            7, 7
        )
        assert client.get("/api/v1/encryption/server-key").json()["publicKey"] == public_key
    assert tmp_path.is_dir()


def test_cli_prints_one_line_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_local",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
            "--api-key",
            "aptr_test_cli",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "aptr_test_cli" in line
        assert "proj_local" in line
        url = line.split()[3]
        assert url.startswith("http://127.0.0.1:")
        response = httpx.get(
            url + "/api/v1/stats", headers={"Authorization": "Bearer aptr_test_cli"}
        )
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert out == ""
    assert "aptr_test_cli" not in err


def test_cli_reports_a_busy_port() -> None:
    with LocalApertur() as server:
        port = server.url.rsplit(":", 1)[1]
        done = subprocess.run(
            [sys.executable, "-m", "apertur_local", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert "cannot listen" in done.stderr


def sign(secret: str, method: str, target: str, body: bytes, ts: int) -> str:
    message = f"{ts}.{method}.{target}.{hashlib.sha256(body).hexdigest()}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def test_signing_secret_requires_signed_requests() -> None:
    secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    with LocalApertur(signing_secret=secret) as server, client_for(server) as client:
        assert client.get("/api/v1/stats").status_code == 401
        ts = int(time.time())
        target = "/api/v1/sessions/recent?limit=2"
        headers = {
            "X-Aptr-Timestamp": str(ts),
            "X-Aptr-Signature": sign(secret, "GET", target, b"", ts),
        }
        assert client.get(target, headers=headers).status_code == 200
        body = b'{"long_polling":true}'
        headers = {
            "X-Aptr-Timestamp": str(ts),
            "X-Aptr-Signature": sign(secret, "POST", "/api/v1/upload-sessions", body, ts),
            "Content-Type": "application/json",
        }
        created = client.post("/api/v1/upload-sessions", content=body, headers=headers)
        assert created.status_code == 201
        # multipart uploads are never signed
        assert upload(client, created.json()["id"], make_png()).status_code == 201


def test_rate_limit_answers_429() -> None:
    with LocalApertur(rate_limit=2) as server, client_for(server) as client:
        statuses = [client.get("/api/v1/stats") for _ in range(3)]
        assert [r.status_code for r in statuses[:2]] == [200, 200]
        assert statuses[2].status_code == 429
        assert int(statuses[2].headers["Retry-After"]) >= 1
        assert httpx.get(server.url + "/_local/health").json() == {"ok": True}


def test_faults_are_wired_and_reset_clears_them(apertur_local: LocalApertur) -> None:
    rule = {
        "path": "^/api/v1/stats$",
        "action": "status",
        "status": 503,
        "retry_after": 1,
        "count": 2,
    }
    assert httpx.post(apertur_local.url + "/_local/faults", json=rule).status_code < 300
    with client_for(apertur_local) as client:
        failed = client.get("/api/v1/stats")
        assert failed.status_code == 503
        assert failed.headers["Retry-After"] == "1"
        apertur_local.reset()
        assert client.get("/api/v1/stats").status_code == 200


def test_clock_control_validation(apertur_local: LocalApertur) -> None:
    url = apertur_local.url + "/_local/clock"
    assert httpx.post(url).status_code == 200
    assert httpx.post(url, json={"advance": -1}).status_code == 400
    assert httpx.post(url, json={"advance": "soon"}).status_code == 400
    assert httpx.post(url, content=b"{").status_code == 400
    assert httpx.post(url, content=b'{"advance": Infinity}').status_code == 400
    assert httpx.post(url, json={"advance": 60}).json()["offset"] == 60


def test_build_app_is_independent_each_time() -> None:
    first, second = build_app(LocalConfig()), build_app(LocalConfig())
    try:
        assert first.state is not second.state
        assert first.state.data_dir != second.state.data_dir
    finally:
        first.state.close()
        second.state.close()


def test_plugin_fixture_is_reset(apertur_local: LocalApertur) -> None:
    with client_for(apertur_local) as client:
        assert client.get("/api/v1/sessions").json()["total"] == 0
        create_session(client)


def test_plugin_fixture_is_reset_again(apertur_local: LocalApertur) -> None:
    with client_for(apertur_local) as client:
        assert client.get("/api/v1/sessions").json()["total"] == 0
