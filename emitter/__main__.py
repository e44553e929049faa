"""``python -m emitter`` → :func:`emitter.cli.main`."""

import sys

from emitter.cli import main

if __name__ == "__main__":
    sys.exit(main())
