/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "planner.h"
#include "policy.h"
#include "qplan.h"

#define SLOT_S		300
#define MEAN_SLOTS	6	/* a VM's recent mean: the last half hour */

struct qplan {
	struct policy	*pol;
	size_t		 nhosts, nvms;
	struct plan_host *hosts;
	struct plan_vm	*vms;
	char		(*hnames)[24];
	double		*hist;		/* VM CPU, MEAN_SLOTS per VM */
	size_t		*prev;		/* VM's host before its last move */
	double		*peak;		/* VM's fading CPU peak */
	struct plan	 plan;
	struct plan_pair *pairs;	/* qplan_traffic, or NULL */
	size_t		 npairs;
};

struct qplan *
qplan_new(const struct trace_set *ts, size_t nhosts, const char *policy_path,
    char *err, size_t errlen)
{
	struct qplan	*qp;
	size_t		 i;

	if ((qp = calloc(1, sizeof(*qp))) == NULL ||
	    (qp->pol = calloc(1, sizeof(*qp->pol))) == NULL)
		goto nomem;
	qp->nhosts = nhosts;
	qp->nvms = ts->nvms;
	qp->hosts = calloc(nhosts, sizeof(*qp->hosts));
	qp->hnames = calloc(nhosts, sizeof(*qp->hnames));
	qp->vms = calloc(ts->nvms, sizeof(*qp->vms));
	qp->hist = calloc(ts->nvms * MEAN_SLOTS, sizeof(*qp->hist));
	qp->prev = calloc(ts->nvms, sizeof(*qp->prev));
	qp->peak = calloc(ts->nvms, sizeof(*qp->peak));
	if (!qp->hosts || !qp->hnames || !qp->vms || !qp->hist || !qp->prev ||
	    !qp->peak)
		goto nomem;
	if (policy_path != NULL) {
		if (policy_load(policy_path, qp->pol, err, errlen) < 0) {
			qplan_free(qp);
			return NULL;
		}
	} else
		policy_defaults(qp->pol);
	qp->pol->interval_s = SLOT_S;
	for (i = 0; i < nhosts; i++) {
		snprintf(qp->hnames[i], sizeof(qp->hnames[i]), "hv%02zu", i + 1);
		qp->hosts[i].name = qp->hnames[i];
		qp->hosts[i].cpu_cap = QSIM_HOST_MHZ;
		qp->hosts[i].mem_cap = QSIM_HOST_KB * 1024.0;
	}
	for (i = 0; i < ts->nvms; i++) {
		qp->vms[i].name = ts->vms[i].name;
		qp->prev[i] = PLAN_NONE;
	}
	return qp;
nomem:
	snprintf(err, errlen, "out of memory");
	qplan_free(qp);
	return NULL;
}

void
qplan_free(struct qplan *qp)
{
	if (qp == NULL)
		return;
	plan_free(&qp->plan);
	free(qp->pol);
	free(qp->hosts);
	free(qp->hnames);
	free(qp->vms);
	free(qp->hist);
	free(qp->prev);
	free(qp->pairs);
	free(qp->peak);
	free(qp);
}

static double
qplan_mean(const struct qplan *qp, size_t vm)
{
	const double	*h = &qp->hist[vm * MEAN_SLOTS];
	double		 s = 0;
	size_t		 k;

	for (k = 0; k < MEAN_SLOTS; k++)
		s += h[k];
	return s / MEAN_SLOTS;
}

static double
qplan_sd(const struct qplan *qp, size_t vm, double mean)
{
	const double	*h = &qp->hist[vm * MEAN_SLOTS];
	double		 s = 0;
	size_t		 k;

	for (k = 0; k < MEAN_SLOTS; k++)
		s += (h[k] - mean) * (h[k] - mean);
	return sqrt(s / MEAN_SLOTS);
}

static void
qplan_snapshot(struct qplan *qp, const struct qsim *q)
{
	struct plan_vm	*v;
	size_t		 i, h;

	for (h = 0; h < q->nhosts; h++) {
		qp->hosts[h].cpu = q->hcpu[h];
		qp->hosts[h].mem = q->hmem[h] * 1024.0;
		qp->hosts[h].hot_s = (unsigned)q->hot_run[h] * SLOT_S;
	}
	for (i = 0; i < q->nvms; i++) {
		v = &qp->vms[i];
		qp->hist[i * MEAN_SLOTS + q->slot % MEAN_SLOTS] = q->cpu[i];
		v->host = q->place[i];
		v->cpu = q->cpu[i];
		v->cpu_mean = qplan_mean(qp, i);
		v->cpu_sd = qplan_sd(qp, i, v->cpu_mean);
		/* the fading peak, as the model keeps it */
		qp->peak[i] = fmax(q->cpu[i], qp->peak[i] *
		    exp2(-(double)SLOT_S / MODEL_PEAK_HALF_LIFE_S));
		v->cpu_peak = qp->peak[i];
		v->mem = q->mem[i] * 1024.0;
		v->dirty_bps = 0;	/* the quality model has no dirty rate */
		v->since_move_s = q->moved_at[i] < 0 ? -1 :
		    ((int64_t)q->slot - q->moved_at[i]) * SLOT_S;
		v->prev_host = qp->prev[i];
		v->movable = q->present[i];
	}
}

int
qplan_traffic(struct qplan *qp, const struct simtraffic *st)
{
	size_t	 i, k, a, b;

	free(qp->pairs);
	qp->npairs = 0;
	if ((qp->pairs = calloc(st->n + 1, sizeof(*qp->pairs))) == NULL)
		return -ENOMEM;
	/* both directions of a pair as one, as the daemon's view has them */
	for (i = 0; i < st->n; i++) {
		a = st->p[i].src < st->p[i].dst ? st->p[i].src : st->p[i].dst;
		b = st->p[i].src < st->p[i].dst ? st->p[i].dst : st->p[i].src;
		for (k = 0; k < qp->npairs; k++)
			if (qp->pairs[k].a == a && qp->pairs[k].b == b)
				break;
		if (k == qp->npairs)
			qp->pairs[qp->npairs++] = (struct plan_pair){ a, b, 0 };
		qp->pairs[k].bps += st->p[i].bps;
	}
	return 0;
}

size_t
qplan_policy(const struct qsim *q, void *arg, struct qmove *out, size_t max)
{
	struct qplan		*qp = arg;
	struct plan_input	 in;
	size_t			 k, n = 0;

	qplan_snapshot(qp, q);
	in.pol = qp->pol;
	in.hosts = qp->hosts;
	in.nhosts = qp->nhosts;
	in.vms = qp->vms;
	in.nvms = qp->nvms;
	in.pairs = qp->pairs;
	in.npairs = qp->npairs;
	if (planner_run(&in, &qp->plan) < 0)
		return 0;
	for (k = 0; k < qp->plan.nmoves && n < max; k++) {
		out[n].vm = qp->plan.moves[k].vm;
		out[n].to = qp->plan.moves[k].to;
		qp->prev[out[n].vm] = qp->plan.moves[k].from;
		n++;
	}
	return n;
}
