"""Dates as posts write them in text: the one place that reads an e-mail style date
(``Sat, 13 May 2023 00:00:00 GMT``, what Hexo and RSS-to-blog pipelines write)."""

from __future__ import annotations

import datetime as dt


def mail_date(text: str) -> dt.datetime | None:
    """``text`` read as an RFC 2822 date (aware when it names a zone), or None when it is not
    one or names a date no calendar holds (year 99999999999, hour 99)."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
