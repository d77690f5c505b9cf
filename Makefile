# sockstep - build, run, test and install.
#
#   make            build ./sockstep
#   make run        build and start the TUI on the default lesson (echo)
#   make check      build and run every test suite; ends with
#                   "N passed, N failed, N skipped"
#   make install    PREFIX=/usr/local DESTDIR=  (a PREFIX other than the
#                   build's rebuilds first: it is where the lessons are looked for)
#
# `make run` and `make check` first install missing Debian build dependencies
# (.ci/deps, through sudo when not root). WERROR=1 turns warnings into errors
# (CI sets it); SAN=1 builds with AddressSanitizer and UBSan.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/sockstep
MANDIR    = $(PREFIX)/share/man/man1

CC       ?= cc
PKG_CONFIG ?= pkg-config
CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
PCAP_LIBS     := $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)
JANSSON_LIBS  := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
# What the model's code links with: libpcap (capture) and jansson (replay).
MODEL_LIBS    := $(PCAP_LIBS) $(JANSSON_LIBS)

CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN     += -Werror
endif
ifeq ($(SAN),1)
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc \
             -DSOCKSTEP_VERSION='"$(VERSION)"' -DSOCKSTEP_DATADIR='"$(DATADIR)"'

# Sanitizer builds keep their objects apart, so switching never mixes them.
BUILD    := build$(if $(filter 1,$(SAN)),-san)
MODEL_SRC := $(wildcard src/model/*.c)
VIEW_SRC  := $(wildcard src/views/*.c)
UI_SRC    := $(wildcard src/ui/*.c)
APP_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
ASSETS    := $(wildcard assets/*.txt assets/themes/*.theme)
LIB_OBJ   := $(patsubst %.c,$(BUILD)/%.o,$(MODEL_SRC) $(VIEW_SRC)) $(BUILD)/assets.o
APP_OBJ   := $(patsubst %.c,$(BUILD)/%.o,$(UI_SRC) $(APP_SRC) src/main.c)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# Every tests/fuzz/fuzz_NAME.c is a target, found as the test suites are.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(patsubst %,$(BUILD)/tests/replay-%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 600
# Programs sockstep run traces in the tests (tests/programs): plain C, one
# linked statically, one with threads, a wrapper that refuses ptrace,
# servers that fork or start threads before any client comes, servers that
# outlive their clients (a poll loop, an accept loop), the programs of the
# byte-moving calls and of stdin as a source, and a non-blocking client, an
# epoll server and one whose accept a SIGCHLD interrupts; and hostile ones
# (tests/programs/escape.sh) that try to reach sockstep or to listen beyond
# loopback around its guard.
PROGRAMS  := echo_server echo_client forking_server threaded_client noptrace \
             prefork_server threaded_server fork_many poll_client poll_server accept_server \
             fetch_client writev_server inetd_server fdpass_server mmsg splice_server \
             nonblock_client epoll_server sigchld_server \
             epoll_count_server nb_client reaping_server reach_ancestors \
             listen_unbound bind_race io_uring int80 many_calls select_hostile rcvtimeo
PROG_BIN  := $(patsubst %,$(BUILD)/programs/%,$(PROGRAMS)) $(BUILD)/programs/echo_client_static

.PHONY: all run check deps install uninstall clean unit bench fuzz valgrind FORCE

all: sockstep

sockstep: $(LIB_OBJ) $(APP_OBJ) build/flavour $(BUILD)/config
	$(CC) $(LDFLAGS) -o $@ $(LIB_OBJ) $(APP_OBJ) $(CURSES_LIBS) $(MODEL_LIBS)

# What the build is configured with: the compiler, its flags (WARN, SAN,
# CFLAGS, and DATADIR, where the program will look for its installed
# lessons), the linker's flags and libraries. Every object and program
# depends on it, and it is rewritten only when it changes (as build/flavour
# below), so `make` then `make install PREFIX=/opt/x` rebuilds what the new
# PREFIX changes, and the same configuration again rebuilds nothing. DESTDIR
# is not in it: it stages the installed files, the program does not see it.
sq = $(subst ','\'',$(1))
CONFIG = 'CC=$(call sq,$(CC))' 'CFLAGS=$(call sq,$(ALL_CFLAGS))' \
         'CURSES_CFLAGS=$(call sq,$(CURSES_CFLAGS))' 'LDFLAGS=$(call sq,$(LDFLAGS))' \
         'LIBS=$(call sq,$(CURSES_LIBS) $(MODEL_LIBS) $(CMOCKA_LIBS))'
$(BUILD)/config: FORCE
	@mkdir -p $(BUILD); new=$@.$$$$; printf '%s\n' $(CONFIG) > $$new; \
	if cmp -s $$new $@; then rm -f $$new; else mv -f $$new $@; fi

# Which build ./sockstep is (sanitized or not): rewritten only when it
# changes, so switching SAN=1 on or off relinks.
FLAVOUR := $(if $(filter 1,$(SAN)),san,plain)
build/flavour: FORCE
	@mkdir -p build
	@[ "$$(cat $@ 2>/dev/null)" = "$(FLAVOUR)" ] || echo $(FLAVOUR) > $@

FORCE:

# The curses backend is the only code that sees curses' headers and flags.
$(BUILD)/src/ui/curses.o: ALL_CFLAGS += $(CURSES_CFLAGS)

# Help text and themes are compiled in (declared in src/views/assets.h).
$(BUILD)/assets.c: $(ASSETS) assets/embed.sh
	@mkdir -p $(dir $@)
	sh assets/embed.sh $(ASSETS) > $@

$(BUILD)/assets.o: $(BUILD)/assets.c $(BUILD)/config
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c $(BUILD)/config
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(BUILD)/config
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(CMOCKA_LIBS) $(MODEL_LIBS)

$(BUILD)/programs/%: tests/programs/%.c $(BUILD)/config
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -pthread -o $@ $<

$(BUILD)/programs/echo_client_static: tests/programs/echo_client.c $(BUILD)/config
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -static -o $@ $<

# The fuzz targets see the model, the views, and plain.c (what replay
# --plain prints); the corpora replayed with the ordinary compiler (make
# check)...
FUZZ_UI := src/ui/plain.c
$(BUILD)/tests/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJ) $(BUILD)/src/ui/plain.o $(BUILD)/config
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) $(BUILD)/src/ui/plain.o $(LDFLAGS) $(MODEL_LIBS)

# ...and fuzzed for real with libFuzzer (clang): FUZZ_SECONDS per target.
# The inputs it grows stay in build-fuzz/; a crash lands in
# tests/fuzz/corpus/NAME, where replay keeps it as a regression test.
fuzz: $(BUILD)/assets.c
	@command -v clang >/dev/null || sh .ci/deps fuzz
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
		clang -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
			-o build-fuzz/fuzz-$$t tests/fuzz/fuzz_$$t.c $(MODEL_SRC) $(VIEW_SRC) $(FUZZ_UI) $(BUILD)/assets.c \
			$(MODEL_LIBS) || exit 1; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		mkdir -p build-fuzz/corpus-$$t; \
		build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/corpus/$$t/crash- \
			build-fuzz/corpus-$$t tests/fuzz/corpus/$$t 2>&1 | tail -n 3 || exit 1; \
	done

deps:
	@sh .ci/deps check

run:
	@sh .ci/deps run
	@$(MAKE) --no-print-directory sockstep
	./sockstep echo

unit: $(UNIT_BIN) $(REPLAY_BIN) $(PROG_BIN)

check:
	@sh .ci/deps check
	@$(MAKE) --no-print-directory sockstep unit
	@BUILD=$(BUILD) sh tests/run.sh

valgrind: sockstep
	@bash tests/valgrind.sh

bench: sockstep
	@sh bench/run.sh

install: sockstep
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/lessons $(DESTDIR)$(MANDIR)
	install -m 755 sockstep $(DESTDIR)$(BINDIR)/sockstep
	install -m 644 lessons/*.lesson lessons/README.md $(DESTDIR)$(DATADIR)/lessons/
	install -m 644 assets/sockstep.1 $(DESTDIR)$(MANDIR)/sockstep.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sockstep $(DESTDIR)$(MANDIR)/sockstep.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz sockstep

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
