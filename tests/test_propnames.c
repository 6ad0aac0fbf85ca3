/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Tests of the canonical property names (src/core/propnames.c): the order of
 * its sorted tables, that every entry is found again by each kind of lookup,
 * a few facts from [MS-OXPROPS] and [MS-PST], and GUID text forms.
 */
#include <string.h>

#include "harness.h"
#include "pstsync/propnames.h"

/* Internal to propnames.c, for these tests only. */
const ps_propname_def *ps_propname__tagged(size_t *count);
const ps_propname_def *ps_propname__named(size_t *count);
const ps_propname_def *const *ps_propname__by_name(size_t *count);

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = lower((unsigned char)*a), cb = lower((unsigned char)*b);

		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

static int named_order(const ps_propname_def *a, const ps_propname_def *b)
{
	int c = memcmp(a->guid->bytes, b->guid->bytes, 16);

	if (c != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->kind == PS_NAME_ID)
		return a->lid < b->lid ? -1 : a->lid > b->lid;
	return casecmp(a->string, b->string);
}

static ps_prop_name ref_of(const ps_propname_def *def, char *buf, size_t size)
{
	ps_prop_name ref;

	memset(&ref, 0, sizeof(ref));
	ref.kind = def->kind;
	ref.guid = *def->guid;
	ref.lid = def->lid;
	if (def->kind == PS_NAME_STRING) {
		strncpy(buf, def->string, size - 1);
		buf[size - 1] = '\0';
		ref.name = buf;
	}
	return ref;
}

void test_propnames__tables_sorted(void)
{
	size_t nt, nn, nb, i;
	const ps_propname_def *tagged = ps_propname__tagged(&nt);
	const ps_propname_def *named = ps_propname__named(&nn);
	const ps_propname_def *const *by_name = ps_propname__by_name(&nb);

	CHECK(nt >= 300);
	CHECK(nn >= 200);
	CHECK_EQ_INT(nt + nn, nb);
	for (i = 0; i < nt; i++) {
		CHECKF(tagged[i].kind == PS_NAME_NONE && tagged[i].guid == NULL,
		       "%s: not a tagged entry", tagged[i].name);
		CHECKF(strncmp(tagged[i].name, "PidTag", 6) == 0, "%s", tagged[i].name);
		CHECKF(tagged[i].id < 0x8000, "%s: id 0x%04X", tagged[i].name, tagged[i].id);
		CHECKF(ps_proptype_name(tagged[i].type) != NULL, "%s: type", tagged[i].name);
		if (i > 0)
			CHECKF(tagged[i - 1].id <= tagged[i].id, "tagged table out of order at %s",
			       tagged[i].name);
	}
	for (i = 0; i < nn; i++) {
		const ps_propname_def *d = &named[i];

		CHECKF(d->guid != NULL && ps_propset_guid_name(d->guid) != NULL,
		       "%s: unknown set", d->name);
		CHECKF(ps_proptype_name(d->type) != NULL, "%s: type", d->name);
		if (d->kind == PS_NAME_ID)
			CHECKF(strncmp(d->name, "PidLid", 6) == 0 && d->string == NULL, "%s", d->name);
		else
			CHECKF(d->kind == PS_NAME_STRING && strncmp(d->name, "PidName", 7) == 0 &&
			       d->string && d->string[0], "%s", d->name);
		if (i > 0)
			CHECKF(named_order(&named[i - 1], d) < 0,
			       "named table out of order (or duplicate) at %s", d->name);
	}
	/* Strictly increasing by name: so no name appears twice in either table. */
	for (i = 0; i < nb; i++) {
		const ps_propname_def *d = by_name[i];

		CHECK((d >= tagged && d < tagged + nt) || (d >= named && d < named + nn));
		if (i > 0)
			CHECKF(casecmp(by_name[i - 1]->name, d->name) < 0,
			       "name index out of order (or duplicate) at %s", d->name);
	}
}

void test_propnames__round_trip(void)
{
	size_t nt, nn, i;
	const ps_propname_def *tagged = ps_propname__tagged(&nt);
	const ps_propname_def *named = ps_propname__named(&nn);
	char buf[256];

	for (i = 0; i < nt; i++) {
		const ps_propname_def *e = &tagged[i];
		const ps_propname_def *d = ps_propname_by_id(e->id);

		CHECKF(d != NULL && d->id == e->id, "by_id(0x%04X)", e->id);
		/* The preferred entry of an id is the first one listed. */
		CHECKF(d <= e && (d == tagged || d[-1].id != e->id), "by_id(0x%04X)", e->id);
		CHECKF(ps_propname_lookup(e->name) == e, "lookup(%s)", e->name);
	}
	for (i = 0; i < nn; i++) {
		const ps_propname_def *e = &named[i];
		ps_prop_name ref = ref_of(e, buf, sizeof(buf));

		CHECKF(ps_propname_by_name_ref(&ref) == e, "by_name_ref(%s)", e->name);
		CHECKF(ps_propname_lookup(e->name) == e, "lookup(%s)", e->name);
	}
}

void test_propnames__known_facts(void)
{
	static const uint8_t address[16] = { 0x04, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
					     0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
	const ps_propname_def *d;
	ps_prop_name ref;
	char kw[] = "KEYWORDS";

	d = ps_propname_lookup("PidTagSubject");
	CHECK(d != NULL);
	CHECK_EQ_INT(0x0037, d->id);
	CHECK_EQ_INT(PS_PT_UNICODE, d->type);
	CHECK_EQ_STR("PtypString", ps_proptype_name(d->type));
	CHECK(ps_propname_by_id(0x0037) == d);

	d = ps_propname_lookup("pidlidemail1emailaddress");
	CHECK(d != NULL);
	CHECK_EQ_STR("PidLidEmail1EmailAddress", d->name);
	CHECK_EQ_INT(PS_NAME_ID, d->kind);
	CHECK_EQ_INT(0x8083, d->lid);
	CHECK(d->guid == &PS_PSETID_ADDRESS);
	CHECK(memcmp(PS_PSETID_ADDRESS.bytes, address, 16) == 0);

	d = ps_propname_lookup("PidNameKeywords");
	CHECK(d != NULL);
	CHECK_EQ_INT(PS_NAME_STRING, d->kind);
	CHECK(d->guid == &PS_PS_PUBLIC_STRINGS);
	CHECK_EQ_STR("Keywords", d->string);
	CHECK_EQ_INT(PS_PT_MV | PS_PT_UNICODE, d->type);

	/* String names match whatever their case, as MAPI does. */
	memset(&ref, 0, sizeof(ref));
	ref.kind = PS_NAME_STRING;
	ref.guid = PS_PS_PUBLIC_STRINGS;
	ref.name = kw;
	CHECK(ps_propname_by_name_ref(&ref) == d);
	ref.guid = PS_PS_INTERNET_HEADERS;
	CHECK(ps_propname_by_name_ref(&ref) == NULL);
	ref.name = NULL;
	CHECK(ps_propname_by_name_ref(&ref) == NULL);

	memset(&ref, 0, sizeof(ref));
	ref.kind = PS_NAME_ID;
	ref.guid = PS_PSETID_APPOINTMENT;
	ref.lid = 0x820D;
	d = ps_propname_by_name_ref(&ref);
	CHECK(d != NULL);
	CHECK_EQ_STR("PidLidAppointmentStartWhole", d->name);
	CHECK_EQ_INT(PS_PT_SYSTIME, d->type);
	ref.lid = 0x7FFF;
	CHECK(ps_propname_by_name_ref(&ref) == NULL);
	ref.kind = PS_NAME_NONE;
	ref.lid = 0x820D;
	CHECK(ps_propname_by_name_ref(&ref) == NULL);
	CHECK(ps_propname_by_name_ref(NULL) == NULL);

	ref.kind = PS_NAME_ID;
	ref.guid = PS_PSETID_MEETING;
	ref.lid = 0x0003;
	CHECK_EQ_STR("PidLidGlobalObjectId", ps_propname_by_name_ref(&ref)->name);
	ref.guid = PS_PSETID_COMMON;
	ref.lid = 0x8503;
	CHECK_EQ_STR("PidLidReminderSet", ps_propname_by_name_ref(&ref)->name);

	/* [MS-PST] internal properties, and ids a PST shares between two names. */
	CHECK_EQ_STR("PidTagLtpRowId", ps_propname_by_id(0x67F2)->name);
	CHECK_EQ_STR("PidTagPstPassword", ps_propname_by_id(0x67FF)->name);
	CHECK_EQ_STR("PidTagReplItemid", ps_propname_by_id(0x0E30)->name);
	CHECK_EQ_STR("PidTagPstHiddenCount", ps_propname_by_id(0x6635)->name);
	CHECK_EQ_STR("PidTagPstBestBodyProptag", ps_propname_by_id(0x661D)->name);
	CHECK_EQ_STR("PidTagAttachDataBinary", ps_propname_by_id(0x3701)->name);
	CHECK_EQ_STR("PidTagBody", ps_propname_by_id(0x1000)->name);
	CHECK_EQ_STR("PidTagMessageDeliveryTime", ps_propname_by_id(0x0E06)->name);
	CHECK_EQ_INT(0x3701, ps_propname_lookup("PIDTAGATTACHDATAOBJECT")->id);
	CHECK_EQ_INT(PS_PT_OBJECT, ps_propname_lookup("PidTagAttachDataObject")->type);
	CHECK(ps_propname_by_id(0x0000) == NULL);
	CHECK(ps_propname_by_id(0x8083) == NULL);
	CHECK(ps_propname_lookup("PidTagNoSuchThing") == NULL);
	CHECK(ps_propname_lookup("") == NULL);
	CHECK(ps_propname_lookup(NULL) == NULL);
}

void test_propnames__guid_text(void)
{
	static const ps_guid *const sets[] = {
		&PS_PSETID_COMMON, &PS_PSETID_ADDRESS, &PS_PSETID_APPOINTMENT, &PS_PSETID_TASK,
		&PS_PSETID_LOG, &PS_PSETID_NOTE, &PS_PSETID_MEETING, &PS_PSETID_SHARING,
		&PS_PSETID_POSTRSS, &PS_PSETID_UNIFIEDMESSAGING, &PS_PSETID_AIRSYNC,
		&PS_PSETID_CALENDARASSISTANT, &PS_PSETID_ATTACHMENT, &PS_PSETID_MESSAGING,
		&PS_PS_PUBLIC_STRINGS, &PS_PS_INTERNET_HEADERS, &PS_PS_MAPI,
	};
	char buf[39];
	ps_guid g;
	size_t i, j;

	ps_guid_format(&PS_PSETID_ADDRESS, buf);
	CHECK_EQ_STR("{00062004-0000-0000-C000-000000000046}", buf);
	ps_guid_format(&PS_PSETID_MEETING, buf);
	CHECK_EQ_STR("{6ED8DA90-450B-101B-98DA-00AA003F1305}", buf);
	CHECK_EQ_STR("PSETID_Address", ps_propset_guid_name(&PS_PSETID_ADDRESS));
	CHECK_EQ_STR("PS_PUBLIC_STRINGS", ps_propset_guid_name(&PS_PS_PUBLIC_STRINGS));

	CHECK_OK(ps_guid_parse(&g, "6ed8da90-450b-101b-98da-00aa003f1305"));
	CHECK(memcmp(g.bytes, PS_PSETID_MEETING.bytes, 16) == 0);
	CHECK_OK(ps_guid_parse(&g, "{00020329-0000-0000-c000-000000000046}"));
	CHECK(memcmp(g.bytes, PS_PS_PUBLIC_STRINGS.bytes, 16) == 0);

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		ps_guid_format(sets[i], buf);
		CHECK_EQ_INT(38, strlen(buf));
		memset(&g, 0, sizeof(g));
		CHECK_OK(ps_guid_parse(&g, buf));
		CHECKF(memcmp(g.bytes, sets[i]->bytes, 16) == 0, "round trip of %s", buf);
		CHECK(ps_propset_guid_name(sets[i]) != NULL);
		for (j = 0; j < i; j++)
			CHECK(memcmp(sets[i]->bytes, sets[j]->bytes, 16) != 0);
	}

	memset(&g, 0xAB, sizeof(g));
	CHECK(ps_propset_guid_name(&g) == NULL);
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, ""));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "{00062004-0000-0000-C000-000000000046"));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "00062004-0000-0000-C000-000000000046}"));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "00062004-0000-0000-C000-00000000004G"));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "000620040-000-0000-C000-000000000046"));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "{00062004-0000-0000-C000-000000000046} "));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, "00062004000000000C000000000000046000"));
	CHECK_STATUS(PS_EINVAL, ps_guid_parse(&g, NULL));
	/* A failed parse leaves the GUID alone. */
	CHECK(memcmp(g.bytes, "\xAB\xAB\xAB\xAB", 4) == 0);
}

void test_propnames__type_names(void)
{
	CHECK_EQ_STR("PtypInteger16", ps_proptype_name(PS_PT_SHORT));
	CHECK_EQ_STR("PtypInteger32", ps_proptype_name(PS_PT_LONG));
	CHECK_EQ_STR("PtypFloating64", ps_proptype_name(PS_PT_DOUBLE));
	CHECK_EQ_STR("PtypFloatingTime", ps_proptype_name(PS_PT_APPTIME));
	CHECK_EQ_STR("PtypErrorCode", ps_proptype_name(PS_PT_ERROR));
	CHECK_EQ_STR("PtypBoolean", ps_proptype_name(PS_PT_BOOLEAN));
	CHECK_EQ_STR("PtypInteger64", ps_proptype_name(PS_PT_LONGLONG));
	CHECK_EQ_STR("PtypString8", ps_proptype_name(PS_PT_STRING8));
	CHECK_EQ_STR("PtypString", ps_proptype_name(PS_PT_UNICODE));
	CHECK_EQ_STR("PtypTime", ps_proptype_name(PS_PT_SYSTIME));
	CHECK_EQ_STR("PtypGuid", ps_proptype_name(PS_PT_CLSID));
	CHECK_EQ_STR("PtypServerId", ps_proptype_name(PS_PT_SVREID));
	CHECK_EQ_STR("PtypRestriction", ps_proptype_name(PS_PT_SRESTRICT));
	CHECK_EQ_STR("PtypRuleAction", ps_proptype_name(PS_PT_ACTIONS));
	CHECK_EQ_STR("PtypBinary", ps_proptype_name(PS_PT_BINARY));
	CHECK_EQ_STR("PtypMultipleString", ps_proptype_name(PS_PT_MV | PS_PT_UNICODE));
	CHECK_EQ_STR("PtypMultipleBinary", ps_proptype_name(PS_PT_MV | PS_PT_BINARY));
	CHECK_EQ_STR("PtypMultipleInteger32", ps_proptype_name(0x1003));
	CHECK(ps_proptype_name(0x1234) == NULL);
	CHECK(ps_proptype_name(PS_PT_MV | PS_PT_BOOLEAN) == NULL);
}
