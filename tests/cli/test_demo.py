"""``python -m apertur_cli.demo``: the whole flow passes; a failing step makes it exit 1."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import httpx
import pytest
from clihelpers import sha256 as sha

from apertur_cli import demo
from apertur_cli._demo_flow import DemoFlow, DemoStepError
from apertur_cli._demo_images import make_png
from apertur_ext import Apertur
from apertur_local import LocalApertur


def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo-output"
    assert demo.main(["--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "14/14 steps passed" in printed
    assert "✗" not in printed
    assert (out / "session-qr.png").read_bytes().startswith(b"\x89PNG")
    saved = sorted(p.name for p in out.iterdir())
    assert saved == [
        "plain-1.png",
        "plain-2.png",
        "plain-3.jpg",
        "secret-4.png",
        "secret-5.jpg",
        "session-qr.png",
    ]
    assert hashlib.sha256((out / "plain-1.png").read_bytes()).hexdigest()


def test_a_failing_step_is_reported_and_the_rest_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: DemoFlow) -> str:
        raise DemoStepError("the receiver is on holiday")

    monkeypatch.setattr(DemoFlow, "create_event_webhook", broken)
    assert demo.main(["--output", str(tmp_path)]) == 1
    printed = capsys.readouterr().out
    assert "✗ event webhook: DemoStepError: the receiver is on holiday" in printed
    assert "- session: skipped" in printed
    assert "✗ 3/14 steps passed" in printed


def test_the_page_receiver_saves_a_photo_whose_name_is_too_long_for_a_file(
    apertur_local: LocalApertur, tmp_path: Path
) -> None:
    """A photo sent through the page with a 92-character name (270 bytes of UTF-8, past a file
    name's 255) is saved under a safe name and acknowledged; the receiver does not stop."""
    flow = DemoFlow(apertur_local, receiver=None, output=tmp_path)  # type: ignore[arg-type]
    flow.client = Apertur(apertur_local.api_key, base_url=apertur_local.url)
    photo = make_png(4, 4, seed=7)
    lines: list[str] = []
    stop = threading.Event()

    def report(line: str) -> None:
        lines.append(line)
        stop.set()

    try:
        flow.open_page_session()
        name = "写真" * 45 + ".png"
        sent = httpx.post(
            f"{apertur_local.url}/api/v1/upload/{flow.page_uuid}/images",
            files={"file": (name, photo, "image/png")},
            trust_env=False,
        )  # what the page does: the session's own route, no key
        assert sent.status_code == 201, sent.text
        assert flow.receive_from_page(report, stop) == 1
        assert flow.user.polling.list(flow.page_uuid).images == []
    finally:
        flow.close()
    assert lines == [f"received {name} ({len(photo)} bytes, sha256 {sha(photo)[:12]}…)"]
    [saved] = (tmp_path / "from-page").iterdir()
    assert saved.read_bytes() == photo
    assert saved.name.endswith(".png")
