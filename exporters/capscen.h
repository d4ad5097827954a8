/* SPDX-License-Identifier: ISC */
/*
 * capscen: one scenario of a capacity report (capacity.h): the hosts as
 * they are, or as a what-if leaves them, with each host's and the
 * cluster's figures, the VM slots, the N+1 check, consolidation and,
 * for a what-if, where the added VMs go.  Called by cap_compute() once
 * the forecasts and the slot of the report are made.
 */
#ifndef BALLAST_CAPSCEN_H
#define BALLAST_CAPSCEN_H

#include "capacity.h"
#include "caphist.h"

/*
 * Builds *out for the baseline (wi NULL) or a what-if.  0 or -ENOMEM;
 * free with capscen_free() either way.
 */
int	capscen_build(const struct cap_report *, const struct caph *,
	    const struct cap_whatif *wi, struct cap_scenario *out);
void	capscen_free(struct cap_scenario *);

#endif
