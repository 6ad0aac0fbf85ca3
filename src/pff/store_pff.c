/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The PST/OST store backend for reading, over libpff.
 *
 * libpff does the parsing; this file translates its conventions (1/0/-1
 * returns and libpff_error_t chains) into the core's status codes and
 * messages once, at the boundary, and maps its items onto the core's folder,
 * summary and item structures. Before libpff sees a file we look at the
 * header ourselves, so that "not a PST at all", "truncated" and "in use by
 * another program" get their own clear messages instead of libpff's
 * backtraces. The file stays open with a shared lock while the store is
 * open, which keeps pstsync's own writers out as Outlook would.
 */
#include "pstsync/sys/store_backend.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "core/utf.h"
#include "core/util.h"
#include "pst/msg.h"

#include <libpff.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Property ids read by this backend ([MS-OXPROPS]). */
#define PID_MESSAGE_CLASS       0x001A
#define PID_SUBJECT             0x0037
#define PID_MESSAGE_FLAGS       0x0E07
#define PID_MESSAGE_SIZE        0x0E08
#define PID_RECORD_KEY          0x0FF9
#define PID_DISPLAY_NAME        0x3001
#define PID_LAST_MODIFIED       0x3008
#define PID_SEARCH_KEY          0x300B
#define PID_CONTENT_COUNT       0x3602
#define PID_CONTENT_UNREAD      0x3603
#define PID_SUBFOLDERS          0x360A
#define PID_CONTAINER_CLASS     0x3613
#define PID_IPM_SUBTREE_ENTRYID 0x35E0
#define PID_ATTACH_METHOD       0x3705
#define PID_CHANGE_KEY          0x65E2
#define PID_LTP_ROW_ID          0x67F2
#define PID_PST_PASSWORD        0x67FF

#define PST_HEADER_SIZE 564
/* Folders nest far less deeply in practice; the bound keeps a cyclic
 * or forged hierarchy from recursing without end. */
#define MAX_FOLDER_DEPTH 64
#define MAX_EMBED_DEPTH 16

struct pff_store {
	struct ps_store base;     /* first: the wrappers see this */
	libpff_file_t *file;
	ps_file *lock;            /* our own handle, holding the shared lock */
	int unicode;
	int ost;
	uint16_t ver;             /* wVer: 0x0E/0x0F ANSI, 0x17 Unicode, 0x24 4K pages */
	int encryption;
	uint64_t file_size;
	uint8_t record_key[16];
	int has_record_key;
	uint32_t ipm_subtree_nid;
	/* The store's name-to-id map read by our own code: libpff gives
	 * numeric names in PS_MAPI and PS_PUBLIC_STRINGS an all-zero GUID, which
	 * would lose their property set. NULL when it cannot be read; libpff's
	 * names are used then. */
	ps_ndb *ndb;
	ps_nameid_map *names;
};

/* Turn a libpff error into our message, naming the file, and free it. */
static int pff_fail(int code, libpff_error_t **err, const char *path, const char *what)
{
	char detail[512];
	char *p, *last;

	detail[0] = '\0';
	if (err && *err) {
		libpff_error_sprint(*err, detail, sizeof(detail));
		libpff_error_free(err);
	}
	/* libpff joins a backtrace with newlines: its last line is the root cause */
	for (p = detail + strlen(detail); p > detail && (p[-1] == '\n' || p[-1] == ' '); )
		*--p = '\0';
	last = strrchr(detail, '\n');
	last = last ? last + 1 : detail;
	if (last[0] >= 'A' && last[0] <= 'Z')
		last[0] = (char)(last[0] - 'A' + 'a');
	p = last + strlen(last);
	if (p > last && p[-1] == '.')
		p[-1] = '\0';
	if (last[0])
		return ps_error_set(code, "cannot %s '%s': %s", what, path, last);
	return ps_error_set(code, "cannot %s '%s'", what, path);
}

/*
 * Look at the header before libpff does. Only a 64-bit (Unicode) or 32-bit
 * (ANSI) PST/OST header passes; anything else is "not a PST file" with the
 * reason.
 */
static int check_header(struct pff_store *st, const char *path)
{
	uint8_t hdr[PST_HEADER_SIZE];
	uint64_t size;
	uint16_t ver;
	int rc;

	rc = ps_file_size(st->lock, &size);
	if (rc != PS_OK)
		return rc;
	st->file_size = size;
	if (size == 0)
		return ps_error_set(PS_ENOTPST, "cannot open '%s': the file is empty", path);
	if (size < 512) {
		rc = ps_file_read_at(st->lock, 0, hdr, (size_t)(size < 4 ? size : 4));
		if (rc != PS_OK)
			return rc;
		if (size >= 4 && memcmp(hdr, "!BDN", 4) == 0)
			return ps_error_set(PS_ECORRUPT, "cannot open '%s': the file is truncated "
				"(%llu bytes, shorter than a PST header)", path, (unsigned long long)size);
		return ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST or OST file "
			"(too short, %llu bytes)", path, (unsigned long long)size);
	}
	rc = ps_file_read_at(st->lock, 0, hdr, size < PST_HEADER_SIZE ? 512 : PST_HEADER_SIZE);
	if (rc != PS_OK)
		return rc;
	if (memcmp(hdr, "!BDN", 4) != 0)
		return ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST or OST file "
			"(no '!BDN' signature at its start)", path);
	if (hdr[8] == 'S' && hdr[9] == 'M')
		st->ost = 0;
	else if (hdr[8] == 'S' && hdr[9] == 'O')
		st->ost = 1;
	else if (hdr[8] == 'A' && hdr[9] == 'B')
		return ps_error_set(PS_EUNSUPPORTED, "cannot open '%s': it is a personal address "
			"book (PAB), not a PST file", path);
	else
		return ps_error_set(PS_ENOTPST, "cannot open '%s': not a PST or OST file "
			"(unknown client signature 0x%02x%02x)", path, hdr[9], hdr[8]);
	ver = ps__le16(hdr + 10);
	st->ver = ver;
	if (ver == 0x0E || ver == 0x0F)
		st->unicode = 0;
	else if (ver >= 0x15 && ver <= 0x24)
		st->unicode = 1;
	else
		return ps_error_set(PS_EUNSUPPORTED, "cannot open '%s': unknown PST format "
			"version 0x%04x", path, ver);
	/* bCryptMethod: offset 513 in Unicode headers, 461 in ANSI ones */
	if (st->unicode && size < PST_HEADER_SIZE)
		return ps_error_set(PS_ECORRUPT, "cannot open '%s': the file is truncated "
			"(%llu bytes, shorter than a PST header)", path, (unsigned long long)size);
	st->encryption = st->unicode ? hdr[513] : hdr[461];
	return PS_OK;
}

/* A record entry's raw value, malloc'ed; NULL with *size 0 for an empty value. */
static int entry_data(libpff_record_entry_t *entry, uint8_t **data, size_t *size)
{
	libpff_error_t *err = NULL;
	size_t n = 0;

	*data = NULL;
	*size = 0;
	if (libpff_record_entry_get_data_size(entry, &n, &err) != 1) {
		libpff_error_free(&err);
		return PS_EITEM;
	}
	if (n == 0)
		return PS_OK;
	*data = malloc(n);
	if (!*data)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (libpff_record_entry_get_data(entry, *data, n, &err) != 1) {
		libpff_error_free(&err);
		free(*data);
		*data = NULL;
		return PS_EITEM;
	}
	*size = n;
	return PS_OK;
}

/* Find an entry by property id in a record set (any value type); NULL if absent. */
static libpff_record_entry_t *find_entry(libpff_record_set_t *set, uint16_t id)
{
	libpff_record_entry_t *entry = NULL;
	libpff_error_t *err = NULL;

	if (libpff_record_set_get_entry_by_type(set, id, 0, &entry,
	    LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE | LIBPFF_ENTRY_VALUE_FLAG_IGNORE_NAME_TO_ID_MAP,
	    &err) != 1) {
		libpff_error_free(&err);
		return NULL;
	}
	return entry;
}

static int has_entry(libpff_record_set_t *set, uint16_t id)
{
	libpff_record_entry_t *entry = find_entry(set, id);

	if (!entry)
		return 0;
	libpff_record_entry_free(&entry, NULL);
	return 1;
}

/* The whole value of property @p id of a record set, malloc'ed. */
static int set_value(libpff_record_set_t *set, uint16_t id, uint32_t *type,
	uint8_t **data, size_t *size)
{
	libpff_record_entry_t *entry = find_entry(set, id);
	libpff_error_t *err = NULL;
	uint32_t vt = 0;
	int rc;

	*data = NULL;
	*size = 0;
	if (!entry)
		return PS_ENOTFOUND;
	if (libpff_record_entry_get_value_type(entry, &vt, &err) != 1)
		libpff_error_free(&err);
	if (type)
		*type = vt;
	rc = entry_data(entry, data, size);
	libpff_record_entry_free(&entry, NULL);
	return rc;
}

/* A string property of a record set as UTF-8 (malloc'ed), or NULL. */
static char *set_string(libpff_record_set_t *set, uint16_t id)
{
	ps_prop prop;
	uint32_t type = 0;
	char *text;

	memset(&prop, 0, sizeof(prop));
	if (set_value(set, id, &type, &prop.data, &prop.size) != PS_OK)
		return NULL;
	prop.tag = PS_PROP_TAG(id, type);
	text = ps_prop_to_utf8(&prop);
	free(prop.data);
	return text;
}

/* An integer property (16, 32 or 64 bit, boolean or time) or @p fallback. */
static int64_t set_int(libpff_record_set_t *set, uint16_t id, int64_t fallback)
{
	ps_prop prop;
	uint32_t type = 0;
	int64_t v;

	memset(&prop, 0, sizeof(prop));
	if (set_value(set, id, &type, &prop.data, &prop.size) != PS_OK)
		return fallback;
	prop.tag = PS_PROP_TAG(id, type);
	v = ps_prop_int(&prop, fallback);
	free(prop.data);
	return v;
}

/* The first record set of an item (its property context), or NULL. */
static libpff_record_set_t *item_props(libpff_item_t *item)
{
	libpff_record_set_t *set = NULL;
	libpff_error_t *err = NULL;

	if (libpff_item_get_record_set_by_index(item, 0, &set, &err) != 1) {
		libpff_error_free(&err);
		return NULL;
	}
	return set;
}

/*
 * libpff's own open: on Windows through the wide-character call with a full
 * path (libpff prefixes "\\?\", which takes neither "..", "/" nor ANSI
 * names), elsewhere as given. Returns libpff's 1 / -1, or 0 when out of memory.
 */
static int open_pff(libpff_file_t *file, const char *path, libpff_error_t **err)
{
#ifdef _WIN32
	char *full = NULL;
	uint8_t *wide;
	size_t size = 0;
	wchar_t *wpath;
	int rc;

	if (ps_path_absolute(path, &full) != PS_OK)
		return 0;
	wide = ps_utf8_to_utf16le(full, &size);
	free(full);
	if (!wide)
		return 0;
	/* UTF-16LE bytes are a wchar_t string on Windows */
	wpath = realloc(wide, size + sizeof(wchar_t));
	if (!wpath) {
		free(wide);
		return 0;
	}
	wpath[size / sizeof(wchar_t)] = 0;
	rc = libpff_file_open_wide(file, wpath, LIBPFF_OPEN_READ, err);
	free(wpath);
	return rc;
#else
	return libpff_file_open(file, path, LIBPFF_OPEN_READ, err);
#endif
}

/* 1 when @p nid is a folder of the store. */
static int is_folder(struct pff_store *st, uint32_t nid)
{
	libpff_item_t *item = NULL;
	uint8_t type = 0;
	int yes;

	if ((nid & 0x1F) != 0x02 || libpff_file_get_item_by_identifier(st->file, nid, &item, NULL) != 1
	    || !item)
		return 0;
	yes = libpff_item_get_type(item, &type, NULL) == 1 && type == LIBPFF_ITEM_TYPE_FOLDER;
	libpff_item_free(&item, NULL);
	return yes;
}

/* How many subfolders of @p folder hold items of Outlook's kinds (class IPF.*). */
static int ipm_children(libpff_item_t *folder)
{
	int n = 0, i, score = 0;

	if (libpff_folder_get_number_of_sub_folders(folder, &n, NULL) != 1)
		return 0;
	for (i = 0; i < n; i++) {
		libpff_item_t *sub = NULL;
		libpff_record_set_t *set;
		char *cls;
		if (libpff_folder_get_sub_folder(folder, i, &sub, NULL) != 1 || !sub)
			continue;
		set = item_props(sub);
		cls = set ? set_string(set, PID_CONTAINER_CLASS) : NULL;
		if (cls && strncmp(cls, "IPF.", 4) == 0)
			score++;
		free(cls);
		if (set)
			libpff_record_set_free(&set, NULL);
		libpff_item_free(&sub, NULL);
	}
	return score;
}

/*
 * The IPM subtree when the message store does not name it by NID (an OST,
 * whose entry ID is Exchange's long-term id): the folder below the root
 * folder that holds Outlook's folders ("Top of Information Store"), beside
 * the search root, views, shortcuts and schedule folders that hold none.
 * A PST's NID_IPM_SUBTREE (0x8022) when there is nothing to choose from.
 */
static uint32_t find_ipm_subtree(struct pff_store *st)
{
	libpff_item_t *root = NULL;
	uint32_t best = 0;
	int n = 0, i, best_score = 0;

	if (libpff_file_get_root_folder(st->file, &root, NULL) == 1 && root
	    && libpff_folder_get_number_of_sub_folders(root, &n, NULL) == 1) {
		for (i = 0; i < n; i++) {
			libpff_item_t *sub = NULL;
			uint32_t nid = 0;
			int score;
			if (libpff_folder_get_sub_folder(root, i, &sub, NULL) != 1 || !sub)
				continue;
			libpff_item_get_identifier(sub, &nid, NULL);
			score = ipm_children(sub);
			if (score > best_score) {
				best_score = score;
				best = nid;
			}
			libpff_item_free(&sub, NULL);
		}
	}
	if (root)
		libpff_item_free(&root, NULL);
	if (best)
		return best;
	return is_folder(st, 0x8022) ? 0x8022 : 0x122;
}

static int pff_open(struct ps_store **out, const char *path, unsigned flags)
{
	struct pff_store *st;
	libpff_error_t *err = NULL;
	libpff_item_t *ms = NULL;
	libpff_record_set_t *set = NULL;
	uint8_t *data = NULL;
	size_t size = 0;
	int rc;

	(void)flags;
	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return ps_error_set(PS_ENOMEM, "out of memory opening '%s'", path);
	rc = ps_file_open(&st->lock, path, PS_OPEN_READ | PS_OPEN_LOCK_SHARED);
	if (rc != PS_OK)
		goto cleanup;
	rc = check_header(st, path);
	if (rc != PS_OK)
		goto cleanup;
	if (libpff_file_initialize(&st->file, &err) != 1) {
		rc = pff_fail(PS_ENOMEM, &err, path, "open");
		goto cleanup;
	}
	rc = open_pff(st->file, path, &err);
	if (rc != 1 && st->ver == 0x24) {
		/* the 4K-page format of Outlook 2013 and later, as far as libpff reads it */
		libpff_error_free(&err);
		rc = ps_error_set(PS_EUNSUPPORTED, "cannot open '%s': it is in the 4K-page format of "
			"Outlook 2013 and later, which libpff %s does not read", path, LIBPFF_VERSION_STRING);
		libpff_file_free(&st->file, NULL);
		goto cleanup;
	}
	if (rc != 1) {
		rc = rc == 0 ? PS_ENOMEM : pff_fail(PS_ECORRUPT, &err, path, "open");
		libpff_file_free(&st->file, NULL);
		goto cleanup;
	}
	if (libpff_file_get_message_store(st->file, &ms, &err) != 1 || !ms) {
		rc = pff_fail(PS_ECORRUPT, &err, path, "open");
		rc = ps_error_set(PS_ECORRUPT, "cannot open '%s': its message store is damaged", path);
		goto cleanup;
	}
	set = item_props(ms);
	if (!set) {
		rc = ps_error_set(PS_ECORRUPT, "cannot open '%s': its message store is damaged", path);
		goto cleanup;
	}
	if (set_value(set, PID_RECORD_KEY, NULL, &data, &size) == PS_OK && size == 16) {
		memcpy(st->record_key, data, 16);
		st->has_record_key = 1;
	}
	free(data);
	data = NULL;
	/* A PST's entry ID is 4 flag bytes, the store's provider UID (its
	 * record key) and the NID; an OST's is longer, with the NID in the same
	 * place or none at all */
	st->ipm_subtree_nid = 0;
	if (set_value(set, PID_IPM_SUBTREE_ENTRYID, NULL, &data, &size) == PS_OK && size >= 24
	    && is_folder(st, ps__le32(data + 20)))
		st->ipm_subtree_nid = ps__le32(data + 20);
	free(data);
	data = NULL;
	if (!st->ipm_subtree_nid)
		st->ipm_subtree_nid = find_ipm_subtree(st);
	/* our own reader for what libpff does not give (names' property sets,
	 * cells as stored); not for the 4K-page format it does not read */
	if (st->ver != 0x24 && ps_ndb_open(&st->ndb, path, PS_NDB_OPEN_LENIENT | PS_NDB_OPEN_OST) == PS_OK
	    && ps_nameid_load(&st->names, st->ndb) != PS_OK) {
		st->names = NULL;
		ps_error_clear();
	}
	*out = &st->base;
	rc = PS_OK;
cleanup:
	if (set)
		libpff_record_set_free(&set, NULL);
	if (ms)
		libpff_item_free(&ms, NULL);
	if (rc != PS_OK) {
		if (st->file) {
			libpff_file_close(st->file, NULL);
			libpff_file_free(&st->file, NULL);
		}
		ps_file_close(st->lock);
		free(st);
	}
	return rc;
}

static void pff_close(struct ps_store *store)
{
	struct pff_store *st = (struct pff_store *)store;

	ps_nameid_free(st->names);
	ps_ndb_close(st->ndb);
	if (st->file) {
		libpff_file_close(st->file, NULL);
		libpff_file_free(&st->file, NULL);
	}
	ps_file_close(st->lock);
	free(st);
}

static int pff_get_info(struct ps_store *store, ps_store_info *info)
{
	struct pff_store *st = (struct pff_store *)store;
	libpff_error_t *err = NULL;
	libpff_item_t *ms = NULL;
	libpff_record_set_t *set = NULL;
	int rc = PS_OK;

	info->unicode = st->unicode;
	info->ost = st->ost;
	info->encryption = st->encryption;
	info->file_size = st->file_size;
	memcpy(info->record_key, st->record_key, 16);
	info->has_record_key = st->has_record_key;
	info->ipm_subtree_nid = st->ipm_subtree_nid;
	if (libpff_file_get_message_store(st->file, &ms, &err) != 1 || !ms)
		return pff_fail(PS_ECORRUPT, &err, store->path, "read the message store of");
	set = item_props(ms);
	if (set) {
		info->display_name = set_string(set, PID_DISPLAY_NAME);
		info->password_protected = set_int(set, PID_PST_PASSWORD, 0) != 0;
		libpff_record_set_free(&set, NULL);
	}
	if (!info->display_name)
		info->display_name = ps__strdup("");
	if (!info->display_name)
		rc = ps_error_set(PS_ENOMEM, "out of memory");
	libpff_item_free(&ms, NULL);
	return rc;
}

struct walk {
	struct pff_store *st;
	ps_folder_cb cb;
	void *ctx;
	uint32_t *seen;       /* NIDs on the current path, against cycles */
};

static int walk_subfolders(struct walk *w, libpff_item_t *folder, uint32_t nid,
	const char *path, int subs, int depth);

static int walk_folder(struct walk *w, libpff_item_t *folder, uint32_t parent_nid,
	const char *path, int depth)
{
	ps_folder_info info;
	libpff_error_t *err = NULL;
	libpff_record_set_t *set;
	char *name = NULL, *cls = NULL;
	uint32_t nid = 0;
	int count = 0, subs = 0, i, rc = PS_OK;

	memset(&info, 0, sizeof(info));
	if (libpff_item_get_identifier(folder, &nid, &err) != 1)
		return pff_fail(PS_EFOLDER, &err, w->st->base.path, "read a folder of");
	for (i = 0; i < depth; i++) {
		if (w->seen[i] == nid) {
			ps_store__warn(&w->st->base, "'%s': folder %s appears inside itself; "
				"its subfolders are skipped", w->st->base.path, path);
			return PS_OK;
		}
	}
	w->seen[depth] = nid;
	set = item_props(folder);
	if (set) {
		name = set_string(set, PID_DISPLAY_NAME);
		cls = set_string(set, PID_CONTAINER_CLASS);
		info.unread_count = (uint32_t)set_int(set, PID_CONTENT_UNREAD, 0);
		libpff_record_set_free(&set, NULL);
	} else {
		info.damaged = 1;
	}
	if (libpff_folder_get_number_of_sub_messages(folder, &count, &err) != 1) {
		libpff_error_free(&err);
		ps_store__warn(&w->st->base, "'%s': the item list of folder '%s' is damaged; "
			"its items are skipped", w->st->base.path, path);
		info.damaged = 1;
		count = 0;
	}
	if (libpff_folder_get_number_of_sub_folders(folder, &subs, &err) != 1) {
		libpff_error_free(&err);
		ps_store__warn(&w->st->base, "'%s': the subfolder list of folder '%s' is damaged; "
			"its subfolders are skipped", w->st->base.path, path);
		info.damaged = 1;
		subs = 0;
	}
	info.nid = nid;
	info.parent_nid = parent_nid;
	info.path = path;
	info.name = name ? name : "";
	info.container_class = cls ? cls : "";
	info.item_count = (uint32_t)count;
	info.subfolder_count = (uint32_t)subs;
	info.depth = depth;
	rc = w->cb(&info, w->ctx);
	free(name);
	free(cls);
	if (rc != 0)
		return rc;
	if (depth + 1 >= MAX_FOLDER_DEPTH) {
		if (subs > 0)
			ps_store__warn(&w->st->base, "'%s': folders below '%s' nest deeper than %d "
				"levels and are skipped", w->st->base.path, path, MAX_FOLDER_DEPTH);
		return PS_OK;
	}
	rc = walk_subfolders(w, folder, nid, path, subs, depth);
	return rc;
}

/*
 * Sibling folders with the same name (Outlook forbids them, other tools make
 * them) would share a path; the later ones get their NID added, " (0x8062)",
 * so that every path names one folder.
 */
static int walk_subfolders(struct walk *w, libpff_item_t *folder, uint32_t nid,
	const char *path, int subs, int depth)
{
	libpff_error_t *err = NULL;
	libpff_item_t **items;
	char **names;
	uint32_t *nids;
	int i, j, rc = PS_OK;

	items = calloc((size_t)subs, sizeof(*items));
	names = calloc((size_t)subs, sizeof(*names));
	nids = calloc((size_t)subs, sizeof(*nids));
	if (!items || !names || !nids) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < subs; i++) {
		libpff_record_set_t *subset;

		if (libpff_folder_get_sub_folder(folder, i, &items[i], &err) != 1 || !items[i]) {
			libpff_error_free(&err);
			items[i] = NULL;
			ps_store__warn(&w->st->base, "'%s': subfolder %d of '%s' is damaged and "
				"skipped", w->st->base.path, i + 1, path);
			continue;
		}
		libpff_item_get_identifier(items[i], &nids[i], NULL);
		subset = item_props(items[i]);
		if (subset) {
			names[i] = set_string(subset, PID_DISPLAY_NAME);
			libpff_record_set_free(&subset, NULL);
		}
		if (!names[i])
			names[i] = ps__asprintf("folder-0x%x", nids[i]);
		if (!names[i]) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (i = 0; i < subs && rc == 0; i++) {
		char *subpath;
		int duplicate = 0;

		if (!items[i])
			continue;
		for (j = 0; j < i; j++)
			if (items[j] && strcmp(names[j], names[i]) == 0)
				duplicate = 1;
		subpath = ps_store__child_path(path, names[i], duplicate, nids[i]);
		if (!subpath)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
		else
			rc = walk_folder(w, items[i], nid, subpath, depth + 1);
		free(subpath);
		if (rc == PS_EFOLDER) {
			ps_store__warn(&w->st->base, "%s", ps_error_last());
			rc = PS_OK;
		}
	}
cleanup:
	for (i = 0; items && i < subs; i++) {
		if (items[i])
			libpff_item_free(&items[i], NULL);
		if (names)
			free(names[i]);
	}
	free(items);
	free(names);
	free(nids);
	return rc;
}

static int pff_walk_folders(struct ps_store *store, ps_folder_cb cb, void *ctx)
{
	struct pff_store *st = (struct pff_store *)store;
	libpff_error_t *err = NULL;
	libpff_item_t *root = NULL;
	uint32_t seen[MAX_FOLDER_DEPTH];
	struct walk w;
	int rc;

	if (libpff_file_get_item_by_identifier(st->file, st->ipm_subtree_nid, &root, &err) != 1
	    || !root)
		return pff_fail(PS_ECORRUPT, &err, store->path, "find the top folder of");
	w.st = st;
	w.cb = cb;
	w.ctx = ctx;
	w.seen = seen;
	rc = walk_folder(&w, root, 0, "/", 0);
	libpff_item_free(&root, NULL);
	return rc;
}

static int get_folder(struct pff_store *st, uint32_t nid, libpff_item_t **out);
static void summary_from_set(libpff_record_set_t *set, ps_item_summary *sum,
	char **cls, char **subject, uint8_t **search_key, uint8_t **change_key);

/* The folder-associated items of a folder, each from its own properties. */
static int pff_list_assoc_items(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb,
	void *ctx)
{
	struct pff_store *st = (struct pff_store *)store;
	libpff_error_t *err = NULL;
	libpff_item_t *folder = NULL;
	int count = 0, i, rc;

	rc = get_folder(st, folder_nid, &folder);
	if (rc != PS_OK)
		return rc;
	if (libpff_folder_get_number_of_sub_associated_contents(folder, &count, &err) != 1) {
		libpff_error_free(&err);
		count = 0;
	}
	for (i = 0; i < count && rc == 0; i++) {
		ps_item_summary sum;
		libpff_record_set_t *set;
		libpff_item_t *msg = NULL;
		char *cls = NULL, *subject = NULL;
		uint8_t *search_key = NULL, *change_key = NULL;
		uint32_t nid = 0;

		memset(&sum, 0, sizeof(sum));
		if (libpff_folder_get_sub_associated_content(folder, i, &msg, &err) != 1 || !msg) {
			libpff_error_free(&err);
			ps_store__warn(store, "'%s': hidden item %d of folder 0x%x is damaged and skipped",
				store->path, i + 1, folder_nid);
			continue;
		}
		libpff_item_get_identifier(msg, &nid, NULL);
		set = item_props(msg);
		if (!set) {
			ps_store__warn(store, "'%s': item 0x%x is damaged and skipped", store->path, nid);
			libpff_item_free(&msg, NULL);
			continue;
		}
		summary_from_set(set, &sum, &cls, &subject, &search_key, &change_key);
		libpff_record_set_free(&set, NULL);
		libpff_item_free(&msg, NULL);
		rc = ps_store__emit_item(&sum, st->record_key, nid, cls, subject, search_key,
			change_key, cb, ctx);
	}
	libpff_item_free(&folder, NULL);
	return rc;
}

/* The folder item for @p nid, checking that it is one. */
static int get_folder(struct pff_store *st, uint32_t nid, libpff_item_t **out)
{
	libpff_error_t *err = NULL;
	uint8_t type = 0;

	*out = NULL;
	if (libpff_file_get_item_by_identifier(st->file, nid, out, &err) != 1 || !*out) {
		libpff_error_free(&err);
		return ps_error_set(PS_ENOTFOUND, "no folder 0x%x in '%s'", nid, st->base.path);
	}
	if (libpff_item_get_type(*out, &type, &err) != 1 || type != LIBPFF_ITEM_TYPE_FOLDER) {
		libpff_error_free(&err);
		libpff_item_free(out, NULL);
		return ps_error_set(PS_ENOTFOUND, "0x%x is not a folder in '%s'", nid, st->base.path);
	}
	return PS_OK;
}

/* Fill a summary from a row (or an item's property set); strings are malloc'ed. */
static void summary_from_set(libpff_record_set_t *set, ps_item_summary *sum,
	char **cls, char **subject, uint8_t **search_key, uint8_t **change_key)
{
	size_t n;

	*cls = set_string(set, PID_MESSAGE_CLASS);
	*subject = set_string(set, PID_SUBJECT);
	/* A subject may start with 0x01 and a character giving the length of its
	 * prefix ("RE: "); the marker is no part of what Outlook shows. */
	if (*subject && (*subject)[0] == 0x01 && (*subject)[1] != '\0')
		memmove(*subject, *subject + 2, strlen(*subject + 2) + 1);
	if (!*subject)
		*subject = set_string(set, PID_DISPLAY_NAME);
	sum->modified = (uint64_t)set_int(set, PID_LAST_MODIFIED, 0);
	sum->size = (uint64_t)set_int(set, PID_MESSAGE_SIZE, 0);
	sum->flags = (uint32_t)set_int(set, PID_MESSAGE_FLAGS, 0);
	if (set_value(set, PID_SEARCH_KEY, NULL, search_key, &n) == PS_OK)
		sum->search_key_size = n;
	if (set_value(set, PID_CHANGE_KEY, NULL, change_key, &n) == PS_OK)
		sum->change_key_size = n;
}

static int pff_list_items(struct ps_store *store, uint32_t folder_nid, ps_item_cb cb, void *ctx)
{
	struct pff_store *st = (struct pff_store *)store;
	libpff_error_t *err = NULL;
	libpff_item_t *folder = NULL, *table = NULL;
	int rows = 0, count = 0, i, rc;

	rc = get_folder(st, folder_nid, &folder);
	if (rc != PS_OK)
		return rc;
	if (libpff_folder_get_number_of_sub_messages(folder, &count, &err) != 1) {
		rc = pff_fail(PS_EFOLDER, &err, store->path, "list the items of a folder of");
		goto cleanup;
	}
	if (count == 0)
		goto cleanup;
	/* The contents table: one record set a row, with the columns Outlook keeps */
	if (libpff_folder_get_sub_messages(folder, &table, &err) != 1 || !table
	    || libpff_item_get_number_of_record_sets(table, &rows, &err) != 1) {
		libpff_error_free(&err);
		rows = 0;
	}
	for (i = 0; i < count && rc == 0; i++) {
		ps_item_summary sum;
		libpff_record_set_t *row = NULL;
		libpff_item_t *msg = NULL;
		char *cls = NULL, *subject = NULL;
		uint8_t *search_key = NULL, *change_key = NULL;
		uint32_t nid = 0;

		memset(&sum, 0, sizeof(sum));
		if (i < rows && libpff_item_get_record_set_by_index(table, i, &row, &err) == 1 && row) {
			nid = (uint32_t)set_int(row, PID_LTP_ROW_ID, 0);
		} else {
			libpff_error_free(&err);
		}
		/*
		 * A row that lacks the class or the modification time (tables written by
		 * tools other than Outlook) is completed from the message itself.
		 */
		if (!row || nid == 0 || !has_entry(row, PID_MESSAGE_CLASS)
		    || !has_entry(row, PID_LAST_MODIFIED)) {
			libpff_record_set_t *mset;
			if (row)
				libpff_record_set_free(&row, NULL);
			if ((nid == 0 || libpff_file_get_item_by_identifier(st->file, nid, &msg, &err) != 1)
			    && libpff_folder_get_sub_message(folder, i, &msg, &err) != 1) {
				msg = NULL;
			}
			if (!msg) {
				libpff_error_free(&err);
				ps_store__warn(store, "'%s': item %d of folder 0x%x is damaged and skipped",
					store->path, i + 1, folder_nid);
				continue;
			}
			libpff_item_get_identifier(msg, &nid, NULL);
			mset = item_props(msg);
			if (!mset) {
				ps_store__warn(store, "'%s': item 0x%x is damaged and skipped",
					store->path, nid);
				libpff_item_free(&msg, NULL);
				continue;
			}
			row = mset;
		}
		summary_from_set(row, &sum, &cls, &subject, &search_key, &change_key);
		libpff_record_set_free(&row, NULL);
		if (msg)
			libpff_item_free(&msg, NULL);
		rc = ps_store__emit_item(&sum, st->record_key, nid, cls, subject, search_key,
			change_key, cb, ctx);
	}
cleanup:
	if (table)
		libpff_item_free(&table, NULL);
	libpff_item_free(&folder, NULL);
	return rc;
}

/* Every entry of a record set as properties, named ones with their names. */
static int read_propset(struct pff_store *st, libpff_record_set_t *set, ps_propset *out,
	unsigned *damaged)
{
	libpff_error_t *err = NULL;
	int n = 0, i, rc = PS_OK;
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	if (libpff_record_set_get_number_of_entries(set, &n, &err) != 1) {
		libpff_error_free(&err);
		(*damaged)++;
		return PS_OK;
	}
	if (n <= 0)
		return PS_OK;
	out->props = calloc((size_t)n, sizeof(ps_prop));
	if (!out->props)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		libpff_record_entry_t *entry = NULL;
		libpff_name_to_id_map_entry_t *map = NULL;
		const ps_prop_name *known = NULL;
		uint32_t id = 0, type = 0;
		ps_prop *prop = &out->props[k];

		if (libpff_record_set_get_entry_by_index(set, i, &entry, &err) != 1 || !entry
		    || libpff_record_entry_get_entry_type(entry, &id, &err) != 1
		    || libpff_record_entry_get_value_type(entry, &type, &err) != 1) {
			libpff_error_free(&err);
			if (entry)
				libpff_record_entry_free(&entry, NULL);
			(*damaged)++;
			continue;
		}
		prop->tag = PS_PROP_TAG(id, type);
		rc = entry_data(entry, &prop->data, &prop->size);
		if (rc == PS_EITEM) {
			(*damaged)++;
			rc = PS_OK;
			libpff_record_entry_free(&entry, NULL);
			continue;
		}
		if (rc == PS_OK && id >= 0x8000 && st->names
		    && (known = ps_nameid_name(st->names, (uint16_t)id)) != NULL) {
			prop->named = *known;
			prop->named.name = NULL;
			if (known->kind == PS_NAME_STRING && known->name
			    && !(prop->named.name = ps__strdup(known->name)))
				rc = ps_error_set(PS_ENOMEM, "out of memory");
		} else if (rc == PS_OK && id >= 0x8000
		    && libpff_record_entry_get_name_to_id_map_entry(entry, &map, &err) == 1 && map) {
			uint8_t kind = 0;
			libpff_name_to_id_map_entry_get_type(map, &kind, NULL);
			libpff_name_to_id_map_entry_get_guid(map, prop->named.guid.bytes, 16, NULL);
			if (kind == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC) {
				prop->named.kind = PS_NAME_ID;
				libpff_name_to_id_map_entry_get_number(map, &prop->named.lid, NULL);
			} else {
				size_t len = 0;
				prop->named.kind = PS_NAME_STRING;
				if (libpff_name_to_id_map_entry_get_utf8_string_size(map, &len, NULL) == 1
				    && len > 0) {
					prop->named.name = malloc(len);
					if (!prop->named.name)
						rc = ps_error_set(PS_ENOMEM, "out of memory");
					else if (libpff_name_to_id_map_entry_get_utf8_string(map,
						(uint8_t *)prop->named.name, len, NULL) != 1)
						prop->named.name[0] = '\0';
				}
			}
		} else {
			libpff_error_free(&err);
		}
		libpff_record_entry_free(&entry, NULL);
		if (rc != PS_OK)
			break;
		k++;
	}
	out->count = k;
	return rc;
}

static int read_message(struct pff_store *st, libpff_item_t *msg, ps_item **out, int depth);

static int read_attachments(struct pff_store *st, libpff_item_t *msg, ps_item *item, int depth)
{
	libpff_error_t *err = NULL;
	int n = 0, i, rc = PS_OK;

	if (libpff_message_get_number_of_attachments(msg, &n, &err) != 1) {
		libpff_error_free(&err);
		item->damaged++;
		return PS_OK;
	}
	if (n <= 0)
		return PS_OK;
	item->attachments = calloc((size_t)n, sizeof(ps_attachment));
	if (!item->attachments)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < n && rc == PS_OK; i++) {
		ps_attachment *att = &item->attachments[item->attachment_count];
		libpff_item_t *ai = NULL;
		libpff_record_set_t *set;
		int type = 0;

		if (libpff_message_get_attachment(msg, i, &ai, &err) != 1 || !ai) {
			libpff_error_free(&err);
			item->damaged++;
			continue;
		}
		set = item_props(ai);
		if (set) {
			rc = read_propset(st, set, &att->props, &item->damaged);
			att->kind = (int)ps_prop_int(ps_propset_find_id(&att->props, PID_ATTACH_METHOD), 0);
			libpff_record_set_free(&set, NULL);
		} else {
			item->damaged++;
		}
		if (rc == PS_OK && libpff_attachment_get_type(ai, &type, NULL) == 1
		    && type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
			libpff_item_t *embedded = NULL;
			if (depth + 1 >= MAX_EMBED_DEPTH) {
				item->damaged++;
			} else if (libpff_attachment_get_item(ai, &embedded, &err) == 1 && embedded) {
				rc = read_message(st, embedded, &att->embedded, depth + 1);
				if (rc == PS_EITEM) {
					item->damaged++;
					rc = PS_OK;
				}
				libpff_item_free(&embedded, NULL);
			} else {
				libpff_error_free(&err);
				item->damaged++;
			}
		}
		libpff_item_free(&ai, NULL);
		item->attachment_count++;
	}
	return rc;
}

static int read_recipients(struct pff_store *st, libpff_item_t *msg, ps_item *item)
{
	libpff_error_t *err = NULL;
	libpff_item_t *recips = NULL;
	int n = 0, i, rc = PS_OK;

	if (libpff_message_get_recipients(msg, &recips, &err) != 1 || !recips) {
		libpff_error_free(&err);
		return PS_OK;
	}
	if (libpff_item_get_number_of_record_sets(recips, &n, &err) != 1) {
		libpff_error_free(&err);
		item->damaged++;
		n = 0;
	}
	if (n > 0) {
		item->recipients = calloc((size_t)n, sizeof(ps_propset));
		if (!item->recipients)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
	}
	for (i = 0; i < n && rc == PS_OK; i++) {
		libpff_record_set_t *set = NULL;

		if (libpff_item_get_record_set_by_index(recips, i, &set, &err) != 1 || !set) {
			libpff_error_free(&err);
			item->damaged++;
			continue;
		}
		rc = read_propset(st, set, &item->recipients[item->recipient_count++], &item->damaged);
		libpff_record_set_free(&set, NULL);
	}
	libpff_item_free(&recips, NULL);
	return rc;
}

static int read_message(struct pff_store *st, libpff_item_t *msg, ps_item **out, int depth)
{
	libpff_record_set_t *set;
	ps_item *item;
	int rc;

	*out = NULL;
	item = calloc(1, sizeof(*item));
	if (!item)
		return ps_error_set(PS_ENOMEM, "out of memory");
	libpff_item_get_identifier(msg, &item->nid, NULL);
	set = item_props(msg);
	if (!set) {
		rc = ps_error_set(PS_EITEM, "cannot read item 0x%x of '%s': its properties "
			"are damaged", item->nid, st->base.path);
		ps_item_free(item);
		return rc;
	}
	rc = read_propset(st, set, &item->props, &item->damaged);
	libpff_record_set_free(&set, NULL);
	if (rc == PS_OK)
		rc = read_recipients(st, msg, item);
	if (rc == PS_OK)
		rc = read_attachments(st, msg, item, depth);
	if (rc != PS_OK) {
		ps_item_free(item);
		return rc;
	}
	*out = item;
	return PS_OK;
}

static int pff_read_item(struct ps_store *store, uint32_t nid, ps_item **out)
{
	struct pff_store *st = (struct pff_store *)store;
	libpff_error_t *err = NULL;
	libpff_item_t *msg = NULL;
	uint8_t type = 0;
	int rc;

	if (libpff_file_get_item_by_identifier(st->file, nid, &msg, &err) != 1 || !msg) {
		libpff_error_free(&err);
		return ps_error_set(PS_ENOTFOUND, "no item 0x%x in '%s'", nid, store->path);
	}
	if (libpff_item_get_type(msg, &type, &err) != 1) {
		libpff_error_free(&err);
		type = LIBPFF_ITEM_TYPE_UNDEFINED;
	}
	if (type == LIBPFF_ITEM_TYPE_FOLDER) {
		libpff_item_free(&msg, NULL);
		return ps_error_set(PS_EINVAL, "0x%x in '%s' is a folder, not an item", nid, store->path);
	}
	/* Messages are NIDs of type NORMAL_MESSAGE (0x04) or ASSOC_MESSAGE (0x08) */
	if ((nid & 0x1F) != 0x04 && (nid & 0x1F) != 0x08) {
		libpff_item_free(&msg, NULL);
		return ps_error_set(PS_ENOTFOUND, "0x%x in '%s' is not an item", nid, store->path);
	}
	rc = read_message(st, msg, out, 0);
	libpff_item_free(&msg, NULL);
	if (rc == PS_OK)
		(*out)->assoc = (nid & 0x1F) == 0x08;
	/* libpff refuses a whole item for one property it cannot read (type
	 * 0x0000, written by Aspose); our own reader reads the rest, and the
	 * writer leaves the bad property out with a warning */
	if (rc == PS_EITEM && st->ndb && st->names) {
		char *why = ps__strdup(ps_error_last());
		rc = ps_msg_read(st->ndb, st->names, nid, store->path, out);
		if (rc == PS_OK)
			(*out)->assoc = (nid & 0x1F) == 0x08;
		if (rc != PS_OK && why)
			ps_error_set(rc, "%s", why);
		free(why);
		return rc;
	}
	/* libpff fills every column of a recipient row; keep only stored cells */
	if (rc == PS_OK && st->ndb && st->names &&
	    (rc = ps_msg_exact_recipients(st->ndb, st->names, nid, *out)) != PS_OK) {
		ps_item_free(*out);
		*out = NULL;
	}
	return rc;
}

const struct ps_store_ops ps_store_pff_ops = {
	.name = "pff",
	.open = pff_open,
	.close = pff_close,
	.get_info = pff_get_info,
	.walk_folders = pff_walk_folders,
	.list_items = pff_list_items,
	.read_item = pff_read_item,
	.list_assoc_items = pff_list_assoc_items,
};
