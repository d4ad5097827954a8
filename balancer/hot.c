/* SPDX-License-Identifier: ISC */
#include "clusterstat.h"
#include "hot.h"

void
hot_rule_of(const struct policy *pol, struct hot_rule *r)
{
	if (pol != NULL && pol->hot[POLICY_CPU].set) {
		r->level = pol->hot[POLICY_CPU].level;
		r->for_s = pol->hot[POLICY_CPU].for_s;
	} else {
		r->level = CLUSTERSTAT_HOT;
		r->for_s = 0;
	}
}

unsigned
hot_seconds(const struct model_host *h, const struct hot_rule *r)
{
	unsigned	 run = rate_window_run_above(&h->cpu_win, (float)r->level);

	return (unsigned)(((uint64_t)run * h->interval_ms) / 1000u);
}

int
hot_is(const struct model_host *h, const struct hot_rule *r)
{
	unsigned	 s;

	if (h->stale || !h->has_rates ||
	    rate_window_run_above(&h->cpu_win, (float)r->level) == 0)
		return 0;
	s = hot_seconds(h, r);
	return s >= r->for_s;
}
