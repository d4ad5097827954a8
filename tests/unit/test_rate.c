/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/rate.c: counter increases across wraps and
 * resets, per-second rates, and the short ring of recent values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "rate.h"

#define U32_SPAN	(1ULL << 32)


static void
test_delta_increase(void **state)
{
	uint64_t	 d = 12345;

	(void)state;
	assert_int_equal(rate_delta(100, 250, 64, &d), RATE_OK);
	assert_int_equal(d, 150);
	assert_int_equal(rate_delta(7, 7, 64, &d), RATE_OK);
	assert_int_equal(d, 0);
	assert_int_equal(rate_delta(0, UINT64_MAX, 64, &d), RATE_OK);
	assert_int_equal(d, UINT64_MAX);
	assert_int_equal(rate_delta(100, 250, 32, &d), RATE_OK);
	assert_int_equal(d, 150);
	assert_int_equal(rate_delta(U32_SPAN - 10, U32_SPAN - 1, 32, &d),
	    RATE_OK);
	assert_int_equal(d, 9);
}

static void
test_delta_reset_64(void **state)
{
	uint64_t	 d = 99;

	(void)state;
	assert_int_equal(rate_delta(1000, 999, 64, &d), RATE_RESET);
	assert_int_equal(d, 0);
	d = 99;
	/* near the top of 64 bits is still a reset, never a wrap */
	assert_int_equal(rate_delta(UINT64_MAX - 5, 3, 64, &d), RATE_RESET);
	assert_int_equal(d, 0);
	d = 99;
	/* a small 64-bit-wide counter near 2^32 does not wrap either */
	assert_int_equal(rate_delta(U32_SPAN - 5, 3, 64, &d), RATE_RESET);
	assert_int_equal(d, 0);
}

static void
test_delta_wrap_32(void **state)
{
	uint64_t	 d = 0;

	(void)state;
	/* 2^32 - 100 -> 50: 100 to the wrap and 50 after it */
	assert_int_equal(rate_delta(U32_SPAN - 100, 50, 32, &d), RATE_WRAPPED);
	assert_int_equal(d, 150);
	assert_int_equal(rate_delta(U32_SPAN - 1, 0, 32, &d), RATE_WRAPPED);
	assert_int_equal(d, 1);
	/* just under half the span is still a wrap */
	assert_int_equal(rate_delta(U32_SPAN / 2 + 1, 0, 32, &d),
	    RATE_WRAPPED);
	assert_int_equal(d, U32_SPAN / 2 - 1);
}

static void
test_delta_reset_32(void **state)
{
	uint64_t	 d = 99;

	(void)state;
	/* a "wrap" of half the span or more is a restart */
	assert_int_equal(rate_delta(U32_SPAN / 2, 0, 32, &d), RATE_RESET);
	assert_int_equal(d, 0);
	d = 99;
	assert_int_equal(rate_delta(1000000, 10, 32, &d), RATE_RESET);
	assert_int_equal(d, 0);
	d = 99;
	assert_int_equal(rate_delta(U32_SPAN - 100, U32_SPAN - 200, 32, &d),
	    RATE_RESET);
	assert_int_equal(d, 0);
	d = 99;
	/* values that do not fit 32 bits cannot have wrapped at 32 */
	assert_int_equal(rate_delta(U32_SPAN + 5, 3, 32, &d), RATE_RESET);
	assert_int_equal(d, 0);
}

static void
test_per_s(void **state)
{
	(void)state;
	assert_near(rate_per_s(500, 1000), 500.0, 1e-9);
	assert_near(rate_per_s(500, 500), 1000.0, 1e-9);
	assert_near(rate_per_s(3, 2000), 1.5, 1e-9);
	assert_near(rate_per_s(0, 1000), 0.0, 0.0);
	assert_near(rate_per_s(500, 0), 0.0, 0.0);
	assert_near(rate_per_s(UINT64_MAX, 0), 0.0, 0.0);
	assert_near(rate_per_s(1000000000000ULL, 1), 1e15, 1.0);
}

static void
test_window_empty(void **state)
{
	struct rate_window	 w;
	float			 v = 42.0f;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(rate_window_get(&w, 0, &v), -1);
	assert_true(v == 42.0f);
	assert_true(rate_window_mean(&w, 0) == 0.0f);
	assert_true(rate_window_mean(&w, 5) == 0.0f);
	assert_true(rate_window_mean(&w, RATE_WINDOW) == 0.0f);
}

static void
test_window_get(void **state)
{
	struct rate_window	 w;
	float			 v;
	unsigned		 k;

	(void)state;
	memset(&w, 0, sizeof(w));
	rate_window_push(&w, 1.0f);
	rate_window_push(&w, 2.0f);
	rate_window_push(&w, 3.0f);
	assert_int_equal(w.n, 3);
	assert_int_equal(rate_window_get(&w, 0, &v), 0);
	assert_true(v == 3.0f);
	assert_int_equal(rate_window_get(&w, 2, &v), 0);
	assert_true(v == 1.0f);
	v = -1.0f;
	assert_int_equal(rate_window_get(&w, 3, &v), -1);
	assert_true(v == -1.0f);

	/* push 0 .. 2*RATE_WINDOW+4: only the newest RATE_WINDOW stay */
	memset(&w, 0, sizeof(w));
	for (k = 0; k < 2 * RATE_WINDOW + 5; k++)
		rate_window_push(&w, (float)k);
	assert_int_equal(w.n, RATE_WINDOW);
	for (k = 0; k < RATE_WINDOW; k++) {
		assert_int_equal(rate_window_get(&w, k, &v), 0);
		assert_true(v == (float)(2 * RATE_WINDOW + 4 - k));
	}
	assert_int_equal(rate_window_get(&w, RATE_WINDOW, &v), -1);
	assert_int_equal(rate_window_get(&w, 1000, &v), -1);
}

static void
test_window_mean(void **state)
{
	struct rate_window	 w;
	unsigned		 k;

	(void)state;
	memset(&w, 0, sizeof(w));
	rate_window_push(&w, 1.0f);
	rate_window_push(&w, 2.0f);
	rate_window_push(&w, 6.0f);
	assert_float_equal(rate_window_mean(&w, 1), 6.0f, 1e-6f);
	assert_float_equal(rate_window_mean(&w, 2), 4.0f, 1e-6f);
	assert_float_equal(rate_window_mean(&w, 3), 3.0f, 1e-6f);
	/* asking for more than held averages what is held */
	assert_float_equal(rate_window_mean(&w, 10), 3.0f, 1e-6f);
	assert_true(rate_window_mean(&w, 0) == 0.0f);

	/* after wrapping the ring, the mean is over the newest values */
	memset(&w, 0, sizeof(w));
	for (k = 0; k < RATE_WINDOW; k++)
		rate_window_push(&w, 100.0f);
	for (k = 0; k < 4; k++)
		rate_window_push(&w, 1.0f);
	assert_float_equal(rate_window_mean(&w, 4), 1.0f, 1e-6f);
	assert_float_equal(rate_window_mean(&w, 8), 50.5f, 1e-5f);
	assert_float_equal(rate_window_mean(&w, RATE_WINDOW),
	    (4.0f + 100.0f * (RATE_WINDOW - 4)) / RATE_WINDOW, 1e-4f);
	assert_float_equal(rate_window_mean(&w, RATE_WINDOW + 10),
	    (4.0f + 100.0f * (RATE_WINDOW - 4)) / RATE_WINDOW, 1e-4f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_increase),
		cmocka_unit_test(test_delta_reset_64),
		cmocka_unit_test(test_delta_wrap_32),
		cmocka_unit_test(test_delta_reset_32),
		cmocka_unit_test(test_per_s),
		cmocka_unit_test(test_window_empty),
		cmocka_unit_test(test_window_get),
		cmocka_unit_test(test_window_mean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
