"""The global options, shared by every command through click's context object.

:class:`CliState` holds ``--api-key``, ``--base-url``, ``--timeout``, ``--json`` and builds the
:class:`~apertur_ext.Apertur` client on first use, so commands that need no API (``webhooks
verify``, ``local serve``) work without a key. The key is never printed, not even in a ``repr``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import attrs
import click
from rich.console import Console

from ._errors import CliError
from ._output import emit_json
from ._text import clean

if TYPE_CHECKING:
    from apertur_ext import Apertur

__all__ = [
    "CliState",
    "json_option",
    "output_options",
    "pass_state",
    "project_option",
    "quiet_option",
]

P = ParamSpec("P")
R = TypeVar("R")


@attrs.define(repr=False)
class CliState:
    """Global options plus the lazily built client (closed when the command ends)."""

    api_key: str | None = None
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    signing_secret: str | None = None
    json: bool = False
    quiet: bool = False
    _client: Apertur | None = None

    def __repr__(self) -> str:
        return f"CliState(base_url={self.base_url!r}, json={self.json}, quiet={self.quiet})"

    @property
    def text(self) -> bool:
        """Whether output is for people (neither ``--json`` nor ``--quiet``)."""
        return not (self.json or self.quiet)

    @property
    def out(self) -> Console:
        """Console for results (stdout)."""
        return Console(highlight=False, soft_wrap=True)

    @property
    def err(self) -> Console:
        """Console for progress and notes (stderr), so stdout stays parseable."""
        return Console(stderr=True, highlight=False)

    def emit(self, result: object, *, ids: Iterable[object], text: Callable[[], None]) -> None:
        """Show ``result``: as JSON, as its ``ids`` one per line (``--quiet``), or ``text()``."""
        if self.json:
            emit_json(result)
        elif self.quiet:
            for item in ids:
                click.echo(clean(item))
        else:
            text()

    def client(self) -> Apertur:
        """The API client for this invocation; one clear error when no key is configured."""
        if self._client is None:
            if not self.api_key:
                raise CliError("no API key: pass --api-key or set APERTUR_API_KEY")
            from apertur_ext import Apertur

            kwargs: dict[str, Any] = {"api_key": self.api_key}
            if self.base_url:
                kwargs["base_url"] = self.base_url
            if self.timeout is not None:
                kwargs["timeout"] = self.timeout
            if self.max_retries is not None:
                kwargs["max_retries"] = self.max_retries
            if self.signing_secret:
                kwargs["signing_secret"] = self.signing_secret
            self._client = Apertur(**kwargs)
            click.get_current_context().call_on_close(self.close)
        return self._client

    def close(self) -> None:
        """Close the client's connections, if one was made."""
        if self._client is not None:
            self._client.close()
            self._client = None


def pass_state(func: Callable[Concatenate[CliState, P], R]) -> Callable[P, R]:
    """Decorator: call ``func`` with the :class:`CliState` as first argument."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        # ensure_object: a command invoked on its own, outside ``apertur``, gets defaults.
        state = click.get_current_context().ensure_object(CliState)
        return func(state, *args, **kwargs)

    return functools.update_wrapper(wrapper, func)


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            state = ctx.ensure_object(CliState)
            setattr(state, name, True)
            if state.json and state.quiet:
                raise click.UsageError("--json and --quiet cannot be combined")

    return callback


json_option = click.option(
    "--json",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_flag("json"),
    help="Machine-readable JSON on stdout (snake_case field names).",
)
"""The ``--json`` flag, accepted after any command too (``apertur status S --json``)."""

quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_flag("quiet"),
    help="Print only ids, one per line (for scripts).",
)
"""The ``-q/--quiet`` flag, accepted after any command too."""


def output_options(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: both ``--json`` and ``-q/--quiet`` on a command."""
    return json_option(quiet_option(func))


def _project_id(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    if not value:
        raise CliError("no project id: pass --project-id or set APERTUR_PROJECT_ID", exit_code=2)
    return value


project_option = click.option(
    "--project-id",
    "project_id",
    envvar="APERTUR_PROJECT_ID",
    show_envvar=True,
    metavar="ID",
    callback=_project_id,
    help="The project (prefer the environment variable).",
)
"""``--project-id`` (or ``APERTUR_PROJECT_ID``) for the project-scoped commands."""
