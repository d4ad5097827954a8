/* SPDX-License-Identifier: ISC */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "baselines.h"

/* Host loads as the policy's own moves change them within one run. */
struct view {
	double		*cpu, *mem;
	size_t		*place;
};

static int
view_init(struct view *w, const struct qsim *q)
{
	w->cpu = malloc(q->nhosts * sizeof(*w->cpu));
	w->mem = malloc(q->nhosts * sizeof(*w->mem));
	w->place = malloc(q->nvms * sizeof(*w->place));
	if (!w->cpu || !w->mem || !w->place)
		return -1;
	memcpy(w->cpu, q->hcpu, q->nhosts * sizeof(*w->cpu));
	memcpy(w->mem, q->hmem, q->nhosts * sizeof(*w->mem));
	memcpy(w->place, q->place, q->nvms * sizeof(*w->place));
	return 0;
}

static void
view_free(struct view *w)
{
	free(w->cpu);
	free(w->mem);
	free(w->place);
}

static int
view_fits(const struct view *w, const struct qsim *q, size_t v, size_t to)
{
	return to != w->place[v] && q->present[v] &&
	    w->mem[to] + q->mem[v] <= QSIM_HOST_KB &&
	    w->cpu[to] + q->cpu[v] <= QSIM_HOT * QSIM_HOST_MHZ;
}

static void
view_move(struct view *w, const struct qsim *q, size_t v, size_t to)
{
	size_t	 from = w->place[v];

	w->cpu[from] -= q->cpu[v];
	w->mem[from] -= q->mem[v];
	w->cpu[to] += q->cpu[v];
	w->mem[to] += q->mem[v];
	w->place[v] = to;
}

static void
view_extremes(const struct view *w, size_t n, size_t *hi, size_t *lo)
{
	size_t	 h;

	*hi = *lo = 0;
	for (h = 1; h < n; h++) {
		if (w->cpu[h] > w->cpu[*hi])
			*hi = h;
		if (w->cpu[h] < w->cpu[*lo])
			*lo = h;
	}
}

static const struct qsim *sort_q;

static int
by_mem(const void *a, const void *b)
{
	double	 x = sort_q->mem[*(const size_t *)a];
	double	 y = sort_q->mem[*(const size_t *)b];

	return x < y ? -1 : x > y;
}

size_t
baseline_proxlb(const struct qsim *q, void *arg, struct qmove *out, size_t max)
{
	const struct proxlb_arg	*pa = arg;
	struct view		 w;
	size_t			*order, i, n = 0, hi, lo, v;
	double			 spread, after_hi, after_lo, news;

	if (q->slot % pa->every != 0 || view_init(&w, q) < 0)
		return 0;
	if ((order = malloc(q->nvms * sizeof(*order))) == NULL) {
		view_free(&w);
		return 0;
	}
	for (i = 0; i < q->nvms; i++)
		order[i] = i;
	sort_q = q;
	qsort(order, q->nvms, sizeof(*order), by_mem);
	for (i = 0; i < q->nvms && n < 20 && n < max; i++) {
		view_extremes(&w, q->nhosts, &hi, &lo);
		spread = (w.cpu[hi] - w.cpu[lo]) / QSIM_HOST_MHZ;
		if (spread <= 0.10)
			break;
		v = order[i];
		if (w.place[v] != hi || !view_fits(&w, q, v, lo))
			continue;
		after_hi = w.cpu[hi] - q->cpu[v];
		after_lo = w.cpu[lo] + q->cpu[v];
		news = fabs(after_hi - after_lo) / QSIM_HOST_MHZ;
		if (news >= spread)
			continue;
		view_move(&w, q, v, lo);
		out[n++] = (struct qmove){ v, lo };
	}
	free(order);
	view_free(&w);
	return n;
}

size_t
baseline_ovirt(const struct qsim *q, void *arg, struct qmove *out, size_t max)
{
	struct view	 w;
	size_t		 h, d, v, n = 0, best_v, best_d;
	double		 best_cpu;

	(void)arg;
	if (view_init(&w, q) < 0)
		return 0;
	for (h = 0; h < q->nhosts && n < max; h++) {
		/* >= 80 % now and in the previous slot */
		if (q->hot_run[h] < 2)
			continue;
		best_v = best_d = SIZE_MAX;
		best_cpu = INFINITY;
		for (v = 0; v < q->nvms; v++) {
			if (w.place[v] != h || !q->present[v] || q->cpu[v] >= best_cpu)
				continue;
			for (d = 0; d < q->nhosts; d++)
				if (w.cpu[d] < 0.64 * QSIM_HOST_MHZ &&
				    view_fits(&w, q, v, d))
					break;
			if (d == q->nhosts)
				continue;
			/* the least-loaded destination that fits */
			for (; d < q->nhosts; d++)
				if (w.cpu[d] < 0.64 * QSIM_HOST_MHZ &&
				    view_fits(&w, q, v, d) &&
				    (best_d == SIZE_MAX || best_v != v ||
				    w.cpu[d] < w.cpu[best_d])) {
					best_v = v;
					best_d = d;
					best_cpu = q->cpu[v];
				}
		}
		if (best_v == SIZE_MAX)
			continue;
		view_move(&w, q, best_v, best_d);
		out[n++] = (struct qmove){ best_v, best_d };
	}
	view_free(&w);
	return n;
}

static double
stddev_norm(const double *cpu, size_t n)
{
	double	 s = 0, sq = 0, u;
	size_t	 h;

	for (h = 0; h < n; h++) {
		u = cpu[h] / QSIM_HOST_MHZ;
		s += u;
		sq += u * u;
	}
	s /= (double)n;
	return sqrt(fmax(0, sq / (double)n - s * s));
}

/* Standard deviation of normalised CPU after moving c MHz from a to b. */
static double
sd_after(double sum, double sq, size_t n, double ca, double cb, double c)
{
	double	 a = ca / QSIM_HOST_MHZ, b = cb / QSIM_HOST_MHZ, x = c / QSIM_HOST_MHZ;
	double	 mean = sum / (double)n;

	sq += (a - x) * (a - x) + (b + x) * (b + x) - a * a - b * b;
	return sqrt(fmax(0, sq / (double)n - mean * mean));
}

size_t
baseline_watcher(const struct qsim *q, void *arg, struct qmove *out, size_t max)
{
	struct view	 w;
	uint8_t		*used;
	size_t		 n = 0, v, d, bv, bd, from, h;
	double		 cur, best, sd, sum, sq;

	(void)arg;
	if (view_init(&w, q) < 0)
		return 0;
	if ((used = calloc(q->nvms, 1)) == NULL) {
		view_free(&w);
		return 0;
	}
	while (n < 5 && n < max && (cur = stddev_norm(w.cpu, q->nhosts)) > 0.1) {
		for (sum = sq = 0, h = 0; h < q->nhosts; h++) {
			sum += w.cpu[h] / QSIM_HOST_MHZ;
			sq += (w.cpu[h] / QSIM_HOST_MHZ) * (w.cpu[h] / QSIM_HOST_MHZ);
		}
		best = cur;
		bv = bd = SIZE_MAX;
		for (v = 0; v < q->nvms; v++) {
			if (used[v] || !q->present[v] || q->cpu[v] <= 0)
				continue;
			from = w.place[v];
			for (d = 0; d < q->nhosts; d++) {
				if (!view_fits(&w, q, v, d))
					continue;
				sd = sd_after(sum, sq, q->nhosts, w.cpu[from],
				    w.cpu[d], q->cpu[v]);
				if (sd < best) {
					best = sd;
					bv = v;
					bd = d;
				}
			}
		}
		if (bv == SIZE_MAX)
			break;
		view_move(&w, q, bv, bd);
		used[bv] = 1;
		out[n++] = (struct qmove){ bv, bd };
	}
	free(used);
	view_free(&w);
	return n;
}
