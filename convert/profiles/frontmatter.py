"""Front matter in each generator's conventions (``--profile``), as a table a user can override.

Fields are mapped so that no value fails the build and each generator finds what it reads
(observed in Hugo 0.168, Jekyll 4.3 and Hexo 8.1 builds; see tests/sites.py):

| field | hugo | jekyll | hexo |
|---|---|---|---|
| ``date`` | a timestamp with its zone (``timezone``, default ``+00:00``, for one written without) | the same | as written when Hexo reads it; ``2023年5月13日`` becomes a timestamp |
| modified | ``updated``, ``last_modified_at`` -> ``lastmod`` | ``updated``, ``lastmod`` -> ``last_modified_at`` | ``lastmod``, ``last_modified_at`` -> ``updated`` |
| unpublished | ``published: false`` -> ``draft: true`` (a boolean ``published`` fails Hugo's build) | ``draft: true`` -> ``published: false`` | the same |
| ``permalink`` | -> ``aliases`` (a list) | kept | kept |
| redirects | ``redirect_from``, ``alias`` -> ``aliases`` | ``aliases``, ``alias`` -> ``redirect_from`` | ``aliases``, ``redirect_from`` -> ``alias`` |
| ``categories``, ``tags`` | lists (a string is one term) | lists (a string is split at spaces, as Jekyll does) | as written |
| the image fields (``cover``, ``headimg``, ``thumbnail``, ... :data:`convert.model.IMAGE_FIELDS`) | also ``images`` (a list, cover first) | | |

Dates are read as posts write them (:func:`convert.dates.post_date`: RFC 2822, ``2013/7/13
20:46:25``, ``2021-8-7``, ``2023年5月13日``, ``May 13, 2023``). A date no reader of ours reads
(``yesterday``) is left out with a warning: Hugo and Jekyll fail the build on it (Hugo fails on
``2013/7/13``, ``2021-8-7`` and ``May 13, 2023`` too), Hexo silently takes the file's time. An
empty date is left out (Jekyll fails on it). A permalink or redirect naming the site root
(``/``, ``/index.html``, empty) is left out with a warning: as a Hugo alias it fails the build
(``alias "/" resolves to website root directory``), in Jekyll and Hexo the post would replace the
home page; so is a Hugo alias with a scheme (``http*`` aliases fail the build). Hexo's nested
category lists (a hierarchy) are flattened for Hugo and Jekyll; numbers in term lists become text.

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
import posixpath
import re
from collections.abc import Callable
from typing import Any

from convert.errors import ConvertError
from convert.model import IMAGE_FIELDS

RENAMES: dict[str, dict[str, str]] = {
    "hugo": {"updated": "lastmod", "last_modified_at": "lastmod", "redirect_from": "aliases", "alias": "aliases"},
    "jekyll": {"updated": "last_modified_at", "lastmod": "last_modified_at", "aliases": "redirect_from", "alias": "redirect_from"},
    "hexo": {"lastmod": "updated", "last_modified_at": "updated", "aliases": "alias", "redirect_from": "alias"},
}
#: the keys each generator reads as dates (Hugo's are case-insensitive); ``published`` is a date
#: to Hugo only when it is not a boolean
DATE_KEYS = {
    "hugo": ("date", "lastmod", "modified", "publishdate", "pubdate", "published", "expirydate", "unpublishdate"),
    "jekyll": ("date", "last_modified_at"),
    "hexo": ("date", "updated"),
}
REDIRECT_KEY = {"hugo": "aliases", "jekyll": "redirect_from", "hexo": "alias"}
#: Hugo's ``images`` collects the image fields that hold one image, in their order (cover first).
IMAGE_KEYS = tuple(key for key in IMAGE_FIELDS if key != "images")
TERM_KEYS = ("categories", "tags")
_NAMES = {"hugo": "Hugo", "jekyll": "Jekyll", "hexo": "Hexo"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

Warn = Callable[[str], None]


def parse_offset(text: str) -> dt.timezone:
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})", text.strip())
    if text.strip().upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    if not m:
        raise ConvertError(f"timezone {text!r} is not an offset like +08:00")
    sign = -1 if m.group(1) == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def as_timestamp(value: Any, zone: dt.timezone) -> Any:
    """A date string or a zone-less timestamp as a timestamp with a zone; other values, and
    strings that are no date we read, as they are."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if not isinstance(value, str):
        return value
    from convert.dates import post_date

    parsed = post_date(value)
    if parsed is None:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def map_front_matter(metadata: dict[str, Any], profile: str, config: dict[str, Any] | None = None, warn: Warn | None = None) -> dict[str, Any]:
    """``metadata`` in the conventions of ``profile`` (a new dict; key order kept). ``warn``
    hears of each value left out."""
    config = config or {}
    if profile not in RENAMES:
        return metadata
    say: Warn = warn or (lambda message: None)
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
    _published(out, profile)
    for key in [k for k in out if isinstance(k, str) and k.lower() in DATE_KEYS[profile]]:
        _date(out, key, profile, zone, say)
    _redirects(out, profile, say)
    for key in TERM_KEYS:
        if key in out:
            out[key] = _terms(out[key], profile)
    if profile == "hugo":
        images = list(dict.fromkeys(out[k] for k in IMAGE_KEYS if isinstance(out.get(k), str) and out[k].strip()))
        if images and "images" not in out:
            out["images"] = images
    return out


def _published(out: dict[str, Any], profile: str) -> None:
    """Hugo's ``draft`` and Jekyll's and Hexo's ``published``, one from the other."""
    if profile == "hugo" and isinstance(out.get("published"), bool):
        published = out.pop("published")
        if not published:
            out.setdefault("draft", True)
    elif profile in ("jekyll", "hexo") and isinstance(out.get("draft"), bool):
        draft = out.pop("draft")
        if draft:
            out.setdefault("published", False)


def _date(out: dict[str, Any], key: str, profile: str, zone: dt.timezone, say: Warn) -> None:
    value = out[key]
    if value is None or (isinstance(value, str) and not value.strip()):
        del out[key]  # empty: Jekyll fails on it, and it says nothing
        return
    if isinstance(value, bool):
        return
    if profile == "hexo":
        # Hexo reads what JavaScript's Date reads, and shifts every YAML timestamp by the
        # machine's offset: what it reads stays as written; what only we read becomes a
        # timestamp without a zone, read in the site's time zone.
        if isinstance(value, str) and re.search(r"[年月日]", value):
            from convert.dates import post_date

            parsed = post_date(value)
            if parsed is not None:
                out[key] = parsed.astimezone(zone).replace(tzinfo=None) if parsed.tzinfo else parsed
        return
    if isinstance(value, int) and not isinstance(value, bool):
        if profile == "jekyll":  # Hugo reads a number as Unix time; Jekyll fails on it
            out[key] = dt.datetime.fromtimestamp(value / 1000 if abs(value) >= 10**11 else value, dt.timezone.utc)
        return
    stamp = as_timestamp(value, zone)
    if isinstance(stamp, (dt.date, dt.datetime)):
        out[key] = stamp
        return
    del out[key]
    say(f"front matter: {key} {value!r} is no date {_NAMES[profile]} reads; left out")


def _redirects(out: dict[str, Any], profile: str, say: Warn) -> None:
    """Permalinks and redirects that name a page of their own; Hugo's aliases from the permalink."""
    permalink = out.get("permalink")
    if isinstance(permalink, str) and _root(permalink):
        del out["permalink"]
        say(f"front matter: permalink {permalink!r} names the site's root; left out")
        permalink = None
    key = REDIRECT_KEY[profile]
    if profile == "hugo" and isinstance(permalink, str) and key not in out:
        out[key] = [permalink]
    if key not in out:
        return
    value = out[key]
    paths = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if paths is None:
        return
    kept = []
    for path in paths:
        if not isinstance(path, str) or not path.strip() or _root(path):
            say(f"front matter: {key} {path!r} names the site's root; left out")
        elif profile == "hugo" and (_SCHEME.match(path.strip()) or path.strip().startswith("//")):
            say(f"front matter: {key} {path!r} is not a path of this site (Hugo fails on it); left out")
        else:
            kept.append(path)
    if kept:
        out[key] = kept
    else:
        del out[key]


def _root(path: str) -> bool:
    """Whether a permalink or redirect names the site's root (``/``, ``/index.html``, ``/.``, empty)."""
    clean = posixpath.normpath("/" + re.split(r"[?#]", path.strip(), maxsplit=1)[0].strip().lstrip("/"))
    return clean in ("/", "/index.html", "/index.htm")


def _terms(value: Any, profile: str) -> Any:
    if profile == "hexo":
        return value
    if isinstance(value, str):
        return value.split() if profile == "jekyll" else [value]
    if not isinstance(value, list):
        return value
    flat: list[Any] = []
    for item in value:
        for term in item if isinstance(item, list) else [item]:  # Hexo's hierarchy, flattened
            if term is None or isinstance(term, (dict, list)):
                continue
            text = term if isinstance(term, str) else str(term).lower() if isinstance(term, bool) else str(term)
            if text not in flat:
                flat.append(text)
    return flat
