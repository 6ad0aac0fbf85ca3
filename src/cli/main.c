/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The command line's entry point: global options, the command table with
 * each command's help, and the helpers every command uses to report errors
 * and progress. A command is a function taking UTF-8 arguments and returning
 * an exit status; errors are one line on stderr naming the file and what is
 * wrong.
 */
#include "cli/cli.h"
#include "pstsync/check.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

static int cmd_help(struct cli *cli, int argc, char **argv);
static int cmd_version(struct cli *cli, int argc, char **argv);

const struct cli_command cli_commands[] = {
	{ "ls", cmd_ls, "list the folders of a store, or the items of a folder",
	  "usage: pstsync ls [--json] STORE\n"
	  "       pstsync ls [--json] STORE:/PATH\n"
	  "\n"
	  "With a store alone, lists every folder below the top of the store (the\n"
	  "folder Outlook shows as the top of the file, written \"/\"): its path, its\n"
	  "class (IPF.Note for mail, IPF.Contact, IPF.Appointment, ...), how many items\n"
	  "and how many subfolders it holds.\n"
	  "\n"
	  "With a folder path, lists the items of that folder: id (the item's node id\n"
	  "in hex, used by 'show'), message class, last modification time (UTC) and\n"
	  "subject or name. The list comes from the folder's contents table, so it is\n"
	  "fast even for folders of many thousands of items.\n"
	  "\n"
	  "Folder paths are separated by '/'; a '/' inside a folder name is written\n"
	  "%2F. Damaged parts of a store are skipped with a warning on stderr.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON instead of a table\n"
	  "  -q          no warnings or progress on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync ls outlook.pst\n"
	  "  pstsync ls outlook.pst:/Contacts\n"
	  "  pstsync ls --json '//server/share/common.pst:/Calendar'\n" },
	{ "show", cmd_show, "print every property, recipient and attachment of an item",
	  "usage: pstsync show [--json] STORE:/PATH#ID\n"
	  "\n"
	  "Prints one item completely: every property with its tag, canonical name\n"
	  "(PidTagSubject, PidLidEmail1EmailAddress, ...), type and value; named\n"
	  "properties with their property set and number or name; then its\n"
	  "recipients and its attachments, embedded messages included. ID is the\n"
	  "hex id that 'pstsync ls STORE:/PATH' prints.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON (binary values as hex strings, times in UTC)\n"
	  "  -q          no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync show outlook.pst:/Contacts#0x200024\n"
	  "  pstsync show --json outlook.pst:/Inbox#0x200044\n" },
	{ "check", cmd_check, "check a PST or OST file's integrity, as Outlook's scanpst does",
	  "usage: pstsync check [--json] [--repair] STORE\n"
	  "\n"
	  "Reads the whole file without changing it and checks: the header and its\n"
	  "checksums; every page and block (type, signature, checksum, trailer); the\n"
	  "order and levels of both indexes; the allocation maps and free-space\n"
	  "counters against the space in use; the density list; that every node is\n"
	  "reachable and every block referenced, with the right reference counts; the\n"
	  "heaps, property and table contexts of every node; and each folder's tables\n"
	  "and counters against its items and subfolders. An OST is checked as a PST\n"
	  "is (never written, not even by --repair); the 4K-page format of Outlook\n"
	  "2013 and later is refused with exit 2.\n"
	  "\n"
	  "Each problem is one line: the file, the area (header, maps, b-tree, blocks,\n"
	  "references, ltp, messaging) and what is wrong. Exit status: 0 no problems,\n"
	  "1 problems found, 2 the file cannot be read.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON: {\"problems\": [{\"area\", \"problem\"}], \"readable\", ...}\n"
	  "  --repair    first put right in place what a writer can: tables whose row\n"
	  "              blocks are not padded to full blocks ([MS-PST] 2.3.4.4, written\n"
	  "              by earlier versions of pstsync); then check the result. Writes\n"
	  "              the store (locked and crash-safe, as any change) only when\n"
	  "              something needs it. A store that cannot be written (ANSI, an\n"
	  "              OST, or held by another program) is checked all the same; exit 1\n"
	  "  -q          no word on stderr of what --repair did\n"
	  "\n"
	  "examples:\n"
	  "  pstsync check common.pst\n"
	  "  pstsync check --repair common.pst\n"
	  "  pstsync check --json outlook.pst\n" },
	{ "profile", cmd_profile, "add, link, list and change the sync profiles",
	  "usage: pstsync [--config FILE] profile add NAME --local STORE --global STORE\n"
	  "       pstsync [--config FILE] profile link NAME /LOCAL /GLOBAL [--direction DIR] [--create]\n"
	  "       pstsync [--config FILE] profile unlink NAME /LOCAL [/GLOBAL]\n"
	  "       pstsync [--config FILE] profile enable|disable|remove NAME\n"
	  "       pstsync [--config FILE] profile list [--json]\n"
	  "       pstsync [--config FILE] profile show [--json] NAME\n"
	  "       pstsync [--config FILE] profile import [--replace] OFFICE.ini\n"
	  "\n"
	  "A profile pairs one local store (your own PST) with one global store (the\n"
	  "shared PST on the office network) and holds the links between their\n"
	  "folders. 'pstsync sync' synchronises every enabled profile.\n"
	  "\n"
	  "  add       a new, enabled profile with no links; the store paths are kept\n"
	  "            absolute (or as written when they use a variable, below), and\n"
	  "            need not exist yet\n"
	  "  link      link a folder of the local store with one of the global store;\n"
	  "            DIR is both (the default), from-global (the local folder only\n"
	  "            receives: read-only) or to-global (it only publishes)\n"
	  "  unlink    remove a link; its sync state is dropped at the profile's next\n"
	  "            sync, so a link removed by mistake can be added back before\n"
	  "  enable    tick the profile on for synchronisation; disable ticks it off\n"
	  "  remove    remove the profile and its links\n"
	  "  list      every profile: name, enabled, number of links, stores\n"
	  "  show      one profile with its links\n"
	  "  import    add the profiles of another settings file (an office's, written\n"
	  "            once by its admin), links and all, paths as written; a profile\n"
	  "            whose name is taken is left as it is, or replaced with --replace\n"
	  "\n"
	  "Store paths may use %USERNAME%, %APPDATA%, %LOCALAPPDATA% and %USERPROFILE%\n"
	  "(and ~ or $HOME on Linux): the file keeps them as written and each user's\n"
	  "values are put in when the store is opened.\n"
	  "Folder paths start with '/' (a '/' inside a folder name is written %2F).\n"
	  "Profile names keep their case and spaces but are found regardless of case.\n"
	  "The settings live in %APPDATA%\\pstsync\\pstsync.ini on Windows and in\n"
	  "$XDG_CONFIG_HOME/pstsync/pstsync.ini (else ~/.config/pstsync/pstsync.ini)\n"
	  "elsewhere, or in the FILE of --config. The file may be edited by hand: the\n"
	  "commands keep its comments and order, and a bad line is reported with its\n"
	  "number.\n"
	  "\n"
	  "options:\n"
	  "  --local STORE    the local store of a new profile\n"
	  "  --global STORE   the global store of a new profile\n"
	  "  --direction DIR  both, from-global or to-global (link)\n"
	  "  --replace        import: replace the profiles whose names are taken\n"
	  "  --create         link a folder that does not exist yet: the sync makes it\n"
	  "                   (without it, a folder missing from an existing store is refused)\n"
	  "  --json           print JSON (list, show)\n"
	  "\n"
	  "examples:\n"
	  "  pstsync profile add Office --local outlook.pst --global //server/office/common.pst\n"
	  "  pstsync profile link Office /Contacts /Contacts\n"
	  "  pstsync profile link Office /Calendar '/Office calendar' --direction from-global\n"
	  "  pstsync profile unlink Office /Calendar\n"
	  "  pstsync profile disable Office\n"
	  "  pstsync profile list --json\n"
	  "  pstsync --config team.ini profile show Office\n"
	  "  pstsync profile import '\\\\server\\office\\pstsync-office.ini'\n" },
	{ "options", cmd_options, "show or change the global options of synchronisation",
	  "usage: pstsync [--config FILE] options [--json]\n"
	  "       pstsync [--config FILE] options set KEY VALUE\n"
	  "\n"
	  "Shows the options that apply to every profile, or changes one. The keys,\n"
	  "with their defaults:\n"
	  "\n"
	  "  confirm_deletes = yes           deletions wait for confirmation (yes/no)\n"
	  "  mass_delete_percent = 50        stop and ask when a sync would delete more\n"
	  "                                  than this share of a folder (1-100) ...\n"
	  "  mass_delete_minimum = 5         ... unless it deletes fewer items than this\n"
	  "  conflicts = ask                 answer conflicts: ask, local, global, both\n"
	  "                                  (keep both versions) or later\n"
	  "  show_progress = yes             show the progress of a sync\n"
	  "  hide_progress_when_done = yes   close the progress when a sync ends\n"
	  "  sync_when_outlook_starts = no   sync when Outlook starts\n"
	  "  sync_when_outlook_exits = no    sync when Outlook exits\n"
	  "  interval_minutes = 0            sync every N minutes (0: never)\n"
	  "  recovery_days = 30              keep what a sync replaced or deleted this many\n"
	  "                                  days (1-36500; see 'pstsync recover') ...\n"
	  "  recovery_max_mb = 500           ... in a recovery store of at most this many\n"
	  "                                  megabytes (1-1000000)\n"
	  "\n"
	  "Yes/no options also take true/false, on/off and 1/0.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON: {\"file\", \"options\": {KEY: value}}\n"
	  "\n"
	  "examples:\n"
	  "  pstsync options\n"
	  "  pstsync options set conflicts later\n"
	  "  pstsync options set interval_minutes 30\n"
	  "  pstsync --config team.ini options --json\n" },
	{ "sync", cmd_sync, "synchronise the enabled profiles (or the ones named)",
	  "usage: pstsync [--config FILE] sync [PROFILE...] [--dry-run] [--conflicts ANSWER]\n"
	  "           [--deletes ANSWER] [--allow-mass-delete] [--recreate-folders]\n"
	  "           [--relink] [--wait SECONDS] [--stats] [-v] [--json]\n"
	  "\n"
	  "Synchronises every enabled profile, or the profiles named (enabled or not):\n"
	  "for each link, items new on one side are copied to the other, changes and\n"
	  "deletions travel, and items already alike on both sides are paired, not\n"
	  "doubled. A profile that cannot sync (a store missing, or held by Outlook)\n"
	  "is reported in one line and the others go on; nothing is lost, the next\n"
	  "sync catches up.\n"
	  "\n"
	  "Questions come at the end, in two lists: conflicts (an item changed on\n"
	  "both sides, or changed on one and deleted on the other) and deletions to\n"
	  "confirm (with the option confirm_deletes, or when a sync would delete much\n"
	  "of a folder). On a terminal, without --conflicts and --deletes, pstsync\n"
	  "asks about each item; a capital letter gives the same answer to all the\n"
	  "rest. Otherwise the options answer; a question left for later stays\n"
	  "outstanding ('pstsync status' lists it) and is asked again next time.\n"
	  "The stores are closed while pstsync waits for your answers (other PCs\n"
	  "sync meanwhile); an answer is carried out only if its item is still as the\n"
	  "question showed it, else you are asked again.\n"
	  "\n"
	  "At the end, a summary per link: items copied, overwritten and deleted on\n"
	  "each side, pairs made, questions answered and left, items in each folder,\n"
	  "and the items a one-way link leaves on one side on purpose.\n"
	  "\n"
	  "Stores and folders that changed under the sync are noticed and said: a\n"
	  "store put back from an older copy (a backup) gets the newer versions and\n"
	  "its missing items back, and nothing missing from it is deleted elsewhere;\n"
	  "a store replaced by another file is paired afresh; a linked folder renamed\n"
	  "or moved is followed (the settings take its new path); one deleted or\n"
	  "moved into Deleted Items stops its link until --recreate-folders or\n"
	  "'pstsync profile unlink'.\n"
	  "\n"
	  "options:\n"
	  "  --dry-run              print the plan (every action and question), change nothing\n"
	  "  --conflicts ANSWER     ask, local (keep the local version), global, both (keep\n"
	  "                         both versions) or later; default: the option 'conflicts'\n"
	  "  --deletes ANSWER       ask, apply (delete on the other side too), restore (copy\n"
	  "                         the item back) or later\n"
	  "  --allow-mass-delete    let --deletes apply answer the deletions the mass-delete\n"
	  "                         guard held back too\n"
	  "  --no-recovery          keep no copy of what the sync overwrites or deletes\n"
	  "                         (for measurements: nothing can be brought back)\n"
	  "  --recreate-folders     make a linked folder that was deleted or moved into\n"
	  "                         Deleted Items again, filled from the other side\n"
	  "  --relink               link again the items a \"keep mine, unlinked\" answer\n"
	  "                         left on their own ('pstsync status' lists them)\n"
	  "  --wait SECONDS         wait that long for a store another pstsync holds\n"
	  "                         (default 60; 0 with --dry-run)\n"
	  "  --stats                print per link whether its folders were read (or were as\n"
	  "                         the last sync left them) and per store the bytes and calls\n"
	  "                         read and written, and what they would take on a 100 Mbit/s\n"
	  "                         LAN with 1 ms round trips (a store on a file server)\n"
	  "  -v, --verbose          print every action\n"
	  "  --json                 print JSON: {\"profiles\": [{\"name\", \"status\", \"error\",\n"
	  "                         \"counts\", \"io\", \"links\": [...], \"questions\": [...]}],\n"
	  "                         \"exit\"}\n"
	  "  -q                     no progress or warnings on stderr\n"
	  "\n"
	  "Exit status: 0 every profile in step, 1 a profile, link or item failed,\n"
	  "2 a wrong command line (also --conflicts both or --deletes restore for a\n"
	  "profile with a one-way link: that answer is not possible there), 3\n"
	  "questions left outstanding (and nothing failed). Items that could not be\n"
	  "read or written make the exit status 1, with their number per link.\n"
	  "\n"
	  "examples:\n"
	  "  pstsync sync\n"
	  "  pstsync sync Office --dry-run\n"
	  "  pstsync sync --conflicts both --deletes apply\n"
	  "  pstsync --config team.ini sync --json --conflicts later --deletes later\n" },
	{ "status", cmd_status, "show the sync state of the profiles, with open questions",
	  "usage: pstsync [--config FILE] status [PROFILE] [--json]\n"
	  "\n"
	  "Shows, for each profile (or the one named) and each of its links: when it\n"
	  "was last synchronised, how many items each folder held then, the questions\n"
	  "still outstanding (conflicts and deletions, with what happened on each\n"
	  "side and when), the items a link leaves on one side on purpose (a one-way\n"
	  "link's, or unlinked by an answer: 'pstsync sync --relink' links those\n"
	  "again) by folder and subject, the first five per link, and the errors of\n"
	  "the last sync. It reads the profile's sync state, and the stores only to\n"
	  "name the items left (read-only, without waiting: a store in use gives\n"
	  "their number alone, and says why).\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON: {\"file\", \"profiles\": [{\"name\", \"enabled\",\n"
	  "              \"last_sync\", \"links\": [{\"local\", \"global\", \"last_sync\",\n"
	  "              \"items\", \"not_carried\", \"unlinked\", \"left\": [{\"side\",\n"
	  "              \"folder\", \"subject\", \"class\", \"reason\"}], \"questions\"}],\n"
	  "              \"outstanding\"}]}\n"
	  "\n"
	  "examples:\n"
	  "  pstsync status\n"
	  "  pstsync status Office --json\n" },
	{ "recover", cmd_recover, "list and bring back versions a sync replaced or deleted",
	  "usage: pstsync [--config FILE] recover [PROFILE] [--since DATE] [--folder PATH] [--json]\n"
	  "       pstsync [--config FILE] recover PROFILE ID... [--replace]\n"
	  "       pstsync [--config FILE] recover PROFILE --sync N [--replace]\n"
	  "\n"
	  "Before a sync overwrites or deletes an item in either store, it keeps the\n"
	  "version it destroys in the profile's recovery store, a PST file beside its\n"
	  "sync state that Outlook can open too (folders Local/... and Global/...).\n"
	  "Versions are kept recovery_days days (default 30), within recovery_max_mb\n"
	  "megabytes (default 500): see 'pstsync options'.\n"
	  "\n"
	  "Without an ID, lists what can be brought back, oldest first: id, when it\n"
	  "was kept, the store it was in (local or global), its folder, class, what\n"
	  "happened (overwritten or deleted), the sync that did it, and the subject.\n"
	  "With IDs, puts each version back into the folder it came from as a new\n"
	  "item, which the next sync carries across like any new item. --replace\n"
	  "puts it over the current version of the same item instead (that version\n"
	  "is kept first); where the item is gone, it comes back as a new one.\n"
	  "--sync N brings back everything sync N overwrote or deleted.\n"
	  "\n"
	  "options:\n"
	  "  --since DATE    list only versions kept from DATE on (2016-08-02 or\n"
	  "                  2016-08-02T15:00:00Z, UTC)\n"
	  "  --folder PATH   list only versions from folder PATH (either store)\n"
	  "  --sync N        bring back what sync N replaced or deleted\n"
	  "  --replace       over the current version, not as a new item\n"
	  "  --json          print JSON: {\"versions\": [{\"id\", \"when\", \"store\",\n"
	  "                  \"folder\", \"class\", \"subject\", \"what\", \"sync\",\n"
	  "                  \"why\", \"profile\"}]}; with IDs {\"restored\": [{\"id\",\n"
	  "                  \"store\", \"folder\", \"item\", \"replaced\"}]}\n"
	  "  -q              no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync recover Office --since 2016-08-02\n"
	  "  pstsync recover Office 0x200024 0x200044\n"
	  "  pstsync recover Office --sync 12 --replace\n" },
	{ "create", cmd_create, "create a new, empty PST file with the standard folders",
	  "usage: pstsync create [--json] STORE [--name NAME]\n"
	  "\n"
	  "Creates a new, empty Unicode PST file (the format of Outlook 2003 and\n"
	  "later) as Outlook itself would, with the standard folders: Inbox, Outbox,\n"
	  "Sent Items, Deleted Items, Drafts, Calendar, Contacts, Journal, Notes, Tasks\n"
	  "and Junk E-mail. NAME is the name Outlook shows for the file (by default\n"
	  "\"Personal Folders\"). An existing file is never overwritten.\n"
	  "\n"
	  "options:\n"
	  "  --name NAME   the display name of the new store\n"
	  "  --json        print JSON: {\"created\": STORE, \"display_name\", \"size\", \"folders\"}\n"
	  "  -q            no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync create common.pst --name \"Office contacts\"\n"
	  "  pstsync create --json '//server/share/new.pst'\n" },
	{ "mkdir", cmd_mkdir, "create a folder in a store",
	  "usage: pstsync mkdir [--json] STORE:/PATH [--class CLASS] [-p]\n"
	  "\n"
	  "Creates a folder. CLASS says what it holds: IPF.Note (mail), IPF.Contact,\n"
	  "IPF.Appointment (calendar), IPF.Task, IPF.StickyNote (notes) or IPF.Journal.\n"
	  "By default a folder holds what its parent holds, and mail at the top of\n"
	  "the store. With -p, missing parent folders are created too (with the same\n"
	  "class), and a folder that exists already is no error. A '/' inside a\n"
	  "folder name is written %2F.\n"
	  "\n"
	  "options:\n"
	  "  --class CLASS   the container class of the new folder(s)\n"
	  "  -p, --parents   create missing parents; no error when the folder exists\n"
	  "  --json          print JSON: {\"created\": [{\"path\", \"class\", \"id\"}], \"store\"}\n"
	  "  -q              no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync mkdir common.pst:/Customers --class IPF.Contact\n"
	  "  pstsync mkdir -p 'common.pst:/Projects/2024/Offers'\n" },
	{ "copy", cmd_copy, "copy items or folders into a folder of a store",
	  "usage: pstsync copy [--json] SRC:/PATH#ID DST:/PATH\n"
	  "       pstsync copy [--json] [--recursive] SRC:/PATH DST:/PATH\n"
	  "\n"
	  "Copies items into the folder DST:/PATH, with every property, recipient and\n"
	  "attachment, embedded messages included; the source is only read, and may\n"
	  "be the same store. With #ID one item is copied (the folder must exist);\n"
	  "without, every item of the folder SRC:/PATH, and with --recursive its\n"
	  "subfolders too, made below DST:/PATH with their class (folders that exist\n"
	  "already are filled, not doubled). DST:/PATH is created when its parent\n"
	  "exists. 'copy -r old.pst:/ new.pst:/' copies a whole store. With\n"
	  "--recursive a folder's hidden items go too (its views, its settings such\n"
	  "as IPM.Configuration.*), unless the target folder has one of the same\n"
	  "class and name.\n"
	  "\n"
	  "A property the target cannot hold (of type 0x0000, which some tools\n"
	  "write) is left out of the copy with a warning; the item is copied.\n"
	  "\n"
	  "The copy is written in transactions of a few thousand items: if it is\n"
	  "interrupted, the store holds the finished transactions and nothing\n"
	  "half-written. Items the source cannot read are reported and skipped, and\n"
	  "the exit status is then 1. On a terminal a progress line shows; at the\n"
	  "end a summary: items copied, bytes, folders created, time, items/s.\n"
	  "\n"
	  "options:\n"
	  "  -r, --recursive   copy the subfolders too\n"
	  "  --json            print JSON: {\"copied\": {\"folders\", \"items\", \"hidden\",\n"
	  "                    \"skipped\", \"damaged\", \"bytes\"}, \"from\", \"to\", \"seconds\", \"items_per_second\"}\n"
	  "  -q                no progress or warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync copy outlook.pst:/Contacts#0x200024 common.pst:/Contacts\n"
	  "  pstsync copy outlook.pst:/Contacts 'common.pst:/Contacts of Anna'\n"
	  "  pstsync copy --recursive old.pst:/ new.pst:/\n" },
	{ "set", cmd_set, "change properties of an item",
	  "usage: pstsync set [--json] [--recipient N] STORE:/PATH#ID NAME=VALUE...\n"
	  "\n"
	  "Changes properties of an item, named by their canonical names (those\n"
	  "'pstsync show' prints: PidTagSubject, PidTagGivenName,\n"
	  "PidLidEmail1EmailAddress, ...). A value is read by the property's type:\n"
	  "\n"
	  "  strings          as given (UTF-8)\n"
	  "  integers         decimal, or hex with 0x\n"
	  "  booleans         yes/no, true/false, on/off, 1/0\n"
	  "  times            2016-08-02T15:00:00Z (UTC), or 2016-08-02\n"
	  "  floating point   12.5\n"
	  "  binary           hex: 0a1b2c\n"
	  "  GUIDs            {00062004-0000-0000-C000-000000000046}\n"
	  "\n"
	  "A multi-valued property takes NAME=VALUE once for each value. As Outlook\n"
	  "does, the item's last modification time becomes now and it gets a new\n"
	  "change key (which its predecessor change list records, when it has one);\n"
	  "a new subject also updates the normalized subject. The item keeps its id.\n"
	  "\n"
	  "The bodies agree, as in Outlook: a new PidTagBody drops the item's HTML\n"
	  "and RTF bodies (else Outlook would go on showing the old text); a new\n"
	  "PidTagHtml or PidTagBodyHtml (kept as UTF-8 bytes) also makes the plain\n"
	  "body, and drops the RTF body; a new PidTagRtfCompressed drops the others\n"
	  "unless given too. PidTagNativeBody names the body in charge.\n"
	  "\n"
	  "With --recipient N the properties are set in the item's Nth recipient\n"
	  "(1 for the first, as 'pstsync show' numbers them) instead.\n"
	  "\n"
	  "options:\n"
	  "  --recipient N  set properties of the Nth recipient\n"
	  "  --json         print JSON: {\"set\": {\"id\", \"folder\", [\"recipient\"],\n"
	  "                 \"properties\"}, \"store\"}\n"
	  "  -q             no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync set common.pst:/Contacts#0x200024 PidTagGivenName=Anna PidTagSurname=Berg\n"
	  "  pstsync set outlook.pst:/Contacts#0x200044 PidLidEmail1EmailAddress=anna@example.com\n"
	  "  pstsync set outlook.pst:/Calendar#0x200064 PidLidReminderSet=no\n"
	  "  pstsync set outlook.pst:/Contacts#0x200044 PidNameKeywords=Customers PidNameKeywords=VIP\n" },
	{ "add", cmd_add, "add a new item (a contact, an appointment, ...) to a folder",
	  "usage: pstsync add [--json] STORE:/PATH [--class CLASS] NAME=VALUE...\n"
	  "\n"
	  "Adds a new item to a folder, with the properties given by their canonical\n"
	  "names, read as 'pstsync set' reads them (see 'pstsync set --help'). CLASS\n"
	  "is the message class: IPM.Contact, IPM.Appointment, IPM.Task,\n"
	  "IPM.StickyNote, IPM.Note, ...; by default the class the folder holds.\n"
	  "\n"
	  "The item gets what Outlook sets on a new item of its class: creation and\n"
	  "modification time, a search key, a change key, flags, importance. A\n"
	  "contact gets its display name (\"Given Middle Surname\"), subject and\n"
	  "file-as (\"Surname, Given\") from the names, and the type and display\n"
	  "names of its e-mail address; an appointment its end (30 minutes after the\n"
	  "start, or PidLidAppointmentDuration minutes), duration and busy status.\n"
	  "What is given on the command line is kept. The new item's id is printed.\n"
	  "\n"
	  "options:\n"
	  "  --class CLASS   the message class of the new item\n"
	  "  --json          print JSON: {\"added\": {\"id\", \"folder\", \"class\", \"subject\",\n"
	  "                  \"properties\"}, \"store\"}\n"
	  "  -q              no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync add outlook.pst:/Contacts PidTagGivenName=Anna PidTagSurname=Berg \\\n"
	  "      PidLidEmail1EmailAddress=anna@example.com\n"
	  "  pstsync add common.pst:/Calendar --class IPM.Appointment PidTagSubject=\"Team meeting\" \\\n"
	  "      PidLidAppointmentStartWhole=2024-06-03T09:00:00Z PidLidAppointmentDuration=60\n"
	  "  pstsync add outlook.pst:/Tasks PidTagSubject=\"Call Anna\"\n" },
	{ "rm", cmd_rm, "delete an item, or an empty folder",
	  "usage: pstsync rm [--json] STORE:/PATH#ID\n"
	  "       pstsync rm [--json] STORE:/PATH\n"
	  "\n"
	  "Deletes an item for good (it does not go to Deleted Items), or a folder\n"
	  "that holds no items and no subfolders.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON: {\"removed\": {\"kind\", \"id\", \"folder\", ...}, \"store\"}\n"
	  "  -q          no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync rm outlook.pst:/Contacts#0x200024\n"
	  "  pstsync rm 'outlook.pst:/Old projects'\n" },
	{ "mv", cmd_mv, "rename a folder, or move it elsewhere in its store",
	  "usage: pstsync mv [--json] STORE:/PATH /NEWPATH\n"
	  "\n"
	  "Renames or moves a folder inside its store, as Outlook does: the folder\n"
	  "keeps its identity (entry ID), its items and subfolders. The new parent\n"
	  "must exist. Sync links to the folder follow it at the next sync.\n"
	  "\n"
	  "options:\n"
	  "  --json      print JSON: {\"moved\", \"to\", \"id\", \"store\"}\n"
	  "  -q          no warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync mv common.pst:/Customers /Clients\n"
	  "  pstsync mv 'common.pst:/Clients' '/Archive/Clients 2023'\n" },
	{ "generate", cmd_generate, "write a store of generated items, for tests and benchmarks",
	  "usage: pstsync generate [--json] STORE --items N [--seed S] [--folders LIST]\n"
	  "       pstsync generate [--json] STORE --change PERCENT [--seed S]\n"
	  "       pstsync generate [--json] STORE --delete PERCENT [--seed S]\n"
	  "\n"
	  "Writes N generated items into STORE (created when it does not exist):\n"
	  "contacts with names, one to three e-mail addresses, phones, addresses,\n"
	  "notes, categories and some photos; appointments, single and weekly\n"
	  "series, some with a moved occurrence, reminders and attendees; tasks;\n"
	  "and mail with recipients and attachments; 40% contacts, 30%\n"
	  "appointments, 10% tasks and 20% mail. The same seed gives the same\n"
	  "items. Each folder of LIST gets the kind of item its class holds; a\n"
	  "folder that does not exist is made as a mail folder.\n"
	  "\n"
	  "--change and --delete edit or delete PERCENT of the items of every\n"
	  "folder, chosen by the seed, as a user would between two syncs.\n"
	  "\n"
	  "options:\n"
	  "  --items N        how many items to write\n"
	  "  --seed S         the seed (default 1)\n"
	  "  --folders LIST   comma-separated folders (default\n"
	  "                   Contacts,Calendar,Tasks,Inbox)\n"
	  "  --batch N        items per transaction (default 2000)\n"
	  "  --change PCT     edit PCT percent of the items (0.1 to 100)\n"
	  "  --delete PCT     delete PCT percent of the items\n"
	  "  --json           print JSON: {\"store\", \"items\", ..., \"milliseconds\", \"size\"}\n"
	  "  -q               no progress or warnings on stderr\n"
	  "\n"
	  "examples:\n"
	  "  pstsync generate big.pst --items 100000 --seed 7\n"
	  "  pstsync generate big.pst --change 1 --seed 101\n" },
	{ "version", cmd_version, "print the version of pstsync and its libraries",
	  "usage: pstsync version\n" },
	{ "help", cmd_help, "print help on a command",
	  "usage: pstsync help [COMMAND]\n" },
	{ NULL, NULL, NULL, NULL }
};

static const char main_usage[] =
	"usage: pstsync [--config FILE] COMMAND [ARGS...]\n"
	"\n"
	"pstsync keeps folders of Outlook PST files in step: a user's own store and\n"
	"a shared store on the office network, both ways, with no Exchange server.\n"
	"\n"
	"A store is a PST or OST file. A folder inside it is written STORE:/PATH, an\n"
	"item STORE:/PATH#ID, for example outlook.pst:/Contacts#0x200024.\n"
	"\n"
	"commands:\n";

static void print_main_help(FILE *out)
{
	const struct cli_command *c;

	fputs(main_usage, out);
	for (c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fputs("\nRun 'pstsync COMMAND --help' for the options and examples of a command.\n", out);
}

const struct cli_command *cli_find_command(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c;

	(void)cli;
	if (argc < 2) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	c = cli_find_command(argv[1]);
	if (!c)
		return cli_usage(NULL, "unknown command '%s'", argv[1]);
	fputs(c->usage, stdout);
	return EXIT_OK;
}

static int cmd_version(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	printf("pstsync %s\n", PSTSYNC_VERSION);
	return EXIT_OK;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("pstsync: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int cli_settings_exist(const struct cli *cli)
{
	if (!cli->config || ps_path_kind(cli->config) != PS_PATH_NONE)
		return EXIT_OK;
	return cli_fail("the settings file '%s' does not exist (make it with 'pstsync --config %s "
		"profile add NAME --local STORE --global STORE')", cli->config, cli->config);
}

int cli_fail_core(void)
{
	const char *msg = ps_error_last();

	return cli_fail("%s", msg[0] ? msg : "unknown error");
}

int cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("pstsync: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, " (see 'pstsync %s --help')\n", command);
	else
		fputs(" (see 'pstsync --help')\n", stderr);
	return EXIT_USAGE;
}

void cli_warning(const char *message, void *ctx)
{
	struct cli *cli = ctx;

	cli->warnings++;
	if (cli->quiet)
		return;
	cli_progress_done(cli);
	fprintf(stderr, "pstsync: warning: %s\n", message);
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_common_options(struct cli *cli, const struct cli_command *cmd, int *argc, char **argv)
{
	int i, n = 1, dashdash = 0;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!dashdash && a[0] == '-' && a[1] != '\0') {
			if (strcmp(a, "--") == 0) {
				dashdash = 1;
				continue;
			}
			if (strcmp(a, "--json") == 0) {
				cli->json = 1;
				continue;
			}
			if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
				cli->quiet = 1;
				cli->progress = 0;
				continue;
			}
			return cli_usage(cmd->name, "unknown option '%s' for '%s'", a, cmd->name);
		}
		argv[n++] = argv[i];
	}
	*argc = n;
	argv[n] = NULL;
	return EXIT_OK;
}

void cli_format_time(uint64_t filetime, char *buf, size_t size)
{
	int64_t secs, days, rem, y, m, d, era, doe, yoe, doy, mp;

	if (filetime == 0) {
		snprintf(buf, size, "%s", "");
		return;
	}
	secs = (int64_t)(filetime / 10000000ULL) - 11644473600LL;
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rem = secs - days * 86400;
	/* civil_from_days (H. Hinnant): exact for every date, no libc time zone */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
		(long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem / 60 % 60),
		(long long)(rem % 60));
}

size_t cli_text_width(const char *s)
{
	size_t n = 0;

	/* one column a code point is close enough for names and paths */
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

void cli_print_padded(FILE *out, const char *s, size_t columns)
{
	size_t w = cli_text_width(s);

	fputs(s, out);
	while (w++ < columns)
		fputc(' ', out);
}

int cli_isatty(FILE *stream)
{
#ifdef _WIN32
	return _isatty(_fileno(stream));
#else
	return isatty(fileno(stream));
#endif
}

static int progress_shown;

void cli_progress(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (!cli->progress)
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void cli_progress_done(struct cli *cli)
{
	if (!cli->progress || !progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}

int cli_open_store(struct cli *cli, const char *path, ps_store **out)
{
	unsigned long long want = 0, have = 0;
	char msg[1200];

	int rc = ps_store_open(out, path, PS_STORE_READ);
	char *why = rc != PS_OK ? strdup(ps_error_last()) : NULL;
	int cut = ps_pst_sizes(path, &want, &have);

	/* the open's own error, unless the file is cut off (ps_pst_sizes may
	 * set one of its own: an OST or a 4K-page file it does not read) */
	if (why && cut != 1)
		ps_error_set(rc, "%s", why);
	free(why);
	/* a copy cut off reads without a word from libpff, or fails with
	 * none that says why: say it (the open's error is kept for below) */
	if (cut == 1) {
		snprintf(msg, sizeof(msg), "'%s' is truncated: its header says %llu bytes, the file "
			"has %llu; what lies past the end is missing", path, want, have);
		if (rc != PS_OK)
			ps_error_set(rc, "cannot open '%s': the file is truncated (its header says %llu "
				"bytes, the file has %llu)", path, want, have);
		else
			cli_warning(msg, cli);
	}
	if (rc != PS_OK)
		return cli_fail_core();
	ps_store_set_warning_cb(*out, cli_warning, cli);
	return EXIT_OK;
}

int cli_main(int argc, char **argv)
{
	struct cli cli;
	const struct cli_command *cmd;
	int i = 1;

	memset(&cli, 0, sizeof(cli));
	cli.progress = cli_isatty(stderr);
	while (i < argc && argv[i][0] == '-') {
		if (cli_is_help(argv[i])) {
			print_main_help(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--version") == 0)
			return cmd_version(&cli, 0, NULL);
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			cli.config = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			cli.config = argv[i] + 9;
			i++;
			continue;
		}
		return cli_usage(NULL, "unknown option '%s'", argv[i]);
	}
	if (i >= argc) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find_command(argv[i]);
	if (!cmd)
		return cli_usage(NULL, "unknown command '%s'", argv[i]);
	if (argc - i >= 2 && cli_is_help(argv[i + 1])) {
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	return cmd->run(&cli, argc - i, argv + i);
}
