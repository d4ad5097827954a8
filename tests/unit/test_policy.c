/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the policy language (policies/): the defaults, every
 * statement, the value forms, the limits, print/parse round trips of
 * the shipped policies against their golden tests/data/policy/NAME.printed,
 * the golden error messages of tests/data/policy/bad-*.policy (each
 * beside its exact bad-*.expected), policy_mode_at() across midnight
 * and policy_sel_match().  Run from the repository root.
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"
#include "units.h"

#define FILE_NAME	"test.policy"
#define DATA		"tests/data/policy"
#define MIN(h, m)	((h) * 60 + (m))

static const char *const shipped[] = {
	"default", "conservative", "aggressive", "consolidation"
};

/* A zeroed policy on the heap (the struct is tens of KiB). */
static struct policy *
new_policy(void)
{
	struct policy	*p = calloc(1, sizeof(*p));

	assert_non_null(p);
	return p;
}

static int
parse(const char *text, struct policy *p, char *err, size_t errlen)
{
	err[0] = '\0';
	return policy_parse(FILE_NAME, text, strlen(text), p, err, errlen);
}

/* Parses text, which must be valid, into a new policy. */
static struct policy *
parse_ok(const char *text)
{
	struct policy	*p = new_policy();
	char		 err[512];

	if (parse(text, p, err, sizeof(err)) != 0)
		fail_msg("refused: %s\nin:\n%s", err, text);
	return p;
}

/* policy_print() into a string the caller frees. */
static char *
print_str(const struct policy *p)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	assert_non_null(f);
	policy_print(p, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* A whole file, NUL-terminated, that the caller frees. */
static char *
slurp(const char *path)
{
	char	*buf;
	long	 n;
	FILE	*f = fopen(path, "rb");

	if (f == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * Asserts that text is refused with exactly "test.policy:" want, and
 * that the output policy is untouched.
 */
static void
check_bad(const char *text, const char *want)
{
	struct policy	*p = new_policy(), *before = new_policy();
	char		 err[512], full[600];

	memset(p, 0x5a, sizeof(*p));
	memcpy(before, p, sizeof(*p));
	assert_int_equal(parse(text, p, err, sizeof(err)), -EINVAL);
	assert_memory_equal(p, before, sizeof(*p));
	snprintf(full, sizeof(full), FILE_NAME ":%s", want);
	assert_string_equal(err, full);
	free(p);
	free(before);
}

static void
test_defaults(void **state)
{
	struct policy	*p = new_policy();
	int		 r;

	(void)state;
	memset(p, 0x5a, sizeof(*p));
	policy_defaults(p);
	assert_int_equal(p->mode, POLICY_MANUAL);
	assert_int_equal(p->nwindows, 0);
	assert_int_equal(p->interval_s, 30);
	assert_true(p->hot[POLICY_CPU].set);
	assert_true(p->hot[POLICY_CPU].level == 0.80);
	assert_int_equal(p->hot[POLICY_CPU].for_s, 300);
	assert_true(p->cool[POLICY_CPU].set);
	assert_true(p->cool[POLICY_CPU].level == 0.65);
	assert_int_equal(p->cool[POLICY_CPU].for_s, 600);
	for (r = POLICY_MEM; r < POLICY_NRES; r++) {
		assert_false(p->hot[r].set);
		assert_false(p->cool[r].set);
		assert_true(p->reserve[r] == 0.0);
	}
	assert_true(p->mem_headroom == 0.10);
	assert_true(p->weight[POLICY_CPU] == 1.0);
	assert_true(p->weight[POLICY_MEM] == 0.5);
	assert_true(p->weight[POLICY_NET] == 0.25);
	assert_true(p->weight[POLICY_DISK] == 0.25);
	assert_true(p->imbalance_target == 1.0);
	assert_true(p->min_benefit == 0.05);
	assert_true(p->bandwidth == (uint64_t)1 << 30);
	assert_int_equal(p->max_downtime_ms, 500);
	assert_int_equal(p->per_pass, 4);
	assert_int_equal(p->per_host, 2);
	assert_int_equal(p->cooldown_s, 1800);
	assert_int_equal(p->timeout_s, 600);
	assert_int_equal(p->retries, 1);
	assert_true(p->make_room);
	assert_true(p->peak_weight == 2.0);
	assert_true(p->partial_headroom == 0.06);
	assert_false(p->reserve_n1);
	assert_true(p->reserve[POLICY_CPU] == 0.0);
	assert_int_equal(p->nrules, 0);
	assert_int_equal(p->pinned.n, 0);
	assert_int_equal(p->maintenance.n, 0);
	free(p);
}

/* An empty file and default.policy both give exactly the defaults. */
static void
test_default_policy_file(void **state)
{
	struct policy	*d = new_policy(), *p;
	char		*want, *got, err[512];

	(void)state;
	policy_defaults(d);
	want = print_str(d);
	p = parse_ok("# nothing\n\n \t\n");
	got = print_str(p);
	assert_string_equal(got, want);
	free(got);
	free(p);

	p = new_policy();
	if (policy_load("policies/default.policy", p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	got = print_str(p);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(p);
	free(d);
}

static void
test_when(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("mode automatic\ninterval 2m\n"
	    "window 22:00-06:00 approve\nwindow 12:00-13:30 manual\n"
	    "window 06:00-07:00 automatic\n");
	assert_int_equal(p->mode, POLICY_AUTOMATIC);
	assert_int_equal(p->interval_s, 120);
	assert_int_equal(p->nwindows, 3);
	assert_int_equal(p->windows[0].from_min, MIN(22, 0));
	assert_int_equal(p->windows[0].to_min, MIN(6, 0));
	assert_int_equal(p->windows[0].mode, POLICY_APPROVE);
	assert_int_equal(p->windows[1].from_min, MIN(12, 0));
	assert_int_equal(p->windows[1].to_min, MIN(13, 30));
	assert_int_equal(p->windows[2].mode, POLICY_AUTOMATIC);
	free(p);

	p = parse_ok("mode approve; window 00:00-24:00 automatic\n"
	    "interval 5s\n");
	assert_int_equal(p->mode, POLICY_APPROVE);
	assert_int_equal(p->windows[0].from_min, 0);
	assert_int_equal(p->windows[0].to_min, MIN(24, 0));
	assert_int_equal(p->interval_s, 5);
	free(p);
	p = parse_ok("interval 1h\nmode manual\n");
	assert_int_equal(p->interval_s, 3600);
	assert_int_equal(p->mode, POLICY_MANUAL);
	free(p);
}

static void
test_levels(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("hot cpu above 90% for 15m\ncool cpu below 12.5% for 1h\n"
	    "hot mem above 95% for 0s\ncool mem below 50% for 1d\n"
	    "hot net above 100% for 30s\ncool disk below 0% for 2m\n"
	    "headroom mem 25%\n");
	assert_true(p->hot[POLICY_CPU].set);
	assert_true(p->hot[POLICY_CPU].level == 0.90);
	assert_int_equal(p->hot[POLICY_CPU].for_s, 900);
	assert_true(p->cool[POLICY_CPU].level == 0.125);
	assert_int_equal(p->cool[POLICY_CPU].for_s, 3600);
	assert_true(p->hot[POLICY_MEM].level == 0.95);
	assert_int_equal(p->hot[POLICY_MEM].for_s, 0);
	assert_int_equal(p->cool[POLICY_MEM].for_s, 86400);
	assert_true(p->hot[POLICY_NET].level == 1.0);
	assert_false(p->cool[POLICY_NET].set);
	assert_false(p->hot[POLICY_DISK].set);
	assert_true(p->cool[POLICY_DISK].set);
	assert_true(p->cool[POLICY_DISK].level == 0.0);
	assert_true(p->mem_headroom == 0.25);
	free(p);

	/* off clears a default; the later statement counts */
	p = parse_ok("hot cpu off\ncool cpu off\n"
	    "hot mem above 80% for 1m\nhot mem above 70% for 2m\n");
	assert_false(p->hot[POLICY_CPU].set);
	assert_false(p->cool[POLICY_CPU].set);
	assert_true(p->hot[POLICY_MEM].level == 0.70);
	assert_int_equal(p->hot[POLICY_MEM].for_s, 120);
	free(p);
	/* cool may be set above the default hot once hot is raised later */
	p = parse_ok("cool cpu below 85% for 10m\nhot cpu above 95% for 5m\n");
	assert_true(p->cool[POLICY_CPU].level == 0.85);
	free(p);
	p = parse_ok("hot cpu off\ncool cpu below 99% for 1m\n");
	assert_true(p->cool[POLICY_CPU].level == 0.99);
	free(p);
}

static void
test_imbalance(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("imbalance {\n\tweight cpu 2\n\tweight mem 0\n"
	    "\tweight net 0.75\n\tweight disk 100\n\ttarget 0.3\n"
	    "\tmin-benefit 0\n}\n");
	assert_true(p->weight[POLICY_CPU] == 2.0);
	assert_true(p->weight[POLICY_MEM] == 0.0);
	assert_true(p->weight[POLICY_NET] == 0.75);
	assert_true(p->weight[POLICY_DISK] == 100.0);
	assert_true(p->imbalance_target == 0.3);
	assert_true(p->min_benefit == 0.0);
	free(p);
	/* one line, with or without ';'; and one setting per statement */
	p = parse_ok("imbalance { weight cpu 1  weight mem 0.5 target 0.2; "
	    "min-benefit 0.02 }\nimbalance target 0.25\n"
	    "imbalance weight disk 1\n");
	assert_true(p->weight[POLICY_MEM] == 0.5);
	assert_true(p->imbalance_target == 0.25);
	assert_true(p->min_benefit == 0.02);
	assert_true(p->weight[POLICY_DISK] == 1.0);
	free(p);
	p = parse_ok("imbalance {\n}\nimbalance {\n\n# nothing\n}");
	free(p);
}

static void
test_migration(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("migration {\n bandwidth 100MiB/s\n max-downtime 2s\n"
	    " per-pass 100\n per-host 16\n cooldown 0s\n timeout 1d\n"
	    " retries 10\n}\n");
	assert_true(p->bandwidth == (uint64_t)100 << 20);
	assert_int_equal(p->max_downtime_ms, 2000);
	assert_int_equal(p->per_pass, 100);
	assert_int_equal(p->per_host, 16);
	assert_int_equal(p->cooldown_s, 0);
	assert_int_equal(p->timeout_s, 86400);
	assert_int_equal(p->retries, 10);
	free(p);
	p = parse_ok("migration { bandwidth 1TiB/s max-downtime 10ms per-pass 1 "
	    "per-host 1 cooldown 7d timeout 10s retries 0 }\n"
	    "migration bandwidth 1536m/s\n");
	assert_true(p->bandwidth == (uint64_t)1536 << 20);
	assert_int_equal(p->max_downtime_ms, 10);
	assert_int_equal(p->cooldown_s, 7 * 86400);
	assert_int_equal(p->timeout_s, 10);
	assert_int_equal(p->retries, 0);
	free(p);
	/* relief: make-room, a peak's weight, a partial relief's headroom */
	p = parse_ok("migration make-room off\nrisk { peak-weight 0.5 }\n"
	    "relief partial-headroom 10%\n");
	assert_false(p->make_room);
	assert_true(p->peak_weight == 0.5);
	assert_true(p->partial_headroom == 0.10);
	free(p);
}

static void
test_reserve(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("reserve n+1\nreserve cpu 10%\nreserve mem 50%\n"
	    "reserve net 0.5%\n");
	assert_true(p->reserve_n1);
	assert_true(p->reserve[POLICY_CPU] == 0.10);
	assert_true(p->reserve[POLICY_MEM] == 0.50);
	assert_true(p->reserve[POLICY_NET] == 0.005);
	assert_true(p->reserve[POLICY_DISK] == 0.0);
	free(p);
	p = parse_ok("reserve n+1\nreserve n+0\n");
	assert_false(p->reserve_n1);
	free(p);
}

static void
test_rules(void **state)
{
	struct policy		*p;
	const struct policy_rule *r;

	(void)state;
	p = parse_ok("rule \"db-apart\" must anti-affinity vms \"db-*\"\n"
	    "rule \"web-near-cache\" should affinity vms \"web-*\" \"cache-*\"\n"
	    "rule \"licensed\" must run vms \"ora-*\" on hosts \"hv0[1-4]\"\n"
	    "\n# no \"on\" is needed\n"
	    "rule \"not-on-old\" should avoid vms \"batch-*\" hosts \"hv16\"\n"
	    "rule \"q\\\"uote\\\\d\" should run vms \"a\" hosts \"b\" \"c\"\n");
	assert_int_equal(p->nrules, 5);
	r = &p->rules[0];
	assert_string_equal(r->name, "db-apart");
	assert_int_equal(r->strength, POLICY_MUST);
	assert_int_equal(r->kind, POLICY_ANTI_AFFINITY);
	assert_int_equal(r->vms.n, 1);
	assert_string_equal(r->vms.globs[0], "db-*");
	assert_int_equal(r->hosts.n, 0);
	assert_int_equal(r->line, 1);
	r = &p->rules[1];
	assert_int_equal(r->strength, POLICY_SHOULD);
	assert_int_equal(r->kind, POLICY_AFFINITY);
	assert_int_equal(r->vms.n, 2);
	assert_string_equal(r->vms.globs[1], "cache-*");
	r = &p->rules[2];
	assert_int_equal(r->kind, POLICY_VM_HOST);
	assert_string_equal(r->hosts.globs[0], "hv0[1-4]");
	r = &p->rules[3];
	assert_int_equal(r->kind, POLICY_NOT_VM_HOST);
	assert_int_equal(r->strength, POLICY_SHOULD);
	assert_string_equal(r->hosts.globs[0], "hv16");
	assert_int_equal(r->line, 6);
	r = &p->rules[4];
	assert_string_equal(r->name, "q\"uote\\d");
	assert_int_equal(r->hosts.n, 2);
	free(p);
}

/* keep-together: off by default; threshold and weight; prints back. */
static void
test_keep_together(void **state)
{
	struct policy	*p, *q;
	char		*once, *twice;

	(void)state;
	p = parse_ok("hot cpu above 80% for 5m\n");
	assert_false(p->keep_together.set);
	free(p);
	p = parse_ok("keep-together traffic above 24MiB/s\n");
	assert_true(p->keep_together.set);
	assert_int_equal(p->keep_together.min_bps, 24 << 20);
	assert_float_equal(p->keep_together.weight, 1.0, 1e-12);
	assert_int_equal(p->keep_together.line, 1);
	free(p);
	p = parse_ok("mode manual\nkeep-together traffic above 512KiB/s "
	    "weight 2.5\n");
	assert_int_equal(p->keep_together.min_bps, 512 << 10);
	assert_float_equal(p->keep_together.weight, 2.5, 1e-12);
	once = print_str(p);
	assert_non_null(strstr(once,
	    "keep-together traffic above 512KiB/s weight 2.5\n"));
	q = parse_ok(once);
	twice = print_str(q);
	assert_string_equal(twice, once);
	free(once);
	free(twice);
	free(p);
	free(q);
}

static void
test_pin_maintenance(void **state)
{
	struct policy	*p;

	(void)state;
	/* the statements add up */
	p = parse_ok("pin vms \"legacy-*\"\nmaintenance hosts \"hv03\"\n"
	    "pin vms \"a\" \"b\"; maintenance hosts \"hv1?\" \"hv2*\"\n");
	assert_int_equal(p->pinned.n, 3);
	assert_string_equal(p->pinned.globs[0], "legacy-*");
	assert_string_equal(p->pinned.globs[2], "b");
	assert_int_equal(p->maintenance.n, 3);
	assert_string_equal(p->maintenance.globs[1], "hv1?");
	free(p);
}

static void
test_units(void **state)
{
	char		 buf[UNITS_BUF];
	uint64_t	 v;
	unsigned	 a, b;
	double		 d;

	(void)state;
	units_fmt_duration(0, buf, sizeof(buf));
	assert_string_equal(buf, "0s");
	units_fmt_duration(90000, buf, sizeof(buf));
	assert_string_equal(buf, "90s");
	units_fmt_duration(7200000, buf, sizeof(buf));
	assert_string_equal(buf, "2h");
	units_fmt_duration(1500, buf, sizeof(buf));
	assert_string_equal(buf, "1500ms");
	units_fmt_duration(86400000, buf, sizeof(buf));
	assert_string_equal(buf, "1d");
	assert_int_equal(units_parse_duration("500ms", 0, &v), -EINVAL);
	assert_int_equal(units_parse_duration("500ms", 1, &v), 0);
	assert_true(v == 500);
	assert_int_equal(units_parse_duration("5", 1, &v), -EINVAL);
	assert_int_equal(units_parse_duration("1.5h", 1, &v), -EINVAL);
	assert_int_equal(units_parse_duration("-5s", 1, &v), -EINVAL);
	assert_int_equal(units_parse_duration("99999999999s", 1, &v), -ERANGE);

	units_fmt_rate((uint64_t)1536 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "1536MiB/s");
	units_fmt_rate(1500, buf, sizeof(buf));
	assert_string_equal(buf, "1500B/s");
	assert_int_equal(units_parse_rate("1500B/s", &v), 0);
	assert_true(v == 1500);
	assert_int_equal(units_parse_rate("1GiB", &v), -EINVAL);
	assert_int_equal(units_parse_rate("1GB/s", &v), -EINVAL);

	assert_int_equal(units_parse_percent("80", &d), -EINVAL);
	assert_int_equal(units_parse_percent("-5%", &d), -EINVAL);
	assert_int_equal(units_parse_percent("1e2%", &d), -EINVAL);
	assert_int_equal(units_parse_percent("0x10%", &d), -EINVAL);
	assert_int_equal(units_parse_percent(".5%", &d), -EINVAL);
	assert_int_equal(units_parse_percent("5.%", &d), -EINVAL);
	assert_int_equal(units_parse_percent("80.5%", &d), 0);
	units_fmt_percent(d, buf, sizeof(buf));
	assert_string_equal(buf, "80.5%");

	assert_int_equal(units_parse_window("23:59-24:00", &a, &b), 0);
	assert_int_equal(a, MIN(23, 59));
	assert_int_equal(b, MIN(24, 0));
	assert_int_equal(units_parse_window("24:00-01:00", &a, &b), -EINVAL);
	assert_int_equal(units_parse_window("22:60-01:00", &a, &b), -EINVAL);
	assert_int_equal(units_parse_window("22:00-24:01", &a, &b), -EINVAL);
	assert_int_equal(units_parse_window("2200-0100", &a, &b), -EINVAL);
	units_fmt_window(MIN(22, 5), MIN(6, 0), buf, sizeof(buf));
	assert_string_equal(buf, "22:05-06:00");
}

/* Values at the edges of their ranges are taken; one step out is not. */
static void
test_ranges(void **state)
{
	(void)state;
	check_bad("interval 4s\n", "1:10: interval must be from 5s to 1h, "
	    "not \"4s\"");
	check_bad("interval 61m\n", "1:10: interval must be from 5s to 1h, "
	    "not \"61m\"");
	check_bad("hot cpu above 0% for 1m\n", "1:15: hot cpu must be from "
	    "1% to 100%, not \"0%\"");
	check_bad("cool mem below 100% for 1m\n", "1:16: cool mem must be "
	    "from 0% to 99%, not \"100%\"");
	check_bad("hot cpu above 80% for 2d\n", "1:23: hot cpu must be from "
	    "0s to 1d, not \"2d\"");
	check_bad("headroom mem 51%\n", "1:14: headroom mem must be from 0% "
	    "to 50%, not \"51%\"");
	check_bad("reserve disk 60%\n", "1:14: reserve disk must be from 0% "
	    "to 50%, not \"60%\"");
	check_bad("imbalance weight cpu 101\n", "1:22: weight cpu must be a "
	    "number from 0 to 100, not \"101\"");
	check_bad("imbalance target 0\n", "1:18: target must be a number from "
	    "0.01 to 1, not \"0\"");
	check_bad("imbalance min-benefit 1.5\n", "1:23: min-benefit must be a "
	    "number from 0 to 1, not \"1.5\"");
	check_bad("migration bandwidth 1023KiB/s\n", "1:21: bandwidth must be "
	    "from 1MiB/s to 1TiB/s, not \"1023KiB/s\"");
	check_bad("migration max-downtime 31s\n", "1:24: max-downtime must be "
	    "from 10ms to 30s, not \"31s\"");
	check_bad("migration per-host 17\n", "1:20: per-host must be a whole "
	    "number from 1 to 16, not \"17\"");
	check_bad("migration timeout 9s\n", "1:19: timeout must be from 10s "
	    "to 1d, not \"9s\"");
	check_bad("migration retries 11\n", "1:19: retries must be a whole "
	    "number from 0 to 10, not \"11\"");
	check_bad("migration cooldown 1500ms\n", "1:20: cooldown is in whole "
	    "seconds: write s, m, h or d, not \"1500ms\"");
}

/* Messages beyond the golden files: the grammar's other corners. */
static void
test_errors(void **state)
{
	(void)state;
	check_bad("hot cpu below 80% for 5m\n", "1:9: expected \"above\" or "
	    "\"off\", found \"below\"");
	check_bad("hot cpu above 90% 5m\n", "1:19: expected \"for\", found "
	    "\"5m\"");
	check_bad("hot gpu off\n", "1:5: expected a resource (cpu, mem, net or "
	    "disk), found \"gpu\"");
	check_bad("cool cpu < 50% for 5m\n", "1:10: write \"below\", not '<', "
	    "as in: cool cpu below 80% for 5m");
	check_bad("hot cpu above 60% for 5m\n", "1:15: hot cpu 60% must be "
	    "above cool cpu 65% (the default)");
	check_bad("cool cpu below 70% for 5m\nhot cpu above 70% for 5m\n",
	    "2:15: hot cpu 70% must be above cool cpu 70%");
	check_bad("headroom cpu 10%\n", "1:10: only memory has a headroom: "
	    "write \"headroom mem 10%\" (for cpu, see \"reserve\")");
	check_bad("imbalance wieght cpu 1\n", "1:11: unknown imbalance setting "
	    "\"wieght\" (weight, target or min-benefit)");
	check_bad("migration\n", "1:10: expected a migration setting "
	    "(bandwidth, max-downtime, per-pass, per-host, cooldown, timeout, "
	    "retries or make-room) or '{', found end of line");
	check_bad("migration { per-pass 2 ] }\n", "1:24: unexpected character");
	check_bad("migration make-room maybe\n", "1:21: make-room must be on "
	    "or off, not \"maybe\"");
	check_bad("relief partial-headroom 51%\n", "1:25: partial-headroom "
	    "must be from 0% to 50%, not \"51%\"");
	check_bad("risk peak-weight 11\n", "1:18: peak-weight must be a number "
	    "from 0 to 10, not \"11\"");
	check_bad("migration { \"per-pass\" 2 }\n", "1:13: expected a migration "
	    "setting (bandwidth, max-downtime, per-pass, per-host, cooldown, "
	    "timeout, retries or make-room) or '}', found the string \"per-pass\"");
	check_bad("imbalance target 0.2 }\n", "1:22: expected end of line, "
	    "found '}'");
	check_bad("migration bandwidth 1GB/s\n", "1:21: bad rate \"1GB/s\": "
	    "write a whole number, a unit (KiB, MiB, GiB or TiB) and /s, such "
	    "as 1GiB/s");
	check_bad("reserve n+2\n", "1:9: expected n+0, n+1 or a resource "
	    "(cpu, mem, net or disk), found \"n+2\"");
	check_bad("mode auto\n", "1:6: expected a mode (manual, approve or "
	    "automatic), found \"auto\"");
	check_bad("window 06:00-06:00 manual\n", "1:8: window 06:00-06:00 is "
	    "empty: for the whole day write 00:00-24:00");
	check_bad("window 23:00-01:00 manual\nwindow 00:30-00:40 approve\n",
	    "2:8: window 00:30-00:40 overlaps the window at line 1: windows "
	    "must not overlap");
	check_bad("window 22:00-06:00\n", "1:19: expected a mode (manual, "
	    "approve or automatic), found end of line");
	check_bad("rule x must affinity vms \"a\"\n", "1:6: write the rule "
	    "name in double quotes: \"x\"");
	check_bad("rule \"\" must affinity vms \"a\"\n", "1:6: the rule name "
	    "is empty");
	check_bad("rule \"r\" may affinity vms \"a\"\n", "1:10: expected must "
	    "or should, found \"may\"");
	check_bad("rule \"r\" must near vms \"a\"\n", "1:15: expected affinity, "
	    "anti-affinity, run or avoid, found \"near\"");
	check_bad("rule \"r\" must affinity vms \"a\" on hosts \"b\"\n", "1:32: "
	    "affinity names no hosts: tie VMs to hosts with run or avoid");
	check_bad("rule \"r\" must avoid vms \"a\" on \"b\"\n", "1:32: rule "
	    "\"r\" names no hosts: add on hosts \"GLOB\" after its VMs");
	check_bad("rule \"r\" must run vms \"a\" on hosts\n", "1:35: expected "
	    "a host name or glob in double quotes, found end of line");
	check_bad("rule \"r\" must run vms \"a\tb\" on hosts \"h\"\n", "1:23: "
	    "a VM name or glob holds a control character");
	check_bad("pin \"a\"\n", "1:5: expected \"vms\", found the string "
	    "\"a\"");
	check_bad("pin vms\n", "1:8: expected a VM name or glob in double "
	    "quotes, found end of line");
	check_bad("maintenance vms \"a\"\n", "1:13: expected \"hosts\", found "
	    "\"vms\"");
	check_bad("pin vms \"a\" extra\n", "1:13: expected end of line, found "
	    "\"extra\"");
	check_bad("{\n", "1:1: expected a keyword, found '{'");
	check_bad("\"mode\" manual\n", "1:1: expected a keyword, found the "
	    "string \"mode\"");
}

static void
test_limits(void **state)
{
	char		 text[16384], glob[80];
	struct policy	*p;
	size_t		 n = 0;
	int		 i;

	(void)state;
	for (i = 0; i < POLICY_MAX_RULES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "rule \"r%d\" should anti-affinity vms \"v%d-*\"\n", i, i);
	p = parse_ok(text);
	assert_int_equal(p->nrules, POLICY_MAX_RULES);
	free(p);
	snprintf(text + n, sizeof(text) - n, "rule \"one-more\" should "
	    "affinity vms \"x\"\n");
	check_bad(text, "65:1: too many rules: at most 64 (one rule may take "
	    "several globs)");

	p = parse_ok("pin vms \"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\"\n");
	assert_int_equal(p->pinned.n, POLICY_MAX_GLOBS);
	free(p);
	check_bad("rule \"r\" must run vms \"1\" on hosts \"1\" \"2\" \"3\" \"4\" "
	    "\"5\" \"6\" \"7\" \"8\" \"9\"\n", "1:68: too many globs for the "
	    "hosts of rule \"r\": at most 8");

	memset(glob, 'g', POLICY_GLOB_MAX - 1);
	glob[POLICY_GLOB_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "pin vms \"%s\"\n", glob);
	p = parse_ok(text);
	assert_string_equal(p->pinned.globs[0], glob);
	free(p);
	snprintf(text, sizeof(text), "pin vms \"%sg\"\n", glob);
	check_bad(text, "1:9: a VM name or glob \"gggggggggggggggggggggggggggggggg"
	    "gggggggg...\" is too long: at most 63 characters");

	n = 0;
	for (i = 0; i < POLICY_MAX_WINDOWS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "window %02d:00-%02d:00 approve\n", i, i + 1);
	p = parse_ok(text);
	assert_int_equal(p->nwindows, POLICY_MAX_WINDOWS);
	free(p);
}

/* Each tests/data/policy/bad-NAME.policy fails as bad-NAME.expected says. */
static void
test_golden_errors(void **state)
{
	struct policy	*p = new_policy();
	char		*text, *want, exp[256], err[1024];
	glob_t		 g;
	size_t		 i, n;

	(void)state;
	assert_int_equal(glob(DATA "/bad-*.policy", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 11);
	for (i = 0; i < g.gl_pathc; i++) {
		n = strlen(g.gl_pathv[i]) - strlen(".policy");
		snprintf(exp, sizeof(exp), "%.*s.expected", (int)n,
		    g.gl_pathv[i]);
		text = slurp(g.gl_pathv[i]);
		want = slurp(exp);
		n = strlen(want);
		assert_true(n > 0 && want[n - 1] == '\n');
		want[n - 1] = '\0';
		err[0] = '\0';
		assert_int_equal(policy_parse(basename(g.gl_pathv[i]), text,
		    strlen(text), p, err, sizeof(err)), -EINVAL);
		if (strcmp(err, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", g.gl_pathv[i], err,
			    want);
		free(text);
		free(want);
	}
	globfree(&g);
	free(p);
}

/* parse -> print -> parse -> print is stable, and matches the golden. */
static void
test_shipped_roundtrip(void **state)
{
	struct policy	*p = new_policy(), *q = new_policy();
	char		 path[256], err[1024], *once, *twice, *golden;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		snprintf(path, sizeof(path), "policies/%s.policy", shipped[i]);
		if (policy_load(path, p, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		once = print_str(p);
		if (policy_parse("printed", once, strlen(once), q, err,
		    sizeof(err)) != 0)
			fail_msg("%s in:\n%s", err, once);
		twice = print_str(q);
		assert_string_equal(twice, once);
		snprintf(path, sizeof(path), DATA "/%s.printed", shipped[i]);
		golden = slurp(path);
		assert_string_equal(once, golden);
		free(once);
		free(twice);
		free(golden);
	}
	free(p);
	free(q);
}

/* Awkward but valid values print in a form that reads back the same. */
static void
test_print_roundtrip(void **state)
{
	struct policy	*p = new_policy(), *q = new_policy();
	char		*once, *twice, err[1024];

	(void)state;
	policy_defaults(p);
	p->mode = POLICY_AUTOMATIC;
	p->nwindows = 2;
	p->windows[0].from_min = 0;
	p->windows[0].to_min = MIN(24, 0) - 1;
	p->windows[0].mode = POLICY_MANUAL;
	p->windows[1].from_min = MIN(23, 59);
	p->windows[1].to_min = MIN(24, 0);
	p->windows[1].mode = POLICY_APPROVE;
	p->hot[POLICY_MEM].set = 1;
	p->hot[POLICY_MEM].level = 0.805;
	p->hot[POLICY_MEM].for_s = 90;
	p->cool[POLICY_CPU].level = 1.0 / 3.0;
	p->weight[POLICY_NET] = 1.0 / 3.0;
	p->bandwidth = (uint64_t)1536 << 20;
	p->max_downtime_ms = 1500;
	p->cooldown_s = 0;
	p->reserve_n1 = 1;
	p->reserve[POLICY_DISK] = 0.001;
	p->nrules = 1;
	snprintf(p->rules[0].name, sizeof(p->rules[0].name), "a \"b\" \\c");
	p->rules[0].kind = POLICY_NOT_VM_HOST;
	p->rules[0].vms.n = 1;
	snprintf(p->rules[0].vms.globs[0], POLICY_GLOB_MAX, "v#1 ;{}");
	p->rules[0].hosts.n = 1;
	snprintf(p->rules[0].hosts.globs[0], POLICY_GLOB_MAX, "h*");
	once = print_str(p);
	if (policy_parse("printed", once, strlen(once), q, err,
	    sizeof(err)) != 0)
		fail_msg("%s in:\n%s", err, once);
	twice = print_str(q);
	assert_string_equal(twice, once);
	assert_string_equal(q->rules[0].name, "a \"b\" \\c");
	assert_string_equal(q->rules[0].vms.globs[0], "v#1 ;{}");
	assert_int_equal(q->max_downtime_ms, 1500);
	assert_true(q->bandwidth == p->bandwidth);
	assert_int_equal(q->windows[0].to_min, MIN(23, 59));
	assert_non_null(strstr(once, "window 23:59-24:00 approve\n"));
	assert_non_null(strstr(once, "hot mem above 80.5% for 90s\n"));
	assert_non_null(strstr(once, "\tcooldown 0s\n"));
	free(once);
	free(twice);
	free(p);
	free(q);
}

static void
test_mode_at(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("mode manual\nwindow 22:00-06:00 automatic\n"
	    "window 12:00-13:00 approve\n");
	assert_int_equal(policy_mode_at(p, MIN(21, 59)), POLICY_MANUAL);
	assert_int_equal(policy_mode_at(p, MIN(22, 0)), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, MIN(23, 59)), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, 0), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, MIN(5, 59)), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, MIN(6, 0)), POLICY_MANUAL);
	assert_int_equal(policy_mode_at(p, MIN(11, 59)), POLICY_MANUAL);
	assert_int_equal(policy_mode_at(p, MIN(12, 0)), POLICY_APPROVE);
	assert_int_equal(policy_mode_at(p, MIN(12, 59)), POLICY_APPROVE);
	assert_int_equal(policy_mode_at(p, MIN(13, 0)), POLICY_MANUAL);
	/* minutes past a day wrap */
	assert_int_equal(policy_mode_at(p, MIN(24, 0) + MIN(1, 0)),
	    POLICY_AUTOMATIC);
	free(p);

	p = parse_ok("mode approve\nwindow 23:00-00:00 automatic\n"
	    "window 00:00-00:30 manual\n");
	assert_int_equal(policy_mode_at(p, MIN(22, 59)), POLICY_APPROVE);
	assert_int_equal(policy_mode_at(p, MIN(23, 30)), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, 0), POLICY_MANUAL);
	assert_int_equal(policy_mode_at(p, MIN(0, 30)), POLICY_APPROVE);
	free(p);

	p = parse_ok("window 00:00-24:00 automatic\n");
	assert_int_equal(policy_mode_at(p, 0), POLICY_AUTOMATIC);
	assert_int_equal(policy_mode_at(p, MIN(23, 59)), POLICY_AUTOMATIC);
	free(p);
	p = parse_ok("mode approve\n");
	assert_int_equal(policy_mode_at(p, MIN(3, 0)), POLICY_APPROVE);
	free(p);
}

static void
test_sel_match(void **state)
{
	struct policy	*p;

	(void)state;
	p = parse_ok("pin vms \"db-*\" \"web0[1-4]\" \"cache?\" \"exact\"\n");
	assert_true(policy_sel_match(&p->pinned, "db-01"));
	assert_true(policy_sel_match(&p->pinned, "db-"));
	assert_true(policy_sel_match(&p->pinned, "web03"));
	assert_false(policy_sel_match(&p->pinned, "web05"));
	assert_true(policy_sel_match(&p->pinned, "cache1"));
	assert_false(policy_sel_match(&p->pinned, "cache12"));
	assert_true(policy_sel_match(&p->pinned, "exact"));
	assert_false(policy_sel_match(&p->pinned, "exactly"));
	assert_false(policy_sel_match(&p->pinned, "DB-01"));
	assert_false(policy_sel_match(&p->pinned, ""));
	/* no FNM_PATHNAME: '*' crosses '/' */
	assert_true(policy_sel_match(&p->pinned, "db-a/b"));
	/* an empty selection matches nothing */
	assert_false(policy_sel_match(&p->maintenance, "hv01"));
	assert_false(policy_sel_match(&p->maintenance, ""));
	free(p);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(policy_res_name(POLICY_CPU), "cpu");
	assert_string_equal(policy_res_name(POLICY_MEM), "mem");
	assert_string_equal(policy_res_name(POLICY_NET), "net");
	assert_string_equal(policy_res_name(POLICY_DISK), "disk");
	assert_string_equal(policy_res_name(POLICY_NRES), "?");
	assert_string_equal(policy_mode_name(POLICY_MANUAL), "manual");
	assert_string_equal(policy_mode_name(POLICY_APPROVE), "approve");
	assert_string_equal(policy_mode_name(POLICY_AUTOMATIC), "automatic");
	assert_string_equal(policy_mode_name((enum policy_mode)7), "?");
}

static void
test_load(void **state)
{
	struct policy	*p = new_policy(), *before = new_policy();
	char		 err[512];

	(void)state;
	memset(p, 0x5a, sizeof(*p));
	memcpy(before, p, sizeof(*p));
	assert_int_equal(policy_load(DATA "/no-such.policy", p, err,
	    sizeof(err)), -ENOENT);
	assert_string_equal(err, DATA "/no-such.policy: No such file or "
	    "directory");
	assert_memory_equal(p, before, sizeof(*p));
	/* messages name the file as given */
	assert_int_equal(policy_load(DATA "/bad-keyword.policy", p, err,
	    sizeof(err)), -EINVAL);
	assert_string_equal(err, DATA "/bad-keyword.policy:3:1: unknown "
	    "keyword \"balance\" (see ballast.policy(5))");
	assert_memory_equal(p, before, sizeof(*p));
	/* a short error buffer is still terminated */
	assert_int_equal(parse("bogus\n", p, err, 12), -EINVAL);
	assert_string_equal(err, "test.policy");
	free(p);
	free(before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_default_policy_file),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_imbalance),
		cmocka_unit_test(test_migration),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_pin_maintenance),
		cmocka_unit_test(test_keep_together),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_golden_errors),
		cmocka_unit_test(test_shipped_roundtrip),
		cmocka_unit_test(test_print_roundtrip),
		cmocka_unit_test(test_mode_at),
		cmocka_unit_test(test_sel_match),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
