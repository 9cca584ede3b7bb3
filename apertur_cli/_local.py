"""``apertur local serve``: the local Apertur server, exactly as ``apertur-local serve`` runs it.

Every argument after ``serve`` (``--help`` included) is handed to ``apertur_local``'s own entry
point, so the flags never drift apart.
"""

from __future__ import annotations

import click

from ._errors import CliError

__all__ = ["local"]


@click.group()
def local() -> None:
    """The local Apertur server (for development and tests, on loopback)."""


@local.command(
    "serve",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def serve(args: tuple[str, ...]) -> None:
    """Run a local Apertur server until Ctrl-C (flags of 'apertur-local serve'; try --help)."""
    try:
        from apertur_local.__main__ import main as local_main
    except ImportError as exc:
        raise CliError(
            f"the local server cannot be loaded ({exc.name or exc}): "
            "install it with pip install 'apertur-client[local]'"
        ) from None
    code = local_main(["serve", *args])
    if isinstance(code, int) and code:
        click.get_current_context().exit(code)
