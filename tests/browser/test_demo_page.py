"""``make demo`` ends with the upload page's link: a person sends photos, the demo saves them."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from browserhelpers import file_payload, jpeg, png, sha256
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LINE_WAIT = 120.0
"""Upper bound for the demo to print its next line (it usually takes a few seconds)."""


class Lines:
    """The lines a process prints, read on a thread so that waits are bounded."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=lambda: [self._lines.put(x) for x in stream], daemon=True).start()

    def until(self, fragment: str) -> str:
        while True:
            try:
                line = self._lines.get(timeout=LINE_WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {fragment!r}; got {self.seen}") from None
            self.seen.append(line)
            if fragment in line:
                return line


def test_a_person_sends_photos_to_the_running_demo(phone: Page, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "apertur_cli.demo", "--wait", "--output", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"},
    )
    try:
        lines = Lines(process)
        url = lines.until("Try the upload page:").split("Try the upload page:", 1)[1].strip()
        lines.until("Waiting for photos")
        photos = {"one.png": png(50, 40, seed=31), "two.jpg": jpeg(24, 16, seed=32)}
        phone.goto(url)
        phone.set_input_files(
            "#choose-photos",
            [
                file_payload("one.png", photos["one.png"], "image/png"),
                file_payload("two.jpg", photos["two.jpg"], "image/jpeg"),
            ],
        )
        expect(phone.locator('#files .file[data-state="done"]')).to_have_count(2)
        lines.until("received one.png")
        lines.until("received two.jpg")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    saved = {p.name: sha256(p.read_bytes()) for p in (tmp_path / "from-page").iterdir()}
    assert len(saved) == len(photos)
    for name, data in photos.items():  # saved as <image id>_<name>
        assert [h for file, h in saved.items() if file.endswith(f"_{name}")] == [sha256(data)]
