"""``apertur local serve``: run the local Apertur server in the foreground until Ctrl-C.

This module is imported only when ``apertur local serve`` runs (see :mod:`apertur_cli._local`):
building the options loads the server, which other commands should not wait for.

The options are made from :class:`apertur_local.LocalConfig` itself: every field whose type maps
to a command-line value (text, number, flag, path, list of numbers, choice) becomes an option
named after it (``long_poll_hold`` → ``--long-poll-hold``), with the field's default and its
docstring as help; a number field with a converter takes what the converter takes (``--latency
40ms``, as ``apertur-local serve``). A field added to ``LocalConfig`` is therefore an option here
with no change to this module. ``apertur-local serve`` (the server's own script, which needs only the ``local``
extra) runs the same server.

Credentials are fields marked :data:`apertur_local.SECRET`: help never shows their value, and
shows a default only when it is the published one (``aptr_test_local``). The banner prints the
API key on purpose: it is the user's own local credential, which their tools need (as ``stripe
listen`` prints its signing secret); the signing secret and the control token are never printed.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import textwrap
import threading
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import click

from apertur_local import (
    SECRET,
    LocalApertur,
    LocalConfig,
    StateStoreError,
    exposure_warning,
    normalise_public_url,
)

from ._errors import CliError
from ._group import Command
from ._output import emit_json
from ._signals import sigterm_as_ctrl_c
from ._state import CliState, output_options, pass_state
from ._text import grid, literal

__all__ = ["config_options", "serve"]

_HELP = {
    "host": "Interface to listen on (0.0.0.0: every interface).",
    "port": "Port to listen on (0: any free port).",
    "api_key": "The bootstrap API key the server accepts.",
    "project_id": "Id of the seeded project.",
    "project_name": "Name of the seeded project.",
    "data_dir": "Keep state, images and the RSA key here across restarts "
    "(default: a temporary folder, removed on exit).",
    "signing_secret": "Require requests signed with this secret (X-Aptr-Signature).",
    "signing_tolerance": "Largest age of a signed request's timestamp, in seconds.",
    "long_poll_hold": "How long a delivery-status long poll is held, in seconds.",
    "rate_limit": "Requests per minute before 429 (default: no limit).",
    "public_url": "Base of upload links and QR codes, e.g. http://192.168.1.20:8484 "
    "(default: the LAN address with --host 0.0.0.0, else the URL clients use).",
    "allowed_hosts": "More names the server answers to, e.g. mybox.local (IP addresses, "
    "localhost and the --host and --public-url names always work; requests to other names get "
    "403, so that a web page cannot reach the server through DNS rebinding).",
}
"""Help for the fields whose docstring is missing or written for programmers."""

_METAVARS = {"allowed_hosts": "NAME[,...]"}
"""Placeholders better than the type's name."""

_ENVVARS = {"control_token": "APERTUR_LOCAL_CONTROL_TOKEN"}
"""Fields also read from the environment (as ``apertur-local serve`` does): secrets stay out of
the process list."""

_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


@attrs.frozen
class _ListOf:
    """A list of ``item`` values, comma-separated (``1,5,25``) and/or given by repeating the
    option, parsed by the option's callback."""

    item: Any

    def __call__(self, ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        texts = [value] if isinstance(value, str) else list(value)
        parts = [part.strip() for text in texts for part in str(text).split(",") if part.strip()]
        return tuple(self.item.convert(part, param, ctx) for part in parts)


class _Converted(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3 on
    """A number field with a converter: the text goes to the converter (durations: ``40ms``,
    ``0.04s`` or seconds), whose ``ValueError`` is the usage error."""

    name = "duration"

    def __init__(self, converter: Callable[[str], Any]) -> None:
        self.converter = converter

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return self.converter(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


_SCALARS: dict[Any, Any] = {
    str: click.STRING,
    int: click.INT,
    float: click.FLOAT,
    Path: click.Path(file_okay=False, path_type=Path),
}


def _param_type(annotation: Any) -> Any:
    """The click type of a field annotation (a :class:`_ListOf` for a tuple), True for a flag,
    None when it does not map to a command-line value."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return _param_type(args[0]) if len(args) == 1 else None
    if annotation is bool:
        return True
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Literal and all(isinstance(a, str) for a in args):
        return click.Choice(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _SCALARS:
        return _ListOf(_SCALARS[args[0]])
    return None


@functools.cache
def _field_docs(cls: type) -> dict[str, str]:
    """The docstrings written under ``cls``'s fields (``name: int = 0`` then ``\"\"\"...\"\"\"``)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.replace("``", "").split())
    return docs


def config_options(config_class: type) -> list[Callable[[Any], Any]]:
    """One click option per field of the attrs class ``config_class`` whose type maps to a
    command-line value; the option's destination is the field's name."""
    hints = typing.get_type_hints(config_class)
    docs = _field_docs(config_class)
    options = []
    for field in attrs.fields(config_class):
        kind = _param_type(hints[field.name])
        if kind is None:
            continue
        if kind in (click.INT, click.FLOAT) and callable(field.converter):
            kind = _Converted(field.converter)
        default = field.default
        factory = getattr(default, "factory", None)
        if callable(factory):  # attrs.Factory(...)
            default = factory()
        flag = "--" + field.name.replace("_", "-")
        help_text = _HELP.get(field.name) or docs.get(field.name, "")
        # A credential (marked SECRET) shows its default only when that is the published one.
        default_shown = field.metadata.get(SECRET) in (None, "default-public")
        extra: dict[str, Any] = {}
        if field.name in _ENVVARS:
            extra = {"envvar": _ENVVARS[field.name], "show_envvar": True}
        if kind is True:  # off by default: a plain flag; on by default: --no-... turns it off
            decl = f"{flag}/--no-{flag[2:]}" if default else flag
            options.append(
                click.option(decl, field.name, is_flag=True, default=default, help=help_text)
            )
            continue
        listed = isinstance(kind, _ListOf)
        options.append(
            click.option(
                flag,
                field.name,
                type=click.STRING if listed else kind,
                callback=kind if listed else None,
                metavar=_METAVARS.get(field.name)
                or (f"{kind.item.name.upper()}[,...]" if listed else None),
                multiple=listed,
                default=(",".join(map(str, default)),) if listed and default else default,
                show_default=default is not None and default_shown,
                help=help_text,
                **extra,
            )
        )
    return options


def _with_config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(config_options(LocalConfig)):
        func = option(func)
    return func


@click.command("serve", cls=Command)
@_with_config_options
@click.option(
    "--log-level",
    type=click.Choice(_LOG_LEVELS),
    default="warning",
    show_default=True,
    help="uvicorn's log level.",
)
@output_options
@pass_state
def serve(state: CliState, /, log_level: str, **fields: Any) -> None:
    """Run a local Apertur server until Ctrl-C; print its URL, API key and project id.

    With --json the banner is one JSON object; with -q it is the URL alone.
    """
    if fields.get("public_url"):
        try:
            fields["public_url"] = normalise_public_url(fields["public_url"])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--public-url'") from None
    try:
        config = LocalConfig(**fields)
    except ValueError as exc:  # jitter above latency (each valid alone), a count below 1
        raise click.UsageError(str(exc)) from None
    server = LocalApertur(config=config, port=config.port, log_level=log_level)
    with sigterm_as_ctrl_c():
        try:
            server.start()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CliError(f"cannot listen on {config.host}:{config.port}: {reason}") from None
        except StateStoreError as exc:  # a damaged or foreign data directory: never replaced
            raise CliError(str(exc), exit_code=2) from None
        try:
            _banner(state, server, temporary=config.data_dir is None)
            threading.Event().wait()  # until Ctrl-C or SIGTERM
        except KeyboardInterrupt:  # how this command ends, even during the banner
            pass
        finally:
            server.stop()
    if state.text:
        state.err.print("stopped")


def _banner(state: CliState, server: LocalApertur, *, temporary: bool) -> None:
    info = {
        "url": server.url,
        "public_url": server.config.public_url,
        "api_key": server.api_key,
        "project_id": server.project_id,
        "data_dir": str(server.data_dir),
        "temporary_data_dir": temporary,
    }
    warning = exposure_warning(server.config)
    if warning is not None:  # whatever the output mode: it is about safety
        state.err.print(warning, style="yellow", markup=False, highlight=False)
    if state.json:
        emit_json(info)
        return
    if state.quiet:
        click.echo(server.url)
        return
    out = state.out
    out.print(literal(f"apertur local server listening on {server.url}"))
    out.print(
        grid(
            [
                ("  api key", server.api_key),
                ("  project id", server.project_id),
                ("  data dir", f"{server.data_dir}" + (" (temporary)" if temporary else "")),
            ]
        )
    )
    if server.config.public_url is not None:
        out.print(literal(f"Upload links open at {server.config.public_url}/u/<session id>"))
    out.print("Point the SDK and the CLI at it:")
    out.print(
        literal(
            f"  export APERTUR_API_KEY={server.api_key} APERTUR_BASE_URL={server.url} "
            f"APERTUR_PROJECT_ID={server.project_id}"
        )
    )
    out.print("Ctrl-C to stop.")
    out.file.flush()
