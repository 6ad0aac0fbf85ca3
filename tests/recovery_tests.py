#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Tests of the safety net: the recovery store a sync keeps every version it
overwrites or deletes in, and `pstsync recover`, on stores the test makes
with `pstsync generate` (contacts, appointments, mail with recipients and
attachments).

  whole     a sync overwrites and deletes items in both stores; every
            version it destroyed is listed, and `recover --sync N` brings
            each back whole: the stores as libpff's pffexport and libpst's
            readpst read them hold every item they held before the sync
            (every property, recipient and attachment); `--replace` puts the
            old versions back over the new ones, so that the store reads as
            it did before the sync; the recovery store itself opens in
            pffinfo, readpst, pstsdk (build/tools/pstsdk-dump) and passes
            `pstsync check`
  kills     the same sync killed at every write it makes (the hook
            PSTSYNC_KILL_AFTER_WRITES), then run again: the stores and the
            recovery store end as after a sync never killed (nothing lost,
            no version kept twice), and every store stays readable
  refuse    a recovery store that cannot be written stops the sync before
            it overwrites or deletes anything; a damaged one is set aside
            (kept, renamed) with a warning and a new one started
  retention recovery_max_mb bounds what is kept; the file reuses its space
  prune     a sync that kept nothing does not walk the recovery store again
            when nothing in it is due (its note "-pruned" beside it), but a
            lowered recovery_max_mb, or a recovery store changed since the
            note, prunes at the next sync all the same
  cli       listing (aligned, --since, --folder, --json) and errors

usage: recovery_tests.py [--exe CMD] [--only PART] [--keep]
Ends with the line "N passed, N failed, N skipped".
"""

import argparse
import collections
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_tests as wt  # noqa: E402  (the readers' pictures)

TIMEOUT = 300
passed = failed = skipped = 0


def ok(name):
    global passed
    passed += 1
    if os.environ.get("V") == "1":
        print(f"ok      {name}", flush=True)


def fail(name, why):
    global failed
    failed += 1
    print(f"FAIL    {name}\n        {why}", flush=True)


def skip(name, why):
    global skipped
    skipped += 1
    print(f"skip    {name}: {why}", flush=True)


def check(name, good, why=""):
    (ok(name) if good else fail(name, why))
    return good


class World:
    """Two stores linked in profile Office, in folder @work."""

    def __init__(self, exe, work, items=60, folders="Contacts,Calendar,Inbox", seed=7):
        self.exe = shlex.split(exe)
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.cfg = os.path.join(work, "pstsync.ini")
        self.local = os.path.join(work, "local.pst")
        self.glob = os.path.join(work, "global.pst")
        self.folders = ["/" + f for f in folders.split(",")]
        self.must("generate", "-q", self.local, "--items", str(items), "--folders", folders, "--seed", str(seed))
        self.must("create", self.glob)
        self.must("profile", "add", "Office", "--local", self.local, "--global", self.glob)
        for f in self.folders:
            self.must("profile", "link", "Office", f, f)
        self.must("options", "set", "confirm_deletes", "no")
        self.must("sync", "-q")

    def __call__(self, *args, env=None):
        r = subprocess.run(self.exe + ["--config", self.cfg] + list(args), capture_output=True,
                           timeout=TIMEOUT, env=env)
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")

    def must(self, *args):
        rc, out, err = self(*args)
        if rc != 0:
            raise RuntimeError(f"pstsync {' '.join(args)}: exit status {rc}: {err.strip() or out.strip()}")
        return out

    def json(self, *args):
        return json.loads(self.must(*args, "--json"))

    def recovery(self):
        found = glob.glob(os.path.join(self.work, "recovery-*.pst"))
        return found[0] if found else None

    def versions(self):
        return self.json("recover", "Office")["versions"]

    def edit(self, seed):
        """Changes in the local store, deletions in the global one."""
        self.must("generate", "-q", self.local, "--change", "15", "--seed", str(seed))
        self.must("generate", "-q", self.glob, "--delete", "10", "--seed", str(seed + 1))

    def sync(self, *extra, env=None):
        return self("sync", "--conflicts", "local", "--deletes", "apply", *extra, env=env)

    def listing(self):
        """{(store, folder): Counter of subjects}."""
        out = {}
        for side, store in (("local", self.local), ("global", self.glob)):
            for f in self.folders:
                doc = self.json("ls", f"{store}:{f}")
                out[(side, f)] = collections.Counter(i.get("subject", "") for i in doc["items"])
        return out

    def snapshot(self, name):
        d = os.path.join(self.work, "..", os.path.basename(self.work) + "-" + name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.work, d)
        return d

    def restore(self, d):
        for f in os.listdir(self.work):
            os.remove(os.path.join(self.work, f))
        for f in os.listdir(d):
            shutil.copy2(os.path.join(d, f), os.path.join(self.work, f))


def pictures(store, work, name):
    d = os.path.join(work, "pic-" + name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    ls = json.loads(subprocess.run(EXE + ["ls", "--json", store], capture_output=True, timeout=TIMEOUT).stdout)
    nid = int(ls["folders"][0]["id"], 16)
    return wt.PffExport(store, d, nid), wt.ReadPst(store, d)


def contains(big, small):
    """Items of picture @small missing from picture @big (a multiset difference)."""
    missing = []
    for path, f in small.folders.items():
        have = big.folders.get(path, wt.Folder()).items
        for item, n in (f.items - have).items():
            missing.append((path, item, have))
    return missing


def describe(missing):
    path, item, have = missing[0]
    near = wt.closest(item, list(have.elements()))
    head = "/" + "/".join(path)
    return (f"{len(missing)} item(s) missing, first in {head}:\n" +
            (wt.item_diff(item, near) if near else "\n".join(item[:8])))


def pstsdk():
    exe = os.path.join(os.environ.get("BUILD", "build"), "tools", "pstsdk-dump")
    if os.path.exists(exe):
        return exe
    script = os.path.join(os.environ.get("PSTSDK_DIR", "../shared/tools/pstsdk-dump"), "build.sh")
    if os.path.exists(script):
        subprocess.run(["sh", script, os.path.dirname(exe)], capture_output=True, timeout=900)
    return exe if os.path.exists(exe) else None


def readers_open(w, store, name):
    r = subprocess.run(["pffinfo", store], capture_output=True, timeout=TIMEOUT)
    check(f"{name}: pffinfo opens it", r.returncode == 0, r.stderr.decode(errors="replace")[-500:])
    out = os.path.join(w.work, "..", "readpst-" + name.replace(" ", "_"))
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = subprocess.run(["readpst", "-D", "-e", "-8", "-o", out, store], capture_output=True, timeout=TIMEOUT)
    check(f"{name}: readpst reads it", r.returncode == 0 and b"items skipped" in r.stdout
          and not any(int(n) for n in __import__("re").findall(rb"(\d+) items skipped", r.stdout)),
          (r.stdout + r.stderr).decode(errors="replace")[-800:])
    rc, out_, err = w("check", store)
    check(f"{name}: pstsync check finds no problem", rc == 0 and "no problems" in out_, err + out_)
    exe = pstsdk()
    if not exe:
        skip(f"{name}: pstsdk reads it", "build/tools/pstsdk-dump absent and cannot be built "
             "(needs ../shared/tools/pstsdk-dump, g++ and libboost-dev)")
        return
    r = subprocess.run([exe, store], capture_output=True, timeout=TIMEOUT)
    bad = [l for l in r.stdout.decode("utf-8", "replace").splitlines()
           if l.startswith(("ERROR", "CRASH", "NOTE"))]
    check(f"{name}: pstsdk reads it with no ERROR, CRASH or NOTE line", r.returncode == 0 and not bad,
          "\n".join(bad[:5]) or r.stderr.decode(errors="replace")[-500:])


# ---- the parts ---------------------------------------------------------------

def test_whole(exe, work):
    w = World(exe, os.path.join(work, "whole"), items=90, folders="Contacts,Calendar,Inbox")
    w.edit(11)
    # what the stores hold just before the sync: what it destroys must come back
    before = {s: pictures(p, work, "before-" + s) for s, p in (("local", w.local), ("global", w.glob))}
    rc, out, err = w.sync("--json")
    doc = json.loads(out)
    counts = doc["profiles"][0]["counts"]
    destroyed = sum(counts["overwritten"].values()) + sum(counts["deleted"].values()) \
        if isinstance(counts["overwritten"], dict) else None
    history = w.json("status", "Office")
    vs = w.versions()
    sync_id = max(v["sync"] for v in vs) if vs else 0
    check("whole: the sync overwrote and deleted items", rc == 0 and vs, f"exit status {rc}: {err}{out[-500:]}")
    if destroyed is not None:
        check("whole: one version kept for each item overwritten or deleted", len(vs) == destroyed,
              f"{len(vs)} kept, the sync overwrote or deleted {destroyed}: {counts}")
    check("whole: versions tell what happened", all(v["what"] in ("overwritten", "deleted") and
          v["store"] in ("local", "global") and v["folder"] in w.folders and v["sync"] == sync_id for v in vs),
          json.dumps(vs[:3]))
    check("whole: both stores and both kinds of loss are kept",
          {(v["store"], v["what"]) for v in vs} >= {("global", "overwritten"), ("local", "deleted")},
          sorted({(v["store"], v["what"]) for v in vs}))
    (history,)  # the status reads the same protocol
    readers_open(w, w.recovery(), "whole: the recovery store")
    after_sync = {s: pictures(p, work, "after-" + s) for s, p in (("local", w.local), ("global", w.glob))}
    for s in ("local", "global"):
        gone = contains(after_sync[s][0], before[s][0])
        n = sum(1 for v in vs if v["store"] == s)
        check(f"whole: the sync destroyed {n} versions in the {s} store", len(gone) == n,
              f"{len(gone)} items of the store before are gone, {n} versions kept")

    snap = w.snapshot("synced")
    # every version back as a new item: each store holds all it held before
    rc, out, err = w("recover", "Office", "--sync", str(sync_id), "--json")
    restored = json.loads(out)["restored"] if rc == 0 else []
    check("whole: recover --sync N restores every version", rc == 0 and len(restored) == len(vs)
          and not any(r["replaced"] for r in restored), f"exit status {rc}: {err}{out[-300:]}")
    for s, p in (("local", w.local), ("global", w.glob)):
        pff, rp = pictures(p, work, "restored-" + s)
        for reader, now, then in (("pffexport", pff, before[s][0]), ("readpst", rp, before[s][1])):
            missing = contains(now, then)
            check(f"whole: every version the sync destroyed in the {s} store is back whole ({reader})",
                  now.ok and then.ok and not missing,
                  describe(missing) if missing else (now.error or then.error))
    rc, out, err = w.sync()
    check("whole: the next sync carries the restored items across", rc == 0, err + out)

    # over the current versions instead: the store reads as before the sync
    w.restore(snap)
    overwritten = [v for v in vs if v["what"] == "overwritten"]
    ids = [hex(v["id"]) for v in overwritten]
    rc, out, err = w("recover", "Office", *ids, "--replace", "--json")
    restored = json.loads(out)["restored"] if rc == 0 else []
    check("whole: recover ID... --replace puts each version over the current one",
          rc == 0 and len(restored) == len(ids) and all(r["replaced"] for r in restored),
          f"exit status {rc}: {err}{out[-300:]}")
    for s, p in (("local", w.local), ("global", w.glob)):
        if not any(v["store"] == s for v in overwritten):
            continue
        pff, rp = pictures(p, work, "replaced-" + s)
        then = before[s][0]
        # deleted items stay deleted: compare the items the store still has
        missing = [m for m in contains(pff, then)]
        deleted_here = sum(1 for v in vs if v["store"] == s and v["what"] == "deleted")
        copied_here = counts["copied"][s]
        check(f"whole: with --replace the {s} store reads as before the sync but for its deletions "
              "and copies (pffexport)", len(missing) == deleted_here and len(contains(then, pff)) == copied_here,
              describe(missing) if len(missing) != deleted_here else
              f"{len(contains(then, pff))} items the store did not hold before, {copied_here} copied in")
    after = w.versions()
    check("whole: what --replace replaced is kept too",
          sum(1 for v in after if v["why"] == "recover --replace") == len(ids),
          f"{sum(1 for v in after if v['why'] == 'recover --replace')} of {len(ids)}")
    rc, out, err = w.sync()
    check("whole: the next sync carries the replaced versions across", rc == 0, err + out)


def test_kills(exe, work):
    w = World(exe, os.path.join(work, "kills"), items=30, folders="Contacts,Inbox", seed=3)
    # a first round, so that the recovery store exists already
    w.edit(21)
    rc, out, err = w.sync()
    check("kills: a first round", rc == 0, err + out)
    w.edit(31)
    start = w.snapshot("start")
    rc, out, err = w.sync()
    want_stores = w.listing()
    want_kept = collections.Counter((v["store"], v["folder"], v["subject"], v["what"]) for v in w.versions())
    check("kills: the sync never killed", rc == 0 and want_kept, err + out)
    n, kills, bad = 0, 0, []
    while True:
        n += 1
        w.restore(start)
        env = dict(os.environ, PSTSYNC_KILL_AFTER_WRITES=str(n))
        rc, out, err = w.sync(env=env)
        if rc != 99:
            check("kills: the sync runs to its end past its last write", rc == 0, f"exit status {rc}: {err}")
            break
        kills += 1
        for p in (w.local, w.glob) + ((w.recovery(),) if w.recovery() else ()):
            rc2, o2, e2 = w("check", p)
            if rc2 != 0:
                bad.append(f"after write {n}: check {os.path.basename(p)}: {e2.strip() or o2.strip()[-300:]}")
        rc, out, err = w.sync()
        if rc != 0:
            bad.append(f"after write {n}: the next sync: exit status {rc}: {err.strip()}")
            continue
        got_stores = w.listing()
        got_kept = collections.Counter((v["store"], v["folder"], v["subject"], v["what"]) for v in w.versions())
        if got_stores != want_stores:
            diff = {k: (got_stores[k] - want_stores[k]) + (want_stores[k] - got_stores[k])
                    for k in want_stores if got_stores[k] != want_stores[k]}
            bad.append(f"after write {n}: the stores differ from a sync never killed: {diff}")
        if got_kept != want_kept:
            bad.append(f"after write {n}: the recovery store differs: doubled "
                       f"{dict(got_kept - want_kept)}, lost {dict(want_kept - got_kept)}")
        if n > 5000:
            break
    check(f"kills: killed at each of its {kills} writes, the next sync ends as one never killed, with "
          "every destroyed version kept once", kills > 10 and not bad,
          "\n        ".join(bad[:6]) + (f"\n        ... {len(bad)} in all" if len(bad) > 6 else ""))
    print(f"note: kills: a sync with {sum(want_kept.values())} versions kept, killed at each of its "
          f"{kills} writes", flush=True)


def test_refuse(exe, work):
    w = World(exe, os.path.join(work, "refuse"), items=30, folders="Contacts", seed=5)
    w.edit(41)
    before = w.listing()
    rec = w.recovery()
    path = rec or os.path.join(w.work, [f for f in os.listdir(w.work) if f.startswith("protocol-") and f.endswith(".db")][0]
                               .replace("protocol-", "recovery-").replace(".db", ".pst"))
    if rec:
        os.remove(rec)
    os.makedirs(path)          # a folder where the recovery store should be: it cannot be written
    rc, out, err = w.sync()
    check("refuse: a sync that cannot keep a copy fails with one line naming the recovery store",
          rc == 1 and "no copy could be kept" in err + out and os.path.basename(path) in err + out,
          f"exit status {rc}: {err}{out}")
    check("refuse: ... and overwrote or deleted nothing", w.listing() == before,
          "the stores changed")
    os.rmdir(path)
    rc, out, err = w.sync()
    kept = w.versions()
    check("refuse: with the way free, the next sync does it and keeps the versions", rc == 0 and kept,
          f"exit status {rc}: {err}{out}")
    # a damaged recovery store: set aside with a warning, a new one started
    with open(path, "r+b") as f:
        f.seek(0)
        f.write(b"this is not a PST file at all" * 20)
    w.must("generate", "-q", w.local, "--change", "20", "--seed", "43")
    rc, out, err = w.sync()
    aside = glob.glob(path + ".damaged-*")
    check("refuse: a damaged recovery store is set aside with a warning",
          rc == 0 and len(aside) == 1 and "kept as" in err + out, f"exit status {rc}: {err}{out}; {aside}")
    check("refuse: ... and a new one keeps what the sync replaced", len(w.versions()) > 0 and
          all(v["sync"] == max(x["sync"] for x in w.versions()) for v in w.versions()), json.dumps(w.versions()[:2]))
    # a missing one: started again, with a warning that the old versions are gone
    os.remove(path)
    w.must("generate", "-q", w.local, "--change", "20", "--seed", "47")
    rc, out, err = w.sync()
    check("refuse: a missing recovery store is started again with a warning",
          rc == 0 and "is missing" in err + out and os.path.exists(path) and w.versions(),
          f"exit status {rc}: {err}{out}")


def test_retention(exe, work):
    w = World(exe, os.path.join(work, "retention"), items=300, folders="Contacts,Inbox", seed=9)
    w.must("options", "set", "recovery_max_mb", "1")
    sizes, kept = [], []
    for r in range(12):
        w.must("generate", "-q", w.local, "--change", "20", "--seed", str(100 + r))
        rc, out, err = w.sync()
        if rc != 0:
            fail("retention: a round", f"exit status {rc}: {err}")
            return
        sizes.append(os.path.getsize(w.recovery()))
        kept.append(sum(1 for _ in w.versions()))
    total = sum(v.get("size", 0) for v in w.versions())
    check("retention: recovery_max_mb 1 bounds the recovery store", sizes[-1] < 4 << 20,
          f"sizes over the rounds: {sizes}")
    check("retention: the file reuses its space", sizes[-1] <= sizes[5] * 1.5,
          f"sizes over the rounds: {sizes}")
    check("retention: the newest versions stay", kept[-1] > 0, f"versions kept: {kept}")
    print(f"note: retention: recovery store over 12 rounds of 20% changes with recovery_max_mb 1: "
          f"{', '.join('%.2f' % (s / 1048576) for s in sizes)} MB; versions kept {kept}", flush=True)
    (total,)


def test_prune(exe, work):
    w = World(exe, os.path.join(work, "prune"), items=300, folders="Contacts,Inbox", seed=11)
    for r in range(4):
        w.must("generate", "-q", w.local, "--change", "30", "--seed", str(300 + r))
        rc, out, err = w.sync()
        if rc != 0:
            fail("prune: a round", f"exit status {rc}: {err}")
            return
    vs = w.versions()
    note = w.recovery() + "-pruned"
    check("prune: a sync that pruned leaves its note beside the recovery store",
          os.path.isfile(note) and len(vs) > 0, f"note {os.path.isfile(note)}, {len(vs)} versions")
    rc, out, err = w.sync()
    check("prune: a sync with nothing to do and nothing due keeps every version",
          rc == 0 and len(w.versions()) == len(vs), f"exit status {rc}: {err}")
    big = w.snapshot("big")
    w.must("options", "set", "recovery_max_mb", "1")
    rc, out, err = w.sync()
    after = w.versions()
    check("prune: recovery_max_mb lowered: the next sync prunes though nothing changed",
          rc == 0 and 0 < len(after) < len(vs), f"{len(vs)} -> {len(after)} versions: {err}")
    # the note is written again at every prune: it holds the new limit and
    # the size of the file as that prune left it
    text = open(note).read().split()
    check("prune: the note is written again with the new limit and the file's size",
          text[1:2] == ["1"] and text[3:4] == [str(os.path.getsize(w.recovery()))], f"note {text}")
    # the recovery store put back from a copy (bigger again): the note no
    # longer matches the file, the next sync prunes it down again
    shutil.copyfile(os.path.join(big, os.path.basename(w.recovery())), w.recovery())
    back = len(w.versions())
    rc, out, err = w.sync()
    again = w.versions()
    check("prune: a recovery store changed since the note is pruned at the next sync",
          rc == 0 and back == len(vs) and len(again) < back and len(again) == len(after),
          f"{back} -> {len(again)} versions")
    shutil.rmtree(big, ignore_errors=True)


def test_cli(exe, work):
    w = World(exe, os.path.join(work, "cli"), items=40, folders="Contacts,Calendar", seed=13)
    rc, out, err = w("recover", "Office")
    check("cli: a profile whose syncs destroyed nothing", rc == 0 and "nothing replaced or deleted" in out, out + err)
    w.edit(51)
    rc, out, err = w.sync()
    rc, out, err = w("recover", "Office")
    lines = out.splitlines()
    head = lines[0] if lines else ""
    cols = ["ID", "WHEN", "STORE", "FOLDER", "CLASS", "WHAT", "SYNC", "SUBJECT"]
    aligned = all(l[head.index("WHEN")] != " " and l[head.index("WHEN") - 1] == " " and
                  l[head.index("STORE") - 1] == " " and l[head.index("FOLDER") - 1] == " " and
                  l[head.index("WHAT") - 1] == " " for l in lines[1:]) if lines and all(c in head for c in cols) else False
    check("cli: recover lists in aligned columns", rc == 0 and len(lines) > 1 and aligned, out)
    vs = w.versions()
    keys = {"id", "when", "store", "folder", "class", "subject", "what", "sync"}
    check("cli: recover --json", vs and all(keys <= set(v) for v in vs), json.dumps(vs[:1]))
    only = w.json("recover", "Office", "--folder", "/Calendar")["versions"]
    check("cli: --folder", all(v["folder"] == "/Calendar" for v in only) and
          len(only) == sum(1 for v in vs if v["folder"] == "/Calendar"), json.dumps(only[:2]))
    later = w.json("recover", "Office", "--since", "2999-01-01")["versions"]
    early = w.json("recover", "Office", "--since", "2000-01-01T00:00:00Z")["versions"]
    check("cli: --since", not later and len(early) == len(vs), f"{len(later)} {len(early)}")
    allp = w.json("recover")["versions"]
    check("cli: without PROFILE, every profile", len(allp) == len(vs) and all(v["profile"] == "Office" for v in allp),
          f"{len(allp)}")
    for name, args, code, text in (
            ("an unknown profile", ["recover", "Nope"], 1, "Nope"),
            ("an unknown id", ["recover", "Office", "0x7777"], 1, "no version 0x7777"),
            ("a bad id", ["recover", "Office", "zz"], 2, "no version id"),
            ("a bad date", ["recover", "Office", "--since", "yesterday"], 2, "--since"),
            ("--replace alone", ["recover", "Office", "--replace"], 2, "--replace"),
            ("ids and --sync", ["recover", "Office", "0x200024", "--sync", "2"], 2, "not both"),
            ("a sync that destroyed nothing", ["recover", "Office", "--sync", "1"], 1, "nothing")):
        rc, out, err = w(*args)
        check(f"cli: {name}: one line, exit status {code}", rc == code and text in err and
              len(err.strip().splitlines()) <= 2 and "Traceback" not in err, f"exit status {rc}: {err}{out}")
    rc, out, err = w("recover", "--help")
    check("cli: recover --help", rc == 0 and "--replace" in out and "--since" in out, err)
    rec = w.recovery()
    rc, out, err = w("profile", "remove", "Office")
    check("cli: a removed profile's recovery store stays, and profile remove says so",
          rc == 0 and rec and os.path.exists(rec) and "recovery store" in out and "stays" in out,
          f"exit status {rc}: {out}{err}")


EXE = None


def main():
    global EXE
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", default=os.path.join(os.environ.get("BUILD", "build"), "pstsync"))
    ap.add_argument("--only")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    EXE = shlex.split(args.exe)
    work = tempfile.mkdtemp(prefix="pstsync-recovery-")
    parts = [("whole", test_whole), ("kills", test_kills), ("refuse", test_refuse),
             ("retention", test_retention), ("prune", test_prune), ("cli", test_cli)]
    try:
        tools = [t for t in ("pffexport", "pffinfo", "readpst") if not shutil.which(t)]
        if tools:
            skip("recovery tests", f"{', '.join(tools)} not installed (apt-get install pff-tools pst-utils)")
        else:
            for name, fn in parts:
                if args.only and args.only != name:
                    continue
                try:
                    fn(args.exe, work)
                except Exception as e:  # a broken step fails its part, the others go on
                    fail(f"{name}: the part stopped", f"{type(e).__name__}: {e}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
