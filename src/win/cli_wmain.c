/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * wmain() of the Windows console tool: takes the UTF-16 command line,
 * passes it on as UTF-8 (what the core speaks everywhere), and switches the
 * console to UTF-8 so names in any script print correctly.
 */
#include "cli/cli.h"

#include <windows.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **wargv);

int wmain(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(char *));
	int i, rc;

	if (!argv)
		return EXIT_FAIL;
	for (i = 0; i < argc; i++) {
		int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
		argv[i] = malloc(n > 0 ? (size_t)n : 1);
		if (!argv[i])
			return EXIT_FAIL;
		argv[i][0] = '\0';
		if (n > 0)
			WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL);
	}
	SetConsoleOutputCP(CP_UTF8);
	rc = cli_main(argc, argv);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}
