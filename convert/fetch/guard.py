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
import threading


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


_failed: dict[str, tuple[float, str]] = {}  # host -> (until when, why): a dead name is asked once a minute
_resolver = None
_resolver_lock = threading.Lock()


def _lookup(host: str, port: int, timeout: float) -> list[str]:
    """The addresses of ``host``, within ``timeout`` seconds. The system resolver cannot be
    interrupted, so it runs in a helper thread; a name that does not resolve is remembered for a
    minute, so a batch does not wait for the same dead name in every post."""
    import time
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as Timeout

    global _resolver
    now = time.monotonic()
    failed = _failed.get(host)
    if failed and failed[0] > now:
        raise OSError(failed[1])
    if _resolver is None:
        with _resolver_lock:
            _resolver = _resolver or ThreadPoolExecutor(max_workers=8, thread_name_prefix="fmconvert-dns")
    future = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except Timeout:
        message = f"cannot resolve {host}: no answer within {timeout:g} s"
    except (socket.gaierror, UnicodeError, OSError) as err:
        message = f"cannot resolve {host}: {err}"
    else:
        return [info[4][0] for info in infos]
    _failed[host] = (now + 60, message)
    raise OSError(message)


def resolve_allowed(host: str, port: int, allow_private: bool | tuple[str, ...], timeout: float = 5.0) -> str:
    """The first address of ``host`` we may connect to; :class:`BlockedAddress` when every one
    is refused. ``allow_private``: True allows every address, a tuple of networks
    (``"10.0.0.0/8"``, ``"127.0.0.1"``) allows those besides public ones. Resolving here and
    connecting to the address returned (not the name) closes the window in which a second DNS
    answer could differ from the one checked."""
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
        addresses = [host.strip("[]")]  # an address already: nothing to resolve
    except ValueError:
        addresses = _lookup(host, port, timeout)
    for address in addresses:
        if _allowed(address, allow_private):
            return address
    raise BlockedAddress(
        f"{host} resolves to {addresses[0]}, a loopback, private or link-local address; not fetched (--allow-private-hosts allows it)"
    )
