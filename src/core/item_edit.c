/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Building and changing items the way Outlook does (include/pstsync/item_edit.h):
 * setting properties by canonical name, the subject with its prefix and
 * normalized form, the change key and predecessor change list of a changed
 * item, and the properties Outlook gives a new contact, appointment, task or
 * note. The command line's `add` and `set` and the generator of test stores
 * (src/core/generate.c) share it, so that both write items alike.
 */
#include "pstsync/item_edit.h"

#include "core/utf.h"
#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Tags set the way Outlook does when an item changes. */
#define TAG_SUBJECT            PS_PROP_TAG(0x0037, PS_PT_UNICODE)
#define TAG_NORMALIZED_SUBJECT PS_PROP_TAG(0x0E1D, PS_PT_UNICODE)
#define TAG_SUBJECT_PREFIX     PS_PROP_TAG(0x003D, PS_PT_UNICODE)
#define TAG_LAST_MODIFIED      PS_PROP_TAG(0x3008, PS_PT_SYSTIME)
#define TAG_CHANGE_KEY         PS_PROP_TAG(0x65E2, PS_PT_BINARY)
#define TAG_PREDECESSORS       PS_PROP_TAG(0x65E3, PS_PT_BINARY)
#define PROP_ID_SUBJECT        0x0037

static int same_name(const ps_prop_name *n, const ps_propname_def *def)
{
	if (n->kind != def->kind || memcmp(n->guid.bytes, def->guid->bytes, 16) != 0)
		return 0;
	if (n->kind == PS_NAME_ID)
		return n->lid == def->lid;
	return n->name && def->string && strcmp(n->name, def->string) == 0;
}

/* The property @p def names in @p set, or NULL. */
ps_prop *ps_propset_find_def(ps_propset *set, const ps_propname_def *def)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		ps_prop *p = &set->props[i];
		if (def->kind == PS_NAME_NONE) {
			if (p->named.kind == PS_NAME_NONE && PS_PROP_ID(p->tag) == def->id)
				return p;
		} else if (p->named.kind != PS_NAME_NONE && same_name(&p->named, def)) {
			return p;
		}
	}
	return NULL;
}

/* A new property with @p tag at the end of @p set (no value yet), or NULL. */
static ps_prop *add_prop(ps_propset *set, uint32_t tag)
{
	ps_prop *grown = realloc(set->props, (set->count + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	set->props = grown;
	memset(&set->props[set->count], 0, sizeof(ps_prop));
	set->props[set->count].tag = tag;
	return &set->props[set->count++];
}

/* Give @p p the value @p data (taken over) and the type @p type. */
static void give_value(ps_prop *p, uint16_t type, uint8_t *data, size_t size)
{
	free(p->data);
	p->data = data;
	p->size = size;
	p->tag = PS_PROP_TAG(PS_PROP_ID(p->tag), type);
}

/* Set the value of @p def in @p set (made when absent); takes @p data over. */
int ps_propset_put(ps_propset *set, const ps_propname_def *def, uint16_t type, uint8_t *data,
	size_t size)
{
	ps_prop *p = ps_propset_find_def(set, def);

	if (!p && def->kind == PS_NAME_NONE) {
		p = add_prop(set, PS_PROP_TAG(def->id, type));
	} else if (!p) {
		/* a named property gets a free id here; the store maps it by its name */
		uint16_t id = 0x8000;
		size_t i;
		for (i = 0; i < set->count; i++)
			if (PS_PROP_ID(set->props[i].tag) >= id && PS_PROP_ID(set->props[i].tag) < 0xFFFE)
				id = (uint16_t)(PS_PROP_ID(set->props[i].tag) + 1);
		p = add_prop(set, PS_PROP_TAG(id, type));
		if (p) {
			p->named.kind = def->kind;
			p->named.guid = *def->guid;
			p->named.lid = def->lid;
			if (def->kind == PS_NAME_STRING) {
				p->named.name = ps__strdup(def->string);
				if (!p->named.name) {
					free(data);
					return ps_error_set(PS_ENOMEM, "out of memory");
				}
			}
		}
	}
	if (!p) {
		free(data);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	give_value(p, type, data, size);
	return PS_OK;
}

/* A tagged property by id and type, for the properties `set` keeps up to date. */
int ps_propset_put_tag(ps_propset *set, uint32_t tag, const void *value, size_t size)
{
	ps_propname_def def;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	memcpy(copy, value, size);
	memset(&def, 0, sizeof(def));
	def.kind = PS_NAME_NONE;
	def.id = PS_PROP_ID(tag);
	return ps_propset_put(set, &def, PS_PROP_TYPE(tag), copy, size);
}

/*
 * The subject prefix ("RE: ", "AW: ") as [MS-OXCMAIL] 2.2.3.2.6.1 finds it:
 * one to three characters other than colons, blanks and digits, a colon and
 * the blanks after it. Returns its length in bytes (0 for none).
 */
static size_t subject_prefix(const char *s)
{
	size_t chars = 0, i;

	for (i = 0; s[i] && s[i] != ':'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c) || c == ' ' || chars >= 3)
			return 0;
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	if (s[i] != ':' || chars == 0)
		return 0;
	for (i++; s[i] == ' '; i++)
		;
	return i;
}

/*
 * A new PidTagSubject, and the properties made from it. Outlook starts the
 * subjects it stores with U+0001 and a character that is the length of the
 * prefix plus one ("\x01\x05RE: hello", "\x01\x01hello"); the new subject
 * does so when the old one did. PidTagNormalizedSubject and
 * PidTagSubjectPrefix follow, when the item has them.
 */
int ps_item_set_subject(ps_item *item, const char *subject)
{
	const ps_prop *old = ps_propset_find_id(&item->props, PROP_ID_SUBJECT);
	int marked = old && old->size >= 2 && old->data[0] == 0x01 && old->data[1] == 0x00;
	size_t plen = subject_prefix(subject), n = 0, pchars = 0, i;
	uint8_t *u16;
	char *text;
	int rc;

	for (i = 0; i < plen; i++)
		if (((unsigned char)subject[i] & 0xC0) != 0x80)
			pchars++;
	if (marked)
		text = ps__asprintf("\x01%c%s", (char)(pchars + 1), subject);
	else
		text = ps__strdup(subject);
	if (!text)
		return ps_error_set(PS_ENOMEM, "out of memory");
	u16 = ps_utf8_to_utf16le(text, &n);
	free(text);
	if (!u16)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = ps_propset_put_tag(&item->props, TAG_SUBJECT, u16, n);
	free(u16);
	if (rc == PS_OK && ps_propset_find_id(&item->props, 0x0E1D)) {
		u16 = ps_utf8_to_utf16le(subject + plen, &n);
		rc = u16 ? ps_propset_put_tag(&item->props, TAG_NORMALIZED_SUBJECT, u16, n)
			: ps_error_set(PS_ENOMEM, "out of memory");
		free(u16);
	}
	if (rc == PS_OK && ps_propset_find_id(&item->props, 0x003D)) {
		char *prefix = ps__strndup(subject, plen);
		u16 = prefix ? ps_utf8_to_utf16le(prefix, &n) : NULL;
		rc = u16 ? ps_propset_put_tag(&item->props, TAG_SUBJECT_PREFIX, u16, n)
			: ps_error_set(PS_ENOMEM, "out of memory");
		free(prefix);
		free(u16);
	}
	return rc;
}

/*
 * What Outlook does to a changed item: the last modification time becomes
 * now, and the item gets a new change key, an XID ([MS-OXCFXICS] 2.2.2.2)
 * of 16 bytes of namespace and a 6-byte big-endian counter. The namespace is
 * the store's record key (the change was made in this store); the counter
 * is milliseconds since 1601, and above the item's last one of the same
 * namespace. The predecessor change list (made when the item has none) keeps one
 * XID per namespace ([MS-OXCFXICS] 2.2.2.3): this one replaces the old entry
 * of the store's namespace.
 */
int ps_item_mark_changed(ps_item *item, const uint8_t ns[16])
{
	const ps_prop *old = ps_propset_find(&item->props, TAG_CHANGE_KEY);
	const ps_prop *pcl = ps_propset_find(&item->props, TAG_PREDECESSORS);
	uint64_t now = ps_time_now(), counter = now / 10000;
	ps_buf list = { NULL, 0, 0, 0 };
	uint8_t v[8], xid[22], size = sizeof(xid);
	int k, rc;

	/* everything is read from the item before the first ps_propset_put_tag(),
	 * which may move its properties */
	if (old && old->size == 22 && memcmp(old->data, ns, 16) == 0) {
		uint64_t last = 0;
		for (k = 16; k < 22; k++)
			last = last << 8 | old->data[k];
		if (counter <= last)
			counter = last + 1;
	}
	memcpy(xid, ns, 16);
	for (k = 21; k >= 16; k--, counter >>= 8)
		xid[k] = (uint8_t)counter;
	{
		size_t i = 0;

		/* the old list without the store's own entry, then the new XID; an
		 * item without a list gets one (with the change key it had, from
		 * another replica), so that later versions can be told apart */
		if (!pcl && old && old->size >= 17 && old->size < 256 && memcmp(old->data, ns, 16) != 0) {
			uint8_t n = (uint8_t)old->size;
			ps_buf_add(&list, &n, 1);
			ps_buf_add(&list, old->data, old->size);
		}
		while (pcl && i < pcl->size) {
			size_t n = pcl->data[i];
			if (n == 0 || i + 1 + n > pcl->size) {
				ps_buf_add(&list, pcl->data + i, pcl->size - i);   /* keep what we do not understand */
				break;
			}
			if (!(n >= 16 && memcmp(pcl->data + i + 1, ns, 16) == 0))
				ps_buf_add(&list, pcl->data + i, 1 + n);
			i += 1 + n;
		}
		ps_buf_add(&list, &size, 1);
		ps_buf_add(&list, xid, sizeof(xid));
		if (list.failed) {
			free(list.data);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
	}
	ps__put64(v, now);
	rc = ps_propset_put_tag(&item->props, TAG_LAST_MODIFIED, v, 8);
	if (rc == PS_OK)
		rc = ps_propset_put_tag(&item->props, TAG_CHANGE_KEY, xid, sizeof(xid));
	if (rc == PS_OK)
		rc = ps_propset_put_tag(&item->props, TAG_PREDECESSORS, list.data, list.size);
	free(list.data);
	return rc;
}
/* The type a property is written with: strings always as Unicode. */
uint16_t ps_prop_write_type(uint16_t type)
{
	uint16_t base = type & (uint16_t)~PS_PT_MV;

	if (base == PS_PT_STRING8)
		return (uint16_t)((type & PS_PT_MV) | PS_PT_UNICODE);
	return type;
}
/* The class of a new item in a folder of @p container_class, as Outlook's "New" button. */
const char *ps_item_class_for_folder(const char *container_class)
{
	static const struct { const char *folder, *item; } map[] = {
		{ "IPF.Contact", "IPM.Contact" }, { "IPF.Appointment", "IPM.Appointment" },
		{ "IPF.Task", "IPM.Task" }, { "IPF.StickyNote", "IPM.StickyNote" },
		{ "IPF.Journal", "IPM.Activity" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		n = strlen(map[i].folder);
		/* "IPF.Contact" also covers "IPF.Contact.MOC.QuickContacts" and the like */
		if (strncmp(container_class, map[i].folder, n) == 0
		    && (container_class[n] == '\0' || container_class[n] == '.'))
			return map[i].item;
	}
	return "IPM.Note";
}

/* 1 when @p cls is @p base or a class derived from it ("IPM.Contact.Custom"). */
int ps_item_class_is(const char *cls, const char *base)
{
	size_t n = strlen(base);

	return strncmp(cls, base, n) == 0 && (cls[n] == '\0' || cls[n] == '.');
}

/* The property named @p name in @p item, or NULL. */
ps_prop *ps_item_prop(ps_item *item, const char *name)
{
	const ps_propname_def *def = ps_propname_lookup(name);

	return def ? ps_propset_find_def(&item->props, def) : NULL;
}

/* A string property of @p item as UTF-8 (malloc'ed), or NULL when absent or empty. */
char *ps_item_text(ps_item *item, const char *name)
{
	ps_prop *p = ps_item_prop(item, name);
	char *text = p ? ps_prop_to_utf8(p) : NULL;

	if (text && !text[0]) {
		free(text);
		return NULL;
	}
	return text;
}

/* A time property of @p item (FILETIME), or 0 when absent. */
static uint64_t time_named(ps_item *item, const char *name)
{
	ps_prop *p = ps_item_prop(item, name);
	uint64_t v = 0;
	int k;

	if (!p || p->size != 8)
		return 0;
	for (k = 7; k >= 0; k--)
		v = v << 8 | p->data[k];
	return v;
}

/* Give @p item the property @p name with raw @p data, unless it has one. */
static int default_raw(ps_item *item, const char *name, const void *data, size_t size)
{
	const ps_propname_def *def = ps_propname_lookup(name);
	uint8_t *copy;

	if (!def)
		return ps_error_set(PS_EINVAL, "no property '%s'", name);
	if (ps_propset_find_def(&item->props, def))
		return PS_OK;
	copy = malloc(size ? size : 1);
	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (size)
		memcpy(copy, data, size);
	return ps_propset_put(&item->props, def, ps_prop_write_type(def->type), copy, size);
}

/* Give @p item the string property @p name with @p text (UTF-8), unless it has one. */
static int default_text(ps_item *item, const char *name, const char *text)
{
	size_t n = 0;
	uint8_t *u16;
	int rc;

	u16 = ps_utf8_to_utf16le(text, &n);
	if (!u16)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = default_raw(item, name, u16, n);
	free(u16);
	return rc;
}

/* Give @p item the boolean property @p name, unless it has one. */
static int default_bool(ps_item *item, const char *name, int value)
{
	uint8_t v = value ? 1 : 0;

	return default_raw(item, name, &v, 1);
}

static int default_time(ps_item *item, const char *name, uint64_t filetime)
{
	uint8_t v[8];

	ps__put64(v, filetime);
	return default_raw(item, name, v, 8);
}

static int default_long(ps_item *item, const char *name, uint32_t value)
{
	uint8_t v[4];

	ps__put32(v, value);
	return default_raw(item, name, v, 4);
}

/* Words joined with single blanks, the absent ones left out (malloc'ed; "" for none). */
static char *join_words(const char *a, const char *b, const char *c)
{
	return ps__asprintf("%s%s%s%s%s", a ? a : "", a && (b || c) ? " " : "", b ? b : "",
		b && c ? " " : "", c ? c : "");
}

/*
 * What Outlook makes of a new contact's names ([MS-OXOCNTC] 2.2.1.1): the
 * display name "Given Middle Surname" (else the company, else the e-mail
 * address), the subject the same, file-as "Surname, Given Middle", and for
 * the first e-mail address its type, display names and the address-book
 * provider lists that make Outlook show it.
 */
static int contact_defaults(ps_item *item)
{
	char *given = ps_item_text(item, "PidTagGivenName");
	char *middle = ps_item_text(item, "PidTagMiddleName");
	char *surname = ps_item_text(item, "PidTagSurname");
	char *company = ps_item_text(item, "PidTagCompanyName");
	char *email = ps_item_text(item, "PidLidEmail1EmailAddress");
	char *names = join_words(given, middle, surname), *display = NULL, *file_as = NULL;
	char *forenames = join_words(given, middle, NULL), *email_name = NULL;
	int rc = PS_ENOMEM;

	if (!names || !forenames)
		goto cleanup;
	rc = default_text(item, "PidTagDisplayName", names[0] ? names : company ? company
		: email ? email : "");
	display = rc == PS_OK ? ps_item_text(item, "PidTagDisplayName") : NULL;
	if (rc == PS_OK && display)
		rc = default_text(item, "PidTagSubject", display);
	if (surname)
		file_as = forenames[0] ? ps__asprintf("%s, %s", surname, forenames) : ps__strdup(surname);
	else
		file_as = ps__strdup(display ? display : "");
	if (rc == PS_OK && !file_as)
		rc = ps_error_set(PS_ENOMEM, "out of memory");
	if (rc == PS_OK && file_as[0]) {
		rc = default_text(item, "PidLidFileUnder", file_as);
		if (rc == PS_OK)
			/* 0x8017: "Surname, Given Middle"; 0x8037: "Given Middle Surname";
			 * 0x3A16: the company; 0xFFFFFFFF: a text of its own */
			rc = default_long(item, "PidLidFileUnderId", surname && forenames[0] ? 0x8017
				: surname || forenames[0] ? 0x8037 : company ? 0x3A16 : 0xFFFFFFFFu);
	}
	if (rc == PS_OK && email) {
		static const uint8_t list[4] = { 0, 0, 0, 0 };   /* one entry: Email1 */
		email_name = display ? ps__asprintf("%s (%s)", display, email) : ps__strdup(email);
		rc = email_name ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
		if (rc == PS_OK)
			rc = default_text(item, "PidLidEmail1AddressType", "SMTP");
		if (rc == PS_OK)
			rc = default_text(item, "PidLidEmail1DisplayName", email_name);
		if (rc == PS_OK)
			rc = default_text(item, "PidLidEmail1OriginalDisplayName", email);
		if (rc == PS_OK)
			rc = default_raw(item, "PidLidAddressBookProviderEmailList", list, sizeof(list));
		if (rc == PS_OK)
			rc = default_long(item, "PidLidAddressBookProviderArrayType", 1);
	}
	if (rc == PS_OK)
		rc = default_long(item, "PidTagIconIndex", 0x200);
cleanup:
	if (rc == PS_ENOMEM && !ps_error_last()[0])
		ps_error_set(PS_ENOMEM, "out of memory");
	free(given);
	free(middle);
	free(surname);
	free(company);
	free(email);
	free(names);
	free(forenames);
	free(display);
	free(file_as);
	free(email_name);
	return rc;
}

#define FILETIME_MINUTE 600000000ULL

/*
 * A new single appointment as Outlook makes one ([MS-OXOCAL] 2.2.1): start
 * (by default the next full hour) and end (by default 30 minutes later, or
 * the duration given), the same times as common and clip times and as
 * PidTagStartDate/EndDate, the duration in minutes, busy, not recurring,
 * no reminder.
 */
static int appointment_defaults(ps_item *item)
{
	uint64_t start = time_named(item, "PidLidAppointmentStartWhole");
	uint64_t end = time_named(item, "PidLidAppointmentEndWhole");
	ps_prop *dur = ps_item_prop(item, "PidLidAppointmentDuration");
	int rc;

	if (!start) {
		uint64_t hour = 60 * FILETIME_MINUTE;
		start = (ps_time_now() / hour + 1) * hour;
	}
	if (!end)
		end = start + (uint64_t)(dur ? ps_prop_int(dur, 30) : 30) * FILETIME_MINUTE;
	if (end < start)
		return ps_error_set(PS_EINVAL, "the appointment ends before it starts");
	rc = default_time(item, "PidLidAppointmentStartWhole", start);
	if (rc == PS_OK)
		rc = default_time(item, "PidLidAppointmentEndWhole", end);
	if (rc == PS_OK)
		rc = default_long(item, "PidLidAppointmentDuration",
			(uint32_t)((end - start) / FILETIME_MINUTE));
	if (rc == PS_OK)
		rc = default_time(item, "PidLidCommonStart", start);
	if (rc == PS_OK)
		rc = default_time(item, "PidLidCommonEnd", end);
	if (rc == PS_OK)
		rc = default_time(item, "PidTagStartDate", start);
	if (rc == PS_OK)
		rc = default_time(item, "PidTagEndDate", end);
	if (rc == PS_OK)
		rc = default_time(item, "PidLidClipStart", start);
	if (rc == PS_OK)
		rc = default_time(item, "PidLidClipEnd", end);
	if (rc == PS_OK)
		rc = default_long(item, "PidLidBusyStatus", 2);
	if (rc == PS_OK)
		rc = default_bool(item, "PidLidAppointmentSubType", 0);
	if (rc == PS_OK)
		rc = default_bool(item, "PidLidRecurring", 0);
	if (rc == PS_OK)
		rc = default_long(item, "PidLidAppointmentStateFlags", 0);
	if (rc == PS_OK)
		rc = default_bool(item, "PidLidReminderSet", 0);
	if (rc == PS_OK)
		rc = default_long(item, "PidLidReminderDelta", 15);
	if (rc == PS_OK)
		rc = default_long(item, "PidTagIconIndex", 0x400);
	return rc;
}

/*
 * What Outlook sets on every new item: its class, creation and modification
 * times, a new search key, flags (read; a note is also unsent, a draft),
 * normal importance and sensitivity, the normalized subject, and a change
 * key with a predecessor change list holding it (ps_item_mark_changed()).
 */
int ps_item_defaults(ps_item *item, const char *cls, const uint8_t ns[16])
{
	uint8_t key[16];
	char *subject;
	int rc;

	rc = default_text(item, "PidTagMessageClass", cls);
	if (rc == PS_OK && ps_item_class_is(cls, "IPM.Contact"))
		rc = contact_defaults(item);
	else if (rc == PS_OK && ps_item_class_is(cls, "IPM.Appointment"))
		rc = appointment_defaults(item);
	else if (rc == PS_OK && ps_item_class_is(cls, "IPM.Task"))
		rc = default_long(item, "PidTagIconIndex", 0x500);
	if (rc == PS_OK)
		rc = default_time(item, "PidTagCreationTime", ps_time_now());
	if (rc == PS_OK)
		rc = ps_random_bytes(key, sizeof(key));
	if (rc == PS_OK)
		rc = default_raw(item, "PidTagSearchKey", key, sizeof(key));
	if (rc == PS_OK)
		rc = default_long(item, "PidTagMessageFlags", ps_item_class_is(cls, "IPM.Note") ? 0x9 : 0x1);
	if (rc == PS_OK)
		rc = default_long(item, "PidTagImportance", 1);
	if (rc == PS_OK)
		rc = default_long(item, "PidTagSensitivity", 0);
	if (rc == PS_OK)
		rc = default_long(item, "PidTagPriority", 0);
	/* the subject again, now that PidTagNormalizedSubject exists to follow it */
	subject = rc == PS_OK ? ps_item_text(item, "PidTagSubject") : NULL;
	if (subject && !ps_item_prop(item, "PidTagNormalizedSubject")) {
		rc = default_text(item, "PidTagNormalizedSubject", "");
		if (rc == PS_OK)
			rc = ps_item_set_subject(item, subject);
	}
	free(subject);
	if (rc == PS_OK)
		rc = default_raw(item, "PidTagPredecessorChangeList", "", 0);
	/* ps_item_mark_changed() sets the modification time and the change key */
	if (rc == PS_OK && !ps_item_prop(item, "PidTagChangeKey"))
		rc = ps_item_mark_changed(item, ns);
	return rc;
}


/* ---- setting by canonical name ---------------------------------------------- */

int ps_propset_set_raw(ps_propset *set, const char *name, const void *data, size_t size)
{
	const ps_propname_def *def = ps_propname_lookup(name);
	uint8_t *copy;

	if (!def)
		return ps_error_set(PS_EINVAL, "no property '%s'", name);
	copy = malloc(size ? size : 1);
	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (size)
		memcpy(copy, data, size);
	return ps_propset_put(set, def, ps_prop_write_type(def->type), copy, size);
}

int ps_propset_set_text(ps_propset *set, const char *name, const char *text)
{
	size_t n = 0;
	uint8_t *u16 = ps_utf8_to_utf16le(text, &n);
	int rc;

	if (!u16)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = ps_propset_set_raw(set, name, u16, n);
	free(u16);
	return rc;
}

int ps_propset_set_long(ps_propset *set, const char *name, uint32_t value)
{
	uint8_t v[4];

	ps__put32(v, value);
	return ps_propset_set_raw(set, name, v, 4);
}

int ps_propset_set_time(ps_propset *set, const char *name, uint64_t filetime)
{
	uint8_t v[8];

	ps__put64(v, filetime);
	return ps_propset_set_raw(set, name, v, 8);
}

int ps_propset_set_bool(ps_propset *set, const char *name, int value)
{
	uint8_t v = value ? 1 : 0;

	return ps_propset_set_raw(set, name, &v, 1);
}
