/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Building and changing items as Outlook does: properties set by canonical
 * name (include/pstsync/propnames.h), the subject and what follows it, the
 * change key of a changed item, and the defaults of a new item of a class.
 * The command line's `add` and `set` and the generator of test stores use
 * it, so every item pstsync makes looks alike.
 *
 * Memory: values passed in are copied unless a function says it takes them
 * over; pointers into an item's property set stay valid only until the next
 * property is added to it (the array may move).
 */
#ifndef PSTSYNC_ITEM_EDIT_H
#define PSTSYNC_ITEM_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/propnames.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The property @p def names in @p set (by tag id or by name), or NULL. */
ps_prop *ps_propset_find_def(ps_propset *set, const ps_propname_def *def);

/**
 * Set @p def in @p set to @p data of @p type, adding it when absent (a named
 * property gets a free id of 0x8000 and up; the store maps it by name).
 * Takes @p data over (malloc'ed), also on failure.
 */
int ps_propset_put(ps_propset *set, const ps_propname_def *def, uint16_t type, uint8_t *data,
	size_t size);

/** Set the tagged property @p tag to a copy of @p value. */
int ps_propset_put_tag(ps_propset *set, uint32_t tag, const void *value, size_t size);

/** The type a property is written with: PT_STRING8 (and its MV form) as Unicode. */
uint16_t ps_prop_write_type(uint16_t type);

/** The property called @p name ("PidLidEmail1EmailAddress") in @p item, or NULL. */
ps_prop *ps_item_prop(ps_item *item, const char *name);

/** A string property of @p item as UTF-8 (malloc'ed), or NULL when absent or empty. */
char *ps_item_text(ps_item *item, const char *name);

/**
 * Set property @p name (a canonical name) in @p set (an item's, a recipient's
 * or an attachment's properties), replacing its value:
 * raw bytes as the PST stores them, UTF-8 text (stored as UTF-16LE), a 32-bit
 * integer, a FILETIME, a boolean. PS_EINVAL for an unknown name.
 */
int ps_propset_set_raw(ps_propset *set, const char *name, const void *data, size_t size);
int ps_propset_set_text(ps_propset *set, const char *name, const char *text);
int ps_propset_set_long(ps_propset *set, const char *name, uint32_t value);
int ps_propset_set_time(ps_propset *set, const char *name, uint64_t filetime);
int ps_propset_set_bool(ps_propset *set, const char *name, int value);

/**
 * Set PidTagSubject to @p subject (UTF-8), keeping Outlook's U+0001 marker
 * when the old subject had one; PidTagNormalizedSubject and
 * PidTagSubjectPrefix follow when the item has them.
 */
int ps_item_set_subject(ps_item *item, const char *subject);

/**
 * What Outlook does to a changed item: PidTagLastModificationTime becomes
 * now, PidTagChangeKey a new XID in namespace @p ns (the store's record key),
 * and the predecessor change list is updated to hold it (made when missing).
 */
int ps_item_mark_changed(ps_item *item, const uint8_t ns[16]);

/** The class of a new item in a folder of @p container_class ("IPM.Contact"). */
const char *ps_item_class_for_folder(const char *container_class);

/** 1 when @p cls is @p base or derived from it ("IPM.Contact.Custom"). */
int ps_item_class_is(const char *cls, const char *base);

/**
 * Give a new item of class @p cls what Outlook sets on one, leaving every
 * property it has already alone: class, creation time, search key, flags,
 * importance, the normalized subject, a change key in namespace @p ns; for
 * contacts the display name, file-as and e-mail display names; for
 * appointments times, duration, busy status and reminder defaults. Set a
 * property first to choose its value (and to make the result
 * deterministic: creation time, search key, change key).
 */
int ps_item_defaults(ps_item *item, const char *cls, const uint8_t ns[16]);

/* The bodies of an item, as bits (ps_item_bodies_agree()). */
#define PS_BODY_PLAIN 1u   /**< PidTagBody */
#define PS_BODY_HTML  2u   /**< PidTagHtml / PidTagBodyHtml */
#define PS_BODY_RTF   4u   /**< PidTagRtfCompressed */

/** The PS_BODY_* bit of property id @p id, 0 for a property that is no body. */
unsigned ps_item_body_kind(uint16_t id);

/**
 * After the bodies in @p set (PS_BODY_* bits) were given new values, make
 * the others agree as Outlook does: a plain body is made from a new HTML
 * body, HTML and RTF bodies not given are dropped (with the RTF's sync
 * properties), PidTagRtfInSync tells whether a new RTF body has a plain one
 * beside it, and PidTagNativeBody names the richest body given. Nothing
 * changes when @p set holds no body.
 */
int ps_item_bodies_agree(ps_item *item, unsigned set);

/** The text of HTML @p html (@p size bytes of UTF-8) as a plain body shows it (malloc'ed). */
char *ps_html_to_text(const char *html, size_t size);

#ifdef __cplusplus
}
#endif

#endif
