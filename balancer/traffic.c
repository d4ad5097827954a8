/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "traffic.h"
#include "uuidmap.h"

/*
 * A decayed rate: acc bytes over span seconds, both decayed by
 * exp(-dt / tau) since t_ms.  Gaps between observations count as time
 * without traffic.
 */
struct tr_rate {
	double		 acc, span;
	int64_t		 t_ms;
	int		 seen;
};

struct tr_pair {
	uint8_t		 src[16], dst[16];
	struct tr_rate	 r;
};

/* A source VM and the pairs it sends on (indexes into pairs). */
struct tr_src {
	uint8_t		 uuid[16];	/* first: the map key */
	size_t		*idx;
	size_t		 n, cap;
};

/* An address, as a 16-byte key (see tr_addr_key), and its VM. */
struct tr_addr {
	uint8_t		 key[16];
	uint8_t		 vm[16];
};

/* A reporting host's last cumulative capture counters. */
struct tr_host {
	uint8_t		 uuid[16];
	uint64_t	 captured, dropped, if_dropped;
};

struct traffic {
	struct traffic_limits	 lim;
	struct tr_pair		*pairs;
	size_t			 npairs;
	struct uuidmap		 srcs;		/* struct tr_src */
	struct uuidmap		 addrs;		/* struct tr_addr */
	struct uuidmap		 hosts;		/* struct tr_host */
	struct tr_rate		 external;
	struct traffic_stats	 st;
	int64_t			 last_ms;	/* the reports' clock, latest */
};

struct traffic *
traffic_new(const struct traffic_limits *l)
{
	struct traffic	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->lim.max_pairs = l && l->max_pairs ? l->max_pairs : TRAFFIC_MAX_PAIRS;
	t->lim.max_addrs = l && l->max_addrs ? l->max_addrs : TRAFFIC_MAX_ADDRS;
	t->lim.tau_s = l && l->tau_s > 0 ? l->tau_s : TRAFFIC_TAU_S;
	if ((t->pairs = calloc(t->lim.max_pairs, sizeof(*t->pairs))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

/* Frees every value of a map whose values are plain allocations. */
static void
tr_map_free(struct uuidmap *m, int srcs)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i] == NULL)
			continue;
		if (srcs)
			free(((struct tr_src *)m->slots[i])->idx);
		free(m->slots[i]);
	}
	uuidmap_clear(m);
}

void
traffic_free(struct traffic *t)
{
	if (t == NULL)
		return;
	tr_map_free(&t->srcs, 1);
	tr_map_free(&t->addrs, 0);
	tr_map_free(&t->hosts, 0);
	free(t->pairs);
	free(t);
}

const struct traffic_stats *
traffic_stats(const struct traffic *t)
{
	return &t->st;
}


/* --- rates ---------------------------------------------------------- */

static void
tr_rate_add(struct tr_rate *r, double bytes, double window_s, int64_t now_ms,
    double tau_s)
{
	double	 dt, d;

	if (!r->seen) {
		r->acc = bytes;
		r->span = window_s;
		r->t_ms = now_ms;
		r->seen = 1;
		return;
	}
	dt = now_ms > r->t_ms ? (double)(now_ms - r->t_ms) / 1000.0 : 0;
	d = exp(-dt / tau_s);
	r->acc = r->acc * d + bytes;
	r->span = r->span * d + dt;
	r->t_ms = now_ms > r->t_ms ? now_ms : r->t_ms;
}

static double
tr_rate_get(const struct tr_rate *r, int64_t now_ms, double tau_s)
{
	double	 dt;

	if (!r->seen || r->span <= 0)
		return 0;
	dt = now_ms > r->t_ms ? (double)(now_ms - r->t_ms) / 1000.0 : 0;
	return r->acc * exp(-dt / tau_s) / r->span;
}

/* --- addresses ------------------------------------------------------ */

/*
 * An address as a 16-byte key: an IPv6 address as itself, an IPv4
 * address IPv4-mapped (::ffff:a.b.c.d), a MAC under 0100::/64, the
 * discard-only prefix (RFC 6666) that no real address uses.
 */
static int
tr_addr_key(const uint8_t *a, size_t len, uint8_t key[16])
{
	memset(key, 0, 16);
	if (len == 16)
		memcpy(key, a, 16);
	else if (len == 4) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, a, 4);
	} else if (len == 6) {
		key[0] = 0x01;
		memcpy(key + 10, a, 6);
	} else
		return -EINVAL;
	return 0;
}

static int
tr_addr_put(struct traffic *t, const uint8_t *a, size_t len,
    const uint8_t vm[16])
{
	struct tr_addr	*e;
	uint8_t		 key[16];

	if (tr_addr_key(a, len, key) < 0)
		return 0;
	if ((e = uuidmap_get(&t->addrs, key)) != NULL) {
		memcpy(e->vm, vm, 16);
		return 0;
	}
	if (t->addrs.n >= t->lim.max_addrs) {
		t->st.addrs_refused++;
		return 0;
	}
	if ((e = malloc(sizeof(*e))) == NULL)
		return -ENOMEM;
	memcpy(e->key, key, 16);
	memcpy(e->vm, vm, 16);
	if (uuidmap_put(&t->addrs, e) < 0) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}

const struct model_vm *
traffic_resolve(const struct traffic *t, const struct model *m,
    const uint8_t *addr, size_t len)
{
	const struct tr_addr	*e;
	uint8_t			 key[16];

	if (tr_addr_key(addr, len, key) < 0 ||
	    (e = uuidmap_get(&t->addrs, key)) == NULL)
		return NULL;
	return model_vm_by_uuid(m, e->vm);
}

/* The VM an endpoint names, or NULL (external or unknown). */
static const struct model_vm *
tr_endpoint(const struct traffic *t, const struct model *m,
    const Ballast__V1__Endpoint *e)
{
	if (e == NULL)
		return NULL;
	if (e->vm.len == 16)
		return model_vm_by_uuid(m, e->vm.data);
	if (e->addr.len > 0)
		return traffic_resolve(t, m, e->addr.data, e->addr.len);
	return NULL;
}

/* --- pairs ---------------------------------------------------------- */

static int
tr_src_push(struct tr_src *s, size_t i)
{
	size_t	*n;

	if (s->n == s->cap) {
		if ((n = reallocarray(s->idx, s->cap ? s->cap * 2 : 4,
		    sizeof(*n))) == NULL)
			return -ENOMEM;
		s->idx = n;
		s->cap = s->cap ? s->cap * 2 : 4;
	}
	s->idx[s->n++] = i;
	return 0;
}

/* Indexes pair i under its source VM. */
static int
tr_index(struct traffic *t, size_t i)
{
	struct tr_src	*s;

	if ((s = uuidmap_get(&t->srcs, t->pairs[i].src)) == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -ENOMEM;
		memcpy(s->uuid, t->pairs[i].src, 16);
		if (uuidmap_put(&t->srcs, s) < 0) {
			free(s);
			return -ENOMEM;
		}
	}
	return tr_src_push(s, i);
}

/* What pruning compares pairs by: their rates at one time. */
struct tr_when {
	int64_t		 now_ms;
	double		 tau_s;
};

static int
tr_cmp_rate(const void *x, const void *y, void *arg)
{
	const struct tr_when	*w = arg;
	double			 a, b;

	a = tr_rate_get(&((const struct tr_pair *)x)->r, w->now_ms, w->tau_s);
	b = tr_rate_get(&((const struct tr_pair *)y)->r, w->now_ms, w->tau_s);
	return a > b ? -1 : a < b;
}

/* Keeps the top three quarters of the pairs by rate; reindexes. */
static int
tr_prune(struct traffic *t, int64_t now_ms)
{
	struct tr_when	 w = { now_ms, t->lim.tau_s };
	size_t		 i, keep = t->lim.max_pairs - t->lim.max_pairs / 4;

	qsort_r(t->pairs, t->npairs, sizeof(*t->pairs), tr_cmp_rate, &w);
	if (keep < t->npairs) {
		t->st.pairs_evicted += t->npairs - keep;
		t->npairs = keep;
	}
	tr_map_free(&t->srcs, 1);
	for (i = 0; i < t->npairs; i++)
		if (tr_index(t, i) < 0)
			return -ENOMEM;
	return 0;
}

/* The pair src -> dst, created if new; NULL when out of memory. */
static struct tr_pair *
tr_pair_get(struct traffic *t, const uint8_t src[16], const uint8_t dst[16],
    int64_t now_ms)
{
	struct tr_src	*s;
	struct tr_pair	*p;
	size_t		 i;

	if ((s = uuidmap_get(&t->srcs, src)) != NULL)
		for (i = 0; i < s->n; i++)
			if (memcmp(t->pairs[s->idx[i]].dst, dst, 16) == 0)
				return &t->pairs[s->idx[i]];
	if (t->npairs >= t->lim.max_pairs && tr_prune(t, now_ms) < 0)
		return NULL;
	p = &t->pairs[t->npairs];
	memset(p, 0, sizeof(*p));
	memcpy(p->src, src, 16);
	memcpy(p->dst, dst, 16);
	if (tr_index(t, t->npairs) < 0)
		return NULL;
	t->npairs++;
	return p;
}

/*
 * Whose report counts a pair: the source VM's host, else (no known
 * source) the destination's, else the reporter's own.
 */
static int
tr_mine(const struct model_vm *s, const struct model_vm *d,
    const struct model_host *me)
{
	if (s != NULL && s->host != NULL)
		return s->host == me;
	if (d != NULL && d->host != NULL)
		return d->host == me;
	return 1;
}

static int
tr_take_pair(struct traffic *t, const struct model *m,
    const struct model_host *me, const Ballast__V1__TrafficPair *tp,
    double scale, double window_s, int64_t now_ms)
{
	const struct model_vm	*s, *d;
	struct tr_pair		*p;
	double			 bytes = (double)tp->bytes * scale;

	t->st.pairs_seen++;
	s = tr_endpoint(t, m, tp->src);
	d = tr_endpoint(t, m, tp->dst);
	if (!tr_mine(s, d, me)) {
		t->st.pairs_dup++;
		return 0;
	}
	if (s == NULL || d == NULL || s == d) {
		t->st.pairs_external++;
		tr_rate_add(&t->external, bytes, window_s, now_ms, t->lim.tau_s);
		return 0;
	}
	if ((p = tr_pair_get(t, s->uuid, d->uuid, now_ms)) == NULL)
		return -ENOMEM;
	tr_rate_add(&p->r, bytes, window_s, now_ms, t->lim.tau_s);
	t->st.pairs_counted++;
	return 0;
}

/* Cumulative capture counters: the stats sum each host's latest. */
static int
tr_host_counters(struct traffic *t, const wire_report *r)
{
	const Ballast__V1__Traffic	*x = r->traffic;
	struct tr_host			*h;

	if ((h = uuidmap_get(&t->hosts, r->host_uuid.data)) == NULL) {
		if ((h = calloc(1, sizeof(*h))) == NULL)
			return -ENOMEM;
		memcpy(h->uuid, r->host_uuid.data, 16);
		if (uuidmap_put(&t->hosts, h) < 0) {
			free(h);
			return -ENOMEM;
		}
	}
	/* a restarted collector starts again from 0 */
	t->st.captured += x->captured - (x->captured >= h->captured ? h->captured : 0);
	t->st.dropped += x->dropped - (x->dropped >= h->dropped ? h->dropped : 0);
	t->st.if_dropped += x->if_dropped -
	    (x->if_dropped >= h->if_dropped ? h->if_dropped : 0);
	h->captured = x->captured;
	h->dropped = x->dropped;
	h->if_dropped = x->if_dropped;
	t->st.errors += x->errors;
	return 0;
}

static int
tr_take_traffic(struct traffic *t, const struct model *m,
    const wire_report *r, int64_t now_ms)
{
	const Ballast__V1__Traffic	*x = r->traffic;
	const struct model_host		*me;
	double				 window_s, scale;
	size_t				 i;

	t->st.reports++;
	if (tr_host_counters(t, r) < 0)
		return -ENOMEM;
	me = model_host_by_uuid(m, r->host_uuid.data);
	window_s = (x->window_ms ? x->window_ms : r->interval_ms) / 1000.0;
	scale = (double)x->sample_every;
	for (i = 0; i < x->n_pairs; i++)
		if (tr_take_pair(t, m, me, x->pairs[i], scale, window_s,
		    now_ms) < 0)
			return -ENOMEM;
	if (x->other_bytes > 0)
		tr_rate_add(&t->external, (double)x->other_bytes * scale,
		    window_s, now_ms, t->lim.tau_s);
	return 0;
}

/* The end of a report's traffic window on its clock. */
static int64_t
tr_report_time(const wire_report *r)
{
	const Ballast__V1__Traffic	*x = r->traffic;

	if (x != NULL && x->window_start_ms != 0)
		return (int64_t)(x->window_start_ms + x->window_ms);
	return (int64_t)r->sample_time_ms;
}

int
traffic_apply_report(struct traffic *t, const struct model *m,
    const wire_report *r)
{
	const wire_vm	*v;
	size_t		 i, k;
	int64_t		 now_ms;

	if ((now_ms = tr_report_time(r)) > t->last_ms)
		t->last_ms = now_ms;
	/* addresses change rarely: without traffic, every few reports */
	if (r->traffic == NULL && r->seq % TRAFFIC_ADDR_EVERY != 1)
		return 0;
	for (i = 0; i < r->n_vms; i++) {
		v = r->vms[i];
		for (k = 0; k < v->n_addrs; k++)
			if (tr_addr_put(t, v->addrs[k].data, v->addrs[k].len,
			    v->uuid.data) < 0)
				return -ENOMEM;
	}
	if (r->traffic == NULL)
		return 0;
	return tr_take_traffic(t, m, r, now_ms);
}

/* --- reading -------------------------------------------------------- */

static int
tr_cmp_out(const void *x, const void *y)
{
	const struct traffic_pair	*a = x, *b = y;
	int				 c;

	if (a->bps != b->bps)
		return a->bps > b->bps ? -1 : 1;
	if ((c = memcmp(a->src, b->src, 16)) != 0)
		return c;
	return memcmp(a->dst, b->dst, 16);
}

size_t
traffic_top(const struct traffic *t, struct traffic_pair *out, size_t max)
{
	struct traffic_pair	*all;
	size_t			 i, n = 0;
	double			 bps;
	int64_t			 now_ms = t->last_ms;

	if ((all = calloc(t->npairs + 1, sizeof(*all))) == NULL)
		return 0;
	for (i = 0; i < t->npairs; i++) {
		if ((bps = tr_rate_get(&t->pairs[i].r, now_ms,
		    t->lim.tau_s)) < 0.5)
			continue;
		memcpy(all[n].src, t->pairs[i].src, 16);
		memcpy(all[n].dst, t->pairs[i].dst, 16);
		all[n++].bps = bps;
	}
	qsort(all, n, sizeof(*all), tr_cmp_out);
	if (out != NULL && max > 0 && n > 0)
		memcpy(out, all, (n < max ? n : max) * sizeof(*out));
	free(all);
	return n;
}

/* The index of h in model_host_at order (hosts are sorted by name). */
static size_t
tr_host_index(const struct model *m, const struct model_host *h)
{
	size_t	 lo = 0, hi = model_host_count(m), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(model_host_at(m, mid)->name, h->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
traffic_cross(const struct traffic *t, const struct model *m,
    double *host_out, struct traffic_cross *c)
{
	const struct model_vm	*s, *d;
	size_t			 i;
	double			 bps;
	int64_t			 now_ms = t->last_ms;

	memset(c, 0, sizeof(*c));
	if (host_out != NULL)
		for (i = 0; i < model_host_count(m); i++)
			host_out[i] = 0;
	for (i = 0; i < t->npairs; i++) {
		bps = tr_rate_get(&t->pairs[i].r, now_ms, t->lim.tau_s);
		s = model_vm_by_uuid(m, t->pairs[i].src);
		d = model_vm_by_uuid(m, t->pairs[i].dst);
		if (s == NULL || d == NULL || s->host == NULL || d->host == NULL)
			continue;
		c->vm_bps += bps;
		if (s->host == d->host)
			continue;
		c->cross_bps += bps;
		if (host_out != NULL)
			host_out[tr_host_index(m, s->host)] += bps;
	}
	c->fraction = c->vm_bps > 0 ? c->cross_bps / c->vm_bps : 0;
	c->external_bps = tr_rate_get(&t->external, now_ms, t->lim.tau_s);
}
