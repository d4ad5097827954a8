/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cappack.h"

#define CAPPACK_MAX_ADDED	100000	/* VMs a what-if may add in all */

static double
cappack_zero(double v)
{
	return isfinite(v) ? v : 0.0;
}

static int
cappack_vm_cmp(const void *a, const void *b)
{
	double	 x = ((const struct cappack_vm *)a)->key;
	double	 y = ((const struct cappack_vm *)b)->key;

	return x > y ? -1 : x < y;
}

void
cappack_scale(const struct cap_scenario *sc, double scale[CAPH_NRES])
{
	size_t	 i, r;

	for (r = 0; r < CAPH_NRES; r++) {
		scale[r] = 0.0;
		for (i = 0; i < sc->nhosts; i++)
			if (sc->hosts[i].r[r].total > scale[r])
				scale[r] = sc->hosts[i].r[r].total;
	}
}

static double
cappack_key(const struct cap_size *s, const double *scale)
{
	double	 k = 0.0;
	size_t	 r;

	for (r = 0; r < CAPH_NRES; r++)
		if (scale[r] > 0.0 && s->v[r] / scale[r] > k)
			k = s->v[r] / scale[r];
	return k;
}

int
cappack_added(const struct cap_scenario *sc, const struct cap_whatif *wi,
    struct cappack_vm **out, size_t *n)
{
	double	 scale[CAPH_NRES];
	size_t	 i, j, total = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < wi->nadd; i++)
		total += wi->add[i].count;
	if (total > CAPPACK_MAX_ADDED)
		total = CAPPACK_MAX_ADDED;
	if ((*out = calloc(total + 1, sizeof(**out))) == NULL)
		return -ENOMEM;
	cappack_scale(sc, scale);
	for (i = 0; i < wi->nadd; i++)
		for (j = 0; j < wi->add[i].count && *n < total; j++) {
			(*out)[*n].s = wi->add[i].size;
			(*out)[*n].key = cappack_key(&wi->add[i].size, scale);
			(*n)++;
		}
	qsort(*out, *n, sizeof(**out), cappack_vm_cmp);
	return 0;
}

/* A host as a bin of the packing: its limits and what it holds. */
struct cappack_bin {
	double		 lim[2];	/* CPU, memory */
	double		 load[2];
	int		 used;
};

static int
cappack_bin_cmp(const void *a, const void *b)
{
	const struct cappack_bin *x = a, *y = b;

	if (x->lim[0] != y->lim[0])
		return x->lim[0] > y->lim[0] ? -1 : 1;
	return x->lim[1] > y->lim[1] ? -1 : x->lim[1] < y->lim[1];
}

/* The hosts as bins, largest first, with the policy's limits. */
static struct cappack_bin *
cappack_bins(const struct cap_scenario *sc, const struct cap_opts *o)
{
	struct cappack_bin	*b;
	size_t			 i, r;

	if ((b = calloc(sc->nhosts + 1, sizeof(*b))) == NULL)
		return NULL;
	for (i = 0; i < sc->nhosts; i++)
		for (r = 0; r < 2; r++)
			b[i].lim[r] = sc->hosts[i].r[r].total * o->limit[r];
	qsort(b, sc->nhosts, sizeof(*b), cappack_bin_cmp);
	return b;
}

/* The current VMs (95th percentiles) and the added ones, largest first. */
static int
cappack_items(const struct cap_scenario *sc, const struct caph *h,
    const struct cap_whatif *wi, struct cappack_vm **out, size_t *n)
{
	struct cappack_vm	*v, *add = NULL;
	double		 scale[CAPH_NRES];
	size_t		 i, k = 0, nadd = 0;

	if (wi != NULL && cappack_added(sc, wi, &add, &nadd) < 0)
		return -ENOMEM;
	if ((v = calloc(h->nvms + nadd + 1, sizeof(*v))) == NULL) {
		free(add);
		return -ENOMEM;
	}
	cappack_scale(sc, scale);
	for (i = 0; i < h->nvms; i++) {
		if (!h->vms[i].current)
			continue;
		v[k].s.v[CAPH_CPU] = cappack_zero(h->vms[i].p95[CAPH_CPU]);
		v[k].s.v[CAPH_MEM] = cappack_zero(h->vms[i].p95[CAPH_MEM]);
		v[k].key = cappack_key(&v[k].s, scale);
		k++;
	}
	for (i = 0; i < nadd; i++)
		v[k++] = add[i];
	free(add);
	qsort(v, k, sizeof(*v), cappack_vm_cmp);
	*out = v;
	*n = k;
	return 0;
}

/* First-fit decreasing: how many bins the items need. */
static unsigned
cappack_ffd(struct cappack_bin *b, size_t nb, const struct cappack_vm *v, size_t n)
{
	unsigned	 used = 0;
	size_t		 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < nb; j++) {
			if (b[j].load[0] + v[i].s.v[CAPH_CPU] > b[j].lim[0] ||
			    b[j].load[1] + v[i].s.v[CAPH_MEM] > b[j].lim[1])
				continue;
			b[j].load[0] += v[i].s.v[CAPH_CPU];
			b[j].load[1] += v[i].s.v[CAPH_MEM];
			used += b[j].used == 0;
			b[j].used = 1;
			break;
		}
	return used;
}

/* Without VMs: the fewest largest hosts whose limits hold the demand. */
static unsigned
cappack_fluid(const struct cap_scenario *sc, const struct cappack_bin *b,
    size_t nb)
{
	double	 sum[2] = { 0.0, 0.0 };
	size_t	 k;

	for (k = 0; k < nb; k++) {
		if (sum[0] >= sc->r[CAPH_CPU].now &&
		    sum[1] >= sc->r[CAPH_MEM].now)
			break;
		sum[0] += b[k].lim[0];
		sum[1] += b[k].lim[1];
	}
	return (unsigned)k;
}

int
cappack_consolidate(struct cap_scenario *sc, const struct caph *h,
    const struct cap_whatif *wi, const struct cap_opts *o, int vms)
{
	struct cappack_bin	*b;
	struct cappack_vm	*v;
	size_t			 n;
	long			 freed;

	if ((b = cappack_bins(sc, o)) == NULL)
		return -ENOMEM;
	if (cappack_items(sc, h, wi, &v, &n) < 0) {
		free(b);
		return -ENOMEM;
	}
	sc->packed_vms = vms;
	sc->hosts_needed = vms ? cappack_ffd(b, sc->nhosts, v, n) :
	    cappack_fluid(sc, b, sc->nhosts);
	freed = (long)sc->nhosts - (long)sc->hosts_needed -
	    (long)o->reserve_hosts;
	sc->hosts_freed = freed > 0 ? (int)freed : 0;
	free(v);
	free(b);
	return 0;
}
