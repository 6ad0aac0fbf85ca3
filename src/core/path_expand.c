/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Variables in the store paths of the settings file: one file written by an
 * office's admin names each user's own PST (%LOCALAPPDATA%\Microsoft\Outlook\
 * %USERNAME%.pst) and is imported on every desk as it is. The settings keep
 * the text as written and save it so; ps_path_expand() gives the path a store
 * is opened with. Only a few well-known names are expanded, and anything
 * else stays as written: a '%' may be part of a folder's name.
 */
#include "pstsync/errors.h"
#include "pstsync/os.h"

#include <stdlib.h>
#include <string.h>

static const char *const win_names[] = { "USERNAME", "APPDATA", "LOCALAPPDATA", "USERPROFILE" };

struct buf {
	char *s;
	size_t len, cap;
};

static int put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *t = realloc(b->s, cap);
		if (!t)
			return ps_error_set(PS_ENOMEM, "out of memory");
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return PS_OK;
}

/* Put variable NAME's value; 0 when it is not set (the caller keeps the text) */
static int put_var(struct buf *b, const char *name, int *done)
{
	char *v = NULL;
	int rc;

	*done = 0;
	rc = ps_os_getenv(&v, name);
	if (rc == PS_ENOTFOUND)
		return PS_OK;
	if (rc != PS_OK)
		return rc;
	rc = put(b, v, strlen(v));
	free(v);
	*done = rc == PS_OK;
	return rc;
}

/* The index of %NAME% at @p s in win_names, or -1 */
static int win_name_at(const char *s, size_t *len)
{
	size_t i, n;

	for (i = 0; i < sizeof(win_names) / sizeof(*win_names); i++) {
		size_t k;

		n = strlen(win_names[i]);
		/* compared a character at a time: the text's end stops the loop */
		for (k = 0; k < n; k++)
			if ((s[k + 1] & ~0x20) != win_names[i][k])
				break;
		if (k == n && s[n + 1] == '%') {
			*len = n + 2;
			return (int)i;
		}
	}
	return -1;
}

int ps_path_expand(char **out, const char *path)
{
	struct buf b = { NULL, 0, 0 };
	const char *s = path;
	int rc = put(&b, "", 0), done;
	size_t len;
	int k;

	*out = NULL;
#ifndef _WIN32
	/* ~ and ~/...: the user's home folder (not ~user) */
	if (rc == PS_OK && s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		rc = put_var(&b, "HOME", &done);
		s += done;
	}
#endif
	while (rc == PS_OK && *s) {
		if (*s == '%' && (k = win_name_at(s, &len)) >= 0) {
			rc = put_var(&b, win_names[k], &done);
			if (done) {
				s += len;
				continue;
			}
		}
#ifndef _WIN32
		else if (strncmp(s, "$HOME", 5) == 0 && !(s[5] == '_' || (s[5] >= 'A' && s[5] <= 'Z')
		    || (s[5] >= 'a' && s[5] <= 'z') || (s[5] >= '0' && s[5] <= '9'))) {
			rc = put_var(&b, "HOME", &done);
			if (done) {
				s += 5;
				continue;
			}
		} else if (strncmp(s, "${HOME}", 7) == 0) {
			rc = put_var(&b, "HOME", &done);
			if (done) {
				s += 7;
				continue;
			}
		}
#endif
		if (rc == PS_OK)
			rc = put(&b, s++, 1);
	}
	if (rc != PS_OK) {
		free(b.s);
		return rc;
	}
	*out = b.s;
	return PS_OK;
}

int ps_path_for_settings(char **out, const char *path)
{
	char *x = NULL;
	int rc;

	*out = NULL;
	if ((rc = ps_path_expand(&x, path)) != PS_OK)
		return rc;
	if (strcmp(x, path) == 0) {
		free(x);
		return ps_path_absolute(path, out);
	}
	free(x);
	*out = malloc(strlen(path) + 1);
	if (!*out)
		return ps_error_set(PS_ENOMEM, "out of memory");
	memcpy(*out, path, strlen(path) + 1);
	return PS_OK;
}
