/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Items as the core carries them: a property set with recipients and
 * attachments, complete enough that a writer can reproduce the item in
 * another store with nothing lost.
 *
 * A property keeps its value as the bytes a PST stores for it (little endian;
 * PT_UNICODE as UTF-16LE; multi-valued properties in the PST's own layout), so
 * no value is ever reinterpreted on the way through. Named properties (ids of
 * 0x8000 and up) also carry their name, because their numeric id means
 * something only inside the store they came from.
 */
#ifndef PSTSYNC_ITEM_H
#define PSTSYNC_ITEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Property types ([MS-OXCDATA] 2.11.1). */
#define PS_PT_UNSPECIFIED 0x0000
#define PS_PT_NULL        0x0001
#define PS_PT_SHORT       0x0002
#define PS_PT_LONG        0x0003
#define PS_PT_FLOAT       0x0004
#define PS_PT_DOUBLE      0x0005
#define PS_PT_CURRENCY    0x0006
#define PS_PT_APPTIME     0x0007
#define PS_PT_ERROR       0x000A
#define PS_PT_BOOLEAN     0x000B
#define PS_PT_OBJECT      0x000D
#define PS_PT_LONGLONG    0x0014
#define PS_PT_STRING8     0x001E
#define PS_PT_UNICODE     0x001F
#define PS_PT_SYSTIME     0x0040
#define PS_PT_CLSID       0x0048
#define PS_PT_SVREID      0x00FB
#define PS_PT_SRESTRICT   0x00FD
#define PS_PT_ACTIONS     0x00FE
#define PS_PT_BINARY      0x0102
#define PS_PT_MV          0x1000

#define PS_PROP_ID(tag)   ((uint16_t)((tag) >> 16))
#define PS_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFF))
#define PS_PROP_TAG(id, type) (((uint32_t)(id) << 16) | (uint32_t)(type))

/** A property set GUID, in the byte order a PST stores it. */
typedef struct ps_guid {
	uint8_t bytes[16];
} ps_guid;

/** Kinds of named property. */
enum ps_name_kind { PS_NAME_NONE = 0, PS_NAME_ID = 1, PS_NAME_STRING = 2 };

/** The name of a named property ([MS-OXPROPS]: set GUID plus number or string). */
typedef struct ps_prop_name {
	int kind;          /**< PS_NAME_ID or PS_NAME_STRING */
	ps_guid guid;      /**< the property set */
	uint32_t lid;      /**< the number, with PS_NAME_ID */
	char *name;        /**< UTF-8 string name, with PS_NAME_STRING */
} ps_prop_name;

/** One property. */
typedef struct ps_prop {
	uint32_t tag;          /**< id << 16 | type; the id is store-local for named ones */
	ps_prop_name named;    /**< kind PS_NAME_NONE unless the id is 0x8000 or more */
	uint8_t *data;         /**< the value as the PST stores it (may be NULL when size is 0) */
	size_t size;           /**< bytes in data */
} ps_prop;

/** A set of properties. */
typedef struct ps_propset {
	ps_prop *props;
	size_t count;
} ps_propset;

/** Kinds of attachment, from PidTagAttachMethod. */
enum ps_attach_kind {
	PS_ATTACH_NONE = 0,
	PS_ATTACH_BY_VALUE = 1,
	PS_ATTACH_BY_REFERENCE = 2,
	PS_ATTACH_BY_REF_RESOLVE = 3,
	PS_ATTACH_BY_REF_ONLY = 4,
	PS_ATTACH_EMBEDDED = 5,
	PS_ATTACH_OLE = 6
};

struct ps_item;

/** One attachment: its properties (data included) and, if embedded, the message. */
typedef struct ps_attachment {
	ps_propset props;
	int kind;                 /**< enum ps_attach_kind */
	struct ps_item *embedded; /**< the message, for PS_ATTACH_EMBEDDED; else NULL */
} ps_attachment;

/** A whole item. */
typedef struct ps_item {
	uint32_t nid;             /**< node id in its store */
	ps_propset props;
	ps_propset *recipients;   /**< one property set a recipient (recipient-table row) */
	size_t recipient_count;
	ps_attachment *attachments;
	size_t attachment_count;
	unsigned damaged;         /**< count of parts that could not be read */
	int assoc;                /**< a folder-associated (hidden) item: a view, the
	                           *   folder's settings (IPM.Configuration.*), a rule */
} ps_item;

/** Free an item and everything it holds; NULL is allowed. */
void ps_item_free(ps_item *item);

/** Free the contents of a property set (not the struct itself). */
void ps_propset_clear(ps_propset *set);

/** The property with @p tag (id and type), or NULL. */
const ps_prop *ps_propset_find(const ps_propset *set, uint32_t tag);

/** The first property with id @p id, whatever its type, or NULL. */
const ps_prop *ps_propset_find_id(const ps_propset *set, uint16_t id);

/**
 * A string property as a malloc'ed UTF-8 string (PT_UNICODE converted,
 * PT_STRING8 taken as Windows-1252 unless it is valid UTF-8), or NULL.
 */
char *ps_prop_to_utf8(const ps_prop *prop);

/** A 32-bit integer property's value, or @p fallback when absent or of another type. */
int64_t ps_prop_int(const ps_prop *prop, int64_t fallback);

/** Size in bytes of one value of fixed-size @p type, or 0 for variable-size types. */
size_t ps_prop_fixed_size(uint16_t type);

#ifdef __cplusplus
}
#endif

#endif
