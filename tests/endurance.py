#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Endurance and fault tests of `pstsync sync`: many rounds of edits and
syncs on stores the test makes, with syncs killed at random instants, a disk
that fills up during a sync, and two processes syncing with one global store.

The test keeps a model of what every linked folder must hold after a
complete sync: each item is known by its subject, "K<key>-v<version>", which
the test sets on every item (the generated ones too) together with a body
made of it ("body of K7-v12"), and a new version on every edit. Between
syncs it edits both sides at random (`set`, `add`, `rm`, `generate --change`
and `--delete`), edits the same items on both sides too (conflicts, also an
edit against a deletion), and answers every question with the options of the
sync (--conflicts local|global|both, --deletes apply|restore, the option
confirm_deletes on or off), so the result of each round is decided in
advance. After each complete sync every folder of each store must hold
exactly the model's subjects (nothing lost, nothing doubled) and a sample of
items the right body; after every run, complete or killed, both stores must
pass `pstsync check` and open in libpff's pffinfo and libpst's readpst (a
store killed in a commit may have its allocation maps marked for rebuilding,
which the next writer does: see store_readable()). Before its syncs a round
checks that its own edits landed as modelled, so that a fault of the editing
commands is not taken for one of the sync; copies of the stores and the
protocol from before the round's first and last sync stay in the work folder
to replay a failure.

Parts:
  kill      two stores (`pstsync generate`) linked in a profile; per round,
            edits, then syncs killed with SIGKILL after a random delay or by
            the engine's hook PSTSYNC_KILL_AFTER_WRITES=N (the Nth store
            write), then a sync that must complete in step; every version the
            round's syncs took from a folder must be kept, once, in the
            recovery store
  diskfull  the stores, settings and protocol on a small tmpfs; per round,
            edits with large items, the rest of the file system filled but a
            random margin, a sync that must fail with one line naming the file
            (or succeed when the margin sufficed), stores intact, then with
            room again a sync to the model's result (needs root to mount;
            skipped with a message otherwise)
  twoproc   two local stores, two settings files (two PCs), one global
            store; per round, edits on both PCs, both syncs started at once
            (one waits for the other's lock; sometimes one is killed), then
            each synced again: all three stores hold the model
  history   rounds of edits and syncs mixed with rounds that put back a copy
            of either store taken some rounds earlier (a restored backup) and
            rounds that rename or move a linked folder (`pstsync mv`, then
            back): the stores hold the model after each sync

usage: endurance.py [--exe CMD] [--short] [--only PART]
Environment: BUILD (build; the work goes to BUILD/endurance), ENDURANCE_ROUNDS
(rounds of the kill part; the disk part runs a third as many, the two-process
part half: default 40, 3 with --short), ENDURANCE_SECONDS (a time budget: no
new round starts after it; default 3000, 100 with --short), ENDURANCE_ITEMS
(generated items per store; default 1000, 120 with --short), ENDURANCE_SEED
(the random seed; default from the clock, printed so a failure can be run
again). Prints figures at the end and the line "N passed, N failed, N skipped".
"""

import argparse
import collections
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time

TIMEOUT = 600          # seconds any one command may take: more is a hang
LINKS = ["/Contacts", "/Calendar", "/Tasks", "/Inbox"]

passed = failed = skipped = 0
figures = collections.Counter()
failures = []


def ok(name):
    global passed
    passed += 1
    if os.environ.get("V") == "1":
        print("ok   " + name, flush=True)


def fail(name, why):
    global failed
    failed += 1
    failures.append(name)
    print("FAIL " + name, flush=True)
    for line in str(why).rstrip().splitlines()[:40]:
        print("     " + line, flush=True)


def skip(name, why):
    global skipped
    skipped += 1
    print("skip %s: %s" % (name, why), flush=True)


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        fail(name, why)
    return cond


class Stop(Exception):
    """A failure after which the part cannot go on meaningfully."""


# ---- running programs ---------------------------------------------------------------------

class Cli:
    """The pstsync under test, with a settings file."""

    def __init__(self, exe, config=None):
        self.exe = shlex.split(exe)
        self.config = config

    def argv(self, args):
        pre = ["--config", self.config] if self.config else []
        return self.exe + pre + [str(a) for a in args]

    def __call__(self, *args, env=None):
        p = subprocess.run(self.argv(args), capture_output=True, text=True, timeout=TIMEOUT,
                           env=env)
        return p.returncode, p.stdout, p.stderr

    def must(self, *args):
        rc, out, err = self(*args)
        if rc != 0:
            raise Stop("pstsync %s: exit status %d: %s" % (" ".join(map(str, args)), rc,
                                                           (err or out).strip()))
        return out

    def popen(self, *args, env=None):
        return subprocess.Popen(self.argv(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)


def store_readable(cli, path, work, name, killed=None):
    """pstsync check, pffinfo and readpst on @path; one result each. A store
    whose writer was killed in a commit may be left with its allocation maps
    marked invalid (fAMapValid 0: [MS-PST] 2.6.1.3.7, the writer's design,
    ndb_write.h), which the next writer rebuilds; `check` says so in a note
    and exits 0. Such notes are counted after a kill (or a sync stopped by a
    full disk, @killed says which) and refused after a complete sync."""
    rc, out, err = cli("check", path)
    notes = [l for l in out.splitlines() if ": note: " in l]
    if notes and killed:
        figures["stores left with maps to rebuild (%s)" % killed] += 1
    check("%s: pstsync check %s" % (name, os.path.basename(path)),
          rc == 0 and (killed or not notes),
          "exit status %d\n%s%s" % (rc, out[-2000:], err[-2000:]))
    p = subprocess.run(["pffinfo", path], capture_output=True, text=True, timeout=TIMEOUT)
    check("%s: pffinfo %s" % (name, os.path.basename(path)), p.returncode == 0,
          "exit status %d\n%s" % (p.returncode, (p.stderr or p.stdout)[-2000:]))
    out_dir = os.path.join(work, "readpst")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    p = subprocess.run(["readpst", "-q", "-o", out_dir, path], capture_output=True, text=True,
                       timeout=TIMEOUT)
    check("%s: readpst %s" % (name, os.path.basename(path)), p.returncode == 0,
          "exit status %d\n%s" % (p.returncode, (p.stderr or p.stdout)[-2000:]))
    shutil.rmtree(out_dir, ignore_errors=True)


# ---- the model ----------------------------------------------------------------------------

def body_of(subject):
    return "body of " + subject


class Model:
    """What every linked folder holds after a complete sync: per folder,
    instance -> subject. An instance is one item; "keep both" makes a second
    instance of the same key."""

    def __init__(self, seed_version=0):
        self.folders = {f: {} for f in LINKS}
        self.key = 0
        self.version = seed_version
        self.instance = 0
        self.key_of = {}

    def new_key(self):
        self.key += 1
        return self.key

    def subject(self, key):
        self.version += 1
        return "K%d-v%d" % (key, self.version)

    def add(self, folder, key, subject):
        self.instance += 1
        self.folders[folder][self.instance] = subject
        self.key_of[self.instance] = key
        return self.instance

    def counter(self, folder):
        return collections.Counter(self.folders[folder].values())

    def total(self):
        return sum(len(v) for v in self.folders.values())


def listing(cli, store, folder):
    """subject -> [(id, modified, size)] of a folder, from `ls --json`."""
    rc, out, err = cli("ls", "--json", "%s:%s" % (store, folder))
    if rc != 0:
        raise Stop("ls %s:%s: exit status %d: %s" % (store, folder, rc, err.strip()))
    items = collections.defaultdict(list)
    for it in json.loads(out)["items"]:
        items[it["subject"]].append((it["id"], it["modified"], it["size"]))
    return items


def compare(cli, model, stores, name, rng, bodies=6, rd=None):
    """Every linked folder of every store against the model; a sample of
    items read whole for their body. Returns True when all agree. @rd, the
    round, explains a difference: what it did to the keys concerned."""
    good = True
    for store in stores:
        for folder in LINKS:
            have = listing(cli, store, folder)
            got = collections.Counter({s: len(v) for s, v in have.items()})
            want = model.counter(folder)
            figures["items checked"] += sum(got.values())
            if got != want:
                missing = sorted((want - got).elements())
                extra = sorted((got - want).elements())
                fail("%s: %s:%s holds the model's items" % (name, os.path.basename(store), folder),
                     "missing %d: %s\nextra (or doubled) %d: %s%s" % (
                         len(missing), " ".join(missing[:20]), len(extra), " ".join(extra[:20]),
                         rd.explain(missing + extra) if rd else ""))
                good = False
                continue
            ok("%s: %s:%s holds the model's items" % (name, os.path.basename(store), folder))
            sample = rng.sample(sorted(have), min(bodies, len(have)))
            for subject in sample:
                rc, out, err = cli("show", "--json", "%s:%s#%s" % (store, folder, have[subject][0][0]))
                body = None
                if rc == 0:
                    for p in json.loads(out)["properties"]:
                        if p.get("name") == "PidTagBody":
                            body = p.get("value")
                if body != body_of(subject):
                    fail("%s: the body of %s in %s:%s" % (name, subject, os.path.basename(store),
                                                         folder),
                         "expected %r, read %r (exit status %d %s)" % (body_of(subject), body, rc,
                                                                      err.strip()))
                    good = False
            figures["bodies checked"] += len(sample)
    if good:
        ok("%s: every folder as modelled" % name)
    return good


def item_args(folder, subject):
    """What `add` and `set` are given to make an item the model knows."""
    args = ["PidTagSubject=" + subject, "PidTagBody=" + body_of(subject)]
    if folder == "/Contacts":
        args += ["PidTagGivenName=" + subject.split("-")[0], "PidTagSurname=" + subject]
    return args


def rename_all(cli, model, store, key_of_subject=None):
    """Give every item of the linked folders a model subject (once, after
    `generate`); the model learns them."""
    for folder in LINKS:
        for subject, entries in sorted(listing(cli, store, folder).items()):
            for ident, _, _ in entries:
                key = model.new_key()
                new = model.subject(key)
                cli.must("set", "-q", "%s:%s#%s" % (store, folder, ident), *item_args(folder, new))
                model.add(folder, key, new)


# ---- one round of edits -------------------------------------------------------------------

KINDS = [  # (local change, global change), weight; "m" edit, "d" delete, None untouched
    (("m", None), 3), ((None, "m"), 3), (("m", "m"), 2), (("d", None), 1), ((None, "d"), 1),
    (("d", "d"), 0.5), (("m", "d"), 1), (("d", "m"), 1),
]


class Round:
    """The edits of one round on sides 0 (local) and 1 (global), and what a
    complete sync with the given answers must make of them."""

    def __init__(self, model, rng):
        self.model = model
        self.rng = rng
        self.changes = {}    # (folder, instance) -> [change local, change global]
        self.added = []      # (folder, side, key, subject)
        self.answers = None
        self.runs = []       # what became of each sync of the round
        self.outputs = []    # what they printed (-v: every action)

    def edit(self, cli, stores, count, adds, generate_ok=True):
        rng, model = self.rng, self.model
        lists = [{f: listing(cli, s, f) for f in LINKS} for s in stores]
        taken = set()
        if generate_ok and rng.random() < 0.3:
            self.generated(cli, stores, lists, "--change", taken)
        if generate_ok and rng.random() < 0.2:
            self.generated(cli, stores, lists, "--delete", taken)
        pool = [(f, i) for f in LINKS for i in model.folders[f] if (f, i) not in taken]
        kinds, weights = zip(*KINDS)
        for folder, inst in rng.sample(pool, min(count, len(pool))):
            change = list(rng.choices(kinds, weights)[0])
            subject = model.folders[folder][inst]
            for t in range(2):
                if change[t] is None:
                    continue
                ident = lists[t][folder][subject][0][0]
                loc = "%s:%s#%s" % (stores[t], folder, ident)
                if change[t] == "d":
                    cli.must("rm", "-q", loc)
                else:
                    new = model.subject(model.key_of[inst])
                    cli.must("set", "-q", loc, *item_args(folder, new))
                    change[t] = ("m", new)
            self.changes[(folder, inst)] = change
            figures["edits"] += sum(c is not None for c in change)
        for _ in range(adds):
            folder, side = rng.choice(LINKS), rng.randrange(2)
            key = model.new_key()
            subject = model.subject(key)
            cli.must("add", "-q", "%s:%s" % (stores[side], folder), *item_args(folder, subject))
            self.added.append((folder, side, key, subject))
            figures["edits"] += 1

    def expect_sides(self, cli, stores):
        """Before the sync: each side holds the model with its own edits.
        Raises Stop when an edit did not land as the model says (a fault of
        the commands that edit, or of the test, not of the sync)."""
        for t, store in enumerate(stores):
            for folder in LINKS:
                want = collections.Counter()
                for inst, subject in self.model.folders[folder].items():
                    c = self.changes.get((folder, inst), [None, None])[t]
                    if c != "d":
                        want[c[1] if c else subject] += 1
                for f, side, _, subject in self.added:
                    if f == folder and side == t:
                        want[subject] += 1
                have = listing(cli, store, folder)
                got = collections.Counter({s: len(v) for s, v in have.items()})
                if got != want:
                    raise Stop("after the edits %s:%s is not as edited: missing %s, extra %s%s" % (
                        os.path.basename(store), folder, sorted((want - got).elements())[:10],
                        sorted((got - want).elements())[:10],
                        self.explain(list((want - got).elements()) + list((got - want).elements()))))

    def generated(self, cli, stores, lists, how, taken):
        """`generate --change` or `--delete` on one side; the items it
        touched are found by their listing and get model subjects."""
        rng, model = self.rng, self.model
        side = rng.randrange(2)
        if how == "--change":
            # the items it edits are found by their modification time, which
            # `ls` gives to the second: let the second of our own edits pass
            time.sleep(1.1)
        cli.must("generate", "-q", stores[side], how, rng.choice(["1", "2", "3"]),
                 "--seed", str(rng.randrange(1, 10 ** 6)))
        for folder in LINKS:
            after = listing(cli, stores[side], folder)
            for inst, subject in model.folders[folder].items():
                # an item the first call changed may be what this one deletes,
                # on the same side or the other
                change = list(self.changes.get((folder, inst), [None, None]))
                if change[side] == "d":
                    continue
                here = change[side][1] if change[side] else subject
                before = lists[side][folder].get(here)
                now = after.get(here)
                if now is None:
                    change[side] = "d"
                elif change[side] is None and now[0][1:] != before[0][1:]:
                    new = model.subject(model.key_of[inst])
                    cli.must("set", "-q", "%s:%s#%s" % (stores[side], folder, now[0][0]),
                             *item_args(folder, new))
                    change[side] = ("m", new)
                else:
                    continue
                self.changes[(folder, inst)] = change
                taken.add((folder, inst))
                figures["edits by generate"] += 1
            lists[side][folder] = listing(cli, stores[side], folder)

    def explain(self, subjects):
        """The round's changes to the keys of @subjects, as text, and what
        the syncs said about them."""
        keys = {s.split("-")[0] for s in subjects}
        lines = []
        for out in self.outputs:
            for line in out.splitlines():
                if any(k + "-" in line for k in keys):
                    lines.append("sync: " + line.strip())
        for (folder, inst), change in sorted(self.changes.items()):
            if "K%d" % self.model.key_of[inst] in keys:
                lines.append("changed in %s: instance %d (key K%d): local %s, global %s" % (
                    folder, inst, self.model.key_of[inst], change[0], change[1]))
        for folder, side, key, subject in self.added:
            if "K%d" % key in keys:
                lines.append("added to %s on the %s side: %s" % (folder, "local global".split()[side],
                                                                 subject))
        lines.append("answers: %s; runs: %s" % (self.answers, "; ".join(self.runs)))
        return "\n" + "\n".join(lines)

    def conflicts(self):
        return sum(1 for c in self.changes.values() if c[0] and c[1] and c != ["d", "d"])

    def settle(self, conflicts, deletes, confirm):
        """The model after a complete sync answering with @conflicts
        (local|global|both) and @deletes (apply|restore), confirm_deletes
        @confirm."""
        model = self.model
        self.answers = (conflicts, deletes, "confirm" if confirm else "no confirm")
        for (folder, inst), (lc, gc) in self.changes.items():
            cur = model.folders[folder][inst]
            now = [cur if c is None else None if c == "d" else c[1] for c in (lc, gc)]
            if lc is None or gc is None:
                t = 0 if gc is None else 1          # the side that changed
                if (lc or gc) == "d" and confirm and deletes == "restore":
                    result = [cur]
                else:
                    result = [now[t]] if now[t] else []
            elif lc == "d" and gc == "d":
                result = []
            elif conflicts == "local":
                result = [now[0]] if now[0] else []
            elif conflicts == "global":
                result = [now[1]] if now[1] else []
            else:   # both: the two versions, or the one left
                result = [s for s in now if s]
            if result:
                model.folders[folder][inst] = result[0]
            else:
                del model.folders[folder][inst]
            for extra in result[1:]:
                model.add(folder, model.key_of[inst], extra)
        for folder, _, key, subject in self.added:
            model.add(folder, key, subject)


# ---- the parts ----------------------------------------------------------------------------

def make_world(cli, work, items, seed, local_name="local.pst", global_name="global.pst"):
    """Two generated stores, each item renamed into the model, a profile
    linking their folders, and a first complete sync."""
    stores = [os.path.join(work, local_name), os.path.join(work, global_name)]
    model = Model()
    for t, store in enumerate(stores):
        cli.must("generate", "-q", store, "--items", items, "--seed", seed + t)
        rename_all(cli, model, store)
    cli.must("profile", "add", "E", "--local", stores[0], "--global", stores[1])
    for folder in LINKS:
        cli.must("profile", "link", "E", folder, folder)
    rc, out, err = cli("sync", "-q", "--wait", "60")
    if rc != 0:
        raise Stop("the first sync: exit status %d: %s" % (rc, (err or out).strip()))
    return stores, model


def sides_now(cli, stores):
    """{(store, folder): Counter of subjects} of every linked folder."""
    return {(side, folder): collections.Counter({s: len(v) for s, v in listing(cli, store, folder).items()})
            for side, store in zip(("local", "global"), stores) for folder in LINKS}


def kept_since(cli, sync_id):
    """Counter of (store, folder, subject) the recovery store keeps from syncs after @sync_id,
    and the newest sync id in it."""
    rc, out, err = cli("recover", "E", "--json")
    if rc != 0:
        raise Stop("recover --json: exit status %d: %s" % (rc, err.strip()))
    vs = json.loads(out)["versions"]
    return collections.Counter((v["store"], v["folder"], v["subject"]) for v in vs
                               if v["sync"] > sync_id), max([v["sync"] for v in vs] + [sync_id])


def check_kept(name, before, after, kept):
    """The safety net: every version a round's syncs (killed or not) took from a folder
    is kept in the recovery store, once."""
    lost = collections.Counter()
    for key in before:
        for subject, n in (before[key] - after[key]).items():
            lost[key + (subject,)] += n
    check("%s: every version the syncs overwrote or deleted is kept once in the recovery store"
          % name, lost == kept, "not kept: %s; kept but not destroyed (or twice): %s"
          % (dict(lost - kept), dict(kept - lost)))
    figures["versions kept"] += sum(kept.values())


def answers(rng):
    return rng.choice(["local", "global", "both"]), rng.choice(["apply", "restore"]), \
        rng.random() < 0.6


def sync_args(conflicts, deletes):
    """A sync answering every question; -v: its actions explain a failure."""
    return ["sync", "-v", "--conflicts", conflicts, "--deletes", deletes, "--allow-mass-delete",
            "--wait", "120"]


def snapshot(work, name):
    """Keep copies of the stores and the protocol (with its -wal) of @work as
    they were before a sync (the first of the round, and the one that
    finishes interrupted ones), so that a failure can be replayed."""
    keep = os.path.join(work, name)
    shutil.rmtree(keep, ignore_errors=True)
    os.makedirs(keep)
    for f in os.listdir(work):
        if f.endswith(".pst") or ".db" in f:
            shutil.copy2(os.path.join(work, f), keep)


class Budget:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return time.monotonic() < self.end


def part_kill(exe, work, cfg, rng, budget):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cli = Cli(exe, os.path.join(work, "pstsync.ini"))
    stores, model = make_world(cli, work, cfg.items, rng.randrange(1, 10 ** 6))
    compare(cli, model, stores, "kill: first sync", rng)
    typical = 0.5          # seconds a sync with work takes, for the kill delays
    hook_max = 200         # writes a sync makes, learnt as it goes
    last_sync = kept_since(cli, 0)[1]
    for r in range(cfg.rounds):
        if not budget.left():
            print("note: the time budget ends the kill part after %d rounds" % r, flush=True)
            break
        name = "kill round %d" % (r + 1)
        rd = Round(model, rng)
        rd.edit(cli, stores, count=max(3, model.total() // 40), adds=rng.randrange(1, 6))
        rd.expect_sides(cli, stores)
        conflicts, deletes, confirm = answers(rng)
        cli.must("options", "set", "confirm_deletes", "yes" if confirm else "no")
        figures["conflicts made"] += rd.conflicts()
        args = sync_args(conflicts, deletes)
        sides_before = sides_now(cli, stores)
        snapshot(work, "before-round")
        kills_this_round = 0
        for k in range(rng.randrange(1, 4)):
            env = dict(os.environ)
            if rng.random() < 0.5:
                n = rng.randrange(1, hook_max + 1)
                env["PSTSYNC_KILL_AFTER_WRITES"] = str(n)
                rc, out, err = cli(*args, env=env)
                killed = rc == 99
                how = "after %d writes" % n
                # learn how many writes a sync makes, to aim within them
                hook_max = min(20000, max(hook_max, 2 * n)) if killed else max(2, n - 1)
            else:
                delay = rng.uniform(0, typical * 1.3)
                p = cli.popen(*args, env=env)
                time.sleep(delay)
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                out, err = p.communicate(timeout=TIMEOUT)
                rc = p.returncode
                killed = rc == -signal.SIGKILL
                how = "after %.3f s" % delay
            rd.runs.append("killed %s" % how if killed else "not killed %s (exit status %d)"
                           % (how, rc))
            rd.outputs.append(out)
            if killed:
                figures["kills"] += 1
                kills_this_round += 1
            elif rc != 0:
                fail("%s: a sync to be killed %s" % (name, how),
                     "exit status %d: %s" % (rc, (err or out).strip()))
            figures["runs"] += 1
            for store in stores:
                store_readable(cli, store, work, "%s, killed %s" % (name, how),
                               "kill" if killed else None)
            rc, out, err = cli("status")
            check("%s: status after a sync killed %s" % (name, how), rc == 0,
                  "exit status %d: %s" % (rc, err.strip()))
            if not killed:
                break      # it finished the round's work: another would have none
        snapshot(work, "before-last-sync")
        start = time.monotonic()
        rc, out, err = cli(*args)
        typical = max(0.1, time.monotonic() - start, typical * 0.8)
        rd.outputs.append(out)
        figures["runs"] += 1
        check("%s: the sync after %d kills completes in step (--conflicts %s --deletes %s, "
              "confirm_deletes %s)" % (name, kills_this_round, conflicts, deletes,
                                       "yes" if confirm else "no"),
              rc == 0, "exit status %d: %s%s" % (rc, out.strip()[-3000:], err.strip()))
        for store in stores:
            store_readable(cli, store, work, name)
        rd.settle(conflicts, deletes, confirm)
        if compare(cli, model, stores, name, rng, rd=rd):
            figures["kills survived"] += kills_this_round
        else:
            raise Stop("%s: the stores left the model; seed %d" % (name, cfg.seed))
        kept, last_sync = kept_since(cli, last_sync)
        check_kept(name, sides_before, sides_now(cli, stores), kept)
        figures["kill rounds"] += 1


def mount_tmpfs(path, size_mb):
    os.makedirs(path, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm" % size_mb, "tmpfs", path],
                       capture_output=True, text=True)
    return p.returncode == 0, (p.stderr or p.stdout).strip()


def fill(path, leave):
    """Fill the file system of @path but @leave bytes; returns the ballast file."""
    ballast = os.path.join(path, "ballast")
    st = os.statvfs(path)
    left = max(0, st.f_bavail * st.f_frsize - leave)
    chunk = b"\1" * (1 << 20)
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while left > 0:
            left -= os.write(fd, chunk[:min(left, len(chunk))])
    except OSError:
        pass
    finally:
        os.close(fd)
    return ballast


def part_diskfull(exe, work, cfg, rng, budget):
    if os.name != "posix" or shutil.which("mount") is None:
        skip("diskfull", "no mount command here")
        return
    shutil.rmtree(work, ignore_errors=True)
    mnt = os.path.join(work, "fs")
    mounted, why = mount_tmpfs(mnt, 64)
    if not mounted:
        skip("diskfull", "cannot mount a tmpfs (%s): the disk-full case needs root" % why)
        return
    try:
        cli = Cli(exe, os.path.join(mnt, "pstsync.ini"))
        stores, model = make_world(cli, mnt, max(40, cfg.items // 4), rng.randrange(1, 10 ** 6))
        compare(cli, model, stores, "diskfull: first sync", rng)
        big = "x" * 100000   # one argument may hold 128 KiB
        for r in range(max(1, (cfg.rounds + 2) // 3)):
            if not budget.left():
                print("note: the time budget ends the disk-full part after %d rounds" % r,
                      flush=True)
                break
            name = "diskfull round %d" % (r + 1)
            rd = Round(model, rng)
            rd.edit(cli, stores, count=6, adds=0, generate_ok=False)
            for _ in range(rng.randrange(2, 6)):
                # large items, so that the copies need room
                folder, side = rng.choice(LINKS), rng.randrange(2)
                key = model.new_key()
                subject = model.subject(key)
                cli.must("add", "-q", "%s:%s" % (stores[side], folder),
                         *item_args(folder, subject), "PidTagComment=" + big)
                rd.added.append((folder, side, key, subject))
            rd.expect_sides(cli, stores)
            conflicts, deletes, confirm = answers(rng)
            cli.must("options", "set", "confirm_deletes", "yes" if confirm else "no")
            args = sync_args(conflicts, deletes)
            # a margin the sync may or may not fit in: its protocol first, the
            # stores' commits later
            leave = rng.choice([0, 4096, 16384, 65536, rng.randrange(100000, 3000000)])
            ballast = fill(mnt, leave)
            rc, out, err = cli(*args)
            lines = [l for l in err.splitlines() if l.strip()]
            if os.environ.get("V") == "1":
                print("     %d bytes left: exit status %d %s" % (leave, rc, lines), flush=True)
            if rc == 0:
                figures["disk full: the margin sufficed"] += 1
                ok("%s: the sync fitted in %d bytes" % (name, leave))
            else:
                figures["disk full hit"] += 1
                check("%s: a full disk (%d bytes left) ends the sync with one line naming the "
                      "file" % (name, leave),
                      rc == 1 and len(lines) == 1 and "'" + mnt in lines[0],
                      "exit status %d, stderr:\n%s\nstdout:\n%s" % (rc, err, out[-2000:]))
                check("%s: the line says the disk is full" % name,
                      bool(lines) and "the disk is full" in lines[0],
                      "stderr:\n%s" % err)
            for store in stores:
                store_readable(cli, store, work, name + " with the disk full",
                               "disk full" if rc != 0 else None)
            rc2, out2, err2 = cli("status")
            lines2 = [l for l in err2.splitlines() if l.strip()]
            check("%s: status with the disk full answers, or says why in a line" % name,
                  rc2 == 0 or (rc2 == 1 and len(lines2) == 1 and "'" + mnt in lines2[0]),
                  "exit status %d: %s" % (rc2, err2.strip()))
            if rc2 != 0:
                figures["status failed with the disk full"] += 1
            os.remove(ballast)
            rc, out, err = cli(*args)
            check("%s: with room again the sync completes in step" % name, rc == 0,
                  "exit status %d: %s%s" % (rc, out.strip()[-3000:], err.strip()))
            for store in stores:
                store_readable(cli, store, work, name)
            rd.settle(conflicts, deletes, confirm)
            if not compare(cli, model, stores, name, rng, rd=rd):
                raise Stop("%s: the stores left the model; seed %d" % (name, cfg.seed))
            figures["disk-full rounds"] += 1
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


def part_twoproc(exe, work, cfg, rng, budget):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "a"))
    os.makedirs(os.path.join(work, "b"))
    glob = os.path.join(work, "global.pst")
    pcs = []
    for name in ("a", "b"):
        cli = Cli(exe, os.path.join(work, name, "pstsync.ini"))
        local = os.path.join(work, name, "local.pst")
        cli.must("create", local)
        cli.must("profile", "add", "PC " + name.upper(), "--local", local, "--global", glob)
        for folder in LINKS:
            cli.must("profile", "link", "PC " + name.upper(), folder, folder)
        pcs.append((cli, local))
    model = Model()
    pcs[0][0].must("generate", "-q", glob, "--items", max(60, cfg.items // 2), "--seed",
                   rng.randrange(1, 10 ** 6))
    rename_all(pcs[0][0], model, glob)
    for cli, _ in pcs:
        rc, out, err = cli("sync", "-q", "--wait", "60")
        if rc != 0:
            raise Stop("twoproc: a first sync: exit status %d: %s" % (rc, err.strip()))
    every = [glob] + [local for _, local in pcs]
    compare(pcs[0][0], model, every, "twoproc: first syncs", rng)
    for r in range(max(1, (cfg.rounds + 1) // 2)):
        if not budget.left():
            print("note: the time budget ends the two-process part after %d rounds" % r,
                  flush=True)
            break
        name = "twoproc round %d" % (r + 1)
        # each PC edits its own items: no item is changed by both, so the
        # order in which the two syncs take the global store does not matter
        rd = Round(model, rng)
        mine = {}
        pool = [(f, i) for f in LINKS for i in model.folders[f]]
        rng.shuffle(pool)
        for k, (cli, local) in enumerate(pcs):
            part = pool[k::2][:max(2, model.total() // 60)]
            lists = {f: listing(cli, local, f) for f in LINKS}
            for folder, inst in part:
                subject = model.folders[folder][inst]
                loc = "%s:%s#%s" % (local, folder, lists[folder][subject][0][0])
                if rng.random() < 0.25:
                    cli.must("rm", "-q", loc)
                    rd.changes[(folder, inst)] = ["d", None]
                else:
                    new = model.subject(model.key_of[inst])
                    cli.must("set", "-q", loc, *item_args(folder, new))
                    rd.changes[(folder, inst)] = [("m", new), None]
                figures["edits"] += 1
            for _ in range(rng.randrange(1, 4)):
                folder = rng.choice(LINKS)
                key = model.new_key()
                subject = model.subject(key)
                cli.must("add", "-q", "%s:%s" % (local, folder), *item_args(folder, subject))
                rd.added.append((folder, 0, key, subject))
                figures["edits"] += 1
            mine[k] = part
        args = sync_args("local", "apply")
        procs = [cli.popen(*args) for cli, _ in pcs]
        victim = rng.randrange(2) if rng.random() < 0.3 else None
        if victim is not None:
            time.sleep(rng.uniform(0, 0.1))
            if procs[victim].poll() is None:
                procs[victim].send_signal(signal.SIGKILL)
        results = []
        killed_here = 0
        for p in procs:
            out, err = p.communicate(timeout=TIMEOUT)
            results.append((p.returncode, out, err))
        for k, (rc, out, err) in enumerate(results):
            if k == victim and rc == -signal.SIGKILL:
                figures["kills"] += 1
                figures["kills (two processes)"] += 1
                killed_here = 1
                rc, out, err = pcs[k][0](*args)
            figures["runs"] += 1
            check("%s: PC %s's sync completes in turn" % (name, "AB"[k]), rc == 0,
                  "exit status %d: %s%s" % (rc, out.strip()[-2000:], err.strip()))
        for store in every:
            store_readable(pcs[0][0], store, work, name, "kill" if victim is not None else None)
        rd.settle("local", "apply", True)
        # the global store has both PCs' changes now; each PC gets the other's
        for cli, _ in pcs:
            rc, out, err = cli(*args)
            check("%s: a second sync of each PC completes" % name, rc == 0,
                  "exit status %d: %s%s" % (rc, out.strip()[-2000:], err.strip()))
        if not compare(pcs[0][0], model, every, name, rng, bodies=3, rd=rd):
            raise Stop("%s: the stores left the model; seed %d" % (name, cfg.seed))
        figures["kills survived"] += killed_here
        figures["two-process rounds"] += 1


# ---- main -----------------------------------------------------------------------------------

def part_history(exe, work, cfg, rng, budget):
    """Rounds of edits and syncs as in the kill part (no kills), mixed with
    rounds that put back a copy of a store taken some rounds earlier (as an
    admin restores last night's backup) and rounds that rename or move a
    linked folder with `pstsync mv` (on either side, then back): after each
    sync the stores hold the model, nothing lost, nothing doubled."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cli = Cli(exe, os.path.join(work, "pstsync.ini"))
    stores, model = make_world(cli, work, cfg.items, rng.randrange(1, 10 ** 6))
    # the standard folders stay where they are (Outlook's rule too): a folder
    # of the user's own, linked and in the model, is the one moved
    LINKS.append(MOVABLE)
    try:
        model.folders[MOVABLE] = {}
        for store in stores:
            cli.must("mkdir", "-q", "%s:%s" % (store, MOVABLE), "--class", "IPF.Contact")
        cli.must("profile", "link", "E", MOVABLE, MOVABLE)
        for k in range(8):
            key = model.new_key()
            subject = model.subject(key)
            cli.must("add", "-q", "%s:%s" % (stores[k % 2], MOVABLE), *item_args(MOVABLE, subject))
            model.add(MOVABLE, key, subject)
        cli.must("sync", "-q", "--wait", "60")
        compare(cli, model, stores, "history: first sync", rng)
        history_rounds(cli, work, cfg, rng, budget, stores, model)
    finally:
        LINKS.remove(MOVABLE)


MOVABLE = "/Clients"


def history_rounds(cli, work, cfg, rng, budget, stores, model):
    copies = []            # (round, side, file)
    for r in range(cfg.rounds):
        if not budget.left():
            print("note: the time budget ends the history part after %d rounds" % r, flush=True)
            break
        name = "history round %d" % (r + 1)
        older = [c for c in copies if c[0] < r]
        kind = "edit"
        if r and rng.random() < 0.6:
            kind = "restore" if older and rng.random() < 0.6 else "move"
        if kind == "restore":
            taken, side, copy = rng.choice(older)
            shutil.copyfile(copy, stores[side])
            what = "%s: the %s store put back from a copy of round %d" % (
                name, ("local", "global")[side], taken + 1)
            snapshot(work, "before-sync")
            rc, out, err = cli("sync", "-v", "--conflicts", "later", "--deletes", "later",
                               "--wait", "120")
            with open(os.path.join(work, "before-sync", "output.txt"), "w") as f:
                f.write(out + err)
            # said when a sync wrote the store since the copy (else it is no older)
            check("%s: the sync completes" % what, rc == 0,
                  "exit status %d: %s%s" % (rc, out.strip()[-3000:], err.strip()[-1500:]))
            figures["restores"] += 1
            figures["restores noticed (an older copy)"] += "older copy" in err
            if not compare(cli, model, stores, what, rng):
                raise Stop("%s: the stores left the model; seed %d" % (what, cfg.seed))
        elif kind == "move":
            side = rng.randrange(2)
            folder = MOVABLE
            dest = rng.choice([folder + " renamed", "/Archive" + folder])
            what = "%s: %s folder %s moved to %s" % (name, ("local", "global")[side], folder, dest)
            if dest.startswith("/Archive"):
                cli.must("mkdir", "-q", "-p", "%s:/Archive" % stores[side])
            cli.must("mv", "%s:%s" % (stores[side], folder), dest)
            rc, out, err = cli("sync", "-v", "--conflicts", "later", "--deletes", "later",
                               "--wait", "120")
            moved = listing(cli, stores[side], dest)
            there = {f: listing(cli, s, folder) for f, s in ((0, stores[side ^ 1]),)}
            got = collections.Counter({k: len(v) for k, v in moved.items()})
            check("%s: followed, in step, nothing deleted" % what,
                  rc == 0 and "renamed or moved" in err and got == model.counter(folder)
                  and collections.Counter({k: len(v) for k, v in there[0].items()})
                  == model.counter(folder),
                  "exit status %d: %s%s" % (rc, out.strip()[-2000:], err.strip()[-1000:]))
            rc2, out2, err2 = cli("ls", "--json", "%s:%s" % (stores[side], folder))
            check("%s: no new folder at the old path" % what, rc2 != 0, out2[-300:])
            cli.must("mv", "%s:%s" % (stores[side], dest), folder)
            rc, out, err = cli("sync", "-v", "--conflicts", "later", "--deletes", "later",
                               "--wait", "120")
            check("%s: and back" % what, rc == 0, "exit status %d: %s" % (rc, err.strip()))
            figures["folders moved"] += 1
            if not compare(cli, model, stores, what, rng):
                raise Stop("%s: the stores left the model; seed %d" % (what, cfg.seed))
        else:
            rd = Round(model, rng)
            rd.edit(cli, stores, count=max(3, model.total() // 40), adds=rng.randrange(1, 6))
            rd.expect_sides(cli, stores)
            conflicts, deletes, confirm = answers(rng)
            cli.must("options", "set", "confirm_deletes", "yes" if confirm else "no")
            snapshot(work, "before-sync")
            rc, out, err = cli(*sync_args(conflicts, deletes))
            rd.outputs.append(out)
            check("%s: the sync completes (--conflicts %s --deletes %s)" % (name, conflicts, deletes),
                  rc == 0, "exit status %d: %s%s" % (rc, out.strip()[-3000:], err.strip()))
            rd.settle(conflicts, deletes, confirm)
            if not compare(cli, model, stores, name, rng, rd=rd):
                raise Stop("%s: the stores left the model; seed %d" % (name, cfg.seed))
        figures["history rounds"] += 1
        for store in stores:
            store_readable(cli, store, work, name)
        if rng.random() < 0.5:
            side = rng.randrange(2)
            copy = os.path.join(work, "copy-%d-%d.pst" % (r, side))
            shutil.copyfile(stores[side], copy)
            copies.append((r, side, copy))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exe", default=None, help="the pstsync to test (default BUILD/pstsync)")
    ap.add_argument("--short", action="store_true", help="the few rounds of `make check`")
    ap.add_argument("--only", choices=["kill", "diskfull", "twoproc", "history"], action="append")
    args = ap.parse_args()
    build = os.environ.get("BUILD", "build")
    exe = args.exe or os.path.join(build, "pstsync")

    class Cfg:
        pass
    cfg = Cfg()
    cfg.rounds = int(os.environ.get("ENDURANCE_ROUNDS", 3 if args.short else 40))
    cfg.items = int(os.environ.get("ENDURANCE_ITEMS", 120 if args.short else 1000))
    seconds = float(os.environ.get("ENDURANCE_SECONDS", 100 if args.short else 3000))
    cfg.seed = int(os.environ.get("ENDURANCE_SEED", int(time.time() * 1000) % 10 ** 9))
    for tool in ("pffinfo", "readpst"):
        if shutil.which(tool) is None:
            print("%s is not installed (make deps)" % tool)
            print("0 passed, 1 failed")
            return 1
    print("endurance: seed %d (ENDURANCE_SEED=%d to run it again), %d rounds, %d items a store, "
          "%s with %s" % (cfg.seed, cfg.seed, cfg.rounds, cfg.items,
                          "%.0f s budget" % seconds, exe), flush=True)
    work = os.path.abspath(os.path.join(build, "endurance"))
    budget = Budget(seconds)
    start = time.monotonic()
    parts = [("kill", part_kill), ("diskfull", part_diskfull), ("twoproc", part_twoproc),
             ("history", part_history)]
    for name, fn in parts:
        if args.only and name not in args.only:
            continue
        rng = random.Random("%d-%s" % (cfg.seed, name))
        t0 = time.monotonic()
        try:
            fn(exe, os.path.join(work, name), cfg, rng, budget)
        except Stop as e:
            fail("%s: stopped" % name, e)
        except subprocess.TimeoutExpired as e:
            fail("%s: stopped" % name, "a command hung for %d s: %s" % (TIMEOUT, e.cmd))
        print("  %s: %.1f s" % (name, time.monotonic() - t0), flush=True)
    figures["seconds"] = round(time.monotonic() - start)
    print("figures (seed %d):" % cfg.seed)
    for key in ("kill rounds", "disk-full rounds", "two-process rounds", "history rounds",
                "restores", "restores noticed (an older copy)", "folders moved", "runs", "kills",
                "kills (two processes)", "kills survived", "versions kept",
                "stores left with maps to rebuild (kill)",
                "stores left with maps to rebuild (disk full)", "conflicts made", "edits",
                "edits by generate", "disk full hit", "disk full: the margin sufficed",
                "status failed with the disk full",
                "items checked", "bodies checked", "seconds"):
        print("  %-40s %d" % (key, figures[key]))
    print("  %-40s %s" % ("failures", ", ".join(failures) if failures else "none"))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
