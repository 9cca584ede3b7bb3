"""QR codes of a session's upload URL (S5) as PNG, SVG (segno) or JPEG (``_jpeg``).

Query options: ``format`` (png default), ``size`` (target pixels; the result is the nearest whole
number of pixels per module), ``fg``/``bg``/``borderColor`` (hex without ``#``), ``borderSize``
(quiet-zone modules). ``style=rounded`` is accepted but drawn square (segno has no rounded modules).
"""

from __future__ import annotations

import io
import re

import attrs
import segno

from ._errors import bad_request
from ._jpeg import RGB, encode_block_image

__all__ = ["QrOptions", "render_qr"]

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "jpeg": "image/jpeg"}


def _colour(value: str | None, name: str, default: str) -> str:
    if value is None:
        return default
    if not _HEX.match(value):
        raise bad_request(f"{name} must be a 6-digit hex colour without #")
    return value.lower()


@attrs.frozen
class QrOptions:
    """Validated S5 query options (colours as 6 lower-case hex digits)."""

    fmt: str = "png"
    size: int = 300
    fg: str = "000000"
    bg: str = "ffffff"
    border: int = 2
    border_color: str | None = None

    @classmethod
    def from_query(
        cls,
        *,
        fmt: str | None,
        size: int,
        style: str | None,
        fg: str | None,
        bg: str | None,
        border: int,
        border_color: str | None,
    ) -> QrOptions:
        """Check raw query values; 400 for anything outside the contract."""
        fmt = "png" if fmt is None else fmt
        if fmt not in _MEDIA_TYPES:
            raise bad_request("format must be png, svg or jpeg")
        if style is not None and style not in ("square", "rounded"):
            raise bad_request("style must be square or rounded")
        return cls(
            fmt=fmt,
            size=size,
            fg=_colour(fg, "fg", "000000"),
            bg=_colour(bg, "bg", "ffffff"),
            border=border,
            border_color=_colour(border_color, "borderColor", "") or None,
        )


def _rgb(hex_colour: str) -> RGB:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


def _jpeg(qr: segno.QRCode, options: QrOptions) -> bytes:
    modules = int(qr.symbol_size(scale=1, border=options.border)[0])
    per_module = max(1, round(options.size / (8 * modules)))
    dark, light = _rgb(options.fg), _rgb(options.bg)
    quiet = _rgb(options.border_color or options.bg)
    inner = range(options.border, modules - options.border)
    blocks: list[list[RGB]] = []
    for y, row in enumerate(qr.matrix_iter(scale=1, border=options.border)):
        line: list[RGB] = []
        for x, bit in enumerate(row):
            colour = (dark if bit else light) if y in inner and x in inner else quiet
            line.extend([colour] * per_module)
        blocks.extend([line] * per_module)
    return encode_block_image(blocks)


def render_qr(url: str, options: QrOptions) -> tuple[bytes, str]:
    """The QR image of ``url`` and its media type."""
    qr = segno.make(url, error="m", micro=False)
    if options.fmt == "jpeg":
        return _jpeg(qr, options), _MEDIA_TYPES["jpeg"]
    modules = int(qr.symbol_size(scale=1, border=options.border)[0])
    scale = max(1, round(options.size / modules))
    buffer = io.BytesIO()
    extra = {"quiet_zone": "#" + options.border_color} if options.border_color else {}
    qr.save(
        buffer,
        kind=options.fmt,
        scale=scale,
        border=options.border,
        dark="#" + options.fg,
        light="#" + options.bg,
        **extra,
    )
    return buffer.getvalue(), _MEDIA_TYPES[options.fmt]
