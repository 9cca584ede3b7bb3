"""The official Node SDK's `events.subscribe` against a live apertur_local.

`@apertur/sdk` 0.1.5 cannot be installed here (it is not on the npm registry we can reach), so
sdk_events_subscribe.mjs reproduces what its `events.subscribe` does on the wire (no headers,
`event: `/`data: ` blocks, `: heartbeat` comments, one block per read) with Node's built-in
fetch.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from localhelpers import client_for, create_session, make_png, upload

from apertur_local import LocalApertur

SCRIPT = Path(__file__).with_name("sdk_events_subscribe.mjs")
NODE = shutil.which("node")


@pytest.fixture
def node() -> str:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is not on PATH (CI provides Node 20)")
        pytest.skip("node is not on PATH: the Node SDK check needs Node >= 18")
    return NODE


@contextlib.contextmanager
def run_subscriber(
    node: str, url: str, session_id: str, stop_at: str
) -> Iterator[subprocess.Popen[str]]:
    """The subscriber script, exiting on its own once ``stop_at`` was emitted (30 s at most)."""
    with subprocess.Popen(  # noqa: S603
        [node, str(SCRIPT), url, session_id, stop_at, "30000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            yield proc
        finally:
            proc.kill()


def next_event(proc: subprocess.Popen[str]) -> dict[str, Any]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line, f"the subscriber ended early: {proc.wait(30)} {proc.stderr and proc.stderr.read()}"
    return dict(json.loads(line))


def test_node_sdk_subscribe_receives_connected_and_image_ready(
    node: str, apertur_local: LocalApertur
) -> None:
    with client_for(apertur_local) as api:
        sid = create_session(api)
        with run_subscriber(node, apertur_local.url, sid, "image:ready") as proc:
            connected = next_event(proc)
            assert connected == {"event": "connected", "data": {"sessionId": sid}}
            uploaded = upload(api, sid, make_png())
            assert uploaded.status_code == 201
            event = next_event(proc)
            while event["event"] == "heartbeat":
                event = next_event(proc)
            assert event["event"] == "image:ready"
            assert event["data"]["sessionId"] == sid
            assert event["data"]["imageId"] == uploaded.json()["id"]
            assert event["data"]["sizeBytes"] == len(make_png())
            assert proc.wait(30) == 0


def test_node_sdk_subscribe_surfaces_heartbeats(node: str) -> None:
    with LocalApertur(event_heartbeat=0.05) as server, client_for(server) as api:
        sid = create_session(api)
        with run_subscriber(node, server.url, sid, "heartbeat") as proc:
            assert next_event(proc)["event"] == "connected"
            assert next_event(proc) == {"event": "heartbeat", "data": {}}
            assert proc.wait(30) == 0


def test_node_sdk_subscribe_reports_an_unknown_session(
    node: str, apertur_local: LocalApertur
) -> None:
    with run_subscriber(node, apertur_local.url, "no-such-session", "connected") as proc:
        assert next_event(proc) == {
            "event": "error",
            "data": {"message": "SSE connection failed: 404"},
        }
        assert proc.wait(30) == 2
