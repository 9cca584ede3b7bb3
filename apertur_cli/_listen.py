"""``apertur listen``: print a session's real-time events as they happen, and forward them.

The events come over Server-Sent Events (``client.events.subscribe``, which resumes after a
dropped connection without losing or repeating one). With ``--all-sessions`` the sessions list is
polled every ``--interval`` seconds and each session created since the command started is watched
too, from its first event the server still keeps (so the events between its creation and its
discovery are not missed). With ``--forward-to`` / ``--forward-events-to`` each image and event is
re-delivered to a local endpoint as the API would deliver it (``_forward``), and the endpoint's
answer is shown per delivery.

One line per event: for people, the time, the event and what it says (server text printed
literally); with ``--json``, one JSON object per event (``event``, ``id``, ``session_id``, ``data``
with snake_case names, ``deliveries``); with ``-q``, the id of each image as it arrives. Ctrl-C
(or SIGTERM) stops it.
"""

from __future__ import annotations

import contextlib
import datetime
import queue
import time
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from apertur_ext import AperturError

from ._errors import CliError
from ._forward import IMAGE_FORMATS, SIGNATURE_METHODS, Delivery, Forwarder
from ._group import Command
from ._output import emit_json, human_size, jsonable, snake_case, unset_to_none
from ._signals import StopSignals
from ._state import CliState, output_options, pass_state
from ._text import literal

if TYPE_CHECKING:
    from apertur_ext import Apertur, Event, EventSubscription

__all__ = ["listen"]

REPLAY_RETAINED = "0"
"""A ``Last-Event-ID`` the server never hands out: it sends every event it still keeps."""
MAX_WATCHED = 50
"""Sessions watched at once with ``--all-sessions`` (the oldest is let go beyond)."""
QUEUE_SIZE = 1000
"""Events waiting to be shown; a full queue holds the streams back instead of dropping events."""
STOP_CHECK = 0.2
"""Longest wait between two looks at whether a stop (Ctrl-C, SIGTERM) was asked for (s)."""
_COLOURS = {"image:ready": "green", "image:failed": "red", "error": "red", "close": "yellow"}


class Listener:
    """Watches sessions; their events arrive on one queue, shown and forwarded in order."""

    def __init__(self, state: CliState, client: Apertur, forwarder: Forwarder | None) -> None:
        self.state, self.client, self.forwarder = state, client, forwarder
        self.events: queue.Queue[tuple[str, Event]] = queue.Queue(QUEUE_SIZE)
        self.watched: dict[str, EventSubscription] = {}
        self.known: set[str] = set()
        self.last_error: dict[str, str] = {}
        self.stopped: set[str] = set()  # let go: their last events are not waited for

    def watch(self, session: str, *, replay: bool = False) -> None:
        """Subscribe to ``session``; its events go to the queue (a full queue blocks the
        stream's reader, so nothing is dropped)."""

        def queue_event(event: Event) -> None:
            if session not in self.stopped:  # (the main thread, closing it, must not block)
                self.events.put((session, event))

        self.watched[session] = self.client.events.subscribe(
            session,
            callbacks={"*": queue_event},
            last_event_id=REPLAY_RETAINED if replay else None,
            max_buffer=1,  # the queue is the buffer
        )

    def discover(self, *, first: bool = False) -> None:
        """Watch the sessions that appeared in the sessions list (``first``: remember those
        already there)."""
        rows = self.client.sessions.recent(limit=50)
        for row in reversed(rows):  # oldest first
            if row.id in self.known:
                continue
            self.known.add(row.id)
            project = unset_to_none(row.project_id)
            if self.forwarder is not None and project:
                self.forwarder.projects[row.id] = project
            if first:
                continue
            if len(self.watched) >= MAX_WATCHED:
                self.stop(next(iter(self.watched)))
            try:
                self.watch(row.id, replay=True)
            except AperturError as exc:
                self.note(f"cannot watch session {row.id}: {exc}")

    def note(self, message: str) -> None:
        """A status line on stderr (stdout stays for events)."""
        self.state.err.print(literal(message, "dim"))

    def run(self, stop: StopSignals, *, all_sessions: bool, interval: float) -> None:
        """Show events until stopped (Ctrl-C, SIGTERM), or until a single session's stream
        gives up."""
        next_tick = time.monotonic() + interval
        while not stop.requested:
            wait = min(STOP_CHECK, max(0.0, next_tick - time.monotonic()))
            try:
                with stop.waiting():
                    session, event = self.events.get(timeout=wait)
            except queue.Empty:
                pass
            else:
                self.show(session, event)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + interval
                self.tick(all_sessions)

    def tick(self, all_sessions: bool) -> None:
        """Notice streams that gave up; look for new sessions."""
        for session, sub in list(self.watched.items()):
            if sub.ended:
                del self.watched[session]
                if not all_sessions:
                    with contextlib.suppress(queue.Empty):
                        while True:  # what it sent before giving up
                            self.show(*self.events.get_nowait())
                    reason = self.last_error.get(session, "it ended")
                    raise CliError(f"stopped listening to session {session}: {reason}")
        if all_sessions:
            self.discover()

    def show(self, session: str, event: Event) -> None:
        """Print ``event`` (and forward it first, when asked)."""
        if event.name == "error" and isinstance(event.raw, dict):
            self.last_error[session] = str(event.raw.get("message"))
        deliveries = self.forwarder.deliveries(session, event) if self.forwarder else []
        if self.state.json:
            emit_json(
                {
                    "event": event.name,
                    "id": event.id,
                    "session_id": session,
                    "data": _data(event),
                    "deliveries": deliveries,
                }
            )
        elif self.state.quiet:
            if event.name == "image:ready" and event.data is not None:
                click.echo(literal(event.data.image_id).plain)
        else:
            self._print(session, event, deliveries)

    def _print(self, session: str, event: Event, deliveries: list[Delivery]) -> None:
        out = self.state.out
        clock = datetime.datetime.now().strftime("%H:%M:%S")
        line = Text.assemble(
            (clock, "dim"),
            "  ",
            literal(f"{event.name:<18}", _COLOURS.get(event.name, "cyan")),
            literal(session, "dim"),
            "  ",
            literal(_summary(event)),
        )
        out.print(line)
        for delivery in deliveries:
            status = str(delivery.status_code) if delivery.error is None else delivery.error
            out.print(
                Text.assemble(
                    "          → ",
                    literal(delivery.kind),
                    " ",
                    literal(delivery.url, "dim"),
                    "  ",
                    literal(status, "green" if delivery.ok else "red"),
                    (f"  {delivery.duration_ms} ms", "dim"),
                )
            )

    def stop(self, session: str) -> None:
        """Stop watching ``session``."""
        self.stopped.add(session)
        self.watched.pop(session).close()

    def close(self) -> None:
        """Stop every subscription."""
        for session in list(self.watched):
            self.stop(session)


def _data(event: Event) -> Any:
    """The event's payload with snake_case names."""
    if event.data is not None:
        return jsonable(event.data)
    if isinstance(event.raw, dict):
        return {snake_case(str(key)): jsonable(value) for key, value in event.raw.items()}
    return jsonable(event.raw)


def _summary(event: Event) -> str:
    """What an event says, in a few words."""
    image, raw = event.data, event.raw if isinstance(event.raw, dict) else {}
    if image is not None:
        parts = [image.image_id, unset_to_none(image.filename), human_size(image.size_bytes)]
        parts += [unset_to_none(image.destination_id), unset_to_none(image.status)]
        parts.append(unset_to_none(image.error))
        return "  ".join(str(part) for part in parts if part not in (None, "-"))
    if event.name == "session:completed":
        return f"{raw.get('imagesCount', '?')} image(s)"
    if event.name in ("error", "close"):
        return str(raw.get("message") or raw.get("reason") or "")
    return "" if event.name == "connected" else str(event.raw)


def _http_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL")
    return value


@click.command("listen", cls=Command)
@click.argument("session", required=False)
@click.option(
    "--all-sessions",
    is_flag=True,
    help="Watch every session of the project created from now on (instead of SESSION).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.5),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="How often the sessions list is polled for new sessions (with --all-sessions).",
)
@click.option(
    "--forward-to",
    metavar="URL",
    callback=_http_url,
    help="Deliver each image to URL as a webhook destination would (signed with --secret).",
)
@click.option(
    "--format",
    "image_format",
    type=click.Choice(IMAGE_FORMATS),
    default="json_base64",
    show_default=True,
    help="Body of the image deliveries: a webhook destination's format.",
)
@click.option(
    "--forward-events-to",
    metavar="URL",
    callback=_http_url,
    help="Deliver each event to URL as an event webhook would (image.uploaded, image.delivered, "
    "image.failed, session.completed).",
)
@click.option(
    "--signature-method",
    type=click.Choice(SIGNATURE_METHODS),
    default="hmac_sha256",
    show_default=True,
    help="How event deliveries are signed: an event webhook's signature method.",
)
@click.option(
    "--secret",
    envvar="APERTUR_WEBHOOK_SECRET",
    show_envvar=True,
    metavar="SECRET",
    help="The secret that signs forwarded deliveries (svix: the key as hex).",
)
@click.option(
    "--project-id",
    envvar="APERTUR_PROJECT_ID",
    show_envvar=True,
    metavar="ID",
    help="The project named in forwarded events (default: found in the sessions list).",
)
@output_options
@pass_state
def listen(
    state: CliState,
    session: str | None,
    all_sessions: bool,
    interval: float,
    forward_to: str | None,
    image_format: Any,
    forward_events_to: str | None,
    signature_method: Any,
    secret: str | None,
    project_id: str | None,
) -> None:
    """Print SESSION's real-time events as they happen; with --forward-to, deliver each image
    (and with --forward-events-to, each event) to a local endpoint as a signed webhook, and show
    its answer. Stop with Ctrl-C.

    \b
    Exercise the webhook handler you are writing:
      apertur listen SESSION --forward-to http://localhost:5000/hook --secret S
      apertur listen --all-sessions --forward-events-to http://localhost:5000/events --secret S
    """
    if (session is None) == (not all_sessions):
        raise click.UsageError("give a SESSION or --all-sessions (not both)")
    if (forward_to or forward_events_to) and not secret:
        raise click.UsageError("--forward-to and --forward-events-to need --secret")
    client = state.client()
    forwarder = None
    if forward_to or forward_events_to:
        forwarder = Forwarder(
            client,
            secret or "",
            images_to=forward_to,
            image_format=image_format,
            events_to=forward_events_to,
            signature_method=signature_method,
            project_id=project_id,
        )
        forwarder.check_secret()
        click.get_current_context().call_on_close(forwarder.close)
    listener = Listener(state, client, forwarder)
    try:
        with StopSignals() as stop:
            if session is not None:
                listener.watch(session)
                listener.note(f"Listening to session {session} (Ctrl-C to stop)")
            else:
                listener.discover(first=True)
                listener.note(
                    f"Listening for new sessions, checked every {interval:g} s (Ctrl-C to stop)"
                )
            listener.run(stop, all_sessions=all_sessions, interval=interval)
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
