#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""`make bench`: how long pstsync takes, beside libpff's and libpst's own tools.

For the largest sample store and for its fullest folder, times `pstsync ls`,
`pstsync ls --json`, pffinfo, pffexport and readpst on the same file, each
the best of several runs, and reading the file's bytes as the floor. Prints
a table and writes it as CSV to build/bench/read.csv.
"""
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import json

BUILD = os.environ.get("BUILD", "build")
SAMPLES = os.environ.get("SAMPLES", "../shared/pst-samples")
RUNS = int(os.environ.get("RUNS", "10"))


def best_of(cmd, runs=RUNS, cwd=None):
    best = None
    peak = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, check=False)
        dt = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = max(peak, after.ru_maxrss)
        best = dt if best is None else min(best, dt)
    return best, peak


def main():
    if not os.path.isdir(SAMPLES):
        print(f"bench: the sample folder '{SAMPLES}' is absent")
        return 1
    pstsync = os.path.join(BUILD, "pstsync")
    stores = [os.path.join(SAMPLES, n) for n in os.listdir(SAMPLES) if n.endswith(".pst")]
    largest = max(stores, key=os.path.getsize)
    listing = json.loads(subprocess.run([pstsync, "ls", "--json", largest], capture_output=True).stdout)
    fullest = max(listing["folders"], key=lambda f: f["items"])
    folder_arg = f"{largest}:{fullest['path']}"
    rows = []
    work = tempfile.mkdtemp(prefix="pstsync-bench-")
    try:
        cases = [
            ("cat (read the bytes)", ["cat", largest]),
            ("pstsync ls STORE", [pstsync, "ls", largest]),
            ("pstsync ls --json STORE", [pstsync, "ls", "--json", largest]),
            (f"pstsync ls STORE:{fullest['path']} ({fullest['items']} items)", [pstsync, "ls", folder_arg]),
            ("pffinfo STORE", ["pffinfo", largest]),
            ("pffexport STORE (full read)", ["sh", "-c", f"rm -rf {work}/x.export; pffexport -q -t {work}/x '{largest}'"]),
            ("readpst STORE (full read)", ["sh", "-c", f"rm -rf {work}/rp; mkdir {work}/rp; readpst -q -o {work}/rp '{largest}'"]),
        ]
        for name, cmd in cases:
            if shutil.which(cmd[0]) is None and not os.path.exists(cmd[0]):
                continue
            secs, rss = best_of(cmd)
            rows.append((name, secs * 1000.0))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = os.path.getsize(largest)
    print(f"store: {os.path.basename(largest)} ({size} bytes, {sum(f['items'] for f in listing['folders'])} items"
          f" in {len(listing['folders'])} folders); best of {RUNS} runs")
    print(f"{'command':<55} {'ms':>9}")
    for name, ms in rows:
        print(f"{name:<55} {ms:9.2f}")
    os.makedirs(os.path.join(BUILD, "bench"), exist_ok=True)
    with open(os.path.join(BUILD, "bench", "read.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["command", "milliseconds"])
        for name, ms in rows:
            w.writerow([name, f"{ms:.3f}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
