"""A streaming scanner for one flat JSON object whose values are (mostly huge) strings.

The encrypted-upload envelope is ``{"encryptedKey": "...", "iv": "...",
"encryptedData": "<base64 of the whole image>", "algorithm": "..."}``; ``encryptedData`` may be
well over a gigabyte, so it is never held in memory: string contents are handed to a callback in
chunks as they are scanned (escape sequences decoded, including PHP's ``\\/``). Nested objects and
arrays are rejected; ``true``/``false``/``null``/numbers are reported as raw text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["FlatJsonScanner", "JsonScanError"]

_WHITESPACE = b" \t\r\n"
_SIMPLE_ESCAPES = {
    ord('"'): b'"',
    ord("\\"): b"\\",
    ord("/"): b"/",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
}
_MAX_KEY = 256
_MAX_SCALAR = 64


class JsonScanError(ValueError):
    """The input is not a flat JSON object."""


class FlatJsonScanner:
    """Feed bytes with :meth:`feed`, then call :meth:`close`.

    Callbacks: ``on_string(key, chunk)`` for every piece of a string value (possibly empty at the
    end), ``on_value_end(key)`` after each value, ``on_scalar(key, text)`` for non-string values.
    """

    def __init__(
        self,
        on_string: Callable[[str, bytes], None],
        on_value_end: Callable[[str], None],
        on_scalar: Callable[[str, str], None],
    ) -> None:
        self._on_string = on_string
        self._on_value_end = on_value_end
        self._on_scalar = on_scalar
        self._state = "start"
        self._pending = b""
        self._key = bytearray()
        self._current = ""
        self._scalar = bytearray()

    def feed(self, data: bytes) -> None:
        """Scan the next chunk of input."""
        buf = self._pending + data if self._pending else data
        self._pending = b""
        i, n = 0, len(buf)
        while i < n:
            state = self._state
            if state in ("key", "value"):
                i = self._scan_string(buf, i)
                if i < 0:
                    return
                continue
            if state == "scalar":
                i = self._scan_scalar(buf, i)
                continue
            byte = buf[i]
            i += 1
            if byte in _WHITESPACE:
                continue
            self._structural(byte)

    def close(self) -> None:
        """Finish: raise :class:`JsonScanError` unless exactly one complete object was seen."""
        if self._state == "scalar":
            raise JsonScanError("unterminated JSON")
        if self._state != "done" or self._pending:
            raise JsonScanError("truncated JSON object")

    def _structural(self, byte: int) -> None:
        char = chr(byte)
        state = self._state
        if state == "start" and char == "{":
            self._state = "key_or_end"
        elif state in ("key_or_end", "key_required") and char == '"':
            self._key.clear()
            self._state = "key"
        elif state == "key_or_end" and char == "}":
            self._state = "done"
        elif state == "colon" and char == ":":
            self._state = "value_start"
        elif state == "value_start" and char == '"':
            self._state = "value"
        elif state == "value_start" and char in "-0123456789tfn":
            self._scalar = bytearray(char.encode())
            self._state = "scalar"
        elif state == "value_start" and char in "[{":
            raise JsonScanError(f"nested value for {self._current!r} is not allowed")
        elif state == "comma_or_end" and char == ",":
            self._state = "key_required"
        elif state == "comma_or_end" and char == "}":
            self._state = "done"
        else:
            raise JsonScanError(f"unexpected {char!r} in JSON ({state})")

    def _scan_string(self, buf: bytes, i: int) -> int:
        """Consume string content from ``i``; return the next index, or -1 to wait for input."""
        # two memchr scans are much faster than a regex over megabytes of base64
        quote, backslash = buf.find(b'"', i), buf.find(b"\\", i)
        found = [pos for pos in (quote, backslash) if pos >= 0]
        end = min(found) if found else len(buf)
        if end > i:
            self._emit(buf[i:end])
        if not found:
            return len(buf)
        if buf[end] == ord('"'):
            self._finish_string()
            return end + 1
        if end + 1 >= len(buf):
            self._pending = buf[end:]
            return -1
        code = buf[end + 1]
        if code == ord("u"):
            if end + 6 > len(buf):
                self._pending = buf[end:]
                return -1
            try:
                point = int(buf[end + 2 : end + 6], 16)
            except ValueError as exc:
                raise JsonScanError("invalid \\u escape") from exc
            self._emit(chr(point).encode("utf-8", "surrogatepass"))
            return end + 6
        replacement = _SIMPLE_ESCAPES.get(code)
        if replacement is None:
            raise JsonScanError("invalid escape sequence")
        self._emit(replacement)
        return end + 2

    def _emit(self, piece: bytes) -> None:
        if self._state == "key":
            if len(self._key) + len(piece) > _MAX_KEY:
                raise JsonScanError("key too long")
            self._key += piece
        else:
            self._on_string(self._current, piece)

    def _finish_string(self) -> None:
        if self._state == "key":
            self._current = self._key.decode("utf-8", "replace")
            self._state = "colon"
        else:
            self._on_value_end(self._current)
            self._state = "comma_or_end"

    def _scan_scalar(self, buf: bytes, i: int) -> int:
        j = i
        while j < len(buf) and buf[j] not in b",} \t\r\n":
            j += 1
        self._scalar += buf[i:j]
        if len(self._scalar) > _MAX_SCALAR:
            raise JsonScanError("value too long")
        if j < len(buf):
            text = self._scalar.decode("ascii", "replace")
            if not re.fullmatch(r"true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?", text):
                raise JsonScanError(f"invalid JSON value {text!r}")
            self._on_scalar(self._current, text)
            self._on_value_end(self._current)
            self._state = "comma_or_end"
        return j
