/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The settings of pstsync: global options and the profiles with their links,
 * kept in one INI file per user that people may also edit by hand. This
 * module reads the file (with a scanner of its own, in iniparser's INI
 * dialect, so that every problem is reported with the file and the line
 * number; src/core/settings.c says why not with iniparser), holds the settings in memory, and writes the program's own
 * changes back by editing the file's lines (src/core/settings_save.c), so
 * that the user's comments, blank lines and order survive. The command line (`pstsync profile ...`,
 * `pstsync options ...`) and the tray application both use it; the sync
 * engine reads its profiles from it.
 *
 * Where the file lives: `%APPDATA%\pstsync\pstsync.ini` on Windows,
 * `$XDG_CONFIG_HOME/pstsync/pstsync.ini` (else `~/.config/pstsync/pstsync.ini`)
 * elsewhere; `pstsync --config FILE` names another one.
 *
 * ## The file
 *
 *     # pstsync settings: see 'pstsync options --help' and 'pstsync profile --help'
 *     [options]
 *     confirm_deletes          = yes    ; ask before deleting (yes/no)
 *     mass_delete_percent      = 50     ; stop when a sync would delete more than this
 *     mass_delete_minimum      = 5      ; ... but only from this many deletions on
 *     conflicts                = ask    ; ask, local, global, both or later
 *     show_progress            = yes
 *     hide_progress_when_done  = yes
 *     sync_when_outlook_starts = no
 *     sync_when_outlook_exits  = yes
 *     interval_minutes         = 30     ; 0: no timed syncs
 *     recovery_days            = 30     ; keep replaced and deleted versions this long
 *     recovery_max_mb          = 500    ; ... in a recovery store of at most this size
 *
 *     # the office's shared contacts and calendar
 *     [profile 1]
 *     name    = Office (Anna's PC)
 *     local   = C:\Users\anna\Documents\Outlook Files\outlook.pst
 *     global  = \\server\office\common.pst
 *     enabled = yes
 *     link1.local     = /Contacts
 *     link1.global    = /Contacts
 *     link1.direction = both
 *     link2.local     = /Calendar
 *     link2.global    = /Office calendar
 *     link2.direction = from-global
 *
 * - Sections: `[options]` once, and one `[profile N]` per profile, N a
 *   number (1, 2, ...). N is only a label that keeps the sections apart:
 *   iniparser lowercases section and key names, so the profile's name, with
 *   its case and spaces, is the value of `name`. Profiles come in file order.
 * - `[options]` keys (all optional; the defaults are shown in
 *   ps_settings_options_default()): confirm_deletes, mass_delete_percent
 *   (1-100), mass_delete_minimum (0-1000000), conflicts
 *   (ask|local|global|both|later), show_progress, hide_progress_when_done,
 *   sync_when_outlook_starts, sync_when_outlook_exits, interval_minutes
 *   (0-100000, 0 = never), recovery_days (1-36500), recovery_max_mb
 *   (1-1000000). Yes/no values also take true/false, on/off, 1/0.
 * - `[profile N]` keys: name, local and global (the two store files, all
 *   three required; their paths may hold %USERNAME%, %APPDATA%,
 *   %LOCALAPPDATA%, %USERPROFILE%, and ~ or $HOME on POSIX systems, put in
 *   when the path is used and kept as written in the file), enabled (yes/no, default yes), and per link M the keys
 *   linkM.local and linkM.global (folder paths inside the stores, starting
 *   with '/', '/' inside a folder name written %2F; both required) and
 *   linkM.direction (both|from-global|to-global, default both). Links come
 *   in the order of their first line.
 * - Names of sections and keys are case-insensitive; values keep their case.
 * - Values: `key = value`, with spaces around '=' optional. A value that
 *   holds ';' or '#', starts or ends with a space, starts with a quote or
 *   ends with '\' is written in double quotes (or single quotes when it
 *   holds a double quote). Inside quotes every character stands for itself:
 *   a backslash is a backslash, as iniparser 4.1 reads it (iniparser 4.2
 *   would take it as an escape; pstsync reads quoted values the same way on
 *   every platform). A value holding both kinds of quote cannot be quoted:
 *   it is refused when it would need quotes.
 * - Comments: lines starting with '#' or ';', and, after a value, ';' or '#'
 *   preceded by a space. A line must not end with '\' (iniparser would join
 *   it with the next line, so a commented-out line could hide a setting).
 * - Lines are UTF-8 without a byte order mark, at most 1000 bytes, LF or
 *   CRLF (kept as found; new files get the platform's convention).
 *
 * Every problem is an error, PS_ECONFIG, whose message names the file and
 * the line: syntax errors, unknown sections and keys, bad values, a key or
 * section given twice, a profile or link with a missing part, two profiles
 * with the same name, two identical links. No setting is ever dropped
 * silently.
 *
 * ## Memory and errors
 *
 * A ps_settings owns everything reachable from it: profiles, links and every
 * string the accessors return. A profile or link pointer stays valid until
 * it is removed or the settings are freed; a string until the value is
 * changed. Mutators change the settings in memory only (and check their
 * arguments: a failed mutator changes nothing); ps_settings_save() writes
 * them. Functions returning int give PS_OK or a negative status of
 * errors.h with a message from ps_error_last(). Not thread-safe: one thread
 * at a time per ps_settings.
 */
#ifndef PSTSYNC_SETTINGS_H
#define PSTSYNC_SETTINGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_settings ps_settings;
typedef struct ps_profile ps_profile;
typedef struct ps_link ps_link;

/** Which way a link copies. */
typedef enum ps_direction {
	PS_DIRECTION_BOTH = 0,        /**< "both": both ways (the default) */
	PS_DIRECTION_FROM_GLOBAL = 1, /**< "from-global": read-only subscriber */
	PS_DIRECTION_TO_GLOBAL = 2    /**< "to-global": publisher */
} ps_direction;

/** How conflicts are answered. */
typedef enum ps_conflicts {
	PS_CONFLICTS_ASK = 0,    /**< "ask": ask the user (the default) */
	PS_CONFLICTS_LOCAL = 1,  /**< "local": keep the local version */
	PS_CONFLICTS_GLOBAL = 2, /**< "global": keep the global version */
	PS_CONFLICTS_BOTH = 3,   /**< "both": keep both versions */
	PS_CONFLICTS_LATER = 4   /**< "later": leave them outstanding */
} ps_conflicts;

/** The global options, in the order of the [options] keys. */
typedef struct ps_options {
	int confirm_deletes;           /**< 1: deletions wait for confirmation (default 1) */
	int mass_delete_percent;       /**< 1-100: guard threshold, share of a folder (default 50) */
	int mass_delete_minimum;       /**< guard ignores fewer deletions than this (default 5) */
	ps_conflicts conflicts;        /**< default PS_CONFLICTS_ASK */
	int show_progress;             /**< default 1 */
	int hide_progress_when_done;   /**< default 1 */
	int sync_when_outlook_starts;  /**< default 0 */
	int sync_when_outlook_exits;   /**< default 0 */
	int interval_minutes;          /**< 0-100000; 0 = never (default 0) */
	int recovery_days;             /**< 1-36500: versions kept in the recovery store (default 30) */
	int recovery_max_mb;           /**< 1-1000000: its size at most, in MB (default 500) */
} ps_options;

/* ---- the file -------------------------------------------------------- */

/**
 * The default settings file for this user (see the top of this header),
 * malloc'ed UTF-8; the caller frees it. PS_ENOTFOUND when the system names
 * no folder for settings (no HOME, no APPDATA).
 */
int ps_settings_default_path(char **out);

/**
 * Read the settings file @p path (NULL: ps_settings_default_path()). A
 * missing file is not an error: the settings then hold the defaults and no
 * profile, and ps_settings_save() creates the file (and its folder).
 *
 * @param out   receives the settings; free with ps_settings_free()
 * @return PS_OK; PS_ECONFIG for a bad line, the message being
 *         "cannot read 'FILE': line N: what is wrong"; PS_EIO, PS_ELOCKED,
 *         PS_EINVAL (a directory) or PS_ENOMEM otherwise, naming the file
 */
int ps_settings_load(ps_settings **out, const char *path);

/** Free the settings and everything they own; NULL is allowed. */
void ps_settings_free(ps_settings *s);

/**
 * Write the changes made since the settings were read or last saved, by
 * editing the file's lines (comments, blank lines and order are kept; new
 * sections and keys go after their neighbours). The new text goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over
 * the file; the folder is created when missing. Nothing changed: nothing is
 * written.
 *
 * @return PS_OK; PS_ERROR when another program changed the file since it
 *         was read (nothing is written then: read it again and redo the
 *         change); PS_EIO, PS_ENOSPC, PS_ELOCKED, PS_ENOMEM naming the file
 */
int ps_settings_save(ps_settings *s);

/** The file these settings come from and go to (never NULL). */
const char *ps_settings_path(const ps_settings *s);

/** 1 when there are changes not yet saved. */
int ps_settings_dirty(const ps_settings *s);

/* ---- options --------------------------------------------------------- */

/** The built-in defaults. */
void ps_settings_options_default(ps_options *out);

/** The current options (owned by @p s, valid until it is freed). */
const ps_options *ps_settings_options(const ps_settings *s);

/**
 * Set all options at once (the tray's options dialog). Only the options
 * whose value changes are written to the file.
 * @return PS_OK, or PS_EINVAL for a value out of range (nothing changed)
 */
int ps_settings_set_options(ps_settings *s, const ps_options *options);

/** The number of options; their keys are ps_settings_option_key(0..n-1). */
size_t ps_settings_option_count(void);

/** The INI key of option @p i ("confirm_deletes", ...), NULL past the end. */
const char *ps_settings_option_key(size_t i);

/**
 * The allowed values of option @p key, for messages and help
 * ("yes or no", "a number from 1 to 100", "ask, local, global, both or later"),
 * or NULL for an unknown key.
 */
const char *ps_settings_option_values(const char *key);

/**
 * The value of option @p key as written in the file ("yes", "50", "ask")
 * into @p buf.
 * @return PS_OK, or PS_ENOTFOUND for an unknown key
 */
int ps_settings_option_get(const ps_settings *s, const char *key, char *buf, size_t size);

/**
 * Set option @p key from its text form, as `pstsync options set` does.
 * @return PS_OK; PS_ENOTFOUND for an unknown key ("unknown option 'x'"),
 *         PS_EINVAL for a bad value ("'x' is not ... for conflicts: expected ...")
 */
int ps_settings_option_set(ps_settings *s, const char *key, const char *value);

/** "both", "from-global", "to-global". */
const char *ps_direction_name(ps_direction d);

/** Parse a direction name. @return PS_OK, or PS_EINVAL with a message. */
int ps_direction_parse(ps_direction *out, const char *text);

/** "ask", "local", "global", "both", "later". */
const char *ps_conflicts_name(ps_conflicts c);

/** Parse a conflict answer. @return PS_OK, or PS_EINVAL with a message. */
int ps_conflicts_parse(ps_conflicts *out, const char *text);

/* ---- profiles -------------------------------------------------------- */

/** The number of profiles. */
size_t ps_settings_profile_count(const ps_settings *s);

/** Profile @p i in file order (0-based), NULL past the end. */
ps_profile *ps_settings_profile_at(const ps_settings *s, size_t i);

/**
 * The profile called @p name. Names are compared without regard to ASCII
 * case ("office" finds "Office"), as no two profiles may differ by case
 * alone. @p out may be NULL to test for existence.
 * @return PS_OK, or PS_ENOTFOUND ("no profile 'x' in 'FILE'")
 */
int ps_settings_profile_find(ps_profile **out, const ps_settings *s, const char *name);

/**
 * Add an enabled profile with no links, after the last profile.
 *
 * @param out     receives the new profile; may be NULL
 * @param name    any non-empty UTF-8 text without control characters
 * @param local   the local store's path, as given (the caller makes it absolute)
 * @param global  the global store's path, as given
 * @return PS_OK; PS_EEXISTS when the name is taken (case aside); PS_EINVAL
 *         for an empty name or path, control characters, invalid UTF-8, or a
 *         value the file cannot hold (too long, or quotes of both kinds
 *         where quotes are needed)
 */
int ps_settings_profile_add(ps_profile **out, ps_settings *s, const char *name,
	const char *local, const char *global);

/**
 * Remove the profile called @p name with its links (and its section, with
 * the comment lines just above it, from the file).
 * @return PS_OK or PS_ENOTFOUND
 */
int ps_settings_profile_remove(ps_settings *s, const char *name);

/** The profile's name, as the user wrote it. */
const char *ps_profile_name(const ps_profile *p);
/**
 * The local store's path, ready to open: the variables of the file's text
 * (%USERNAME%, %APPDATA%, %LOCALAPPDATA%, %USERPROFILE%, and ~ and $HOME
 * on POSIX systems) put in, see ps_path_expand() in os.h.
 */
const char *ps_profile_local(const ps_profile *p);
/** The global store's path, ready to open (as ps_profile_local()). */
const char *ps_profile_global(const ps_profile *p);
/** The local store's path as the file has it, variables and all (for editing). */
const char *ps_profile_local_written(const ps_profile *p);
/** The global store's path as the file has it. */
const char *ps_profile_global_written(const ps_profile *p);
/** 1 when the profile is ticked for synchronisation. */
int ps_profile_enabled(const ps_profile *p);

/** Tick the profile on (1) or off (0) for synchronisation. */
int ps_profile_set_enabled(ps_profile *p, int enabled);

/** Rename; PS_EEXISTS when another profile has that name, PS_EINVAL as for add. */
int ps_profile_rename(ps_profile *p, const char *name);

/** Change the stores (NULL keeps one); PS_EINVAL as for add. */
int ps_profile_set_stores(ps_profile *p, const char *local, const char *global);

/* ---- links ----------------------------------------------------------- */

/** The number of links of @p p. */
size_t ps_profile_link_count(const ps_profile *p);

/** Link @p i in file order, NULL past the end. */
ps_link *ps_profile_link_at(const ps_profile *p, size_t i);

/**
 * Add a link after the profile's last one.
 *
 * @param out     receives the new link; may be NULL
 * @param local   folder path in the local store, starting with '/'; a
 *                trailing '/' is dropped ("/Contacts/" is "/Contacts")
 * @param global  folder path in the global store, likewise
 * @return PS_OK; PS_EEXISTS when the profile already links these two
 *         folders; PS_EINVAL for a path not starting with '/' or that the
 *         file cannot hold
 */
int ps_profile_link_add(ps_link **out, ps_profile *p, const char *local, const char *global,
	ps_direction direction);

/**
 * The link from @p local (to @p global, or to any folder when @p global is
 * NULL). Paths are compared after dropping a trailing '/', exactly first,
 * then without regard to ASCII case (Outlook's folder names ignore it).
 * @return PS_OK; PS_ENOTFOUND when no link matches; PS_EINVAL when
 *         several do (@p global NULL and more than one link from @p local)
 */
int ps_profile_link_find(ps_link **out, const ps_profile *p, const char *local, const char *global);

/**
 * Remove the link that ps_profile_link_find() finds with the same
 * arguments; the same errors. Its pointer is invalid afterwards.
 */
int ps_profile_link_remove(ps_profile *p, const char *local, const char *global);

/** The folder path in the local store. */
const char *ps_link_local(const ps_link *l);
/** The folder path in the global store. */
const char *ps_link_global(const ps_link *l);
/** Which way the link copies. */
ps_direction ps_link_direction(const ps_link *l);
/** Change the direction. */
int ps_link_set_direction(ps_link *l, ps_direction direction);

#ifdef __cplusplus
}
#endif

#endif
