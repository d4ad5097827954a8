/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/capacity.c and capscen.c on a small cluster
 * whose every figure is worked out by hand below: usable capacity with
 * the N+1 reserve and the policy's buffers, capacity remaining, VM
 * slots, the N+1 check, consolidation, and what-ifs (VMs added and
 * placed, a host removed and its load spread, a host added, a VM too
 * big for any host, a VM copied by name); and a cluster with too little
 * history, which gets no forecast and says how much is needed.
 *
 * The cluster (14 days of hourly rows, every value constant):
 *
 *   host  CPU cap  used    memory cap  used
 *   hv1   10 GHz   4 GHz   100 GiB     40 GiB
 *   hv2   10 GHz   2 GHz   100 GiB     20 GiB
 *   hv3   20 GHz   6 GHz   200 GiB     60 GiB
 *
 * and six VMs (95th percentiles): 1, 1, 2, 2, 3, 3 GHz with 10, 10,
 * 20, 20, 30, 30 GiB.  The default policy: CPU limit 80 % (hot level),
 * memory 90 % (10 % headroom), so buffers of 20 % and 10 %; N+1 reserve
 * of one host; a vCPU is 2000 MHz (--core-mhz 2000).
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

#include "capacity.h"
#include "capspec.h"
#include "capsum.h"

#define GIB	(1024.0 * 1024.0 * 1024.0)
#define END	1375221600		/* 2013-07-30 22:00 UTC */
#define ROWS	(14 * 24)

static struct caph *
cluster(size_t rows)
{
	static const struct { const char *name; double cc, cu, mc, mu; } h[] = {
		{ "hv1", 10000, 4000, 100, 40 },
		{ "hv2", 10000, 2000, 100, 20 },
		{ "hv3", 20000, 6000, 200, 60 },
	};
	struct caph		*c = caph_new(END, 3600, ROWS);
	struct caph_host	*ho;
	struct caph_vm		*vm;
	char			 uuid[40], name[16];
	size_t			 i, j;

	assert_non_null(c);
	for (i = 0; i < 3; i++) {
		assert_non_null(ho = caph_add_host(c, h[i].name));
		ho->cap[CAPH_CPU] = h[i].cc;
		ho->cap[CAPH_MEM] = h[i].mc * GIB;
		for (j = ROWS - rows; j < ROWS; j++) {
			ho->use[CAPH_CPU][j] = h[i].cu;
			ho->use[CAPH_MEM][j] = h[i].mu * GIB;
			ho->use[CAPH_DISK][j] = 1e6;
			ho->use[CAPH_NET][j] = 2e6;
		}
	}
	for (i = 0; i < 6; i++) {
		snprintf(uuid, sizeof(uuid), "00000000-0000-0000-0000-%012zu",
		    i + 1);
		snprintf(name, sizeof(name), "vm-%zu", i + 1);
		assert_non_null(vm = caph_add_vm(c, uuid, name));
		vm->p95[CAPH_CPU] = 1000.0 * (double)(i / 2 + 1);
		vm->p95[CAPH_MEM] = 10.0 * GIB * (double)(i / 2 + 1);
	}
	return c;
}

/* The options from words, as ballastctl would pass them. */
static void
opts(struct cap_opts *o, const char *const *add, const char *rm,
    const char *like)
{
	struct capspec_req	 q;
	char			 err[256];
	time_t			 end;

	memset(&q, 0, sizeof(q));
	q.core_mhz = "2000";
	for (; add != NULL && *add != NULL; add++)
		assert_int_equal(capspec_push(q.add, &q.nadd, *add), 0);
	if (rm != NULL)
		capspec_push(q.remove_host, &q.nremove_host, rm);
	if (like != NULL)
		capspec_push(q.add_like, &q.nadd_like, like);
	if (capspec_apply(&q, NULL, 0.0, o, &end, err, sizeof(err)) < 0)
		fail_msg("capspec_apply: %s", err);
}

static struct cap_report *
compute(const struct caph *c, const struct cap_opts *o)
{
	struct cap_report	*rep;
	char			 err[256];

	if (cap_compute(c, o, NULL, NULL, &rep, err, sizeof(err)) < 0)
		fail_msg("cap_compute: %s", err);
	return rep;
}

static const struct cap_host *
host(const struct cap_scenario *sc, const char *name)
{
	size_t	 i;

	for (i = 0; i < sc->nhosts; i++)
		if (strcmp(sc->hosts[i].name, name) == 0)
			return &sc->hosts[i];
	fail_msg("no host %s", name);
	return NULL;
}

static void
test_baseline(void **state)
{
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph		*c = cluster(ROWS);
	const struct cap_scenario *b;
	const struct cap_res	*cpu, *mem;

	(void)state;
	opts(&o, NULL, NULL, NULL);
	rep = compute(c, &o);
	b = &rep->base;
	cpu = &b->r[CAPH_CPU];
	mem = &b->r[CAPH_MEM];
	assert_true(rep->forecast_ok);
	assert_near(rep->history_days, 14.0, 1e-9);
	/* CPU: total 10 + 10 + 20 = 40 GHz; reserve the largest, 20;
	 * usable (40 - 20) x (1 - 0.2) = 16 GHz; demand 4 + 2 + 6 = 12;
	 * free 4 GHz = 25 % of usable. */
	assert_near(cpu->total, 40000, 1e-9);
	assert_near(cpu->reserve, 20000, 1e-9);
	assert_near(cpu->usable, 16000, 1e-9);
	assert_near(cpu->now, 12000, 1e-6);
	assert_near(cpu->remaining_now, 4000, 1e-6);
	assert_near(cpu->remaining_now_pct, 25.0, 1e-6);
	/* memory: 400 GiB; reserve 200; usable 200 x 0.9 = 180; demand
	 * 120; free 60 GiB = 33.3 %. */
	assert_near(mem->usable, 180 * GIB, 1);
	assert_near(mem->remaining_now, 60 * GIB, 1);
	assert_near(mem->remaining_now_pct, 100.0 / 3.0, 1e-6);
	/* Flat demand: the forecast stays at 12 GHz and 120 GiB, the
	 * band is 0 (no error around the line), nothing runs out. */
	assert_near(cpu->at_h, 12000, 1e-6);
	assert_near(cpu->at_h_upper, 12000, 1e-6);
	assert_int_equal(cpu->days_left, -1);
	assert_int_equal(mem->days_left_upper, -1);
	/* The slot, the median VM: medians of 1,1,2,2,3,3 GHz and of
	 * 10,10,20,20,30,30 GiB: 2 GHz, 20 GiB.  Slots: CPU 4 / 2 = 2,
	 * memory 60 / 20 = 3; the cluster: 2, CPU-bound, now and at the
	 * horizon (flat). */
	assert_near(rep->slot.v[CAPH_CPU], 2000, 1e-9);
	assert_near(rep->slot.v[CAPH_MEM], 20 * GIB, 1);
	assert_near(cpu->slots_now, 2, 0);
	assert_near(mem->slots_now, 3, 0);
	assert_near(b->slots_now, 2, 0);
	assert_int_equal(b->slot_res_now, CAPH_CPU);
	assert_near(b->slots_h, 2, 0);
	/* Disk and network: no capacity, no time left. */
	assert_false(b->r[CAPH_DISK].known);
	assert_int_equal(b->r[CAPH_NET].days_left, -2);
	cap_report_free(rep);
	caph_free(c);
}

static void
test_hosts_n1_consolidation(void **state)
{
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph		*c = cluster(ROWS);
	const struct cap_scenario *b;

	(void)state;
	opts(&o, NULL, NULL, NULL);
	rep = compute(c, &o);
	b = &rep->base;
	/* hv1: CPU usable 10 x 0.8 = 8, used 4: 50 % free; memory 90 - 40
	 * = 50 of 90: 55.6 %; headroom the smaller, 50 %.  hv2: 6 of 8 =
	 * 75 %, 70 of 90 = 77.8 %: 75 %.  hv3: 10 of 16 = 62.5 %, 120 of
	 * 180 = 66.7 %: 62.5 %.  Least headroom first: hv1, hv3, hv2. */
	assert_near(host(b, "hv1")->headroom_pct, 50.0, 1e-6);
	assert_near(host(b, "hv2")->headroom_pct, 75.0, 1e-6);
	assert_near(host(b, "hv3")->headroom_pct, 62.5, 1e-6);
	assert_string_equal(b->hosts[b->order[0]].name, "hv1");
	assert_string_equal(b->hosts[b->order[1]].name, "hv3");
	assert_string_equal(b->hosts[b->order[2]].name, "hv2");
	/* N+1: without hv3 (the largest), (40 - 20) x 0.8 = 16 GHz >= 12
	 * and (400 - 200) x 0.9 = 180 GiB >= 120: it holds. */
	assert_true(b->n1_now);
	assert_int_equal(b->n1_h, 1);
	assert_string_equal(b->n1_host, "hv3");
	/* Consolidation: hv3 holds 0.8 x 20 = 16 GHz and 0.9 x 200 = 180
	 * GiB; all six VMs (12 GHz, 120 GiB) fit on it: 1 host needed,
	 * 3 - 1 - 1 (reserve) = 1 could be freed. */
	assert_true(b->packed_vms);
	assert_int_equal((int)b->hosts_needed, 1);
	assert_int_equal(b->hosts_freed, 1);
	cap_report_free(rep);
	caph_free(c);
}

static void
test_whatif_add_remove(void **state)
{
	static const char *const add[] = { "2x2vcpu:10g:50%", NULL };
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph		*c = cluster(ROWS);
	const struct cap_scenario *w;
	const struct cap_host	*h1, *h3;

	(void)state;
	opts(&o, add, "hv2", NULL);
	/* Each added VM: 2 vCPUs x 2000 MHz x 50 % = 2000 MHz, 10 GiB. */
	assert_near(o.wi.add[0].size.v[CAPH_CPU], 2000, 1e-9);
	rep = compute(c, &o);
	w = &rep->wi;
	assert_true(rep->has_whatif);
	assert_int_equal((int)w->nhosts, 2);
	h1 = host(w, "hv1");
	h3 = host(w, "hv3");
	/*
	 * hv2 goes: its 2 GHz and 20 GiB go to the others by the room
	 * they have now.  CPU room: hv1 8 - 4 = 4, hv3 16 - 6 = 10: hv1
	 * takes 4/14 (571.43 MHz), hv3 10/14 (1428.57).  Memory room:
	 * hv1 50, hv3 120 GiB: 50/170 (5.882 GiB) and 120/170 (14.118).
	 *
	 * Then the two VMs, each where the least share of room would be
	 * left largest.  First: hv1 would keep (8000 - 4571.43 - 2000) /
	 * 8000 = 17.9 % CPU (memory 37.9 %), hv3 (16000 - 7428.57 - 2000)
	 * / 16000 = 41.1 % (memory 53.3 %): hv3.  Second: hv1 17.9 %,
	 * hv3 (16000 - 9428.57 - 2000) / 16000 = 28.6 %: hv3 again.
	 */
	assert_int_equal((int)h1->vms_added, 0);
	assert_int_equal((int)h3->vms_added, 2);
	assert_near(h1->r[CAPH_CPU].now, 4000 + 2000.0 * 4 / 14, 1e-6);
	assert_near(h3->r[CAPH_CPU].now, 6000 + 2000.0 * 10 / 14 + 4000,
	    1e-6);
	assert_near(h3->r[CAPH_MEM].now, (60 + 120.0 * 20 / 170 + 20) * GIB,
	    1);
	/* hv3: 16000 - 11428.57 = 4571.43 MHz free, 28.57 %. */
	assert_near(h3->r[CAPH_CPU].remaining_now_pct, 100.0 * (16000 -
	    6000 - 2000.0 * 10 / 14 - 4000) / 16000, 1e-6);
	/*
	 * The cluster: CPU 10 + 20 = 30 GHz, less hv3 (20) in reserve,
	 * x 0.8 = 8 GHz usable; demand 12 + 2 x 2 = 16 GHz: 8 GHz short,
	 * already out (0 days).  Memory: (300 - 200) x 0.9 = 90 GiB usable,
	 * demand 120 + 20 = 140: 50 GiB short.  It still fits on the hosts
	 * (every VM placed; the hosts' usable 8 + 16 = 24 GHz >= 16 and
	 * 90 + 180 = 270 GiB >= 140) but not with N+1: without hv3, 8 GHz
	 * cannot hold 16.
	 */
	assert_near(w->r[CAPH_CPU].usable, 8000, 1e-9);
	assert_near(w->r[CAPH_CPU].now, 16000, 1e-6);
	assert_near(w->r[CAPH_CPU].remaining_now, -8000, 1e-6);
	assert_near(w->r[CAPH_MEM].remaining_now, -50 * GIB, 1);
	assert_int_equal(w->r[CAPH_CPU].days_left, 0);
	assert_true(w->fits);
	assert_int_equal((int)w->unplaced, 0);
	assert_false(w->n1_now);
	assert_string_equal(w->n1_host, "hv3");
	assert_int_equal(w->n1_res, CAPH_CPU);
	/* The baseline is untouched. */
	assert_near(rep->base.r[CAPH_CPU].remaining_now, 4000, 1e-6);
	cap_report_free(rep);
	caph_free(c);
}

static void
test_whatif_hosts_and_misfits(void **state)
{
	static const char *const big[] = { "1x16vcpu:8g", NULL };
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph		*c = cluster(ROWS);
	struct capspec_req	 q;
	char			 err[256];
	time_t			 end;

	(void)state;
	/* 16 vCPUs x 2000 MHz = 32 GHz: more than any host's 16 usable. */
	opts(&o, big, NULL, NULL);
	rep = compute(c, &o);
	assert_false(rep->wi.fits);
	assert_int_equal((int)rep->wi.unplaced, 1);
	/* The cluster still counts it: 12 + 32 = 44 GHz of demand. */
	assert_near(rep->wi.r[CAPH_CPU].now, 44000, 1e-6);
	cap_report_free(rep);

	/* --add-like vm-5:2: two of vm-5 (3 GHz, 30 GiB): 18 GHz, 180 GiB;
	 * slots drop from 2 to (16 - 18 < 0) 0. */
	opts(&o, NULL, NULL, "vm-5:2");
	rep = compute(c, &o);
	assert_near(rep->opts.wi.add[0].size.v[CAPH_CPU], 3000, 1e-9);
	assert_near(rep->wi.r[CAPH_CPU].now, 18000, 1e-6);
	assert_near(rep->wi.slots_now, 0, 0);
	cap_report_free(rep);

	/* --add-host 2x8c:64g: two hosts of 8 x 2000 = 16 GHz and 64 GiB;
	 * CPU total 72 GHz, reserve 20, usable 52 x 0.8 = 41.6 GHz. */
	memset(&q, 0, sizeof(q));
	q.core_mhz = "2000";
	capspec_push(q.add_host, &q.nadd_host, "2x8c:64g");
	assert_int_equal(capspec_apply(&q, NULL, 0, &o, &end, err,
	    sizeof(err)), 0);
	rep = compute(c, &o);
	assert_int_equal((int)rep->wi.nhosts, 5);
	assert_near(rep->wi.r[CAPH_CPU].usable, 41600, 1e-6);
	assert_true(host(&rep->wi, "new-2")->added);
	cap_report_free(rep);

	/* Unknown names are refused with a sentence. */
	opts(&o, NULL, "hv9", NULL);
	assert_int_equal(cap_compute(c, &o, NULL, NULL, &rep, err,
	    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "hv9"));
	opts(&o, NULL, NULL, "nosuch:1");
	assert_int_equal(cap_compute(c, &o, NULL, NULL, &rep, err,
	    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nosuch"));
	caph_free(c);
}

static void
test_too_little_history(void **state)
{
	struct cap_opts		 o;
	struct cap_report	*rep;
	struct caph		*c = cluster(36);	/* 1.5 days */
	struct capsum		 s;

	(void)state;
	opts(&o, NULL, NULL, NULL);
	rep = compute(c, &o);
	assert_false(rep->forecast_ok);
	assert_near(rep->history_days, 1.5, 1e-9);
	assert_non_null(strstr(rep->forecast_why, "1.5 days of history"));
	assert_non_null(strstr(rep->forecast_why, "at least 3 days"));
	/* Today's figures are there; no time left, no forecast. */
	assert_near(rep->base.r[CAPH_CPU].remaining_now, 4000, 1e-6);
	assert_int_equal(rep->base.r[CAPH_CPU].days_left, -2);
	assert_true(isnan(rep->base.r[CAPH_CPU].at_h));
	assert_int_equal(rep->base.n1_h, -1);
	capsum_make(rep, &s);
	assert_non_null(strstr(s.line[0], "Not enough history for a forecast"));
	assert_non_null(strstr(s.line[0], "at least 3 days"));
	cap_report_free(rep);
	caph_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_hosts_n1_consolidation),
		cmocka_unit_test(test_whatif_add_remove),
		cmocka_unit_test(test_whatif_hosts_and_misfits),
		cmocka_unit_test(test_too_little_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
