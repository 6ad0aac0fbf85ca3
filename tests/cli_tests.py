#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Tests of the pstsync command line, run against the real sample PST files.

Each sample is listed with `pstsync ls --json` and the item count of every
folder is compared with what the two independent readers in Debian see:
libpff's pffexport (its export log names every folder and item by node id)
and libpst's readpst (its summary lines give, per folder name, the items and
subfolders written plus the items it skipped). Then every kind of bad input
is fed to the command line, which must answer with one line naming the file,
a non-zero status, and no crash or hang.

usage: cli_tests.py [--exe "CMD"] [--no-oracles]   (CMD defaults to build/pstsync;
       use "wine build/win64/pstsync.exe" for the Windows build)

Ends with the line "N passed, N failed, N skipped".
"""

import argparse
import collections
import fcntl
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_tests as wt  # noqa: E402  (the readers' pictures and helpers, shared)

TIMEOUT = 120
FUZZ_ROUNDS = int(os.environ.get("FUZZ_ROUNDS", "40"))
passed = failed = skipped = 0


def ok(name):
    global passed
    passed += 1
    if os.environ.get("V") == "1":
        print(f"ok      {name}")


def fail(name, why):
    global failed
    failed += 1
    print(f"FAIL    {name}\n        {why}")


def skip(name, why):
    global skipped
    skipped += 1
    print(f"skip    {name}: {why}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, **kw)


def run_wine(cmd, env):
    """run() for a program under Wine, its output captured in files: helper
    processes Wine starts keep pipes open for seconds after the program
    ends (2.7 s a call instead of 0.1 s), files do not make us wait."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        r = subprocess.run(cmd, stdout=out, stderr=err, env=env, timeout=TIMEOUT)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(cmd, r.returncode, out.read(), err.read())


class Cli:
    def __init__(self, exe):
        self.exe = shlex.split(exe)
        self.wine = self.exe[0] == "wine"

    def path(self, p):
        # Wine maps the Unix root to Z:, and takes forward slashes
        return "Z:" + os.path.abspath(p) if self.wine else p

    def __call__(self, *args):
        env = dict(os.environ, WINEDEBUG="-all")
        return (run_wine if self.wine else run)(self.exe + list(args), env=env)


def pffexport_counts(sample, work):
    """({folder nid: items exported}, items skipped or unreadable) from pffexport's log.

    pffexport logs each exported item with its folder's path, but items it
    skips (kinds it does not export, such as IPM.Post) or cannot read only
    with their position, so those are counted for the whole store."""
    target = os.path.join(work, "pff")
    log = os.path.join(work, "pff.log")
    run(["pffexport", "-q", "-l", log, "-t", target, sample])
    folder_dirs = {}   # export dir -> folder nid
    counts = {}
    unsure = 0
    pending = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"Processing folder: \d+ \(identifier: (\d+)\) in path: (.*)$", line)
            if m:
                pending = (int(m.group(1)), m.group(2))
                continue
            m = re.match(r"Saving folder with name: .* as: (.*)$", line)
            if m and pending:
                nid, parent = pending
                folder_dirs[os.path.join(parent, m.group(1).rstrip("\n"))] = nid
                counts.setdefault(nid, 0)
                pending = None
                continue
            m = re.match(r"Processing \w[\w ]*: \d+ \(identifier: (\d+)\) in path: (.*)$", line)
            if m:
                nid = folder_dirs.get(m.group(2).rstrip("\n").rstrip("/"))
                if nid is not None:
                    counts[nid] += 1
                continue
            if re.match(r"(Unable to (retrieve|export|process) .*item|Skipped export of item)", line):
                unsure += 1
    return counts, unsure


def readpst_counts(sample, work):
    """[(folder name, written, skipped)] from readpst's summary lines."""
    out = os.path.join(work, "rp")
    os.makedirs(out, exist_ok=True)
    r = run(["readpst", "-D", "-S", "-o", out, sample])
    text = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    rows = []
    for m in re.finditer(r'^\t"(.*)" - (\d+) items done, (\d+) items skipped\.$', text, re.M):
        rows.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return rows


def check_sample_against_oracles(cli, sample, name):
    test = f"oracles agree: {name}"
    r = cli("ls", "--json", cli.path(sample))
    if r.returncode != 0:
        fail(test, f"ls failed: {r.stderr.decode(errors='replace').strip()}")
        return
    listing = json.loads(r.stdout)
    folders = listing["folders"]
    with tempfile.TemporaryDirectory() as work:
        pff, pff_unsure = pffexport_counts(sample, work)
        rp = readpst_counts(sample, work)
    by_name = {}
    for fname, done, skipped_n in rp:
        by_name.setdefault(fname, []).append((done, skipped_n))
    problems = []
    both = 0
    for f in folders:
        nid = int(f["id"], 16)
        ours = f["items"]
        exported = pff.get(nid, 0)
        # readpst counts subfolders among the items it writes
        # no summary line: readpst wrote nothing there (taken as zero items)
        rp_rows = by_name.get(f["name"], [(f["subfolders"], 0)])
        rp_ok = any(done - f["subfolders"] == ours and sk == 0 for done, sk in rp_rows)
        rp_within = any(done - f["subfolders"] <= ours <= done - f["subfolders"] + sk
                        for done, sk in rp_rows)
        pff_ok = exported == ours
        pff_within = exported <= ours <= exported + pff_unsure
        if f["path"] == "/":
            # readpst names the top folder after the store; match on pffexport alone
            rp_ok = rp_within = True
        if pff_ok and rp_ok:
            both += 1
        elif not (pff_within and rp_within):
            problems.append(f"{f['path']}: pstsync {ours}, pffexport {exported}"
                            f" (+{pff_unsure} skipped in the store), readpst {rp_rows}")
    if problems:
        fail(test, "; ".join(problems))
    else:
        ok(test)
        print(f"        {name}: {len(folders)} folders, {sum(f['items'] for f in folders)} items,"
              f" {both} folders counted alike by pstsync, pffexport and readpst")


def expect_error(cli, name, args, fragment, quoted):
    r = cli(*args)
    err = r.stderr.decode("utf-8", "replace").strip()
    lines = [l for l in err.splitlines() if l]
    if r.returncode == 0:
        fail(name, f"exit status 0 for {args}")
    elif r.returncode < 0 or r.returncode > 2:
        fail(name, f"exit status {r.returncode} (crash?) for {args}: {err}")
    elif len(lines) != 1:
        fail(name, f"expected one line on stderr, got {lines}")
    elif fragment not in lines[0] or quoted not in lines[0]:
        fail(name, f"message '{lines[0]}' lacks '{fragment}' or the file name")
    else:
        ok(name)


def bad_inputs(cli, samples, work):
    contacts = os.path.join(samples, "aspose-email__SampleContacts1.pst") if samples else None

    def mk(name, data):
        p = os.path.join(work, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    expect_error(cli, "missing file", ["ls", cli.path(os.path.join(work, "absent.pst"))],
                 "cannot open", "absent.pst")
    expect_error(cli, "directory", ["ls", cli.path(work)], "directory", os.path.basename(work))
    expect_error(cli, "empty file", ["ls", cli.path(mk("empty.pst", b""))], "empty", "empty.pst")
    expect_error(cli, "text file", ["ls", cli.path(mk("letter.pst", b"Dear all,\n" * 400))],
                 "not a PST", "letter.pst")
    rnd = random.Random(7)
    expect_error(cli, "random bytes",
                 ["ls", cli.path(mk("noise.pst", bytes(rnd.getrandbits(8) for _ in range(70000))))],
                 "not a PST", "noise.pst")
    expect_error(cli, "unknown command", ["frobnicate"], "unknown command", "frobnicate")
    expect_error(cli, "unknown option", ["ls", "--frob", "x.pst"], "unknown option", "--frob")
    if not contacts or not os.path.exists(contacts):
        skip("damaged samples", "the sample PST folder is absent")
        return
    data = open(contacts, "rb").read()
    for cut in (200, 511, 1000, 20000, 100000, 200000):
        p = mk(f"cut{cut}.pst", data[:cut])
        r = cli("ls", cli.path(p))
        name = f"truncated at {cut}"
        if r.returncode == 0:
            # a cut past the indexes may still list: then reading items must not crash
            r2 = cli("ls", cli.path(p) + ":/Contacts")
            if r2.returncode not in (0, 1):
                fail(name, f"ls of items exit {r2.returncode}")
            else:
                ok(name)
        else:
            expect_error(cli, name, ["ls", cli.path(p)], "cannot", f"cut{cut}.pst")
    # a copy cut off past its indexes lists, with a warning naming the
    # file and both sizes (ls, and show through the same open)
    outlook = os.path.join(samples, "aspose-email__Outlook_1.pst")
    if os.path.exists(outlook):
        def verdict(name, good, why):
            if good:
                ok(name)
            else:
                fail(name, why)
        whole = open(outlook, "rb").read()
        part = whole[:len(whole) * 9 // 10 // 512 * 512]
        p = mk("cutoff.pst", part)
        r = cli("ls", cli.path(p))
        err, out = r.stderr.decode("utf-8", "replace"), r.stdout.decode("utf-8", "replace")
        want = f"header says {len(whole)} bytes, the file has {len(part)}"
        verdict("truncated store: ls warns, naming the file and both sizes",
                r.returncode == 0 and "cutoff.pst" in err and want in err and "/Inbox" in out,
                f"exit {r.returncode}: {err.strip()[:300]}")
        r = cli("ls", "-q", cli.path(p))
        verdict("truncated store: -q keeps it quiet", r.returncode == 0 and not r.stderr.strip(),
                r.stderr.decode("utf-8", "replace").strip()[:200])
        p = mk("halved.pst", whole[:len(whole) // 2 // 512 * 512])
        expect_error(cli, "truncated store: one that cannot be opened says it is truncated",
                     ["ls", cli.path(p)], "truncated", "halved.pst")
        r = cli("ls", cli.path(outlook))
        verdict("truncated store: a whole store gets no such warning",
                r.returncode == 0 and b"truncated" not in r.stderr, r.stderr[:200])
    hdr = bytearray(data)
    hdr[0xB4:0x104] = bytes([0xA5]) * 0x50
    expect_error(cli, "corrupt header", ["ls", cli.path(mk("hdr.pst", bytes(hdr)))],
                 "cannot open", "hdr.pst")
    bt = bytearray(data)
    nbt = int.from_bytes(bt[0xE0:0xE8], "little")
    bbt = int.from_bytes(bt[0xF0:0xF8], "little")
    for i in range(488):
        bt[nbt + i] ^= 0x5A
        bt[bbt + i] ^= 0x3C
    expect_error(cli, "corrupt b-trees", ["ls", cli.path(mk("bt.pst", bytes(bt)))],
                 "cannot open", "bt.pst")
    bad = os.path.join(samples, "bad", "aspose-email__AddingBulkMessagesWithImprovedPerformance.pst")
    if os.path.exists(bad):
        expect_error(cli, "corrupt sample", ["ls", cli.path(bad)], "cannot open",
                     "AddingBulkMessages")
    # random damage anywhere in the file: any outcome but a crash or a hang
    rnd = random.Random(11)
    crashes = []
    for n in range(FUZZ_ROUNDS if not cli.wine else FUZZ_ROUNDS // 4):
        fuzzed = bytearray(data)
        for _ in range(rnd.randint(1, 64)):
            pos = rnd.randrange(512, len(fuzzed))
            fuzzed[pos] = rnd.getrandbits(8)
        p = mk("fuzz.pst", bytes(fuzzed))
        for args in (["ls", cli.path(p)], ["ls", cli.path(p) + ":/Contacts"]):
            try:
                r = cli(*args)
            except subprocess.TimeoutExpired:
                crashes.append(f"round {n}: hang")
                continue
            if r.returncode not in (0, 1):
                crashes.append(f"round {n}: exit {r.returncode}: {r.stderr[-300:]!r}")
    if crashes:
        fail("randomly damaged stores", "; ".join(crashes[:5]))
    else:
        ok("randomly damaged stores")
    if cli.wine:
        skip("store held by another program", "Unix locks do not reach Wine's share modes")
    else:
        p = mk("held.pst", data)
        with open(p, "r+b") as held:
            fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            expect_error(cli, "store held by another program", ["ls", cli.path(p)],
                         "in use by another program", "held.pst")


def listings(cli, samples):
    sample = os.path.join(samples, "rjohnsondev_java-libpst__dist-list.pst")
    if not os.path.exists(sample):
        skip("listings", "the sample PST folder is absent")
        return
    r = cli("ls", "--json", cli.path(sample))
    doc = json.loads(r.stdout)
    st = doc["store"]
    if st["format"] == "unicode" and st["kind"] == "pst" and st["display_name"] == "Personal Folders" \
            and doc["folders"][0]["path"] == "/" \
            and {"path": "/Contacts", "class": "IPF.Contact", "items": 2}.items() <= \
            next(f for f in doc["folders"] if f["path"] == "/Contacts").items():
        ok("ls --json store")
    else:
        fail("ls --json store", r.stdout[:400])
    r = cli("ls", "--json", cli.path(sample) + ":/Calendar")
    items = json.loads(r.stdout)["items"]
    if len(items) == 1 and items[0]["class"] == "IPM.Appointment" and items[0]["id"].startswith("0x") \
            and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", items[0]["modified"] or ""):
        ok("ls --json folder")
    else:
        fail("ls --json folder", r.stdout[:400])
    r = cli("show", "--json", cli.path(sample) + ":/Calendar#" + items[0]["id"])
    try:
        item = json.loads(r.stdout)
        props = {p["tag"]: p for p in item["properties"]}
        subject = props.get("0x0037001F", {})
        named = [p for p in item["properties"] if "guid" in p]
        good = subject.get("name") == "PidTagSubject" and named and all(
            ("lid" in p) != ("name_string" in p) for p in named) \
            and any(p["name"] == "PidLidAppointmentStartWhole" for p in named) \
            and isinstance(item["recipients"], list) and isinstance(item["attachments"], list)
    except (ValueError, KeyError, StopIteration) as e:
        good = False
    (ok if good else lambda n: fail(n, r.stdout[:600]))("show --json")
    r = cli("ls", cli.path(sample))
    lines = r.stdout.decode().splitlines()
    header = lines[1] if len(lines) > 1 else ""
    if r.returncode == 0 and header.split() == ["PATH", "CLASS", "ITEMS", "SUBFOLDERS"]:
        ok("ls table")
    else:
        fail("ls table", r.stdout[:400])
    r = cli("show", cli.path(sample) + ":/Contacts#0x12345")
    if r.returncode == 1 and b"no item 0x12345" in r.stderr:
        ok("show of an absent item")
    else:
        fail("show of an absent item", r.stderr)
    # check: 0 clean, 1 problems (each one line naming the file), 2 unreadable
    cases = [("rjohnsondev_java-libpst__dist-list.pst", 0), ("microsoft_outlook-pst-rs__Empty.pst", 0),
             ("aspose-email__PersonalStorage.pst", 1),
             ("bad/aspose-email__AddingBulkMessagesWithImprovedPerformance.pst", 2)]
    for name, want in cases:
        p = os.path.join(samples, name)
        r = cli("check", cli.path(p))
        out = r.stdout.decode("utf-8", "replace")
        lines = [l for l in out.splitlines() if l]
        good = r.returncode == want and (want != 1 or all(os.path.basename(name) in l for l in lines))
        if want == 1:
            good = good and any("density list" in l for l in lines)
        (ok if good else lambda n: fail(n, f"exit {r.returncode}: {out[:300]} {r.stderr[:300]!r}"))(
            f"check {os.path.basename(name)}")
    for args in (["--help"], ["ls", "--help"], ["show", "--help"], ["check", "--help"], ["help", "ls"]):
        r = cli(*args)
        if r.returncode == 0 and b"usage: pstsync" in r.stdout and (args == ["--help"] or b"example" in r.stdout):
            ok(f"help {' '.join(args)}")
        else:
            fail(f"help {' '.join(args)}", r.stdout[:200])


def profile_commands(cli, work):
    """`pstsync --config FILE profile ...` and `options ...` end to end: what they
    print, what they leave in the file, and that they keep a hand-made comment."""
    cfg = os.path.join(work, "settings ü", "pstsync.ini")   # folder made by pstsync

    def pst(name):
        return os.path.join(work, name)

    def kept(p):
        # store paths are kept absolute: Windows ones with backslashes
        return ("Z:" + os.path.abspath(p)).replace("/", "\\") if cli.wine else os.path.abspath(p)

    def step(name, args, code=0, out=None):
        r = cli("--config", cli.path(cfg), *args)
        text = r.stdout.decode("utf-8", "replace")
        err = r.stderr.decode("utf-8", "replace").strip()
        if r.returncode != code:
            fail(name, f"exit {r.returncode}, expected {code}: {text} {err}")
            return None
        if out and out not in text:
            fail(name, f"'{out}' not in output: {text} {err}")
            return None
        if code and len(err.splitlines()) != 1:
            fail(name, f"expected one line on stderr: {err}")
            return None
        ok(name)
        return text

    def lines():
        with open(cfg, encoding="utf-8") as f:
            return [l.rstrip("\n") for l in f]

    def listing():
        r = cli("--config", cli.path(cfg), "profile", "list", "--json")
        return json.loads(r.stdout)["profiles"] if r.returncode == 0 else None

    step("profile add", ["profile", "add", "Büro #1", "--local", cli.path(pst("my #1.pst")),
                         "--global", cli.path(pst("common.pst"))], out="added profile 'Büro #1'")
    if not os.path.exists(cfg):
        fail("profile add writes the file", cfg)
        return
    want = ['name = "Büro #1"', f'local = "{kept(pst("my #1.pst"))}"', f"global = {kept(pst('common.pst'))}",
            "enabled = yes"]
    got = lines()
    (ok if all(w in got for w in want) else lambda n: fail(n, f"{want} not all in {got}"))(
        "profile add: the file")
    step("profile link", ["profile", "link", "büro #1", "/Contacts/", "/Kontakte"],
         out="linked local /Contacts <-> global /Kontakte (both) in profile 'Büro #1'")
    step("profile link --direction", ["profile", "link", "Büro #1", "/Calendar", "/Office calendar",
                                      "--direction", "from-global"], out="<- global /Office calendar")
    step("profile link: bad direction", ["profile", "link", "Büro #1", "/Notes", "/Notes",
                                         "--direction", "sideways"], code=2)
    step("profile link: twice", ["profile", "link", "Büro #1", "/Contacts", "/Kontakte"], code=1)
    step("profile add: name differing in non-ASCII case", ["profile", "add", "BÜRO #1", "--local", cli.path(pst("a.pst")),
                                    "--global", cli.path(pst("b.pst"))], code=0)
    step("profile remove", ["profile", "remove", "BÜRO #1"], out="removed profile 'BÜRO #1'")
    step("profile add: name taken", ["profile", "add", "büro #1", "--local", cli.path(pst("a.pst")),
                                     "--global", cli.path(pst("b.pst"))], code=1)
    profiles = listing()
    want = [{"name": "Büro #1", "enabled": True, "local": kept(pst("my #1.pst")),
             "global": kept(pst("common.pst")),
             "links": [{"local": "/Contacts", "global": "/Kontakte", "direction": "both"},
                       {"local": "/Calendar", "global": "/Office calendar", "direction": "from-global"}]}]
    (ok if profiles == want else lambda n: fail(n, f"{profiles}"))("profile list --json")
    text = step("profile show", ["profile", "show", "Büro #1"], out="/Office calendar  (from-global)")
    # the user adds comments by hand; the program's changes keep them
    got = lines()
    got.insert(0, "# my own words")
    got.insert(got.index("enabled = yes"), "  ; the stores of the office")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("\n".join(got) + "\n")
    step("profile disable", ["profile", "disable", "Büro #1"], out="disabled profile 'Büro #1'")
    step("profile unlink", ["profile", "unlink", "Büro #1", "/contacts"],
         out="unlinked local /Contacts <-> global /Kontakte (both)")
    step("profile unlink: no such link", ["profile", "unlink", "Büro #1", "/Contacts"], code=1)
    step("options set", ["options", "set", "conflicts", "later"], out="set conflicts to later (was ask)")
    step("options set: bad value", ["options", "set", "interval_minutes", "soon"], code=2)
    step("options set: unknown key", ["options", "set", "confrim_deletes", "no"], code=2)
    got = lines()
    good = got[0] == "# my own words" and "  ; the stores of the office" in got \
        and got.index("  ; the stores of the office") < got.index("enabled = no") \
        and not any(l.startswith("link1.") for l in got) \
        and any(re.match(r"^conflicts\s*=\s*later$", l) for l in got)
    (ok if good else lambda n: fail(n, "\n".join(got)))("profile and options changes keep comments")
    profiles = listing()
    good = profiles and profiles[0]["enabled"] is False and len(profiles[0]["links"]) == 1 \
        and profiles[0]["links"][0]["local"] == "/Calendar"
    (ok if good else lambda n: fail(n, f"{profiles}"))("profile list --json after changes")
    r = cli("--config", cli.path(cfg), "options", "--json")
    try:
        doc = json.loads(r.stdout)
        good = doc["options"]["conflicts"] == "later" and doc["options"]["confirm_deletes"] is True \
            and doc["options"]["mass_delete_percent"] == 50 and doc["file"].endswith("pstsync.ini")
    except (ValueError, KeyError):
        good = False
    (ok if good else lambda n: fail(n, r.stdout[:300]))("options --json")
    expect_error(cli, "profile show: no such profile", ["--config", cli.path(cfg), "profile", "show",
                 "nobody"], "no profile 'nobody'", "pstsync.ini")
    bad = os.path.join(work, "bad.ini")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("# settings\n[options]\nconfirm_deletes = yes\n\nconfrim_deletes = no\n")
    expect_error(cli, "settings: bad line", ["--config", cli.path(bad), "profile", "list"],
                 "line 5: unknown option 'confrim_deletes'", "bad.ini")
    profile_import(cli, work, step, lines, listing)
    for args in (["profile", "--help"], ["options", "--help"], ["help", "profile"]):
        r = cli(*args)
        if r.returncode == 0 and b"usage: pstsync" in r.stdout and b"example" in r.stdout:
            ok(f"help {' '.join(args)}")
        else:
            fail(f"help {' '.join(args)}", r.stdout[:200])


def profile_import(cli, work, step, lines, listing):
    """`profile import FILE`: an office's settings file, written once with variables
    in its paths, added to a user's settings; the variables stay as written."""
    office = os.path.join(work, "office.ini")
    with open(office, "w", encoding="utf-8") as f:
        f.write("; the office's profiles\n[profile 1]\nname = Team\n"
                "local = %LOCALAPPDATA%\\pstsync\\%USERNAME%.pst\n"
                "global = \\\\server\\office\\common.pst\nenabled = no\n"
                "link1.local = /Calendar\nlink1.global = /Team calendar\n"
                "link1.direction = from-global\n"
                "[profile 2]\nname = \"Büro #1\"\nlocal = a.pst\nglobal = b.pst\n")
    step("profile import", ["profile", "import", cli.path(office)],
         out="imported 1 of 2 profiles")
    got = lines()
    good = "local = %LOCALAPPDATA%\\pstsync\\%USERNAME%.pst" in got and "enabled = no" in got \
        and "link1.global = /Team calendar" in got
    (ok if good else lambda n: fail(n, "\n".join(got)))("profile import: paths kept as written")
    team = [p for p in (listing() or []) if p["name"] == "Team"]
    good = team and team[0]["links"] == [{"local": "/Calendar", "global": "/Team calendar",
                                          "direction": "from-global"}] and team[0]["enabled"] is False
    (ok if good else lambda n: fail(n, f"{team}"))("profile import: links and enabled")
    step("profile import: a taken name is kept", ["profile", "import", cli.path(office)],
         out="kept profile 'Büro #1'")
    step("profile import --replace", ["profile", "import", "--replace", cli.path(office)],
         out="replaced profile 'Team'")
    step("profile import: no such file", ["profile", "import", cli.path(os.path.join(work, "no.ini"))],
         code=1)
    step("profile remove the imported", ["profile", "remove", "Team"], out="removed profile 'Team'")


# ---- pstsync add, sync and status ---------------------------------------------------

def reader_items(pic, folder):
    """{name: [item text]} of one folder as a reader sees it: contacts by their
    given name and surname, other items by their subject."""
    out = {}
    f = pic.folders.get((folder,))
    for item in (f.items.elements() if f else []):
        name = None
        for line in item:
            if line.startswith("0x3001 string "):      # pffexport: PidTagDisplayName
                name = json.loads(line[len("0x3001 string "):])
            elif line.startswith("0x0037 string ") and name is None:
                name = json.loads(line[len("0x0037 string "):])
            elif line.startswith("N:"):                 # readpst: vCard N:Surname;Given;...
                parts = line[2:].split(";")
                name = f"{parts[1]} {parts[0]}".strip() if len(parts) > 1 else parts[0]
            elif line.startswith("SUMMARY:"):           # readpst: iCalendar
                name = line[len("SUMMARY:"):]
        out.setdefault(name, []).append("\n".join(item))
    return out


class WtCli(wt.Cli):
    """write_tests' command line (loc, json), with run_wine under Wine."""

    def __call__(self, *args):
        env = dict(os.environ, WINEDEBUG="-all")
        return (run_wine if self.wine else wt.run)(self.exe + list(args), env=env)


class SyncWorld:
    """A local and a global store made by `create` and `add`, and a settings
    file with profile T linking their Contacts and Calendar both ways."""

    def __init__(self, cli, env, name):
        self.cli, self.env = cli, env
        self.dir = env.tmpdir(name)
        self.store = [os.path.join(self.dir, "local.pst"), os.path.join(self.dir, "global.pst")]
        self.cfg = os.path.join(self.dir, "pstsync.ini")

    def run(self, *args):
        return self.cli("--config", self.cli.path(self.cfg), *args)

    def sync(self, *args):
        r = self.run("sync", "--json", *args)
        try:
            return r, json.loads(r.stdout)
        except ValueError:
            return r, None

    def status(self):
        r = self.run("status", "--json")
        try:
            return r, json.loads(r.stdout)
        except ValueError:
            return r, None

    def add(self, side, folder, *props):
        return self.cli("add", "--json", self.cli.loc(self.store[side], folder), *props)

    def id_of(self, side, folder, subject, nth=0):
        r, doc = self.cli.json("ls", "--json", self.cli.loc(self.store[side], folder))
        ids = [it["id"] for it in (doc or {}).get("items", []) if it["subject"] == subject]
        return ids[nth] if len(ids) > nth else "0x0"

    def set(self, side, folder, subject, *props):
        return self.cli("set", self.cli.loc(self.store[side], folder, self.id_of(side, folder, subject)),
                        *props)

    def rm(self, side, folder, subject):
        return self.cli("rm", self.cli.loc(self.store[side], folder, self.id_of(side, folder, subject)))

    def hashes(self):
        files = self.store + [os.path.join(self.dir, f) for f in sorted(os.listdir(self.dir))
                              if f.startswith("protocol-") and f.endswith(".db")]
        return {f: wt.file_hash(f) for f in files}

    def pictures(self, tag):
        return [self.env.pictures(s, f"{tag}-{i}", cache=False) for i, s in enumerate(self.store)]


def counts_of(doc, profile="T"):
    for p in (doc or {}).get("profiles", []):
        if p["name"] == profile:
            return p
    return None


def flat(counts):
    """(copied local, copied global, overwritten local, overwritten global,
    deleted local, deleted global, paired)."""
    c = counts["counts"]
    return (c["copied"]["local"], c["copied"]["global"], c["overwritten"]["local"],
            c["overwritten"]["global"], c["deleted"]["local"], c["deleted"]["global"], c["paired"])


def check_readers(w, tag, want, values=()):
    """Both stores through pffexport and readpst: each folder holds exactly
    the names of @want ({folder: Counter of names}); each (folder, name, text,
    present) of @values: the text is (or is not) in every item of that name."""
    pics = w.pictures(tag)
    for side in (0, 1):
        r = w.cli("check", w.cli.path(w.store[side]))
        wt.check(f"sync: {tag}: {('local', 'global')[side]} store passes check", r.returncode == 0,
                 wt.err_text(r)[-800:])
        for i, reader in enumerate(("pffexport", "readpst")):
            pic = pics[side][i]
            name = f"sync: {tag}: {reader} sees the {('local', 'global')[side]} store's items"
            if not pic.ok:
                fail(name, pic.error[-500:])
                continue
            problems = []
            for folder, names in want.items():
                got = reader_items(pic, folder)
                have = collections.Counter({k: len(v) for k, v in got.items()})
                if have != names:
                    problems.append(f"/{folder}: {dict(have)}, wanted {dict(names)}")
                for vf, vname, text, present in values:
                    if vf != folder:
                        continue
                    for item in got.get(vname, []):
                        if (text in item) != present:
                            problems.append(f"/{folder} {vname}: '{text}' {'missing' if present else 'still there'}")
            (ok if not problems else lambda n: fail(n, "; ".join(problems)))(name)


def add_command(cli, env):
    """`pstsync add`: what a new contact and appointment get, and its errors."""
    d = env.tmpdir("add")
    store = os.path.join(d, "a.pst")
    r = cli("create", "-q", cli.path(store))
    if r.returncode != 0:
        fail("add: create", wt.err_text(r))
        return
    r, doc = cli.json("add", "--json", cli.loc(store, "/Contacts"), "PidTagGivenName=Anna",
                      "PidTagMiddleName=Maria", "PidTagSurname=Berg", "PidLidEmail1EmailAddress=anna@example.com")
    good = r.returncode == 0 and doc and doc["added"]["class"] == "IPM.Contact" \
        and doc["added"]["subject"] == "Anna Maria Berg" and re.match(r"^0x[0-9a-f]+$", doc["added"]["id"])
    if not good:
        fail("add --json: a contact", wt.err_text(r))
        return
    ok("add --json: a contact")
    r, item = cli.json("show", "--json", cli.loc(store, "/Contacts", doc["added"]["id"]))
    props = {p["name"]: p for p in (item or {}).get("properties", [])}
    want = {"PidTagMessageClass": "IPM.Contact", "PidTagDisplayName": "Anna Maria Berg",
            "PidTagSubject": "Anna Maria Berg", "PidTagNormalizedSubject": "Anna Maria Berg",
            "PidLidFileUnder": "Berg, Anna Maria", "PidLidFileUnderId": 0x8017,
            "PidLidEmail1AddressType": "SMTP", "PidLidEmail1DisplayName": "Anna Maria Berg (anna@example.com)",
            "PidTagMessageFlags": 1, "PidTagIconIndex": 0x200}
    bad = {k: props.get(k, {}).get("value") for k, v in want.items() if props.get(k, {}).get("value") != v}
    for k, size in (("PidTagSearchKey", 16), ("PidTagChangeKey", 22), ("PidTagPredecessorChangeList", 23)):
        if len(props.get(k, {}).get("value", "")) != 2 * size:
            bad[k] = props.get(k, {}).get("value")
    for k in ("PidTagCreationTime", "PidTagLastModificationTime"):
        if not re.match(r"^\d{4}-\d\d-\d\dT", props.get(k, {}).get("value") or ""):
            bad[k] = props.get(k, {}).get("value")
    wt.check("add: a contact gets what Outlook sets", not bad, f"{bad}")
    r, doc = cli.json("add", "--json", cli.loc(store, "/Calendar"), "PidTagSubject=Team meeting",
                      "PidLidAppointmentStartWhole=2024-06-03T09:00:00Z", "PidLidAppointmentDuration=45")
    r, item = cli.json("show", "--json", cli.loc(store, "/Calendar", (doc or {}).get("added", {}).get("id", "0")))
    props = {p["name"]: p.get("value") for p in (item or {}).get("properties", [])}
    wt.check("add: an appointment gets its end, duration and common times",
             props.get("PidLidAppointmentEndWhole") == "2024-06-03T09:45:00Z"
             and props.get("PidLidCommonStart") == "2024-06-03T09:00:00Z"
             and props.get("PidTagEndDate") == "2024-06-03T09:45:00Z"
             and props.get("PidLidAppointmentDuration") == 45 and props.get("PidLidBusyStatus") == 2
             and props.get("PidTagMessageClass") == "IPM.Appointment", f"{props}")
    r, doc = cli.json("add", "--json", cli.loc(store, "/Tasks"), "PidTagSubject=Call Anna")
    wt.check("add: the class follows the folder", r.returncode == 0 and doc
             and doc["added"]["class"] == "IPM.Task", wt.err_text(r))
    r = cli("add", cli.loc(store, "/Notes"), "--class", "IPM.StickyNote", "PidTagBody=milk")
    wt.check("add: text output", r.returncode == 0 and re.match(
        rb"^added item 0x[0-9a-f]+ \(IPM.StickyNote \"\"\) to '/Notes' of '", r.stdout), wt.err_text(r))
    r = cli("check", cli.path(store))
    wt.check("add: check is clean", r.returncode == 0, wt.err_text(r)[-800:])
    wt.expect_error(env, "add: a missing folder", ["add", cli.loc(store, "/Nope"), "PidTagSubject=x"],
                    "no folder '/Nope'", "a.pst", unchanged=store)
    wt.expect_error(env, "add: a bad property name", ["add", cli.loc(store, "/Contacts"), "PidTagGivenNam=x"],
                    "PidTagGivenNam", "a.pst", unchanged=store)
    wt.expect_error(env, "add: a bad value", ["add", cli.loc(store, "/Calendar"),
                    "PidLidAppointmentStartWhole=tomorrow"], "'tomorrow'", "a.pst", unchanged=store)
    wt.expect_error(env, "add: an item, not a folder (usage)", ["add", cli.loc(store, "/Contacts", "0x200024"),
                    "PidTagSubject=x"], "names no folder", "a.pst", code=2, unchanged=store)
    wt.expect_error(env, "add: a bad class (usage)", ["add", cli.loc(store, "/Contacts"), "--class", "Contact"],
                    "no message class", "Contact", code=2, unchanged=store)


def interactive_sync(w):
    """The questions at a terminal: stdin and stdout a pty; a wrong letter is
    asked again, a capital letter answers the rest alike."""
    import pty
    import select
    master, slave = pty.openpty()
    env = dict(os.environ, WINEDEBUG="-all")
    p = subprocess.Popen(w.cli.exe + ["--config", w.cli.path(w.cfg), "sync", "T"], stdin=slave,
                         stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out, answers = b"", [b"x\n", b"g\n", b"R\n"]
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if out.rstrip().endswith(b">") and answers:
                os.write(master, answers.pop(0))
        elif p.poll() is not None:
            break
    p.wait(timeout=30)
    os.close(master)
    text = out.decode("utf-8", "replace")
    good = p.returncode == 0 and "1 conflict:" in text and "1 deletion to confirm:" in text \
        and "please type one of the letters" in text and "[b] keep both" in text \
        and "[r] restore it in global" in text and "in step" in text and not answers
    wt.check("sync at a terminal: the questions as two lists, answered one by one", good,
             f"exit {p.returncode}: {text[-1500:]}")


def sync_commands(cli_tests_cli, samples, work):
    """`pstsync sync` and `status` end to end on stores made by create and add,
    every result also seen through pffexport and readpst."""
    if not shutil.which("pffexport") or not shutil.which("readpst"):
        skip("sync", "pffexport or readpst is not installed")
        return
    cli = WtCli(" ".join(shlex.quote(a) for a in cli_tests_cli.exe))
    env = wt.Env(cli, samples, work)
    add_command(cli, env)
    w = SyncWorld(cli, env, "sync")
    for side in (0, 1):
        r = cli("create", "-q", cli.path(w.store[side]))
        if r.returncode != 0:
            fail("sync: create", wt.err_text(r))
            return
    adds = [(0, "/Contacts", "PidTagGivenName=Anna", "PidTagSurname=Berg"),
            (0, "/Calendar", "PidTagSubject=Local meeting", "PidLidAppointmentStartWhole=2024-06-03T09:00:00Z"),
            (1, "/Contacts", "PidTagGivenName=Carl", "PidTagSurname=Diaz"),
            (1, "/Calendar", "PidTagSubject=Global meeting", "PidLidAppointmentStartWhole=2024-06-04T09:00:00Z")]
    adds += [(1, "/Contacts", f"PidTagGivenName={a}", f"PidTagSurname={b}") for a, b in
             (("Conflict", "Local"), ("Conflict", "Global"), ("Conflict", "Both"), ("Conflict", "Later"),
              ("Del", "Apply"), ("Del", "Restore"), ("Del", "Later"))]
    for side, folder, *props in adds:
        r = w.add(side, folder, *props)
        if r.returncode != 0:
            fail("sync: add", wt.err_text(r))
            return
    for args in (["profile", "add", "T", "--local", cli.path(w.store[0]), "--global", cli.path(w.store[1])],
                 ["profile", "link", "T", "/Contacts", "/Contacts"],
                 ["profile", "link", "T", "/Calendar", "/Calendar"]):
        r = w.run(*args)
        if r.returncode != 0:
            fail("sync: profile", wt.err_text(r))
            return
    r, doc = w.status()
    p = counts_of(doc)
    wt.check("status --json before the first sync", r.returncode == 0 and p and p["synced"] is False
             and p["last_sync"] is None and [l["last_sync"] for l in p["links"]] == [None, None]
             and p["outstanding"] == 0, wt.err_text(r))
    # a dry run of a profile never synced: creates nothing, changes nothing
    before = w.hashes()
    r, doc = w.sync("--dry-run")
    p = counts_of(doc)
    wt.check("sync --dry-run before the first sync changes nothing",
             r.returncode == 0 and p and p["dry_run"] and flat(p) == (9, 2, 0, 0, 0, 0, 0)
             and len(p["actions"]) == 11 and w.hashes() == before, f"{wt.err_text(r)} {before}")
    # the first sync copies both ways
    r, doc = w.sync()
    p = counts_of(doc)
    wt.check("sync: the first sync copies both ways", r.returncode == 0 and doc["exit"] == 0 and p
             and p["status"] == "in step" and flat(p) == (9, 2, 0, 0, 0, 0, 0)
             and [(l["items"]["local"], l["items"]["global"]) for l in p["links"]] == [(9, 9), (2, 2)],
             wt.err_text(r))
    contacts = collections.Counter(["Anna Berg", "Carl Diaz", "Conflict Local", "Conflict Global",
                                    "Conflict Both", "Conflict Later", "Del Apply", "Del Restore", "Del Later"])
    calendar = collections.Counter(["Local meeting", "Global meeting"])
    check_readers(w, "first sync", {"Contacts": contacts, "Calendar": calendar})
    # a second sync changes nothing
    before = w.hashes()
    r, doc = w.sync()
    p = counts_of(doc)
    stores_same = all(before[s] == w.hashes()[s] for s in w.store)
    wt.check("sync: a second sync changes nothing", r.returncode == 0 and p and flat(p) == (0,) * 7
             and p["counts"]["conflicts"] == 0 and stores_same, f"{wt.err_text(r)} stores unchanged: {stores_same}")
    # what crossed to the files: read, and nothing written by a sync with nothing to do
    io = (p or {}).get("io") or {}
    wt.check("sync --json: the I/O of each store, and no write when nothing changed",
             all(io.get(s) and io[s]["bytes_read"] > 0 and io[s]["reads"] > 0
                 and io[s]["bytes_written"] == 0 and io[s]["writes"] == 0 and io[s]["syncs"] == 0
                 for s in ("local", "global")), str(io))
    r = w.run("sync", "--stats")
    text = r.stdout.decode("utf-8", "replace")
    wt.check("sync --stats: bytes and calls per store, and the time on a LAN",
             r.returncode == 0 and all(re.search(rf"{s} store: read [1-9][0-9]* bytes in [1-9][0-9]* calls, "
                                                 r"wrote 0 bytes in 0 calls .*about [0-9.]+ s", text)
                                       for s in ("local", "global")), text + wt.err_text(r))
    # a change on each side travels
    edits = [w.set(0, "/Contacts", "Anna Berg", "PidLidEmail1EmailAddress=anna@new.example"),
             w.set(1, "/Calendar", "Global meeting", "PidLidLocation=Room 2")]
    wt.check("sync: both edits are made", all(e.returncode == 0 for e in edits),
             " ".join(wt.err_text(e) for e in edits))
    r, doc = w.sync()
    p = counts_of(doc)
    wt.check("sync: a change on each side travels", r.returncode == 0 and p
             and flat(p) == (0, 0, 1, 1, 0, 0, 0), wt.err_text(r))
    # conflict: keep local, deletion: apply; the dry run first
    w.set(0, "/Contacts", "Conflict Local", "PidTagBusinessTelephoneNumber=111-local")
    w.set(1, "/Contacts", "Conflict Local", "PidTagBusinessTelephoneNumber=111-global")
    w.rm(1, "/Contacts", "Del Apply")
    before = w.hashes()
    r, doc = w.sync("--dry-run", "--conflicts", "local", "--deletes", "apply")
    p = counts_of(doc)
    asks = sorted((a["action"], a["subject"]) for a in (p or {}).get("actions", []))
    wt.check("sync --dry-run: the plan, and nothing changed (files byte-identical)",
             r.returncode == 0 and asks == [("ask-conflict", "Conflict Local"), ("ask-delete", "Del Apply")]
             and w.hashes() == before, f"{asks} {wt.err_text(r)}")
    r = w.run("sync", "--dry-run")
    text = r.stdout.decode("utf-8", "replace")
    wt.check("sync --dry-run: the plan as text", r.returncode == 0 and "a dry run, nothing is changed" in text
             and 'ask: conflict        IPM.Contact      "Conflict Local"' in text and w.hashes() == before, text)
    r, doc = w.sync("--conflicts", "local", "--deletes", "apply")
    p = counts_of(doc)
    wt.check("sync --conflicts local --deletes apply", r.returncode == 0 and p
             and flat(p) == (0, 0, 0, 1, 1, 0, 0) and p["counts"]["outstanding"] == 0, wt.err_text(r))
    # conflict: keep global, deletion: restore
    w.set(0, "/Contacts", "Conflict Global", "PidTagBusinessTelephoneNumber=222-local")
    w.set(1, "/Contacts", "Conflict Global", "PidTagBusinessTelephoneNumber=222-global")
    w.rm(1, "/Contacts", "Del Restore")
    r, doc = w.sync("--conflicts", "global", "--deletes", "restore")
    p = counts_of(doc)
    wt.check("sync --conflicts global --deletes restore", r.returncode == 0 and p
             and flat(p) == (0, 1, 1, 0, 0, 0, 0), wt.err_text(r))
    # conflict: keep both
    w.set(0, "/Contacts", "Conflict Both", "PidTagBusinessTelephoneNumber=333-local")
    w.set(1, "/Contacts", "Conflict Both", "PidTagBusinessTelephoneNumber=333-global")
    r, doc = w.sync("--conflicts", "both")
    p = counts_of(doc)
    wt.check("sync --conflicts both", r.returncode == 0 and p and flat(p) == (1, 1, 0, 0, 0, 0, 0),
             wt.err_text(r))
    # later: exit 3, status lists them, the next sync answers them
    w.set(0, "/Contacts", "Conflict Later", "PidTagBusinessTelephoneNumber=444-local")
    w.set(1, "/Contacts", "Conflict Later", "PidTagBusinessTelephoneNumber=444-global")
    w.rm(0, "/Contacts", "Del Later")
    r, doc = w.sync("--conflicts", "later", "--deletes", "later")
    p = counts_of(doc)
    wt.check("sync --conflicts later --deletes later: exit 3", r.returncode == 3 and doc and doc["exit"] == 3
             and p["status"] == "questions" and p["counts"]["outstanding"] == 2 and len(p["questions"]) == 2
             and flat(p) == (0,) * 7, f"exit {r.returncode}: {wt.err_text(r)}")
    r, doc = w.status()
    p = counts_of(doc)
    try:
        qs = {q["kind"]: q for l in p["links"] for q in l["questions"]}
        good = r.returncode == 0 and p["synced"] and p["outstanding"] == 2 \
            and qs["conflict"]["subject"] == "Conflict Later" \
            and qs["conflict"]["local"]["change"] == "modified" and qs["conflict"]["global"]["change"] == "modified" \
            and qs["delete"]["subject"] == "Del Later" and qs["delete"]["local"]["change"] == "deleted" \
            and qs["delete"]["global"]["change"] == "none" and qs["delete"]["local_folder"] == "/Contacts" \
            and re.match(r"^\d{4}-\d\d-\d\dT", qs["conflict"]["local"]["when"]) \
            and p["links"][0]["items"] == {"local": 8, "global": 9} \
            and re.match(r"^\d{4}-\d\d-\d\dT", p["links"][0]["last_sync"]) \
            and p["last_sync"]["status"] == "ok" and p["last_sync"]["errors"] == [] \
            and p["last_sync"]["counts"]["conflicts"] == 1 and p["links"][1]["questions"] == []
    except (KeyError, TypeError, IndexError):
        good = False
    wt.check("status --json: the outstanding questions, items, last sync", good, r.stdout[:1500])
    r = w.run("status", "T")
    text = r.stdout.decode("utf-8", "replace")
    wt.check("status: the questions as text", r.returncode == 0 and '"Conflict Later" in /Contacts <-> /Contacts'
             in text and "deleted in the local store" in text and "last synchronised" in text, text)
    r, doc = w.sync("--conflicts", "local", "--deletes", "apply")
    p = counts_of(doc)
    r2, st = w.status()
    wt.check("sync: the questions left for later answered next time", r.returncode == 0 and p
             and flat(p) == (0, 0, 0, 1, 0, 1, 0) and counts_of(st)["outstanding"] == 0, wt.err_text(r))
    contacts = collections.Counter(["Anna Berg", "Carl Diaz", "Conflict Local", "Conflict Global",
                                    "Conflict Both", "Conflict Both", "Conflict Later", "Del Restore"])
    values = [("Contacts", "Anna Berg", "anna@new.example", True),
              ("Calendar", "Global meeting", "Room 2", True),
              ("Contacts", "Conflict Local", "111-local", True), ("Contacts", "Conflict Local", "111-global", False),
              ("Contacts", "Conflict Global", "222-global", True), ("Contacts", "Conflict Global", "222-local", False),
              ("Contacts", "Conflict Later", "444-local", True), ("Contacts", "Conflict Later", "444-global", False)]
    check_readers(w, "after the questions", {"Contacts": contacts, "Calendar": calendar}, values)
    pics = w.pictures("both kept")
    both = [sorted("333-local" in t for t in reader_items(pics[s][0], "Contacts").get("Conflict Both", []))
            for s in (0, 1)]
    wt.check("sync --conflicts both: each side holds both versions (pffexport)", both == [[False, True]] * 2,
             f"{both}")
    # a profile whose store is missing fails in one line; the other one syncs
    missing = os.path.join(w.dir, "absent-global.pst")
    w.run("profile", "add", "Broken", "--local", cli.path(os.path.join(w.dir, "absent-local.pst")),
          "--global", cli.path(missing))
    w.run("profile", "link", "Broken", "/Contacts", "/Contacts")
    w.set(1, "/Contacts", "Carl Diaz", "PidTagTitle=Manager")
    r = w.run("sync", "--deletes", "later")
    err = [l for l in r.stderr.decode("utf-8", "replace").splitlines() if l and "warning" not in l]
    out = r.stdout.decode("utf-8", "replace")
    wt.check("sync: a profile whose store is missing fails in one clear line, the other syncs",
             r.returncode == 1 and len(err) == 1 and "profile 'Broken'" in err[0] and "absent-global.pst" in err[0]
             and "1 overwritten in local" in out and "in step" in out, f"exit {r.returncode}: {err} {out}")
    w.run("profile", "remove", "Broken")
    if cli.wine:
        skip("sync: a store held by another program", "Unix locks do not reach Wine's share modes")
        skip("sync at a terminal", "Wine's console is no pty")
    else:
        with open(w.store[1], "r+b") as held:
            fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r = w.run("sync", "--wait", "0")
            err = [l for l in r.stderr.decode("utf-8", "replace").splitlines() if l]
            wt.check("sync: a store held by another program (Outlook) is one line naming it",
                     r.returncode == 1 and len(err) == 1 and "profile 'T'" in err[0] and "global.pst" in err[0]
                     and "in use by another program" in err[0], f"exit {r.returncode}: {err}")
        w.set(0, "/Contacts", "Carl Diaz", "PidTagBusinessTelephoneNumber=555-local")
        w.set(1, "/Contacts", "Carl Diaz", "PidTagBusinessTelephoneNumber=555-global")
        w.rm(1, "/Contacts", "Anna Berg")
        interactive_sync(w)
        values += [("Contacts", "Carl Diaz", "555-global", True), ("Contacts", "Carl Diaz", "555-local", False)]
    # the end: nothing left to do, both stores clean and alike through both readers
    before = w.hashes()
    r, doc = w.sync()
    p = counts_of(doc)
    wt.check("sync: in step at the end", r.returncode == 0 and p and flat(p) == (0,) * 7
             and all(before[s] == w.hashes()[s] for s in w.store), wt.err_text(r))
    check_readers(w, "the end", {"Contacts": contacts, "Calendar": calendar}, values)
    # the mass-delete guard: --deletes apply leaves them, --allow-mass-delete lets them go
    gone = ["Conflict Local", "Conflict Global", "Conflict Both", "Conflict Both", "Conflict Later", "Del Restore"]
    for i, name in enumerate(gone):
        w.rm(1, "/Contacts", name)
    r, doc = w.sync("--deletes", "apply")
    p = counts_of(doc)
    wt.check("sync: the mass-delete guard holds --deletes apply back", r.returncode == 3 and p
             and p["counts"]["outstanding"] == 6 and flat(p) == (0,) * 7
             and b"would be deleted" in r.stderr, f"exit {r.returncode}: {wt.err_text(r)[-600:]}")
    r, doc = w.sync("--deletes", "apply", "--allow-mass-delete")
    p = counts_of(doc)
    wt.check("sync --allow-mass-delete", r.returncode == 0 and p and flat(p) == (0, 0, 0, 0, 6, 0, 0)
             and [l["items"] for l in p["links"]][0] == {"local": 2, "global": 2}, wt.err_text(r))
    for args, frag in ((["sync", "--conflicts", "maybe"], "--conflicts takes"),
                       (["sync", "--wait", "soon"], "--wait takes"),
                       (["sync", "--frob"], "unknown option"),
                       (["status", "a", "b"], "at most one")):
        r = w.run(*args)
        wt.check(f"sync usage: {' '.join(args)}", r.returncode == 2 and frag in r.stderr.decode(), wt.err_text(r))
    r = w.run("sync", "Nobody")
    wt.check("sync: an unknown profile", r.returncode == 1 and b"no profile 'Nobody'" in r.stderr, wt.err_text(r))
    for args in (["sync", "--help"], ["status", "--help"], ["add", "--help"]):
        r = cli(*args)
        wt.check(f"help {' '.join(args)}", r.returncode == 0 and b"usage: pstsync" in r.stdout
                 and b"examples:" in r.stdout, r.stdout[:200])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", default=os.path.join(os.environ.get("BUILD", "build"), "pstsync"))
    ap.add_argument("--samples", default=os.environ.get("SAMPLES", "../shared/pst-samples"))
    ap.add_argument("--no-oracles", action="store_true")
    args = ap.parse_args()
    cli = Cli(args.exe)
    samples = args.samples if os.path.isdir(args.samples) else None
    work = tempfile.mkdtemp(prefix="pstsync-cli-")
    try:
        if not samples:
            skip("samples", f"the sample PST folder '{args.samples}' is absent")
        else:
            listings(cli, samples)
            if not args.no_oracles:
                if not shutil.which("pffexport") or not shutil.which("readpst"):
                    skip("oracles", "pffexport or readpst is not installed")
                else:
                    for name in sorted(os.listdir(samples)):
                        if name.endswith(".pst"):
                            check_sample_against_oracles(cli, os.path.join(samples, name), name)
        bad_inputs(cli, samples, work)
        profile_commands(cli, work)
        sync_commands(cli, args.samples, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the sync suite counts with write_tests' helpers
    total = (passed + wt.passed, failed + wt.failed, skipped + wt.skipped)
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main())
