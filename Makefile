# qy — build, test, benchmark, install.  GNU make.
#
#   make            build the programs into $(B)/
#   make check      unit, golden and conformance tests, then again under ASan+UBSan
#   make demo       install missing build dependencies, build, run the month on samples/
#   make bench      benchmarks (see scripts/bench*.sh)
#   make install    PREFIX=/usr/local DESTDIR=
#
# B selects the build directory, so two builds (or two people) never share objects:
#   make B=build-san SAN=1

VERSION  = 0.1.0
B       ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

PCRE2_CFLAGS := $(shell pkg-config --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS   := $(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
# Debian's libcsv-dev ships no .pc file; use it when a system has one.
CSV_CFLAGS   := $(shell pkg-config --cflags libcsv 2>/dev/null)
CSV_LIBS     := $(shell pkg-config --libs libcsv 2>/dev/null || echo -lcsv)

CFLAGS  ?= -O2 -g
ifeq ($(SAN),1)
CFLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
QY_CFLAGS = -std=c11 -D_GNU_SOURCE -DQY_VERSION='"$(VERSION)"' -Wall -Wextra -Werror \
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Ilib $(PCRE2_CFLAGS) $(CSV_CFLAGS)
LDLIBS   = $(PCRE2_LIBS) $(CSV_LIBS) -lpthread -lm

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
CMDS     = $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/*.c)))
PROGS    = $(CMDS:%=$(B)/%)
TOOLS    = $(patsubst scripts/%.c,$(B)/%,$(sort $(wildcard scripts/*.c)))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(PROGS) $(TOOLS)

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(QY_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libqy.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(B)/%: cmd/%.c $(B)/libqy.a
	$(CC) $(QY_CFLAGS) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(B)/libqy.a $(LDLIBS)

# Generators and benchmark helpers: one self-contained .c each under scripts/.
$(B)/%: scripts/%.c
	@mkdir -p $(@D)
	$(CC) $(QY_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CSV_LIBS) -lm

$(B)/tests/%: tests/unit/%.c tests/unit/check.h $(B)/libqy.a
	@mkdir -p $(@D)
	$(CC) $(QY_CFLAGS) -Itests/unit $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(B)/libqy.a $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(PROGS:=.d) $(UNITS:=.d)

# The test suites print one PASS/FAIL line per test; tests/run-all.sh sums them up.
test: all $(UNITS)
	QY_SAN=$(SAN) sh tests/run-all.sh $(B)

# check also builds everything with clang when it is there (-Werror both ways).
check:
	$(MAKE) test B=$(B)
	$(MAKE) test B=$(B)-san SAN=1
	if command -v clang >/dev/null 2>&1; then $(MAKE) all B=$(B)-clang CC=clang; fi
	sh tests/summary.sh $(B) $(B)-san

demo:
	sh scripts/demo.sh $(B)

bench: all
	sh scripts/bench.sh $(B)

format:
	clang-format -i cmd/*.c lib/*.c lib/*.h tests/unit/*.c tests/unit/*.h scripts/*.c

MAN1 = $(sort $(wildcard man/*.1))
MAN7 = $(sort $(wildcard man/*.7))
install: $(PROGS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(PREFIX)/share/qy
	install -m 755 $(PROGS) scripts/qy-monthly $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN7) $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 644 share/rules.tsv $(DESTDIR)$(PREFIX)/share/qy

clean:
	rm -rf $(B) $(B)-san $(B)-clang $(B)-fuzz

.PHONY: all test check demo bench format install clean

# Fuzzing (clang + libFuzzer): one target per tests/fuzz/fuzz_*.c, each run
# for FUZZ_SECONDS on its corpus in $(B)-fuzz/.  Not part of check.
FUZZ_SECONDS ?= 60
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	$(MAKE) B=$(B)-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" $(B)-fuzz/libqy.a
	@for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  clang $(QY_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $(B)-fuzz/$$n $$f $(B)-fuzz/libqy.a $(LDLIBS) || exit 1; \
	  mkdir -p $(B)-fuzz/corpus-$$n; \
	  $(B)-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(B)-fuzz/corpus-$$n || exit 1; \
	done
.PHONY: fuzz

# Regenerates samples/ from the generator (tests/suite-samples.sh checks that
# the committed files are exactly what it writes).
samples: $(B)/qy-gen
	sh scripts/make-samples.sh $(B)/qy-gen
.PHONY: samples
