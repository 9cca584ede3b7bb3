"""``apertur status``: delivery status per file and destination, one-shot and followed."""

from __future__ import annotations

import json

from clihelpers import Run

from apertur_cli._demo_images import make_png
from apertur_ext import Apertur
from apertur_local import LocalApertur


def _session_with_destination(client: Apertur, server: LocalApertur) -> str:
    dest = client.destinations.create(
        server.project_id, type="s3", name="archive", config={"bucket": "b", "region": "r"}
    )
    return client.sessions.create(destination_ids=[dest.id]).id


def test_status_json_and_table(run: Run, client: Apertur, apertur_local: LocalApertur) -> None:
    uuid = _session_with_destination(client, apertur_local)
    client.upload.image(uuid, make_png(8, 8), filename="p.png")
    snapshot = json.loads(run("--json", "status", uuid).stdout)
    (file,) = snapshot["files"]
    assert file["filename"] == "p.png"
    assert file["destinations"][0]["name"] == "archive"
    table = run("status", uuid)
    assert table.exit_code == 0, table.output
    assert "p.png" in table.stdout
    assert "archive" in table.stdout


def test_follow_until_settled(run: Run, client: Apertur, apertur_local: LocalApertur) -> None:
    uuid = _session_with_destination(client, apertur_local)
    client.upload.image(uuid, make_png(8, 8, seed=1), filename="p.png")
    result = run("--json", "status", uuid, "--follow", "--until-settled")
    assert result.exit_code == 0, result.output
    snapshots = [json.loads(line) for line in result.stdout.splitlines()]
    assert snapshots[-1]["files"][0]["destinations"][0]["status"] == "sent"
    live = run("status", uuid, "--follow", "--until-settled")
    assert live.exit_code == 0
    assert "sent" in live.stdout
