/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/alarm.c: raise/clear pairs, deduplication,
 * the hold-down against flapping, the rate limit, many keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alarm.h"

static struct alarm_set *
mk(unsigned holddown_ms, unsigned per_min)
{
	struct alarm_config	 c = { holddown_ms, per_min };
	struct alarm_set	*as = alarm_new(&c);

	assert_non_null(as);
	return as;
}

static void
test_pairs_and_dedup(void **state)
{
	struct alarm_set	*as = mk(0, 1000);
	struct alarm_stats	 st;
	int64_t			 since = -1;

	(void)state;
	/* cleared at first: nothing to send, no key kept */
	assert_int_equal(alarm_update(as, "hot/hv01", 0, 1000, NULL), 0);
	assert_int_equal(alarm_update(as, "hot/hv01", 1, 2000, &since), 1);
	assert_int_equal(since, 0);
	assert_true(alarm_raised(as, "hot/hv01"));
	/* still raised: sent once */
	assert_int_equal(alarm_update(as, "hot/hv01", 1, 3000, NULL), 0);
	assert_int_equal(alarm_update(as, "hot/hv01", 1, 4000, NULL), 0);
	assert_int_equal(alarm_update(as, "hot/hv01", 0, 9000, &since), -1);
	assert_int_equal(since, 2000);	/* raised for 7 s */
	assert_false(alarm_raised(as, "hot/hv01"));
	assert_int_equal(alarm_update(as, "hot/hv01", 0, 9500, NULL), 0);
	alarm_stats(as, &st);
	assert_int_equal(st.raised, 1);
	assert_int_equal(st.cleared, 1);
	assert_int_equal(st.keys, 1);
	alarm_free(as);
}

/* A host flapping every 100 ms for a minute: one change per hold-down. */
static void
test_flapping_holddown(void **state)
{
	struct alarm_set	*as = mk(10000, 1000);
	struct alarm_stats	 st;
	int64_t			 t;
	int			 sent = 0, last = 0, c, on = 0;

	(void)state;
	for (t = 1000; t < 61000; t += 100) {
		on = !on;
		if ((c = alarm_update(as, "hot/hv01", on, t, NULL)) != 0) {
			/* raises and clears alternate, starting with a raise */
			assert_int_equal(c, last == 1 ? -1 : 1);
			last = c;
			sent++;
		}
	}
	/* 60 s of flapping, a 10 s hold-down: 6 notifications at most */
	assert_true(sent >= 2 && sent <= 6);
	alarm_stats(as, &st);
	assert_true(st.held > 0);
	/* once steady, the last state sent matches the condition */
	for (; t < 80000; t += 1000)
		alarm_update(as, "hot/hv01", 0, t, NULL);
	assert_false(alarm_raised(as, "hot/hv01"));
	alarm_free(as);
}

/* A change that reverts within the hold-down is never sent. */
static void
test_blip_absorbed(void **state)
{
	struct alarm_set	*as = mk(5000, 1000);

	(void)state;
	assert_int_equal(alarm_update(as, "lost/hv02", 1, 1000, NULL), 1);
	assert_int_equal(alarm_update(as, "lost/hv02", 0, 2000, NULL), 0);
	assert_int_equal(alarm_update(as, "lost/hv02", 1, 3000, NULL), 0);
	assert_int_equal(alarm_update(as, "lost/hv02", 1, 7000, NULL), 0);
	assert_true(alarm_raised(as, "lost/hv02"));
	/* a real clear, once the hold-down is over */
	assert_int_equal(alarm_update(as, "lost/hv02", 0, 7500, NULL), -1);
	alarm_free(as);
}

/* 1,000 hosts lost at once: 60 a minute, the rest wait, none lost. */
static void
test_rate_limit(void **state)
{
	struct alarm_set	*as = mk(0, 60);
	struct alarm_stats	 st;
	char			 key[32];
	int			 i, first = 0, total = 0;
	int64_t			 t;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "lost/hv%04d", i);
		first += alarm_update(as, key, 1, 1000, NULL) == 1;
	}
	assert_int_equal(first, 60);
	total = first;
	for (t = 2000; t <= 1000 + 20 * 60000; t += 1000)
		for (i = 0; i < 1000; i++) {
			snprintf(key, sizeof(key), "lost/hv%04d", i);
			total += alarm_update(as, key, 1, t, NULL) == 1;
		}
	assert_int_equal(total, 1000);
	alarm_stats(as, &st);
	assert_int_equal(st.raised, 1000);
	assert_true(st.limited > 0);
	assert_int_equal(st.keys, 1000);
	alarm_free(as);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_and_dedup),
		cmocka_unit_test(test_flapping_holddown),
		cmocka_unit_test(test_blip_absorbed),
		cmocka_unit_test(test_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
