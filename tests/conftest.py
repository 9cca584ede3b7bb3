"""Settings shared by every test folder."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C (SIGINT) is handled as usual during the run, even when pytest started with it
    ignored (run in the background from a script, for instance).

    Tests interrupt the main thread (which does nothing while SIGINT is ignored) and send Ctrl-C
    to the CLI they started (which inherits the ignored disposition, so a Python child never raises
    KeyboardInterrupt); with Python's own handler installed, children start with the default.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def disk_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What reaches the disk, in order: each ``os.fsync`` (a file with its size, or a folder and
    whether it is ``tmp_path``) and each ``os.replace`` (the target's name)."""
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd: int) -> None:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            events.append(f"fsync folder {os.path.samestat(info, os.stat(tmp_path))}")
        else:
            events.append(f"fsync file of {info.st_size} bytes")
        fsync(fd)

    def recording_replace(source: str | Path, destination: str | Path) -> None:
        events.append(f"rename to {Path(destination).name}")
        replace(source, destination)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)
    return events
