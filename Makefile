# SPDX-License-Identifier: LGPL-3.0-or-later
#
# The one Makefile of pstsync. Builds out of tree in $(BUILD):
#
#   make            the native command-line tool build/pstsync and the core library
#   make win        build/win64/pstsync.exe, cross-built with mingw-w64 against
#                   SQLite and libpff built from Debian source packages
#   make dist       the Windows setup and a zip of the exes, in build/dist (NSIS)
#   make check      every test: native, under AddressSanitizer and
#                   UndefinedBehaviorSanitizer, and the Windows build under Wine
#   make demo       the main job on sample data (PST=file.pst to pick the store)
#   make install    bin/pstsync and its manual page under PREFIX (/usr/local), DESTDIR
#   make deps       install what the build needs (apt-get, deb-src lines)
#   make bench      figures: how long pstsync takes beside libpff's own tools
#   make endurance  syncs killed at random, a full disk, two processes on one store
#   make fuzz       libFuzzer on every parser of input for an hour
#
# Variables: V=1 prints whole commands; CC, CFLAGS, BUILD and CROSS (the
# mingw prefix, x86_64-w64-mingw32-) can be overridden.

BUILD ?= build
CC ?= cc
HOSTCC ?= $(CC)
CROSS ?= x86_64-w64-mingw32-
WINCC = $(CROSS)gcc
WINDRES = $(CROSS)windres
WINAR = $(CROSS)ar
AR ?= ar
PKG_CONFIG ?= pkg-config
SAMPLES ?= ../shared/pst-samples

ifeq ($(V),1)
Q =
quiet = @:
else
Q = @
quiet = @printf '  %-6s %s\n'
endif

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) -Iinclude -Isrc -I$(BUILD)/gen \
	$(CFLAGS) -MMD -MP

# The portable core: everything but the front ends.
CORE_SRC := $(sort $(wildcard src/core/*.c src/pff/*.c src/pst/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
# code the tests share, not tests themselves
TEST_HELPERS = tests/mem_store.c
TEST_SRC := $(sort $(wildcard tests/test_*.c)) $(TEST_HELPERS) tests/main.c
TEST_FUZZ_SRC := $(sort $(wildcard tests/fuzz_*.c))

NATIVE_LIBS = $(shell $(PKG_CONFIG) --libs libpff sqlite3 2>/dev/null || echo -lpff -lsqlite3) -lm

# ---- native ---------------------------------------------------------------

NATIVE_OBJ = $(BUILD)/obj
CORE_OBJ = $(CORE_SRC:%.c=$(NATIVE_OBJ)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(NATIVE_OBJ)/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(NATIVE_OBJ)/%.o)

all: $(BUILD)/pstsync $(BUILD)/libpstsync.a

$(BUILD)/libpstsync.a: $(CORE_OBJ)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/pstsync: $(CLI_OBJ) $(BUILD)/libpstsync.a
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libpstsync.a $(NATIVE_LIBS)

$(BUILD)/tests/run-tests: $(TEST_OBJ) $(BUILD)/libpstsync.a
	@mkdir -p $(@D)
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libpstsync.a $(NATIVE_LIBS)

$(NATIVE_OBJ)/%.o: %.c | $(BUILD)/.deps-native
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The test list: every `void test_<module>__<case>(void)` in tests/test_*.c.
$(BUILD)/gen/suites.inc: $(sort $(wildcard tests/test_*.c))
	@mkdir -p $(@D)
	$(quiet) GEN $@
	$(Q)sed -n 's/^void \(test_[a-z0-9_]*__[a-z0-9_]*\)(void)$$/TEST(\1)/p' $^ > $@.tmp && mv $@.tmp $@

# ---- sanitizers (AddressSanitizer + UndefinedBehaviorSanitizer) ------------

SAN_OBJ = $(BUILD)/san/obj
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CORE_OBJ = $(CORE_SRC:%.c=$(SAN_OBJ)/%.o)
SAN_CLI_OBJ = $(CLI_SRC:%.c=$(SAN_OBJ)/%.o)
SAN_TEST_OBJ = $(TEST_SRC:%.c=$(SAN_OBJ)/%.o)

$(SAN_OBJ)/%.o: %.c | $(BUILD)/.deps-native
	@mkdir -p $(@D)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/san/pstsync: $(SAN_CLI_OBJ) $(SAN_CORE_OBJ)
	$(quiet) LINK $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(NATIVE_LIBS)

$(BUILD)/san/run-tests: $(SAN_TEST_OBJ) $(SAN_CORE_OBJ)
	$(quiet) LINK $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(NATIVE_LIBS)

# ---- fuzzing (libFuzzer, clang) ------------------------------------------
#
# One target per parser of input, tests/fuzz_NAME.c, built as $(BUILD)/fuzz/fuzz_NAME:
#   pst       our PST layer: NDB and LTP readers, the integrity check
#   store     the store backend over it: folders, items, and a write into a damaged store
#   protocol  the sync protocol (SQLite) damaged or crafted, then a sync on it
#   settings  the settings file (INI): refusals, and the round trip of a save
#   setvalue  the NAME=VALUE arguments of `pstsync set` and `add`
# Each runs on its corpus in $(BUILD)/fuzz/corpus-NAME (it grows there), seeded
# from tests/corpus/NAME (kept small: seeds and the inputs of bugs found, which
# every run replays first) and, for pst and store, the sample stores (and for
# pst the big generated stores of `make fuzz-seeds`, when made).
# Crashes land in $(BUILD)/fuzz/NAME-crash-*. FUZZ_TARGETS=... picks targets;
# `make fuzz` shares FUZZ_SECONDS among them, `make fuzz-short` FUZZ_SHORT_SECONDS.

FUZZ_OBJ = $(BUILD)/fuzz/obj
FUZZCC ?= clang
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fsanitize-coverage-ignorelist=tests/corpus/fuzz-nocov.txt -DPS_NDB_PCACHE_SLOTS=64u
FUZZ_TARGETS ?= pst store protocol settings setvalue refs
# the parsing code the PST fuzzer reaches: our own PST layer and what it stands on
FUZZ_CORE_SRC := $(sort $(wildcard src/pst/*.c)) src/core/errors.c src/core/os_posix.c \
	src/core/util.c src/core/utf.c src/core/item.c src/core/store_common.c src/core/propnames.c
FUZZ_CORE_OBJ = $(FUZZ_CORE_SRC:%.c=$(FUZZ_OBJ)/%.o)
# the others take the whole core
FUZZ_ALL_CORE_OBJ = $(CORE_SRC:%.c=$(FUZZ_OBJ)/%.o)
FUZZ_SECONDS ?= 3600
FUZZ_SHORT_SECONDS ?= 60

$(FUZZ_OBJ)/%.o: %.c | $(BUILD)/.deps-native $(BUILD)/.deps-tools
	@mkdir -p $(@D)
	$(quiet) FUZZCC $@
	$(Q)$(FUZZCC) -std=c11 -D_DEFAULT_SOURCE -Iinclude -Isrc -I$(BUILD)/gen \
		$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/fuzz_pst: $(FUZZ_OBJ)/tests/fuzz_pst.o $(FUZZ_CORE_OBJ)
	$(quiet) LINK $@
	$(Q)$(FUZZCC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ -lm

$(BUILD)/fuzz/fuzz_store $(BUILD)/fuzz/fuzz_protocol $(BUILD)/fuzz/fuzz_settings \
		$(BUILD)/fuzz/fuzz_setvalue $(BUILD)/fuzz/fuzz_refs: \
		$(BUILD)/fuzz/fuzz_%: $(FUZZ_OBJ)/tests/fuzz_%.o $(FUZZ_ALL_CORE_OBJ)
	$(quiet) LINK $@
	$(Q)$(FUZZCC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(NATIVE_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# SECONDS are shared among the targets; each prints its figures.
fuzz-run: fuzz-build
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) sh tests/fuzz-run.sh $(SECONDS) $(FUZZ_TARGETS)

fuzz:
	$(Q)$(MAKE) --no-print-directory fuzz-run SECONDS=$(FUZZ_SECONDS)

fuzz-short:
	$(Q)FUZZ_SHORT=1 $(MAKE) --no-print-directory fuzz-run SECONDS=$(FUZZ_SHORT_SECONDS)

# seeds of the PST fuzzer's long runs (tests/fuzz-seeds.sh): small generated
# stores, written by a pstsync whose XBLOCKs and SLBLOCKs hold few entries
# (PS_NDB_SMALL_TREES), so that a store of 271 kB has two-level data and
# subnode trees; and the big generated stores of before
SEEDMAKER_OBJ = $(BUILD)/fuzz/seedmaker/ndb_write.o
$(SEEDMAKER_OBJ): src/pst/ndb_write.c | $(BUILD)/.deps-native
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -DPS_NDB_SMALL_TREES -c -o $@ $<

$(BUILD)/fuzz/seedmaker/pstsync: $(CLI_OBJ) $(filter-out %/ndb_write.o,$(CORE_OBJ)) $(SEEDMAKER_OBJ)
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(NATIVE_LIBS)

fuzz-seeds: all $(BUILD)/fuzz/seedmaker/pstsync
	$(Q)sh tests/fuzz-seeds.sh $(BUILD)

# ---- Windows (mingw-w64 cross build) --------------------------------------

WIN = $(BUILD)/win64
WIN_OBJ = $(WIN)/obj
WINDEPS = $(WIN)/deps
WIN_CFLAGS = -std=c11 $(WARN) -Iinclude -Isrc -I$(BUILD)/gen -I$(WINDEPS)/include \
	-O2 -g -DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601 -D__USE_MINGW_ANSI_STDIO=1 -DLIBPFF_STATIC -MMD -MP
WIN_LIBS = -L$(WINDEPS)/lib -lpff -lsqlite3 -lbcrypt -lm
WIN_CORE_OBJ = $(CORE_SRC:%.c=$(WIN_OBJ)/%.o)
WIN_CLI_OBJ = $(CLI_SRC:%.c=$(WIN_OBJ)/%.o) $(WIN_OBJ)/src/win/cli_wmain.o $(WIN_OBJ)/res/cli.res.o
WIN_TEST_OBJ = $(TEST_SRC:%.c=$(WIN_OBJ)/%.o)

# the tray application: src/win/tray*.c and the resources of res/
WIN_TRAY_OBJ = $(patsubst %.c,$(WIN_OBJ)/%.o,$(sort $(wildcard src/win/tray*.c))) $(WIN_OBJ)/res/app.res.o
WIN_TRAY_LIBS = -lcomctl32 -lshell32 -lole32 -luuid
$(filter %.o,$(WIN_TRAY_OBJ)): WIN_CFLAGS += -Ires

win: $(WIN)/pstsync.exe $(WIN)/run-tests.exe $(WIN)/pstsyncw.exe $(WIN)/test/OUTLOOK.EXE \
	$(WIN)/test/wintext.exe

$(WINDEPS)/.stamp: src/win/build-deps.sh
	$(Q)$(MAKE) --no-print-directory deps-win
	$(quiet) DEPS $(WINDEPS)
	@mkdir -p $(WIN)
	$(Q)sh src/win/build-deps.sh $(WINDEPS) $(CROSS) $(if $(filter 1,$(V)),,>$(WIN)/deps.log 2>&1) \
		|| { tail -n 40 $(WIN)/deps.log; exit 1; }

$(WIN_OBJ)/%.o: %.c | $(WINDEPS)/.stamp
	@mkdir -p $(@D)
	$(quiet) WINCC $@
	$(Q)$(WINCC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN)/libpstsync.a: $(WIN_CORE_OBJ)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(WINAR) rcs $@ $^

$(WIN)/pstsync.exe: $(WIN_CLI_OBJ) $(WIN)/libpstsync.a
	$(quiet) LINK $@
	$(Q)$(WINCC) -municode -static -o $@ $(WIN_CLI_OBJ) $(WIN)/libpstsync.a $(WIN_LIBS)

$(WIN)/run-tests.exe: $(WIN_TEST_OBJ) $(WIN)/libpstsync.a
	$(quiet) LINK $@
	$(Q)$(WINCC) -static -o $@ $(WIN_TEST_OBJ) $(WIN)/libpstsync.a $(WIN_LIBS)

$(WIN_OBJ)/res/app.res.o: res/app.rc res/app_de.rc res/resource.h res/app.manifest $(wildcard res/*.ico) \
		include/pstsync/version.h
	@mkdir -p $(@D)
	$(quiet) WINDRES $@
	$(Q)$(WINDRES) -I res -I include -i res/app.rc -o $@

$(WIN_OBJ)/res/cli.res.o: res/cli.rc res/idle.ico include/pstsync/version.h
	@mkdir -p $(@D)
	$(quiet) WINDRES $@
	$(Q)$(WINDRES) -I res -I include -i res/cli.rc -o $@

$(WIN)/pstsyncw.exe: $(WIN_TRAY_OBJ) $(WIN)/libpstsync.a
	$(quiet) LINK $@
	$(Q)$(WINCC) -municode -mwindows -static -o $@ $(WIN_TRAY_OBJ) $(WIN)/libpstsync.a \
		$(WIN_LIBS) $(WIN_TRAY_LIBS)

# a stand-in for Outlook that holds PST files, for tests/tray_outlook_test.sh
$(WIN)/test/OUTLOOK.EXE: tests/fake_outlook.c
	@mkdir -p $(@D)
	$(quiet) LINK $@
	$(Q)$(WINCC) $(filter-out -MMD -MP,$(WIN_CFLAGS)) -municode -mwindows -static -o $@ $<

# reads the texts of the tray application's windows, for tests/tray_german_test.sh
$(WIN)/test/wintext.exe: tests/wintext.c
	@mkdir -p $(@D)
	$(quiet) LINK $@
	$(Q)$(WINCC) $(filter-out -MMD -MP,$(WIN_CFLAGS)) -municode -static -o $@ $< -lcomctl32

# ---- distribution (make dist) ---------------------------------------------
#
# build/dist/pstsync-VERSION-setup.exe (NSIS, src/win/setup.nsi) and
# build/dist/pstsync-VERSION-win64.zip (the portable form: both exes, LICENSE,
# README.md). VERSION is include/pstsync/version.h's, as for the exes.

VERSION := $(shell sed -n 's/^\#define PSTSYNC_VERSION "\(.*\)"$$/\1/p' include/pstsync/version.h)
DIST = $(BUILD)/dist
SETUP = $(DIST)/pstsync-$(VERSION)-setup.exe
DIST_ZIP = $(DIST)/pstsync-$(VERSION)-win64.zip

dist: $(SETUP) $(DIST_ZIP)

$(SETUP): src/win/setup.nsi $(WIN)/pstsync.exe $(WIN)/pstsyncw.exe LICENSE README.md res/idle.ico
	@mkdir -p $(@D)
	$(quiet) NSIS $@
	$(Q)command -v makensis >/dev/null || $(MAKE) --no-print-directory deps-win
	$(Q)makensis -NOCD -V2 -DVERSION=$(VERSION) -DEXEDIR=$(WIN) -DOUTFILE=$@ src/win/setup.nsi \
		>$(BUILD)/setup.log || { cat $(BUILD)/setup.log; exit 1; }

$(DIST_ZIP): $(WIN)/pstsync.exe $(WIN)/pstsyncw.exe LICENSE README.md
	@mkdir -p $(@D)
	$(quiet) ZIP $@
	$(Q)rm -f $@ && python3 -m zipfile -c $@ $^

# ---- dependencies ---------------------------------------------------------

# What each part of the build needs from Debian's archive. `make deps` installs
# all of it; a plain build checks its own part once, against a stamp in
# $(BUILD), and only reaches apt-get (with sudo) when something is missing.
APT_NATIVE = build-essential pkg-config libsqlite3-dev libpff-dev libbfio-dev
APT_TOOLS = pff-tools pst-utils python3 clang libclang-rt-14-dev libfuzzer-14-dev groff-base man-db \
	g++ libboost-dev
APT_WIN = gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 mingw-w64-tools dpkg-dev tcl \
	xz-utils wine wine64 xvfb xdotool imagemagick nsis locales

SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	$(SUDO) apt-get install -y -qq --no-install-recommends

# Each test is a shell condition that holds when the part's packages are there.
HAVE_NATIVE = $(PKG_CONFIG) --exists libpff sqlite3 2>/dev/null && [ -e /usr/include/libbfio.h ] \
	&& command -v $(CC) >/dev/null
HAVE_TOOLS = command -v clang >/dev/null \
	&& ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
	&& command -v pffexport >/dev/null && command -v readpst >/dev/null \
	&& command -v python3 >/dev/null && command -v groff >/dev/null && command -v man >/dev/null \
	&& command -v g++ >/dev/null && [ -e /usr/include/boost/version.hpp ]
HAVE_WIN = grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ \
	&& command -v $(WINCC) >/dev/null && command -v wine >/dev/null \
	&& command -v Xvfb >/dev/null && command -v dpkg-source >/dev/null \
	&& command -v tclsh >/dev/null && command -v makensis >/dev/null \
	&& command -v localedef >/dev/null

deps: deps-native deps-tools deps-win

deps-native:
	$(Q)if ! { $(HAVE_NATIVE); }; then \
		echo "  DEPS   apt-get install $(APT_NATIVE)"; \
		$(APT_INSTALL) $(APT_NATIVE) >/dev/null; \
	fi

deps-tools:
	$(Q)if ! { $(HAVE_TOOLS); }; then \
		echo "  DEPS   apt-get install $(APT_TOOLS)"; \
		$(APT_INSTALL) $(APT_TOOLS) >/dev/null; \
	fi

deps-win:
	$(Q)if ! { $(HAVE_WIN); }; then \
		echo "  DEPS   deb-src lines and apt-get install $(APT_WIN)"; \
		$(SUDO) sh src/win/add-deb-src.sh && $(APT_INSTALL) $(APT_WIN) >/dev/null; \
	fi

# The stamps: made once per build folder. Objects depend on them order-only,
# so a stamp never makes anything rebuild.
$(BUILD)/.deps-native $(BUILD)/.deps-tools: $(BUILD)/.deps-%:
	$(Q)$(MAKE) --no-print-directory deps-$*
	@mkdir -p $(@D) && touch $@

# ---- install (Linux) --------------------------------------------------------
#
# make install PREFIX=/usr/local DESTDIR=: bin/pstsync and the manual page
# share/man/man1/pstsync.1 (doc/pstsync.1); make uninstall removes them.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1

install: $(BUILD)/pstsync doc/pstsync.1
	$(quiet) INSTALL $(BINDIR)/pstsync
	$(Q)install -d $(BINDIR) $(MAN1DIR)
	$(Q)install -m 755 $(BUILD)/pstsync $(BINDIR)/pstsync
	$(quiet) INSTALL $(MAN1DIR)/pstsync.1
	$(Q)install -m 644 doc/pstsync.1 $(MAN1DIR)/pstsync.1

uninstall:
	rm -f $(BINDIR)/pstsync $(MAN1DIR)/pstsync.1

# ---- tests, demo, benchmarks ----------------------------------------------

# pstsdk-dump, a third PST reader for the tests (Microsoft's PST File Format
# SDK; C++ and Boost's headers), built from beside the samples when it is there
PSTSDK_SRC = $(SAMPLES)/../tools/pstsdk-dump

$(BUILD)/tools/pstsdk-dump: $(wildcard $(PSTSDK_SRC)/dump.cpp) | $(BUILD)/.deps-tools
	$(quiet) CXX $@
	$(Q)if [ -f $(PSTSDK_SRC)/build.sh ]; then sh $(PSTSDK_SRC)/build.sh $(@D) >/dev/null; \
	else echo "  (no $(PSTSDK_SRC): the pstsdk tests are skipped)"; fi

pstsdk-tool: $(BUILD)/tools/pstsdk-dump

check: $(BUILD)/.deps-tools all $(BUILD)/tests/run-tests $(BUILD)/san/run-tests \
		$(BUILD)/san/pstsync win dist fuzz-build pstsdk-tool
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) sh tests/check.sh

check-native: $(BUILD)/.deps-tools all $(BUILD)/tests/run-tests
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) PARTS="unit cli install" sh tests/check.sh

# make demo: a sync of two stores it creates; make demo PST=file.pst: one store, read
PST ?=

demo: all
	$(Q)BUILD=$(BUILD) PST="$(PST)" SAMPLES=$(SAMPLES) sh tests/demo.sh

bench: all
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) sh tests/bench.sh

# Endurance and fault tests (tests/endurance.py): syncs killed at random
# instants, a disk filling up, two processes on one global store, for
# ENDURANCE_ROUNDS rounds (40) within ENDURANCE_SECONDS (3000), on stores
# of ENDURANCE_ITEMS items (1000); ENDURANCE_SEED repeats a run. `make check`
# runs a short form.
endurance: all
	$(Q)BUILD=$(BUILD) python3 tests/endurance.py

clean:
	rm -rf $(BUILD)/obj $(BUILD)/san $(BUILD)/tests $(BUILD)/gen $(BUILD)/pstsync \
		$(BUILD)/libpstsync.a $(WIN_OBJ) $(WIN)/*.exe $(WIN)/*.a $(BUILD)/tmp $(DIST)

distclean:
	rm -rf $(BUILD)

.PHONY: install uninstall dist fuzz fuzz-short fuzz-run fuzz-build fuzz-seeds pstsdk-tool endurance all win check check-native demo bench deps deps-native deps-tools deps-win clean distclean

$(NATIVE_OBJ)/tests/main.o $(SAN_OBJ)/tests/main.o $(WIN_OBJ)/tests/main.o: $(BUILD)/gen/suites.inc

# The by-name index of the property names, generated from their tables.
$(BUILD)/gen/propnames_by_name.inc: src/core/propnames.c src/core/propnames-index.sh
	@mkdir -p $(@D)
	$(quiet) GEN $@
	$(Q)sh src/core/propnames-index.sh src/core/propnames.c > $@.tmp && mv $@.tmp $@

$(NATIVE_OBJ)/src/core/propnames.o $(SAN_OBJ)/src/core/propnames.o $(WIN_OBJ)/src/core/propnames.o \
	$(FUZZ_OBJ)/src/core/propnames.o: $(BUILD)/gen/propnames_by_name.inc

# Test functions are declared by the generated list, not by headers.
$(TEST_OBJ) $(SAN_TEST_OBJ) $(WIN_TEST_OBJ): WARN += -Wno-missing-prototypes

-include $(shell find $(NATIVE_OBJ) $(SAN_OBJ) $(WIN_OBJ) $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
