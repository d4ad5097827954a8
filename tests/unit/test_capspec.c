/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/capspec.c: the words of a capacity report's
 * options (durations, VM and host sizes, what-ifs, buffers, times,
 * network speeds), the policy's limits as buffers, and the sentence a
 * bad word gets.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "capspec.h"
#include "policy.h"

#define GIB	(1024.0 * 1024.0 * 1024.0)

static void
test_words(void **state)
{
	struct cap_size	 s;
	int64_t		 d;
	time_t		 t;
	double		 b;

	(void)state;
	assert_int_equal(capspec_duration("30d", &d), 0);
	assert_int_equal((int)d, 30 * 86400);
	assert_int_equal(capspec_duration("12w", &d), 0);
	assert_int_equal((int)d, 12 * 7 * 86400);
	assert_int_equal(capspec_duration("48h", &d), 0);
	assert_int_equal((int)d, 48 * 3600);
	assert_int_equal(capspec_duration("30", &d), -EINVAL);
	assert_int_equal(capspec_duration("d", &d), -EINVAL);
	assert_int_equal(capspec_duration("11y", &d), -ERANGE);
	/* 4 vCPUs x 2600 MHz x 30 % = 3120 MHz; 16 GiB */
	assert_int_equal(capspec_size("4vcpu:16g:30%", 2600, &s), 0);
	assert_near(s.v[CAPH_CPU], 3120, 1e-9);
	assert_near(s.v[CAPH_MEM], 16 * GIB, 0);
	assert_int_equal(capspec_size("2:4GiB", 1000, &s), 0);
	assert_near(s.v[CAPH_CPU], 2000, 1e-9);
	assert_near(s.v[CAPH_MEM], 4 * GIB, 0);
	assert_int_equal(capspec_size("4vcpu", 2600, &s), -EINVAL);
	assert_int_equal(capspec_size("4x:16g", 2600, &s), -EINVAL);
	assert_int_equal(capspec_size("4:16g:130%", 2600, &s), -EINVAL);
	assert_int_equal(capspec_size("4:16g:1:2", 2600, &s), -EINVAL);
	assert_int_equal(capspec_time("1373061600", &t), 0);
	assert_int_equal((long)t, 1373061600L);
	assert_int_equal(capspec_time("2013-07-05T22:00", &t), 0);
	assert_int_equal((long)t, 1373061600L);
	assert_int_equal(capspec_time("2013-07-05", &t), 0);
	assert_int_equal((long)t, 1372982400L);
	assert_int_equal(capspec_time("yesterday", &t), -EINVAL);
	assert_int_equal(capspec_bits("10g", &b), 0);
	assert_near(b, 1e10, 0);
	assert_int_equal(capspec_bits("25gbit", &b), 0);
	assert_near(b, 2.5e10, 0);
	assert_int_equal(capspec_bits("fast", &b), -EINVAL);
}

static void
test_apply(void **state)
{
	struct capspec_req	 q;
	struct cap_opts		 o;
	struct policy		*p = malloc(sizeof(*p));
	char			 err[256];
	time_t			 end;

	(void)state;
	assert_non_null(p);
	memset(&q, 0, sizeof(q));
	/* Defaults: 30 days back, 90 ahead, N+1, 2600 MHz assumed, the
	 * default policy's limits (80 % CPU, 90 % memory) as buffers. */
	assert_int_equal(capspec_apply(&q, NULL, 0, &o, &end, err,
	    sizeof(err)), 0);
	assert_int_equal((int)o.range_s, 30 * 86400);
	assert_int_equal((int)o.horizon_s, 90 * 86400);
	assert_int_equal((int)o.reserve_hosts, 1);
	assert_true(o.core_mhz_assumed);
	assert_near(o.buffer[CAPH_CPU], 0.2, 1e-12);
	assert_near(o.buffer[CAPH_MEM], 0.1, 1e-12);
	assert_near(o.buffer[CAPH_NET], 0.0, 1e-12);
	assert_int_equal((int)end, 0);
	/* A policy with a 90 % hot level and 15 % headroom. */
	policy_defaults(p);
	p->hot[POLICY_CPU].level = 0.9;
	p->mem_headroom = 0.15;
	capspec_push(q.add, &q.nadd, "20x4vcpu:16g:30%");
	capspec_push(q.add_host, &q.nadd_host, "32c:256g");
	capspec_push(q.remove_host, &q.nremove_host, "hv07");
	q.net_cap = "10g";
	q.reserve = "2";
	assert_int_equal(capspec_apply(&q, p, 2000, &o, &end, err,
	    sizeof(err)), 0);
	assert_false(o.core_mhz_assumed);
	assert_near(o.buffer[CAPH_CPU], 0.1, 1e-12);
	assert_near(o.buffer[CAPH_MEM], 0.15, 1e-12);
	assert_near(o.host_cap[CAPH_NET], 1.25e9, 0);
	assert_int_equal((int)o.reserve_hosts, 2);
	assert_int_equal((int)o.wi.add[0].count, 20);
	assert_near(o.wi.add[0].size.v[CAPH_CPU], 4 * 2000 * 0.3, 1e-9);
	assert_near(o.wi.newhost[0].cap[CAPH_CPU], 64000, 1e-9);
	assert_string_equal(o.wi.remove[0], "hv07");
	/* --buffer wins over the policy. */
	q.buffer = "5%";
	assert_int_equal(capspec_apply(&q, p, 2000, &o, &end, err,
	    sizeof(err)), 0);
	assert_near(o.buffer[CAPH_MEM], 0.05, 1e-12);
	assert_string_equal(o.buffer_from, "--buffer");
	/* Bad words are named. */
	q.buffer = NULL;
	q.horizon = "soon";
	assert_int_equal(capspec_apply(&q, p, 2000, &o, &end, err,
	    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--horizon: \"soon\""));
	q.horizon = NULL;
	q.add[0] = "many";
	assert_int_equal(capspec_apply(&q, p, 2000, &o, &end, err,
	    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--add"));
	free(p);
}

/* capspec_get_fn over a NULL-terminated key, value, ... array. */
static const char *
get_pair(void *arg, const char *key)
{
	const char *const	*kv = arg;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], key) == 0)
			return kv[1];
	return NULL;
}

static void
test_request(void **state)
{
	static struct capspec_lists	 l;
	struct capspec_req		 q;
	static char			 longest[CAPSPEC_LIST_LEN + 1];
	static char			 many[4 * CAP_MAX_WHATIF + 8];
	const char			*kv[] = {
		"range", "30d", "end", "2026-07-01", "add", "2x4c:8g,,1x2c:4g",
		"remove_host", "hv01", "unknown", "x", NULL, NULL
	};
	const char			*too_long[] = { "add_host", longest,
		NULL, NULL };
	const char			*too_many[] = { "add_like", many,
		NULL, NULL };
	size_t				 i;

	(void)state;
	assert_int_equal(capspec_request(&q, &l, get_pair, kv), 0);
	assert_string_equal(q.range, "30d");
	assert_string_equal(q.end, "2026-07-01");
	assert_null(q.horizon);
	assert_int_equal(q.nadd, 2);		/* the empty word is skipped */
	assert_string_equal(q.add[0], "2x4c:8g");
	assert_string_equal(q.add[1], "1x2c:4g");
	assert_int_equal(q.nremove_host, 1);
	assert_string_equal(q.remove_host[0], "hv01");
	assert_int_equal(q.nadd_like + q.nadd_host, 0);

	memset(longest, 'a', CAPSPEC_LIST_LEN);
	assert_int_equal(capspec_request(&q, &l, get_pair, too_long), -E2BIG);
	longest[CAPSPEC_LIST_LEN - 1] = '\0';
	assert_int_equal(capspec_request(&q, &l, get_pair, too_long), 0);
	assert_int_equal(q.nadd_host, 1);

	for (i = 0; i <= CAP_MAX_WHATIF; i++)
		memcpy(many + 4 * i, "v:1,", 4);
	assert_int_equal(capspec_request(&q, &l, get_pair, too_many), -E2BIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
