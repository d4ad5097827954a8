/* SPDX-License-Identifier: ISC */
/*
 * forecast: the statistics of the capacity reports -- percentiles, a
 * least-squares trend line with its prediction band, and additive
 * Holt-Winters exponential smoothing.
 *
 * Pure functions over arrays of doubles: no I/O, no global state.  A
 * NaN in an input series is a missing value: percentiles and the trend
 * line skip it, Holt-Winters carries its state over it.  Failures are
 * negative errno values; outputs are untouched on failure.
 *
 * Holt-Winters, additive, season length m, h-step forecasts:
 *
 *   level   l' = a (y - s[t]) + (1 - a) (l + b)
 *   trend   b' = B (l' - l) + (1 - B) b          (B = 0: no trend, b = 0)
 *   season  s[t]' = g (y - l') + (1 - g) s[t]
 *   forecast of y[n-1+k] = l + k b + s[(n-1+k) mod m]
 *
 * Initialised from the first two seasons: the trend from the difference
 * of their means, the level at the end of the first season and the
 * seasonal indices as deviations from the line through it, so that a
 * noise-free "line plus repeating pattern" is forecast exactly.
 * fc_hw_fit() chooses a, B and g on a fixed grid by the smallest sum of
 * squared `h`-step-ahead errors over the series (h <= m): a forecast
 * used days ahead is judged days ahead, not one step ahead.
 */
#ifndef BALLAST_FORECAST_H
#define BALLAST_FORECAST_H

#include <stddef.h>

#define FC_MAX_SEASON	168		/* a week of hours */
#define FC_MIN_LSQ	3		/* points a trend line needs */

/*
 * The p-th percentile (0 < p <= 1) of the finite values of v, by
 * nearest rank: the smallest value with at least p of them at or below
 * it (rrdtool's PERCENTNAN).  0 and *out, -ENODATA when no value is
 * finite, -EINVAL for a bad p, -ENOMEM.
 */
int	fc_percentile(const double *v, size_t n, double p, double *out);

/* The mean of the finite values; NaN when there is none. */
double	fc_mean(const double *v, size_t n);
/* The largest finite value; NaN when there is none. */
double	fc_max(const double *v, size_t n);

/* y = a + b x fitted to the finite points (x = index in the series). */
struct fc_line {
	double		 a, b;		/* intercept, slope per index */
	double		 s;		/* residual standard deviation */
	double		 se_b;		/* standard error of b */
	double		 xbar, sxx;	/* mean of x, sum of (x - xbar)^2 */
	size_t		 n;		/* finite points used */
	int		 significant;	/* b differs from 0 at the 5 % level */
};

/*
 * Least squares over the finite points.  0, or -ENODATA with fewer
 * than FC_MIN_LSQ of them or all at one x.
 */
int	fc_lsq(const double *y, size_t n, struct fc_line *out);
double	fc_line_at(const struct fc_line *, double x);
/*
 * Half-width of the one-sided 95 % prediction bound of a new point at
 * x: t(0.95, n-2) s sqrt(1 + 1/n + (x - xbar)^2 / sxx).
 */
double	fc_line_band(const struct fc_line *, double x);

/* Student's t quantiles for `dof` degrees of freedom (>= 1). */
double	fc_t95(size_t dof);		/* one-sided 95 % */
double	fc_t975(size_t dof);		/* two-sided 95 % */

struct fc_hw {
	size_t		 m;		/* season length */
	size_t		 h;		/* the horizon it was judged on */
	double		 alpha, beta, gamma;
	double		 level, trend;
	double		 season[FC_MAX_SEASON];
	size_t		 n;		/* observations, the first at 0 */
	double		 sse;		/* of the h-step-ahead forecasts */
	size_t		 nerr;		/* forecasts judged */
	double		 rmse;		/* sqrt(sse / nerr), 0 when none */
};

/*
 * Runs Holt-Winters with these parameters over y[0..n-1] (n >= 2m,
 * 1 <= h <= m <= FC_MAX_SEASON, 0 < alpha, gamma < 1, 0 <= beta < 1).
 * Each of the first two seasons needs a finite value.  0, -EINVAL,
 * -ENODATA.
 */
int	fc_hw_run(const double *y, size_t n, size_t m, double alpha,
	    double beta, double gamma, size_t h, struct fc_hw *out);

/*
 * fc_hw_run() over the grid a in {.01 .02 .05 .1 .2 .3 .5 .7},
 * g in {.05 .1 .2 .3 .5}, and B in {.01 .05 .1 .2} with a trend or
 * B = 0 without; keeps the smallest sse (ties, within rounding of the
 * data's size: the earlier, smoother parameters).  Same returns as
 * fc_hw_run().
 */
int	fc_hw_fit(const double *y, size_t n, size_t m, size_t h, int trend,
	    struct fc_hw *out);

/* The forecast k >= 1 steps after the last observation. */
double	fc_hw_forecast(const struct fc_hw *, size_t k);

#endif
