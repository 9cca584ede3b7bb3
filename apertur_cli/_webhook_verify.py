"""``apertur webhooks verify``: check a delivery's signature offline, for debugging a receiver.

Give the raw body (a file, or ``-`` for stdin) exactly as received and the header values; the
method is inferred from what is given (``--svix-id`` → svix, ``--timestamp`` → hmac_sha256,
neither → image delivery) unless ``--method`` says otherwise. Prints ``valid`` (exit 0) or
``invalid: <reason>`` (exit 1). The secret is read from ``APERTUR_WEBHOOK_SECRET`` when not passed
and is never printed.
"""

from __future__ import annotations

from typing import BinaryIO, Literal, cast, get_args

import click

from apertur_ext import Webhook, WebhookVerificationError

from ._errors import CliError
from ._group import Command
from ._state import CliState, output_options, pass_state
from ._text import clean

__all__ = ["verify"]

SignatureMethod = Literal["image", "hmac_sha256", "svix"]
"""The schemes of ``apertur_ext.Webhook``: image deliveries, ``hmac_sha256`` and ``svix`` events."""

_HEADER_NAMES: dict[str, tuple[str, str, str]] = {
    # method: (signature header, timestamp header, id header)
    "image": ("x-apertur-signature", "", ""),
    "hmac_sha256": ("x-apertur-signature", "x-apertur-timestamp", ""),
    "svix": ("svix-signature", "svix-timestamp", "svix-id"),
}


def _infer_method(method: str | None, timestamp: str | None, svix_id: str | None) -> str:
    if method:
        return method
    if svix_id:
        return "svix"
    return "hmac_sha256" if timestamp else "image"


@click.command("verify", cls=Command)
@click.option(
    "--secret",
    envvar="APERTUR_WEBHOOK_SECRET",
    show_envvar=True,
    required=True,
    metavar="SECRET",
    help="The destination's or event webhook's secret (svix: the key as hex).",
)
@click.option(
    "--body",
    "body_file",
    type=click.File("rb"),
    required=True,
    metavar="FILE",
    help="The raw request body as received ('-' for stdin).",
)
@click.option("--signature", metavar="SIG", help="X-Apertur-Signature (or svix-signature) value.")
@click.option("--timestamp", metavar="T", help="X-Apertur-Timestamp (or svix-timestamp) value.")
@click.option("--svix-id", metavar="ID", help="svix-id value (svix method only).")
@click.option(
    "--method",
    type=click.Choice(get_args(SignatureMethod)),
    help="Signature scheme (default: inferred from the options given).",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Maximum age (and clock skew) of the timestamp.",
)
@click.option("--no-tolerance", is_flag=True, help="Do not check the timestamp's age.")
@output_options
@pass_state
def verify(
    state: CliState,
    secret: str,
    body_file: BinaryIO,
    signature: str | None,
    timestamp: str | None,
    svix_id: str | None,
    method: str | None,
    tolerance: float,
    no_tolerance: bool,
) -> None:
    """Verify a webhook delivery's signature: prints valid (exit 0) or invalid (exit 1)."""
    body = body_file.read()
    chosen = _infer_method(method, timestamp, svix_id)
    sig_name, ts_name, id_name = _HEADER_NAMES[chosen]
    headers = {sig_name: signature or ""}
    if ts_name and timestamp is not None:
        headers[ts_name] = timestamp
    if id_name and svix_id is not None:
        headers[id_name] = svix_id
    try:
        verifier = Webhook(
            secret,
            method=cast(SignatureMethod, chosen),
            tolerance=None if no_tolerance else tolerance,
        )
    except WebhookVerificationError as exc:
        raise CliError(exc.message, code=exc.code) from None
    reason: str | None = None
    try:
        verifier.verify(body, headers)
    except WebhookVerificationError as exc:
        reason = exc.code or "invalid"
    state.emit(
        {"valid": reason is None, "method": chosen, "reason": reason},
        ids=[],  # -q: the exit code says it all
        text=lambda: click.echo(
            f"valid ({chosen})"
            if reason is None
            else f"invalid ({chosen}): {clean(reason).replace('_', ' ')}"
        ),
    )
    if reason is not None:
        click.get_current_context().exit(1)
