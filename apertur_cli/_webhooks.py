"""``apertur webhooks``: a project's event webhooks, their delivery log, and signature checks.

``list|create|update|delete|test|deliveries|retry`` manage the event webhooks of the project named
by ``--project-id`` or ``APERTUR_PROJECT_ID``; ``create`` prints the signing secret once.

``verify`` checks a delivery's signature offline, for debugging a receiver. Give the raw body (a file, or ``-`` for stdin) exactly as received and the header values; the
method is inferred from what is given (``--svix-id`` → svix, ``--timestamp`` → hmac_sha256,
neither → image delivery) unless ``--method`` says otherwise. Prints ``valid`` (exit 0) or
``invalid: <reason>`` (exit 1). The secret is read from ``APERTUR_WEBHOOK_SECRET`` when not passed
and is never printed.
"""

from __future__ import annotations

from typing import Any, BinaryIO, Literal, cast, get_args

import click
from rich.text import Text

from apertur_ext import Webhook, WebhookVerificationError

from ._errors import CliError
from ._group import Group
from ._output import human_time, unset_to_none
from ._params import key_values, split_values
from ._state import CliState, output_options, pass_state, project_option
from ._text import clean, grid, literal, table, yes_no
from ._wire import WireOption

__all__ = ["webhooks"]

SignatureMethod = Literal["image", "hmac_sha256", "svix"]
"""The schemes of ``apertur_ext.Webhook``: image deliveries, ``hmac_sha256`` and ``svix`` events."""

_HEADER_NAMES: dict[str, tuple[str, str, str]] = {
    # method: (signature header, timestamp header, id header)
    "image": ("x-apertur-signature", "", ""),
    "hmac_sha256": ("x-apertur-signature", "x-apertur-timestamp", ""),
    "svix": ("svix-signature", "svix-timestamp", "svix-id"),
}


@click.group(cls=Group)
def webhooks() -> None:
    """Manage event webhooks; verify webhook signatures."""


def _infer_method(method: str | None, timestamp: str | None, svix_id: str | None) -> str:
    if method:
        return method
    if svix_id:
        return "svix"
    return "hmac_sha256" if timestamp else "image"


@webhooks.command("verify")
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


def _settings(func: Any) -> Any:
    """The delivery settings shared by create and update."""
    for option in reversed(
        [
            click.option(
                "--retries",
                type=click.IntRange(min=0),
                cls=WireOption,
                wire=("max_retries", "maxRetries"),
                metavar="N",
                help="Retries after a failed delivery.",
            ),
            click.option(
                "--retry-interval",
                "retry_intervals",
                cls=WireOption,
                wire=("retry_intervals", "retryIntervals"),
                type=click.IntRange(min=0),
                multiple=True,
                metavar="SECONDS",
                help="Pause before each retry (repeatable, in order).",
            ),
            click.option(
                "--disable-after-failures",
                type=click.IntRange(min=1),
                metavar="N",
                help="Turn the webhook off after N failures in a row.",
            ),
            click.option(
                "--header",
                "headers",
                cls=WireOption,
                wire=("custom_headers", "customHeaders"),
                multiple=True,
                metavar="NAME=VALUE",
                help="A header sent with every delivery (repeatable).",
            ),
        ]
    ):
        func = option(func)
    return func


def _settings_kwargs(
    retries: int | None,
    retry_intervals: tuple[int, ...],
    disable_after_failures: int | None,
    headers: tuple[str, ...],
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "max_retries": retries,
        "retry_intervals": list(retry_intervals) or None,
        "disable_after_failures": disable_after_failures,
        "custom_headers": key_values(headers, "--header") or None,
    }
    return {k: v for k, v in kwargs.items() if v is not None}


def _webhook_rows(hook: Any) -> list[tuple[str, object]]:
    return [
        ("Webhook", hook.id),
        ("URL", hook.url),
        ("Topics", ", ".join(hook.topics)),
        ("Signature", unset_to_none(hook.signature_method)),
        ("Active", yes_no(hook.is_active)),
        ("Retries", unset_to_none(hook.max_retries)),
        ("Failures", unset_to_none(hook.consecutive_failures)),
    ]


@webhooks.command("list")
@project_option
@output_options
@pass_state
def list_(state: CliState, project_id: str) -> None:
    """List the project's event webhooks."""
    result = state.client().webhooks.list(project_id)
    rows = [(h.id, h.url, ", ".join(h.topics), yes_no(h.is_active)) for h in result]
    state.emit(
        result,
        ids=[h.id for h in result],
        text=lambda: state.out.print(table(("Webhook", "URL", "Topics", "Active"), rows)),
    )


_TOPIC_HELP = "A topic such as image.uploaded or image.* (repeatable or comma-separated)."


@webhooks.command("create")
@click.option("--url", required=True, metavar="URL", help="Where events are POSTed.")
@click.option("--topic", "topics", multiple=True, required=True, metavar="TOPIC", help=_TOPIC_HELP)
@click.option(
    "--signature-method",
    type=click.Choice(["hmac_sha256", "svix"]),
    help="How deliveries are signed (default: the API's, hmac_sha256).",
)
@_settings
@project_option
@output_options
@pass_state
def create(
    state: CliState,
    url: str,
    topics: tuple[str, ...],
    signature_method: str | None,
    retries: int | None,
    retry_intervals: tuple[int, ...],
    disable_after_failures: int | None,
    headers: tuple[str, ...],
    project_id: str,
) -> None:
    """Create an event webhook; its signing secret is printed once (-q: the id only)."""
    result = state.client().webhooks.create(
        project_id,
        url=url,
        topics=split_values(topics),
        signature_method=signature_method,
        **_settings_kwargs(retries, retry_intervals, disable_after_failures, headers),
    )

    def text() -> None:
        state.out.print(grid([*_webhook_rows(result), ("Secret", unset_to_none(result.secret))]))
        state.err.print(Text("The secret is shown only now: store it safely.", style="yellow"))

    state.emit(result, ids=[result.id], text=text)


@webhooks.command("update")
@click.argument("webhook")
@click.option("--url", metavar="URL", help="New URL.")
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help=_TOPIC_HELP)
@click.option("--active/--inactive", "is_active", default=None, help="Turn deliveries on or off.")
@_settings
@project_option
@output_options
@pass_state
def update(
    state: CliState,
    webhook: str,
    url: str | None,
    topics: tuple[str, ...],
    is_active: bool | None,
    retries: int | None,
    retry_intervals: tuple[int, ...],
    disable_after_failures: int | None,
    headers: tuple[str, ...],
    project_id: str,
) -> None:
    """Change an event webhook (only the options given change; --topic replaces the list)."""
    changes: dict[str, Any] = {
        "url": url,
        "topics": split_values(topics) or None,
        "is_active": is_active,
        **_settings_kwargs(retries, retry_intervals, disable_after_failures, headers),
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    result = state.client().webhooks.update(project_id, webhook, **changes)
    state.emit(result, ids=[result.id], text=lambda: state.out.print(grid(_webhook_rows(result))))


@webhooks.command("delete")
@click.argument("webhook")
@project_option
@output_options
@pass_state
def delete(state: CliState, webhook: str, project_id: str) -> None:
    """Delete an event webhook."""
    state.client().webhooks.delete(project_id, webhook)
    state.emit(
        {"id": webhook, "deleted": True},
        ids=[webhook],
        text=lambda: state.out.print(literal(f"deleted webhook {webhook}")),
    )


@webhooks.command("test")
@click.argument("webhook")
@project_option
@output_options
@pass_state
def test(state: CliState, webhook: str, project_id: str) -> None:
    """Send a test event to an event webhook (see 'deliveries' for the outcome)."""
    result = state.client().webhooks.test(project_id, webhook)
    state.emit(result, ids=[webhook], text=lambda: state.out.print(literal(result.message)))


@webhooks.command("deliveries")
@click.argument("webhook")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--limit", type=click.IntRange(min=1, max=100), default=25, show_default=True)
@project_option
@output_options
@pass_state
def deliveries(state: CliState, webhook: str, page: int, limit: int, project_id: str) -> None:
    """Show one page of an event webhook's delivery log, newest first."""
    result = state.client().webhooks.deliveries(project_id, webhook, page=page, limit=limit)
    rows = [
        (
            d.id,
            unset_to_none(d.topic),
            d.status,
            unset_to_none(d.attempts),
            unset_to_none(d.response_code),
            human_time(d.created_at, short=True),
            unset_to_none(d.last_error),
        )
        for d in result.deliveries
    ]

    def text() -> None:
        columns = ("Delivery", "Topic", "Status", "Attempts", "HTTP", "Created", "Last error")
        state.out.print(table(columns, rows))
        state.out.print(f"{result.total} deliveries in total (page {result.page})")

    state.emit(result, ids=[d.id for d in result.deliveries], text=text)


@webhooks.command("retry")
@click.argument("webhook")
@click.argument("delivery")
@project_option
@output_options
@pass_state
def retry(state: CliState, webhook: str, delivery: str, project_id: str) -> None:
    """Send one delivery of an event webhook again."""
    result = state.client().webhooks.retry_delivery(project_id, webhook, delivery)
    state.emit(result, ids=[delivery], text=lambda: state.out.print(literal(result.message)))
