/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/cconf.c: the defaults, every statement, the
 * migrate block, exact "file:line:col: what is wrong" messages, the
 * whole-file checks and cconf_print() parsing back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <libvirt/libvirt.h>

#include "cconf.h"
#include "util.h"

static void
parse_ok(const char *text, struct cconf *c)
{
	char	 err[512] = "";

	if (cconf_parse("c.conf", text, strlen(text), c, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

static void
parse_bad(const char *text, const char *want)
{
	struct cconf	 c;
	char		 err[512] = "";

	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(cconf_parse("c.conf", text, strlen(text), &c, err,
	    sizeof(err)), -EINVAL);
	if (strcmp(err, want) != 0)
		fail_msg("message \"%s\", want \"%s\"", err, want);
	assert_int_equal(((unsigned char *)&c)[0], 0x5a);	/* untouched */
}

static void
test_defaults(void **state)
{
	struct cconf	 c;
	char		 err[256];

	(void)state;
	parse_ok("# nothing\n\n", &c);
	assert_string_equal(c.uri, "qemu:///system");
	assert_string_equal(c.balancer, "tcp://127.0.0.1:8471");
	assert_int_equal(c.interval_ms, 10000);
	assert_int_equal(c.stats_timeout_ms, 0);
	assert_int_equal(c.actuator, CCONF_ACT_LIBVIRT);
	assert_string_equal(c.mig.uri, "qemu+tls://{host}/system");
	assert_true(c.mig.flags == (VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER |
	    VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE));
	assert_int_equal(c.mig.timeout_ms, 600000);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), 0);
	assert_int_equal(c.stats_timeout_ms, 2000);	/* settled by check */
}

static void
test_statements(void **state)
{
	struct cconf	 c;
	uint8_t		 u[16];

	(void)state;
	parse_ok(
	    "connect \"test:///default\"\n"
	    "balancer \"tcp://10.0.0.1:8471\"\n"
	    "host-name hv-07.rack2\n"
	    "host-uuid 0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b\n"
	    "cluster prod\n"
	    "interval 500 ms; stats-timeout 100 ms\n"
	    "refresh 2 minutes\n"
	    "nic eth1\n"
	    "nic-speed 25 gbit\n"
	    "log-level debug\n"
	    "actuator exec\n"
	    "exec \"qm migrate {vmid} {dest} --online\"\n", &c);
	assert_string_equal(c.uri, "test:///default");
	assert_string_equal(c.balancer, "tcp://10.0.0.1:8471");
	assert_string_equal(c.host_name, "hv-07.rack2");
	assert_int_equal(util_uuid_parse("0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b",
	    u), 0);
	assert_memory_equal(c.host_uuid, u, 16);
	assert_true(c.has_uuid);
	assert_string_equal(c.cluster, "prod");
	assert_int_equal(c.interval_ms, 500);
	assert_int_equal(c.stats_timeout_ms, 100);
	assert_int_equal(c.refresh_ms, 120000);
	assert_string_equal(c.nic, "eth1");
	assert_true(c.nic_bps == 25000000000ULL);
	assert_int_equal(c.log_level, 2);
	assert_int_equal(c.actuator, CCONF_ACT_EXEC);
	assert_string_equal(c.exec, "qm migrate {vmid} {dest} --online");
}

static void
test_migrate_block(void **state)
{
	struct cconf	 c;

	(void)state;
	parse_ok(
	    "migrate {\n"
	    "\turi \"qemu+unix:///system?socket=/run/{host}/sock\"\n"
	    "\tmigrate-uri \"tcp://{host}:49152\"\n"
	    "\tlisten-address 0.0.0.0\n"
	    "\tflags live peer2peer unsafe\n"
	    "\tbandwidth 100M\n"
	    "\tmax-downtime 300 ms\n"
	    "\ttimeout 5 minutes }\n"
	    "interval 5 s\n", &c);
	assert_string_equal(c.mig.uri, "qemu+unix:///system?socket=/run/{host}/sock");
	assert_string_equal(c.mig.migrate_uri, "tcp://{host}:49152");
	assert_string_equal(c.mig.listen, "0.0.0.0");
	assert_true(c.mig.flags == (VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER |
	    VIR_MIGRATE_UNSAFE));
	assert_true(c.mig.bandwidth == 100ULL << 20);
	assert_int_equal(c.mig.max_downtime_ms, 300);
	assert_int_equal(c.mig.timeout_ms, 300000);
	assert_int_equal(c.interval_ms, 5000);
}

static void
test_errors(void **state)
{
	(void)state;
	parse_bad("interval 10\n",
	    "c.conf:1:12: expected a unit (ms, seconds or minutes), found end of line");
	parse_bad("interval 10 hours\n",
	    "c.conf:1:13: interval: the unit is ms, seconds or minutes, not \"hours\"");
	parse_bad("\ninterval 50 ms\n",
	    "c.conf:2:13: interval must be from 100 ms to 3600 s");
	parse_bad("host-name \"hv 01\"\n",
	    "c.conf:1:11: a host name is 1 to 63 of [A-Za-z0-9._-], not \"hv 01\"");
	parse_bad("frobnicate 1\n",
	    "c.conf:1:1: unknown keyword \"frobnicate\" (see ballast-collectord(8))");
	parse_bad("migrate {\n\tflags live teleport\n}\n",
	    "c.conf:2:13: unknown migration flag \"teleport\" (see ballast-collectord(8))");
	parse_bad("migrate {\n\turi \"qemu+tls://dest/system\"\n}\n",
	    "c.conf:2:6: the destination URI template must name {host}, such as "
	    "\"qemu+tls://{host}/system\"");
	parse_bad("migrate {\n\tspeed 1\n}\n",
	    "c.conf:2:2: unknown keyword \"speed\" in migrate { } (see "
	    "ballast-collectord(8))");
	parse_bad("actuator ssh\n",
	    "c.conf:1:10: actuator is libvirt, exec or none, not \"ssh\"");
	parse_bad("cluster prod extra\n",
	    "c.conf:1:14: expected end of line, found \"extra\"");
	parse_bad("host-uuid 1234\n",
	    "c.conf:1:11: host-uuid wants the 36-character form, not \"1234\"");
	parse_bad("nic-speed 10 tbit\n",
	    "c.conf:1:14: nic-speed: the unit is mbit or gbit, not \"tbit\"");
}

static void
test_check(void **state)
{
	struct cconf	 c;
	char		 err[256];

	(void)state;
	parse_ok("actuator exec\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "actuator exec needs an exec \"COMMAND\" template");
	parse_ok("interval 1 s\nstats-timeout 1 s\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), -EINVAL);
	parse_ok("interval 1 s\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), 0);
	assert_int_equal(c.stats_timeout_ms, 250);	/* a quarter */
	parse_ok("balancer \"http://x\"\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), -EINVAL);
}

/* CURVE keys, and plain TCP only on loopback unless insecure. */
static void
test_curve(void **state)
{
	struct cconf	 c;
	char		 err[512], buf[4096];

	(void)state;
	parse_ok("balancer \"tcp://10.0.0.1:8471\"\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "balancer tcp://10.0.0.1:8471: plain TCP"));
	assert_non_null(strstr(err, "or say \"insecure\""));
	parse_ok("balancer \"tcp://10.0.0.1:8471\"\ninsecure\n", &c);
	assert_true(c.insecure);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), 0);
	parse_ok("balancer \"tcp://10.0.0.1:8471\"\n"
	    "balancer-key \"/etc/ballast/balancer.pub\"\n"
	    "key \"/etc/ballast/hv01.key\"\n", &c);
	assert_string_equal(c.balancer_key, "/etc/ballast/balancer.pub");
	assert_string_equal(c.key, "/etc/ballast/hv01.key");
	assert_int_equal(cconf_check(&c, err, sizeof(err)), 0);
	cconf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "balancer-key \"/etc/ballast/balancer.pub\"\n"
	    "key \"/etc/ballast/hv01.key\"\n"));
	parse_ok("balancer-key \"/etc/ballast/balancer.pub\"\n", &c);
	assert_int_equal(cconf_check(&c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "CURVE wants both balancer-key \"FILE\" and "
	    "key \"FILE\" (ballastctl keygen makes keys)");
}

static void
test_print_round_trip(void **state)
{
	struct cconf	 a, b;
	char		 buf[8192], err[512] = "";

	(void)state;
	parse_ok("connect \"qemu+ssh://root@hv1/system\"\nhost-name hv1\n"
	    "host-uuid 0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b\ncluster c1\n"
	    "actuator exec\nexec \"xe vm-migrate vm={vm} host={dest}\"\n"
	    "migrate { flags live tunnelled peer2peer\nlisten-address ::\n"
	    "migrate-uri \"tcp://{host}\" }\nuser ballast-collector\n"
	    "group kvm\n", &a);
	assert_string_equal(a.user, "ballast-collector");
	assert_string_equal(a.group, "kvm");
	cconf_print(&a, buf, sizeof(buf));
	if (cconf_parse("print", buf, strlen(buf), &b, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, buf);
	assert_string_equal(a.uri, b.uri);
	assert_string_equal(a.host_name, b.host_name);
	assert_memory_equal(a.host_uuid, b.host_uuid, 16);
	assert_string_equal(a.exec, b.exec);
	assert_true(a.mig.flags == b.mig.flags);
	assert_string_equal(a.mig.listen, b.mig.listen);
	assert_string_equal(a.mig.migrate_uri, b.mig.migrate_uri);
	assert_int_equal(a.interval_ms, b.interval_ms);
	assert_int_equal(a.actuator, b.actuator);
	assert_string_equal(a.user, b.user);
	assert_string_equal(a.group, b.group);
	/* by default the collector stays the user it was started as */
	parse_ok("", &a);
	assert_string_equal(a.user, "");
	parse_bad("user \"ballast collector\"\n", "c.conf:1:6: a user name "
	    "must be 1 to 32 letters, digits, '.', '_' or '-', not starting "
	    "with '-'");
	parse_bad("group \"\"\n", "c.conf:1:7: a group name must be 1 to 32 "
	    "letters, digits, '.', '_' or '-', not starting with '-'");
	parse_bad("connect \"qemu:///sys\x7ftem\"\n",
	    "c.conf:1:9: a control character in a string");
}

/* The pcap statements: options, map entries, errors, print back. */
static void
test_pcap(void **state)
{
	struct cconf	 a, b;
	char		 buf[16384], err[512] = "";
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0xab, 0xcd },
			 ip4[4] = { 10, 0, 0, 5 };

	(void)state;
	parse_ok("", &a);
	assert_int_equal(a.pcap.n, 0);
	assert_int_equal(a.pcap.sample, 1);
	assert_string_equal(a.pcap.filter, "ip or ip6 or arp");
	parse_ok("pcap sample 100 snaplen 96 buffer 8M top 32 immediate yes "
	    "filter \"udp\"\n"
	    "pcap interface \"vnet0\" vm \"web-1\" uuid "
	    "0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b mac 52:54:00:12:AB:cd "
	    "ip 10.0.0.5 ip fd00::5\npcap interface br0\n", &a);
	assert_int_equal(a.pcap.sample, 100);
	assert_int_equal(a.pcap.snaplen, 96);
	assert_int_equal(a.pcap.buffer, 8 << 20);
	assert_int_equal(a.pcap.top, 32);
	assert_int_equal(a.pcap.immediate, 1);
	assert_string_equal(a.pcap.filter, "udp");
	assert_int_equal(a.pcap.n, 2);
	assert_string_equal(a.pcap.ent[0].ifname, "vnet0");
	assert_int_equal(a.pcap.ent[0].naddrs, 3);
	assert_int_equal(a.pcap.ent[0].alen[0], 6);
	assert_memory_equal(a.pcap.ent[0].addr[0], mac, 6);
	assert_memory_equal(a.pcap.ent[0].addr[1], ip4, 4);
	assert_int_equal(a.pcap.ent[0].alen[2], 16);
	assert_int_equal(a.pcap.ent[1].has_uuid, 0);
	cconf_print(&a, buf, sizeof(buf));
	if (cconf_parse("print", buf, strlen(buf), &b, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, buf);
	assert_memory_equal(&a.pcap, &b.pcap, sizeof(a.pcap));
	parse_bad("pcap mac 52:54:00:00:00:01\n",
	    "c.conf:1:27: pcap: a vm or its addresses need the VM's uuid");
	parse_bad("pcap interface x mac 52:54:00:00:00\n",
	    "c.conf:1:22: pcap mac: not a MAC address like "
	    "52:54:00:12:34:56: \"52:54:00:00:00\"");
	parse_bad("pcap top 300\n", "c.conf:1:10: pcap top is a whole number "
	    "from 1 to 256, not \"300\"");
	parse_bad("pcap snarf\n", "c.conf:1:6: unknown pcap keyword \"snarf\" "
	    "(see ballast-collectord(8))");
	parse_ok("pcap vm w uuid 0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b\n", &a);
	assert_int_equal(cconf_check(&a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "pcap: VM addresses but no interface to "
	    "capture on");
	parse_ok("pcap libvirt yes\npcap vm w uuid "
	    "0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b ip 10.1.1.1\n", &a);
	assert_int_equal(a.pcap.libvirt, 1);
	assert_int_equal(cconf_check(&a, err, sizeof(err)), 0);
	parse_bad("pcap libvirt maybe\n", "c.conf:1:14: pcap libvirt is yes or "
	    "no, not \"maybe\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_migrate_block),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_curve),
		cmocka_unit_test(test_print_round_trip),
		cmocka_unit_test(test_pcap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
