"""``apertur sessions create|get|update|list|qr``: upload sessions.

``create`` prints the upload URL and draws the session's QR code in the terminal, so a phone can
scan it straight away; ``--json`` prints the created session instead, ``-q`` only its id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ._group import Group
from ._output import human_time, unset_to_none
from ._params import split_values
from ._qr import qr_renderable
from ._state import CliState, output_options, pass_state
from ._text import grid, literal, yes_no
from ._wire import WireOption

__all__ = ["sessions"]

_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


@click.group(cls=Group)
def sessions() -> None:
    """Create, inspect and change upload sessions."""


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
    cls=WireOption,
    wire=("destination_ids", "destinationIds"),
    multiple=True,
    metavar="ID",
    help="Deliver to this destination id (repeatable; default: the key's).",
)
@click.option(
    "--allowed-mime-type",
    "mime_types",
    cls=WireOption,
    wire=("allowed_mime_types", "allowedMimeTypes"),
    multiple=True,
    type=click.Choice(_MIME_TYPES),
    help="Accept only these content types (repeatable).",
)
@click.option(
    "--max-image-dimension", type=click.IntRange(min=1), metavar="PX", help="Largest side."
)
@click.option("--qr/--no-qr", default=True, help="Draw the QR code (default: yes).")
@output_options
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
        "tags": split_values(tags) or None,
        "expires_in_hours": expires_in_hours,
        "expires_at": expires_at,
        "destination_ids": list(destinations) or None,
        "allowed_mime_types": list(mime_types) or None,
        "max_image_dimension": max_image_dimension,
    }
    result = state.client().sessions.create(**{k: v for k, v in options.items() if v is not None})

    def text() -> None:
        state.out.print(
            grid(
                [
                    ("Session", result.id),
                    ("Upload URL", result.upload_url),
                    ("Expires", human_time(result.expires_at)),
                    ("Password", yes_no(result.password_protected)),
                    ("Long polling", yes_no(result.long_polling)),
                ]
            )
        )
        if qr:
            state.out.print()
            state.out.print(qr_renderable(result.upload_url))

    state.emit(result, ids=[result.id], text=text)


def _show_session(state: CliState, result: Any) -> None:
    limit = unset_to_none(result.effective_max_images)
    state.emit(
        result,
        ids=[result.id],
        text=lambda: state.out.print(
            grid(
                [
                    ("Session", result.id),
                    ("Status", result.status),
                    ("Expires", human_time(result.expires_at)),
                    ("Password", yes_no(result.password_protected)),
                    ("Max images", "-" if limit is None else limit),
                    ("Tags", ", ".join(unset_to_none(result.tags) or []) or "-"),
                ]
            )
        ),
    )


@sessions.command("get")
@click.argument("session")
@output_options
@pass_state
def get(state: CliState, session: str) -> None:
    """Show one session."""
    _show_session(state, state.client().sessions.get(session))


@sessions.command("update")
@click.argument("session")
@click.option("--max-images", type=click.IntRange(min=1), metavar="N", help="New upload limit.")
@click.option("--expires-at", metavar="ISO8601", help="New expiry date-time.")
@click.option(
    "--allowed-mime-type",
    "mime_types",
    cls=WireOption,
    wire=("allowed_mime_types", "allowedMimeTypes"),
    multiple=True,
    type=click.Choice(_MIME_TYPES),
    help="Accept only these content types (repeatable; replaces the list).",
)
@click.option("--max-image-dimension", type=click.IntRange(min=1), metavar="PX")
@click.option("--max-image-size-mb", type=click.IntRange(min=1), metavar="MB")
@click.option("--password", metavar="P", help="Set or change the upload password.")
@click.option("--remove-password", is_flag=True, help="Remove the upload password.")
@output_options
@pass_state
def update(
    state: CliState,
    session: str,
    max_images: int | None,
    expires_at: str | None,
    mime_types: tuple[str, ...],
    max_image_dimension: int | None,
    max_image_size_mb: int | None,
    password: str | None,
    remove_password: bool,
) -> None:
    """Change a session's settings (only the options given change)."""
    if password is not None and remove_password:
        raise click.UsageError("--password and --remove-password cannot be combined")
    changes: dict[str, Any] = {
        "max_images": max_images,
        "expires_at": expires_at,
        "allowed_mime_types": list(mime_types) or None,
        "max_image_dimension": max_image_dimension,
        "max_image_size_mb": max_image_size_mb,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if password is not None:
        changes["password"] = password
    elif remove_password:
        changes["password"] = None  # None removes it; leaving it out keeps it
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    _show_session(state, state.client().sessions.update(session, **changes))


@sessions.command("list")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--page-size", type=click.IntRange(min=1, max=100), default=20, show_default=True)
@output_options
@pass_state
def list_(state: CliState, page: int, page_size: int) -> None:
    """List sessions, newest first."""
    result = state.client().sessions.list(page=page, page_size=page_size)

    def text() -> None:
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
                literal(row.id),
                literal(unset_to_none(row.status) or "-"),
                human_time(row.created_at, short=True)[5:],  # MM-DD HH:MM
                str(unset_to_none(row.images_count) or 0),
                str(unset_to_none(row.images_delivered) or 0),
                str(unset_to_none(row.images_failed) or 0),
            )
        state.out.print(table)
        state.out.print(f"{result.total} session(s) in total")

    state.emit(result, ids=[row.id for row in result.data], text=text)


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
@output_options
@pass_state
def qr_image(state: CliState, session: str, out_path: Path, fmt: str, size: int | None) -> None:
    """Save the session's QR code (as the API renders it) to a file; -q prints its path."""
    kwargs: dict[str, Any] = {"format": fmt}
    if size is not None:
        kwargs["size"] = size
    written = state.client().sessions.qr(session, to=out_path, **kwargs)
    state.emit(
        {"path": str(out_path), "size_bytes": written, "format": fmt},
        ids=[out_path],
        text=lambda: state.out.print(literal(f"saved {out_path} ({written} bytes)")),
    )
