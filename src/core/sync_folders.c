/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Linked folders known by their entry ID as well as their path. A folder
 * renamed or moved in its store (as Outlook does it: it keeps its NID, so
 * its entry ID) is followed: the link takes its new path, in the protocol
 * here and in the settings file through ps_sync_follow_folders(). A folder
 * deleted, or moved into Deleted Items, stops its link with a message: never
 * a new empty folder at the old path whose emptiness is then mirrored as
 * deletions on the other side. With recreate_folders, the folder is made
 * again at its path and filled from the other side.
 *
 * The identity is recorded once the link's folders are resolved (the first
 * sync of a link records what it found or made).
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

static const char *const side_word[2] = { "local", "global" };

struct fnode {
	uint32_t nid, parent;
	char *path;
};

struct ftree {
	struct fnode *v;
	size_t n;
};

static int tree_cb(const ps_folder_info *fi, void *ctx)
{
	struct ftree *ft = ctx;
	struct fnode *grown = realloc(ft->v, (ft->n + 1) * sizeof(*grown));

	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	ft->v = grown;
	grown[ft->n].nid = fi->nid;
	grown[ft->n].parent = fi->parent_nid;
	grown[ft->n].path = ps__strdup(fi->path);
	if (!grown[ft->n].path)
		return ps_error_set(PS_ENOMEM, "out of memory");
	ft->n++;
	return 0;
}

static void tree_free(struct ftree *ft)
{
	size_t i;

	for (i = 0; i < ft->n; i++)
		free(ft->v[i].path);
	free(ft->v);
	memset(ft, 0, sizeof(*ft));
}

static const struct fnode *by_nid(const struct ftree *ft, uint32_t nid)
{
	size_t i;

	for (i = 0; i < ft->n; i++)
		if (ft->v[i].nid == nid)
			return &ft->v[i];
	return NULL;
}

/* Whether @p f is Deleted Items or below it. */
static int in_trash(const struct ftree *ft, const struct fnode *f, uint32_t trash)
{
	int depth;

	for (depth = 0; f && depth < 64; depth++) {
		if (trash ? f->nid == trash : (strcmp(f->path, "/Deleted Items") == 0))
			return 1;
		f = f->parent != f->nid ? by_nid(ft, f->parent) : NULL;
	}
	return 0;
}

/* The link stops: it names the choices, and later answers come as options. */
static void stop_link(struct sync *sy, struct link_run *lr, int t, const char *what)
{
	lr->res->folder_gone[t] = 1;
	ps_error_set(PS_EFOLDER, "the %s folder '%s' of '%s' was %s: the link is stopped, nothing is "
		"deleted in the %s store; recreate it from the %s folder (pstsync sync "
		"--recreate-folders) or remove the link (pstsync profile unlink)", side_word[t],
		lr->path[t], ps_store_path(sy->st[t]), what, side_word[t ^ 1], side_word[t ^ 1]);
	ps_sync__link_fail(sy, lr, PS_EFOLDER);
}

/* Forget a stopped link's state for side @p t so that its folder is made again. */
static int forget_side(struct sync *sy, struct link_run *lr)
{
	size_t i;
	int rc;

	if (sy->opt.dry_run)
		return PS_OK;
	if ((rc = ps_sync__pairs_load(lr)) < 0)
		return rc;
	if ((rc = ps_protocol_begin(sy->proto)) < 0)
		return rc;
	for (i = 0; i < lr->npairs; i++) {
		rc = ps_protocol_pair_delete(sy->proto, lr->pairs[i].id);
		if (rc < 0 && rc != PS_ENOTFOUND) {
			ps_protocol_rollback(sy->proto);
			return rc;
		}
	}
	ps_sync__pairs_free(lr);
	return ps_protocol_commit(sy->proto);
}

int ps_sync__folders_follow(struct sync *sy)
{
	struct ftree ft[2];
	ps_store_info info[2];
	size_t i;
	int t, rc = PS_OK;

	memset(ft, 0, sizeof(ft));
	memset(info, 0, sizeof(info));
	for (t = 0; t < 2; t++) {
		if ((rc = ps_store_get_info(sy->st[t], &info[t])) < 0 ||
		    (rc = ps_store_walk_tree(sy->st[t], tree_cb, &ft[t])) < 0)
			goto cleanup;
	}
	for (i = 0; i < sy->nlinks; i++) {
		struct link_run *lr = &sy->links[i];
		int recreate = 0;
		if (!lr->link_id || lr->failed)
			continue;
		for (t = 0; t < 2 && !lr->failed; t++) {
			uint8_t eid[PS_PROTOCOL_EID_MAX];
			size_t n = 0;
			const struct fnode *f;
			char *moved;
			rc = ps_protocol_folder_get(sy->proto, lr->link_id, t, eid, sizeof(eid), &n);
			if (rc == PS_ENOTFOUND) {
				rc = PS_OK;
				continue;
			}
			if (rc < 0)
				goto cleanup;
			/* another store (a replaced file): its folders are found by path */
			if (n != EID_SIZE || !info[t].has_record_key ||
			    memcmp(eid + 4, info[t].record_key, 16) != 0)
				continue;
			f = by_nid(&ft[t], ps__le32(eid + 20));
			if (f && in_trash(&ft[t], f, info[t].wastebasket_nid)) {
				if (!sy->opt.recreate_folders) {
					stop_link(sy, lr, t, "moved into Deleted Items");
					continue;
				}
				recreate = 1;
				continue;
			}
			if (!f) {
				if (!sy->opt.recreate_folders) {
					stop_link(sy, lr, t, "deleted");
					continue;
				}
				recreate = 1;
				continue;
			}
			if (strcmp(f->path, lr->path[t]) == 0)
				continue;
			/* renamed or moved: the link follows the folder */
			moved = ps__strdup(f->path);
			if (!moved) {
				rc = ps_error_set(PS_ENOMEM, "out of memory");
				goto cleanup;
			}
			ps_sync__warn(sy, "the %s folder '%s' of '%s' was renamed or moved to '%s': the link "
				"follows it", side_word[t], lr->path[t], ps_store_path(sy->st[t]), moved);
			free(lr->res->moved_from[t]);
			lr->res->moved_from[t] = lr->res->path[t];
			lr->res->path[t] = moved;
			lr->path[t] = moved;
			if (!sy->opt.dry_run &&
			    (rc = ps_protocol_link_set_path(sy->proto, lr->link_id, t, moved)) < 0)
				goto cleanup;
		}
		if (recreate && !lr->failed) {
			ps_sync__warn(sy, "link '%s' -> '%s': a folder that was deleted or moved into "
				"Deleted Items is made again and filled from the other side", lr->path[0],
				lr->path[1]);
			if ((rc = forget_side(sy, lr)) < 0)
				goto cleanup;
		}
	}
cleanup:
	for (t = 0; t < 2; t++) {
		tree_free(&ft[t]);
		ps_store_info_clear(&info[t]);
	}
	return rc;
}

int ps_sync__folders_record(struct sync *sy)
{
	ps_store_info info[2];
	size_t i;
	int t, rc = PS_OK;

	if (sy->opt.dry_run)
		return PS_OK;
	memset(info, 0, sizeof(info));
	for (t = 0; t < 2; t++)
		if ((rc = ps_store_get_info(sy->st[t], &info[t])) < 0)
			goto cleanup;
	for (i = 0; i < sy->nlinks; i++) {
		struct link_run *lr = &sy->links[i];
		if (!lr->link_id || lr->failed)
			continue;
		for (t = 0; t < 2; t++) {
			uint8_t eid[EID_SIZE], old[PS_PROTOCOL_EID_MAX];
			size_t n = 0;
			if (!lr->have_folder[t] || !info[t].has_record_key)
				continue;
			ps_entry_id_make(eid, info[t].record_key, lr->folder[t]);
			rc = ps_protocol_folder_get(sy->proto, lr->link_id, t, old, sizeof(old), &n);
			if (rc < 0 && rc != PS_ENOTFOUND)
				goto cleanup;
			if (rc == PS_OK && n == EID_SIZE && memcmp(old, eid, EID_SIZE) == 0)
				continue;
			if ((rc = ps_protocol_folder_set(sy->proto, lr->link_id, t, eid, EID_SIZE)) < 0)
				goto cleanup;
		}
	}
	rc = PS_OK;
cleanup:
	for (t = 0; t < 2; t++)
		ps_store_info_clear(&info[t]);
	return rc;
}

int ps_sync_follow_folders(ps_settings *settings, ps_profile *profile, const ps_sync_result *r)
{
	size_t i;
	int changed = 0, rc;

	(void)settings;
	for (i = 0; i < r->link_count; i++) {
		const ps_sync_link_result *l = &r->links[i];
		const char *old[2];
		int t;
		if (!l->moved_from[0] && !l->moved_from[1])
			continue;
		for (t = 0; t < 2; t++)
			old[t] = l->moved_from[t] ? l->moved_from[t] : l->path[t];
		if ((rc = ps_profile_link_remove(profile, old[0], old[1])) < 0)
			continue; /* changed by hand meanwhile: left as the user made it */
		if ((rc = ps_profile_link_add(NULL, profile, l->path[0], l->path[1],
			(ps_direction)l->direction)) < 0)
			return rc;
		changed++;
	}
	return changed;
}
