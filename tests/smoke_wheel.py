"""Run inside a clean virtualenv where only the built wheel is installed (`make wheel-smoke`).

It imports every public package from the wheel (not the source tree) and makes real calls
against the bundled local server, so a module missing from the wheel fails CI, not a user.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

PACKAGES = ("apertur_api", "apertur_ext", "apertur_local", "apertur_cli")


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    for name in PACKAGES:
        module = importlib.import_module(name)
        origin = Path(module.__file__ or "").resolve()
        if repo in origin.parents and "site-packages" not in origin.parts:
            sys.exit(f"{name} was imported from the source tree ({origin}), not the wheel")
        if not (origin.parent / "py.typed").exists():
            sys.exit(f"{name} ships without py.typed")

    from apertur_ext import Apertur
    from apertur_local import LocalApertur

    with LocalApertur() as server, Apertur(api_key=server.api_key, base_url=server.url) as client:
        session = client.sessions.create(long_polling=True)
        result = client.upload.image(session.id, tiny_png(), filename="a.png")
        images = client.polling.list(session.id).images
        assert [image.id for image in images] == [result.id], images
        check_upload_page(str(session.upload_url))
    check_console_scripts()
    print(
        f"wheel smoke test passed: {', '.join(PACKAGES)} import; session {session.id} works; "
        "its upload page and files are served"
    )


def check_upload_page(url: str) -> None:
    """The upload page and every file it names come from the installed wheel's package data."""
    import httpx

    with httpx.Client(trust_env=False, timeout=30) as http:
        page = http.get(url)
        assert page.status_code == 200, page.status_code
        assert 'data-session="' in page.text, page.text[:200]
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text)
        assert len(assets) >= 3, assets
        base = url.split("/u/", 1)[0]
        for path in assets:
            response = http.get(base + path)
            assert response.status_code == 200, path
            assert response.content, path


def _serve_briefly(argv: list[str]) -> str:
    """Start a server console script, return its first line, stop it with SIGTERM."""
    process = subprocess.Popen(  # noqa: S603 - our own console scripts
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        return process.stdout.readline()  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def check_console_scripts() -> None:
    """Both console scripts, as installed by the wheel, run with the extras present."""
    bin_dir = Path(sys.executable).parent
    version = subprocess.run(  # noqa: S603
        [str(bin_dir / "apertur"), "--version"], capture_output=True, text=True, check=True
    )
    assert "apertur, version" in version.stdout, version
    banner = json.loads(_serve_briefly([str(bin_dir / "apertur"), "local", "serve", "--port", "0",
                                        "--json"]))  # fmt: skip
    assert banner["url"].startswith("http://127.0.0.1:"), banner
    line = _serve_briefly([str(bin_dir / "apertur-local"), "serve", "--port", "0"])
    assert "listening on http://127.0.0.1:" in line, line


if __name__ == "__main__":
    main()
