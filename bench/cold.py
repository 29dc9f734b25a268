"""One cold run of a command, timed from outside: the benchmarks' shared measure.

Each run is its own Python process that starts the command and reports its wall-clock
time, its CPU time and the peak resident memory of that command's process only.
"""

from __future__ import annotations

import subprocess
import sys

# Run one command and report its time and the peak RSS of that process (in KiB) only.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - started
if done.returncode:
    sys.exit(done.stderr.decode(errors="replace")[-2000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""

Figures = tuple[float, float, float]


def run_cold(command: list[str], env: dict[str, str] | None = None) -> Figures:
    """Wall-clock time (s), CPU time (s) and peak RSS (MiB) of one cold run of ``command``."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    elapsed, cpu, peak = done.stdout.split()
    return float(elapsed), float(cpu), int(peak) / 1024
