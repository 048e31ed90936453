"""Import rules no linter checks (the layers, loops and one-home rules are import-linter's:
``lint-imports`` with the contracts in pyproject.toml).

* A module does not import another module's private names (``from convert.x import _y``): what
  two modules share is public in the module that owns it.
* An import inside a function is for start-up time only, and says so: every
  ``# noqa: PLC0415`` carries ``start-up:`` and a reason (ruff's PLC0415 flags the others).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "convert"

#: Private imports still allowed, as (importer, module, name): none are left (issue #22 made the
#: shared names public). An entry that no longer occurs fails the test.
ALLOWED: set[tuple[str, str, str]] = set()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def private_imports(source: str, module: str, is_package: bool, is_module: Callable[[str], bool]) -> set[tuple[str, str, str]]:
    """(module, source module, name) for each private name `module` imports from another module of
    `convert`. A name that is a submodule (``from convert import _version``) is a module, not a name."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if not (target == "convert" or target.startswith("convert.")) or target == module:
            continue
        for alias in node.names:
            name = alias.name
            if name.startswith("_") and not name.startswith("__") and not is_module(f"{target}.{name}"):
                found.add((module, target, name))
    return found


def _is_module_in(root: Path) -> Callable[[str], bool]:
    def is_module(dotted: str) -> bool:
        path = root.joinpath(*dotted.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    return is_module


def test_the_private_name_rule_reads_imports_as_python_does(tmp_path: Path) -> None:
    (tmp_path / "convert" / "pkg").mkdir(parents=True)
    (tmp_path / "convert" / "_version.py").write_text("")
    (tmp_path / "convert" / "pkg" / "_sub.py").write_text("")
    is_module = _is_module_in(tmp_path)
    source = (
        "from convert.pkg.a import _hidden, public, __all__\n"
        "from . import _sub\n"
        "from .a import _helper as helper\n"
        "def f():\n"
        "    from convert.other import _late\n"
        "from os import _exit\n"
    )
    assert private_imports(source, "convert.pkg.b", False, is_module) == {
        ("convert.pkg.b", "convert.pkg.a", "_hidden"),
        ("convert.pkg.b", "convert.pkg.a", "_helper"),
        ("convert.pkg.b", "convert.other", "_late"),
    }
    # a package's own __init__ names its own package with one dot; its own private names are its own
    assert private_imports("from . import _x\nfrom .sub import _y\n", "convert.pkg", True, is_module) == {
        ("convert.pkg", "convert.pkg.sub", "_y"),
    }
    # "from .." in convert/pkg/b.py is convert; convert._version is a module, not a name
    assert private_imports("from .. import _version, _cache\n", "convert.pkg.b", False, is_module) == {
        ("convert.pkg.b", "convert", "_cache"),
    }


def test_no_module_imports_another_modules_private_names() -> None:
    is_module = _is_module_in(ROOT)
    found: set[tuple[str, str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path, ROOT)
        found |= private_imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py", is_module)
    new = sorted(found - ALLOWED)
    assert not new, "make these names public in the module that owns them:\n" + "\n".join(map(str, new))
    gone = sorted(ALLOWED - found)
    assert not gone, "no longer imported, delete from ALLOWED:\n" + "\n".join(map(str, gone))


_NOQA = re.compile(r"#\s*noqa:[^#\n]*\bPLC0415\b(?P<rest>[^\n]*)")
_REASON = re.compile(r"^[\s,A-Z0-9]*start-up:\s*\S")


def lazy_imports_without_reason(source: str) -> list[int]:
    """Line numbers of the ``# noqa: PLC0415`` comments that do not say ``start-up: <why>``."""
    return [
        number
        for number, line in enumerate(source.splitlines(), 1)
        for match in _NOQA.finditer(line)
        if not _REASON.match(match.group("rest"))
    ]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("    import lxml.html  # noqa: PLC0415 start-up: the tree only when a body is parsed", False),
        ("    from convert.x import y  # noqa: PLC0415, E402 start-up: --verify only", False),
        ("    from convert.x import y  # noqa: PLC0415", True),
        ("    from convert.x import y  # noqa: PLC0415 loop with convert.z", True),
        ("    from convert.x import y  # noqa: PLC0415 start-up:", True),
        ("    from convert.x import y  # noqa: E402", False),
    ],
)
def test_the_lazy_import_rule_wants_a_reason(line: str, flagged: bool) -> None:
    assert lazy_imports_without_reason(f"def f():\n{line}\n") == ([2] if flagged else [])


def test_a_lazy_import_says_why() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number in lazy_imports_without_reason(path.read_text(encoding="utf-8"))
    ]
    assert not missing, "an in-function import is for start-up time only; say why after 'start-up:':\n" + "\n".join(missing)
