#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# Adds Debian source-package lines (bookworm and trixie) beside the machine's
# binary ones, so that the Windows build can fetch the SQLite and libpff
# sources with apt-get source. Run as root; does nothing twice.
set -e
list=/etc/apt/sources.list.d/pstsync-src.sources
grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && exit 0
uri=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
cat > "$list" <<EOT
Types: deb-src
URIs: $uri
Suites: bookworm trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
