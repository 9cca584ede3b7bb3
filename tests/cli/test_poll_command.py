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
    assert again == {"saved": [], "failed": [], "interrupted": False}


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
