"""Fixtures of the ``apertur`` command tests: the local server's env, a runner, sample images."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from clihelpers import Run

from apertur_cli._demo_images import make_jpeg, make_png
from apertur_cli._root import cli
from apertur_ext import Apertur
from apertur_local import LocalApertur


@pytest.fixture
def env(apertur_local: LocalApertur) -> dict[str, str]:
    """Environment pointing the command at the (freshly reset) local server."""
    return {"APERTUR_API_KEY": apertur_local.api_key, "APERTUR_BASE_URL": apertur_local.url}


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    """``run("sessions", "list", ...)``: invoke ``apertur`` in-process with ``env``."""

    def invoke(*args: str, input: str | None = None, extra_env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, list(args), env={**env, **(extra_env or {})}, input=input)

    return invoke


@pytest.fixture
def client(apertur_local: LocalApertur) -> Iterator[Apertur]:
    """A client of the same server, to arrange and check what the commands did."""
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as api:
        yield api


@pytest.fixture
def images(tmp_path: Path) -> Path:
    """A folder with two PNGs and a JPEG (one in a sub-folder) and files that are skipped."""
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.png").write_bytes(make_png(32, 16, seed=1))
    (folder / "b.jpg").write_bytes(make_jpeg(4, 2, seed=2))
    (folder / "sub" / "c.png").write_bytes(make_png(16, 16, seed=3))
    (folder / "notes.txt").write_text("not an image")
    (folder / ".hidden.png").write_bytes(make_png(8, 8, seed=4))
    return folder
