"""Dates as posts write them in text: the one place that reads an e-mail style date
(``Sat, 13 May 2023 00:00:00 GMT``, what Hexo and RSS-to-blog pipelines write)."""

from __future__ import annotations

import datetime as dt


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
