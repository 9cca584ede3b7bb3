"""Serving beyond loopback: the address a phone can open, and what a wider bind exposes.

A server bound to a wildcard address (``--host 0.0.0.0`` or ``::``) is reachable from the local
network, but the URL a client used to reach it (usually ``127.0.0.1``) means nothing to a phone.
:func:`advertise` fills :attr:`LocalConfig.public_url` with the machine's LAN address so that
``upload_url``, ``short_url`` and the session QR code lead a phone on the same network to the
upload page. :func:`exposure_warning` says what such a bind exposes; ``apertur-local serve``
prints it, and so should any other front end that starts a server this way.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from collections.abc import Callable

import attrs

from ._config import DEFAULT_API_KEY, LocalConfig

__all__ = [
    "WILDCARD_HOSTS",
    "advertise",
    "exposure_warning",
    "is_loopback_host",
    "lan_address",
    "normalise_public_url",
]

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104
"""Bind addresses meaning "every interface"."""

_ROUTE_PROBE = ("192.0.2.1", 9)
"""A documentation address (RFC 5737): connecting a UDP socket to it only asks the kernel which
local address would route there; no packet is sent."""


def lan_address() -> str | None:
    """The IPv4 address of this machine on its local network, or ``None`` when there is none.

    The kernel's routing table picks the interface of the default route; nothing is sent.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.is_loopback or parsed.is_unspecified or parsed.is_link_local:
        return None
    return address


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a bind address or host name) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_public_url(value: str) -> str:
    """``http(s)://host[:port]`` without a trailing slash; :class:`ValueError` otherwise."""
    parsed = urllib.parse.urlsplit(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError("the public URL must look like http://192.168.1.20:8484")
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment or parsed.username:
        raise ValueError("the public URL must be scheme, host and port only (no path or query)")
    try:
        _ = parsed.port
    except ValueError as exc:
        raise ValueError("the public URL has an invalid port") from exc
    return f"{parsed.scheme}://{parsed.netloc}"


def advertise(config: LocalConfig, detect: Callable[[], str | None] | None = None) -> LocalConfig:
    """``config`` with ``public_url`` set to the LAN address when bound to every interface.

    ``detect`` finds the address (default :func:`lan_address`). An explicit ``public_url`` is kept. A loopback or specific-address bind is left alone (the
    URL clients use then already reaches the server). When no LAN address can be found, the
    loopback URL stays in use and :func:`exposure_warning` says so.
    """
    if config.public_url is not None or config.host not in WILDCARD_HOSTS:
        return config
    address = (detect or lan_address)()
    if address is None:
        return config
    return attrs.evolve(config, public_url=f"http://{address}:{config.port}")


def exposure_warning(config: LocalConfig) -> str | None:
    """What a non-loopback bind exposes, in a few lines; ``None`` on loopback."""
    if is_loopback_host(config.host):
        return None
    if config.host in WILDCARD_HOSTS and config.public_url is None:
        where = "every interface, but no network address was found for phones"
        hint = " (pass --public-url http://<this machine's address>:<port>)"
    else:
        where = config.public_url or config.url
        hint = ""
    lines = [
        f"WARNING: apertur-local is reachable from your network at {where}{hint}.",
        "  Anyone on this network can open a session's upload page and upload into it (the",
        "  session id in the link is its only key), and reach the /_local control plane",
        "  (reset, clock, fault injection), which takes no key. The rest of the API needs the key.",
    ]
    if config.api_key == DEFAULT_API_KEY:
        lines.append(
            f"  The API key {DEFAULT_API_KEY} is the public default: pass --api-key with a "
            "value of your own."
        )
    lines.append("  Use it only on a network you trust, and stop it when you are done.")
    return "\n".join(lines)
