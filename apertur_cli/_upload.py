"""``apertur upload SESSION PATH...``: upload files and folders, plain or end-to-end encrypted.

Files go up ``--concurrency`` at a time (``client.upload.images``) with a progress bar (files,
bytes, rate) on stderr. A file that fails is reported and the others go on; the summary says
what was stored, what failed and what was skipped inside folders (and why), and the exit code
is 1 if anything failed. Errors that would fail every file (bad key, unknown or expired
session) stop the run at once with one line.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import click
from rich.text import Text

from apertur_ext import (
    AuthenticationError,
    BatchProgress,
    GoneError,
    NotFoundError,
    PermissionDeniedError,
    UploadOutcome,
)

from ._errors import describe
from ._files import Skipped, collect_files
from ._group import Command
from ._output import human_size
from ._progress import TransferProgress
from ._state import CliState, output_options, pass_state
from ._text import literal
from ._wire import WireOption, wire_flags

__all__ = ["upload"]

_FATAL = (AuthenticationError, PermissionDeniedError, NotFoundError, GoneError)
"""Errors about the key or the session, not the file: the batch stopped, the run ends."""


@attrs.frozen
class Outcome:
    """What became of one file."""

    path: Path
    size: int
    image_id: str | None = None
    error: str | None = None


@click.command("upload", cls=Command)
@click.argument("session")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--encrypt", is_flag=True, help="Encrypt end to end with the server's public key.")
@click.option(
    "--password",
    cls=WireOption,
    wire=("x-session-password", "X-Session-Password"),
    envvar="APERTUR_SESSION_PASSWORD",
    show_envvar=True,
    metavar="P",
    help="The session's password, if it has one.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    metavar="N",
    help="Files uploaded at the same time.",
)
@output_options
@pass_state
def upload(
    state: CliState,
    session: str,
    paths: tuple[Path, ...],
    encrypt: bool,
    password: str | None,
    concurrency: int,
) -> None:
    """Upload image files, and the images inside folders, to SESSION.

    Inside folders, files are chosen by content (JPEG, PNG, WebP, HEIC, GIF), not by name;
    the others are listed as skipped with the reason.
    """
    selection = collect_files(paths)
    files = selection.files
    client = state.client()
    public_key = client.encryption.get_server_key().public_key if encrypt else None
    sizes = {path: path.stat().st_size for path in files}
    outcomes: list[Outcome] = []
    flags = wire_flags(click.get_current_context().command)
    progress = TransferProgress("upload", len(files), sum(sizes.values()), enabled=state.text)
    shown = [0]  # bytes shown on the bar: a re-sent upload never moves it back

    def on_progress(now: BatchProgress) -> None:
        if now.bytes_sent > shown[0]:
            progress.advance_bytes(now.bytes_sent - shown[0])
            shown[0] = now.bytes_sent
        if now.finished is not None and not isinstance(now.finished.error, _FATAL):
            outcome = _outcome(now.finished, sizes, flags)
            outcomes.append(outcome)
            progress.file_done()
            progress.note(_line(outcome))

    with progress:
        for item in selection.skipped:
            progress.note(
                Text.assemble(("- skipped ", "dim"), literal(item.path), ": ", literal(item.reason))
            )
        # Ctrl-C: files not started are never sent; the uploads in flight finish first.
        done = client.upload.images(
            session, files, concurrency=concurrency, on_progress=on_progress, encrypt=encrypt,
            public_key=public_key, password=password or None,
        )  # fmt: skip
        fatal = [o.error for o in done if isinstance(o.error, _FATAL)]
        if fatal:
            raise fatal[0]  # the one line of the run (the bar goes)
    _report(state, outcomes, selection.skipped, encrypted=encrypt)


def _outcome(done: UploadOutcome, sizes: dict[Path, int], flags: dict[str, str]) -> Outcome:
    path = Path(str(done.source))
    if done.error is not None:
        return Outcome(path, 0, error=describe(done.error, flags=flags).format_message())
    assert done.result is not None
    return Outcome(path, sizes[path], image_id=done.result.id)


def _line(outcome: Outcome) -> Text:
    if outcome.error:
        return Text.assemble(("✗ ", "red"), literal(outcome.path), ": ", literal(outcome.error))
    return Text.assemble(
        ("✓ ", "green"),
        literal(outcome.path),
        f" ({human_size(outcome.size)}) → ",
        literal(outcome.image_id),
    )


def _report(
    state: CliState, outcomes: list[Outcome], skipped: list[Skipped], *, encrypted: bool
) -> None:
    stored = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    result = {
        "stored": [{"path": str(o.path), "id": o.image_id, "size_bytes": o.size} for o in stored],
        "failed": [{"path": str(o.path), "error": o.error} for o in failed],
        "skipped": [{"path": str(s.path), "reason": s.reason} for s in skipped],
        "encrypted": encrypted,
    }

    def text() -> None:
        size = human_size(sum(o.size for o in stored))
        line = f"{len(stored)} stored ({size}), {len(failed)} failed"
        if skipped:
            line += f", {len(skipped)} skipped (not images: listed above)"
        state.out.print(Text.assemble(("✗ ", "red") if failed else ("✓ ", "green"), line))

    state.emit(result, ids=[o.image_id for o in stored], text=text)
    if failed:
        click.get_current_context().exit(1)
