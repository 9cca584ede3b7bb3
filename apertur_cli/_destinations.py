"""``apertur destinations list|create|update|delete|test``: where a project's images go.

A destination's ``config`` depends on its type (a webhook's ``url``, an S3 bucket's ``bucket`` and
``region``, ...): give it as ``--config KEY=VALUE`` (repeatable, string values) or as one JSON
object with ``--config-json '{...}'`` / ``--config-json @file.json``. Every command takes the
project from ``--project-id`` or ``APERTUR_PROJECT_ID``.
"""

from __future__ import annotations

from typing import Any

import click

from ._group import Group
from ._output import human_time, unset_to_none
from ._params import json_object, key_values
from ._state import CliState, output_options, pass_state, project_option
from ._text import grid, literal, table, yes_no

__all__ = ["destinations"]


@click.group(cls=Group)
def destinations() -> None:
    """Manage a project's delivery destinations."""


def _config(pairs: tuple[str, ...], as_json: str | None) -> dict[str, Any] | None:
    config = json_object(as_json, "--config-json")
    if pairs:
        config = {**(config or {}), **key_values(pairs, "--config")}
    return config


_config_options = [
    click.option(
        "--config",
        "config_pairs",
        multiple=True,
        metavar="KEY=VALUE",
        help="A config entry (repeatable), e.g. --config url=https://example.com/hook.",
    ),
    click.option("--config-json", metavar="JSON|@FILE", help="The whole config as a JSON object."),
]


def _with_config(func: Any) -> Any:
    for option in reversed(_config_options):
        func = option(func)
    return func


def _show(state: CliState, result: Any) -> None:
    state.emit(
        result,
        ids=[result.id],
        text=lambda: state.out.print(
            grid(
                [
                    ("Destination", result.id),
                    ("Type", result.type_),
                    ("Name", result.name),
                    ("Active", yes_no(result.is_active)),
                    ("Updated", human_time(result.updated_at)),
                ]
            )
        ),
    )


@destinations.command("list")
@project_option
@output_options
@pass_state
def list_(state: CliState, project_id: str) -> None:
    """List the project's destinations."""
    result = state.client().destinations.list(project_id)
    rows = [(d.id, d.type_, d.name, yes_no(d.is_active)) for d in result]
    state.emit(
        result,
        ids=[d.id for d in result],
        text=lambda: state.out.print(table(("Destination", "Type", "Name", "Active"), rows)),
    )


@destinations.command("create")
@click.option("--type", "type_", required=True, metavar="TYPE", help="webhook, s3, dropbox, ...")
@click.option("--name", required=True, metavar="NAME", help="A name to recognise it by.")
@_with_config
@project_option
@output_options
@pass_state
def create(
    state: CliState,
    type_: str,
    name: str,
    config_pairs: tuple[str, ...],
    config_json: str | None,
    project_id: str,
) -> None:
    """Create a destination."""
    config = _config(config_pairs, config_json)
    result = state.client().destinations.create(project_id, type=type_, name=name, config=config)
    _show(state, result)


@destinations.command("update")
@click.argument("destination")
@click.option("--name", metavar="NAME", help="New name.")
@_with_config
@click.option("--active/--inactive", "is_active", default=None, help="Turn delivery on or off.")
@project_option
@output_options
@pass_state
def update(
    state: CliState,
    destination: str,
    name: str | None,
    config_pairs: tuple[str, ...],
    config_json: str | None,
    is_active: bool | None,
    project_id: str,
) -> None:
    """Change a destination (only the options given change; --config replaces the config)."""
    config = _config(config_pairs, config_json)
    if name is None and config is None and is_active is None:
        raise click.UsageError("nothing to change: give at least one option")
    result = state.client().destinations.update(
        project_id, destination, name=name, config=config, is_active=is_active
    )
    _show(state, result)


@destinations.command("delete")
@click.argument("destination")
@project_option
@output_options
@pass_state
def delete(state: CliState, destination: str, project_id: str) -> None:
    """Delete a destination."""
    state.client().destinations.delete(project_id, destination)
    state.emit(
        {"id": destination, "deleted": True},
        ids=[destination],
        text=lambda: state.out.print(literal(f"deleted destination {destination}")),
    )


@destinations.command("test")
@click.argument("destination")
@project_option
@output_options
@pass_state
def test(state: CliState, destination: str, project_id: str) -> None:
    """Send a test delivery to a destination (exit code 1 if it failed)."""
    result = state.client().destinations.test(project_id, destination)
    detail = unset_to_none(result.error) or unset_to_none(result.message)
    state.emit(
        result,
        ids=[destination],
        text=lambda: state.out.print(
            literal(
                ("test delivery succeeded" if result.success else "test delivery failed")
                + (f": {detail}" if detail else "")
            )
        ),
    )
    if not result.success:
        click.get_current_context().exit(1)
