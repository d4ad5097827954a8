/* SPDX-License-Identifier: ISC */
/*
 * caphtml: a capacity report (capacity.h) as one self-contained HTML
 * page -- no scripts, no external assets -- for a browser, a mail or the
 * dashboard's link: the plain-language summary first, then the what-if
 * (baseline and what-if side by side), the cluster's figures, a plot per
 * resource (capsvg.h), the hosts with their headroom colour-coded (green
 * from 20 % of usable capacity free, amber below, red when short), the
 * N+1 check, consolidation and the assumptions the figures rest on.
 */
#ifndef BALLAST_CAPHTML_H
#define BALLAST_CAPHTML_H

#include <stddef.h>

#include "capacity.h"

/* 0 and a malloc'd NUL-terminated page the caller frees, or -ENOMEM. */
int	caphtml_render(const struct cap_report *, char **text, size_t *len);

#endif
