"""``apertur-local serve`` / ``python -m apertur_local serve``: run a local Apertur server.

Prints one line (URL, API key, project id) and serves until Ctrl-C, then stops cleanly. With
``--host 0.0.0.0`` the server is reachable from the local network: session links (``upload_url``,
the QR code) then carry the machine's LAN address so a phone can open them, and a warning says
what that exposes.

A data directory that cannot be used (in use, damaged, another project) is reported on stderr
and the command exits with status 2 without serving.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import uvicorn

from ._app import build_app
from ._config import DEFAULT_API_KEY, DEFAULT_PROJECT_ID, LocalConfig
from ._database import StateStoreError
from ._lan import advertise, exposure_warning, normalise_public_url
from ._latency import DurationError, check_jitter, format_duration, parse_duration
from ._server import AppServer, bind_socket
from ._wire_limits import uvicorn_limits

CONTROL_TOKEN_ENV = "APERTUR_LOCAL_CONTROL_TOKEN"  # noqa: S105 - a variable name
"""Environment variable giving ``--control-token`` (keeps it out of the process list)."""

_DEFAULTS = LocalConfig()

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    root = argparse.ArgumentParser(
        prog="apertur-local", description="A local Apertur API server for tests and demos."
    )
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server until Ctrl-C")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface (default 127.0.0.1; 0.0.0.0 lets phones on your network open upload links)",
    )
    serve.add_argument("--port", type=int, default=8484, help="port (default 8484, 0 = any)")
    serve.add_argument("--api-key", default=DEFAULT_API_KEY, help="bootstrap API key")
    serve.add_argument("--project-id", default=DEFAULT_PROJECT_ID, help="seeded project id")
    serve.add_argument(
        "--data-dir", type=Path, default=None, help="keep state, images and RSA key here"
    )
    serve.add_argument(
        "--signing-secret",
        default=None,
        help="require signed requests (X-Aptr-Signature) made with this secret",
    )
    serve.add_argument(
        "--long-poll-hold",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="delivery-status hold (default 300)",
    )
    serve.add_argument(
        "--rate-limit", type=int, default=None, metavar="N", help="requests per minute"
    )
    serve.add_argument(
        "--allow-external-delivery",
        action="store_true",
        help="let webhooks reach hosts other than loopback (off by default)",
    )
    serve.add_argument(
        "--public-url",
        type=_public_url,
        default=None,
        metavar="URL",
        help="base of upload links and QR codes, e.g. http://192.168.1.20:8484 "
        "(default: the LAN address with --host 0.0.0.0, else the URL clients use)",
    )
    serve.add_argument(
        "--allowed-hosts",
        action="append",
        default=[],
        metavar="NAME[,...]",
        help="more names the server answers to, e.g. mybox.local (IP addresses, localhost and "
        "the --host and --public-url names always work; other names get 403, against DNS "
        "rebinding)",
    )
    serve.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_ENV) or None,
        metavar="TOKEN",
        help=f"require X-Apertur-Control-Token: TOKEN on /_local/* (default: ${CONTROL_TOKEN_ENV})",
    )
    serve.add_argument(
        "--latency",
        type=_duration("latency"),
        default=0.0,
        metavar="DURATION",
        help="simulated network latency added to every request, e.g. 40ms or 0.04s (default 0)",
    )
    serve.add_argument(
        "--jitter",
        type=_duration("jitter"),
        default=0.0,
        metavar="DURATION",
        help="each delay is drawn from latency ± jitter, e.g. 10ms (default 0)",
    )
    limits = serve.add_argument_group("limits on clients")
    limits.add_argument(
        "--max-header-bytes",
        type=int,
        default=_DEFAULTS.max_header_bytes,
        metavar="N",
        help=f"largest request head, 431 beyond (default {_DEFAULTS.max_header_bytes})",
    )
    limits.add_argument(
        "--max-request-line",
        type=int,
        default=_DEFAULTS.max_request_line,
        metavar="N",
        help=f"longest request line, 414 beyond (default {_DEFAULTS.max_request_line})",
    )
    limits.add_argument(
        "--header-timeout",
        type=float,
        default=_DEFAULTS.header_timeout,
        metavar="SECONDS",
        help=f"time to send a request head, 408 beyond (default {_DEFAULTS.header_timeout:g})",
    )
    limits.add_argument(
        "--body-timeout",
        type=float,
        default=_DEFAULTS.body_timeout,
        metavar="SECONDS",
        help=f"longest pause in a request body, 408 beyond (default {_DEFAULTS.body_timeout:g})",
    )
    limits.add_argument(
        "--write-timeout",
        type=float,
        default=_DEFAULTS.write_timeout,
        metavar="SECONDS",
        help="how long a response waits for a client that stopped reading it before the "
        f"connection is dropped (default {_DEFAULTS.write_timeout:g})",
    )
    limits.add_argument(
        "--max-concurrency",
        type=int,
        default=_DEFAULTS.max_concurrency,
        metavar="N",
        help=f"connections served at once, 503 beyond (default {_DEFAULTS.max_concurrency})",
    )
    limits.add_argument(
        "--password-attempts",
        type=_at_least_one,
        default=_DEFAULTS.password_attempts,
        metavar="N",
        help="wrong passwords a session accepts per minute without an API key (the upload "
        f"page's), 429 beyond (default {_DEFAULTS.password_attempts})",
    )
    serve.add_argument("--log-level", default="warning", help="uvicorn log level")
    return root


def _duration(what: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            return parse_duration(text, what)
        except DurationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _public_url(value: str) -> str:
    try:
        return normalise_public_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``apertur-local`` console script."""
    args = parser().parse_args(argv)
    try:
        check_jitter(args.latency, args.jitter)
    except DurationError as exc:
        print(f"apertur-local serve: error: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"apertur-local: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    config = LocalConfig(
        host=args.host,
        port=sock.getsockname()[1],
        api_key=args.api_key,
        project_id=args.project_id,
        data_dir=args.data_dir,
        signing_secret=args.signing_secret,
        long_poll_hold=args.long_poll_hold,
        rate_limit=args.rate_limit,
        allow_external_delivery=args.allow_external_delivery,
        control_token=args.control_token,
        max_header_bytes=args.max_header_bytes,
        max_request_line=args.max_request_line,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        write_timeout=args.write_timeout,
        max_concurrency=args.max_concurrency,
        password_attempts=args.password_attempts,
        public_url=args.public_url,
        allowed_hosts=",".join(args.allowed_hosts),
        latency=args.latency,
        jitter=args.jitter,
    )
    config = advertise(config)
    try:
        app = build_app(config)
    except StateStoreError as exc:
        sock.close()
        print(f"apertur-local: {exc}", file=sys.stderr)
        return 2
    latency = ""
    if config.latency:
        latency = f"  latency: {format_duration(config.latency)}"
        if config.jitter:
            latency += f" ± {format_duration(config.jitter)}"
    print(
        f"apertur-local listening on {config.url}  api key: {config.api_key}  "
        f"project id: {config.project_id}{latency}",
        flush=True,
    )
    if config.public_url is not None:
        print(f"upload links open at {config.public_url}/u/<session id>", flush=True)
    warning = exposure_warning(config)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
    server = AppServer(
        uvicorn.Config(
            app.asgi,
            lifespan="on",
            log_level=args.log_level,
            timeout_graceful_shutdown=3,
            **uvicorn_limits(config),
        ),
        app,
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        app.state.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
