#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""`make bench`: how fast and how big pstsync is, in figures (issue 6).

First table, syncs of generated stores: for each size of BENCH_SIZES (items,
default 1000,10000; BENCH_SIZES=1000,10000,100000 adds the 100k run, which
takes far longer), in build/bench/N/: `pstsync generate` writes a
global store, `pstsync create` an empty local one, a profile links Contacts,
Calendar, Tasks and Inbox both ways; then each of these syncs runs as a child
`pstsync --config ... sync --conflicts local --deletes apply --json`, timed,
with its peak RSS: the initial sync (global full, local empty), a sync with
no change, one after 1% of the items were edited on each side, one after 1%
were deleted (on the global side); then 10 rounds of 1% edits on both sides
and a sync, and the sizes of both stores against those after the initial
sync. pffexport and readpst read the global store in full, and `cat` reads
its bytes, as the comparison and the floor. Each figure is printed beside
its target, met or not, and the table is written to build/bench/sync.csv.

Second table, reading: for the largest sample store and for its fullest
folder, times `pstsync ls`, `pstsync ls --json`, pffinfo, pffexport and
readpst on the same file, each the best of several runs, and reading the
file's bytes as the floor; written to build/bench/read.csv.
"""
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
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


def read_table():
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


# ---- syncs of generated stores ------------------------------------------------

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000").split(",") if x.strip()]
FOLDERS = ["/Contacts", "/Calendar", "/Tasks", "/Inbox"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))


def timed(cmd, cwd=None):
    """(seconds, peak RSS in MB, stdout) of one run of @cmd as a child process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    # read the pipes on the side so that the child never blocks on a full pipe
    bufs = {}

    def drain(name, f):
        bufs[name] = f.read()
    ts = [threading.Thread(target=drain, args=(n, f)) for n, f in (("out", p.stdout), ("err", p.stderr))]
    for t in ts:
        t.start()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    for t in ts:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 3):
        sys.stderr.write(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n"
                         f"{bufs.get('err', b'').decode(errors='replace')}\n")
        raise SystemExit(1)
    return dt, ru.ru_maxrss / 1024.0, bufs.get("out", b"")


def sync_bench(size, pstsync):
    d = os.path.join(BUILD, "bench", str(size))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    g, l, conf = (os.path.abspath(os.path.join(d, n)) for n in ("global.pst", "local.pst", "pstsync.ini"))
    gen_s, _, _ = timed([pstsync, "generate", g, "--items", str(size), "--seed", "7", "-q"])
    timed([pstsync, "create", l])
    base = [pstsync, "--config", conf]
    timed(base + ["profile", "add", "bench", "--local", l, "--global", g])
    for f in FOLDERS:
        timed(base + ["profile", "link", "bench", f, f])
    sync = base + ["sync", "--conflicts", "local", "--deletes", "apply", "--json"]
    r = {"size": size, "generate_s": gen_s, "global_bytes": os.path.getsize(g)}
    r["initial_s"], r["initial_mb"], _ = timed(sync)
    sizes0 = (os.path.getsize(l), os.path.getsize(g))
    r["nochange_s"], r["nochange_mb"], _ = timed(sync)
    timed([pstsync, "generate", g, "--change", "1", "--seed", "101", "-q"])
    timed([pstsync, "generate", l, "--change", "1", "--seed", "202", "-q"])
    r["change_s"], r["change_mb"], _ = timed(sync)
    timed([pstsync, "generate", g, "--delete", "1", "--seed", "303", "-q"])
    r["delete_s"], r["delete_mb"], _ = timed(sync)
    for k in range(ROUNDS):
        timed([pstsync, "generate", g, "--change", "1", "--seed", str(1000 + k), "-q"])
        timed([pstsync, "generate", l, "--change", "1", "--seed", str(2000 + k), "-q"])
        timed(sync)
    sizes1 = (os.path.getsize(l), os.path.getsize(g))
    r["growth_local"] = sizes1[0] / sizes0[0] - 1.0
    r["growth_global"] = sizes1[1] / sizes0[1] - 1.0
    r["sizes0"], r["sizes1"] = sizes0, sizes1
    work = os.path.join(d, "read")
    os.makedirs(work, exist_ok=True)
    r["cat_s"], _, _ = timed(["sh", "-c", f"cat '{g}' > /dev/null"])
    r["pffexport_s"] = r["readpst_s"] = None
    if shutil.which("pffexport"):
        r["pffexport_s"], _, _ = timed(["sh", "-c", f"rm -rf '{work}/x.export'; pffexport -q -t '{work}/x' '{g}' >/dev/null 2>&1; true"])
    if shutil.which("readpst"):
        r["readpst_s"], _, _ = timed(["sh", "-c", f"rm -rf '{work}/rp'; mkdir '{work}/rp'; readpst -q -o '{work}/rp' '{g}' >/dev/null 2>&1; true"])
    shutil.rmtree(work, ignore_errors=True)
    return r


def sync_rows(r):
    """(figure, value, target, met) rows of one size."""
    n = r["size"]
    rows = []

    def row(name, value, target, met):
        rows.append((n, name, value, target, "-" if met is None else ("met" if met else "not met")))
    row("generate global store (s)", f"{r['generate_s']:.2f}", "", None)
    row("global store size (MB)", f"{r['global_bytes'] / 1e6:.1f}", "", None)
    rate = n / r["initial_s"]
    row("initial sync (s)", f"{r['initial_s']:.2f}", "", None)
    row("initial sync (items/s)", f"{rate:.0f}", ">= 5000", rate >= 5000)
    row("no-change sync (s)", f"{r['nochange_s']:.3f}", "< 1", r["nochange_s"] < 1.0)
    if r["pffexport_s"]:
        pct = 100.0 * r["nochange_s"] / r["pffexport_s"]
        row("no-change sync / pffexport (%)", f"{pct:.1f}", "< 5", pct < 5.0)
    ratio = r["change_s"] / r["nochange_s"]
    row("1%-change sync (s)", f"{r['change_s']:.3f}", "", None)
    row("1%-change / no-change", f"{ratio:.2f}", "< 3", ratio < 3.0)
    row("1%-delete sync (s)", f"{r['delete_s']:.3f}", "", None)
    for k in ("initial", "nochange", "change", "delete"):
        row(f"peak RSS, {k} sync (MB)", f"{r[k + '_mb']:.1f}", "< 150", r[k + "_mb"] < 150.0)
    for side, k in (("local", 0), ("global", 1)):
        g = r["growth_" + side] * 100.0
        row(f"{side} size after {ROUNDS} rounds (MB, vs {r['sizes0'][k] / 1e6:.1f})",
            f"{r['sizes1'][k] / 1e6:.1f} (+{g:.1f}%)", "< +15%", g < 15.0)
    row("cat global store (s)", f"{r['cat_s']:.3f}", "", None)
    if r["pffexport_s"]:
        row("pffexport global store (s)", f"{r['pffexport_s']:.2f}", "", None)
    if r["readpst_s"]:
        row("readpst global store (s)", f"{r['readpst_s']:.2f}", "", None)
    return rows


def sync_table():
    pstsync = os.path.join(BUILD, "pstsync")
    rows = []
    for n in SIZES:
        print(f"bench: {n} items ...", file=sys.stderr, flush=True)
        rows += sync_rows(sync_bench(n, pstsync))
    print(f"{'items':>7}  {'figure':<44} {'value':>18}  {'target':<8} result")
    for n, name, value, target, met in rows:
        print(f"{n:>7}  {name:<44} {value:>18}  {target:<8} {met}")
    with open(os.path.join(BUILD, "bench", "sync.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["items", "figure", "value", "target", "result"])
        w.writerows(rows)
    print()
    return 0


def main():
    os.makedirs(os.path.join(BUILD, "bench"), exist_ok=True)
    rc = sync_table() if SIZES else 0
    return rc or read_table()


if __name__ == "__main__":
    sys.exit(main())
