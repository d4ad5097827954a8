/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of ctl/fmt*.c: the JSON to text formatting of ballastctl,
 * checked character for character on canned API answers.  Local times
 * are those of TZ=CET-1 (UTC+1, no DST), set in main().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "fmt.h"
#include "fmt_traffic.h"

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

/* The kinds of the plan and migrations views. */
static void
test_value_kinds(void **state)
{
	(void)state;
	check_value("{\"t\": 1714564800123}", "t", FMT_LOCAL_MS,
	    "2024-05-01 13:00:00");
	check_value("{\"t\": 0}", "t", FMT_LOCAL_MS, "-");
	check_value("{\"s\": 0.03}", "s", FMT_SECS, "30ms");
	check_value("{\"s\": 0}", "s", FMT_SECS, "0ms");
	check_value("{\"s\": 0.9996}", "s", FMT_SECS, "1.0s");
	check_value("{\"s\": 185}", "s", FMT_SECS, "3m05s");
	check_value("{\"s\": -1}", "s", FMT_SECS, "-");
	check_value("{\"i\": 0.2143}", "i", FMT_REAL3, "0.214");
	check_value("{\"p\": 412}", "p", FMT_PERMILLE, "41.2%");
	check_value("{\"p\": 1000}", "p", FMT_PERMILLE, "100.0%");
	check_value("{\"src_before\": 0.5, \"src_after\": 0.25}", "src",
	    FMT_PCT_PAIR, "50.0%->25.0%");
	check_value("{\"src_before\": 0.5}", "src", FMT_PCT_PAIR,
	    "50.0%->-");
	check_value("{\"src_after\": \"x\"}", "src", FMT_PCT_PAIR, "-");
	check_value("[]", "src", FMT_PCT_PAIR, "-");
	/* Alternatives: the first one that is there. */
	check_value("{\"error\": \"\", \"outcome\": \"ok\"}",
	    "error|outcome", FMT_STR, "ok");
	check_value("{\"error\": \"bad\", \"outcome\": \"ok\"}",
	    "error|outcome", FMT_STR, "bad");
	check_value("{\"error\": null}", "error|outcome", FMT_STR, "-");
	check_value("{\"b\": 7}", "a|b", FMT_INT, "7");
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

static const char traffic_json[] =
	"{\"pairs\": [{\"src\": \"web-1\", \"src_host\": \"hv01\","
	"  \"dst\": \"db-1\", \"dst_host\": \"hv02\", \"bps\": 25165824,"
	"  \"cross_host\": true},"
	" {\"src\": \"db-1\", \"src_host\": \"hv02\", \"dst\": \"cache-1\","
	"  \"dst_host\": \"hv02\", \"bps\": 1536, \"cross_host\": false},"
	" {\"src\": null, \"src_host\": null, \"dst\": \"x\", \"bps\": 1}],"
	" \"hosts\": [{\"name\": \"hv01\", \"cross_bps\": 25165824},"
	"  {\"name\": \"hv02\", \"cross_bps\": 0}],"
	" \"cluster\": {\"vm_bps\": 25167360, \"cross_bps\": 25165824,"
	"  \"cross_fraction\": 0.99994, \"external_bps\": 0}}";

static const char traffic_text[] =
	"VM-to-VM:            24.0 MiB/s\n"
	"across hosts:        24.0 MiB/s\n"
	"across hosts, share: 100.0%\n"
	"to or from outside:  0 B/s\n"
	"\n"
	"FROM   ON    TO       ON          RATE  CROSS-HOST\n"
	"web-1  hv01  db-1     hv02  24.0 MiB/s  yes\n"
	"db-1   hv02  cache-1  hv02   1.5 KiB/s  no\n"
	"-      -     x        -          1 B/s  -\n"
	"\n"
	"HOST  SENT TO OTHER HOSTS\n"
	"hv01           24.0 MiB/s\n"
	"hv02                0 B/s\n";

/* ballastctl traffic: the cluster, the top talkers, each host. */
static void
test_traffic(void **state)
{
	int	 rc;

	(void)state;
	check_view(fmt_traffic, traffic_json, traffic_text);
	check_view(fmt_traffic, "{\"pairs\": [], \"hosts\": [], \"cluster\": {}}",
	    "VM-to-VM:            -\nacross hosts:        -\n"
	    "across hosts, share: -\nto or from outside:  -\n\n"
	    "no VM-to-VM traffic reported\n\nHOST  SENT TO OTHER HOSTS\n");
	free(render(fmt_traffic, "[]", &rc));
	assert_int_equal(rc, -1);
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
	    "version:            0.1.0\n"
	    "uptime_s:           1h02m\n"
	    "hosts:              16\n"
	    "hosts_stale:        1\n"
	    "vms:                200\n"
	    "reports_received:   9000\n"
	    "reports_lost:       3\n"
	    "reports_late:       0\n"
	    "reports_duplicate:  0\n"
	    "reports_malformed:  -\n"
	    "reports_refused:    0\n"
	    "routes_refused:     -\n"
	    "hosts_refused:      -\n"
	    "handshakes_refused: -\n"
	    "vm_resets:          -\n"
	    "new_gauge:          0.5\n");
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

static const char plan_json[] =
	"{\"mode\": \"approve\", \"policy\": \"/etc/ballast/x.policy\","
	" \"passes\": 1234, \"last_pass\": 1714564800123, \"hot_hosts\": 2,"
	" \"unrelieved\": 1, \"imbalance_before\": 0.2143,"
	" \"imbalance_after\": 0.1021,"
	" \"recommendations\": ["
	"  {\"id\": 17, \"state\": \"pending\", \"vm\": \"web-03\","
	"   \"vm_uuid\": \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\","
	"   \"from\": \"kvm-04\", \"to\": \"kvm-09\", \"reason\": \"hot\","
	"   \"rule\": \"\", \"src_before\": 0.91, \"src_after\": 0.725,"
	"   \"dst_before\": 0.4, \"dst_after\": 0.585,"
	"   \"imbalance_before\": 0.2143, \"imbalance_after\": 0.15,"
	"   \"predicted_time_s\": 12.5, \"predicted_downtime_s\": 0.03,"
	"   \"explain\": \"kvm-04 is hot.\\nweb-03 is its busiest VM.\\n\","
	"   \"migration\": null},"
	"  {\"id\": 108, \"state\": \"approved\", \"vm\": \"\","
	"   \"vm_uuid\": \"aaaaaaaa-bbbb-cccc-dddd-000000000001\","
	"   \"from\": \"kvm-02\", \"to\": \"kvm-11\", \"reason\": \"rule\","
	"   \"rule\": \"db-apart\", \"src_before\": 0.55, \"src_after\": 0.41,"
	"   \"dst_before\": 0.2, \"dst_after\": 0.34,"
	"   \"predicted_time_s\": 185, \"predicted_downtime_s\": 1.2,"
	"   \"explain\": \"db-01 and db-02 share kvm-02\", \"migration\": 99},"
	"  {\"id\": 3, \"state\": \"stale\", \"src_before\": 0.5,"
	"   \"predicted_time_s\": \"soon\"}],"
	" \"notes\": [\"kvm-03 is in maintenance\", 7],"
	" \"rejected\": ["
	"  {\"vm\": \"db-02\", \"to\": \"kvm-09\","
	"   \"why\": \"would make kvm-09 hot\"},"
	"  {\"vm\": \"vpn-1\", \"to\": null, \"why\": \"pinned by rule vpn\"}],"
	" \"rejected_total\": 12}";

/* The summary and the table, the same with and without --explain. */
#define PLAN_TEXT \
	"mode: approve  passes: 1234  hot hosts: 2  unrelieved: 1" \
	"  imbalance: 0.214 -> 0.102\n" \
	"\n" \
	" ID  STATE     VM                                    FROM    TO    " \
	"  REASON          SRC%          DST%   TIME  DOWNTIME\n" \
	" 17  pending   web-03                                kvm-04  kvm-09" \
	"  hot     91.0%->72.5%  40.0%->58.5%  12.5s      30ms\n" \
	"108  approved  aaaaaaaa-bbbb-cccc-dddd-000000000001  kvm-02  kvm-11" \
	"  rule    55.0%->41.0%  20.0%->34.0%  3m05s      1.2s\n" \
	"  3  stale     -                                     -       -     " \
	"  -           50.0%->-             -      -         -\n"

/* A VM without a name shows its UUID; missing members show "-". */
static void
test_plan(void **state)
{
	(void)state;
	check_view(fmt_plan, plan_json, PLAN_TEXT);
}

/* Multi-line explanations indented, a note that is no string as "-". */
static void
test_plan_explain(void **state)
{
	(void)state;
	check_view(fmt_plan_explain, plan_json, PLAN_TEXT
	    "\n"
	    "Explanations:\n"
	    "  17: kvm-04 is hot.\n"
	    "    web-03 is its busiest VM.\n"
	    "  108 (rule db-apart): db-01 and db-02 share kvm-02\n"
	    "  3: -\n"
	    "\n"
	    "Notes:\n"
	    "  kvm-03 is in maintenance\n"
	    "  -\n"
	    "\n"
	    "Rejected candidates (2 of 12):\n"
	    "VM     TO      WHY\n"
	    "db-02  kvm-09  would make kvm-09 hot\n"
	    "vpn-1  -       pinned by rule vpn\n");
}

/* Nothing to do, and an answer that leaves out nearly everything. */
static void
test_plan_empty(void **state)
{
	(void)state;
	check_view(fmt_plan_explain,
	    "{\"mode\": \"manual\", \"passes\": 0, \"hot_hosts\": 0,"
	    " \"unrelieved\": 0, \"imbalance_before\": 0.05,"
	    " \"imbalance_after\": 0.05, \"recommendations\": [],"
	    " \"notes\": [], \"rejected\": [], \"rejected_total\": 0}",
	    "mode: manual  passes: 0  hot hosts: 0  unrelieved: 0"
	    "  imbalance: 0.050 -> 0.050\n"
	    "\n"
	    "no recommendations\n"
	    "\n"
	    "Explanations:\n"
	    "  none\n"
	    "\n"
	    "Notes:\n"
	    "  none\n"
	    "\n"
	    "Rejected candidates: none\n");
	check_view(fmt_plan, "{}",
	    "mode: -  passes: -  hot hosts: -  unrelieved: -"
	    "  imbalance: - -> -\n"
	    "\n"
	    "no recommendations\n");
	/* All rejected candidates listed: no "of". */
	check_view(fmt_plan_explain,
	    "{\"rejected\": [{\"vm\": \"a\", \"why\": \"full\"}],"
	    " \"rejected_total\": 1}",
	    "mode: -  passes: -  hot hosts: -  unrelieved: -"
	    "  imbalance: - -> -\n"
	    "\n"
	    "no recommendations\n"
	    "\n"
	    "Explanations:\n"
	    "  none\n"
	    "\n"
	    "Notes:\n"
	    "  none\n"
	    "\n"
	    "Rejected candidates (1):\n"
	    "VM  TO  WHY\n"
	    "a   -   full\n");
}

/* WHEN in local time (CET-1); ERROR/OUTCOME: the error, else outcome. */
static void
test_migrations(void **state)
{
	(void)state;
	check_view(fmt_migrations,
	    "[{\"id\": 99, \"state\": \"failed\", \"vm\": \"db-01\","
	    "  \"vm_uuid\": \"u1\", \"from\": \"kvm-02\", \"to\": \"kvm-11\","
	    "  \"reason\": \"rule\", \"explain\": \"x\","
	    "  \"error\": \"timed out after 600s\", \"outcome\": \"\","
	    "  \"progress\": 412, \"attempts\": 2, \"predicted_time_s\": 185,"
	    "  \"predicted_downtime_s\": 1.2, \"planned_at\": 1714564800123,"
	    "  \"ended_at\": 1714565400000},"
	    " {\"id\": 98, \"state\": \"done\", \"vm\": \"\","
	    "  \"vm_uuid\": \"aaaaaaaa-bbbb-cccc-dddd-000000000002\","
	    "  \"from\": \"kvm-01\", \"to\": \"kvm-05\","
	    "  \"reason\": \"imbalance\", \"error\": \"\","
	    "  \"outcome\": \"ok, downtime 12ms\", \"progress\": 1000,"
	    "  \"planned_at\": 1714564700000, \"ended_at\": 0},"
	    " {\"id\": 100, \"state\": \"planned\", \"progress\": null,"
	    "  \"planned_at\": 0}]",
	    " ID  STATE    VM                                    FROM    TO    "
	    "  REASON     PROGRESS  WHEN                 ERROR/OUTCOME\n"
	    " 99  failed   db-01                                 kvm-02  kvm-11"
	    "  rule          41.2%  2024-05-01 13:00:00  timed out after 600s\n"
	    " 98  done     aaaaaaaa-bbbb-cccc-dddd-000000000002  kvm-01  kvm-05"
	    "  imbalance    100.0%  2024-05-01 12:58:20  ok, downtime 12ms\n"
	    "100  planned  -                                     -       -     "
	    "  -                 -  -                    -\n");
	check_view(fmt_migrations, "[]",
	    "ID  STATE  VM  FROM  TO  REASON  PROGRESS  WHEN  ERROR/OUTCOME\n");
}

static void
test_maintenance(void **state)
{
	(void)state;
	check_view(fmt_maintenance, "[\"kvm-03\", \"\", 5, \"kvm\\u001b07\"]",
	    "HOST\n"
	    "kvm-03\n"
	    "-\n"
	    "-\n"
	    "kvm?07\n");
	check_view(fmt_maintenance, "[]", "HOST\n");
}

/* The comment line, then the text as it is but for control bytes. */
static void
test_policy(void **state)
{
	(void)state;
	check_view(fmt_policy,
	    "{\"file\": \"/etc/ballast/night.policy\", \"mode\": \"approve\","
	    " \"text\": \"mode approve\\nimbalance {\\n\\ttarget 0.1\\n}\\n\","
	    " \"reload\": {\"ok\": true, \"time\": 1714564800123,"
	    " \"error\": \"\"}}",
	    "# /etc/ballast/night.policy (mode approve): last reload ok at"
	    " 2024-05-01 13:00:00\n"
	    "mode approve\n"
	    "imbalance {\n"
	    "\ttarget 0.1\n"
	    "}\n");
	check_view(fmt_policy,
	    "{\"file\": null, \"mode\": \"manual\","
	    " \"text\": \"mode manual\\r\\n\\u001b[2J\","
	    " \"reload\": {\"ok\": false, \"time\": 0,"
	    " \"error\": \"line 3: bad\\nword\"}}",
	    "# the built-in default policy (mode manual): last reload failed:"
	    " line 3: bad?word; the policy below stays in force\n"
	    "mode manual\n"
	    "?[2J\n");
	check_view(fmt_policy, "{\"mode\": \"automatic\", \"reload\": 5}",
	    "# the built-in default policy (mode automatic)\n");
}

static void
check_progress(const char *text, const char *want)
{
	char	 buf[128];
	json_t	*j = parse(text);

	fmt_progress(buf, sizeof(buf), j);
	assert_string_equal(buf, want);
	json_decref(j);
}

static void
test_progress(void **state)
{
	(void)state;
	check_progress("{\"id\": 42, \"state\": \"migrating\","
	    " \"progress\": 453}", "migration 42: migrating 45.3%");
	check_progress("{\"id\": 42, \"state\": \"sent\"}",
	    "migration 42: sent");
	check_progress("{\"id\": 7, \"state\": \"x\\u001b[2J\","
	    " \"progress\": 0}", "migration 7: x?[2J 0.0%");
	check_progress("[]", "migration -: -");
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
	got = render(fmt_plan, "[]", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "");
	free(got);
	got = render(fmt_plan_explain, "null", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "");
	free(got);
	got = render(fmt_migrations, "{\"error\": \"x\"}", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "");
	free(got);
	got = render(fmt_maintenance, "{}", &rc);
	assert_int_equal(rc, -1);
	free(got);
	got = render(fmt_policy, "\"policy\"", &rc);
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
		cmocka_unit_test(test_value_kinds),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_traffic),
		cmocka_unit_test(test_hosts_empty),
		cmocka_unit_test(test_vms),
		cmocka_unit_test(test_vms_on_host),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_host_detail),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_explain),
		cmocka_unit_test(test_plan_empty),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_wrong_shape),
	};

	/* A fixed zone an hour east of UTC: local time is not UTC. */
	setenv("TZ", "CET-1", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
