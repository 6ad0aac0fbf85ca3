/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The columns of the template tables an Outlook store carries ([MS-PST]
 * 2.4.4.4.1, 2.4.4.5.1, 2.4.4.6.1, 2.4.5.2, 2.4.6.1.1, and the undocumented
 * 0x6B6, 0x6D7, 0x6F8, 0x62B, 0x64C), in the order Outlook defined them
 * (their iBit order in Empty.pst, made by Outlook 2010 and later). PidTagLtpRowId
 * and PidTagLtpRowVer, bits 0 and 1 of every table, are left out: the table
 * builder puts them first. Used to make the templates of a new store and,
 * where a store lacks a template, the tables of new folders and messages.
 */
#include "pst/templates.h"

const uint32_t ps_tpl_hierarchy[] = {
	0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x0E300102, 0x0E330014, 0x0E340102,
	0x0E380003, 0x3613001F, 0x66350003, 0x66360003
};
const size_t ps_tpl_hierarchy_count = sizeof(ps_tpl_hierarchy) / sizeof(ps_tpl_hierarchy[0]);

const uint32_t ps_tpl_contents[] = {
	0x0E170003, 0x001A001F, 0x0E070003, 0x00170003, 0x0042001F, 0x0037001F, 0x0E060040,
	0x00390040, 0x0E080003, 0x0E04001F, 0x0E03001F, 0x0057000B, 0x0058000B, 0x00360003,
	0x10970003, 0x0070001F, 0x00710102, 0x30130102, 0x65C60003, 0x30080040, 0x0E300102,
	0x0E330014, 0x0E340102, 0x0E3D0102, 0x0E3C0102, 0x0E380003
};
const size_t ps_tpl_contents_count = sizeof(ps_tpl_contents) / sizeof(ps_tpl_contents[0]);

const uint32_t ps_tpl_assoc[] = {
	0x0E170003, 0x001A001F, 0x0E070003, 0x3001001F, 0x70030003, 0x70040102, 0x70050102,
	0x7006001F, 0x70070003, 0x6800001F, 0x6803000B, 0x68051003, 0x682F001F
};
const size_t ps_tpl_assoc_count = sizeof(ps_tpl_assoc) / sizeof(ps_tpl_assoc[0]);

const uint32_t ps_tpl_search[] = {
	0x67F10003, 0x0E05001F, 0x0E170003, 0x001A001F, 0x0E070003, 0x00170003, 0x0042001F,
	0x0037001F, 0x0E060040, 0x0E080003, 0x0E04001F, 0x0E03001F, 0x0057000B, 0x0058000B,
	0x00360003, 0x0E2A000B, 0x30080040
};
const size_t ps_tpl_search_count = sizeof(ps_tpl_search) / sizeof(ps_tpl_search[0]);

const uint32_t ps_tpl_recipients[] = {
	0x0E0F000B, 0x3002001F, 0x3003001F, 0x0FFF0102, 0x3001001F, 0x0C150003, 0x300B0102,
	0x0FF90102, 0x0FFE0003, 0x39000003, 0x3A40000B, 0x39FF001F
};
const size_t ps_tpl_recipients_count = sizeof(ps_tpl_recipients) / sizeof(ps_tpl_recipients[0]);

const uint32_t ps_tpl_attachments[] = {
	0x370B0003, 0x0E200003, 0x37050003, 0x3704001F
};
const size_t ps_tpl_attachments_count = sizeof(ps_tpl_attachments) / sizeof(ps_tpl_attachments[0]);

const uint32_t ps_tpl_receive_folders[] = { 0x66050003, 0x001A001F };
const size_t ps_tpl_receive_folders_count = 2;

const uint32_t ps_tpl_outgoing_queue[] = { 0x0E140003, 0x0E100003, 0x00390040 };
const size_t ps_tpl_outgoing_queue_count = 3;

const uint32_t ps_tpl_6b6[] = { 0x0E330014, 0x0E370102, 0x0E380003 };
const size_t ps_tpl_6b6_count = 3;

const uint32_t ps_tpl_6d7[] = {
	0x0E3E0102, 0x0E310102, 0x0E300102, 0x0E380003, 0x0E340102, 0x0E330014, 0x001A001F
};
const size_t ps_tpl_6d7_count = 7;

const uint32_t ps_tpl_6f8[] = { 0x30070040, 0x0E330014 };
const size_t ps_tpl_6f8_count = 2;
