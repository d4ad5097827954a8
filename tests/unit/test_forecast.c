/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/forecast.c and exporters/capfc.c against
 * known series: percentiles by nearest rank, a least-squares line and
 * its band worked by hand, Holt-Winters worked by hand step by step, a
 * noise-free line plus season forecast exactly, the parameter grid
 * preferring a fast level for a level that moves, and the daily
 * forecast of capfc on constant, ramping and too-short histories.
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

#include "capfc.h"
#include "forecast.h"

static void
test_percentile(void **state)
{
	double	 v[20], out = 0.0, nan2[3] = { NAN, 5.0, NAN };
	size_t	 i;

	(void)state;
	for (i = 0; i < 20; i++)
		v[i] = (double)(20 - i);	/* 20, 19, ..., 1 */
	/* nearest rank: ceil(0.95 * 20) = 19th smallest = 19 */
	assert_int_equal(fc_percentile(v, 20, 0.95, &out), 0);
	assert_near(out, 19.0, 0);
	assert_int_equal(fc_percentile(v, 20, 1.0, &out), 0);
	assert_near(out, 20.0, 0);
	/* ceil(0.5 * 20) = 10th = 10 */
	assert_int_equal(fc_percentile(v, 20, 0.5, &out), 0);
	assert_near(out, 10.0, 0);
	/* NaN is skipped: one value left */
	assert_int_equal(fc_percentile(nan2, 3, 0.95, &out), 0);
	assert_near(out, 5.0, 0);
	assert_int_equal(fc_percentile(nan2, 1, 0.95, &out), -ENODATA);
	assert_int_equal(fc_percentile(v, 20, 0.0, &out), -EINVAL);
	assert_near(fc_mean(nan2, 3), 5.0, 0);
	assert_true(isnan(fc_mean(nan2, 1)));
	assert_near(fc_max(v, 20), 20.0, 0);
}

static void
test_lsq_by_hand(void **state)
{
	double		 y[5] = { 1, 3, 2, 5, 4 }, line[6], gap[6];
	struct fc_line	 l;
	size_t		 i;

	(void)state;
	/*
	 * x = 0..4: xbar = 2, ybar = 3, Sxx = 10,
	 * Sxy = (-2)(-2) + (-1)(0) + 0 + (1)(2) + (2)(1) = 8: b = 0.8,
	 * a = 3 - 0.8 * 2 = 1.4.  Residuals -0.4, 0.8, -1, 1.2, -0.6:
	 * SSE = 3.6, s = sqrt(3.6 / 3) = 1.095445, se(b) = s / sqrt(10) =
	 * 0.346410, t = 2.309 < t(0.975, 3) = 3.182: not significant.
	 * Band at x = 5: t(0.95, 3) s sqrt(1 + 1/5 + 9/10) =
	 * 2.353 * 1.095445 * 1.449138 = 3.735272.
	 */
	assert_int_equal(fc_lsq(y, 5, &l), 0);
	assert_near(l.b, 0.8, 1e-12);
	assert_near(l.a, 1.4, 1e-12);
	assert_near(l.s, 1.0954451150103321, 1e-12);
	assert_near(l.se_b, 0.34641016151377546, 1e-12);
	assert_false(l.significant);
	assert_near(fc_line_at(&l, 5), 5.4, 1e-12);
	assert_near(fc_line_band(&l, 5), 3.735272, 1e-5);
	/* An exact line: no error, its slope is significant. */
	for (i = 0; i < 6; i++)
		line[i] = 3.0 + 2.0 * (double)i;
	assert_int_equal(fc_lsq(line, 6, &l), 0);
	assert_near(l.a, 3.0, 1e-12);
	assert_near(l.b, 2.0, 1e-12);
	assert_near(l.s, 0.0, 1e-9);
	assert_true(l.significant);
	/* Gaps are skipped; two points are not a line with an error. */
	memcpy(gap, line, sizeof(gap));
	gap[1] = gap[4] = NAN;
	assert_int_equal(fc_lsq(gap, 6, &l), 0);
	assert_int_equal((int)l.n, 4);
	assert_near(l.b, 2.0, 1e-12);
	assert_int_equal(fc_lsq(gap, 2, &l), -ENODATA);
	assert_near(fc_t95(3), 2.353, 0);
	assert_near(fc_t975(30), 2.042, 0);
	assert_near(fc_t95(100000), 1.645, 1e-3);
}

static void
test_hw_by_hand(void **state)
{
	double		 y[6] = { 1, 3, 2, 4, 3, 5 };
	struct fc_hw	 w;

	(void)state;
	/*
	 * m = 2, a = g = 0.5, no trend.  Start: first season's mean 2 is
	 * the level; indices 1 - 2 = -1 and 3 - 2 = 1.
	 *   t=2, y=2: forecast 2 - 1 = 1 (error 1); l = .5(2+1) + .5(2)
	 *        = 2.5; s0 = .5(2-2.5) + .5(-1) = -0.75
	 *   t=3, y=4: forecast 2.5 + 1 = 3.5 (error .5); l = .5(4-1) +
	 *        .5(2.5) = 2.75; s1 = .5(4-2.75) + .5(1) = 1.125
	 *   t=4, y=3: forecast 2.75 - .75 = 2 (error 1); l = .5(3+.75) +
	 *        .5(2.75) = 3.25; s0 = .5(3-3.25) + .5(-.75) = -0.5
	 *   t=5, y=5: forecast 3.25 + 1.125 = 4.375 (error .625);
	 *        l = .5(5-1.125) + .5(3.25) = 3.5625;
	 *        s1 = .5(5-3.5625) + .5(1.125) = 1.28125
	 * SSE = 1 + .25 + 1 + .390625 = 2.640625 over 4 errors.
	 * Forecasts: 3.5625 - 0.5 = 3.0625, 3.5625 + 1.28125 = 4.84375.
	 */
	assert_int_equal(fc_hw_run(y, 6, 2, 0.5, 0.0, 0.5, 1, &w), 0);
	assert_near(w.level, 3.5625, 1e-12);
	assert_near(w.season[0], -0.5, 1e-12);
	assert_near(w.season[1], 1.28125, 1e-12);
	assert_near(w.sse, 2.640625, 1e-12);
	assert_int_equal((int)w.nerr, 4);
	assert_near(fc_hw_forecast(&w, 1), 3.0625, 1e-12);
	assert_near(fc_hw_forecast(&w, 2), 4.84375, 1e-12);
	/* a missing value carries the state over */
	y[4] = NAN;
	assert_int_equal(fc_hw_run(y, 6, 2, 0.5, 0.0, 0.5, 1, &w), 0);
	assert_int_equal((int)w.nerr, 3);
	/* bad arguments */
	assert_int_equal(fc_hw_run(y, 3, 2, 0.5, 0, 0.5, 1, &w), -EINVAL);
	assert_int_equal(fc_hw_run(y, 6, 2, 0.5, 0, 0.5, 3, &w), -EINVAL);
	assert_int_equal(fc_hw_run(y, 6, 2, 1.0, 0, 0.5, 1, &w), -EINVAL);
}

/* y = 100 + 0.5 t + S[t mod 4], S = 10, -5, 0, -5. */
static double
line_season(size_t t)
{
	static const double s[4] = { 10, -5, 0, -5 };

	return 100.0 + 0.5 * (double)t + s[t % 4];
}

static void
test_hw_exact(void **state)
{
	double		 y[40];
	struct fc_hw	 w;
	size_t		 t, k;

	(void)state;
	for (t = 0; t < 40; t++)
		y[t] = line_season(t);
	/*
	 * The start (trend from the two seasons' means, level at the end
	 * of the first, indices from the line) is exact for such a
	 * series, so every forecast is: no error, at any parameters.
	 */
	assert_int_equal(fc_hw_run(y, 40, 4, 0.3, 0.1, 0.2, 4, &w), 0);
	assert_near(w.sse, 0.0, 1e-18);
	assert_near(w.trend, 0.5, 1e-12);
	for (k = 1; k <= 12; k++)
		assert_near(fc_hw_forecast(&w, k), line_season(39 + k), 1e-9);
	/* Without a trend term the forecast stays flat: it lags. */
	assert_int_equal(fc_hw_run(y, 40, 4, 0.3, 0.0, 0.2, 4, &w), 0);
	assert_true(w.sse > 1.0);
}

static void
test_hw_fit_grid(void **state)
{
	double		 y[24 * 12];
	struct fc_hw	 w;
	size_t		 t;

	(void)state;
	/*
	 * A daily pattern whose level jumps by 50 every two days: only a
	 * fast level (large a) follows it a day ahead, so the grid must
	 * not keep the smoothest one.
	 */
	for (t = 0; t < 24 * 12; t++)
		y[t] = 50.0 * (double)(t / 48) + 10.0 * sin(2 * M_PI *
		    (double)(t % 24) / 24.0);
	assert_int_equal(fc_hw_fit(y, 24 * 12, 24, 24, 0, &w), 0);
	assert_true(w.alpha >= 0.3);
	assert_near(w.beta, 0.0, 0);
	/* A steady pattern: nothing to follow, the smoothest wins. */
	for (t = 0; t < 24 * 12; t++)
		y[t] = 10.0 * sin(2 * M_PI * (double)(t % 24) / 24.0);
	assert_int_equal(fc_hw_fit(y, 24 * 12, 24, 24, 0, &w), 0);
	assert_near(w.alpha, 0.01, 0);
	/* the last value is at t = 287 (hour 23): hour 6 is 7 steps on */
	assert_near(fc_hw_forecast(&w, 7), 10.0, 1e-9);
	assert_int_equal(fc_hw_fit(y, 30, 24, 24, 0, &w), -EINVAL);
}

static void
test_capfc_constant(void **state)
{
	double		 v[10 * 288];
	struct cap_fc	 f;
	size_t		 i;

	(void)state;
	for (i = 0; i < 10 * 288; i++)
		v[i] = 1000.0;
	assert_int_equal(capfc_make(v, 10 * 288, 300, 30, &f), 0);
	assert_true(f.ok);
	assert_int_equal((int)f.ndays, 10);
	assert_near(f.history_days, 10.0, 1e-9);
	assert_near(f.avg, 1000.0, 1e-9);
	assert_near(f.p95, 1000.0, 1e-9);
	assert_near(f.now, 1000.0, 1e-9);
	assert_false(f.trend_used);
	for (i = 0; i < 30; i++) {
		assert_near(f.expected[i], 1000.0, 1e-6);
		assert_near(f.upper[i], 1000.0, 1e-6);
	}
	capfc_free(&f);
}

static void
test_capfc_ramp(void **state)
{
	double		 v[14 * 288], want;
	struct cap_fc	 f;
	size_t		 i, k;

	(void)state;
	/*
	 * 100 plus 10 a day, rising row by row: the daily 95th percentiles
	 * rise by exactly 10 a day, so the slope is 10 and significant,
	 * and day k after the end (rows 14*288 + 288k .. +287) has its
	 * 95th percentile at row 14*288 + 288k + 273 (the 274th of 288).
	 */
	for (i = 0; i < 14 * 288; i++)
		v[i] = 100.0 + 10.0 * (double)i / 288.0;
	assert_int_equal(capfc_make(v, 14 * 288, 300, 20, &f), 0);
	assert_true(f.ok);
	assert_true(f.trend_used);
	assert_near(f.slope, 10.0, 1e-9);
	for (k = 0; k < 20; k++) {
		want = 100.0 + 10.0 * (double)(14 * 288 + 288 * k + 273) /
		    288.0;
		assert_near(f.expected[k], want, 0.002 * want);
		assert_true(f.upper[k] >= f.expected[k] - 1e-6);
	}
	capfc_free(&f);
}

static void
test_capfc_too_short(void **state)
{
	double		 v[30 * 288];
	struct cap_fc	 f;
	size_t		 i;

	(void)state;
	/* 30 days asked, 2.5 known at the end */
	for (i = 0; i < 30 * 288; i++)
		v[i] = i < (30 * 288 - 720) ? NAN : 500.0;
	assert_int_equal(capfc_make(v, 30 * 288, 300, 90, &f), 0);
	assert_false(f.ok);
	assert_near(f.history_days, 2.5, 1e-9);
	assert_non_null(strstr(f.why, "2.5 days of history"));
	assert_non_null(strstr(f.why, "at least 3 days"));
	assert_near(f.now, 500.0, 0);
	assert_null(f.expected);
	capfc_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_lsq_by_hand),
		cmocka_unit_test(test_hw_by_hand),
		cmocka_unit_test(test_hw_exact),
		cmocka_unit_test(test_hw_fit_grid),
		cmocka_unit_test(test_capfc_constant),
		cmocka_unit_test(test_capfc_ramp),
		cmocka_unit_test(test_capfc_too_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
