/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/traffic.c: pairs scaled by the sampling rate,
 * ends named by address resolved through the VMs' addresses, a
 * cross-host pair that both hosts report counted once, rates that decay
 * when a pair stops, the bound on pairs, and the cross-host figures.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "testreport.h"

#include "traffic.h"

#define T0_MS	1700000000000ULL
#define MAXP	32

static const uint8_t mac3[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x03 };
static const uint8_t ip3[4] = { 10, 0, 0, 3 };
static const uint8_t ip_unknown[4] = { 192, 0, 2, 99 };

/* A Traffic section under construction. */
struct tsec {
	Ballast__V1__Traffic		 t;
	Ballast__V1__TrafficPair	 p[MAXP];
	Ballast__V1__TrafficPair	*pp[MAXP];
	Ballast__V1__Endpoint		 e[2 * MAXP];
	uint8_t				 u[2 * MAXP][16];
};

static void
tsec_init(struct tsec *s, uint32_t window_ms, uint32_t every)
{
	memset(s, 0, sizeof(*s));
	ballast__v1__traffic__init(&s->t);
	s->t.window_ms = window_ms;
	s->t.sample_every = every;
	s->t.pairs = s->pp;
}

/* One end: VM `id` when addr is NULL, else the address. */
static Ballast__V1__Endpoint *
tsec_end(struct tsec *s, size_t k, int id, const uint8_t *addr, size_t len)
{
	Ballast__V1__Endpoint	*e = &s->e[k];

	ballast__v1__endpoint__init(e);
	if (addr == NULL) {
		trep_vm_uuid(id, s->u[k]);
		e->vm.data = s->u[k];
		e->vm.len = 16;
	} else {
		e->addr.data = (uint8_t *)(uintptr_t)addr;
		e->addr.len = len;
	}
	return e;
}

static void
tsec_pair(struct tsec *s, int src, const uint8_t *saddr, size_t slen,
    int dst, const uint8_t *daddr, size_t dlen, uint64_t bytes)
{
	size_t	 i = s->t.n_pairs;

	assert_true(i < MAXP);
	ballast__v1__traffic_pair__init(&s->p[i]);
	s->p[i].src = tsec_end(s, 2 * i, src, saddr, slen);
	s->p[i].dst = tsec_end(s, 2 * i + 1, dst, daddr, dlen);
	s->p[i].bytes = bytes;
	s->pp[i] = &s->p[i];
	s->t.n_pairs = i + 1;
}

/* hv01 runs vm-1 and vm-2; hv02 runs vm-3 (MAC and IP listed). */
static void
host1(struct trep *h, uint64_t seq)
{
	trep_host(h, 1, "hv01", seq, T0_MS + 1000 * seq, 0, 0);
	trep_vm(h, 1, "vm-1");
	trep_vm(h, 2, "vm-2");
}

static void
host2(struct trep *h, uint64_t seq)
{
	wire_vm				*v;
	static ProtobufCBinaryData	 addrs[2];

	trep_host(h, 2, "hv02", seq, T0_MS + 1000 * seq, 0, 0);
	v = trep_vm(h, 3, "vm-3");
	addrs[0].data = (uint8_t *)(uintptr_t)mac3;
	addrs[0].len = 6;
	addrs[1].data = (uint8_t *)(uintptr_t)ip3;
	addrs[1].len = 4;
	v->addrs = addrs;
	v->n_addrs = 2;
}

/* Both hosts in the model, with vm-3's addresses in the matrix. */
static void
setup_both(struct model *m, struct traffic *t, int64_t now_ms)
{
	struct trep	 a, b;

	host1(&a, 1);
	trep_apply(m, &a, now_ms);
	assert_int_equal(traffic_apply_report(t, m, &a.r), 0);
	host2(&b, 1);
	trep_apply(m, &b, now_ms);
	assert_int_equal(traffic_apply_report(t, m, &b.r), 0);
}

/* Applies host h's report number seq (at T0 + seq s) with section s. */
static void
send(struct model *m, struct traffic *t, int host, uint64_t seq,
    struct tsec *s)
{
	int64_t		 now_ms = (int64_t)seq * 1000;
	struct trep	 h;

	if (host == 1)
		host1(&h, seq);
	else
		host2(&h, seq);
	h.r.traffic = s ? &s->t : NULL;
	trep_apply(m, &h, now_ms);
	assert_int_equal(traffic_apply_report(t, m, &h.r), 0);
}

/* The rate of the directed pair src -> dst (VM ids), or -1. */
static double
rate_of(struct traffic *t, int src, int dst)
{
	struct traffic_pair	 top[64];
	uint8_t			 us[16], ud[16];
	size_t			 i, n;

	trep_vm_uuid(src, us);
	trep_vm_uuid(dst, ud);
	n = traffic_top(t, top, 64);
	for (i = 0; i < n && i < 64; i++)
		if (memcmp(top[i].src, us, 16) == 0 &&
		    memcmp(top[i].dst, ud, 16) == 0)
			return top[i].bps;
	return -1;
}

/* 1-in-10 sampling over a 2 s window: 1000 sampled bytes are 5000 B/s. */
static void
test_scaling(void **state)
{
	struct model	*m = model_new(NULL);
	struct traffic	*t = traffic_new(NULL);
	struct tsec	 s;

	(void)state;
	setup_both(m, t, 1000);
	tsec_init(&s, 2000, 10);
	tsec_pair(&s, 1, NULL, 0, 2, NULL, 0, 1000);
	send(m, t, 1, 2, &s);
	assert_float_equal(rate_of(t, 1, 2), 5000.0, 1e-6);
	assert_float_equal(rate_of(t, 2, 1), -1, 0);
	assert_int_equal(traffic_stats(t)->pairs_counted, 1);
	traffic_free(t);
	model_free(m);
}

/* A MAC or an IP some VM lists names that VM; others are external. */
static void
test_addresses(void **state)
{
	struct model		*m = model_new(NULL);
	struct traffic		*t = traffic_new(NULL);
	const struct model_vm	*v;
	struct tsec		 s;

	(void)state;
	setup_both(m, t, 1000);
	v = traffic_resolve(t, m, mac3, 6);
	assert_non_null(v);
	assert_string_equal(v->name, "vm-3");
	assert_non_null(traffic_resolve(t, m, ip3, 4));
	assert_null(traffic_resolve(t, m, ip_unknown, 4));
	tsec_init(&s, 1000, 1);
	tsec_pair(&s, 1, NULL, 0, 0, mac3, 6, 3000);	/* vm-1 -> vm-3 */
	tsec_pair(&s, 2, NULL, 0, 0, ip3, 4, 1000);	/* vm-2 -> vm-3 */
	tsec_pair(&s, 1, NULL, 0, 0, ip_unknown, 4, 7000);
	send(m, t, 1, 2, &s);
	assert_float_equal(rate_of(t, 1, 3), 3000.0, 1e-6);
	assert_float_equal(rate_of(t, 2, 3), 1000.0, 1e-6);
	assert_int_equal(traffic_stats(t)->pairs_external, 1);
	traffic_free(t);
	model_free(m);
}

/*
 * vm-1 (hv01) -> vm-3 (hv02) is seen by both hosts: counted from hv01
 * (the source's); vm-3 -> vm-1 from hv02.  Each once.
 */
static void
test_dedup(void **state)
{
	struct model	*m = model_new(NULL);
	struct traffic	*t = traffic_new(NULL);
	struct tsec	 s1, s2;

	(void)state;
	setup_both(m, t, 1000);
	tsec_init(&s1, 1000, 1);
	tsec_pair(&s1, 1, NULL, 0, 3, NULL, 0, 4000);
	tsec_pair(&s1, 3, NULL, 0, 1, NULL, 0, 500);
	tsec_init(&s2, 1000, 1);
	tsec_pair(&s2, 0, mac3, 6, 1, NULL, 0, 500);	/* vm-3 by its MAC */
	tsec_pair(&s2, 1, NULL, 0, 3, NULL, 0, 4000);
	send(m, t, 1, 2, &s1);
	send(m, t, 2, 2, &s2);
	assert_float_equal(rate_of(t, 1, 3), 4000.0, 1e-6);
	assert_float_equal(rate_of(t, 3, 1), 500.0, 1e-6);
	assert_int_equal(traffic_stats(t)->pairs_counted, 2);
	assert_int_equal(traffic_stats(t)->pairs_dup, 2);
	traffic_free(t);
	model_free(m);
}

/* Steady windows read their rate; a pair that stops decays with tau. */
static void
test_decay(void **state)
{
	struct traffic_limits	 lim = { 0, 0, 10.0 };
	struct model		*m = model_new(NULL);
	struct traffic		*t = traffic_new(&lim);
	struct tsec		 s;
	uint64_t		 k;
	double			 r;

	(void)state;
	setup_both(m, t, 1000);
	tsec_init(&s, 1000, 1);
	tsec_pair(&s, 1, NULL, 0, 2, NULL, 0, 2000);
	for (k = 2; k < 12; k++)
		send(m, t, 1, k, &s);
	assert_float_equal(rate_of(t, 1, 2), 2000.0, 1e-6);
	/* it stops; reports go on: 10 s (one tau) later, e^-1 of it */
	for (k = 12; k < 22; k++)
		send(m, t, 1, k, NULL);
	r = rate_of(t, 1, 2);
	assert_float_equal(r, 2000.0 * exp(-1.0), 1e-6);
	/* back with 1 byte: the 11 s without it count, the rate falls */
	tsec_init(&s, 1000, 1);
	tsec_pair(&s, 1, NULL, 0, 2, NULL, 0, 1);
	send(m, t, 1, 22, &s);
	/* below what decay alone gives: about 335 against 666 */
	r = rate_of(t, 1, 2);
	assert_true(r > 300 && r < 2000.0 * exp(-1.1) - 100);
	traffic_free(t);
	model_free(m);
}

/* Over max_pairs, the lowest quarter goes; the top talkers stay. */
static void
test_bounds(void **state)
{
	struct traffic_limits	 lim = { 8, 0, 0 };
	struct model		*m = model_new(NULL);
	struct traffic		*t = traffic_new(&lim);
	struct traffic_pair	 top[32];
	struct tsec		 s;
	uint8_t			 u[16];
	int			 k;

	(void)state;
	setup_both(m, t, 1000);
	/* 12 pairs vm-1 -> vm-1..2 and others by growing rate */
	tsec_init(&s, 1000, 1);
	for (k = 0; k < 12; k++) {
		tsec_pair(&s, 1, NULL, 0, 2, NULL, 0, 100);
		trep_vm_uuid(100 + k, s.u[2 * k + 1]);	/* a distinct VM... */
		s.p[k].dst->vm.data = s.u[2 * k + 1];
		s.p[k].bytes = 1000 * ((uint64_t)k + 1);
	}
	/* ...that the model knows: put them on hv01 */
	{
		struct trep	 h;
		char		 name[16];

		trep_host(&h, 1, "hv01", 2, T0_MS + 2000, 0, 0);
		trep_vm(&h, 1, "vm-1");
		for (k = 0; k < 12; k++) {
			snprintf(name, sizeof(name), "x-%d", k);
			trep_vm(&h, 100 + k, name);
		}
		h.r.traffic = &s.t;
		trep_apply(m, &h, 2000);
		assert_int_equal(traffic_apply_report(t, m, &h.r), 0);
	}
	assert_true(traffic_top(t, top, 32) <= 8);
	assert_true(traffic_stats(t)->pairs_evicted > 0);
	/* the heaviest (x-11, 12000 B/s) is first */
	trep_vm_uuid(111, u);
	assert_memory_equal(top[0].dst, u, 16);
	assert_float_equal(top[0].bps, 12000.0, 1e-6);
	traffic_free(t);
	model_free(m);
}

/* hv01 sends 3000 B/s across and 1000 B/s within: 3/4 crosses hosts. */
static void
test_cross(void **state)
{
	struct model		*m = model_new(NULL);
	struct traffic		*t = traffic_new(NULL);
	struct traffic_cross	 c;
	struct tsec		 s;
	double			 per[2];

	(void)state;
	setup_both(m, t, 1000);
	tsec_init(&s, 1000, 1);
	tsec_pair(&s, 1, NULL, 0, 3, NULL, 0, 3000);
	tsec_pair(&s, 1, NULL, 0, 2, NULL, 0, 1000);
	tsec_pair(&s, 0, NULL, 0, 2, NULL, 0, 0);
	s.p[2].src->vm.len = 0;			/* external -> vm-2 */
	s.p[2].src->addr.len = 0;
	s.p[2].bytes = 600;
	send(m, t, 1, 2, &s);
	traffic_cross(t, m, per, &c);
	assert_float_equal(c.vm_bps, 4000.0, 1e-6);
	assert_float_equal(c.cross_bps, 3000.0, 1e-6);
	assert_float_equal(c.fraction, 0.75, 1e-9);
	assert_float_equal(c.external_bps, 600.0, 1e-6);
	assert_float_equal(per[0], 3000.0, 1e-6);	/* hv01 */
	assert_float_equal(per[1], 0.0, 1e-6);		/* hv02 */
	traffic_free(t);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scaling),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_dedup),
		cmocka_unit_test(test_decay),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_cross),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
