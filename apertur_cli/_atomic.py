"""Write a downloaded file so that it is either complete on disk or not there at all.

The bytes go to a hidden temporary file in the target folder, which is flushed and ``fsync``-ed,
then renamed over the final name, and the folder itself is ``fsync``-ed so the rename survives a
crash. Only after :meth:`AtomicFile.commit` returns may the image be acknowledged to the server.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from types import TracebackType
from typing import IO, Self

__all__ = ["AtomicFile", "safe_name"]

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9.-]+")
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*_[A-Za-z0-9.-]+")
"""An id kept as it is: safe characters and one ``_``, as the API's (``img_01HX3Q9V7Y``)."""
_MAX_NAME = 200
_MAX_ID = 100
_MAX_EXTENSION = 10


def safe_name(image_id: str, filename: str | None) -> str:
    """``<id>_<filename>`` reduced to safe characters: no separators, no leading dot, at most
    200 characters, the filename's extension kept.

    Distinct ids get distinct names, and an image delivered again (an unacknowledged image is)
    the same name, so a re-run overwrites its own file. An id of the API's shape (at most 100
    characters) is kept: the name's second ``_`` ends it. Any other is made safe (its ``_`` too),
    cut, and followed by ``__`` and a hash of the raw id, which no kept id reads like.
    """
    if len(image_id) <= _MAX_ID and _PLAIN_ID.fullmatch(image_id):
        prefix = image_id
    else:
        digest = hashlib.sha256(image_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        prefix = f"{_NOT_IN_ID.sub('-', image_id).strip('.-')[:64] or 'image'}__{digest}"
    stem, extension = os.path.splitext(os.path.basename(filename or ""))
    extension = _UNSAFE.sub("_", extension).strip("._")[:_MAX_EXTENSION]
    suffix = f".{extension}" if extension else ""
    stem = _UNSAFE.sub("_", stem).strip("._") or "image"
    return f"{prefix}_{stem[: _MAX_NAME - len(prefix) - 1 - len(suffix)]}{suffix}"


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
