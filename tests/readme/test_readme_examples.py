"""Every ```python block of README.md runs against a local server, each as its own file would.

A block runs in a fresh namespace, so a block that shows a whole file must import everything it
uses. A block whose first line is ``# Continues "<section>"`` runs instead in the namespace of that
section's example (shared with every block that continues it), after it. The environment points
the examples at the server (APERTUR_API_KEY, APERTUR_BASE_URL, APERTUR_PROJECT_ID) and the working
directory holds a `photo.jpg`, as a user's would. A test function that a block defines (the
pytest examples) is called with the fixture it names.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from apertur_local import LocalApertur

ROOT = Path(__file__).resolve().parents[2]
SECTION_OR_BLOCK = re.compile(
    r"^#{2,4} (?P<heading>[^\n]+)$|^```python\n(?P<code>.*?)^```", re.S | re.M
)
CONTINUES = re.compile(r'\A# Continues "(?P<section>[^"]+)"')


@attrs.frozen
class Block:
    number: int
    section: str
    code: str

    @property
    def continues(self) -> str | None:
        match = CONTINUES.match(self.code)
        return match["section"] if match else None


def readme_blocks(text: str | None = None) -> list[Block]:
    text = (ROOT / "README.md").read_text() if text is None else text
    blocks, section = [], ""
    for match in SECTION_OR_BLOCK.finditer(text):
        if match["heading"] is not None:
            section = match["heading"].strip()
        else:
            blocks.append(Block(len(blocks) + 1, section, match["code"]))
    return blocks


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
    blocks = readme_blocks()
    assert len(blocks) >= 10
    assert sum(block.continues is None for block in blocks) >= 5  # most run on their own


def test_continuation_markers_name_earlier_sections() -> None:
    seen: set[str] = set()
    for block in readme_blocks():
        if block.continues is not None:
            assert block.continues in seen, f"block {block.number}: no {block.continues!r} before"
        else:
            seen.add(block.section)


def test_a_block_that_needs_an_earlier_one_fails_on_its_own(readme_env: LocalApertur) -> None:
    """The check has teeth: a standalone block using a name it does not define fails."""
    [block] = readme_blocks("## A\n```python\nprint(client)\n```\n")
    with pytest.raises(NameError):
        run_blocks([block], readme_env)


def run_blocks(blocks: list[Block], server: LocalApertur) -> list[dict[str, Any]]:
    chains: dict[str, dict[str, Any]] = {}
    namespaces = []
    for block in blocks:
        if block.continues is None:
            namespace: dict[str, Any] = {"__name__": f"readme_block_{block.number}"}
            chains[block.section] = namespace
            namespaces.append(namespace)
        else:
            namespace = chains[block.continues]
        before = set(namespace)
        code = compile(block.code, f"README.md block {block.number} ({block.section})", "exec")
        exec(code, namespace)  # noqa: S102 - the README is ours
        for name in sorted(set(namespace) - before):
            func = namespace[name]
            if name.startswith("test_") and inspect.isfunction(func):
                params = inspect.signature(func).parameters
                assert list(params) == ["apertur_local"], name
                server.reset()
                func(server)
    return namespaces


def test_readme_examples_run(readme_env: LocalApertur) -> None:
    _configure_django()
    namespaces = run_blocks(readme_blocks(), readme_env)
    for namespace in namespaces:
        client = namespace.get("client")
        if client is not None:
            client.close()
