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
 * worker and the engine's ui callbacks), tray_dialogs.c (profiles,
 * settings, progress, about), tray_util.c (UTF-8/UTF-16, the log file).
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
};

extern struct tray g_tray;

/* tray.c */
void tray_update_icon(struct tray *t);
/** 1 when at least one profile is ticked. */
int tray_any_enabled(const struct tray *t);
/** Reread the settings file; on failure keep the old ones and say why. */
int tray_reload_settings(struct tray *t);
/** Save the settings; on a conflict with another program reload them. */
int tray_save_settings(struct tray *t);
/** Start a sync of the ticked profiles, unless one runs; 0 when started. */
int tray_start_sync(struct tray *t);

/* tray_sync.c */
/** Start the worker for the ticked profiles of the file @p config (NULL: default). */
HANDLE tray_sync_thread(HWND hwnd, const char *config);

/* tray_dialogs.c */
void tray_show_profiles(struct tray *t);
void tray_profiles_refresh(struct tray *t);
void tray_show_settings(struct tray *t);
void tray_show_about(struct tray *t);
void tray_progress_open(struct tray *t);
void tray_progress_update(struct tray *t, const struct tray_progress *p);
void tray_progress_end(struct tray *t, const wchar_t *summary);
/** Enable or disable whatever changes settings, while a sync runs. */
void tray_dialogs_syncing(struct tray *t, int syncing);

/* tray_util.c */
/** UTF-8 to malloc'ed UTF-16; NULL in, NULL out (or on failure). */
wchar_t *tray_wide(const char *s);
/** UTF-16 to malloc'ed UTF-8. */
char *tray_utf8(const wchar_t *s);
/** UTF-8 into a fixed buffer, cut if need be. */
void tray_wide_buf(wchar_t *buf, size_t size, const char *s);
/** A string of the string table (static buffer per id slot: copy it if kept). */
const wchar_t *tray_string(UINT id);
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

#endif
