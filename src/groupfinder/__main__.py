"""``python -m groupfinder``."""

from groupfinder.cli.entry import run

run()
