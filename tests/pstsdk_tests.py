#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""The stores pstsync writes, read by a third reader: Microsoft's PST File
Format SDK (pstsdk), through ../shared/tools/pstsdk-dump (found beside the
samples, as SAMPLES/../tools/pstsdk-dump; built into BUILD/tools when it is
not yet; skipped with a word where it is absent). pstsdk checks the CRC of
every page and block it reads and asserts what [MS-PST] requires of the
structures (a row matrix's blocks but the last full, 2.3.4.4, among them):
pstsdk-dump prints each of its exceptions, crashes and such blocks as an
ERROR, CRASH or NOTE line.

The tests:
  copies     every sample copied whole (copy --recursive) into a new store:
             in pstsdk the same messages with the same properties, recipients
             and attachments as the sample, and no ERROR, CRASH or NOTE line
             the sample does not have
  generated  stores of 1,000 and 10,000 generated items (--items): clean in
             pstsdk, with the folders, counts and subjects pstsync lists
  sync       two stores after a sync both ways and after changes on both
             sides: clean, and a linked folder holds the same messages on both
  kills      `generate` killed at random instants: what the file holds then
             is clean in pstsdk
  padding    a store written by pstsync before row-matrix blocks were padded
             (tests/data/unpadded-tasks-140.pst.gz: `pstsync generate
             --items 140 --seed 3 --folders Tasks` of that version): check
             reports it, `check --repair` and any later write put it right,
             and pstsdk reads the result clean with the same messages
  peer       pstsdk's own test suite (peer-tests.sh) on copies of its
             samples and a store of --peer generated contacts

usage: pstsdk_tests.py [--exe CMD] [--samples DIR] [--build DIR] [--items N]
                       [--peer N] [--only NAME]
Ends with the line "N passed, N failed, N skipped".
"""

import argparse
import collections
import gzip
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

passed = failed = skipped = 0

# Properties that belong to the store a message is in, not to the message
# (as in write_tests.py): its size as that writer computes it, table row
# ids and versions, and ids made of the store's record key and node ids.
STORE_PROPS = {0x0E08, 0x67F2, 0x67F3, 0x0FFF, 0x0FF9, 0x0FF6}
# ... and on a recipient or attachment, its table row's id and version
ROW_PROPS = {0x67F2, 0x67F3, 0x0FF6}
# Sizes each writer computes: of a message, embedded ones included, and of
# an attachment
SIZE_PROPS = {0x0E08, 0x0E20}
# Samples whose messages pstsdk cannot read whole (a property of type
# 0x0000 in Test_part1's contacts: an ERROR line each) while it reads their
# copies whole, which leave the bad property out: there the messages are
# compared by class, subject and counts of recipients and attachments.
UNREADABLE_IN_SOURCE = {"aspose-email__Test_part1.pst"}
# A contact's own entry ID (PidLidContactEntryId... of the contact's form):
# made of its store's record key and NID, as its PidTagEntryId
OWN_ENTRY_ID = "{00062008-0000-0000-C000-000000000046}:0x85bd "
# Entry IDs of other items of the store, which a copy makes name the items it
# copied with them (pstsync/item_refs.h; tests/item_tests.py checks them entry
# by entry): a list's members and their checksum, a contact's birthday and
# anniversary appointments (PSETID_Address), linked contacts (PSETID_Common)
STORE_ENTRY_IDS = tuple("{00062004-0000-0000-C000-000000000046}:" + lid + " " for lid in
                        ("0x8055", "0x804c", "0x804d", "0x804e")) + \
    ("{00062008-0000-0000-C000-000000000046}:0x8585 ",)
# What a sync does not carry from one store to the other, as it is each
# store's own (src/core/fingerprint.c): change keys and numbers, the parent
# node, the status, the creation time, ids of the store, the access rights,
# the conversation id; and pstsync's marker (PstsyncCopyId, by name)
SYNC_PROPS = {0x65E2, 0x65E3, 0x67A4, 0x67F1, 0x0E17, 0x3007, 0x0E09, 0x0FFB, 0x0FFA, 0x0FF8,
              0x0FF4, 0x0FF7, 0x3013}
BAD = ("ERROR", "CRASH", "NOTE")


def ok(name):
    global passed
    passed += 1
    print(f"ok   {name}")


def fail(name, why):
    global failed
    failed += 1
    print(f"FAIL {name}\n     {why}")


def skip(name, why):
    global skipped
    skipped += 1
    print(f"skip {name}: {why}")


def check(name, good, why):
    if good:
        ok(name)
    else:
        fail(name, why)
    return good


def run(cmd, timeout=600, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                          timeout=timeout, **kw)


class Dump:
    """What pstsdk-dump prints of a store: its bad lines (ids made
    comparable) and, per folder path, the multiset of its messages, each a
    text of its properties, recipients and attachments without the
    store's own ids."""

    def __init__(self, tool, store, skip_fai=False, drop=()):
        r = run([tool, "--timeout", "120", store], timeout=900)
        self.text = r.stdout
        self.status = r.returncode
        self.bad = collections.Counter()
        self.bad_lines = []
        self.folders = collections.defaultdict(collections.Counter)
        self.counts = {}
        self.summary = ""
        self.drop = drop
        self._parse(r.stdout.splitlines(), skip_fai)

    def _parse(self, lines, skip_fai):
        folder = None
        item = None

        def close():
            nonlocal item
            if item is not None and folder is not None and not (skip_fai and item[0].startswith("FAI")):
                self.folders[folder][normalise_item(item, self.drop)] += 1
            item = None

        for line in lines:
            body = line.lstrip(" ")
            depth = (len(line) - len(body)) // 2
            word = body.split(" ", 1)[0]
            if word in BAD:
                self.bad_lines.append(body)
                self.bad[re.sub(r"0x[0-9a-fA-F]+|#\d+", "#", body)] += 1
                continue
            if word == "SUMMARY":
                self.summary = body
            if depth == 0:
                close()
                folder = None
                if word == "FOLDER":
                    m = re.match(r'FOLDER "((?:[^"\\]|\\.)*)".* count=(\S+)', body)
                    if m:
                        folder = m.group(1)
                        self.counts[folder] = m.group(2)
                continue
            if depth == 1 and word in ("MSG", "FAI"):
                close()
                item = [body]
                continue
            if depth == 1:
                close()
            if item is not None and depth >= 2:
                item.append("  " * (depth - 2) + body)
        close()


def normalise_item(lines, drop=()):
    """A message's lines without its store's ids: tokens '@...', the
    numbering '#i', the local ids of named properties (their names stay),
    and on the message itself the store's properties; 8-bit strings read as
    Unicode (a copy of an ANSI store is Unicode); the properties of each
    object sorted."""
    out, run_ = [], []

    def flush():
        out.extend(sorted(run_))
        run_.clear()

    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        indent = line[:len(line) - len(body)]
        body = re.sub(r" @\S+", "", body)
        body = re.sub(r"^(MSG|FAI|RCPT|ATT) #\d+", r"\1", body)
        body = body.replace("PT_STRING8", "PT_UNICODE").replace("PT_MV_STRING8", "PT_MV_UNICODE")
        # a boolean's stored bytes (a copy writes 1), sizes writers compute
        body = re.sub(r" raw=0x\S+| size=\d+", "", body)
        if body.startswith("WARN "):
            continue
        m = re.match(r"P 0x([0-9a-f]{4}) (\S+)", body)
        if m:
            pid = int(m.group(1), 16)
            if pid in ROW_PROPS or pid in SIZE_PROPS or (indent == "" and pid in STORE_PROPS):
                continue
            if (indent == "" and pid in drop) or (drop and "\"PstsyncCopyId\"" in body):
                continue
            if OWN_ENTRY_ID in body:
                continue     # a contact's own entry id names it in its store
            if any(k in body for k in STORE_ENTRY_IDS):
                continue     # names other items of its store, as the copy's
            if "(not in the name-to-id map)" in body:
                continue     # a name the source lost: nothing a copy can keep
            if m.group(2) != "-":
                body = "P named" + body[len("P 0x0000"):]
            run_.append(indent + body)
            continue
        flush()
        # a props= count includes the ones left out above
        body = re.sub(r" props=\d+", "", body)
        out.append(indent + body)
    flush()
    return "\n".join(out)


def new_bad(src, dst):
    """Bad lines of @p dst that @p src does not have as well."""
    return list((dst.bad - src.bad).elements()) if src else list(dst.bad.elements())


def compare(src, dst, folders=None, more=False):
    """What differs between the messages of two dumps (folder by folder);
    with @p more, messages alike by their first line (class, subject, counts)."""
    out = []
    for path in sorted(set(src.folders) | set(dst.folders)):
        if folders is not None and path not in folders:
            continue
        a, b = src.folders.get(path, collections.Counter()), dst.folders.get(path, collections.Counter())
        if a == b:
            continue
        if more and collections.Counter(t.splitlines()[0] for t in a.elements()) == \
                collections.Counter(t.splitlines()[0] for t in b.elements()):
            continue
        gone, extra = list((a - b).elements()), list((b - a).elements())
        out.append(f"{path}: {len(gone)} message(s) differ or are missing, {len(extra)} differ or are new")
        if gone and extra:
            same = [e for e in extra if e.splitlines()[0] == gone[0].splitlines()[0]]
            ga, gb = gone[0].splitlines(), (same or extra)[0].splitlines()
            diff = [f"-{x}" for x in ga if x not in gb][:4] + [f"+{x}" for x in gb if x not in ga][:4]
            out.append("  " + "; ".join(diff)[:400])
        elif gone:
            out.append("  missing: " + gone[0].splitlines()[0][:200])
        else:
            out.append("  new: " + extra[0].splitlines()[0][:200])
    return out


class Env:
    def __init__(self, exe, samples, build, tool):
        self.exe = shlex.split(exe)
        self.samples = samples
        self.build = build
        self.tool = tool
        self.work = tempfile.mkdtemp(prefix="pstsync-pstsdk-")
        self.config = os.path.join(self.work, "pstsync.ini")

    def __call__(self, *args, **kw):
        return run(self.exe + ["--config", self.config] + list(args), **kw)

    def must(self, *args):
        r = self(*args)
        if r.returncode != 0:
            raise RuntimeError(f"pstsync {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()[:300]}")
        return r

    def path(self, name):
        return os.path.join(self.work, name)

    def dump(self, store, drop=()):
        return Dump(self.tool, store, drop=drop)


def clean(name, env, d, src=None):
    """No bad line beyond the source's, pstsdk-dump itself fine."""
    bad = new_bad(src, d)
    check(f"{name}: pstsdk reads it with no ERROR, CRASH or NOTE line of its own",
          d.status == 0 and d.summary and not bad,
          f"exit {d.status}; {len(bad)} new: " + " | ".join(b[:160] for b in bad[:4]))


def listing(env, store):
    """{folder path: (items, [subjects])} as pstsync lists it (libpff)."""
    out = {}
    r = env("ls", "--json", "-q", store)
    for f in json.loads(r.stdout).get("folders", []):
        path = f.get("path")
        items = json.loads(env("ls", "--json", "-q", f"{store}:{path}").stdout).get("items", [])
        out[path] = (f.get("items"), sorted((i.get("subject") or "") for i in items))
    return out


def dump_subjects(d, path):
    subs = []
    for text, n in d.folders.get(path, {}).items():
        m = re.search(r' subject="((?:[^"\\]|\\.)*)"', text.splitlines()[0])
        s = m.group(1) if m else ""
        s = re.sub(r"^\\x01.", "", s)     # the subject prefix marker
        subs += [s] * n
    return sorted(subs)


# ---- the tests ------------------------------------------------------------------------------

def test_copies(env):
    names = sorted(f for f in os.listdir(env.samples) if f.endswith(".pst"))
    for f in names:
        src = os.path.join(env.samples, f)
        dst = env.path("copy-" + f)
        env.must("create", dst)
        r = env("copy", "--recursive", "-q", f"{src}:/", f"{dst}:/")
        if r.returncode not in (0, 1):
            fail(f"copy {f}", f"exit {r.returncode}: {r.stderr.strip()[:300]}")
            continue
        a, b = env.dump(src), env.dump(dst)
        clean(f"copy {f}", env, b, a)
        # the sample's folders below the top, as copied (the copy's
        # standard folders that the sample lacks are left out)
        diff = compare(a, b, folders={p for p in a.folders if p.startswith("/")},
                       more=f in UNREADABLE_IN_SOURCE)
        check(f"copy {f}: the same messages, properties, recipients and attachments in pstsdk",
              not diff, "\n     ".join(diff[:6]))


def test_generated(env, counts):
    for n in counts:
        store = env.path(f"gen{n}.pst")
        t = time.time()
        env.must("generate", store, "--items", str(n), "--seed", "12", "-q")
        d = env.dump(store)
        clean(f"generated {n}", env, d)
        mine = listing(env, store)
        wrong = []
        for path, (count, subjects) in mine.items():
            if path == "/":
                continue
            if str(count) != d.counts.get(path):
                wrong.append(f"{path}: pstsync lists {count}, pstsdk counts {d.counts.get(path)}")
            elif subjects != dump_subjects(d, path):
                wrong.append(f"{path}: the subjects differ")
        check(f"generated {n}: pstsdk reads the folders, counts and subjects pstsync lists",
              not wrong and mine, "; ".join(wrong[:4]) or "nothing listed")
        print(f"     ({n} items: {time.time() - t:.1f} s)")


def test_sync(env):
    a, g = env.path("sync-local.pst"), env.path("sync-global.pst")
    env.must("generate", a, "--items", "600", "--seed", "21", "--folders", "Contacts,Calendar", "-q")
    env.must("generate", g, "--items", "400", "--seed", "22", "--folders", "Contacts,Calendar", "-q")
    env.must("profile", "add", "P", "--local", a, "--global", g)
    env.must("profile", "link", "P", "/Contacts", "/Contacts")
    env.must("profile", "link", "P", "/Calendar", "/Calendar")
    r = env("sync", "-q", "--wait", "60")
    check("sync: the first sync both ways ends well", r.returncode == 0, r.stderr.strip()[:300])
    env.must("generate", a, "--change", "5", "--seed", "23", "-q")
    r = env("sync", "-q", "--wait", "60")
    check("sync: a sync of items changed on the local side ends well", r.returncode == 0,
          f"exit {r.returncode}: {r.stderr.strip()[:300]}")
    env.must("generate", g, "--delete", "3", "--seed", "24", "-q")
    env.must("generate", g, "--change", "3", "--seed", "25", "-q")
    r = env("sync", "-q", "--wait", "60", "--deletes", "apply", "--conflicts", "global")
    check("sync: a sync of items deleted and changed on the global side ends well",
          r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()[:300]}")
    da, dg = env.dump(a, SYNC_PROPS), env.dump(g, SYNC_PROPS)
    clean("sync: the local store", env, da)
    clean("sync: the global store", env, dg)
    diff = compare(da, dg, folders={"/Contacts", "/Calendar"})
    check("sync: the linked folders hold the same messages in pstsdk", not diff,
          "\n     ".join(diff[:6]))


def test_kills(env):
    rnd = random.Random(7)
    store = env.path("kill.pst")
    exe = env.exe + ["--config", env.config]
    bad_after = []
    rounds = 0
    for i in range(6):
        if i == 0 or not os.path.exists(store):
            env.must("generate", store, "--items", "300", "--seed", "31", "-q")
        p = subprocess.Popen(exe + ["generate", store, "--items", "3000", "--seed", str(40 + i),
                                    "--batch", "200", "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.05, 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        rounds += 1
        # what the file holds after a kill: the journal is replayed by the
        # next writer; a read-only reader sees the last commit
        d = env.dump(store)
        if d.status != 0 or new_bad(None, d):
            bad_after.append(f"round {i}: " + " | ".join(d.bad_lines[:2])[:300])
            break
    check(f"kills: after {rounds} kills of generate the store reads clean in pstsdk",
          not bad_after, "; ".join(bad_after))
    r = env("check", store)
    check("kills: and passes check", r.returncode == 0, r.stdout.strip()[-300:])


def test_padding(env):
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "unpadded-tasks-140.pst.gz")
    old = env.path("unpadded.pst")
    with gzip.open(data, "rb") as f, open(old, "wb") as o:
        shutil.copyfileobj(f, o)
    before = env.dump(old)
    r = env("check", old)
    check("padding: check reports the short row-matrix blocks of an earlier pstsync",
          r.returncode == 1 and "2.3.4.4" in r.stdout, f"exit {r.returncode}: {r.stdout.strip()[-300:]}")
    check("padding: pstsdk notes them too (the test's own premise)",
          any(b.startswith("NOTE") for b in before.bad_lines), "no NOTE line")
    rep = env.path("repaired.pst")
    shutil.copy(old, rep)
    r = env("check", "--repair", rep)
    check("padding: check --repair repairs them and the check after is clean",
          r.returncode == 0 and "repaired 1 table" in r.stderr, f"exit {r.returncode}: "
          f"{r.stdout.strip()[-200:]} {r.stderr.strip()[-200:]}")
    d = env.dump(rep)
    clean("padding: after check --repair", env, d)
    diff = compare(before, d)
    check("padding: after check --repair, the same messages in pstsdk", not diff, "\n     ".join(diff[:6]))
    r = env("check", "--repair", rep)
    check("padding: a second check --repair has nothing to do and writes nothing",
          r.returncode == 0 and "repaired 0 tables" in r.stderr, r.stderr.strip()[-200:])
    ansi = os.path.join(env.samples, "emk_pstsdk__test_ansi.pst")
    if os.path.exists(ansi):
        a = env.path("ansi.pst")
        shutil.copy(ansi, a)
        os.chmod(a, 0o644)
        r = env("check", "--repair", a)
        check("padding: check --repair of a store it cannot write says why and checks it all the same",
              r.returncode == 1 and "ANSI" in r.stderr and "no problems" in r.stdout
              and open(a, "rb").read() == open(ansi, "rb").read(),
              f"exit {r.returncode}: {r.stdout.strip()[-200:]} {r.stderr.strip()[-200:]}")
    # any write repairs them too, a small one included
    nxt = env.path("next-write.pst")
    shutil.copy(old, nxt)
    env.must("mkdir", f"{nxt}:/Elsewhere")
    r = env("check", nxt)
    check("padding: the next write (mkdir) repairs them as well", r.returncode == 0, r.stdout.strip()[-300:])
    clean("padding: after the next write", env, env.dump(nxt))
    # the block-by-block editor on such a table: a few rows changed
    ed = env.path("edited.pst")
    shutil.copy(old, ed)
    env.must("generate", ed, "--change", "2", "--seed", "5", "-q")
    env.must("generate", ed, "--items", "70", "--seed", "6", "--folders", "Tasks", "-q")
    env.must("generate", ed, "--delete", "40", "--seed", "7", "-q")
    r = env("check", ed)
    check("padding: rows changed, added and deleted block by block leave it padded",
          r.returncode == 0, r.stdout.strip()[-300:])
    clean("padding: after block-by-block edits", env, env.dump(ed))


def test_peer(env, n):
    script = os.path.join(os.path.dirname(env.tool_src), "pstsdk-dump", "peer-tests.sh") \
        if env.tool_src else None
    if not script or not os.path.exists(script):
        skip("peer", "peer-tests.sh is not there")
        return
    exe = os.path.abspath(env.exe[-1]) if len(env.exe) == 1 else None
    if not exe:
        skip("peer", "pstsdk's own tests run on a native build only")
        return
    t = time.time()
    r = run(["sh", script, exe, str(n)], timeout=900,
            env=dict(os.environ, SAMPLES=os.path.abspath(env.samples)))
    check(f"peer: pstsdk's own test suite passes on pstsync's copies and {n} generated contacts",
          r.returncode == 0, (r.stdout + r.stderr).strip()[-400:])
    print(f"     ({time.time() - t:.0f} s)")


def find_tool(samples, build):
    """(pstsdk-dump, its source folder or None), building it when needed."""
    src = os.path.normpath(os.path.join(samples, "..", "tools", "pstsdk-dump"))
    if not os.path.exists(os.path.join(src, "build.sh")):
        src = None
    tool = os.path.join(build, "tools", "pstsdk-dump")
    if os.path.exists(tool) and (not src or os.path.getmtime(tool) >= os.path.getmtime(
            os.path.join(src, "dump.cpp"))):
        return tool, src
    if not src:
        return None, None
    r = run(["sh", os.path.join(src, "build.sh"), os.path.join(build, "tools")], timeout=900)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        return None, src
    return tool, src


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", default="build/pstsync")
    ap.add_argument("--samples", default=os.environ.get("SAMPLES", "../shared/pst-samples"))
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--items", default="1000,10000")
    ap.add_argument("--peer", type=int, default=4000)
    ap.add_argument("--only")
    args = ap.parse_args()
    tests = ["copies", "generated", "sync", "kills", "padding", "peer"]
    if not os.path.isdir(args.samples):
        skip("pstsdk", f"the samples folder '{args.samples}' is absent (and the tool beside it)")
    else:
        tool, src = find_tool(args.samples, args.build)
        if not tool:
            skip("pstsdk", "pstsdk-dump is not there: "
                 + ("it did not build (g++ and libboost-dev: make deps)" if src else
                    f"{os.path.join(args.samples, '..', 'tools', 'pstsdk-dump')} is absent"))
        else:
            env = Env(args.exe, args.samples, args.build, tool)
            env.tool_src = src
            try:
                for t in tests:
                    if args.only and t != args.only:
                        continue
                    try:
                        if t == "copies":
                            test_copies(env)
                        elif t == "generated":
                            test_generated(env, [int(x) for x in args.items.split(",") if x])
                        elif t == "sync":
                            test_sync(env)
                        elif t == "kills":
                            test_kills(env)
                        elif t == "padding":
                            test_padding(env)
                        elif t == "peer":
                            test_peer(env, args.peer)
                    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
                        fail(t, f"stopped: {e}")
            finally:
                shutil.rmtree(env.work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
