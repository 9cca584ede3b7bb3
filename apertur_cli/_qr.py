"""Draw a QR code in the terminal with half-block characters (two module rows per text line).

:func:`qr_lines` is pure (text only); :func:`qr_renderable` adds the black-on-white style so the
code scans on dark and light terminals alike. The code is made locally with ``segno`` from the
upload URL, so no second request is needed.
"""

from __future__ import annotations

import segno
from rich.text import Text

__all__ = ["qr_lines", "qr_renderable"]

_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_BORDER = 2
"""Quiet zone in modules: 2 is enough on screen (the print standard of 4 wastes lines)."""


def qr_lines(data: str, *, border: int = _BORDER) -> list[str]:
    """The QR code of ``data`` as lines of ``▀▄█`` (dark modules drawn, light ones blank)."""
    qr = segno.make(data, error="m", micro=False)
    rows = [[bool(module) for module in row] for row in qr.matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[0::2], rows[1::2], strict=True)
    ]


def qr_renderable(data: str) -> Text:
    """The QR code of ``data`` styled black on white, ready for ``Console.print``."""
    return Text("\n".join(qr_lines(data)), style="black on white", no_wrap=True, overflow="crop")
