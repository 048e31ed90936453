"""``fmconvert formats``: what is installed."""

from __future__ import annotations

import click


@click.command("formats")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def formats_command(as_json: bool) -> None:
    """List the installed formats: name, aliases, extensions, whether each reads and writes,
    and which package provides it."""
    from convert.registry import get_registry

    rows = get_registry().describe()
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    width = max([len("format")] + [len(r["name"]) for r in rows])
    click.echo(f"{'format':<{width}}  read  write  extensions        provider    description")
    for r in rows:
        exts = " ".join(r["extensions"]) or "-"
        click.echo(
            f"{r['name']:<{width}}  {'yes' if r['read'] else 'no':<4}  {'yes' if r['write'] else 'no':<5}  "
            f"{exts:<16}  {r['provider']:<10}  {r['description']}"
        )
        if r["aliases"]:
            click.echo(f"{'':<{width}}  aliases: {', '.join(r['aliases'])}")
