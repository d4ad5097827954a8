/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capfc.h"

/* How rows group into periods (hours) and days. */
struct capfc_grid {
	size_t		 rpd;		/* rows per day, >= 1 */
	size_t		 rpp;		/* rows per period, >= 1 */
	size_t		 m;		/* periods per day: the season */
};

static void
capfc_grid(unsigned long step, struct capfc_grid *g)
{
	g->rpd = step >= 86400 ? 1 : 86400 / step;
	g->rpp = step >= 3600 ? 1 : 3600 / step;
	g->m = g->rpd / g->rpp;
	if (g->m < 1)
		g->m = 1;
	if (g->m > FC_MAX_SEASON)
		g->m = FC_MAX_SEASON;
}

void
capfc_free(struct cap_fc *f)
{
	free(f->daily);
	free(f->hourly);
	free(f->expected);
	free(f->upper);
	f->daily = f->hourly = f->expected = f->upper = NULL;
}

/* Mean, 95th percentile, peak, now and how far the history goes. */
static void
capfc_figures(const double *v, size_t n, unsigned long step,
    struct cap_fc *f)
{
	size_t	 i, last = CAPFC_NOW_S / step;

	f->avg = fc_mean(v, n);
	f->peak = fc_max(v, n);
	if (fc_percentile(v, n, 0.95, &f->p95) < 0)
		f->p95 = NAN;
	if (last > n)
		last = n;
	if (fc_percentile(v + n - last, last, 0.95, &f->now) < 0)
		f->now = NAN;
	for (i = 0; i < n && !isfinite(v[i]); i++)
		continue;
	f->history_days = (double)(n - i) * (double)step / 86400.0;
}

/* Groups of `size` rows counted back from the end; NULL: out of memory. */
static double *
capfc_groups(const double *v, size_t n, size_t size, size_t *count,
    int p95)
{
	double	*out, x;
	size_t	 k = n / size, i, j, known;
	const double *row;

	*count = k;
	if ((out = calloc(k ? k : 1, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < k; i++) {
		row = v + n - (k - i) * size;
		for (j = known = 0; j < size; j++)
			known += isfinite(row[j]) != 0;
		if (known == 0 || (p95 && 2 * known < size) ||
		    (p95 && fc_percentile(row, size, 0.95, &x) < 0))
			out[i] = NAN;
		else
			out[i] = p95 ? x : fc_mean(row, size);
	}
	return out;
}

/* The day coordinate of period j: day i's periods centre on i. */
static double
capfc_x(const struct cap_fc *f, const struct capfc_grid *g, size_t j)
{
	double	 first = (double)f->nhours - (double)(g->m * f->ndays);

	return ((double)j - first + 0.5) / (double)g->m - 0.5;
}

static int
capfc_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* CAPFC_QUANTILES quantiles of the rows' deviations from their hour. */
static int
capfc_spread(const double *v, size_t n, const struct capfc_grid *g,
    const struct cap_fc *f, double *q)
{
	double	*d, h;
	size_t	 i, k = 0, first = n - f->nhours * g->rpp;

	if ((d = malloc((n ? n : 1) * sizeof(*d))) == NULL)
		return -ENOMEM;
	for (i = first; i < n; i++) {
		h = f->hourly[(i - first) / g->rpp];
		if (isfinite(v[i]) && isfinite(h))
			d[k++] = v[i] - h;
	}
	if (k > 1)
		qsort(d, k, sizeof(*d), capfc_dcmp);
	for (i = 0; i < CAPFC_QUANTILES; i++)
		q[i] = k == 0 ? 0.0 : d[(size_t)(((double)i + 0.5) /
		    CAPFC_QUANTILES * (double)k)];
	free(d);
	return 0;
}

/* Holt-Winters on the detrended hourly means; 1: fitted, 0: too few. */
static int
capfc_seasonal(struct cap_fc *f, const struct capfc_grid *g)
{
	double	*u;
	size_t	 j, j0;
	int	 rc;

	for (j0 = 0; j0 < f->nhours && !isfinite(f->hourly[j0]); j0++)
		continue;
	if (f->nhours - j0 < 2 * g->m)
		return 0;
	if ((u = malloc(f->nhours * sizeof(*u))) == NULL)
		return -ENOMEM;
	for (j = 0; j < f->nhours; j++)
		u[j] = f->hourly[j] - f->slope * capfc_x(f, g, j);
	rc = fc_hw_fit(u + j0, f->nhours - j0, g->m, g->m, 0, &f->hw);
	free(u);
	if (rc == -ENODATA || rc == -EINVAL)
		return 0;
	return rc < 0 ? rc : 1;
}

/*
 * expected[] and upper[], day by day (capfc.h).  The seasonal forecast
 * has no trend term, so every future day repeats the first one's hours
 * and the trend shifts each day's values, and their 95th percentile, by
 * the slope: one percentile is enough.
 */
static int
capfc_days(struct cap_fc *f, const struct capfc_grid *g, const double *q)
{
	double	*vals, base, first;
	size_t	 k, p, i, j0 = f->nhours - f->hw.n;

	f->expected = calloc(f->horizon ? f->horizon : 1, sizeof(double));
	f->upper = calloc(f->horizon ? f->horizon : 1, sizeof(double));
	vals = malloc(g->m * CAPFC_QUANTILES * sizeof(*vals));
	if (f->expected == NULL || f->upper == NULL || vals == NULL) {
		free(vals);
		return -ENOMEM;
	}
	for (p = 0; p < g->m; p++) {
		base = fc_hw_forecast(&f->hw, p + 1) + f->slope *
		    capfc_x(f, g, j0 + f->hw.n + p);
		for (i = 0; i < CAPFC_QUANTILES; i++)
			vals[p * CAPFC_QUANTILES + i] = base + q[i];
	}
	if (fc_percentile(vals, g->m * CAPFC_QUANTILES, 0.95, &first) < 0)
		first = NAN;
	free(vals);
	for (k = 0; k < f->horizon; k++) {
		/* a falling trend flattens at no demand, not below */
		f->expected[k] = fmax(first + f->slope * (double)k, 0.0);
		f->upper[k] = f->expected[k] + fc_line_band(&f->line,
		    (double)(f->ndays + k));
	}
	return 0;
}

/* Trend, season and days, once the history is known to be enough. */
static int
capfc_forecast(const double *v, size_t n, const struct capfc_grid *g,
    struct cap_fc *f)
{
	double	 q[CAPFC_QUANTILES];
	int	 rc;

	f->trend_used = f->line.significant;
	f->slope = f->trend_used ? f->line.b : 0.0;
	if ((rc = capfc_seasonal(f, g)) <= 0) {
		if (rc == 0)
			snprintf(f->why, sizeof(f->why), "a forecast needs two "
			    "whole days of hourly figures");
		return rc;
	}
	if ((rc = capfc_spread(v, n, g, f, q)) < 0 ||
	    (rc = capfc_days(f, g, q)) < 0)
		return rc;
	f->ok = 1;
	return 0;
}

int
capfc_make(const double *v, size_t n, unsigned long step, size_t horizon,
    struct cap_fc *f)
{
	struct capfc_grid	 g;
	size_t			 i, known = 0;

	memset(f, 0, sizeof(*f));
	f->horizon = horizon;
	if (step == 0)
		return -EINVAL;
	capfc_grid(step, &g);
	capfc_figures(v, n, step, f);
	if ((f->daily = capfc_groups(v, n, g.rpd, &f->ndays, 1)) == NULL ||
	    (f->hourly = capfc_groups(v, n, g.rpp, &f->nhours, 0)) == NULL) {
		capfc_free(f);
		return -ENOMEM;
	}
	for (i = 0; i < f->ndays; i++)
		known += isfinite(f->daily[i]) != 0;
	if (known < CAPFC_MIN_DAYS || f->history_days < CAPFC_MIN_DAYS -
	    1e-9 || fc_lsq(f->daily, f->ndays, &f->line) < 0) {
		snprintf(f->why, sizeof(f->why), "%.1f days of history; a "
		    "forecast needs at least %d days with data",
		    f->history_days, CAPFC_MIN_DAYS);
		return 0;
	}
	return capfc_forecast(v, n, &g, f);
}
