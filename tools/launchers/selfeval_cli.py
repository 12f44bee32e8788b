"""Frozen entry point of the console program (selfeval.exe): the command line and --self-test;
on Linux also the desktop program, which the selfeval-gui launcher script starts as ``selfeval gui``."""
import sys

from selfeval.launch import main

if __name__ == "__main__":
    sys.exit(main())
