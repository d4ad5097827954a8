/* SPDX-License-Identifier: ISC */
#include <math.h>
#include <string.h>

#include "clusterstat.h"

void
clusterstat_compute(const struct model *m, struct clusterstat *cs)
{
	const struct model_host	*h;
	double			 sum = 0, sq = 0, mean, var;
	size_t			 i, n = 0;

	memset(cs, 0, sizeof(*cs));
	cs->hosts = (unsigned)model_host_count(m);
	cs->vms = (unsigned)model_vm_count(m);
	for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
		if (h->stale) {
			cs->stale_hosts++;
			continue;
		}
		if (h->cpu_util > CLUSTERSTAT_HOT)
			cs->hot_hosts++;
		if (!h->has_rates)
			continue;
		sum += h->cpu_util;
		sq += h->cpu_util * h->cpu_util;
		n++;
	}
	if (n == 0)
		return;
	mean = sum / (double)n;
	cs->cpu_util_mean = mean;
	if (n < 2 || mean <= 0)
		return;
	var = sq / (double)n - mean * mean;
	cs->imbalance = var > 0 ? sqrt(var) / mean : 0;
}
