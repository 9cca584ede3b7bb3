"""``apertur poll``: download, write safely, then acknowledge."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from clihelpers import Run, sha256

from apertur_cli._demo_images import make_jpeg, make_png
from apertur_ext import Apertur


def test_poll_saves_every_image_then_acks(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    originals = {"a.png": make_png(24, 24, seed=5), "b.jpg": make_jpeg(3, 3, seed=6)}
    for name, data in originals.items():
        client.upload.image(uuid, data, filename=name)
    out = tmp_path / "received"
    result = run("--json", "poll", uuid, "--out", str(out), "--concurrency", "2")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == []
    assert sorted(item["filename"] for item in report["saved"]) == ["a.png", "b.jpg"]
    for item in report["saved"]:
        path = Path(item["path"])
        assert path.parent == out
        assert path.name == f"{item['id']}_{item['filename']}"
        assert sha256(path.read_bytes()) == sha256(originals[item["filename"]])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        Path(i["path"]).name for i in report["saved"]
    )  # no temporary file left behind
    assert client.polling.list(uuid).images == []  # acknowledged
    again = json.loads(run("--json", "poll", uuid, "--out", str(out)).stdout)
    assert again == {"saved": [], "failed": [], "not_started": 0, "interrupted": False}


def test_poll_summary_for_people(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    client.upload.image(uuid, make_png(8, 8), filename="one.png")
    result = run("poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 saved to" in result.stdout
    assert "acknowledged" in result.stdout
    assert "download 1/1 files" in result.stderr


def test_follow_keeps_polling_until_ctrl_c(
    client: Apertur, env: dict[str, str], tmp_path: Path
) -> None:
    uuid = client.sessions.create(long_polling=True).id
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_cli",
            "--json",
            "poll",
            uuid,
            "--out",
            str(out),
            "--follow",
            "--interval",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        client.upload.image(uuid, make_png(8, 8, seed=9), filename="late.png")
        deadline = time.monotonic() + 30
        while not (out.exists() and any(p.suffix == ".png" for p in out.iterdir())):
            assert time.monotonic() < deadline, "the followed image never arrived"
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    report = json.loads(stdout)
    assert [item["filename"] for item in report["saved"]] == ["late.png"]


def test_empty_queue_says_so(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    result = run("poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no images are queued for this session; nothing to do"
    assert "0/0" not in result.stderr


def wait_for_polls(server, count: int) -> None:
    """Until the server has answered ``count`` polls of the queue (seen through a no-op fault)."""
    import httpx

    faults = server.url + "/_local/faults"
    rule = {"method": "GET", "path": "/poll$", "action": "delay", "delay": 0, "count": 1000}
    httpx.post(faults, json=rule, trust_env=False).raise_for_status()
    deadline = time.monotonic() + 60
    while httpx.get(faults, trust_env=False).json()["injected"].get("delay", 0) < count:
        assert time.monotonic() < deadline, "the command never polled"
        time.sleep(0.05)


def test_idle_follow_then_ctrl_c_says_nothing_was_done(
    client: Apertur, apertur_local, env: dict[str, str], tmp_path: Path
) -> None:
    uuid = client.sessions.create(long_polling=True).id
    process = subprocess.Popen(
        [sys.executable, "-m", "apertur_cli", "poll", uuid, "--out", str(tmp_path), "--follow",
         "--interval", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )  # fmt: skip
    try:
        wait_for_polls(apertur_local, 2)  # idle: two polls of an empty queue
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert stdout.strip() == "stopped: no image was downloaded; nothing was acknowledged"
    assert "0/0" not in stderr
    assert "Traceback" not in stderr


def test_an_image_acknowledged_by_another_consumer_is_counted_apart(
    run: Run, client: Apertur, apertur_local, tmp_path: Path
) -> None:
    import httpx

    uuid = client.sessions.create(long_polling=True).id
    client.upload.image(uuid, make_png(8, 8, seed=3), filename="shared.png")
    rule = {"path": "/ack$", "action": "status", "status": 409,
            "body": {"message": "Image already acknowledged", "code": "CONFLICT"}}  # fmt: skip
    httpx.post(apertur_local.url + "/_local/faults", json=rule, trust_env=False)
    result = run("poll", uuid, "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert "0 saved to" in result.stdout
    assert "1 saved but already acknowledged by another consumer" in result.stdout
    httpx.post(apertur_local.url + "/_local/faults", json=rule, trust_env=False)
    report = json.loads(run("--json", "poll", uuid, "--out", str(tmp_path / "b")).stdout)
    assert [item["acknowledged_elsewhere"] for item in report["saved"]] == [True]
