/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Saving the settings file without losing what the user wrote in it. The
 * reader (settings.c) keeps the file as lines; saving compares the model
 * (options, profiles, links) with those lines and edits only what differs
 * (reconcile()): a changed value is rewritten in place, a new key goes
 * after its group, a removed profile takes its section's lines, and every
 * comment, blank line and order the user chose stays. Before writing, the
 * file is read again: another program that changed it since makes the
 * save fail rather than overwrite that change. The file is replaced whole
 * through the OS layer, so that a crash leaves the old or the new one.
 */
#include "pstsync/settings.h"
#include "core/settings_int.h"
#include "pstsync/errors.h"
#include "pstsync/os.h"
#include "core/utf.h"
#include "core/util.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the file as lines ------------------------------------------------- */

static void doc_delete(struct doc *d, size_t at)
{
	free(d->lines[at].text);
	memmove(d->lines + at, d->lines + at + 1, (d->count - at - 1) * sizeof(*d->lines));
	d->count--;
}

static int doc_copy(struct doc *dst, const struct doc *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->eol = src->eol;
	if (src->count == 0)
		return PS_OK;
	dst->lines = calloc(src->count, sizeof(*dst->lines));
	if (!dst->lines)
		return ps_error_set(PS_ENOMEM, "out of memory");
	dst->cap = src->count;
	for (i = 0; i < src->count; i++) {
		dst->lines[i].text = ps__strdup(src->lines[i].text);
		dst->lines[i].eol = src->lines[i].eol;
		if (!dst->lines[i].text) {
			dst->count = i;
			ps_settings__doc_free(dst);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
	}
	dst->count = src->count;
	return PS_OK;
}

/* The kind of line @p i. Lines in a doc are valid: they were read or written by us. */
static enum kind line_scan(const struct doc *d, size_t i, struct scan *sc)
{
	char why[160];

	if (ps_settings__scan_line(d->lines[i].text, sc, why, sizeof(why)) != 0)
		sc->kind = K_COMMENT; /* cannot happen; treat as something we never touch */
	return sc->kind;
}

/* If line @p i is a section header, which section; else SEC_NONE. */
static enum sec line_section(const struct doc *d, size_t i, unsigned *id)
{
	struct scan sc;

	*id = 0;
	if (line_scan(d, i, &sc) != K_SECTION)
		return SEC_NONE;
	return ps_settings__section_of(d->lines[i].text + sc.name, sc.name_len, id);
}

static long doc_find_section(const struct doc *d, enum sec sec, unsigned id)
{
	size_t i;
	unsigned n;

	for (i = 0; i < d->count; i++)
		if (line_section(d, i, &n) == sec && n == id)
			return (long)i;
	return -1;
}

/* The index of the next section header after @p header, or the line count. */
static size_t doc_section_end(const struct doc *d, size_t header)
{
	size_t i;
	struct scan sc;

	for (i = header + 1; i < d->count; i++)
		if (line_scan(d, i, &sc) == K_SECTION)
			return i;
	return d->count;
}

/* Key groups, to place a new key beside its kin. */
#define GROUP_ANY 0u              /* any key of the section */
#define GROUP_PROFILE (~0u)       /* name, local, global, enabled */
/* any other value: the keys of that link */

static int in_group(const char *key, size_t len, unsigned group)
{
	unsigned link;
	enum field f;

	if (group == GROUP_ANY)
		return 1;
	f = ps_settings__profile_field(key, len, &link);
	if (group == GROUP_PROFILE)
		return f >= F_NAME && f <= F_ENABLED;
	return f >= F_LINK_LOCAL && link == group;
}

/* The line of key @p key in the section at @p header, or -1. */
static long doc_find_key(const struct doc *d, size_t header, const char *key)
{
	size_t i, end = doc_section_end(d, header);
	struct scan sc;

	for (i = header + 1; i < end; i++)
		if (line_scan(d, i, &sc) == K_KEY && ps_settings__ci_eqn(d->lines[i].text + sc.name, sc.name_len, key))
			return (long)i;
	return -1;
}

/*
 * Where a new key of @p group goes in the section at @p header: after the
 * group's last line; for a link without lines, after the section's last
 * key; else right after the header.
 */
static size_t doc_insert_point(const struct doc *d, size_t header, unsigned group)
{
	size_t i, end = doc_section_end(d, header), last = header, last_any = header;
	struct scan sc;

	for (i = header + 1; i < end; i++) {
		if (line_scan(d, i, &sc) != K_KEY)
			continue;
		last_any = i;
		if (in_group(d->lines[i].text + sc.name, sc.name_len, group))
			last = i;
	}
	if (last == header && group != GROUP_ANY && group != GROUP_PROFILE)
		last = last_any;
	return last + 1;
}

/* Replace the value on key line @p i with @p value (decoded), keeping the rest. */
static int doc_set_value(struct doc *d, size_t i, const char *value)
{
	const char *t = d->lines[i].text;
	struct scan sc;
	char *enc, *text;
	const char *before, *after;

	line_scan(d, i, &sc);
	enc = ps_settings__encode_value(value);
	if (!enc)
		return ps_error_set(PS_ENOMEM, "out of memory");
	/* "key =value" and "value; comment" would read back otherwise */
	before = sc.value > 0 && t[sc.value - 1] == '=' ? " " : "";
	after = t[sc.value_end] == ';' || t[sc.value_end] == '#' ? " " : "";
	text = ps__asprintf("%.*s%s%s%s%s", (int)sc.value, t, before, enc, after, t + sc.value_end);
	if (text && strlen(text) > LINE_LIMIT) {
		/* a long comment beside a longer value: the setting matters more */
		free(text);
		text = ps__asprintf("%.*s = %s", (int)sc.name_len, t + sc.name, enc);
	}
	free(enc);
	if (!text)
		return ps_error_set(PS_ENOMEM, "out of memory");
	free(d->lines[i].text);
	d->lines[i].text = text;
	return PS_OK;
}

static int doc_insert_key(struct doc *d, size_t at, const char *key, const char *value, int pad)
{
	char *enc = ps_settings__encode_value(value), *text;
	int rc;

	if (!enc)
		return ps_error_set(PS_ENOMEM, "out of memory");
	text = ps__asprintf("%-*s = %s", pad, key, enc);
	free(enc);
	if (!text)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = ps_settings__doc_insert(d, at, text);
	free(text);
	return rc;
}

/* Delete lines [from, to] and then a blank line that would double another. */
static void doc_delete_range(struct doc *d, size_t from, size_t to)
{
	struct scan sc;
	size_t n = to - from + 1;

	while (n--)
		doc_delete(d, from);
	if (from < d->count && line_scan(d, from, &sc) == K_BLANK
	    && (from == 0 || line_scan(d, from - 1, &sc) == K_BLANK))
		doc_delete(d, from);
	else if (from == d->count && from > 0 && line_scan(d, from - 1, &sc) == K_BLANK)
		doc_delete(d, from - 1);
}

/*
 * Remove the section at @p header: the header, its keys and the comments
 * between them, and the comment lines right above the header (unless they
 * begin the file: those describe the file). Comments after the last key
 * stay: they lead into what follows.
 */
static void doc_remove_section(struct doc *d, size_t header)
{
	size_t end = doc_section_end(d, header), last = header, first = header, i;
	struct scan sc;

	for (i = header + 1; i < end; i++)
		if (line_scan(d, i, &sc) == K_KEY)
			last = i;
	while (first > 0 && line_scan(d, first - 1, &sc) == K_COMMENT)
		first--;
	if (first == 0)
		first = header;
	doc_delete_range(d, first, last);
}

/* ---- writing ------------------------------------------------------------ */

/* The canonical text of a value, and how to compare it with what the file says. */
enum vtype { V_TEXT, V_FOLDER, V_BOOL, V_INT, V_CONFLICTS, V_DIRECTION };

static int same_value(const char *have, const char *want, enum vtype type)
{
	int a, b;
	ps_direction da, db;
	ps_conflicts ca, cb;
	char *norm;

	switch (type) {
	case V_TEXT:
		return strcmp(have, want) == 0;
	case V_FOLDER:
		norm = ps_settings__normalize_folder(have);
		a = norm && strcmp(norm, want) == 0;
		free(norm);
		return a;
	case V_BOOL:
		return ps_settings__parse_bool(have, &a) == 0 && ps_settings__parse_bool(want, &b) == 0 && a == b;
	case V_INT:
		return ps_settings__parse_int(have, 0, 1000000000, &a) == 0 && ps_settings__parse_int(want, 0, 1000000000, &b) == 0
			&& a == b;
	case V_CONFLICTS:
		return ps_settings__parse_conflicts(have, &ca) == 0 && ps_settings__parse_conflicts(want, &cb) == 0 && ca == cb;
	default:
		return ps_settings__parse_direction(have, &da) == 0 && ps_settings__parse_direction(want, &db) == 0 && da == db;
	}
}

/*
 * Make key @p key of the section at @p header say @p want: rewrite its value
 * when it means something else, or add the key beside its @p group when it
 * is missing, unless @p skip_if_missing (the value is the default).
 */
static int ensure_key(struct doc *d, size_t header, const char *key, const char *want,
	enum vtype type, unsigned group, int skip_if_missing, int pad)
{
	long at = doc_find_key(d, header, key);
	struct scan sc;
	char *have;
	int same;

	if (at < 0) {
		if (skip_if_missing)
			return PS_OK;
		return doc_insert_key(d, doc_insert_point(d, header, group), key, want, pad);
	}
	line_scan(d, (size_t)at, &sc);
	have = ps_settings__scan_value(d->lines[at].text, &sc);
	if (!have)
		return ps_error_set(PS_ENOMEM, "out of memory");
	same = same_value(have, want, type);
	free(have);
	return same ? PS_OK : doc_set_value(d, (size_t)at, want);
}

static int ensure_blank_before(struct doc *d, size_t *at)
{
	struct scan sc;
	int rc;

	if (*at == 0 || line_scan(d, *at - 1, &sc) == K_BLANK)
		return PS_OK;
	rc = ps_settings__doc_insert(d, *at, "");
	if (rc == PS_OK)
		(*at)++;
	return rc;
}

/* Add an [options] section before the first section, and return its line. */
static int add_options_section(struct doc *d, size_t *header)
{
	size_t at = d->count, i;
	struct scan sc;
	int rc;

	for (i = 0; i < d->count; i++)
		if (line_scan(d, i, &sc) == K_SECTION) {
			at = i;
			while (at > 0 && line_scan(d, at - 1, &sc) == K_COMMENT)
				at--;
			if (at == 0) /* the file's own comment: keep it on top */
				at = i;
			break;
		}
	if (at == d->count && (rc = ensure_blank_before(d, &at)) != PS_OK)
		return rc;
	rc = ps_settings__doc_insert(d, at, "[options]");
	if (rc == PS_OK && at + 1 < d->count && line_scan(d, at + 1, &sc) != K_BLANK)
		rc = ps_settings__doc_insert(d, at + 1, "");
	*header = at;
	return rc;
}

static int reconcile_options(ps_settings *s, struct doc *d, int new_file)
{
	ps_options def;
	long h = doc_find_section(d, SEC_OPTIONS, 0);
	size_t i, header;
	char want[32], dflt[32];
	int rc = PS_OK;
	static const enum vtype vt[] = { V_BOOL, V_INT, V_CONFLICTS };

	ps_settings_options_default(&def);
	for (i = 0; i < ps_settings_option_count() && rc == PS_OK; i++) {
		int is_default;
		ps_settings__opt_format(i, ps_settings__opt_get(&s->options, i), want, sizeof(want));
		ps_settings__opt_format(i, ps_settings__opt_get(&def, i), dflt, sizeof(dflt));
		is_default = strcmp(want, dflt) == 0;
		if (h < 0) {
			if (is_default && !new_file)
				continue;
			rc = add_options_section(d, &header);
			if (rc != PS_OK)
				break;
			h = (long)header;
		}
		rc = ensure_key(d, (size_t)h, ps_settings__opt(i)->key, want, vt[ps_settings__opt(i)->type], GROUP_ANY,
			is_default && !new_file, OPTION_KEY_WIDTH);
	}
	return rc;
}

static int write_link_keys(struct doc *d, size_t header, const ps_link *l, int new_link)
{
	char key[40];
	int rc;

	snprintf(key, sizeof(key), "link%u.local", l->id);
	rc = ensure_key(d, header, key, l->local, V_FOLDER, l->id, 0, 0);
	snprintf(key, sizeof(key), "link%u.global", l->id);
	if (rc == PS_OK)
		rc = ensure_key(d, header, key, l->global, V_FOLDER, l->id, 0, 0);
	snprintf(key, sizeof(key), "link%u.direction", l->id);
	if (rc == PS_OK)
		rc = ensure_key(d, header, key, ps_direction_name(l->direction), V_DIRECTION, l->id,
			!new_link && l->direction == PS_DIRECTION_BOTH, 0);
	return rc;
}

/* Add the section of a new profile after the last profile, or at the end. */
static int add_profile_section(struct doc *d, const ps_profile *p)
{
	size_t at = d->count, i, h;
	unsigned id;
	struct scan sc;
	char header[40];
	int rc;

	for (i = d->count; i-- > 0;)
		if (line_section(d, i, &id) == SEC_PROFILE) {
			at = doc_insert_point(d, i, GROUP_ANY);
			break;
		}
	rc = ensure_blank_before(d, &at);
	snprintf(header, sizeof(header), "[profile %u]", p->id);
	if (rc == PS_OK)
		rc = ps_settings__doc_insert(d, at, header);
	h = at;
	if (rc == PS_OK)
		rc = doc_insert_key(d, h + 1, "name", p->name, 0);
	if (rc == PS_OK)
		rc = doc_insert_key(d, h + 2, "local", p->local, 0);
	if (rc == PS_OK)
		rc = doc_insert_key(d, h + 3, "global", p->global, 0);
	if (rc == PS_OK)
		rc = doc_insert_key(d, h + 4, "enabled", p->enabled ? "yes" : "no", 0);
	for (i = 0; i < p->nlinks && rc == PS_OK; i++)
		rc = write_link_keys(d, h, p->links[i], 1);
	/* keep a blank line before whatever follows */
	if (rc == PS_OK) {
		size_t next = doc_insert_point(d, h, GROUP_ANY);
		if (next < d->count && line_scan(d, next, &sc) != K_BLANK)
			rc = ps_settings__doc_insert(d, next, "");
	}
	return rc;
}

static int reconcile_profile(struct doc *d, const ps_profile *p)
{
	long h = doc_find_section(d, SEC_PROFILE, p->id);
	size_t i, end;
	struct scan sc;
	unsigned link;
	int rc;

	if (h < 0)
		return add_profile_section(d, p);
	/* the lines of links that are gone */
	end = doc_section_end(d, (size_t)h);
	for (i = (size_t)h + 1; i < end;) {
		if (line_scan(d, i, &sc) == K_KEY
		    && ps_settings__profile_field(d->lines[i].text + sc.name, sc.name_len, &link) >= F_LINK_LOCAL
		    && !ps_settings__link_by_id(p, link)) {
			doc_delete(d, i);
			end--;
			continue;
		}
		i++;
	}
	rc = ensure_key(d, (size_t)h, "name", p->name, V_TEXT, GROUP_PROFILE, 0, 0);
	if (rc == PS_OK)
		rc = ensure_key(d, (size_t)h, "local", p->local, V_TEXT, GROUP_PROFILE, 0, 0);
	if (rc == PS_OK)
		rc = ensure_key(d, (size_t)h, "global", p->global, V_TEXT, GROUP_PROFILE, 0, 0);
	if (rc == PS_OK)
		rc = ensure_key(d, (size_t)h, "enabled", p->enabled ? "yes" : "no", V_BOOL,
			GROUP_PROFILE, p->enabled, 0);
	for (i = 0; i < p->nlinks && rc == PS_OK; i++) {
		char key[40];
		snprintf(key, sizeof(key), "link%u.local", p->links[i]->id);
		rc = write_link_keys(d, (size_t)h, p->links[i], doc_find_key(d, (size_t)h, key) < 0);
	}
	return rc;
}

/* Edit @p d, the file's lines, until it says what the settings say. */
static int reconcile(ps_settings *s, struct doc *d)
{
	int new_file = !s->existed && d->count == 0;
	size_t i;
	unsigned id;
	int rc = PS_OK;

	if (new_file) {
		rc = ps_settings__doc_insert(d, 0, "# pstsync settings. You may edit this file by hand: pstsync keeps "
			"your comments.");
		if (rc == PS_OK)
			rc = ps_settings__doc_insert(d, 1, "# Options: 'pstsync options --help'. Profiles and links: "
				"'pstsync profile --help'.");
		if (rc == PS_OK)
			rc = ps_settings__doc_insert(d, 2, "");
		if (rc != PS_OK)
			return rc;
	}
	/* sections of profiles that are gone */
	for (i = 0; i < d->count;) {
		if (line_section(d, i, &id) == SEC_PROFILE && !ps_settings__profile_by_id(s, id)) {
			doc_remove_section(d, i);
			i = 0;
			continue;
		}
		i++;
	}
	rc = reconcile_options(s, d, new_file);
	for (i = 0; i < s->nprofiles && rc == PS_OK; i++)
		rc = reconcile_profile(d, s->profiles[i]);
	return rc;
}

static char *doc_text(const struct doc *d, size_t *size_out)
{
	size_t size = 0, i, pos = 0;
	char *buf;

	for (i = 0; i < d->count; i++)
		size += strlen(d->lines[i].text) + d->lines[i].eol;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	for (i = 0; i < d->count; i++) {
		size_t n = strlen(d->lines[i].text);
		memcpy(buf + pos, d->lines[i].text, n);
		pos += n;
		if (d->lines[i].eol == EOL_CRLF)
			buf[pos++] = '\r';
		if (d->lines[i].eol != EOL_NONE)
			buf[pos++] = '\n';
	}
	buf[pos] = '\0';
	*size_out = pos;
	return buf;
}

/* PS_OK when the file is still as it was read (or still absent). */
static int check_unchanged(ps_settings *s)
{
	char *now = NULL;
	size_t size = 0;
	int rc = ps_settings__read_bytes(s, &now, &size), same;

	if (rc == PS_ENOTFOUND) {
		ps_error_clear();
		same = !s->existed;
	} else if (rc != PS_OK) {
		return rc;
	} else {
		same = s->existed && size == s->original_size && memcmp(now, s->original, size) == 0;
	}
	free(now);
	if (!same)
		return ps_error_set(PS_ERROR, "cannot save '%s': another program changed it since "
			"pstsync read it (nothing was written: try again)", s->path);
	return PS_OK;
}

static int write_file(const ps_settings *s, const char *data, size_t size)
{
	unsigned char rnd[4];
	char *tmp = NULL, *dir = NULL;
	const char *slash;
	ps_file *f = NULL;
	int rc;

	slash = strrchr(s->path, '/');
#ifdef _WIN32
	{
		const char *back = strrchr(s->path, '\\');
		if (back && (!slash || back > slash))
			slash = back;
	}
#endif
	if (slash && slash > s->path) {
		dir = ps__strndup(s->path, (size_t)(slash - s->path));
		if (!dir)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rc = ps_path_mkdirs(dir);
		free(dir);
		if (rc != PS_OK)
			return ps_error_prefix(rc, "cannot save '%s'", s->path);
	}
	rc = ps_random_bytes(rnd, sizeof(rnd));
	if (rc != PS_OK)
		return rc;
	tmp = ps__asprintf("%s.tmp-%02x%02x%02x%02x", s->path, rnd[0], rnd[1], rnd[2], rnd[3]);
	if (!tmp)
		return ps_error_set(PS_ENOMEM, "out of memory");
	rc = ps_file_open(&f, tmp, PS_OPEN_WRITE | PS_OPEN_CREATE);
	if (rc == PS_OK && size > 0)
		rc = ps_file_write_at(f, 0, data, size);
	if (rc == PS_OK)
		rc = ps_file_sync(f);
	ps_file_close(f);
	if (rc == PS_OK)
		rc = ps_path_rename(tmp, s->path);
	if (rc != PS_OK) {
		int code = rc;
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", ps_error_last());
		ps_path_remove(tmp);
		rc = ps_error_set(code, "cannot save '%s': %s", s->path, msg);
	}
	free(tmp);
	return rc;
}

int ps_settings_save(ps_settings *s)
{
	struct doc d;
	char *text = NULL;
	size_t size = 0;
	int rc;

	if (!s->dirty)
		return PS_OK;
	rc = doc_copy(&d, &s->doc);
	if (rc != PS_OK)
		return rc;
	rc = reconcile(s, &d);
	if (rc == PS_OK) {
		text = doc_text(&d, &size);
		if (!text)
			rc = ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (rc == PS_OK && s->existed && size == s->original_size && memcmp(text, s->original, size) == 0) {
		/* changed and changed back: nothing to write */
		s->dirty = 0;
		goto cleanup;
	}
	if (rc == PS_OK)
		rc = check_unchanged(s);
	if (rc == PS_OK)
		rc = write_file(s, text, size);
	if (rc == PS_OK) {
		ps_settings__doc_free(&s->doc);
		s->doc = d;
		memset(&d, 0, sizeof(d));
		free(s->original);
		s->original = text;
		s->original_size = size;
		text = NULL;
		s->existed = 1;
		s->dirty = 0;
	}
cleanup:
	ps_settings__doc_free(&d);
	free(text);
	return rc;
}
