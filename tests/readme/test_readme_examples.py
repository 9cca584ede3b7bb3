"""Every ```python block of README.md runs, in order, in one namespace, against a local server.

The environment points the examples at the server (APERTUR_API_KEY, APERTUR_BASE_URL,
APERTUR_PROJECT_ID) and the working directory holds a `photo.jpg`, as a user's would. A test
function that a block defines (the pytest-plugin example) is called with the fixture it names.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apertur_local import LocalApertur

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def readme_blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text())


def sample_jpeg() -> bytes:
    """A small file with a JPEG signature (the local server sniffs content)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture
def readme_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalApertur]:
    with LocalApertur(data_dir=tmp_path / "server", long_poll_hold=1.0) as server:
        monkeypatch.setenv("APERTUR_API_KEY", server.api_key)
        monkeypatch.setenv("APERTUR_BASE_URL", server.url)
        monkeypatch.setenv("APERTUR_PROJECT_ID", server.project_id)
        work = tmp_path / "work"
        work.mkdir()
        (work / "photo.jpg").write_bytes(sample_jpeg())
        monkeypatch.chdir(work)
        yield server


def _configure_django() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(ALLOWED_HOSTS=["*"], DEFAULT_CHARSET="utf-8")
        django.setup()


def test_readme_has_examples() -> None:
    assert len(readme_blocks()) >= 10


def test_readme_examples_run(readme_env: LocalApertur) -> None:
    _configure_django()
    namespace: dict[str, Any] = {"__name__": "readme"}
    for number, source in enumerate(readme_blocks(), start=1):
        before = set(namespace)
        code = compile(source, f"README.md block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - the README is ours
        for name in sorted(set(namespace) - before):
            func = namespace[name]
            if name.startswith("test_") and inspect.isfunction(func):
                params = inspect.signature(func).parameters
                assert list(params) == ["apertur_local"], name
                readme_env.reset()
                func(readme_env)
    client = namespace.get("client")
    if client is not None:
        client.close()
