/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the NDB write layer (src/pst/ndb_write.c) on real files: a new
 * empty store, and copies of Outlook-made samples changed through
 * transactions (new nodes of one, three and 2000 blocks, subnodes nested,
 * replaced and deleted nodes, shared blocks). Every file written must pass
 * our checker, read back exactly through our reader, and open in libpff
 * (pffinfo, pffexport) and libpst (readpst) where those tools are
 * installed. Crash safety is tested by killing a child process at every
 * write and flush of a commit (PSTSYNC_KILL_AFTER_WRITES) and checking that
 * the file then holds the state before or the state after, never a mix.
 */
#include "harness.h"
#include "pst/ndb_write.h"
#include "pstsync/check.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

void test_ndb_write__create_empty(void);
void test_ndb_write__refuses(void);
void test_ndb_write__empty_sample(void);
void test_ndb_write__contacts_sample(void);
void test_ndb_write__rewrite_all(void);
void test_ndb_write__tx_reads_and_abort(void);
void test_ndb_write__shared_blocks(void);
void test_ndb_write__many_rounds(void);
void test_ndb_write__rebuild_maps(void);
void test_ndb_write__large_file(void);
void test_ndb_write__crash(void);
void test_ndb_write__figures(void);

#define T_INTERNAL PS_NID_TYPE_INTERNAL

/* ---- helpers ------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *data, size_t size)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < size; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Deterministic bytes; byte 2 is never 0xEC so that no test node looks
 * like a heap-on-node to the checker. */
static void fill(uint8_t *buf, size_t size, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 0x9E3779B9u;
	size_t i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	if (size > 2)
		buf[2] = 0x11;
}

/* An image of @p nblocks blocks (the last @p last bytes long) and, when
 * @p subs, subnodes; @p nested puts subnodes in the subnodes. */
static void make_image(ps_node_image *img, uint32_t seed, size_t nblocks, size_t last,
	size_t subs, int nested)
{
	uint8_t buf[PS_NODE_BLOCK_MAX];
	size_t i;

	memset(img, 0, sizeof(*img));
	for (i = 0; i < nblocks; i++) {
		size_t n = i + 1 == nblocks ? last : PS_NODE_BLOCK_MAX;
		fill(buf, n, seed * 7919u + (uint32_t)i);
		CHECK_OK(ps_node_image_add_block(img, buf, n));
	}
	for (i = 0; i < subs; i++) {
		ps_node_image sub;
		make_image(&sub, seed * 31u + (uint32_t)i, 1 + i % 3, 1 + (100 + 37 * i) % 8000,
			nested ? 2 : 0, 0);
		CHECK_OK(ps_node_image_add_sub(img, PS_NID_MAKE(PS_NID_TYPE_LTP, 0x100 + 3 * i), &sub));
	}
}

/* Fail unless what the reader gives for data @p bd and subnodes @p bs is
 * exactly @p img, block for block. */
static void check_image(ps_ndb *ndb, uint64_t bd, uint64_t bs, const ps_node_image *img)
{
	ps_ndb_subnodes sub;
	ps_ndb_data d;
	size_t i;

	CHECK_OK(ps_ndb_data_read(ndb, bd, &d));
	CHECK_EQ_INT(img->block_count, d.count);
	for (i = 0; i < d.count; i++) {
		CHECK_EQ_INT(img->blocks[i].size, d.sizes[i]);
		CHECKF(memcmp(img->blocks[i].data, d.blocks[i], d.sizes[i]) == 0,
			"block %lu of data 0x%llx differs", (unsigned long)i, (unsigned long long)bd);
	}
	ps_ndb_data_free(&d);
	CHECK_OK(ps_ndb_subnodes_read(ndb, bs, &sub));
	CHECK_EQ_INT(img->sub_count, sub.count);
	for (i = 0; i < sub.count; i++) {
		ps_sl_entry e = sub.entries[i];
		CHECK_EQ_INT(img->subs[i].nid, e.nid);
		check_image(ndb, e.bid_data, e.bid_sub, &img->subs[i].image);
	}
	ps_ndb_subnodes_free(&sub);
}

static void check_node(ps_ndb *ndb, uint32_t nid, uint32_t parent, const ps_node_image *img)
{
	ps_nbt_entry e;

	CHECK_OK(ps_ndb_nbt_lookup(ndb, nid, &e));
	CHECK_EQ_INT(parent, e.nid_parent);
	check_image(ndb, e.bid_data, e.bid_sub, img);
}

/* The image of an existing node, with its block boundaries. */
static void image_of(ps_ndb *ndb, uint64_t bd, uint64_t bs, ps_node_image *img)
{
	ps_ndb_subnodes sub;
	ps_ndb_data d;
	size_t i;

	memset(img, 0, sizeof(*img));
	CHECK_OK(ps_ndb_data_read(ndb, bd, &d));
	for (i = 0; i < d.count; i++)
		CHECK_OK(ps_node_image_add_block(img, d.blocks[i], d.sizes[i]));
	ps_ndb_data_free(&d);
	CHECK_OK(ps_ndb_subnodes_read(ndb, bs, &sub));
	for (i = 0; i < sub.count; i++) {
		ps_node_image s;
		image_of(ndb, sub.entries[i].bid_data, sub.entries[i].bid_sub, &s);
		CHECK_OK(ps_node_image_add_sub(img, sub.entries[i].nid, &s));
	}
	ps_ndb_subnodes_free(&sub);
}

static uint64_t tree_digest(ps_ndb *ndb, uint64_t h, uint64_t bd, uint64_t bs, int depth)
{
	ps_ndb_subnodes sub;
	uint8_t *flat;
	size_t size, i;

	CHECK(depth < 10);
	CHECK_OK(ps_ndb_data_read_flat(ndb, bd, &flat, &size));
	h = fnv(h, &size, sizeof(size));
	h = fnv(h, flat, size);
	free(flat);
	CHECK_OK(ps_ndb_subnodes_read(ndb, bs, &sub));
	for (i = 0; i < sub.count; i++) {
		h = fnv(h, &sub.entries[i].nid, 4);
		h = tree_digest(ndb, h, sub.entries[i].bid_data, sub.entries[i].bid_sub, depth + 1);
	}
	ps_ndb_subnodes_free(&sub);
	return h;
}

struct digest {
	ps_ndb *ndb;
	uint64_t h;
	unsigned nodes;
};

static int digest_node(void *ctx, const ps_nbt_entry *e)
{
	struct digest *d = ctx;

	d->h = fnv(d->h, &e->nid, 4);
	d->h = fnv(d->h, &e->nid_parent, 4);
	d->h = tree_digest(d->ndb, d->h, e->bid_data, e->bid_sub, 0);
	d->nodes++;
	return 0;
}

/* A digest of every node's parent, data and subnodes. */
static uint64_t store_digest(ps_ndb *ndb)
{
	struct digest d;

	d.ndb = ndb;
	d.h = 0xcbf29ce484222325ull;
	d.nodes = 0;
	CHECK_OK(ps_ndb_nbt_foreach(ndb, digest_node, &d));
	return d.h;
}

static uint64_t file_digest(const char *path)
{
	ps_ndb *ndb = NULL;
	uint64_t h;

	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	h = store_digest(ndb);
	ps_ndb_close(ndb);
	return h;
}

struct problems {
	char text[4096];
	size_t len;
	unsigned allowed;       /* the two a crash may leave: see crash_allowed() */
};

static int crash_allowed(const char *line)
{
	return strstr(line, "famapvalid 0") != NULL ||
		strstr(line, "follow the end of file given in the header") != NULL;
}

static void collect(void *ctx, enum ps_check_area area, const char *line)
{
	struct problems *p = ctx;
	int n;

	if (crash_allowed(line))
		p->allowed++;
	if (p->len + 200 < sizeof(p->text)) {
		n = snprintf(p->text + p->len, sizeof(p->text) - p->len, "\n        [%s] %s",
			ps_check_area_name(area), line);
		if (n > 0)
			p->len += (size_t)n;
	}
}

/* Check @p path; fail with the problems unless there are none. */
static void check_clean(const char *path)
{
	struct problems p;
	ps_check_summary sum;

	memset(&p, 0, sizeof(p));
	CHECK_OK(ps_pst_check(path, collect, &p, &sum));
	CHECKF(sum.problems == 0 && sum.notes == 0, "%u problems, %u notes in '%s':%s", sum.problems,
		sum.notes, path, p.text);
}

/* Check the NDB areas only: the header, maps, B-trees, blocks and
 * references must be clean (an empty NDB lacks the messaging nodes). */
static void check_ndb_clean(const char *path)
{
	struct problems p;
	ps_check_summary sum;

	memset(&p, 0, sizeof(p));
	CHECK_OK(ps_pst_check(path, collect, &p, &sum));
	CHECKF(sum.by_area[PS_CHECK_HEADER] == 0 && sum.by_area[PS_CHECK_MAPS] == 0 &&
		sum.by_area[PS_CHECK_BTREE] == 0 && sum.by_area[PS_CHECK_BLOCKS] == 0 &&
		sum.by_area[PS_CHECK_REFS] == 0, "problems in '%s':%s", path, p.text);
}

static void copy_file(const char *from, const char *to)
{
	size_t size;
	void *data = ps_test_read_file(from, &size);

	ps_path_remove(to);
	ps_test_write_file(to, data, size);
	free(data);
}

static const char *copy_sample(const char *name, const char *dir, const char *as)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s", ps_test_path(dir, as));
	copy_file(ps_test_sample(name), path);
	return path;
}

static uint64_t file_size(const char *path)
{
	ps_file *f = NULL;
	uint64_t size = 0;

	CHECK_OK(ps_file_open(&f, path, PS_OPEN_READ));
	CHECK_OK(ps_file_size(f, &size));
	ps_file_close(f);
	return size;
}

static int have_tool(const char *tool)
{
#ifdef _WIN32
	(void)tool;
	return 0;
#else
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
#endif
}

static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/* libpff and libpst read @p path as they read @p orig: pffinfo succeeds,
 * and pffexport and readpst export the same items from both. */
static void check_foreign_readers(const char *dir, const char *orig, const char *path)
{
	char a[1024], b[1024];

	if (!have_tool("pffinfo"))
		return;
	run("rm -rf '%s'/pff-* '%s'/pst-*", dir, dir);
	CHECKF(run("pffinfo '%s' >/dev/null 2>&1%s", path, "") == 0, "pffinfo fails on '%s'", path);
	snprintf(a, sizeof(a), "%s/pff-orig", dir);
	snprintf(b, sizeof(b), "%s/pff-new", dir);
	CHECKF(run("pffexport -q -t '%s' '%s' >/dev/null 2>&1", a, orig) == 0, "pffexport fails on '%s'", orig);
	CHECKF(run("pffexport -q -t '%s' '%s' >/dev/null 2>&1", b, path) == 0, "pffexport fails on '%s'", path);
	CHECKF(run("diff -r '%s.export' '%s.export' >/dev/null 2>&1", a, b) == 0,
		"pffexport gives other items from '%s' than from '%s'", path, orig);
	if (!have_tool("readpst"))
		return;
	snprintf(a, sizeof(a), "%s/pst-orig", dir);
	snprintf(b, sizeof(b), "%s/pst-new", dir);
	CHECK_OK(ps_path_mkdirs(a));
	CHECK_OK(ps_path_mkdirs(b));
	CHECKF(run("readpst -j 0 -q -o '%s' '%s' >/dev/null 2>&1", a, orig) == 0, "readpst fails on '%s'", orig);
	CHECKF(run("readpst -j 0 -q -o '%s' '%s' >/dev/null 2>&1", b, path) == 0, "readpst fails on '%s'", path);
	/* readpst gives calendar items a UID made of a block ID, which
	 * changes when a node is written again, a DTSTAMP that is the time of
	 * the export, and MIME boundaries made of random numbers. */
	CHECKF(run("diff -r -I '^UID:0x' -I '^DTSTAMP:' -I 'LibPST-iamunique' '%s' '%s' >/dev/null 2>&1", a, b) == 0,
		"readpst gives other items from '%s' than from '%s'", path, orig);
}

/* ---- a new store -------------------------------------------------------- */

void test_ndb_write__create_empty(void)
{
	const char *dir = ps_test_tmpdir();
	char path[1024];
	ps_ndb *ndb = NULL;
	const ps_ndb_header *h;
	ps_nbt_entry e;

	snprintf(path, sizeof(path), "%s", ps_test_path(dir, "new.pst"));
	CHECK_OK(ps_ndb_create(&ndb, path));
	ps_ndb_close(ndb);
	CHECK_EQ_INT(PS_EEXISTS, ps_ndb_create(&ndb, path));
	CHECK(ndb == NULL);

	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	h = ps_ndb_header_get(ndb);
	CHECK(h->unicode);
	CHECK_EQ_INT(0x17, h->ver);
	CHECK_EQ_INT(2, h->amap_valid);
	CHECK_EQ_INT(PS_CRYPT_PERMUTE, h->crypt);
	CHECK_EQ_INT(PS_NDB_AMAP_FIRST + PS_NDB_AMAP_SPAN, h->file_eof);
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, PS_NID_MESSAGE_STORE, &e));
	ps_ndb_close(ndb);
	CHECK_EQ_INT(PS_NDB_AMAP_FIRST + PS_NDB_AMAP_SPAN, file_size(path));
	check_ndb_clean(path);
	if (have_tool("pffinfo"))
		CHECKF(run("pffinfo '%s' >/dev/null 2>&1%s", path, "") == 0, "pffinfo fails on '%s'", path);

	/* A node in it, and it is still clean. */
	{
		ps_ndb_tx *tx = NULL;
		ps_node_image img;
		make_image(&img, 1, 2, 500, 3, 1);
		CHECK_OK(ps_ndb_open_write(&ndb, path));
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x400), 0, &img));
		CHECK_OK(ps_ndb_tx_commit(tx));
		ps_ndb_close(ndb);
		CHECK_OK(ps_ndb_open(&ndb, path, 0));
		check_node(ndb, PS_NID_MAKE(T_INTERNAL, 0x400), 0, &img);
		ps_ndb_close(ndb);
		ps_node_image_clear(&img);
		check_ndb_clean(path);
		if (have_tool("pffinfo"))
			CHECKF(run("pffinfo '%s' >/dev/null 2>&1%s", path, "") == 0, "pffinfo fails on '%s'", path);
	}
}

void test_ndb_write__refuses(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path;
	ps_ndb *ndb = NULL, *other = NULL;
	ps_ndb_tx *tx = NULL, *tx2 = NULL;
	ps_node_image img;

	path = copy_sample("emk_pstsdk__test_ansi.pst", dir, "ansi.pst");
	CHECK_EQ_INT(PS_EUNSUPPORTED, ps_ndb_open_write(&ndb, path));
	CHECK(strstr(ps_error_last(), "ANSI") != NULL);

	path = copy_sample("microsoft_outlook-pst-rs__Empty.pst", dir, "empty.pst");
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_EQ_INT(PS_ELOCKED, ps_ndb_open_write(&other, path));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_EQ_INT(PS_EINVAL, ps_ndb_tx_begin(ndb, &tx2));
	/* A bad image changes nothing and the transaction goes on. */
	memset(&img, 0, sizeof(img));
	CHECK_OK(ps_node_image_add_block(&img, "x", 1));
	img.blocks[0].size = PS_NODE_BLOCK_MAX + 1;
	CHECK_EQ_INT(PS_EINVAL, ps_ndb_tx_put_node(tx, 0x1001, 0, &img));
	img.blocks[0].size = 1;
	CHECK_EQ_INT(PS_EINVAL, ps_ndb_tx_put_node(tx, 0, 0, &img));
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_tx_delete_node(tx, 0x7fffffe1));
	CHECK_OK(ps_ndb_tx_put_node(tx, 0x1001, 0, &img));
	CHECK_OK(ps_ndb_tx_commit(tx));
	ps_node_image_clear(&img);
	ps_ndb_close(ndb);
	check_clean(path);

	/* A store opened for reading takes no transaction. */
	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	CHECK_EQ_INT(PS_EINVAL, ps_ndb_tx_begin(ndb, &tx));
	ps_ndb_close(ndb);
}

/* ---- changing an Outlook store ------------------------------------------ */

struct snap {
	ps_nbt_entry *e;
	uint64_t *digest;
	size_t n, cap;
	ps_ndb *ndb;
};

static int snap_node(void *ctx, const ps_nbt_entry *e)
{
	struct snap *s = ctx;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		s->digest = realloc(s->digest, s->cap * sizeof(*s->digest));
		CHECK(s->e && s->digest);
	}
	s->e[s->n] = *e;
	s->digest[s->n] = tree_digest(s->ndb, 1, e->bid_data, e->bid_sub, 0);
	s->n++;
	return 0;
}

static void snapshot(const char *path, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	CHECK_OK(ps_ndb_open(&s->ndb, path, 0));
	CHECK_OK(ps_ndb_nbt_foreach(s->ndb, snap_node, s));
	ps_ndb_close(s->ndb);
	s->ndb = NULL;
}

static void snap_free(struct snap *s)
{
	free(s->e);
	free(s->digest);
}

/* A node the sample has that neither libpff, libpst nor the checker need:
 * the search update queue is rebuilt by Outlook. */
static int deletable(uint32_t nid)
{
	return nid == 0x1E1;
}

/* Put new nodes (1, 3 and 2000 blocks, subnodes, nested subnodes), replace
 * existing ones with their own content (new blocks, old ones released),
 * delete one, commit; then everything reads back, untouched nodes keep
 * their blocks, and every reader agrees. */
static void change_sample(const char *sample)
{
	const char *dir = ps_test_tmpdir();
	char orig[1024], path[1024];
	enum { NNEW = 6 };
	ps_node_image imgs[NNEW], same;
	uint32_t nids[NNEW];
	struct snap before;
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	ps_nbt_entry e;
	uint32_t deleted = 0;
	size_t i, replaced = 0;

	snprintf(orig, sizeof(orig), "%s", ps_test_sample(sample));
	snprintf(path, sizeof(path), "%s", copy_sample(sample, dir, "work.pst"));
	snapshot(path, &before);

	make_image(&imgs[0], 10, 1, 1000, 0, 0);                      /* one block */
	make_image(&imgs[1], 11, 3, 333, 0, 0);                       /* three blocks */
	make_image(&imgs[2], 12, 2000, 4000, 0, 0);                   /* an XBLOCK of 2000 */
	make_image(&imgs[3], 13, 1, PS_NODE_BLOCK_MAX, 5, 0);         /* subnodes */
	make_image(&imgs[4], 14, 2, 77, 4, 1);                        /* nested subnodes */
	make_image(&imgs[5], 15, 0, 0, 400, 0);                       /* an SIBLOCK over SLBLOCKs */

	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	for (i = 0; i < NNEW; i++) {
		CHECK_OK(ps_ndb_tx_new_nid(tx, T_INTERNAL, &nids[i]));
		CHECK_OK(ps_ndb_tx_put_node(tx, nids[i], i == 4 ? nids[3] : 0, &imgs[i]));
	}
	/* Replace every third existing node with its own content. */
	for (i = 0; i < before.n; i += 3) {
		image_of(ndb, before.e[i].bid_data, before.e[i].bid_sub, &same);
		CHECK_OK(ps_ndb_tx_put_node(tx, before.e[i].nid, before.e[i].nid_parent, &same));
		ps_node_image_clear(&same);
		replaced++;
	}
	for (i = 0; i < before.n; i++) {
		if (deletable(before.e[i].nid)) {
			deleted = before.e[i].nid;
			CHECK_OK(ps_ndb_tx_delete_node(tx, deleted));
		}
	}
	CHECK_OK(ps_ndb_tx_commit(tx));
	CHECK(deleted != 0);
	/* A second transaction replaces new nodes with other content (the
	 * XXBLOCK node becomes a single block, the SIBLOCK one loses half its
	 * subnodes) and deletes one. */
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	ps_node_image_clear(&imgs[2]);
	make_image(&imgs[2], 22, 1, 10, 0, 0);
	CHECK_OK(ps_ndb_tx_put_node(tx, nids[2], 0, &imgs[2]));
	ps_node_image_clear(&imgs[5]);
	make_image(&imgs[5], 25, 5, 5, 200, 1);
	CHECK_OK(ps_ndb_tx_put_node(tx, nids[5], 0, &imgs[5]));
	CHECK_OK(ps_ndb_tx_delete_node(tx, nids[0]));
	CHECK_OK(ps_ndb_tx_commit(tx));
	ps_ndb_close(ndb);

	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, nids[0], &e));
	for (i = 1; i < NNEW; i++)
		check_node(ndb, nids[i], i == 4 ? nids[3] : 0, &imgs[i]);
	for (i = 0; i < before.n; i++) {
		const ps_nbt_entry *old = &before.e[i];
		if (old->nid == deleted) {
			CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, old->nid, &e));
			continue;
		}
		CHECK_OK(ps_ndb_nbt_lookup(ndb, old->nid, &e));
		CHECK_EQ_INT(old->nid_parent, e.nid_parent);
		CHECKF(tree_digest(ndb, 1, e.bid_data, e.bid_sub, 0) == before.digest[i],
			"node 0x%x reads back changed", old->nid);
		if (i % 3 != 0) {
			/* Untouched: the very same blocks. */
			CHECK_EQ_INT(old->bid_data, e.bid_data);
			CHECK_EQ_INT(old->bid_sub, e.bid_sub);
		}
	}
	ps_ndb_close(ndb);
	CHECK(replaced > 0);
	check_clean(path);
	check_foreign_readers(dir, orig, path);
	for (i = 0; i < NNEW; i++)
		ps_node_image_clear(&imgs[i]);
	snap_free(&before);
}

void test_ndb_write__empty_sample(void)
{
	change_sample("microsoft_outlook-pst-rs__Empty.pst");
}

void test_ndb_write__contacts_sample(void)
{
	change_sample("aspose-email__SampleContacts1.pst");
}

/* Every node of every clean Unicode sample rewritten with its own content:
 * the file checks clean and libpff and libpst export the same items. */
void test_ndb_write__rewrite_all(void)
{
	const char *dir = ps_test_tmpdir();
	size_t s, i;

	for (s = 0; ps_test_samples_clean[s]; s++) {
		const char *name = ps_test_samples_clean[s];
		char orig[1024], path[1024];
		struct snap before;
		ps_ndb *ndb = NULL;
		ps_ndb_tx *tx = NULL;
		uint64_t d0;

		snprintf(orig, sizeof(orig), "%s", ps_test_sample(name));
		CHECK_OK(ps_ndb_open(&ndb, orig, 0));
		if (!ps_ndb_header_get(ndb)->unicode) {
			ps_ndb_close(ndb);
			continue;
		}
		ps_ndb_close(ndb);
		snprintf(path, sizeof(path), "%s", copy_sample(name, dir, "all.pst"));
		snapshot(path, &before);
		d0 = file_digest(path);
		CHECK_OK(ps_ndb_open_write(&ndb, path));
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		for (i = 0; i < before.n; i++) {
			ps_node_image same;
			image_of(ndb, before.e[i].bid_data, before.e[i].bid_sub, &same);
			CHECK_OK(ps_ndb_tx_put_node(tx, before.e[i].nid, before.e[i].nid_parent, &same));
			ps_node_image_clear(&same);
		}
		CHECK_OK(ps_ndb_tx_commit(tx));
		ps_ndb_close(ndb);
		CHECKF(file_digest(path) == d0, "'%s' reads back changed", name);
		{
			struct problems p;
			ps_check_summary a, b;
			memset(&p, 0, sizeof(p));
			CHECK_OK(ps_pst_check(orig, NULL, NULL, &a));
			CHECK_OK(ps_pst_check(path, collect, &p, &b));
			/* The sample's own flaws, if any, may remain; ours may not. */
			CHECKF(b.by_area[PS_CHECK_HEADER] == 0 && b.by_area[PS_CHECK_MAPS] == 0 &&
				b.by_area[PS_CHECK_BTREE] == 0 && b.by_area[PS_CHECK_BLOCKS] == 0 &&
				b.by_area[PS_CHECK_REFS] == 0 && b.problems <= a.problems,
				"'%s' rewritten has problems:%s", name, p.text);
		}
		check_foreign_readers(dir, orig, path);
		snap_free(&before);
	}
}

/* ---- transactions ------------------------------------------------------- */

void test_ndb_write__tx_reads_and_abort(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = copy_sample("aspose-email__SampleContacts1.pst", dir, "c.pst");
	size_t size0, size1;
	void *bytes0, *bytes1;
	ps_node_image img;
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	ps_nbt_entry e, store;
	uint32_t nid;

	bytes0 = ps_test_read_file(path, &size0);
	make_image(&img, 99, 40, 10, 3, 1);
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_MESSAGE_STORE, &store));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_new_nid(tx, T_INTERNAL, &nid));
	CHECK_OK(ps_ndb_tx_put_node(tx, nid, 0, &img));
	CHECK_OK(ps_ndb_tx_delete_node(tx, PS_NID_MESSAGE_STORE));
	/* The transaction's reads see its changes... */
	CHECK_OK(ps_ndb_tx_lookup(tx, nid, &e));
	check_node(ndb, nid, 0, &img);
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_tx_lookup(tx, PS_NID_MESSAGE_STORE, &e));
	/* ...and an abort forgets them. */
	ps_ndb_tx_abort(tx);
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, nid, &e));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, PS_NID_MESSAGE_STORE, &e));
	CHECK_EQ_INT(store.bid_data, e.bid_data);
	/* A transaction without changes writes nothing either. */
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_commit(tx));
	/* Nor does one left open at close. */
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_put_node(tx, nid, 0, &img));
	ps_ndb_close(ndb);
	bytes1 = ps_test_read_file(path, &size1);
	CHECK(size0 == size1 && memcmp(bytes0, bytes1, size0) == 0);
	free(bytes0);
	free(bytes1);
	ps_node_image_clear(&img);
}

struct cref_find {
	uint64_t bid;
	unsigned cref;
};

void test_ndb_write__shared_blocks(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = copy_sample("microsoft_outlook-pst-rs__Empty.pst", dir, "s.pst");
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	ps_node_image img;
	ps_nbt_entry a, b;
	ps_bbt_entry be;
	uint16_t cref0;

	make_image(&img, 5, 3, 100, 2, 0);
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_put_node(tx, 0x2001, 0, &img));
	CHECK_OK(ps_ndb_tx_commit(tx));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, 0x2001, &a));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, a.bid_data, &be));
	CHECK_EQ_INT(2, be.cref);
	cref0 = be.cref;
	/* Two more nodes share the blocks of the first. */
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_put_node_blocks(tx, 0x2021, 0, a.bid_data, a.bid_sub));
	CHECK_OK(ps_ndb_tx_put_node_blocks(tx, 0x2041, 0x2021, a.bid_data, 0));
	CHECK_OK(ps_ndb_tx_commit(tx));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, a.bid_data, &be));
	CHECK_EQ_INT(cref0 + 2, be.cref);
	ps_ndb_close(ndb);
	check_clean(path);
	/* The first goes: the others keep the blocks. */
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_delete_node(tx, 0x2001));
	CHECK_OK(ps_ndb_tx_commit(tx));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, 0x2021, &b));
	check_image(ndb, b.bid_data, b.bid_sub, &img);
	ps_ndb_close(ndb);
	check_clean(path);
	/* A built-in template shared by Outlook (cRef > 2) shared once more. */
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_OK(ps_ndb_nbt_lookup(ndb, 0x60D, &a));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, a.bid_data, &be));
	cref0 = be.cref;
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	CHECK_OK(ps_ndb_tx_put_node_blocks(tx, 0x2061, 0, a.bid_data, a.bid_sub));
	CHECK_OK(ps_ndb_tx_delete_node(tx, 0x2021));
	CHECK_OK(ps_ndb_tx_delete_node(tx, 0x2041));
	CHECK_OK(ps_ndb_tx_commit(tx));
	CHECK_OK(ps_ndb_bbt_lookup(ndb, a.bid_data, &be));
	CHECK_EQ_INT(cref0 + 1, be.cref);
	CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, 0x2041, &b));
	ps_ndb_close(ndb);
	check_clean(path);
	ps_node_image_clear(&img);
}

/* Hundreds of rounds of puts, replacements and deletions: the tree stays
 * right, what was written reads back, and freed space is used again. */
void test_ndb_write__many_rounds(void)
{
	enum { ROUNDS = 300, SLOTS = 120 };
	const char *dir = ps_test_tmpdir();
	const char *path = copy_sample("microsoft_outlook-pst-rs__Empty.pst", dir, "r.pst");
	uint32_t seeds[SLOTS];
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	uint64_t size_warm = 0, size_end;
	uint64_t orig_digest;
	unsigned round, i;
	ps_nbt_entry e;

	orig_digest = file_digest(path);
	memset(seeds, 0, sizeof(seeds));
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	for (round = 1; round <= ROUNDS; round++) {
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		for (i = 0; i < 12; i++) {
			unsigned k = (round * 37 + i * 11) % SLOTS;
			uint32_t nid = PS_NID_MAKE(T_INTERNAL, 0x3000 + k);
			if (seeds[k] && (round + i) % 3 == 0) {
				CHECK_OK(ps_ndb_tx_delete_node(tx, nid));
				seeds[k] = 0;
			} else {
				ps_node_image img;
				seeds[k] = round * 1000 + i + 1;
				make_image(&img, seeds[k], 1 + seeds[k] % 4, 1 + seeds[k] % 3000,
					seeds[k] % 5 == 0 ? 3 : 0, seeds[k] % 10 == 0);
				CHECK_OK(ps_ndb_tx_put_node(tx, nid, 0, &img));
				ps_node_image_clear(&img);
			}
		}
		CHECK_OK(ps_ndb_tx_commit(tx));
		if (round == 30)
			size_warm = ps_ndb_header_get(ndb)->file_eof;
	}
	size_end = ps_ndb_header_get(ndb)->file_eof;
	for (i = 0; i < SLOTS; i++) {
		uint32_t nid = PS_NID_MAKE(T_INTERNAL, 0x3000 + i);
		if (!seeds[i]) {
			CHECK_EQ_INT(PS_ENOTFOUND, ps_ndb_nbt_lookup(ndb, nid, &e));
		} else {
			ps_node_image img;
			make_image(&img, seeds[i], 1 + seeds[i] % 4, 1 + seeds[i] % 3000,
				seeds[i] % 5 == 0 ? 3 : 0, seeds[i] % 10 == 0);
			check_node(ndb, nid, 0, &img);
			ps_node_image_clear(&img);
		}
	}
	/* Everything deleted: back to the sample's own nodes. */
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	for (i = 0; i < SLOTS; i++)
		if (seeds[i])
			CHECK_OK(ps_ndb_tx_delete_node(tx, PS_NID_MAKE(T_INTERNAL, 0x3000 + i)));
	CHECK_OK(ps_ndb_tx_commit(tx));
	ps_ndb_close(ndb);
	CHECKF(size_end <= size_warm + 2 * PS_NDB_AMAP_SPAN,
		"the file grew from %llu bytes after 30 rounds to %llu after %d",
		(unsigned long long)size_warm, (unsigned long long)size_end, ROUNDS);
	CHECK(file_digest(path) == orig_digest);
	check_clean(path);
	check_foreign_readers(dir, ps_test_sample("microsoft_outlook-pst-rs__Empty.pst"), path);
}

/* fAMapValid 0 and damaged AMaps: a writer rebuilds them from the trees. */
void test_ndb_write__rebuild_maps(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = copy_sample("aspose-email__Outlook_1.pst", dir, "o.pst");
	uint8_t *data;
	size_t size;
	uint64_t d0;
	ps_ndb *ndb = NULL;

	d0 = file_digest(path);
	data = ps_test_read_file(path, &size);
	data[180 + 68] = 0;                                     /* fAMapValid */
	memset(data + 0x42400 + 64, 0, 200);                    /* AMap bits of the second span */
	memset(data + 0x4400 + 64, 0xFF, 100);                  /* and too many in the first */
	data[4] = data[5] = data[6] = data[7] = 0;
	{
		uint32_t crc = ps_ndb__crc(0, data + 8, 471), full = ps_ndb__crc(0, data + 8, 516);
		int i;
		for (i = 0; i < 4; i++) {
			data[4 + i] = (uint8_t)(crc >> (8 * i));
			data[524 + i] = (uint8_t)(full >> (8 * i));
		}
	}
	ps_path_remove(path);
	ps_test_write_file(path, data, size);
	free(data);
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	CHECK_EQ_INT(2, ps_ndb_header_get(ndb)->amap_valid);
	ps_ndb_close(ndb);
	check_clean(path);
	CHECK(file_digest(path) == d0);
}

/* Past 128 AMaps (about 32 MB) the file needs FMap pages; space freed
 * there is used again. */
void test_ndb_write__large_file(void)
{
	const char *dir = ps_test_tmpdir();
	char path[1024];
	ps_node_image img[5];
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	uint64_t eof;
	unsigned i;

	snprintf(path, sizeof(path), "%s", ps_test_path(dir, "big.pst"));
	CHECK_OK(ps_ndb_create(&ndb, path));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	for (i = 0; i < 5; i++) {
		make_image(&img[i], 300 + i, 1100, 999, 0, 0);
		CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x500 + i), 0, &img[i]));
	}
	CHECK_OK(ps_ndb_tx_commit(tx));
	eof = ps_ndb_header_get(ndb)->file_eof;
	CHECK(eof > PS_NDB_AMAP_FIRST + 129ull * PS_NDB_AMAP_SPAN);
	ps_ndb_close(ndb);
	check_ndb_clean(path);
	CHECK_OK(ps_ndb_open(&ndb, path, 0));
	for (i = 0; i < 5; i++)
		check_node(ndb, PS_NID_MAKE(T_INTERNAL, 0x500 + i), 0, &img[i]);
	{
		/* The FMap in the span of AMap 128, after its AMap and PMap. */
		uint64_t ib = PS_NDB_AMAP_FIRST + 128ull * PS_NDB_AMAP_SPAN + 2 * PS_NDB_PAGE_SIZE;
		uint8_t page[PS_NDB_PAGE_SIZE];
		CHECK_OK(ps_ndb_page_read(ndb, ib, PS_PTYPE_FMAP, ib, page));
		CHECK_OK(ps_ndb_page_read(ndb, ib - PS_NDB_PAGE_SIZE, PS_PTYPE_PMAP, ib - PS_NDB_PAGE_SIZE, page));
	}
	ps_ndb_close(ndb);
	if (have_tool("pffinfo"))
		CHECKF(run("pffinfo '%s' >/dev/null 2>&1%s", path, "") == 0, "pffinfo fails on '%s'", path);
	/* Replace them all: the old copies' space serves the next round. */
	CHECK_OK(ps_ndb_open_write(&ndb, path));
	for (i = 0; i < 3; i++) {
		unsigned j;
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		for (j = 0; j < 5; j++)
			CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x500 + j), 0, &img[j]));
		CHECK_OK(ps_ndb_tx_commit(tx));
	}
	CHECK(ps_ndb_header_get(ndb)->file_eof <= 2 * eof + PS_NDB_AMAP_SPAN);
	ps_ndb_close(ndb);
	check_ndb_clean(path);
	for (i = 0; i < 5; i++)
		ps_node_image_clear(&img[i]);
}

/* ---- crash safety ------------------------------------------------------- */

#ifndef _WIN32
#define BASE_NODES 20

static void base_image(ps_node_image *img, unsigned i, unsigned gen)
{
	make_image(img, gen * 100 + i, 1 + (i + gen) % 3, 50 + 97 * i, i % 4 == 1 ? 3 : 0, i % 8 == 1);
}

/* The transaction the crash test interrupts: replaces and deletes nodes of
 * an earlier transaction, adds new ones (one of 300 blocks, so that the
 * file grows), and rewrites some Outlook nodes with their own content. */
static int workload(const char *path)
{
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	ps_node_image img;
	ps_nbt_entry e;
	unsigned i;
	int rc;

	if ((rc = ps_ndb_open_write(&ndb, path)) < 0)
		return rc;
	if ((rc = ps_ndb_tx_begin(ndb, &tx)) < 0)
		goto done;
	for (i = 0; i < BASE_NODES && rc == 0; i++) {
		uint32_t nid = PS_NID_MAKE(T_INTERNAL, 0x2000 + i);
		if (i % 4 == 3) {
			rc = ps_ndb_tx_delete_node(tx, nid);
			continue;
		}
		base_image(&img, i, 2);
		rc = ps_ndb_tx_put_node(tx, nid, 0, &img);
		ps_node_image_clear(&img);
	}
	for (i = 0; i < 30 && rc == 0; i++) {
		if (i == 7)
			make_image(&img, 7000, 300, 5, 0, 0);
		else
			make_image(&img, 5000 + i, 1 + i % 3, 200 + 13 * i, i % 5 == 2 ? 4 : 0, i % 10 == 2);
		rc = ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x2800 + i), 0, &img);
		ps_node_image_clear(&img);
	}
	for (i = 0; i < 3 && rc == 0; i++) {
		static const uint32_t outlook[3] = { 0x21, 0x122, 0x60D };
		if ((rc = ps_ndb_nbt_lookup(ndb, outlook[i], &e)) < 0)
			break;
		memset(&img, 0, sizeof(img));
		{
			ps_ndb_data d;
			size_t k;
			if ((rc = ps_ndb_data_read(ndb, e.bid_data, &d)) < 0)
				break;
			for (k = 0; k < d.count && rc == 0; k++)
				rc = ps_node_image_add_block(&img, d.blocks[k], d.sizes[k]);
			ps_ndb_data_free(&d);
		}
		if (rc == 0)
			rc = ps_ndb_tx_put_node(tx, e.nid, e.nid_parent, &img);
		ps_node_image_clear(&img);
	}
	if (rc == 0)
		rc = ps_ndb_tx_commit(tx);
	else
		ps_ndb_tx_abort(tx);
done:
	ps_ndb_close(ndb);
	return rc;
}

#endif

void test_ndb_write__crash(void)
{
#ifdef _WIN32
	SKIP("crash tests fork a child process: POSIX only");
#else
	const char *dir = ps_test_tmpdir();
	char base[1024], after[1024], work[1024];
	uint64_t d_before, d_after;
	ps_ndb_write_stats st;
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	unsigned i, k, killed = 0, saw_before = 0, saw_after = 0, saw_tail = 0, saw_invalid = 0;

	snprintf(base, sizeof(base), "%s", copy_sample("aspose-email__SampleContacts1.pst", dir, "base.pst"));
	snprintf(after, sizeof(after), "%s", ps_test_path(dir, "after.pst"));
	snprintf(work, sizeof(work), "%s", ps_test_path(dir, "work.pst"));
	/* The state before: the sample with nodes of an earlier transaction. */
	CHECK_OK(ps_ndb_open_write(&ndb, base));
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	for (i = 0; i < BASE_NODES; i++) {
		ps_node_image img;
		base_image(&img, i, 1);
		CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x2000 + i), 0, &img));
		ps_node_image_clear(&img);
	}
	CHECK_OK(ps_ndb_tx_commit(tx));
	ps_ndb_close(ndb);
	d_before = file_digest(base);
	/* The state after, uninterrupted. */
	copy_file(base, after);
	CHECK_OK(workload(after));
	d_after = file_digest(after);
	CHECK(d_after != d_before);
	check_clean(after);
	CHECK_OK(ps_ndb_open(&ndb, after, 0));
	ps_ndb_close(ndb);

	for (k = 1; ; k++) {
		struct problems p;
		ps_check_summary sum;
		uint64_t d;
		pid_t pid;
		int status = 0;

		CHECKF(k < 2000, "the transaction never completes");
		copy_file(base, work);
		fflush(NULL);
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			char n[32];
			snprintf(n, sizeof(n), "%u", k);
			setenv("PSTSYNC_KILL_AFTER_WRITES", n, 1);
			_exit(workload(work) == 0 ? 0 : 1);
		}
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status));
		CHECKF(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 99,
			"the child failed at write %u (status %d)", k, WEXITSTATUS(status));
		/* Right after the kill: readable, and the only problems are the
		 * maps marked invalid and bytes past the end. */
		memset(&p, 0, sizeof(p));
		CHECK_OK(ps_pst_check(work, collect, &p, &sum));
		CHECKF(sum.problems == 0 && sum.notes == p.allowed, "after a kill at write %u:%s", k,
			p.text);
		if (strstr(p.text, "famapvalid 0"))
			saw_invalid++;
		if (strstr(p.text, "follow the end"))
			saw_tail++;
		d = file_digest(work);
		CHECKF(d == d_before || d == d_after, "a kill at write %u leaves a mix", k);
		/* A writer repairs what the kill left. */
		CHECK_OK(ps_ndb_open_write(&ndb, work));
		ps_ndb_close(ndb);
		check_clean(work);
		CHECK(file_digest(work) == d);
		if (WEXITSTATUS(status) == 0) {
			CHECK(d == d_after);
			break;
		}
		killed++;
		if (d == d_before)
			saw_before++;
		else
			saw_after++;
	}
	/* The transaction was interrupted at each of its writes and flushes. */
	copy_file(base, work);
	CHECK_OK(ps_ndb_open_write(&ndb, work));
	ps_ndb_close(ndb);
	CHECK_OK(workload(work));
	CHECK(saw_before > 0 && saw_after > 0 && saw_invalid > 0 && saw_tail > 0);
	{
		/* The commit's writes, counted once more for the figure. */
		CHECK_OK(ps_ndb_open_write(&ndb, base));
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		{
			ps_node_image img;
			make_image(&img, 1, 1, 100, 0, 0);
			CHECK_OK(ps_ndb_tx_put_node(tx, 0x7001, 0, &img));
			ps_node_image_clear(&img);
		}
		CHECK_OK(ps_ndb_tx_commit(tx));
		CHECK_OK(ps_ndb_write_stats_get(ndb, &st));
		ps_ndb_close(ndb);
	}
	if (getenv("V"))
		printf("        crash: %u kills (%u before, %u after); a one-node commit makes %u writes and %u syncs\n",
			killed, saw_before, saw_after, st.writes, st.syncs);
#endif
}

/* ---- figures ------------------------------------------------------------ */

void test_ndb_write__figures(void)
{
	const char *dir = ps_test_tmpdir();
	const char *path = copy_sample("microsoft_outlook-pst-rs__Empty.pst", dir, "f.pst");
	ps_ndb_write_stats st;
	ps_ndb *ndb = NULL;
	ps_ndb_tx *tx = NULL;
	uint64_t t0, t1, t2, sizes[4];
	unsigned i, r;
	uint8_t buf[200];

	CHECK_OK(ps_ndb_open_write(&ndb, path));
	t0 = ps_clock_ns();
	CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
	for (i = 0; i < 10000; i++) {
		ps_node_image img;
		memset(&img, 0, sizeof(img));
		fill(buf, sizeof(buf), i);
		CHECK_OK(ps_node_image_add_block(&img, buf, sizeof(buf)));
		CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x4000 + i), 0, &img));
		ps_node_image_clear(&img);
	}
	t1 = ps_clock_ns();
	CHECK_OK(ps_ndb_tx_commit(tx));
	t2 = ps_clock_ns();
	CHECK_OK(ps_ndb_write_stats_get(ndb, &st));
	printf("        10000 small nodes in one transaction: %.0f ms to put, %.0f ms to commit, "
		"%u writes, %u syncs, %.1f MB written\n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
		st.writes, st.syncs, st.bytes / 1e6);
	/* Replace rounds: every node replaced, 4 times over. */
	sizes[0] = ps_ndb_header_get(ndb)->file_eof;
	for (r = 1; r < 4; r++) {
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		for (i = 0; i < 10000; i++) {
			ps_node_image img;
			memset(&img, 0, sizeof(img));
			fill(buf, sizeof(buf), i + r * 77777);
			CHECK_OK(ps_node_image_add_block(&img, buf, sizeof(buf)));
			CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x4000 + i), 0, &img));
			ps_node_image_clear(&img);
		}
		CHECK_OK(ps_ndb_tx_commit(tx));
		sizes[r] = ps_ndb_header_get(ndb)->file_eof;
	}
	printf("        file size over replace-all rounds: %.2f, %.2f, %.2f, %.2f MB\n",
		sizes[0] / 1e6, sizes[1] / 1e6, sizes[2] / 1e6, sizes[3] / 1e6);
	/* The steady state holds the old and the new copy at most. */
	CHECK(sizes[3] <= 2 * sizes[0] + 2 * PS_NDB_AMAP_SPAN);
	CHECK(sizes[3] == sizes[2]);
	/* Small transactions. */
	for (r = 0; r < 3; r++) {
		ps_node_image img;
		memset(&img, 0, sizeof(img));
		fill(buf, sizeof(buf), r);
		CHECK_OK(ps_node_image_add_block(&img, buf, sizeof(buf)));
		CHECK_OK(ps_ndb_tx_begin(ndb, &tx));
		CHECK_OK(ps_ndb_tx_put_node(tx, PS_NID_MAKE(T_INTERNAL, 0x4000 + r), 0, &img));
		CHECK_OK(ps_ndb_tx_commit(tx));
		ps_node_image_clear(&img);
	}
	CHECK_OK(ps_ndb_write_stats_get(ndb, &st));
	printf("        replacing one small node: %u writes, %u syncs, %llu bytes\n", st.writes, st.syncs,
		(unsigned long long)st.bytes);
	ps_ndb_close(ndb);
	check_clean(path);
}
