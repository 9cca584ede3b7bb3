"""The Server-Sent Events wire format: bytes in, ``(id, name, data)`` frames out (no I/O).

WHATWG parsing rules: ``\\r\\n``, ``\\r`` or ``\\n`` end a line (a ``\\r`` ending a chunk waits
for the next), ``:`` lines are comments (the server's heartbeats), ``data`` lines are joined
with ``\\n``, ``id`` carries over, a block without ``data`` is no event. Not ``httpx-sse``: it
buffers a line of any length, while this decoder refuses an event beyond ``limit`` bytes.
"""

from __future__ import annotations

import re

from .._core.exceptions import InvalidResponseError

__all__ = ["MAX_EVENT_BYTES", "EventStreamDecoder"]

MAX_EVENT_BYTES = 1 << 20
"""Longest event accepted (an Apertur event is a few hundred bytes)."""

_LINE_END = re.compile(rb"\r\n|\r|\n")


class EventStreamDecoder:
    """Incremental ``text/event-stream`` parser; ``last_id`` seeds the id of id-less events."""

    def __init__(self, last_id: str = "", limit: int = MAX_EVENT_BYTES) -> None:
        self.limit = limit
        self._id, self._name, self._data = last_id, "", list[str]()
        self._pending, self._size = b"", 0

    def feed(self, chunk: bytes) -> list[tuple[str, str, str]]:
        """The events completed by ``chunk``, as ``(id, name, data)`` (name ``message`` when
        the block has no ``event`` line)."""
        text = self._pending + chunk
        held = text.endswith(b"\r")  # maybe the first half of "\r\n"
        lines = _LINE_END.split(text[:-1] if held else text)
        self._pending = lines.pop() + (b"\r" if held else b"")
        frames = []
        for line in lines:
            self._size += len(line) + 1
            if not line:
                if self._data:
                    frames.append((self._id, self._name or "message", "\n".join(self._data)))
                self._name, self._data, self._size = "", [], 0
                continue
            field, _, value = line.decode("utf-8", "replace").partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                self._data.append(value)
            elif field == "event":
                self._name = value
            elif field == "id" and "\0" not in value:
                self._id = value
        if self._size + len(self._pending) > self.limit:
            raise InvalidResponseError(
                f"an event of the stream is longer than {self.limit} bytes: not an Apertur event"
            )
        return frames
