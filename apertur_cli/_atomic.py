"""Write a downloaded file so that it is either complete on disk or not there at all.

The bytes go to a hidden temporary file in the target folder, which is flushed and ``fsync``-ed,
then renamed over the final name, and the folder itself is ``fsync``-ed so the rename survives a
crash. Only after :meth:`AtomicFile.commit` returns may the image be acknowledged to the server.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from types import TracebackType
from typing import IO, Self

__all__ = ["AtomicFile", "safe_name"]

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(image_id: str, filename: str | None) -> str:
    """``<id>_<filename>`` reduced to safe characters: no separators, no leading dot.

    The id makes names unique, and the same image gets the same name if it is delivered again
    (an unacknowledged image is), so a re-run overwrites instead of duplicating.
    """
    base = _UNSAFE.sub("_", os.path.basename(filename or "")).strip("._") or "image"
    prefix = _UNSAFE.sub("_", image_id).strip("._") or "image"
    return f"{prefix}_{base}"[:200]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory; the rename is still atomic
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicFile:
    """A temporary file in ``target``'s folder that becomes ``target`` on :meth:`commit`.

    Used as a context manager, an exception (or a missing commit) removes the temporary file.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._temp = target.parent / f".apertur-{secrets.token_hex(8)}.part"
        # os.open with 0o666 lets the umask decide the final mode, as for any new file.
        fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        self.file: IO[bytes] = os.fdopen(fd, "wb")
        self.committed = False

    def commit(self) -> Path:
        """Flush, fsync, rename into place and fsync the folder; return the final path."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self._temp, self.target)
        _fsync_dir(self.target.parent)
        self.committed = True
        return self.target

    def discard(self) -> None:
        """Close and delete the temporary file (no-op after :meth:`commit`)."""
        if self.committed:
            return
        self.file.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()
