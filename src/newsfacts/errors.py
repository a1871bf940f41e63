"""The one base class of every error newsfacts raises on purpose.

The command line prints a `NewsfactsError` as one line (what, where, why) and exits 1; any
other exception is a bug and keeps its traceback. Subclasses keep their historical second
base (`ValueError`, `RuntimeError`, `KeyError`) so existing `except` clauses still work.
"""

from __future__ import annotations


class NewsfactsError(Exception):
    """An error the user can act on; `str(exc)` is the whole message, on one line."""

    exit_code = 1

    def one_line(self) -> str:
        """The message as one line (continuation lines joined with '; ')."""
        text = str(self.args[0]) if self.args else type(self).__name__
        parts = [p.strip() for p in text.splitlines() if p.strip()]
        return "; ".join(parts) or type(self).__name__


class ProjectNotFound(NewsfactsError):
    """No newsfacts project (a folder with `release.toml`) was found where one is needed."""


class ToolMissing(NewsfactsError):
    """An external program the command needs is not installed or not on PATH."""
