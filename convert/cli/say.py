"""One way to speak to the user on standard error: ``fmconvert: [warning: ]message``, one line,
control characters escaped (messages quote posts and file names, which are untrusted)."""

from __future__ import annotations

import click

from convert.errors import printable


def say(message: object, *, warning: bool = False) -> None:
    """Print ``message`` as one ``fmconvert:`` line on standard error."""
    text = printable(" ".join(str(message).splitlines()))
    click.echo(f"fmconvert: {'warning: ' if warning else ''}{text}", err=True)
