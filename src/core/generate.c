/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The generator of realistic stores (include/pstsync/generate.h). Each item
 * is built from a pseudo-random stream seeded by (seed, index) alone, so an
 * item never depends on the ones before it, the clock or the store: tests
 * can rebuild any item to compare, and a benchmark's stores are the same on
 * every run. The properties are those Outlook sets ([MS-OXOCNTC],
 * [MS-OXOCAL], [MS-OXOTASK], [MS-OXOMSG]), by their canonical names; what a
 * new item of a class always gets comes from ps_item_defaults(), the same
 * code `pstsync add` uses.
 */
#include "pstsync/generate.h"

#include "core/util.h"
#include "pstsync/errors.h"
#include "pstsync/item_edit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2024-01-01T00:00:00Z as a FILETIME: the middle of the generated calendar. */
#define BASE_TIME 133485408000000000ULL
#define FT_MINUTE 600000000ULL
#define FT_DAY (1440 * FT_MINUTE)

/* ---- the pseudo-random stream ------------------------------------------- */

struct rng {
	uint64_t s;
};

/* splitmix64: tiny, fast, and good enough to make test data. */
static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(next(r) % n) : 0;
}

/* 1 with probability @p percent / 100. */
static int chance(struct rng *r, unsigned percent)
{
	return below(r, 100) < percent;
}

static void rng_init(struct rng *r, uint64_t seed, uint32_t index, uint32_t stream)
{
	r->s = seed ^ ((uint64_t)index << 20) ^ ((uint64_t)stream << 56);
	next(r);
	r->s ^= next(r);
}

#define PICK(r, list) ((list)[below((r), (uint32_t)(sizeof(list) / sizeof((list)[0])))])

static const char *const given_names[] = {
	"Anna", "Bernd", "Carla", "David", "Elena", "Frank", "Greta", "Hans", "Ines", "Jonas",
	"Katrin", "Lukas", "Maria", "Niklas", "Olga", "Peter", "Quentin", "Rosa", "Stefan",
	"Tanja", "Ulrich", "Vera", "Walter", "Xenia", "Yusuf", "Zoe", "Émile", "Søren",
	"Łukasz", "Chloé", "José", "Mia", "Noah", "Lea", "Ben", "Emma", "Paul", "Sophie"
};
static const char *const middle_names[] = { "A.", "B.", "Maria", "J.", "K.", "Louise", "T." };
static const char *const surnames[] = {
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
	"Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
	"Martin", "Bernard", "Dubois", "Rossi", "Russo", "García", "Fernández", "Smith",
	"Johnson", "Brown", "Taylor", "Nowak", "Kowalski", "Jensen", "Nielsen", "Öztürk"
};
static const char *const companies[] = {
	"Contoso GmbH", "Fabrikam AG", "Northwind Traders", "Tailspin Toys", "Litware Inc.",
	"Adventure Works", "Wide World Importers", "Proseware", "Woodgrove Bank",
	"Alpine Ski House", "Coho Winery", "Fourth Coffee", "Lucerne Publishing"
};
static const char *const titles[] = {
	"Sales Manager", "Accountant", "Engineer", "Architect", "Consultant", "Assistant",
	"Director", "Project Lead", "Purchasing", "Support"
};
static const char *const departments[] = { "Sales", "Finance", "IT", "Purchasing", "HR", "Legal" };
static const char *const streets[] = {
	"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schillerstraße",
	"Rue de la Paix", "Via Roma", "Main Street", "Church Road", "Kirchgasse"
};
static const char *const cities[][3] = {
	{ "Berlin", "BE", "Germany" }, { "München", "BY", "Germany" }, { "Köln", "NW", "Germany" },
	{ "Zürich", "ZH", "Switzerland" }, { "Wien", "W", "Austria" }, { "Paris", "IDF", "France" },
	{ "Lyon", "ARA", "France" }, { "Milano", "MI", "Italy" }, { "London", "", "United Kingdom" },
	{ "Leeds", "", "United Kingdom" }
};
static const char *const domains[] = { "example.com", "example.org", "example.net", "mail.example.de" };
static const char *const categories[] = {
	"Customer", "Supplier", "Family", "Friends", "VIP", "Holiday Cards", "Project X", "Red Category"
};
static const char *const words[] = {
	"quarterly", "report", "meeting", "budget", "review", "offer", "invoice", "delivery",
	"contract", "draft", "update", "planning", "workshop", "customer", "training", "project",
	"schedule", "status", "order", "team", "lunch", "call", "notes", "proposal", "follow-up"
};
static const char *const rooms[] = {
	"Room 1.12", "Room 2.04", "Board room", "Cafeteria", "Online", "Customer site", "Lab"
};

/* ---- building an item ------------------------------------------------------ */

/*
 * A property set being filled. Once one call fails, the rest do nothing,
 * so a builder reads as a list of properties with one check at the end.
 */
struct props {
	ps_propset *set;
	int rc;
};

static void text(struct props *p, const char *name, const char *value)
{
	if (p->rc == PS_OK)
		p->rc = ps_propset_set_text(p->set, name, value);
}

/* A formatted string property. */
static void textf(struct props *p, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 3, 4)))
#endif
	;

static void textf(struct props *p, const char *name, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	text(p, name, buf);
}

static void raw(struct props *p, const char *name, const void *data, size_t size)
{
	if (p->rc == PS_OK)
		p->rc = ps_propset_set_raw(p->set, name, data, size);
}

static void lng(struct props *p, const char *name, uint32_t value)
{
	if (p->rc == PS_OK)
		p->rc = ps_propset_set_long(p->set, name, value);
}

static void tim(struct props *p, const char *name, uint64_t filetime)
{
	if (p->rc == PS_OK)
		p->rc = ps_propset_set_time(p->set, name, filetime);
}

static void bln(struct props *p, const char *name, int value)
{
	if (p->rc == PS_OK)
		p->rc = ps_propset_set_bool(p->set, name, value);
}

static void dbl(struct props *p, const char *name, double value)
{
	uint8_t v[8];
	uint64_t bits;

	memcpy(&bits, &value, 8);
	ps__put64(v, bits);
	raw(p, name, v, 8);
}

static void put16(ps_buf *b, uint16_t v)
{
	uint8_t x[2];

	ps__put16(x, v);
	ps_buf_add(b, x, 2);
}

static void put32(ps_buf *b, uint32_t v)
{
	uint8_t x[4];

	ps__put32(x, v);
	ps_buf_add(b, x, 4);
}

/* @p s as UTF-16LE with its terminating NUL (ASCII and Latin-1 UTF-8 only). */
static void put_utf16z(ps_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		uint16_t c = *u++;
		if ((c & 0xE0) == 0xC0 && (*u & 0xC0) == 0x80)
			c = (uint16_t)(((c & 0x1F) << 6) | (*u++ & 0x3F));
		put16(b, c);
	}
	put16(b, 0);
}

static void bin(struct props *p, const char *name, ps_buf *b)
{
	if (b->failed && p->rc == PS_OK)
		p->rc = ps_error_set(PS_ENOMEM, "out of memory");
	raw(p, name, b->data, b->size);
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* A multi-valued string property in a PST's layout: count, offsets, UTF-16LE values. */
static void multi_text(struct props *p, const char *name, const char *const *values, size_t count)
{
	ps_buf b = { NULL, 0, 0, 0 }, data = { NULL, 0, 0, 0 };
	size_t k;

	put32(&b, (uint32_t)count);
	for (k = 0; k < count; k++) {
		put32(&b, (uint32_t)(4 + 4 * count + data.size));
		put_utf16z(&data, values[k]);
		data.size -= 2;   /* values carry no NUL */
	}
	if (data.size)
		ps_buf_add(&b, data.data, data.size);
	b.failed |= data.failed;
	free(data.data);
	bin(p, name, &b);
}

/* A MAPI one-off entry ID ([MS-OXCDATA] 2.2.5.1) for an SMTP address. */
static void one_off_entry_id(ps_buf *b, const char *display, const char *address)
{
	static const uint8_t head[] = {
		0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
		0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02, 0, 0, 0x01, 0x90
	};

	ps_buf_add(b, head, sizeof(head));
	put_utf16z(b, display);
	put_utf16z(b, "SMTP");
	put_utf16z(b, address);
}

/* An address from a person's names: "anna.mueller@example.com", ASCII only. */
static void make_address(char *out, size_t size, const char *given, const char *surname,
	const char *domain, unsigned n)
{
	char local[96];
	size_t k = 0;
	const char *parts[2] = { given, surname };
	int i;

	for (i = 0; i < 2; i++) {
		const unsigned char *s = (const unsigned char *)parts[i];
		if (i)
			local[k++] = '.';
		for (; *s && k < sizeof(local) - 8; s++) {
			if (*s >= 'A' && *s <= 'Z')
				local[k++] = (char)(*s - 'A' + 'a');
			else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')
				local[k++] = (char)*s;
			else if (*s >= 0xC0)
				local[k++] = 'x';   /* a letter with a diacritic, spelt plainly */
		}
	}
	local[k] = '\0';
	if (n)
		snprintf(out, size, "%s%u@%s", local, n, domain);
	else
		snprintf(out, size, "%s@%s", local, domain);
}

/* A sentence or a few of words, for subjects and notes. */
static void sentence(struct rng *r, char *out, size_t size, unsigned min_words, unsigned max_words)
{
	unsigned n = min_words + below(r, max_words - min_words + 1), k;
	size_t len = 0;

	out[0] = '\0';
	for (k = 0; k < n && len + 24 < size; k++) {
		const char *w = PICK(r, words);
		len += (size_t)snprintf(out + len, size - len, "%s%s", k ? (below(r, 9) ? " " : ". ") : "", w);
	}
	if (len)
		out[0] = (char)(out[0] >= 'a' && out[0] <= 'z' ? out[0] - 'a' + 'A' : out[0]);
}

/* Notes of a few hundred bytes to a few kilobytes. */
static void body(struct props *p, struct rng *r, unsigned max_lines)
{
	char *buf = malloc(8192), line[160];
	unsigned lines = 1 + below(r, max_lines), k;
	size_t len = 0;

	if (!buf) {
		if (p->rc == PS_OK)
			p->rc = ps_error_set(PS_ENOMEM, "out of memory");
		return;
	}
	buf[0] = '\0';
	for (k = 0; k < lines && len + sizeof(line) + 4 < 8192; k++) {
		sentence(r, line, sizeof(line), 4, 14);
		len += (size_t)snprintf(buf + len, 8192 - len, "%s.\r\n", line);
	}
	text(p, "PidTagBody", buf);
	free(buf);
}

/* A fresh zeroed attachment of @p item, or NULL. */
static ps_attachment *add_attachment(ps_item *item)
{
	ps_attachment *grown = realloc(item->attachments,
		(item->attachment_count + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	item->attachments = grown;
	memset(&grown[item->attachment_count], 0, sizeof(*grown));
	return &grown[item->attachment_count++];
}

/* A fresh empty recipient row of @p item, or NULL. */
static ps_propset *add_recipient(ps_item *item)
{
	ps_propset *grown = realloc(item->recipients, (item->recipient_count + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	item->recipients = grown;
	memset(&grown[item->recipient_count], 0, sizeof(*grown));
	return &grown[item->recipient_count++];
}

/* A recipient as Outlook stores one resolved to an SMTP address. */
static int recipient(ps_item *item, struct rng *r, uint32_t type, char *names_out, size_t size)
{
	const char *given = PICK(r, given_names), *surname = PICK(r, surnames);
	char display[128], address[160];
	ps_buf eid = { NULL, 0, 0, 0 };
	struct props p;

	p.set = add_recipient(item);
	p.rc = p.set ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	if (p.rc != PS_OK)
		return p.rc;
	snprintf(display, sizeof(display), "%s %s", given, surname);
	make_address(address, sizeof(address), given, surname, PICK(r, domains), 0);
	lng(&p, "PidTagRecipientType", type);
	text(&p, "PidTagDisplayName", display);
	text(&p, "PidTagAddressType", "SMTP");
	text(&p, "PidTagEmailAddress", address);
	text(&p, "PidTagSmtpAddress", address);
	lng(&p, "PidTagObjectType", 6);      /* MAPI_MAILUSER */
	lng(&p, "PidTagDisplayType", 0);     /* DT_MAILUSER */
	lng(&p, "PidTagRecipientFlags", 1);  /* recipSendable */
	lng(&p, "PidTagRecipientTrackStatus", 0);
	lng(&p, "PidTagRecipientOrder", (uint32_t)(item->recipient_count - 1));
	lng(&p, "PidTagRecipientResourceState", 0);
	bln(&p, "PidTagResponsibility", 1);
	bln(&p, "PidTagSendRichInfo", 0);
	text(&p, "PidTagTransmittableDisplayName", display);
	text(&p, "PidTagRecipientDisplayName", display);
	/* the search key Outlook gives a one-off: "SMTP:ADDRESS" upper case, NUL-terminated */
	{
		char key[200];
		size_t k, n = (size_t)snprintf(key, sizeof(key), "SMTP:%s", address);
		for (k = 0; k < n; k++)
			if (key[k] >= 'a' && key[k] <= 'z')
				key[k] = (char)(key[k] - 'a' + 'A');
		raw(&p, "PidTagSearchKey", key, n + 1);
	}
	one_off_entry_id(&eid, display, address);
	raw(&p, "PidTagRecipientEntryId", eid.data, eid.size);
	bin(&p, "PidTagEntryId", &eid);
	if (names_out && strlen(names_out) + strlen(display) + 3 < size) {
		if (names_out[0])
			strcat(names_out, "; ");
		strcat(names_out, display);
	}
	return p.rc;
}

/* A blob of @p size bytes starting with @p magic, the rest from the stream. */
static uint8_t *blob(struct rng *r, const uint8_t *magic, size_t magic_size, size_t size)
{
	uint8_t *b = malloc(size);
	size_t k;

	if (!b)
		return NULL;
	for (k = 0; k < size; k += 8) {
		uint64_t v = next(r);
		size_t n = size - k < 8 ? size - k : 8;
		memcpy(b + k, &v, n);
	}
	memcpy(b, magic, magic_size < size ? magic_size : size);
	return b;
}

/* A file attached by value. */
static int file_attachment(ps_item *item, struct rng *r, const char *filename, const char *ext,
	const char *mime, const uint8_t *magic, size_t magic_size, size_t size, int photo,
	uint64_t when)
{
	ps_attachment *a = add_attachment(item);
	uint8_t *data = blob(r, magic, magic_size, size);
	struct props p;

	p.rc = a && data ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	if (p.rc != PS_OK) {
		free(data);
		return p.rc;
	}
	a->kind = PS_ATTACH_BY_VALUE;
	p.set = &a->props;
	lng(&p, "PidTagAttachMethod", PS_ATTACH_BY_VALUE);
	raw(&p, "PidTagAttachDataBinary", data, size);
	free(data);
	text(&p, "PidTagAttachFilename", filename);
	text(&p, "PidTagAttachLongFilename", filename);
	text(&p, "PidTagDisplayName", filename);
	text(&p, "PidTagAttachExtension", ext);
	text(&p, "PidTagAttachMimeTag", mime);
	lng(&p, "PidTagAttachSize", (uint32_t)size + 200);
	lng(&p, "PidTagRenderingPosition", 0xFFFFFFFFu);
	tim(&p, "PidTagCreationTime", when);
	tim(&p, "PidTagLastModificationTime", when);
	if (photo) {
		bln(&p, "PidTagAttachmentContactPhoto", 1);
		bln(&p, "PidTagAttachmentHidden", 1);
	}
	return p.rc;
}

/* ---- contacts ------------------------------------------------------------- */

static int contact(ps_item *item, struct rng *r, uint64_t created)
{
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
		'I', 'H', 'D', 'R' };
	const char *given = PICK(r, given_names), *surname = PICK(r, surnames);
	const char *middle = chance(r, 15) ? PICK(r, middle_names) : NULL;
	const char *company = PICK(r, companies);
	const char *const *work = cities[below(r, 10)], *const *home = cities[below(r, 10)];
	const char *cats[3];
	unsigned emails = 1 + below(r, 3), ncats = below(r, 4), k;
	struct props p = { &item->props, PS_OK };
	char display[160], address[160], email1[160], street[96], full[512];
	uint8_t list[12];
	uint32_t array_type = 0;

	text(&p, "PidTagMessageClass", "IPM.Contact");
	text(&p, "PidTagGivenName", given);
	text(&p, "PidTagSurname", surname);
	if (middle)
		text(&p, "PidTagMiddleName", middle);
	snprintf(display, sizeof(display), "%s%s%s %s", given, middle ? " " : "", middle ? middle : "",
		surname);
	text(&p, "PidTagCompanyName", company);
	text(&p, "PidTagTitle", PICK(r, titles));
	text(&p, "PidTagDepartmentName", PICK(r, departments));
	/* Email1..3 with the display names and provider lists Outlook keeps */
	for (k = 0; k < emails; k++) {
		char name[64];
		make_address(address, sizeof(address), given, surname, PICK(r, domains), k ? k + 1 : 0);
		if (k == 0)
			snprintf(email1, sizeof(email1), "%s", address);
		snprintf(name, sizeof(name), "PidLidEmail%uEmailAddress", k + 1);
		text(&p, name, address);
		snprintf(name, sizeof(name), "PidLidEmail%uAddressType", k + 1);
		text(&p, name, "SMTP");
		snprintf(name, sizeof(name), "PidLidEmail%uDisplayName", k + 1);
		textf(&p, name, "%s (%s)", display, address);
		snprintf(name, sizeof(name), "PidLidEmail%uOriginalDisplayName", k + 1);
		text(&p, name, address);
		ps__put32(list + 4 * k, k);
		array_type |= 1u << k;
	}
	raw(&p, "PidLidAddressBookProviderEmailList", list, 4 * emails);
	lng(&p, "PidLidAddressBookProviderArrayType", array_type);
	{
		/* Email1's one-off entry, the file-as choices and the card's
		 * layout, as Outlook's contact form stores them */
		static const uint32_t file_under[] = { 0x8017, 0x8037, 0x3A16, 0x8019, 0x8018 };
		/* PSETID_Address 0x8027, which Outlook sets on every contact and
		 * [MS-OXPROPS] does not name: the bases of the Email1..3 properties */
		static const ps_propname_def email_bases = { "", PS_NAME_ID, 0, PS_PT_MV | PS_PT_LONG,
			&PS_PSETID_ADDRESS, 0x8027, NULL };
		uint8_t v[4 * 5], *bases = malloc(12);
		char initials[32] = "";
		ps_buf eid = { NULL, 0, 0, 0 };
		for (k = 0; k < 5; k++)
			ps__put32(v + 4 * k, file_under[k]);
		raw(&p, "PidLidFileUnderList", v, sizeof(v));
		for (k = 0; bases && k < 3; k++)
			ps__put32(bases + 4 * k, 0x8080 + 0x10 * k);
		if (p.rc == PS_OK)
			p.rc = bases ? ps_propset_put(&item->props, &email_bases, PS_PT_MV | PS_PT_LONG,
				bases, 12) : ps_error_set(PS_ENOMEM, "out of memory");
		else
			free(bases);
		/* "A.B." from the names' first letters (left empty for a non-ASCII one) */
		if (!((unsigned char)given[0] & 0x80) && !((unsigned char)surname[0] & 0x80))
			snprintf(initials, sizeof(initials), "%c.%s%c.", given[0],
				middle && !((unsigned char)middle[0] & 0x80) ? (middle[1] == '.' ? middle
				: "") : "", surname[0]);
		text(&p, "PidTagInitials", initials);
		one_off_entry_id(&eid, display, email1);
		bin(&p, "PidLidEmail1OriginalEntryId", &eid);
	}
	textf(&p, "PidTagBusinessTelephoneNumber", "+49 %u %u-%u", 30 + below(r, 70),
		100000 + below(r, 900000), below(r, 100));
	if (chance(r, 60))
		textf(&p, "PidTagHomeTelephoneNumber", "+49 %u %u", 30 + below(r, 70),
			1000000 + below(r, 9000000));
	if (chance(r, 70))
		textf(&p, "PidTagMobileTelephoneNumber", "+49 15%u %u", below(r, 10),
			1000000 + below(r, 9000000));
	if (chance(r, 20))
		textf(&p, "PidTagBusinessFaxNumber", "+49 %u %u-99", 30 + below(r, 70),
			100000 + below(r, 900000));
	/* the business address, also as the mailing address (PidLidPostalAddressId 2) */
	snprintf(street, sizeof(street), "%s %u", PICK(r, streets), 1 + below(r, 120));
	text(&p, "PidLidWorkAddressStreet", street);
	text(&p, "PidLidWorkAddressCity", work[0]);
	text(&p, "PidLidWorkAddressState", work[1]);
	textf(&p, "PidLidWorkAddressPostalCode", "%05u", 1000 + below(r, 98000));
	text(&p, "PidLidWorkAddressCountry", work[2]);
	snprintf(full, sizeof(full), "%s\r\n%s %s\r\n%s", street, work[0], work[1], work[2]);
	text(&p, "PidLidWorkAddress", full);
	text(&p, "PidTagPostalAddress", full);
	text(&p, "PidTagStreetAddress", street);
	text(&p, "PidTagLocality", work[0]);
	text(&p, "PidTagCountry", work[2]);
	lng(&p, "PidLidPostalAddressId", 2);
	if (chance(r, 50)) {
		snprintf(street, sizeof(street), "%s %u", PICK(r, streets), 1 + below(r, 120));
		text(&p, "PidTagHomeAddressStreet", street);
		text(&p, "PidTagHomeAddressCity", home[0]);
		textf(&p, "PidTagHomeAddressPostalCode", "%05u", 1000 + below(r, 98000));
		text(&p, "PidTagHomeAddressCountry", home[2]);
	}
	if (chance(r, 60))
		body(&p, r, 6);
	for (k = 0; k < ncats; k++)
		cats[k] = categories[(below(r, 3) + 3 * k) % 8];
	if (ncats)
		multi_text(&p, "PidNameKeywords", cats, ncats);
	/* a photo on one contact in five: Outlook's hidden ContactPicture.jpg */
	if (p.rc == PS_OK && chance(r, 20)) {
		p.rc = file_attachment(item, r, "ContactPicture.jpg", ".jpg", "image/png", png,
			sizeof(png), 1500 + below(r, 3000), 1, created);
		bln(&p, "PidLidHasPicture", 1);
	}
	return p.rc;
}

/* ---- appointments --------------------------------------------------------- */

/* Days since 1601-01-01 of @p filetime, and its weekday (0 Sunday; 1601-01-01 was a Monday). */
static uint32_t ft_day(uint64_t filetime)
{
	return (uint32_t)(filetime / FT_DAY);
}

static uint32_t weekday(uint32_t day)
{
	return (day + 1) % 7;
}

/*
 * PidLidAppointmentRecur for a weekly series of @p count occurrences on the
 * weekday of @p start ([MS-OXOCAL] 2.2.1.44), times in UTC as the series'
 * time zone. With @p exception_at > 0 that occurrence is moved an hour later
 * (a modified instance: deleted at its original date, added at its new one).
 */
static void weekly_recurrence(ps_buf *b, uint64_t start, uint32_t minutes, uint32_t count,
	uint32_t exception_at)
{
	uint32_t day = ft_day(start), dow = weekday(day);
	uint32_t start_date = day * 1440, end_date = start_date + (count - 1) * 10080;
	uint32_t offset = (uint32_t)((start / FT_MINUTE) % 1440);
	uint32_t week_start = start_date - dow * 1440;   /* FirstDOW: Sunday */
	uint32_t orig = start_date + exception_at * 10080;

	put16(b, 0x3004);               /* ReaderVersion */
	put16(b, 0x3004);               /* WriterVersion */
	put16(b, 0x200B);               /* RecurFrequency: weekly */
	put16(b, 0x0001);               /* PatternType: week */
	put16(b, 0);                    /* CalendarType: Gregorian */
	put32(b, week_start % 10080);   /* FirstDateTime */
	put32(b, 1);                    /* Period: every week */
	put32(b, 0);                    /* SlidingFlag */
	put32(b, 1u << dow);            /* PatternTypeSpecific: the weekday */
	put32(b, 0x2022);               /* EndType: after OccurrenceCount */
	put32(b, count);
	put32(b, 0);                    /* FirstDOW */
	put32(b, exception_at ? 1 : 0); /* DeletedInstanceCount, then the dates */
	if (exception_at)
		put32(b, orig);
	put32(b, exception_at ? 1 : 0); /* ModifiedInstanceCount, then the dates */
	if (exception_at)
		put32(b, orig);
	put32(b, start_date);
	put32(b, end_date);
	put32(b, 0x3006);               /* ReaderVersion2 */
	put32(b, 0x3009);               /* WriterVersion2 */
	put32(b, offset);               /* StartTimeOffset */
	put32(b, offset + minutes);     /* EndTimeOffset */
	put16(b, exception_at ? 1 : 0); /* ExceptionCount */
	if (exception_at) {
		put32(b, orig + offset + 60);            /* StartDateTime */
		put32(b, orig + offset + 60 + minutes);  /* EndDateTime */
		put32(b, orig + offset);                 /* OriginalStartDate */
		put16(b, 0);                             /* OverrideFlags: times only */
	}
	put32(b, 0);                    /* ReservedBlock1Size */
	if (exception_at) {
		put32(b, 4);                /* ChangeHighlightSize */
		put32(b, 1);                /* ChangeHighlightValue: BIT_CH_START */
		put32(b, 0);                /* ReservedBlockEE1Size */
	}
	put32(b, 0);                    /* ReservedBlock2Size */
}

/* The exception object of a moved occurrence, as an embedded message. */
static int exception_attachment(ps_item *item, const char *subject, uint64_t orig_start,
	uint32_t minutes, uint64_t created)
{
	uint64_t start = orig_start + 60 * FT_MINUTE, end = start + minutes * FT_MINUTE;
	ps_attachment *a = add_attachment(item);
	ps_item *msg = a ? calloc(1, sizeof(*msg)) : NULL;
	struct props p;

	p.rc = msg ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
	if (p.rc != PS_OK)
		return p.rc;
	a->kind = PS_ATTACH_EMBEDDED;
	a->embedded = msg;
	p.set = &a->props;
	lng(&p, "PidTagAttachMethod", PS_ATTACH_EMBEDDED);
	text(&p, "PidTagDisplayName", subject);
	tim(&p, "PidTagExceptionStartTime", start);
	tim(&p, "PidTagExceptionEndTime", end);
	tim(&p, "PidTagExceptionReplaceTime", orig_start);
	lng(&p, "PidTagAttachmentFlags", 2);       /* afException */
	bln(&p, "PidTagAttachmentHidden", 1);
	lng(&p, "PidTagRenderingPosition", 0xFFFFFFFFu);
	tim(&p, "PidTagCreationTime", created);
	tim(&p, "PidTagLastModificationTime", created);
	p.set = &msg->props;
	text(&p, "PidTagMessageClass", "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	text(&p, "PidTagSubject", subject);
	tim(&p, "PidLidAppointmentStartWhole", start);
	tim(&p, "PidLidAppointmentEndWhole", end);
	tim(&p, "PidTagStartDate", start);
	tim(&p, "PidTagEndDate", end);
	tim(&p, "PidLidExceptionReplaceTime", orig_start);
	lng(&p, "PidLidAppointmentDuration", minutes);
	lng(&p, "PidLidBusyStatus", 2);
	bln(&p, "PidLidReminderSet", 0);
	lng(&p, "PidTagMessageFlags", 1);
	tim(&p, "PidTagCreationTime", created);
	tim(&p, "PidTagLastModificationTime", created);
	return p.rc;
}

/*
 * A TZDEFINITION of UTC ([MS-OXOCAL] 2.2.1.41): the generated calendar's
 * times are in UTC, and Outlook stores the zone the start and end are shown in.
 */
static void utc_zone(struct props *p, const char *name)
{
	ps_buf b = { NULL, 0, 0, 0 };
	static const char key[] = "UTC";
	size_t k;

	ps_buf_add(&b, "\x02\x01", 2);           /* major, minor version */
	put16(&b, (uint16_t)(6 + 2 * (sizeof(key) - 1)));   /* cbHeader */
	put16(&b, 0x0002);                       /* reserved */
	put16(&b, (uint16_t)(sizeof(key) - 1));
	for (k = 0; k < sizeof(key) - 1; k++)
		put16(&b, (uint16_t)key[k]);
	put16(&b, 1);                            /* one rule */
	ps_buf_add(&b, "\x02\x01", 2);
	put16(&b, 0x003E);                       /* reserved */
	put16(&b, 0x0002);                       /* TZRULE_FLAG_EFFECTIVE_TZREG */
	put16(&b, 1601);                         /* the rule holds from the start */
	for (k = 0; k < 14 + 12 + 32; k++)      /* X, three biases of 0, two empty dates */
		ps_buf_add(&b, "", 1);
	bin(p, name, &b);
}

static int appointment(ps_item *item, struct rng *r, uint64_t created, int *recurring,
	int *exception)
{
	static const uint32_t durations[] = { 30, 30, 60, 60, 60, 90, 120 };
	struct props p = { &item->props, PS_OK };
	uint32_t minutes = PICK(r, durations), attendees = chance(r, 35) ? 1 + below(r, 5) : 0, k;
	uint64_t start = BASE_TIME + (uint64_t)below(r, 730) * FT_DAY - 365 * FT_DAY
		+ (uint64_t)(7 * 60 + 30 * below(r, 20)) * FT_MINUTE;
	uint64_t end = start + minutes * FT_MINUTE;
	char subject[160], names[1024] = "";

	*recurring = chance(r, 20);
	*exception = *recurring && chance(r, 30);
	sentence(r, subject, sizeof(subject), 2, 6);
	text(&p, "PidTagMessageClass", "IPM.Appointment");
	text(&p, "PidTagSubject", subject);
	text(&p, "PidLidLocation", PICK(r, rooms));
	utc_zone(&p, "PidLidAppointmentTimeZoneDefinitionStartDisplay");
	utc_zone(&p, "PidLidAppointmentTimeZoneDefinitionEndDisplay");
	tim(&p, "PidLidAppointmentStartWhole", start);
	tim(&p, "PidLidAppointmentEndWhole", end);
	lng(&p, "PidLidAppointmentDuration", minutes);
	if (chance(r, 70)) {
		/* a reminder 15 minutes before, as Outlook's default */
		bln(&p, "PidLidReminderSet", 1);
		lng(&p, "PidLidReminderDelta", 15);
		tim(&p, "PidLidReminderTime", start);
		tim(&p, "PidLidReminderSignalTime", start - 15 * FT_MINUTE);
	}
	if (chance(r, 50))
		body(&p, r, 4);
	if (*recurring) {
		uint32_t count = 10 + below(r, 43);
		uint32_t exception_at = *exception ? 1 + below(r, count - 1) : 0;
		ps_buf rec = { NULL, 0, 0, 0 };
		static const char *const days[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
			"Thursday", "Friday", "Saturday" };
		uint32_t offset = (uint32_t)((start / FT_MINUTE) % 1440);

		weekly_recurrence(&rec, start, minutes, count, exception_at);
		bin(&p, "PidLidAppointmentRecur", &rec);
		bln(&p, "PidLidRecurring", 1);
		bln(&p, "PidLidIsRecurring", 1);
		lng(&p, "PidLidRecurrenceType", 2);    /* weekly */
		textf(&p, "PidLidRecurrencePattern", "every %s from %02u:%02u to %02u:%02u",
			days[weekday(ft_day(start))], offset / 60, offset % 60,
			(offset + minutes) / 60 % 24, (offset + minutes) % 60);
		tim(&p, "PidLidClipStart", (uint64_t)ft_day(start) * FT_DAY);
		tim(&p, "PidLidClipEnd", (uint64_t)(ft_day(start) + 7 * (count - 1)) * FT_DAY);
		text(&p, "PidLidTimeZoneDescription", "(UTC) Coordinated Universal Time");
		if (p.rc == PS_OK && exception_at)
			p.rc = exception_attachment(item, subject, start + (uint64_t)exception_at * 7 * FT_DAY,
				minutes, created);
	}
	if (attendees) {
		/* a meeting: the organizer's own copy, attendees as recipients */
		lng(&p, "PidLidAppointmentStateFlags", 1);
		lng(&p, "PidLidResponseStatus", 1);     /* organizer */
		for (k = 0; k < attendees && p.rc == PS_OK; k++)
			p.rc = recipient(item, r, k < 3 ? 1 : 2, names, sizeof(names));
		text(&p, "PidLidToAttendeesString", names);
		text(&p, "PidTagDisplayTo", names);
	}
	return p.rc;
}

/* ---- tasks and mail ------------------------------------------------------- */

static int task(ps_item *item, struct rng *r)
{
	struct props p = { &item->props, PS_OK };
	uint64_t start = BASE_TIME + (uint64_t)below(r, 365) * FT_DAY - 180 * FT_DAY;
	uint32_t status = below(r, 3);   /* not started, in progress, complete */
	char subject[160];

	sentence(r, subject, sizeof(subject), 2, 6);
	text(&p, "PidTagMessageClass", "IPM.Task");
	text(&p, "PidTagSubject", subject);
	tim(&p, "PidLidTaskStartDate", start);
	tim(&p, "PidLidTaskDueDate", start + (1 + below(r, 30)) * FT_DAY);
	tim(&p, "PidLidCommonStart", start);
	tim(&p, "PidLidCommonEnd", start + 7 * FT_DAY);
	lng(&p, "PidLidTaskStatus", status);
	dbl(&p, "PidLidPercentComplete", status == 2 ? 1.0 : status == 1 ? 0.25 * (1 + below(r, 3)) : 0.0);
	bln(&p, "PidLidTaskComplete", status == 2);
	if (status == 2)
		tim(&p, "PidLidTaskDateCompleted", start + 2 * FT_DAY);
	lng(&p, "PidLidTaskState", 1);         /* tdsNOM: not assigned */
	lng(&p, "PidLidTaskOwnership", 0);
	lng(&p, "PidLidTaskAcceptanceState", 0);
	bln(&p, "PidLidTaskFCreator", 1);
	bln(&p, "PidLidTaskFRecurring", 0);
	text(&p, "PidLidToDoTitle", subject);
	if (chance(r, 40)) {
		bln(&p, "PidLidReminderSet", 1);
		tim(&p, "PidLidReminderTime", start + 9 * 60 * FT_MINUTE);
		tim(&p, "PidLidReminderSignalTime", start + 9 * 60 * FT_MINUTE);
	} else {
		bln(&p, "PidLidReminderSet", 0);
	}
	if (chance(r, 50))
		body(&p, r, 5);
	return p.rc;
}

static int mail(ps_item *item, struct rng *r, uint64_t created, uint32_t index)
{
	static const uint8_t pdf[] = { '%', 'P', 'D', 'F', '-', '1', '.', '7', '\n' };
	static const uint8_t zip[] = { 'P', 'K', 3, 4 };
	const char *given = PICK(r, given_names), *surname = PICK(r, surnames);
	struct props p = { &item->props, PS_OK };
	uint32_t to = 1 + below(r, 3), cc = chance(r, 30) ? 1 + below(r, 2) : 0, k;
	int attach = chance(r, 30);
	char subject[160], sender[128], address[160], names[1024] = "", cc_names[1024] = "";
	ps_buf eid = { NULL, 0, 0, 0 };

	sentence(r, subject, sizeof(subject), 2, 8);
	snprintf(sender, sizeof(sender), "%s %s", given, surname);
	make_address(address, sizeof(address), given, surname, PICK(r, domains), 0);
	text(&p, "PidTagMessageClass", "IPM.Note");
	if (chance(r, 30)) {
		text(&p, "PidTagSubjectPrefix", "RE: ");
		text(&p, "PidTagNormalizedSubject", subject);
		textf(&p, "PidTagSubject", "RE: %s", subject);
	} else {
		text(&p, "PidTagSubject", subject);
	}
	text(&p, "PidTagSenderName", sender);
	text(&p, "PidTagSenderAddressType", "SMTP");
	text(&p, "PidTagSenderEmailAddress", address);
	text(&p, "PidTagSenderSmtpAddress", address);
	text(&p, "PidTagSentRepresentingName", sender);
	text(&p, "PidTagSentRepresentingAddressType", "SMTP");
	text(&p, "PidTagSentRepresentingEmailAddress", address);
	text(&p, "PidTagSentRepresentingSmtpAddress", address);
	one_off_entry_id(&eid, sender, address);
	bin(&p, "PidTagSenderEntryId", &eid);
	tim(&p, "PidTagClientSubmitTime", created - 2 * FT_MINUTE);
	tim(&p, "PidTagMessageDeliveryTime", created);
	textf(&p, "PidTagInternetMessageId", "<%08x.%u@%s>", (uint32_t)next(r), index,
		PICK(r, domains));
	body(&p, r, 30);
	for (k = 0; k < to && p.rc == PS_OK; k++)
		p.rc = recipient(item, r, 1, names, sizeof(names));
	for (k = 0; k < cc && p.rc == PS_OK; k++)
		p.rc = recipient(item, r, 2, cc_names, sizeof(cc_names));
	text(&p, "PidTagDisplayTo", names);
	text(&p, "PidTagDisplayCc", cc_names);
	if (attach && p.rc == PS_OK) {
		if (chance(r, 50))
			p.rc = file_attachment(item, r, "report.pdf", ".pdf", "application/pdf", pdf,
				sizeof(pdf), 2000 + below(r, 30000), 0, created);
		else
			p.rc = file_attachment(item, r, "files.zip", ".zip", "application/zip", zip,
				sizeof(zip), 1000 + below(r, 20000), 0, created);
	}
	bln(&p, "PidTagHasAttachments", attach);
	lng(&p, "PidTagMessageFlags", 0x1 | (attach ? 0x10 : 0));   /* read; has attachments */
	return p.rc;
}

/* ---- what Outlook sets on every item of a class ---------------------------- */

/*
 * The properties every Outlook-made item of a class carries in the samples
 * (ones Outlook sets whatever the user typed), with Outlook's values. Each
 * is given only when the item has none yet. C contacts, A appointments,
 * T tasks, M mail.
 */
#define GC (1u << PS_GENERATE_CONTACT)
#define GA (1u << PS_GENERATE_APPOINTMENT)
#define GT (1u << PS_GENERATE_TASK)
#define GM (1u << PS_GENERATE_MAIL)
enum vkind { V_BOOL, V_LONG, V_TEXT, V_CREATED, V_ZERO_DOUBLE };
static const struct outlook_default {
	const char *name;
	unsigned kinds;
	enum vkind kind;
	uint32_t value;
	const char *text;
} outlook_defaults[] = {
	{ "PidTagAlternateRecipientAllowed", GC | GA | GT | GM, V_BOOL, 1, NULL },
	{ "PidTagOriginatorDeliveryReportRequested", GC | GA | GT | GM, V_BOOL, 0, NULL },
	{ "PidTagReadReceiptRequested", GC | GA | GT | GM, V_BOOL, 0, NULL },
	{ "PidTagDeleteAfterSubmit", GC | GA | GT | GM, V_BOOL, 0, NULL },
	{ "PidTagClientSubmitTime", GC | GA | GT | GM, V_CREATED, 0, NULL },
	{ "PidTagMessageDeliveryTime", GC | GA | GT | GM, V_CREATED, 0, NULL },
	{ "PidTagMessageLocaleId", GC | GA | GT | GM, V_LONG, 1033, NULL },
	{ "PidTagInternetCodepage", GA | GT | GM, V_LONG, 28591, NULL },
	{ "PidLidSideEffects", GC, V_LONG, 0x10, NULL },
	{ "PidLidSideEffects", GA, V_LONG, 0x171, NULL },
	{ "PidLidSideEffects", GT, V_LONG, 0x111, NULL },
	{ "PidLidCurrentVersion", GC | GA | GT, V_LONG, 154420, NULL },
	{ "PidLidCurrentVersionName", GC | GA | GT, V_TEXT, 0, "15.0" },
	{ "PidLidPrivate", GC | GA | GT, V_BOOL, 0, NULL },
	{ "PidLidAgingDontAgeMe", GC | GA | GT, V_BOOL, 0, NULL },
	{ "PidLidTaskMode", GC | GA | GT, V_LONG, 0, NULL },
	{ "PidLidReminderSet", GC, V_BOOL, 0, NULL },
	{ "PidLidReminderDelta", GC | GT, V_LONG, 0, NULL },
	{ "PidLidValidFlagStringProof", GC | GA | GT, V_CREATED, 0, NULL },
	/* contacts: the empty fields of Outlook's contact form, and the task
	 * properties Outlook gives every contact (for "flag for follow-up") */
	{ "PidTagAccount", GC, V_TEXT, 0, "" },
	{ "PidTagGeneration", GC, V_TEXT, 0, "" },
	{ "PidTagKeyword", GC, V_TEXT, 0, "" },
	{ "PidTagLanguage", GC, V_TEXT, 0, "" },
	{ "PidTagLocation", GC, V_TEXT, 0, "" },
	{ "PidTagStateOrProvince", GC, V_TEXT, 0, "" },
	{ "PidTagDisplayNamePrefix", GC, V_TEXT, 0, "" },
	{ "PidTagSendInternetEncoding", GC, V_LONG, 0, NULL },
	{ "PidLidContactCharacterSet", GC, V_LONG, 0x100, NULL },
	{ "PidLidInstantMessagingAddress", GC, V_TEXT, 0, "" },
	{ "PidLidReferredBy", GC, V_TEXT, 0, "" },
	{ "PidLidDepartment", GC, V_TEXT, 0, "" },
	{ "PidLidAddressCountryCode", GC, V_TEXT, 0, "" },
	{ "PidLidAutoLog", GC, V_BOOL, 0, NULL },
	{ "PidLidFax1AddressType", GC, V_TEXT, 0, "FAX" },
	{ "PidLidFax1EmailAddress", GC, V_TEXT, 0, "" },
	{ "PidLidFax1OriginalDisplayName", GC, V_TEXT, 0, "" },
	{ "PidLidFax2AddressType", GC, V_TEXT, 0, "FAX" },
	{ "PidLidFax2EmailAddress", GC, V_TEXT, 0, "" },
	{ "PidLidFax2OriginalDisplayName", GC, V_TEXT, 0, "" },
	{ "PidLidFax3AddressType", GC, V_TEXT, 0, "FAX" },
	{ "PidLidFax3EmailAddress", GC, V_TEXT, 0, "" },
	{ "PidLidFax3OriginalDisplayName", GC, V_TEXT, 0, "" },
	{ "PidLidTaskStatus", GC, V_LONG, 0, NULL },
	{ "PidLidPercentComplete", GC, V_ZERO_DOUBLE, 0, NULL },
	{ "PidLidTaskState", GC, V_LONG, 1, NULL },
	{ "PidLidTaskComplete", GC, V_BOOL, 0, NULL },
	{ "PidLidTaskOrdinal", GC | GT, V_LONG, 0x7FFFFFFF, NULL },
	{ "PidLidTaskActualEffort", GC | GT, V_LONG, 0, NULL },
	{ "PidLidTaskEstimatedEffort", GC | GT, V_LONG, 0, NULL },
	{ "PidLidTaskNoCompute", GC | GT, V_BOOL, 0, NULL },
	{ "PidLidTaskFFixOffline", GC | GT, V_BOOL, 0, NULL },
	{ "PidLidTaskOwnership", GC, V_LONG, 0, NULL },
	{ "PidLidTaskAcceptanceState", GC, V_LONG, 0, NULL },
	{ "PidLidTaskRole", GC | GT, V_TEXT, 0, "" },
	{ "PidLidTaskVersion", GC | GT, V_LONG, 1, NULL },
	{ "PidLidTaskAssigner", GC | GT, V_TEXT, 0, "" },
	{ "PidLidTeamTask", GC | GT, V_BOOL, 0, NULL },
	{ "PidLidTaskFRecurring", GC, V_BOOL, 0, NULL },
	/* appointments: Outlook's meeting fields, empty or off on an appointment */
	{ "PidTagResponseRequested", GA, V_BOOL, 1, NULL },
	{ "PidTagReplyRequested", GA, V_BOOL, 1, NULL },
	{ "PidLidSmartNoAttach", GA, V_BOOL, 1, NULL },
	{ "PidLidAppointmentColor", GA, V_LONG, 0, NULL },
	{ "PidLidFInvited", GA, V_BOOL, 0, NULL },
	{ "PidLidConferencingType", GA, V_LONG, 0, NULL },
	{ "PidLidOrganizerAlias", GA, V_TEXT, 0, "" },
	{ "PidLidDirectory", GA, V_TEXT, 0, "" },
	{ "PidLidCollaborateDoc", GA, V_TEXT, 0, "" },
	{ "PidLidNetShowUrl", GA, V_TEXT, 0, "" },
	{ "PidLidAppointmentAuxiliaryFlags", GA, V_LONG, 0, NULL },
	{ "PidLidResponseStatus", GA, V_LONG, 0, NULL },
	{ "PidLidIntendedBusyStatus", GA, V_LONG, 0xFFFFFFFFu, NULL },
	{ "PidLidAppointmentCounterProposal", GA, V_BOOL, 0, NULL },
	{ "PidLidAppointmentProposalNumber", GA, V_LONG, 0, NULL },
	{ "PidLidAppointmentNotAllowPropose", GA, V_BOOL, 0, NULL },
	{ "PidLidAppointmentProposedDuration", GA, V_LONG, 0, NULL },
	{ "PidLidFExceptionalAttendees", GA, V_BOOL, 0, NULL },
	{ "PidLidOnlinePassword", GA, V_TEXT, 0, "" },
	{ "PidLidAppointmentSequence", GA, V_LONG, 0, NULL },
	{ "PidLidTimeZoneDescription", GA, V_TEXT, 0, "(UTC) Coordinated Universal Time" },
	{ "PidLidRecurrenceType", GA, V_LONG, 0, NULL },
	/* mail: the account it came in by, the store owner's */
	{ "PidLidInternetAccountName", GM, V_TEXT, 0, "owner@example.com" },
	{ "PidLidInternetAccountStamp", GM, V_TEXT, 0, "00000002\x01owner@example.com" },
	/* tasks: [MS-OXOTASK] 2.2, as Outlook's task form leaves them */
	{ "PidLidTaskLastUpdate", GT, V_CREATED, 0, NULL },
	{ "PidLidTaskStatusOnComplete", GT, V_BOOL, 0, NULL },
	{ "PidLidTaskUpdates", GT, V_BOOL, 0, NULL },
	{ "PidLidTaskHistory", GT, V_LONG, 0, NULL },
	{ "PidLidTaskLastUser", GT, V_TEXT, 0, "" },
	{ "PidLidTaskLastDelegate", GT, V_TEXT, 0, "" },
	{ "PidLidTaskOwner", GT, V_TEXT, 0, "" },
};

/* Outlook's sender of an item nobody sent: a one-off entry of "Unknown". */
static void unknown_sender(struct props *p)
{
	static const uint8_t head[] = {
		0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
		0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02, 0, 0, 0, 0
	};
	static const char tail[] = "Unknown\0UNKNOWN\0Unknown";   /* ANSI: flags 0 */
	static const char key[] = "UNKNOWN:UNKNOWN";
	uint8_t eid[sizeof(head) + sizeof(tail)];

	memcpy(eid, head, sizeof(head));
	memcpy(eid + sizeof(head), tail, sizeof(tail));
	raw(p, "PidTagSenderEntryId", eid, sizeof(eid));
	raw(p, "PidTagSentRepresentingEntryId", eid, sizeof(eid));
	raw(p, "PidTagSenderSearchKey", key, sizeof(key));
	raw(p, "PidTagSentRepresentingSearchKey", key, sizeof(key));
	text(p, "PidTagSenderName", "Unknown");
	text(p, "PidTagSenderAddressType", "UNKNOWN");
	text(p, "PidTagSenderEmailAddress", "Unknown");
	text(p, "PidTagSentRepresentingName", "Unknown");
	text(p, "PidTagSentRepresentingAddressType", "UNKNOWN");
	text(p, "PidTagSentRepresentingEmailAddress", "Unknown");
}

/*
 * PidLidGlobalObjectId of a new appointment ([MS-OXOCAL] 2.2.1.27): the
 * class id, no instance date, the creation time, and 16 bytes of its own.
 */
static void global_object_id(struct props *p, struct rng *r, uint64_t created)
{
	static const uint8_t class_id[16] = { 0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
		0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08 };
	uint8_t g[56];
	uint64_t a = next(r), b = next(r);

	memset(g, 0, sizeof(g));
	memcpy(g, class_id, 16);
	ps__put64(g + 20, created);
	ps__put32(g + 36, 16);
	memcpy(g + 40, &a, 8);
	memcpy(g + 48, &b, 8);
	raw(p, "PidLidGlobalObjectId", g, sizeof(g));
	raw(p, "PidLidCleanGlobalObjectId", g, sizeof(g));
}

/* PidTagConversationIndex of a conversation's first item ([MS-OXOMSG] 2.2.1.3). */
static void conversation_index(struct props *p, struct rng *r, uint64_t created)
{
	uint8_t x[22];
	uint64_t a = next(r), b = next(r);
	int k;

	x[0] = 0x01;
	for (k = 0; k < 5; k++)
		x[1 + k] = (uint8_t)(created >> (56 - 8 * k));
	memcpy(x + 6, &a, 8);
	memcpy(x + 14, &b, 8);
	raw(p, "PidTagConversationIndex", x, sizeof(x));
}

static int outlook_common(ps_item *item, struct rng *r, ps_generate_kind kind, uint64_t created)
{
	struct props p = { &item->props, PS_OK };
	unsigned bit = 1u << kind;
	char *topic;
	size_t i;

	for (i = 0; i < sizeof(outlook_defaults) / sizeof(outlook_defaults[0]); i++) {
		const struct outlook_default *d = &outlook_defaults[i];
		if (!(d->kinds & bit) || ps_item_prop(item, d->name))
			continue;
		switch (d->kind) {
		case V_BOOL: bln(&p, d->name, (int)d->value); break;
		case V_LONG: lng(&p, d->name, d->value); break;
		case V_TEXT: text(&p, d->name, d->text); break;
		case V_CREATED: tim(&p, d->name, created); break;
		case V_ZERO_DOUBLE: dbl(&p, d->name, 0.0); break;
		}
	}
	if (!ps_item_prop(item, "PidTagSenderName"))
		unknown_sender(&p);
	if (kind == PS_GENERATE_APPOINTMENT && !ps_item_prop(item, "PidLidGlobalObjectId"))
		global_object_id(&p, r, created);
	conversation_index(&p, r, created);
	topic = p.rc == PS_OK ? ps_item_text(item, "PidTagNormalizedSubject") : NULL;
	if (!topic && p.rc == PS_OK)
		topic = ps_item_text(item, "PidTagSubject");
	if (!topic && p.rc == PS_OK)
		topic = ps_item_text(item, "PidTagDisplayName");
	if (topic)
		text(&p, "PidTagConversationTopic", topic);
	free(topic);
	return p.rc;
}

/* ---- items ----------------------------------------------------------------- */

static const char *const kind_class[PS_GENERATE_KINDS] = {
	"IPM.Contact", "IPM.Appointment", "IPM.Task", "IPM.Note"
};

ps_generate_kind ps_generate_kind_of(uint32_t index)
{
	/* 40% contacts, 30% appointments, 10% tasks, 20% mail, interleaved */
	static const ps_generate_kind mix[10] = {
		PS_GENERATE_CONTACT, PS_GENERATE_APPOINTMENT, PS_GENERATE_MAIL, PS_GENERATE_CONTACT,
		PS_GENERATE_APPOINTMENT, PS_GENERATE_TASK, PS_GENERATE_CONTACT, PS_GENERATE_APPOINTMENT,
		PS_GENERATE_MAIL, PS_GENERATE_CONTACT
	};

	return mix[index % 10];
}

/* What item @p index of @p kind said about itself, for the statistics. */
struct item_notes {
	int recurring, exception;
};

static int build(ps_item **out, ps_generate_kind kind, uint64_t seed, uint32_t index,
	struct item_notes *notes)
{
	struct rng r;
	ps_item *item = calloc(1, sizeof(*item));
	uint8_t ns[16], key[16], xid[22], pcl[23];
	uint64_t created, counter;
	struct props p;
	int k;

	*out = NULL;
	memset(notes, 0, sizeof(*notes));
	if (!item)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rng_init(&r, seed, index, (uint32_t)kind);
	/* created over the two years before BASE_TIME, in index order */
	created = BASE_TIME - 730 * FT_DAY + (uint64_t)index * 37 * FT_MINUTE % (730 * FT_DAY)
		+ below(&r, 60) * FT_MINUTE;
	switch (kind) {
	case PS_GENERATE_CONTACT:
		p.rc = contact(item, &r, created);
		break;
	case PS_GENERATE_APPOINTMENT:
		p.rc = appointment(item, &r, created, &notes->recurring, &notes->exception);
		break;
	case PS_GENERATE_TASK:
		p.rc = task(item, &r);
		break;
	default:
		p.rc = mail(item, &r, created, index);
		break;
	}
	/* what would otherwise come from the clock and the random source: the
	 * search key, and a change key in a namespace of the seed's own */
	p.set = &item->props;
	for (k = 0; k < 16; k += 8) {
		uint64_t a = next(&r);
		memcpy(key + k, &a, 8);
	}
	raw(&p, "PidTagSearchKey", key, 16);
	tim(&p, "PidTagCreationTime", created);
	tim(&p, "PidTagLastModificationTime", created);
	memcpy(ns, "pstsync-gen", 11);
	for (k = 11; k < 16; k++)
		ns[k] = (uint8_t)(seed >> (8 * (k - 11)));
	memcpy(xid, ns, 16);
	for (k = 21, counter = created / 10000; k >= 16; k--, counter >>= 8)
		xid[k] = (uint8_t)counter;
	raw(&p, "PidTagChangeKey", xid, sizeof(xid));
	pcl[0] = sizeof(xid);
	memcpy(pcl + 1, xid, sizeof(xid));
	raw(&p, "PidTagPredecessorChangeList", pcl, sizeof(pcl));
	if (p.rc == PS_OK)
		p.rc = ps_item_defaults(item, kind_class[kind], ns);
	if (p.rc == PS_OK)
		p.rc = outlook_common(item, &r, kind, created);
	if (p.rc != PS_OK) {
		ps_item_free(item);
		return p.rc;
	}
	*out = item;
	return PS_OK;
}

int ps_generate_item(ps_item **out, ps_generate_kind kind, uint64_t seed, uint32_t index)
{
	struct item_notes notes;

	if ((unsigned)kind >= PS_GENERATE_KINDS)
		return ps_error_set(PS_EINVAL, "no kind of item %d", (int)kind);
	return build(out, kind, seed, index, &notes);
}

void ps_generate_options_init(ps_generate_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->seed = 1;
}

/* ---- stores ----------------------------------------------------------------- */

/* The folders items go to: per kind, the folders that take it. */
struct targets {
	uint32_t *nids[PS_GENERATE_KINDS];
	size_t count[PS_GENERATE_KINDS];
};

struct class_find {
	const char *path;
	uint32_t nid;
	char cls[64];
	int found;
};

static int class_cb(const ps_folder_info *f, void *ctx)
{
	struct class_find *c = ctx;

	if (strcmp(f->path, c->path) != 0)
		return 0;
	c->nid = f->nid;
	snprintf(c->cls, sizeof(c->cls), "%s", f->container_class);
	c->found = 1;
	return 1;
}

static ps_generate_kind kind_of_folder(const char *cls)
{
	const char *item_cls = ps_item_class_for_folder(cls);
	int k;

	for (k = 0; k < PS_GENERATE_KINDS; k++)
		if (strcmp(item_cls, kind_class[k]) == 0)
			return (ps_generate_kind)k;
	return PS_GENERATE_MAIL;
}

static int find_targets(ps_store *store, const ps_generate_options *opt, struct targets *t)
{
	static const char *const defaults[] = { "/Contacts", "/Calendar", "/Tasks", "/Inbox" };
	const char *const *paths = opt->folders ? opt->folders : defaults;
	size_t n = opt->folders ? opt->folder_count : 4, i;
	int rc = PS_OK, k;

	for (k = 0; k < PS_GENERATE_KINDS; k++) {
		t->nids[k] = calloc(n ? n : 1, sizeof(uint32_t));
		if (!t->nids[k])
			return ps_error_set(PS_ENOMEM, "out of memory");
	}
	for (i = 0; i < n && rc == PS_OK; i++) {
		struct class_find c;
		ps_generate_kind kind;

		memset(&c, 0, sizeof(c));
		c.path = paths[i];
		rc = ps_store_walk_folders(store, class_cb, &c);
		if (rc < 0)
			break;
		rc = PS_OK;
		if (!c.found) {
			const char *name = strrchr(paths[i], '/');
			uint32_t root;
			name = name ? name + 1 : paths[i];
			if (strchr(paths[i] + (paths[i][0] == '/'), '/'))
				return ps_error_set(PS_ENOTFOUND, "no folder '%s' in '%s' (only folders at the "
					"top are made)", paths[i], ps_store_path(store));
			rc = ps_store_find_folder(store, "/", &root);
			if (rc == PS_OK)
				rc = ps_store_create_folder(store, root, name, "IPF.Note", &c.nid);
			snprintf(c.cls, sizeof(c.cls), "IPF.Note");
		}
		kind = kind_of_folder(c.cls);
		t->nids[kind][t->count[kind]++] = c.nid;
	}
	return rc;
}

static void targets_clear(struct targets *t)
{
	int k;

	for (k = 0; k < PS_GENERATE_KINDS; k++)
		free(t->nids[k]);
	memset(t, 0, sizeof(*t));
}

int ps_generate_store(ps_store *store, const ps_generate_options *opt, ps_generate_stats *stats)
{
	unsigned batch = opt->batch ? opt->batch : PS_GENERATE_BATCH_DEFAULT, in_batch = 0;
	ps_generate_stats st;
	struct targets t;
	uint32_t index = opt->first_index, done = 0;
	int rc, in_tx = 0, any = 0, k;

	memset(&st, 0, sizeof(st));
	memset(&t, 0, sizeof(t));
	rc = find_targets(store, opt, &t);
	for (k = 0; k < PS_GENERATE_KINDS; k++)
		any |= t.count[k] != 0;
	if (rc == PS_OK && !any && opt->items)
		rc = ps_error_set(PS_EINVAL, "no folder to generate items in");
	while (rc == PS_OK && done < opt->items) {
		ps_generate_kind kind = ps_generate_kind_of(index);
		struct item_notes notes;
		ps_item *item = NULL;
		uint32_t folder;

		if (!t.count[kind]) {
			index++;
			continue;
		}
		folder = t.nids[kind][(index / 10) % t.count[kind]];
		if (!in_tx) {
			rc = ps_store_begin(store);
			if (rc != PS_OK)
				break;
			in_tx = 1;
		}
		rc = build(&item, kind, opt->seed, index, &notes);
		if (rc == PS_OK)
			rc = ps_store_put_item(store, folder, item, 0, NULL);
		if (rc == PS_OK) {
			st.items[kind]++;
			st.recipients += (uint32_t)item->recipient_count;
			st.attachments += (uint32_t)item->attachment_count;
			st.recurring += (uint32_t)notes.recurring;
			st.exceptions += (uint32_t)notes.exception;
		}
		ps_item_free(item);
		index++;
		done++;
		if (rc == PS_OK && (++in_batch == batch || done == opt->items)) {
			in_tx = 0;
			in_batch = 0;
			rc = ps_store_commit(store);
			if (rc == PS_OK && opt->progress)
				opt->progress(opt->ctx, done, opt->items);
		}
	}
	if (in_tx)
		ps_store_abort(store);
	targets_clear(&t);
	if (stats)
		*stats = st;
	return rc;
}

/* ---- changes between syncs --------------------------------------------------- */

struct pick {
	uint64_t seed;
	unsigned per_mille;
	uint32_t *nids;
	uint32_t *folders;
	size_t count, cap;
	uint32_t folder;
};

static int pick_item_cb(const ps_item_summary *it, void *ctx)
{
	struct pick *p = ctx;
	struct rng r;

	rng_init(&r, p->seed, it->nid, 0x7F);
	if (below(&r, 1000) >= p->per_mille)
		return 0;
	if (p->count == p->cap) {
		size_t cap = p->cap * 2 + 64;
		uint32_t *n = realloc(p->nids, cap * sizeof(*n)), *f;
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		p->nids = n;
		f = realloc(p->folders, cap * sizeof(*f));
		if (!f)
			return ps_error_set(PS_ENOMEM, "out of memory");
		p->folders = f;
		p->cap = cap;
	}
	p->nids[p->count] = it->nid;
	p->folders[p->count++] = p->folder;
	return 0;
}

/* The folders below the top that hold items (listed after the walk, not inside it). */
struct folder_list {
	uint32_t *nids;
	size_t count, cap;
};

static int folder_list_cb(const ps_folder_info *f, void *ctx)
{
	struct folder_list *l = ctx;

	if (f->depth == 0 || f->item_count == 0)
		return 0;
	if (l->count == l->cap) {
		size_t cap = l->cap * 2 + 16;
		uint32_t *n = realloc(l->nids, cap * sizeof(*n));
		if (!n)
			return ps_error_set(PS_ENOMEM, "out of memory");
		l->nids = n;
		l->cap = cap;
	}
	l->nids[l->count++] = f->nid;
	return 0;
}

/* Edit @p item as a user would: a line added to the notes, and one field of its kind. */
static int edit(ps_item *item, uint64_t seed, const uint8_t ns[16])
{
	char *old = ps_item_text(item, "PidTagBody"), *cls = ps_item_text(item, "PidTagMessageClass");
	char *notes = ps__asprintf("%sEdited (round %llu).\r\n", old ? old : "",
		(unsigned long long)seed);
	struct props p = { &item->props, PS_OK };

	if (!notes)
		p.rc = ps_error_set(PS_ENOMEM, "out of memory");
	text(&p, "PidTagBody", notes ? notes : "");
	if (cls && ps_item_class_is(cls, "IPM.Contact"))
		textf(&p, "PidTagMobileTelephoneNumber", "+49 160 %07llu",
			(unsigned long long)(seed % 10000000));
	else if (cls && ps_item_class_is(cls, "IPM.Appointment"))
		textf(&p, "PidLidLocation", "Room %llu", (unsigned long long)(seed % 1000));
	if (p.rc == PS_OK)
		p.rc = ps_item_mark_changed(item, ns);
	free(old);
	free(cls);
	free(notes);
	return p.rc;
}

int ps_generate_change(ps_store *store, uint64_t seed, unsigned per_mille,
	ps_generate_change_kind kind, uint32_t *changed)
{
	struct folder_list folders = { NULL, 0, 0 };
	struct pick pick;
	ps_store_info info;
	size_t i;
	int rc, in_tx = 0;

	memset(&pick, 0, sizeof(pick));
	memset(&info, 0, sizeof(info));
	pick.seed = seed;
	pick.per_mille = per_mille;
	if (changed)
		*changed = 0;
	rc = ps_store_get_info(store, &info);
	if (rc == PS_OK)
		rc = ps_store_walk_folders(store, folder_list_cb, &folders);
	for (i = 0; rc >= 0 && i < folders.count; i++) {
		pick.folder = folders.nids[i];
		rc = ps_store_list_items(store, folders.nids[i], pick_item_cb, &pick);
	}
	if (rc > 0)
		rc = PS_OK;
	/* the whole list is made before the first change, so no item is seen twice */
	for (i = 0; rc == PS_OK && i < pick.count; i++) {
		if (!in_tx) {
			rc = ps_store_begin(store);
			if (rc != PS_OK)
				break;
			in_tx = 1;
		}
		if (kind == PS_GENERATE_DELETE) {
			rc = ps_store_delete_item(store, pick.nids[i]);
		} else {
			ps_item *item = NULL;
			rc = ps_store_read_item(store, pick.nids[i], &item);
			if (rc == PS_OK)
				rc = edit(item, seed, info.has_record_key ? info.record_key
					: (const uint8_t *)"pstsync change!!");
			if (rc == PS_OK)
				rc = ps_store_put_item(store, pick.folders[i], item, pick.nids[i], NULL);
			ps_item_free(item);
		}
		if (rc == PS_OK && changed)
			(*changed)++;
		if (rc == PS_OK && ((i + 1) % PS_GENERATE_BATCH_DEFAULT == 0 || i + 1 == pick.count)) {
			in_tx = 0;
			rc = ps_store_commit(store);
		}
	}
	if (in_tx)
		ps_store_abort(store);
	ps_store_info_clear(&info);
	free(folders.nids);
	free(pick.nids);
	free(pick.folders);
	return rc;
}
