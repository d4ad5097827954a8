/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simtraffic.h"
#include "util.h"

void
simtraffic_free(struct simtraffic *st)
{
	free(st->p);
	memset(st, 0, sizeof(*st));
}

static int
st_cmp(const void *x, const void *y)
{
	const struct simtraffic_pair	*a = x, *b = y;

	if (a->bps != b->bps)
		return a->bps > b->bps ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->dst < b->dst ? -1 : a->dst > b->dst;
}

/* Adds src -> dst at bps (to a pair already there, if any). */
static int
st_add(struct simtraffic *st, size_t *cap, size_t src, size_t dst, double bps)
{
	struct simtraffic_pair	*np;
	size_t			 i;

	for (i = 0; i < st->n; i++)
		if (st->p[i].src == src && st->p[i].dst == dst) {
			st->p[i].bps += bps;
			return 0;
		}
	if (st->n == *cap) {
		if ((np = reallocarray(st->p, *cap ? *cap * 2 : 16,
		    sizeof(*np))) == NULL)
			return -ENOMEM;
		st->p = np;
		*cap = *cap ? *cap * 2 : 16;
	}
	st->p[st->n++] = (struct simtraffic_pair){ src, dst, bps };
	return 0;
}

/* One "VM-A VM-B RATE" line; 0, 1 when blank, or -EINVAL with err set. */
static int
st_line(struct simtraffic *st, size_t *cap, const struct sim_cluster *c,
    char *line, const char *where, char *err, size_t errlen)
{
	char		 a[128], b[128], rate[64], extra[2];
	uint64_t	 v;
	long		 s, d;
	size_t		 n;

	if (strchr(line, '#') != NULL)
		*strchr(line, '#') = '\0';
	if ((n = (size_t)sscanf(line, "%127s %127s %63s %1s", a, b, rate,
	    extra)) == 0 || n == (size_t)EOF)
		return 1;
	if (n != 3) {
		snprintf(err, errlen, "%s: want \"VM-A VM-B RATE\"", where);
		return -EINVAL;
	}
	if (strlen(rate) > 2 && strcmp(rate + strlen(rate) - 2, "/s") == 0)
		rate[strlen(rate) - 2] = '\0';
	if ((s = sim_cluster_vm(c, a)) < 0 || (d = sim_cluster_vm(c, b)) < 0) {
		snprintf(err, errlen, "%s: no VM named \"%s\"", where,
		    sim_cluster_vm(c, a) < 0 ? a : b);
		return -EINVAL;
	}
	if (s == d || util_parse_bytes(rate, &v) < 0) {
		snprintf(err, errlen, "%s: %s", where, s == d ?
		    "a VM paired with itself" :
		    "bad rate (bytes/s, such as 24MiB/s or 500K)");
		return -EINVAL;
	}
	return st_add(st, cap, (size_t)s, (size_t)d, (double)v);
}

int
simtraffic_parse(struct simtraffic *st, const struct sim_cluster *c,
    const char *name, const char *text, char *err, size_t errlen)
{
	const char	*p = text, *eol;
	char		 line[512], where[300];
	size_t		 cap = 0;
	int		 lineno = 0, rc;

	memset(st, 0, sizeof(*st));
	for (; p != NULL && *p != '\0'; p = eol ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
		    (int)(eol ? eol - p : (long)strlen(p)), p);
		snprintf(where, sizeof(where), "%s:%d", name, ++lineno);
		if ((rc = st_line(st, &cap, c, line, where, err, errlen)) < 0) {
			simtraffic_free(st);
			return rc;
		}
	}
	qsort(st->p, st->n, sizeof(*st->p), st_cmp);
	return 0;
}

/* xorshift64*, as the synthetic workload uses: a seed gives one matrix. */
static double
st_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

int
simtraffic_synth(struct simtraffic *st, size_t nvms, uint64_t seed,
    size_t npairs, double max_bps)
{
	uint64_t	 s = seed * 0x9E3779B97F4A7C15ULL + 1;
	size_t		 cap = 0, i, a, b;
	double		 lo = log(64.0 * 1024), hi = log(max_bps);

	memset(st, 0, sizeof(*st));
	if (nvms < 2)
		return -EINVAL;
	for (i = 0; i < npairs; i++) {
		a = (size_t)(st_rand(&s) * (double)nvms) % nvms;
		b = (a + 1 + (size_t)(st_rand(&s) * (double)(nvms - 1))) % nvms;
		if (st_add(st, &cap, a, b, exp(lo + (hi - lo) *
		    st_rand(&s))) < 0) {
			simtraffic_free(st);
			return -ENOMEM;
		}
	}
	qsort(st->p, st->n, sizeof(*st->p), st_cmp);
	return 0;
}

/* An end as host h's capture names it: its own VM by UUID, else MAC. */
static Ballast__V1__Endpoint *
st_end(Ballast__V1__Endpoint *e, const struct sim_vm *vm, size_t h)
{
	ballast__v1__endpoint__init(e);
	if (vm->host == h)
		e->vm = (ProtobufCBinaryData){ 16, (uint8_t *)(uintptr_t)vm->uuid };
	else
		e->addr = vm->addrs[0];
	return e;
}

void
simtraffic_report(const struct simtraffic *st, const struct sim_cluster *c,
    size_t h, uint32_t window_ms, struct simtraffic_buf *b, wire_report *r)
{
	const struct simtraffic_pair	*p;
	Ballast__V1__TrafficPair	*tp;
	const struct sim_vm		*s, *d;
	double				 sampled;
	size_t				 i, n = 0;

	ballast__v1__traffic__init(&b->t);
	for (i = 0; i < st->n; i++) {
		p = &st->p[i];
		s = &c->vms[p->src];
		d = &c->vms[p->dst];
		if (s->host != h && d->host != h)
			continue;
		sampled = p->bps * window_ms / 1000.0 / SIMTRAFFIC_SAMPLE;
		if (n == WIRE_MAX_PAIRS) {	/* the lightest: not a pair */
			b->t.other_bytes += (uint64_t)sampled;
			continue;
		}
		tp = &b->pair[n];
		ballast__v1__traffic_pair__init(tp);
		tp->src = st_end(&b->end[2 * n], s, h);
		tp->dst = st_end(&b->end[2 * n + 1], d, h);
		tp->bytes = (uint64_t)sampled;
		tp->packets = (uint64_t)(sampled / SIMTRAFFIC_PKT);
		b->pp[n++] = tp;
	}
	if (n == 0 && b->t.other_bytes == 0)
		return;
	b->t.window_ms = window_ms;
	b->t.window_start_ms = (uint64_t)c->t_ms - window_ms;
	b->t.sample_every = SIMTRAFFIC_SAMPLE;
	b->t.pairs = b->pp;
	b->t.n_pairs = n;
	r->traffic = &b->t;
}

double
simtraffic_cross(const struct simtraffic *st, const size_t *place,
    double *total)
{
	double	 cross = 0;
	size_t	 i;

	*total = 0;
	for (i = 0; i < st->n; i++) {
		*total += st->p[i].bps;
		if (place[st->p[i].src] != place[st->p[i].dst])
			cross += st->p[i].bps;
	}
	return cross;
}
