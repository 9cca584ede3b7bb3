"""``python -m apertur_cli.demo``: the whole flow passes; a failing step makes it exit 1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from apertur_cli import demo
from apertur_cli._demo_flow import DemoFlow, DemoStepError


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
