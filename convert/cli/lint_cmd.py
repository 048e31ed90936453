"""``fmconvert lint``: images, alt text and referrer policies."""

from __future__ import annotations

import os
import sys

import click

from convert.cli.say import say
from convert.errors import reason

LINT_EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".xhtml")

EPILOG = """\b
Examples:
  fmconvert lint source/_posts
  fmconvert lint post.md --format json
  fmconvert lint . --select ALT,SRC --ignore SRC005
  fmconvert lint posts --fix            # add referrerpolicy, fix typos
  fmconvert lint posts --diff           # show what --fix would change
  fmconvert lint posts --check-remote   # fetch remote images too
  fmconvert lint --explain REF002

\b
Exit status: 0 clean, 1 findings (a document that cannot be read
is one: DOC001), 2 usage errors (a path that does not
exist, a bad option) or a fix that cannot be written.
Suppress with <!-- fmconvert: disable=CODE --> on the line, or
<!-- fmconvert: disable-file=CODE --> anywhere in the file.
"""


def _walk(paths: tuple[str, ...], config: object) -> tuple[list[str], list[object]]:
    """The files to lint under ``paths``, and a DOC001 result for each folder that cannot be
    listed (never skipped in silence)."""
    from convert.lint import unreadable

    files: list[str] = []
    failed: list[object] = []

    def unlisted(err: OSError) -> None:
        failed.append(unreadable(err.filename, f"cannot read folder: {reason(err)}", None, config))  # type: ignore[arg-type]

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path, onerror=unlisted):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                files.extend(os.path.join(root, n) for n in sorted(names) if n.lower().endswith(LINT_EXTENSIONS))
        else:
            files.append(path)
    return files, failed


def _lint_path(path: str, config: object) -> object:
    """Lint one file: its result; DOC001 when it cannot be opened or read as a document."""
    from convert.lint import lint_bytes, unreadable

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        return unreadable(path, f"cannot read: {reason(err)}", None, config)  # type: ignore[arg-type]
    return lint_bytes(data, path, config)  # type: ignore[arg-type]


def _lint_chunk(paths: list[str], config: object) -> list[object]:
    """Lint a chunk of files in a worker process."""
    return [_lint_path(path, config) for path in paths]


def _examples(snippets: tuple[str, ...]) -> str:
    """A rule's examples, indented; whole documents (several lines) apart by a blank line."""
    import textwrap

    gap = "\n" if any("\n" in s for s in snippets) else ""
    return gap.join(textwrap.indent(s, "  ", lambda line: True) + "\n" for s in snippets)


def _list_rules() -> None:
    from convert.lint import RULES

    for code in sorted(RULES):
        r = RULES[code]
        fix = " (fixable)" if r.fixable else ""
        click.echo(f"{code}  {r.name:<28} {r.severity:<8} {r.summary}{fix}")


@click.command("lint", epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True)
@click.option("--select", help="Comma-separated code prefixes to run (default: all).")
@click.option("--ignore", help="Comma-separated code prefixes to skip.")
@click.option("--root", type=click.Path(file_okay=False), help="Folder that site-absolute image paths (/img/a.png) are relative to.")
@click.option("--host", "hosts", multiple=True, metavar="HOST", help="Another hot-link-protected image host (repeatable; *.example.com allowed).")
@click.option("--check-remote", is_flag=True, help="Fetch remote images (without and with a foreign Referer).")
@click.option("--remote-cache", type=click.FloatRange(min=0), default=24, show_default=True, metavar="HOURS", help="With --check-remote: reuse answers this recent from the disk cache (0: fetch every time).")
@click.option("--allow-private-hosts", is_flag=True, help="With --check-remote: also fetch from loopback, private and link-local addresses.")
@click.option("--fix", is_flag=True, help="Repair what is safe to repair, in place (atomically).")
@click.option("--diff", is_flag=True, help="Show what --fix would change; change nothing.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="pyproject.toml to read [tool.fmconvert.lint] from.")
@click.option("--explain", metavar="CODE", help="Explain a rule and exit.")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
def lint_command(
    paths: tuple[str, ...],
    fmt: str,
    select: str | None,
    ignore: str | None,
    root: str | None,
    hosts: tuple[str, ...],
    check_remote: bool,
    remote_cache: float,
    allow_private_hosts: bool,
    fix: bool,
    diff: bool,
    config_path: str | None,
    explain: str | None,
    list_rules: bool,
    exit_zero: bool,
) -> None:
    """Check PATHS (files or folders) for image, alt-text and referrer problems."""
    from convert.config import config_near, read_config
    from convert.errors import ConvertError, display
    from convert.lint import RULES
    from convert.lint.config import build_config
    from convert.lint.output import FORMATS

    if list_rules:
        _list_rules()
        return
    if explain:
        rule = RULES.get(explain.strip().upper())
        if rule is None:
            raise click.UsageError(f"no rule {explain!r} (see --list-rules)")
        click.echo(f"{rule.code} ({rule.name}), {rule.severity}{', fixable' if rule.fixable else ''}\n\n{rule.explanation}")
        if rule.bad:
            click.echo("\nReported:\n" + _examples(rule.bad), nl=False)
        if rule.good:
            click.echo("\nNot reported:\n" + _examples(rule.good), nl=False)
        return
    if not paths:
        raise click.UsageError("give files or folders to lint")
    try:
        project = read_config(config_path) if config_path else config_near(os.getcwd())
        config = build_config(project, select=select, ignore=(ignore.split(",") if ignore else ()), root=root, hosts=hosts, check_remote=check_remote, remote_cache=remote_cache, allow_private_hosts=allow_private_hosts or None)
    except ConvertError as err:  # named by its file when the value is written in one
        raise click.UsageError(err.message if err.path is None else str(err)) from None

    read_errors = 0  # usage errors (a path that does not exist) and fixes that cannot be written
    for path in paths:
        if not os.path.exists(path):
            say(f"{display(path)}: no such file or folder")
            read_errors += 1
    files, results = _walk(tuple(p for p in paths if os.path.exists(p)), config)
    jobs = os.cpu_count() or 1
    if jobs > 1 and len(files) >= 64:
        # Big trees: files are linted in worker processes (convert.pool: they end with this
        # process, a SIGTERM or SIGHUP stops the run), 16 to a chunk, results in order.
        from convert.pool import ordered_map, terminate_on_signals

        chunks = (files[i : i + 16] for i in range(0, len(files), 16))
        with terminate_on_signals():
            outcomes = [result for part in ordered_map(_lint_chunk, chunks, jobs, config) for result in part]
    else:
        outcomes = [_lint_path(path, config) for path in files]
    results.extend(outcomes)

    remaining = []
    changed_files = 0
    for result in results:
        if (fix or diff) and any(f.fix for f in result.findings):
            from convert.lint.fixes import FixError, fix_bytes

            try:
                new_data, new_text, fixed = fix_bytes(result)
            except FixError as err:
                say(f"{display(result.path)}: cannot fix: {err}")
                read_errors += 1
                remaining.extend(result.findings)
                continue
            if diff:
                sys.stdout.write(_unified_diff(result.raw_text, new_text, result.path))
                remaining.extend(result.findings)
                changed_files += 1
                continue
            from convert.fsutil import atomic_write

            try:
                atomic_write(result.path, new_data)
            except OSError as err:
                say(f"{display(result.path)}: cannot write the fix: {reason(err)}")
                read_errors += 1
                remaining.extend(result.findings)
                continue
            changed_files += 1
            fixed_ids = {id(f) for f in fixed}
            for f in fixed:
                click.echo(f"fixed {f.as_text()}: {f.fix.description}", err=True)  # type: ignore[union-attr]
            remaining.extend(f for f in result.findings if id(f) not in fixed_ids)
        else:
            remaining.extend(result.findings)
    remaining.sort(key=lambda f: f.sort_key())
    if not diff:
        sys.stdout.write(FORMATS[fmt](remaining))
    else:  # the patch is stdout: what could not be read is said beside the summary
        for f in remaining:
            if f.code == "DOC001":
                say(f.as_text())
    if fmt == "text" and not diff and remaining:
        counts: dict[str, int] = {}
        for f in remaining:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        summary = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(counts.items()))
        click.echo(f"Found {len(remaining)} problem{'s' if len(remaining) != 1 else ''} ({summary}) in {len({f.path for f in remaining})} of {len(results)} files.", err=True)
    if diff:
        fixable = sum(1 for f in remaining if f.fix is not None)
        say(f"{fixable} fix{'es' if fixable != 1 else ''} in {changed_files} file{'s' if changed_files != 1 else ''} would be applied by --fix")
    if read_errors:
        sys.exit(2)
    if exit_zero:
        return
    unread = any(f.code == "DOC001" for f in remaining)
    if (changed_files or unread) if diff else remaining:  # --diff fails when --fix would change something
        sys.exit(1)


def _unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff as git writes it, with its note for a last line that has no newline."""
    import difflib

    def lines(text: str) -> list[str]:
        split = text.splitlines(True)
        if split and not split[-1].endswith("\n"):
            split[-1] += "\n\\ No newline at end of file\n"
        return split

    name = path.lstrip("/")
    return "".join(difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"))
