"""``make demo`` / ``python -m apertur_cli.demo``: the whole product, end to end, in seconds.

Starts a local Apertur server and a webhook receiver on loopback, then runs what a user would
do (see :mod:`apertur_cli._demo_flow`): set up the project, create a password-protected
long-polling session, upload plain and encrypted images, follow their delivery, drain the queue
into ``./demo-output`` checking every SHA-256, check the signed webhook and event deliveries,
and save the session's QR code. One line per step; exit status 1 if any step failed.

Then it prints the link and QR code of a fresh session's upload page, for a person to try; in a
terminal it keeps serving and saves what arrives into ``./demo-output/from-page`` until Ctrl-C.
``--host 0.0.0.0`` serves the local network too, so a phone on the same network can scan the code.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from apertur_local import LocalApertur, exposure_warning

from ._demo_flow import DemoFlow
from ._demo_receiver import Receiver
from ._qr import qr_renderable
from ._text import literal

__all__ = ["main"]


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _ok(message: str) -> Text:
    return Text.assemble(("✓ ", "green"), literal(message))


def _failed(message: str) -> Text:
    return Text.assemble(("✗ ", "red"), literal(message))


def _steps(flow: DemoFlow) -> list[tuple[str, Callable[[], str]]]:
    return [
        ("destination", flow.create_destination),
        ("event webhook", flow.create_event_webhook),
        ("API key", flow.create_key),
        ("session", flow.create_session),
        ("QR code", flow.save_qr),
        ("plain uploads", flow.upload_plain),
        ("encrypted uploads", flow.upload_encrypted),
        ("delivery status", flow.follow_delivery),
        ("poll_and_process", flow.drain_queue),
        ("image webhooks", flow.check_image_deliveries),
        ("event webhooks", flow.check_events),
        ("upload page", flow.open_page_session),
    ]


def _try_the_page(flow: DemoFlow, console: Console, *, wait: bool, lan: bool) -> None:
    """Print the page's link and QR code; with ``wait``, report uploads until Ctrl-C."""
    console.print()
    console.print(Text.assemble(("Try the upload page: ", "bold"), literal(flow.page_url)))
    console.print(qr_renderable(flow.page_url))
    if not lan:
        console.print(
            "[dim]This link works on this computer. For a phone on the same network: "
            "make demo DEMO_ARGS='--host 0.0.0.0'[/]"
        )
    if not wait:
        return
    console.print("Waiting for photos sent from the page (Ctrl-C to stop)…")
    stop = threading.Event()
    try:
        flow.receive_from_page(lambda line: console.print(_ok(line)), stop)
    except KeyboardInterrupt:
        stop.set()
        console.print("stopped")


def run(output: Path, console: Console, *, host: str = "127.0.0.1", wait: bool = False) -> bool:
    """Run every step, printing one line each; True when all passed."""
    started = time.monotonic()
    output.mkdir(parents=True, exist_ok=True)
    console.print("[bold]Apertur demo[/] — everything below runs on this machine")
    passed = failed = 0
    # A key of its own (never printed): the demo may serve the local network (--host 0.0.0.0).
    api_key = f"aptr_test_{secrets.token_hex(16)}"
    with (
        LocalApertur(host=host, api_key=api_key) as server,
        Receiver(image_secret=secrets.token_hex(16)) as receiver,
    ):
        console.print(_ok(f"local server at {server.url} (project {server.project_id})"))
        warning = exposure_warning(server.config)
        if warning is not None:
            console.print(literal(warning, "yellow"))
        console.print(_ok(f"webhook receiver at {receiver.url}"))
        flow = DemoFlow(server, receiver, output)
        try:
            for name, step in _steps(flow):
                if failed:
                    console.print(f"[dim]- {name}: skipped[/]")
                    continue
                try:
                    console.print(_ok(step()))
                    passed += 1
                except Exception as exc:  # every failure is reported, then the run ends
                    console.print(_failed(f"{name}: {_reason(exc)}"))
                    failed += 1
            total = len(_steps(flow)) + 2
            elapsed = time.monotonic() - started
            mark = "[red]✗[/]" if failed else "[green]✓[/]"
            console.print(
                f"{mark} [bold]{passed + 2}/{total} steps passed[/] in {elapsed:.1f} s; "
                f"images and QR code in {output}/"
            )
            if not failed:
                lan = server.config.public_url is not None
                _try_the_page(flow, console, wait=wait, lan=lan)
        finally:
            flow.close()
    return not failed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; return the exit status (0 when every step passed)."""
    parser = argparse.ArgumentParser(prog="python -m apertur_cli.demo", description=__doc__)
    parser.add_argument(
        "--output", type=Path, default=Path("demo-output"), help="folder for the results"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface of the local server (0.0.0.0: phones on your network can open the page)",
    )
    parser.add_argument(
        "--wait",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep serving the upload page until Ctrl-C (default: when run in a terminal)",
    )
    args = parser.parse_args(argv)
    wait = sys.stdin.isatty() if args.wait is None else args.wait
    console = Console(highlight=False, soft_wrap=True)
    try:
        return 0 if run(args.output, console, host=args.host, wait=wait) else 1
    except KeyboardInterrupt:
        console.print("[red]✗[/] interrupted")
        return 130
    except Exception as exc:  # the server or receiver could not start
        console.print(_failed(f"demo could not run: {_reason(exc)}"))
        return 1


if __name__ == "__main__":
    sys.exit(main())
