/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Stores that change under the sync: a store put back from an older copy
 * (last night's backup of common.pst), a store replaced by another file,
 * and the versions of items, so that no older version overwrites a newer
 * one and nothing missing from a rolled-back store is deleted elsewhere.
 *
 * A store is known by its record key (its identity) and by its sync mark, a
 * counter of pstsync's own on the message store that every sync writing
 * either store moves past the largest value seen; the protocol records both. A
 * store whose mark is below the recorded one went back in time; one whose
 * record key changed is another file. The mark's low bits are a random salt
 * of the sync that wrote it: a store at the recorded count with another
 * salt was put back and then synced by another desk (which saw no older
 * copy and counted on from it). A store whose items are older versions of
 * the ones the last sync left there (by their PCLs) is an older copy too,
 * whatever its mark says (a store only read, whose mark never moves). An item's version is its change key
 * and predecessor change list ([MS-OXCFXICS] 3.1.5.6.1): a version whose
 * change key the recorded version's PCL includes is older than it; one
 * whose PCL includes the recorded change key is newer; otherwise the two
 * were edited apart and a person decides.
 *
 * sync.c calls the hooks: history_begin at the start (what became of each
 * store), history_versions per link before any link is decided (versions
 * loaded, older ones looked for), history_scan per link (forgotten items
 * loaded, a replaced store's pairs forgotten, items told by search key,
 * items deleted since a restored copy was taken deleted again), history_judge per pair before the
 * decision table, history_in_step for pairs in step; sync_apply.c calls
 * history_written and history_record around each copy; history_end moves
 * the marks and records what was found, for `status`.
 */
#include "core/sync_int.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_edit.h"
#include "pstsync/os.h"

#include <stdlib.h>
#include <string.h>

#define TAG_CHANGE_KEY PS_PROP_TAG(0x65E2, PS_PT_BINARY)
#define TAG_PCL PS_PROP_TAG(0x65E3, PS_PT_BINARY)
#define TAG_SEARCH_KEY PS_PROP_TAG(0x300B, PS_PT_BINARY)

/* a mark: a count above MARK_SALT_BITS random bits (a mark below 1 << MARK_SALT_BITS
 * is a count alone, as written before salts) */
#define MARK_SALT_BITS 24
#define MARK_COUNT(m) ((m) >> MARK_SALT_BITS)

/* forgotten items and removed links are remembered this long (100 ns units):
 * older backups are rare */
#define GONE_KEEP (180ull * 24 * 3600 * 10000000)

static const char *const side_word[2] = { "local", "global" };

/* A recorded version: change key, PCL, search key in one allocation. */
struct version {
	int64_t pair_id;
	uint8_t *data;
	uint16_t ck, pcl, skey;
};

struct hlink {
	struct version *v[2];
	size_t n[2], cap[2];
	uint8_t *gone;             /* forgotten items' entry IDs, EID_SIZE each, sorted */
	size_t ngone;
	int loaded;                /* versions loaded, older ones looked for */
};

struct history {
	int known[2], restored[2], replaced[2];
	unsigned evidence[2];      /* restored: older item versions told it (not the mark) */
	ps_store_info info[2];
	int have_info[2];
	ps_protocol_store_state rec[2];
	struct hlink *links;
	unsigned older[2];         /* older versions overwritten with the newer */
	unsigned back[2];          /* items missing from a restored store put back */
	unsigned asked[2];         /* versions history could not place: asked */
	unsigned returned[2];      /* items deleted since, back in a restored store: left */
	unsigned kept[2];          /* what could not be put back (the link does not write it) */
};

/* ---- versions ------------------------------------------------------------------- */

/* The XIDs of a PCL: each a size byte, then a GUID and a local id. */
static int xid_next(const uint8_t *pcl, size_t size, size_t *pos, const uint8_t **xid, size_t *n)
{
	if (*pos >= size)
		return 0;
	*n = pcl[*pos];
	if (*n < 17 || *pos + 1 + *n > size)
		return 0;
	*xid = pcl + *pos + 1;
	*pos += 1 + *n;
	return 1;
}

/* Whether @p pcl includes XID @p x: the same GUID with the same or a greater local id. */
static int pcl_has(const uint8_t *pcl, size_t size, const uint8_t *x, size_t xn)
{
	const uint8_t *y;
	size_t pos = 0, yn;

	if (xn < 17)
		return 0;
	while (xid_next(pcl, size, &pos, &y, &yn))
		if (yn == xn && memcmp(y, x, 16) == 0 && memcmp(y + 16, x + 16, xn - 16) >= 0)
			return 1;
	return 0;
}

/* @p pcl with XID @p x merged in (replacing a smaller one of its GUID); malloc'ed. */
static uint8_t *pcl_merge(const uint8_t *pcl, size_t size, const uint8_t *x, size_t xn, size_t *out_size)
{
	uint8_t *out = malloc(size + xn + 2);
	const uint8_t *y;
	size_t pos = 0, yn, n = 0;

	if (!out)
		return NULL;
	while (xid_next(pcl, size, &pos, &y, &yn)) {
		if (xn >= 17 && yn == xn && memcmp(y, x, 16) == 0)
			continue;          /* the same replica: the merged-in XID says more */
		out[n++] = (uint8_t)yn;
		memcpy(out + n, y, yn);
		n += yn;
	}
	if (xn >= 17 && xn < 256) {
		out[n++] = (uint8_t)xn;
		memcpy(out + n, x, xn);
		n += xn;
	}
	*out_size = n;
	return out;
}

static int version_cmp(const void *a, const void *b)
{
	const struct version *x = a, *y = b;

	return x->pair_id < y->pair_id ? -1 : x->pair_id > y->pair_id;
}

static int version_cb(int64_t pair_id, int side, const uint8_t *ck, size_t nck, const uint8_t *pcl,
	size_t npcl, const uint8_t *skey, size_t nskey, void *ctx)
{
	struct hlink *hl = ctx;
	struct version *v;

	if (nck > 0xFFFF || npcl > 0xFFFF || nskey > 0xFFFF)
		return 0;
	if (hl->n[side] == hl->cap[side]) {
		size_t cap = hl->cap[side] ? hl->cap[side] * 2 : 64;
		struct version *grown = realloc(hl->v[side], cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		hl->v[side] = grown;
		hl->cap[side] = cap;
	}
	v = &hl->v[side][hl->n[side]];
	v->pair_id = pair_id;
	v->ck = (uint16_t)nck;
	v->pcl = (uint16_t)npcl;
	v->skey = (uint16_t)nskey;
	v->data = malloc(nck + npcl + nskey + 1);
	if (!v->data)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (nck)
		memcpy(v->data, ck, nck);
	if (npcl)
		memcpy(v->data + nck, pcl, npcl);
	if (nskey)
		memcpy(v->data + nck + npcl, skey, nskey);
	hl->n[side]++;
	return 0;
}

static const struct version *version_find(const struct hlink *hl, int t, int64_t pair_id)
{
	struct version key;

	if (!hl->n[t] || !pair_id)
		return NULL;
	key.pair_id = pair_id;
	return bsearch(&key, hl->v[t], hl->n[t], sizeof(key), version_cmp);
}

/*
 * The version of item @p e of side @p t: its change key and PCL, read from
 * the store (a contents table seldom has them); malloc'ed into *data, the
 * change key first. PS_ENOTFOUND when it has no change key.
 */
static int read_version(struct sync *sy, int t, const struct entry *e, uint8_t **data, size_t *nck,
	size_t *npcl)
{
	ps_item *item = NULL;
	const ps_prop *ck, *pcl;
	int rc;

	*data = NULL;
	*nck = *npcl = 0;
	if ((rc = ps_store_read_item(sy->st[t], e->nid, &item)) < 0)
		return rc;
	ck = ps_propset_find(&item->props, TAG_CHANGE_KEY);
	pcl = ps_propset_find(&item->props, TAG_PCL);
	if (!ck || !ck->size) {
		ps_item_free(item);
		return PS_ENOTFOUND;
	}
	*nck = ck->size;
	*npcl = pcl ? pcl->size : 0;
	*data = malloc(*nck + *npcl + 1);
	if (!*data) {
		ps_item_free(item);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	memcpy(*data, ck->data, *nck);
	if (*npcl)
		memcpy(*data + *nck, pcl->data, *npcl);
	ps_item_free(item);
	return PS_OK;
}

/* How side t's current version of pair i stands to the recorded one. */
enum rel { REL_UNKNOWN = 0, REL_SAME, REL_OLDER, REL_NEWER, REL_APART };

static int relation(struct sync *sy, int t, const struct version *v, const struct entry *e, int *rel)
{
	uint8_t *cur = NULL;
	size_t nck = 0, npcl = 0;
	int rc;

	*rel = REL_UNKNOWN;
	if (!v || !v->ck)
		return PS_OK;
	if (e->ckey && v->ck == e->ckey_size && memcmp(v->data, e->ckey, v->ck) == 0) {
		*rel = REL_SAME;
		return PS_OK;
	}
	if (e->ckey && pcl_has(v->data + v->ck, v->pcl, e->ckey, e->ckey_size)) {
		*rel = REL_OLDER;
		return PS_OK;
	}
	rc = read_version(sy, t, e, &cur, &nck, &npcl);
	if (rc < 0)
		return ps_sync__is_store_error(rc) ? rc : PS_OK;
	if (nck == v->ck && memcmp(cur, v->data, nck) == 0)
		*rel = REL_SAME;
	else if (pcl_has(v->data + v->ck, v->pcl, cur, nck))
		*rel = REL_OLDER;
	else if (pcl_has(cur + nck, npcl, v->data, v->ck))
		*rel = REL_NEWER;
	else if (npcl)
		*rel = REL_APART;   /* without a PCL (a tool that keeps none) nothing is known */
	free(cur);
	return PS_OK;
}

/* ---- forgotten items ------------------------------------------------------------- */

static int gone_cb(const uint8_t *eid, size_t size, void *ctx)
{
	struct hlink *hl = ctx;
	uint8_t *grown;

	if (size != EID_SIZE)
		return 0;
	grown = realloc(hl->gone, (hl->ngone + 1) * EID_SIZE);
	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	hl->gone = grown;
	memcpy(hl->gone + hl->ngone * EID_SIZE, eid, EID_SIZE);
	hl->ngone++;
	return 0;
}

static int eid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, EID_SIZE);
}

/* ---- whose item an entry is ---------------------------------------------------- */

static const uint8_t *version_skey(const struct version *v)
{
	return v->data + v->ck + v->pcl;
}

/*
 * Pair @p i's side @p t names no item any more (another item sits at its
 * NID): its entry ID is marked (flags 0xFF, which no store gives), so that
 * it stays unique in the protocol and names nothing, with the recorded
 * state kept. The scan then finds the pair's item missing.
 */
static int vacate(struct sync *sy, struct link_run *lr, long i, int t)
{
	struct pside *ps = &lr->pairs[i].side[t];
	uint8_t old[EID_SIZE];
	ps_protocol_side s;
	int rc;

	memcpy(old, ps->eid, EID_SIZE);
	ps->nid = 0;
	memset(ps->eid, 0xFF, 4);
	if (sy->opt.dry_run || !lr->pairs[i].id)
		return PS_OK;
	ps_sync__side_unpack(&s, ps);
	if ((rc = ps_protocol_pair_set_side(sy->proto, lr->pairs[i].id, t, &s)) < 0)
		return rc;
	/* the item there is another one, not gone: a later restore must not
	 * take it for one deleted since */
	return ps_protocol_gone_unnote(sy->proto, lr->link_id, t, old, EID_SIZE);
}

/* An item no pair names, known by its search key. */
struct cand {
	const uint8_t *skey;
	size_t size;
	long e;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = memcmp(x->skey, y->skey, x->size < y->size ? x->size : y->size);

	if (c)
		return c;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

/* How well entry @p e fits the version @p v recorded for its pair: 3 the
 * version itself or a newer one, 2 an older one of its line, 1 a version
 * history cannot place. */
static int fit(struct sync *sy, int t, const struct version *v, const struct entry *e, int *out)
{
	int rel, rc;

	if ((rc = relation(sy, t, v, e, &rel)) < 0)
		return rc;
	*out = rel == REL_SAME || rel == REL_NEWER ? 3 : rel == REL_OLDER ? 2 : 1;
	return PS_OK;
}

static int in_gone(const struct hlink *hl, const uint8_t *eid)
{
	return hl->ngone && bsearch(eid, hl->gone, hl->ngone, EID_SIZE, eid_cmp) != NULL;
}

/* Side @p t of pair @p i is entry @p e from now on (the recorded state
 * stays: the scan compares the item with it). */
static int adopt(struct sync *sy, struct link_run *lr, long i, int t, long e)
{
	struct entry *en = &lr->ls[t].e[e];
	ps_protocol_side s;

	ps_sync__side_unpack(&s, &lr->pairs[i].side[t]);
	memcpy(s.eid, en->eid, EID_SIZE);
	s.eid_size = EID_SIZE;
	s.nid = en->nid;
	ps_sync__side_pack(&lr->pairs[i].side[t], &s);
	en->pair = i;
	if (sy->opt.dry_run || !lr->pairs[i].id)
		return PS_OK;
	return ps_protocol_pair_set_side(sy->proto, lr->pairs[i].id, t, &s);
}

/* An item a pair gave up: deleted again at the end, if no pair took it, when
 * it was deleted since or is only an older version (@p drop). */
struct given_up {
	long e;
	int drop;
};

/*
 * Side @p t's items told by their search keys (side t is a copy put back):
 * a restored store gives the items it gets after the restore the NIDs that
 * its newer self had given others, so the item at a pair's NID may be
 * another item, and a pair's own item may sit at another NID (where an
 * older copy had it). First every pair's item is checked against the
 * search key recorded for it (another: the pair's item is missing).
 *
 * Then the items of one search key are shared out among the pairs that
 * have it: "keep both" makes two items of one search key, and a copy older
 * than the newest may hold both, each at the NID the other's pair has now.
 * A pair whose item is missing or not at its recorded version takes the
 * item that fits that version best (the version itself or a newer one,
 * then an older one of its line, then one history cannot place), from no
 * pair or from a pair it fits worse; the best fits first, so a twin's pair
 * never takes the item of another pair's recorded version. An item a pair
 * gives up and no pair takes is deleted again when it was deleted since
 * (or is only an older version of the pair's), else it stays, an item of
 * its own. Before the PCLs are compared: they order versions of one item
 * only. @p hl holds side t's forgotten items.
 */
static int identify(struct sync *sy, struct link_run *lr, struct hlink *hl, int t)
{
	struct listing *ls = &lr->ls[t];
	struct cand *c = NULL;
	struct given_up *up = NULL;
	size_t i, k, nc = 0, nup = 0, ngone = hl->ngone, capup = 0;
	int need, changed, round, rc = PS_OK;

	for (i = 0; i < lr->npairs; i++) {
		const struct version *v = version_find(hl, t, lr->pairs[i].id);
		struct entry *en;
		long e;
		if (lr->gone[i] || !v || !v->skey ||
		    (e = ps_sync__listing_find_side(ls, &lr->pairs[i].side[t])) < 0)
			continue;
		if ((rc = ps_sync__entry_read(sy, lr, t, e)) < 0) {
			if (!ps_sync__is_item_error(rc))
				return rc;
			continue;
		}
		en = &ls->e[e];
		if (!en->skey || (en->skey_size == v->skey && memcmp(en->skey, version_skey(v), v->skey) == 0))
			continue;
		if (en->pair == (long)i)
			en->pair = -1;
		if ((rc = vacate(sy, lr, (long)i, t)) < 0)
			return rc;
	}

	/* every item with a search key: those no pair names (read now), and the
	 * pairs' own (read above) */
	c = malloc((ls->n + 1) * sizeof(*c));
	if (!c)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (i = 0; i < ls->n; i++) {
		struct entry *en = &ls->e[i];
		if (en->unreadable)
			continue;
		if (en->pair < 0 && (rc = ps_sync__entry_read(sy, lr, t, (long)i)) < 0) {
			if (!ps_sync__is_item_error(rc))
				goto cleanup;
			rc = PS_OK;
			continue;
		}
		if (!en->skey)
			continue;
		c[nc].skey = en->skey;
		c[nc].size = en->skey_size;
		c[nc].e = (long)i;
		nc++;
	}
	if (nc > 1)
		qsort(c, nc, sizeof(*c), cand_cmp);
	/* each move raises the fit of one pair above what another loses: it ends */
	for (round = 0, changed = 1; changed && round < 8; round++) {
		changed = 0;
		for (need = 3; need >= 1; need--) {
			for (i = 0; i < lr->npairs; i++) {
				const struct pair *p = &lr->pairs[i];
				const struct version *v = version_find(hl, t, p->id);
				struct cand key;
				size_t lo = 0, hi = nc;
				int have = 0, f, fo;
				long cur;
				if (lr->gone[i] || !v || !v->skey || !p->side[t].eid_size || !p->side[t ^ 1].eid_size)
					continue;
				key.skey = version_skey(v);
				key.size = v->skey;
				key.e = -1;
				while (lo < hi) { /* the first item whose key is not below the pair's */
					size_t mid = lo + (hi - lo) / 2;
					if (cand_cmp(&c[mid], &key) < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				for (hi = lo; hi < nc && c[hi].size == key.size && memcmp(c[hi].skey, key.skey, key.size) == 0; hi++)
					;
				cur = ps_sync__listing_find_side(ls, &p->side[t]);
				if (cur >= 0 && ls->e[cur].pair != (long)i)
					cur = -1;
				/* none, or its own item alone: nothing to share out */
				if (hi == lo || (hi == lo + 1 && c[lo].e == cur))
					continue;
				if (cur >= 0 && (rc = fit(sy, t, v, &ls->e[cur], &have)) < 0)
					goto cleanup;
				if (have >= need)
					continue;
				for (k = lo; k < hi; k++) {
					struct entry *en = &ls->e[c[k].e];
					long o = en->pair;
					if (o == (long)i)
						continue;
					if ((rc = fit(sy, t, v, en, &f)) < 0)
						goto cleanup;
					if (f < need || f <= have)
						continue;
					if (o >= 0) {
						/* another pair's item: taken only where it fits that one worse */
						const struct version *vo = version_find(hl, t, lr->pairs[o].id);
						if (!vo || !vo->skey || vo->skey != v->skey ||
						    memcmp(version_skey(vo), key.skey, key.size) != 0)
							continue;
						if ((rc = fit(sy, t, vo, en, &fo)) < 0)
							goto cleanup;
						if (fo >= need)
							continue;
						en->pair = -1;
						if ((rc = vacate(sy, lr, o, t)) < 0)
							goto cleanup;
					}
					if (cur >= 0) {
						struct entry *x = &ls->e[cur];
						if (nup == capup) {
							size_t cap = capup ? capup * 2 : 8;
							struct given_up *grown = realloc(up, cap * sizeof(*grown));
							if (!grown) {
								rc = ps_error_set(PS_ENOMEM, "out of memory");
								goto cleanup;
							}
							up = grown;
							capup = cap;
						}
						up[nup].e = cur;
						up[nup].drop = have == 2 || in_gone(hl, x->eid);
						nup++;
						x->pair = -1;
					}
					if ((rc = adopt(sy, lr, (long)i, t, c[k].e)) < 0)
						goto cleanup;
					changed = 1;
					break;
				}
			}
		}
	}
	/* the items given up that no pair took */
	for (k = 0; k < nup; k++) {
		const struct entry *x = &ls->e[up[k].e];
		if (up[k].drop && x->pair < 0) {
			/* deleted again by the scan, as the items deleted since */
			uint8_t *grown = realloc(hl->gone, (hl->ngone + 1) * EID_SIZE);
			if (!grown) {
				rc = ps_error_set(PS_ENOMEM, "out of memory");
				goto cleanup;
			}
			hl->gone = grown;
			memcpy(hl->gone + hl->ngone * EID_SIZE, x->eid, EID_SIZE);
			hl->ngone++;
		} else if (!sy->opt.dry_run && !(ngone && bsearch(x->eid, hl->gone, ngone, EID_SIZE, eid_cmp)) &&
			   (rc = ps_protocol_gone_unnote(sy->proto, lr->link_id, t, x->eid, EID_SIZE)) < 0) {
			/* an item of its own, or another pair's: the note of the pair's
			 * move is taken back */
			goto cleanup;
		}
	}
	if (hl->ngone > ngone)
		qsort(hl->gone, hl->ngone, EID_SIZE, eid_cmp);
cleanup:
	free(c);
	free(up);
	return rc;
}

/*
 * Side @p t, whose mark says nothing, told by its items: one whose change
 * key the PCL recorded for it includes (and is not the recorded one) is an
 * older version than the last sync left there, so the store is an older
 * copy of itself, for every link (all are checked before any is decided).
 * Only items changed since (time or size) are read: they would be read
 * anyway.
 */
static int older_versions(struct sync *sy, struct link_run *lr, struct hlink *hl, int t)
{
	struct history *h = sy->hist;
	unsigned older = 0;
	size_t i;
	int rc;

	for (i = 0; i < lr->npairs; i++) {
		const struct pside *ps = &lr->pairs[i].side[t];
		const struct version *v = version_find(hl, t, lr->pairs[i].id);
		uint8_t *cur = NULL;
		size_t nck = 0, npcl = 0;
		long e;
		if (lr->gone[i] || !v || !v->ck || !lr->pairs[i].side[t ^ 1].eid_size ||
		    (e = ps_sync__listing_find_side(&lr->ls[t], ps)) < 0 ||
		    (lr->ls[t].e[e].modified == ps->modified && lr->ls[t].e[e].size == ps->size))
			continue;
		rc = read_version(sy, t, &lr->ls[t].e[e], &cur, &nck, &npcl);
		if (rc < 0) {
			if (ps_sync__is_store_error(rc))
				return rc;
			continue;
		}
		if (!(nck == v->ck && memcmp(cur, v->data, nck) == 0) && pcl_has(v->data + v->ck, v->pcl, cur, nck))
			older++;
		free(cur);
	}
	if (!older)
		return PS_OK;
	h->restored[t] = 1;
	h->evidence[t] += older;
	ps_sync__warn(sy, "the %s store '%s' is an older copy of itself: %u item%s in '%s' %s older "
		"than the last sync left %s (restored from a backup?). No version from it overwrites a "
		"newer one, and what is missing from it is put back, not deleted elsewhere",
		side_word[t], ps_store_path(sy->st[t]), older, older == 1 ? "" : "s", lr->path[t],
		older == 1 ? "is" : "are", older == 1 ? "it" : "them");
	return PS_OK;
}

/* ---- the hooks ------------------------------------------------------------------- */

/* Whether a store's mark @p m says it is older than the recorded @p rec. */
static int mark_older(uint64_t m, uint64_t rec)
{
	if (MARK_COUNT(m) != MARK_COUNT(rec))
		return MARK_COUNT(m) < MARK_COUNT(rec);
	if (MARK_COUNT(m) == 0)
		return m < rec;        /* counts alone */
	return m != rec;           /* the count recorded, written by another sync: a fork */
}

/* The mark after @p base for a sync whose salt is @p salt. */
static uint64_t mark_next(uint64_t base, uint32_t salt)
{
	uint32_t low = salt & ((1u << MARK_SALT_BITS) - 1);

	return ((MARK_COUNT(base) + 1) << MARK_SALT_BITS) | (low ? low : 1);
}

int ps_sync__history_begin(struct sync *sy)
{
	struct history *h = calloc(1, sizeof(*h));
	int t, rc;

	if (!h)
		return ps_error_set(PS_ENOMEM, "out of memory");
	sy->hist = h;
	h->links = calloc(sy->nlinks + 1, sizeof(*h->links));
	if (!h->links)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (t = 0; t < 2; t++) {
		if ((rc = ps_store_get_info(sy->st[t], &h->info[t])) < 0)
			return rc;
		h->have_info[t] = 1;
		rc = ps_protocol_store_get(sy->proto, t, &h->rec[t]);
		if (rc == PS_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		h->known[t] = 1;
		if (h->rec[t].has_record_key && h->info[t].has_record_key &&
		    memcmp(h->rec[t].record_key, h->info[t].record_key, 16) != 0) {
			h->replaced[t] = 1;
			ps_sync__warn(sy, "the %s store '%s' is another file than at the last sync (its "
				"identity changed): its links are paired afresh, as at a first sync; nothing "
				"is deleted for what it lacks", side_word[t], ps_store_path(sy->st[t]));
		} else if (h->info[t].has_sync_mark && mark_older(h->info[t].sync_mark, h->rec[t].mark)) {
			h->restored[t] = 1;
			ps_sync__warn(sy, "the %s store '%s' is an older copy of itself: restored from a "
				"backup? No version from it overwrites a newer one, and what is missing "
				"from it is put back, not deleted elsewhere", side_word[t],
				ps_store_path(sy->st[t]));
		}
	}
	return PS_OK;
}

int ps_sync__history_versions(struct sync *sy, struct link_run *lr)
{
	struct history *h = sy->hist;
	struct hlink *hl;
	int t, rc;

	if (!h || !lr->link_id || h->replaced[0] || h->replaced[1])
		return PS_OK;
	hl = &h->links[lr - sy->links];
	if (hl->loaded)
		return PS_OK;
	hl->loaded = 1;
	if ((rc = ps_protocol_version_list(sy->proto, lr->link_id, version_cb, hl)) < 0)
		return rc;
	for (t = 0; t < 2; t++)
		if (hl->n[t] > 1)
			qsort(hl->v[t], hl->n[t], sizeof(*hl->v[t]), version_cmp);
	for (t = 0; t < 2; t++)
		if (!h->restored[t] && h->known[t] && (rc = older_versions(sy, lr, hl, t)) < 0)
			return rc;
	return PS_OK;
}

int ps_sync__history_scan(struct sync *sy, struct link_run *lr)
{
	struct history *h = sy->hist;
	struct hlink *hl;
	size_t i;
	int t, rc;

	if (!h)
		return PS_OK;
	hl = &h->links[lr - sy->links];
	if (h->replaced[0] || h->replaced[1]) {
		/* another file: what the protocol knows of its items names other items */
		for (i = 0; i < lr->npairs; i++) {
			if (!sy->opt.dry_run && lr->pairs[i].id) {
				rc = ps_protocol_pair_delete(sy->proto, lr->pairs[i].id);
				if (rc < 0 && rc != PS_ENOTFOUND)
					return rc;
			}
		}
		lr->npairs = 0;
		for (t = 0; t < 2; t++)
			for (i = 0; i < lr->ls[t].n; i++)
				lr->ls[t].e[i].pair = -1;
		return PS_OK;
	}
	if (!lr->link_id)
		return PS_OK;
	if (!hl->loaded && (rc = ps_sync__history_versions(sy, lr)) < 0)
		return rc;

	for (t = 0; t < 2; t++) {
		if (!h->restored[t])
			continue;
		/* the forgotten items first: identify tells by them what an item
		 * it gives up is */
		hl->ngone = 0;
		if ((rc = ps_protocol_gone_list(sy->proto, lr->link_id, t, gone_cb, hl)) < 0)
			return rc;
		if (hl->ngone > 1)
			qsort(hl->gone, hl->ngone, EID_SIZE, eid_cmp);
		if ((rc = identify(sy, lr, hl, t)) < 0)
			return rc;
		if (!hl->ngone)
			continue;
		/* items deleted since the copy was taken are back in a restored
		 * store: the deletion is the newer version, so it is carried out
		 * again there (never copied to the other side) */
		for (i = 0; i < lr->ls[t].n; i++) {
			struct entry *e = &lr->ls[t].e[i];
			ps_protocol_pair p;
			long idx;
			if (e->pair >= 0 || !bsearch(e->eid, hl->gone, hl->ngone, EID_SIZE, eid_cmp))
				continue;
			memset(&p, 0, sizeof(p));
			p.link_id = lr->link_id;
			ps_sync__side_from_entry(&p.side[t], e);
			if (!sy->opt.dry_run && (rc = ps_protocol_pair_insert(sy->proto, &p)) < 0)
				return rc;
			if ((rc = ps_sync__pair_append(lr, &p, &idx)) < 0)
				return rc;
			e->pair = idx;
			h->returned[t]++;
			if (lr->w[t]) {
				struct op *op;
				if ((rc = ps_sync__ops_push(&sy->ops, &op)) < 0)
					return rc;
				op->lr = lr;
				op->action = PS_ACTION_DELETE;
				op->side = t;
				op->pair = idx;
				op->src = -1;
				op->dst = (long)i;
				op->prep = PREP_NONE;
			}
		}
	}
	return PS_OK;
}

int ps_sync__history_judge(struct sync *sy, struct link_run *lr, long i, int st[2], const long ent[2],
	int *side)
{
	struct history *h = sy->hist;
	struct hlink *hl;
	int t, rc;

	if (!h)
		return HJ_TABLE;
	hl = &h->links[lr - sy->links];
	for (t = 0; t < 2; t++) {
		const struct version *v;
		const struct entry *e;
		int rel;

		if (st[t] == ST_DELETED && h->restored[t]) {
			/* missing from a rolled-back store: it goes back, nothing is deleted */
			if (st[t ^ 1] != ST_UNMODIFIED && st[t ^ 1] != ST_MODIFIED)
				return HJ_TABLE;
			if (!lr->w[t]) {
				h->kept[t]++;
				return HJ_SKIP;
			}
			h->back[t]++;
			*side = t;
			return HJ_RESTORE;
		}
		if (st[t] != ST_MODIFIED || ent[t] < 0)
			continue;
		v = version_find(hl, t, lr->pairs[i].id);
		e = &lr->ls[t].e[ent[t]];
		if ((rc = relation(sy, t, v, e, &rel)) < 0)
			return rc;
		if (rel == REL_OLDER) {
			/* an older version, not a change: the newer one goes back to it */
			if (st[t ^ 1] == ST_DELETED) {
				st[t] = ST_UNMODIFIED; /* the deletion is newer */
				return HJ_TABLE;
			}
			if (!lr->w[t]) {
				h->kept[t]++;
				return HJ_SKIP;
			}
			h->older[t]++;
			*side = t;
			return HJ_OVERWRITE;
		}
		if ((rel == REL_APART && st[t ^ 1] == ST_UNMODIFIED) ||
		    (h->restored[t] && st[t ^ 1] != ST_MODIFIED && rel != REL_NEWER)) {
			/* edited apart from the recorded version (a copy put back, then
			 * edited), or a restored store's version history cannot place:
			 * a person decides */
			h->asked[t]++;
			*side = t;
			return HJ_CONFLICT;
		}
	}
	return HJ_TABLE;
}

int ps_sync__history_in_step(struct sync *sy, struct link_run *lr, long i, const long ent[2])
{
	struct history *h = sy->hist;
	int t, rc;

	if (!h || sy->opt.dry_run || !lr->pairs[i].id)
		return PS_OK;
	for (t = 0; t < 2; t++) {
		const struct entry *e = ent[t] >= 0 ? &lr->ls[t].e[ent[t]] : NULL;
		const struct version *v;
		uint8_t *pcl;
		size_t npcl = 0;

		if (!e || !e->ckey)
			continue;
		v = version_find(&h->links[lr - sy->links], t, lr->pairs[i].id);
		if (v && v->ck == e->ckey_size && memcmp(v->data, e->ckey, v->ck) == 0)
			continue;
		/* the version in step: its change key, in the PCL known so far */
		pcl = pcl_merge(v ? v->data + v->ck : NULL, v ? v->pcl : 0, e->ckey, e->ckey_size, &npcl);
		if (!pcl)
			return ps_error_set(PS_ENOMEM, "out of memory");
		/* the search key the item was known by, where the listing has none */
		rc = ps_protocol_version_set(sy->proto, lr->pairs[i].id, t, e->ckey, e->ckey_size, pcl, npcl,
			e->skey ? e->skey : v ? version_skey(v) : NULL, e->skey ? e->skey_size : v ? v->skey : 0);
		free(pcl);
		if (rc < 0)
			return rc;
	}
	return PS_OK;
}

/*
 * Items @p e of a link added again that have one search key and different
 * contents: the pair of the link as it was removed (retired) says which
 * side changed since: changed[t] is 0 for a side whose content is the one
 * recorded then. Both changed, or nothing known: both 1 (a question).
 */
int ps_sync__history_rejoin(struct sync *sy, struct link_run *lr, const long e[2], int changed[2])
{
	const struct entry *a = &lr->ls[0].e[e[0]];
	uint8_t fp[2][PS_PROTOCOL_FINGERPRINT_MAX];
	size_t nfp[2];
	int t, rc;

	changed[0] = changed[1] = 1;
	if (!lr->retired_id || !a->skey)
		return PS_OK;
	rc = ps_protocol_retired_fingerprints(sy->proto, lr->retired_id, a->skey, a->skey_size, fp, nfp);
	if (rc == PS_ENOTFOUND)
		return PS_OK;
	if (rc < 0)
		return rc;
	for (t = 0; t < 2; t++) {
		const struct entry *en = &lr->ls[t].e[e[t]];
		uint8_t before[PS_SYNC_FINGERPRINT_SIZE];
		changed[t] = !(en->has_fp && nfp[t] == PS_SYNC_FINGERPRINT_SIZE &&
			memcmp(en->fp, fp[t], PS_SYNC_FINGERPRINT_SIZE) == 0);
		if (changed[t] && en->has_fp && nfp[t] == PS_SYNC_FINGERPRINT_SIZE && en->fp_before) {
			/* retired before recipients were translated (fingerprint.c) */
			rc = ps_sync__entry_fp_before(sy, lr, t, e[t], before);
			if (rc < 0 && rc != PS_ENOTFOUND)
				return rc;
			changed[t] = !(rc == PS_OK && memcmp(before, fp[t], PS_SYNC_FINGERPRINT_SIZE) == 0);
		}
	}
	if (!changed[0] && !changed[1])
		changed[0] = changed[1] = 1;
	return PS_OK;
}

/*
 * A conflict answered by overwriting: the version written succeeds both
 * ([MS-OXCFXICS] 3.1.5.6.2), so its PCL takes in the overwritten one's.
 * Only for answers: a plain overwrite replaces an ancestor of its source.
 */
static int merge_target(struct sync *sy, struct op *op, ps_item *item)
{
	const struct entry *dst = &op->lr->ls[op->side].e[op->dst];
	const ps_prop *pcl = ps_propset_find(&item->props, TAG_PCL);
	uint8_t *cur = NULL, *theirs = NULL, *next;
	size_t ncur = pcl ? pcl->size : 0, nck = 0, ntheirs = 0, pos = 0, xn;
	const uint8_t *x;
	int rc;

	rc = read_version(sy, op->side, dst, &theirs, &nck, &ntheirs);
	if (rc == PS_ENOTFOUND || (rc < 0 && !ps_sync__is_store_error(rc)))
		return PS_OK;
	if (rc < 0)
		return rc;
	cur = malloc(ncur + 1);
	if (!cur) {
		free(theirs);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (ncur)
		memcpy(cur, pcl->data, ncur);
	/* their change key and every XID of their PCL that ours does not include */
	for (;;) {
		if (pos == 0 && nck) {
			x = theirs;
			xn = nck;
			pos = nck;
		} else if (!xid_next(theirs, nck + ntheirs, &pos, &x, &xn)) {
			break;
		}
		if (pcl_has(cur, ncur, x, xn))
			continue;
		next = pcl_merge(cur, ncur, x, xn, &ncur);
		free(cur);
		if (!(cur = next)) {
			free(theirs);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
	}
	rc = ps_propset_put_tag(&item->props, TAG_PCL, cur, ncur);
	free(cur);
	free(theirs);
	return rc;
}

/*
 * The version an op writes, noted before the write: the source's change
 * key and PCL, which a copy keeps (as Outlook's copies do). A source
 * without a change key gives its copy a new one (an XID in the namespace
 * of the source store's record key), so that every version pstsync writes
 * can later be told from older ones.
 */
int ps_sync__history_written(struct sync *sy, struct op *op, ps_item *item)
{
	const ps_prop *ck, *pcl, *skey;
	size_t nck, npcl, nskey;
	int rc;

	free(op->version);
	op->version = NULL;
	op->version_ck = op->version_pcl = op->version_skey = 0;
	if (!sy->hist)
		return PS_OK;
	ck = ps_propset_find(&item->props, TAG_CHANGE_KEY);
	if ((!ck || !ck->size) && sy->hist->have_info[op->side ^ 1]) {
		uint8_t xid[22];
		uint64_t counter = ps_time_now() / 10000;
		int k;
		memcpy(xid, sy->hist->info[op->side ^ 1].record_key, 16);
		for (k = 21; k >= 16; k--, counter >>= 8)
			xid[k] = (uint8_t)counter;
		if ((rc = ps_propset_put_tag(&item->props, TAG_CHANGE_KEY, xid, sizeof(xid))) < 0)
			return rc;
		ck = ps_propset_find(&item->props, TAG_CHANGE_KEY);
	}
	if (op->action == PS_ACTION_OVERWRITE && op->answer && op->dst >= 0 &&
	    (rc = merge_target(sy, op, item)) < 0)
		return rc;
	ck = ps_propset_find(&item->props, TAG_CHANGE_KEY);
	pcl = ps_propset_find(&item->props, TAG_PCL);
	nck = ck ? ck->size : 0;
	npcl = pcl ? pcl->size : 0;
	if (!nck || nck > 0xFFFF || npcl > 0xFFFF)
		return PS_OK;
	skey = ps_propset_find(&item->props, TAG_SEARCH_KEY);
	nskey = skey && skey->size <= 0xFFFF ? skey->size : 0;
	op->version = malloc(nck + npcl + nskey + 1);
	if (!op->version)
		return ps_error_set(PS_ENOMEM, "out of memory");
	memcpy(op->version, ck->data, nck);
	if (npcl)
		memcpy(op->version + nck, pcl->data, npcl);
	if (nskey)
		memcpy(op->version + nck + npcl, skey->data, nskey);
	op->version_ck = (uint16_t)nck;
	op->version_pcl = (uint16_t)npcl;
	op->version_skey = (uint16_t)nskey;
	if (!pcl || !npcl) {
		/* its PCL holds its own change key, as Outlook's do */
		size_t n = 0;
		uint8_t *list = pcl_merge(NULL, 0, op->version, nck, &n);
		if (!list)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rc = ps_propset_put_tag(&item->props, TAG_PCL, list, n);
		free(list);
		if (rc < 0)
			return rc;
	}
	return PS_OK;
}

int ps_sync__history_record(struct sync *sy, struct op *op)
{
	struct pair *p = &op->lr->pairs[op->pair];
	uint8_t *pcl;
	size_t npcl = 0;
	int t, rc = PS_OK;

	if (!sy->hist || !op->version || !p->id)
		return PS_OK;
	/* the PCL always holds the version's own change key */
	pcl = pcl_merge(op->version + op->version_ck, op->version_pcl, op->version, op->version_ck, &npcl);
	if (!pcl)
		return ps_error_set(PS_ENOMEM, "out of memory");
	for (t = 0; t < 2 && rc == PS_OK; t++)
		rc = ps_protocol_version_set(sy->proto, p->id, t, op->version, op->version_ck, pcl, npcl,
			op->version + op->version_ck + op->version_pcl, op->version_skey);
	free(pcl);
	return rc;
}

/* "2 newer versions put back, 1 missing item restored" for side t, or "" */
static void findings(const struct history *h, int t, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
#define ADD(count, one, many) \
	if (count && n < size) \
		n += (size_t)snprintf(buf + n, size - n, "%s%u %s", n ? ", " : "", count, count == 1 ? one : many)
	ADD(h->older[t], "newer version put back", "newer versions put back");
	ADD(h->back[t], "missing item put back", "missing items put back");
	ADD(h->asked[t], "changed item asked about", "changed items asked about");
	ADD(h->returned[t], "item deleted since deleted again", "items deleted since deleted again");
	ADD(h->kept[t], "item left as it is (the link does not write this store)",
		"items left as they are (the links do not write this store)");
#undef ADD
}

int ps_sync__history_end(struct sync *sy)
{
	struct history *h = sy->hist;
	uint32_t salt = 0;
	int t, rc;

	if (!h)
		return PS_OK;
	if (!sy->opt.dry_run && (rc = ps_random_bytes(&salt, sizeof(salt))) < 0)
		return rc;
	for (t = 0; t < 2; t++) {
		ps_protocol_store_state s;
		const ps_sync_counts *c = &sy->res->counts;
		uint64_t mark = h->info[t].sync_mark;
		char found[512];
		/* the marks move when the sync wrote either store (what it wrote
		 * came from the other's changes): a copy of either store taken
		 * before is then seen to be older */
		int written = c->copied[0] + c->overwritten[0] + c->deleted[0] +
			c->copied[1] + c->overwritten[1] + c->deleted[1] > 0;

		findings(h, t, found, sizeof(found));
		if (found[0] && (h->restored[t] || h->replaced[t]))
			ps_sync__warn(sy, "the %s store '%s': %s", side_word[t], ps_store_path(sy->st[t]), found);
		if (sy->opt.dry_run || !h->have_info[t])
			continue;
		if (written) {
			/* past every mark seen: another desk's protocol may know a larger one */
			uint64_t base = h->known[t] && !h->replaced[t] &&
				MARK_COUNT(h->rec[t].mark) > MARK_COUNT(mark) ? h->rec[t].mark : mark;
			mark = mark_next(base, salt);
			/* a transaction of its own, committed after every item of the sync */
			rc = ps_store_set_sync_mark(sy->st[t], mark);
			if (rc == PS_EUNSUPPORTED)
				mark = h->info[t].sync_mark; /* a backend without marks */
			else if (rc < 0)
				return rc;
		} else if (h->restored[t] || (!h->info[t].has_sync_mark && h->known[t] && !h->replaced[t])) {
			mark = h->rec[t].mark; /* still older: protected again next time */
		}
		memset(&s, 0, sizeof(s));
		memcpy(s.record_key, h->info[t].record_key, 16);
		s.has_record_key = h->info[t].has_record_key;
		s.mark = mark;
		s.seen = ps_time_now();
		if (h->replaced[t])
			snprintf(s.event, sizeof(s.event), "another file than before (a new identity): "
				"paired afresh");
		else if (h->restored[t])
			snprintf(s.event, sizeof(s.event), "an older copy of itself (restored from a "
				"backup?)%s%.190s", found[0] ? ": " : "", found);
		if ((rc = ps_protocol_store_set(sy->proto, t, &s)) < 0)
			return rc;
	}
	if (!sy->opt.dry_run && (rc = ps_protocol_forgotten_prune(sy->proto, ps_time_now() - GONE_KEEP)) < 0)
		return rc;
	return PS_OK;
}

int ps_sync__history_doubt(const struct sync *sy, int t)
{
	const struct history *h = sy->hist;

	return !h || h->restored[t] || h->replaced[t];
}

void ps_sync__history_free(struct sync *sy)
{
	struct history *h = sy->hist;
	size_t i, k;
	int t;

	if (!h)
		return;
	for (i = 0; h->links && i < sy->nlinks; i++) {
		for (t = 0; t < 2; t++) {
			for (k = 0; k < h->links[i].n[t]; k++)
				free(h->links[i].v[t][k].data);
			free(h->links[i].v[t]);
		}
		free(h->links[i].gone);
	}
	free(h->links);
	for (t = 0; t < 2; t++)
		if (h->have_info[t])
			ps_store_info_clear(&h->info[t]);
	free(h);
	sy->hist = NULL;
}
