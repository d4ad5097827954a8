/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cappack.h"
#include "capscen.h"
#include "util.h"


/* What building one scenario needs besides the scenario itself. */
struct scen {
	const struct cap_report	*rep;
	const struct cap_opts	*o;
	struct cap_scenario	*sc;
	size_t			 H;		/* horizon, days */
	const struct cap_fc	**fc;		/* per host, NULL: added */
	double			(*vmx)[CAPH_NRES];	/* VMs placed on it */
	const struct cap_fc	**rmfc;		/* the removed hosts' */
	size_t			 nrm;
	double			*share;		/* [host][removed][res] */
	double			*exp, *up;	/* H values each */
};

void
capscen_free(struct cap_scenario *sc)
{
	free(sc->hosts);
	free(sc->order);
	sc->hosts = NULL;
	sc->order = NULL;
}

static double
scen_zero(double v)
{
	return isfinite(v) ? v : 0.0;
}

static int
scen_removed(const struct cap_whatif *wi, const char *name)
{
	size_t	 i;

	for (i = 0; wi != NULL && i < wi->nremove; i++)
		if (strcmp(wi->remove[i], name) == 0)
			return 1;
	return 0;
}

/* A host of the history in the scenario, its capacity and forecasts. */
static void
scen_old_host(struct scen *w, size_t i, const struct caph_host *ho,
    const struct cap_fc *fc)
{
	struct cap_host	*x = &w->sc->hosts[i];
	size_t		 r;

	util_strlcpy(x->name, ho->name, sizeof(x->name));
	x->fc = fc;
	w->fc[i] = fc;
	for (r = 0; r < CAPH_NRES; r++)
		x->r[r].total = ho->cap[r] > 0.0 ? ho->cap[r] :
		    w->o->host_cap[r];
}

/* A host that --add-host brings, named new-1, new-2, ... */
static void
scen_new_host(struct scen *w, size_t i, const struct cap_newhost *nh,
    unsigned number)
{
	struct cap_host	*x = &w->sc->hosts[i];
	size_t		 r;

	snprintf(x->name, sizeof(x->name), "new-%u", number);
	x->added = 1;
	for (r = 0; r < CAPH_NRES; r++)
		x->r[r].total = nh->cap[r] > 0.0 ? nh->cap[r] :
		    w->o->host_cap[r];
}

/* The scenario's hosts: current ones not removed, then the added. */
static int
scen_hosts(struct scen *w, const struct caph *h, const struct cap_whatif *wi)
{
	size_t		 i, j, k = 0, n = 0, c;
	unsigned	 number = 0;

	for (i = 0; i < h->nhosts; i++)
		n += h->hosts[i].current && !scen_removed(wi, h->hosts[i].name);
	for (i = 0; wi != NULL && i < wi->nnewhost; i++)
		n += wi->newhost[i].count;
	w->sc->hosts = calloc(n + 1, sizeof(*w->sc->hosts));
	w->sc->order = calloc(n + 1, sizeof(*w->sc->order));
	w->fc = calloc(n + 1, sizeof(*w->fc));
	w->vmx = calloc(n + 1, sizeof(*w->vmx));
	w->rmfc = calloc((wi != NULL ? wi->nremove : 0) + 1, sizeof(*w->rmfc));
	if (w->sc->hosts == NULL || w->sc->order == NULL || w->fc == NULL ||
	    w->vmx == NULL || w->rmfc == NULL)
		return -ENOMEM;
	for (i = c = 0; i < h->nhosts; i++) {
		if (!h->hosts[i].current)
			continue;
		if (scen_removed(wi, h->hosts[i].name))
			w->rmfc[w->nrm++] = &w->rep->hostfc[c * CAPH_NRES];
		else
			scen_old_host(w, k++, &h->hosts[i],
			    &w->rep->hostfc[c * CAPH_NRES]);
		c++;
	}
	for (i = 0; wi != NULL && i < wi->nnewhost; i++)
		for (j = 0; j < wi->newhost[i].count; j++)
			scen_new_host(w, k++, &wi->newhost[i], ++number);
	w->sc->nhosts = n;
	return 0;
}

/* A host's demand now: its own (0 when added) and the what-if's. */
static double
scen_host_now(const struct scen *w, size_t i, size_t r)
{
	double	 v = w->fc[i] != NULL ? scen_zero(w->fc[i][r].now) : 0.0;
	size_t	 k;

	for (k = 0; k < w->nrm; k++)
		v += w->share[(i * w->nrm + k) * CAPH_NRES + r] *
		    scen_zero(w->rmfc[k][r].now);
	return v + w->vmx[i][r];
}

/* Each host's capacity in use: known when it has one. */
static void
scen_usable(struct scen *w)
{
	struct cap_res	*x;
	size_t		 i, r;

	for (i = 0; i < w->sc->nhosts; i++)
		for (r = 0; r < CAPH_NRES; r++) {
			x = &w->sc->hosts[i].r[r];
			x->known = x->total > 0.0;
			x->usable = x->total * (1.0 - w->o->buffer[r]);
		}
}

/*
 * The removed hosts' shares: each other host takes a part of their
 * demand in proportion to the usable room it has left now.
 */
static int
scen_shares(struct scen *w)
{
	struct cap_scenario	*sc = w->sc;
	double			*room, sum;
	size_t			 i, k, r;

	w->share = calloc(sc->nhosts * w->nrm * CAPH_NRES + 1, sizeof(double));
	room = calloc(sc->nhosts + 1, sizeof(*room));
	if (w->share == NULL || room == NULL) {
		free(room);
		return -ENOMEM;
	}
	for (r = 0; r < CAPH_NRES; r++) {
		for (i = 0, sum = 0.0; i < sc->nhosts; i++) {
			room[i] = sc->hosts[i].r[r].usable -
			    scen_host_now(w, i, r);
			if (room[i] < 0.0)
				room[i] = 0.0;
			sum += room[i];
		}
		for (i = 0; i < sc->nhosts; i++)
			for (k = 0; k < w->nrm; k++)
				w->share[(i * w->nrm + k) * CAPH_NRES + r] =
				    sum > 0.0 ? room[i] / sum :
				    1.0 / (double)sc->nhosts;
	}
	free(room);
	return 0;
}

/*
 * The smallest share of usable room host i would have left with s on
 * it, over the resources s needs; -1 when s does not fit there.
 */
static double
scen_room_with(const struct scen *w, size_t i, const struct cap_size *s)
{
	const struct cap_res	*x;
	double			 left, worst = 1.0;
	size_t			 r;

	for (r = 0; r < CAPH_NRES; r++) {
		x = &w->sc->hosts[i].r[r];
		if (s->v[r] <= 0.0 || !x->known)
			continue;
		left = x->usable - scen_host_now(w, i, r) - s->v[r];
		if (left < 0.0 || x->usable <= 0.0)
			return -1.0;
		if (left / x->usable < worst)
			worst = left / x->usable;
	}
	return worst;
}

/* Each added VM onto the host with the most room left (capacity.h). */
static int
scen_place(struct scen *w, const struct cap_whatif *wi)
{
	struct cappack_vm	*vm;
	double		 room, best;
	size_t		 n, k, i, at, r;

	if (cappack_added(w->sc, wi, &vm, &n) < 0)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		best = -1.0;
		at = 0;
		for (i = 0; i < w->sc->nhosts; i++)
			if ((room = scen_room_with(w, i, &vm[k].s)) > best) {
				best = room;
				at = i;
			}
		if (best < 0.0) {
			w->sc->unplaced++;
			continue;
		}
		for (r = 0; r < CAPH_NRES; r++)
			w->vmx[at][r] += vm[k].s.v[r];
		w->sc->hosts[at].vms_added++;
	}
	free(vm);
	return 0;
}

/* 0 when `now` is already past `limit`, else the first day past it. */
static long
scen_first_over(const double *v, size_t n, double now, double limit)
{
	size_t	 k;

	if (now > limit)
		return 0;
	for (k = 0; k < n; k++)
		if (v[k] > limit)
			return (long)k;
	return -1;
}

static double
scen_pct(double part, double whole)
{
	return whole > 0.0 ? 100.0 * part / whole : NAN;
}

static double
scen_slots(double room, double size)
{
	if (!(size > 0.0) || !isfinite(room))
		return NAN;
	return room > 0.0 ? floor(room / size + 1e-9) : 0.0;
}

/* The figures of one resource from its demand now and its forecast. */
static void
scen_fill(struct cap_res *x, double now, const double *exp, const double *up,
    size_t H, double slot)
{
	x->now = now;
	x->at_h = exp != NULL ? exp[H - 1] : NAN;
	x->at_h_upper = exp != NULL ? up[H - 1] : NAN;
	x->days_left = x->days_left_upper = -2;
	if (!x->known) {
		x->remaining_now = x->remaining_now_pct = NAN;
		x->remaining_h = x->remaining_h_pct = NAN;
		x->remaining_h_upper = x->slots_now = x->slots_h = NAN;
		return;
	}
	x->remaining_now = x->usable - now;
	x->remaining_now_pct = scen_pct(x->remaining_now, x->usable);
	x->remaining_h = x->usable - x->at_h;
	x->remaining_h_pct = scen_pct(x->remaining_h, x->usable);
	x->remaining_h_upper = x->usable - x->at_h_upper;
	x->slots_now = scen_slots(x->remaining_now, slot);
	x->slots_h = scen_slots(x->remaining_h, slot);
	if (exp != NULL) {
		x->days_left = scen_first_over(exp, H, now, x->usable);
		x->days_left_upper = scen_first_over(up, H, now, x->usable);
	}
}

/* A removed host's forecast of day k, or its demand now without one. */
static double
scen_rm_at(const struct cap_fc *f, size_t k, int upper)
{
	if (!f->ok)
		return scen_zero(f->now);
	return upper ? f->upper[k] : f->expected[k];
}

/* Host i's forecast into w->exp and w->up; 0 when it has none. */
static int
scen_host_series(struct scen *w, size_t i, size_t r)
{
	const struct cap_fc	*f = w->fc[i] != NULL ? &w->fc[i][r] : NULL;
	double			 s;
	size_t			 k, j;

	if (f != NULL && !f->ok)
		return 0;
	for (k = 0; k < w->H; k++) {
		w->exp[k] = (f != NULL ? f->expected[k] : 0.0) + w->vmx[i][r];
		w->up[k] = (f != NULL ? f->upper[k] : 0.0) + w->vmx[i][r];
		for (j = 0; j < w->nrm; j++) {
			s = w->share[(i * w->nrm + j) * CAPH_NRES + r];
			w->exp[k] += s * scen_rm_at(&w->rmfc[j][r], k, 0);
			w->up[k] += s * scen_rm_at(&w->rmfc[j][r], k, 1);
		}
	}
	return 1;
}

static void
scen_host_figs(struct scen *w)
{
	const double	*slot = w->rep->slot_known ? w->rep->slot.v : NULL;
	struct cap_host	*x;
	size_t		 i, r;
	int		 has;

	for (i = 0; i < w->sc->nhosts; i++) {
		x = &w->sc->hosts[i];
		x->headroom_pct = NAN;
		for (r = 0; r < CAPH_NRES; r++) {
			has = scen_host_series(w, i, r);
			x->r[r].extra = scen_host_now(w, i, r) -
			    (w->fc[i] != NULL ? scen_zero(w->fc[i][r].now) : 0);
			scen_fill(&x->r[r], scen_host_now(w, i, r),
			    has ? w->exp : NULL, w->up, w->H,
			    slot != NULL ? slot[r] : 0.0);
			if (r <= CAPH_MEM &&
			    isfinite(x->r[r].remaining_now_pct) &&
			    !(x->r[r].remaining_now_pct >= x->headroom_pct))
				x->headroom_pct = x->r[r].remaining_now_pct;
		}
	}
}

/* What the what-if's VMs add in all, per resource. */
static void
scen_added(const struct cap_whatif *wi, double *add)
{
	size_t	 i, r;

	for (r = 0; r < CAPH_NRES; r++)
		add[r] = 0.0;
	for (i = 0; wi != NULL && i < wi->nadd; i++)
		for (r = 0; r < CAPH_NRES; r++)
			add[r] += (double)wi->add[i].count *
			    wi->add[i].size.v[r];
}

static int
scen_desc(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x > y ? -1 : x < y;
}

/* The sum of the `n` largest capacities of a resource; -1: no memory. */
static double
scen_reserve(const struct cap_scenario *sc, size_t r, unsigned n)
{
	double	*v, sum = 0.0;
	size_t	 i;

	if ((v = malloc((sc->nhosts + 1) * sizeof(*v))) == NULL)
		return -1.0;
	for (i = 0; i < sc->nhosts; i++)
		v[i] = sc->hosts[i].r[r].total;
	qsort(v, sc->nhosts, sizeof(*v), scen_desc);
	for (i = 0; i < n && i < sc->nhosts; i++)
		sum += v[i];
	free(v);
	return sum;
}

/* The host with the largest capacity of a resource (the first such). */
static size_t
scen_biggest(const struct cap_scenario *sc, size_t r)
{
	size_t	 i, at = 0;

	for (i = 1; i < sc->nhosts; i++)
		if (sc->hosts[i].r[r].total > sc->hosts[at].r[r].total)
			at = i;
	return at;
}

/* The cluster's figures: totals, the N+1 reserve, demand and forecast. */
static int
scen_cluster(struct scen *w, const struct cap_whatif *wi)
{
	const struct cap_fc	*f;
	struct cap_res		*x;
	double			 add[CAPH_NRES];
	size_t			 i, r, k;

	scen_added(wi, add);
	for (r = 0; r < CAPH_NRES; r++) {
		x = &w->sc->r[r];
		f = &w->rep->fc[r];
		x->known = w->sc->nhosts > 0;
		for (i = 0; i < w->sc->nhosts; i++) {
			x->total += w->sc->hosts[i].r[r].total;
			x->known &= w->sc->hosts[i].r[r].known;
		}
		if ((x->reserve = scen_reserve(w->sc, r,
		    w->o->reserve_hosts)) < 0.0)
			return -ENOMEM;
		x->usable = x->total > x->reserve ? (x->total - x->reserve) *
		    (1.0 - w->o->buffer[r]) : 0.0;
		x->extra = add[r];
		for (k = 0; f->ok && k < w->H; k++) {
			w->exp[k] = f->expected[k] + add[r];
			w->up[k] = f->upper[k] + add[r];
		}
		scen_fill(x, scen_zero(f->now) + add[r], f->ok ? w->exp : NULL,
		    w->up, w->H, w->rep->slot_known ? w->rep->slot.v[r] : 0.0);
	}
	return 0;
}

/* The fewest VM slots over the resources the slot size counts. */
static void
scen_slots_min(struct cap_scenario *sc)
{
	size_t	 r;

	sc->slots_now = sc->slots_h = NAN;
	sc->slot_res_now = sc->slot_res_h = -1;
	for (r = 0; r < CAPH_NRES; r++) {
		if (isfinite(sc->r[r].slots_now) &&
		    !(sc->r[r].slots_now >= sc->slots_now)) {
			sc->slots_now = sc->r[r].slots_now;
			sc->slot_res_now = (int)r;
		}
		if (isfinite(sc->r[r].slots_h) &&
		    !(sc->r[r].slots_h >= sc->slots_h)) {
			sc->slots_h = sc->r[r].slots_h;
			sc->slot_res_h = (int)r;
		}
	}
}

/* Can the others hold the demand without the largest host of each? */
static void
scen_n1(struct scen *w)
{
	struct cap_scenario	*sc = w->sc;
	const struct cap_res	*x;
	double			 room;
	size_t			 r, b;

	sc->n1_now = 1;
	sc->n1_h = w->rep->forecast_ok ? 1 : -1;
	sc->n1_res = -1;
	util_strlcpy(sc->n1_host, sc->hosts[scen_biggest(sc, CAPH_CPU)].name,
	    sizeof(sc->n1_host));
	for (r = 0; r < CAPH_NRES; r++) {
		x = &sc->r[r];
		if (!x->known)
			continue;
		b = scen_biggest(sc, r);
		room = (x->total - sc->hosts[b].r[r].total) *
		    (1.0 - w->o->buffer[r]);
		if (x->now > room)
			sc->n1_now = 0;
		if (isfinite(x->at_h) && x->at_h > room && sc->n1_h == 1)
			sc->n1_h = 0;
		if ((x->now > room || (isfinite(x->at_h) && x->at_h > room)) &&
		    sc->n1_res < 0) {
			sc->n1_res = (int)r;
			util_strlcpy(sc->n1_host, sc->hosts[b].name,
			    sizeof(sc->n1_host));
		}
	}
}

/* Does the what-if fit: every VM placed, the demand within usable? */
static void
scen_fits(struct scen *w)
{
	struct cap_scenario	*sc = w->sc;
	double			 usable;
	size_t			 i, r;

	sc->fits = sc->unplaced == 0;
	for (r = 0; r < CAPH_NRES; r++) {
		if (!sc->r[r].known)
			continue;
		for (i = 0, usable = 0.0; i < sc->nhosts; i++)
			usable += sc->hosts[i].r[r].usable;
		if (sc->r[r].now > usable)
			sc->fits = 0;
	}
}

/* A sort key: soonest out of room, then least headroom now. */
struct scen_rank {
	double		 days, headroom;
	size_t		 i;
};

static int
scen_rank_cmp(const void *a, const void *b)
{
	const struct scen_rank *x = a, *y = b;

	if (x->days != y->days)
		return x->days < y->days ? -1 : 1;
	if (isnan(x->headroom) || isnan(y->headroom))
		return isnan(x->headroom) - isnan(y->headroom);
	return x->headroom < y->headroom ? -1 : x->headroom > y->headroom;
}

/* Each host's days left (its soonest resource) and the order by them. */
static int
scen_order(struct scen *w)
{
	struct cap_scenario	*sc = w->sc;
	struct scen_rank	*k;
	struct cap_host		*x;
	size_t			 i, r;

	if ((k = calloc(sc->nhosts + 1, sizeof(*k))) == NULL)
		return -ENOMEM;
	for (i = 0; i < sc->nhosts; i++) {
		x = &sc->hosts[i];
		x->days_left = -2;
		for (r = 0; r < CAPH_NRES; r++) {
			if (x->r[r].days_left >= 0 && (x->days_left < 0 ||
			    x->r[r].days_left < x->days_left))
				x->days_left = x->r[r].days_left;
			else if (x->r[r].days_left == -1 && x->days_left == -2)
				x->days_left = -1;
		}
		k[i].i = i;
		k[i].headroom = x->headroom_pct;
		k[i].days = x->days_left >= 0 ? (double)x->days_left :
		    (double)w->H + (x->days_left == -1 ? 1.0 : 2.0);
	}
	qsort(k, sc->nhosts, sizeof(*k), scen_rank_cmp);
	for (i = 0; i < sc->nhosts; i++)
		sc->order[i] = k[i].i;
	free(k);
	return 0;
}

int
capscen_build(const struct cap_report *rep, const struct caph *h,
    const struct cap_whatif *wi, struct cap_scenario *sc)
{
	struct scen	 w;
	int		 rc;

	memset(sc, 0, sizeof(*sc));
	memset(&w, 0, sizeof(w));
	w.rep = rep;
	w.o = &rep->opts;
	w.sc = sc;
	w.H = rep->horizon;
	w.exp = calloc(w.H + 1, sizeof(double));
	w.up = calloc(w.H + 1, sizeof(double));
	rc = w.exp == NULL || w.up == NULL ? -ENOMEM : 0;
	if (rc == 0 && (rc = scen_hosts(&w, h, wi)) == 0) {
		scen_usable(&w);
		if ((rc = scen_shares(&w)) == 0 && wi != NULL)
			rc = scen_place(&w, wi);
	}
	if (rc == 0) {
		scen_host_figs(&w);
		rc = scen_cluster(&w, wi);
	}
	if (rc == 0) {
		scen_slots_min(sc);
		scen_n1(&w);
		scen_fits(&w);
		if ((rc = cappack_consolidate(sc, h, wi, w.o,
		    rep->vms_current > 0)) == 0)
			rc = scen_order(&w);
	}
	free(w.exp);
	free(w.up);
	free(w.fc);
	free(w.vmx);
	free(w.rmfc);
	free(w.share);
	return rc;
}
