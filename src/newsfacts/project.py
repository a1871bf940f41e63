"""Which newsfacts project a command acts on: found from the working directory, never from
where the code is installed.

A project is a folder holding `release.toml` (the checkout's root). It is, in order:
`set_project(DIR)` (the CLI's `--project DIR`), `$NEWSFACTS_PROJECT`, or the first folder
holding `release.toml` from the working directory upwards. With none, commands that need a
project (`release`, `publish`, default paths such as `dataset/data/`) refuse in one line, and
commands given explicit paths (`build --source X --out Y`) work without one.

Only the standard library is imported: `import newsfacts` stays pandas + pyarrow.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

from newsfacts.errors import NewsfactsError, ProjectNotFound

MARKER = "release.toml"
ENV = "NEWSFACTS_PROJECT"
_CODE_SUFFIXES = (".py", ".json", ".jsonl")
_NOT_CODE = {"data", "schema", "__pycache__"}  # package data a release adds, bytecode


def set_project(directory: Path | str | None) -> None:
    """Act on `directory` (must hold `release.toml`); None forgets it. Exported through the
    environment, so worker processes act on the same project."""
    if directory is None:
        os.environ.pop(ENV, None)
        return
    root = Path(directory).expanduser().resolve()
    if not (root / MARKER).is_file():
        raise ProjectNotFound(f"{root}: not a newsfacts project (no {MARKER} there)")
    os.environ[ENV] = str(root)


def find_project(start: Path | str | None = None) -> Path | None:
    """The nearest folder holding `release.toml`, from `start` (default: the working
    directory) upwards; None when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def project_root(*, required: bool = False, why: str = "") -> Path | None:
    """The project commands act on (see the module docstring); None, or `ProjectNotFound`
    when `required`, if there is none."""
    env = os.environ.get(ENV)
    if env:
        root = Path(env).resolve()
        if not (root / MARKER).is_file():
            raise ProjectNotFound(f"${ENV}={env}: not a newsfacts project (no {MARKER} there)")
        return root
    found = find_project()
    if found is None and required:
        raise ProjectNotFound(
            f"no newsfacts project in {Path.cwd()} or above (no {MARKER} found)"
            + (f"; {why}" if why else "")
            + "; run inside a checkout or pass --project DIR")
    return found


def require_project(why: str = "") -> Path:
    """`project_root(required=True)`, typed as a Path."""
    root = project_root(required=True, why=why)
    if root is None:  # project_root raised already; this keeps type checkers informed
        raise ProjectNotFound(f"no newsfacts project found; {why}")
    return root


def project_path(*parts: str) -> Path | None:
    """`<project>/<parts>` or None without a project."""
    root = project_root()
    return root.joinpath(*parts) if root else None


def _code_files(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of the package's code and vocabulary under `folder`."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.parts[0] in _NOT_CODE or "__pycache__" in rel.parts:
            continue
        if path.suffix in _CODE_SUFFIXES:
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def running_code() -> Path:
    """The folder of the `newsfacts` package this process imported."""
    return Path(str(resources.files("newsfacts")))


def code_mismatch(root: Path) -> str | None:
    """Why the running `newsfacts` code is not `<root>/src/newsfacts` (None when it is, byte
    for byte): a release must be built by the code it releases."""
    theirs = root / "src" / "newsfacts"
    if not theirs.is_dir():
        return f"{root} has no src/newsfacts/"
    mine = running_code()
    if mine.resolve() == theirs.resolve():
        return None
    a, b = _code_files(mine), _code_files(theirs)
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if not differ:
        return None
    shown = ", ".join(differ[:3]) + (f" and {len(differ) - 3} more" if len(differ) > 3 else "")
    return (f"the newsfacts code running from {mine} is not {theirs} ({shown} differ); "
            f"install this project's code first (uv sync, or pip install -e {root})")


class CodeMismatch(NewsfactsError):
    """The running code is not the code of the project it would release."""
