"""The ``apertur`` group: global options, then one sub-group per module."""

from __future__ import annotations

import click

from ._destinations import destinations
from ._group import AperturGroup
from ._keys import keys
from ._listen import listen
from ._local import local
from ._poll import poll
from ._sessions import sessions
from ._state import CliState
from ._status import status
from ._upload import upload
from ._webhooks import webhooks

__all__ = ["cli"]


def _positive_seconds(
    _ctx: click.Context, _param: click.Parameter, value: float | None
) -> float | None:
    if value is not None and value <= 0:
        raise click.BadParameter("must be a positive number of seconds")
    return value


@click.group(cls=AperturGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--api-key",
    envvar="APERTUR_API_KEY",
    show_envvar=True,
    metavar="KEY",
    help="API key (prefer the environment variable: flags end up in shell history).",
)
@click.option(
    "--base-url",
    envvar="APERTUR_BASE_URL",
    show_envvar=True,
    metavar="URL",
    help="API base URL (default: from the key's prefix, live or sandbox).",
)
@click.option(
    "--timeout",
    type=float,
    callback=_positive_seconds,
    metavar="SECONDS",
    help="Timeout of each request (default: the client's, 60 s).",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    metavar="N",
    help="Retries of a failed request (default: the client's, 2).",
)
@click.option(
    "--signing-secret",
    envvar="APERTUR_SIGNING_SECRET",
    show_envvar=True,
    metavar="SECRET",
    help="Sign requests with X-Aptr-Signature (when the project requires it).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout (snake_case names)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only ids, one per line (for scripts).")
@click.version_option(package_name="apertur-client", prog_name="apertur")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
    max_retries: int | None,
    signing_secret: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Apertur from the command line: sessions, uploads, the pull queue, delivery status,
    real-time events (forwarded to your webhook handler), destinations, API keys, event
    webhooks and a local server.

    \b
    Quick start against a local server:
      apertur local serve &
      export APERTUR_API_KEY=aptr_test_local APERTUR_BASE_URL=http://127.0.0.1:8484
      apertur sessions create --long-polling
      apertur upload SESSION photos/
      apertur poll SESSION --out received/

    \b
    Tab completion (bash, zsh or fish), e.g. in ~/.bashrc:
      eval "$(_APERTUR_COMPLETE=bash_source apertur)"
    """
    if as_json and quiet:
        raise click.UsageError("--json and --quiet cannot be combined")
    ctx.obj = CliState(
        api_key=api_key or None,
        base_url=base_url or None,
        timeout=timeout,
        max_retries=max_retries,
        signing_secret=signing_secret or None,
        json=as_json,
        quiet=quiet,
    )


for _command in (sessions, upload, poll, status, listen, destinations, keys, webhooks, local):
    cli.add_command(_command)
