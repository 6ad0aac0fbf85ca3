#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Tests of what an office's life does to the stores under the sync, on real
PST files (stores made by `create` and `add`, and copies of the samples):

  restored   a store put back from an older copy (last night's backup),
             taken at several points, for each store and every answer:
             no older version overwrites a newer one, nothing missing from it
             is deleted elsewhere, items deleted since do not come back, and
             the user is told in words (sync output, status)
  replaced   a store swapped for another file (a new record key): paired
             afresh, nothing doubled
  folders    a linked folder renamed or moved (`pstsync mv`) on either side is
             followed, the settings file takes its new path; one moved into
             Deleted Items or deleted stops its link with a question, never
             deletions on the other side, never a new empty folder; `profile
             link` to a folder that does not exist is refused unless --create
  read-only  a global store that only serves from-global links is a file of
             mode 444, read by an unprivileged user, shared with a second
             reader; it is never written

Every result is also seen through pffexport (and readpst where it matters).

usage: history_tests.py [--exe "CMD"] [--only NAME]
Ends with the line "N passed, N failed, N skipped".
"""

import collections
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_tests as wt  # noqa: E402
import cli_tests as ct  # noqa: E402

check = wt.check


class World(ct.SyncWorld):
    """Two stores made by create, contacts added, profile T linking /Contacts."""

    def __init__(self, cli, env, name, local=("Anna Berg", "Carl Diaz", "Eva Fox", "Gus Hall"),
                 glob=(), direction=None, folders=("/Contacts",)):
        super().__init__(cli, env, name)
        for side in (0, 1):
            r = cli("create", "-q", cli.path(self.store[side]))
            assert r.returncode == 0, wt.err_text(r)
        for side, names in ((0, local), (1, glob)):
            for n in names:
                first, last = n.split(" ", 1)
                r = self.add(side, "/Contacts", f"PidTagGivenName={first}", f"PidTagSurname={last}")
                assert r.returncode == 0, wt.err_text(r)
        r = self.run("profile", "add", "T", "--local", cli.path(self.store[0]), "--global",
                     cli.path(self.store[1]))
        assert r.returncode == 0, wt.err_text(r)
        for f in folders:
            args = ["profile", "link", "T", f, f] + (["--direction", direction] if direction else [])
            r = self.run(*args)
            assert r.returncode == 0, wt.err_text(r)

    def names(self, side, folder="/Contacts"):
        r, doc = self.cli.json("ls", "--json", self.cli.loc(self.store[side], folder))
        return collections.Counter(it["subject"] for it in (doc or {}).get("items", []))

    def text(self, *args):
        r = self.run(*args)
        return r, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")

    def save(self, side, tag):
        dst = self.store[side] + "." + tag
        shutil.copyfile(self.store[side], dst)
        return dst

    def put_back(self, side, tag):
        shutil.copyfile(self.store[side] + "." + tag, self.store[side])

    def body_of(self, side, subject, folder="/Contacts"):
        r = self.cli("show", "--json", self.cli.loc(self.store[side], folder, self.id_of(side, folder, subject)))
        return r.stdout.decode("utf-8", "replace")


def actions(p):
    return sorted((a["action"], a.get("side", ""), a["subject"]) for a in (p or {}).get("actions", []))


def pff_names(w, side, tag):
    """The names in /Contacts as pffexport sees them."""
    pic = w.env.pictures(w.store[side], f"{tag}-{side}", cache=False)
    out = collections.Counter()
    for item in pic[0].get("Contacts", []) if isinstance(pic, tuple) else []:
        out[item] += 1
    return pic


# ---- 1. a store restored from an older copy --------------------------------

def test_scenario_1(cli, env):
    """The issue's scenario 1, exactly: sync; back up common.pst; set a body
    and add a contact locally; sync; put the backup back; the dry run must not
    plan "overwrite in local" without a question."""
    w = World(cli, env, "scenario-1")
    r, doc = w.sync()
    check("scenario 1: first sync", r.returncode == 0 and ct.flat(ct.counts_of(doc))[1] == 4, wt.err_text(r))
    w.save(1, "bak")
    r = w.set(0, "/Contacts", "Anna Berg", "PidTagBody=Met at the fair, wants a quote")
    r2 = w.add(0, "/Contacts", "PidTagGivenName=Ivy", "PidTagSurname=Jones")
    check("scenario 1: edit and add locally", r.returncode == 0 and r2.returncode == 0, wt.err_text(r))
    r, doc = w.sync()
    check("scenario 1: second sync carries them", r.returncode == 0 and ct.flat(ct.counts_of(doc))[:4] == (0, 1, 0, 1),
          wt.err_text(r) + str(doc and ct.flat(ct.counts_of(doc))))
    w.put_back(1, "bak")
    before = w.hashes()
    r, doc = w.sync("--dry-run")
    p = ct.counts_of(doc)
    acts = actions(p)
    check("scenario 1: the dry run plans no overwrite in local",
          r.returncode in (0, 1) and p is not None and not any(a[0] == "overwrite" and a[1] == "local" for a in acts)
          and not any(a[0] == "delete" for a in acts) and w.hashes() == before, f"{acts} {wt.err_text(r)}")
    check("scenario 1: the dry run plans the newer version and the added contact back into global",
          ("overwrite", "global", "Anna Berg") in acts and ("copy", "global", "Ivy Jones") in acts, str(acts))
    r, text = w.text("sync", "--dry-run")
    check("scenario 1: the sync says the global store is an older copy",
          "older copy" in text and "global" in text, text[-600:])
    # with confirm_deletes = no, nothing is deleted locally either
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    p = ct.counts_of(doc)
    check("scenario 1: the sync puts the newer work back into the restored global store",
          r.returncode == 0 and p and ct.flat(p)[4] == 0 and w.names(0) == w.names(1)
          and w.names(0)["Ivy Jones"] == 1 and "wants a quote" in w.body_of(1, "Anna Berg"),
          f"{wt.err_text(r)} {w.names(0)} {w.names(1)} {p and ct.flat(p)}")
    r, text = w.text("status")
    check("scenario 1: status says what the last sync found", "older copy" in text, text[-600:])
    r, doc = w.sync()
    check("scenario 1: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7, wt.err_text(r))


def restored_case(cli, env, s, point, answer):
    """Store s (0 local, 1 global) put back from a copy taken after sync
    number @point (1: the first), then a conflict answered with @answer."""
    o = s ^ 1
    side = ("local", "global")
    tag = f"restored {side[s]} from a copy after sync {point}, answer {answer}"
    w = World(cli, env, f"restored-{s}-{point}-{answer}",
              local=("Anna Berg", "Carl Diaz", "Eva Fox", "Hal Ide", "Kim Lee"))
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    if point == 1:
        w.save(s, "copy")
    # sync 2: an edit on each side, an item added on the other side
    assert w.set(o, "/Contacts", "Anna Berg", "PidTagBody=newer from the other side").returncode == 0
    assert w.set(s, "/Contacts", "Carl Diaz", "PidTagBody=newer from this side").returncode == 0
    assert w.add(o, "/Contacts", "PidTagGivenName=Gus", "PidTagSurname=New").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    if point == 2:
        w.save(s, "copy")
    # sync 3: a deletion on this side, carried to the other
    assert w.rm(s, "/Contacts", "Eva Fox").returncode == 0
    r, doc = w.sync("--deletes", "apply")
    assert r.returncode == 0 and ct.flat(ct.counts_of(doc))[4 + o] == 1, wt.err_text(r)
    if point == 3:
        w.save(s, "copy")
    # sync 4: an edit on the other side, after every copy
    assert w.set(o, "/Contacts", "Hal Ide", "PidTagBody=other side's Hal").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    want_o = w.names(o)
    w.put_back(s, "copy")
    # edited apart after the restore: history cannot tell, a person decides
    assert w.set(s, "/Contacts", "Hal Ide", "PidTagBody=restored side's Hal").returncode == 0
    before = w.hashes()
    r, doc = w.sync("--dry-run")
    p = ct.counts_of(doc)
    acts = actions(p)
    check(f"{tag}: the plan overwrites nothing of the other side but Hal's question, deletes nothing",
          r.returncode == 0 and p is not None and w.hashes() == before
          and not any(a[0] in ("delete", "ask-delete") and a[2] != "Eva Fox" for a in acts)
          and not any(a[0] == "delete" and a[1] == side[o] for a in acts)
          and not any(a[0] == "overwrite" and a[1] == side[o] for a in acts)
          and ("ask-conflict", None, "Hal Ide") in acts, f"{acts} {wt.err_text(r)}")
    r, doc = w.sync("--conflicts", answer)
    p = ct.counts_of(doc)
    text = wt.err_text(r)
    check(f"{tag}: the sync says the {side[s]} store is an older copy",
          f"the {side[s]} store" in text and "older copy" in text, text[-500:])
    names = [w.names(0), w.names(1)]
    want = collections.Counter(want_o)
    if answer == "both":
        want["Hal Ide"] += 1
    check(f"{tag}: nothing lost, nothing doubled on the other side",
          r.returncode in (0, 3) and p and p["counts"]["deleted"][side[o]] == 0 and names[o] == want,
          f"{names} want {want} {text[-300:]}")
    check(f"{tag}: the restored store holds everything again (the item deleted since deleted again)",
          names[s] == want, f"{names[s]} want {want}")
    bodies = {n: (w.body_of(0, n), w.body_of(1, n)) for n in ("Anna Berg", "Carl Diaz")}
    check(f"{tag}: the newer versions went back into the restored store",
          all("newer from the other side" in b for b in bodies["Anna Berg"])
          and all("newer from this side" in b for b in bodies["Carl Diaz"]), str(bodies)[:600])
    hal = (w.body_of(0, "Hal Ide"), w.body_of(1, "Hal Ide"))
    if answer in ("local", "global"):
        kept = "restored side's Hal" if (answer == "local") == (s == 0) else "other side's Hal"
        good = all(kept in h for h in hal)
    elif answer == "later":
        good = "restored side's Hal" in hal[s] and "other side's Hal" in hal[o] and p["counts"]["outstanding"] == 1
    else:
        good = True  # both versions on both sides: counted above
    check(f"{tag}: the question about Hal answered '{answer}'", good, str(hal)[:600])
    r, doc = w.sync("--conflicts", "later")
    p = ct.counts_of(doc)
    check(f"{tag}: then in step", r.returncode in (0, 3) and p and ct.flat(p)[:6] == (0,) * 6,
          wt.err_text(r)[-300:] + str(p and ct.flat(p)))


def test_restored(cli, env):
    for s in (1, 0):
        for point in (1, 2, 3):
            restored_case(cli, env, s, point, "local" if point != 2 else "global")
    for s in (1, 0):
        for answer in ("both", "later", "global", "local"):
            restored_case(cli, env, s, 1, answer)


def test_restored_nids_reused(cli, env):
    """A restored store gives the next items it gets the node ids its newer
    self had given others: an item at a pair's recorded id may be another
    item (told by its search key), and a pair's own item may sit at another
    id in an older copy. Global put back from a copy taken before two items
    came, a contact added to it before the sync (it takes the first one's
    id), then put back from a copy taken after they came: every item once
    in each store, none under another's identity."""
    w = World(cli, env, "restored-nids", local=("Anna Berg",))
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "before")
    for first, last in (("Ann", "Able"), ("Bo", "Best")):
        assert w.add(0, "/Contacts", f"PidTagGivenName={first}", f"PidTagSurname={last}").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "after")
    w.run("options", "set", "confirm_deletes", "no")
    w.put_back(1, "before")
    assert w.add(1, "/Contacts", "PidTagGivenName=Cy", "PidTagSurname=Cole").returncode == 0
    r, doc = w.sync("--conflicts", "later")
    want = collections.Counter(["Anna Berg", "Ann Able", "Bo Best", "Cy Cole"])
    names = [w.names(0), w.names(1)]
    p = ct.counts_of(doc)
    check("a restored store's new item at another's node id: carried, the other put back, no question",
          r.returncode == 0 and names == [want, want] and p and p["counts"]["conflicts"] == 0,
          f"{names} {wt.err_text(r)[-600:]}")
    w.put_back(1, "after")
    r, doc = w.sync("--conflicts", "later")
    names = [w.names(0), w.names(1)]
    p = ct.counts_of(doc)
    check("a newer copy put back over the older one: its items found at their old node ids, nothing "
          "lost, nothing doubled", r.returncode == 0 and names == [want, want] and p
          and p["counts"]["conflicts"] == 0 and sum(p["counts"]["deleted"].values()) == 0,
          f"{names} {wt.err_text(r)[-600:]}")
    r, doc = w.sync("--conflicts", "later")
    check("a newer copy put back: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7
          and [w.names(0), w.names(1)] == [want, want], wt.err_text(r))


def test_restored_twin_versions(cli, env):
    """A restored store that holds two items of one pair's search key: a
    conflict answered "keep both" makes twins (one search key, two
    versions); the local twin is deleted and synced; the local store is put
    back from a copy older than the twins (the pair of the global version
    takes the one item there, at the deleted twin's node id), then from a
    copy taken while both twins lived. The item with the pair's recorded
    version is the pair's; the older twin at the pair's node id was deleted
    since and must not win: the global version once in each store, no
    question."""
    tag = "a restored store with both versions of a pair's item"
    w = World(cli, env, "restored-twins", local=("Anna Berg", "Carl Diaz"))
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(0, "early")
    assert w.set(0, "/Contacts", "Anna Berg", "PidTagSubject=Anna Local", "PidTagBody=local edit").returncode == 0
    assert w.set(1, "/Contacts", "Anna Berg", "PidTagSubject=Anna Global", "PidTagBody=global edit").returncode == 0
    r, doc = w.sync("--conflicts", "both")
    both = collections.Counter(["Anna Local", "Anna Global", "Carl Diaz"])
    assert r.returncode == 0 and w.names(0) == both and w.names(1) == both, \
        f"{w.names(0)} {w.names(1)} {wt.err_text(r)}"
    w.save(0, "twins")
    assert w.rm(0, "/Contacts", "Anna Local").returncode == 0
    r, doc = w.sync()
    want = collections.Counter(["Anna Global", "Carl Diaz"])
    assert r.returncode == 0 and w.names(0) == want and w.names(1) == want, \
        f"{w.names(0)} {w.names(1)} {wt.err_text(r)}"
    w.put_back(0, "early")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    check(f"{tag}: a copy older than the twins takes the global version, no question",
          r.returncode == 0 and w.names(0) == want and w.names(1) == want,
          f"{w.names(0)} {w.names(1)} {wt.err_text(r)[-600:]}")
    w.put_back(0, "twins")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    p = ct.counts_of(doc)
    check(f"{tag}: the twin with the pair's version is the pair's item; the older twin deleted "
          "since is deleted again; no question",
          r.returncode == 0 and w.names(0) == want and w.names(1) == want and p
          and p["counts"]["conflicts"] == 0 and "global edit" in w.body_of(0, "Anna Global"),
          f"{w.names(0)} {w.names(1)} {p and p['counts']} {wt.err_text(r)[-600:]}")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    check(f"{tag}: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7
          and w.names(0) == want and w.names(1) == want, wt.err_text(r))


def test_restored_twins_crosswise(cli, env):
    """Twins of "keep both" whose pairs point crosswise in a restored copy:
    the global item is deleted there and edited here (a new global item),
    then edited on both sides and both kept; the global store is put back
    from a copy older than all that, and a contact is added to it before
    the sync (it takes the node id of one twin, the other twin's pair gets
    a new item at the node id of the first); then the global store is put
    back from a copy taken while both twins lived. Each pair takes the item
    of its own version, no question is asked, and the contact added to the
    restored store is kept (keeping both left no note that the global
    twin was gone)."""
    tag = "restored twins whose pairs point crosswise"
    w = World(cli, env, "restored-twins-crosswise", local=("Anna Berg", "Carl Diaz"))
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "early")
    assert w.set(0, "/Contacts", "Anna Berg", "PidTagSubject=Anna First").returncode == 0
    assert w.rm(1, "/Contacts", "Anna Berg").returncode == 0
    r, doc = w.sync("--conflicts", "local")
    assert r.returncode == 0 and w.names(1)["Anna First"] == 1, wt.err_text(r)
    assert w.set(0, "/Contacts", "Anna First", "PidTagSubject=Anna Local", "PidTagBody=local edit").returncode == 0
    assert w.set(1, "/Contacts", "Anna First", "PidTagSubject=Anna Global", "PidTagBody=global edit").returncode == 0
    r, doc = w.sync("--conflicts", "both")
    want = collections.Counter(["Anna Local", "Anna Global", "Carl Diaz"])
    assert r.returncode == 0 and w.names(0) == want and w.names(1) == want, \
        f"{w.names(0)} {w.names(1)} {wt.err_text(r)}"
    w.save(1, "twins")
    w.put_back(1, "early")
    assert w.add(1, "/Contacts", "PidTagGivenName=Dan", "PidTagSurname=Eve").returncode == 0
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    want["Dan Eve"] = 1
    check(f"{tag}: a copy older than the twins, with a contact added to it: nothing lost, no question",
          r.returncode == 0 and w.names(0) == want and w.names(1) == want,
          f"{w.names(0)} {w.names(1)} {wt.err_text(r)[-600:]}")
    w.put_back(1, "twins")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    p = ct.counts_of(doc)
    check(f"{tag}: each pair takes the twin of its own version, no question, nothing lost or doubled",
          r.returncode == 0 and w.names(0) == want and w.names(1) == want and p
          and p["counts"]["conflicts"] == 0 and "global edit" in w.body_of(1, "Anna Global")
          and "local edit" in w.body_of(1, "Anna Local"),
          f"{w.names(0)} {w.names(1)} {p and p['counts']} {wt.err_text(r)[-600:]}")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    check(f"{tag}: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7
          and w.names(0) == want and w.names(1) == want, wt.err_text(r))


def test_restored_both_against_deletion(cli, env):
    """An edit against a deletion answered "keep both" keeps the version
    left: the deleted global item is gone. The global store put back from a
    copy that still holds it: it is deleted again, not brought back."""
    tag = "keep both against a deletion, then a copy that holds the deleted item"
    w = World(cli, env, "restored-both-deleted", local=("Anna Berg", "Carl Diaz"))
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "early")
    assert w.set(0, "/Contacts", "Anna Berg", "PidTagSubject=Anna Local").returncode == 0
    assert w.rm(1, "/Contacts", "Anna Berg").returncode == 0
    r, doc = w.sync("--conflicts", "both")
    want = collections.Counter(["Anna Local", "Carl Diaz"])
    assert r.returncode == 0 and w.names(1) == want, f"{w.names(1)} {wt.err_text(r)}"
    assert w.rm(0, "/Contacts", "Anna Local").returncode == 0
    r, doc = w.sync()
    want = collections.Counter(["Carl Diaz"])
    assert r.returncode == 0 and w.names(1) == want, f"{w.names(1)} {wt.err_text(r)}"
    w.put_back(1, "early")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    check(f"{tag}: deleted again, in neither store",
          r.returncode == 0 and w.names(0) == want and w.names(1) == want,
          f"{w.names(0)} {w.names(1)} {wt.err_text(r)[-600:]}")


def unseen_case(cli, env, edit):
    """A global store put back from a copy while another desk synced it
    before this one: that desk saw no older copy (the copy is as it left the
    store) and moved the store's mark on, to the value this desk recorded.
    This desk's edit (@edit) and its added contact must not be taken back:
    the older version in the global store is overwritten with the newer, the
    contact missing from it is put back, not deleted here."""
    tag = "a restore another desk synced first" + (", with an edit" if edit else ", an added contact only")
    w = World(cli, env, "unseen-" + ("edit" if edit else "add"), local=("Anna Berg", "Carl Diaz"))
    desk_b = os.path.join(w.dir, "desk-b.pst")
    assert cli("create", "-q", cli.path(desk_b)).returncode == 0
    assert w.run("profile", "add", "B", "--local", cli.path(desk_b), "--global", cli.path(w.store[1])).returncode == 0
    assert w.run("profile", "link", "B", "/Contacts", "/Contacts").returncode == 0
    w.run("options", "set", "confirm_deletes", "no")
    r = w.run("sync", "--json")
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "bak")
    if edit:
        assert w.set(0, "/Contacts", "Anna Berg", "PidTagBody=newer from desk A").returncode == 0
    assert w.add(0, "/Contacts", "PidTagGivenName=Zoe", "PidTagSurname=Young").returncode == 0
    r = w.run("sync", "T", "--json")
    assert r.returncode == 0 and w.names(1)["Zoe Young"] == 1, wt.err_text(r)
    w.put_back(1, "bak")
    assert cli("add", "-q", cli.loc(desk_b, "/Contacts"), "PidTagGivenName=Walt", "PidTagSurname=West").returncode == 0
    r = w.run("sync", "B", "--json")
    assert r.returncode == 0, wt.err_text(r)
    r = w.run("sync", "T", "--json")
    text = wt.err_text(r)
    want = collections.Counter(["Anna Berg", "Carl Diaz", "Zoe Young", "Walt West"])
    names = [w.names(0), w.names(1)]
    check(f"{tag}: nothing of this desk's work is taken back, the older copy is said",
          r.returncode == 0 and names == [want, want] and "older copy" in text,
          f"{names} {text[-700:]}")
    if edit:
        bodies = (w.body_of(0, "Anna Berg"), w.body_of(1, "Anna Berg"))
        check(f"{tag}: the newer version went back into the global store",
              all("newer from desk A" in b for b in bodies), str(bodies)[:500])
    r = w.run("sync", "--json")
    doc = json.loads(r.stdout or b"{}")
    b_names = collections.Counter(it["subject"] for it in cli.json("ls", "--json", cli.loc(desk_b, "/Contacts"))[1]["items"])
    check(f"{tag}: then both desks are in step, every contact once",
          r.returncode == 0 and b_names == want and [w.names(0), w.names(1)] == [want, want],
          f"{b_names} {r.stdout.decode()[-500:]}")


def test_restore_unseen_by_mark(cli, env):
    unseen_case(cli, env, True)
    unseen_case(cli, env, False)


def test_restore_read_only_local(cli, env):
    """A to-global link (the local store only read, so its mark is the
    protocol's alone) whose local store is put back from a backup taken
    before an edit the sync carried out: the older version is no edit, and
    an item missing from the copy is no deletion: the global store keeps
    both, and the user is told."""
    tag = "a read-only local store put back from a backup"
    w = World(cli, env, "restored-ro-local", local=("Anna Berg", "Carl Diaz"), direction="to-global")
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(0, "bak")
    assert w.set(0, "/Contacts", "Anna Berg", "PidTagBody=newer, carried out").returncode == 0
    assert w.add(0, "/Contacts", "PidTagGivenName=Zoe", "PidTagSurname=Young").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0 and w.names(1)["Zoe Young"] == 1, wt.err_text(r)
    w.put_back(0, "bak")
    r, doc = w.sync()
    p = ct.counts_of(doc)
    text = wt.err_text(r)
    want = collections.Counter(["Anna Berg", "Carl Diaz", "Zoe Young"])
    check(f"{tag}: the global store keeps the newer version and the item the copy lacks",
          r.returncode == 0 and p and ct.flat(p)[:6] == (0,) * 6 and w.names(1) == want
          and "newer, carried out" in w.body_of(1, "Anna Berg"), f"{w.names(1)} {text[-600:]}")
    check(f"{tag}: the user is told", "older" in text and "local store" in text, text[-600:])


def test_restore_seen_in_a_later_link(cli, env):
    """As above with two links, where only the second one holds an older
    version (an edited appointment) and the first one only lacks an item
    added since (a contact): the older copy seen in /Calendar holds for
    /Contacts too, scanned before it; the contact is not deleted from the
    global store."""
    tag = "a read-only local store put back, the older version in the second link only"
    w = World(cli, env, "restored-later-link", local=("Anna Berg", "Carl Diaz"), direction="to-global",
              folders=("/Contacts", "/Calendar"))
    w.run("options", "set", "confirm_deletes", "no")
    assert w.add(0, "/Calendar", "PidTagSubject=Review", "PidTagBody=first").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0 and w.names(1, "/Calendar")["Review"] == 1, wt.err_text(r)
    w.save(0, "bak")
    assert w.add(0, "/Contacts", "PidTagGivenName=Zoe", "PidTagSurname=Young").returncode == 0
    assert w.set(0, "/Calendar", "Review", "PidTagBody=newer, carried out").returncode == 0
    r, doc = w.sync()
    assert r.returncode == 0 and w.names(1)["Zoe Young"] == 1, wt.err_text(r)
    w.put_back(0, "bak")
    r, doc = w.sync()
    p = ct.counts_of(doc)
    text = wt.err_text(r)
    want = collections.Counter(["Anna Berg", "Carl Diaz", "Zoe Young"])
    check(f"{tag}: the global store keeps the item the copy lacks and the newer version",
          r.returncode == 0 and p and ct.flat(p)[:6] == (0,) * 6 and w.names(1) == want
          and "newer, carried out" in w.body_of(1, "Review", "/Calendar"),
          f"{w.names(1)} {p and ct.flat(p)} {text[-600:]}")
    check(f"{tag}: the user is told", "older" in text and "local store" in text, text[-600:])


def test_replaced(cli, env):
    """The global store swapped for another file (a new record key): paired
    afresh, nothing deleted on either side, nothing doubled, the user told."""
    w = World(cli, env, "replaced", local=("Anna Berg", "Carl Diaz"))
    r, doc = w.sync()
    assert r.returncode == 0
    other = os.path.join(w.dir, "other.pst")
    assert cli("create", "-q", cli.path(other)).returncode == 0
    assert cli("add", "-q", cli.loc(other, "/Contacts"), "PidTagGivenName=Zoe", "PidTagSurname=Young").returncode == 0
    shutil.copyfile(other, w.store[1])
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    p = ct.counts_of(doc)
    text = wt.err_text(r)
    want = collections.Counter(["Anna Berg", "Carl Diaz", "Zoe Young"])
    check("a replaced global store: paired afresh, nothing deleted, nothing doubled",
          r.returncode == 0 and p and sum(p["counts"]["deleted"].values()) == 0
          and w.names(0) == want and w.names(1) == want, f"{w.names(0)} {w.names(1)} {text[-400:]}")
    check("a replaced global store: the user is told", "another file" in text, text[-400:])
    r, text = w.text("status")
    check("a replaced global store: status says so", "another file" in text, text[-400:])
    r, doc = w.sync()
    check("a replaced global store: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7,
          wt.err_text(r))


def test_restored_read_only(cli, env):
    """A desk whose links only read the global store (from-global): another
    desk writes it, an admin puts back an older copy; the reading desk
    deletes nothing of its own for what the copy lacks, and says why."""
    w = World(cli, env, "restored-ro", local=(), glob=("Ann Ash", "Bob Birch"), direction="from-global")
    desk_b = os.path.join(w.dir, "desk-b.pst")
    assert cli("create", "-q", cli.path(desk_b)).returncode == 0
    assert w.run("profile", "add", "B", "--local", cli.path(desk_b), "--global", cli.path(w.store[1])).returncode == 0
    assert w.run("profile", "link", "B", "/Contacts", "/Contacts").returncode == 0
    w.run("options", "set", "confirm_deletes", "no")
    r, doc = w.sync()
    assert r.returncode == 0, wt.err_text(r)
    w.save(1, "bak")
    assert cli("add", "-q", cli.loc(desk_b, "/Contacts"), "PidTagGivenName=Cy", "PidTagSurname=Cedar").returncode == 0
    r, doc = w.sync()
    r, doc = w.sync()   # desk A (profile T) syncs before desk B: the second run brings Cy
    assert r.returncode == 0 and w.names(0)["Cy Cedar"] == 1, wt.err_text(r)
    w.put_back(1, "bak")
    r, doc = w.run("sync", "T", "--json"), None
    text = wt.err_text(r)
    check("a from-global desk keeps what a restored global store lacks, and says so",
          r.returncode == 0 and w.names(0)["Cy Cedar"] == 1 and "older copy" in text
          and "left as" in text, text[-600:])
    r = w.run("sync", "B", "--json")
    check("the writing desk puts it back into the global store",
          r.returncode == 0 and w.names(1)["Cy Cedar"] == 1, wt.err_text(r)[-400:])
    r = w.run("sync", "--json")
    doc = json.loads(r.stdout or b"{}")
    check("then both desks are in step", r.returncode == 0 and all(
        ct.flat(p)[:6] == (0,) * 6 for p in doc.get("profiles", [])), r.stdout.decode()[-600:])


# ---- 2. linked folders renamed, moved, trashed, deleted --------------------

def folder_world(cli, env, name):
    w = World(cli, env, name, local=(), folders=())
    for side in (0, 1):
        assert cli("mkdir", "-q", cli.loc(w.store[side], "/Clients"), "--class", "IPF.Contact").returncode == 0
    for n in ("Ann Ash", "Bob Birch", "Cy Cedar", "Di Dogwood"):
        first, last = n.split()
        assert w.add(1, "/Clients", f"PidTagGivenName={first}", f"PidTagSurname={last}").returncode == 0
    r = w.run("profile", "link", "T", "/Clients", "/Clients")
    assert r.returncode == 0, wt.err_text(r)
    w.run("options", "set", "confirm_deletes", "no")
    w.run("options", "set", "mass_delete_minimum", "100")
    r, doc = w.sync()
    assert r.returncode == 0 and ct.flat(ct.counts_of(doc))[0] == 4, wt.err_text(r)
    return w


def links_in(w):
    r, doc = w.cli.json("--config", w.cli.path(w.cfg), "profile", "show", "--json", "T")
    return [(l["local"], l["global"]) for l in (doc or {}).get("links", [])]


def test_folder_moved(cli, env):
    for s in (0, 1):
        side = ("local", "global")[s]
        for how, dest in (("renamed", "/Customers"), ("moved", "/Archive/Clients 2023")):
            tag = f"a linked {side} folder {how}"
            w = folder_world(cli, env, f"{how}-{s}")
            if "/Archive" in dest:
                assert cli("mkdir", "-q", cli.loc(w.store[s], "/Archive")).returncode == 0
            r = cli("mv", cli.loc(w.store[s], "/Clients"), dest)
            check(f"{tag}: pstsync mv", r.returncode == 0, wt.err_text(r))
            # Outlook's view: the folder is there, with its items (pffexport)
            pic = w.env.pictures(w.store[s], f"mv-{how}-{s}", cache=False)
            folders = pic[0] if isinstance(pic, tuple) else pic
            r, text = w.text("sync")
            names = [w.names(0, "/Clients" if s else dest), w.names(1, dest if s else "/Clients")]
            want = collections.Counter(["Ann Ash", "Bob Birch", "Cy Cedar", "Di Dogwood"])
            check(f"{tag}: followed, nothing deleted, no new folder at the old path",
                  r.returncode == 0 and names == [want, want] and "0 deleted" not in text
                  and "deleted" not in text.split("warning")[0]
                  and "/Clients" not in [f["path"] for f in w.cli.json("ls", "--json", w.cli.path(w.store[s]))[1]["folders"]],
                  f"{names} {text[-600:]}")
            check(f"{tag}: the user is told", "renamed or moved to" in text and dest in text, text[-400:])
            want_link = ("/Clients", dest) if s else (dest, "/Clients")
            check(f"{tag}: the settings file takes the new path", links_in(w) == [want_link], str(links_in(w)))
            # the link goes on: a change travels through the moved folder
            assert w.set(s ^ 1, "/Clients", "Bob Birch", "PidTagBody=after the move").returncode == 0
            r, doc = w.sync()
            p = ct.counts_of(doc)
            check(f"{tag}: later changes travel", r.returncode == 0 and p and ct.flat(p)[2 + s] == 1
                  and "after the move" in w.body_of(s, "Bob Birch", dest), wt.err_text(r))
            _ = folders


def test_folder_trashed(cli, env):
    for s in (0, 1):
        side = ("local", "global")[s]
        for how in ("trash", "delete"):
            tag = f"a linked {side} folder {'moved into Deleted Items' if how == 'trash' else 'deleted'}"
            w = folder_world(cli, env, f"{how}-{s}")
            if how == "trash":
                r = cli("mv", cli.loc(w.store[s], "/Clients"), "/Deleted Items/Clients")
            else:
                for n in ("Ann Ash", "Bob Birch", "Cy Cedar", "Di Dogwood"):
                    assert w.rm(s, "/Clients", n).returncode == 0
                r = cli("rm", cli.loc(w.store[s], "/Clients"))
            assert r.returncode == 0, wt.err_text(r)
            other_before = w.names(s ^ 1, "/Clients")
            r, text = w.text("sync")
            check(f"{tag}: the link stops with a message and the choices, nothing deleted on the other side",
                  r.returncode == 1 and ("moved into Deleted Items" in text or "was deleted" in text)
                  and "--recreate-folders" in text and "profile unlink" in text
                  and w.names(s ^ 1, "/Clients") == other_before, text[-500:])
            paths = [f["path"] for f in w.cli.json("ls", "--json", w.cli.path(w.store[s]))[1]["folders"]]
            check(f"{tag}: no new empty folder at the old path", "/Clients" not in paths, str(paths))
            r, text = w.text("sync")
            check(f"{tag}: still stopped at the next sync", r.returncode == 1 and w.names(s ^ 1, "/Clients") == other_before,
                  text[-300:])
            r, text = w.text("sync", "--recreate-folders")
            check(f"{tag}: --recreate-folders makes it again from the other side",
                  r.returncode == 0 and w.names(s, "/Clients") == other_before
                  and w.names(s ^ 1, "/Clients") == other_before, text[-400:])
            r, doc = w.sync()
            check(f"{tag}: then in step", r.returncode == 0 and ct.flat(ct.counts_of(doc)) == (0,) * 7, wt.err_text(r))


def test_link_missing_folder(cli, env):
    w = World(cli, env, "link-missing", local=("Ann Ash",))
    r, text = w.text("profile", "link", "T", "/Contcts", "/Contacts")
    check("profile link to a folder that does not exist is refused", r.returncode == 1
          and "no folder '/Contcts'" in text and "--create" in text, text)
    r, text = w.text("profile", "link", "T", "/Contacts", "/Shared/Contacts")
    check("profile link to a missing global folder is refused", r.returncode == 1
          and "no folder '/Shared/Contacts'" in text, text)
    r, text = w.text("profile", "link", "T", "/Contacts", "/Shared/Contacts", "--create")
    check("profile link --create is accepted", r.returncode == 0, text)
    r, doc = w.sync()
    check("the sync makes the folder of a --create link", r.returncode == 0
          and w.names(1, "/Shared/Contacts")["Ann Ash"] == 1, wt.err_text(r))


# ---- 3. read-only sources ----------------------------------------------------

def test_read_only_global(cli, env):
    w = World(cli, env, "read-only", local=(), glob=("Ann Ash", "Bob Birch"), direction="from-global")
    os.chmod(w.store[1], 0o444)
    h = wt.file_hash(w.store[1])
    r, doc = w.sync()
    check("a from-global link reads a mode-444 global store", r.returncode == 0
          and w.names(0) == w.names(1) and wt.file_hash(w.store[1]) == h, wt.err_text(r))
    # a second reader holds a shared lock: the reading sync goes on
    import fcntl
    with open(w.store[1], "rb") as f:
        fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        r, doc = w.sync("--wait", "0")
        check("a from-global sync reads beside a second reader", r.returncode == 0, wt.err_text(r))
    check("the read-only global store is never written", wt.file_hash(w.store[1]) == h, "changed")
    # an unprivileged user: the store is not theirs and not writable
    if os.geteuid() == 0 and shutil.which("setpriv"):
        user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        d = os.path.join(w.dir, "nobody")
        for up in (env.work, w.dir):  # mkdtemp's 0700: let the user through to the store
            os.chmod(up, 0o755)
        os.mkdir(d)
        os.chmod(d, 0o777)
        local = os.path.join(d, "local.pst")
        cfg = os.path.join(d, "pstsync.ini")
        ex = cli.exe

        def as_nobody(*args):
            return subprocess.run(user + ex + ["--config", cfg] + list(args), capture_output=True, timeout=120)
        r1 = subprocess.run(user + ex + ["create", "-q", local], capture_output=True)
        r2 = as_nobody("profile", "add", "N", "--local", local, "--global", w.store[1])
        r3 = as_nobody("profile", "link", "N", "/Contacts", "/Contacts", "--direction", "from-global")
        r = as_nobody("sync", "--json")
        doc = json.loads(r.stdout or b"{}")
        check("an unprivileged user syncs from a read-only global store it does not own",
              r1.returncode == 0 and r2.returncode == 0 and r3.returncode == 0 and r.returncode == 0
              and ct.flat(ct.counts_of(doc, "N"))[0] == 2 and wt.file_hash(w.store[1]) == h,
              wt.err_text(r) + wt.err_text(r3))
        r4 = as_nobody("profile", "link", "N", "/Calendar", "/Calendar")
        r = as_nobody("sync")
        check("a link that would write it fails with a clear message, naming the file",
              r4.returncode == 0 and r.returncode == 1 and "permission denied" in wt.err_text(r)
              and w.store[1] in wt.err_text(r), wt.err_text(r))
    else:
        wt.skip("read-only: unprivileged user", "not root or no setpriv")


def test_reader_and_writer_take_turns(cli, env):
    w = World(cli, env, "turns", local=("Ann Ash",))
    r, doc = w.sync()
    assert r.returncode == 0
    import fcntl
    with open(w.store[1], "rb") as f:
        fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        r, text = w.text("sync", "--wait", "0")
        check("a writing sync waits for a reader (and says the file is in use)",
              r.returncode == 1 and "in use by another program" in text, text)
    r, doc = w.sync("--wait", "0")
    check("then it runs", r.returncode == 0, wt.err_text(r))


def main():
    return wt.run_named_tests("history", globals())


if __name__ == "__main__":
    sys.exit(main())
