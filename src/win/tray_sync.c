/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The sync worker of the tray application. It reads its own copy of the
 * settings file (the UI thread keeps and edits another one; the core's
 * settings are not shared between threads), syncs every ticked profile in
 * file order with ps_sync_profile(), writes the log, and reports through
 * the engine's ps_sync_ui callbacks, each of which only posts a message to
 * the tray window (tray.h): no window is touched from this thread.
 *
 * Questions: ui.ask posts the profile's two lists (WM_APP_ASK) and waits
 * until the UI thread's dialogs (tray_questions.c) have set the answers;
 * the engine then carries them out. What is not answered stays
 * outstanding in the protocol and is asked again at the next sync.
 */
#include "win/tray.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstsync/errors.h"
#include "resource.h"

struct worker {
	HWND hwnd;
	char *config;
	/* this profile's progress, kept here so every message carries all of it */
	struct tray_progress cur;
	DWORD last_post;            /* GetTickCount() of the last progress message */
	int last_phase;
	int ask;                    /* 0: questions are left for later (automatic syncs) */
};

static void post_progress(struct worker *w, int force)
{
	struct tray_progress *p;
	DWORD now = GetTickCount();

	/* progress comes often: at most about 20 messages a second */
	if (!force && w->cur.phase == w->last_phase && now - w->last_post < 50)
		return;
	if (!(p = malloc(sizeof(*p))))
		return;
	*p = w->cur;
	w->last_post = now;
	w->last_phase = w->cur.phase;
	if (!PostMessageW(w->hwnd, WM_APP_PROGRESS, 0, (LPARAM)p))
		free(p);
}

static void phase_text(wchar_t *buf, size_t size, int phase)
{
	UINT id = 0;

	switch (phase) {
	case PS_SYNC_PHASE_OPEN: id = IDS_PHASE_OPEN; break;
	case PS_SYNC_PHASE_RECOVER: id = IDS_PHASE_RECOVER; break;
	case PS_SYNC_PHASE_SCAN: id = IDS_PHASE_SCAN; break;
	case PS_SYNC_PHASE_APPLY: id = IDS_PHASE_APPLY; break;
	case PS_SYNC_PHASE_ASK: id = IDS_PHASE_ASK; break;
	case PS_SYNC_PHASE_DONE: id = IDS_PHASE_DONE; break;
	}
	if (id)
		tray_load(buf, size, id);
	else
		buf[0] = 0;
}

static void link_text(wchar_t *buf, size_t size, const char *const path[2])
{
	wchar_t a[120], b[120];

	buf[0] = 0;
	if (!path[0] || !path[1])
		return;
	tray_wide_buf(a, 120, path[0]);
	tray_wide_buf(b, 120, path[1]);
	_snwprintf(buf, size - 1, L"%ls \x2194 %ls", a, b);
	buf[size - 1] = 0;
}

static void ui_progress(void *ctx, const ps_sync_progress *p)
{
	struct worker *w = ctx;
	int changed = (int)p->phase != w->cur.phase;

	w->cur.phase = p->phase;
	w->cur.done = p->done;
	w->cur.total = p->total;
	if (p->path[0])
		link_text(w->cur.link, 260, p->path);
	phase_text(w->cur.action, 260, p->phase);
	post_progress(w, changed);
}

/* "copied", "overwritten", ... as the string table words it */
static UINT action_name(int kind)
{
	switch (kind) {
	case PS_SYNC_COPY: return IDS_ACT_COPIED;
	case PS_SYNC_OVERWRITE: return IDS_ACT_OVERWRITTEN;
	case PS_SYNC_DELETE: return IDS_ACT_DELETED;
	case PS_SYNC_PAIR: return IDS_ACT_PAIRED;
	case PS_SYNC_UNLINK: return IDS_ACT_UNLINKED;
	case PS_SYNC_CREATE_FOLDER: return IDS_ACT_FOLDER_CREATED;
	}
	return IDS_ACT_ASKED;
}

static void ui_action(void *ctx, const ps_sync_action *a)
{
	struct worker *w = ctx;
	wchar_t what[100], side[100], *subject = tray_wide(a->subject ? a->subject : "");
	char name[200];

	w->cur.actions++;
	if (a->status != PS_OK) {
		w->cur.errors++;
		tray_logs(IDS_LOG_ACTION_FAILED, a->profile, a->path[0], a->path[1],
			a->subject ? a->subject : "", tray_load_utf8(name, 200, action_name(a->kind)),
			a->error ? a->error : ps_status_name(a->status));
	}
	tray_load(what, 100, action_name(a->kind));
	if (a->side == 0 || a->side == 1)
		tray_format(w->cur.action, 260, IDS_ACT_ON_SIDE, what,
			tray_load(side, 100, a->side ? IDS_SIDE_GLOBAL : IDS_SIDE_LOCAL),
			subject ? subject : L"");
	else
		tray_format(w->cur.action, 260, IDS_ACT_NO_SIDE, what, subject ? subject : L"");
	free(subject);
	link_text(w->cur.link, 260, a->path);
	post_progress(w, 0);
}

static void ui_warning(void *ctx, const char *profile, const char *message)
{
	struct worker *w = ctx;
	wchar_t *m = tray_wide(message);

	tray_logs(IDS_LOG_PROFILE_WARNING, profile, message);
	if (m && !PostMessageW(w->hwnd, WM_APP_WARNING, 0, (LPARAM)m))
		free(m);
}

/*
 * The grouped questions: hand both lists to the UI thread and wait until
 * its dialogs have set the answers (the engine's arrays stay valid until
 * this returns). The UI thread logs the answers.
 */
static int ui_ask(void *ctx, const char *profile, ps_sync_question *conflicts, size_t nconflicts,
	ps_sync_question *deletes, size_t ndeletes)
{
	struct worker *w = ctx;
	struct tray_ask a;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.profile = profile;
	a.q[0] = conflicts;
	a.n[0] = nconflicts;
	a.q[1] = deletes;
	a.n[1] = ndeletes;
	tray_logs(nconflicts == 1 ? TRAY_PLURAL(ndeletes, IDS_LOG_QUESTIONS_1_1, IDS_LOG_QUESTIONS_1_N)
		: TRAY_PLURAL(ndeletes, IDS_LOG_QUESTIONS_N_1, IDS_LOG_QUESTIONS_N_N), profile,
		(unsigned)nconflicts, (unsigned)ndeletes);
	a.done = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!a.done || !PostMessageW(w->hwnd, WM_APP_ASK, 0, (LPARAM)&a)) {
		tray_logs(IDS_LOG_QUESTIONS_NOT_SHOWN, profile, GetLastError());
		if (a.done)
			CloseHandle(a.done);
		return 0;
	}
	/* the user takes their time; stop waiting only if the window is gone */
	while (WaitForSingleObject(a.done, 1000) == WAIT_TIMEOUT) {
		if (!IsWindow(w->hwnd)) {
			tray_logs(IDS_LOG_QUESTIONS_GONE, profile);
			for (i = 0; i < nconflicts; i++)
				conflicts[i].answer = PS_ANSWER_NONE;
			for (i = 0; i < ndeletes; i++)
				deletes[i].answer = PS_ANSWER_NONE;
			break;
		}
	}
	CloseHandle(a.done);
	return 0;
}

/* "2 copied to local, 1 deleted on global, ..." (only what is not zero), in UTF-8 */
static void counts_text(char *out, size_t size, const ps_sync_counts *c)
{
	wchar_t buf[600];
	int s;

	buf[0] = 0;
	for (s = 0; s < 2; s++) {
		if (c->copied[s])
			tray_counts_add(buf, 600, IDS_CHG_COPIED_LOCAL + s, c->copied[s]);
		if (c->overwritten[s])
			tray_counts_add(buf, 600, IDS_CHG_OVERWRITTEN_LOCAL + s, c->overwritten[s]);
		if (c->deleted[s])
			tray_counts_add(buf, 600, IDS_CHG_DELETED_LOCAL + s, c->deleted[s]);
	}
	if (c->paired)
		tray_counts_add(buf, 600, IDS_CHG_PAIRED, c->paired);
	if (c->unlinked)
		tray_counts_add(buf, 600, IDS_CHG_UNLINKED, c->unlinked);
	/* answered questions, as what was done */
	for (s = 0; s < 2; s++)
		if (c->kept[s])
			tray_counts_add2(buf, 600, IDS_CHG_KEPT_LOCAL_1 + 2 * s,
				IDS_CHG_KEPT_LOCAL_N + 2 * s, c->kept[s]);
	if (c->kept_both)
		tray_counts_add2(buf, 600, IDS_CHG_KEPT_BOTH_1, IDS_CHG_KEPT_BOTH_N, c->kept_both);
	if (c->deletes_confirmed)
		tray_counts_add2(buf, 600, IDS_CHG_CONFIRMED_1, IDS_CHG_CONFIRMED_N,
			c->deletes_confirmed);
	if (c->restored)
		tray_counts_add2(buf, 600, IDS_CHG_RESTORED_1, IDS_CHG_RESTORED_N, c->restored);
	if (c->outstanding)
		tray_counts_add2(buf, 600, IDS_CHG_LATER_1, IDS_CHG_LATER_N, c->outstanding);
	tray_counts_add2(buf, 600, IDS_CHG_ERRORS_1, IDS_CHG_ERRORS_N, c->errors);
	for (s = 0; s < 2; s++)
		if (c->not_carried[s])
			tray_counts_add2(buf, 600, IDS_CHG_NOT_CARRIED_LOCAL_1 + 2 * s,
				IDS_CHG_NOT_CARRIED_LOCAL_N + 2 * s, c->not_carried[s]);
	if (!WideCharToMultiByte(CP_UTF8, 0, buf, -1, out, (int)size, NULL, NULL))
		out[0] = 0;
	out[size - 1] = 0;
}

static void sync_one(struct worker *w, ps_settings *settings, ps_profile *profile)
{
	ps_sync_options opt;
	ps_sync_ui ui;
	ps_sync_result r;
	struct tray_profile_done *d;
	char counts[600];
	DWORD start = GetTickCount();
	size_t i;
	int rc;

	memset(&w->cur, 0, sizeof(w->cur));
	w->last_phase = -1;
	tray_wide_buf(w->cur.profile, 128, ps_profile_name(profile));
	post_progress(w, 1);
	tray_logs(IDS_LOG_SYNC_STARTED, ps_profile_name(profile),
		ps_profile_local(profile), ps_profile_global(profile));

	ps_sync_options_init(&opt);
	opt.conflicts = PS_SYNC_CONFLICTS_SETTINGS;
	opt.deletes = PS_SYNC_DELETES_ASK;
	opt.lock_wait_ms = 60 * 1000;
	memset(&ui, 0, sizeof(ui));
	ui.ctx = w;
	ui.progress = ui_progress;
	ui.action = ui_action;
	ui.warning = ui_warning;
	/* an automatic sync must not hold the stores while a dialog waits for
	 * someone who may not be there: its questions wait for the next sync the
	 * user starts, and the notice at the end says so */
	ui.ask = w->ask ? ui_ask : NULL;

	memset(&r, 0, sizeof(r));
	rc = ps_sync_profile(settings, profile, &opt, &ui, &r);
	/* folders renamed or moved: the settings file takes their new paths */
	if (ps_sync_follow_folders(settings, profile, &r) > 0 && ps_settings_save(settings) < 0)
		tray_logs(IDS_LOG_WARNING, ps_error_last());
	counts_text(counts, sizeof(counts), &r.counts);
	for (i = 0; i < r.link_count; i++)
		if (r.links[i].status != PS_OK)
			tray_logs(IDS_LOG_LINK_FAILED, ps_profile_name(profile),
				r.links[i].path[0], r.links[i].path[1],
				r.links[i].error ? r.links[i].error : ps_status_name(r.links[i].status));
	if (rc == PS_OK)
		tray_logs(IDS_LOG_SYNC_DONE, ps_profile_name(profile),
			(GetTickCount() - start) / 1000.0, counts);
	else
		tray_logs(IDS_LOG_SYNC_FAILED, ps_profile_name(profile),
			r.error ? r.error : ps_status_name(rc));

	if ((d = calloc(1, sizeof(*d)))) {
		wcscpy(d->profile, w->cur.profile);
		d->status = rc;
		d->counts = r.counts;
		if (rc != PS_OK)
			tray_wide_buf(d->error, 512, r.error ? r.error : ps_status_name(rc));
		if (!PostMessageW(w->hwnd, WM_APP_PROFILE_DONE, 0, (LPARAM)d))
			free(d);
	}
	ps_sync_result_clear(&r);
}

static unsigned __stdcall worker_main(void *arg)
{
	struct worker *w = arg;
	ps_settings *settings = NULL;
	size_t i, n, done = 0;

	if (ps_settings_load(&settings, w->config) != PS_OK) {
		struct tray_profile_done *d = calloc(1, sizeof(*d));
		tray_logs(IDS_LOG_ERROR, ps_error_last());
		if (d) {
			d->status = ps_error_last_code();
			tray_wide_buf(d->error, 512, ps_error_last());
			if (!PostMessageW(w->hwnd, WM_APP_PROFILE_DONE, 0, (LPARAM)d))
				free(d);
		}
	} else {
		n = ps_settings_profile_count(settings);
		for (i = 0; i < n; i++) {
			ps_profile *p = ps_settings_profile_at(settings, i);
			if (ps_profile_enabled(p)) {
				sync_one(w, settings, p);
				done++;
			}
		}
		tray_logs(TRAY_PLURAL(done, IDS_LOG_RUN_ENDED_1, IDS_LOG_RUN_ENDED_N), (unsigned)done);
	}
	ps_settings_free(settings);
	PostMessageW(w->hwnd, WM_APP_SYNC_DONE, 0, 0);
	free(w->config);
	free(w);
	return 0;
}

HANDLE tray_sync_thread(HWND hwnd, const char *config, int ask)
{
	struct worker *w = calloc(1, sizeof(*w));
	uintptr_t h;

	if (!w)
		return NULL;
	w->hwnd = hwnd;
	w->ask = ask;
	if (config && !(w->config = _strdup(config))) {
		free(w);
		return NULL;
	}
	/* _beginthreadex, not CreateThread: the core uses the C library */
	h = _beginthreadex(NULL, 0, worker_main, w, 0, NULL);
	if (!h) {
		free(w->config);
		free(w);
		return NULL;
	}
	return (HANDLE)h;
}
