/* SPDX-License-Identifier: ISC */
/*
 * clusterstat: the cluster-wide figures the exporters publish, computed
 * from the model through its const accessors only.
 *
 *   imbalance    the coefficient of variation (population standard
 *                deviation over mean) of cpu_util over the hosts that
 *                are not stale and have rates; 0 with fewer than two
 *                such hosts or an idle cluster
 *   hot_hosts    hosts, not stale, whose cpu_util is over
 *                CLUSTERSTAT_HOT (0.8)
 *   stale_hosts  hosts marked stale
 *
 * A pure function: no state, no output.
 */
#ifndef BALLAST_CLUSTERSTAT_H
#define BALLAST_CLUSTERSTAT_H

#include "model.h"

#define CLUSTERSTAT_HOT		0.8

struct clusterstat {
	unsigned	 hosts, stale_hosts, hot_hosts, vms;
	double		 imbalance;
	double		 cpu_util_mean;	/* over the hosts counted for imbalance */
};

void	clusterstat_compute(const struct model *, struct clusterstat *);

#endif
