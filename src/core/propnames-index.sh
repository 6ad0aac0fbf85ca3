#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# Writes the by-name index of src/core/propnames.c: one line per entry of its
# tables `tagged[]` and `named[]` (one entry a line, its name first), as
# `&tagged[N], /* Name */`, sorted by name with ASCII case ignored, the order
# ps_propname_lookup() binary-searches. The Makefile runs it into
# $(BUILD)/gen/propnames_by_name.inc, so no index is kept by hand.
#
# usage: propnames-index.sh src/core/propnames.c > propnames_by_name.inc
set -eu
awk '
/^static const ps_propname_def (tagged|named)\[\] = \{$/ {
	table = $4; sub(/\[\].*/, "", table); n = 0; next
}
table != "" && /^\};/ { table = ""; next }
table != "" && /^\t\{ "/ {
	name = $0; sub(/^\t\{ "/, "", name); sub(/".*/, "", name)
	# lower case first, for a byte-wise sort that ignores ASCII case
	printf "%s\t&%s[%d], /* %s */\n", tolower(name), table, n, name
	n++
}' "$1" | LC_ALL=C sort | cut -f 2-
