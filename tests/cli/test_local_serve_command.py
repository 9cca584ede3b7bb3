"""``apertur local serve`` hands its flags to apertur_local and serves until interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
from click.testing import CliRunner

from apertur_cli._root import cli


def test_help_is_apertur_locals() -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--help"])
    assert result.exit_code == 0
    assert "--long-poll-hold" in result.stdout
    assert "--data-dir" in result.stdout


def test_serves_then_stops_on_ctrl_c(tmp_path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_cli",
            "local",
            "serve",
            "--port",
            "0",
            "--api-key",
            "aptr_test_cli",
            "--data-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.split("listening on ")[1].split()[0]
        response = httpx.get(
            url + "/api/v1/sessions",
            headers={"Authorization": "Bearer aptr_test_cli"},
            trust_env=False,
        )
        assert response.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_bad_flag_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--port", "not-a-port"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "apertur: error: argument --port: invalid int value: 'not-a-port'"
    ]
