/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the PST backend on our own code (src/pst/store_pst.c): its reads
 * agree with the libpff backend on every sample; stores it creates pass our
 * check and open in libpff and in the Debian tools; every sample copied
 * into a new store reads back the same through libpff; items added,
 * replaced and deleted in place in copies of Outlook's samples; 10,000
 * items in one transaction; and processes killed in the middle of a commit.
 */
#include "harness.h"

#include "core/util.h"
#include "pst/msg.h"
#include "pst/store_pst.h"
#include "pstsync/check.h"
#include "pstsync/os.h"
#include "pstsync/store.h"
#include "pstsync/sys/store_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

/* ---- helpers ------------------------------------------------------------- */

/* Open @p path read-only through our backend (ps_store_open() gives libpff). */
static ps_store *open_pst(const char *path)
{
	struct ps_store *s = NULL;

	CHECK_OK(ps_store_pst_ops.open(&s, path, PS_STORE_READ));
	s->ops = &ps_store_pst_ops;
	s->path = malloc(strlen(path) + 1);
	CHECK(s->path);
	strcpy(s->path, path);
	return s;
}

struct folder_rec {
	uint32_t nid, parent, items, unread, subs;
	int depth;
	char path[512], name[256], cls[128];
};

struct folders {
	struct folder_rec *f;
	size_t n, cap;
};

static int collect_folder(const ps_folder_info *fi, void *ctx)
{
	struct folders *fs = ctx;
	struct folder_rec *r;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->f = realloc(fs->f, fs->cap * sizeof(*fs->f));
		CHECK(fs->f);
	}
	r = &fs->f[fs->n++];
	memset(r, 0, sizeof(*r));
	r->nid = fi->nid;
	r->parent = fi->parent_nid;
	r->items = fi->item_count;
	r->unread = fi->unread_count;
	r->subs = fi->subfolder_count;
	r->depth = fi->depth;
	snprintf(r->path, sizeof(r->path), "%s", fi->path);
	snprintf(r->name, sizeof(r->name), "%s", fi->name);
	snprintf(r->cls, sizeof(r->cls), "%s", fi->container_class);
	return 0;
}

static void get_folders(ps_store *s, struct folders *fs)
{
	memset(fs, 0, sizeof(*fs));
	CHECK_OK(ps_store_walk_folders(s, collect_folder, fs));
}

struct sum_rec {
	uint32_t nid, flags;
	uint64_t modified, size;
	char cls[128], subject[256];
	uint8_t sk[64], ck[64];
	size_t nsk, nck;
};

struct sums {
	struct sum_rec *r;
	size_t n, cap;
};

static int collect_sum(const ps_item_summary *s, void *ctx)
{
	struct sums *ss = ctx;
	struct sum_rec *r;

	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 16;
		ss->r = realloc(ss->r, ss->cap * sizeof(*ss->r));
		CHECK(ss->r);
	}
	r = &ss->r[ss->n++];
	memset(r, 0, sizeof(*r));
	r->nid = s->nid;
	r->flags = s->flags;
	r->modified = s->modified;
	r->size = s->size;
	snprintf(r->cls, sizeof(r->cls), "%s", s->message_class);
	snprintf(r->subject, sizeof(r->subject), "%s", s->subject);
	r->nsk = s->search_key_size < 64 ? s->search_key_size : 64;
	r->nck = s->change_key_size < 64 ? s->change_key_size : 64;
	if (s->search_key)
		memcpy(r->sk, s->search_key, r->nsk);
	if (s->change_key)
		memcpy(r->ck, s->change_key, r->nck);
	return 0;
}

static void get_sums(ps_store *s, uint32_t folder, struct sums *ss)
{
	memset(ss, 0, sizeof(*ss));
	CHECK_OK(ps_store_list_items(s, folder, collect_sum, ss));
}

/* Properties a store computes for itself, left out when comparing a copy. */
static int store_specific(uint32_t tag)
{
	switch (PS_PROP_ID(tag)) {
	case PS_PID_LTP_ROW_ID:
	case PS_PID_LTP_ROW_VER:
	case PS_PID_MESSAGE_SIZE:
	case PS_PID_ATTACH_SIZE:
	case 0x0E34:    /* PidTagReplVersionhistory: names the source store */
		return 1;
	default:
		return PS_PROP_TYPE(tag) == PS_PT_OBJECT || PS_PROP_TYPE(tag) == 0;
	}
}

/*
 * libpff leaves the GUID of numeric names in PS_MAPI and PS_PUBLIC_STRINGS
 * (wGuid 1 and 2 of [MS-PST] 2.4.7.1) all zero; it sets PS_PUBLIC_STRINGS
 * for string names only. Our reader gives the property set the spec names.
 */
static int libpff_guid_quirk(const ps_prop_name *pff, const ps_prop_name *pst)
{
	static const uint8_t zero[16];

	return pff->kind == PS_NAME_ID && pst->kind == PS_NAME_ID && pff->lid == pst->lid &&
		memcmp(pff->guid.bytes, zero, 16) == 0 &&
		(memcmp(&pst->guid, &ps_guid_ps_mapi, 16) == 0 ||
		 memcmp(&pst->guid, &ps_guid_public_strings, 16) == 0);
}

/* Compare two property sets; @p copy leaves out store-specific properties
 * and compares named properties by name rather than by id. */
/* Same type, or both strings: the writer stores 8-bit strings a table
 * shows as PT_UNICODE (subject, class, file name...) as PT_UNICODE. */
static int same_type(uint32_t a, uint32_t b)
{
	uint16_t x = PS_PROP_TYPE(a), y = PS_PROP_TYPE(b);

	return x == y || ((x == PS_PT_STRING8 || x == PS_PT_UNICODE) &&
		(y == PS_PT_STRING8 || y == PS_PT_UNICODE));
}

static int same_text(const ps_prop *a, const ps_prop *b)
{
	char *x = a->size ? ps_prop_to_utf8(a) : NULL, *y = b->size ? ps_prop_to_utf8(b) : NULL;
	int same = strcmp(x ? x : "", y ? y : "") == 0;

	free(x);
	free(y);
	return same;
}

static int all_zero(const ps_prop *p)
{
	size_t i;

	for (i = 0; i < p->size; i++)
		if (p->data[i])
			return 0;
	return 1;
}

static int propset_diff_ex(const ps_propset *a, const ps_propset *b, int copy, int row,
	char *why, size_t n)
{
	size_t i, j, ca = 0, cb = 0;

	for (i = 0; i < a->count; i++) {
		const ps_prop *p = &a->props[i], *q = NULL;
		if (copy && store_specific(p->tag))
			continue;
		if (copy && p->tag >> 16 >= 0x8000 && p->named.kind == PS_NAME_NONE)
			continue;
		ca++;
		for (j = 0; j < b->count; j++) {
			const ps_prop *x = &b->props[j];
			if (copy && p->tag >> 16 >= 0x8000) {
				if (x->named.kind == p->named.kind && same_type(x->tag, p->tag) &&
				    memcmp(&x->named.guid, &p->named.guid, 16) == 0 &&
				    (p->named.kind == PS_NAME_ID ? x->named.lid == p->named.lid :
				     strcmp(x->named.name ? x->named.name : "", p->named.name ? p->named.name : "") == 0))
					q = x;
			} else if (x->tag == p->tag || (copy && PS_PROP_ID(x->tag) == PS_PROP_ID(p->tag) &&
				same_type(x->tag, p->tag))) {
				q = x;
			}
		}
		if (row && all_zero(p) && (!q || q->tag != p->tag || q->size != p->size))
			continue;      /* a cell whose existence bit is clear: libpff reads it as zero */
		if (!q) {
			snprintf(why, n, "property 0x%08x missing", p->tag);
			return 1;
		}
		if (q->tag != p->tag && same_text(p, q))
			continue;
		if (q->size != p->size || (p->size && memcmp(q->data, p->data, p->size) != 0)) {
			snprintf(why, n, "property 0x%08x differs (%zu / %zu bytes)", p->tag, p->size, q->size);
			return 1;
		}
		if (!copy && !libpff_guid_quirk(&p->named, &q->named) && (q->named.kind != p->named.kind ||
		    (p->named.kind && (memcmp(&q->named.guid, &p->named.guid, 16) != 0 || q->named.lid != p->named.lid ||
		     strcmp(q->named.name ? q->named.name : "", p->named.name ? p->named.name : "") != 0)))) {
			snprintf(why, n, "name of property 0x%08x differs", p->tag);
			return 1;
		}
	}
	for (j = 0; j < b->count; j++) {
		const ps_prop *x = &b->props[j];
		if (copy && store_specific(x->tag))
			continue;
		if (copy && x->tag >> 16 >= 0x8000 && x->named.kind == PS_NAME_NONE)
			continue;
		cb++;
	}
	if (ca != cb && !row) {
		snprintf(why, n, "%zu properties against %zu", ca, cb);
		return 1;
	}
	return 0;
}

static int propset_diff(const ps_propset *a, const ps_propset *b, int copy, char *why, size_t n)
{
	return propset_diff_ex(a, b, copy, 0, why, n);
}

static int item_diff(const ps_item *a, const ps_item *b, int copy, char *why, size_t n)
{
	char sub[400];
	size_t i;

	if (propset_diff(&a->props, &b->props, copy, sub, sizeof(sub))) {
		snprintf(why, n, "item properties: %s", sub);
		return 1;
	}
	if (a->recipient_count != b->recipient_count) {
		snprintf(why, n, "%zu recipients against %zu", a->recipient_count, b->recipient_count);
		return 1;
	}
	for (i = 0; i < a->recipient_count; i++) {
		if (propset_diff_ex(&a->recipients[i], &b->recipients[i], copy, 1, sub, sizeof(sub)) ||
		    propset_diff_ex(&b->recipients[i], &a->recipients[i], copy, 1, sub, sizeof(sub))) {
			snprintf(why, n, "recipient %zu: %s", i, sub);
			return 1;
		}
	}
	if (a->attachment_count != b->attachment_count) {
		snprintf(why, n, "%zu attachments against %zu", a->attachment_count, b->attachment_count);
		return 1;
	}
	for (i = 0; i < a->attachment_count; i++) {
		const ps_attachment *x = &a->attachments[i], *y = &b->attachments[i];
		if (x->kind != y->kind || !x->embedded != !y->embedded) {
			snprintf(why, n, "attachment %zu: kind %d against %d", i, x->kind, y->kind);
			return 1;
		}
		if (propset_diff(&x->props, &y->props, copy, sub, sizeof(sub))) {
			snprintf(why, n, "attachment %zu: %s", i, sub);
			return 1;
		}
		if (x->embedded && item_diff(x->embedded, y->embedded, copy, sub, sizeof(sub))) {
			snprintf(why, n, "attachment %zu, embedded: %s", i, sub);
			return 1;
		}
	}
	return 0;
}

static void free_folders(struct folders *fs)
{
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

static int has_type_zero(const ps_item *item)
{
	size_t i;

	for (i = 0; i < item->props.count; i++)
		if (PS_PROP_TYPE(item->props.props[i].tag) == 0)
			return 1;
	return 0;
}

/* ---- both backends agree ------------------------------------------------------ */

static void compare_backends(const char *sample, unsigned *nitems)
{
	const char *path = ps_test_sample(sample);
	ps_store *a = NULL, *b;
	struct folders fa, fb;
	ps_store_info ia, ib;
	size_t i, k;
	char why[600];

	CHECK_OK(ps_store_open(&a, path, PS_STORE_READ));
	b = open_pst(path);
	CHECK_OK(ps_store_get_info(a, &ia));
	CHECK_OK(ps_store_get_info(b, &ib));
	CHECKF(ia.unicode == ib.unicode && ia.encryption == ib.encryption &&
		ia.password_protected == ib.password_protected && ia.ipm_subtree_nid == ib.ipm_subtree_nid &&
		strcmp(ia.display_name, ib.display_name) == 0 && ia.has_record_key == ib.has_record_key &&
		memcmp(ia.record_key, ib.record_key, 16) == 0 && ia.file_size == ib.file_size,
		"%s: store info differs", sample);
	ps_store_info_clear(&ia);
	ps_store_info_clear(&ib);
	get_folders(a, &fa);
	get_folders(b, &fb);
	CHECKF(fa.n == fb.n, "%s: %zu folders against %zu", sample, fa.n, fb.n);
	for (i = 0; i < fa.n; i++) {
		struct folder_rec *x = &fa.f[i], *y = &fb.f[i];
		struct sums sa, sb;
		CHECKF(x->nid == y->nid && x->parent == y->parent && x->depth == y->depth &&
			strcmp(x->path, y->path) == 0 && strcmp(x->name, y->name) == 0 &&
			strcmp(x->cls, y->cls) == 0 && x->items == y->items && x->unread == y->unread &&
			x->subs == y->subs,
			"%s: folder %zu differs: pff 0x%x '%s' '%s' %u items %u unread %u subs, "
			"pst 0x%x '%s' '%s' %u items %u unread %u subs", sample, i, x->nid, x->path, x->cls,
			x->items, x->unread, x->subs, y->nid, y->path, y->cls, y->items, y->unread, y->subs);
		get_sums(a, x->nid, &sa);
		get_sums(b, x->nid, &sb);
		CHECKF(sa.n == sb.n, "%s: folder '%s': %zu items against %zu", sample, x->path, sa.n, sb.n);
		for (k = 0; k < sa.n; k++) {
			struct sum_rec *p = &sa.r[k], *q = &sb.r[k];
			ps_item *ia_item = NULL, *ib_item = NULL;
			int ra, rb;
			CHECKF(p->nid == q->nid && p->flags == q->flags && p->modified == q->modified &&
				p->size == q->size && strcmp(p->cls, q->cls) == 0 &&
				strcmp(p->subject, q->subject) == 0 && p->nsk == q->nsk && p->nck == q->nck &&
				memcmp(p->sk, q->sk, p->nsk) == 0 && memcmp(p->ck, q->ck, p->nck) == 0,
				"%s: summary of 0x%x differs ('%s' / '%s')", sample, p->nid, p->subject, q->subject);
			ra = ps_store_read_item(a, p->nid, &ia_item);
			rb = ps_store_read_item(b, p->nid, &ib_item);
			/* libpff refuses an item with a property of type 0x0000 (Aspose
			 * writes them); we read it, and the writer leaves that one out. */
			if (ra == PS_EITEM && rb == 0 && has_type_zero(ib_item)) {
				ps_item_free(ib_item);
				(*nitems)++;
				continue;
			}
			CHECKF(ra == rb, "%s: reading 0x%x: pff %d, pst %d (%s)", sample, p->nid, ra, rb,
				ps_error_last());
			if (ra == 0) {
				CHECKF(!item_diff(ia_item, ib_item, 0, why, sizeof(why)),
					"%s: item 0x%x: %s", sample, p->nid, why);
				(*nitems)++;
			}
			ps_item_free(ia_item);
			ps_item_free(ib_item);
		}
		free(sa.r);
		free(sb.r);
	}
	free_folders(&fa);
	free_folders(&fb);
	ps_store_close(a);
	ps_store_close(b);
}

void test_store_pst__reads_like_libpff(void)
{
	unsigned nitems = 0;
	int i;

	for (i = 0; ps_test_samples_all[i]; i++)
		compare_backends(ps_test_samples_all[i], &nitems);
	printf("        %u items read alike by both backends\n", nitems);
}

/* ---- creating a store -------------------------------------------------------------- */

static void report_problem(void *ctx, enum ps_check_area area, const char *line)
{
	unsigned *n = ctx;

	if ((*n)++ < 20)
		printf("        check: %s: %s\n", ps_check_area_name(area), line);
}

/* ps_pst_check() finds no problem in @p path. */
static void check_clean(const char *path)
{
	ps_check_summary sum;
	unsigned n = 0;

	CHECK_OK(ps_pst_check(path, report_problem, &n, &sum));
	CHECKF(sum.problems == 0, "'%s': %u problems", path, sum.problems);
}

#ifndef _WIN32
/* Run a Debian tool on @p path when it is installed; 1 when it ran. */
static int run_tool(const char *tool, const char *args, const char *path, const char *outdir)
{
	char cmd[2048];
	int rc;

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0) {
		printf("        %s is not installed: not run\n", tool);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s %s '%s' >tool.log 2>&1", outdir, tool, args, path);
	rc = system(cmd);
	CHECKF(rc == 0, "%s %s '%s' failed (see %s/tool.log)", tool, args, path, outdir);
	return 1;
}

static void debian_tools(const char *path, const char *dir)
{
	static unsigned runs;
	char out[1024], *abs = NULL;

	snprintf(out, sizeof(out), "%s/tools-%u", dir, runs++);
	CHECK_OK(ps_path_mkdirs(out));
	CHECK_OK(ps_path_absolute(path, &abs));
	run_tool("pffinfo", "", abs, out);
	run_tool("pffexport", "-q -t export", abs, out);
	run_tool("readpst", "-q -j 0 -o .", abs, out);
	run_tool("lspst", "", abs, out);
	free(abs);
}
#endif

static int count_folder(const ps_folder_info *fi, void *ctx)
{
	(void)fi;
	(*(unsigned *)ctx)++;
	return 0;
}

void test_store_pst__create(void)
{
	const char *dir = ps_test_tmpdir();
	char path[1024];
	ps_store *s = NULL;
	ps_store_info info;
	unsigned nfolders = 0;
	uint32_t nid;
	static const char *const std[] = { "/Inbox", "/Outbox", "/Sent Items", "/Deleted Items",
		"/Drafts", "/Calendar", "/Contacts", "/Journal", "/Notes", "/Tasks", "/Junk E-mail", NULL };
	int i;

	snprintf(path, sizeof(path), "%s/new.pst", dir);
	CHECK_OK(ps_store_create(&s, path, "My Store"));
	CHECK_OK(ps_store_get_info(s, &info));
	CHECK_EQ_STR("My Store", info.display_name);
	CHECK(info.unicode && info.has_record_key);
	ps_store_info_clear(&info);
	ps_store_close(s);
	CHECK_STATUS(PS_EEXISTS, ps_store_create(&s, path, NULL));
	check_clean(path);
	/* libpff sees the same store. */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_READ));
	CHECK_OK(ps_store_get_info(s, &info));
	CHECK_EQ_STR("My Store", info.display_name);
	ps_store_info_clear(&info);
	for (i = 0; std[i]; i++)
		CHECK_OK(ps_store_find_folder(s, std[i], &nid));
	CHECK_OK(ps_store_walk_folders(s, count_folder, &nfolders));
	CHECK_EQ_INT(12, nfolders);
	ps_store_close(s);
#ifndef _WIN32
	debian_tools(path, dir);
#endif
}

/* ---- the name-to-id map ------------------------------------------------------------ */

/* Two string streams alike but for their padding (Outlook leaves whatever
 * its buffer held there; we write zeros). */
static int same_strings(const uint8_t *a, const uint8_t *b, size_t size)
{
	size_t off = 0;

	while (off + 4 <= size) {
		uint32_t len = (uint32_t)a[off] | ((uint32_t)a[off + 1] << 8) |
			((uint32_t)a[off + 2] << 16) | ((uint32_t)a[off + 3] << 24);
		if (len > size - off - 4 || memcmp(a + off, b + off, 4 + len) != 0)
			return 0;
		off = (off + 4 + len + 3) & ~(size_t)3;
	}
	return off == size;
}

/* The properties regenerated from @p map equal those of node 0x61 of @p ndb. */
static void map_matches(const char *what, ps_ndb *ndb, const ps_nameid_map *map)
{
	ps_prop *props = NULL;
	size_t n = 0, i, k;
	ps_pc pc;

	CHECK_OK(ps_nameid_props(map, &props, &n));
	CHECK_OK(ps_pc_open_nid(&pc, ndb, PS_NID_NAME_TO_ID_MAP));
	for (i = 0; i < pc.count; i++) {
		const ps_ltp_value *v = &pc.props[i];
		const ps_prop *p = NULL;
		if (v->id > 0x0004 && v->id < 0x1000)
			continue;
		for (k = 0; k < n; k++)
			if (PS_PROP_ID(props[k].tag) == v->id)
				p = &props[k];
		CHECKF(p && p->size == v->size && (!v->size || memcmp(p->data, v->value, v->size) == 0 ||
			(v->id == 0x0004 && same_strings(p->data, v->value, v->size))),
			"%s: property 0x%04x of the name-to-id map differs when regenerated", what, v->id);
	}
	for (k = 0; k < n; k++)
		CHECKF(ps_pc_find(&pc, PS_PROP_ID(props[k].tag)), "%s: property 0x%04x regenerated "
			"is not in the file", what, PS_PROP_ID(props[k].tag));
	ps_pc_close(&pc);
	ps_props_free(props, n);
}

void test_store_pst__nameid_like_outlook(void)
{
	ps_nameid_map *map = NULL;
	ps_ndb *ndb = NULL, *blank = NULL;
	ps_prop_name name;
	uint16_t id, id2;
	size_t i;

	/* Streams and hash buckets regenerate as Outlook wrote them, on every
	 * Unicode sample: the hash of [MS-PST] 2.4.7.5 is Outlook's. (Three
	 * files of aspose-email went through Aspose's tools, which left two
	 * bucket records naming the entry next to their own; not compared.) */
	for (i = 0; ps_test_samples_clean[i]; i++) {
		const char *sample = ps_test_samples_clean[i];
		if (strncmp(sample, "aspose-email__", 14) == 0 && !strstr(sample, "Outlook_1"))
			continue;
		CHECK_OK(ps_ndb_open(&ndb, ps_test_sample(sample), 0));
		if (ps_ndb_header_get(ndb)->unicode) {
			CHECK_OK(ps_nameid_load(&map, ndb));
			map_matches(sample, ndb, map);
			ps_nameid_free(map);
		}
		ps_ndb_close(ndb);
	}
	/* A new store maps the names a new Outlook store maps, with the same
	 * ids and the same bytes. */
	CHECK_OK(ps_ndb_create(&blank, ps_test_path(ps_test_tmpdir(), "blank.pst")));
	CHECK_OK(ps_nameid_load(&map, blank));
	CHECK_EQ_INT(0, ps_nameid_count(map));
	CHECK_OK(pst__initial_names(map));
	CHECK_OK(ps_ndb_open(&ndb, ps_test_sample("microsoft_outlook-pst-rs__Empty.pst"), 0));
	map_matches("a new store's map", ndb, map);
	ps_ndb_close(ndb);
	ps_ndb_close(blank);
	/* Adding a number, a string in a new GUID; the same name twice gives one id. */
	memset(&name, 0, sizeof(name));
	name.kind = PS_NAME_ID;
	name.guid = ps_guid_public_strings;
	name.lid = 0x1234;
	CHECK_OK(ps_nameid_add(map, &name, &id));
	CHECK_OK(ps_nameid_add(map, &name, &id2));
	CHECK_EQ_INT(id, id2);
	CHECK_EQ_INT(0x8023, id);
	name.kind = PS_NAME_STRING;
	name.name = "pstsync-test";
	memset(name.guid.bytes, 0x5A, 16);
	CHECK_OK(ps_nameid_add(map, &name, &id));
	CHECK_EQ_INT(0x8024, id);
	CHECK(ps_nameid_dirty(map));
	CHECK_OK(ps_nameid_find(map, &name, &id2));
	CHECK_EQ_INT(id, id2);
	CHECK_EQ_STR("pstsync-test", ps_nameid_name(map, id)->name);
	ps_nameid_free(map);
}

/* ---- copying every sample into new stores ----------------------------------------- */

struct copy_folder {
	uint32_t src, dst;
	int depth;
	char name[256], cls[128];
};

struct copy_ctx {
	struct copy_folder *f;
	size_t n, cap;
	uint32_t *pairs;           /* source NID, copy NID, ... */
	size_t npairs, cappairs;
};

static int copy_collect(const ps_folder_info *fi, void *ctx)
{
	struct copy_ctx *c = ctx;
	struct copy_folder *f;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->f = realloc(c->f, c->cap * sizeof(*c->f));
		CHECK(c->f);
	}
	f = &c->f[c->n++];
	memset(f, 0, sizeof(*f));
	f->src = fi->nid;
	f->depth = fi->depth;
	snprintf(f->name, sizeof(f->name), "%s", fi->name);
	snprintf(f->cls, sizeof(f->cls), "%s", fi->container_class);
	return 0;
}

static uint32_t dst_of(const struct copy_ctx *c, uint32_t src_folder)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->f[i].src == src_folder)
			return c->f[i].dst;
	return 0;
}

/* Copy every folder and item of @p src into the new store @p dst_path. */
static void copy_store(ps_store *src, const char *dst_path, struct copy_ctx *c, unsigned *nitems)
{
	ps_store *dst = NULL;
	ps_store_info info;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	CHECK_OK(ps_store_create(&dst, dst_path, "Copy"));
	CHECK_OK(ps_store_get_info(dst, &info));
	CHECK_OK(ps_store_walk_folders(src, copy_collect, c));
	CHECK_OK(ps_store_begin(dst));
	for (i = 0; i < c->n; i++) {
		struct copy_folder *f = &c->f[i];
		struct sums ss;
		if (f->depth == 0) {
			f->dst = info.ipm_subtree_nid;
		} else {
			/* parents come before their children in the walk */
			uint32_t parent = 0;
			size_t j;
			for (j = i; j-- > 0; )
				if (c->f[j].depth == f->depth - 1) {
					parent = c->f[j].dst;
					break;
				}
			int rc = ps_store_create_folder(dst, parent, f->name[0] ? f->name : "unnamed",
				f->cls, &f->dst);
			CHECKF(rc == 0 || rc == PS_EEXISTS, "creating '%s': %s", f->name, ps_error_last());
		}
		get_sums(src, f->src, &ss);
		for (k = 0; k < ss.n; k++) {
			ps_item *item = NULL;
			uint32_t nid = 0;
			if (ps_store_read_item(src, ss.r[k].nid, &item) != 0)
				continue;
			CHECK_OK(ps_store_put_item(dst, f->dst, item, 0, &nid));
			ps_item_free(item);
			if (c->npairs + 2 > c->cappairs) {
				c->cappairs = c->cappairs ? c->cappairs * 2 : 64;
				c->pairs = realloc(c->pairs, c->cappairs * sizeof(*c->pairs));
				CHECK(c->pairs);
			}
			c->pairs[c->npairs++] = ss.r[k].nid;
			c->pairs[c->npairs++] = nid;
			(*nitems)++;
		}
		free(ss.r);
	}
	CHECK_OK(ps_store_commit(dst));
	ps_store_info_clear(&info);
	ps_store_close(dst);
	(void)dst_of;
}

/* Every copied item reads the same as its source through libpff. */
static void compare_copy(const char *src_path, const char *dst_path, const struct copy_ctx *c,
	unsigned *compared)
{
	ps_store *a = NULL, *b = NULL;
	char why[600];
	size_t i;

	CHECK_OK(ps_store_open(&a, src_path, PS_STORE_READ));
	CHECK_OK(ps_store_open(&b, dst_path, PS_STORE_READ));
	for (i = 0; i < c->npairs; i += 2) {
		ps_item *x = NULL, *y = NULL;
		if (ps_store_read_item(a, c->pairs[i], &x) != 0)
			continue;      /* libpff refuses the source item (type 0x0000) */
		CHECK_OK(ps_store_read_item(b, c->pairs[i + 1], &y));
		CHECKF(!item_diff(x, y, 1, why, sizeof(why)), "'%s': item 0x%x, copied as 0x%x: %s",
			src_path, c->pairs[i], c->pairs[i + 1], why);
		ps_item_free(x);
		ps_item_free(y);
		(*compared)++;
	}
	ps_store_close(a);
	ps_store_close(b);
}

void test_store_pst__copy_every_sample(void)
{
	const char *dir = ps_test_tmpdir();
	unsigned nitems = 0, compared = 0;
	int i;

	for (i = 0; ps_test_samples_all[i]; i++) {
		const char *src_path = ps_test_sample(ps_test_samples_all[i]);
		char dst_path[1024];
		struct copy_ctx c;
		ps_store *src;

		snprintf(dst_path, sizeof(dst_path), "%s/copy-%d.pst", dir, i);
		src = open_pst(src_path);
		copy_store(src, dst_path, &c, &nitems);
		ps_store_close(src);
		check_clean(dst_path);
		compare_copy(src_path, dst_path, &c, &compared);
#ifndef _WIN32
		debian_tools(dst_path, dir);
#endif
		free(c.f);
		free(c.pairs);
	}
	printf("        %u items copied, %u compared through libpff\n", nitems, compared);
}

/* ---- changes in place in Outlook's own stores -------------------------------------- */

static void set_subject(ps_item *item, const char *text)
{
	ps_prop *props = item->props.props;
	size_t n = item->props.count;

	CHECK_OK(ps_props_set_unicode(&props, &n, PS_PID_SUBJECT, text));
	item->props.props = props;
	item->props.count = n;
}

static char *subject_of(const ps_item *item)
{
	return ps_prop_to_utf8(ps_propset_find(&item->props, PS_PROP_TAG(PS_PID_SUBJECT, PS_PT_UNICODE)));
}

static const char *copy_to(const char *sample, const char *dir, char *buf, size_t size)
{
	size_t n;
	void *data = ps_test_read_file(ps_test_sample(sample), &n);

	snprintf(buf, size, "%s/%s", dir, sample);
	ps_test_write_file(buf, data, n);
	free(data);
	return buf;
}

struct snapshot {
	uint32_t *nids;
	ps_item **items;
	size_t n;
};

static int snap_item(const ps_item_summary *s, void *ctx)
{
	struct sums *ss = ctx;

	return collect_sum(s, ss);
}

/* Every item libpff reads from @p path, by NID. */
static void take_snapshot(const char *path, struct snapshot *snap)
{
	ps_store *s = NULL;
	struct folders fs;
	size_t i, k;

	memset(snap, 0, sizeof(*snap));
	CHECK_OK(ps_store_open(&s, path, PS_STORE_READ));
	get_folders(s, &fs);
	for (i = 0; i < fs.n; i++) {
		struct sums ss;
		memset(&ss, 0, sizeof(ss));
		CHECK_OK(ps_store_list_items(s, fs.f[i].nid, snap_item, &ss));
		for (k = 0; k < ss.n; k++) {
			ps_item *item = NULL;
			if (ps_store_read_item(s, ss.r[k].nid, &item) != 0)
				continue;
			snap->nids = realloc(snap->nids, (snap->n + 1) * sizeof(*snap->nids));
			snap->items = realloc(snap->items, (snap->n + 1) * sizeof(*snap->items));
			CHECK(snap->nids && snap->items);
			snap->nids[snap->n] = ss.r[k].nid;
			snap->items[snap->n++] = item;
		}
		free(ss.r);
	}
	free_folders(&fs);
	ps_store_close(s);
}

static void free_snapshot(struct snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		ps_item_free(snap->items[i]);
	free(snap->items);
	free(snap->nids);
	memset(snap, 0, sizeof(*snap));
}

static ps_item *snap_find(const struct snapshot *snap, uint32_t nid)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		if (snap->nids[i] == nid)
			return snap->items[i];
	return NULL;
}

struct first_folder {
	uint32_t nid, items;
	uint32_t any;
};

static int pick_folder(const ps_folder_info *fi, void *ctx)
{
	struct first_folder *ff = ctx;

	if (!ff->any && fi->depth > 0)
		ff->any = fi->nid;
	if (fi->item_count >= 2 && !ff->nid) {
		ff->nid = fi->nid;
		ff->items = fi->item_count;
	}
	return 0;
}

static void in_place(const char *sample, const char *dir, const ps_item *donor)
{
	char path[1024], why[600];
	struct snapshot before, after;
	struct first_folder ff;
	struct sums ss;
	ps_store *s = NULL;
	ps_item *item = NULL, *x = NULL;
	uint32_t added = 0, replaced = 0, deleted = 0, nid = 0;
	size_t i;

	copy_to(sample, dir, path, sizeof(path));
	take_snapshot(path, &before);
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	memset(&ff, 0, sizeof(ff));
	CHECK_OK(ps_store_walk_folders(s, pick_folder, &ff));
	CHECK_OK(ps_store_begin(s));
	if (ff.nid) {
		get_sums(s, ff.nid, &ss);
		replaced = ss.r[0].nid;
		deleted = ss.r[1].nid;
		free(ss.r);
		/* add: a copy of the first item with another subject */
		CHECK_OK(ps_store_read_item(s, replaced, &item));
		set_subject(item, "pstsync added this");
		CHECK_OK(ps_store_put_item(s, ff.nid, item, 0, &added));
		/* replace: the first item gets a new subject and keeps its NID */
		set_subject(item, "pstsync replaced this");
		CHECK_OK(ps_store_put_item(s, ff.nid, item, replaced, &nid));
		CHECK_EQ_INT(replaced, nid);
		ps_item_free(item);
		CHECK_OK(ps_store_delete_item(s, deleted));
	} else {
		ff.nid = ff.any;
		CHECK(ff.nid);
		CHECK_OK(ps_store_put_item(s, ff.nid, donor, 0, &added));
	}
	/* reads in the transaction see it */
	CHECK_OK(ps_store_read_item(s, added, &item));
	ps_item_free(item);
	CHECK_OK(ps_store_commit(s));
	ps_store_close(s);
	check_clean(path);
	if (strstr(sample, "dist-list")) {
		/* Contacts is in this store's search domain: the changes are queued
		 * for Outlook's search folders, in order ([MS-PST] 2.4.8). */
		ps_ndb *ndb = NULL;
		ps_nbt_entry e;
		uint8_t *q = NULL;
		size_t size = 0;
		CHECK_OK(ps_ndb_open(&ndb, path, 0));
		CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_SEARCH_QUEUE, &e));
		CHECK_OK(ps_ndb_data_read_flat(ndb, e.bid_data, &q, &size));
		CHECK_EQ_INT(60, size);
		CHECK_EQ_INT(1, ps_get16(q + 2));      /* SUDT_MSG_ADD */
		CHECK_EQ_INT(ff.nid, ps_get32(q + 4));
		CHECK_EQ_INT(added, ps_get32(q + 8));
		CHECK_EQ_INT(2, ps_get16(q + 22));     /* SUDT_MSG_MOD */
		CHECK_EQ_INT(replaced, ps_get32(q + 28));
		CHECK_EQ_INT(3, ps_get16(q + 42));     /* SUDT_MSG_DEL */
		CHECK_EQ_INT(deleted, ps_get32(q + 48));
		free(q);
		ps_ndb_close(ndb);
	}
	take_snapshot(path, &after);
	/* Everything else is as it was. */
	for (i = 0; i < before.n; i++) {
		uint32_t n = before.nids[i];
		ps_item *y = snap_find(&after, n);
		if (n == deleted) {
			CHECKF(!y, "%s: deleted item 0x%x is still there", sample, n);
			continue;
		}
		CHECKF(y, "%s: item 0x%x is gone", sample, n);
		if (n == replaced) {
			char *subj = subject_of(y);
			CHECKF(subj && strcmp(subj, "pstsync replaced this") == 0, "%s: 0x%x not replaced", sample, n);
			free(subj);
			continue;
		}
		CHECKF(!item_diff(before.items[i], y, 0, why, sizeof(why)), "%s: untouched item 0x%x: %s",
			sample, n, why);
	}
	x = snap_find(&after, added);
	CHECKF(x, "%s: added item 0x%x not found through libpff", sample, added);
	CHECKF(after.n == before.n + 1 - (deleted != 0), "%s: %zu items, expected %zu", sample, after.n,
		before.n + 1 - (deleted != 0));
	free_snapshot(&before);
	free_snapshot(&after);
}

void test_store_pst__in_place(void)
{
	const char *dir = ps_test_tmpdir();
	ps_store *s;
	ps_item *donor = NULL;
	int i, n = 0;

	s = open_pst(ps_test_sample("emk_pstsdk__sample1.pst"));
	CHECK_OK(ps_store_read_item(s, 0x200024, &donor));
	ps_store_close(s);
	for (i = 0; ps_test_samples_clean[i]; i++) {
		const char *sample = ps_test_samples_clean[i];
		if (strstr(sample, "ansi") || strstr(sample, "32-bit"))
			continue;
		in_place(sample, dir, donor);
		n++;
	}
	ps_item_free(donor);
	printf("        added, replaced and deleted in %d Outlook stores\n", n);
}

void test_store_pst__ansi_refused(void)
{
	ps_store *s = NULL;
	const char *path = ps_test_sample("emk_pstsdk__test_ansi.pst");
	char want[1024];

	CHECK_STATUS(PS_EUNSUPPORTED, ps_store_open(&s, path, PS_STORE_WRITE));
	snprintf(want, sizeof(want), "cannot write '%s': it is an ANSI store (Outlook 97-2002); "
		"convert it to a Unicode PST first", path);
	CHECK_EQ_STR(want, ps_error_last());
	/* reading it through our backend works */
	s = open_pst(path);
	CHECK_STATUS(PS_EUNSUPPORTED, ps_store_begin(s));
	ps_store_close(s);
}

/* ---- folders --------------------------------------------------------------------------- */

struct find_name {
	const char *path;
	uint32_t subs, items;
	int found;
};

static int find_path(const ps_folder_info *fi, void *ctx)
{
	struct find_name *f = ctx;

	if (strcmp(fi->path, f->path) == 0) {
		f->found = 1;
		f->subs = fi->subfolder_count;
		f->items = fi->item_count;
	}
	return 0;
}

static int has_path(ps_store *s, const char *path, uint32_t *subs)
{
	struct find_name f;

	memset(&f, 0, sizeof(f));
	f.path = path;
	CHECK_OK(ps_store_walk_folders(s, find_path, &f));
	if (subs)
		*subs = f.subs;
	return f.found;
}

void test_store_pst__folders(void)
{
	const char *dir = ps_test_tmpdir();
	char path[1024];
	ps_store *s = NULL, *r = NULL;
	ps_store_info info;
	ps_item *donor = NULL;
	uint32_t a, b, c, again, contacts, item, subs = 0;

	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	CHECK_OK(ps_store_read_item(s, 0x200024, &donor));
	ps_store_close(s);
	/* in a new store and in one Outlook made */
	copy_to("rjohnsondev_java-libpst__dist-list.pst", dir, path, sizeof(path));
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	CHECK_OK(ps_store_get_info(s, &info));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &contacts));
	/* one change, one transaction of its own */
	CHECK_OK(ps_store_create_folder(s, contacts, "Friends", "IPF.Contact", &a));
	CHECK_STATUS(PS_EEXISTS, ps_store_create_folder(s, contacts, "Friends", NULL, &again));
	CHECK_EQ_INT(a, again);
	CHECK_OK(ps_store_begin(s));
	CHECK_OK(ps_store_create_folder(s, a, "Close", "IPF.Contact", &b));
	CHECK_OK(ps_store_create_folder(s, info.ipm_subtree_nid, "Projects/2024 50%", NULL, &c));
	CHECK(has_path(s, "/Contacts/Friends/Close", NULL));   /* the transaction sees itself */
	CHECK_OK(ps_store_put_item(s, b, donor, 0, &item));
	CHECK_OK(ps_store_commit(s));
	CHECK_STATUS(PS_EINVAL, ps_store_delete_folder(s, b));        /* holds an item */
	CHECK_STATUS(PS_EINVAL, ps_store_delete_folder(s, a));        /* holds a folder */
	CHECK_STATUS(PS_EINVAL, ps_store_delete_folder(s, contacts)); /* the store names it */
	CHECK_OK(ps_store_rename_folder(s, a, "Family"));
	CHECK_STATUS(PS_EEXISTS, ps_store_rename_folder(s, c, "Calendar"));
	ps_store_close(s);
	check_clean(path);
	/* libpff sees them */
	CHECK_OK(ps_store_open(&r, path, PS_STORE_READ));
	CHECK(has_path(r, "/Contacts/Family/Close", NULL));
	CHECK(has_path(r, "/Projects%2F2024 50%25", NULL));
	CHECK(!has_path(r, "/Contacts/Friends", NULL));
	CHECK(has_path(r, "/Contacts/Family", &subs));
	CHECK_EQ_INT(1, subs);
	ps_store_close(r);
	/* emptied, they go */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	CHECK_OK(ps_store_begin(s));
	CHECK_OK(ps_store_delete_item(s, item));
	CHECK_OK(ps_store_delete_folder(s, b));
	CHECK_OK(ps_store_delete_folder(s, a));
	CHECK_OK(ps_store_commit(s));
	CHECK_OK(ps_store_delete_folder(s, c));
	CHECK(!has_path(s, "/Contacts/Family", NULL));
	ps_store_info_clear(&info);
	ps_store_close(s);
	check_clean(path);
	CHECK_OK(ps_store_open(&r, path, PS_STORE_READ));
	CHECK(has_path(r, "/Contacts", &subs));
	CHECK_EQ_INT(0, subs);
	ps_store_close(r);
	/* an aborted transaction leaves nothing */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	CHECK_OK(ps_store_begin(s));
	CHECK_OK(ps_store_create_folder(s, contacts, "Gone", NULL, &a));
	ps_store_abort(s);
	CHECK(!has_path(s, "/Contacts/Gone", NULL));
	ps_store_close(s);
	ps_item_free(donor);
	check_clean(path);
}

/* ---- many items in one transaction ------------------------------------------------ */

#define BULK 10000
#define BULK_CHANGE 1000

static uint64_t file_size(const char *path)
{
	ps_file *f = NULL;
	uint64_t size = 0;

	CHECK_OK(ps_file_open(&f, path, PS_OPEN_READ));
	CHECK_OK(ps_file_size(f, &size));
	ps_file_close(f);
	return size;
}

static void bulk_stats(ps_store *s, const char *what)
{
	struct pst_store *st = (struct pst_store *)s;
	ps_ndb_write_stats ws;

	CHECK_OK(ps_ndb_write_stats_get(st->ndb, &ws));
	if (getenv("PSTSYNC_TEST_VERBOSE"))
		printf("        %s: %u writes, %u syncs, %.2f MB written, file %.2f MB\n", what, ws.writes,
			ws.syncs, ws.bytes / 1e6, ps_ndb_size(st->ndb) / 1e6);
}

void test_store_pst__bulk(void)
{
	const char *dir = ps_test_tmpdir();
	ps_item *contacts[6];
	ps_store *s = NULL;
	uint32_t folder, *nids;
	char path[1024], name[64];
	uint64_t t0, t_copy, t_replace, t_delete, t_add, size1, size2;
	struct folders fs;
	int i;

	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	for (i = 0; i < 6; i++)
		CHECK_OK(ps_store_read_item(s, 0x200024 + 0x20 * (uint32_t)i, &contacts[i]));
	ps_store_close(s);
	nids = calloc(BULK, sizeof(*nids));
	CHECK(nids);
	snprintf(path, sizeof(path), "%s/bulk.pst", dir);
	CHECK_OK(ps_store_create(&s, path, "Bulk"));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &folder));
	t0 = ps_clock_ns();
	CHECK_OK(ps_store_begin(s));
	for (i = 0; i < BULK; i++) {
		snprintf(name, sizeof(name), "Contact %05d", i);
		set_subject(contacts[i % 6], name);
		CHECK_OK(ps_store_put_item(s, folder, contacts[i % 6], 0, &nids[i]));
	}
	CHECK_OK(ps_store_commit(s));
	t_copy = ps_clock_ns() - t0;
	ps_store_close(s);
	size1 = file_size(path);
	check_clean(path);

	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	t0 = ps_clock_ns();
	CHECK_OK(ps_store_begin(s));
	for (i = 0; i < BULK_CHANGE; i++) {
		uint32_t nid = 0;
		set_subject(contacts[i % 6], "Replaced");
		CHECK_OK(ps_store_put_item(s, folder, contacts[i % 6], nids[i], &nid));
		CHECK_EQ_INT(nids[i], nid);
	}
	CHECK_OK(ps_store_commit(s));
	t_replace = ps_clock_ns() - t0;
	bulk_stats(s, "replace");
	t0 = ps_clock_ns();
	CHECK_OK(ps_store_begin(s));
	for (i = BULK_CHANGE; i < 2 * BULK_CHANGE; i++)
		CHECK_OK(ps_store_delete_item(s, nids[i]));
	CHECK_OK(ps_store_commit(s));
	t_delete = ps_clock_ns() - t0;
	bulk_stats(s, "delete");
	t0 = ps_clock_ns();
	CHECK_OK(ps_store_begin(s));
	for (i = 0; i < BULK_CHANGE; i++) {
		set_subject(contacts[i % 6], "Added again");
		CHECK_OK(ps_store_put_item(s, folder, contacts[i % 6], 0, NULL));
	}
	CHECK_OK(ps_store_commit(s));
	t_add = ps_clock_ns() - t0;
	bulk_stats(s, "add");
	get_folders(s, &fs);
	for (i = 0; i < (int)fs.n; i++)
		if (fs.f[i].nid == folder)
			CHECK_EQ_INT(BULK, fs.f[i].items);
	free_folders(&fs);
	ps_store_close(s);
	size2 = file_size(path);
	check_clean(path);
	printf("        %d contacts copied in one transaction: %.0f items/s; %d replaced: %.0f items/s; "
		"%d deleted: %.0f items/s; %d added: %.0f items/s\n", BULK,
		BULK / (t_copy / 1e9), BULK_CHANGE, BULK_CHANGE / (t_replace / 1e9), BULK_CHANGE,
		BULK_CHANGE / (t_delete / 1e9), BULK_CHANGE, BULK_CHANGE / (t_add / 1e9));
	printf("        file size: %.2f MB after the copy, %.2f MB after the changes (x%.3f)\n",
		size1 / 1e6, size2 / 1e6, (double)size2 / (double)size1);
	/* Each commit rebuilds the folder's contents table, sharing the blocks
	 * whose bytes did not change (PS_TC_BUILD_GROUPED keeps them so). */
	CHECKF(size2 * 100 < size1 * 115, "the file grew from %llu to %llu bytes",
		(unsigned long long)size1, (unsigned long long)size2);
	for (i = 0; i < 6; i++)
		ps_item_free(contacts[i]);
	free(nids);
}

/* ---- a large contents table changed in place, block by block -------------------------- */

#define BIG_ROWS 5000

/* The BIDs of the data blocks of node @p nid and of its subnode @p sub_nid. */
static void table_bids(ps_store *s, uint32_t nid, ps_ndb_data *heap, ps_ndb_data *rows)
{
	struct pst_store *st = (struct pst_store *)s;
	ps_ndb_subnodes sub;
	const ps_sl_entry *e;
	ps_nbt_entry n;
	ps_tc tc;

	CHECK_OK(ps_ndb_nbt_lookup(st->ndb, nid, &n));
	CHECK_OK(ps_ndb_data_bids(st->ndb, n.bid_data, heap));
	CHECK_OK(ps_tc_open_nid(&tc, st->ndb, nid));
	CHECK_OK(ps_ndb_subnodes_read(st->ndb, n.bid_sub, &sub));
	e = ps_ndb_subnodes_find(&sub, tc.hnid_rows);
	CHECK(e != NULL);
	CHECK_OK(ps_ndb_data_bids(st->ndb, e->bid_data, rows));
	ps_ndb_subnodes_free(&sub);
	ps_tc_close(&tc);
}

/* How many of @p after's blocks are not among @p before's. */
static size_t blocks_changed(const ps_ndb_data *before, const ps_ndb_data *after)
{
	size_t i, j, n = 0;

	for (i = 0; i < after->count; i++) {
		for (j = 0; j < before->count && before->bids[j] != after->bids[i]; j++)
			;
		n += j == before->count;
	}
	return n;
}

/* One change in its own transaction: the blocks and bytes it wrote. */
struct change_cost {
	size_t heap, rows, heap_total, rows_total;
	uint64_t bytes;
};

static void change_measured(ps_store *s, uint32_t table, int what, uint32_t folder, ps_item *item,
	uint32_t nid, struct change_cost *cost)
{
	struct pst_store *st = (struct pst_store *)s;
	ps_ndb_data h0, r0, h1, r1;
	ps_ndb_write_stats ws;

	table_bids(s, table, &h0, &r0);
	CHECK_OK(ps_store_begin(s));
	if (what == 0)
		CHECK_OK(ps_store_put_item(s, folder, item, nid, NULL));
	else if (what == 1)
		CHECK_OK(ps_store_delete_item(s, nid));
	else
		CHECK_OK(ps_store_put_item(s, folder, item, 0, NULL));
	CHECK_OK(ps_store_commit(s));
	CHECK_OK(ps_ndb_write_stats_get(st->ndb, &ws));
	table_bids(s, table, &h1, &r1);
	cost->heap = blocks_changed(&h0, &h1);
	cost->rows = blocks_changed(&r0, &r1);
	cost->heap_total = h1.count;
	cost->rows_total = r1.count;
	cost->bytes = ws.bytes;
	ps_ndb_data_free(&h0);
	ps_ndb_data_free(&r0);
	ps_ndb_data_free(&h1);
	ps_ndb_data_free(&r1);
}

static int subject_is(const struct sums *ss, uint32_t nid, const char *subject)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (ss->r[i].nid == nid)
			return strcmp(ss->r[i].subject, subject) == 0;
	return 0;
}

void test_store_pst__big_table_in_place(void)
{
	const char *dir = ps_test_tmpdir();
	ps_item *contact = NULL;
	ps_store *s = NULL;
	uint32_t folder, table, *nids;
	struct change_cost c;
	struct sums ss;
	char path[1024], name[64];
	int i;

	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	CHECK_OK(ps_store_read_item(s, 0x200024, &contact));
	ps_store_close(s);
	nids = calloc(BIG_ROWS, sizeof(*nids));
	CHECK(nids);
	snprintf(path, sizeof(path), "%s/big.pst", dir);
	CHECK_OK(ps_store_create(&s, path, "Big"));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &folder));
	table = PS_NID_MAKE(PS_NID_TYPE_CONTENTS_TABLE, folder >> 5);
	CHECK_OK(ps_store_begin(s));
	for (i = 0; i < BIG_ROWS; i++) {
		snprintf(name, sizeof(name), "Contact %05d", i);
		set_subject(contact, name);
		CHECK_OK(ps_store_put_item(s, folder, contact, 0, &nids[i]));
	}
	CHECK_OK(ps_store_commit(s));
	ps_store_close(s);

	/* Each change writes its item and a few blocks of the table: the rest
	 * of the table (hundreds of blocks) is shared, not read, not written. */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	set_subject(contact, "Replaced in the middle");
	change_measured(s, table, 0, folder, contact, nids[BIG_ROWS / 2], &c);
	printf("        replace 1 of %d: %zu of %zu heap blocks and %zu of %zu row blocks new, "
		"%.1f KB written\n", BIG_ROWS, c.heap, c.heap_total, c.rows, c.rows_total, c.bytes / 1e3);
	CHECKF(c.heap_total > 50 && c.rows_total > 50, "a table of %zu + %zu blocks", c.heap_total,
		c.rows_total);
	CHECKF(c.heap <= 3 && c.rows == 1, "replacing one row made %zu heap and %zu row blocks new",
		c.heap, c.rows);
	CHECKF(c.bytes < 128 * 1024, "replacing one row wrote %llu bytes", (unsigned long long)c.bytes);

	/* a deletion: its group and the last one (whose last row moves) */
	change_measured(s, table, 1, folder, NULL, nids[10], &c);
	printf("        delete 1: %zu heap and %zu row blocks new, %.1f KB written\n", c.heap, c.rows,
		c.bytes / 1e3);
	CHECKF(c.rows <= 2 && c.heap <= 12, "deleting one row made %zu heap and %zu row blocks new",
		c.heap, c.rows);
	CHECKF(c.bytes < 256 * 1024, "deleting one row wrote %llu bytes", (unsigned long long)c.bytes);

	/* an addition: the last group and the end of the row index */
	set_subject(contact, "Added at the end");
	change_measured(s, table, 2, folder, contact, 0, &c);
	printf("        add 1: %zu heap and %zu row blocks new, %.1f KB written\n", c.heap, c.rows,
		c.bytes / 1e3);
	CHECKF(c.rows <= 2 && c.heap <= 8, "adding one row made %zu heap and %zu row blocks new",
		c.heap, c.rows);
	get_sums(s, folder, &ss);
	CHECK_EQ_INT(BIG_ROWS, ss.n);
	CHECK(subject_is(&ss, nids[BIG_ROWS / 2], "Replaced in the middle"));
	CHECK(!subject_is(&ss, nids[10], "Contact 00010"));
	CHECK(subject_is(&ss, nids[BIG_ROWS - 1], "Contact 04999"));
	free(ss.r);
	ps_store_close(s);
	check_clean(path);

	/* and libpff reads the same */
	CHECK_OK(ps_store_open(&s, path, PS_STORE_READ));
	get_sums(s, folder, &ss);
	CHECK_EQ_INT(BIG_ROWS, ss.n);
	CHECK(subject_is(&ss, nids[BIG_ROWS / 2], "Replaced in the middle"));
	CHECK(subject_is(&ss, nids[BIG_ROWS - 1], "Contact 04999"));
	free(ss.r);
	ps_store_close(s);
#ifndef _WIN32
	debian_tools(path, dir);
#endif
	ps_item_free(contact);
	free(nids);
}

static void same_sums(const struct sums *a, const struct sums *b, const char *what)
{
	size_t i, k;

	CHECKF(a->n == b->n, "%s: %zu items, the listing has %zu", what, b->n, a->n);
	for (i = 0; i < a->n; i++) {
		const struct sum_rec *x = &a->r[i], *y = NULL;
		for (k = 0; k < b->n; k++)
			if (b->r[k].nid == x->nid)
				y = &b->r[k];
		CHECKF(y != NULL, "%s: item 0x%x is missing", what, x->nid);
		CHECKF(x->modified == y->modified && x->size == y->size && x->flags == y->flags &&
			strcmp(x->cls, y->cls) == 0 && strcmp(x->subject, y->subject) == 0 &&
			x->nsk == y->nsk && memcmp(x->sk, y->sk, x->nsk) == 0 && x->nck == y->nck &&
			memcmp(x->ck, y->ck, x->nck) == 0, "%s: item 0x%x differs from its listing", what, x->nid);
	}
}

/* ps_store_list_given() gives what the listing gives, for just the items
 * asked for: from the notes of a write, and read back after a reopen. */
void test_store_pst__list_given_like_listing(void)
{
	const char *dir = ps_test_tmpdir();
	ps_item *items[3];
	ps_store *s = NULL;
	uint32_t folder, other, nids[31];
	struct sums all, some;
	char path[1024], name[64];
	int i;

	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	for (i = 0; i < 3; i++)
		CHECK_OK(ps_store_read_item(s, 0x200024 + 0x20 * (uint32_t)i, &items[i]));
	ps_store_close(s);
	snprintf(path, sizeof(path), "%s/given.pst", dir);
	CHECK_OK(ps_store_create(&s, path, "Given"));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &folder));
	CHECK_OK(ps_store_find_folder(s, "/Inbox", &other));
	CHECK_OK(ps_store_begin(s));
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "%sGiven %02d", i % 4 == 0 ? "\x01\x05RE: " : "", i);
		set_subject(items[i % 3], name);
		CHECK_OK(ps_store_put_item(s, folder, items[i % 3], 0, &nids[i]));
	}
	CHECK_OK(ps_store_put_item(s, other, items[0], 0, &nids[30]));
	CHECK_OK(ps_store_commit(s));
	get_sums(s, folder, &all);
	memset(&some, 0, sizeof(some));
	CHECK_OK(ps_store_list_given(s, folder, nids, 31, collect_sum, &some));
	same_sums(&all, &some, "just written");
	free(some.r);
	ps_store_close(s);
	CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
	memset(&some, 0, sizeof(some));
	CHECK_OK(ps_store_list_given(s, folder, nids, 31, collect_sum, &some));
	same_sums(&all, &some, "read back");
	free(some.r);
	ps_store_close(s);
	free(all.r);
	for (i = 0; i < 3; i++)
		ps_item_free(items[i]);
}

/* A model of a folder: NID -> subject, for the random walk below. */
struct model {
	uint32_t *nid;
	char **subject;
	size_t n;
};

static void model_check(ps_store *s, uint32_t folder, const struct model *m, const char *when)
{
	struct sums ss;
	struct folders fs;
	size_t i, k;

	get_sums(s, folder, &ss);
	CHECKF(ss.n == m->n, "%s: %zu items listed, %zu expected", when, ss.n, m->n);
	for (i = 0; i < m->n; i++) {
		for (k = 0; k < ss.n && ss.r[k].nid != m->nid[i]; k++)
			;
		CHECKF(k < ss.n, "%s: item 0x%x is missing", when, m->nid[i]);
		/* the listing gives the first 255 bytes */
		CHECKF(strncmp(ss.r[k].subject, m->subject[i], sizeof(ss.r[k].subject) - 1) == 0,
			"%s: item 0x%x has subject '%.40s', expected '%.40s'", when, m->nid[i],
			ss.r[k].subject, m->subject[i]);
	}
	free(ss.r);
	get_folders(s, &fs);
	for (i = 0; i < fs.n; i++)
		if (fs.f[i].nid == folder)
			CHECKF(fs.f[i].items == m->n, "%s: the folder counts %u items, %zu expected", when,
				fs.f[i].items, m->n);
	free_folders(&fs);
}

/* Random puts, replaces and deletes on a large table, transactions kept
 * open across several changes, the store closed and opened again between
 * rounds; long subjects (beyond a heap allocation) send the table back to
 * whole rows and back again. The listing must follow the model and the
 * file must check clean at every round. */
void test_store_pst__big_table_random(void)
{
	const char *dir = ps_test_tmpdir();
	ps_item *contact = NULL;
	ps_store *s = NULL;
	struct model m;
	uint32_t folder, nid;
	uint64_t rnd = 0x9E3779B97F4A7C15ull;
	char path[1024], text[4200], when[64];
	int round, op, i;

	memset(&m, 0, sizeof(m));
	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	CHECK_OK(ps_store_read_item(s, 0x200024, &contact));
	ps_store_close(s);
	m.nid = calloc(20000, sizeof(*m.nid));
	m.subject = calloc(20000, sizeof(*m.subject));
	CHECK(m.nid && m.subject);
	snprintf(path, sizeof(path), "%s/random.pst", dir);
	CHECK_OK(ps_store_create(&s, path, "Random"));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &folder));
	ps_store_close(s);
	for (round = 0; round < 8; round++) {
		CHECK_OK(ps_store_open(&s, path, PS_STORE_WRITE));
		for (op = 0; op < (round == 0 ? 3000 : 300); op++) {
			int kind;
			size_t at;
			rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
			kind = round == 0 ? 2 : (int)((rnd >> 33) % 10);
			if (op % 100 == 0)
				CHECK_OK(ps_store_begin(s));
			at = m.n ? (size_t)((rnd >> 13) % m.n) : 0;
			if (kind < 3 && m.n) {            /* delete */
				CHECK_OK(ps_store_delete_item(s, m.nid[at]));
				free(m.subject[at]);
				m.nid[at] = m.nid[m.n - 1];
				m.subject[at] = m.subject[m.n - 1];
				m.n--;
			} else {
				int len = (int)((rnd >> 40) % 60) + 5;
				if ((rnd >> 20) % 97 == 0)
					len = 2500;      /* 5000 bytes of UTF-16: a subnode value */
				char prefix[32];
				int plen = snprintf(prefix, sizeof(prefix), "r%d-o%04d-", round, op);
				for (i = 0; i < len; i++)
					text[i] = i < plen ? prefix[i] : (char)('a' + (rnd >> (i % 50)) % 26);
				text[len] = '\0';
				set_subject(contact, text);
				if (kind < 6 && m.n) {   /* replace */
					CHECK_OK(ps_store_put_item(s, folder, contact, m.nid[at], &nid));
					CHECK_EQ_INT(m.nid[at], nid);
					free(m.subject[at]);
					m.subject[at] = ps__strdup(text);
				} else {                  /* add */
					CHECK_OK(ps_store_put_item(s, folder, contact, 0, &nid));
					m.nid[m.n] = nid;
					m.subject[m.n++] = ps__strdup(text);
				}
			}
			if (op % 100 == 99)
				CHECK_OK(ps_store_commit(s));
			if (op % 150 == 75) {
				/* a read in the middle of the transaction sees it */
				snprintf(when, sizeof(when), "round %d, op %d", round, op);
				model_check(s, folder, &m, when);
			}
		}
		snprintf(when, sizeof(when), "round %d", round);
		model_check(s, folder, &m, when);
		ps_store_close(s);
		check_clean(path);
	}
	CHECK_OK(ps_store_open(&s, path, PS_STORE_READ));
	model_check(s, folder, &m, "through libpff");
	ps_store_close(s);
	for (i = 0; i < (int)m.n; i++)
		free(m.subject[i]);
	free(m.subject);
	free(m.nid);
	ps_item_free(contact);
}

/* ---- killed in the middle of a commit ------------------------------------------------ */

#ifndef _WIN32
#define CRASH_ITEMS 300

/* What the store holds, as text: every folder path and item NID and subject. */
static char *store_state(const char *path)
{
	ps_store *s = open_pst(path);
	struct folders fs;
	size_t cap = 1 << 16, len = 0, i, k;
	char *out = malloc(cap);

	CHECK(out);
	out[0] = '\0';
	get_folders(s, &fs);
	for (i = 0; i < fs.n; i++) {
		struct sums ss;
		get_sums(s, fs.f[i].nid, &ss);
		for (k = 0; k <= ss.n; k++) {
			char line[700];
			int n = k < ss.n ? snprintf(line, sizeof(line), "%s#%x %s\n", fs.f[i].path, ss.r[k].nid,
				ss.r[k].subject) : snprintf(line, sizeof(line), "%s: %u items\n", fs.f[i].path,
				fs.f[i].items);
			if (len + (size_t)n + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				CHECK(out);
			}
			memcpy(out + len, line, (size_t)n + 1);
			len += (size_t)n;
		}
		free(ss.r);
	}
	free_folders(&fs);
	ps_store_close(s);
	return out;
}

static int crash_workload(const char *path, ps_item *const *items, size_t nitems)
{
	ps_store *s = NULL;
	uint32_t folder, sub = 0;
	size_t i;
	int rc;

	if ((rc = ps_store_open(&s, path, PS_STORE_WRITE)) < 0)
		return rc;
	if ((rc = ps_store_find_folder(s, "/Inbox", &folder)) == 0 &&
	    (rc = ps_store_begin(s)) == 0 &&
	    (rc = ps_store_create_folder(s, folder, "Crash", NULL, &sub)) == 0) {
		for (i = 0; i < CRASH_ITEMS && rc == 0; i++)
			rc = ps_store_put_item(s, i % 2 ? folder : sub, items[i % nitems], 0, NULL);
		if (rc == 0)
			rc = ps_store_commit(s);
	}
	ps_store_close(s);
	return rc;
}

static void copy_file(const char *from, const char *to)
{
	size_t n;
	void *data = ps_test_read_file(from, &n);

	ps_path_remove(to);
	ps_test_write_file(to, data, n);
	free(data);
}
#endif

void test_store_pst__crash(void)
{
#ifdef _WIN32
	SKIP("crash tests fork a child process: POSIX only");
#else
	const char *dir = ps_test_tmpdir();
	char base[1024], after[1024], work[1024];
	char *before_state, *after_state;
	ps_item *items[8];
	size_t nitems = 0;
	unsigned k, saw_before = 0, saw_after = 0;
	ps_store *s;
	int i;

	s = open_pst(ps_test_sample("aspose-email__SampleContacts1.pst"));
	for (i = 0; i < 6; i++)
		CHECK_OK(ps_store_read_item(s, 0x200024 + 0x20 * (uint32_t)i, &items[nitems++]));
	ps_store_close(s);
	s = open_pst(ps_test_sample("emk_pstsdk__sample1.pst"));        /* 93 KB attachment */
	CHECK_OK(ps_store_read_item(s, 0x200024, &items[nitems++]));
	ps_store_close(s);
	s = open_pst(ps_test_sample("emk_pstsdk__submessage.pst"));     /* embedded message */
	CHECK_OK(ps_store_read_item(s, 0x200024, &items[nitems++]));
	ps_store_close(s);
	snprintf(base, sizeof(base), "%s/base.pst", dir);
	snprintf(after, sizeof(after), "%s/after.pst", dir);
	snprintf(work, sizeof(work), "%s/work.pst", dir);
	CHECK_OK(ps_store_create(&s, base, "Crash"));
	ps_store_close(s);
	before_state = store_state(base);
	copy_file(base, after);
	CHECK_OK(crash_workload(after, items, nitems));
	check_clean(after);
	after_state = store_state(after);
	CHECK(strcmp(before_state, after_state) != 0);
	for (k = 1; ; k++) {
		char *state;
		pid_t pid;
		int status = 0;

		CHECKF(k < 1000, "the transaction never completes");
		copy_file(base, work);
		fflush(NULL);
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			char n[32];
			snprintf(n, sizeof(n), "%u", k);
			setenv("PSTSYNC_KILL_AFTER_WRITES", n, 1);
			_exit(crash_workload(work, items, nitems) == 0 ? 0 : 1);
		}
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status));
		CHECKF(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 99,
			"the child failed at write %u (status %d)", k, WEXITSTATUS(status));
		/* Opening for writing repairs the maps a kill left invalid. */
		CHECK_OK(ps_store_open(&s, work, PS_STORE_WRITE));
		ps_store_close(s);
		check_clean(work);
		state = store_state(work);
		if (strcmp(state, before_state) == 0) {
			saw_before++;
		} else {
			CHECKF(strcmp(state, after_state) == 0, "a kill at write %u leaves a mix", k);
			saw_after++;
		}
		free(state);
		/* libpff opens it too */
		CHECK_OK(ps_store_open(&s, work, PS_STORE_READ));
		ps_store_close(s);
		if (WEXITSTATUS(status) == 0)
			break;
	}
	CHECK(saw_before > 0 && saw_after > 1);
	printf("        %u kills during a commit of %d items: %u left the state before, %u the state after\n",
		k - 1, CRASH_ITEMS, saw_before, saw_after - 1);
	for (i = 0; i < (int)nitems; i++)
		ps_item_free(items[i]);
	free(before_state);
	free(after_state);
#endif
}
