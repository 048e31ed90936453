"""The fetch policy from options and configuration.

``[tool.fmconvert.fetch]`` in ``pyproject.toml`` (or ``.fmconvert.toml``)::

    [tool.fmconvert.fetch]
    allow-private-hosts = false   # true (--allow-private-hosts): fetch from loopback/intranet
                                  # addresses too; or only some: ["10.1.0.0/16", "127.0.0.1"]
    timeout = 10                  # seconds for a connect or a read
    deadline = 30                 # seconds for one image, all of it
    document-deadline = 120       # seconds for all the images of one document
    max-mib = 20                  # largest image fetched

    [tool.fmconvert.fetch.hosts."*.example.com"]
    referer = "site"              # send the host's own site as Referer ("site", a URL, or none)
    headers = { "X-Token" = "..." }
"""

from __future__ import annotations

from typing import Any

from convert.errors import ConvertError
from convert.fetch.client import FetchPolicy, HostRule


def _number(table: dict[str, Any], key: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConvertError(f"[tool.fmconvert.fetch] {key} must be a positive number, not {value!r}")
    return float(value)


def policy_from(table: dict[str, Any] | None = None, *, allow_private_hosts: bool | None = None) -> FetchPolicy:
    """A :class:`FetchPolicy` from the ``[tool.fmconvert.fetch]`` table and the command line
    (which wins). Raises :class:`ConvertError` naming a malformed key."""
    table = table or {}
    if not isinstance(table, dict):
        raise ConvertError("[tool.fmconvert.fetch] must be a table")
    allow = table.get("allow-private-hosts", False)
    if isinstance(allow, list) and all(isinstance(a, str) for a in allow):
        import ipaddress

        try:
            allow = tuple(str(ipaddress.ip_network(a, strict=False)) for a in allow)
        except ValueError as err:
            raise ConvertError(f"[tool.fmconvert.fetch] allow-private-hosts: {err}") from None
    elif not isinstance(allow, bool):
        raise ConvertError(f"[tool.fmconvert.fetch] allow-private-hosts must be true, false or a list of networks, not {allow!r}")
    rules = []
    hosts = table.get("hosts", {})
    if not isinstance(hosts, dict):
        raise ConvertError("[tool.fmconvert.fetch.hosts] must be a table of host patterns")
    for pattern, rule in hosts.items():
        if not isinstance(rule, dict):
            raise ConvertError(f"[tool.fmconvert.fetch.hosts.{pattern!r}] must be a table")
        referer = rule.get("referer")
        headers = rule.get("headers", {})
        if referer is not None and not isinstance(referer, str):
            raise ConvertError(f"[tool.fmconvert.fetch.hosts.{pattern!r}] referer must be a string")
        if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
            raise ConvertError(f"[tool.fmconvert.fetch.hosts.{pattern!r}] headers must be a table of strings")
        rules.append(HostRule(pattern, referer if referer not in ("", "none") else None, tuple(headers.items())))
    timeout = _number(table, "timeout", 10)
    return FetchPolicy(
        allow_private_hosts=True if allow_private_hosts else allow,
        connect_timeout=min(timeout, 5.0),
        read_timeout=timeout,
        deadline=_number(table, "deadline", 30),
        document_deadline=_number(table, "document-deadline", 120),
        max_bytes=int(_number(table, "max-mib", 20) * 2**20),
        host_rules=tuple(rules),
    )


def policy_for_options(extra: dict[str, Any]) -> FetchPolicy:
    """The policy a writer uses: what the CLI (or a library caller) put in ``WriteOptions.extra``
    under ``fetch`` (a table), ``allow_private_hosts``, ``offline`` and ``image_cache``."""
    import dataclasses

    policy = extra.get("fetch_policy")
    if not isinstance(policy, FetchPolicy):
        policy = policy_from(extra.get("fetch"), allow_private_hosts=bool(extra.get("allow_private_hosts")))
    return dataclasses.replace(policy, use_cache=bool(extra.get("image_cache", True)) and not extra.get("no_cache"), offline=bool(extra.get("offline")))
