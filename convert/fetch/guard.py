"""Which network addresses a document may make us fetch from.

Posts from feeds are untrusted input, and converting them fetches the URLs they name. A URL that
names ``http://169.254.169.254/`` (a cloud's metadata service), ``localhost`` or an intranet host
would turn fmconvert into a way to read from the machine's own network (server-side request
forgery). So every connection the fetch layer opens is checked *after* DNS resolution, on every
redirect, against :func:`is_public`; ``--allow-private-hosts`` (or ``allow-private-hosts = true``
in the configuration) lifts the check, for a site's own intranet or a test server on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket


class BlockedAddress(Exception):
    """A URL resolved only to addresses the policy refuses (loopback, private, link-local...)."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local,
    unspecified, multicast, reserved and shared (CGNAT) ranges, IPv4-mapped IPv6 included."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            ip = mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
        or not ip.is_global
    )


def _allowed(address: str, allow_private: bool | tuple[str, ...]) -> bool:
    if allow_private is True or is_public(address):
        return True
    if not allow_private:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allow_private)


def resolve_allowed(host: str, port: int, allow_private: bool | tuple[str, ...]) -> str:
    """The first address of ``host`` we may connect to; :class:`BlockedAddress` when every one
    is refused. ``allow_private``: True allows every address, a tuple of networks
    (``"10.0.0.0/8"``, ``"127.0.0.1"``) allows those besides public ones. Resolving here and
    connecting to the address returned (not the name) closes the window in which a second DNS
    answer could differ from the one checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise OSError(f"cannot resolve {host}: {err}") from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if _allowed(address, allow_private):
            return address
    raise BlockedAddress(
        f"{host} resolves to {addresses[0]}, a loopback, private or link-local address; not fetched (--allow-private-hosts allows it)"
    )
