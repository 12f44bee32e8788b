"""``python -m selfeval``: the command line (``python -m selfeval gui``: the window)."""
import sys

from selfeval.launch import main

sys.exit(main())
