"""``python -m groupfinder``."""

import sys

from groupfinder.cli.main import main

sys.exit(main())
