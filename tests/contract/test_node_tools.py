"""The pinned Node tools run quietly on the Node the machine has (20): no end-of-life banner, no
engine warning, nothing but their findings, so `make lint` output stays readable."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "tools" / "node_modules" / ".bin"
NOISE = ("deprecat", "end-of-life", "end of life", "failed to satisfy", "update node")

COMMANDS = {
    "redocly": ["lint", "openapi.yaml", "--config", "codegen/redocly.yaml"],
    "spectral": [
        "lint",
        "openapi.yaml",
        "--ruleset",
        "codegen/spectral.yaml",
        "--fail-severity=warn",
    ],  # fmt: skip
    "prism": ["--version"],
}


@pytest.mark.parametrize("tool", sorted(COMMANDS))
def test_tool_prints_no_banner(tool: str) -> None:
    if not (BIN / tool).exists():
        if os.environ.get("CI"):
            pytest.fail("the Node tools are not installed: run `make node`")
        pytest.skip("the Node tools are not installed: run `make node`")
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    done = subprocess.run(
        [str(BIN / tool), *COMMANDS[tool]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    output = (done.stdout + done.stderr).lower()
    assert not [word for word in NOISE if word in output], done.stdout + done.stderr
