"""The `newsfacts` command (needs `newsfacts[build]`): a thin typer layer in `app`."""

from newsfacts.cli.app import app, main

__all__ = ["app", "main"]
