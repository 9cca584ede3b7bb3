"""The documentation site builds strictly (any MkDocs warning fails) and is complete.

The build is the one ``make docs`` runs. The reference must hold every public name of
``apertur_ext`` (its ``__all__``, so a name added later is checked too) and every namespace of
the client; the guides must hold README's sections; no page may cite internal notes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import apertur_ext

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_hooks"))

import readme_sections  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


def anchors(page: Path) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', page.read_text()))


def test_every_public_name_is_in_the_reference(site: Path) -> None:
    ids = anchors(site / "reference" / "apertur_ext" / "index.html")
    missing = [name for name in apertur_ext.__all__ if f"apertur_ext.{name}" not in ids]
    assert missing == []


def test_every_client_namespace_is_in_the_reference(site: Path) -> None:
    page = (site / "reference" / "namespaces" / "index.html").read_text()
    client = apertur_ext.Apertur(api_key="aptr_test_docs", base_url="http://127.0.0.1:9")
    try:
        names = [n for n in ("sessions", "upload", "polling", "destinations", "keys", "webhooks")]
        assert all(hasattr(client, name) for name in names)
    finally:
        client.close()
    for name in names:
        assert f"<code>client.{name}</code>" in page, name
    assert "retry_delivery" in page  # inherited members are shown


def test_guides_are_the_readme_sections(site: Path) -> None:
    testing = (site / "guides" / "testing" / "index.html").read_text()
    assert "/_local/faults" in testing
    assert "test_retries_survive_two_503s" in testing
    cli = (site / "guides" / "cli" / "index.html").read_text()
    assert "apertur local serve" in cli
    home = (site / "index.html").read_text()
    assert "not on the Python Package Index" in home


def test_links_between_readme_sections_point_to_their_pages(site: Path) -> None:
    testing = (site / "guides" / "testing" / "index.html").read_text()
    assert 'href="../cli/"' in testing  # README's "(#the-apertur-command)"


def test_readme_pictures_are_found_from_the_page(site: Path) -> None:
    page = site / "guides" / "upload-page" / "index.html"
    pictures = re.findall(r'<img src="([^"]+)"', page.read_text())
    assert pictures
    for src in pictures:
        assert (page.parent / src).resolve().is_file(), src


def test_no_page_cites_internal_notes(site: Path) -> None:
    for page in site.rglob("*.html"):
        assert "§" not in page.read_text(), page


def test_a_missing_readme_section_fails_the_build() -> None:
    text = (
        "# T\n\nintro\n\n## One\n\nbody\n\n```sh\n## not a heading\n```\n\n### Sub\n\nx\n\n## Two\n"
    )
    assert (
        readme_sections.section(text, "One")
        == ("\n\nbody\n\n```sh\n## not a heading\n```\n\n### Sub\n\nx\n").strip("\n") + "\n"
    )
    assert readme_sections.intro(text).strip() == "intro"
    with pytest.raises(PluginError, match="no heading 'Three'"):
        readme_sections.section(text, "Three")


def test_every_model_is_in_the_reference(site: Path) -> None:
    import apertur_api.models

    ids = anchors(site / "reference" / "models" / "index.html")
    names = [name for name in apertur_api.models.__all__ if name != "WIRE_FIELDS"]
    assert len(names) > 50
    missing = [name for name in names if f"apertur_api.models.{name}" not in ids]
    assert missing == []
    assert "apertur_api.models.Session.server_public_key" in ids  # with their attributes


def _code_blocks(page: Path) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", block)
        for block in re.findall(r"<pre>(.*?)</pre>", page.read_text(), re.S)
    ]


def test_generated_docstring_sections_are_lists_not_code(site: Path) -> None:
    """The generated docstrings' indented lists (the client's keyword arguments, ``Args:``)
    used to render as code blocks or run into one paragraph."""
    for name in ("namespaces", "models"):
        for block in _code_blocks(site / "reference" / name / "index.html"):
            assert not block.lstrip().startswith(("`", "Args:", "- ")), block[:200]
    namespaces = (site / "reference" / "namespaces" / "index.html").read_text()
    assert re.search(r"<li><code>base_url</code>: the base URL of the API", namespaces)
    assert re.search(
        r"<strong>Args:</strong></p>\s*<ul>\s*<li><code>sms_consent</code>", namespaces
    )
    models = (site / "reference" / "models" / "index.html").read_text()
    assert "<strong>Example:</strong>" in models
    assert "Example:\n" not in models


def test_google_sections_become_markdown() -> None:
    sys.path.insert(0, str(ROOT / "docs" / "_griffe"))
    from rst_inline import google_sections_to_markdown

    text = (
        "Do it\n\nArgs:\n    name (str): The name,\n        on two lines.\n    other: Other.\n\n"
        "Raises:\n    errors.UnexpectedStatus: If so.\n\nReturns:\n    Response[X]\n\n"
        "Example:\n    {'a': 1,\n        'b': [2]}\n\nAfter."
    )
    assert google_sections_to_markdown(text) == (
        "Do it\n\n\n**Args:**\n\n- `name` (str): The name, on two lines.\n- `other`: Other.\n\n\n"
        "**Raises:**\n\n- `errors.UnexpectedStatus`: If so.\n\n\n**Returns:**\n\n- Response[X]\n\n\n"
        "**Example:**\n\n```python\n{'a': 1, 'b': [2]}\n```\n\nAfter."
    )
