/* SPDX-License-Identifier: ISC */
/*
 * qplan: ballast's planner (balancer/planner.h) driven by the quality
 * model (qsim.h): each slot becomes a plan_input, the plan's moves
 * become the slot's migrations.  The policy is ballast's default policy
 * (policies/default.policy), with the pass interval one slot.
 */
#ifndef BALLAST_QPLAN_H
#define BALLAST_QPLAN_H

#include "qsim.h"
#include "simtraffic.h"
#include "trace.h"

struct qplan;

/* policy_path: a policy file, or NULL for the default; NULL on error. */
struct qplan	*qplan_new(const struct trace_set *, size_t nhosts,
		    const char *policy_path, char *err, size_t errlen);
void		 qplan_free(struct qplan *);

/*
 * The traffic between the trace's VMs (by index), for a policy's
 * keep-together rule: each pass then sees every pair, both directions
 * summed.  0 or -ENOMEM.
 */
int		 qplan_traffic(struct qplan *, const struct simtraffic *);

/* A qsim_policy: arg is a struct qplan. */
size_t		 qplan_policy(const struct qsim *, void *arg, struct qmove *,
		    size_t max);

#endif
