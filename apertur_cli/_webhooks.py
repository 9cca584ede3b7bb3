"""``apertur webhooks``: a project's event webhooks and their delivery log.

``list|create|update|delete|test|deliveries|retry`` manage the event webhooks of the project named
by ``--project-id`` or ``APERTUR_PROJECT_ID``; ``create`` prints the signing secret once.
``verify`` (:mod:`apertur_cli._webhook_verify`) checks a delivery's signature offline.
"""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from ._group import Group
from ._output import human_time, unset_to_none
from ._params import key_values, split_values
from ._state import CliState, output_options, pass_state, project_option
from ._text import grid, literal, table, yes_no
from ._webhook_verify import verify
from ._wire import WireOption

__all__ = ["webhooks"]


@click.group(cls=Group)
def webhooks() -> None:
    """Manage event webhooks; verify webhook signatures."""


webhooks.add_command(verify)


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
