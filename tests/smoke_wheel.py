"""Run inside a clean virtualenv where only the built wheel is installed (`make wheel-smoke`).

It imports every public package from the wheel (not the source tree) and makes real calls
against the bundled local server, so a module missing from the wheel fails CI, not a user.
"""

from __future__ import annotations

import importlib
import re
import struct
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


if __name__ == "__main__":
    main()
