/* SPDX-License-Identifier: ISC */
/*
 * hot: whether a host is hot by the policy -- its CPU over the hot
 * level, without a break, for the hot rule's duration -- the one
 * definition the notifications (notify.h) and BALLAST-MIB share; the
 * planner measures the same run (plan_view.c).  Without a CPU hot rule
 * the level is CLUSTERSTAT_HOT and there is no duration.
 */
#ifndef BALLAST_HOT_H
#define BALLAST_HOT_H

#include "model.h"
#include "policy.h"

struct hot_rule {
	double		 level;		/* fraction of CPU, 0..1 */
	unsigned	 for_s;
};

/* The rule from a policy (NULL: the defaults above). */
void		 hot_rule_of(const struct policy *, struct hot_rule *);

/* Seconds the CPU has been over the level without a break; 0: under it. */
unsigned	 hot_seconds(const struct model_host *, const struct hot_rule *);

/* Not stale, reporting rates, and over the level for the duration. */
int		 hot_is(const struct model_host *, const struct hot_rule *);

#endif
