/* SPDX-License-Identifier: ISC */
/*
 * capout: a capacity report (capacity.h) as JSON, for automation, and
 * as CSV, for spreadsheets.  caphtml.h draws the same report as a page.
 *
 * JSON: one object -- "history", "horizon_days", "forecast" (whether it
 * could be made and why not), "assumptions", "slot", "summary" (the
 * sentences of capsum.h), "cluster" (per resource: figures, the daily
 * 95th percentiles and the forecast, expected and upper, by day),
 * "slots", "n_plus_1", "consolidation", "hosts" (soonest out of room
 * first) and "whatif" (null, or the same figures for the what-if with
 * "fits", "unplaced" and "first_out").  Amounts are in base units (MHz,
 * bytes, bytes/s); an unknown figure is null.  "days_left" is a whole
 * number of days, or null with "beyond_horizon" true when the horizon
 * holds, or null with it false when there is no forecast or capacity.
 *
 * CSV: a header line and one line per scenario, scope (cluster or
 * host), name and resource, with the same figures; days_left is a
 * number, "beyond" or empty.
 *
 * Both return 0 with a malloc'd NUL-terminated text the caller frees,
 * or -ENOMEM.
 */
#ifndef BALLAST_CAPOUT_H
#define BALLAST_CAPOUT_H

#include <stddef.h>

#include "capacity.h"

int	capout_json(const struct cap_report *, char **text, size_t *len);
int	capout_csv(const struct cap_report *, char **text, size_t *len);

#endif
