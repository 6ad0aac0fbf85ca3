#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# Builds the Windows libraries pstsync links statically, from Debian source
# packages only: SQLite (bookworm) and libpff (bookworm). The result is a
# prefix with include/ and lib/ that the Makefile caches under build/win64/deps.
#
# usage: build-deps.sh PREFIX [CROSS]   (CROSS defaults to x86_64-w64-mingw32-)
set -eu
prefix=$1
cross=${2:-x86_64-w64-mingw32-}
host=${cross%-}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$prefix"
# the physical path: with a linked prefix, "$prefix/../src" must name one folder
# for rm, mkdir and cd alike
prefix=$(cd "$prefix" && pwd -P)
src="$prefix/../src"
rm -rf "$src"
mkdir -p "$src" "$prefix/include" "$prefix/lib"
cd "$src"

echo "fetching Debian source packages"
apt-get source --download-only sqlite3/bookworm libpff/bookworm
for dsc in sqlite3_*.dsc libpff_*.dsc; do
	dpkg-source --no-check -x "$dsc" >/dev/null
done

echo "building SQLite"
cd "$src"/sqlite3-*/
# the tree has no amalgamation, and its tools must run here: make it natively
mkdir -p native && cd native
../configure --disable-tcl >/dev/null
make sqlite3.c >/dev/null
${cross}gcc -O2 -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_DEFAULT_FOREIGN_KEYS=1 \
	-c sqlite3.c -o sqlite3.o
${cross}ar rcs "$prefix/lib/libsqlite3.a" sqlite3.o
cp sqlite3.h sqlite3ext.h "$prefix/include/"

echo "building libpff"
cd "$src"/libpff-*/
# mingw-w64's headers are lower case
grep -rl '<Synchapi.h>\|<Processthreadsapi.h>\|<Threadpoolapiset.h>' . 2>/dev/null \
	| xargs -r sed -i 's/<Synchapi.h>/<synchapi.h>/; s/<Processthreadsapi.h>/<processthreadsapi.h>/; s/<Threadpoolapiset.h>/<threadpoolapiset.h>/'
./configure --host="$host" --prefix="$prefix" --enable-static --disable-shared --disable-nls \
	--without-libfuse --without-openssl >/dev/null
make -j"$jobs" >/dev/null
make install >/dev/null

touch "$prefix/.stamp"
echo "done: $prefix"
