"""LocalApertur: a local Apertur server in a background thread (uvicorn on a loopback socket).

::

    with LocalApertur() as server:          # free port, temporary data directory
        httpx.get(server.url + "/api/v1/stats",
                  headers={"Authorization": f"Bearer {server.api_key}"})

The socket is bound before uvicorn starts, so ``port=0`` picks a free port and :attr:`url` is
known at once. No signal handlers are installed (uvicorn only does that in the main thread).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import httpx
import uvicorn

from ._app import LocalApp, build_app
from ._config import LocalConfig
from ._control import CONTROL_TOKEN_HEADER
from ._lan import advertise
from ._wire_limits import uvicorn_limits

__all__ = ["AppServer", "LocalApertur", "bind_socket"]

_START_TIMEOUT = 30.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port=0``: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted connections (no Nagle stalls).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class AppServer(uvicorn.Server):
    """uvicorn's server for a :class:`LocalApp`: when it shuts down it first ends the held
    long-polls and open event streams, so that they finish cleanly instead of holding the
    shutdown until uvicorn's grace period runs out and cancels them."""

    def __init__(self, config: uvicorn.Config, app: LocalApp) -> None:
        super().__init__(config)
        self.local_app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.local_app.state.release_waiters()
        await super().shutdown(sockets)


class LocalApertur:
    """A local Apertur server running in a daemon thread; use as a context manager.

    Keyword arguments are :class:`~apertur_local.LocalConfig` fields (``api_key``,
    ``project_id``, ``data_dir``, ``signing_secret``, ``long_poll_hold``, ``rate_limit``,
    ``latency="40ms"``, ``jitter="5ms"``, ...); ``port`` defaults to 0 (a free port).
    """

    def __init__(
        self,
        *,
        config: LocalConfig | None = None,
        log_level: str = "warning",
        **fields: Any,
    ) -> None:
        fields.setdefault("port", 0)
        if "data_dir" in fields and fields["data_dir"] is not None:
            fields["data_dir"] = Path(fields["data_dir"])
        self._requested = attrs.evolve(config, **fields) if config else LocalConfig(**fields)
        self._log_level = log_level
        self._thread: threading.Thread | None = None
        self._server: uvicorn.Server | None = None
        self._error: BaseException | None = None
        self.app: LocalApp | None = None
        self.config = self._requested

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:53817``."""
        return self.config.url

    @property
    def api_key(self) -> str:
        """The bootstrap API key."""
        return self.config.api_key

    @property
    def project_id(self) -> str:
        """The seeded project's id."""
        return self.config.project_id

    @property
    def data_dir(self) -> Path:
        """The data directory in use (temporary unless ``data_dir`` was given)."""
        if self.app is None:
            raise RuntimeError("server not started")
        return self.app.state.data_dir

    def start(self) -> LocalApertur:
        """Bind, build the app and serve it in a background thread; return when ready."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        sock = bind_socket(self._requested.host, self._requested.port)
        self.config = advertise(attrs.evolve(self._requested, port=sock.getsockname()[1]))
        try:
            self.app = build_app(self.config)
        except BaseException:  # e.g. StateStoreError: the data directory cannot be used
            sock.close()
            raise
        uv_config = uvicorn.Config(
            self.app.asgi,
            lifespan="on",
            log_level=self._log_level,
            timeout_graceful_shutdown=3,
            ws="auto",
            **uvicorn_limits(self.config),
        )
        self._server = AppServer(uv_config, self.app)
        self._thread = threading.Thread(
            target=self._run, args=(sock,), name=f"apertur-local:{self.config.port}", daemon=True
        )
        self._thread.start()
        self._wait_started()
        return self

    def _run(self, sock: socket.socket) -> None:
        async def serve() -> None:
            assert self._server is not None
            await self._server.serve(sockets=[sock])

        try:
            asyncio.run(serve())
        except BaseException as exc:  # reported by start()/stop()
            self._error = exc
        finally:
            sock.close()

    def _wait_started(self) -> None:
        assert self._server is not None
        assert self._thread is not None
        deadline = _START_TIMEOUT / 0.01
        while not self._server.started:
            if not self._thread.is_alive() or deadline <= 0:
                self.stop()
                raise RuntimeError(f"apertur-local did not start: {self._error!r}")
            self._thread.join(0.01)
            deadline -= 1

    def stop(self) -> None:
        """Shut uvicorn down (held requests and event streams end first) and wait for the thread."""
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(15)
        self._thread = None
        self._server = None

    def reset(self) -> None:
        """Back to the seeded state (``POST /_local/reset``)."""
        token = self.config.control_token
        headers = {CONTROL_TOKEN_HEADER: token} if token else {}
        # Plain loopback HTTP: no TLS context to build, no proxy from the environment.
        with httpx.Client(verify=False, trust_env=False, timeout=30) as client:  # noqa: S501
            client.post(self.url + "/_local/reset", headers=headers).raise_for_status()

    def __enter__(self) -> LocalApertur:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalApertur(url={self.url!r}, project_id={self.project_id!r})"
