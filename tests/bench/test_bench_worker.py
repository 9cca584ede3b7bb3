"""The benchmark worker imports a side's whole SDK before timing anything."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import _worker


@pytest.fixture
def sdk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package ``lazy_sdk`` whose ``engine`` it would import on first use only, and whose
    ``extra`` needs a dependency that is not installed."""
    package = tmp_path / "lazy_sdk"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "engine.py").write_text("LOADED = True\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "deep.py").write_text("LOADED = True\n")
    (package / "extra.py").write_text("import not_installed_anywhere_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "lazy_sdk"
    for name in [m for m in sys.modules if m.startswith("lazy_sdk")]:
        del sys.modules[name]


def test_every_module_of_the_sdk_is_imported_and_a_missing_extra_is_skipped(sdk: str) -> None:
    _worker.import_all(sdk)
    assert {"lazy_sdk.engine", "lazy_sdk.sub.deep"} <= set(sys.modules)
    assert "lazy_sdk.extra" not in sys.modules


def test_a_side_without_a_package_imports_nothing() -> None:
    before = set(sys.modules)
    _worker.import_all(None)
    assert set(sys.modules) == before


def test_our_sides_name_their_sdk() -> None:
    from benchmarks import _side_ours, _side_ours_async

    assert _side_ours.PACKAGE == _side_ours_async.PACKAGE == "apertur_ext"
