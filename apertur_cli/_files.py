"""Which files an ``apertur upload`` sends: the paths given, and the images inside folders.

A file named on the command line is always sent (the server judges its content). Inside a folder
(walked recursively, in name order, symlinked folders not followed) a file is taken when its
first bytes are those of an image the API accepts — JPEG, PNG, WebP, HEIC/HEIF or GIF — whatever
its name; everything else is skipped with the reason (hidden, empty, text, another image format,
unrecognised content), so the summary can say what stayed home and why.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from apertur_ext import image_type

from ._errors import CliError

__all__ = ["Selection", "Skipped", "collect_files", "sniff"]

_HEAD = 64
_OTHER_FORMATS = (
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
)


@attrs.frozen
class Skipped:
    """A file found in a folder and not sent, and why."""

    path: Path
    reason: str


@attrs.frozen
class Selection:
    """The files to send, in order, and those skipped inside folders."""

    files: list[Path]
    skipped: list[Skipped]


def sniff(head: bytes) -> str | None:
    """None when ``head`` starts an image the API accepts, else why the file is skipped."""
    if not head:
        return "empty file"
    if image_type(head) is not None:
        return None
    for magic, kind in _OTHER_FORMATS:
        if head.startswith(magic):
            return f"{kind}, not a type Apertur accepts"
    try:  # an incremental decoder accepts a character cut at the end of the head
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "not an image (unrecognised content)"
    return "not an image (unrecognised content)" if b"\x00" in head else "not an image (text)"


def _judge(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden file"
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return sniff(head)


def _walk(folder: Path, skipped: list[Skipped]) -> Iterable[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if not path.is_file():
                skipped.append(Skipped(path, "not a regular file"))
                continue
            reason = _judge(path)
            if reason is None:
                yield path
            else:
                skipped.append(Skipped(path, reason))


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> Selection:
    """Expand ``paths`` into regular files, each once, in command-line then name order.

    Raises :class:`CliError` for a path that does not exist, or when nothing is left to send
    (naming what was skipped).
    """
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates: Iterable[Path] = _walk(path, skipped)
        elif path.is_file():
            candidates = [path]
        elif path.exists():
            raise CliError(f"not a regular file or folder: {path}")
        else:
            raise CliError(f"no such file or directory: {path}")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    if not found:
        detail = f" ({len(skipped)} file(s) skipped: {_summary(skipped)})" if skipped else ""
        raise CliError(f"no image files to upload in the given folders{detail}")
    return Selection(found, skipped)


def _summary(skipped: list[Skipped]) -> str:
    shown = ", ".join(f"{item.path.name}: {item.reason}" for item in skipped[:3])
    return shown + (", …" if len(skipped) > 3 else "")
