"""``python -m optimize`` = ``pnc-optimize``."""

import sys

from optimize.cli import main

if __name__ == "__main__":
    sys.exit(main())
