"""``python -m selfeval``: the command line."""
import sys

from selfeval.cli import main

sys.exit(main())
