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
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each (clang;
#                   fuzz/run.sh, FUZZING.md)

PKGS	= libzmq libprotobuf-c libmicrohttpd jansson libarchive libcurl librrd \
	  libpcap
DEBS	= build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev \
	  libzmq3-dev libmicrohttpd-dev libjansson-dev libarchive-dev \
	  libcurl4-openssl-dev libcmocka-dev curl jq python3 procps \
	  xz-utils librrd-dev rrdtool rrdcached prometheus chromium openssl \
	  systemd mandoc \
	  libsnmp-dev snmp snmpd snmptrapd smitools libvirt-dev \
	  libpcap-dev iproute2
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

ifeq ($(FUZZ),1)
# libFuzzer's instrumentation on everything; the fuzzers link with
# -fsanitize=fuzzer (which brings main).
CC	= clang
B	= build-fuzz
BIN	= build-fuzz/bin
SANFL	= -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined
OPT	= -O1
# clang, unlike gcc, warns in protobuf-c's *_INIT macros (their casts
# drop const); the gcc builds keep the check.
WARN	+= -Wno-cast-qual
else ifeq ($(SAN),1)
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
# EXTRA_CFLAGS, EXTRA_LDFLAGS: a packager's flags (debian/rules passes
# dpkg-buildflags' hardening flags through them).
CFLAGS	= $(CSTD) $(OPT) -g $(WARN) $(SANFL) $(INCS) $(PKG_CFLAGS) -MMD -MP \
	  $(EXTRA_CFLAGS)
LDFLAGS	= $(SANFL) $(EXTRA_LDFLAGS)
# net-snmp: the client and agent libraries only (SNMP traps, AgentX).
LDLIBS	= $(PKG_LIBS) -lnetsnmpagent -lnetsnmp -lm

# Every module but the programs' own files (their main files and
# CD_OBJ, BD_OBJ, SIM_OBJ below) goes into one archive; the
# linker takes from it only what a program or test needs.
LIBSRC	= common/log.c common/util.c common/conf_lex.c common/uuidmap.c \
	  common/precopy.c common/conf_file.c common/sdnotify.c common/privdrop.c \
	  common/precopy.c common/conf_file.c common/zcurve.c \
	  proto/wire.c \
	  collector/publisher.c \
	  balancer/rate.c balancer/model.c balancer/ingest.c \
	  balancer/checkpoint.c balancer/conf.c \
	  balancer/planner.c balancer/plan_pass.c balancer/plan_view.c \
	  balancer/plan_traffic.c \
	  balancer/executor.c balancer/audit.c balancer/balance.c \
	  balancer/dstate.c balancer/traffic.c \
	  balancer/dstate.c balancer/authcoll.c balancer/zap.c \
	  web/http.c web/api.c web/api_util.c web/api_plan.c web/graph.c \
	  web/assets.c web/api_report.c web/api_traffic.c web/http_guard.c \
	  web/route.c \
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
	  sim/trace.c sim/trace_csv.c sim/trace_read.c sim/synth.c sim/cluster.c \
	  sim/simtraffic.c sim/simstat.c \
	  policies/policy.c policies/parse.c policies/parse_rule.c \
	  policies/print.c policies/units.c \
	  ctl/fmt.c ctl/fmt_table.c ctl/fmt_hosts.c ctl/fmt_plan.c \
	  ctl/fmt_migrate.c ctl/fmt_policy.c ctl/fmt_traffic.c ctl/report.c \
	  ctl/ctl.c ctl/ctl_api.c ctl/cmd_show.c ctl/cmd_plan.c \
	  ctl/cmd_migrate.c ctl/cmd_policy.c ctl/cmd_keys.c
PBSRC	= $(B)/proto/ballast.pb-c.c
# ballast-collectord's modules (those on libvirt link with -lvirt)
LIBSRC	+= collector/cconf.c collector/cconf_pcap.c collector/hostsrc.c collector/vpool.c \
	  collector/vstats.c collector/virt.c collector/vround.c \
	  collector/act.c collector/cmds.c collector/actuator.c \
	  collector/exec_act.c collector/cvmmib.c collector/vmdev.c \
	  collector/traffic_agg.c collector/pcapsrc.c collector/ctraffic.c \
	  collector/tapres.c
# The daemons' own files beside their main files (one private header
# each: collector/cd.h, ...), linked into that daemon only.
CD_OBJ	= $(addprefix $(B)/collector/,collectord.o cdargs.o cdcmd.o creport.o \
	  cdstart.o)
BD_OBJ	= $(addprefix $(B)/balancer/,balancerd.o bdargs.o bdstart.o)
SIM_OBJ	= $(addprefix $(B)/sim/,sim_main.o simargs.o simstart.o simcmd.o)
LIBOBJ	= $(LIBSRC:%.c=$(B)/%.o) $(PBSRC:.c=.o) $(B)/web/dashboard_files.o
LIB	= $(B)/libballast.a

PROGS	= $(BIN)/ballast-balancerd $(BIN)/ballast-sim $(BIN)/ballastctl
PROGS	+= $(BIN)/ballast-collectord
VIRTTESTS = $(B)/tests/test_vstats $(B)/tests/test_virt $(B)/tests/test_vmdev \
	  $(B)/tests/test_collector_cmds
UNIT	= $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS	= $(B)/tests/zsend $(B)/tests/zcmd $(B)/tests/trace2rrd $(B)/tests/vmmibd \
	  $(B)/tests/trafficsink $(B)/tests/udpgen
# The fuzz targets (fuzz/fuzz_X.c): fuzzer_X with clang's libFuzzer
# (make fuzz), replay_X with the normal compiler for make check.
FUZZ_TARGETS ?= wire cmds policy conf cconf http trace
FUZZ_SECONDS ?= 60
FUZZERS	= $(FUZZ_TARGETS:%=$(B)/fuzz/fuzzer_%)
REPLAYS	= $(FUZZ_TARGETS:%=$(B)/fuzz/replay_%)
BENCH	= $(B)/bench/ingest $(B)/bench/rrd $(B)/bench/plan

all: $(PROGS)

$(B)/proto/ballast.pb-c.c $(B)/proto/ballast.pb-c.h: proto/ballast.proto
	@mkdir -p $(B)/proto
	protoc-c --proto_path=proto --c_out=$(B)/proto proto/ballast.proto

# The generated file follows protobuf-c's style, not ours.
$(B)/proto/ballast.pb-c.o: $(B)/proto/ballast.pb-c.c
	$(CC) $(CSTD) $(OPT) -g $(SANFL) $(PKG_CFLAGS) $(EXTRA_CFLAGS) -I$(B)/proto -c -o $@ $<

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

$(BIN)/ballast-balancerd: $(BD_OBJ) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/ballast-sim: $(SIM_OBJ) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/ballastctl: $(B)/ctl/ballastctl.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/ballast-collectord: $(CD_OBJ) $(LIB)
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

$(REPLAYS): $(B)/fuzz/replay_%: $(B)/fuzz/fuzz_%.o $(B)/fuzz/fuzz_util.o \
	    $(B)/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(FUZZERS): $(B)/fuzz/fuzzer_%: $(B)/fuzz/fuzz_%.o $(B)/fuzz/fuzz_util.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

# Records real messages for the seed corpora (fuzz/seeds.sh).
$(B)/fuzz/tap: $(B)/fuzz/tap.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/zsend: $(B)/tests/tools/zsend.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/trafficsink: $(B)/tests/tools/trafficsink.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/udpgen: $(B)/tests/tools/udpgen.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/zcmd: $(B)/tests/tools/zcmd.o $(LIB)
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

$(B)/bench/pcap: $(B)/bench/pcap.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/bench/plan: $(B)/bench/plan.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

tests: $(PROGS) $(UNIT) $(TOOLS) $(REPLAYS) browser-deps

fuzzers: $(FUZZERS)

# Every target for FUZZ_SECONDS, nice'd; new inputs merged into
# fuzz/corpus/X, crashes into fuzz/crashes/X.  Needs clang.
fuzz:
	$(MAKE) FUZZ=1 fuzzers
	fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

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
	$(MAKE) $(BENCH) $(B)/bench/quality $(B)/tests/trace2rrd \
	    $(B)/bench/pcap $(B)/tests/udpgen
	for b in $(BENCH); do $$b || exit 1; done
	BIN=$(BIN) bench/collector.sh
	bench/pcap.sh $(B)
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

# make install / make uninstall: FHS paths under PREFIX (default
# /usr/local) and DESTDIR.  The daemons go to sbin, ballastctl and
# ballast-sim to bin; the configuration and the shipped policies to
# /etc/ballast (never over a file already there; make uninstall leaves
# a changed one), the state directory /var/lib/ballast, the MIB modules
# where net-snmp and smilint look, the systemd units and the sysusers.d
# entry that creates the users.
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
CONFDIR	= $(SYSCONFDIR)/ballast
STATEDIR ?= /var/lib/ballast
MIBDIR	?= /usr/share/snmp/mibs
UNITDIR	?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
SBIN_PROGS = ballast-balancerd ballast-collectord
BIN_PROGS = ballastctl ballast-sim
CONF_FILES = etc/ballast-balancerd.conf etc/ballast-collectord.conf \
	  $(wildcard policies/*.policy)
MAN_FILES = $(wildcard man/*.[158])
MIB_FILES = $(wildcard mibs/*.txt)
UNIT_FILES = $(wildcard systemd/*.service)

install-mibs:
	install -d $(DESTDIR)$(MIBDIR)
	install -m 0644 $(MIB_FILES) $(DESTDIR)$(MIBDIR)/

install: all install-mibs
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(CONFDIR) \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -d -m 0750 $(DESTDIR)$(STATEDIR)
	install -m 0755 $(addprefix $(BIN)/,$(SBIN_PROGS)) $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(addprefix $(BIN)/,$(BIN_PROGS)) $(DESTDIR)$(BINDIR)/
	for f in $(MAN_FILES); do \
		install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$${f##*.}/ || exit 1; \
	done
	for f in $(CONF_FILES); do \
		t=$(DESTDIR)$(CONFDIR)/$${f##*/}; \
		[ -e $$t ] || install -m 0644 $$f $$t || exit 1; \
	done
	install -m 0644 $(UNIT_FILES) $(DESTDIR)$(UNITDIR)/
	install -m 0644 systemd/ballast.sysusers $(DESTDIR)$(SYSUSERSDIR)/ballast.conf

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(SBIN_PROGS)) \
	    $(addprefix $(DESTDIR)$(BINDIR)/,$(BIN_PROGS)) \
	    $(addprefix $(DESTDIR)$(MIBDIR)/,$(notdir $(MIB_FILES))) \
	    $(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(UNIT_FILES))) \
	    $(DESTDIR)$(SYSUSERSDIR)/ballast.conf
	for f in $(MAN_FILES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; \
	done
	for f in $(CONF_FILES); do \
		t=$(DESTDIR)$(CONFDIR)/$${f##*/}; \
		if cmp -s $$f $$t; then rm -f $$t; \
		elif [ -e $$t ]; then echo "kept $$t: changed since installed"; fi; \
	done
	-rmdir $(DESTDIR)$(CONFDIR) $(DESTDIR)$(STATEDIR) 2>/dev/null

# make deb: the Debian package (debian/), built from a copy of the tree
# in build/deb so that dpkg-buildpackage writes nothing beside it, then
# checked by lintian (errors fail).  make deb-check also installs it in
# a throwaway mount namespace (tools/deb-check.sh).  Neither is part of
# make check: debhelper and lintian are large and only needed here, and
# the package build compiles everything once more.
DEBDIR	= build/deb
DEBDEBS	= debhelper dpkg-dev lintian
deb:
	@tools/deps.sh --if-missing $(DEBDEBS)
	rm -rf $(DEBDIR)
	mkdir -p $(DEBDIR)/ballast
	tar -c --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
	    --exclude=./bin --exclude=./.git \
	    --exclude=./tests/browser/node_modules . | \
	    tar -x -C $(DEBDIR)/ballast
	cd $(DEBDIR)/ballast && dpkg-buildpackage -us -uc -b
	lintian --fail-on error --info $(DEBDIR)/*.deb 2>&1 | \
	    tee $(DEBDIR)/lintian.txt; \
	    ! grep -q '^E: ' $(DEBDIR)/lintian.txt
	@echo "packages: $$(ls $(DEBDIR)/*.deb | tr '\n' ' ')"
	@echo "lintian: $$(grep -c '^E: ' $(DEBDIR)/lintian.txt) errors," \
	    "$$(grep -c '^W: ' $(DEBDIR)/lintian.txt) warnings"

deb-check: deb
	tools/deb-check.sh $(DEBDIR)/ballast_*.deb

clean:
	rm -rf build build-san build-fuzz bin

.PHONY: all tests check demo bench fuzz fuzzers deps deps-if-missing clean browser-deps \
	install install-mibs uninstall deb deb-check

-include $(shell find build build-san build-fuzz -path build/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
