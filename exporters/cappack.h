/* SPDX-License-Identifier: ISC */
/*
 * cappack: the VMs of a capacity scenario as items to place -- the
 * what-if's added VMs, largest first (against the largest host's
 * capacity, the larger of CPU and memory) -- and consolidation: the
 * current and added VMs packed first-fit decreasing by their 95th
 * percentiles onto the scenario's hosts, largest first, each filled up
 * to the policy's per-host limits (capacity.h).  No I/O.
 */
#ifndef BALLAST_CAPPACK_H
#define BALLAST_CAPPACK_H

#include <stddef.h>

#include "capacity.h"
#include "caphist.h"

struct cappack_vm {
	double		 key;		/* its share of the largest host */
	struct cap_size	 s;
};

/* The largest capacity of any host of the scenario, per resource. */
void	cappack_scale(const struct cap_scenario *, double scale[CAPH_NRES]);

/*
 * The what-if's VMs, one element each (at most 100,000), largest first,
 * in a malloc'd array the caller frees.  0 or -ENOMEM.
 */
int	cappack_added(const struct cap_scenario *, const struct cap_whatif *,
	    struct cappack_vm **out, size_t *n);

/*
 * Sets sc->hosts_needed, hosts_freed (beyond o->reserve_hosts) and
 * packed_vms.  With vms 0 (no VM history) the hosts' demand now is
 * packed as a fluid instead: the fewest largest hosts whose limits hold
 * it.  wi: its VMs are packed too (NULL: none).  0 or -ENOMEM.
 */
int	cappack_consolidate(struct cap_scenario *sc, const struct caph *,
	    const struct cap_whatif *wi, const struct cap_opts *o, int vms);

#endif
