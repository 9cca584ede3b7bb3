"""``apertur local serve``: the local Apertur server, exactly as ``apertur-local serve`` runs it.

Every argument after ``serve`` (``--help`` included) is handed to ``apertur_local``'s own parser
and entry point, so the flags never drift apart. The arguments are checked first, so a bad flag
is one line (``apertur: error: ...``) rather than argparse's usage block.
"""

from __future__ import annotations

import contextlib
import io

import click

from ._errors import CliError

__all__ = ["local"]


@click.group()
def local() -> None:
    """The local Apertur server (for development and tests, on loopback)."""


def _check_arguments(argv: list[str]) -> bool:
    """Parse ``argv`` with apertur-local's parser; False when it printed help (exit 0)."""
    from apertur_local.__main__ import parser

    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            parser().parse_args(argv)
    except SystemExit as exc:
        if not exc.code:
            return False
        lines = errors.getvalue().strip().splitlines()
        message = lines[-1].split("error: ", 1)[-1] if lines else "bad arguments"
        raise CliError(message, exit_code=2) from None
    return True


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
    argv = ["serve", *args]
    if not _check_arguments(argv):
        return
    code = local_main(argv)
    if code:
        raise CliError("the local server could not start (see the message above)", exit_code=code)
