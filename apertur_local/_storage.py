"""The data directory: image blobs, upload temp files, the persisted state JSON.

Layout under the data directory::

    blobs/<server-chosen name>   stored image bytes (names are random tokens, never user input)
    tmp/<random>.part            bodies being received or decrypted
    state.json                   the persisted state (only when the directory was given by the user)
    server_key.pem               the RSA private key (see ``_crypto``)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

__all__ = ["BlobStore"]

_NAME = re.compile(r"^[A-Za-z0-9_]{1,80}$")


class BlobStore:
    """Files of one local server, all below ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.tmp = root / "tmp"
        self.state_file = root / "state.json"
        self.key_file = root / "server_key.pem"
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def new_temp(self) -> Path:
        """A fresh, not yet existing path under ``tmp/`` (the caller creates and removes it)."""
        return self.tmp / f"{secrets.token_hex(16)}.part"

    def commit(self, temp: Path, name: str) -> None:
        """Move a finished temp file into ``blobs/<name>``."""
        os.replace(temp, self._path(name))

    def path(self, name: str) -> Path:
        """Path of the blob called ``name`` (which must be a server-generated token)."""
        return self._path(name)

    def delete(self, name: str) -> None:
        """Remove a blob if present."""
        self._path(name).unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every blob and temp file (the key and state file are kept)."""
        for directory in (self.blobs, self.tmp):
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True, exist_ok=True)

    def save_state(self, data: dict[str, Any]) -> None:
        """Atomically write the persisted state."""
        temp = self.tmp / f"state-{secrets.token_hex(4)}.json"
        temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, self.state_file)

    def load_state(self) -> dict[str, Any] | None:
        """The persisted state, or ``None`` when absent or unreadable."""
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"invalid blob name {name!r}")
        return self.blobs / name
