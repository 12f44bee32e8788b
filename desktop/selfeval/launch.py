"""The ``selfeval`` program's entry point.

``selfeval gui`` goes straight to the window (:func:`selfeval.ui.app.main`) without the command
line's own imports (the store, the forms and the engine for every command: about 60 ms before the
window could appear); every other command goes to :func:`selfeval.cli.main`.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["gui"]:
        from .ui.app import main as gui

        return gui(args[1:])
    from .cli import main as command_line

    return command_line(args)
