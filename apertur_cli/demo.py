"""``make demo`` / ``python -m apertur_cli.demo``: the whole product, end to end, in seconds.

Starts a local Apertur server and a webhook receiver on loopback, then runs what a user would
do (see :mod:`apertur_cli._demo_flow`): set up the project, create a password-protected
long-polling session, upload plain and encrypted images, follow their delivery, drain the queue
into ``./demo-output`` checking every SHA-256, check the signed webhook and event deliveries,
and save the session's QR code. One line per step; exit status 1 if any step failed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from apertur_local import LocalApertur

from ._demo_flow import DemoFlow
from ._demo_receiver import Receiver

__all__ = ["main"]


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


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
    ]


def run(output: Path, console: Console) -> bool:
    """Run every step, printing one line each; True when all passed."""
    started = time.monotonic()
    output.mkdir(parents=True, exist_ok=True)
    console.print("[bold]Apertur demo[/] — everything below runs on this machine")
    passed = failed = 0
    with LocalApertur() as server, Receiver(image_secret=secrets.token_hex(16)) as receiver:
        console.print(f"[green]✓[/] local server at {server.url} (project {server.project_id})")
        console.print(f"[green]✓[/] webhook receiver at {receiver.url}")
        flow = DemoFlow(server, receiver, output)
        try:
            for name, step in _steps(flow):
                if failed:
                    console.print(f"[dim]- {name}: skipped[/]")
                    continue
                try:
                    console.print(f"[green]✓[/] {step()}")
                    passed += 1
                except Exception as exc:  # every failure is reported, then the run ends
                    console.print(f"[red]✗[/] {name}: {_reason(exc)}")
                    failed += 1
        finally:
            flow.close()
    total = len(_steps(flow)) + 2
    elapsed = time.monotonic() - started
    mark = "[red]✗[/]" if failed else "[green]✓[/]"
    console.print(
        f"{mark} [bold]{passed + 2}/{total} steps passed[/] in {elapsed:.1f} s; "
        f"images and QR code in {output}/"
    )
    return not failed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; return the exit status (0 when every step passed)."""
    parser = argparse.ArgumentParser(prog="python -m apertur_cli.demo", description=__doc__)
    parser.add_argument(
        "--output", type=Path, default=Path("demo-output"), help="folder for the results"
    )
    args = parser.parse_args(argv)
    console = Console(highlight=False, soft_wrap=True)
    try:
        return 0 if run(args.output, console) else 1
    except KeyboardInterrupt:
        console.print("[red]✗[/] interrupted")
        return 130
    except Exception as exc:  # the server or receiver could not start
        console.print(f"[red]✗[/] demo could not run: {_reason(exc)}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
