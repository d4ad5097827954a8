/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/vstats.c: a QEMU-like bulk stats record
 * (units, sums over vCPUs, disks and NICs), a NOWAIT record that leaves
 * out a busy domain's disk counters, the test driver's state-only one,
 * merging partial samples over the last good values, device names from
 * domain XML, and names cut for the wire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vstats.h"
#include "wire.h"

static virTypedParameter	 P[64];
static int			 NP;

static void
p_ull(const char *field, unsigned long long v)
{
	memset(&P[NP], 0, sizeof(P[NP]));
	snprintf(P[NP].field, sizeof(P[NP].field), "%s", field);
	P[NP].type = VIR_TYPED_PARAM_ULLONG;
	P[NP++].value.ul = v;
}

static void
p_int(const char *field, int v)
{
	memset(&P[NP], 0, sizeof(P[NP]));
	snprintf(P[NP].field, sizeof(P[NP].field), "%s", field);
	P[NP].type = VIR_TYPED_PARAM_INT;
	P[NP++].value.i = v;
}

static void
p_string(const char *field)
{
	memset(&P[NP], 0, sizeof(P[NP]));
	snprintf(P[NP].field, sizeof(P[NP].field), "%s", field);
	P[NP++].type = VIR_TYPED_PARAM_STRING;
}

/* A QEMU domain as virConnectGetAllDomainStats gives it. */
static void
qemu_record(int with_block_counters)
{
	NP = 0;
	p_int("state.state", VIR_DOMAIN_RUNNING);
	p_int("state.reason", 1);
	p_ull("cpu.time", 5000000000ULL);
	p_ull("balloon.current", 2097152);
	p_ull("balloon.maximum", 4194304);
	p_ull("balloon.rss", 1048576);
	p_ull("vcpu.current", 2);
	p_ull("vcpu.0.time", 1);
	p_ull("vcpu.0.delay", 300);
	p_ull("vcpu.0.exits.sum", 99999);	/* KVM stats: ignored */
	p_ull("vcpu.1.delay", 700);
	p_ull("net.count", 2);
	p_string("net.0.name");
	p_ull("net.0.rx.bytes", 1000);
	p_ull("net.0.tx.bytes", 10);
	p_ull("net.0.rx.drop", 1);
	p_ull("net.1.rx.bytes", 2000);
	p_ull("net.1.tx.pkts", 7);
	p_ull("block.count", 2);
	p_string("block.0.name");
	if (with_block_counters) {
		p_ull("block.0.rd.bytes", 4096);
		p_ull("block.0.wr.reqs", 3);
		p_ull("block.1.rd.bytes", 8192);
		p_ull("block.1.rd.times", 555);	/* not a counter we use */
	}
	p_ull("block.1.capacity", 1ULL << 30);
}

static void
test_bulk_record(void **state)
{
	struct virt_vm	 v;
	unsigned	 g;

	(void)state;
	qemu_record(1);
	g = vstats_parse(P, NP, &v);
	assert_int_equal(g, VS_G_STATE | VS_G_CPU | VS_G_VCPU | VS_G_BALLOON |
	    VS_G_BLOCK | VS_G_NET);
	assert_int_equal(v.state, VIR_DOMAIN_RUNNING);
	assert_true(v.cpu_time_ns == 5000000000ULL);
	assert_int_equal(v.vcpus, 2);
	assert_true(v.vcpu_delay_ns == 1000);
	assert_true(v.mem_balloon == 2097152ULL * 1024);
	assert_true(v.mem_max == 4194304ULL * 1024);
	assert_true(v.mem_rss == 1048576ULL * 1024);
	assert_true(v.net_rx_bytes == 3000 && v.net_tx_bytes == 10);
	assert_true(v.net_rx_drop == 1 && v.net_tx_pkts == 7);
	assert_true(v.blk_rd_bytes == 12288 && v.blk_wr_ops == 3);
}

static void
test_nowait_partial(void **state)
{
	struct virt_vm	 good, fresh;
	unsigned	 lost;

	(void)state;
	qemu_record(1);
	vstats_parse(P, NP, &good);
	good.read_ms = 1000;
	/* the domain's job is busy: block.count, but no counters */
	qemu_record(0);
	P[2].value.ul = 6000000000ULL;		/* cpu.time went on */
	assert_false(vstats_parse(P, NP, &fresh) & VS_G_BLOCK);
	fresh.read_ms = 2000;
	lost = vstats_merge(&good, &fresh);
	assert_int_equal(lost, VS_G_BLOCK);
	assert_true(good.cpu_time_ns == 6000000000ULL);
	assert_int_equal(good.read_ms, 2000);	/* the time of the new CPU */
	/* a state-only answer brings no counters: their time stays */
	NP = 0;
	p_int("state.state", VIR_DOMAIN_RUNNING);
	vstats_parse(P, NP, &fresh);
	fresh.read_ms = 3000;
	vstats_merge(&good, &fresh);
	assert_int_equal(good.read_ms, 2000);
	assert_true(good.blk_rd_bytes == 12288);	/* the last good value */
	/* no disks at all: the group is there, with zeros */
	NP = 0;
	p_ull("block.count", 0);
	assert_true(vstats_parse(P, NP, &fresh) & VS_G_BLOCK);
}

static void
test_state_only(void **state)
{
	struct virt_vm	 v;

	(void)state;
	NP = 0;
	p_int("state.state", VIR_DOMAIN_PAUSED);
	p_int("state.reason", VIR_DOMAIN_PAUSED_MIGRATION);
	assert_int_equal(vstats_parse(P, NP, &v), VS_G_STATE);
	assert_int_equal(v.reason, VIR_DOMAIN_PAUSED_MIGRATION);
	assert_int_equal(vstats_wire_state(v.state),
	    BALLAST__V1__VM_STATE__VM_STATE_PAUSED);
	assert_int_equal(vstats_wire_state(42),
	    BALLAST__V1__VM_STATE__VM_STATE_UNKNOWN);
}

static void
test_devices(void **state)
{
	struct vstats_devs	 d;
	const char		*xml =
	    "<domain type='kvm'><name>x</name><devices>\n"
	    "<disk type='file' device='disk'><source file='/a'/>"
	    "<target dev='vda' bus='virtio'/></disk>\n"
	    "<disk type='file' device='cdrom'><target dev=\"sdb\" bus='sata'/>"
	    "<readonly/></disk>\n"
	    "<interface type='bridge'><mac address='52:54:00:00:00:01'/>"
	    "<source bridge='br0'/><target dev='tap-x1'/><model type='virtio'/>"
	    "</interface>\n"
	    "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>\n"
	    "<diskette/><serial type='pty'><target port='0'/></serial>\n"
	    "</devices></domain>";

	(void)state;
	assert_int_equal(vstats_devices(xml, &d), 0);
	assert_int_equal(d.ndisks, 2);
	assert_string_equal(d.disk[0], "vda");
	assert_string_equal(d.disk[1], "sdb");
	assert_int_equal(d.nnics, 1);		/* the user one has no target */
	assert_string_equal(d.nic[0], "tap-x1");
	assert_int_equal(d.has_mac[0], 1);
	assert_memory_equal(d.mac[0], "\x52\x54\x00\x00\x00\x01", 6);
	assert_int_equal(vstats_devices("<domain/>", &d), -22);
}

static void
test_names(void **state)
{
	char	 out[WIRE_MAX_VM_NAME + 1], longname[300];

	(void)state;
	vstats_name("web-1", out, sizeof(out));
	assert_string_equal(out, "web-1");
	vstats_name("caf\xc3\xa9\tbad\xff", out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9?bad?");
	memset(longname, 'a', sizeof(longname));
	longname[125] = '\xc3';			/* a 2-byte character at the cut */
	longname[126] = '\xa9';
	longname[299] = '\0';
	vstats_name(longname, out, sizeof(out));
	assert_int_equal(strlen(out), 127);
	assert_int_equal(wire_check_name(out, WIRE_MAX_VM_NAME, 1), 0);
	longname[126] = 'a';			/* the lead byte alone */
	vstats_name(longname, out, sizeof(out));
	assert_int_equal(wire_check_name(out, WIRE_MAX_VM_NAME, 1), 0);
	vstats_name("", out, sizeof(out));
	assert_string_equal(out, "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_record),
		cmocka_unit_test(test_nowait_partial),
		cmocka_unit_test(test_state_only),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
