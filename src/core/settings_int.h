/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What the settings file's two halves share: the reader (settings.c: the
 * file's lines, their scanner, the model of options, profiles and links)
 * and the save that keeps the user's comments and order (settings_save.c).
 * Internal to src/core: the public interface is include/pstsync/settings.h.
 */
#ifndef PSTSYNC_CORE_SETTINGS_INT_H
#define PSTSYNC_CORE_SETTINGS_INT_H

#include "pstsync/settings.h"

#include <stddef.h>

#define LINE_LIMIT 1000            /* bytes a line (iniparser 4.x, for other tools, reads 1023) */
#define VALUE_LIMIT 900            /* bytes a value, so that "key = value" fits */
#define FILE_LIMIT (4u << 20)      /* larger than this is not a settings file */
#define ID_LIMIT 999999u           /* largest N of [profile N] and linkN */
#define OPTION_KEY_WIDTH 24        /* options are written "key<padding> = value" */

enum eol { EOL_NONE = 0, EOL_LF = 1, EOL_CRLF = 2 };

struct line {
	char *text;                /* without its line end */
	unsigned char eol;
};

/* The file as lines. */
struct doc {
	struct line *lines;
	size_t count, cap;
	unsigned char eol;         /* line end for new lines */
};

struct ps_link {
	ps_profile *profile;
	unsigned id;               /* M of linkM.* */
	char *local, *global;
	ps_direction direction;
	unsigned line;             /* its first line, while reading */
};

struct ps_profile {
	ps_settings *settings;
	unsigned id;               /* N of [profile N] */
	char *name, *local, *global;  /* the stores' paths as written */
	char *expanded[2];         /* local and global with their variables put in */
	int enabled;
	ps_link **links;
	size_t nlinks, caplinks;
	unsigned next_link_id;
	unsigned line, name_line;  /* while reading */
};

struct ps_settings {
	char *path;
	ps_options options;
	ps_profile **profiles;
	size_t nprofiles, capprofiles;
	unsigned next_profile_id;  /* never reused within one ps_settings */
	struct doc doc;            /* the file as read or last saved */
	int dirty;
	int existed;               /* the file existed when read or saved */
	char *original;            /* its bytes then, to notice other writers */
	size_t original_size;
};

enum opt_type { T_BOOL, T_INT, T_CONFLICTS };

struct opt {
	const char *key;
	enum opt_type type;
	int min, max;
	const char *values;        /* for messages */
};

enum kind { K_BLANK, K_COMMENT, K_SECTION, K_KEY };

struct scan {
	enum kind kind;
	size_t name, name_len;     /* section name or key, without spaces around */
	size_t value, value_end;   /* the value as written, quotes included */
	char quote;                /* '"' or '\'' for a quoted value, else 0 */
};

enum sec { SEC_NONE, SEC_OPTIONS, SEC_PROFILE, SEC_UNKNOWN };

enum field { F_UNKNOWN, F_NAME, F_LOCAL, F_GLOBAL, F_ENABLED, F_LINK_LOCAL, F_LINK_GLOBAL,
	F_LINK_DIRECTION };

/* settings.c: the helpers the save uses (static helpers there otherwise) */
int ps_settings__ci_eqn(const char *a, size_t alen, const char *b);
int ps_settings__parse_bool(const char *s, int *out);
int ps_settings__parse_int(const char *s, int min, int max, int *out);
int ps_settings__parse_direction(const char *s, ps_direction *out);
int ps_settings__parse_conflicts(const char *s, ps_conflicts *out);
/** Option @p i of the table (i < ps_settings_option_count()). */
const struct opt *ps_settings__opt(size_t i);
int ps_settings__opt_get(const ps_options *o, size_t i);
void ps_settings__opt_format(size_t i, int v, char *buf, size_t size);
int ps_settings__scan_line(const char *t, struct scan *sc, char *why, size_t whysize);
char *ps_settings__scan_value(const char *t, const struct scan *sc);
enum sec ps_settings__section_of(const char *name, size_t len, unsigned *id);
enum field ps_settings__profile_field(const char *key, size_t len, unsigned *link);
char *ps_settings__encode_value(const char *v);
char *ps_settings__normalize_folder(const char *path);
void ps_settings__doc_free(struct doc *d);
int ps_settings__doc_insert(struct doc *d, size_t at, const char *text);
ps_profile *ps_settings__profile_by_id(const ps_settings *s, unsigned id);
ps_link *ps_settings__link_by_id(const ps_profile *p, unsigned id);
int ps_settings__read_bytes(ps_settings *s, char **out, size_t *size_out);

#endif
