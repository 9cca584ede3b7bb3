"""``apertur sessions create|get|list|qr`` against the local server."""

from __future__ import annotations

import json
import re
from pathlib import Path

from clihelpers import Run, one_line_error

from apertur_ext import Apertur


def test_create_json_passes_every_option(run: Run, client: Apertur) -> None:
    result = run(
        "--json",
        "sessions",
        "create",
        "--password",
        "s3cr3t",
        "--max-images",
        "5",
        "--long-polling",
        "--tags",
        "a,b",
        "--tag",
        "c",
        "--expires-in-hours",
        "2",
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert created["upload_url"].endswith(created["id"])
    assert created["password_protected"] is True
    assert created["long_polling"] is True
    session = client.sessions.get(created["id"])
    assert session.tags == ["a", "b", "c"]
    assert session.effective_max_images == 5
    assert "s3cr3t" not in result.output


def test_create_prints_url_and_terminal_qr(run: Run) -> None:
    result = run("sessions", "create", "--password", "hunter2")
    assert result.exit_code == 0, result.output
    assert re.search(r"Upload URL +http://127\.0\.0\.1:", result.stdout)
    assert "█▀▀▀▀▀█" in result.stdout  # a finder pattern's top edge
    assert "hunter2" not in result.output
    assert run("sessions", "create", "--no-qr").stdout.count("█") == 0


def test_get_and_list(run: Run, client: Apertur) -> None:
    uuid = client.sessions.create(tags=["x"]).id
    got = run("sessions", "get", uuid, "--json")
    assert json.loads(got.stdout)["id"] == uuid
    human = run("sessions", "get", uuid)
    assert uuid in human.stdout
    assert "active" in human.stdout
    listed = json.loads(run("sessions", "list", "--json").stdout)
    assert uuid in [row["id"] for row in listed["data"]]
    assert uuid in run("sessions", "list").stdout


def test_qr_saves_png(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create().id
    target = tmp_path / "qr.png"
    result = run("--json", "sessions", "qr", uuid, "--out", str(target), "--size", "256")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert json.loads(result.stdout)["size_bytes"] == target.stat().st_size


def test_unknown_session_is_one_line_404(run: Run) -> None:
    line = one_line_error(run("sessions", "get", "no-such-session"))
    assert line.startswith("apertur: error: ")
    assert "HTTP 404" in line


def test_bad_option_value_is_one_line_usage_error(run: Run) -> None:
    result = run("sessions", "create", "--max-images", "0")
    assert result.exit_code == 2
    one_line_error(result)
