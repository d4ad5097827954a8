/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/notify.c on a real model (no SNMP: the events
 * go to a recording function): a host turning hot and cooling, a
 * collector lost and back, a stale hot host keeping its alarm, the
 * cluster's imbalance with its hysteresis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "notify.h"
#include "testreport.h"

struct rec {
	struct snmptrap_event	 ev[64];
	int			 n;
};

static void
record(void *arg, const struct snmptrap_event *ev)
{
	struct rec	*r = arg;

	if (r->n < 64)
		r->ev[r->n++] = *ev;
}

struct hostc {
	uint64_t	 busy, idle, seq;
};

/* One second of host `id` at CPU utilisation u, received at t_ms. */
static void
tick_host(struct model *m, struct hostc *c, int id, double u, int64_t t_ms)
{
	struct trep	 h;
	char		 name[16];

	c->busy += (uint64_t)(u * 8e9);
	c->idle += (uint64_t)((1 - u) * 8e9);
	snprintf(name, sizeof(name), "hv%02d", id);
	trep_host(&h, id, name, ++c->seq, (uint64_t)t_ms + 1700000000000ULL,
	    c->busy, c->idle);
	trep_apply(m, &h, t_ms);
}

static int
count(const struct rec *r, enum snmptrap_kind k, const char *host)
{
	int	 i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->ev[i].kind == k && strcmp(r->ev[i].host, host) == 0;
	return n;
}

static void
test_hot_and_lost(void **state)
{
	struct alarm_config	 ac = { 0, 1000 };
	struct model		*m = model_new(NULL);
	struct hostc		 c1 = { 0, 0, 0 }, c2 = { 0, 0, 0 };
	struct rec		 r;
	struct notify		*n;
	int64_t			 t = 1000;
	int			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_non_null(m);
	assert_non_null(n = notify_new(&ac, record, &r));
	for (i = 0; i < 3; i++, t += 1000) {
		tick_host(m, &c1, 1, 0.5, t);
		tick_host(m, &c2, 2, 0.2, t);
		model_tick(m, t);
		notify_tick(n, m, NULL, t);
	}
	assert_int_equal(r.n, 0);
	for (i = 0; i < 3; i++, t += 1000) {
		tick_host(m, &c1, 1, 0.9, t);
		tick_host(m, &c2, 2, 0.2, t);
		model_tick(m, t);
		notify_tick(n, m, NULL, t);
	}
	/* hot (built-in rule: over 80 %), once, with value and threshold */
	assert_int_equal(count(&r, ST_HOST_HOT, "hv01"), 1);
	assert_int_equal(r.ev[0].value, 900);
	assert_int_equal(r.ev[0].threshold, 800);
	assert_false(r.ev[0].has_addr);		/* no address known yet */
	assert_int_equal(count(&r, ST_HOST_HOT, "hv02"), 0);
	/* hv01 now known at 192.0.2.7 */
	assert_int_equal(model_set_host_addr(m, model_host_by_name(m,
	    "hv01")->uuid, "192.0.2.7"), 0);
	/* hv01 goes silent while hot: lost, and its hot alarm stays */
	for (i = 0; i < 6; i++, t += 1000) {
		tick_host(m, &c2, 2, 0.2, t);
		model_tick(m, t);
		notify_tick(n, m, NULL, t);
	}
	assert_int_equal(count(&r, ST_COLLECTOR_LOST, "hv01"), 1);
	assert_int_equal(count(&r, ST_HOST_CLEARED, "hv01"), 0);
	assert_int_equal(r.ev[r.n - 1].kind, ST_COLLECTOR_LOST);
	assert_true(r.ev[r.n - 1].has_addr);	/* snmpTrapAddress.0 */
	assert_memory_equal(r.ev[r.n - 1].addr, "\xc0\x00\x02\x07", 4);
	/* back, and cool */
	for (i = 0; i < 3; i++, t += 1000) {
		tick_host(m, &c1, 1, 0.3, t);
		tick_host(m, &c2, 2, 0.2, t);
		model_tick(m, t);
		notify_tick(n, m, NULL, t);
	}
	assert_int_equal(count(&r, ST_COLLECTOR_RECOVERED, "hv01"), 1);
	assert_int_equal(count(&r, ST_HOST_CLEARED, "hv01"), 1);
	assert_true(r.ev[r.n - 1].seconds > 0);
	assert_int_equal(count(&r, ST_COLLECTOR_LOST, "hv02"), 0);
	notify_free(n);
	model_free(m);
}

static void
test_cluster(void **state)
{
	struct alarm_config	 ac = { 0, 1000 };
	struct model		*m = model_new(NULL);
	struct hostc		 c[3];
	struct rec		 r;
	struct notify		*n;
	int64_t			 t = 1000;
	int			 i, k;
	const double		 skew[3] = { 0.95, 0.01, 0.01 };
	const double		 some[3] = { 0.60, 0.15, 0.15 };	/* CV 0.71 */
	const double		 even[3] = { 0.30, 0.30, 0.30 };

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(c));
	assert_non_null(n = notify_new(&ac, record, &r));
	for (i = 0; i < 9; i++, t += 1000) {
		for (k = 0; k < 3; k++)
			tick_host(m, &c[k], k + 1, i < 3 ? skew[k] : i < 6 ?
			    some[k] : even[k], t);
		model_tick(m, t);
		notify_tick(n, m, NULL, t);
		if (i == 2) {
			/* CV 1.37, over the default target 1 */
			assert_int_equal(r.ev[r.n - 1].kind, ST_CLUSTER_IMBALANCED);
			assert_true(r.ev[r.n - 1].value > 1000);
			assert_int_equal(r.ev[r.n - 1].threshold, 1000);
		}
		if (i == 5)	/* 0.71 is under 0.9: balanced again */
			assert_int_equal(r.ev[r.n - 1].kind, ST_CLUSTER_BALANCED);
	}
	notify_free(n);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_and_lost),
		cmocka_unit_test(test_cluster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
