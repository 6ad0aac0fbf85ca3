#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
#
# Draws the tray application's icons with ImageMagick and writes them as
# multi-size .ico files beside this script: idle.ico (blue, two arrows in a
# circle), syncing.ico (green, the same arrows), attention.ico (orange, an
# exclamation mark). Each is drawn once at 256 pixels and scaled down to
# 16, 20, 24, 32, 48 and 64 so that every DPI gets a sharp enough picture.
# The .ico files are committed; run this only to change the drawings:
#   sh res/make-icons.sh
set -eu
cd "$(dirname "$0")"
CONVERT=/usr/bin/convert    # /usr/local/bin/convert may be a stand-in
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# arrows COLOR OUT: a disc with two white arrows chasing each other
arrows() {
	$CONVERT -size 256x256 xc:none \
		-fill "$1" -stroke "#ffffff" -strokewidth 10 -draw "circle 128,128 128,8" \
		-fill none -stroke white -strokewidth 24 \
		-draw "arc 60,60 196,196 200,335" -draw "arc 60,60 196,196 20,155" \
		-stroke none -fill white \
		-draw "polygon 196,72 214,150 146,118" -draw "polygon 60,184 42,106 110,138" \
		"$2"
}

arrows "#1f6fc5" "$tmp/idle.png"
arrows "#1e9e4a" "$tmp/syncing.png"
$CONVERT -size 256x256 xc:none \
	-fill "#e8860c" -stroke white -strokewidth 10 -draw "circle 128,128 128,8" \
	-stroke none -fill white -draw "roundrectangle 108,44 148,160 14,14" \
	-draw "circle 128,196 128,218" "$tmp/attention.png"

for name in idle syncing attention; do
	set --
	for size in 16 20 24 32 48 64; do
		$CONVERT "$tmp/$name.png" -resize ${size}x$size "$tmp/$name-$size.png"
		set -- "$@" "$tmp/$name-$size.png"
	done
	$CONVERT "$@" "$name.ico"
done
echo "wrote idle.ico syncing.ico attention.ico"
