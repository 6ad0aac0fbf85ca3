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


class Cli:
    def __init__(self, exe):
        self.exe = shlex.split(exe)
        self.wine = self.exe[0] == "wine"

    def path(self, p):
        # Wine maps the Unix root to Z:, and takes forward slashes
        return "Z:" + os.path.abspath(p) if self.wine else p

    def __call__(self, *args):
        env = dict(os.environ, WINEDEBUG="-all")
        return run(self.exe + list(args), env=env)


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
    for args in (["profile", "--help"], ["options", "--help"], ["help", "profile"]):
        r = cli(*args)
        if r.returncode == 0 and b"usage: pstsync" in r.stdout and b"example" in r.stdout:
            ok(f"help {' '.join(args)}")
        else:
            fail(f"help {' '.join(args)}", r.stdout[:200])


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
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
