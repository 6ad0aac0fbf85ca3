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

static const wchar_t *phase_text(int phase)
{
	switch (phase) {
	case PS_SYNC_PHASE_OPEN: return L"opening the stores";
	case PS_SYNC_PHASE_RECOVER: return L"finishing an interrupted sync";
	case PS_SYNC_PHASE_SCAN: return L"comparing items";
	case PS_SYNC_PHASE_APPLY: return L"copying and deleting";
	case PS_SYNC_PHASE_ASK: return L"questions";
	case PS_SYNC_PHASE_DONE: return L"done";
	}
	return L"";
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
	wcscpy(w->cur.action, phase_text(p->phase));
	post_progress(w, changed);
}

static const char *action_name(int kind)
{
	switch (kind) {
	case PS_SYNC_COPY: return "copied";
	case PS_SYNC_OVERWRITE: return "overwritten";
	case PS_SYNC_DELETE: return "deleted";
	case PS_SYNC_PAIR: return "paired";
	case PS_SYNC_UNLINK: return "unlinked";
	case PS_SYNC_CREATE_FOLDER: return "folder created";
	}
	return "asked";
}

static void ui_action(void *ctx, const ps_sync_action *a)
{
	struct worker *w = ctx;
	static const char *side[] = { "local", "global" };
	char text[300];
	const char *where = a->side == 0 || a->side == 1 ? side[a->side] : "";

	w->cur.actions++;
	if (a->status != PS_OK) {
		w->cur.errors++;
		tray_log("error: profile '%s', %s -> %s: '%s' not %s: %s", a->profile, a->path[0],
			a->path[1], a->subject, action_name(a->kind),
			a->error ? a->error : ps_status_name(a->status));
	}
	snprintf(text, sizeof(text), "%s %s%s: %s", action_name(a->kind), where[0] ? "on " : "",
		where, a->subject);
	tray_wide_buf(w->cur.action, 260, text);
	link_text(w->cur.link, 260, a->path);
	post_progress(w, 0);
}

static void ui_warning(void *ctx, const char *profile, const char *message)
{
	struct worker *w = ctx;
	wchar_t *m = tray_wide(message);

	tray_log("warning: profile '%s': %s", profile, message);
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
	tray_log("questions of profile '%s': %u conflict%s, %u deletion%s to confirm", profile,
		(unsigned)nconflicts, nconflicts == 1 ? "" : "s", (unsigned)ndeletes,
		ndeletes == 1 ? "" : "s");
	a.done = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!a.done || !PostMessageW(w->hwnd, WM_APP_ASK, 0, (LPARAM)&a)) {
		tray_log("error: cannot show the questions of profile '%s' (error %lu): left for later",
			profile, GetLastError());
		if (a.done)
			CloseHandle(a.done);
		return 0;
	}
	/* the user takes their time; stop waiting only if the window is gone */
	while (WaitForSingleObject(a.done, 1000) == WAIT_TIMEOUT) {
		if (!IsWindow(w->hwnd)) {
			tray_log("questions of profile '%s' left for later: the window is gone", profile);
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

/* "2 copied to local, 1 deleted on global, ..." (only what is not zero) */
static void counts_text(char *buf, size_t size, const ps_sync_counts *c)
{
	static const char *side[] = { "local", "global" };
	size_t n = 0;
	int s;

#define ADD(...) do { if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); } while (0)
	buf[0] = 0;
	for (s = 0; s < 2; s++) {
		if (c->copied[s])
			ADD("%s%u copied to %s", n ? ", " : "", c->copied[s], side[s]);
		if (c->overwritten[s])
			ADD("%s%u overwritten on %s", n ? ", " : "", c->overwritten[s], side[s]);
		if (c->deleted[s])
			ADD("%s%u deleted on %s", n ? ", " : "", c->deleted[s], side[s]);
	}
	if (c->paired)
		ADD("%s%u paired", n ? ", " : "", c->paired);
	if (c->unlinked)
		ADD("%s%u unlinked", n ? ", " : "", c->unlinked);
	if (c->conflicts)
		ADD("%s%u conflicts", n ? ", " : "", c->conflicts);
	if (c->deletes_asked)
		ADD("%s%u deletions to confirm", n ? ", " : "", c->deletes_asked);
	if (c->outstanding)
		ADD("%s%u questions left for later", n ? ", " : "", c->outstanding);
	ADD("%s%u errors", n ? ", " : "", c->errors);
#undef ADD
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
	tray_log("sync '%s' started: local '%s', global '%s'", ps_profile_name(profile),
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
		tray_log("warning: %s", ps_error_last());
	counts_text(counts, sizeof(counts), &r.counts);
	for (i = 0; i < r.link_count; i++)
		if (r.links[i].status != PS_OK)
			tray_log("error: profile '%s', link %s -> %s: %s", ps_profile_name(profile),
				r.links[i].path[0], r.links[i].path[1],
				r.links[i].error ? r.links[i].error : ps_status_name(r.links[i].status));
	if (rc == PS_OK)
		tray_log("sync '%s' done in %.1f s: %s", ps_profile_name(profile),
			(GetTickCount() - start) / 1000.0, counts);
	else
		tray_log("sync '%s' failed: %s", ps_profile_name(profile),
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
		tray_log("error: %s", ps_error_last());
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
		tray_log("sync run ended: %u profile%s", (unsigned)done, done == 1 ? "" : "s");
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
