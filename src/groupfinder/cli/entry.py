"""``groupfinder`` and ``python -m groupfinder``: :func:`groupfinder.cli.main.main` in a
process of its own, which ends with it.

Such a process can collect garbage more cheaply than Python's defaults assume:

- What the start-up loads (modules, classes, the command line's parser) lives until the end.
  It is frozen out of every later collection, and a young collection waits for 50,000 new
  objects rather than 700 (mypy raises it too, to 200,000). Reading 100,000 groups then runs
  without a single collection; the rows are read with collection off in any case
  (:func:`groupfinder.catalog.rows.without_gc`).
- When the command is done, the garbage is collected once (every unreachable cycle is
  finalized, as it would be at exit), and what is still alive is frozen: the interpreter's
  last collections at exit would walk every object again, for nothing (55 ms instead of
  0.1 s after a recommendation from 100,000 groups: ``bench/bench_load.py``). Finalizers of
  objects still alive at the end then do not run; Python does not promise that they run at
  exit anyway, and nothing here relies on them: every file is written and closed in a
  ``with`` block or by :func:`groupfinder.catalog.atomic.write_atomic`.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

#: New objects before a young collection (Python's default is 700).
YOUNG_OBJECTS = 50_000


def run() -> NoReturn:
    """Run the command line with the arguments of this process, and end it."""
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    from groupfinder.cli.main import main

    gc.freeze()
    status = main()
    gc.collect()
    gc.freeze()
    sys.exit(status)
