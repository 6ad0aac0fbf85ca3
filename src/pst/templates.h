/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Column lists of Outlook's template tables (see templates.c), each without
 * PidTagLtpRowId and PidTagLtpRowVer, in Outlook's definition order.
 */
#ifndef PSTSYNC_PST_TEMPLATES_H
#define PSTSYNC_PST_TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

/* Template NIDs ([MS-PST] 2.4.1 and what Outlook adds). */
#define PS_NID_HIERARCHY_TEMPLATE 0x60Du
#define PS_NID_CONTENTS_TEMPLATE 0x60Eu
#define PS_NID_ASSOC_TEMPLATE 0x60Fu
#define PS_NID_SEARCH_TEMPLATE 0x610u
#define PS_NID_RECEIVE_FOLDER_TABLE 0x62Bu
#define PS_NID_OUTGOING_QUEUE 0x64Cu
#define PS_NID_ATTACHMENT_TEMPLATE 0x671u
#define PS_NID_RECIPIENT_TEMPLATE 0x692u

extern const uint32_t ps_tpl_hierarchy[];
extern const size_t ps_tpl_hierarchy_count;
extern const uint32_t ps_tpl_contents[];
extern const size_t ps_tpl_contents_count;
extern const uint32_t ps_tpl_assoc[];
extern const size_t ps_tpl_assoc_count;
extern const uint32_t ps_tpl_search[];
extern const size_t ps_tpl_search_count;
extern const uint32_t ps_tpl_recipients[];
extern const size_t ps_tpl_recipients_count;
extern const uint32_t ps_tpl_attachments[];
extern const size_t ps_tpl_attachments_count;
extern const uint32_t ps_tpl_receive_folders[];
extern const size_t ps_tpl_receive_folders_count;
extern const uint32_t ps_tpl_outgoing_queue[];
extern const size_t ps_tpl_outgoing_queue_count;
extern const uint32_t ps_tpl_6b6[];
extern const size_t ps_tpl_6b6_count;
extern const uint32_t ps_tpl_6d7[];
extern const size_t ps_tpl_6d7_count;
extern const uint32_t ps_tpl_6f8[];
extern const size_t ps_tpl_6f8_count;

#endif
