"""The ``fmconvert`` command line.

Commands live in their own modules and are imported only when invoked, so ``fmconvert convert``
does not pay for the linter or the batch driver. Every user error ends as one line on stderr
(``fmconvert: path:line: message``) and an exit code: 0 success, 1 a document could not be
converted (or lint found problems), 2 a usage error, 130 interrupted. ``--debug`` shows
tracebacks.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from convert._version import __version__

# command name -> (module, attribute, one-line help)
COMMANDS = {
    "convert": ("convert.cli.convert_cmd", "convert_command", "Convert one document between formats."),
    "formats": ("convert.cli.formats_cmd", "formats_command", "List the installed formats."),
    "lint": ("convert.cli.lint_cmd", "lint_command", "Check images, alt text and referrer policies."),
    "batch": ("convert.cli.batch_cmd", "batch_command", "Convert a whole directory tree."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _, _) in COMMANDS.items() if _module_exists(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None or not _module_exists(spec[0]):
            return None
        import importlib

        return getattr(importlib.import_module(spec[0]), spec[1])  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module: str) -> bool:
    base = os.path.dirname(__file__)
    return os.path.exists(os.path.join(base, module.rsplit(".", 1)[1] + ".py"))


EPILOG = """\b
Examples:
  fmconvert convert post.html -t md -o post.md
  cat post.html | fmconvert convert -t json | jq .metadata.title
  fmconvert convert post.json -t html          # back again, losslessly
  fmconvert formats
"""


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="fmconvert")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
def cli(debug: bool) -> None:
    """fmconvert: convert front-matter HTML posts to Markdown, EPUB-ready XHTML and JSON, and lint
    their images."""


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("FMCONVERT_DEBUG") == "1"


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``fmconvert`` script. Never lets a traceback reach the user."""
    from convert.cli.say import say
    from convert.errors import ConvertError, FormatError, Terminated, internal_error

    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    stopped = False
    try:
        code = cli.main(args=args, prog_name="fmconvert", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.Abort:
        say("interrupted")
        code, stopped = 130, True
    except KeyboardInterrupt:
        say("interrupted")
        code, stopped = 130, True
    except Terminated as exc:
        code, stopped = 128 + exc.signum, True
    except FormatError as exc:
        if debug:
            raise
        say(_message(exc))
        code = 2
    except ConvertError as exc:
        if debug:
            raise
        say(exc)
        code = 1
    except BrokenPipeError:
        # The reader of our output went away (`| head`): not an error of ours.
        _silence_stdout()
        code = 0
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if debug:
            raise
        say(f"{internal_error(exc)} (run with --debug for a traceback)")
        code = 3
    if stopped:
        _exit_now(code)
    return sys.exit(code if isinstance(code, int) else 0)


def _exit_now(code: int) -> None:
    """End a run stopped by a signal or Ctrl-C at once, its clean-up done (workers ended, what
    finished recorded, temporaries removed): not through the interpreter's exit, which joins the
    process pool's manager thread, and that thread can wait forever on a result a worker was
    writing when it was ended (CPython's ProcessPoolExecutor; seen as a hang after SIGTERM)."""
    from convert.fsutil import remove_pending

    remove_pending()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _message(exc: Exception) -> str:
    from convert.errors import ConvertError

    if isinstance(exc, ConvertError) and exc.path is None:
        return exc.message
    return str(exc)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
