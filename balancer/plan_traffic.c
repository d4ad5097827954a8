/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_traffic.h"
#include "units.h"

/* A heavy partner of a VM. */
struct pt_edge {
	size_t		 p;
	double		 bps;
};

struct ptraffic {
	double		 min_bps, weight;
	size_t		*start;		/* per VM: its edges, start[vm]..start[vm+1] */
	struct pt_edge	*e;
	size_t		*heavy;		/* heavy pairs (input indexes), heaviest first */
	size_t		 nheavy;
};

void
ptraffic_free(struct pass *ps)
{
	struct ptraffic	*t = ps->tr;

	if (t == NULL)
		return;
	free(t->start);
	free(t->e);
	free(t->heavy);
	free(t);
	ps->tr = NULL;
}

static int
pt_cmp_heavy(const void *x, const void *y, void *arg)
{
	const struct plan_pair	*p = arg;
	double			 a = p[*(const size_t *)x].bps;
	double			 b = p[*(const size_t *)y].bps;

	if (a != b)
		return a > b ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

/* Heavy pairs, and each VM's partners (counting sort by VM). */
static int
pt_index(struct pass *ps, struct ptraffic *t)
{
	const struct plan_input	*in = ps->in;
	const struct plan_pair	*pp;
	size_t			 i, k, *fill;

	for (i = 0; i < in->npairs; i++) {
		pp = &in->pairs[i];
		if (pp->bps < t->min_bps || pp->a >= ps->nv || pp->b >= ps->nv ||
		    pp->a == pp->b)
			continue;
		t->heavy[t->nheavy++] = i;
		t->start[pp->a + 1]++;
		t->start[pp->b + 1]++;
	}
	for (i = 0; i < ps->nv; i++)
		t->start[i + 1] += t->start[i];
	if ((fill = calloc(ps->nv + 1, sizeof(*fill))) == NULL)
		return -ENOMEM;
	memcpy(fill, t->start, ps->nv * sizeof(*fill));
	for (k = 0; k < t->nheavy; k++) {
		pp = &in->pairs[t->heavy[k]];
		t->e[fill[pp->a]++] = (struct pt_edge){ pp->b, pp->bps };
		t->e[fill[pp->b]++] = (struct pt_edge){ pp->a, pp->bps };
	}
	free(fill);
	qsort_r(t->heavy, t->nheavy, sizeof(*t->heavy), pt_cmp_heavy,
	    (void *)(uintptr_t)in->pairs);
	return 0;
}

int
ptraffic_init(struct pass *ps)
{
	const struct policy_keep *k = &ps->pol->keep_together;
	struct ptraffic		*t;

	ps->tr = NULL;
	if (!k->set || ps->in->pairs == NULL || ps->in->npairs == 0)
		return 0;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	ps->tr = t;
	t->min_bps = (double)k->min_bps;
	t->weight = k->weight;
	t->start = calloc(ps->nv + 1, sizeof(*t->start));
	t->e = calloc(2 * ps->in->npairs + 1, sizeof(*t->e));
	t->heavy = calloc(ps->in->npairs + 1, sizeof(*t->heavy));
	if (t->start == NULL || t->e == NULL || t->heavy == NULL)
		return -ENOMEM;
	return pt_index(ps, t);
}

double
ptraffic_score(const struct pass *ps, size_t vm, size_t to)
{
	const struct ptraffic	*t = ps->tr;
	const struct pt_edge	*e;
	size_t			 j, from = ps->place[vm];
	double			 s = 0, x;

	if (t == NULL || to == from)
		return 0;
	for (j = t->start[vm]; j < t->start[vm + 1]; j++) {
		e = &t->e[j];
		x = fmin(e->bps / t->min_bps, PTRAFFIC_CAP);
		if (ps->place[e->p] == to)
			s += x;
		else if (ps->place[e->p] == from)
			s -= x;
	}
	return t->weight * PTRAFFIC_SCALE * s;
}

void
ptraffic_note(const struct pass *ps, struct plan_move *m)
{
	const struct ptraffic	*t = ps->tr;
	const struct pt_edge	*e;
	size_t			 j;
	double			 best_k = 0, best_s = 0;

	m->kept_with = m->split_from = PLAN_NONE;
	if (t == NULL)
		return;
	for (j = t->start[m->vm]; j < t->start[m->vm + 1]; j++) {
		e = &t->e[j];
		if (ps->place[e->p] == m->to) {
			m->kept_bps += e->bps;
			if (e->bps > best_k) {
				best_k = e->bps;
				m->kept_with = e->p;
			}
		} else if (ps->place[e->p] == m->from) {
			m->split_bps += e->bps;
			if (e->bps > best_s) {
				best_s = e->bps;
				m->split_from = e->p;
			}
		}
	}
}

/* Can vm go to `to` now, and what would it gain?  -INFINITY: no. */
static double
pt_try(const struct pass *ps, size_t vm, size_t to)
{
	const struct plan_vm	*v = &ps->in->vms[vm];

	if (pass_why_stay(ps, vm, 0) != NULL ||
	    pass_why_not(ps, vm, to, fmax(v->cpu, v->cpu_mean), NULL, 0) != NULL ||
	    pass_rule_broken(ps, vm, to, POLICY_SHOULD) != NULL)
		return -INFINITY;
	return ptraffic_score(ps, vm, to);
}

int
ptraffic_gather(struct pass *ps)
{
	const struct ptraffic	*t = ps->tr;
	const struct plan_pair	*pp;
	size_t			 k, a, b;
	double			 ga, gb;

	for (k = 0; t != NULL && k < t->nheavy && ps->budget > 0; k++) {
		pp = &ps->in->pairs[t->heavy[k]];
		a = pp->a;
		b = pp->b;
		if (ps->place[a] == ps->place[b])
			continue;
		ga = pt_try(ps, a, ps->place[b]);
		gb = pt_try(ps, b, ps->place[a]);
		/* the one that gains more; on a tie, the smaller to copy */
		if (gb > ga || (gb == ga && ps->in->vms[b].mem < ps->in->vms[a].mem)) {
			ga = gb;
			a = pp->b;
			b = pp->a;
		}
		if (!(ga > 0))
			continue;
		if (pass_commit(ps, a, ps->place[b], PLAN_TRAFFIC, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

void
plan_traffic_words(const struct plan_input *in, const struct plan_move *m,
    char *buf, size_t len)
{
	char	 k[UNITS_BUF], s[UNITS_BUF];
	int	 n = 0;

	buf[0] = '\0';
	if (m->kept_with != PLAN_NONE && m->kept_with < in->nvms) {
		snprintf(k, sizeof(k), "%.1f MiB/s", m->kept_bps / 1048576.0);
		n = snprintf(buf, len, "keeps %s with %s (%s)",
		    in->vms[m->vm].name, in->vms[m->kept_with].name, k);
	}
	if (n < 0 || (size_t)n >= len)
		return;
	if (m->split_from != PLAN_NONE && m->split_from < in->nvms) {
		snprintf(s, sizeof(s), "%.1f MiB/s", m->split_bps / 1048576.0);
		snprintf(buf + n, len - (size_t)n, "%ssplits %s from %s (%s)",
		    n > 0 ? ", " : "", in->vms[m->vm].name,
		    in->vms[m->split_from].name, s);
	}
}
