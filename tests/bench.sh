#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# `make bench`: the benchmarks, each printing its own table.
set -eu
python3 tests/bench.py
