/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The settings file (see include/pstsync/settings.h for its format and the
 * contracts). Reading happens in two passes over the file's lines: the first
 * checks the syntax of every line (ps_settings__scan_line(): iniparser's INI dialect, made
 * strict wherever iniparser would quietly read something other than what
 * the user wrote: a comment ending in '\' that swallows the next line, an
 * unclosed quote, a '#' glued inside a path); the second takes each value
 * from its line, checks it against the model and builds the profiles, so
 * that every problem carries its line number. The lines are kept: saving
 * compares the model with them and edits only what differs, so the user's
 * comments and order stay; that save is settings_save.c, and
 * core/settings_int.h holds what the two share.
 *
 * Why not iniparser, which the file's dialect follows: it cannot do this
 * job, and reading the file a second time with it (as pstsync once did, as
 * a second opinion) only added code.
 *   - It knows no line numbers: an error could not say where it is.
 *   - A key or section given twice is silently merged, the last value wins;
 *     pstsync must refuse it, as it refuses every setting it would drop.
 *   - It lowercases names and keeps no order of sections, while profiles
 *     come in file order and links in the order of their first line.
 *   - Its versions read the same file differently: inside quotes 4.2 takes
 *     '\' as an escape and 4.1 does not ("C:\Users\..." would change meaning
 *     between the Linux and the Windows build), and only 4.2 takes a FILE *
 *     (4.1 opens the file with fopen(), which takes ANSI names on Windows).
 *   - Saving needs every line anyway (comments, blank lines, order), which
 *     a dictionary of values does not keep.
 * The scanner below is the one reader; its rules stay iniparser's so that
 * a file pstsync accepts reads the same in any INI tool.
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


/* ---- small helpers ---------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality of the @p alen bytes at @p a with @p b. */
int ps_settings__ci_eqn(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower(a[i]) != lower(b[i]))
			return 0;
	return b[alen] == '\0';
}

static int ci_eq(const char *a, const char *b)
{
	return ps_settings__ci_eqn(a, strlen(a), b);
}

/* A decimal number with no sign and no leading zero, 1..ID_LIMIT; 0 if not. */
static unsigned parse_id(const char *s, size_t len)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 6 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v;
}

/* ---- values: parsing and formatting ------------------------------------ */

int ps_settings__parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (ci_eq(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (ci_eq(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int ps_settings__parse_int(const char *s, int min, int max, int *out)
{
	long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static const char *const direction_names[] = { "both", "from-global", "to-global" };
static const char *const conflicts_names[] = { "ask", "local", "global", "both", "later" };

const char *ps_direction_name(ps_direction d)
{
	return (unsigned)d < 3 ? direction_names[d] : "both";
}

int ps_settings__parse_direction(const char *s, ps_direction *out)
{
	int i;

	for (i = 0; i < 3; i++)
		if (ci_eq(s, direction_names[i])) {
			*out = (ps_direction)i;
			return 0;
		}
	return -1;
}

int ps_direction_parse(ps_direction *out, const char *text)
{
	if (ps_settings__parse_direction(text, out) != 0)
		return ps_error_set(PS_EINVAL, "'%s' is not a direction: expected both, from-global "
			"or to-global", text);
	return PS_OK;
}

const char *ps_conflicts_name(ps_conflicts c)
{
	return (unsigned)c < 5 ? conflicts_names[c] : "ask";
}

int ps_settings__parse_conflicts(const char *s, ps_conflicts *out)
{
	int i;

	for (i = 0; i < 5; i++)
		if (ci_eq(s, conflicts_names[i])) {
			*out = (ps_conflicts)i;
			return 0;
		}
	return -1;
}

int ps_conflicts_parse(ps_conflicts *out, const char *text)
{
	if (ps_settings__parse_conflicts(text, out) != 0)
		return ps_error_set(PS_EINVAL, "'%s' is not a conflict answer: expected ask, local, "
			"global, both or later", text);
	return PS_OK;
}

/* ---- the options table -------------------------------------------------- */


/* In the order of ps_options and of a new file's [options] section. */
static const struct opt opts[] = {
	{ "confirm_deletes", T_BOOL, 0, 1, "yes or no" },
	{ "mass_delete_percent", T_INT, 1, 100, "a whole number from 1 to 100" },
	{ "mass_delete_minimum", T_INT, 0, 1000000, "a whole number from 0 to 1000000" },
	{ "conflicts", T_CONFLICTS, 0, 4, "ask, local, global, both or later" },
	{ "show_progress", T_BOOL, 0, 1, "yes or no" },
	{ "hide_progress_when_done", T_BOOL, 0, 1, "yes or no" },
	{ "sync_when_outlook_starts", T_BOOL, 0, 1, "yes or no" },
	{ "sync_when_outlook_exits", T_BOOL, 0, 1, "yes or no" },
	{ "interval_minutes", T_INT, 0, 100000, "a whole number of minutes from 0 (never) to 100000" },
	{ "recovery_days", T_INT, 1, 36500, "a whole number of days from 1 to 36500" },
	{ "recovery_max_mb", T_INT, 1, 1000000, "a whole number of megabytes from 1 to 1000000" },
};
#define OPT_COUNT (sizeof(opts) / sizeof(opts[0]))

const struct opt *ps_settings__opt(size_t i)
{
	return i < OPT_COUNT ? &opts[i] : NULL;
}

int ps_settings__opt_get(const ps_options *o, size_t i)
{
	switch (i) {
	case 0: return o->confirm_deletes;
	case 1: return o->mass_delete_percent;
	case 2: return o->mass_delete_minimum;
	case 3: return (int)o->conflicts;
	case 4: return o->show_progress;
	case 5: return o->hide_progress_when_done;
	case 6: return o->sync_when_outlook_starts;
	case 7: return o->sync_when_outlook_exits;
	case 9: return o->recovery_days;
	case 10: return o->recovery_max_mb;
	default: return o->interval_minutes;
	}
}

static void opt_put(ps_options *o, size_t i, int v)
{
	switch (i) {
	case 0: o->confirm_deletes = v; break;
	case 1: o->mass_delete_percent = v; break;
	case 2: o->mass_delete_minimum = v; break;
	case 3: o->conflicts = (ps_conflicts)v; break;
	case 4: o->show_progress = v; break;
	case 5: o->hide_progress_when_done = v; break;
	case 6: o->sync_when_outlook_starts = v; break;
	case 7: o->sync_when_outlook_exits = v; break;
	case 9: o->recovery_days = v; break;
	case 10: o->recovery_max_mb = v; break;
	default: o->interval_minutes = v; break;
	}
}

static int opt_parse(size_t i, const char *text, int *out)
{
	ps_conflicts c;

	switch (opts[i].type) {
	case T_BOOL:
		return ps_settings__parse_bool(text, out);
	case T_INT:
		return ps_settings__parse_int(text, opts[i].min, opts[i].max, out);
	default:
		if (ps_settings__parse_conflicts(text, &c) != 0)
			return -1;
		*out = (int)c;
		return 0;
	}
}

void ps_settings__opt_format(size_t i, int v, char *buf, size_t size)
{
	switch (opts[i].type) {
	case T_BOOL:
		snprintf(buf, size, "%s", v ? "yes" : "no");
		break;
	case T_INT:
		snprintf(buf, size, "%d", v);
		break;
	default:
		snprintf(buf, size, "%s", ps_conflicts_name((ps_conflicts)v));
		break;
	}
}

static long opt_find(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < OPT_COUNT; i++)
		if (ps_settings__ci_eqn(key, len, opts[i].key))
			return (long)i;
	return -1;
}

void ps_settings_options_default(ps_options *out)
{
	memset(out, 0, sizeof(*out));
	out->confirm_deletes = 1;
	out->mass_delete_percent = 50;
	out->mass_delete_minimum = 5;
	out->conflicts = PS_CONFLICTS_ASK;
	out->show_progress = 1;
	out->hide_progress_when_done = 1;
	out->sync_when_outlook_starts = 0;
	out->sync_when_outlook_exits = 0;
	out->interval_minutes = 0;
	out->recovery_days = 30;
	out->recovery_max_mb = 500;
}

size_t ps_settings_option_count(void)
{
	return OPT_COUNT;
}

const char *ps_settings_option_key(size_t i)
{
	return i < OPT_COUNT ? opts[i].key : NULL;
}

const char *ps_settings_option_values(const char *key)
{
	long i = opt_find(key, strlen(key));

	return i < 0 ? NULL : opts[i].values;
}

/* ---- scanning one line ------------------------------------------------- */


/*
 * Scan line @p t: 0, or -1 with the reason in @p why. The rules are
 * iniparser's (a line is blank, a comment, "[section]" or "key = value";
 * an unquoted value ends at ';' or '#'; a quoted one at its closing quote),
 * with errors where iniparser would silently read something else.
 */
int ps_settings__scan_line(const char *t, struct scan *sc, char *why, size_t whysize)
{
	size_t len = strlen(t), b = 0, e, i, eq, v;

	memset(sc, 0, sizeof(*sc));
	if (len > LINE_LIMIT) {
		snprintf(why, whysize, "the line is longer than %d bytes", LINE_LIMIT);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(why, whysize, "control character 0x%02x in the line", c);
			return -1;
		}
	}
	if (!ps_utf8_valid((const uint8_t *)t, len)) {
		snprintf(why, whysize, "the line is not valid UTF-8 text");
		return -1;
	}
	while (b < len && is_blank(t[b]))
		b++;
	e = len;
	while (e > b && is_blank(t[e - 1]))
		e--;
	if (b == e) {
		sc->kind = K_BLANK;
		return 0;
	}
	/* iniparser joins a line ending in '\' with the next one, whatever it is */
	if (t[e - 1] == '\\') {
		if (t[b] == '#' || t[b] == ';')
			snprintf(why, whysize, "the comment ends in '\\', which would make the next "
				"line part of it");
		else
			snprintf(why, whysize, "the line ends in '\\', which would join it with the "
				"next line: put the value in quotes");
		return -1;
	}
	if (t[b] == '#' || t[b] == ';') {
		sc->kind = K_COMMENT;
		return 0;
	}
	if (t[b] == '[') {
		if (t[e - 1] != ']') {
			snprintf(why, whysize, "%s", memchr(t + b, ']', e - b)
				? "text after ']': put comments on a line of their own"
				: "missing ']' after the section name");
			return -1;
		}
		sc->name = b + 1;
		while (sc->name < e - 1 && is_blank(t[sc->name]))
			sc->name++;
		i = e - 1;
		while (i > sc->name && is_blank(t[i - 1]))
			i--;
		sc->name_len = i - sc->name;
		if (sc->name_len == 0 || memchr(t + sc->name, '[', sc->name_len)
		    || memchr(t + sc->name, ']', sc->name_len)) {
			snprintf(why, whysize, "bad section name '%.*s'", (int)(e - b), t + b);
			return -1;
		}
		sc->kind = K_SECTION;
		return 0;
	}
	eq = b;
	while (eq < e && t[eq] != '=')
		eq++;
	if (eq == e) {
		snprintf(why, whysize, "expected 'key = value', '[section]' or a comment, found '%.*s'",
			(int)(e - b > 60 ? 60 : e - b), t + b);
		return -1;
	}
	i = eq;
	while (i > b && is_blank(t[i - 1]))
		i--;
	if (i == b) {
		snprintf(why, whysize, "missing key before '='");
		return -1;
	}
	sc->name = b;
	sc->name_len = i - b;
	v = eq + 1;
	while (v < e && is_blank(t[v]))
		v++;
	if (v == e || t[v] == ';' || t[v] == '#') {
		sc->value = sc->value_end = v;
	} else if (t[v] == '"' || t[v] == '\'') {
		const char *close = memchr(t + v + 1, t[v], e - v - 1);
		size_t after;
		if (!close) {
			snprintf(why, whysize, "missing closing %s", t[v] == '"' ? "'\"'" : "\"'\"");
			return -1;
		}
		after = (size_t)(close - t) + 1;
		sc->value = v;
		sc->value_end = after;
		sc->quote = t[v];
		while (after < e && is_blank(t[after]))
			after++;
		if (after < e && t[after] != ';' && t[after] != '#') {
			snprintf(why, whysize, "text after the closing quote");
			return -1;
		}
	} else {
		for (i = v; i < e && t[i] != ';' && t[i] != '#'; i++)
			;
		if (i < e && !is_blank(t[i - 1])) {
			snprintf(why, whysize, "'%c' inside a value starts a comment: put the value in "
				"quotes", t[i]);
			return -1;
		}
		while (i > v && is_blank(t[i - 1]))
			i--;
		sc->value = v;
		sc->value_end = i;
	}
	sc->kind = K_KEY;
	return 0;
}

/* The value of a scanned key line, decoded (malloc'ed). */
char *ps_settings__scan_value(const char *t, const struct scan *sc)
{
	if (sc->quote)
		return ps__strndup(t + sc->value + 1, sc->value_end - sc->value - 2);
	return ps__strndup(t + sc->value, sc->value_end - sc->value);
}


/* Which section a section name stands for; *id gets N of "profile N". */
enum sec ps_settings__section_of(const char *name, size_t len, unsigned *id)
{
	size_t i = 7;

	*id = 0;
	if (ps_settings__ci_eqn(name, len, "options"))
		return SEC_OPTIONS;
	if (len < 9 || !ps_settings__ci_eqn(name, 7, "profile"))
		return SEC_UNKNOWN;
	if (!is_blank(name[i]))
		return SEC_UNKNOWN;
	while (i < len && is_blank(name[i]))
		i++;
	*id = parse_id(name + i, len - i);
	return *id ? SEC_PROFILE : SEC_UNKNOWN;
}


/* Which key of a [profile N] section; *link gets M of "linkM.xxx". */
enum field ps_settings__profile_field(const char *key, size_t len, unsigned *link)
{
	const char *dot;

	*link = 0;
	if (ps_settings__ci_eqn(key, len, "name"))
		return F_NAME;
	if (ps_settings__ci_eqn(key, len, "local"))
		return F_LOCAL;
	if (ps_settings__ci_eqn(key, len, "global"))
		return F_GLOBAL;
	if (ps_settings__ci_eqn(key, len, "enabled"))
		return F_ENABLED;
	if (len < 6 || !ps_settings__ci_eqn(key, 4, "link"))
		return F_UNKNOWN;
	dot = memchr(key, '.', len);
	if (!dot)
		return F_UNKNOWN;
	*link = parse_id(key + 4, (size_t)(dot - key) - 4);
	if (!*link)
		return F_UNKNOWN;
	len -= (size_t)(dot + 1 - key);
	if (ps_settings__ci_eqn(dot + 1, len, "local"))
		return F_LINK_LOCAL;
	if (ps_settings__ci_eqn(dot + 1, len, "global"))
		return F_LINK_GLOBAL;
	if (ps_settings__ci_eqn(dot + 1, len, "direction"))
		return F_LINK_DIRECTION;
	return F_UNKNOWN;
}

/* ---- values the file can hold --------------------------------------- */

/* 1 when @p v must be quoted to be read back as it is. */
static int needs_quotes(const char *v)
{
	size_t n = strlen(v);

	return n == 0 || is_blank(v[0]) || is_blank(v[n - 1]) || v[0] == '"' || v[0] == '\''
		|| strpbrk(v, ";#") != NULL || v[n - 1] == '\\';
}

/* @p v as written in the file (malloc'ed); the caller checked it with check_value(). */
char *ps_settings__encode_value(const char *v)
{
	if (!needs_quotes(v))
		return ps__strdup(v);
	return ps__asprintf(strchr(v, '"') ? "'%s'" : "\"%s\"", v);
}

/* NULL when the file can hold @p v, else why not. */
static const char *check_value(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0)
		return "it is empty";
	if (n > VALUE_LIMIT)
		return "it is longer than 900 bytes";
	if (!ps_utf8_valid((const uint8_t *)v, n))
		return "it is not valid UTF-8";
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return "it holds a control character";
	if (needs_quotes(v) && strchr(v, '"') && strchr(v, '\''))
		return "it needs quotes in the settings file but holds both ' and \"";
	return NULL;
}

/* A folder path as kept: "/Contacts/" becomes "/Contacts" (malloc'ed). */
char *ps_settings__normalize_folder(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return ps__strndup(path, n);
}

/* NULL when @p path (normalized) is a good folder path, else why not. */
static const char *check_folder(const char *path)
{
	if (path[0] != '/')
		return "folder paths start with '/'";
	return check_value(path);
}

/* ---- model ------------------------------------------------------------ */

static void link_free(ps_link *l)
{
	if (!l)
		return;
	free(l->local);
	free(l->global);
	free(l);
}

static void profile_free(ps_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nlinks; i++)
		link_free(p->links[i]);
	free(p->links);
	free(p->name);
	free(p->local);
	free(p->global);
	free(p->expanded[0]);
	free(p->expanded[1]);
	free(p);
}

/* The stores' paths with their variables put in (ps_path_expand()). */
static int expand_stores(ps_profile *p)
{
	char *x[2] = { NULL, NULL };
	int side, rc = PS_OK;

	for (side = 0; side < 2 && rc == PS_OK; side++) {
		const char *written = side ? p->global : p->local;
		if (written)
			rc = ps_path_expand(&x[side], written);
	}
	if (rc != PS_OK) {
		free(x[0]);
		free(x[1]);
		return rc;
	}
	for (side = 0; side < 2; side++) {
		free(p->expanded[side]);
		p->expanded[side] = x[side];
	}
	return PS_OK;
}

void ps_settings__doc_free(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		free(d->lines[i].text);
	free(d->lines);
	d->lines = NULL;
	d->count = d->cap = 0;
}

void ps_settings_free(ps_settings *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nprofiles; i++)
		profile_free(s->profiles[i]);
	free(s->profiles);
	ps_settings__doc_free(&s->doc);
	free(s->original);
	free(s->path);
	free(s);
}

static ps_profile *profile_new(ps_settings *s, unsigned id)
{
	ps_profile *p;

	if (s->nprofiles == s->capprofiles) {
		size_t cap = s->capprofiles ? s->capprofiles * 2 : 8;
		ps_profile **grown = realloc(s->profiles, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->profiles = grown;
		s->capprofiles = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->settings = s;
	p->id = id;
	p->enabled = 1;
	p->next_link_id = 1;
	s->profiles[s->nprofiles++] = p;
	if (id >= s->next_profile_id)
		s->next_profile_id = id + 1;
	return p;
}

static ps_link *link_new(ps_profile *p, unsigned id)
{
	ps_link *l;

	if (p->nlinks == p->caplinks) {
		size_t cap = p->caplinks ? p->caplinks * 2 : 8;
		ps_link **grown = realloc(p->links, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		p->links = grown;
		p->caplinks = cap;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->profile = p;
	l->id = id;
	l->direction = PS_DIRECTION_BOTH;
	p->links[p->nlinks++] = l;
	if (id >= p->next_link_id)
		p->next_link_id = id + 1;
	return l;
}

ps_profile *ps_settings__profile_by_id(const ps_settings *s, unsigned id)
{
	size_t i;

	for (i = 0; i < s->nprofiles; i++)
		if (s->profiles[i]->id == id)
			return s->profiles[i];
	return NULL;
}

ps_link *ps_settings__link_by_id(const ps_profile *p, unsigned id)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		if (p->links[i]->id == id)
			return p->links[i];
	return NULL;
}

static ps_profile *profile_by_name(const ps_settings *s, const char *name, const ps_profile *except)
{
	size_t i;

	for (i = 0; i < s->nprofiles; i++)
		if (s->profiles[i] != except && s->profiles[i]->name && ci_eq(s->profiles[i]->name, name))
			return s->profiles[i];
	return NULL;
}

/* ---- the file as lines (editing them is settings_save.c's) ---------- */

int ps_settings__doc_insert(struct doc *d, size_t at, const char *text)
{
	char *copy = ps__strdup(text);

	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct line *grown = realloc(d->lines, cap * sizeof(*grown));
		if (!grown) {
			free(copy);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		d->lines = grown;
		d->cap = cap;
	}
	/* a last line without a line end gets one before anything follows it */
	if (at == d->count && d->count > 0 && d->lines[d->count - 1].eol == EOL_NONE)
		d->lines[d->count - 1].eol = d->eol;
	memmove(d->lines + at + 1, d->lines + at, (d->count - at) * sizeof(*d->lines));
	d->lines[at].text = copy;
	d->lines[at].eol = d->eol;
	d->count++;
	return PS_OK;
}

/* ---- reading ------------------------------------------------------------ */

/* The first problem found, by line number. */
struct reader {
	ps_settings *s;
	unsigned line;             /* of the problem kept; 0: none */
	char message[600];
};

static void problem(struct reader *r, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 3, 4)))
#endif
	;

static void problem(struct reader *r, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (r->line && r->line <= line)
		return;
	r->line = line;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

int ps_settings__read_bytes(ps_settings *s, char **out, size_t *size_out)
{
	ps_file *f = NULL;
	uint64_t size;
	char *buf = NULL;
	int rc;

	*out = NULL;
	*size_out = 0;
	rc = ps_file_open(&f, s->path, PS_OPEN_READ);
	if (rc != PS_OK)
		return rc;
	rc = ps_file_size(f, &size);
	if (rc == PS_OK && size > FILE_LIMIT)
		rc = ps_error_set(PS_ECONFIG, "cannot read '%s': %llu bytes is too big for a settings "
			"file", s->path, (unsigned long long)size);
	if (rc == PS_OK) {
		buf = malloc((size_t)size + 1);
		if (!buf)
			rc = ps_error_set(PS_ENOMEM, "out of memory reading '%s'", s->path);
	}
	if (rc == PS_OK && size > 0)
		rc = ps_file_read_at(f, 0, buf, (size_t)size);
	ps_file_close(f);
	if (rc != PS_OK) {
		free(buf);
		return rc;
	}
	buf[size] = '\0';
	*out = buf;
	*size_out = (size_t)size;
	return PS_OK;
}

/* Cut the bytes into lines; a problem is recorded, only PS_ENOMEM fails. */
static int split_lines(struct reader *r, const char *data, size_t size)
{
	ps_settings *s = r->s;
	size_t pos = 0;
	int rc;

	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		problem(r, 1, "the file starts with a byte order mark, which INI readers take as text: "
			"save it as UTF-8 without BOM");
		return PS_OK;
	}
	if (size >= 2 && ((uint8_t)data[0] == 0xFF || (uint8_t)data[0] == 0xFE)
	    && ((uint8_t)data[1] == 0xFE || (uint8_t)data[1] == 0xFF)) {
		problem(r, 1, "the file is UTF-16 text: save it as UTF-8");
		return PS_OK;
	}
	while (pos < size) {
		const char *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - data) : size;
		unsigned char eol = nl ? EOL_LF : EOL_NONE;
		char *text;

		if (nl && end > pos && data[end - 1] == '\r') {
			end--;
			eol = EOL_CRLF;
		}
		if (memchr(data + pos, '\0', end - pos)) {
			problem(r, (unsigned)s->doc.count + 1, "control character 0x00 in the line");
			return PS_OK;
		}
		text = ps__strndup(data + pos, end - pos);
		if (!text)
			return ps_error_set(PS_ENOMEM, "out of memory");
		rc = ps_settings__doc_insert(&s->doc, s->doc.count, text);
		free(text);
		if (rc != PS_OK)
			return rc;
		s->doc.lines[s->doc.count - 1].eol = eol;
		if (s->doc.count == 1 && eol != EOL_NONE)
			s->doc.eol = eol;
		pos = nl ? (size_t)(nl - data) + 1 : size;
	}
	return PS_OK;
}

/* Pass 1: the syntax of every line. */
static void check_syntax(struct reader *r)
{
	const struct doc *d = &r->s->doc;
	size_t i;
	struct scan sc;
	char why[300];

	for (i = 0; i < d->count; i++)
		if (ps_settings__scan_line(d->lines[i].text, &sc, why, sizeof(why)) != 0)
			problem(r, (unsigned)i + 1, "%s", why);
}

/* What the reader knows about the section it is in. */
struct section {
	enum sec sec;
	unsigned line;
	ps_profile *profile;
	size_t first_key;          /* index of its first entry in keys[] */
};

struct seen_key {
	char *key;                 /* lower case */
	unsigned line;
};

struct pass2 {
	struct reader *r;
	struct section *secs;
	size_t nsecs, capsecs;
	struct seen_key *keys;
	size_t nkeys, capkeys;
};

static char *lowercase_n(const char *s, size_t n)
{
	char *out = ps__strndup(s, n);
	size_t i;

	if (out)
		for (i = 0; out[i]; i++)
			out[i] = lower(out[i]);
	return out;
}

/* Take the value of key line @p i, quotes removed (PS_OK, or PS_ENOMEM).
 * Inside quotes every character stands for itself, '\' included. */
static int take_value(struct pass2 *p, size_t i, const struct scan *sc, char **out)
{
	*out = ps_settings__scan_value(p->r->s->doc.lines[i].text, sc);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

static void option_line(struct pass2 *p, size_t i, const char *key, size_t keylen, const char *value)
{
	long o = opt_find(key, keylen);
	int v;

	if (o < 0) {
		problem(p->r, (unsigned)i + 1, "unknown option '%.*s'", (int)keylen, key);
		return;
	}
	if (opt_parse((size_t)o, value, &v) != 0) {
		problem(p->r, (unsigned)i + 1, "'%s' is not a valid value for %s: expected %s", value,
			opts[o].key, opts[o].values);
		return;
	}
	opt_put(&p->r->s->options, (size_t)o, v);
}

/* Store @p value in *slot, taking ownership. */
static void put_string(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

static int profile_line(struct pass2 *p, struct section *sec, size_t i, const char *key,
	size_t keylen, char *value)
{
	ps_profile *pr = sec->profile;
	unsigned line = (unsigned)i + 1, id;
	enum field f = ps_settings__profile_field(key, keylen, &id);
	const char *why;
	ps_link *l;

	switch (f) {
	case F_UNKNOWN:
		problem(p->r, line, "unknown key '%.*s' in [profile %u]", (int)keylen, key, pr->id);
		break;
	case F_NAME:
		if ((why = check_value(value)) != NULL)
			problem(p->r, line, "bad profile name: %s", why);
		pr->name_line = line;
		put_string(&pr->name, value);
		return PS_OK;
	case F_LOCAL:
	case F_GLOBAL:
		if ((why = check_value(value)) != NULL)
			problem(p->r, line, "bad %s store path: %s", f == F_LOCAL ? "local" : "global", why);
		put_string(f == F_LOCAL ? &pr->local : &pr->global, value);
		return PS_OK;
	case F_ENABLED:
		if (ps_settings__parse_bool(value, &pr->enabled) != 0)
			problem(p->r, line, "'%s' is not a valid value for enabled: expected yes or no", value);
		break;
	default:
		l = ps_settings__link_by_id(pr, id);
		if (!l) {
			l = link_new(pr, id);
			if (!l) {
				free(value);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			l->line = line;
		}
		if (f == F_LINK_DIRECTION) {
			if (ps_settings__parse_direction(value, &l->direction) != 0)
				problem(p->r, line, "'%s' is not a direction: expected both, from-global "
					"or to-global", value);
			break;
		} else {
			char *norm = ps_settings__normalize_folder(value);
			if (!norm) {
				free(value);
				return ps_error_set(PS_ENOMEM, "out of memory");
			}
			if ((why = check_folder(norm)) != NULL)
				problem(p->r, line, "bad folder path '%s': %s", value, why);
			put_string(f == F_LINK_LOCAL ? &l->local : &l->global, norm);
		}
		break;
	}
	free(value);
	return PS_OK;
}

static int push_section(struct pass2 *p, const struct section *sec)
{
	if (p->nsecs == p->capsecs) {
		size_t cap = p->capsecs ? p->capsecs * 2 : 16;
		struct section *grown = realloc(p->secs, cap * sizeof(*grown));
		if (!grown)
			return ps_error_set(PS_ENOMEM, "out of memory");
		p->secs = grown;
		p->capsecs = cap;
	}
	p->secs[p->nsecs++] = *sec;
	return PS_OK;
}

static int push_key(struct pass2 *p, char *key, unsigned line)
{
	if (p->nkeys == p->capkeys) {
		size_t cap = p->capkeys ? p->capkeys * 2 : 64;
		struct seen_key *grown = realloc(p->keys, cap * sizeof(*grown));
		if (!grown) {
			free(key);
			return ps_error_set(PS_ENOMEM, "out of memory");
		}
		p->keys = grown;
		p->capkeys = cap;
	}
	p->keys[p->nkeys].key = key;
	p->keys[p->nkeys].line = line;
	p->nkeys++;
	return PS_OK;
}

static const char *section_label(const struct section *sec, char *buf, size_t size)
{
	if (sec->sec == SEC_OPTIONS)
		return "[options]";
	snprintf(buf, size, "[profile %u]", sec->profile ? sec->profile->id : 0);
	return buf;
}

/* Pass 2: sections, keys and values. */
static int check_meaning(struct reader *r)
{
	ps_settings *s = r->s;
	struct pass2 p;
	struct section *cur = NULL;
	int in_section = 0;        /* a header was seen, good or bad */
	size_t i, j;
	int rc = PS_OK;
	char why[300], label[40];

	memset(&p, 0, sizeof(p));
	p.r = r;
	for (i = 0; i < s->doc.count && rc == PS_OK; i++) {
		const char *t = s->doc.lines[i].text;
		unsigned line = (unsigned)i + 1, id;
		struct scan sc;
		char *key, *value;

		ps_settings__scan_line(t, &sc, why, sizeof(why));
		if (sc.kind == K_SECTION) {
			struct section sec;
			memset(&sec, 0, sizeof(sec));
			sec.sec = ps_settings__section_of(t + sc.name, sc.name_len, &id);
			sec.line = line;
			sec.first_key = p.nkeys;
			cur = NULL;
			in_section = 1;
			if (sec.sec == SEC_UNKNOWN) {
				problem(r, line, "unknown section [%.*s] (expected [options] or [profile N])",
					(int)sc.name_len, t + sc.name);
				continue;
			}
			for (j = 0; j < p.nsecs; j++)
				if (p.secs[j].sec == sec.sec && (sec.sec == SEC_OPTIONS
				    || p.secs[j].profile->id == id))
					break;
			if (j < p.nsecs) {
				problem(r, line, "%s appears twice (first on line %u)",
					section_label(&p.secs[j], label, sizeof(label)), p.secs[j].line);
				continue;
			}
			if (sec.sec == SEC_PROFILE) {
				sec.profile = profile_new(s, id);
				if (!sec.profile) {
					rc = ps_error_set(PS_ENOMEM, "out of memory");
					break;
				}
				sec.profile->line = line;
			}
			rc = push_section(&p, &sec);
			if (rc != PS_OK)
				break;
			cur = &p.secs[p.nsecs - 1];
			continue;
		}
		if (sc.kind != K_KEY)
			continue;
		if (!cur) {
			/* in a bad section the header's problem says it all */
			if (!in_section)
				problem(r, line, "'%.*s' comes before any [section]", (int)sc.name_len,
					t + sc.name);
			continue;
		}
		key = lowercase_n(t + sc.name, sc.name_len);
		if (!key) {
			rc = ps_error_set(PS_ENOMEM, "out of memory");
			break;
		}
		for (j = cur->first_key; j < p.nkeys; j++)
			if (strcmp(p.keys[j].key, key) == 0)
				break;
		if (j < p.nkeys) {
			problem(r, line, "'%s' appears twice in %s (first on line %u)", key,
				section_label(cur, label, sizeof(label)), p.keys[j].line);
			free(key);
			continue;
		}
		rc = push_key(&p, key, line);
		if (rc != PS_OK)
			break;
		rc = take_value(&p, i, &sc, &value);
		if (rc != PS_OK)
			break;
		if (cur->sec == SEC_OPTIONS) {
			option_line(&p, i, t + sc.name, sc.name_len, value);
			free(value);
		} else {
			rc = profile_line(&p, cur, i, t + sc.name, sc.name_len, value);
		}
	}
	free(p.secs);
	for (j = 0; j < p.nkeys; j++)
		free(p.keys[j].key);
	free(p.keys);
	return rc;
}

/* Whole-file rules: every part present, no name or link twice. */
static void check_profiles(struct reader *r)
{
	ps_settings *s = r->s;
	size_t i, j, k;

	for (i = 0; i < s->nprofiles; i++) {
		ps_profile *p = s->profiles[i];
		const char *missing = !p->name ? "name" : !p->local ? "local" : !p->global ? "global" : NULL;
		if (missing)
			problem(r, p->line, "[profile %u] has no '%s'", p->id, missing);
		for (j = 0; j < p->nlinks; j++) {
			ps_link *l = p->links[j];
			if (!l->local || !l->global) {
				problem(r, l->line, "link%u in [profile %u] has no 'link%u.%s'", l->id, p->id,
					l->id, !l->local ? "local" : "global");
				continue;
			}
			for (k = 0; k < j; k++)
				if (p->links[k]->local && p->links[k]->global
				    && strcmp(p->links[k]->local, l->local) == 0
				    && strcmp(p->links[k]->global, l->global) == 0)
					problem(r, l->line, "link%u repeats link%u (%s to %s)", l->id,
						p->links[k]->id, l->local, l->global);
		}
		if (!p->name)
			continue;
		for (k = 0; k < i; k++)
			if (s->profiles[k]->name && ci_eq(s->profiles[k]->name, p->name))
				problem(r, p->name_line, "there is a profile named '%s' already (line %u)",
					s->profiles[k]->name, s->profiles[k]->name_line);
	}
}

int ps_settings_default_path(char **out)
{
	char *dir = NULL;
	int rc;

	*out = NULL;
	rc = ps_os_config_dir(&dir);
	if (rc != PS_OK)
		return rc;
#ifdef _WIN32
	*out = ps__asprintf("%s\\pstsync\\pstsync.ini", dir);
#else
	*out = ps__asprintf("%s/pstsync/pstsync.ini", dir);
#endif
	free(dir);
	return *out ? PS_OK : ps_error_set(PS_ENOMEM, "out of memory");
}

int ps_settings_load(ps_settings **out, const char *path)
{
	ps_settings *s;
	struct reader r;
	char *data = NULL;
	size_t size = 0;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ps_error_set(PS_ENOMEM, "out of memory");
	ps_settings_options_default(&s->options);
	s->next_profile_id = 1;
#ifdef _WIN32
	s->doc.eol = EOL_CRLF;
#else
	s->doc.eol = EOL_LF;
#endif
	if (path)
		s->path = ps__strdup(path);
	else if ((rc = ps_settings_default_path(&s->path)) != PS_OK)
		goto cleanup;
	if (!s->path) {
		rc = ps_error_set(PS_ENOMEM, "out of memory");
		goto cleanup;
	}
	memset(&r, 0, sizeof(r));
	r.s = s;
	rc = ps_settings__read_bytes(s, &data, &size);
	if (rc == PS_ENOTFOUND) {
		/* no file yet: the defaults */
		ps_error_clear();
		rc = PS_OK;
		goto done;
	}
	if (rc != PS_OK)
		goto cleanup;
	s->existed = 1;
	rc = split_lines(&r, data, size);
	if (rc != PS_OK)
		goto cleanup;
	if (!r.line)
		check_syntax(&r);
	if (!r.line) {
		rc = check_meaning(&r);
		if (rc == PS_OK)
			check_profiles(&r);
	}
	if (rc == PS_OK && r.line) {
		rc = ps_error_set(PS_ECONFIG, "cannot read '%s': line %u: %s", s->path, r.line,
			r.message);
		goto cleanup;
	}
	for (size_t i = 0; rc == PS_OK && i < s->nprofiles; i++)
		rc = expand_stores(s->profiles[i]);
	if (rc != PS_OK)
		goto cleanup;
	s->original = data;
	s->original_size = size;
	data = NULL;
done:
	*out = s;
	s = NULL;
cleanup:
	free(data);
	ps_settings_free(s);
	return rc;
}

const char *ps_settings_path(const ps_settings *s)
{
	return s->path;
}

int ps_settings_dirty(const ps_settings *s)
{
	return s->dirty;
}

/* ---- options: access ---------------------------------------------------- */

const ps_options *ps_settings_options(const ps_settings *s)
{
	return &s->options;
}

int ps_settings_set_options(ps_settings *s, const ps_options *o)
{
	size_t i;

	for (i = 0; i < OPT_COUNT; i++) {
		int v = ps_settings__opt_get(o, i);
		if (v < opts[i].min || v > opts[i].max)
			return ps_error_set(PS_EINVAL, "cannot set %s to %d in '%s': expected %s",
				opts[i].key, v, s->path, opts[i].values);
	}
	if (memcmp(o, &s->options, sizeof(*o)) != 0) {
		for (i = 0; i < OPT_COUNT; i++)
			opt_put(&s->options, i, ps_settings__opt_get(o, i));
		s->dirty = 1;
	}
	return PS_OK;
}

int ps_settings_option_get(const ps_settings *s, const char *key, char *buf, size_t size)
{
	long i = opt_find(key, strlen(key));

	if (i < 0)
		return ps_error_set(PS_ENOTFOUND, "unknown option '%s'", key);
	ps_settings__opt_format((size_t)i, ps_settings__opt_get(&s->options, (size_t)i), buf, size);
	return PS_OK;
}

int ps_settings_option_set(ps_settings *s, const char *key, const char *value)
{
	long i = opt_find(key, strlen(key));
	int v;

	if (i < 0)
		return ps_error_set(PS_ENOTFOUND, "unknown option '%s'", key);
	if (opt_parse((size_t)i, value, &v) != 0)
		return ps_error_set(PS_EINVAL, "cannot set %s to '%s': expected %s", opts[i].key, value,
			opts[i].values);
	if (ps_settings__opt_get(&s->options, (size_t)i) != v) {
		opt_put(&s->options, (size_t)i, v);
		s->dirty = 1;
	}
	return PS_OK;
}

/* ---- profiles: access and changes ------------------------------------ */

size_t ps_settings_profile_count(const ps_settings *s)
{
	return s->nprofiles;
}

ps_profile *ps_settings_profile_at(const ps_settings *s, size_t i)
{
	return i < s->nprofiles ? s->profiles[i] : NULL;
}

int ps_settings_profile_find(ps_profile **out, const ps_settings *s, const char *name)
{
	ps_profile *p = profile_by_name(s, name, NULL);

	if (out)
		*out = p;
	if (!p)
		return ps_error_set(PS_ENOTFOUND, "no profile '%s' in '%s'", name, s->path);
	return PS_OK;
}

int ps_settings_profile_add(ps_profile **out, ps_settings *s, const char *name,
	const char *local, const char *global)
{
	ps_profile *p, *other;
	const char *why;
	char *n = NULL, *l = NULL, *g = NULL;

	if (out)
		*out = NULL;
	if ((why = check_value(name)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot add profile '%s' to '%s': bad name: %s", name,
			s->path, why);
	if ((why = check_value(local)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot add profile '%s' to '%s': bad local store path "
			"'%s': %s", name, s->path, local, why);
	if ((why = check_value(global)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot add profile '%s' to '%s': bad global store path "
			"'%s': %s", name, s->path, global, why);
	if ((other = profile_by_name(s, name, NULL)) != NULL)
		return ps_error_set(PS_EEXISTS, "cannot add profile '%s' to '%s': there is a profile "
			"named '%s' already", name, s->path, other->name);
	if (s->next_profile_id > ID_LIMIT)
		return ps_error_set(PS_EINVAL, "cannot add profile '%s' to '%s': too many profiles",
			name, s->path);
	n = ps__strdup(name);
	l = ps__strdup(local);
	g = ps__strdup(global);
	if (!n || !l || !g || !(p = profile_new(s, s->next_profile_id))) {
		free(n);
		free(l);
		free(g);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	p->name = n;
	p->local = l;
	p->global = g;
	s->dirty = 1;
	if (expand_stores(p) != PS_OK) {
		ps_settings_profile_remove(s, name);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (out)
		*out = p;
	return PS_OK;
}

int ps_settings_profile_remove(ps_settings *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nprofiles; i++)
		if (ci_eq(s->profiles[i]->name, name)) {
			profile_free(s->profiles[i]);
			memmove(s->profiles + i, s->profiles + i + 1,
				(s->nprofiles - i - 1) * sizeof(*s->profiles));
			s->nprofiles--;
			s->dirty = 1;
			return PS_OK;
		}
	return ps_error_set(PS_ENOTFOUND, "no profile '%s' in '%s'", name, s->path);
}

const char *ps_profile_name(const ps_profile *p)
{
	return p->name;
}

const char *ps_profile_local(const ps_profile *p)
{
	return p->expanded[0] ? p->expanded[0] : p->local;
}

const char *ps_profile_global(const ps_profile *p)
{
	return p->expanded[1] ? p->expanded[1] : p->global;
}

const char *ps_profile_local_written(const ps_profile *p)
{
	return p->local;
}

const char *ps_profile_global_written(const ps_profile *p)
{
	return p->global;
}

int ps_profile_enabled(const ps_profile *p)
{
	return p->enabled;
}

int ps_profile_set_enabled(ps_profile *p, int enabled)
{
	if (p->enabled != !!enabled) {
		p->enabled = !!enabled;
		p->settings->dirty = 1;
	}
	return PS_OK;
}

int ps_profile_rename(ps_profile *p, const char *name)
{
	ps_profile *other;
	const char *why;
	char *copy;

	if ((why = check_value(name)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot rename profile '%s' in '%s': bad name: %s",
			p->name, p->settings->path, why);
	if ((other = profile_by_name(p->settings, name, p)) != NULL)
		return ps_error_set(PS_EEXISTS, "cannot rename profile '%s' in '%s': there is a "
			"profile named '%s' already", p->name, p->settings->path, other->name);
	copy = ps__strdup(name);
	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	put_string(&p->name, copy);
	p->settings->dirty = 1;
	return PS_OK;
}

int ps_profile_set_stores(ps_profile *p, const char *local, const char *global)
{
	const char *why;
	char *l = NULL, *g = NULL;

	if (local && (why = check_value(local)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot change profile '%s' in '%s': bad local store "
			"path '%s': %s", p->name, p->settings->path, local, why);
	if (global && (why = check_value(global)) != NULL)
		return ps_error_set(PS_EINVAL, "cannot change profile '%s' in '%s': bad global store "
			"path '%s': %s", p->name, p->settings->path, global, why);
	if ((local && !(l = ps__strdup(local))) || (global && !(g = ps__strdup(global)))) {
		free(l);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	if (l)
		put_string(&p->local, l);
	if (g)
		put_string(&p->global, g);
	p->settings->dirty = 1;
	return expand_stores(p);
}

/* ---- links -------------------------------------------------------------- */

size_t ps_profile_link_count(const ps_profile *p)
{
	return p->nlinks;
}

ps_link *ps_profile_link_at(const ps_profile *p, size_t i)
{
	return i < p->nlinks ? p->links[i] : NULL;
}

int ps_profile_link_add(ps_link **out, ps_profile *p, const char *local, const char *global,
	ps_direction direction)
{
	char *l = ps_settings__normalize_folder(local), *g = ps_settings__normalize_folder(global);
	const char *why, *path = p->settings->path;
	ps_link *link;
	size_t i;
	int rc = PS_OK;

	if (out)
		*out = NULL;
	PS_CHECK_ALLOC(l, rc);
	PS_CHECK_ALLOC(g, rc);
	if ((unsigned)direction > PS_DIRECTION_TO_GLOBAL) {
		rc = ps_error_set(PS_EINVAL, "cannot link %s to %s in profile '%s' of '%s': bad "
			"direction %d", local, global, p->name, path, (int)direction);
		goto cleanup;
	}
	if ((why = check_folder(l)) != NULL || (why = check_folder(g)) != NULL) {
		rc = ps_error_set(PS_EINVAL, "cannot link '%s' to '%s' in profile '%s' of '%s': %s",
			local, global, p->name, path, why);
		goto cleanup;
	}
	for (i = 0; i < p->nlinks; i++)
		if (strcmp(p->links[i]->local, l) == 0 && strcmp(p->links[i]->global, g) == 0) {
			rc = ps_error_set(PS_EEXISTS, "profile '%s' of '%s' links %s to %s already",
				p->name, path, l, g);
			goto cleanup;
		}
	if (p->next_link_id > ID_LIMIT) {
		rc = ps_error_set(PS_EINVAL, "cannot link %s to %s in profile '%s' of '%s': too many "
			"links", l, g, p->name, path);
		goto cleanup;
	}
	link = link_new(p, p->next_link_id);
	PS_CHECK_ALLOC(link, rc);
	link->local = l;
	link->global = g;
	link->direction = direction;
	l = g = NULL;
	p->settings->dirty = 1;
	if (out)
		*out = link;
cleanup:
	free(l);
	free(g);
	return rc;
}

/* How many links of @p p go from @p local (to @p global unless NULL), the
 * first at *first; @p ci: ignoring ASCII case. */
static size_t match_links(const ps_profile *p, const char *local, const char *global, int ci,
	size_t *first)
{
	size_t i, n = 0;

	for (i = 0; i < p->nlinks; i++) {
		const ps_link *l = p->links[i];
		int hit = ci ? ci_eq(l->local, local) && (!global || ci_eq(l->global, global))
			: strcmp(l->local, local) == 0 && (!global || strcmp(l->global, global) == 0);
		if (hit && n++ == 0)
			*first = i;
	}
	return n;
}

/* The index of the link ps_profile_link_find() means, or a status. */
static int link_index(size_t *out, const ps_profile *p, const char *local, const char *global)
{
	char *l = ps_settings__normalize_folder(local), *g = global ? ps_settings__normalize_folder(global) : NULL;
	const char *path = p->settings->path;
	size_t n;
	int rc = PS_OK;

	PS_CHECK_ALLOC(l, rc);
	if (global)
		PS_CHECK_ALLOC(g, rc);
	n = match_links(p, l, g, 0, out);
	if (n == 0)
		n = match_links(p, l, g, 1, out);
	if (n == 0 && g)
		rc = ps_error_set(PS_ENOTFOUND, "profile '%s' of '%s' has no link from %s to %s",
			p->name, path, l, g);
	else if (n == 0)
		rc = ps_error_set(PS_ENOTFOUND, "profile '%s' of '%s' has no link from %s", p->name,
			path, l);
	else if (n > 1)
		rc = ps_error_set(PS_EINVAL, "profile '%s' of '%s' has %zu links from %s: name the "
			"global folder too", p->name, path, n, l);
cleanup:
	free(l);
	free(g);
	return rc;
}

int ps_profile_link_find(ps_link **out, const ps_profile *p, const char *local, const char *global)
{
	size_t i = 0;
	int rc = link_index(&i, p, local, global);

	*out = rc == PS_OK ? p->links[i] : NULL;
	return rc;
}

int ps_profile_link_remove(ps_profile *p, const char *local, const char *global)
{
	size_t i = 0;
	int rc = link_index(&i, p, local, global);

	if (rc != PS_OK)
		return rc;
	link_free(p->links[i]);
	memmove(p->links + i, p->links + i + 1, (p->nlinks - i - 1) * sizeof(*p->links));
	p->nlinks--;
	p->settings->dirty = 1;
	return PS_OK;
}

const char *ps_link_local(const ps_link *l)
{
	return l->local;
}

const char *ps_link_global(const ps_link *l)
{
	return l->global;
}

ps_direction ps_link_direction(const ps_link *l)
{
	return l->direction;
}

int ps_link_set_direction(ps_link *l, ps_direction direction)
{
	if ((unsigned)direction > PS_DIRECTION_TO_GLOBAL)
		return ps_error_set(PS_EINVAL, "bad direction %d", (int)direction);
	if (l->direction != direction) {
		l->direction = direction;
		l->profile->settings->dirty = 1;
	}
	return PS_OK;
}
