/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What the command-line front end's files share: the command table, the
 * global options, and helpers to report errors, format times and sizes, and
 * show progress. The command line is the only part of pstsync on Linux that
 * prints; it presents what the core returns.
 */
#ifndef PSTSYNC_CLI_H
#define PSTSYNC_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "pstsync/errors.h"
#include "pstsync/store.h"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_FAIL 1     /* the command could not do its work */
#define EXIT_USAGE 2    /* the command line itself was wrong */
#define EXIT_QUESTIONS 3 /* sync: questions left outstanding, nothing failed */

struct cli {
	int json;           /* --json: machine-readable output on stdout */
	int quiet;          /* -q: no progress, no warnings */
	int progress;       /* progress lines on stderr (a terminal, not quiet) */
	const char *config; /* --config FILE */
	unsigned warnings;  /* warnings printed so far */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;   /* one line for `pstsync --help` */
	const char *usage;     /* the whole `pstsync NAME --help` text */
};

extern const struct cli_command cli_commands[];

/** The entry point shared by main() on every platform; argv is UTF-8. */
int cli_main(int argc, char **argv);

/** Print "pstsync: MESSAGE" on stderr; returns EXIT_FAIL. */
int cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 1, 2)))
#endif
	;

/** Print the core's last error message; returns EXIT_FAIL. */
int cli_fail_core(void);

/*
 * EXIT_OK, or EXIT_FAIL with a message naming the file when --config names
 * a settings file that does not exist: a command that needs profiles (a
 * scheduled sync) must not pass for "nothing to do" because of a typo.
 */
int cli_settings_exist(const struct cli *cli);

/** Print a usage error and a hint to --help; returns EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;

/** A warning callback for stores: prints "pstsync: warning: ..." unless quiet. */
void cli_warning(const char *message, void *ctx);

/** 1 when @p arg is "-h" or "--help". */
int cli_is_help(const char *arg);

/**
 * Take the options every command accepts (--json, -q) out of argv, leaving
 * the rest in order. Returns EXIT_OK, or EXIT_USAGE for an unknown option.
 */
int cli_common_options(struct cli *cli, const struct cli_command *cmd, int *argc, char **argv);

/** Format a FILETIME as "2016-08-02T15:00:00Z" (or "" for 0) into 21+ bytes. */
void cli_format_time(uint64_t filetime, char *buf, size_t size);

/** Progress on stderr: a line rewritten in place, only when cli->progress. */
void cli_progress(struct cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(PS_PRINTF_FORMAT, 2, 3)))
#endif
	;
void cli_progress_done(struct cli *cli);

/** The command named @p name in cli_commands, or NULL. */
const struct cli_command *cli_find_command(const char *name);

/** Columns a UTF-8 string takes on a terminal (one a code point). */
size_t cli_text_width(const char *s);

/** Print @p s left-aligned in @p columns columns. */
void cli_print_padded(FILE *out, const char *s, size_t columns);

/** 1 when the stream is a terminal. */
int cli_isatty(FILE *stream);

/** Open a store and hook warnings to the terminal; prints the error itself. */
int cli_open_store(struct cli *cli, const char *path, ps_store **out);

/* The commands. */
int cmd_ls(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_profile(struct cli *cli, int argc, char **argv);
int cmd_options(struct cli *cli, int argc, char **argv);
/* src/cli/cmd_write.c: the commands that write into stores */
int cmd_create(struct cli *cli, int argc, char **argv);
int cmd_mkdir(struct cli *cli, int argc, char **argv);
int cmd_copy(struct cli *cli, int argc, char **argv);
int cmd_set(struct cli *cli, int argc, char **argv);
int cmd_add(struct cli *cli, int argc, char **argv);
int cmd_rm(struct cli *cli, int argc, char **argv);
int cmd_mv(struct cli *cli, int argc, char **argv);
/* src/cli/cmd_generate.c: stores of generated items, for tests and benchmarks */
int cmd_generate(struct cli *cli, int argc, char **argv);
/* src/cli/cmd_sync.c: synchronising profiles, and their state */
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);

/* src/cli/cmd_recover.c: the versions syncs replaced or deleted, and bringing them back */
int cmd_recover(struct cli *cli, int argc, char **argv);

#endif
