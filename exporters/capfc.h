/* SPDX-License-Identifier: ISC */
/*
 * capfc: the forecast of one demand series of a capacity report (a
 * host's or the cluster's CPU, memory, disk or network), by days.
 *
 * From rows of `step` seconds ending at the report's end:
 *
 *  - figures over the range: mean, 95th percentile, peak (the highest
 *    row), and "now": the 95th percentile of the last 7 days;
 *  - the daily 95th percentiles, days counted back from the end (a day
 *    with fewer than half of its rows known is NaN);
 *  - the trend: a least-squares line through the daily 95th
 *    percentiles; its slope is used only when it is significant at the
 *    5 % level (fc_lsq), else demand is taken as flat;
 *  - the seasonal forecast: hourly means, less the trend, smoothed by
 *    additive Holt-Winters with a daily season (24 hours, no trend term:
 *    the line is the trend), its parameters chosen by the error of
 *    forecasts one day ahead (fc_hw_fit);
 *  - expected[k], the forecast 95th percentile of day k+1 after the end:
 *    the 95th percentile of that day's hourly forecast plus the trend,
 *    each hour spread by the history's deviations of rows from their
 *    hour's mean (48 quantiles of them); the seasonal part repeats from
 *    day to day, so expected[k] = expected[0] + k x slope;
 *  - upper[k], the conservative forecast: expected[k] plus the width of
 *    the trend line's one-sided 95 % prediction bound for that day.
 *
 * A forecast needs CAPFC_MIN_DAYS days of history (from the first known
 * row), as many days with data, and two whole days of hourly means; with
 * less, ok is 0 and why says how much there is and what is needed.
 */
#ifndef BALLAST_CAPFC_H
#define BALLAST_CAPFC_H

#include <stddef.h>

#include "forecast.h"

#define CAPFC_MIN_DAYS		3	/* days with data a forecast needs */
#define CAPFC_GOOD_DAYS		14	/* below, the report says it is rough */
#define CAPFC_NOW_S		(7 * 86400)
#define CAPFC_QUANTILES		48

struct cap_fc {
	double		 avg, p95, peak, now;	/* NaN when nothing is known */
	double		 history_days;	/* from the first known row to the end */
	size_t		 ndays;
	double		*daily;		/* ndays daily 95th percentiles */
	size_t		 nhours;
	double		*hourly;	/* hourly means, the last ends at the end */
	int		 ok;		/* a forecast was made */
	char		 why[160];	/* when not: what is missing */
	struct fc_line	 line;		/* valid when ok */
	int		 trend_used;	/* the slope is in the forecast */
	double		 slope;		/* per day, as used (0 when not) */
	struct fc_hw	 hw;		/* valid when ok */
	size_t		 horizon;	/* days forecast */
	double		*expected, *upper;	/* horizon values each */
};

/*
 * Computes *out from v[0..n-1] (rows of `step` seconds, NaN unknown)
 * for `horizon` days.  Returns 0 (ok may still be 0: too little
 * history) or -ENOMEM; free with capfc_free() either way.
 */
int	capfc_make(const double *v, size_t n, unsigned long step,
	    size_t horizon, struct cap_fc *out);
void	capfc_free(struct cap_fc *);

#endif
