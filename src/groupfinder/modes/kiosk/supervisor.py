"""The supervisor that runs the kiosk app and restarts it after a crash."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Final, TextIO

# --------------------------------------------------------------------------- the supervisor

#: The kiosk app's exit status after the PIN was given: the supervisor stops too.
EXIT_AUTHORISED: Final = 0
#: Bad input (e.g. an invalid kiosk.toml): restarting cannot help, the supervisor stops.
EXIT_BAD_INPUT: Final = 2


def describe_exit(code: int) -> str:
    """``exit status 1`` or ``signal SIGSEGV`` (subprocess reports a signal as -number)."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def run_child(command: Sequence[str]) -> int:
    """Run the kiosk app in the foreground and wait; it gets the default signal handlers back.

    When the supervisor is stopped (SIGTERM, Ctrl+C), the app is stopped too.
    """

    def defaults() -> None:  # runs in the child, between fork and exec
        for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
            signal.signal(number, signal.SIG_DFL)

    process = subprocess.Popen(list(command), preexec_fn=defaults)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def supervise(
    command: Sequence[str],
    *,
    run: Callable[[Sequence[str]], int] = run_child,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    log: TextIO | None = None,
    backoff: float = 1.0,
    max_restarts_per_minute: int = 5,
    on_fault: Callable[[], None] | None = None,
) -> int:
    """Run ``command`` again and again until it exits with 0 (quit after the PIN).

    After any other exit it logs one line (time, exit status or signal, restart count: never
    anything the person answered, the app's output is not read) and starts it again after
    ``backoff`` seconds. At most ``max_restarts_per_minute`` restarts happen in any minute;
    beyond that it waits for the minute to pass. Exit status 2 (bad input, e.g. an invalid
    kiosk.toml) stops the supervisor with status 2, as restarting cannot fix it.
    Returns the status to exit with.
    """
    stream = log or sys.stderr
    recent: list[float] = []
    restarts = 0
    while True:
        code = run(command)
        if code == EXIT_AUTHORISED:
            return EXIT_AUTHORISED
        if on_fault is not None:
            on_fault()
        stamp = now().isoformat(timespec="seconds")
        if code == EXIT_BAD_INPUT:
            print(
                f"{stamp} groupfinder kiosk: {describe_exit(code)} (bad input); not restarting",
                file=stream,
                flush=True,
            )
            return EXIT_BAD_INPUT
        restarts += 1
        print(
            f"{stamp} groupfinder kiosk: {describe_exit(code)}; restart {restarts}",
            file=stream,
            flush=True,
        )
        wait = backoff
        started = clock()
        recent = [t for t in recent if started - t < 60.0]
        if len(recent) >= max_restarts_per_minute:
            wait = max(wait, 60.0 - (started - recent[0]))
        sleep(wait)
        recent.append(clock())
