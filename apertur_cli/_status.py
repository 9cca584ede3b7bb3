"""``apertur status SESSION [--follow]``: delivery status per file and destination.

With ``--follow`` the table is redrawn live (Rich ``Live``) each time the server's long-poll
returns a change past the ``lastChanged`` cursor, until the session is completed or expired,
every delivery has settled (``--until-settled``), or Ctrl-C. ``--json`` prints one JSON object
per snapshot (JSON Lines when following).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from ._output import emit_json, human_size, unset_to_none
from ._state import CliState, json_option, pass_state

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
        name = unset_to_none(file.filename) or file.record_id
        size = human_size(file.size_bytes)
        if not file.destinations:
            table.add_row(name, size, "-", "-", Text("stored only", style="dim"), "-", "")
        for delivery in file.destinations:
            state = str(delivery.status)
            table.add_row(
                name,
                size,
                unset_to_none(delivery.name) or delivery.destination_id,
                unset_to_none(delivery.type_) or "-",
                Text(state, style=_COLOURS.get(state, "")),
                str(unset_to_none(delivery.attempts) or 0),
                unset_to_none(delivery.last_error) or "",
            )
            name, size = "", ""  # print the file's name once
    header = Text.assemble(
        ("Session ", "bold"),
        session,
        " — ",
        (str(snapshot.status), "bold"),
        f" — {len(snapshot.files)} file(s), last change {snapshot.last_changed}",
    )
    return Group(header, table)


@click.command("status")
@click.argument("session")
@click.option("--follow", is_flag=True, help="Follow changes live (long-poll) until Ctrl-C.")
@click.option(
    "--until-settled",
    is_flag=True,
    help="With --follow: stop once every delivery is sent or failed.",
)
@json_option
@pass_state
def status(state: CliState, session: str, follow: bool, until_settled: bool) -> None:
    """Show the delivery status of SESSION's files, per destination."""
    sessions = state.client().sessions
    snapshot = sessions.delivery_status(session)
    if not follow:
        if state.json:
            emit_json(snapshot)
        else:
            state.out.print(render_status(session, snapshot))
        return

    def done(current: DeliveryStatus) -> bool:
        return str(current.status) in _FINAL_SESSION or (until_settled and is_settled(current))

    try:
        if state.json:
            emit_json(snapshot)
            while not done(snapshot):
                snapshot = sessions.delivery_status(session, poll_from=snapshot.last_changed)
                emit_json(snapshot)
            return
        with Live(render_status(session, snapshot), console=state.out, auto_refresh=False) as live:
            while not done(snapshot):
                snapshot = sessions.delivery_status(session, poll_from=snapshot.last_changed)
                live.update(render_status(session, snapshot), refresh=True)
    except KeyboardInterrupt:
        return
