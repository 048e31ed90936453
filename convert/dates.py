"""Dates as posts write them in text: the one place that reads an e-mail style date
(``Sat, 13 May 2023 00:00:00 GMT``, what Hexo and RSS-to-blog pipelines write)."""

from __future__ import annotations

import datetime as dt
import re


def mail_date(text: str) -> dt.datetime | None:
    """``text`` read as an RFC 2822 date (aware when it names a zone), or None when it is not
    one or names a date no calendar holds (year 99999999999, hour 99)."""
    # email.utils.parsedate_to_datetime, from the module that holds its parser: email.utils
    # itself loads sockets, random and more (2 MiB) for nothing a date needs.
    from email._parseaddr import _parsedate_tz

    try:
        parsed = _parsedate_tz(text.strip())
        if parsed is None:
            return None
        *fields, offset = parsed
        zone = None if offset is None else dt.timezone(dt.timedelta(seconds=offset))
        return dt.datetime(*fields[:6], tzinfo=zone)  # type: ignore[misc]
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


_NUMERIC = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?)?\s*分?)?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_CLOCK = r"(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY_MONTH = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})" + _CLOCK, re.IGNORECASE)
_MONTH_DAY = re.compile(_WEEKDAY + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _CLOCK, re.IGNORECASE)


def post_date(text: str) -> dt.datetime | None:
    """A date as posts and feeds write it, read as a timestamp (aware when the text names a zone
    or an offset), or None when it is none of these or no calendar holds it: RFC 2822
    (``Sat, 13 May 2023 00:00:00 GMT``), numeric with ``-``, ``/`` or ``.`` and an optional time,
    fraction and offset (``2013/7/13 20:46:25``, ``2021-8-7``, ``2018-11-02 09:30:00 -0700``,
    ``2023-05-13T10:00:00.123+08:00``), Chinese and Japanese (``2023年5月13日 10:30``), English
    month names (``13 May 2023``, ``May 13, 2023 at 9:05 pm``)."""
    text = text.strip()
    try:
        m = _NUMERIC.fullmatch(text)
        if m:
            *fields, fraction, zone = m.groups()
            stamp = dt.datetime(*(int(g) if g else 0 for g in fields), int(((fraction or "") + "000000")[:6]))  # type: ignore[misc]
            return stamp.replace(tzinfo=_zone(zone)) if zone else stamp
        m = _CJK.fullmatch(text)
        if m:
            return dt.datetime(*(int(g) if g else 0 for g in m.groups()))  # type: ignore[misc]
        for pattern, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
            m = pattern.fullmatch(text)
            if m:
                day, month = (m.group(1), m.group(2)) if day_first else (m.group(2), m.group(1))
                hour, minute, second, half = m.group(4), m.group(5), m.group(6), m.group(7)
                h = int(hour or 0)
                if half:
                    if not 1 <= h <= 12:
                        return None
                    h = h % 12 + (12 if half.lower().startswith("p") else 0)
                return dt.datetime(int(m.group(3)), _MONTHS[month.lower()[:3]], int(day), h, int(minute or 0), int(second or 0))
    except (ValueError, OverflowError):
        return None
    return mail_date(text)


def _zone(text: str) -> dt.timezone:
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
