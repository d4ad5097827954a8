/* SPDX-License-Identifier: ISC */
/*
 * baselines: other balancers' policies, re-implemented from how their
 * own code behaves, for bench/quality (qsim.h).
 *
 *   ProxLB 2.2   rebalance while max - min host CPU > 10 points; guests
 *                smallest memory first; a guest moves only if it is on the
 *                most-loaded host, to the least-loaded one, and only if
 *                that reduces the spread; at most 20 moves a run.  Run
 *                every slot, or hourly (every 12th slot).
 *   oVirt        even distribution: a host is over-utilised at CPU >= 80 %
 *                for this slot and the previous one; destinations under
 *                64 % that stay <= 80 % with the VM; the VM with the lowest
 *                CPU that has a destination moves; one per host per slot.
 *   Watcher      workload_stabilization: when the standard deviation of
 *                normalised host CPU exceeds 0.1, simulate every VM on
 *                every other host, apply the moves that lower it most, at
 *                most 5 a run, each VM once.
 */
#ifndef BALLAST_BASELINES_H
#define BALLAST_BASELINES_H

#include "qsim.h"

struct proxlb_arg {
	unsigned	 every;		/* run every N slots: 1 or 12 */
};

size_t	baseline_proxlb(const struct qsim *, void *arg, struct qmove *, size_t);
size_t	baseline_ovirt(const struct qsim *, void *arg, struct qmove *, size_t);
size_t	baseline_watcher(const struct qsim *, void *arg, struct qmove *, size_t);

#endif
