/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* main() for POSIX systems: arguments are already UTF-8 there. */
#ifndef _WIN32
#include "cli/cli.h"

#include <locale.h>

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "");
	return cli_main(argc, argv);
}
#endif
