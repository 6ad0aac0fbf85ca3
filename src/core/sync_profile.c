/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A profile's sync as the front ends start it: where its protocol lives,
 * opening the protocol and both stores (the global one first, held
 * exclusively, waiting a while for another pstsync that holds it), then the
 * engine (sync.c), then closing the stores before any question is asked
 * (sync_questions.c) and opening them again to carry the answers out. A dry run of a
 * profile never synced uses a scratch protocol, removed afterwards, so that
 * it creates nothing.
 */
#include "core/sync_int.h"

#include "core/sha256.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "pstsync/recovery.h"

#include <sqlite3.h> /* sqlite3_sleep(): the core's only portable sleep (os.h has none) */
#include <stdlib.h>
#include <string.h>

/* ---- profiles ------------------------------------------------------------------------ */

int ps_sync_protocol_path(const ps_settings *settings, const ps_profile *profile, char **out)
{
	const char *file = ps_settings_path(settings), *name = ps_profile_name(profile);
	const char *sep = NULL, *p;
	char safe[48], *lower = NULL;
	uint8_t digest[PS_SHA256_SIZE];
	size_t n = 0, i;
	int dash = 0;

	*out = NULL;
	for (p = file; *p; p++)
		if (*p == '/' || *p == '\\')
			sep = p;
	lower = ps__strdup(name);
	if (!lower)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; lower[i]; i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] + 32);
	ps__sha256(lower, strlen(lower), digest);
	/* letters and digits kept, runs of anything else made one '-' */
	for (i = 0; lower[i] && n < sizeof(safe) - 1; i++) {
		char c = lower[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				safe[n++] = '-';
			if (n < sizeof(safe) - 1)
				safe[n++] = c;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	safe[n] = '\0';
	free(lower);
	*out = ps__asprintf("%.*sprotocol-%s%s%02x%02x%02x%02x.db", sep ? (int)(sep - file + 1) : 0, file,
		safe, n ? "-" : "", digest[0], digest[1], digest[2], digest[3]);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

/* Rounds of questions in one sync at most: an item edited again and again
 * while its question waits is left outstanding, not asked forever. */
#define ROUNDS_MAX 4

/*
 * Open a store, waiting for another pstsync up to @p wait_ms: for writing
 * (held exclusively), or with @p source_only read-only under a shared lock
 * (a read-only file or share, a second reader; a writer waits for it). A
 * store our PST code cannot read (an OST of a newer format) is then read
 * through libpff, without a lock.
 */
static int open_store(ps_store **out, const char *path, unsigned wait_ms, int source_only)
{
	uint64_t start = ps_clock_ns();
	int rc;

	for (;;) {
		rc = ps_store_open(out, path, source_only ? PS_STORE_SHARED : PS_STORE_WRITE);
		if (source_only && (rc == PS_EUNSUPPORTED || rc == PS_ENOTPST))
			rc = ps_store_open(out, path, PS_STORE_READ);
		if (rc != PS_ELOCKED || (ps_clock_ns() - start) / 1000000 >= wait_ms)
			return rc;
		sqlite3_sleep(100);
	}
}

int ps_sync_profile(const ps_settings *settings, const ps_profile *profile,
	const ps_sync_options *opt, const ps_sync_ui *ui, ps_sync_result *out)
{
	ps_sync_options o;
	ps_sync_link_spec *specs = NULL;
	ps_protocol *proto = NULL;
	ps_store *st[2] = { NULL, NULL };
	char *path = NULL, *recovery = NULL, *dir = NULL, *abs[2] = { NULL, NULL }, *msg = NULL;
	const char *name = ps_profile_name(profile);
	size_t n = ps_profile_link_count(profile), i;
	struct ps_sync_asker asker;
	int scratch = 0, writes[2] = { 0, 0 }, round, rc;

	if (opt)
		o = *opt;
	else
		ps_sync_options_init(&o);
	memset(out, 0, sizeof(*out));
	memset(&asker, 0, sizeof(asker));
	specs = calloc(n + 1, sizeof(*specs));
	if (!specs) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		const ps_link *l = ps_profile_link_at(profile, i);
		specs[i].path[0] = ps_link_local(l);
		specs[i].path[1] = ps_link_global(l);
		specs[i].direction = (int)ps_link_direction(l);
	}
	if ((rc = ps_path_absolute(ps_profile_local(profile), &abs[0])) < 0 ||
	    (rc = ps_path_absolute(ps_profile_global(profile), &abs[1])) < 0)
		goto fail;
	if (strcmp(abs[0], abs[1]) == 0) {
		rc = ps_error_set(PS_EINVAL, "the local and the global store are the same file '%s'",
			ps_profile_local(profile));
		goto fail;
	}
	if (o.protocol_path)
		path = ps__strdup(o.protocol_path);
	else if ((rc = ps_sync_protocol_path(settings, profile, &path)) < 0)
		goto fail;
	if (!path) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto fail;
	}
	if (o.dry_run && ps_path_kind(path) != PS_PATH_FILE) {
		/* a dry run of a profile never synced: an empty protocol beside
		 * the real one, removed afterwards, so that nothing is created */
		char *tmp = ps__asprintf("%s.dry-run", path);
		if (!tmp) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto fail;
		}
		free(path);
		path = tmp;
		scratch = 1;
		ps_path_remove(path);
	}
	/* the folder of the settings may not exist yet */
	dir = ps__strdup(path);
	if (!dir) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = strlen(dir); i > 0 && dir[i - 1] != '/' && dir[i - 1] != '\\'; i--)
		;
	if (i > 1) {
		dir[i - 1] = '\0';
		if (ps_path_kind(dir) != PS_PATH_DIR && (rc = ps_path_mkdirs(dir)) < 0)
			goto fail;
	}
	if ((rc = ps_protocol_open(&proto, path)) < 0)
		goto fail;
	o.protocol_path = NULL;
	if (!o.recovery_path && !scratch) {
		if ((rc = ps_recovery_path(path, &recovery)) < 0)
			goto fail;
		o.recovery_path = recovery;
	}
	/* a store no link writes only serves as a source: opened read-only */
	for (i = 0; i < n; i++) {
		writes[0] |= specs[i].direction != PS_DIRECTION_TO_GLOBAL;
		writes[1] |= specs[i].direction != PS_DIRECTION_FROM_GLOBAL;
	}
	/*
	 * Rounds: the engine runs with both stores held (the global one
	 * first; exclusively where a link writes it) and only collects its
	 * questions; the stores are closed, the person is asked
	 * (sync_questions.c), and a round on stores opened again carries the
	 * answers out.
	 */
	ps_sync__asker_init(&asker, ui);
	for (round = 0;; round++) {
		ps_sync_result r;
		if ((rc = open_store(&st[1], ps_profile_global(profile), o.lock_wait_ms,
		    !writes[1])) < 0 ||
		    (rc = open_store(&st[0], ps_profile_local(profile), o.lock_wait_ms,
		    !writes[0])) < 0) {
			if (round == 0)
				goto fail;
			/* the answers stay recorded: the next sync carries them out */
			ps_error_prefix(rc, "cannot carry out the answers of profile '%s'", name);
			out->status = rc;
			free(out->error);
			out->error = ps__strdup(ps_error_last());
			break;
		}
		rc = ps_sync_run(proto, st, name, specs, n, ps_settings_options(settings), &o, &asker.ui,
			round == 0 ? out : &r);
		for (i = 0; i < 2; i++) {
			ps_io_stats io;
			if (ps_store_io_stats(st[i], &io) == PS_OK) {
				ps_io_stats_add(&out->io[i], &io);
				out->io_counted[i] = 1;
			}
		}
		ps_store_close(st[0]);
		ps_store_close(st[1]);
		st[0] = st[1] = NULL;
		if (round > 0) {
			ps_sync__result_merge(out, &r);
			ps_sync_result_clear(&r);
		}
		if (rc < 0 || !ps_sync__asker_pending(&asker) || round >= ROUNDS_MAX)
			break;
		rc = ps_sync__asker_ask(&asker, proto, name);
		if (rc < 0) {
			/* the ui stopped, or the answers could not be recorded: the
			 * questions stay outstanding */
			out->status = rc;
			free(out->error);
			out->error = ps__strdup(ps_error_last());
			break;
		}
		if (rc == 0)
			break; /* nothing answered: the questions stay outstanding */
	}
	rc = out->status;
	ps_sync__asker_free(&asker);
	goto done;
fail:
	ps_sync__asker_free(&asker);
	ps_error_prefix(rc, "cannot sync profile '%s'", name);
	msg = ps__strdup(ps_error_last());
	ps_sync_result_clear(out);
	(void)ps_sync__result_init(out, name, specs, specs ? n : 0, o.dry_run);
	out->status = rc;
	out->error = msg;
	/* a sync that could not start (a store missing or held by Outlook) is
	 * history too: `pstsync status` shows it as the last attempt */
	if (proto && !o.dry_run) {
		int64_t id;
		if (ps_protocol_history_start(proto, &id) == PS_OK)
			(void)ps_protocol_history_finish(proto, id, rc, NULL, msg);
	}
	ps_error_set(rc, "%s", msg ? msg : "out of memory");
done:
	ps_store_close(st[0]);
	ps_store_close(st[1]);
	ps_protocol_close(proto);
	if (scratch) {
		static const char *const extra[] = { "", "-wal", "-shm", "-journal", "-sealed" };
		for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
			char *f = ps__asprintf("%s%s", path, extra[i]);
			if (f)
				ps_path_remove(f);
			free(f);
		}
	}
	free(path);
	free(recovery);
	free(dir);
	free(abs[0]);
	free(abs[1]);
	free(specs);
	return rc;
}
