/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Error reporting for the portable core.
 *
 * Every core function that can fail returns an int: 0 (PS_OK) on success or
 * one of the negative codes below. The code says what kind of failure it was
 * and how far the damage spreads (one item, one folder, the whole store), so
 * that the engine can skip an item yet abort a store. The human-readable
 * detail is kept per thread: the failing function sets it with ps_error_set()
 * and the front end reads it with ps_error_last(). Messages are lower case,
 * name what failed first and quote the file, e.g.
 * "cannot open 'common.pst': not a PST file (bad magic)".
 *
 * The core never prints and never exits: presenting the message is the front
 * end's job.
 *
 * How far a failure spreads is one rule, given by ps_status_scope():
 *   item   (PS_EITEM, PS_ENOTFOUND, PS_EUNSUPPORTED): one item cannot be read
 *          or written (the writer refuses an item it cannot store with
 *          PS_EITEM): it is skipped, counted and warned about; the rest goes on;
 *   link   (PS_EFOLDER, PS_EINVAL, PS_EEXISTS): a folder is damaged or missing,
 *          or a link asks for something impossible: that link fails, the
 *          profile's other links go on;
 *   store  (everything else: PS_EIO, PS_ENOSPC, PS_ELOCKED, PS_ECORRUPT,
 *          PS_ENOTPST, PS_EPROTOCOL, PS_ENOMEM, PS_ECONFIG, PS_EABORTED,
 *          PS_ERROR): a store, the protocol or the machine failed: the
 *          profile stops, leaving its journal for the next sync to finish.
 * A caller working on something larger than an item counts an item-scope
 * failure of it at its own scope (a folder that cannot be listed because
 * PS_ENOTFOUND fails its link).
 */
#ifndef PSTSYNC_ERRORS_H
#define PSTSYNC_ERRORS_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The printf flavour to check formats against: mingw builds use the C99
 * printf (__USE_MINGW_ANSI_STDIO), which knows %zu and %lld. */
#if defined(__MINGW32__)
#define PS_PRINTF_FORMAT gnu_printf
#else
#define PS_PRINTF_FORMAT printf
#endif

/** Status codes. Negative values are failures. */
enum ps_status {
	PS_OK = 0,
	PS_ERROR = -1,        /**< generic failure */
	PS_ENOMEM = -2,       /**< out of memory */
	PS_ENOTFOUND = -3,    /**< file, folder, item or setting does not exist */
	PS_EEXISTS = -4,      /**< something by that name already exists */
	PS_EINVAL = -5,       /**< bad argument from the caller or the user */
	PS_EIO = -6,          /**< the operating system refused a read or write */
	PS_ENOSPC = -7,       /**< the disk is full */
	PS_ELOCKED = -8,      /**< another program holds the file */
	PS_ENOTPST = -9,      /**< the file is not a PST or OST file at all */
	PS_ECORRUPT = -10,    /**< a PST or OST whose structures are damaged */
	PS_EUNSUPPORTED = -11,/**< valid, but something pstsync cannot do */
	PS_EITEM = -12,       /**< one item is damaged or refused: skip it, carry on */
	PS_EFOLDER = -13,     /**< one folder is damaged: its link fails, the others go on */
	PS_ECONFIG = -14,     /**< a settings file has a bad line */
	PS_EPROTOCOL = -15,   /**< the sync protocol database is damaged */
	PS_EABORTED = -16     /**< stopped on request */
};

/**
 * Set the calling thread's error message and return @p code, so that a
 * failing function can end with `return ps_error_set(PS_EIO, "...", ...)`.
 *
 * @param code  the status to return (negative)
 * @param fmt   printf-style format of the message
 * @return code
 */
int ps_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;

/** Like ps_error_set() with a va_list. */
int ps_error_setv(int code, const char *fmt, va_list ap);

/**
 * Put @p fmt (formatted) in front of the current message, separated by
 * ": ", to add context on the way up ("cannot copy 'Contacts/x': " + cause).
 * Returns @p code.
 */
int ps_error_prefix(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;

/** The calling thread's last message; never NULL ("" when none). */
const char *ps_error_last(void);

/** The code given with the last message of this thread (PS_OK if none). */
int ps_error_last_code(void);

/** Forget the calling thread's message. */
void ps_error_clear(void);

/** How far a failure spreads: see the rule at the top of this file. */
typedef enum ps_scope {
	PS_SCOPE_NONE = 0,  /**< not a failure */
	PS_SCOPE_ITEM = 1,  /**< skip the item, count it, warn */
	PS_SCOPE_LINK = 2,  /**< fail the link (or folder); the other links go on */
	PS_SCOPE_STORE = 3  /**< stop the profile (a store, the protocol, the machine) */
} ps_scope;

/** The scope of status @p code (PS_SCOPE_NONE for PS_OK and positive values). */
ps_scope ps_status_scope(int code);

/** A short lower-case name for a status code ("not a PST file", ...). */
const char *ps_status_name(int code);

#ifdef __cplusplus
}
#endif

#endif
