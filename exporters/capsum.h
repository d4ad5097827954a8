/* SPDX-License-Identifier: ISC */
/*
 * capsum: the plain-language summary at the top of a capacity report
 * ("CPU runs out in about 41 days; memory is fine for the horizon; the
 * cluster cannot absorb the loss of hv07 today"), and the human units
 * the HTML and the summary share.  No I/O.
 */
#ifndef BALLAST_CAPSUM_H
#define BALLAST_CAPSUM_H

#include <stddef.h>

#include "capacity.h"

#define CAPSUM_MAX	16
#define CAPSUM_LEN	400

struct capsum {
	char		 line[CAPSUM_MAX][CAPSUM_LEN];
	size_t		 n;
};

/* The summary of a report, most important first. */
void	capsum_make(const struct cap_report *, struct capsum *out);

/*
 * An amount of a resource in human units: "412.3 GHz", "1.2 TiB",
 * "35.0 MiB/s"; "-" for NaN.  Returns buf.
 */
char	*capsum_amount(char *buf, size_t len, int res, double v);
/* The unit of the raw numbers of a resource: "MHz", "bytes", ... */
const char *capsum_unit(int res);
/* "in about 41 days (2026-01-10)", "within a day", "beyond the horizon" */
char	*capsum_when(char *buf, size_t len, const struct cap_report *,
	    long days);

#endif
