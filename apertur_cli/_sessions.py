"""``apertur sessions create|get|list|qr``: upload sessions.

``create`` prints the upload URL and draws the session's QR code in the terminal, so a phone can
scan it straight away; ``--json`` prints the API's ``CreateSessionResult`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ._output import emit_json, human_time, unset_to_none
from ._qr import qr_renderable
from ._state import CliState, json_option, pass_state

__all__ = ["sessions"]

_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


@click.group()
def sessions() -> None:
    """Create and inspect upload sessions."""


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeated and/or comma-separated values, blanks dropped."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _yes_no(value: object) -> str:
    value = unset_to_none(value)
    return "-" if value is None else "yes" if value else "no"


@sessions.command("create")
@click.option("--password", metavar="P", help="Protect uploads with this password.")
@click.option("--max-images", type=click.IntRange(min=1), metavar="N", help="Upload limit.")
@click.option(
    "--long-polling/--no-long-polling",
    default=None,
    help="Queue images for 'apertur poll' (pull delivery).",
)
@click.option(
    "--tags", "--tag", "tags", multiple=True, metavar="A,B", help="Tags (repeat or comma-separate)."
)
@click.option(
    "--expires-in-hours", type=click.IntRange(min=1), metavar="H", help="Lifetime in hours."
)
@click.option("--expires-at", metavar="ISO8601", help="Expiry as a date-time (instead of hours).")
@click.option(
    "--destination",
    "destinations",
    multiple=True,
    metavar="ID",
    help="Deliver to this destination id (repeatable; default: the key's).",
)
@click.option(
    "--allowed-mime-type",
    "mime_types",
    multiple=True,
    type=click.Choice(_MIME_TYPES),
    help="Accept only these content types (repeatable).",
)
@click.option("--max-image-dimension", type=click.IntRange(min=1), metavar="PX")
@click.option("--qr/--no-qr", default=True, help="Draw the QR code (default: yes).")
@json_option
@pass_state
def create(
    state: CliState,
    password: str | None,
    max_images: int | None,
    long_polling: bool | None,
    tags: tuple[str, ...],
    expires_in_hours: int | None,
    expires_at: str | None,
    destinations: tuple[str, ...],
    mime_types: tuple[str, ...],
    max_image_dimension: int | None,
    qr: bool,
) -> None:
    """Create an upload session; print its upload URL and QR code."""
    options: dict[str, Any] = {
        "password": password,
        "max_images": max_images,
        "long_polling": long_polling,
        "tags": _split(tags) or None,
        "expires_in_hours": expires_in_hours,
        "expires_at": expires_at,
        "destination_ids": list(destinations) or None,
        "allowed_mime_types": list(mime_types) or None,
        "max_image_dimension": max_image_dimension,
    }
    result = state.client().sessions.create(**{k: v for k, v in options.items() if v is not None})
    if state.json:
        emit_json(result)
        return
    out = state.out
    out.print(f"[bold]Session[/]    {result.id}")
    out.print(f"[bold]Upload URL[/] {result.upload_url}")
    out.print(f"[bold]Expires[/]    {human_time(result.expires_at)}")
    out.print(
        f"[bold]Password[/]   {_yes_no(result.password_protected)}    "
        f"[bold]Long polling[/] {_yes_no(result.long_polling)}"
    )
    if qr:
        out.print()
        out.print(qr_renderable(result.upload_url))


@sessions.command("get")
@click.argument("session")
@json_option
@pass_state
def get(state: CliState, session: str) -> None:
    """Show one session."""
    result = state.client().sessions.get(session)
    if state.json:
        emit_json(result)
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    limit = unset_to_none(result.effective_max_images)
    table.add_row("Session", result.id)
    table.add_row("Status", str(result.status))
    table.add_row("Expires", human_time(result.expires_at))
    table.add_row("Password", _yes_no(result.password_protected))
    table.add_row("Max images", "-" if limit is None else str(limit))
    table.add_row("Tags", ", ".join(unset_to_none(result.tags) or []) or "-")
    state.out.print(table)


@sessions.command("list")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--page-size", type=click.IntRange(min=1, max=100), default=20, show_default=True)
@json_option
@pass_state
def list_(state: CliState, page: int, page_size: int) -> None:
    """List sessions, newest first."""
    result = state.client().sessions.list(page=page, page_size=page_size)
    if state.json:
        emit_json(result)
        return
    table = Table(
        title=f"Sessions — page {result.page} of {max(result.total_pages, 1)}",
        box=None,
        pad_edge=False,
    )
    table.add_column("Session", no_wrap=True, min_width=36)
    table.add_column("Status")
    table.add_column("Created", no_wrap=True)
    for column in ("Images", "Sent", "Failed"):
        table.add_column(column, justify="right", min_width=len(column))
    for row in result.data:
        table.add_row(
            row.id,
            str(unset_to_none(row.status) or "-"),
            human_time(row.created_at, short=True)[5:],  # MM-DD HH:MM
            str(unset_to_none(row.images_count) or 0),
            str(unset_to_none(row.images_delivered) or 0),
            str(unset_to_none(row.images_failed) or 0),
        )
    state.out.print(table)
    state.out.print(f"{result.total} session(s) in total")


@sessions.command("qr")
@click.argument("session")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to save the image.",
)
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "jpeg"]), default="png")
@click.option("--size", type=click.IntRange(min=64, max=4096), metavar="PX")
@json_option
@pass_state
def qr_image(state: CliState, session: str, out_path: Path, fmt: str, size: int | None) -> None:
    """Save the session's QR code (as the API renders it) to a file."""
    kwargs: dict[str, Any] = {"format": fmt}
    if size is not None:
        kwargs["size"] = size
    written = state.client().sessions.qr(session, to=out_path, **kwargs)
    if state.json:
        emit_json({"path": str(out_path), "bytes": written, "format": fmt})
    else:
        state.out.print(f"saved {out_path} ({written} bytes)")
