"""The fetch layer: every network read of fmconvert (image localization, EPUB packaging,
``lint --check-remote``) goes through :class:`Fetcher`, so address checks, deadlines, size caps,
redirect rules and per-host headers hold for all of them alike."""

from __future__ import annotations

from convert.fetch.client import Fetcher, FetchPolicy, HostRule, Response, fetcher
from convert.fetch.guard import BlockedAddress, is_public
from convert.fetch.images import run_concurrently
from convert.fetch.media import EXTENSIONS, sniff_media_type
from convert.fetch.probe import Probe, probe

__all__ = ["EXTENSIONS", "BlockedAddress", "FetchPolicy", "Fetcher", "HostRule", "Probe", "Response", "fetcher", "is_public", "probe", "run_concurrently", "sniff_media_type"]
