"""``apertur status SESSION [--follow]``: delivery status per file and destination.

With ``--follow`` the table is redrawn live (Rich ``Live``) each time the server's long-poll
returns a change past the ``last_changed`` cursor, until the session is completed or expired,
every delivery has settled (``--until-settled``), or Ctrl-C. ``--json`` prints one JSON object
per snapshot (JSON Lines when following); ``-q`` prints each file's record id once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from ._group import Command
from ._output import emit_json, human_size, unset_to_none
from ._state import CliState, output_options, pass_state
from ._text import clean, literal

if TYPE_CHECKING:
    from apertur_api.models.delivery_status import DeliveryStatus

__all__ = ["is_settled", "render_status", "status"]

_FINAL_SESSION = frozenset({"completed", "expired"})
_FINAL_DELIVERY = frozenset({"sent", "failed"})
_COLOURS = {"sent": "green", "failed": "red", "retrying": "yellow", "sending": "cyan"}


def is_settled(snapshot: DeliveryStatus) -> bool:
    """True once at least one file exists and every delivery is ``sent`` or ``failed``."""
    return bool(snapshot.files) and all(
        str(d.status) in _FINAL_DELIVERY for f in snapshot.files for d in f.destinations
    )


def render_status(session: str, snapshot: DeliveryStatus) -> Group:
    """The table of one snapshot: a row per (file, destination)."""
    table = Table(expand=False)
    for column in ("File", "Size", "Destination", "Type", "Status", "Attempts", "Last error"):
        table.add_column(column, justify="right" if column in ("Size", "Attempts") else "left")
    for file in snapshot.files:
        name = literal(unset_to_none(file.filename) or file.record_id)
        size = human_size(file.size_bytes)
        if not file.destinations:
            table.add_row(name, size, "-", "-", Text("stored only", style="dim"), "-", "")
        for delivery in file.destinations:
            state = clean(delivery.status)
            table.add_row(
                name,
                size,
                literal(unset_to_none(delivery.name) or delivery.destination_id),
                literal(unset_to_none(delivery.type_) or "-"),
                Text(state, style=_COLOURS.get(state, "")),
                str(unset_to_none(delivery.attempts) or 0),
                literal(unset_to_none(delivery.last_error) or ""),
            )
            name, size = Text(""), ""  # print the file's name once
    header = Text.assemble(
        ("Session ", "bold"),
        literal(session),
        " — ",
        literal(snapshot.status, "bold"),
        literal(f" — {len(snapshot.files)} file(s), last change {snapshot.last_changed}"),
    )
    return Group(header, table)


@click.command("status", cls=Command)
@click.argument("session")
@click.option("--follow", is_flag=True, help="Follow changes live (long-poll) until Ctrl-C.")
@click.option(
    "--until-settled",
    is_flag=True,
    help="With --follow: stop once every delivery is sent or failed.",
)
@output_options
@pass_state
def status(state: CliState, session: str, follow: bool, until_settled: bool) -> None:
    """Show the delivery status of SESSION's files, per destination."""
    sessions = state.client().sessions
    snapshot = sessions.delivery_status(session)
    if not follow:
        state.emit(
            snapshot,
            ids=[file.record_id for file in snapshot.files],
            text=lambda: state.out.print(render_status(session, snapshot)),
        )
        return

    def done(current: DeliveryStatus) -> bool:
        return str(current.status) in _FINAL_SESSION or (until_settled and is_settled(current))

    try:
        if not state.text:
            shown: set[str] = set()
            while True:
                _emit_snapshot(state, snapshot, shown)
                if done(snapshot):
                    return
                snapshot = sessions.delivery_status(session, poll_from=snapshot.last_changed)
        with Live(render_status(session, snapshot), console=state.out, auto_refresh=False) as live:
            while not done(snapshot):
                snapshot = sessions.delivery_status(session, poll_from=snapshot.last_changed)
                live.update(render_status(session, snapshot), refresh=True)
    except KeyboardInterrupt:
        return


def _emit_snapshot(state: CliState, snapshot: DeliveryStatus, shown: set[str]) -> None:
    """One snapshot as a JSON line, or (``-q``) the record ids not printed before."""
    if state.json:
        emit_json(snapshot)
        return
    for file in snapshot.files:
        if file.record_id not in shown:
            shown.add(file.record_id)
            click.echo(clean(file.record_id))
