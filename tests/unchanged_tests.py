#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Tests of the sync's shortcut for what did not change, on real
PST files made by `create` and `add`: a link whose two contents tables are
as the last sync left them (the same data and subnode BIDs) is not read at
all. Each test makes one kind of change and checks that the next sync reads
the link in full (saying why, in `sync --json`'s "read_in_full") and carries
the change, and that the sync after it reads nothing of the link again:

  idle       a sync with nothing to do reads no table, and less than a full read
  set        an edit by `pstsync set` on either side
  add, rm    an item added or deleted on either side
  other      a store edited by another program (`pstsync generate --change`)
  restored   a store put back from a copy, then edited so that its table gets
             the BIDs the stamp names again: the sync marks tell, not the BIDs
  questions  a conflict left for later: read in full until it is answered
  killed     a sync killed half way leaves no stamp: the next reads everything
  one-way    a one-way link's items left on one side keep their count, and
             the link made two-way is read in full and carries them

Every store is also compared with the other through `pstsync ls` at the end
of each test. usage: unchanged_tests.py [--exe "CMD"] [--only NAME]
Ends with the line "N passed, N failed, N skipped".
"""

import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_tests as wt  # noqa: E402
import cli_tests as ct  # noqa: E402
import history_tests as ht  # noqa: E402

check = wt.check
NAMES = ("Anna Berg", "Carl Diaz", "Eva Fox", "Gus Hall")


def sync(w, *args):
    r, doc = w.sync("--conflicts", "later", "--deletes", "apply", *args)
    return r, ct.counts_of(doc)


def reasons(p):
    return [l.get("read_in_full", "missing") for l in (p or {}).get("links", [])]


def read_bytes(p, side):
    io = (p or {}).get("io", {}).get(side) or {}
    return io.get("bytes_read", -1), io.get("reads", -1)


def world(cli, env, name, **kw):
    w = ht.World(cli, env, name, local=NAMES, **kw)
    r, p = sync(w)
    assert r.returncode == 0 and p, wt.err_text(r)
    return w


def settled(w, tag):
    """The sync after a change: nothing to do, and no table read."""
    r, p = sync(w)
    check(f"{tag}: the next sync reads no table and finds nothing to do",
          r.returncode == 0 and p and ct.flat(p) == (0,) * 7 and reasons(p) == [None] * len(reasons(p)),
          f"{wt.err_text(r)} {p and ct.flat(p)} {reasons(p)}")
    check(f"{tag}: both folders hold the same items", w.names(0) == w.names(1),
          f"{w.names(0)} {w.names(1)}")


def test_idle(cli, env):
    """A generated global store of 2,000 items: once synced, a sync reads a
    small part of what a full read takes, and finds the same."""
    w = ct.SyncWorld(cli, env, "idle")
    r = cli("generate", cli.path(w.store[1]), "--items", "2000", "--seed", "3", "-q")
    assert r.returncode == 0, wt.err_text(r)
    r = cli("create", "-q", cli.path(w.store[0]))
    assert r.returncode == 0, wt.err_text(r)
    for args in (["profile", "add", "T", "--local", cli.path(w.store[0]), "--global", cli.path(w.store[1])],
                 ["profile", "link", "T", "/Contacts", "/Contacts"], ["profile", "link", "T", "/Inbox", "/Inbox"]):
        r = w.run(*args)
        assert r.returncode == 0, wt.err_text(r)
    r, first = sync(w)
    assert r.returncode == 0 and first, wt.err_text(r)
    r, q = sync(w)
    check("idle: the sync after the first reads no table (the first one stamped them)",
          r.returncode == 0 and reasons(q) == [None, None] and ct.flat(q) == (0,) * 7, str(reasons(q)))
    # without the stamps: the same sync read in full, for comparison
    proto = [f for f in os.listdir(w.dir) if f.startswith("protocol-") and f.endswith(".db")]
    con = sqlite3.connect(os.path.join(w.dir, proto[0]))
    con.execute("DELETE FROM link_stamp")
    con.commit()
    con.close()
    r, p = sync(w)
    check("idle: without a stamp the links are read in full, and say why",
          r.returncode == 0 and ct.flat(p) == (0,) * 7
          and reasons(p) == ["no stamp of the last sync (it did not end, or left work)"] * 2, str(reasons(p)))
    check("idle: not reading the tables reads a quarter of the bytes or less, and fewer calls",
          all(0 < read_bytes(q, s)[0] * 4 <= read_bytes(p, s)[0] and read_bytes(q, s)[1] < read_bytes(p, s)[1]
              for s in ("local", "global")),
          f"{[read_bytes(q, s) for s in ('local', 'global')]} vs {[read_bytes(p, s) for s in ('local', 'global')]}")
    check("idle: the item counts are the last sync's",
          [(l["items"]["local"], l["items"]["global"]) for l in q["links"]]
          == [(l["items"]["local"], l["items"]["global"]) for l in p["links"]], str(q["links"]))
    r, q = sync(w)
    check("idle: and stamped again", r.returncode == 0 and reasons(q) == [None, None], str(reasons(q)))


def test_set(cli, env):
    for side, word in ((0, "local"), (1, "global")):
        w = world(cli, env, f"set-{word}")
        sync(w)
        r = w.set(side, "/Contacts", "Eva Fox", f"PidTagBusinessTelephoneNumber=555-{side}")
        assert r.returncode == 0, wt.err_text(r)
        r, p = sync(w)
        over = ct.flat(p)[2:4] if p else None
        check(f"set on {word}: noticed, read in full because the {word} table changed",
              r.returncode == 0 and reasons(p) == [f"the {word} contents table changed"]
              and over == ((0, 1) if side == 0 else (1, 0)), f"{reasons(p)} {over} {wt.err_text(r)}")
        check(f"set on {word}: the edit reached the other side",
              f"555-{side}" in w.body_of(side ^ 1, "Eva Fox"), w.body_of(side ^ 1, "Eva Fox")[-400:])
        settled(w, f"set on {word}")


def test_add_rm(cli, env):
    for side, word in ((0, "local"), (1, "global")):
        w = world(cli, env, f"addrm-{word}")
        sync(w)
        r = w.add(side, "/Contacts", "PidTagGivenName=Ivy", "PidTagSurname=Jones")
        assert r.returncode == 0, wt.err_text(r)
        r, p = sync(w)
        check(f"add on {word}: noticed and copied",
              r.returncode == 0 and p and ct.flat(p)[:2] == ((0, 1) if side == 0 else (1, 0))
              and reasons(p) == [f"the {word} contents table changed"], f"{reasons(p)} {p and ct.flat(p)}")
        settled(w, f"add on {word}")
        r = w.rm(side, "/Contacts", "Carl Diaz")
        assert r.returncode == 0, wt.err_text(r)
        r, p = sync(w)
        check(f"rm on {word}: noticed and deleted on the other side",
              r.returncode == 0 and p and ct.flat(p)[4:6] == ((0, 1) if side == 0 else (1, 0))
              and w.names(side ^ 1)["Carl Diaz"] == 0, f"{reasons(p)} {p and ct.flat(p)}")
        settled(w, f"rm on {word}")


def test_other_program(cli, env):
    """generate --change edits items through its own path, as another program would."""
    w = world(cli, env, "other")
    sync(w)
    r = w.cli("generate", w.cli.path(w.store[1]), "--change", "50", "--seed", "5", "-q")
    assert r.returncode == 0, wt.err_text(r)
    r, p = sync(w)
    check("another program's edits: noticed and carried",
          r.returncode == 0 and p and reasons(p) == ["the global contents table changed"]
          and ct.flat(p)[2] >= 1, f"{reasons(p)} {p and ct.flat(p)} {wt.err_text(r)}")
    settled(w, "another program's edits")


def test_restored(cli, env):
    """Put back a copy, then make another edit in it: its table may get the
    very BIDs the stamp names (the BIDs after the copy are handed out again),
    so the sync marks must decide, and the edit must travel."""
    for side, word in ((0, "local"), (1, "global")):
        w = world(cli, env, f"restored-{word}")
        sync(w)
        w.save(side, "bak")
        r = w.set(side, "/Contacts", "Gus Hall", "PidTagBusinessTelephoneNumber=111-first")
        assert r.returncode == 0, wt.err_text(r)
        r, p = sync(w)
        assert r.returncode == 0, wt.err_text(r)
        w.put_back(side, "bak")
        r = w.set(side, "/Contacts", "Anna Berg", "PidTagBusinessTelephoneNumber=222-second")
        assert r.returncode == 0, wt.err_text(r)
        r, p = sync(w)
        check(f"restored {word}: read in full, because the store was put back",
              r.returncode == 0 and reasons(p) == ["a store was put back from a copy, or replaced"],
              f"{reasons(p)} {wt.err_text(r)}")
        check(f"restored {word}: the edit made after putting it back travels",
              "222-second" in w.body_of(side ^ 1, "Anna Berg"), w.body_of(side ^ 1, "Anna Berg")[-300:])
        check(f"restored {word}: the newer version comes back into the restored store",
              "111-first" in w.body_of(side, "Gus Hall"), w.body_of(side, "Gus Hall")[-300:])


def test_questions(cli, env):
    w = world(cli, env, "questions")
    sync(w)
    w.set(0, "/Contacts", "Anna Berg", "PidTagBusinessTelephoneNumber=1-local")
    w.set(1, "/Contacts", "Anna Berg", "PidTagBusinessTelephoneNumber=1-global")
    r, p = sync(w)
    check("questions: a conflict left for later", r.returncode == 3 and p and p["counts"]["outstanding"] == 1,
          wt.err_text(r))
    r, p = sync(w)
    check("questions: an open question has the link read in full",
          r.returncode == 3 and reasons(p) == ["questions are open"] and p["counts"]["outstanding"] == 1,
          f"{reasons(p)} {wt.err_text(r)}")
    r, doc = w.sync("--conflicts", "global")
    p = ct.counts_of(doc)
    check("questions: answered, then carried", r.returncode == 0 and p and ct.flat(p)[2] == 1,
          f"{p and ct.flat(p)} {wt.err_text(r)}")
    settled(w, "questions")


def test_killed(cli, env):
    w = world(cli, env, "killed")
    sync(w)
    for n in ("Ivy Jones", "Kim Lee", "Max Moe"):
        first, last = n.split()
        w.add(0, "/Contacts", f"PidTagGivenName={first}", f"PidTagSurname={last}")
    env_kill = dict(os.environ, PSTSYNC_KILL_AFTER_WRITES="2")
    r = subprocess.run(w.cli.exe + ["--config", w.cli.path(w.cfg), "sync", "--json"], env=env_kill,
                       capture_output=True)
    check("killed: the sync was killed half way", r.returncode == 99, str(r.returncode))
    r, p = sync(w)
    check("killed: the next sync reads in full and finishes the work",
          r.returncode == 0 and reasons(p) != [None] and w.names(1)["Max Moe"] == 1
          and w.names(0) == w.names(1), f"{reasons(p)} {w.names(0)} {w.names(1)} {wt.err_text(r)}")
    settled(w, "killed")


def test_one_way(cli, env):
    w = ht.World(cli, env, "one-way", local=NAMES, direction="from-global")
    w.add(1, "/Contacts", "PidTagGivenName=Zoe", "PidTagSurname=Zed")
    r, p = sync(w)
    assert r.returncode == 0, wt.err_text(r)
    r, p = sync(w)
    r, q = sync(w)
    check("one-way: the local items left on purpose are counted alike when the link is not read",
          r.returncode == 0 and reasons(q) == [None] and p["links"][0]["not_carried"] == q["links"][0]["not_carried"]
          and q["links"][0]["not_carried"]["local"] == 4,
          f"{reasons(q)} {p['links'][0]['not_carried']} {q['links'][0]['not_carried']}")
    # the link made two-way by hand in the settings: what it left is carried now
    text = open(w.cfg, encoding="utf-8").read()
    open(w.cfg, "w", encoding="utf-8").write(text.replace("direction = from-global", "direction = both"))
    r, p = sync(w)
    check("one-way: made two-way, the link is read in full and the local items travel",
          r.returncode == 0 and reasons(p) == ["the link's direction changed"] and p and ct.flat(p)[1] == 4
          and w.names(1)["Anna Berg"] == 1, f"{reasons(p)} {p and ct.flat(p)} {wt.err_text(r)}")
    settled(w, "one-way made two-way")


def main():
    return wt.run_named_tests("unchanged", globals())


if __name__ == "__main__":
    sys.exit(main())
