/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qsim.h"

int
qsim_init(struct qsim *q, const struct trace_set *ts, size_t nhosts)
{
	size_t	 i;

	memset(q, 0, sizeof(*q));
	q->ts = ts;
	q->nhosts = nhosts;
	q->nvms = ts->nvms;
	q->place = calloc(q->nvms, sizeof(*q->place));
	q->cpu = calloc(q->nvms, sizeof(*q->cpu));
	q->mem = calloc(q->nvms, sizeof(*q->mem));
	q->present = calloc(q->nvms, 1);
	q->moved_at = calloc(q->nvms, sizeof(*q->moved_at));
	q->hcpu = calloc(nhosts, sizeof(*q->hcpu));
	q->hmem = calloc(nhosts, sizeof(*q->hmem));
	q->hot_run = calloc(nhosts, sizeof(*q->hot_run));
	q->util = calloc(nhosts * ts->nslots, sizeof(*q->util));
	if (!q->place || !q->cpu || !q->mem || !q->present || !q->moved_at ||
	    !q->hcpu || !q->hmem || !q->hot_run || !q->util) {
		qsim_free(q);
		return -ENOMEM;
	}
	for (i = 0; i < q->nvms; i++) {
		q->place[i] = i % nhosts;
		q->moved_at[i] = -1;
	}
	return 0;
}

void
qsim_free(struct qsim *q)
{
	free(q->place);
	free(q->cpu);
	free(q->mem);
	free(q->present);
	free(q->moved_at);
	free(q->hcpu);
	free(q->hmem);
	free(q->hot_run);
	free(q->util);
	memset(q, 0, sizeof(*q));
}

static void
qsim_load(struct qsim *q)
{
	const struct trace_set	*ts = q->ts;
	size_t			 i, h;

	memset(q->hcpu, 0, q->nhosts * sizeof(*q->hcpu));
	memset(q->hmem, 0, q->nhosts * sizeof(*q->hmem));
	for (i = 0; i < q->nvms; i++) {
		q->present[i] = ts->vms[i].present[q->slot];
		q->cpu[i] = ts->vms[i].v[TRACE_CPU_MHZ][q->slot];
		q->mem[i] = ts->vms[i].v[TRACE_MEM_KB][q->slot];
		h = q->place[i];
		q->hcpu[h] += q->cpu[i];
		q->hmem[h] += q->mem[i];
	}
}

static void
qsim_count(struct qsim *q)
{
	double	 sum = 0, sq = 0, u, mean;
	size_t	 h;

	for (h = 0; h < q->nhosts; h++) {
		u = q->hcpu[h] / QSIM_HOST_MHZ;
		q->util[q->nutil++] = (float)u;
		sum += u;
		sq += u * u;
		if (q->hcpu[h] > QSIM_HOT * QSIM_HOST_MHZ) {
			q->hot_slots++;
			q->hot_run[h]++;
		} else
			q->hot_run[h] = 0;
	}
	mean = sum / (double)q->nhosts;
	if (mean > 0)
		q->cv_sum += sqrt(fmax(0, sq / (double)q->nhosts - mean * mean)) / mean;
}

int
qsim_fits(const struct qsim *q, size_t vm, size_t to)
{
	return to != q->place[vm] && q->present[vm] &&
	    q->hmem[to] + q->mem[vm] <= QSIM_HOST_KB &&
	    q->hcpu[to] + q->cpu[vm] <= QSIM_HOT * QSIM_HOST_MHZ;
}

static void
qsim_apply(struct qsim *q, const struct qmove *mv, size_t n)
{
	size_t	 k, v, from;

	for (k = 0; k < n; k++) {
		v = mv[k].vm;
		if (v >= q->nvms || mv[k].to >= q->nhosts || !qsim_fits(q, v, mv[k].to)) {
			q->refused++;
			continue;
		}
		from = q->place[v];
		q->hcpu[from] -= q->cpu[v];
		q->hmem[from] -= q->mem[v];
		q->hcpu[mv[k].to] += q->cpu[v];
		q->hmem[mv[k].to] += q->mem[v];
		q->place[v] = mv[k].to;
		q->moved_at[v] = (int64_t)q->slot;
		q->migrations++;
		q->gib_moved += q->mem[v] / (1024.0 * 1024.0);
	}
}

void
qsim_run(struct qsim *q, qsim_policy pol, void *arg,
    void (*progress)(size_t, size_t))
{
	struct qmove	*mv;
	size_t		 n, max = q->nvms;

	if ((mv = calloc(max, sizeof(*mv))) == NULL)
		return;
	for (q->slot = 0; q->slot < q->ts->nslots; q->slot++) {
		qsim_load(q);
		qsim_count(q);
		if (pol != NULL) {
			n = pol(q, arg, mv, max);
			qsim_apply(q, mv, n);
		}
		if (progress != NULL && q->slot % 500 == 0)
			progress(q->slot, q->ts->nslots);
	}
	free(mv);
}

static int
qsim_cmp_float(const void *a, const void *b)
{
	float	 x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

double
qsim_p99(struct qsim *q)
{
	if (q->nutil == 0)
		return 0;
	qsort(q->util, q->nutil, sizeof(*q->util), qsim_cmp_float);
	return q->util[(size_t)(0.99 * (double)(q->nutil - 1))];
}

uint64_t
qsim_fluid_bound(const struct trace_set *ts, size_t nhosts)
{
	double		 d, c = QSIM_HOST_MHZ, hc = QSIM_HOST_MHZ * (double)nhosts;
	uint64_t	 hot = 0;
	size_t		 s, i;

	for (s = 0; s < ts->nslots; s++) {
		for (d = 0, i = 0; i < ts->nvms; i++)
			d += ts->vms[i].v[TRACE_CPU_MHZ][s];
		if (d >= hc)
			hot += nhosts;
		else if (d > 0.8 * hc)
			hot += (uint64_t)ceil((d - 0.8 * hc) / (0.2 * c));
	}
	return hot * 5;
}
