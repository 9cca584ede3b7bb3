"""The root command class: runs a command and turns any failure into one line on stderr.

click's own standalone handling prints usage blocks and lets foreign exceptions escape as
tracebacks; :meth:`AperturGroup.main` runs click non-standalone and reports every failure the
same way: ``apertur: error: <message>`` (or a JSON object with ``--json``), exit code 1 (2 for
usage errors, 130 after Ctrl-C).
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from ._errors import EXIT_INTERRUPTED, CliError, describe
from ._output import emit_json
from ._state import CliState

__all__ = ["AperturGroup", "fail"]


def _wants_json(args: list[str] | None) -> bool:
    """Whether ``--json`` was given (decided from argv, since parsing itself may have failed)."""
    argv = sys.argv[1:] if args is None else args
    return "--json" in argv[: argv.index("--")] if "--" in argv else "--json" in argv


def fail(error: CliError, *, as_json: bool) -> NoReturn:
    """Report ``error`` as one line on stderr and exit with its code."""
    if as_json:
        emit_json({"error": {"message": error.format_message(), **error.details}}, err=True)
    else:
        click.echo(f"apertur: error: {error.format_message()}", err=True)
    sys.exit(error.exit_code)


class AperturGroup(click.Group):
    """A :class:`click.Group` whose :meth:`main` never shows a traceback."""

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
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            state = ctx.find_object(CliState)
            raise describe(exc, base_url=state.base_url if state else None) from exc
