"""`runde host --headless` under tracemalloc: which source lines hold more memory over time.

Diagnosis only (tracemalloc slows the SFU): `python -m tests.bench.sfu --trace-memory --soak S`
starts the host through this module and its log then shows, every minute, the lines whose
allocations grew most since the first minute.
"""

from __future__ import annotations

import sys
import threading
import time
import tracemalloc

FRAMES = 8
WARMUP = 60.0
EVERY = 60.0
TOP = 12


def _snapshot() -> tracemalloc.Snapshot:
    return tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )


def _report() -> None:
    time.sleep(WARMUP)
    base = _snapshot()
    started = time.monotonic()
    while True:
        time.sleep(EVERY)
        snapshot = _snapshot()
        current, _ = tracemalloc.get_traced_memory()
        out = sys.stderr
        print(
            f"--- tracemalloc {time.monotonic() - started:.0f} s after the first minute: "
            f"{current / 2**20:.1f} MB traced",
            file=out,
        )
        for stat in snapshot.compare_to(base, "lineno")[:TOP]:
            print(f"  {stat}", file=out)
        for stat in snapshot.compare_to(base, "traceback")[:3]:
            print(f"  top growth {stat.size_diff / 1024:.0f} KiB from:", file=out)
            for line in stat.traceback.format()[-2 * FRAMES :]:
                print(f"    {line}", file=out)
        out.flush()


def main() -> int:
    tracemalloc.start(FRAMES)
    threading.Thread(target=_report, name="tracemalloc-report", daemon=True).start()
    from client.cli import main as runde

    return runde(["host", "--headless", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
