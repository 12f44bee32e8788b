"""Frozen entry point of the console program (selfeval.exe): the command line and --self-test."""
import sys

from selfeval.cli import main

if __name__ == "__main__":
    sys.exit(main())
