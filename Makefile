# SPDX-License-Identifier: ISC
# ballast: one plain Makefile over pkg-config.
#
#   make            build bin/ballast-balancerd, bin/ballast-sim, bin/ballastctl,
#                   bin/ballast-collectord
#   make SAN=1      the same with AddressSanitizer and UBSan (into build-san/)
#   make check      sanitizer build, then every unit and integration test
#   make demo       a simulated 16-host, 200-VM cluster with the real balancer
#   make deps       install the Debian packages the build, tests and demo need
#   make bench      the benchmarks under bench/

PKGS	= libzmq libprotobuf-c libmicrohttpd jansson libarchive libcurl librrd
DEBS	= build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev \
	  libzmq3-dev libmicrohttpd-dev libjansson-dev libarchive-dev \
	  libcurl4-openssl-dev libcmocka-dev curl jq python3 procps \
	  xz-utils librrd-dev rrdtool rrdcached prometheus chromium openssl \
	  libsnmp-dev snmp snmpd snmptrapd smitools libvirt-dev
# The browser tests' Node.js; left alone when an npm is already there
# (NodeSource's nodejs provides npm and conflicts with Debian's).
NODEDEBS = nodejs npm
# ballast-collectord's tests (libvirtd, QEMU, virsh) and bench/collector
DEBS	+= libvirt-daemon-system libvirt-clients qemu-system-x86 \
	  collectd-core prometheus-libvirt-exporter

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
# net-snmp: the client and agent libraries only (SNMP traps, AgentX).
LDLIBS	= $(PKG_LIBS) -lnetsnmpagent -lnetsnmp -lm

# Every module but the programs' main files goes into one archive; the
# linker takes from it only what a program or test needs.
LIBSRC	= common/log.c common/util.c common/conf_lex.c common/uuidmap.c \
	  common/precopy.c common/conf_file.c \
	  proto/wire.c \
	  collector/publisher.c \
	  balancer/rate.c balancer/model.c balancer/ingest.c \
	  balancer/checkpoint.c balancer/conf.c \
	  balancer/planner.c balancer/plan_pass.c balancer/plan_view.c \
	  balancer/executor.c balancer/audit.c balancer/balance.c \
	  balancer/dstate.c \
	  web/http.c web/api.c web/api_util.c web/api_plan.c web/graph.c \
	  web/assets.c web/api_report.c \
	  exporters/clusterstat.c exporters/rrdbatch.c exporters/rrd.c \
	  exporters/prom.c \
	  exporters/forecast.c exporters/caphist.c exporters/capfc.c \
	  exporters/capacity.c exporters/capscen.c exporters/capspec.c \
	  exporters/capsum.c exporters/capout.c exporters/capsvg.c \
	  exporters/caphtml.c exporters/cappack.c \
	  exporters/snmpagent.c exporters/snmpmib.c exporters/snmptrap.c \
	  exporters/ballastmib.c exporters/vmmib.c \
	  balancer/alarm.c balancer/hot.c balancer/notify.c \
	  balancer/conf_snmp.c balancer/bsnmp.c \
	  sim/trace.c sim/synth.c sim/cluster.c sim/simstat.c \
	  policies/policy.c policies/parse.c policies/parse_rule.c \
	  policies/print.c policies/units.c \
	  ctl/fmt.c ctl/report.c
PBSRC	= $(B)/proto/ballast.pb-c.c
# ballast-collectord's modules (those on libvirt link with -lvirt)
LIBSRC	+= collector/cconf.c collector/hostsrc.c collector/vpool.c \
	  collector/vstats.c collector/virt.c collector/vround.c \
	  collector/act.c collector/cmds.c collector/actuator.c \
	  collector/exec_act.c collector/cvmmib.c
LIBOBJ	= $(LIBSRC:%.c=$(B)/%.o) $(PBSRC:.c=.o) $(B)/web/dashboard_files.o
LIB	= $(B)/libballast.a

PROGS	= $(BIN)/ballast-balancerd $(BIN)/ballast-sim $(BIN)/ballastctl
PROGS	+= $(BIN)/ballast-collectord
VIRTTESTS = $(B)/tests/test_vstats $(B)/tests/test_virt \
	  $(B)/tests/test_collector_cmds
UNIT	= $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS	= $(B)/tests/zsend $(B)/tests/trace2rrd $(B)/tests/vmmibd
BENCH	= $(B)/bench/ingest $(B)/bench/rrd $(B)/bench/plan

all: $(PROGS)

$(B)/proto/ballast.pb-c.c $(B)/proto/ballast.pb-c.h: proto/ballast.proto
	@mkdir -p $(B)/proto
	protoc-c --proto_path=proto --c_out=$(B)/proto proto/ballast.proto

# The generated file follows protobuf-c's style, not ours.
$(B)/proto/ballast.pb-c.o: $(B)/proto/ballast.pb-c.c
	$(CC) $(CSTD) $(OPT) -g $(SANFL) $(PKG_CFLAGS) -I$(B)/proto -c -o $@ $<

# The dashboard's files, compiled in (web/assets.h).
$(B)/web/dashboard_files.c: tools/embed_assets.py $(wildcard web/dashboard/*)
	@mkdir -p $(B)/web
	python3 tools/embed_assets.py web/dashboard $@

$(B)/web/dashboard_files.o: $(B)/web/dashboard_files.c
	$(CC) $(CFLAGS) -c -o $@ $<

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

$(BIN)/ballast-collectord: $(B)/collector/collectord.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lvirt -lpthread

$(VIRTTESTS): $(B)/tests/%: $(B)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka -lvirt -lpthread

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The VM-MIB test subagent over libvirt's test driver.
$(B)/tests/vmmibd: $(B)/tests/tools/vmmibd.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lvirt

$(B)/tests/zsend: $(B)/tests/tools/zsend.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/trace2rrd: $(B)/tests/tools/trace2rrd.o $(LIB)
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

tests: $(PROGS) $(UNIT) $(TOOLS) browser-deps

# playwright-core for the browser tests (tests/browser), from the lock file.
# Not fatal: without it the C tests still run and the browser test says
# what is missing.
browser-deps: tests/browser/node_modules/.package-lock.json

tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	-cd tests/browser && npm ci --no-audit --no-fund

# Tests use the sanitizer build; deps first when the machine lacks them.
check: deps-if-missing
	$(MAKE) SAN=1 tests
	tests/run.sh build-san

demo: deps-if-missing all
	tools/demo.sh

# make bench TRACES=path/to/month.tar.xz also runs bench/quality and
# bench/capacity.sh on it.
bench: all
	$(MAKE) $(BENCH) $(B)/bench/quality $(B)/tests/trace2rrd
	for b in $(BENCH); do $$b || exit 1; done
	BIN=$(BIN) bench/collector.sh
	if [ -n "$(TRACES)" ]; then $(B)/bench/quality --traces "$(TRACES)"; fi
	if [ -n "$(TRACES)" ]; then bench/capacity.sh --traces "$(TRACES)" $(B); fi

deps:
	tools/deps.sh $(DEBS)
	command -v npm >/dev/null || tools/deps.sh $(NODEDEBS)
	tools/basemibs.sh

deps-if-missing:
	@tools/deps.sh --if-missing $(DEBS)
	@command -v npm >/dev/null || tools/deps.sh $(NODEDEBS)
	@tools/basemibs.sh

# The MIB modules we ship (BALLAST-MIB, and VM-MIB with the two modules
# it imports that Debian lacks), where net-snmp and smilint look.
PREFIX	?= /usr/local
MIBDIR	?= /usr/share/snmp/mibs
install-mibs:
	install -d $(DESTDIR)$(MIBDIR)
	install -m 0644 mibs/*.txt $(DESTDIR)$(MIBDIR)/

install: all install-mibs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/

clean:
	rm -rf build build-san bin

.PHONY: all tests check demo bench deps deps-if-missing clean browser-deps install install-mibs

-include $(shell find build build-san -name '*.d' 2>/dev/null)
