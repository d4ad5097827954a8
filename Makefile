# SPDX-License-Identifier: ISC
# ballast: one plain Makefile over pkg-config.
#
#   make            build bin/ballast-balancerd, bin/ballast-sim, bin/ballastctl
#   make SAN=1      the same with AddressSanitizer and UBSan (into build-san/)
#   make check      sanitizer build, then every unit and integration test
#   make demo       a simulated 16-host, 200-VM cluster with the real balancer
#   make deps       install the Debian packages the build, tests and demo need
#   make bench      the benchmarks under bench/

PKGS	= libzmq libprotobuf-c libmicrohttpd jansson libarchive libcurl librrd
DEBS	= build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev \
	  libzmq3-dev libmicrohttpd-dev libjansson-dev libarchive-dev \
	  libcurl4-openssl-dev libcmocka-dev curl jq python3 procps \
	  xz-utils librrd-dev rrdtool rrdcached prometheus

CC	?= cc
WARN	= -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	  -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare \
	  -Wformat=2 -Wno-format-nonliteral
OPT	?= -O2
CSTD	= -std=c11 -D_GNU_SOURCE

ifeq ($(SAN),1)
B	= build-san
BIN	= build-san/bin
SANFL	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined
OPT	= -O1
else
B	= build
BIN	= bin
SANFL	=
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# exporters/ is searched for "..." includes only: its rrd.h must not
# hide librrd's <rrd.h>.
INCS	= -Icommon -Iproto -isystem $(B)/proto -Icollector -Ibalancer -Iweb -Isim \
	  -Ipolicies -iquote exporters -Ictl
CFLAGS	= $(CSTD) $(OPT) -g $(WARN) $(SANFL) $(INCS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS	= $(SANFL)
LDLIBS	= $(PKG_LIBS) -lm

# Every module but the programs' main files goes into one archive; the
# linker takes from it only what a program or test needs.
LIBSRC	= common/log.c common/util.c common/conf_lex.c common/uuidmap.c \
	  common/precopy.c \
	  proto/wire.c \
	  collector/publisher.c \
	  balancer/rate.c balancer/model.c balancer/ingest.c \
	  balancer/checkpoint.c balancer/conf.c \
	  balancer/planner.c balancer/plan_pass.c balancer/plan_view.c \
	  balancer/executor.c balancer/audit.c balancer/balance.c \
	  balancer/dstate.c \
	  web/http.c web/api.c web/api_util.c web/api_plan.c web/graph.c \
	  exporters/clusterstat.c exporters/rrdbatch.c exporters/rrd.c \
	  exporters/prom.c \
	  sim/trace.c sim/synth.c sim/cluster.c \
	  policies/policy.c policies/parse.c policies/parse_rule.c \
	  policies/print.c policies/units.c \
	  ctl/fmt.c
PBSRC	= $(B)/proto/ballast.pb-c.c
LIBOBJ	= $(LIBSRC:%.c=$(B)/%.o) $(PBSRC:.c=.o)
LIB	= $(B)/libballast.a

PROGS	= $(BIN)/ballast-balancerd $(BIN)/ballast-sim $(BIN)/ballastctl
UNIT	= $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS	= $(B)/tests/zsend
BENCH	= $(B)/bench/ingest $(B)/bench/rrd $(B)/bench/plan

all: $(PROGS)

$(B)/proto/ballast.pb-c.c $(B)/proto/ballast.pb-c.h: proto/ballast.proto
	@mkdir -p $(B)/proto
	protoc-c --proto_path=proto --c_out=$(B)/proto proto/ballast.proto

# The generated file follows protobuf-c's style, not ours.
$(B)/proto/ballast.pb-c.o: $(B)/proto/ballast.pb-c.c
	$(CC) $(CSTD) $(OPT) -g $(SANFL) $(PKG_CFLAGS) -I$(B)/proto -c -o $@ $<

$(B)/%.o: %.c $(B)/proto/ballast.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/ballast-balancerd: $(B)/balancer/balancerd.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/ballast-sim: $(B)/sim/sim_main.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/ballastctl: $(B)/ctl/ballastctl.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(B)/tests/zsend: $(B)/tests/tools/zsend.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/ingest: $(B)/bench/ingest.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/rrd: $(B)/bench/rrd.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/quality: $(B)/bench/quality.o $(B)/bench/qsim.o \
	    $(B)/bench/baselines.o $(B)/bench/qplan.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/plan: $(B)/bench/plan.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

tests: $(PROGS) $(UNIT) $(TOOLS)

# Tests use the sanitizer build; deps first when the machine lacks them.
check: deps-if-missing
	$(MAKE) SAN=1 tests
	tests/run.sh build-san

demo: deps-if-missing all
	tools/demo.sh

# make bench TRACES=path/to/month.tar.xz also runs bench/quality on it.
bench: all
	$(MAKE) $(BENCH) $(B)/bench/quality
	for b in $(BENCH); do $$b || exit 1; done
	if [ -n "$(TRACES)" ]; then $(B)/bench/quality --traces "$(TRACES)"; fi

deps:
	tools/deps.sh $(DEBS)

deps-if-missing:
	@tools/deps.sh --if-missing $(DEBS)

clean:
	rm -rf build build-san bin

.PHONY: all tests check demo bench deps deps-if-missing clean

-include $(shell find build build-san -name '*.d' 2>/dev/null)
