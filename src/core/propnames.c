/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The canonical property names of [MS-OXPROPS], with the PST-internal ones of
 * [MS-PST] 2.1.2 (PidTagLtpRowId, PidTagPstPassword, PidTagReplItemid, ...):
 * from a tag id or a named property's (set, number/string) to its name, for
 * display, and from a name back to what it is, for commands that set
 * properties by name. Everything here is constant data: two tables sorted
 * in the source (tagged by id, named by set/number/string) and an index of
 * both by name, case-insensitively, generated from them at build time; the
 * lookups binary-search them, so the module has no state and is safe from
 * any thread.
 *
 * Ids that [MS-OXPROPS] gives to more than one property (PidTagBodyHtml and
 * PidTagHtml, PidTagAttachDataBinary and PidTagAttachDataObject, ...) appear
 * once per name; the one listed first for an id is what ps_propname_by_id()
 * returns, chosen for what a PST usually holds. Address-book-only tags (ids
 * of 0x8000 and up, which a PST uses for named properties) are left out.
 * tests/test_propnames.c checks the order of every table.
 */
#include "pstsync/propnames.h"

#include <stddef.h>
#include <string.h>

#include "pstsync/errors.h"

/* Internal, for tests/test_propnames.c: the tables themselves. */
const ps_propname_def *ps_propname__tagged(size_t *count);
const ps_propname_def *ps_propname__named(size_t *count);
const ps_propname_def *const *ps_propname__by_name(size_t *count);

/* A GUID written as in its text form, laid out as a PST stores it. */
#define GUID_LE(d1, d2, d3, b0, b1, b2, b3, b4, b5, b6, b7) {{ \
	(d1) & 0xFF, ((d1) >> 8) & 0xFF, ((d1) >> 16) & 0xFF, ((d1) >> 24) & 0xFF, \
	(d2) & 0xFF, ((d2) >> 8) & 0xFF, (d3) & 0xFF, ((d3) >> 8) & 0xFF, \
	b0, b1, b2, b3, b4, b5, b6, b7 }}

const ps_guid PS_PSETID_COMMON =
	GUID_LE(0x00062008, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_ADDRESS =
	GUID_LE(0x00062004, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_APPOINTMENT =
	GUID_LE(0x00062002, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_TASK =
	GUID_LE(0x00062003, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_LOG =
	GUID_LE(0x0006200A, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_NOTE =
	GUID_LE(0x0006200E, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_MEETING =
	GUID_LE(0x6ED8DA90, 0x450B, 0x101B, 0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05);
const ps_guid PS_PSETID_SHARING =
	GUID_LE(0x00062040, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_POSTRSS =
	GUID_LE(0x00062041, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PSETID_UNIFIEDMESSAGING =
	GUID_LE(0x4442858E, 0xA9E3, 0x4E80, 0xB9, 0x00, 0x31, 0x7A, 0x21, 0x0C, 0xC1, 0x5B);
const ps_guid PS_PSETID_AIRSYNC =
	GUID_LE(0x71035549, 0x0739, 0x4DCB, 0x91, 0x63, 0x00, 0xF0, 0x58, 0x0D, 0xBB, 0xDF);
const ps_guid PS_PSETID_CALENDARASSISTANT =
	GUID_LE(0x11000E07, 0xB51B, 0x40D6, 0xAF, 0x21, 0xCA, 0xA8, 0x5E, 0xDA, 0xB1, 0xD0);
const ps_guid PS_PSETID_ATTACHMENT =
	GUID_LE(0x96357F7F, 0x59E1, 0x47D0, 0x99, 0xA7, 0x46, 0x51, 0x5C, 0x18, 0x3B, 0x54);
const ps_guid PS_PSETID_MESSAGING =
	GUID_LE(0x41F28F13, 0x83F4, 0x4114, 0xA5, 0x84, 0xEE, 0xDB, 0x5A, 0x6B, 0x0B, 0xFF);
const ps_guid PS_PS_PUBLIC_STRINGS =
	GUID_LE(0x00020329, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PS_INTERNET_HEADERS =
	GUID_LE(0x00020386, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const ps_guid PS_PS_MAPI =
	GUID_LE(0x00020328, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);

/* Used by the PidNameExtracted* properties; not in the public header. */
static const ps_guid psetid_xml_extracted_entities =
	GUID_LE(0x23239608, 0x685D, 0x4732, 0x9C, 0x55, 0x4C, 0x95, 0xCB, 0x4E, 0x8E, 0x33);

static const struct {
	const ps_guid *guid;
	const char *name;
} propsets[] = {
	{ &PS_PSETID_COMMON, "PSETID_Common" },
	{ &PS_PSETID_ADDRESS, "PSETID_Address" },
	{ &PS_PSETID_APPOINTMENT, "PSETID_Appointment" },
	{ &PS_PSETID_TASK, "PSETID_Task" },
	{ &PS_PSETID_LOG, "PSETID_Log" },
	{ &PS_PSETID_NOTE, "PSETID_Note" },
	{ &PS_PSETID_MEETING, "PSETID_Meeting" },
	{ &PS_PSETID_SHARING, "PSETID_Sharing" },
	{ &PS_PSETID_POSTRSS, "PSETID_PostRss" },
	{ &PS_PSETID_UNIFIEDMESSAGING, "PSETID_UnifiedMessaging" },
	{ &PS_PSETID_AIRSYNC, "PSETID_AirSync" },
	{ &PS_PSETID_CALENDARASSISTANT, "PSETID_CalendarAssistant" },
	{ &PS_PSETID_ATTACHMENT, "PSETID_Attachment" },
	{ &PS_PSETID_MESSAGING, "PSETID_Messaging" },
	{ &PS_PS_PUBLIC_STRINGS, "PS_PUBLIC_STRINGS" },
	{ &PS_PS_INTERNET_HEADERS, "PS_INTERNET_HEADERS" },
	{ &PS_PS_MAPI, "PS_MAPI" },
	{ &psetid_xml_extracted_entities, "PSETID_XmlExtractedEntities" },
};

/*
 * Tagged properties, by id (then preference). Sources: [MS-OXPROPS] section
 * 2 and, for PidTagNameid*, PidTagLtp*, PidTagPst*, PidTagRepl*,
 * PidTagItemTemporaryFlags and PidTagLatestPstEnsure, [MS-PST] 2.1.2 / 2.4.
 */
static const ps_propname_def tagged[] = {
	{ "PidTagNameidBucketCount", PS_NAME_NONE, 0x0001, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagTemplateData", PS_NAME_NONE, 0x0001, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAlternateRecipientAllowed", PS_NAME_NONE, 0x0002, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagNameidStreamGuid", PS_NAME_NONE, 0x0002, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagNameidStreamEntry", PS_NAME_NONE, 0x0003, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAutoForwardComment", PS_NAME_NONE, 0x0004, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNameidStreamString", PS_NAME_NONE, 0x0004, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagScriptData", PS_NAME_NONE, 0x0004, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAutoForwarded", PS_NAME_NONE, 0x0005, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagDeferredDeliveryTime", PS_NAME_NONE, 0x000F, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagDeliverTime", PS_NAME_NONE, 0x0010, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagExpiryTime", PS_NAME_NONE, 0x0015, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagImportance", PS_NAME_NONE, 0x0017, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMessageClass", PS_NAME_NONE, 0x001A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginatorDeliveryReportRequested", PS_NAME_NONE, 0x0023, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagParentKey", PS_NAME_NONE, 0x0025, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPriority", PS_NAME_NONE, 0x0026, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReadReceiptRequested", PS_NAME_NONE, 0x0029, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRecipientReassignmentProhibited", PS_NAME_NONE, 0x002B, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagOriginalSensitivity", PS_NAME_NONE, 0x002E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReplyTime", PS_NAME_NONE, 0x0030, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagReportTag", PS_NAME_NONE, 0x0031, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReportTime", PS_NAME_NONE, 0x0032, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagSensitivity", PS_NAME_NONE, 0x0036, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSubject", PS_NAME_NONE, 0x0037, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagClientSubmitTime", PS_NAME_NONE, 0x0039, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagReportName", PS_NAME_NONE, 0x003A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSentRepresentingSearchKey", PS_NAME_NONE, 0x003B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSubjectPrefix", PS_NAME_NONE, 0x003D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedByEntryId", PS_NAME_NONE, 0x003F, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReceivedByName", PS_NAME_NONE, 0x0040, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSentRepresentingEntryId", PS_NAME_NONE, 0x0041, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSentRepresentingName", PS_NAME_NONE, 0x0042, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingEntryId", PS_NAME_NONE, 0x0043, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingName", PS_NAME_NONE, 0x0044, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReportEntryId", PS_NAME_NONE, 0x0045, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReadReceiptEntryId", PS_NAME_NONE, 0x0046, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagMessageSubmissionId", PS_NAME_NONE, 0x0047, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagProviderSubmitTime", PS_NAME_NONE, 0x0048, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagOriginalSubject", PS_NAME_NONE, 0x0049, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalMessageClass", PS_NAME_NONE, 0x004B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalAuthorEntryId", PS_NAME_NONE, 0x004C, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalAuthorName", PS_NAME_NONE, 0x004D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSubmitTime", PS_NAME_NONE, 0x004E, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagReplyRecipientEntries", PS_NAME_NONE, 0x004F, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReplyRecipientNames", PS_NAME_NONE, 0x0050, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedBySearchKey", PS_NAME_NONE, 0x0051, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingSearchKey", PS_NAME_NONE, 0x0052, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReadReceiptSearchKey", PS_NAME_NONE, 0x0053, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReportSearchKey", PS_NAME_NONE, 0x0054, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalDeliveryTime", PS_NAME_NONE, 0x0055, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagMessageToMe", PS_NAME_NONE, 0x0057, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagMessageCcMe", PS_NAME_NONE, 0x0058, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagMessageRecipientMe", PS_NAME_NONE, 0x0059, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagOriginalSenderName", PS_NAME_NONE, 0x005A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSenderEntryId", PS_NAME_NONE, 0x005B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalSenderSearchKey", PS_NAME_NONE, 0x005C, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalSentRepresentingName", PS_NAME_NONE, 0x005D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSentRepresentingEntryId", PS_NAME_NONE, 0x005E, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalSentRepresentingSearchKey", PS_NAME_NONE, 0x005F, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagStartDate", PS_NAME_NONE, 0x0060, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagEndDate", PS_NAME_NONE, 0x0061, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagOwnerAppointmentId", PS_NAME_NONE, 0x0062, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagResponseRequested", PS_NAME_NONE, 0x0063, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSentRepresentingAddressType", PS_NAME_NONE, 0x0064, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSentRepresentingEmailAddress", PS_NAME_NONE, 0x0065, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSenderAddressType", PS_NAME_NONE, 0x0066, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSenderEmailAddress", PS_NAME_NONE, 0x0067, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSentRepresentingAddressType", PS_NAME_NONE, 0x0068, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalSentRepresentingEmailAddress", PS_NAME_NONE, 0x0069, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagConversationTopic", PS_NAME_NONE, 0x0070, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagConversationIndex", PS_NAME_NONE, 0x0071, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOriginalDisplayBcc", PS_NAME_NONE, 0x0072, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalDisplayCc", PS_NAME_NONE, 0x0073, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalDisplayTo", PS_NAME_NONE, 0x0074, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedByAddressType", PS_NAME_NONE, 0x0075, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedByEmailAddress", PS_NAME_NONE, 0x0076, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingAddressType", PS_NAME_NONE, 0x0077, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingEmailAddress", PS_NAME_NONE, 0x0078, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTransportMessageHeaders", PS_NAME_NONE, 0x007D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTnefCorrelationKey", PS_NAME_NONE, 0x007F, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReportDisposition", PS_NAME_NONE, 0x0080, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReportDispositionMode", PS_NAME_NONE, 0x0081, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNonReceiptNotificationRequested", PS_NAME_NONE, 0x0C06, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagOriginatorNonDeliveryReportRequested", PS_NAME_NONE, 0x0C08, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRecipientType", PS_NAME_NONE, 0x0C15, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReplyRequested", PS_NAME_NONE, 0x0C17, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSenderEntryId", PS_NAME_NONE, 0x0C19, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSenderName", PS_NAME_NONE, 0x0C1A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSenderSearchKey", PS_NAME_NONE, 0x0C1D, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSenderAddressType", PS_NAME_NONE, 0x0C1E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSenderEmailAddress", PS_NAME_NONE, 0x0C1F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDeleteAfterSubmit", PS_NAME_NONE, 0x0E01, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagDisplayBcc", PS_NAME_NONE, 0x0E02, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDisplayCc", PS_NAME_NONE, 0x0E03, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDisplayTo", PS_NAME_NONE, 0x0E04, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagParentDisplay", PS_NAME_NONE, 0x0E05, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMessageDeliveryTime", PS_NAME_NONE, 0x0E06, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagMessageFlags", PS_NAME_NONE, 0x0E07, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMessageSize", PS_NAME_NONE, 0x0E08, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMessageSizeExtended", PS_NAME_NONE, 0x0E08, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagParentEntryId", PS_NAME_NONE, 0x0E09, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSentMailEntryId", PS_NAME_NONE, 0x0E0A, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagResponsibility", PS_NAME_NONE, 0x0E0F, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagMessageRecipients", PS_NAME_NONE, 0x0E12, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagMessageAttachments", PS_NAME_NONE, 0x0E13, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagMessageStatus", PS_NAME_NONE, 0x0E17, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagHasAttachments", PS_NAME_NONE, 0x0E1B, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagNormalizedSubject", PS_NAME_NONE, 0x0E1D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRtfInSync", PS_NAME_NONE, 0x0E1F, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagAttachSize", PS_NAME_NONE, 0x0E20, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAttachNumber", PS_NAME_NONE, 0x0E21, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagInternetArticleNumber", PS_NAME_NONE, 0x0E23, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPrimarySendAccount", PS_NAME_NONE, 0x0E28, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNextSendAcct", PS_NAME_NONE, 0x0E29, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagToDoItemFlags", PS_NAME_NONE, 0x0E2B, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSwappedToDoStore", PS_NAME_NONE, 0x0E2C, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSwappedToDoData", PS_NAME_NONE, 0x0E2D, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReplItemid", PS_NAME_NONE, 0x0E30, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReplChangenum", PS_NAME_NONE, 0x0E33, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagReplVersionhistory", PS_NAME_NONE, 0x0E34, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReplFlags", PS_NAME_NONE, 0x0E38, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReplCopiedfromVersionhistory", PS_NAME_NONE, 0x0E3C, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReplCopiedfromItemid", PS_NAME_NONE, 0x0E3D, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRead", PS_NAME_NONE, 0x0E69, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSecurityDescriptorAsXml", PS_NAME_NONE, 0x0E6A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTrustSender", PS_NAME_NONE, 0x0E79, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagExchangeNTSecurityDescriptor", PS_NAME_NONE, 0x0E84, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagExtendedRuleMessageActions", PS_NAME_NONE, 0x0E99, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagExtendedRuleMessageCondition", PS_NAME_NONE, 0x0E9A, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagExtendedRuleSizeLimit", PS_NAME_NONE, 0x0E9B, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAccess", PS_NAME_NONE, 0x0FF4, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRowType", PS_NAME_NONE, 0x0FF5, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagInstanceKey", PS_NAME_NONE, 0x0FF6, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAccessLevel", PS_NAME_NONE, 0x0FF7, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMappingSignature", PS_NAME_NONE, 0x0FF8, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRecordKey", PS_NAME_NONE, 0x0FF9, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagStoreRecordKey", PS_NAME_NONE, 0x0FFA, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagStoreEntryId", PS_NAME_NONE, 0x0FFB, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagObjectType", PS_NAME_NONE, 0x0FFE, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagEntryId", PS_NAME_NONE, 0x0FFF, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagBody", PS_NAME_NONE, 0x1000, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNameidBucketBase", PS_NAME_NONE, 0x1000, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReportText", PS_NAME_NONE, 0x1001, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRtfSyncBodyCrc", PS_NAME_NONE, 0x1006, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRtfSyncBodyCount", PS_NAME_NONE, 0x1007, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRtfSyncBodyTag", PS_NAME_NONE, 0x1008, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRtfCompressed", PS_NAME_NONE, 0x1009, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRtfSyncPrefixCount", PS_NAME_NONE, 0x1010, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRtfSyncTrailingCount", PS_NAME_NONE, 0x1011, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagHtml", PS_NAME_NONE, 0x1013, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagBodyHtml", PS_NAME_NONE, 0x1013, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBodyContentLocation", PS_NAME_NONE, 0x1014, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBodyContentId", PS_NAME_NONE, 0x1015, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNativeBody", PS_NAME_NONE, 0x1016, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagInternetMessageId", PS_NAME_NONE, 0x1035, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagInternetReferences", PS_NAME_NONE, 0x1039, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagInReplyToId", PS_NAME_NONE, 0x1042, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagListHelp", PS_NAME_NONE, 0x1043, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagListSubscribe", PS_NAME_NONE, 0x1044, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagListUnsubscribe", PS_NAME_NONE, 0x1045, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalMessageId", PS_NAME_NONE, 0x1046, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagIconIndex", PS_NAME_NONE, 0x1080, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagLastVerbExecuted", PS_NAME_NONE, 0x1081, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagLastVerbExecutionTime", PS_NAME_NONE, 0x1082, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagFlagStatus", PS_NAME_NONE, 0x1090, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFlagCompleteTime", PS_NAME_NONE, 0x1091, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagFollowupIcon", PS_NAME_NONE, 0x1095, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagBlockStatus", PS_NAME_NONE, 0x1096, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagItemTemporaryFlags", PS_NAME_NONE, 0x1097, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagICalendarStartTime", PS_NAME_NONE, 0x10C3, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagICalendarEndTime", PS_NAME_NONE, 0x10C4, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagCdoRecurrenceid", PS_NAME_NONE, 0x10C5, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagICalendarReminderNextTime", PS_NAME_NONE, 0x10CA, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagUrlCompName", PS_NAME_NONE, 0x10F3, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttributeHidden", PS_NAME_NONE, 0x10F4, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagAttributeReadOnly", PS_NAME_NONE, 0x10F6, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRowid", PS_NAME_NONE, 0x3000, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagDisplayName", PS_NAME_NONE, 0x3001, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAddressType", PS_NAME_NONE, 0x3002, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagEmailAddress", PS_NAME_NONE, 0x3003, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagComment", PS_NAME_NONE, 0x3004, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDepth", PS_NAME_NONE, 0x3005, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagCreationTime", PS_NAME_NONE, 0x3007, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagLastModificationTime", PS_NAME_NONE, 0x3008, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagSearchKey", PS_NAME_NONE, 0x300B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagTargetEntryId", PS_NAME_NONE, 0x3010, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagConversationId", PS_NAME_NONE, 0x3013, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagConversationIndexTracking", PS_NAME_NONE, 0x3016, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagArchiveTag", PS_NAME_NONE, 0x3018, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPolicyTag", PS_NAME_NONE, 0x3019, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRetentionPeriod", PS_NAME_NONE, 0x301A, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagStartDateEtc", PS_NAME_NONE, 0x301B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRetentionDate", PS_NAME_NONE, 0x301C, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagRetentionFlags", PS_NAME_NONE, 0x301D, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagArchivePeriod", PS_NAME_NONE, 0x301E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagArchiveDate", PS_NAME_NONE, 0x301F, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagStoreSupportMask", PS_NAME_NONE, 0x340D, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagStoreState", PS_NAME_NONE, 0x340E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagValidFolderMask", PS_NAME_NONE, 0x35DF, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagIpmSubtreeEntryId", PS_NAME_NONE, 0x35E0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmOutboxEntryId", PS_NAME_NONE, 0x35E2, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmWastebasketEntryId", PS_NAME_NONE, 0x35E3, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmSentMailEntryId", PS_NAME_NONE, 0x35E4, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagViewsEntryId", PS_NAME_NONE, 0x35E5, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagCommonViewsEntryId", PS_NAME_NONE, 0x35E6, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagFinderEntryId", PS_NAME_NONE, 0x35E7, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagContainerFlags", PS_NAME_NONE, 0x3600, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFolderType", PS_NAME_NONE, 0x3601, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagContentCount", PS_NAME_NONE, 0x3602, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagContentUnreadCount", PS_NAME_NONE, 0x3603, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSelectable", PS_NAME_NONE, 0x3609, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSubfolders", PS_NAME_NONE, 0x360A, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagAnr", PS_NAME_NONE, 0x360C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagContainerHierarchy", PS_NAME_NONE, 0x360E, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagContainerContents", PS_NAME_NONE, 0x360F, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagFolderAssociatedContents", PS_NAME_NONE, 0x3610, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagContainerClass", PS_NAME_NONE, 0x3613, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAssociatedContentCount", PS_NAME_NONE, 0x3617, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagIpmAppointmentEntryId", PS_NAME_NONE, 0x36D0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmContactEntryId", PS_NAME_NONE, 0x36D1, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmJournalEntryId", PS_NAME_NONE, 0x36D2, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmNoteEntryId", PS_NAME_NONE, 0x36D3, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmTaskEntryId", PS_NAME_NONE, 0x36D4, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRemindersOnlineEntryId", PS_NAME_NONE, 0x36D5, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagIpmDraftsEntryId", PS_NAME_NONE, 0x36D7, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAdditionalRenEntryIds", PS_NAME_NONE, 0x36D8, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAdditionalRenEntryIdsEx", PS_NAME_NONE, 0x36D9, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagExtendedFolderFlags", PS_NAME_NONE, 0x36DA, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOrdinalMost", PS_NAME_NONE, 0x36E2, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFreeBusyEntryIds", PS_NAME_NONE, 0x36E4, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDefaultPostMessageClass", PS_NAME_NONE, 0x36E5, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachDataBinary", PS_NAME_NONE, 0x3701, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAttachDataObject", PS_NAME_NONE, 0x3701, PS_PT_OBJECT, NULL, 0, NULL },
	{ "PidTagAttachEncoding", PS_NAME_NONE, 0x3702, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAttachExtension", PS_NAME_NONE, 0x3703, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachFilename", PS_NAME_NONE, 0x3704, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachMethod", PS_NAME_NONE, 0x3705, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAttachLongFilename", PS_NAME_NONE, 0x3707, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachPathname", PS_NAME_NONE, 0x3708, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachRendering", PS_NAME_NONE, 0x3709, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAttachTag", PS_NAME_NONE, 0x370A, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRenderingPosition", PS_NAME_NONE, 0x370B, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAttachTransportName", PS_NAME_NONE, 0x370C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachLongPathname", PS_NAME_NONE, 0x370D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachMimeTag", PS_NAME_NONE, 0x370E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachAdditionalInformation", PS_NAME_NONE, 0x370F, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagAttachContentBase", PS_NAME_NONE, 0x3711, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachContentId", PS_NAME_NONE, 0x3712, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachContentLocation", PS_NAME_NONE, 0x3713, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachFlags", PS_NAME_NONE, 0x3714, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAttachPayloadProviderGuidString", PS_NAME_NONE, 0x3719, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAttachPayloadClass", PS_NAME_NONE, 0x371A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTextAttachmentCharset", PS_NAME_NONE, 0x371B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDisplayType", PS_NAME_NONE, 0x3900, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagTemplateid", PS_NAME_NONE, 0x3902, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDisplayTypeEx", PS_NAME_NONE, 0x3905, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSmtpAddress", PS_NAME_NONE, 0x39FE, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAddressBookDisplayNamePrintable", PS_NAME_NONE, 0x39FF, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAccount", PS_NAME_NONE, 0x3A00, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCallbackTelephoneNumber", PS_NAME_NONE, 0x3A02, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagGeneration", PS_NAME_NONE, 0x3A05, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagGivenName", PS_NAME_NONE, 0x3A06, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagGovernmentIdNumber", PS_NAME_NONE, 0x3A07, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBusinessTelephoneNumber", PS_NAME_NONE, 0x3A08, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeTelephoneNumber", PS_NAME_NONE, 0x3A09, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagInitials", PS_NAME_NONE, 0x3A0A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagKeyword", PS_NAME_NONE, 0x3A0B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagLanguage", PS_NAME_NONE, 0x3A0C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagLocation", PS_NAME_NONE, 0x3A0D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMessageHandlingSystemCommonName", PS_NAME_NONE, 0x3A0F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOrganizationalIdNumber", PS_NAME_NONE, 0x3A10, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSurname", PS_NAME_NONE, 0x3A11, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOriginalEntryId", PS_NAME_NONE, 0x3A12, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPostalAddress", PS_NAME_NONE, 0x3A15, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCompanyName", PS_NAME_NONE, 0x3A16, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTitle", PS_NAME_NONE, 0x3A17, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDepartmentName", PS_NAME_NONE, 0x3A18, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOfficeLocation", PS_NAME_NONE, 0x3A19, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPrimaryTelephoneNumber", PS_NAME_NONE, 0x3A1A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBusiness2TelephoneNumber", PS_NAME_NONE, 0x3A1B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBusiness2TelephoneNumbers", PS_NAME_NONE, 0x3A1B, PS_PT_MV | PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMobileTelephoneNumber", PS_NAME_NONE, 0x3A1C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRadioTelephoneNumber", PS_NAME_NONE, 0x3A1D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCarTelephoneNumber", PS_NAME_NONE, 0x3A1E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherTelephoneNumber", PS_NAME_NONE, 0x3A1F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTransmittableDisplayName", PS_NAME_NONE, 0x3A20, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPagerTelephoneNumber", PS_NAME_NONE, 0x3A21, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagUserCertificate", PS_NAME_NONE, 0x3A22, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPrimaryFaxNumber", PS_NAME_NONE, 0x3A23, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBusinessFaxNumber", PS_NAME_NONE, 0x3A24, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeFaxNumber", PS_NAME_NONE, 0x3A25, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCountry", PS_NAME_NONE, 0x3A26, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagLocality", PS_NAME_NONE, 0x3A27, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagStateOrProvince", PS_NAME_NONE, 0x3A28, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagStreetAddress", PS_NAME_NONE, 0x3A29, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPostalCode", PS_NAME_NONE, 0x3A2A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPostOfficeBox", PS_NAME_NONE, 0x3A2B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTelexNumber", PS_NAME_NONE, 0x3A2C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagIsdnNumber", PS_NAME_NONE, 0x3A2D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAssistantTelephoneNumber", PS_NAME_NONE, 0x3A2E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHome2TelephoneNumber", PS_NAME_NONE, 0x3A2F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHome2TelephoneNumbers", PS_NAME_NONE, 0x3A2F, PS_PT_MV | PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagAssistant", PS_NAME_NONE, 0x3A30, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSendRichInfo", PS_NAME_NONE, 0x3A40, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagWeddingAnniversary", PS_NAME_NONE, 0x3A41, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagBirthday", PS_NAME_NONE, 0x3A42, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagHobbies", PS_NAME_NONE, 0x3A43, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMiddleName", PS_NAME_NONE, 0x3A44, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagDisplayNamePrefix", PS_NAME_NONE, 0x3A45, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagProfession", PS_NAME_NONE, 0x3A46, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReferredByName", PS_NAME_NONE, 0x3A47, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSpouseName", PS_NAME_NONE, 0x3A48, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagComputerNetworkName", PS_NAME_NONE, 0x3A49, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCustomerId", PS_NAME_NONE, 0x3A4A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagTelecommunicationsDeviceForDeafTelephoneNumber", PS_NAME_NONE, 0x3A4B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagFtpSite", PS_NAME_NONE, 0x3A4C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagGender", PS_NAME_NONE, 0x3A4D, PS_PT_SHORT, NULL, 0, NULL },
	{ "PidTagManagerName", PS_NAME_NONE, 0x3A4E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagNickname", PS_NAME_NONE, 0x3A4F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPersonalHomePage", PS_NAME_NONE, 0x3A50, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagBusinessHomePage", PS_NAME_NONE, 0x3A51, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCompanyMainTelephoneNumber", PS_NAME_NONE, 0x3A57, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagChildrensNames", PS_NAME_NONE, 0x3A58, PS_PT_MV | PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressCity", PS_NAME_NONE, 0x3A59, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressCountry", PS_NAME_NONE, 0x3A5A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressPostalCode", PS_NAME_NONE, 0x3A5B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressStateOrProvince", PS_NAME_NONE, 0x3A5C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressStreet", PS_NAME_NONE, 0x3A5D, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagHomeAddressPostOfficeBox", PS_NAME_NONE, 0x3A5E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressCity", PS_NAME_NONE, 0x3A5F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressCountry", PS_NAME_NONE, 0x3A60, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressPostalCode", PS_NAME_NONE, 0x3A61, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressStateOrProvince", PS_NAME_NONE, 0x3A62, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressStreet", PS_NAME_NONE, 0x3A63, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagOtherAddressPostOfficeBox", PS_NAME_NONE, 0x3A64, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagUserX509Certificate", PS_NAME_NONE, 0x3A70, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSendInternetEncoding", PS_NAME_NONE, 0x3A71, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagInitialDetailsPane", PS_NAME_NONE, 0x3F08, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagTemporaryDefaultDocument", PS_NAME_NONE, 0x3F20, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagInternetCodepage", PS_NAME_NONE, 0x3FDE, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAutoResponseSuppress", PS_NAME_NONE, 0x3FDF, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAccessControlListData", PS_NAME_NONE, 0x3FE0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDelegatedByRule", PS_NAME_NONE, 0x3FE3, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagResolveMethod", PS_NAME_NONE, 0x3FE7, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagHasDeferredActionMessages", PS_NAME_NONE, 0x3FEA, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagDeferredSendNumber", PS_NAME_NONE, 0x3FEB, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagDeferredSendUnits", PS_NAME_NONE, 0x3FEC, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagExpiryNumber", PS_NAME_NONE, 0x3FED, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagExpiryUnits", PS_NAME_NONE, 0x3FEE, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagDeferredSendTime", PS_NAME_NONE, 0x3FEF, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagConflictEntryId", PS_NAME_NONE, 0x3FF0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagMessageLocaleId", PS_NAME_NONE, 0x3FF1, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagCreatorName", PS_NAME_NONE, 0x3FF8, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCreatorEntryId", PS_NAME_NONE, 0x3FF9, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagLastModifierName", PS_NAME_NONE, 0x3FFA, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagLastModifierEntryId", PS_NAME_NONE, 0x3FFB, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagMessageCodepage", PS_NAME_NONE, 0x3FFD, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSentRepresentingFlags", PS_NAME_NONE, 0x401A, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagReadReceiptAddressType", PS_NAME_NONE, 0x4029, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReadReceiptEmailAddress", PS_NAME_NONE, 0x402A, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReadReceiptName", PS_NAME_NONE, 0x402B, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagContentFilterSpamConfidenceLevel", PS_NAME_NONE, 0x4076, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSenderIdStatus", PS_NAME_NONE, 0x4079, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPurportedSenderDomain", PS_NAME_NONE, 0x4083, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagInternetMailOverrideFormat", PS_NAME_NONE, 0x5902, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMessageEditorFormat", PS_NAME_NONE, 0x5909, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSenderSmtpAddress", PS_NAME_NONE, 0x5D01, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSentRepresentingSmtpAddress", PS_NAME_NONE, 0x5D02, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedBySmtpAddress", PS_NAME_NONE, 0x5D07, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagReceivedRepresentingSmtpAddress", PS_NAME_NONE, 0x5D08, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRecipientResourceState", PS_NAME_NONE, 0x5FDE, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRecipientOrder", PS_NAME_NONE, 0x5FDF, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRecipientProposed", PS_NAME_NONE, 0x5FE1, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRecipientProposedStartTime", PS_NAME_NONE, 0x5FE3, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagRecipientProposedEndTime", PS_NAME_NONE, 0x5FE4, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagRecipientDisplayName", PS_NAME_NONE, 0x5FF6, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRecipientEntryId", PS_NAME_NONE, 0x5FF7, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRecipientTrackStatusTime", PS_NAME_NONE, 0x5FFB, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagRecipientFlags", PS_NAME_NONE, 0x5FFD, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRecipientTrackStatus", PS_NAME_NONE, 0x5FFF, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagJunkIncludeContacts", PS_NAME_NONE, 0x6100, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagJunkThreshold", PS_NAME_NONE, 0x6101, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagJunkPermanentlyDelete", PS_NAME_NONE, 0x6102, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagJunkAddRecipientsToSafeSendersList", PS_NAME_NONE, 0x6103, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagJunkPhishingEnableLinks", PS_NAME_NONE, 0x6107, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagMimeSkeleton", PS_NAME_NONE, 0x64F0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagReplyTemplateId", PS_NAME_NONE, 0x65C2, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSecureSubmitFlags", PS_NAME_NONE, 0x65C6, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSourceKey", PS_NAME_NONE, 0x65E0, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagParentSourceKey", PS_NAME_NONE, 0x65E1, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagChangeKey", PS_NAME_NONE, 0x65E2, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPredecessorChangeList", PS_NAME_NONE, 0x65E3, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRuleMessageState", PS_NAME_NONE, 0x65E9, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleMessageUserFlags", PS_NAME_NONE, 0x65EA, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleMessageProvider", PS_NAME_NONE, 0x65EB, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRuleMessageName", PS_NAME_NONE, 0x65EC, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRuleMessageLevel", PS_NAME_NONE, 0x65ED, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleMessageProviderData", PS_NAME_NONE, 0x65EE, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRuleMessageSequence", PS_NAME_NONE, 0x65F3, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagUserEntryId", PS_NAME_NONE, 0x6619, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagMailboxOwnerEntryId", PS_NAME_NONE, 0x661B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagMailboxOwnerName", PS_NAME_NONE, 0x661C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPstBestBodyProptag", PS_NAME_NONE, 0x661D, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagOutOfOfficeState", PS_NAME_NONE, 0x661D, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSchedulePlusFreeBusyEntryId", PS_NAME_NONE, 0x6622, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagPstLrNoRestrictions", PS_NAME_NONE, 0x6633, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagPstHiddenCount", PS_NAME_NONE, 0x6635, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPstHiddenUnread", PS_NAME_NONE, 0x6636, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRights", PS_NAME_NONE, 0x6639, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagHasRules", PS_NAME_NONE, 0x663A, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagAddressBookEntryId", PS_NAME_NONE, 0x663B, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagHierarchyChangeNumber", PS_NAME_NONE, 0x663E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagClientActions", PS_NAME_NONE, 0x6645, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDamOriginalEntryId", PS_NAME_NONE, 0x6646, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDamBackPatched", PS_NAME_NONE, 0x6647, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRuleError", PS_NAME_NONE, 0x6648, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleActionType", PS_NAME_NONE, 0x6649, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagHasNamedProperties", PS_NAME_NONE, 0x664A, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagRuleActionNumber", PS_NAME_NONE, 0x6650, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleFolderEntryId", PS_NAME_NONE, 0x6651, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagProhibitReceiveQuota", PS_NAME_NONE, 0x666A, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagInConflict", PS_NAME_NONE, 0x666C, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagMaximumSubmitMessageSize", PS_NAME_NONE, 0x666D, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagProhibitSendQuota", PS_NAME_NONE, 0x666E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagMemberId", PS_NAME_NONE, 0x6671, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagMemberName", PS_NAME_NONE, 0x6672, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMemberRights", PS_NAME_NONE, 0x6673, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleId", PS_NAME_NONE, 0x6674, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagRuleIds", PS_NAME_NONE, 0x6675, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRuleSequence", PS_NAME_NONE, 0x6676, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleState", PS_NAME_NONE, 0x6677, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleUserFlags", PS_NAME_NONE, 0x6678, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleCondition", PS_NAME_NONE, 0x6679, PS_PT_SRESTRICT, NULL, 0, NULL },
	{ "PidTagRuleActions", PS_NAME_NONE, 0x6680, PS_PT_ACTIONS, NULL, 0, NULL },
	{ "PidTagRuleProvider", PS_NAME_NONE, 0x6681, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRuleName", PS_NAME_NONE, 0x6682, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRuleLevel", PS_NAME_NONE, 0x6683, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRuleProviderData", PS_NAME_NONE, 0x6684, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDeletedOn", PS_NAME_NONE, 0x668F, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagLocaleId", PS_NAME_NONE, 0x66A1, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagNormalMessageSize", PS_NAME_NONE, 0x66B3, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagCodePageId", PS_NAME_NONE, 0x66C3, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagLatestPstEnsure", PS_NAME_NONE, 0x66FA, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPstIpmsubTreeDescendant", PS_NAME_NONE, 0x6705, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagSortLocaleId", PS_NAME_NONE, 0x6705, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagUrlName", PS_NAME_NONE, 0x6707, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagSubfolder", PS_NAME_NONE, 0x6708, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagLocalCommitTime", PS_NAME_NONE, 0x6709, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagLocalCommitTimeMax", PS_NAME_NONE, 0x670A, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagDeletedCountTotal", PS_NAME_NONE, 0x670B, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFlatUrlName", PS_NAME_NONE, 0x670E, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPublicFolderAdministrativeDescription", PS_NAME_NONE, 0x671C, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagPublicFolderProxy", PS_NAME_NONE, 0x671D, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagSentMailSvrEID", PS_NAME_NONE, 0x6740, PS_PT_SVREID, NULL, 0, NULL },
	{ "PidTagDeferredActionMessageOriginalEntryId", PS_NAME_NONE, 0x6741, PS_PT_SVREID, NULL, 0, NULL },
	{ "PidTagFolderId", PS_NAME_NONE, 0x6748, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagParentFolderId", PS_NAME_NONE, 0x6749, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagMid", PS_NAME_NONE, 0x674A, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagInstID", PS_NAME_NONE, 0x674D, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagInstanceNum", PS_NAME_NONE, 0x674E, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPstSubTreeContainer", PS_NAME_NONE, 0x6772, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagChangeNumber", PS_NAME_NONE, 0x67A4, PS_PT_LONGLONG, NULL, 0, NULL },
	{ "PidTagAssociated", PS_NAME_NONE, 0x67AA, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagLtpParentNid", PS_NAME_NONE, 0x67F1, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagLtpRowId", PS_NAME_NONE, 0x67F2, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagLtpRowVer", PS_NAME_NONE, 0x67F3, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagPstPassword", PS_NAME_NONE, 0x67FF, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagVoiceMessageDuration", PS_NAME_NONE, 0x6801, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagSenderTelephoneNumber", PS_NAME_NONE, 0x6802, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagRwRulesStream", PS_NAME_NONE, 0x6802, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagVoiceMessageSenderName", PS_NAME_NONE, 0x6803, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagFaxNumberOfPages", PS_NAME_NONE, 0x6804, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagVoiceMessageAttachmentOrder", PS_NAME_NONE, 0x6805, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagCallId", PS_NAME_NONE, 0x6806, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagMapiFormComposeCommand", PS_NAME_NONE, 0x682F, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagScheduleInfoResourceType", PS_NAME_NONE, 0x6841, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoDelegatorWantsCopy", PS_NAME_NONE, 0x6842, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagScheduleInfoDontMailDelegates", PS_NAME_NONE, 0x6843, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagScheduleInfoDelegateNames", PS_NAME_NONE, 0x6844, PS_PT_MV | PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagScheduleInfoDelegateEntryIds", PS_NAME_NONE, 0x6845, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagGatewayNeedsToRefresh", PS_NAME_NONE, 0x6846, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagFreeBusyPublishStart", PS_NAME_NONE, 0x6847, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFreeBusyPublishEnd", PS_NAME_NONE, 0x6848, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagFreeBusyMessageEmailAddress", PS_NAME_NONE, 0x6849, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagScheduleInfoDelegateNamesW", PS_NAME_NONE, 0x684A, PS_PT_MV | PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagScheduleInfoDelegatorWantsInfo", PS_NAME_NONE, 0x684B, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagScheduleInfoMonthsMerged", PS_NAME_NONE, 0x684F, PS_PT_MV | PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoFreeBusyMerged", PS_NAME_NONE, 0x6850, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagScheduleInfoMonthsTentative", PS_NAME_NONE, 0x6851, PS_PT_MV | PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoFreeBusyTentative", PS_NAME_NONE, 0x6852, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagScheduleInfoMonthsBusy", PS_NAME_NONE, 0x6853, PS_PT_MV | PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoFreeBusyBusy", PS_NAME_NONE, 0x6854, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagScheduleInfoMonthsAway", PS_NAME_NONE, 0x6855, PS_PT_MV | PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoFreeBusyAway", PS_NAME_NONE, 0x6856, PS_PT_MV | PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagFreeBusyRangeTimestamp", PS_NAME_NONE, 0x6868, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagFreeBusyCountMonths", PS_NAME_NONE, 0x6869, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoAppointmentTombstone", PS_NAME_NONE, 0x686A, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagDelegateFlags", PS_NAME_NONE, 0x686B, PS_PT_MV | PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagScheduleInfoFreeBusy", PS_NAME_NONE, 0x686C, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagScheduleInfoAutoAcceptAppointments", PS_NAME_NONE, 0x686D, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagScheduleInfoDisallowRecurringAppts", PS_NAME_NONE, 0x686E, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagScheduleInfoDisallowOverlappingAppts", PS_NAME_NONE, 0x686F, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagViewDescriptorBinary", PS_NAME_NONE, 0x7001, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagViewDescriptorStrings", PS_NAME_NONE, 0x7002, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagViewDescriptorFlags", PS_NAME_NONE, 0x7003, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagViewDescriptorLinkTo", PS_NAME_NONE, 0x7004, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagViewDescriptorViewFolder", PS_NAME_NONE, 0x7005, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagViewDescriptorName", PS_NAME_NONE, 0x7006, PS_PT_UNICODE, NULL, 0, NULL },
	{ "PidTagViewDescriptorVersion", PS_NAME_NONE, 0x7007, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRoamingDatatypes", PS_NAME_NONE, 0x7C06, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagRoamingDictionary", PS_NAME_NONE, 0x7C07, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagRoamingXmlStream", PS_NAME_NONE, 0x7C08, PS_PT_BINARY, NULL, 0, NULL },
	{ "PidTagOscSyncEnabled", PS_NAME_NONE, 0x7C24, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagProcessed", PS_NAME_NONE, 0x7D01, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagExceptionReplaceTime", PS_NAME_NONE, 0x7FF9, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagAttachmentLinkId", PS_NAME_NONE, 0x7FFA, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagExceptionStartTime", PS_NAME_NONE, 0x7FFB, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagExceptionEndTime", PS_NAME_NONE, 0x7FFC, PS_PT_SYSTIME, NULL, 0, NULL },
	{ "PidTagAttachmentFlags", PS_NAME_NONE, 0x7FFD, PS_PT_LONG, NULL, 0, NULL },
	{ "PidTagAttachmentHidden", PS_NAME_NONE, 0x7FFE, PS_PT_BOOLEAN, NULL, 0, NULL },
	{ "PidTagAttachmentContactPhoto", PS_NAME_NONE, 0x7FFF, PS_PT_BOOLEAN, NULL, 0, NULL },
};

/*
 * Named properties, by set GUID (stored bytes), then numbers before strings,
 * then number or string (ASCII case ignored). Source: [MS-OXPROPS] section 2.
 */
static const ps_propname_def named[] = {
	{ "PidLidAppointmentSequence", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8201, NULL },
	{ "PidLidAppointmentSequenceTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8202, NULL },
	{ "PidLidAppointmentLastSequence", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8203, NULL },
	{ "PidLidChangeHighlight", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8204, NULL },
	{ "PidLidBusyStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8205, NULL },
	{ "PidLidFExceptionalBody", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8206, NULL },
	{ "PidLidAppointmentAuxiliaryFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8207, NULL },
	{ "PidLidLocation", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8208, NULL },
	{ "PidLidMeetingWorkspaceUrl", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8209, NULL },
	{ "PidLidForwardInstance", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x820A, NULL },
	{ "PidLidLinkedTaskItems", PS_NAME_ID, 0, PS_PT_MV | PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x820C, NULL },
	{ "PidLidAppointmentStartWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x820D, NULL },
	{ "PidLidAppointmentEndWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x820E, NULL },
	{ "PidLidAppointmentStartTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x820F, NULL },
	{ "PidLidAppointmentEndTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8210, NULL },
	{ "PidLidAppointmentEndDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8211, NULL },
	{ "PidLidAppointmentStartDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8212, NULL },
	{ "PidLidAppointmentDuration", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8213, NULL },
	{ "PidLidAppointmentColor", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8214, NULL },
	{ "PidLidAppointmentSubType", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8215, NULL },
	{ "PidLidAppointmentRecur", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x8216, NULL },
	{ "PidLidAppointmentStateFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8217, NULL },
	{ "PidLidResponseStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8218, NULL },
	{ "PidLidAppointmentReplyTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8220, NULL },
	{ "PidLidRecurring", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8223, NULL },
	{ "PidLidIntendedBusyStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8224, NULL },
	{ "PidLidAppointmentUpdateTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8226, NULL },
	{ "PidLidExceptionReplaceTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8228, NULL },
	{ "PidLidFInvited", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8229, NULL },
	{ "PidLidFExceptionalAttendees", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x822B, NULL },
	{ "PidLidOwnerName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x822E, NULL },
	{ "PidLidFOthersAppointment", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x822F, NULL },
	{ "PidLidAppointmentReplyName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8230, NULL },
	{ "PidLidRecurrenceType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8231, NULL },
	{ "PidLidRecurrencePattern", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8232, NULL },
	{ "PidLidTimeZoneStruct", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x8233, NULL },
	{ "PidLidTimeZoneDescription", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8234, NULL },
	{ "PidLidClipStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8235, NULL },
	{ "PidLidClipEnd", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8236, NULL },
	{ "PidLidOriginalStoreEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x8237, NULL },
	{ "PidLidAllAttendeesString", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8238, NULL },
	{ "PidLidAutoFillLocation", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x823A, NULL },
	{ "PidLidToAttendeesString", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x823B, NULL },
	{ "PidLidCcAttendeesString", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x823C, NULL },
	{ "PidLidConferencingCheck", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8240, NULL },
	{ "PidLidConferencingType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8241, NULL },
	{ "PidLidDirectory", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8242, NULL },
	{ "PidLidOrganizerAlias", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8243, NULL },
	{ "PidLidAutoStartCheck", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8244, NULL },
	{ "PidLidAllowExternalCheck", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8246, NULL },
	{ "PidLidCollaborateDoc", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8247, NULL },
	{ "PidLidNetShowUrl", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8248, NULL },
	{ "PidLidOnlinePassword", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_APPOINTMENT, 0x8249, NULL },
	{ "PidLidAppointmentProposedStartWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8250, NULL },
	{ "PidLidAppointmentProposedEndWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_APPOINTMENT, 0x8251, NULL },
	{ "PidLidAppointmentProposedDuration", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8256, NULL },
	{ "PidLidAppointmentCounterProposal", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x8257, NULL },
	{ "PidLidAppointmentProposalNumber", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_APPOINTMENT, 0x8259, NULL },
	{ "PidLidAppointmentNotAllowPropose", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x825A, NULL },
	{ "PidLidAppointmentUnsendableRecipients", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x825D, NULL },
	{ "PidLidAppointmentTimeZoneDefinitionStartDisplay", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x825E, NULL },
	{ "PidLidAppointmentTimeZoneDefinitionEndDisplay", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x825F, NULL },
	{ "PidLidAppointmentTimeZoneDefinitionRecur", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x8260, NULL },
	{ "PidLidForwardNotificationRecipients", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x8261, NULL },
	{ "PidLidInboundICalStream", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_APPOINTMENT, 0x827A, NULL },
	{ "PidLidSingleBodyICal", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_APPOINTMENT, 0x827B, NULL },
	{ "PidLidTaskStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8101, NULL },
	{ "PidLidPercentComplete", PS_NAME_ID, 0, PS_PT_DOUBLE, &PS_PSETID_TASK, 0x8102, NULL },
	{ "PidLidTeamTask", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8103, NULL },
	{ "PidLidTaskStartDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_TASK, 0x8104, NULL },
	{ "PidLidTaskDueDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_TASK, 0x8105, NULL },
	{ "PidLidTaskResetReminder", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8107, NULL },
	{ "PidLidTaskAccepted", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8108, NULL },
	{ "PidLidTaskDeadOccurrence", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8109, NULL },
	{ "PidLidTaskDateCompleted", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_TASK, 0x810F, NULL },
	{ "PidLidTaskActualEffort", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8110, NULL },
	{ "PidLidTaskEstimatedEffort", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8111, NULL },
	{ "PidLidTaskVersion", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8112, NULL },
	{ "PidLidTaskState", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8113, NULL },
	{ "PidLidTaskLastUpdate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_TASK, 0x8115, NULL },
	{ "PidLidTaskRecurrence", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_TASK, 0x8116, NULL },
	{ "PidLidTaskAssigners", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_TASK, 0x8117, NULL },
	{ "PidLidTaskStatusOnComplete", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8119, NULL },
	{ "PidLidTaskHistory", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x811A, NULL },
	{ "PidLidTaskUpdates", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x811B, NULL },
	{ "PidLidTaskComplete", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x811C, NULL },
	{ "PidLidTaskFCreator", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x811E, NULL },
	{ "PidLidTaskOwner", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_TASK, 0x811F, NULL },
	{ "PidLidTaskMultipleRecipients", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8120, NULL },
	{ "PidLidTaskAssigner", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_TASK, 0x8121, NULL },
	{ "PidLidTaskLastUser", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_TASK, 0x8122, NULL },
	{ "PidLidTaskOrdinal", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8123, NULL },
	{ "PidLidTaskNoCompute", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8124, NULL },
	{ "PidLidTaskLastDelegate", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_TASK, 0x8125, NULL },
	{ "PidLidTaskFRecurring", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x8126, NULL },
	{ "PidLidTaskRole", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_TASK, 0x8127, NULL },
	{ "PidLidTaskOwnership", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8129, NULL },
	{ "PidLidTaskAcceptanceState", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x812A, NULL },
	{ "PidLidTaskFFixOffline", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_TASK, 0x812C, NULL },
	{ "PidLidTaskCustomFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_TASK, 0x8139, NULL },
	{ "PidLidFileUnder", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8005, NULL },
	{ "PidLidFileUnderId", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8006, NULL },
	{ "PidLidContactItemData", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8007, NULL },
	{ "PidLidReferredBy", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x800E, NULL },
	{ "PidLidDepartment", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8010, NULL },
	{ "PidLidHasPicture", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_ADDRESS, 0x8015, NULL },
	{ "PidLidHomeAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x801A, NULL },
	{ "PidLidWorkAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x801B, NULL },
	{ "PidLidOtherAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x801C, NULL },
	{ "PidLidPostalAddressId", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8022, NULL },
	{ "PidLidContactCharacterSet", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8023, NULL },
	{ "PidLidAutoLog", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_ADDRESS, 0x8025, NULL },
	{ "PidLidFileUnderList", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8026, NULL },
	{ "PidLidAddressBookProviderEmailList", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8028, NULL },
	{ "PidLidAddressBookProviderArrayType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x8029, NULL },
	{ "PidLidHtml", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x802B, NULL },
	{ "PidLidYomiFirstName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x802C, NULL },
	{ "PidLidYomiLastName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x802D, NULL },
	{ "PidLidYomiCompanyName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x802E, NULL },
	{ "PidLidBusinessCardDisplayDefinition", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8040, NULL },
	{ "PidLidBusinessCardCardPicture", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8041, NULL },
	{ "PidLidWorkAddressStreet", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8045, NULL },
	{ "PidLidWorkAddressCity", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8046, NULL },
	{ "PidLidWorkAddressState", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8047, NULL },
	{ "PidLidWorkAddressPostalCode", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8048, NULL },
	{ "PidLidWorkAddressCountry", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8049, NULL },
	{ "PidLidWorkAddressPostOfficeBox", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x804A, NULL },
	{ "PidLidDistributionListChecksum", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x804C, NULL },
	{ "PidLidBirthdayEventEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x804D, NULL },
	{ "PidLidAnniversaryEventEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x804E, NULL },
	{ "PidLidContactUserField1", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x804F, NULL },
	{ "PidLidContactUserField2", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8050, NULL },
	{ "PidLidContactUserField3", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8051, NULL },
	{ "PidLidContactUserField4", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8052, NULL },
	{ "PidLidDistributionListName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8053, NULL },
	{ "PidLidDistributionListOneOffMembers", PS_NAME_ID, 0, PS_PT_MV | PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8054, NULL },
	{ "PidLidDistributionListMembers", PS_NAME_ID, 0, PS_PT_MV | PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8055, NULL },
	{ "PidLidInstantMessagingAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8062, NULL },
	{ "PidLidDistributionListStream", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8064, NULL },
	{ "PidLidEmail1DisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8080, NULL },
	{ "PidLidEmail1AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8082, NULL },
	{ "PidLidEmail1EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8083, NULL },
	{ "PidLidEmail1OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8084, NULL },
	{ "PidLidEmail1OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8085, NULL },
	{ "PidLidEmail2DisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8090, NULL },
	{ "PidLidEmail2AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8092, NULL },
	{ "PidLidEmail2EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8093, NULL },
	{ "PidLidEmail2OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x8094, NULL },
	{ "PidLidEmail2OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x8095, NULL },
	{ "PidLidEmail3DisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80A0, NULL },
	{ "PidLidEmail3AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80A2, NULL },
	{ "PidLidEmail3EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80A3, NULL },
	{ "PidLidEmail3OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80A4, NULL },
	{ "PidLidEmail3OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80A5, NULL },
	{ "PidLidFax1AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80B2, NULL },
	{ "PidLidFax1EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80B3, NULL },
	{ "PidLidFax1OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80B4, NULL },
	{ "PidLidFax1OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80B5, NULL },
	{ "PidLidFax2AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80C2, NULL },
	{ "PidLidFax2EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80C3, NULL },
	{ "PidLidFax2OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80C4, NULL },
	{ "PidLidFax2OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80C5, NULL },
	{ "PidLidFax3AddressType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80D2, NULL },
	{ "PidLidFax3EmailAddress", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80D3, NULL },
	{ "PidLidFax3OriginalDisplayName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80D4, NULL },
	{ "PidLidFax3OriginalEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80D5, NULL },
	{ "PidLidFreeBusyLocation", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80D8, NULL },
	{ "PidLidHomeAddressCountryCode", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80DA, NULL },
	{ "PidLidWorkAddressCountryCode", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80DB, NULL },
	{ "PidLidOtherAddressCountryCode", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80DC, NULL },
	{ "PidLidAddressCountryCode", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80DD, NULL },
	{ "PidLidBirthdayLocal", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_ADDRESS, 0x80DE, NULL },
	{ "PidLidWeddingAnniversaryLocal", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_ADDRESS, 0x80DF, NULL },
	{ "PidLidIsContactLinked", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_ADDRESS, 0x80E0, NULL },
	{ "PidLidContactLinkedGlobalAddressListEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80E2, NULL },
	{ "PidLidContactLinkSMTPAddressCache", PS_NAME_ID, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0x80E3, NULL },
	{ "PidLidContactLinkLinkRejectHistory", PS_NAME_ID, 0, PS_PT_MV | PS_PT_BINARY, &PS_PSETID_ADDRESS, 0x80E5, NULL },
	{ "PidLidContactLinkGlobalAddressListLinkState", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_ADDRESS, 0x80E6, NULL },
	{ "PidLidContactLinkGlobalAddressListLinkId", PS_NAME_ID, 0, PS_PT_CLSID, &PS_PSETID_ADDRESS, 0x80E8, NULL },
	{ "PidNameBirthdayContactAttributionDisplayName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PSETID_ADDRESS, 0, "BirthdayContactAttributionDisplayName" },
	{ "PidNameBirthdayContactEntryId", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0, "BirthdayContactEntryId" },
	{ "PidNameBirthdayContactPersonGuid", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PSETID_ADDRESS, 0, "BirthdayContactPersonGuid" },
	{ "PidNameIsBirthdayContactWritable", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PSETID_ADDRESS, 0, "IsBirthdayContactWritable" },
	{ "PidLidClientIntent", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_CALENDARASSISTANT, 0x0015, NULL },
	{ "PidLidServerProcessed", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_CALENDARASSISTANT, 0x85CC, NULL },
	{ "PidLidServerProcessingActions", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_CALENDARASSISTANT, 0x85CD, NULL },
	{ "PidLidDayOfMonth", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x1000, NULL },
	{ "PidLidICalendarDayOfWeekMask", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x1001, NULL },
	{ "PidLidOccurrences", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x1005, NULL },
	{ "PidLidMonthOfYear", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x1006, NULL },
	{ "PidLidNoEndDateFlag", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x100B, NULL },
	{ "PidLidRecurrenceDuration", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x100D, NULL },
	{ "PidLidPromptSendUpdate", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x8045, NULL },
	{ "PidLidReminderDelta", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x8501, NULL },
	{ "PidLidReminderTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8502, NULL },
	{ "PidLidReminderSet", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x8503, NULL },
	{ "PidLidReminderTimeTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8504, NULL },
	{ "PidLidReminderTimeDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8505, NULL },
	{ "PidLidPrivate", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x8506, NULL },
	{ "PidLidAgingDontAgeMe", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x850E, NULL },
	{ "PidLidSideEffects", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x8510, NULL },
	{ "PidLidRemoteStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x8511, NULL },
	{ "PidLidSmartNoAttach", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x8514, NULL },
	{ "PidLidCommonStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8516, NULL },
	{ "PidLidCommonEnd", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8517, NULL },
	{ "PidLidTaskMode", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x8518, NULL },
	{ "PidLidTaskGlobalId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x8519, NULL },
	{ "PidLidAutoProcessState", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x851A, NULL },
	{ "PidLidReminderOverride", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x851C, NULL },
	{ "PidLidReminderType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x851D, NULL },
	{ "PidLidReminderPlaySound", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x851E, NULL },
	{ "PidLidReminderFileParameter", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x851F, NULL },
	{ "PidLidVerbStream", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x8520, NULL },
	{ "PidLidVerbResponse", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8524, NULL },
	{ "PidLidFlagRequest", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8530, NULL },
	{ "PidLidBilling", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8535, NULL },
	{ "PidLidNonSendableTo", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8536, NULL },
	{ "PidLidNonSendableCc", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8537, NULL },
	{ "PidLidNonSendableBcc", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8538, NULL },
	{ "PidLidCompanies", PS_NAME_ID, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8539, NULL },
	{ "PidLidContacts", PS_NAME_ID, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PSETID_COMMON, 0x853A, NULL },
	{ "PidLidNonSendToTrackStatus", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_COMMON, 0x8543, NULL },
	{ "PidLidNonSendCcTrackStatus", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_COMMON, 0x8544, NULL },
	{ "PidLidNonSendBccTrackStatus", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG, &PS_PSETID_COMMON, 0x8545, NULL },
	{ "PidLidCurrentVersion", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x8552, NULL },
	{ "PidLidCurrentVersionName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8554, NULL },
	{ "PidLidReminderSignalTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x8560, NULL },
	{ "PidLidInternetAccountName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8580, NULL },
	{ "PidLidInternetAccountStamp", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8581, NULL },
	{ "PidLidUseTnef", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x8582, NULL },
	{ "PidLidContactLinkSearchKey", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x8584, NULL },
	{ "PidLidContactLinkEntry", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x8585, NULL },
	{ "PidLidContactLinkName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x8586, NULL },
	{ "PidLidSpamOriginalFolder", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x859C, NULL },
	{ "PidLidToDoOrdinalDate", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x85A0, NULL },
	{ "PidLidToDoSubOrdinal", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85A1, NULL },
	{ "PidLidToDoTitle", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85A4, NULL },
	{ "PidLidInfoPathFormName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85B1, NULL },
	{ "PidLidClassified", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x85B5, NULL },
	{ "PidLidClassification", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85B6, NULL },
	{ "PidLidClassificationDescription", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85B7, NULL },
	{ "PidLidClassificationGuid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_COMMON, 0x85B8, NULL },
	{ "PidLidClassificationKeep", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_COMMON, 0x85BA, NULL },
	{ "PidLidReferenceEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x85BD, NULL },
	{ "PidLidValidFlagStringProof", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x85BF, NULL },
	{ "PidLidFlagString", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x85C0, NULL },
	{ "PidLidConversationActionMoveFolderEid", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x85C6, NULL },
	{ "PidLidConversationActionMoveStoreEid", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_COMMON, 0x85C7, NULL },
	{ "PidLidConversationActionMaxDeliveryTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x85C8, NULL },
	{ "PidLidConversationProcessed", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x85C9, NULL },
	{ "PidLidConversationActionLastAppliedTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_COMMON, 0x85CA, NULL },
	{ "PidLidConversationActionVersion", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x85CB, NULL },
	{ "PidLidPendingStateForSiteMailboxDocument", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_COMMON, 0x85E0, NULL },
	{ "PidNameExtractedAddresses", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedAddresses" },
	{ "PidNameExtractedContacts", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedContacts" },
	{ "PidNameExtractedEmails", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedEmails" },
	{ "PidNameExtractedMeetings", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedMeetings" },
	{ "PidNameExtractedPhones", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedPhones" },
	{ "PidNameExtractedTasks", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedTasks" },
	{ "PidNameExtractedUrls", PS_NAME_STRING, 0, PS_PT_UNICODE, &psetid_xml_extracted_entities, 0, "XmlExtractedUrls" },
	{ "PidLidLogType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_LOG, 0x8700, NULL },
	{ "PidLidLogStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_LOG, 0x8706, NULL },
	{ "PidLidLogDuration", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_LOG, 0x8707, NULL },
	{ "PidLidLogEnd", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_LOG, 0x8708, NULL },
	{ "PidLidLogFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_LOG, 0x870C, NULL },
	{ "PidLidLogDocumentPrinted", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_LOG, 0x870E, NULL },
	{ "PidLidLogDocumentSaved", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_LOG, 0x870F, NULL },
	{ "PidLidLogDocumentRouted", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_LOG, 0x8710, NULL },
	{ "PidLidLogDocumentPosted", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_LOG, 0x8711, NULL },
	{ "PidLidLogTypeDesc", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_LOG, 0x8712, NULL },
	{ "PidLidNoteColor", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_NOTE, 0x8B00, NULL },
	{ "PidLidNoteWidth", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_NOTE, 0x8B02, NULL },
	{ "PidLidNoteHeight", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_NOTE, 0x8B03, NULL },
	{ "PidLidNoteX", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_NOTE, 0x8B04, NULL },
	{ "PidLidNoteY", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_NOTE, 0x8B05, NULL },
	{ "PidNameApplicationName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "AppName" },
	{ "PidNameAuthor", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Author" },
	{ "PidNameByteCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "ByteCount" },
	{ "PidNameCategory", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Category" },
	{ "PidNameCharacterCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "CharCount" },
	{ "PidNameComments", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Comments" },
	{ "PidNameCompany", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Company" },
	{ "PidNameCreateDateTimeReadOnly", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "CreateDtmRo" },
	{ "PidNameDavId", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "DAV:id" },
	{ "PidNameDavIsCollection", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "DAV:iscollection" },
	{ "PidNameDavIsStructuredDocument", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "DAV:isstructureddocument" },
	{ "PidNameDavParentName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "DAV:parentname" },
	{ "PidNameDavUid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "DAV:uid" },
	{ "PidNameDocumentParts", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "DocParts" },
	{ "PidNameMeetingDoNotForward", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "DoNotForward" },
	{ "PidNameRightsManagementLicense", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_BINARY, &PS_PS_PUBLIC_STRINGS, 0, "DRMLicense" },
	{ "PidNameEditTime", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "EditTime" },
	{ "PidNameHeadingPairs", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PS_PUBLIC_STRINGS, 0, "HeadingPairs" },
	{ "PidNameHiddenCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "HiddenCount" },
	{ "PidNameExchangeIntendedBusyStatus", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/intendedbusystatus" },
	{ "PidNameExchangeJunkEmailMoveStamp", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/junkemailmovestamp" },
	{ "PidNameExchangeModifyExceptionStructure", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/modifyexceptionstruct" },
	{ "PidNameExchangeNoModifyExceptions", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/nomodifyexceptions" },
	{ "PidNameExchangePatternEnd", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/patternend" },
	{ "PidNameExchangePatternStart", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/patternstart" },
	{ "PidNameExchangeReminderInterval", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/exchange/reminderinterval" },
	{ "PidNamePhishingStamp", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "http://schemas.microsoft.com/outlook/phishingstamp" },
	{ "PidNameKeywords", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Keywords" },
	{ "PidNameLastAuthor", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "LastAuthor" },
	{ "PidNameLastPrinted", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "LastPrinted" },
	{ "PidNameLastSaveDateTime", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "LastSaveDtm" },
	{ "PidNameLineCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "LineCount" },
	{ "PidNameLinksDirty", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "LinksDirty" },
	{ "PidNameManager", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Manager" },
	{ "PidNameMultimediaClipCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "MMClipCount" },
	{ "PidNameNoteCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "NoteCount" },
	{ "PidNameOMSAccountGuid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "OMSAccountGuid" },
	{ "PidNameOMSMobileModel", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "OMSMobileModel" },
	{ "PidNameOMSScheduleTime", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "OMSScheduleTime" },
	{ "PidNameOMSServiceType", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "OMSServiceType" },
	{ "PidNameOMSSourceType", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "OMSSourceType" },
	{ "PidNamePageCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "PageCount" },
	{ "PidNameParagraphCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "ParCount" },
	{ "PidNamePresentationFormat", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "PresFormat" },
	{ "PidNameQuarantineOriginalSender", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "quarantine-original-sender" },
	{ "PidNameRevisionNumber", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "RevNumber" },
	{ "PidNameScale", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "Scale" },
	{ "PidNameSecurity", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "Security" },
	{ "PidNameSlideCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "SlideCount" },
	{ "PidNameSubject", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Subject" },
	{ "PidNameTemplate", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Template" },
	{ "PidNameThumbnail", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PS_PUBLIC_STRINGS, 0, "Thumbnail" },
	{ "PidNameTitle", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "Title" },
	{ "PidNameExchDatabaseSchema", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas-microsoft-com:exch-data:baseschema" },
	{ "PidNameExchDataExpectedContentClass", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas-microsoft-com:exch-data:expected-content-class" },
	{ "PidNameExchDataSchemaCollectionReference", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas-microsoft-com:exch-data:schema-collection-ref" },
	{ "PidNameCalendarAttendeeRole", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:attendeerole" },
	{ "PidNameCalendarBusystatus", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:busystatus" },
	{ "PidNameCalendarContact", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:contact" },
	{ "PidNameCalendarContactUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:contacturl" },
	{ "PidNameCalendarCreated", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:created" },
	{ "PidNameCalendarDescriptionUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:descriptionurl" },
	{ "PidNameCalendarDuration", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:duration" },
	{ "PidNameCalendarExceptionDate", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:exdate" },
	{ "PidNameCalendarExceptionRule", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:exrule" },
	{ "PidNameCalendarGeoLatitude", PS_NAME_STRING, 0, PS_PT_DOUBLE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:geolatitude" },
	{ "PidNameCalendarGeoLongitude", PS_NAME_STRING, 0, PS_PT_DOUBLE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:geolongitude" },
	{ "PidNameCalendarInstanceType", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:instancetype" },
	{ "PidNameCalendarIsOrganizer", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:isorganizer" },
	{ "PidNameCalendarLastModified", PS_NAME_STRING, 0, PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:lastmodified" },
	{ "PidNameCalendarLocationUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:locationurl" },
	{ "PidNameCalendarMeetingStatus", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:meetingstatus" },
	{ "PidNameCalendarMethod", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:method" },
	{ "PidNameCalendarProductId", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:prodid" },
	{ "PidNameICalendarRecurrenceDate", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_SYSTIME, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:rdate" },
	{ "PidNameCalendarRecurrenceIdRange", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:recurrenceidrange" },
	{ "PidNameCalendarReminderOffset", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:reminderoffset" },
	{ "PidNameCalendarResources", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:resources" },
	{ "PidNameICalendarRecurrenceRule", PS_NAME_STRING, 0, PS_PT_MV | PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:rrule" },
	{ "PidNameCalendarRsvp", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:rsvp" },
	{ "PidNameCalendarSequence", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:sequence" },
	{ "PidNameCalendarTimeZone", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:timezone" },
	{ "PidNameCalendarTimeZoneId", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:timezoneid" },
	{ "PidNameCalendarTransparent", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:transparent" },
	{ "PidNameCalendarUid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:uid" },
	{ "PidNameCalendarVersion", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:calendar:version" },
	{ "PidNameHttpmailCalendar", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:httpmail:calendar" },
	{ "PidNameHttpmailHtmlDescription", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:httpmail:htmldescription" },
	{ "PidNameHttpmailSendMessage", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_PUBLIC_STRINGS, 0, "urn:schemas:httpmail:sendmsg" },
	{ "PidNameWordCount", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PS_PUBLIC_STRINGS, 0, "WordCount" },
	{ "PidLidSharingStatus", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A00, NULL },
	{ "PidLidSharingProviderGuid", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A01, NULL },
	{ "PidLidSharingProviderName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A02, NULL },
	{ "PidLidSharingProviderUrl", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A03, NULL },
	{ "PidLidSharingRemotePath", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A04, NULL },
	{ "PidLidSharingRemoteName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A05, NULL },
	{ "PidLidSharingRemoteUid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A06, NULL },
	{ "PidLidSharingInitiatorName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A07, NULL },
	{ "PidLidSharingInitiatorSmtp", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A08, NULL },
	{ "PidLidSharingInitiatorEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A09, NULL },
	{ "PidLidSharingFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A0A, NULL },
	{ "PidLidSharingProviderExtension", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A0B, NULL },
	{ "PidLidSharingRemoteUser", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A0C, NULL },
	{ "PidLidSharingRemotePass", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A0D, NULL },
	{ "PidLidSharingLocalPath", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A0E, NULL },
	{ "PidLidSharingLocalName", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A0F, NULL },
	{ "PidLidSharingLocalUid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A10, NULL },
	{ "PidLidSharingFilter", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A13, NULL },
	{ "PidLidSharingLocalType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A14, NULL },
	{ "PidLidSharingFolderEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A15, NULL },
	{ "PidLidSharingCapabilities", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A17, NULL },
	{ "PidLidSharingFlavor", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A18, NULL },
	{ "PidLidSharingAnonymity", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A19, NULL },
	{ "PidLidSharingReciprocation", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A1A, NULL },
	{ "PidLidSharingPermissions", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A1B, NULL },
	{ "PidLidSharingInstanceGuid", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A1C, NULL },
	{ "PidLidSharingRemoteType", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A1D, NULL },
	{ "PidLidSharingParticipants", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A1E, NULL },
	{ "PidLidSharingLastSyncTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A1F, NULL },
	{ "PidLidSharingExtensionXml", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A21, NULL },
	{ "PidLidSharingRemoteLastModificationTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A22, NULL },
	{ "PidLidSharingLocalLastModificationTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A23, NULL },
	{ "PidLidSharingConfigurationUrl", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A24, NULL },
	{ "PidLidSharingStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A25, NULL },
	{ "PidLidSharingStop", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A26, NULL },
	{ "PidLidSharingResponseType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A27, NULL },
	{ "PidLidSharingResponseTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A28, NULL },
	{ "PidLidSharingOriginalMessageEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A29, NULL },
	{ "PidLidSharingSyncInterval", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A2A, NULL },
	{ "PidLidSharingDetail", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A2B, NULL },
	{ "PidLidSharingTimeToLive", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A2C, NULL },
	{ "PidLidSharingBindingEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A2D, NULL },
	{ "PidLidSharingIndexEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A2E, NULL },
	{ "PidLidSharingRemoteComment", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A2F, NULL },
	{ "PidLidSharingWorkingHoursStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A40, NULL },
	{ "PidLidSharingWorkingHoursEnd", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A41, NULL },
	{ "PidLidSharingWorkingHoursDays", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A42, NULL },
	{ "PidLidSharingWorkingHoursTimeZone", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A43, NULL },
	{ "PidLidSharingDataRangeStart", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A44, NULL },
	{ "PidLidSharingDataRangeEnd", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A45, NULL },
	{ "PidLidSharingRangeStart", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A46, NULL },
	{ "PidLidSharingRangeEnd", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A47, NULL },
	{ "PidLidSharingRemoteStoreUid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A48, NULL },
	{ "PidLidSharingLocalStoreUid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A49, NULL },
	{ "PidLidSharingRemoteByteSize", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A4B, NULL },
	{ "PidLidSharingRemoteCrc", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A4C, NULL },
	{ "PidLidSharingLocalComment", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A4D, NULL },
	{ "PidLidSharingRoamLog", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A4E, NULL },
	{ "PidLidSharingRemoteMessageCount", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A4F, NULL },
	{ "PidLidSharingBrowseUrl", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A51, NULL },
	{ "PidLidSharingLastAutoSyncTime", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_SHARING, 0x8A55, NULL },
	{ "PidLidSharingTimeToLiveAuto", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A56, NULL },
	{ "PidLidSharingRemoteVersion", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_SHARING, 0x8A5B, NULL },
	{ "PidLidSharingParentBindingEntryId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_SHARING, 0x8A5C, NULL },
	{ "PidLidSharingSyncFlags", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_SHARING, 0x8A60, NULL },
	{ "PidLidPostRssChannelLink", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8900, NULL },
	{ "PidLidPostRssItemLink", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8901, NULL },
	{ "PidLidPostRssItemHash", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_POSTRSS, 0x8902, NULL },
	{ "PidLidPostRssItemGuid", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8903, NULL },
	{ "PidLidPostRssChannel", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8904, NULL },
	{ "PidLidPostRssItemXml", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8905, NULL },
	{ "PidLidPostRssSubscription", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_POSTRSS, 0x8906, NULL },
	{ "PidNameAttachmentMacContentType", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PSETID_ATTACHMENT, 0, "AttachmentMacContentType" },
	{ "PidNameAttachmentMacInfo", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PSETID_ATTACHMENT, 0, "AttachmentMacInfo" },
	{ "PidNameAttachmentOriginalPermissionType", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PSETID_ATTACHMENT, 0, "AttachmentOriginalPermissionType" },
	{ "PidNameAttachmentPermissionType", PS_NAME_STRING, 0, PS_PT_LONG, &PS_PSETID_ATTACHMENT, 0, "AttachmentPermissionType" },
	{ "PidNameAttachmentProviderType", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PSETID_ATTACHMENT, 0, "AttachmentProviderType" },
	{ "PidNameAcceptLanguage", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Accept-Language" },
	{ "PidNameContentBase", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Content-Base" },
	{ "PidNameContentClass", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Content-Class" },
	{ "PidNameContentType", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Content-Type" },
	{ "PidNameFrom", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "From" },
	{ "PidNameMSIPLabels", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "msip_labels" },
	{ "PidNameInternetSubject", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Subject" },
	{ "PidNameXVoiceMessageAttachmentOrder", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-AttachmentOrder" },
	{ "PidNameXCallId", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-CallID" },
	{ "PidNameXSenderTelephoneNumber", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-CallingTelephoneNumber" },
	{ "PidNameXFaxNumberOfPages", PS_NAME_STRING, 0, PS_PT_SHORT, &PS_PS_INTERNET_HEADERS, 0, "X-FaxNumberOfPages" },
	{ "PidNameXMailer", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Mailer" },
	{ "PidNameXRequireProtectedPlayOnPhone", PS_NAME_STRING, 0, PS_PT_BOOLEAN, &PS_PS_INTERNET_HEADERS, 0, "X-RequireProtectedPlayOnPhone" },
	{ "PidNameXSharingBrowseUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Browse-Url" },
	{ "PidNameXSharingCapabilities", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Capabilities" },
	{ "PidNameXSharingConfigUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Config-Url" },
	{ "PidNameXSharingExendedCaps", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Exended-Caps" },
	{ "PidNameXSharingFlavor", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Flavor" },
	{ "PidNameXSharingInstanceGuid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Instance-Guid" },
	{ "PidNameXSharingLocalType", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Local-Type" },
	{ "PidNameXSharingProviderGuid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Provider-Guid" },
	{ "PidNameXSharingProviderName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Provider-Name" },
	{ "PidNameXSharingProviderUrl", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Provider-Url" },
	{ "PidNameXSharingRemoteName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Remote-Name" },
	{ "PidNameXSharingRemotePath", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Remote-Path" },
	{ "PidNameXSharingRemoteStoreUid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Remote-Store-Uid" },
	{ "PidNameXSharingRemoteType", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Remote-Type" },
	{ "PidNameXSharingRemoteUid", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-Sharing-Remote-Uid" },
	{ "PidNameXVoiceMessageDuration", PS_NAME_STRING, 0, PS_PT_SHORT, &PS_PS_INTERNET_HEADERS, 0, "X-VoiceMessageDuration" },
	{ "PidNameXVoiceMessageSenderName", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "X-VoiceMessageSenderName" },
	{ "PidNameCrossReference", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PS_INTERNET_HEADERS, 0, "Xref" },
	{ "PidNameAutomaticSpeechRecognitionData", PS_NAME_STRING, 0, PS_PT_BINARY, &PS_PSETID_UNIFIEDMESSAGING, 0, "AsrData" },
	{ "PidNameAudioNotes", PS_NAME_STRING, 0, PS_PT_UNICODE, &PS_PSETID_UNIFIEDMESSAGING, 0, "UMAudioNotes" },
	{ "PidLidAttendeeCriticalChange", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_MEETING, 0x0001, NULL },
	{ "PidLidWhere", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0002, NULL },
	{ "PidLidGlobalObjectId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_MEETING, 0x0003, NULL },
	{ "PidLidIsSilent", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_MEETING, 0x0004, NULL },
	{ "PidLidIsRecurring", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_MEETING, 0x0005, NULL },
	{ "PidLidRequiredAttendees", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0006, NULL },
	{ "PidLidOptionalAttendees", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0007, NULL },
	{ "PidLidResourceAttendees", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0008, NULL },
	{ "PidLidDelegateMail", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_MEETING, 0x0009, NULL },
	{ "PidLidIsException", PS_NAME_ID, 0, PS_PT_BOOLEAN, &PS_PSETID_MEETING, 0x000A, NULL },
	{ "PidLidTimeZone", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x000C, NULL },
	{ "PidLidStartRecurrenceDate", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x000D, NULL },
	{ "PidLidStartRecurrenceTime", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x000E, NULL },
	{ "PidLidEndRecurrenceDate", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x000F, NULL },
	{ "PidLidEndRecurrenceTime", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x0010, NULL },
	{ "PidLidDayInterval", PS_NAME_ID, 0, PS_PT_SHORT, &PS_PSETID_MEETING, 0x0011, NULL },
	{ "PidLidWeekInterval", PS_NAME_ID, 0, PS_PT_SHORT, &PS_PSETID_MEETING, 0x0012, NULL },
	{ "PidLidMonthInterval", PS_NAME_ID, 0, PS_PT_SHORT, &PS_PSETID_MEETING, 0x0013, NULL },
	{ "PidLidYearInterval", PS_NAME_ID, 0, PS_PT_SHORT, &PS_PSETID_MEETING, 0x0014, NULL },
	{ "PidLidMonthOfYearMask", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x0017, NULL },
	{ "PidLidOldRecurrenceType", PS_NAME_ID, 0, PS_PT_SHORT, &PS_PSETID_MEETING, 0x0018, NULL },
	{ "PidLidOwnerCriticalChange", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_MEETING, 0x001A, NULL },
	{ "PidLidCalendarType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x001C, NULL },
	{ "PidLidCleanGlobalObjectId", PS_NAME_ID, 0, PS_PT_BINARY, &PS_PSETID_MEETING, 0x0023, NULL },
	{ "PidLidAppointmentMessageClass", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0024, NULL },
	{ "PidLidMeetingType", PS_NAME_ID, 0, PS_PT_LONG, &PS_PSETID_MEETING, 0x0026, NULL },
	{ "PidLidOldLocation", PS_NAME_ID, 0, PS_PT_UNICODE, &PS_PSETID_MEETING, 0x0028, NULL },
	{ "PidLidOldWhenStartWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_MEETING, 0x0029, NULL },
	{ "PidLidOldWhenEndWhole", PS_NAME_ID, 0, PS_PT_SYSTIME, &PS_PSETID_MEETING, 0x002A, NULL },
};

/*
 * Every entry of both tables, by name with ASCII case ignored: generated
 * from the tables above by src/core/propnames-index.sh (the Makefile puts
 * it in $(BUILD)/gen), so a property is added to its table alone.
 */
static const ps_propname_def *const by_name[] = {
#include "propnames_by_name.inc"
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* strcmp ignoring ASCII case (MAPI compares names this way; no locale). */
static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = ascii_lower((unsigned char)*a);
		int cb = ascii_lower((unsigned char)*b);

		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			return 0;
	}
}

/* Order of the named table: set GUID (stored bytes), kind, number or string. */
static int named_cmp(const ps_guid *guid, int kind, uint32_t lid, const char *string,
		     const ps_propname_def *def)
{
	int c = memcmp(guid->bytes, def->guid->bytes, sizeof(guid->bytes));

	if (c != 0)
		return c;
	if (kind != def->kind)
		return kind < def->kind ? -1 : 1;
	if (kind == PS_NAME_ID)
		return lid < def->lid ? -1 : lid > def->lid ? 1 : 0;
	return ascii_casecmp(string, def->string);
}

const ps_propname_def *ps_propname_by_id(uint16_t id)
{
	size_t lo = 0, hi = COUNT(tagged);

	/* The first entry whose id is not less than @p id. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tagged[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < COUNT(tagged) && tagged[lo].id == id ? &tagged[lo] : NULL;
}

const ps_propname_def *ps_propname_by_name_ref(const ps_prop_name *named_prop)
{
	size_t lo = 0, hi = COUNT(named);

	if (!named_prop || (named_prop->kind != PS_NAME_ID && named_prop->kind != PS_NAME_STRING))
		return NULL;
	if (named_prop->kind == PS_NAME_STRING && !named_prop->name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = named_cmp(&named_prop->guid, named_prop->kind, named_prop->lid,
				  named_prop->name, &named[mid]);

		if (c == 0)
			return &named[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const ps_propname_def *ps_propname_lookup(const char *name)
{
	size_t lo = 0, hi = COUNT(by_name);

	if (!name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ascii_casecmp(name, by_name[mid]->name);

		if (c == 0)
			return by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *ps_propset_guid_name(const ps_guid *guid)
{
	size_t i;

	if (!guid)
		return NULL;
	for (i = 0; i < COUNT(propsets); i++)
		if (memcmp(guid->bytes, propsets[i].guid->bytes, sizeof(guid->bytes)) == 0)
			return propsets[i].name;
	return NULL;
}

/* Order in which the text form shows the stored bytes (Data1-3 are little endian). */
static const unsigned char guid_text_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
};

void ps_guid_format(const ps_guid *guid, char buf[39])
{
	static const char hex[] = "0123456789ABCDEF";
	char *p = buf;
	int i;

	*p++ = '{';
	for (i = 0; i < 16; i++) {
		uint8_t b = guid->bytes[guid_text_order[i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b >> 4];
		*p++ = hex[b & 0x0F];
	}
	*p++ = '}';
	*p = '\0';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int ps_guid_parse(ps_guid *guid, const char *text)
{
	ps_guid out;
	const char *p = text;
	size_t len;
	int i;

	if (!guid || !text)
		return ps_error_set(PS_EINVAL, "no GUID given");
	len = strlen(text);
	if (len == 38 && text[0] == '{' && text[37] == '}')
		p = text + 1;
	else if (len != 36)
		goto bad;
	for (i = 0; i < 16; i++) {
		int hi, lo;

		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (*p != '-')
				goto bad;
			p++;
		}
		hi = hex_value((unsigned char)p[0]);
		lo = hex_value((unsigned char)p[1]);
		if (hi < 0 || lo < 0)
			goto bad;
		out.bytes[guid_text_order[i]] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	*guid = out;
	return PS_OK;
bad:
	return ps_error_set(PS_EINVAL, "not a GUID: '%.64s' (expected "
			    "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx})", text);
}

const char *ps_proptype_name(uint16_t type)
{
	switch (type) {
	case PS_PT_UNSPECIFIED: return "PtypUnspecified";
	case PS_PT_NULL: return "PtypNull";
	case PS_PT_SHORT: return "PtypInteger16";
	case PS_PT_LONG: return "PtypInteger32";
	case PS_PT_FLOAT: return "PtypFloating32";
	case PS_PT_DOUBLE: return "PtypFloating64";
	case PS_PT_CURRENCY: return "PtypCurrency";
	case PS_PT_APPTIME: return "PtypFloatingTime";
	case PS_PT_ERROR: return "PtypErrorCode";
	case PS_PT_BOOLEAN: return "PtypBoolean";
	case PS_PT_OBJECT: return "PtypObject";
	case PS_PT_LONGLONG: return "PtypInteger64";
	case PS_PT_STRING8: return "PtypString8";
	case PS_PT_UNICODE: return "PtypString";
	case PS_PT_SYSTIME: return "PtypTime";
	case PS_PT_CLSID: return "PtypGuid";
	case PS_PT_SVREID: return "PtypServerId";
	case PS_PT_SRESTRICT: return "PtypRestriction";
	case PS_PT_ACTIONS: return "PtypRuleAction";
	case PS_PT_BINARY: return "PtypBinary";
	case PS_PT_MV | PS_PT_SHORT: return "PtypMultipleInteger16";
	case PS_PT_MV | PS_PT_LONG: return "PtypMultipleInteger32";
	case PS_PT_MV | PS_PT_FLOAT: return "PtypMultipleFloating32";
	case PS_PT_MV | PS_PT_DOUBLE: return "PtypMultipleFloating64";
	case PS_PT_MV | PS_PT_CURRENCY: return "PtypMultipleCurrency";
	case PS_PT_MV | PS_PT_APPTIME: return "PtypMultipleFloatingTime";
	case PS_PT_MV | PS_PT_LONGLONG: return "PtypMultipleInteger64";
	case PS_PT_MV | PS_PT_STRING8: return "PtypMultipleString8";
	case PS_PT_MV | PS_PT_UNICODE: return "PtypMultipleString";
	case PS_PT_MV | PS_PT_SYSTIME: return "PtypMultipleTime";
	case PS_PT_MV | PS_PT_CLSID: return "PtypMultipleGuid";
	case PS_PT_MV | PS_PT_BINARY: return "PtypMultipleBinary";
	default: return NULL;
	}
}

const ps_propname_def *ps_propname__tagged(size_t *count)
{
	*count = COUNT(tagged);
	return tagged;
}

const ps_propname_def *ps_propname__named(size_t *count)
{
	*count = COUNT(named);
	return named;
}

const ps_propname_def *const *ps_propname__by_name(size_t *count)
{
	*count = COUNT(by_name);
	return by_name;
}
