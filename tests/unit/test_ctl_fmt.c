/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of ctl/fmt.c: the JSON to text formatting of ballastctl,
 * checked character for character on canned API answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "fmt.h"

/* Parses `text`, which the test owns and knows to be valid JSON. */
static json_t *
parse(const char *text)
{
	json_error_t	 err;
	json_t		*j;

	j = json_loads(text, JSON_DECODE_ANY, &err);
	if (j == NULL)
		fail_msg("bad test JSON, line %d: %s", err.line, err.text);
	return j;
}

/*
 * Runs `view` on the JSON `text` into memory.  Returns the output (the
 * caller frees it) and the view's return value in *rc.
 */
static char *
render(int (*view)(FILE *, json_t *), const char *text, int *rc)
{
	json_t	*j = parse(text);
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = view(f, j);
	assert_int_equal(fclose(f), 0);
	json_decref(j);
	return buf;
}

/* Asserts that `view` turns `text` into exactly `want` and returns 0. */
static void
check_view(int (*view)(FILE *, json_t *), const char *text,
    const char *want)
{
	char	*got;
	int	 rc;

	got = render(view, text, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);
}

static void
check_bytes(double v, const char *suffix, const char *want)
{
	char	 buf[FMT_CELL_LEN];

	fmt_bytes(buf, sizeof(buf), v, suffix);
	assert_string_equal(buf, want);
}

static void
test_bytes(void **state)
{
	(void)state;
	check_bytes(0, NULL, "0 B");
	check_bytes(512, NULL, "512 B");
	check_bytes(1023, NULL, "1023 B");
	check_bytes(1023.6, NULL, "1.0 KiB");	/* never "1024 B" */
	check_bytes(1536, NULL, "1.5 KiB");
	check_bytes(1048575, NULL, "1.0 MiB");	/* never "1024.0 KiB" */
	check_bytes(3.5 * 1024 * 1024 * 1024, NULL, "3.5 GiB");
	check_bytes(2.0 * 1024 * 1024 * 1024 * 1024, NULL, "2.0 TiB");
	check_bytes(1e24, NULL, "867361.7 EiB");
	check_bytes(12.5 * 1024 * 1024, "/s", "12.5 MiB/s");
	check_bytes(-1, NULL, "-");
}

static void
check_age(double secs, const char *want)
{
	char	 buf[FMT_CELL_LEN];

	fmt_age(buf, sizeof(buf), secs);
	assert_string_equal(buf, want);
}

static void
test_age(void **state)
{
	(void)state;
	check_age(0.5, "0.5s");
	check_age(59.96, "1m00s");
	check_age(125, "2m05s");
	check_age(3725, "1h02m");
	check_age(93784, "1d02h");
}

static void
check_value(const char *obj, const char *key, enum fmt_kind kind,
    const char *want)
{
	struct fmt_field	 f = { "L", key, kind };
	char			 buf[FMT_CELL_LEN];
	json_t			*j = parse(obj);

	assert_string_equal(fmt_value(j, &f, buf), want);
	json_decref(j);
}

static void
test_value(void **state)
{
	(void)state;
	check_value("{\"u\": 0.432}", "u", FMT_PCT, "43.2%");
	check_value("{\"u\": 1}", "u", FMT_PCT, "100.0%");
	check_value("{\"u\": \"0.4\"}", "u", FMT_PCT, "-");
	check_value("{\"n\": 7}", "n", FMT_INT, "7");
	check_value("{\"n\": 7.0}", "n", FMT_INT, "7");
	check_value("{\"n\": true}", "n", FMT_INT, "-");
	check_value("{\"m\": 2600.4}", "m", FMT_REAL0, "2600");
	check_value("{\"b\": 1536}", "b", FMT_BYTES, "1.5 KiB");
	check_value("{\"s\": \"x\"}", "s", FMT_STR, "x");
	check_value("{\"s\": \"\"}", "s", FMT_STR, "-");
	check_value("{\"s\": 3}", "s", FMT_STR, "-");
	check_value("{\"s\": null}", "s", FMT_STR, "-");
	check_value("{}", "s", FMT_STR, "-");
	check_value("[1]", "s", FMT_INT, "-");
	check_value("{\"t\": true}", "t", FMT_BOOL, "yes");
	check_value("{\"t\": false}", "t", FMT_BOOL, "no");
	check_value("{\"t\": 1}", "t", FMT_BOOL, "-");
	check_value("{\"t\": 1714564800123}", "t", FMT_TIME_MS,
	    "2024-05-01T12:00:00.123Z");
	check_value("{\"t\": -5}", "t", FMT_TIME_MS, "-");
}

static const char hosts_json[] =
	"[{\"name\": \"kvm-01\", \"cluster\": \"prod\", \"stale\": false,"
	"  \"vms\": 12, \"cpus\": 32, \"cpu_mhz\": 2600,"
	"  \"cpu_util\": 0.432, \"cpu_steal\": 0.012,"
	"  \"mem_bytes\": 274877906944, \"mem_used_bytes\": 137438953472,"
	"  \"mem_util\": 0.5, \"last_report_age_s\": 1.5},"
	" {\"name\": \"kvm-02-long\", \"cluster\": \"prod\", \"stale\": true,"
	"  \"vms\": 1, \"cpus\": 8, \"cpu_mhz\": 3000, \"cpu_util\": 0.05,"
	"  \"cpu_steal\": 0, \"mem_bytes\": 68719476736,"
	"  \"mem_used_bytes\": 1536, \"mem_util\": 0.99,"
	"  \"last_report_age_s\": 4000},"
	" {\"name\": \"odd\", \"stale\": \"maybe\", \"cpus\": \"many\"},"
	" 7]";

static const char hosts_text[] =
	"NAME         CLUSTER  STALE  VMS  CPUS   MHZ   CPU%  STEAL%"
	"        MEM       USED   MEM%    AGE\n"
	"kvm-01       prod     no      12    32  2600  43.2%    1.2%"
	"  256.0 GiB  128.0 GiB  50.0%   1.5s\n"
	"kvm-02-long  prod     yes      1     8  3000   5.0%    0.0%"
	"   64.0 GiB    1.5 KiB  99.0%  1h06m\n"
	"odd          -        -        -     -     -      -       -"
	"          -          -      -      -\n"
	"-            -        -        -     -     -      -       -"
	"          -          -      -      -\n";

static void
test_hosts(void **state)
{
	(void)state;
	check_view(fmt_hosts, hosts_json, hosts_text);
}

static void
test_hosts_empty(void **state)
{
	(void)state;
	check_view(fmt_hosts, "[]",
	    "NAME  CLUSTER  STALE  VMS  CPUS  MHZ  CPU%  STEAL%  MEM  USED"
	    "  MEM%  AGE\n");
}

static const char vms_json[] =
	"[{\"uuid\": \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\","
	"  \"name\": \"web\","
	"  \"host\": \"kvm-01\", \"state\": \"running\", \"vcpus\": 4,"
	"  \"cpu_util\": 0.25, \"cpu_mhz\": 2600.4, \"mem_bytes\": 3758096384,"
	"  \"mem_max_bytes\": 8589934592, \"disk_rd_bps\": 1536.0,"
	"  \"disk_wr_bps\": 0.0, \"net_rx_bps\": 13107200.0,"
	"  \"net_tx_bps\": 512.0, \"resets\": 0},"
	" {\"uuid\": \"aaaaaaaa-bbbb-cccc-dddd-000000000001\","
	"  \"name\": \"b\\u00e4r\", \"host\": null, \"state\": \"shutoff\"}]";

static const char vms_text[] =
	"NAME  HOST    STATE    VCPUS   CPU%   MHZ      RSS      MAX"
	"    DISK-RD  DISK-WR      NET-RX   NET-TX  RESETS"
	"  UUID\n"
	"web   kvm-01  running      4  25.0%  2600  3.5 GiB  8.0 GiB"
	"  1.5 KiB/s    0 B/s  12.5 MiB/s  512 B/s       0"
	"  aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n"
	"b\xc3\xa4r   -       shutoff      -      -     -"
	"        -        -          -        -           -        -       -"
	"  aaaaaaaa-bbbb-cccc-dddd-000000000001\n";

/* Numbers right-aligned, UTF-8 names padded by characters, not bytes. */
static void
test_vms(void **state)
{
	(void)state;
	check_view(fmt_vms, vms_json, vms_text);
}

static void
test_vms_on_host(void **state)
{
	json_t	*all = parse(vms_json), *sel;

	(void)state;
	sel = fmt_vms_on_host(all, "kvm-01");
	assert_non_null(sel);
	assert_int_equal(json_array_size(sel), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(sel, 0), "name")), "web");
	json_decref(sel);
	sel = fmt_vms_on_host(all, "kvm-99");
	assert_non_null(sel);
	assert_int_equal(json_array_size(sel), 0);
	json_decref(sel);
	json_decref(all);
	all = parse("{\"host\": \"kvm-01\"}");
	assert_null(fmt_vms_on_host(all, "kvm-01"));
	json_decref(all);
}

/* Aligned values, a missing counter as "-", a new one appended. */
static void
test_status(void **state)
{
	(void)state;
	check_view(fmt_status,
	    "{\"version\": \"0.1.0\", \"uptime_s\": 3725, \"hosts\": 16,"
	    " \"hosts_stale\": 1, \"vms\": 200, \"reports_received\": 9000,"
	    " \"reports_lost\": 3, \"reports_late\": 0,"
	    " \"reports_duplicate\": 0, \"reports_malformed\": \"x\","
	    " \"reports_refused\": 0, \"new_gauge\": 0.5,"
	    " \"nested\": {\"a\": 1}}",
	    "version:           0.1.0\n"
	    "uptime_s:          1h02m\n"
	    "hosts:             16\n"
	    "hosts_stale:       1\n"
	    "vms:               200\n"
	    "reports_received:  9000\n"
	    "reports_lost:      3\n"
	    "reports_late:      0\n"
	    "reports_duplicate: 0\n"
	    "reports_malformed: -\n"
	    "reports_refused:   0\n"
	    "vm_resets:         -\n"
	    "new_gauge:         0.5\n");
}

static void
test_host_detail(void **state)
{
	(void)state;
	check_view(fmt_host,
	    "{\"name\": \"kvm-01\", \"stale\": true, \"cpu_util\": 0.5,"
	    " \"vm_list\": [{\"name\": \"web\", \"vcpus\": 2}]}",
	    "name:              kvm-01\n"
	    "uuid:              -\n"
	    "cluster:           -\n"
	    "stale:             yes\n"
	    "cpus:              -\n"
	    "cpu_mhz:           -\n"
	    "cpu_util:          50.0%\n"
	    "cpu_steal:         -\n"
	    "vm_cpu_mhz:        -\n"
	    "mem_bytes:         -\n"
	    "mem_used_bytes:    -\n"
	    "mem_util:          -\n"
	    "vms:               -\n"
	    "last_report_age_s: -\n"
	    "sample_time_ms:    -\n"
	    "seq:               -\n"
	    "\n"
	    "NAME  HOST  STATE  VCPUS  CPU%  MHZ  RSS  MAX  DISK-RD  DISK-WR"
	    "  NET-RX  NET-TX  RESETS  UUID\n"
	    "web   -     -          2     -    -    -    -        -        -"
	    "       -       -       -  -\n");
}

/* Terminal escapes in names cannot reach the terminal. */
static void
test_control_bytes(void **state)
{
	char	 buf[16];

	(void)state;
	check_view(fmt_vm, "{\"name\": \"x\\u001b[2Jy\\n\"}",
	    "uuid:          -\n"
	    "name:          x?[2Jy?\n"
	    "host:          -\n"
	    "state:         -\n"
	    "vcpus:         -\n"
	    "cpu_util:      -\n"
	    "cpu_mhz:       -\n"
	    "mem_bytes:     -\n"
	    "mem_max_bytes: -\n"
	    "disk_rd_bps:   -\n"
	    "disk_wr_bps:   -\n"
	    "net_rx_bps:    -\n"
	    "net_tx_bps:    -\n"
	    "resets:        -\n");
	fmt_sanitize(buf, sizeof(buf), "a\tb\x7f" "c and more text");
	assert_string_equal(buf, "a?b?c and more ");
}

/* The wrong top-level type is refused and prints nothing. */
static void
test_wrong_shape(void **state)
{
	char	*got;
	int	 rc;

	(void)state;
	got = render(fmt_hosts, "{\"error\": \"x\"}", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "");
	free(got);
	got = render(fmt_status, "[1, 2]", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "");
	free(got);
	got = render(fmt_vm, "\"vm\"", &rc);
	assert_int_equal(rc, -1);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_hosts_empty),
		cmocka_unit_test(test_vms),
		cmocka_unit_test(test_vms_on_host),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_host_detail),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_wrong_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
