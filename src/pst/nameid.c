/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The name-to-id map of [MS-PST] 2.4.7 (node 0x61): which named property
 * (a property set GUID plus a number or a string) each id from 0x8000 up
 * stands for in this store. Read when items are read, so that their named
 * properties carry names; extended when items from another store are
 * written, so that their named properties get ids here.
 *
 * The node holds three streams and a hash table: the GUID stream (16 bytes
 * per GUID other than PS_MAPI and PS_PUBLIC_STRINGS), the entry stream (one
 * 8-byte NAMEID per id, in id order), the string stream (length-prefixed
 * UTF-16LE names, 4-byte aligned) and PidTagNameidBucketCount buckets
 * (properties 0x1000 + n), each holding the NAMEIDs whose hash falls in it.
 * In a bucket, a string name's NAMEID carries the CRC-32 of the name where
 * the entry stream has its string offset. The map is kept in memory and the
 * whole node is regenerated from it when entries were added.
 */
#include "pst/msg.h"

#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

#define PID_BUCKET_COUNT 0x0001
#define PID_STREAM_GUID 0x0002
#define PID_STREAM_ENTRY 0x0003
#define PID_STREAM_STRING 0x0004
#define PID_BUCKET_BASE 0x1000
#define DEFAULT_BUCKETS 251u
#define MAX_ENTRIES 0x7FFFu

const ps_guid ps_guid_ps_mapi = { { 0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };
const ps_guid ps_guid_public_strings = { { 0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };

struct entry {
	ps_prop_name name;     /* kind NONE: a hole in the entry stream */
	uint16_t wguid;        /* 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ GUID stream index + 3 */
	uint32_t dwid;         /* the number, or the name's offset in the string stream */
	uint32_t hash;         /* the number, or the CRC-32 of the UTF-16LE name */
};

struct ps_nameid_map {
	struct entry *entries; /* index = id - 0x8000 */
	size_t count, cap;
	ps_guid *guids;
	size_t nguids, capguids;
	uint8_t *strings;      /* the string stream as stored */
	size_t nstrings, capstrings;
	uint32_t buckets;
	int dirty;
	uint32_t *slots;       /* open addressing by name: entry index + 1, 0 = empty */
	size_t nslots;
};

static uint32_t name_hash(const ps_prop_name *n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ n->guid.bytes[i]) * 16777619u;
	h = (h ^ (uint32_t)n->kind) * 16777619u;
	if (n->kind == PS_NAME_ID) {
		for (i = 0; i < 4; i++)
			h = (h ^ ((n->lid >> (8 * i)) & 0xFF)) * 16777619u;
	} else if (n->name) {
		for (i = 0; n->name[i]; i++)
			h = (h ^ (uint8_t)n->name[i]) * 16777619u;
	}
	return h;
}

static int name_equal(const ps_prop_name *a, const ps_prop_name *b)
{
	if (a->kind != b->kind || memcmp(a->guid.bytes, b->guid.bytes, 16) != 0)
		return 0;
	if (a->kind == PS_NAME_ID)
		return a->lid == b->lid;
	return strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0;
}

static void slot_insert(ps_nameid_map *m, size_t idx)
{
	size_t s = name_hash(&m->entries[idx].name) & (m->nslots - 1);

	while (m->slots[s])
		s = (s + 1) & (m->nslots - 1);
	m->slots[s] = (uint32_t)idx + 1;
}

/* Keep the name index at most half full. */
static int slots_grow(ps_nameid_map *m, size_t want)
{
	size_t n = m->nslots ? m->nslots : 64, i;
	uint32_t *slots;

	if (want * 2 < m->nslots)
		return 0;
	while (want * 2 >= n)
		n *= 2;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return ps_error_set(PS_ENOMEM, "out of memory");
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	for (i = 0; i < m->count; i++)
		if (m->entries[i].name.kind != PS_NAME_NONE)
			slot_insert(m, i);
	return 0;
}

static int entries_reserve(ps_nameid_map *m, size_t n)
{
	struct entry *e;
	size_t cap = m->cap ? m->cap : 64;

	if (n <= m->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	e = realloc(m->entries, cap * sizeof(*e));
	if (!e)
		return ps_error_set(PS_ENOMEM, "out of memory");
	memset(e + m->cap, 0, (cap - m->cap) * sizeof(*e));
	m->entries = e;
	m->cap = cap;
	return 0;
}

static int bytes_append(uint8_t **buf, size_t *n, size_t *cap, const void *data, size_t size)
{
	if (*n + size > *cap) {
		size_t c = *cap ? *cap : 256;
		uint8_t *p;
		while (c < *n + size)
			c *= 2;
		p = realloc(*buf, c);
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		*buf = p;
		*cap = c;
	}
	if (size)
		memcpy(*buf + *n, data, size);
	*n += size;
	return 0;
}

/* The UTF-8 form of the string at @p off of the string stream, or NULL. */
static char *string_at(const uint8_t *s, size_t n, uint32_t off)
{
	uint32_t len;

	if (off > n || n - off < 4)
		return NULL;
	len = ps_get32(s + off);
	if (len > n - off - 4)
		return NULL;
	return ps_utf16le_to_utf8(s + off + 4, len);
}

static int guid_of(const ps_nameid_map *m, uint16_t wguid, ps_guid *out)
{
	if (wguid == 1)
		*out = ps_guid_ps_mapi;
	else if (wguid == 2)
		*out = ps_guid_public_strings;
	else if (wguid >= 3 && (size_t)(wguid - 3) < m->nguids)
		*out = m->guids[wguid - 3];
	else if (wguid == 0)
		memset(out, 0, sizeof(*out));
	else
		return -1;
	return 0;
}

static const ps_ltp_value *pc_get(const ps_pc *pc, uint16_t id)
{
	const ps_ltp_value *v = ps_pc_find(pc, id);

	return v && v->type == PS_PT_BINARY ? v : NULL;
}

int ps_nameid_load(ps_nameid_map **out, ps_ndb *ndb)
{
	const ps_ltp_value *vg, *ve, *vs, *vb;
	ps_nameid_map *m;
	ps_pc pc;
	size_t i, n;
	int rc;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return ps_error_set(PS_ENOMEM, "out of memory");
	m->buckets = DEFAULT_BUCKETS;
	rc = ps_pc_open_nid(&pc, ndb, PS_NID_NAME_TO_ID_MAP);
	if (rc == PS_ENOTFOUND) {
		if (slots_grow(m, 1) < 0) {
			ps_nameid_free(m);
			return PS_ENOMEM;
		}
		*out = m;
		return 0;
	}
	if (rc < 0) {
		free(m);
		return rc;
	}
	vb = ps_pc_find(&pc, PID_BUCKET_COUNT);
	if (vb && vb->size == 4 && ps_get32(vb->value) > 0 && ps_get32(vb->value) < 0x1000)
		m->buckets = ps_get32(vb->value);
	vg = pc_get(&pc, PID_STREAM_GUID);
	ve = pc_get(&pc, PID_STREAM_ENTRY);
	vs = pc_get(&pc, PID_STREAM_STRING);
	if (vg && vg->size) {
		m->nguids = m->capguids = vg->size / 16;
		m->guids = malloc(m->nguids * sizeof(ps_guid) + 1);
		if (!m->guids)
			goto nomem;
		memcpy(m->guids, vg->value, m->nguids * 16);
	}
	if (vs && vs->size && bytes_append(&m->strings, &m->nstrings, &m->capstrings, vs->value, vs->size) < 0)
		goto nomem;
	n = ve ? ve->size / 8 : 0;
	if (n > MAX_ENTRIES)
		n = MAX_ENTRIES;
	if (entries_reserve(m, n + 1) < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		const uint8_t *p = ve->value + 8 * i;
		uint32_t dwid = ps_get32(p);
		uint16_t flags = ps_get16(p + 4), idx = ps_get16(p + 6);
		struct entry *e;
		/* The entry stream lists ids in order; trust wPropIdx only when it
		 * stays inside the stream. */
		if (idx >= n)
			idx = (uint16_t)i;
		e = &m->entries[idx];
		if (e->name.kind != PS_NAME_NONE)
			continue;
		e->wguid = (uint16_t)(flags >> 1);
		e->dwid = dwid;
		if (guid_of(m, e->wguid, &e->name.guid) < 0)
			continue;       /* a GUID index past the stream: leave the id unnamed */
		if (flags & 1) {
			e->name.name = string_at(m->strings, m->nstrings, dwid);
			if (!e->name.name)
				continue;
			e->name.kind = PS_NAME_STRING;
			e->hash = ps_ndb__crc(0, m->strings + dwid + 4, ps_get32(m->strings + dwid));
		} else {
			e->name.kind = PS_NAME_ID;
			e->name.lid = dwid;
			e->hash = dwid;
		}
	}
	m->count = n;
	ps_pc_close(&pc);
	if (slots_grow(m, m->count + 1) < 0) {
		ps_nameid_free(m);
		return PS_ENOMEM;
	}
	for (i = 0; i < m->count; i++)
		if (m->entries[i].name.kind != PS_NAME_NONE)
			slot_insert(m, i);
	*out = m;
	return 0;
nomem:
	ps_pc_close(&pc);
	ps_nameid_free(m);
	return ps_error_set(PS_ENOMEM, "out of memory");
}

void ps_nameid_free(ps_nameid_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->count; i++)
		free(m->entries[i].name.name);
	free(m->entries);
	free(m->guids);
	free(m->strings);
	free(m->slots);
	free(m);
}

const ps_prop_name *ps_nameid_name(const ps_nameid_map *m, uint16_t id)
{
	size_t idx;

	if (!m || id < 0x8000)
		return NULL;
	idx = (size_t)(id - 0x8000);
	if (idx >= m->count || m->entries[idx].name.kind == PS_NAME_NONE)
		return NULL;
	return &m->entries[idx].name;
}

int ps_nameid_find(const ps_nameid_map *m, const ps_prop_name *name, uint16_t *id_out)
{
	size_t s;

	if (m->nslots == 0)
		return PS_ENOTFOUND;
	for (s = name_hash(name) & (m->nslots - 1); m->slots[s]; s = (s + 1) & (m->nslots - 1)) {
		size_t idx = m->slots[s] - 1;
		if (name_equal(&m->entries[idx].name, name)) {
			*id_out = (uint16_t)(0x8000 + idx);
			return 0;
		}
	}
	return PS_ENOTFOUND;
}

static int wguid_for(ps_nameid_map *m, const ps_guid *g, uint16_t *out)
{
	size_t i;

	if (memcmp(g, &ps_guid_ps_mapi, 16) == 0) {
		*out = 1;
		return 0;
	}
	if (memcmp(g, &ps_guid_public_strings, 16) == 0) {
		*out = 2;
		return 0;
	}
	for (i = 0; i < m->nguids; i++) {
		if (memcmp(&m->guids[i], g, 16) == 0) {
			*out = (uint16_t)(i + 3);
			return 0;
		}
	}
	if (m->nguids + 3 > 0x7FFF)
		return ps_error_set(PS_EUNSUPPORTED, "the name-to-id map holds too many property sets");
	if (m->nguids == m->capguids) {
		size_t cap = m->capguids ? m->capguids * 2 : 8;
		ps_guid *p = realloc(m->guids, cap * sizeof(*p));
		if (!p)
			return ps_error_set(PS_ENOMEM, "out of memory");
		m->guids = p;
		m->capguids = cap;
	}
	m->guids[m->nguids] = *g;
	*out = (uint16_t)(m->nguids + 3);
	m->nguids++;
	return 0;
}

int ps_nameid_add(ps_nameid_map *m, const ps_prop_name *name, uint16_t *id_out)
{
	static const uint8_t pad[4];
	struct entry *e;
	uint16_t wguid = 0;
	int rc;

	if (ps_nameid_find(m, name, id_out) == 0)
		return 0;
	if (name->kind != PS_NAME_ID && name->kind != PS_NAME_STRING)
		return ps_error_set(PS_EINVAL, "a named property without a name");
	if (m->count >= MAX_ENTRIES)
		return ps_error_set(PS_EUNSUPPORTED, "the name-to-id map is full (32767 names)");
	if ((rc = entries_reserve(m, m->count + 1)) < 0 || (rc = slots_grow(m, m->count + 1)) < 0 ||
	    (rc = wguid_for(m, &name->guid, &wguid)) < 0)
		return rc;
	e = &m->entries[m->count];
	memset(e, 0, sizeof(*e));
	e->wguid = wguid;
	e->name.kind = name->kind;
	e->name.guid = name->guid;
	if (name->kind == PS_NAME_ID) {
		e->name.lid = name->lid;
		e->dwid = e->hash = name->lid;
	} else {
		uint8_t len[4];
		size_t size = 0;
		uint8_t *w = ps_utf8_to_utf16le(name->name ? name->name : "", &size);
		e->name.name = ps__strdup(name->name ? name->name : "");
		if (!w || !e->name.name) {
			free(w);
			free(e->name.name);
			e->name.name = NULL;
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		e->dwid = (uint32_t)m->nstrings;
		e->hash = ps_ndb__crc(0, w, size);
		ps__put32(len, (uint32_t)size);
		rc = bytes_append(&m->strings, &m->nstrings, &m->capstrings, len, 4);
		if (rc == 0)
			rc = bytes_append(&m->strings, &m->nstrings, &m->capstrings, w, size);
		if (rc == 0 && (m->nstrings & 3))
			rc = bytes_append(&m->strings, &m->nstrings, &m->capstrings, pad, 4 - (m->nstrings & 3));
		free(w);
		if (rc < 0) {
			free(e->name.name);
			e->name.name = NULL;
			return rc;
		}
	}
	slot_insert(m, m->count);
	*id_out = (uint16_t)(0x8000 + m->count);
	m->count++;
	m->dirty = 1;
	return 0;
}

int ps_nameid_dirty(const ps_nameid_map *m)
{
	return m && m->dirty;
}

void ps_nameid_saved(ps_nameid_map *m)
{
	m->dirty = 0;
}

size_t ps_nameid_count(const ps_nameid_map *m)
{
	return m ? m->count : 0;
}

static void nameid_record(uint8_t out[8], uint32_t dwid, const struct entry *e, size_t idx)
{
	ps__put32(out, dwid);
	ps__put16(out + 4, (uint16_t)((e->wguid << 1) | (e->name.kind == PS_NAME_STRING)));
	ps__put16(out + 6, (uint16_t)idx);
}

int ps_nameid_props(const ps_nameid_map *m, ps_prop **props_out, size_t *count_out)
{
	uint8_t **bucket = NULL;
	size_t *bsize = NULL, *bcap = NULL;
	ps_prop *props = NULL;
	uint8_t *entries = NULL;
	size_t n = 0, i, k;
	uint8_t v[4];
	int rc = 0;

	*props_out = NULL;
	*count_out = 0;
	bucket = calloc(m->buckets, sizeof(*bucket));
	bsize = calloc(m->buckets, sizeof(*bsize));
	bcap = calloc(m->buckets, sizeof(*bcap));
	props = calloc(4 + m->buckets, sizeof(*props));
	entries = malloc(8 * m->count + 1);
	PS_CHECK_ALLOC(bucket && bsize && bcap && props && entries, rc);
	for (i = 0; i < m->count; i++) {
		const struct entry *e = &m->entries[i];
		uint8_t rec[8];
		/* A hole (an id whose NAMEID could not be read) keeps its bytes
		 * out of every bucket; its record keeps the stream aligned. */
		nameid_record(entries + 8 * i, e->dwid, e, i);
		if (e->name.kind == PS_NAME_NONE)
			continue;
		nameid_record(rec, e->hash, e, i);
		k = (e->hash ^ (uint32_t)((e->wguid << 1) | (e->name.kind == PS_NAME_STRING))) % m->buckets;
		if ((rc = bytes_append(&bucket[k], &bsize[k], &bcap[k], rec, 8)) < 0)
			goto cleanup;
	}
	ps__put32(v, m->buckets);
	if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_BUCKET_COUNT, PS_PT_LONG), v, 4)) < 0 ||
	    (rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_STREAM_GUID, PS_PT_BINARY), m->guids,
		16 * m->nguids)) < 0 ||
	    (rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_STREAM_ENTRY, PS_PT_BINARY), entries,
		8 * m->count)) < 0 ||
	    (rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_STREAM_STRING, PS_PT_BINARY), m->strings,
		m->nstrings)) < 0)
		goto cleanup;
	for (k = 0; k < m->buckets; k++) {
		if (!bsize[k])
			continue;
		if ((rc = ps_props_set(&props, &n, PS_PROP_TAG(PID_BUCKET_BASE + k, PS_PT_BINARY),
			bucket[k], bsize[k])) < 0)
			goto cleanup;
	}
	*props_out = props;
	*count_out = n;
	props = NULL;
	n = 0;
cleanup:
	for (k = 0; bucket && k < m->buckets; k++)
		free(bucket[k]);
	free(bucket);
	free(bsize);
	free(bcap);
	free(entries);
	ps_props_free(props, n);
	return rc;
}
