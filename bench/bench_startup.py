"""Start-up to the first screen: groupfinder against a bare Textual app, in the same run.

    python bench/bench_startup.py [--runs 9]

Each run is a fresh Python process in a pseudo-terminal of 80x24, started the way a person
starts it: ``groupfinder`` is the console script's own entry (cli.entry.run: the command
line, its settings, then the app), the bare app a ``Static`` and a ``Footer``. A run ends
the moment the first frame of its first screen is drawn. For groupfinder that is the
welcome screen; the catalog loads right after it, so a third figure times the frame that
shows the crisis numbers. Runs alternate so that machine noise hits all alike. Prints the
medians and the ratios to the bare app (issue 15: at most 1.3x; neither numpy nor pydantic
is loaded before that frame: tests/test_layers.py).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time

# The moment the first screen's first frame is drawn is what a person waits for: the app
# tells it (the monotonic clock is the machine's, the same in both processes) and ends.
# Textual calls App._display with every frame. Timing the frame, not the end of the process,
# leaves out how long the terminal takes to close, which moves by some 50 ms from run to run.
FIRST_FRAME = """
import os, time
from textual.app import App

_display = App._display

def first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and type(screen).__name__ == FIRST_SCREEN and READY(self):
        os.write(int(os.environ["BENCH_FRAME_FD"]), repr(time.monotonic()).encode())
        os._exit(0)

App._display = first_frame
"""

BARE = (
    FIRST_FRAME
    + """
from textual.app import App
from textual.widgets import Footer, Static

FIRST_SCREEN = "Screen"
READY = lambda app: True

class Bare(App):
    def compose(self):
        yield Static("Find a group that helps you heal")
        yield Footer()

Bare().run()
"""
)

GROUPFINDER = (
    FIRST_FRAME
    + """
import sys
from groupfinder.cli.entry import run

FIRST_SCREEN = "WelcomeScreen"
READY = lambda app: True
sys.argv = ["groupfinder"]
run()
"""
)

# The same, until the frame that shows the crisis numbers (the catalog loads after the
# first frame; until then the crisis line says "press F1").
GROUPFINDER_READY = GROUPFINDER.replace(
    "READY = lambda app: True", "READY = lambda app: app._catalog is not None"
)


def seconds(code: str, columns: int = 80, lines: int = 24) -> float:
    """How long ``python -c code`` in a pseudo-terminal of that size takes to its first
    frame (the time it writes to ``$BENCH_FRAME_FD``), else to its end. Raises RuntimeError,
    with the end of what the app wrote, when it fails or takes over a minute."""
    # Installed packages have their bytecode; this environment may disable writing it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    frame_reader, frame_writer = os.pipe()
    env["BENCH_FRAME_FD"] = str(frame_writer)
    controller, terminal = pty.openpty()
    output = bytearray()
    try:
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        # What the app draws is read (or it would wait on a full terminal buffer); its end is
        # kept for the message when it fails.
        drain = threading.Thread(target=_drain, args=(controller, output), daemon=True)
        drain.start()
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=env,
            start_new_session=True,
            pass_fds=(frame_writer,),
        )
        try:
            status = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            status = None
        elapsed = time.monotonic() - start
        os.close(frame_writer)
        frame_writer = -1
        if frame := os.read(frame_reader, 64):
            elapsed = float(frame) - start
        os.close(terminal)
        terminal = -1
        drain.join(timeout=5)
    finally:
        for fd in (terminal, frame_writer):
            if fd >= 0:
                os.close(fd)
        os.close(controller)
        os.close(frame_reader)
    if status != 0:
        said = output[-4000:].decode("utf-8", "replace")
        ended = "took over a minute" if status is None else f"ended with status {status}"
        raise RuntimeError(f"the app {ended} before its first frame; it wrote:\n{said}")
    return elapsed


def _drain(controller: int, output: bytearray) -> None:
    with contextlib.suppress(OSError):  # EIO once the app has ended
        while chunk := os.read(controller, 1 << 16):
            output.extend(chunk)
            del output[:-8000]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    seconds(BARE), seconds(GROUPFINDER), seconds(GROUPFINDER_READY)  # warm caches, bytecode
    bare, ours, ready = [], [], []
    for _ in range(args.runs):
        bare.append(seconds(BARE))
        ours.append(seconds(GROUPFINDER))
        ready.append(seconds(GROUPFINDER_READY))
    b = statistics.median(bare) * 1000
    o = statistics.median(ours) * 1000
    r = statistics.median(ready) * 1000
    # The bare app's time moves most with machine noise: the ratio within each round (runs
    # next to each other) is given too.
    rounds = statistics.median(g / n for g, n in zip(ours, bare, strict=True))
    print(f"bare Textual app, first frame:             {b:5.0f} ms (median of {args.runs})")
    print(f"groupfinder, first frame of welcome:       {o:5.0f} ms  {o / b:.2f}x (target 1.3x)")
    print(f"                          median ratio of the rounds:  {rounds:.2f}x")
    print(f"groupfinder, frame with crisis numbers:    {r:5.0f} ms  {r / b:.2f}x")


if __name__ == "__main__":
    main()
