"""``apertur keys list|create|update|delete|set-destinations``: a project's API keys.

``create`` prints the new key once (it cannot be read again); store it at once. Every command
takes the project from ``--project-id`` or ``APERTUR_PROJECT_ID``, except ``set-destinations``,
which the API addresses by key id alone.
"""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from ._group import Group
from ._output import human_time, unset_to_none
from ._params import split_values
from ._state import CliState, output_options, pass_state, project_option
from ._text import grid, literal, table, yes_no
from ._wire import WireOption

__all__ = ["keys"]

_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


@click.group(cls=Group)
def keys() -> None:
    """Manage a project's API keys."""


def _limits(func: Any) -> Any:
    """The upload limits shared by create and update."""
    for option in reversed(
        [
            click.option("--max-images", type=click.IntRange(min=1), metavar="N"),
            click.option(
                "--allowed-mime-type",
                "mime_types",
                cls=WireOption,
                wire=("allowed_mime_types", "allowedMimeTypes"),
                multiple=True,
                type=click.Choice(_MIME_TYPES),
                help="Accept only these content types (repeatable).",
            ),
            click.option("--max-image-dimension", type=click.IntRange(min=1), metavar="PX"),
        ]
    ):
        func = option(func)
    return func


def _key_rows(key: Any) -> list[tuple[str, object]]:
    limit = unset_to_none(key.max_images)
    return [
        ("Key", key.id),
        ("Label", key.label),
        ("Prefix", unset_to_none(key.prefix)),
        ("Active", yes_no(key.is_active)),
        ("Max images", "-" if limit is None else limit),
        ("Long polling", yes_no(key.long_polling_enabled)),
        ("Created", human_time(key.created_at)),
    ]


@keys.command("list")
@project_option
@output_options
@pass_state
def list_(state: CliState, project_id: str) -> None:
    """List the project's API keys (never the keys themselves)."""
    result = state.client().keys.list(project_id)
    rows = [
        (
            k.id,
            k.label,
            unset_to_none(k.prefix),
            yes_no(k.is_active),
            human_time(k.last_used_at, short=True),
        )
        for k in result
    ]
    state.emit(
        result,
        ids=[k.id for k in result],
        text=lambda: state.out.print(
            table(("Key", "Label", "Prefix", "Active", "Last used"), rows)
        ),
    )


@keys.command("create")
@click.option("--label", required=True, metavar="TEXT", help="What the key is for.")
@_limits
@project_option
@output_options
@pass_state
def create(
    state: CliState,
    label: str,
    max_images: int | None,
    mime_types: tuple[str, ...],
    max_image_dimension: int | None,
    project_id: str,
) -> None:
    """Create an API key; the key is printed once (-q: the key id only)."""
    result = state.client().keys.create(
        project_id,
        label=label,
        max_images=max_images,
        allowed_mime_types=list(mime_types) or None,
        max_image_dimension=max_image_dimension,
    )

    def text() -> None:
        state.out.print(grid([*_key_rows(result.key), ("API key", result.plain_text_key)]))
        state.err.print(Text("The key is shown only now: store it safely.", style="yellow"))

    state.emit(result, ids=[result.key.id], text=text)


@keys.command("update")
@click.argument("key")
@click.option("--label", metavar="TEXT", help="New label.")
@click.option("--active/--inactive", "is_active", default=None, help="Enable or revoke use.")
@_limits
@click.option(
    "--allowed-ip",
    "allowed_ips",
    cls=WireOption,
    wire=("allowed_ips", "allowedIps"),
    multiple=True,
    metavar="IP",
    help="Accept requests only from these addresses (repeatable or comma-separated).",
)
@click.option(
    "--allowed-domain",
    "allowed_domains",
    cls=WireOption,
    wire=("allowed_domains", "allowedDomains"),
    multiple=True,
    metavar="DOMAIN",
    help="Accept uploads only from pages on these domains (repeatable or comma-separated).",
)
@project_option
@output_options
@pass_state
def update(
    state: CliState,
    key: str,
    label: str | None,
    is_active: bool | None,
    max_images: int | None,
    mime_types: tuple[str, ...],
    max_image_dimension: int | None,
    allowed_ips: tuple[str, ...],
    allowed_domains: tuple[str, ...],
    project_id: str,
) -> None:
    """Change a key (only the options given change; list options replace the list)."""
    changes: dict[str, Any] = {
        "label": label,
        "is_active": is_active,
        "max_images": max_images,
        "allowed_mime_types": list(mime_types) or None,
        "max_image_dimension": max_image_dimension,
        "allowed_ips": split_values(allowed_ips) or None,
        "allowed_domains": split_values(allowed_domains) or None,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    result = state.client().keys.update(project_id, key, **changes)
    state.emit(result, ids=[result.id], text=lambda: state.out.print(grid(_key_rows(result))))


@keys.command("delete")
@click.argument("key")
@project_option
@output_options
@pass_state
def delete(state: CliState, key: str, project_id: str) -> None:
    """Delete (revoke) an API key."""
    state.client().keys.delete(project_id, key)
    state.emit(
        {"id": key, "deleted": True},
        ids=[key],
        text=lambda: state.out.print(literal(f"deleted API key {key}")),
    )


@keys.command("set-destinations")
@click.argument("key")
@click.argument("destination_ids", nargs=-1, metavar="[DESTINATION]...")
@click.option(
    "--long-polling/--no-long-polling",
    "long_polling",
    cls=WireOption,
    wire=("long_polling_enabled", "longPollingEnabled"),
    default=None,
    help="Also queue the key's images for 'apertur poll' (unchanged when not given).",
)
@output_options
@pass_state
def set_destinations(
    state: CliState, key: str, destination_ids: tuple[str, ...], long_polling: bool | None
) -> None:
    """Set the destinations KEY delivers to (none given: deliver nowhere)."""
    result = state.client().keys.set_destinations(
        key, list(destination_ids), long_polling_enabled=long_polling
    )
    rows = [(d.id, unset_to_none(d.type_), unset_to_none(d.name)) for d in result.destinations]

    def text() -> None:
        state.out.print(table(("Destination", "Type", "Name"), rows))
        state.out.print(literal(f"long polling: {yes_no(result.long_polling_enabled)}"))

    state.emit(result, ids=[d.id for d in result.destinations], text=text)
