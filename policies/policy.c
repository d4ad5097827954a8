/* SPDX-License-Identifier: ISC */
/*
 * policy: the defaults, reading a file, and the questions a planner
 * asks of a parsed policy.  The grammar is in parse.c, the printer in
 * print.c.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_file.h"
#include "policy.h"

#define DAY_MIN		(24 * 60)

void
policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = POLICY_MANUAL;
	p->interval_s = 30;
	p->hot[POLICY_CPU].set = 1;
	p->hot[POLICY_CPU].level = 0.80;
	p->hot[POLICY_CPU].for_s = 300;
	p->cool[POLICY_CPU].set = 1;
	p->cool[POLICY_CPU].level = 0.65;
	p->cool[POLICY_CPU].for_s = 600;
	p->mem_headroom = 0.10;
	p->weight[POLICY_CPU] = 1.0;
	p->weight[POLICY_MEM] = 0.5;
	p->weight[POLICY_NET] = 0.25;
	p->weight[POLICY_DISK] = 0.25;
	p->imbalance_target = 1.0;
	p->min_benefit = 0.05;
	p->bandwidth = (uint64_t)1 << 30;
	p->max_downtime_ms = 500;
	p->per_pass = 4;
	p->per_host = 2;
	p->cooldown_s = 1800;
	p->timeout_s = 600;
	p->retries = 1;
	p->make_room = 1;
	p->peak_weight = 2;
	p->partial_headroom = 0.06;
}

int
policy_load(const char *path, struct policy *out, char *err, size_t errlen)
{
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc;

	if ((rc = conf_file_read(path, &buf, &len, err, errlen)) < 0)
		return rc;
	rc = policy_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

enum policy_mode
policy_mode_at(const struct policy *p, unsigned min)
{
	const struct policy_window	*w;
	size_t				 i;

	min %= DAY_MIN;
	for (i = 0; i < p->nwindows; i++) {
		w = &p->windows[i];
		if (w->from_min <= w->to_min ?
		    min >= w->from_min && min < w->to_min :
		    min >= w->from_min || min < w->to_min)
			return w->mode;
	}
	return p->mode;
}

int
policy_sel_match(const struct policy_sel *sel, const char *name)
{
	size_t	 i;

	for (i = 0; i < sel->n && i < POLICY_MAX_GLOBS; i++)
		if (fnmatch(sel->globs[i], name, 0) == 0)
			return 1;
	return 0;
}

const char *
policy_res_name(enum policy_res r)
{
	switch (r) {
	case POLICY_CPU:	return "cpu";
	case POLICY_MEM:	return "mem";
	case POLICY_NET:	return "net";
	case POLICY_DISK:	return "disk";
	default:		return "?";
	}
}

const char *
policy_mode_name(enum policy_mode m)
{
	switch (m) {
	case POLICY_MANUAL:	return "manual";
	case POLICY_APPROVE:	return "approve";
	case POLICY_AUTOMATIC:	return "automatic";
	default:		return "?";
	}
}
