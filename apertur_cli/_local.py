"""``apertur local``: the local Apertur server's commands, loaded when used.

``serve`` lives in :mod:`apertur_cli._local_serve`, whose options are made from the server's
configuration; importing it loads the server (about half a second), so the group imports it only
when a ``local`` command is looked up, never for ``apertur sessions ...`` and the like.
"""

from __future__ import annotations

import click

from ._errors import CliError
from ._group import Group
from ._launch import EXIT_MISSING_EXTRA, missing_extra

__all__ = ["local"]


class _LocalGroup(Group):
    """The ``local`` group: its one command is imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["serve"]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name != "serve":
            return None
        try:
            from ._local_serve import serve
        except ModuleNotFoundError as exc:
            message = missing_extra(exc)
            if message is None:
                raise
            return _unavailable(cmd_name, message)
        return serve


def _unavailable(name: str, message: str) -> click.Command:
    """A stand-in for a command whose extra is missing: whatever the arguments, it says so."""

    def explain() -> None:
        raise CliError(message, exit_code=EXIT_MISSING_EXTRA)

    return click.Command(
        name,
        callback=explain,
        help=f"Unavailable: {message}",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


@click.group(cls=_LocalGroup)
def local() -> None:
    """The local Apertur server (for development and tests, on loopback)."""
