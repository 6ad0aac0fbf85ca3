/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Per-thread error messages (see include/pstsync/errors.h). The buffer is
 * thread-local so that the tray application's sync thread and its window
 * thread never see each other's messages.
 */
#include "pstsync/errors.h"

#include <stdio.h>
#include <string.h>

#define MESSAGE_MAX 1024

static _Thread_local char last_message[MESSAGE_MAX];
static _Thread_local int last_code;

int ps_error_setv(int code, const char *fmt, va_list ap)
{
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	last_code = code;
	return code;
}

int ps_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps_error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

int ps_error_prefix(int code, const char *fmt, ...)
{
	char prefix[MESSAGE_MAX];
	char old[MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_message, sizeof(old));
	/* the cause is cut, not the context, when the two do not fit */
	if (old[0])
		snprintf(last_message, sizeof(last_message), "%.400s: %.600s", prefix, old);
	else
		snprintf(last_message, sizeof(last_message), "%s", prefix);
	last_code = code;
	return code;
}

const char *ps_error_last(void)
{
	return last_message;
}

int ps_error_last_code(void)
{
	return last_code;
}

void ps_error_clear(void)
{
	last_message[0] = '\0';
	last_code = PS_OK;
}

ps_scope ps_status_scope(int code)
{
	switch (code) {
	case PS_EITEM:
	case PS_ENOTFOUND:
	case PS_EUNSUPPORTED:
		return PS_SCOPE_ITEM;
	case PS_EFOLDER:
	case PS_EINVAL:
	case PS_EEXISTS:
		return PS_SCOPE_LINK;
	default:
		return code < 0 ? PS_SCOPE_STORE : PS_SCOPE_NONE;
	}
}

const char *ps_status_name(int code)
{
	switch (code) {
	case PS_OK: return "ok";
	case PS_ENOMEM: return "out of memory";
	case PS_ENOTFOUND: return "not found";
	case PS_EEXISTS: return "already exists";
	case PS_EINVAL: return "invalid argument";
	case PS_EIO: return "input/output error";
	case PS_ENOSPC: return "disk full";
	case PS_ELOCKED: return "in use by another program";
	case PS_ENOTPST: return "not a PST file";
	case PS_ECORRUPT: return "damaged store";
	case PS_EUNSUPPORTED: return "not supported";
	case PS_EITEM: return "damaged item";
	case PS_EFOLDER: return "damaged folder";
	case PS_ECONFIG: return "bad settings";
	case PS_EPROTOCOL: return "damaged protocol database";
	case PS_EABORTED: return "aborted";
	default: return "error";
	}
}
