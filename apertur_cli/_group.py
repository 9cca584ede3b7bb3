"""The command classes: run a command and turn any failure into one line on stderr.

click's own standalone handling prints usage blocks and lets foreign exceptions escape as
tracebacks; :meth:`AperturGroup.main` runs click non-standalone and reports every failure the
same way: ``apertur: error: <message>`` (or a JSON object with ``--json``), exit code 1 (2 for
usage errors and a missing extra, 130 after Ctrl-C). The message is printed literally: no
terminal escapes, no control characters, bounded length.

:class:`Command` (every leaf command, through :class:`Group`) translates errors where the
command's own options are known, so API field names in messages become its flags.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from ._errors import EXIT_INTERRUPTED, CliError, describe
from ._output import emit_json
from ._state import CliState
from ._text import clean
from ._wire import wire_flags

__all__ = ["AperturGroup", "Command", "Group", "fail"]


def _wants_json(args: list[str] | None) -> bool:
    """Whether ``--json`` was given (decided from argv, since parsing itself may have failed)."""
    argv = sys.argv[1:] if args is None else args
    return "--json" in argv[: argv.index("--")] if "--" in argv else "--json" in argv


def fail(error: CliError, *, as_json: bool) -> NoReturn:
    """Report ``error`` as one line on stderr and exit with its code."""
    message = clean(error.format_message())
    if as_json:
        emit_json({"error": {"message": message, **error.details}}, err=True)
    else:
        click.echo(f"apertur: error: {message}", err=True)
    sys.exit(error.exit_code)


def _translate(ctx: click.Context, exc: Exception, flags: dict[str, str] | None = None) -> CliError:
    state = ctx.find_object(CliState)
    return describe(exc, base_url=state.base_url if state else None, flags=flags)


_PASS_THROUGH = (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt)


class Command(click.Command):
    """A leaf command: errors become :class:`CliError` with API field names as its flags."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, translating foreign exceptions into :class:`CliError`."""
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except Exception as exc:
            raise _translate(ctx, exc, wire_flags(self)) from exc


class Group(click.Group):
    """A command group whose commands (and sub-groups) use :class:`Command` / :class:`Group`."""

    command_class = Command
    group_class = type


class AperturGroup(Group):
    """The root group: its :meth:`main` never shows a traceback."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; on failure print one line and exit non-zero."""
        as_json = _wants_json(list(args) if args is not None else None)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except CliError as exc:
            fail(exc, as_json=as_json)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            fail(CliError(exc.format_message() + hint, exit_code=exc.exit_code), as_json=as_json)
        except click.Abort:
            fail(CliError("interrupted", exit_code=EXIT_INTERRUPTED), as_json=as_json)
        except KeyboardInterrupt:
            fail(CliError("interrupted", exit_code=EXIT_INTERRUPTED), as_json=as_json)
        except click.ClickException as exc:
            fail(CliError(exc.format_message(), exit_code=exc.exit_code), as_json=as_json)
        except Exception as exc:  # raised outside a command (e.g. while parsing)
            fail(describe(exc), as_json=as_json)
        code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the subcommand, translating foreign exceptions into :class:`CliError`."""
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except Exception as exc:
            raise _translate(ctx, exc) from exc
