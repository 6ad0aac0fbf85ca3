#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""`make bench`: how fast and how big pstsync is, in figures (issue 6).

First table, syncs of generated stores: for each size of BENCH_SIZES (items,
default 1000,10000,100000), in build/bench/N/: `pstsync generate` writes a
global store, `pstsync create` an empty local one, a profile links Contacts,
Calendar, Tasks and Inbox both ways; then each of these syncs runs as a child
`pstsync --config ... sync --conflicts local --deletes apply --json`, timed,
with its peak RSS: the initial sync (global full, local empty), a sync with
no change, one after 1% of the items were edited on each side, one after 1%
were deleted (on the global side); then 10 rounds of 1% edits on both sides
and a sync, and the sizes of both stores against those after the initial
sync. The 1%-change sync runs BENCH_RECOVERY_RUNS times (default 5) from a
copy of the folder, with and without the recovery store (`sync
--no-recovery`): the median of each and what keeping the replaced versions
costs; the size of the recovery store is shown over the rounds. For the
no-change and the 1%-change sync, what they read and wrote on each store
(`sync --json`'s "io", counted in pstsync's OS layer) and the time that
would take on a LAN share of 100 Mbit/s with 1 ms round trips, and for the
1%-change sync the bytes written to both stores per item it wrote. Then, at
BENCH_RECOVERY_ITEMS items (default 10000: 100 rounds at 100,000 take hours),
BENCH_RECOVERY_ROUNDS rounds (default 100) of 1% changes on both sides and a
sync, with recovery_max_mb at BENCH_RECOVERY_MAX_MB (default 10) so that
retention prunes: the recovery store's size after rounds 10, 50 and 100
against a bound (1.5 times the limit) and its growth from round 50 on
(build/bench/recovery-rounds.csv has every round). pffexport and readpst read the global store in full, and `cat` reads
its bytes, as the comparison and the floor. Each figure is printed beside
its target, met or not, as soon as it is measured, and the table is written
to build/bench/sync.csv as it grows. BENCH_TIMEOUT (seconds, default 900)
stops a step that takes longer and reports it; pffexport, quadratic in the
items of a folder, is stopped after BENCH_PFFEXPORT_TIMEOUT (default 120)
and the no-change sync compared with the time it had taken by then.

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

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if x.strip()]
FOLDERS = ["/Contacts", "/Calendar", "/Tasks", "/Inbox"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
RECOVERY_RUNS = int(os.environ.get("BENCH_RECOVERY_RUNS", "5"))
# a step that takes longer than this is stopped and reported, so that a slow
# step cannot hold `make bench` for ever
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "900"))
# pffexport is quadratic in the items of a folder (libpff looks each item's
# parent up among all the items: 10,000 items take ~10 s, 100,000 more than
# 10 min); it is stopped after this long and the comparison made with the
# time it had taken by then, a bound (the sync's share is at most that)
PFF_TIMEOUT = float(os.environ.get("BENCH_PFFEXPORT_TIMEOUT", "120"))


class Timeout(Exception):
    pass


def timed(cmd, cwd=None, timeout=None):
    """(seconds, peak RSS in MB, stdout) of one run of @cmd as a child process;
    Timeout when it takes longer than @timeout (BENCH_TIMEOUT)."""
    timeout = timeout or TIMEOUT
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                         start_new_session=True)
    # read the pipes on the side so that the child never blocks on a full pipe
    bufs = {}

    def drain(name, f):
        bufs[name] = f.read()
    ts = [threading.Thread(target=drain, args=(n, f)) for n, f in (("out", p.stdout), ("err", p.stderr))]
    for t in ts:
        t.start()
    # the whole process group: `sh -c` steps leave their tool behind otherwise
    killer = threading.Timer(timeout, lambda: os.killpg(p.pid, 9))
    killer.start()
    try:
        _, status, ru = os.wait4(p.pid, 0)
    finally:
        killer.cancel()
    dt = time.perf_counter() - t0
    for t in ts:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if dt >= timeout and p.returncode < 0:
        raise Timeout(f"{' '.join(cmd)} was stopped after {timeout:.0f} s")
    if p.returncode not in (0, 3):
        sys.stderr.write(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n"
                         f"{bufs.get('err', b'').decode(errors='replace')}\n")
        raise SystemExit(1)
    return dt, ru.ru_maxrss / 1024.0, bufs.get("out", b"")


class Table:
    """The sync table: each row printed as soon as it is measured, the CSV
    written again after each one (an interrupted run keeps what it had)."""

    def __init__(self, path):
        self.path = path
        self.rows = []
        print(f"{'items':>7}  {'figure':<46} {'value':>18}  {'target':<8} result", flush=True)

    def row(self, n, name, value, target="", met=None):
        result = "-" if met is None else ("met" if met else "not met")
        self.rows.append((n, name, value, target, result))
        print(f"{n:>7}  {name:<46} {value:>18}  {target:<8} {result}", flush=True)
        with open(self.path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["items", "figure", "value", "target", "result"])
            w.writerows(self.rows)


# ---- what crosses to the stores' files ----------------------------------------

LAN_NOTE = "100 Mbit/s, 1 ms round trips"


def io_rows(out, size, kind, stdout, secs):
    """Rows of what one sync (`sync --json` printed @stdout) read and wrote
    on each store, counted by pstsync's OS layer, with the time it would take
    on a LAN share (bytes*8/100e6 + calls*1 ms), beside the targets."""
    try:
        prof = json.loads(stdout)["profiles"][0]
        io = prof["io"]
    except (ValueError, KeyError, IndexError):
        out.row(size, f"{kind} sync: I/O", "not reported")
        return
    written = sum((io[s] or {}).get("bytes_written", 0) for s in ("local", "global"))
    if kind == "1%-change":
        per_item_row(out, size, kind, prof, io, written)
    for side in ("local", "global"):
        s = io[side]
        if s is None:
            out.row(size, f"{kind} sync, {side}: I/O", "not counted")
            continue
        kb = s["bytes_read"] / 1024.0
        if kind == "no-change" and side == "global":
            out.row(size, f"{kind} sync, {side} read (KB)", f"{kb:.0f}", "<= 256", kb <= 256)
            out.row(size, f"{kind} sync, {side} read calls", str(s["reads"]), "<= 64", s["reads"] <= 64)
        elif kind == "1%-change":
            # the changed items' bytes, as far as the bench knows them: what
            # the sync wrote to both stores (tables included, so a generous bound)
            cap = (3 * written + (1 << 20)) / 1024.0
            out.row(size, f"{kind} sync, {side} read (KB; <= 3 x written + 1 MB)", f"{kb:.0f}",
                    f"<= {cap:.0f}", kb <= cap)
            out.row(size, f"{kind} sync, {side} read calls", str(s["reads"]))
        else:
            out.row(size, f"{kind} sync, {side} read (KB)", f"{kb:.0f}")
            out.row(size, f"{kind} sync, {side} read calls", str(s["reads"]))
        out.row(size, f"{kind} sync, {side} written (KB, calls)",
                f"{s['bytes_written'] / 1024.0:.0f}, {s['writes']}")
        out.row(size, f"{kind} sync, {side} on a LAN share (s)", f"{s['lan_seconds']:.3f}")
    if kind == "no-change":
        ms = secs * 1000.0
        out.row(size, "no-change sync (ms)", f"{ms:.0f}", "<= 50", ms <= 50)


# Bytes written to the two stores per item the sync wrote (copied,
# overwritten or deleted, both sides): the item's own node (about 5 KB for a
# generated item), the block of its folder's contents table that holds its
# row (a block is written whole: 8 KB of rows, [MS-PST] pads every row block
# to 8176 bytes) and the B-tree pages that lead to both. Anything more means
# something was written that did not change.
PER_ITEM_KB = 16


def per_item_row(out, size, kind, prof, io, written):
    changed = 0
    for link in prof.get("links", []):
        c = link.get("counts", {})
        for k in ("copied", "overwritten", "deleted"):
            changed += sum((c.get(k) or {}).values())
    if not changed or any(io[s] is None for s in ("local", "global")):
        out.row(size, f"{kind} sync: written per changed item", "not counted")
        return
    kb = written / changed / 1024.0
    out.row(size, f"{kind} sync, written per changed item (KB)", f"{kb:.1f} ({changed} items)",
            f"<= {PER_ITEM_KB}", kb <= PER_ITEM_KB)


def sync_bench(size, pstsync, out):
    d = os.path.join(BUILD, "bench", str(size))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    g, l, conf = (os.path.abspath(os.path.join(d, n)) for n in ("global.pst", "local.pst", "pstsync.ini"))
    gen_s, _, _ = timed([pstsync, "generate", g, "--items", str(size), "--seed", "7", "-q"])
    out.row(size, "generate global store (s)", f"{gen_s:.2f}")
    out.row(size, "global store size (MB)", f"{os.path.getsize(g) / 1e6:.1f}")
    timed([pstsync, "create", l])
    base = [pstsync, "--config", conf]
    timed(base + ["profile", "add", "bench", "--local", l, "--global", g])
    for f in FOLDERS:
        timed(base + ["profile", "link", "bench", f, f])
    sync = base + ["sync", "--conflicts", "local", "--deletes", "apply", "--json"]

    def rss(k, mb):
        out.row(size, f"peak RSS, {k} sync (MB)", f"{mb:.1f}", "< 64", mb < 64.0)

    # the generated store's writeback must not fall into the timed sync
    os.sync()
    initial_s, mb, _ = timed(sync)
    rate = size / initial_s
    out.row(size, "initial sync (s)", f"{initial_s:.2f}")
    out.row(size, "initial sync (items/s)", f"{rate:.0f}", ">= 20000", rate >= 20000)
    rss("initial", mb)
    sizes0 = (os.path.getsize(l), os.path.getsize(g))
    nochange_s, mb, nochange_out = timed(sync)
    out.row(size, "no-change sync (s)", f"{nochange_s:.3f}", "< 1", nochange_s < 1.0)
    rss("no-change", mb)
    io_rows(out, size, "no-change", nochange_out, nochange_s)
    timed([pstsync, "generate", g, "--change", "1", "--seed", "101", "-q"])
    timed([pstsync, "generate", l, "--change", "1", "--seed", "202", "-q"])
    # the same sync with and without the recovery store, each from a copy of
    # the folder as it is now, best of RECOVERY_RUNS: what keeping the
    # replaced versions costs
    keep = d + ".before-change"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(d, keep)
    # the median of each: the runs alternate, so that a busy moment of the
    # machine weighs on both alike
    bare_runs, rec_runs = [], []
    for k in range(RECOVERY_RUNS):
        for bare in (True, False):
            shutil.rmtree(d)
            shutil.copytree(keep, d)
            os.sync()  # the copy's writeback must not fall into the timed sync
            dt, m, so = timed(sync + (["--no-recovery"] if bare else []))
            (bare_runs if bare else rec_runs).append((dt, m, so))
    shutil.rmtree(keep)
    bare_s = sorted(r[0] for r in bare_runs)[len(bare_runs) // 2]
    change_s, mb, change_out = sorted(rec_runs, key=lambda r: r[0])[len(rec_runs) // 2]
    ratio = change_s / nochange_s
    out.row(size, "1%-change sync (s)", f"{change_s:.3f}", "<= 0.5", change_s <= 0.5)
    out.row(size, "1%-change / no-change", f"{ratio:.2f}")
    cost = (change_s / bare_s - 1.0) * 100.0
    out.row(size, "1%-change sync without recovery store (s)", f"{bare_s:.3f}")
    out.row(size, "1%-change: recovery store cost (%)", f"{cost:+.1f}", "<= +20", cost <= 20.0)
    rss("1%-change", mb)
    io_rows(out, size, "1%-change", change_out, change_s)
    timed([pstsync, "generate", g, "--delete", "1", "--seed", "303", "-q"])
    delete_s, mb, _ = timed(sync)
    out.row(size, "1%-delete sync (s)", f"{delete_s:.3f}")
    rss("1%-delete", mb)
    round_s = 0.0
    rec_sizes = []
    for k in range(ROUNDS):
        timed([pstsync, "generate", g, "--change", "1", "--seed", str(1000 + k), "-q"])
        timed([pstsync, "generate", l, "--change", "1", "--seed", str(2000 + k), "-q"])
        dt, mb, _ = timed(sync)
        round_s = max(round_s, dt)
        rec = [f for f in os.listdir(d) if f.startswith("recovery-") and f.endswith(".pst")]
        rec_sizes.append(os.path.getsize(os.path.join(d, rec[0])) / 1e6 if rec else 0.0)
    sizes1 = (os.path.getsize(l), os.path.getsize(g))
    out.row(size, f"slowest of {ROUNDS} 1%-change rounds (s)", f"{round_s:.3f}")
    if rec_sizes:
        step = max(1, len(rec_sizes) // 5)
        shown = ", ".join(f"{rec_sizes[i]:.1f}" for i in list(range(0, len(rec_sizes), step))[:5])
        out.row(size, f"recovery store over {ROUNDS} rounds (MB)", f"{shown}, {rec_sizes[-1]:.1f}",
                "<= 500", rec_sizes[-1] <= 500 * 1.05)
    for side, k in (("local", 0), ("global", 1)):
        grow = (sizes1[k] / sizes0[k] - 1.0) * 100.0
        out.row(size, f"{side} size after {ROUNDS} rounds (MB, vs {sizes0[k] / 1e6:.1f})",
                f"{sizes1[k] / 1e6:.1f} (+{grow:.1f}%)", "< +10%", grow < 10.0)
    work = os.path.join(d, "read")
    os.makedirs(work, exist_ok=True)
    cat_s, _, _ = timed(["sh", "-c", f"cat '{g}' > /dev/null"])
    out.row(size, "cat global store (s)", f"{cat_s:.3f}")
    if shutil.which("pffexport"):
        cmd = ["sh", "-c", f"rm -rf '{work}/x.export'; pffexport -q -t '{work}/x' '{g}' >/dev/null 2>&1; true"]
        try:
            pff_s, _, _ = timed(cmd, timeout=PFF_TIMEOUT)
            out.row(size, "pffexport global store (s)", f"{pff_s:.2f}")
            pct = 100.0 * nochange_s / pff_s
            out.row(size, "no-change sync / pffexport (%)", f"{pct:.1f}", "< 5", pct < 5.0)
        except Timeout:
            # pffexport takes longer than PFF_TIMEOUT: the share is below this
            out.row(size, "pffexport global store (s)", f"> {PFF_TIMEOUT:.0f} (stopped)")
            pct = 100.0 * nochange_s / PFF_TIMEOUT
            out.row(size, "no-change sync / pffexport (%)", f"< {pct:.1f}", "< 5", pct < 5.0)
    if shutil.which("readpst"):
        rp_s, _, _ = timed(["sh", "-c", f"rm -rf '{work}/rp'; mkdir '{work}/rp'; readpst -q -o '{work}/rp' '{g}' >/dev/null 2>&1; true"])
        out.row(size, "readpst global store (s)", f"{rp_s:.2f}")
    shutil.rmtree(work, ignore_errors=True)


# ---- the recovery store over many rounds ----------------------------------------

# the recovery store's size over 100 rounds of 1% changes, with
# retention at work (recovery_max_mb small enough that pruning starts after
# a few rounds): it must reuse the space it frees and level off. At 10,000
# items by default: 100 rounds at 100,000 take hours.
REC_ITEMS = int(os.environ.get("BENCH_RECOVERY_ITEMS", "10000"))
REC_ROUNDS = int(os.environ.get("BENCH_RECOVERY_ROUNDS", "100"))
REC_MAX_MB = int(os.environ.get("BENCH_RECOVERY_MAX_MB", "10"))


def recovery_rounds_bench(pstsync, out):
    n = REC_ITEMS
    d = os.path.join(BUILD, "bench", f"recovery-{n}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    g, l, conf = (os.path.abspath(os.path.join(d, x)) for x in ("global.pst", "local.pst", "pstsync.ini"))
    timed([pstsync, "generate", g, "--items", str(n), "--seed", "7", "-q"])
    timed([pstsync, "create", l])
    base = [pstsync, "--config", conf]
    timed(base + ["profile", "add", "bench", "--local", l, "--global", g])
    for f in FOLDERS:
        timed(base + ["profile", "link", "bench", f, f])
    timed(base + ["options", "set", "recovery_max_mb", str(REC_MAX_MB)])
    sync = base + ["sync", "--conflicts", "local", "--deletes", "apply", "--json"]
    timed(sync)
    sizes = {}
    for k in range(1, REC_ROUNDS + 1):
        timed([pstsync, "generate", g, "--change", "1", "--seed", str(5000 + k), "-q"])
        timed([pstsync, "generate", l, "--change", "1", "--seed", str(6000 + k), "-q"])
        timed(sync)
        rec = [f for f in os.listdir(d) if f.startswith("recovery-") and f.endswith(".pst")]
        sizes[k] = os.path.getsize(os.path.join(d, rec[0])) / 1e6 if rec else 0.0
    # bounded: the items within recovery_max_mb, the file "somewhat larger"
    # (its tables, B-trees and free space): at most half as much again
    bound = REC_MAX_MB * 1.5
    for k in (10, 50, 100):
        if k in sizes:
            out.row(n, f"recovery store after {k} of {REC_ROUNDS} rounds, max {REC_MAX_MB} MB (MB)",
                    f"{sizes[k]:.2f}", f"<= {bound:g}", sizes[k] <= bound)
    # flat once retention works: rounds 50 to the last grow it by at most 10%
    half, last = REC_ROUNDS // 2, REC_ROUNDS
    if half in sizes and last in sizes and half > 0:
        grow = (sizes[last] / sizes[half] - 1.0) * 100.0 if sizes[half] else 0.0
        out.row(n, f"recovery store growth, rounds {half} to {last} (%)", f"{grow:+.1f}", "<= +10",
                grow <= 10.0)
    with open(os.path.join(BUILD, "bench", "recovery-rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "recovery store MB"])
        for k in sorted(sizes):
            w.writerow([k, f"{sizes[k]:.3f}"])


def sync_table():
    pstsync = os.path.join(BUILD, "pstsync")
    out = Table(os.path.join(BUILD, "bench", "sync.csv"))
    t0 = time.perf_counter()
    for n in SIZES:
        print(f"bench: {n} items ...", file=sys.stderr, flush=True)
        try:
            sync_bench(n, pstsync, out)
        except Timeout as e:
            out.row(n, "stopped", str(e), "", False)
    if REC_ROUNDS > 0 and REC_ITEMS > 0:
        print(f"bench: recovery store over {REC_ROUNDS} rounds at {REC_ITEMS} items ...", file=sys.stderr, flush=True)
        try:
            recovery_rounds_bench(pstsync, out)
        except Timeout as e:
            out.row(REC_ITEMS, "stopped", str(e), "", False)
    print(f"(the syncs took {time.perf_counter() - t0:.0f} s)", flush=True)
    print()
    return 0


def main():
    os.makedirs(os.path.join(BUILD, "bench"), exist_ok=True)
    rc = sync_table() if SIZES else 0
    return rc or read_table()


if __name__ == "__main__":
    sys.exit(main())
