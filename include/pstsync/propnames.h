/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Canonical property names of [MS-OXPROPS] (PidTagSubject, PidLidEmail1EmailAddress,
 * ...), both ways: from a tag or a named property's (set, number/string) to the
 * name, for display, and from a name to what it is, for commands that set
 * properties by name.
 */
#ifndef PSTSYNC_PROPNAMES_H
#define PSTSYNC_PROPNAMES_H

#include <stdint.h>

#include "pstsync/item.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One canonical name. */
typedef struct ps_propname_def {
	const char *name;     /**< "PidTagSubject", "PidLidEmail1EmailAddress", ... */
	int kind;             /**< PS_NAME_NONE for a tagged property, else PS_NAME_ID / PS_NAME_STRING */
	uint16_t id;          /**< the property id, for tagged ones */
	uint16_t type;        /**< the property type (PS_PT_*) */
	const ps_guid *guid;  /**< the property set, for named ones; else NULL */
	uint32_t lid;         /**< the number, for PS_NAME_ID */
	const char *string;   /**< the string name, for PS_NAME_STRING */
} ps_propname_def;

/** Well-known property sets ([MS-OXPROPS] 1.3.2), in the byte order a PST stores GUIDs. */
extern const ps_guid PS_PSETID_COMMON, PS_PSETID_ADDRESS, PS_PSETID_APPOINTMENT,
	PS_PSETID_TASK, PS_PSETID_LOG, PS_PSETID_NOTE, PS_PSETID_MEETING,
	PS_PSETID_SHARING, PS_PSETID_POSTRSS, PS_PSETID_UNIFIEDMESSAGING,
	PS_PSETID_AIRSYNC, PS_PSETID_CALENDARASSISTANT, PS_PSETID_ATTACHMENT,
	PS_PSETID_MESSAGING, PS_PS_PUBLIC_STRINGS, PS_PS_INTERNET_HEADERS, PS_PS_MAPI;

/** The definition for a tagged property id (any type), or NULL. */
const ps_propname_def *ps_propname_by_id(uint16_t id);

/** The definition for a named property, or NULL. */
const ps_propname_def *ps_propname_by_name_ref(const ps_prop_name *named);

/** The definition for a canonical name (case-insensitive), or NULL. */
const ps_propname_def *ps_propname_lookup(const char *name);

/** A name for a property set GUID ("PSETID_Address"), or NULL when unknown. */
const char *ps_propset_guid_name(const ps_guid *guid);

/** Format a GUID as "{00062004-0000-0000-C000-000000000046}" into @p buf (39 bytes). */
void ps_guid_format(const ps_guid *guid, char buf[39]);

/** Parse the braced or bare form back; 0 on success, PS_EINVAL otherwise. */
int ps_guid_parse(ps_guid *guid, const char *text);

/** Name of a property type ("PtypString", "PtypInteger32", ...), or NULL. */
const char *ps_proptype_name(uint16_t type);

#ifdef __cplusplus
}
#endif

#endif
