"""Helpers shared by the ``apertur`` command tests (a unique module name, unlike conftest)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from click.testing import Result

Run = Callable[..., Result]
"""The ``run`` fixture: ``run("sessions", "list", ...)`` → click's ``Result``."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one_line_error(result: Result) -> str:
    """Assert ``result`` failed with exactly one line on stderr and no traceback; return it."""
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]
