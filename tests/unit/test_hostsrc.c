/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/hostsrc.c on a fake /proc and /sys: busy,
 * idle and steal time from /proc/stat, memory, PSI totals, the NIC of
 * the default route and its speed; files rewritten between samples
 * are read again through the kept descriptors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostsrc.h"

static char	 root[64];

static void
put(const char *rel, const char *text)
{
	char	 path[256], dir[256], *slash;
	FILE	*f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	/* rewrite in place: the kept descriptor must see the new text */
	if ((f = fopen(path, "r+")) == NULL && (f = fopen(path, "w")) == NULL)
		fail_msg("%s", path);
	fputs(text, f);
	fclose(f);
	truncate(path, (off_t)strlen(text));
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/hostsrc-test.XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	put("/proc/stat",
	    "cpu  100 20 30 1000 50 5 5 40 0 0\n"
	    "cpu0 50 10 15 500 25 2 3 20 0 0\n"
	    "cpu1 50 10 15 500 25 3 2 20 0 0\n"
	    "intr 12345\nctxt 999\n");
	put("/proc/meminfo",
	    "MemTotal:       16384000 kB\nMemFree:  1000 kB\n"
	    "MemAvailable:   12288000 kB\nCached: 5 kB\n");
	put("/proc/pressure/cpu",
	    "some avg10=0.00 avg60=0.00 avg300=0.00 total=1234\n"
	    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	put("/proc/pressure/memory",
	    "some avg10=0.00 avg60=0.00 avg300=0.00 total=56\n");
	put("/proc/net/route",
	    "Iface\tDestination\tGateway \tFlags\n"
	    "br1\t0000A8C0\t00000000\t0001\n"
	    "bond0\t00000000\t0101A8C0\t0003\n");
	put("/sys/class/net/bond0/speed", "25000\n");
	put("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3100000\n");
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_sample(void **state)
{
	struct hostsrc		*h;
	struct hostsrc_sample	 s;
	uint64_t		 tick = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
	char			 err[256];

	(void)state;
	h = hostsrc_open(root, "", 1000, err, sizeof(err));
	assert_non_null(h);
	assert_string_equal(hostsrc_nic(h), "bond0");
	assert_int_equal(hostsrc_read(h, &s), 0);
	assert_true(s.busy_ns == (100 + 20 + 30 + 5 + 5) * tick);
	assert_true(s.idle_ns == (1000 + 50) * tick);
	assert_true(s.steal_ns == 40 * tick);
	assert_int_equal(s.cpus, 2);
	assert_int_equal(s.cpu_mhz, 3100);
	assert_true(s.mem_total == 16384000ULL * 1024);
	assert_true(s.mem_avail == 12288000ULL * 1024);
	assert_true(s.has_psi);
	assert_true(s.psi_cpu_us == 1234 && s.psi_mem_us == 56 && s.psi_io_us == 0);
	assert_true(s.nic_bps == 25000ULL * 1000000);

	/* new figures through the same descriptors */
	put("/proc/stat", "cpu  200 20 30 2000 50 5 5 40 0 0\ncpu0 1 1 1 1\n");
	put("/sys/class/net/bond0/speed", "-1\n");
	assert_int_equal(hostsrc_read(h, &s), 0);
	assert_true(s.busy_ns == (200 + 20 + 30 + 5 + 5) * tick);
	assert_int_equal(s.cpus, 1);
	assert_true(s.nic_bps == 1000);		/* unknown: the default */
	hostsrc_close(h);
}

static void
test_errors(void **state)
{
	struct hostsrc		*h;
	struct hostsrc_sample	 s;
	char			 err[256] = "";

	(void)state;
	assert_null(hostsrc_open("/nonexistent-root", "", 1, err, sizeof(err)));
	assert_non_null(strstr(err, "/proc/stat"));
	h = hostsrc_open(root, "eth9", 77, err, sizeof(err));
	assert_non_null(h);
	assert_string_equal(hostsrc_nic(h), "eth9");
	put("/proc/stat", "garbage\n");
	assert_int_equal(hostsrc_read(h, &s), -EPROTO);
	put("/proc/stat", "cpu  1 2 3 4\n");
	assert_int_equal(hostsrc_read(h, &s), 0);
	assert_true(s.nic_bps == 77);
	hostsrc_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
