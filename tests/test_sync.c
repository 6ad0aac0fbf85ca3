/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the sync engine (src/core/sync*.c, fingerprint.c) on in-memory
 * stores (tests/mem_store.c) and a real protocol database:
 *
 *   - SHA-256 against the FIPS 180-4 examples; fingerprints that ignore
 *     what differs between copies and see what the user sees;
 *   - the decision table as rows (initial local / protocol / initial global
 *     x direction x answer -> local, global, protocol, questions), every row
 *     for every direction with every answer, each followed by a second sync
 *     that must change nothing;
 *   - the first sync of two folders with 50 shared and 5 own items each;
 *   - the mass-delete guard; questions through the ui, left for later and
 *     asked again, answered between syncs; dry runs; links removed; folders
 *     created;
 *   - a kill at every write of a scenario (the in-memory store fails the
 *     Nth write, before or after it takes effect), then a rerun: the same
 *     state as an uninterrupted sync, and a third sync that changes nothing.
 */
#include "harness.h"
#include "mem_store.h"

#include "core/sha256.h"
#include "core/sync_int.h"
#include "core/utf.h"
#include "pstsync/check.h"
#include "pstsync/os.h"
#include "pstsync/propnames.h"
#include "pstsync/protocol.h"
#include "pstsync/settings.h"
#include "pstsync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

/* ---- items ------------------------------------------------------------------ */

/* A named property with store-local id @p local_id. */
static void set_named_text(ps_propset *set, uint16_t local_id, const ps_guid *guid, uint32_t lid,
	const char *text)
{
	mem_prop_put_text(set, local_id, text);
	set->props[set->count - 1].named.kind = PS_NAME_ID;
	set->props[set->count - 1].named.guid = *guid;
	set->props[set->count - 1].named.lid = lid;
}

#define T0 0x01DA000000000000ULL

/* A contact: subject, body, modification time and (optional) search key. */
static ps_item *contact(const char *subject, const char *body, uint64_t modified, int skey)
{
	ps_item *it = calloc(1, sizeof(*it));

	CHECK(it);
	mem_prop_put_text(&it->props, 0x001A, "IPM.Contact");
	mem_prop_put_text(&it->props, 0x0037, subject);
	mem_prop_put_text(&it->props, 0x1000, body);
	mem_prop_put_time(&it->props, 0x3008, modified);
	set_named_text(&it->props, 0x8005, &PS_PSETID_ADDRESS, 0x8083, "someone@example.com");
	if (skey) {
		uint8_t k[16];
		memset(k, 0, sizeof(k));
		k[0] = (uint8_t)skey;
		k[1] = (uint8_t)(skey >> 8);
		k[15] = 0x5A;
		mem_prop_put(&it->props, PS_PROP_TAG(0x300B, PS_PT_BINARY), k, sizeof(k));
	}
	return it;
}

static char *body_of(const ps_item *it)
{
	return ps_prop_to_utf8(ps_propset_find(&it->props, PS_PROP_TAG(0x1000, PS_PT_UNICODE)));
}

static char *subject_of(const ps_item *it)
{
	return ps_prop_to_utf8(ps_propset_find(&it->props, PS_PROP_TAG(0x0037, PS_PT_UNICODE)));
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's items as "a,b,c" (sorted; each "body", or "subject:body"
 * with @p with_subject), "-" when empty. */
static const char *mem_contents(ps_store *st, uint32_t folder, int with_subject)
{
	static char buf[2][8192];
	static int which;
	uint32_t nids[512];
	char *v[512];
	size_t n = mem_store_items(st, folder, nids, 512), i, len = 0;

	which ^= 1;
	buf[which][0] = '\0';
	CHECK(n <= 512);
	for (i = 0; i < n; i++) {
		const ps_item *it = mem_store_item(st, nids[i]);
		char *b = body_of(it), *s = subject_of(it);
		v[i] = malloc(strlen(b ? b : "") + strlen(s ? s : "") + 2);
		CHECK(v[i]);
		if (with_subject)
			sprintf(v[i], "%s:%s", s ? s : "", b ? b : "");
		else
			strcpy(v[i], b ? b : "");
		free(b);
		free(s);
	}
	qsort(v, n, sizeof(v[0]), strp_cmp);
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(buf[which] + len, sizeof(buf[which]) - len, "%s%s", i ? "," : "", v[i]);
		free(v[i]);
		if (len >= sizeof(buf[which]))
			len = sizeof(buf[which]) - 1;
	}
	if (!n)
		strcpy(buf[which], "-");
	return buf[which];
}

/* ---- an environment: two in-memory stores, a protocol, one link ----------------- */

struct env {
	int real;                  /* 1: PST files made by our writer, checked through libpff */
	char path[2][1024];        /* the PST files, when real */
	mem_world w;
	ps_store *st[2];
	uint32_t folder[2];
	ps_protocol *proto;
	char db[1024];
	ps_options options;
	ps_sync_options opt;
	ps_sync_link_spec link;
	const ps_sync_ui *ui;
	ps_sync_result res;
};

static void env_init(struct env *e, const char *db_name, int direction)
{
	int t;

	memset(e, 0, sizeof(*e));
	e->st[0] = mem_store_new(&e->w, "local.pst");
	e->st[1] = mem_store_new(&e->w, "global.pst");
	for (t = 0; t < 2; t++) {
		e->folder[t] = mem_store_add_folder(e->st[t], "/Contacts", "IPF.Contact");
		CHECK(e->folder[t]);
	}
	snprintf(e->db, sizeof(e->db), "%s", ps_test_path(ps_test_tmpdir(), db_name));
	CHECK_OK(ps_protocol_open(&e->proto, e->db));
	ps_settings_options_default(&e->options);
	ps_sync_options_init(&e->opt);
	e->link.path[0] = "/Contacts";
	e->link.path[1] = "/Contacts";
	e->link.direction = direction;
}

static void env_free(struct env *e)
{
	ps_sync_result_clear(&e->res);
	ps_protocol_close(e->proto);
	ps_store_close(e->st[0]);
	ps_store_close(e->st[1]);
	e->proto = NULL;
}

/* One sync; the result stays in e->res until the next. */
static int env_sync(struct env *e)
{
	ps_sync_result_clear(&e->res);
	return ps_sync_run(e->proto, e->st, "test", &e->link, 1, &e->options, &e->opt, e->ui, &e->res);
}

/* A new process: the protocol opened again. */
static void env_restart(struct env *e)
{
	ps_protocol_close(e->proto);
	e->proto = NULL;
	mem_world_revive(&e->w);
	CHECK_OK(ps_protocol_open(&e->proto, e->db));
}

static int64_t pair_count(struct env *e)
{
	ps_protocol_link l;
	int64_t n = 0;

	if (ps_protocol_link_find(e->proto, &l, e->link.path[0], e->link.path[1]) != PS_OK)
		return 0;
	CHECK_OK(ps_protocol_pair_count(e->proto, l.id, &n));
	ps_protocol_link_clear(&l);
	return n;
}

/* ---- items on either kind of store ---------------------------------------------------- */

struct listed {
	uint32_t nid[512];
	char subject[512][64];
	size_t n;
};

static int listed_cb(const ps_item_summary *it, void *ctx)
{
	struct listed *l = ctx;

	if (l->n < 512) {
		l->nid[l->n] = it->nid;
		snprintf(l->subject[l->n], sizeof(l->subject[0]), "%s", it->subject);
	}
	l->n++;
	return 0;
}

static void env_close_stores(struct env *e)
{
	ps_store_close(e->st[0]);
	ps_store_close(e->st[1]);
	e->st[0] = e->st[1] = NULL;
}

static void env_open_stores(struct env *e)
{
	int t;

	for (t = 0; t < 2; t++)
		CHECK_OK(ps_store_open(&e->st[t], e->path[t], PS_STORE_WRITE));
}

struct wanted {
	const char *subject;
	uint32_t nid;
};

static int wanted_cb(const ps_item_summary *it, void *ctx)
{
	struct wanted *w = ctx;

	if (strcmp(it->subject, w->subject) != 0)
		return 0;
	w->nid = it->nid;
	return 1;
}

/* The NID of the first item of side @p t with subject @p subject. */
static uint32_t find_item(struct env *e, int t, const char *subject)
{
	uint32_t nids[512];
	size_t n, i;

	if (e->real) {
		struct wanted w = { subject, 0 };
		int rc = ps_store_list_items(e->st[t], e->folder[t], wanted_cb, &w);
		CHECK(rc >= 0);
		return w.nid;
	}
	n = mem_store_items(e->st[t], e->folder[t], nids, 512);
	for (i = 0; i < n && i < 512; i++) {
		char *s = subject_of(mem_store_item(e->st[t], nids[i]));
		int same = s && strcmp(s, subject) == 0;
		free(s);
		if (same)
			return nids[i];
	}
	return 0;
}

static void item_add(struct env *e, int t, const ps_item *it)
{
	uint32_t nid = 0;

	if (e->real)
		CHECK_OK(ps_store_put_item(e->st[t], e->folder[t], it, 0, &nid));
	else
		mem_store_add_item(e->st[t], e->folder[t], it);
}

static void item_set(struct env *e, int t, uint32_t nid, const ps_item *it)
{
	uint32_t out = 0;

	CHECK(nid);
	if (e->real)
		CHECK_OK(ps_store_put_item(e->st[t], e->folder[t], it, nid, &out));
	else
		mem_store_set_item(e->st[t], nid, it);
}

static void item_remove(struct env *e, int t, uint32_t nid)
{
	CHECK(nid);
	if (e->real)
		CHECK_OK(ps_store_delete_item(e->st[t], nid));
	else
		mem_store_remove_item(e->st[t], nid);
}

static size_t item_count(struct env *e, int t)
{
	static struct listed l;

	if (!e->real)
		return mem_store_items(e->st[t], e->folder[t], NULL, 0);
	l.n = 0;
	CHECK_OK(ps_store_list_items(e->st[t], e->folder[t], listed_cb, &l));
	return l.n;
}

/*
 * What side @p t's folder holds, as mem_contents() gives it. Real files
 * are read by libpff, not by our own code: the stores are closed, the file
 * opened read-only (the libpff backend), and opened again for writing.
 */
static const char *contents_of(struct env *e, int t, int with_subject)
{
	static char buf[2][8192];
	static int which;
	static struct listed l;
	char *v[512];
	ps_store *r = NULL;
	size_t i, len = 0;

	if (!e->real)
		return mem_contents(e->st[t], e->folder[t], with_subject);
	which ^= 1;
	env_close_stores(e);
	CHECK_OK(ps_store_open(&r, e->path[t], PS_STORE_READ));
	l.n = 0;
	CHECK_OK(ps_store_list_items(r, e->folder[t], listed_cb, &l));
	CHECK(l.n <= 512);
	for (i = 0; i < l.n; i++) {
		ps_item *it = NULL;
		char *b, *s;
		CHECK_OK(ps_store_read_item(r, l.nid[i], &it));
		b = body_of(it);
		s = subject_of(it);
		v[i] = malloc(strlen(b ? b : "") + strlen(s ? s : "") + 2);
		CHECK(v[i]);
		if (with_subject)
			sprintf(v[i], "%s:%s", s ? s : "", b ? b : "");
		else
			strcpy(v[i], b ? b : "");
		free(b);
		free(s);
		ps_item_free(it);
	}
	ps_store_close(r);
	env_open_stores(e);
	qsort(v, l.n, sizeof(v[0]), strp_cmp);
	buf[which][0] = '\0';
	for (i = 0; i < l.n; i++) {
		len += (size_t)snprintf(buf[which] + len, sizeof(buf[which]) - len, "%s%s", i ? "," : "", v[i]);
		free(v[i]);
		if (len >= sizeof(buf[which]))
			len = sizeof(buf[which]) - 1;
	}
	if (!l.n)
		strcpy(buf[which], "-");
	return buf[which];
}

/* A digest of both PST files (real) or the count of writes (memory): what a
 * sync that changes nothing leaves as it was. */
static void snapshot(struct env *e, uint8_t out[32])
{
	ps_sha256 h;
	int t;

	ps__sha256_init(&h);
	if (!e->real) {
		ps__sha256_update(&h, &e->w.writes, sizeof(e->w.writes));
	} else {
		env_close_stores(e);
		for (t = 0; t < 2; t++) {
			size_t n = 0;
			void *data = ps_test_read_file(e->path[t], &n);
			ps__sha256_update(&h, data, n);
			free(data);
		}
		env_open_stores(e);
	}
	ps__sha256_final(&h, out);
}

/* The environment on two new PST files made by our writer. */
static void env_init_real(struct env *e, const char *db_name, int direction)
{
	static const char *const names[2] = { "local", "global" };
	int t;

	memset(e, 0, sizeof(*e));
	e->real = 1;
	for (t = 0; t < 2; t++) {
		char file[128];
		snprintf(file, sizeof(file), "%s-%s.pst", db_name, names[t]);
		snprintf(e->path[t], sizeof(e->path[t]), "%s", ps_test_path(ps_test_tmpdir(), file));
		CHECK_OK(ps_store_create(&e->st[t], e->path[t], names[t]));
		CHECK_OK(ps_store_find_folder(e->st[t], "/Contacts", &e->folder[t]));
	}
	snprintf(e->db, sizeof(e->db), "%s", ps_test_path(ps_test_tmpdir(), db_name));
	CHECK_OK(ps_protocol_open(&e->proto, e->db));
	ps_settings_options_default(&e->options);
	ps_sync_options_init(&e->opt);
	e->link.path[0] = "/Contacts";
	e->link.path[1] = "/Contacts";
	e->link.direction = direction;
}

/* ---- SHA-256 and fingerprints ---------------------------------------------------------- */

static const char *hex(const uint8_t *d, size_t n)
{
	static char buf[129];
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		sprintf(buf + 2 * i, "%02x", d[i]);
	return buf;
}

static void sha256_vectors(void)
{
	uint8_t d[32];
	ps_sha256 c;
	size_t i;
	static char million[1001];

	ps__sha256("abc", 3, d);
	CHECK_EQ_STR("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(d, 32));
	ps__sha256("", 0, d);
	CHECK_EQ_STR("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(d, 32));
	ps__sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	CHECK_EQ_STR("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", hex(d, 32));
	/* one million 'a', fed in uneven pieces */
	memset(million, 'a', sizeof(million));
	ps__sha256_init(&c);
	for (i = 0; i < 1000; i++)
		ps__sha256_update(&c, million, i % 2 ? 999 : 1001);
	ps__sha256_final(&c, d);
	CHECK_EQ_STR("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex(d, 32));
}

/* the standard's vectors through the portable rounds and, where the CPU has
 * them, through its SHA instructions */
void test_sync__sha256_vectors(void)
{
	ps__sha256_hw(0);
	sha256_vectors();
	if (ps__sha256_hw(1))
		sha256_vectors();
}

/* both compressions agree on every length around block boundaries, fed whole
 * and in pieces */
void test_sync__sha256_hw_matches_portable(void)
{
	static uint8_t data[1200];
	uint8_t soft[32], hard[32];
	uint32_t x = 2463534242u;
	size_t n, i;
	int mismatches = 0;

	if (!ps__sha256_hw(1)) {
		SKIP("this CPU has no SHA instructions: the portable code is the only one");
	}
	for (i = 0; i < sizeof(data); i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		data[i] = (uint8_t)x;
	}
	for (n = 0; n <= sizeof(data); n += n < 200 ? 1 : 37) {
		ps_sha256 c;

		ps__sha256_hw(0);
		ps__sha256(data, n, soft);
		ps__sha256_hw(1);
		ps__sha256_init(&c);
		ps__sha256_update(&c, data, n / 3);
		ps__sha256_update(&c, data + n / 3, n - n / 3);
		ps__sha256_final(&c, hard);
		mismatches += memcmp(soft, hard, 32) != 0;
	}
	CHECK_EQ_INT(0, mismatches);
}

void test_sync__fingerprint_ignores_copies_sees_content(void)
{
	uint8_t a[32], b[32];
	ps_item *x = contact("Anna", "hello", T0, 1);
	ps_item *y = contact("Anna", "hello", T0 + 999, 2);   /* other time, other search key */
	static const uint8_t marker[16] = { 1, 2, 3 };
	size_t i;

	ps_sync_fingerprint(x, a);
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) == 0);

	/* the same named property under another store-local id, listed later */
	for (i = 0; i < y->props.count; i++)
		if (PS_PROP_ID(y->props.props[i].tag) == 0x8005)
			y->props.props[i].tag = PS_PROP_TAG(0x8123, PS_PT_UNICODE);
	mem_prop_put(&y->props, PS_PROP_TAG(0x0FFF, PS_PT_BINARY), "entryid", 7);  /* entry ID */
	mem_prop_put(&y->props, PS_PROP_TAG(0x0E08, PS_PT_LONG), "\x10\0\0\0", 4); /* size */
	CHECK_OK(ps_sync__marker_set(y, marker));
	CHECK(ps_sync_marker_find(y) != NULL);
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) == 0);

	/* an 8-bit subject is the same text as a Unicode one */
	for (i = 0; i < y->props.count; i++) {
		if (y->props.props[i].tag == PS_PROP_TAG(0x0037, PS_PT_UNICODE)) {
			free(y->props.props[i].data);
			y->props.props[i].data = malloc(4);
			memcpy(y->props.props[i].data, "Anna", 4);
			y->props.props[i].size = 4;
			y->props.props[i].tag = PS_PROP_TAG(0x0037, PS_PT_STRING8);
		}
	}
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) == 0);

	/* what the user sees counts: the body, a named property's value, a recipient */
	ps_item_free(y);
	y = contact("Anna", "hello!", T0, 1);
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) != 0);
	ps_item_free(y);
	y = contact("Anna", "hello", T0, 1);
	for (i = 0; i < y->props.count; i++)
		if (PS_PROP_ID(y->props.props[i].tag) == 0x8005)
			y->props.props[i].named.lid = 0x8084;
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) != 0);
	ps_item_free(y);
	y = contact("Anna", "hello", T0, 1);
	y->recipients = calloc(1, sizeof(*y->recipients));
	y->recipient_count = 1;
	mem_prop_put_text(&y->recipients[0], 0x3001, "Bob");
	ps_sync_fingerprint(y, b);
	CHECK(memcmp(a, b, 32) != 0);
	ps_item_free(x);
	ps_item_free(y);
}

/* ---- the decision table --------------------------------------------------------------------- */

/*
 * One row: the state of an item on each side before the sync
 *   '-' no item and no pair, 'N' a new item (no pair),
 *   'U' unmodified, 'M' modified, 'D' deleted (all three: a recorded pair)
 * with the link's direction, confirm-deletes and the answers given; then
 * what each folder holds after (bodies: "orig", "local", "global", "new"),
 * how many questions are outstanding and how many pairs are recorded.
 */
struct row {
	int dir;
	char l, g;
	int confirm;
	int conflicts;
	int deletes;
	const char *want[2];
	int outstanding;
	int pairs;
};

#define B PS_DIRECTION_BOTH
#define FG PS_DIRECTION_FROM_GLOBAL
#define TG PS_DIRECTION_TO_GLOBAL
#define C_L PS_SYNC_CONFLICTS_LOCAL
#define C_G PS_SYNC_CONFLICTS_GLOBAL
#define C_B PS_SYNC_CONFLICTS_BOTH
#define C_LATER PS_SYNC_CONFLICTS_LATER
#define D_A PS_SYNC_DELETES_APPLY
#define D_R PS_SYNC_DELETES_RESTORE
#define D_LATER PS_SYNC_DELETES_LATER

static const struct row rows[] = {
	/* both ways */
	{ B, 'U', 'U', 1, C_LATER, D_LATER, { "orig", "orig" }, 0, 1 },
	{ B, 'D', 'D', 1, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ B, 'U', 'M', 1, C_LATER, D_LATER, { "global", "global" }, 0, 1 },
	{ B, 'M', 'U', 1, C_LATER, D_LATER, { "local", "local" }, 0, 1 },
	{ B, 'U', 'D', 0, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ B, 'D', 'U', 0, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ B, 'U', 'D', 1, C_LATER, D_A, { "-", "-" }, 0, 0 },
	{ B, 'U', 'D', 1, C_LATER, D_R, { "orig", "orig" }, 0, 1 },
	{ B, 'U', 'D', 1, C_LATER, D_LATER, { "orig", "-" }, 1, 1 },
	{ B, 'D', 'U', 1, C_LATER, D_A, { "-", "-" }, 0, 0 },
	{ B, 'D', 'U', 1, C_LATER, D_R, { "orig", "orig" }, 0, 1 },
	{ B, 'D', 'U', 1, C_LATER, D_LATER, { "-", "orig" }, 1, 1 },
	{ B, 'M', 'M', 1, C_L, D_LATER, { "local", "local" }, 0, 1 },
	{ B, 'M', 'M', 1, C_G, D_LATER, { "global", "global" }, 0, 1 },
	{ B, 'M', 'M', 1, C_B, D_LATER, { "global,local", "global,local" }, 0, 2 },
	{ B, 'M', 'M', 1, C_LATER, D_LATER, { "local", "global" }, 1, 1 },
	{ B, 'M', 'D', 1, C_L, D_LATER, { "local", "local" }, 0, 1 },
	{ B, 'M', 'D', 1, C_G, D_LATER, { "-", "-" }, 0, 0 },
	{ B, 'M', 'D', 1, C_B, D_LATER, { "local", "local" }, 0, 1 },
	{ B, 'M', 'D', 1, C_LATER, D_LATER, { "local", "-" }, 1, 1 },
	{ B, 'D', 'M', 1, C_L, D_LATER, { "-", "-" }, 0, 0 },
	{ B, 'D', 'M', 1, C_G, D_LATER, { "global", "global" }, 0, 1 },
	{ B, 'D', 'M', 1, C_B, D_LATER, { "global", "global" }, 0, 1 },
	{ B, 'D', 'M', 1, C_LATER, D_LATER, { "-", "global" }, 1, 1 },
	{ B, 'N', '-', 1, C_LATER, D_LATER, { "new", "new" }, 0, 1 },
	{ B, '-', 'N', 1, C_LATER, D_LATER, { "new", "new" }, 0, 1 },
	/* from global only: a read-only subscriber never writes the global store */
	{ FG, 'U', 'U', 1, C_LATER, D_LATER, { "orig", "orig" }, 0, 1 },
	{ FG, 'D', 'D', 1, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ FG, 'U', 'M', 1, C_LATER, D_LATER, { "global", "global" }, 0, 1 },
	{ FG, 'M', 'U', 1, C_G, D_LATER, { "orig", "orig" }, 0, 1 },     /* discard my change */
	{ FG, 'M', 'U', 1, C_L, D_LATER, { "local", "orig" }, 0, 1 },    /* keep mine locally */
	{ FG, 'M', 'U', 1, C_B, D_LATER, { "local", "orig" }, 1, 1 }, /* both: no answer here, left for a person */
	{ FG, 'M', 'U', 1, C_LATER, D_LATER, { "local", "orig" }, 1, 1 },
	{ FG, 'U', 'D', 0, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ FG, 'U', 'D', 1, C_LATER, D_A, { "-", "-" }, 0, 0 },
	{ FG, 'U', 'D', 1, C_LATER, D_R, { "orig", "-" }, 1, 1 },        /* cannot restore global */
	{ FG, 'U', 'D', 1, C_LATER, D_LATER, { "orig", "-" }, 1, 1 },
	{ FG, 'D', 'U', 0, C_G, D_A, { "orig", "orig" }, 0, 1 },         /* a local deletion is a change */
	{ FG, 'D', 'U', 1, C_G, D_LATER, { "orig", "orig" }, 0, 1 },
	{ FG, 'D', 'U', 1, C_L, D_LATER, { "-", "orig" }, 0, 1 },
	{ FG, 'D', 'U', 1, C_LATER, D_LATER, { "-", "orig" }, 1, 1 },
	{ FG, 'M', 'M', 1, C_G, D_LATER, { "global", "global" }, 0, 1 },
	{ FG, 'M', 'M', 1, C_L, D_LATER, { "local", "global" }, 0, 1 },
	{ FG, 'M', 'M', 1, C_B, D_LATER, { "local", "global" }, 1, 1 }, /* both: no answer here, left for a person */
	{ FG, 'M', 'M', 1, C_LATER, D_LATER, { "local", "global" }, 1, 1 },
	{ FG, 'M', 'D', 1, C_G, D_LATER, { "-", "-" }, 0, 0 },
	{ FG, 'M', 'D', 1, C_L, D_LATER, { "local", "-" }, 0, 0 },
	{ FG, 'M', 'D', 1, C_LATER, D_LATER, { "local", "-" }, 1, 1 },
	{ FG, 'D', 'M', 1, C_G, D_LATER, { "global", "global" }, 0, 1 },
	{ FG, 'D', 'M', 1, C_L, D_LATER, { "-", "global" }, 0, 1 },
	{ FG, 'D', 'M', 1, C_LATER, D_LATER, { "-", "global" }, 1, 1 },
	{ FG, 'N', '-', 1, C_LATER, D_LATER, { "new", "-" }, 0, 0 },
	{ FG, '-', 'N', 1, C_LATER, D_LATER, { "new", "new" }, 0, 1 },
	/* to global only: a publisher never writes the local store */
	{ TG, 'U', 'U', 1, C_LATER, D_LATER, { "orig", "orig" }, 0, 1 },
	{ TG, 'D', 'D', 1, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ TG, 'M', 'U', 1, C_LATER, D_LATER, { "local", "local" }, 0, 1 },
	{ TG, 'U', 'M', 1, C_L, D_LATER, { "orig", "orig" }, 0, 1 },     /* discard the global change */
	{ TG, 'U', 'M', 1, C_G, D_LATER, { "orig", "global" }, 0, 1 },   /* keep it there, unlinked */
	{ TG, 'U', 'M', 1, C_B, D_LATER, { "orig", "global" }, 1, 1 }, /* both: no answer here, left for a person */
	{ TG, 'U', 'M', 1, C_LATER, D_LATER, { "orig", "global" }, 1, 1 },
	{ TG, 'D', 'U', 0, C_LATER, D_LATER, { "-", "-" }, 0, 0 },
	{ TG, 'D', 'U', 1, C_LATER, D_A, { "-", "-" }, 0, 0 },
	{ TG, 'D', 'U', 1, C_LATER, D_R, { "-", "orig" }, 1, 1 },        /* cannot restore local */
	{ TG, 'D', 'U', 1, C_LATER, D_LATER, { "-", "orig" }, 1, 1 },
	{ TG, 'U', 'D', 0, C_L, D_A, { "orig", "orig" }, 0, 1 },
	{ TG, 'U', 'D', 1, C_L, D_LATER, { "orig", "orig" }, 0, 1 },
	{ TG, 'U', 'D', 1, C_G, D_LATER, { "orig", "-" }, 0, 1 },
	{ TG, 'U', 'D', 1, C_LATER, D_LATER, { "orig", "-" }, 1, 1 },
	{ TG, 'M', 'M', 1, C_L, D_LATER, { "local", "local" }, 0, 1 },
	{ TG, 'M', 'M', 1, C_G, D_LATER, { "local", "global" }, 0, 1 },
	{ TG, 'M', 'M', 1, C_B, D_LATER, { "local", "global" }, 1, 1 }, /* both: no answer here, left for a person */
	{ TG, 'M', 'M', 1, C_LATER, D_LATER, { "local", "global" }, 1, 1 },
	{ TG, 'M', 'D', 1, C_L, D_LATER, { "local", "local" }, 0, 1 },
	{ TG, 'M', 'D', 1, C_G, D_LATER, { "local", "-" }, 0, 1 },
	{ TG, 'M', 'D', 1, C_LATER, D_LATER, { "local", "-" }, 1, 1 },
	{ TG, 'D', 'M', 1, C_L, D_LATER, { "-", "-" }, 0, 0 },
	{ TG, 'D', 'M', 1, C_G, D_LATER, { "-", "global" }, 0, 0 },
	{ TG, 'D', 'M', 1, C_LATER, D_LATER, { "-", "global" }, 1, 1 },
	{ TG, 'N', '-', 1, C_LATER, D_LATER, { "new", "new" }, 0, 1 },
	{ TG, '-', 'N', 1, C_LATER, D_LATER, { "-", "new" }, 0, 0 },
};

static const char *row_name(const struct row *r)
{
	static char buf[160];
	static const char *const dirs[] = { "both", "from-global", "to-global" };
	static const char *const conflicts[] = { "settings", "ask", "local", "global", "both", "later" };
	static const char *const deletes[] = { "ask", "apply", "restore", "later" };

	snprintf(buf, sizeof(buf), "%s %c/%c confirm=%d conflicts=%s deletes=%s", dirs[r->dir], r->l, r->g,
		r->confirm, conflicts[r->conflicts], deletes[r->deletes]);
	return buf;
}

/* Apply the row's change to side @p t before the sync under test. */
static void mutate(struct env *e, int t, char what)
{
	static const char *const version[2] = { "local", "global" };
	uint32_t nid = find_item(e, t, "X");
	ps_item *it;

	switch (what) {
	case 'M':
		CHECK(nid);
		it = contact("X", version[t], T0 + 1000 * (uint64_t)(t + 1), 1);
		item_set(e, t, nid, it);
		ps_item_free(it);
		break;
	case 'D':
		CHECK(nid);
		item_remove(e, t, nid);
		break;
	case 'N':
		it = contact("N", "new", T0 + 5, 77);
		item_add(e, t, it);
		ps_item_free(it);
		break;
	default:
		break;
	}
}

/* Run one row; a mismatch is appended to @p err. */
static int run_row(const struct row *r, size_t index, int real, char *err, size_t errsize)
{
	struct env e;
	char db[64];
	const char *got[2];
	int64_t pairs;
	uint8_t before[32], after[32];
	int t, rc, bad = 0;
	size_t len = strlen(err);

	snprintf(db, sizeof(db), "row%zu.db", index);
	if (real)
		env_init_real(&e, db, r->dir);
	else
		env_init(&e, db, r->dir);
	if (strchr("UMD", r->l)) {
		/* the item synced once: the same on both sides, paired by the first sync */
		for (t = 0; t < 2; t++) {
			ps_item *it = contact("X", "orig", T0, 1);
			item_add(&e, t, it);
			ps_item_free(it);
		}
		CHECK_OK(env_sync(&e));
		CHECKF(pair_count(&e) == 1 && e.res.counts.paired == 1, "%s: the first sync did not pair (%lld pairs, %u paired, %u copied, %s / %s, rc %d %s)",
			row_name(r), (long long)pair_count(&e), e.res.counts.paired, e.res.counts.copied[0] + e.res.counts.copied[1], contents_of(&e, 0, 1), contents_of(&e, 1, 1), e.res.status, e.res.error ? e.res.error : "");
	}
	mutate(&e, 0, r->l);
	mutate(&e, 1, r->g);
	e.options.confirm_deletes = r->confirm;
	e.opt.conflicts = (ps_sync_conflicts)r->conflicts;
	e.opt.deletes = (ps_sync_deletes)r->deletes;
	rc = env_sync(&e);
	for (t = 0; t < 2; t++)
		got[t] = contents_of(&e, t, 0);
	pairs = pair_count(&e);
	if (rc != PS_OK || strcmp(got[0], r->want[0]) || strcmp(got[1], r->want[1]) ||
	    (int)e.res.counts.outstanding != r->outstanding || pairs != r->pairs) {
		len += (size_t)snprintf(err + len, errsize - len, "\n        row %zu (%s): rc %d, local %s "
			"(want %s), global %s (want %s), outstanding %u (want %d), pairs %lld (want %d)",
			index, row_name(r), rc, got[0], r->want[0], got[1], r->want[1], e.res.counts.outstanding,
			r->outstanding, (long long)pairs, r->pairs);
		bad = 1;
	}
	/* a second sync right after changes nothing */
	snapshot(&e, before);
	rc = env_sync(&e);
	snapshot(&e, after);
	if (!bad && (rc != PS_OK || memcmp(before, after, 32) != 0 || strcmp(contents_of(&e, 0, 0), r->want[0]) ||
	    strcmp(contents_of(&e, 1, 0), r->want[1]) ||
	    (int)e.res.counts.outstanding != r->outstanding || pair_count(&e) != r->pairs)) {
		len += (size_t)snprintf(err + len, errsize - len, "\n        row %zu (%s): the second sync "
			"changed something (rc %d)", index, row_name(r), rc);
		bad = 1;
	}
	if (len >= errsize)
		err[errsize - 1] = '\0';
	env_free(&e);
	return bad;
}

static void run_rows(int dir, int real)
{
	static char err[16384];
	size_t i, failed = 0, ran = 0;

	err[0] = '\0';
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].dir != dir)
			continue;
		ran++;
		failed += (size_t)run_row(&rows[i], i, real, err, sizeof(err));
	}
	CHECKF(failed == 0, "%zu of %zu rows failed:%s", failed, ran, err);
}

void test_sync__table_both(void)
{
	run_rows(PS_DIRECTION_BOTH, 0);
}

void test_sync__table_from_global(void)
{
	run_rows(PS_DIRECTION_FROM_GLOBAL, 0);
}

void test_sync__table_to_global(void)
{
	run_rows(PS_DIRECTION_TO_GLOBAL, 0);
}

/* The same rows on PST files made by our writer, checked through libpff. */
void test_sync__pst_table_both(void)
{
	run_rows(PS_DIRECTION_BOTH, 1);
}

void test_sync__pst_table_from_global(void)
{
	run_rows(PS_DIRECTION_FROM_GLOBAL, 1);
}

void test_sync__pst_table_to_global(void)
{
	run_rows(PS_DIRECTION_TO_GLOBAL, 1);
}

/* ---- first sync: pairing ------------------------------------------------------------------- */

/* 50 contacts on both sides plus 5 of each side's own: 60 on each side, not 110. */
static void initial_pairing(int shared_search_keys)
{
	struct env e;
	int i, t;
	char name[32];

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "shared %02d", i);
		for (t = 0; t < 2; t++) {
			/* typed in separately: other times, other search keys */
			ps_item *it = contact(name, "same", T0 + (uint64_t)t * 77,
				shared_search_keys ? 1000 + i : 2000 + i + 100 * t);
			item_add(&e, t, it);
			ps_item_free(it);
		}
	}
	for (t = 0; t < 2; t++) {
		for (i = 0; i < 5; i++) {
			ps_item *it;
			snprintf(name, sizeof(name), "%s %d", t ? "global" : "local", i);
			it = contact(name, "own", T0, 3000 + 10 * i + t);
			item_add(&e, t, it);
			ps_item_free(it);
		}
	}
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(60, item_count(&e, 0));
	CHECK_EQ_INT(60, item_count(&e, 1));
	CHECK_EQ_INT(50, e.res.counts.paired);
	CHECK_EQ_INT(5, e.res.counts.copied[0]);
	CHECK_EQ_INT(5, e.res.counts.copied[1]);
	CHECK_EQ_INT(60, e.res.links[0].items[0]);
	CHECK_EQ_INT(60, e.res.links[0].items[1]);
	CHECK_EQ_INT(60, pair_count(&e));
	CHECK_EQ_STR(contents_of(&e, 0, 1), contents_of(&e, 1, 1));
	/* nothing to do: only the two contents tables are read, no item */
	e.w.reads = e.w.lists = 0;
	i = e.w.writes;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(i, e.w.writes);
	CHECK_EQ_INT(0, e.w.reads);
	CHECK_EQ_INT(2, e.w.lists);
	env_free(&e);
}

void test_sync__initial_pairs_by_search_key(void)
{
	initial_pairing(1);
}

void test_sync__initial_pairs_by_fingerprint(void)
{
	initial_pairing(0);
}

/* The same search key with other content is the same item changed: a conflict. */
void test_sync__initial_same_key_other_content_is_conflict(void)
{
	struct env e;
	ps_item *a = contact("X", "local", T0, 5), *b = contact("X", "global", T0, 5);

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	item_add(&e, 0, a);
	item_add(&e, 1, b);
	e.opt.conflicts = PS_SYNC_CONFLICTS_LATER;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, e.res.counts.conflicts);
	CHECK_EQ_INT(1, e.res.counts.outstanding);
	CHECK_EQ_INT(0, e.res.counts.paired);
	CHECK_EQ_STR("local", contents_of(&e, 0, 0));
	CHECK_EQ_STR("global", contents_of(&e, 1, 0));
	e.opt.conflicts = PS_SYNC_CONFLICTS_GLOBAL;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_STR("global", contents_of(&e, 0, 0));
	CHECK_EQ_STR("global", contents_of(&e, 1, 0));
	CHECK_EQ_INT(0, e.res.counts.outstanding);
	ps_item_free(a);
	ps_item_free(b);
	env_free(&e);
}

/* ---- mass-delete guard --------------------------------------------------------------------- */

struct answering_ui {
	int calls;
	size_t conflicts, deletes, mass;
	int answer_conflicts, answer_deletes;
	char subjects[1024];
};

static int ask_cb(void *ctx, const char *profile, ps_sync_question *c, size_t nc, ps_sync_question *d,
	size_t nd)
{
	struct answering_ui *u = ctx;
	size_t i;

	(void)profile;
	u->calls++;
	u->conflicts += nc;
	u->deletes += nd;
	for (i = 0; i < nc; i++) {
		c[i].answer = u->answer_conflicts;
		strncat(u->subjects, c[i].subject, sizeof(u->subjects) - strlen(u->subjects) - 2);
		strcat(u->subjects, ";");
	}
	for (i = 0; i < nd; i++) {
		u->mass += (size_t)d[i].mass_delete;
		d[i].answer = u->answer_deletes;
	}
	return 0;
}

static void fill(struct env *e, int n)
{
	int i, t;
	char name[32];

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "item %02d", i);
		for (t = 0; t < 2; t++) {
			ps_item *it = contact(name, "orig", T0, 100 + i);
			item_add(e, t, it);
			ps_item_free(it);
		}
	}
}

static void empty_side(struct env *e, int t)
{
	uint32_t nids[512];
	size_t n = mem_store_items(e->st[t], e->folder[t], nids, 512), i;

	for (i = 0; i < n; i++)
		item_remove(e, t, nids[i]);
}

void test_sync__mass_delete_guard(void)
{
	struct env e;
	struct answering_ui u;
	ps_sync_ui ui;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 10);
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(10, e.res.counts.paired);

	/* the global folder emptied, deletions set to run without asking */
	empty_side(&e, 1);
	e.options.confirm_deletes = 0;
	e.opt.deletes = PS_SYNC_DELETES_APPLY;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(10, item_count(&e, 0));
	CHECK_EQ_INT(10, e.res.counts.deletes_asked);
	CHECK_EQ_INT(10, e.res.counts.outstanding);
	CHECK_EQ_INT(0, e.res.counts.deleted[0]);

	/* a ui is asked, and told they are mass deletions */
	memset(&u, 0, sizeof(u));
	u.answer_deletes = PS_ANSWER_LATER;
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.ask = ask_cb;
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, u.calls);
	CHECK_EQ_INT(10, u.deletes);
	CHECK_EQ_INT(10, u.mass);
	CHECK_EQ_INT(10, item_count(&e, 0));

	/* explicitly allowed: they run */
	e.ui = NULL;
	e.opt.mass_delete_ok = 1;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, item_count(&e, 0));
	CHECK_EQ_INT(10, e.res.counts.deleted[0]);
	CHECK_EQ_INT(0, e.res.counts.outstanding);
	CHECK_EQ_INT(0, pair_count(&e));
	env_free(&e);

	/* below the threshold deletions run at once */
	env_init(&e, "p2.db", PS_DIRECTION_BOTH);
	fill(&e, 10);
	CHECK_OK(env_sync(&e));
	item_remove(&e, 1, find_item(&e, 1, "item 03"));
	item_remove(&e, 1, find_item(&e, 1, "item 04"));
	e.options.confirm_deletes = 0;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(2, e.res.counts.deleted[0]);
	CHECK_EQ_INT(8, item_count(&e, 0));
	env_free(&e);
}

/* ---- questions ------------------------------------------------------------------------------- */

void test_sync__questions_grouped_later_asked_again(void)
{
	struct env e;
	struct answering_ui u;
	ps_sync_ui ui;
	ps_item *it;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 4);
	CHECK_OK(env_sync(&e));
	/* two conflicts, one deletion to confirm */
	it = contact("item 00", "local", T0 + 5, 100);
	item_set(&e, 0, find_item(&e, 0, "item 00"), it);
	ps_item_free(it);
	it = contact("item 00", "global", T0 + 6, 100);
	item_set(&e, 1, find_item(&e, 1, "item 00"), it);
	ps_item_free(it);
	it = contact("item 01", "local", T0 + 5, 101);
	item_set(&e, 0, find_item(&e, 0, "item 01"), it);
	ps_item_free(it);
	item_remove(&e, 1, find_item(&e, 1, "item 01"));
	item_remove(&e, 1, find_item(&e, 1, "item 02"));
	/* and a change that needs no question, done before asking */
	it = contact("item 03", "local", T0 + 5, 103);
	item_set(&e, 0, find_item(&e, 0, "item 03"), it);
	ps_item_free(it);

	memset(&u, 0, sizeof(u));
	u.answer_conflicts = PS_ANSWER_LATER;
	u.answer_deletes = PS_ANSWER_LATER;
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.ask = ask_cb;
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, u.calls);             /* once, with both lists */
	CHECK_EQ_INT(2, u.conflicts);
	CHECK_EQ_INT(1, u.deletes);
	CHECK_EQ_INT(3, e.res.counts.outstanding);
	CHECK_EQ_INT(1, e.res.counts.overwritten[1]);
	CHECK(strstr(u.subjects, "item 00") && strstr(u.subjects, "item 01"));

	/* asked again next time, never resolved silently */
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(2, u.calls);
	CHECK_EQ_INT(4, u.conflicts);
	CHECK_EQ_INT(3, e.res.counts.outstanding);

	/* answered: local wins, the deletion is confirmed */
	u.answer_conflicts = PS_ANSWER_KEEP_LOCAL;
	u.answer_deletes = PS_ANSWER_DELETE;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, e.res.counts.outstanding);
	CHECK_EQ_STR("item 00:local,item 01:local,item 03:local", contents_of(&e, 1, 1));
	CHECK_EQ_STR("item 00:local,item 01:local,item 03:local", contents_of(&e, 0, 1));
	/* an answer the question does not allow counts as "later" */
	env_free(&e);
}

static int first_question(const ps_protocol_question *q, void *ctx)
{
	*(int64_t *)ctx = q->id;
	return 1;
}

/* An answer recorded between syncs (the tray's window) is carried out without asking. */
void test_sync__answer_recorded_between_syncs(void)
{
	struct env e;
	struct answering_ui u;
	ps_sync_ui ui;
	ps_item *it;
	int64_t id = 0;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 2);
	CHECK_OK(env_sync(&e));
	it = contact("item 00", "local", T0 + 5, 100);
	item_set(&e, 0, find_item(&e, 0, "item 00"), it);
	ps_item_free(it);
	it = contact("item 00", "global", T0 + 6, 100);
	item_set(&e, 1, find_item(&e, 1, "item 00"), it);
	ps_item_free(it);
	e.opt.conflicts = PS_SYNC_CONFLICTS_LATER;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, e.res.counts.outstanding);
	CHECK_EQ_INT(1, ps_protocol_question_list(e.proto, 0, PS_QUESTIONS_OUTSTANDING, first_question, &id));
	CHECK(id > 0);
	CHECK_OK(ps_protocol_question_answer(e.proto, id, PS_ANSWER_KEEP_GLOBAL));

	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.ask = ask_cb;
	e.ui = &ui;
	e.opt.conflicts = PS_SYNC_CONFLICTS_ASK;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, u.calls);
	CHECK_EQ_INT(0, e.res.counts.outstanding);
	CHECK_EQ_STR("item 00:global,item 01:orig", contents_of(&e, 0, 1));
	CHECK_EQ_STR("item 00:global,item 01:orig", contents_of(&e, 1, 1));
	env_free(&e);
}

/* ---- dry runs, links, folders ---------------------------------------------------------------- */

struct recording_ui {
	int kinds[8];
	int planned, warnings;
};

static void action_cb(void *ctx, const ps_sync_action *a)
{
	struct recording_ui *u = ctx;

	if ((unsigned)a->kind < 8)
		u->kinds[a->kind]++;
	u->planned += a->planned;
}

static void warning_cb(void *ctx, const char *profile, const char *message)
{
	(void)profile;
	(void)message;
	((struct recording_ui *)ctx)->warnings++;
}

static int history_cb(const ps_protocol_sync *s, void *ctx)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

static int history_rows(struct env *e)
{
	int n = 0;

	CHECK_OK(ps_protocol_history_last(e->proto, 100, history_cb, &n));
	return n;
}

/* Six items synced, then one change of every kind on one side or the other. */
static void scenario_changes(struct env *e)
{
	static const char *const names[] = { "item 00", "item 01", "item 04" };
	ps_item *it;
	int i;

	fill(e, 6);
	CHECK_OK(env_sync(e));
	it = contact("item 00", "local", T0 + 5, 100);
	item_set(e, 0, find_item(e, 0, names[0]), it);
	ps_item_free(it);
	it = contact("item 01", "global", T0 + 5, 101);
	item_set(e, 1, find_item(e, 1, names[1]), it);
	ps_item_free(it);
	item_remove(e, 0, find_item(e, 0, "item 02"));
	item_remove(e, 1, find_item(e, 1, "item 03"));
	for (i = 0; i < 2; i++) {
		it = contact("item 04", i ? "global" : "local", T0 + 7 + (uint64_t)i, 104);
		item_set(e, i, find_item(e, i, names[2]), it);
		ps_item_free(it);
	}
	for (i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "new L%d", i);
		it = contact(name, "new", T0, 200 + i);
		item_add(e, 0, it);
		ps_item_free(it);
		snprintf(name, sizeof(name), "new G%d", i);
		it = contact(name, "new", T0, 300 + i);
		item_add(e, 1, it);
		ps_item_free(it);
	}
	e->options.confirm_deletes = 0;
	e->opt.conflicts = PS_SYNC_CONFLICTS_BOTH;
	e->opt.batch_size = 2;
}

void test_sync__dry_run_changes_nothing(void)
{
	struct env e;
	struct recording_ui u;
	ps_sync_ui ui;
	char before[2][8192];
	int64_t pairs;
	int t, writes, hist;
	ps_sync_counts planned;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	scenario_changes(&e);
	for (t = 0; t < 2; t++)
		snprintf(before[t], sizeof(before[t]), "%s", contents_of(&e, t, 1));
	pairs = pair_count(&e);
	hist = history_rows(&e);
	writes = e.w.writes;
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.action = action_cb;
	ui.warning = warning_cb;
	ui.ask = ask_cb; /* never called in a dry run */
	e.ui = &ui;
	e.opt.dry_run = 1;
	e.opt.conflicts = PS_SYNC_CONFLICTS_ASK;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(writes, e.w.writes);
	for (t = 0; t < 2; t++)
		CHECK_EQ_STR(before[t], contents_of(&e, t, 1));
	CHECK_EQ_INT(pairs, pair_count(&e));
	CHECK_EQ_INT(hist, history_rows(&e));
	CHECK_EQ_INT(3, u.kinds[PS_SYNC_COPY] - 3); /* 3 each way */
	CHECK_EQ_INT(2, u.kinds[PS_SYNC_OVERWRITE]);
	CHECK_EQ_INT(2, u.kinds[PS_SYNC_DELETE]);
	CHECK_EQ_INT(1, u.kinds[PS_SYNC_ASK_CONFLICT]);
	CHECK_EQ_INT(u.planned, u.kinds[PS_SYNC_COPY] + 5);
	planned = e.res.counts;
	CHECK_EQ_INT(1, planned.conflicts);

	/* the real sync does what was planned */
	e.opt.dry_run = 0;
	e.opt.conflicts = PS_SYNC_CONFLICTS_LATER;
	e.ui = NULL;
	CHECK_OK(env_sync(&e));
	for (t = 0; t < 2; t++) {
		CHECK_EQ_INT(planned.copied[t], e.res.counts.copied[t]);
		CHECK_EQ_INT(planned.overwritten[t], e.res.counts.overwritten[t]);
		CHECK_EQ_INT(planned.deleted[t], e.res.counts.deleted[t]);
	}
	env_free(&e);
}

void test_sync__removed_link_loses_protocol(void)
{
	struct env e;
	ps_sync_link_spec links[2];
	ps_protocol_link l;
	ps_item *it = contact("c", "x", T0, 9);

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	mem_store_add_folder(e.st[0], "/Calendar", "IPF.Appointment");
	mem_store_add_folder(e.st[1], "/Calendar", "IPF.Appointment");
	item_add(&e, 0, it);
	ps_item_free(it);
	links[0] = e.link;
	links[1].path[0] = "/Calendar";
	links[1].path[1] = "/Calendar";
	links[1].direction = PS_DIRECTION_FROM_GLOBAL;
	CHECK_OK(ps_sync_run(e.proto, e.st, "test", links, 2, &e.options, &e.opt, NULL, &e.res));
	CHECK_EQ_INT(2, e.res.link_count);
	CHECK_OK(ps_protocol_link_find(e.proto, &l, "/Calendar", "/Calendar"));
	CHECK_EQ_INT(PS_PROTOCOL_FROM_GLOBAL, l.direction);
	ps_protocol_link_clear(&l);
	/* a changed direction is recorded; a link no longer in the profile goes */
	links[1].direction = PS_DIRECTION_BOTH;
	ps_sync_result_clear(&e.res);
	CHECK_OK(ps_sync_run(e.proto, e.st, "test", links, 2, &e.options, &e.opt, NULL, &e.res));
	CHECK_OK(ps_protocol_link_find(e.proto, &l, "/Calendar", "/Calendar"));
	CHECK_EQ_INT(PS_PROTOCOL_BOTH, l.direction);
	ps_protocol_link_clear(&l);
	ps_sync_result_clear(&e.res);
	CHECK_OK(ps_sync_run(e.proto, e.st, "test", &links[1], 1, &e.options, &e.opt, NULL, &e.res));
	CHECK_STATUS(PS_ENOTFOUND, ps_protocol_link_find(e.proto, &l, "/Contacts", "/Contacts"));
	env_free(&e);
}

/* Counts (in planned) the folders below "/Shared" of class IPF.Contact. */
static int folder_class_cb(const ps_folder_info *f, void *ctx)
{
	struct recording_ui *u = ctx;

	if (strncmp(f->path, "/Shared", 7) == 0 && strcmp(f->container_class, "IPF.Contact") == 0)
		u->planned++;
	return 0;
}

void test_sync__missing_folder_created_with_class(void)
{
	struct env e;
	ps_item *it = contact("c", "x", T0, 9);
	uint32_t nids[4];
	struct recording_ui u;
	ps_sync_ui ui;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	item_add(&e, 0, it);
	ps_item_free(it);
	e.link.path[1] = "/Shared/Office%2FContacts";
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.action = action_cb;
	ui.warning = warning_cb;
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, u.kinds[PS_SYNC_CREATE_FOLDER]);
	CHECK_EQ_INT(1, e.res.counts.copied[1]);
	CHECK_STATUS(PS_OK, ps_store_walk_folders(e.st[1], folder_class_cb, &u));
	CHECK_EQ_INT(2, u.planned); /* "/Shared" and "/Shared/Office%2FContacts", both IPF.Contact */
	CHECK_EQ_INT(PS_OK, e.res.links[0].status);
	CHECK_EQ_INT(0, mem_store_items(e.st[1], e.folder[1], nids, 4));
	env_free(&e);

	/* a read-only link does not create the global folder: the link fails, the profile not */
	env_init(&e, "p2.db", PS_DIRECTION_FROM_GLOBAL);
	e.link.path[1] = "/Nowhere";
	memset(&u, 0, sizeof(u));
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(PS_ENOTFOUND, e.res.links[0].status);
	CHECK(e.res.links[0].error && strstr(e.res.links[0].error, "/Nowhere"));
	CHECK_EQ_INT(1, u.warnings);
	env_free(&e);
}

/* ---- kills ----------------------------------------------------------------------------------- */

/* A first sync: own items on both sides, two alike, one the same item changed. */
static void scenario_initial(struct env *e)
{
	static const char *const own[2][3] = { { "a", "b", "c" }, { "x", "y", "z" } };
	ps_item *it;
	int t, i;

	for (t = 0; t < 2; t++) {
		for (i = 0; i < 3; i++) {
			it = contact(own[t][i], "own", T0, 400 + 10 * i + t);
			item_add(e, t, it);
			ps_item_free(it);
		}
		it = contact("shared key", "same", T0, 500);
		item_add(e, t, it);
		ps_item_free(it);
		it = contact("shared content", "same", T0 + (uint64_t)t, 600 + t);
		item_add(e, t, it);
		ps_item_free(it);
		it = contact("changed", t ? "global" : "local", T0, 700);
		item_add(e, t, it);
		ps_item_free(it);
	}
	e->opt.conflicts = PS_SYNC_CONFLICTS_BOTH;
	e->opt.batch_size = 3;
}

static void kill_everywhere(void (*scenario)(struct env *))
{
	struct env e;
	char want[2][8192], db[64];
	int ref_writes, n, after, t, base, writes, rc, killed = 0;

	env_init(&e, "ref.db", PS_DIRECTION_BOTH);
	scenario(&e);
	base = e.w.writes;
	CHECK_OK(env_sync(&e));
	ref_writes = e.w.writes - base;
	CHECK(ref_writes > 4);
	for (t = 0; t < 2; t++)
		snprintf(want[t], sizeof(want[t]), "%s", contents_of(&e, t, 1));
	CHECK_EQ_STR(want[0], want[1]);
	env_free(&e);

	for (after = 0; after < 2; after++) {
		for (n = 1; n <= ref_writes + 1; n++) {
			snprintf(db, sizeof(db), "k%d-%d.db", after, n);
			env_init(&e, db, PS_DIRECTION_BOTH);
			scenario(&e);
			e.w.fail_at = e.w.writes + n;
			e.w.after_effect = after;
			rc = env_sync(&e);        /* killed at the Nth write */
			CHECKF((rc < 0) == (n <= ref_writes), "kill at write %d: the sync returned %d", n, rc);
			killed += rc < 0;
			env_restart(&e);
			CHECKF(env_sync(&e) == PS_OK, "kill at write %d (%s effect): rerun failed: %s", n,
				after ? "after" : "before", ps_error_last());
			for (t = 0; t < 2; t++)
				CHECKF(strcmp(want[t], contents_of(&e, t, 1)) == 0,
					"kill at write %d (%s effect): %s has\n        %s\n        want\n        %s", n,
					after ? "after" : "before", t ? "global" : "local",
					contents_of(&e, t, 1), want[t]);
			writes = e.w.writes;
			CHECK_OK(env_sync(&e));
			CHECKF(writes == e.w.writes, "kill at write %d (%s effect): a third sync wrote",
				n, after ? "after" : "before");
			CHECK_EQ_INT(0, e.res.counts.outstanding);
			env_free(&e);
		}
	}
	CHECK_EQ_INT(2 * ref_writes, killed);
	if (getenv("V"))
		printf("        %d writes, killed at each, before and after it takes effect\n", ref_writes);
}

void test_sync__kill_at_every_write_changes(void)
{
	kill_everywhere(scenario_changes);
}

void test_sync__kill_at_every_write_initial(void)
{
	kill_everywhere(scenario_initial);
}

/* ---- real PST files through ps_sync_profile() -------------------------------------------- */

static void new_pst(const char *path, const char *const *subjects, size_t n, const char *extra_folder)
{
	ps_store *s = NULL;
	uint32_t folder = 0, nid = 0, root = 0;
	size_t i;

	CHECK_OK(ps_store_create(&s, path, NULL));
	CHECK_OK(ps_store_find_folder(s, "/Contacts", &folder));
	for (i = 0; i < n; i++) {
		/* one search key per contact, the same in every store: an item
		 * and its copies share it, other items never do */
		int key = 900;
		const char *c;
		ps_item *it;
		for (c = subjects[i]; *c; c++)
			key = key * 31 + (unsigned char)*c;
		it = contact(subjects[i], "orig", T0, key & 0x7FFF);
		CHECK_OK(ps_store_put_item(s, folder, it, 0, &nid));
		ps_item_free(it);
	}
	if (extra_folder) {
		CHECK_OK(ps_store_find_folder(s, "/", &root));
		CHECK_OK(ps_store_create_folder(s, root, extra_folder, "IPF.Appointment", &nid));
	}
	ps_store_close(s);
}

static size_t pst_count(const char *path, const char *folder_path)
{
	ps_store *s = NULL;
	uint32_t folder = 0;
	struct listed *l = calloc(1, sizeof(*l));
	size_t n;

	CHECK(l);
	CHECK_OK(ps_store_open(&s, path, PS_STORE_READ)); /* libpff */
	CHECK_OK(ps_store_find_folder(s, folder_path, &folder));
	CHECK_OK(ps_store_list_items(s, folder, listed_cb, l));
	n = l->n;
	free(l);
	ps_store_close(s);
	return n;
}

void test_sync__pst_profile(void)
{
	static const char *const mine[] = { "Anna", "Bert", "Carl" };
	static const char *const theirs[] = { "Anna", "Dora" };
	const char *dir = ps_test_tmpdir();
	char local[1024], global[1024], ini[1024], *proto = NULL;
	ps_settings *s = NULL;
	ps_profile *p = NULL;
	ps_sync_result r;
	ps_sync_options opt;
	ps_store *held = NULL;
	uint64_t t0;

	snprintf(local, sizeof(local), "%s", ps_test_path(dir, "outlook.pst"));
	snprintf(global, sizeof(global), "%s", ps_test_path(dir, "common.pst"));
	snprintf(ini, sizeof(ini), "%s", ps_test_path(dir, "cfg/pstsync.ini"));
	new_pst(local, mine, 3, NULL);
	new_pst(global, theirs, 2, "Office calendar");
	CHECK_OK(ps_settings_load(&s, ini));
	CHECK_OK(ps_settings_profile_add(&p, s, "Office (Anna's PC)", local, global));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Contacts", "/Contacts", PS_DIRECTION_BOTH));
	CHECK_OK(ps_profile_link_add(NULL, p, "/Calendar/Office", "/Office calendar",
		PS_DIRECTION_FROM_GLOBAL));
	CHECK_OK(ps_sync_protocol_path(s, p, &proto));
	CHECK(strstr(proto, "cfg/protocol-office-anna-s-pc-") != NULL);

	/* a dry run of a profile never synced creates nothing */
	ps_sync_options_init(&opt);
	opt.dry_run = 1;
	CHECK_OK(ps_sync_profile(s, p, &opt, NULL, &r));
	CHECK_EQ_INT(1, r.counts.paired);
	CHECK_EQ_INT(2, r.counts.copied[1]);
	CHECK_EQ_INT(PS_PATH_NONE, ps_path_kind(proto));
	CHECK_EQ_INT(3, pst_count(local, "/Contacts"));
	ps_sync_result_clear(&r);

	CHECK_OK(ps_sync_profile(s, p, NULL, NULL, &r));
	CHECK_EQ_INT(PS_OK, r.status);
	CHECK_EQ_INT(2, r.link_count);
	CHECK_EQ_INT(1, r.links[0].counts.paired);
	CHECK_EQ_INT(2, r.links[0].counts.copied[1]);
	CHECK_EQ_INT(1, r.links[0].counts.copied[0]);
	CHECK_EQ_INT(4, r.links[0].items[0]);
	CHECK_EQ_INT(4, r.links[0].items[1]);
	CHECK_EQ_INT(PS_OK, r.links[1].status);  /* the local folder was created */
	CHECK_EQ_INT(PS_PATH_FILE, ps_path_kind(proto));
	ps_sync_result_clear(&r);
	CHECK_EQ_INT(4, pst_count(local, "/Contacts"));
	CHECK_EQ_INT(4, pst_count(global, "/Contacts"));
	CHECK_EQ_INT(0, pst_count(local, "/Calendar/Office"));

	/* nothing to do */
	CHECK_OK(ps_sync_profile(s, p, NULL, NULL, &r));
	CHECK_EQ_INT(0, r.counts.copied[0] + r.counts.copied[1] + r.counts.overwritten[0] +
		r.counts.overwritten[1] + r.counts.deleted[0] + r.counts.deleted[1] + r.counts.paired);
	ps_sync_result_clear(&r);

	/* the global store held by another writer: a clear message naming the file */
	CHECK_OK(ps_store_open(&held, global, PS_STORE_WRITE));
	ps_sync_options_init(&opt);
	opt.lock_wait_ms = 300;
	t0 = ps_clock_ns();
	CHECK_STATUS(PS_ELOCKED, ps_sync_profile(s, p, &opt, NULL, &r));
	CHECK(ps_clock_ns() - t0 >= 250000000ULL);
	CHECK(r.error && strstr(r.error, "common.pst") && strstr(r.error, "Office (Anna's PC)"));
	CHECK_EQ_INT(PS_ELOCKED, r.status);
	ps_sync_result_clear(&r);
	ps_store_close(held);

	/* a missing store likewise */
	CHECK_OK(ps_profile_set_stores(p, ps_test_path(dir, "gone.pst"), NULL));
	CHECK_STATUS(PS_ENOTFOUND, ps_sync_profile(s, p, NULL, NULL, &r));
	CHECK(r.error && strstr(r.error, "gone.pst"));
	ps_sync_result_clear(&r);
	free(proto);
	ps_settings_free(s);
}

/* ---- real PST files killed at every write -------------------------------------------------- */

#ifndef _WIN32
static void copy_file(const char *from, const char *to)
{
	size_t n = 0;
	void *data = ps_test_read_file(from, &n);

	ps_path_remove(to);
	ps_test_write_file(to, data, n);
	free(data);
}

/* The files of @p e (stores closed, protocol closed) copied to tag's names in @p c. */
static void env_copy(const struct env *e, struct env *c, const char *tag)
{
	static const char *const names[2] = { "local", "global" };
	char file[128];
	int t;

	*c = *e;
	memset(&c->res, 0, sizeof(c->res));
	c->st[0] = c->st[1] = NULL;
	c->proto = NULL;
	for (t = 0; t < 2; t++) {
		snprintf(file, sizeof(file), "%s-%s.pst", tag, names[t]);
		snprintf(c->path[t], sizeof(c->path[t]), "%s", ps_test_path(ps_test_tmpdir(), file));
		copy_file(e->path[t], c->path[t]);
	}
	snprintf(file, sizeof(file), "%s.db", tag);
	snprintf(c->db, sizeof(c->db), "%s", ps_test_path(ps_test_tmpdir(), file));
	copy_file(e->db, c->db);
}

static void env_open(struct env *e)
{
	env_open_stores(e);
	CHECK_OK(ps_protocol_open(&e->proto, e->db));
}

static void env_close(struct env *e)
{
	env_close_stores(e);
	ps_protocol_close(e->proto);
	e->proto = NULL;
	ps_sync_result_clear(&e->res);
}

static void pst_kill_at_every_write(void)
{
	struct env tpl, ref, k;
	char want[2][8192];
	uint8_t before[32], after[32];
	int n, t, finished = 0, kills = 0;
	const char *max_env = getenv("PSTSYNC_TEST_KILLS");
	int max = max_env ? atoi(max_env) : 2000;

	/* the scenario up to the sync under test, then closed: the template */
	env_init_real(&tpl, "tpl", PS_DIRECTION_BOTH);
	scenario_changes(&tpl);
	env_close(&tpl);

	env_copy(&tpl, &ref, "ref");
	env_open(&ref);
	CHECK_OK(env_sync(&ref));
	for (t = 0; t < 2; t++)
		snprintf(want[t], sizeof(want[t]), "%s", contents_of(&ref, t, 1));
	CHECK_EQ_STR(want[0], want[1]);
	env_close(&ref);

	for (n = 1; !finished && n <= max; n++) {
		pid_t pid;
		int status = 0;

		env_copy(&tpl, &k, "k");
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			/* the child: a sync that ends with the process at the Nth write */
			char v[16];
			snprintf(v, sizeof(v), "%d", n);
			setenv("PSTSYNC_KILL_AFTER_WRITES", v, 1);
			if (ps_store_open(&k.st[0], k.path[0], PS_STORE_WRITE) < 0 ||
			    ps_store_open(&k.st[1], k.path[1], PS_STORE_WRITE) < 0 ||
			    ps_protocol_open(&k.proto, k.db) < 0) {
				fprintf(stderr, "kill at write %d: cannot open: %s\n", n, ps_error_last());
				_exit(2);
			}
			_exit(env_sync(&k) == PS_OK ? 0 : 3);
		}
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECKF(WIFEXITED(status) && (WEXITSTATUS(status) == 99 || WEXITSTATUS(status) == 0),
			"kill at write %d: the child ended with status 0x%x", n, status);
		finished = WEXITSTATUS(status) == 0;
		kills += !finished;
		/* the next run finishes the sync */
		env_open(&k);
		CHECKF(env_sync(&k) == PS_OK, "kill at write %d: rerun failed: %s", n, ps_error_last());
		for (t = 0; t < 2; t++)
			CHECKF(strcmp(want[t], contents_of(&k, t, 1)) == 0,
				"kill at write %d: %s has\n        %s\n        want\n        %s", n,
				t ? "global" : "local", contents_of(&k, t, 1), want[t]);
		snapshot(&k, before);
		CHECK_OK(env_sync(&k));
		snapshot(&k, after);
		CHECKF(memcmp(before, after, 32) == 0, "kill at write %d: a third sync changed the files", n);
		CHECK_EQ_INT(0, k.res.counts.outstanding);
		env_close(&k);
	}
	CHECK(kills > 10);
	if (getenv("V"))
		printf("        killed at each of %d file writes and syncs%s\n", kills,
			finished ? "" : " (stopped at PSTSYNC_TEST_KILLS)");
}
#endif

/* PSTSYNC_KILL_AFTER_WRITES in a forked child: every file write of a sync,
 * then a rerun (POSIX only: Windows has no fork). */
void test_sync__pst_kill_at_every_write(void)
{
#ifdef _WIN32
	SKIP("needs fork(); the in-memory kill tests cover the engine on Windows");
#else
	pst_kill_at_every_write();
#endif
}

/* ---- figures ------------------------------------------------------------------------------------ */

/*
 * An initial sync of 10,000 contacts (PSTSYNC_TEST_ITEMS) into an empty
 * folder, a sync with nothing to do, and a sync of 100 changes on the same
 * stores; the figures are printed with V=1. The no-change sync must read
 * no item (only the two contents tables).
 */
struct by_index {
	uint32_t *nid;
	int n;
};

/* "contact 01234" -> nid[1234] */
static int by_index_cb(const ps_item_summary *it, void *ctx)
{
	struct by_index *bi = ctx;
	int k;

	if (sscanf(it->subject, "contact %d", &k) == 1 && k >= 0 && k < bi->n)
		bi->nid[k] = it->nid;
	return 0;
}

void test_sync__pst_timings(void)
{
	struct env e;
	const char *n_env = getenv("PSTSYNC_TEST_ITEMS");
	int n = n_env ? atoi(n_env) : 10000, i, t;
	uint64_t t0, t_init, t_none, t_100;
	uint32_t nid = 0;

	env_init_real(&e, "bench.db", PS_DIRECTION_BOTH);
	CHECK_OK(ps_store_begin(e.st[0]));
	for (i = 0; i < n; i++) {
		char name[32];
		ps_item *it;
		snprintf(name, sizeof(name), "contact %05d", i);
		it = contact(name, "orig", T0 + (uint64_t)i, 10000 + i);
		CHECK_OK(ps_store_put_item(e.st[0], e.folder[0], it, 0, &nid));
		ps_item_free(it);
	}
	CHECK_OK(ps_store_commit(e.st[0]));
	t0 = ps_clock_ns();
	CHECK_OK(env_sync(&e));
	t_init = ps_clock_ns() - t0;
	CHECK_EQ_INT(n, e.res.counts.copied[1]);
	CHECK_EQ_INT(n, item_count(&e, 1));

	t0 = ps_clock_ns();
	CHECK_OK(env_sync(&e));
	t_none = ps_clock_ns() - t0;
	CHECK_EQ_INT(0, e.res.counts.copied[0] + e.res.counts.copied[1] + e.res.counts.overwritten[1]);

	/* 100 changes: 50 modified locally, 50 globally (NIDs listed first, one
	 * transaction a side, as Outlook would not but the set-up may) */
	for (t = 0; t < 2; t++) {
		struct by_index bi;
		bi.n = n;
		bi.nid = calloc((size_t)n, sizeof(*bi.nid));
		CHECK(bi.nid);
		CHECK_OK(ps_store_list_items(e.st[t], e.folder[t], by_index_cb, &bi));
		CHECK_OK(ps_store_begin(e.st[t]));
		for (i = t; i < 100; i += 2) {
			char name[32];
			int k = i * (n / 100);
			ps_item *it;
			snprintf(name, sizeof(name), "contact %05d", k);
			it = contact(name, t ? "global" : "local", T0 + 5000000 + (uint64_t)i, 10000 + k);
			CHECK_OK(ps_store_put_item(e.st[t], e.folder[t], it, bi.nid[k], &nid));
			ps_item_free(it);
		}
		CHECK_OK(ps_store_commit(e.st[t]));
		free(bi.nid);
	}
	t0 = ps_clock_ns();
	CHECK_OK(env_sync(&e));
	t_100 = ps_clock_ns() - t0;
	CHECK_EQ_INT(50, e.res.counts.overwritten[0]);
	CHECK_EQ_INT(50, e.res.counts.overwritten[1]);
	if (getenv("V"))
		printf("        %d items: initial sync %.2f s, no change %.3f s, 100 changes %.3f s\n", n,
			(double)t_init / 1e9, (double)t_none / 1e9, (double)t_100 / 1e9);
	env_free(&e);
}

/* ---- entry IDs, and two processes on one global store ------------------------------------- */

/* An overwrite keeps the target's NID, so its entry ID (which distribution
 * lists and links refer to) stays the same; checked through libpff. */
void test_sync__pst_overwrite_keeps_entry_id(void)
{
	struct env e;
	uint32_t before, after;
	ps_item *it;

	env_init_real(&e, "p.db", PS_DIRECTION_BOTH);
	it = contact("Anna", "orig", T0, 1);
	item_add(&e, 0, it);
	ps_item_free(it);
	CHECK_OK(env_sync(&e));
	before = find_item(&e, 1, "Anna");
	CHECK(before);
	it = contact("Anna", "local", T0 + 50, 1);
	item_set(&e, 0, find_item(&e, 0, "Anna"), it);
	ps_item_free(it);
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, e.res.counts.overwritten[1]);
	after = find_item(&e, 1, "Anna");
	CHECK_EQ_INT(before, after);
	CHECK_EQ_STR("Anna:local", contents_of(&e, 1, 1));
	env_free(&e);
}

#ifndef _WIN32
static void check_clean(const char *path)
{
	ps_check_summary sum;

	CHECK_OK(ps_pst_check(path, NULL, NULL, &sum));
	CHECKF(sum.problems == 0, "'%s': %u problems", path, sum.problems);
}

static void two_processes(void)
{
	static const char *const a[] = { "Anna", "Bert" }, *const b[] = { "Carl", "Dora" };
	static const char *const g[] = { "Emil" };
	const char *dir = ps_test_tmpdir();
	char la[1024], lb[1024], gl[1024], ini[1024];
	ps_settings *s = NULL;
	ps_profile *p[2];
	pid_t pid[2];
	int i, status;

	snprintf(la, sizeof(la), "%s", ps_test_path(dir, "anna.pst"));
	snprintf(lb, sizeof(lb), "%s", ps_test_path(dir, "bert.pst"));
	snprintf(gl, sizeof(gl), "%s", ps_test_path(dir, "common.pst"));
	snprintf(ini, sizeof(ini), "%s", ps_test_path(dir, "pstsync.ini"));
	new_pst(la, a, 2, NULL);
	new_pst(lb, b, 2, NULL);
	new_pst(gl, g, 1, NULL);
	CHECK_OK(ps_settings_load(&s, ini));
	CHECK_OK(ps_settings_profile_add(&p[0], s, "Anna's PC", la, gl));
	CHECK_OK(ps_settings_profile_add(&p[1], s, "Bert's PC", lb, gl));
	for (i = 0; i < 2; i++)
		CHECK_OK(ps_profile_link_add(NULL, p[i], "/Contacts", "/Contacts", PS_DIRECTION_BOTH));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		CHECK(pid[i] >= 0);
		if (pid[i] == 0) {
			ps_sync_options opt;
			ps_sync_result r;
			int rc;
			ps_sync_options_init(&opt);
			opt.lock_wait_ms = 60000;
			rc = ps_sync_profile(s, p[i], &opt, NULL, &r);
			ps_sync_result_clear(&r);
			_exit(rc == PS_OK ? 0 : 1);
		}
	}
	for (i = 0; i < 2; i++) {
		CHECK(waitpid(pid[i], &status, 0) == pid[i]);
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sync %d ended with 0x%x", i, status);
	}
	/* each took its turn: the global store has everyone's; one more round
	 * brings the first one's local store up to date */
	CHECK_EQ_INT(5, pst_count(gl, "/Contacts"));
	for (i = 0; i < 2; i++) {
		ps_sync_result r;
		CHECK_OK(ps_sync_profile(s, p[i], NULL, NULL, &r));
		ps_sync_result_clear(&r);
	}
	CHECK_EQ_INT(5, pst_count(la, "/Contacts"));
	CHECK_EQ_INT(5, pst_count(lb, "/Contacts"));
	CHECK_EQ_INT(5, pst_count(gl, "/Contacts"));
	check_clean(gl);
	check_clean(la);
	check_clean(lb);
	ps_settings_free(s);
}
#endif

/* Two profiles synced at the same time by two processes against one global
 * store: the second waits for the first's lock; both complete. */
void test_sync__pst_two_processes_one_global(void)
{
#ifdef _WIN32
	SKIP("needs fork()");
#else
	two_processes();
#endif
}

/* An item that cannot be read is skipped with a warning and counted; the rest syncs. */
void test_sync__damaged_item_skipped(void)
{
	struct env e;
	struct recording_ui u;
	ps_sync_ui ui;
	ps_item *it;
	int i;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	for (i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "c%d", i);
		it = contact(name, "x", T0, 50 + i);
		item_add(&e, 0, it);
		ps_item_free(it);
	}
	e.w.bad_nid = find_item(&e, 0, "c1");
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.warning = warning_cb;
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(2, e.res.counts.copied[1]);
	CHECK_EQ_INT(1, e.res.counts.errors);
	CHECK_EQ_INT(1, u.warnings);
	CHECK_EQ_STR("c0:x,c2:x", contents_of(&e, 1, 1));
	CHECK_EQ_INT(2, pair_count(&e));
	/* readable again: copied at the next sync */
	e.w.bad_nid = 0;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, e.res.counts.copied[1]);
	CHECK_EQ_INT(0, e.res.counts.errors);
	CHECK_EQ_STR("c0:x,c1:x,c2:x", contents_of(&e, 1, 1));
	env_free(&e);
}

/* ---- a global store emptied or replaced --------------------------------------------------- */

/* Put a new store in place of side 1: with the items of the old one (a
 * copy another program made: every entry ID differs) or without. */
static void replace_global(struct env *e, int keep_items)
{
	ps_store *fresh = mem_store_new(&e->w, "global.pst");
	uint32_t folder = mem_store_add_folder(fresh, "/Contacts", "IPF.Contact");
	uint32_t nids[512];
	size_t n = mem_store_items(e->st[1], e->folder[1], nids, 512), i;

	for (i = 0; keep_items && i < n; i++)
		mem_store_add_item(fresh, folder, mem_store_item(e->st[1], nids[i]));
	e->w.stores[1] = fresh;
	ps_store_close(e->st[1]);
	e->st[1] = fresh;
	e->folder[1] = folder;
}

void test_sync__global_replaced_by_a_copy(void)
{
	struct env e;
	int writes;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 10);
	CHECK_OK(env_sync(&e));
	replace_global(&e, 1);
	writes = e.w.writes;
	e.options.confirm_deletes = 0;
	CHECK_OK(env_sync(&e));
	/* the pairs follow the items: nothing deleted, nothing doubled, nothing written */
	CHECK_EQ_INT(10, e.res.counts.paired);
	CHECK_EQ_INT(0, e.res.counts.copied[0] + e.res.counts.copied[1]);
	CHECK_EQ_INT(0, e.res.counts.deleted[0] + e.res.counts.deleted[1] + e.res.counts.deletes_asked);
	CHECK_EQ_INT(writes, e.w.writes);
	CHECK_EQ_INT(10, item_count(&e, 0));
	CHECK_EQ_INT(10, item_count(&e, 1));
	CHECK_EQ_INT(10, pair_count(&e));
	writes = e.w.writes;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(writes, e.w.writes);
	env_free(&e);
}

void test_sync__global_replaced_by_another_file(void)
{
	struct env e;
	ps_item *it;
	int i;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 10);
	CHECK_OK(env_sync(&e));
	replace_global(&e, 0);
	for (i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "other %d", i);
		it = contact(name, "other", T0, 800 + i);
		item_add(&e, 1, it);
		ps_item_free(it);
	}
	e.options.confirm_deletes = 0;
	e.opt.deletes = PS_SYNC_DELETES_APPLY;
	CHECK_OK(env_sync(&e));
	/* another file (a new record key): paired afresh, as at a first sync;
	 * nothing of the local folder deleted or asked about, nothing doubled */
	CHECK_EQ_INT(0, e.res.counts.deleted[0] + e.res.counts.deleted[1]);
	CHECK_EQ_INT(0, e.res.counts.deletes_asked);
	CHECK_EQ_INT(10, e.res.counts.copied[1]);
	CHECK_EQ_INT(3, e.res.counts.copied[0]);
	CHECK_EQ_INT(13, item_count(&e, 0));
	CHECK_EQ_INT(13, item_count(&e, 1));
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, e.res.counts.copied[0] + e.res.counts.copied[1] + e.res.counts.overwritten[0] +
		e.res.counts.overwritten[1]);
	CHECK_EQ_INT(0, e.res.counts.outstanding);
	env_free(&e);
}

/* A damaged protocol is set aside; the next sync is an initial one whose
 * pairing makes no duplicate, and the user is told. */
void test_sync__damaged_protocol_makes_no_duplicates(void)
{
	struct env e;
	struct recording_ui u;
	ps_sync_ui ui;
	char junk[8192];
	ps_item *it;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 10);
	it = contact("only local", "x", T0, 990);
	item_add(&e, 0, it);
	ps_item_free(it);
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(11, item_count(&e, 1));
	ps_protocol_close(e.proto);
	e.proto = NULL;
	memset(junk, 0x5A, sizeof(junk));
	ps_path_remove(e.db);
	ps_test_write_file(e.db, junk, sizeof(junk));
	CHECK_OK(ps_protocol_open(&e.proto, e.db));
	CHECK(ps_protocol_reset_reason(e.proto) != NULL);
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	ui.ctx = &u;
	ui.warning = warning_cb;
	e.ui = &ui;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(1, u.warnings);
	CHECK_EQ_INT(11, e.res.counts.paired);
	CHECK_EQ_INT(0, e.res.counts.copied[0] + e.res.counts.copied[1]);
	CHECK_EQ_INT(11, item_count(&e, 0));
	CHECK_EQ_INT(11, item_count(&e, 1));
	env_free(&e);
}

/* The same change made on both sides is no conflict. */
void test_sync__same_change_on_both_sides(void)
{
	struct env e;
	ps_item *it;
	int t, writes;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	fill(&e, 2);
	CHECK_OK(env_sync(&e));
	for (t = 0; t < 2; t++) {
		it = contact("item 00", "edited", T0 + 100 + (uint64_t)t, 100);
		item_set(&e, t, find_item(&e, t, "item 00"), it);
		ps_item_free(it);
	}
	writes = e.w.writes;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, e.res.counts.conflicts);
	CHECK_EQ_INT(writes, e.w.writes);
	e.w.reads = 0;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, e.w.reads);
	CHECK_EQ_STR("item 00:edited,item 01:orig", contents_of(&e, 0, 1));
	env_free(&e);
}

/* Killed in the middle of a copy to the global store, then the link made
 * read-only: the rerun writes nothing there. */
void test_sync__kill_then_direction_changed(void)
{
	struct env e;
	ps_item *it = contact("mine", "x", T0, 5);
	int base;

	env_init(&e, "p.db", PS_DIRECTION_BOTH);
	item_add(&e, 0, it);
	ps_item_free(it);
	base = e.w.writes;
	e.w.fail_at = base + 2;   /* begin, then the put: killed before it lands */
	CHECK(env_sync(&e) < 0);
	env_restart(&e);
	e.link.direction = PS_DIRECTION_FROM_GLOBAL;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_INT(0, item_count(&e, 1));
	CHECK_EQ_INT(1, item_count(&e, 0));
	CHECK_EQ_INT(0, pair_count(&e));
	CHECK_EQ_INT(0, e.res.counts.copied[1]);
	/* and both ways again: copied now */
	e.link.direction = PS_DIRECTION_BOTH;
	CHECK_OK(env_sync(&e));
	CHECK_EQ_STR("mine:x", contents_of(&e, 1, 1));
	env_free(&e);
}

/* A batch holds at most batch_bytes of items (and one item at least): each
 * copy of items larger than the cap is its own store transaction. */
void test_sync__batches_capped_by_bytes(void)
{
	size_t caps[2] = { 1, 0 };
	int writes[2], k, i;

	for (k = 0; k < 2; k++) {
		struct env e;
		env_init(&e, k ? "bytes-default.db" : "bytes-1.db", PS_DIRECTION_BOTH);
		for (i = 0; i < 10; i++) {
			char name[32];
			ps_item *it;
			snprintf(name, sizeof(name), "item %02d", i);
			it = contact(name, "a body of some bytes", T0 + (uint64_t)i, 400 + i);
			item_add(&e, 0, it);
			ps_item_free(it);
		}
		e.opt.batch_bytes = caps[k];
		CHECK_OK(env_sync(&e));
		CHECK_EQ_INT(10, e.res.links[0].counts.copied[1]);
		writes[k] = e.w.writes;
		env_free(&e);
	}
	/* 10 x (begin, put, commit) against begin, 10 puts, commit */
	CHECK_EQ_INT(30, writes[0]);
	CHECK_EQ_INT(12, writes[1]);
}
