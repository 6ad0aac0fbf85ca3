/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The tray application's shared state and the messages its parts send one
 * another. One hidden top-level window (class TRAY_CLASS) owns the tray
 * icon and receives every message below; the sync runs on a worker thread
 * (tray_sync.c) that never touches a window: it only posts these messages,
 * with heap blocks the receiver frees. Everything else (settings, dialogs,
 * the icon) belongs to the UI thread.
 *
 * Files: tray.c (WinMain, the window, icon and menu), tray_sync.c (the
 * worker and the engine's ui callbacks), tray_outlook.c (Outlook's start
 * and exit, Start Outlook, the schedule), tray_dialogs.c (profiles,
 * settings, progress, about), tray_links.c (the profile editor),
 * tray_questions.c (the grouped question dialogs), tray_firstrun.c (the
 * first start's offer of a profile), tray_util.c (UTF-8/UTF-16, the log
 * file).
 */
#ifndef PSTSYNC_TRAY_H
#define PSTSYNC_TRAY_H

#include <windows.h>
#include <stdint.h>

#include "pstsync/settings.h"
#include "pstsync/sync.h"

#define TRAY_CLASS L"pstsync.tray"
#define TRAY_MUTEX L"Local\\pstsync.tray"

/* ---- messages (all WM_APP + n of the application) ------------------- */

/** The notification icon's callback; lParam: the mouse message. */
#define WM_APP_TRAY          (WM_APP + 1)
/** Worker: progress; lParam: struct tray_progress *, freed by the receiver. */
#define WM_APP_PROGRESS      (WM_APP + 2)
/** Worker: a warning; lParam: wchar_t * (malloc'ed), freed by the receiver. */
#define WM_APP_WARNING       (WM_APP + 3)
/** Worker: one profile ended; lParam: struct tray_profile_done *, freed by the receiver. */
#define WM_APP_PROFILE_DONE  (WM_APP + 4)
/** Worker: the whole run ended (the thread is about to return). */
#define WM_APP_SYNC_DONE     (WM_APP + 5)
/** A second instance asks this one to show its profiles window. */
#define WM_APP_ACTIVATE      (WM_APP + 6)
/**
 * Worker: the questions of one profile (WM_APP + 10 .. 19 belong to the
 * question dialogs); lParam: struct tray_ask *, the worker's own, which
 * waits on its event: the receiver sets the answers and signals, frees
 * nothing.
 */
#define WM_APP_ASK           (WM_APP + 10)
/** A question dialog to itself once it shows: come to the front. */
#define WM_APP_ASK_FRONT     (WM_APP + 11)
/** A question dialog to itself: the selection changed, update the buttons (once). */
#define WM_APP_ASK_REFRESH   (WM_APP + 12)
/**
 * The profile editor to itself, once it shows (WM_APP + 30 .. 39 belong to
 * the profiles window and the editor): read both stores' folder trees.
 */
#define WM_APP_LINKS_LOAD    (WM_APP + 30)
/** The settings dialog to itself, once it shows: come to the front. */
#define WM_APP_SETTINGS_FRONT (WM_APP + 31)
/** The Recover items window to itself, once it shows: come to the front. */
#define WM_APP_RECOVER_FRONT (WM_APP + 40)

/**
 * The engine's grouped questions, handed from the worker to the UI thread,
 * which sets each question's answer (PS_ANSWER_NONE: left for later).
 */
struct tray_ask {
	const char *profile;        /**< UTF-8, the engine's */
	ps_sync_question *q[2];     /**< [0] conflicts, [1] deletions: the engine's arrays */
	size_t n[2];
	HANDLE done;                /**< signalled by the UI thread when it is finished */
};

/**
 * A second instance started with --start-outlook hands the request to the
 * first one (WM_APP + 20 .. 29 belong to tray_outlook.c).
 */
#define WM_APP_START_OUTLOOK (WM_APP + 20)

/* timers of the hidden window (ids 20 .. 29: tray_outlook.c) */
#define TRAY_TIMER_OUTLOOK   20 /**< every 2 s: is OUTLOOK.EXE running? */
#define TRAY_TIMER_SCHEDULE  21 /**< the next timed sync, or a retry */

/** Why a sync runs: what happens when a store is in use depends on it. */
enum tray_reason {
	TRAY_BY_USER = 0,           /**< the menu, the profiles window, --sync */
	TRAY_BY_SCHEDULE = 1,       /**< every interval_minutes */
	TRAY_BY_OUTLOOK_EXIT = 2,   /**< sync_when_outlook_exits */
	TRAY_BY_START_OUTLOOK = 3,  /**< Start Outlook: sync, then start it */
	TRAY_BY_RETRY = 4           /**< an automatic sync that found a store held, again */
};

/** What the progress window shows. */
struct tray_progress {
	wchar_t profile[128];
	wchar_t link[260];          /**< "/Contacts <-> /Contacts", or empty */
	wchar_t action[260];        /**< the phase or the last action */
	int phase;                  /**< ps_sync_phase */
	uint64_t done, total;
	uint32_t actions;           /**< actions so far in this profile */
	uint32_t errors;
};

/** The end of one profile's sync. */
struct tray_profile_done {
	wchar_t profile[128];
	int status;
	ps_sync_counts counts;
	wchar_t error[512];         /**< empty when status is PS_OK */
};

enum tray_icon_state { TRAY_IDLE = 0, TRAY_SYNCING = 1, TRAY_ATTENTION = 2 };

/** The application: one, owned by the UI thread. */
struct tray {
	HINSTANCE inst;
	HWND hwnd;                  /**< the hidden window that owns the icon */
	HWND profiles;              /**< the profiles window, or NULL */
	HWND progress;              /**< the progress window, or NULL */
	UINT taskbar_created;       /**< RegisterWindowMessage("TaskbarCreated") */
	HICON icons[3];             /**< by enum tray_icon_state */
	int icon_added;
	enum tray_icon_state state;
	ps_settings *settings;      /**< read and changed by the UI thread only */
	char *config;               /**< the settings file (UTF-8), NULL: the default */
	HANDLE worker;              /**< the sync thread while a sync runs */
	int syncing;
	int exit_pending;           /**< Exit chosen during a sync: quit at its end */
	wchar_t syncing_profile[128];
	SYSTEMTIME last_sync;       /**< local time of the last sync's end; wYear 0: none */
	uint32_t last_outstanding;  /**< questions left at the last sync */
	uint32_t last_errors;       /**< profiles and items that failed at the last sync */
	/* Outlook and the schedule (tray_outlook.c) */
	int outlook_running;        /**< OUTLOOK.EXE was in the process list at the last look */
	int waiting_outlook;        /**< a sync waits for Outlook to close */
	enum tray_reason reason;    /**< why the running (or waiting) sync runs */
	int start_outlook_after;    /**< start Outlook when the running sync ends */
	int sync_again;             /**< Outlook exited during the sync: another one follows */
	ps_sync_counts run_counts;  /**< the sum over the profiles of the running (last) sync */
	uint32_t run_held;          /**< its profiles that found a store held (PS_ELOCKED) */
	wchar_t run_error[512];     /**< the first profile's error of that sync, or empty */
	char *propose_local;        /**< a new profile's local store, proposed (tray_firstrun.c) */
};

extern struct tray g_tray;

/* tray_firstrun.c */
/** No settings file yet: offer to make a profile, with the user's PST files. */
void tray_first_start(struct tray *t);

/* tray.c */
void tray_update_icon(struct tray *t);
/** 1 when at least one profile is ticked. */
int tray_any_enabled(const struct tray *t);
/** Reread the settings file; on failure keep the old ones and say why. */
int tray_reload_settings(struct tray *t);
/** Save the settings; on a conflict with another program reload them. */
int tray_save_settings(struct tray *t);
/**
 * The user asks for a sync of the ticked profiles: it starts, or waits for
 * Outlook to close when Outlook holds a store; 0 when started or waiting.
 */
int tray_start_sync(struct tray *t);
/** Start the worker now (no sync may run); 0 when started. */
int tray_run_sync(struct tray *t, enum tray_reason why);
/** A balloon notice (NIIF_INFO, NIIF_WARNING, NIIF_ERROR), also logged. */
void tray_notice(struct tray *t, DWORD flags, const wchar_t *title, const wchar_t *text);

/* tray_outlook.c */
/** Start watching Outlook and arm the schedule (after the settings are read). */
void tray_outlook_init(struct tray *t);
/** WM_TIMER of TRAY_TIMER_OUTLOOK and TRAY_TIMER_SCHEDULE. */
void tray_outlook_timer(struct tray *t, UINT_PTR id);
/**
 * When Outlook runs and holds a store of a ticked profile, make the sync
 * wait for Outlook's exit (tooltip, progress window, log) and return 1.
 */
int tray_wait_if_outlook_holds(struct tray *t, enum tray_reason why);
/** The menu's "Cancel the wait for Outlook". */
void tray_cancel_wait(struct tray *t);
/** Start Outlook; with sync_when_outlook_starts, sync first. */
void tray_start_outlook(struct tray *t);
/**
 * A sync ended (after the icon and notices): start Outlook when asked,
 * sync again, try again when a store was held, re-arm the schedule.
 */
void tray_outlook_sync_ended(struct tray *t);
/**
 * Re-arm the schedule from now with the options' interval_minutes (0:
 * off); the settings dialog calls it after saving the options.
 */
void tray_schedule_update(void);
/** "asked for", "scheduled", ...: for the log. */
const char *tray_reason_name(enum tray_reason why, char *buf, size_t size);

/* tray_sync.c */
/**
 * Start the worker for the ticked profiles of the file @p config (NULL:
 * default). @p ask: 1 shows the grouped question dialogs at the end of a
 * profile, 0 leaves the questions for later.
 */
HANDLE tray_sync_thread(HWND hwnd, const char *config, int ask);

/* tray_dialogs.c */
void tray_show_profiles(struct tray *t);
void tray_profiles_refresh(struct tray *t);
void tray_show_settings(struct tray *t);
/**
 * 1 when this user turned off the start at logon that an install for all
 * users set up (HKLM's Run value): a copy started with --logon then quits.
 */
int tray_logon_off(void);
void tray_show_about(struct tray *t);
void tray_progress_open(struct tray *t);
void tray_progress_update(struct tray *t, const struct tray_progress *p);
void tray_progress_end(struct tray *t, const wchar_t *summary);
/** Enable or disable whatever changes settings, while a sync runs. */
void tray_dialogs_syncing(struct tray *t, int syncing);

/* tray_links.c */
/**
 * The profile editor (modal, owned by @p owner): the profile called @p name,
 * or a new one when @p name is NULL. OK saves the settings file and gives
 * t->settings the new settings.
 * @param saved  receives the saved profile's name (malloc'ed) on OK; may be NULL
 * @return 1 when saved, 0 when cancelled
 */
int tray_edit_profile(struct tray *t, HWND owner, const char *name, char **saved);
/** Enable or disable the editor's controls that change settings (a sync runs). */
void tray_links_syncing(int syncing);
/** A FILETIME (UTC) as the user's short date and time, into @p buf. */
void tray_format_time(wchar_t *buf, size_t size, uint64_t filetime);
/** A direction as the dialogs name it ("both ways", ...). */
const wchar_t *tray_direction_text(ps_direction d);

/* tray_questions.c */
/**
 * WM_APP_ASK: show the conflict dialog, then the deletion dialog (modal,
 * in front), set the answers the user chose, and signal @c ask->done. While
 * they wait the icon says questions are waiting; Exit closes them (the
 * questions stay for the next sync).
 */
void tray_questions_ask(struct tray *t, struct tray_ask *ask);

/* tray_recover.c */
/**
 * "Recover items...": the versions a profile's syncs overwrote or deleted,
 * and Restore (modal, owned by @p owner; @p profile, UTF-8, shown first,
 * NULL: the first profile).
 */
void tray_show_recover(struct tray *t, HWND owner, const char *profile);

/* tray_util.c */
/** UTF-8 to malloc'ed UTF-16; NULL in, NULL out (or on failure). */
wchar_t *tray_wide(const char *s);
/** UTF-16 to malloc'ed UTF-8. */
char *tray_utf8(const wchar_t *s);
/** UTF-8 into a fixed buffer, cut if need be. */
void tray_wide_buf(wchar_t *buf, size_t size, const char *s);
/** A string of the string table (static buffer per id slot: copy it if kept; UI thread only). */
const wchar_t *tray_string(UINT id);
/** A string of the string table into @p buf (any thread); returns @p buf. */
const wchar_t *tray_load(wchar_t *buf, size_t size, UINT id);
/** The same in UTF-8, for words put into the log's lines. */
const char *tray_load_utf8(char *buf, size_t size, UINT id);
/** Appends the string-table format @p id with the count @p n to @p buf, after ", " if @p buf is not empty. */
void tray_counts_add(wchar_t *buf, size_t size, UINT id, unsigned n);
/** The same for the one-or-many pair @p one and @p many (German plurals differ). */
void tray_counts_add2(wchar_t *buf, size_t size, UINT one, UINT many, unsigned n);
/**
 * Formats the string-table format @p id into @p buf, always ended (any
 * thread); returns the length. Plurals are strings of their own, chosen
 * with TRAY_PLURAL: German ones differ from English ones.
 */
int tray_format(wchar_t *buf, size_t size, UINT id, ...);
/** The string id for a count @p n: @p one when it is 1, else @p many. */
#define TRAY_PLURAL(n, one, many) ((n) == 1 ? (one) : (many))
/** Open (create) %LOCALAPPDATA%\pstsync\pstsync.log for appending lines. */
void tray_log_init(void);
/** The log file's path (empty when it could not be made). */
const wchar_t *tray_log_path(void);
/** Append a line "YYYY-MM-DD HH:MM:SS text" (UTF-8); safe from any thread. */
void tray_log(const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(gnu_printf, 1, 2)))
#endif
	;
/**
 * A log line in the user's language: the string-table format @p id (whose
 * %s take UTF-8 strings, as tray_log's do). What the core reports is put
 * in as it comes, in English.
 */
void tray_logs(UINT id, ...);

#endif
