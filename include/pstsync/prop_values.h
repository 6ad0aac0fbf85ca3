/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Property values given as text, NAME=VALUE, as `pstsync set` and `add`
 * take them: the name is a canonical one (include/pstsync/propnames.h), the
 * value is read by the property's type (strings as given; integers decimal
 * or hex with 0x; booleans yes/no, true/false, on/off, 1/0; times
 * 2016-08-02T15:00:00Z or 2016-08-02, UTC; floating point 12.5; binary in
 * hex; GUIDs in braces) and encoded as a PST keeps it. A name given several
 * times gives a multi-valued property its values. Every argument is checked
 * and encoded before anything is written.
 */
#ifndef PSTSYNC_PROP_VALUES_H
#define PSTSYNC_PROP_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "pstsync/item.h"
#include "pstsync/propnames.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One property to set: its definition, its texts and its encoded value. */
typedef struct ps_prop_setting {
	const ps_propname_def *def;
	uint16_t type;           /**< the type written (PS_PT_UNICODE for every string) */
	const char **values;     /**< the texts given, pointing into the arguments */
	size_t count;
	uint8_t *data;           /**< the encoded value, as the PST stores it */
	size_t size;
} ps_prop_setting;

/** "2016-08-02T15:00:00Z", "2016-08-02T15:00Z" or "2016-08-02" (UTC) as a FILETIME; -1 if not. */
int ps_prop_time_parse(const char *s, uint64_t *out);

/**
 * Read the NAME=VALUE arguments @p argv[0..argc) into settings (free them
 * with ps_prop_settings_free(); the texts point into @p argv, which must
 * outlive them). @p store_path only names the store in messages.
 * @return PS_OK; PS_EINVAL for an argument that is not NAME=VALUE, or a
 *         value its type cannot read ("cannot set X in 'S': 'v' is not ...");
 *         PS_ENOTFOUND for an unknown name; PS_EUNSUPPORTED for a type that
 *         cannot be given as text; PS_ENOMEM
 */
int ps_prop_settings_parse(ps_prop_setting **out, size_t *count, int argc,
	const char *const *argv, const char *store_path);

/** Free settings from ps_prop_settings_parse(); NULL is allowed. */
void ps_prop_settings_free(ps_prop_setting *settings, size_t count);

/**
 * Put every setting into @p item (their encoded values are taken over); a
 * subject goes through ps_item_set_subject(), which also sets what follows it.
 */
int ps_prop_settings_apply(ps_item *item, ps_prop_setting *settings, size_t count);

#ifdef __cplusplus
}
#endif

#endif
