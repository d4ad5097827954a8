/* SPDX-License-Identifier: ISC */
/*
 * capsvg: the plots of a capacity report, as inline SVG (no scripts, no
 * external assets): for one resource of the cluster, the hourly means
 * and daily 95th percentiles of the history, the forecast (expected)
 * with its band up to the conservative forecast, and the total and
 * usable capacity, over the range and the horizon, with dated axes.
 *
 * The elements carry classes a page or a test can find: svg.plot with
 * id "plot-RES"; path.hist, path.p95, path.fc, path.band, line.usable,
 * line.total, line.now.  Colours are inline, so the SVG stands alone.
 */
#ifndef BALLAST_CAPSVG_H
#define BALLAST_CAPSVG_H

#include <stdio.h>

#include "capacity.h"

/* Writes the plot of resource `res` of scenario `sc` to f. */
void	capsvg_plot(FILE *f, const struct cap_report *,
	    const struct cap_scenario *sc, int res);

#endif
