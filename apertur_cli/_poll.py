"""``apertur poll SESSION --out DIR``: drain a session's pull-delivery queue to a folder.

Each image is streamed to a hidden temporary file in ``DIR``, flushed, ``fsync``-ed and renamed to
``<image id>_<filename>`` (:func:`safe_name`: one name per image, never another image's); only
then is it acknowledged, so an image is never removed from the queue before it is safely on disk
(a crash in between means it is offered again and rewritten under the same name). A download
that is empty, or not of the size the listing announced, is neither saved nor acknowledged.
Without ``--follow`` the command ends when the queue is empty; with it, it keeps polling every
``--interval`` seconds until Ctrl-C, showing "waiting for images" while idle.

The summary says what really happened: how many images were saved and acknowledged, how many were
saved but had already been acknowledged by another consumer (the API answers 409: delivery across
processes is at-least-once), how many failed, and whether the run was interrupted.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import attrs
import click
from rich.text import Text

from apertur_api.types import Unset
from apertur_ext import AperturError, ConflictError, InvalidResponseError

from ._atomic import AtomicFile, safe_name
from ._errors import EXIT_INTERRUPTED, describe
from ._group import Command
from ._output import human_size, unset_to_none
from ._progress import TransferProgress
from ._state import CliState, output_options, pass_state
from ._text import literal

if TYPE_CHECKING:
    from apertur_api.models.poll_image import PollImage

__all__ = ["poll"]


@attrs.frozen
class Saved:
    """One image written and acknowledged, or the reason it was not."""

    image_id: str
    filename: str | None
    path: Path | None = None
    size: int = 0
    error: str | None = None
    acknowledged_elsewhere: bool = False
    """Saved, but another consumer had acknowledged it first (the ack answered 409)."""


class _CountingWriter:
    """A binary writer that reports each write to the progress bar."""

    def __init__(self, atomic: AtomicFile, progress: TransferProgress) -> None:
        self._atomic = atomic
        self._progress = progress
        self.written = 0

    def write(self, data: bytes) -> int:
        count = self._atomic.file.write(data)
        self.written += len(data)
        self._progress.advance_bytes(len(data))
        return count

    def flush(self) -> None:
        self._atomic.file.flush()


def _check_size(image: PollImage, received: int) -> None:
    """``poll_and_process``'s rule: an empty download, or one of another size than the listing
    announced, is not the image; it is neither saved nor acknowledged (it stays queued)."""
    size = image.size_bytes
    if not isinstance(size, Unset) and size != received:
        raise InvalidResponseError(
            f"the download of image {image.id} has {received} bytes but size_bytes is {size}"
        )
    if not received:
        raise InvalidResponseError(f"the download of image {image.id} is empty")


def _fetch(
    state: CliState, session: str, image: PollImage, out_dir: Path, progress: TransferProgress
) -> Saved:
    """Download ``image`` into ``out_dir`` safely, then acknowledge it."""
    polling = state.client().polling
    filename = unset_to_none(image.filename)
    target = out_dir / safe_name(image.id, filename)
    size = image.size_bytes
    limit = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
    with AtomicFile(target) as atomic:
        writer = _CountingWriter(atomic, progress)
        # A duck-typed writer; a body longer than announced stops there.
        polling.download(session, image.id, to=cast(IO[bytes], writer), max_bytes=limit)
        _check_size(image, writer.written)
        atomic.commit()
    try:
        polling.ack(session, image.id)
    except ConflictError:  # another consumer (or an interrupted run) acknowledged it first
        return Saved(image.id, filename, target, writer.written, acknowledged_elsewhere=True)
    return Saved(image.id, filename, target, writer.written)


@click.command("poll", cls=Command)
@click.argument("session")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the images (created if needed).",
)
@click.option("--follow", is_flag=True, help="Keep waiting for new images until Ctrl-C.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=3.0,
    show_default=True,
    metavar="SECONDS",
    help="Pause between polls of an empty queue (with --follow).",
)
@click.option(
    "--concurrency", type=click.IntRange(1, 16), default=4, show_default=True, metavar="N"
)
@output_options
@pass_state
def poll(
    state: CliState, session: str, out_dir: Path, follow: bool, interval: float, concurrency: int
) -> None:
    """Download, save and acknowledge the images queued for SESSION."""
    out_dir.mkdir(parents=True, exist_ok=True)
    client = state.client()
    stop = threading.Event()
    interrupted = False
    progress = TransferProgress(
        "download",
        0,
        0,
        enabled=state.text,
        idle_text="waiting for images (Ctrl-C to stop)" if follow else "checking the queue",
        waiting_text="waiting for more (Ctrl-C to stop)" if follow else None,
    )
    run = _Run(state, session, out_dir, progress, concurrency)
    try:
        with progress:
            while not stop.is_set():
                if run.submit(client.polling.list(session).images):
                    run.drain()
                elif not follow:
                    break
                else:
                    stop.wait(interval)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        run.close()
    _report(state, run, out_dir, interrupted=interrupted, follow=follow)
    if interrupted and not follow:
        click.get_current_context().exit(EXIT_INTERRUPTED)
    if any(r.error for r in run.results):
        click.get_current_context().exit(1)


class _Run:
    """One ``poll`` run: the worker pool, the images in flight, and what became of each."""

    def __init__(
        self,
        state: CliState,
        session: str,
        out_dir: Path,
        progress: TransferProgress,
        concurrency: int,
    ) -> None:
        self._state, self._session, self._out_dir = state, session, out_dir
        self._progress = progress
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="poll")
        self._pending: dict[Future[Saved], PollImage] = {}
        self._seen: set[str] = set()
        self.results: list[Saved] = []
        self.not_started = 0
        """Images seen in the queue but not downloaded (Ctrl-C came first): still queued."""

    def submit(self, queued: list[PollImage]) -> bool:
        """Start the images not handled yet in this run; False when there were none."""
        fresh = [image for image in queued if image.id not in self._seen]
        self._seen.update(image.id for image in fresh)
        self._progress.add_totals(
            len(fresh), sum(unset_to_none(image.size_bytes) or 0 for image in fresh)
        )
        for image in fresh:
            args = (self._state, self._session, image, self._out_dir, self._progress)
            self._pending[self._pool.submit(_fetch, *args)] = image
        return bool(fresh)

    def drain(self) -> None:
        """Wait for every image in flight, recording each as it finishes."""
        for future in as_completed(list(self._pending)):
            self._collect(future)

    def close(self) -> None:
        """Cancel what has not started, let the rest finish, and record it (after Ctrl-C)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        recorded = {saved.image_id for saved in self.results}
        for future, image in list(self._pending.items()):
            if future.cancelled():
                self.not_started += 1
            elif image.id not in recorded:
                self._collect(future)

    def _collect(self, future: Future[Saved]) -> None:
        # Recorded before it leaves _pending: a Ctrl-C landing in between never loses it.
        image = self._pending[future]
        try:
            saved = future.result()
        except (AperturError, OSError) as exc:
            error = describe(exc).format_message()
            saved = Saved(image.id, unset_to_none(image.filename), error=error)
            self._progress.note(
                Text.assemble(("✗ ", "red"), literal(image.id), ": ", literal(saved.error))
            )
        else:
            elsewhere = (
                ", already acknowledged by another consumer" if saved.acknowledged_elsewhere else ""
            )
            self._progress.note(
                Text.assemble(
                    ("✓ ", "green"), literal(saved.path), f" ({human_size(saved.size)}{elsewhere})"
                )
            )
        self._progress.file_done()
        self.results.append(saved)
        del self._pending[future]


def _report(state: CliState, run: _Run, out_dir: Path, *, interrupted: bool, follow: bool) -> None:
    saved = [r for r in run.results if r.error is None]
    failed = [r for r in run.results if r.error is not None]
    result = {
        "saved": [
            {
                "id": r.image_id,
                "filename": r.filename,
                "path": str(r.path),
                "size_bytes": r.size,
                "acknowledged_elsewhere": r.acknowledged_elsewhere,
            }
            for r in saved
        ],
        "failed": [{"id": r.image_id, "error": r.error} for r in failed],
        "not_started": run.not_started,
        "interrupted": interrupted,
    }
    state.emit(
        result,
        ids=[r.image_id for r in saved],
        text=lambda: state.out.print(
            _summary(
                saved, failed, out_dir, run.not_started, interrupted=interrupted, follow=follow
            )
        ),
    )


def _summary(
    saved: list[Saved],
    failed: list[Saved],
    out_dir: Path,
    not_started: int,
    *,
    interrupted: bool,
    follow: bool,
) -> Text:
    """One line saying what really happened (nothing queued, stopped, saved, failed)."""
    stopped = "stopped" if follow and interrupted else "interrupted" if interrupted else ""
    if not saved and not failed and not not_started:
        if interrupted:
            return Text(f"{stopped}: no image was downloaded; nothing was acknowledged")
        return Text("no images are queued for this session; nothing to do")
    mine = [r for r in saved if not r.acknowledged_elsewhere]
    theirs = len(saved) - len(mine)
    size = human_size(sum(r.size for r in mine))
    parts: list[str | Text] = [
        f"{len(mine)} saved to ",
        literal(out_dir),
        f" and acknowledged ({size})",
    ]
    if theirs:
        parts.append(f", {theirs} saved but already acknowledged by another consumer")
    if failed:
        parts.append(f", {len(failed)} failed (left in the queue)")
    if not_started:
        parts.append(f"; {stopped}: {not_started} not downloaded (left in the queue)")
    elif interrupted:
        parts.append(f"; {stopped}")
    mark = ("✗ ", "red") if failed else ("✓ ", "green")
    return Text.assemble(mark, *parts)
