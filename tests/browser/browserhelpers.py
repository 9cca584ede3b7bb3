"""Helpers of the browser tests: Debian's Chromium under Playwright, images, an iframe host.

Chromium is the system package (``make chromium`` installs it with apt-get); Playwright only
drives it (``executable_path``), it never downloads a browser. Also imported by
``screenshots.py`` in this folder, which makes the README's pictures of the page.
"""

from __future__ import annotations

import hashlib
import os
import random
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("APERTUR_CHROMIUM", "/usr/bin/chromium"))
"""The browser under test: Debian's ``chromium`` package."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags that work on shared CI machines (headless is Playwright's default; every launch gets a
fresh temporary profile directory)."""

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
"""A phone-sized context (the page is mobile first)."""

WAIT_MS = 60_000
"""Upper bound of any wait on the page's state (never a fixed sleep): generous, because the
machines are shared and a busy two-core box can be slow."""


def launch(playwright: Playwright, extra_args: list[str] | None = None) -> Browser:
    """Start the system Chromium, or explain how to install it."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium); "
            "the browser tests never download a browser"
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + (extra_args or []), headless=True
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 64, height: int = 48, *, seed: int = 0, noise: bool = False) -> bytes:
    """A valid RGB PNG; ``noise`` makes it incompressible (size about 3 x width x height)."""
    rng = random.Random(seed)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        if noise:
            rows += rng.randbytes(3 * width)
        else:
            for x in range(width):
                rows += bytes(((x * 4 + seed * 50) % 256, (y * 5) % 256, (seed * 97) % 256))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    level = 0 if noise else 9
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), level))
        + _png_chunk(b"IEND", b"")
    )


def jpeg(width: int = 16, height: int = 16, *, seed: int = 0) -> bytes:
    """A small valid baseline JPEG (grey blocks)."""
    from apertur_cli._demo_images import make_jpeg

    return make_jpeg(width, height, seed=seed)


def file_payload(name: str, data: bytes, mime_type: str) -> dict[str, Any]:
    """What Playwright's ``set_input_files`` takes for an in-memory file."""
    return {"name": name, "mimeType": mime_type, "buffer": data}


HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>host</title></head>
<body>
<h1>An app embedding the upload page</h1>
<iframe id="upload" src="{src}" width="380" height="700" title="upload"></iframe>
<script>
window.received = [];
window.addEventListener("message", function (event) {{
  window.received.push({{origin: event.origin, message: event.data}});
}});
</script>
</body></html>
"""


@contextmanager
def iframe_host(src: str) -> Iterator[str]:
    """Serve, on another loopback port (so another origin), a page embedding ``src``.

    The page keeps every ``message`` event it receives in ``window.received``.
    """
    body = HOST_PAGE.format(src=src).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
