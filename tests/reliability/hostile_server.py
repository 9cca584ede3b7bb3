"""A raw-socket HTTP/1.1 server that misbehaves at the byte level, for the client's hostile-server tests.

Each connection runs in its own thread: the request head is read, then ``answer(path, send)``
writes whatever it likes with ``send`` (raw bytes; ``send.recv`` reads more of the request). A
client that hangs up ends the answer; ``close()`` stops everything (every wait in an answer uses
:attr:`stopping`).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from collections.abc import Callable

Answer = Callable[[str, "Send"], None]

MIB = 1 << 20
ZEROS = bytes(64 * 1024)


class HostileServer:
    """Serves ``answer`` on 127.0.0.1 (any free port) until closed; ``sent`` counts body bytes."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.stopping = threading.Event()
        self.sent = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self._sock.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            path = head.split(b" ", 2)[1].decode("latin-1")
            self.answer(path, Send(self, conn))


class Send:
    """Writes raw bytes to one connection (``send(data)``) and reads from it (``send.recv``)."""

    def __init__(self, server: HostileServer, conn: socket.socket) -> None:
        self._server, self._conn = server, conn

    def __call__(self, data: bytes) -> None:
        if self._server.stopping.is_set():
            raise ConnectionAbortedError
        self._conn.sendall(data)
        self._server.sent += len(data)

    def recv(self, size: int) -> bytes:
        if self._server.stopping.is_set():
            raise ConnectionAbortedError
        return self._conn.recv(size)


def head(status: str, *headers: str) -> bytes:
    """A response head: ``HTTP/1.1 <status>``, the headers, ``Connection: close`` (one answer
    per connection) and the blank line."""
    lines = (f"HTTP/1.1 {status}", *headers, "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about a thousandth of ``size``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(bytes(MIB)) for _ in range(size // MIB)]
    return b"".join(parts) + packer.flush()
