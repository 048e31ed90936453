"""Front matter in each generator's conventions (``--profile``), as a table a user can override.

| profile | key (as Hexo and RSS pipelines write it) | becomes |
|---|---|---|
| hugo | ``date`` as a string (RFC 2822 ``Wed, 24 Aug 2022 00:00:00 GMT``, Hexo's ``2013/7/13 20:46:25``, zone-less ``2021-08-07 02:22:05``) | ``date``, a timestamp with its zone made explicit (``timezone``, default ``+00:00``) |
| hugo | ``updated`` | ``lastmod`` (same conversion) |
| hugo | the image fields (``cover``, ``headimg``, ``thumbnail``, ... :data:`convert.model.IMAGE_FIELDS`) | ``images`` (a list, cover first; the original keys stay) |
| hugo | ``permalink`` | ``aliases`` (a list) |
| jekyll | ``date`` as a string or a zone-less timestamp | ``date``, a timestamp with its offset |
| jekyll | ``categories``, ``tags`` as one string | lists (Jekyll splits on spaces) |
| hexo | | as written |

Keys a profile does not name are kept untouched. Override or extend the renames in the
configuration::

    [tool.fmconvert]
    profile = "hugo"
    timezone = "+08:00"

    [tool.fmconvert.front-matter.hugo]   # key as written -> key in the output ("" drops it)
    updated = "lastmod"
    subtitle = "description"
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from convert.errors import ConvertError
from convert.model import IMAGE_FIELDS

RENAMES: dict[str, dict[str, str]] = {
    "hugo": {"updated": "lastmod"},
    "jekyll": {},
    "hexo": {},
}
DATE_KEYS = {"hugo": ("date", "lastmod"), "jekyll": ("date",)}
#: Hugo's ``images`` collects the image fields that hold one image, in their order (cover first).
IMAGE_KEYS = tuple(key for key in IMAGE_FIELDS if key != "images")


def parse_offset(text: str) -> dt.timezone:
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})", text.strip())
    if text.strip().upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    if not m:
        raise ConvertError(f"timezone {text!r} is not an offset like +08:00")
    sign = -1 if m.group(1) == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def as_timestamp(value: Any, zone: dt.timezone) -> Any:
    """A date string or a zone-less timestamp as a timestamp with a zone; other values as they are."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if not isinstance(value, str):
        return value
    text = value.strip()
    from convert.dates import mail_date

    parsed = mail_date(text)
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}:?\d{2}|Z)?", text)
    if not m:
        return value
    try:
        stamp = dt.datetime(*(int(g) if g else 0 for g in m.groups()[:6]))  # type: ignore[misc]
    except ValueError:
        return value
    return stamp.replace(tzinfo=parse_offset(m.group(7)) if m.group(7) else zone)


def map_front_matter(metadata: dict[str, Any], profile: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """``metadata`` in the conventions of ``profile`` (a new dict; key order kept)."""
    config = config or {}
    if profile not in RENAMES or profile == "hexo":
        return metadata
    zone = parse_offset(str(config.get("timezone", "+00:00")))
    renames = dict(RENAMES[profile])
    overrides = (config.get("front-matter") or {}).get(profile) or {}
    if not isinstance(overrides, dict) or not all(isinstance(v, str) for v in overrides.values()):
        raise ConvertError(f"[tool.fmconvert.front-matter.{profile}] must map keys to key names")
    renames.update(overrides)
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        new = renames.get(key, key) if isinstance(key, str) else key
        if new == "":
            continue
        if new in out and new != key:
            continue  # the target key was written already: keep it
        out[new] = value
    for key in DATE_KEYS.get(profile, ()):
        if key in out:
            out[key] = as_timestamp(out[key], zone)
    if profile == "hugo":
        images = [out[k] for k in IMAGE_KEYS if isinstance(out.get(k), str) and out[k].strip()]
        if images and "images" not in out:
            out["images"] = images
        if isinstance(out.get("permalink"), str) and "aliases" not in out:
            out["aliases"] = [out["permalink"]]
    if profile == "jekyll":
        for key in ("categories", "tags"):
            if isinstance(out.get(key), str):
                out[key] = out[key].split()
    return out
