"""Which files an ``apertur upload`` sends: the paths given, and the images inside folders.

A file named on the command line is always sent (the server judges its content). Inside a folder
(walked recursively, in name order, symlinked folders not followed) only files with an image
extension are taken and hidden files are skipped, so ``.DS_Store`` and ``Thumbs.db`` stay home.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ._errors import CliError

__all__ = ["IMAGE_SUFFIXES", "collect_files"]

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff", ".bmp"}
)


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in IMAGE_SUFFIXES:
                yield path


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand ``paths`` into regular files, each once, in command-line then name order.

    Raises :class:`CliError` for a path that does not exist, or when nothing is left to send.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates: Iterable[Path] = _walk(path)
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
        raise CliError("no image files to upload in the given folders")
    return found
