"""Pytest fixtures for testing an Apertur integration offline against ``apertur_local``.

Registered through the ``pytest11`` entry point, so installing ``apertur-client[local]`` makes
them available in every test suite:

* ``apertur_server`` (session scope): one :class:`~apertur_local.LocalApertur` for the whole run,
  on a free loopback port, with a temporary data directory;
* ``apertur_local`` (function scope): the same server, reset to its seeded state before the test;
* ``apertur_local_options`` (session scope): the keyword arguments the server is made with;
  override it in a ``conftest.py`` to choose any :class:`~apertur_local.LocalConfig` field.

Example::

    def test_upload(apertur_local):
        client = httpx.Client(base_url=apertur_local.url,
                              headers={"Authorization": f"Bearer {apertur_local.api_key}"})
        ...

To run a suite against a server that behaves like a remote one, add network latency from the
command line (``pytest --apertur-latency 40ms --apertur-jitter 5ms``) or in ``conftest.py``::

    @pytest.fixture(scope="session")
    def apertur_local_options():
        return {"latency": "40ms", "jitter": "5ms"}

Importing this module is cheap: the server is only imported when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from apertur_local._server import LocalApertur

__all__ = [
    "apertur_local",
    "apertur_local_options",
    "apertur_server",
    "pytest_addoption",
    "pytest_configure",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--apertur-latency`` and ``--apertur-jitter`` (durations such as ``40ms``)."""
    group = parser.getgroup("apertur_local", "local Apertur server (apertur_local fixtures)")
    group.addoption(
        "--apertur-latency",
        default=None,
        metavar="DURATION",
        help="network latency the apertur_local server adds to every request, e.g. 40ms",
    )
    group.addoption(
        "--apertur-jitter",
        default=None,
        metavar="DURATION",
        help="spread of that latency: each delay is drawn from latency ± jitter, e.g. 5ms",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Refuse unusable ``--apertur-latency``/``--apertur-jitter`` values before any test runs."""
    latency = config.getoption("apertur_latency", None)
    jitter = config.getoption("apertur_jitter", None)
    if latency is None and jitter is None:
        return
    from apertur_local._latency import DurationError, check_jitter, parse_duration

    try:
        check_jitter(parse_duration(latency or 0), parse_duration(jitter or 0, "jitter"))
    except DurationError as exc:
        raise pytest.UsageError(f"--apertur-latency/--apertur-jitter: {exc}") from None


@pytest.fixture(scope="session")
def apertur_local_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Keyword arguments of the session's :class:`~apertur_local.LocalApertur` (by default
    the ``--apertur-latency``/``--apertur-jitter`` options, when given)."""
    options: dict[str, Any] = {}
    for name in ("latency", "jitter"):
        value = request.config.getoption(f"apertur_{name}", None)
        if value is not None:
            options[name] = value
    return options


@pytest.fixture(scope="session")
def apertur_server(apertur_local_options: dict[str, Any]) -> Iterator[LocalApertur]:
    """One local Apertur server for the whole test session (stopped at the end)."""
    from apertur_local._server import LocalApertur

    with LocalApertur(**apertur_local_options) as server:
        yield server


@pytest.fixture
def apertur_local(apertur_server: LocalApertur) -> LocalApertur:
    """The session's local Apertur server, reset to its seeded state for this test."""
    apertur_server.reset()
    return apertur_server
