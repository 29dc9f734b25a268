"""``python -m groupfinder``."""

import sys

from groupfinder.cli import main

sys.exit(main())
