"""Frozen entry point of the windowed program (selfeval-gui.exe)."""
import sys

from selfeval.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
