/* SPDX-License-Identifier: ISC */
/*
 * plan_traffic: the planner's keep-together term (planner.c's
 * internals, like plan_pass.h).
 *
 * With `keep-together traffic above RATE weight W` in the policy, the
 * pairs of the plan input whose traffic (both ways) is at least RATE are
 * heavy.  For a VM going from host f to host d the term is
 *
 *   W * 0.25 * sum over heavy partners p of min(bps_p / RATE, 4)
 *              * ([p is on d] - [p is on f])
 *
 * added to the destination score (plan_pass.c: pass_best_dest), in
 * which 1.0 is a whole host's CPU: a partner at twice the threshold is
 * worth half a host of CPU headroom.  Must rules, capacity, the hot
 * level and the budgets are checked before any score, so they always
 * win.  The imbalance phase makes no move that splits a heavy pair, and
 * a last phase (ptraffic_gather) moves one VM of a heavy pair on two
 * hosts to the other's host, heaviest pair first, when the move may be
 * made and brings more heavy traffic together than it splits.
 *
 * Cost: nothing without the rule (ps->tr stays NULL); with it,
 * O(pairs) to build and O(partners of the VM) per scored destination.
 */
#ifndef BALLAST_PLAN_TRAFFIC_H
#define BALLAST_PLAN_TRAFFIC_H

#include <stddef.h>

#include "plan_pass.h"
#include "planner.h"

/* Per-pair cap on the threshold multiple that scores (see above). */
#define PTRAFFIC_CAP	4.0
#define PTRAFFIC_SCALE	0.25

/*
 * Builds ps->tr from the input's pairs when the policy keeps heavy
 * pairs together; leaves it NULL otherwise.  Returns 0 or -ENOMEM.
 */
int	ptraffic_init(struct pass *);
void	ptraffic_free(struct pass *);

/* The keep-together term for vm going from its host to `to`. */
double	ptraffic_score(const struct pass *, size_t vm, size_t to);

/* Fills m's kept/split figures before the move is applied. */
void	ptraffic_note(const struct pass *, struct plan_move *m);

/* The phase: brings split heavy pairs together.  0 or -ENOMEM. */
int	ptraffic_gather(struct pass *);

/* plan_traffic_words (planner.h) is here too. */

#endif
