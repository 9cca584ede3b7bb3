"""apertur_local: a stateful local Apertur API server (like moto for AWS).

It implements every operation of ``openapi.yaml`` with real state, real HTTP and real cryptography,
on loopback, for the SDK's end-to-end tests, the demo, the benchmarks and users' own tests::

    from apertur_local import LocalApertur

    with LocalApertur() as server:
        ...  # server.url, server.api_key, server.project_id

Or from a shell: ``apertur-local serve``. Pytest users get the ``apertur_local`` fixture.
It is an independent implementation of the wire format: it never imports ``apertur_ext``.
"""

from __future__ import annotations

from ._app import LocalApp, build_app, create_app
from ._config import DEFAULT_API_KEY, DEFAULT_PROJECT_ID, SECRET, Clock, LocalConfig
from ._database import StateStoreError
from ._lan import exposure_warning, normalise_public_url
from ._latency import DurationError, parse_duration
from ._server import LocalApertur

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_PROJECT_ID",
    "SECRET",
    "Clock",
    "DurationError",
    "LocalApertur",
    "LocalApp",
    "LocalConfig",
    "StateStoreError",
    "build_app",
    "create_app",
    "exposure_warning",
    "normalise_public_url",
    "parse_duration",
]
