"""Where the local server may send deliveries: name resolution and the allowed addresses.

The sender (``_outbound.OutboundSender``) decides on addresses, never on names: a name is resolved
once by :data:`Resolver` (the system's, :func:`resolve_host`, off the event loop), every address
must pass :func:`address_refusal`, and the connection goes to one of those addresses.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence

__all__ = [
    "LOCALHOST_ADDRESSES",
    "NOT_LOOPBACK",
    "Resolver",
    "address_refusal",
    "is_ip_literal",
    "resolve_host",
]

Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""``(host, port)`` → every IP address the host name stands for."""

NOT_LOOPBACK = (
    "not delivered: the local server only contacts loopback hosts (start it with "
    "--allow-external-delivery to reach other hosts)"
)
"""Why a delivery to a non-loopback address was not attempted (shown in the delivery log)."""

LOCALHOST_ADDRESSES = ("127.0.0.1", "::1")
"""What ``localhost`` and ``*.localhost`` stand for (RFC 6761), without asking a resolver."""


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, by the system resolver (off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(address: str, *, allow_external: bool) -> str | None:
    """Why the server must not connect to ``address`` (``None``: it may).

    Loopback is always allowed; with ``allow_external`` so is any address a host can be reached
    at, but never an unspecified, multicast, reserved or link-local one (cloud metadata services
    live at 169.254.169.254).
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            address.split("%", 1)[0]
        )
    except ValueError:
        return f"{address!r} is not an IP address"
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_loopback:
        return None
    if not allow_external:
        return f"{address} is not a loopback address; {NOT_LOOPBACK}"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved or ip.is_link_local:
        return f"{address} is an unspecified, multicast, reserved or link-local address"
    return None


def is_ip_literal(host: str) -> bool:
    """Whether ``host`` is an IP address rather than a name."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True
