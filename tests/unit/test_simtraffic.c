/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of sim/simtraffic.c: the matrix file (rates, comments,
 * pairs that add up, errors by file:line), the traffic section each
 * simulated host reports (its own VMs by UUID, a VM elsewhere by its
 * MAC, bytes sampled 1 in SIMTRAFFIC_SAMPLE, a pair between hosts from
 * both ends, a valid report), the seeded generator and the cross-host
 * measure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "cluster.h"
#include "simtraffic.h"
#include "synth.h"
#include "wire.h"

#define MIB	1048576.0

/* vm-1..vm-4 round-robin on two hosts: vm-1, vm-3 on hv01; vm-2, vm-4 on hv02. */
struct fx {
	struct trace_set	*ts;
	struct sim_cluster	 c;
};

static int
setup(void **state)
{
	struct synth_params	 sp = { 7, 4, 60, 10, 1700000000, 86400 };
	struct sim_params	 p;
	struct fx		*f = calloc(1, sizeof(*f));
	char			 err[256];

	assert_non_null(f);
	assert_int_equal(synth_generate(&sp, &f->ts), 0);
	memset(&p, 0, sizeof(p));
	p.hosts = 2;
	if (sim_cluster_init(&f->c, f->ts, &p, err, sizeof(err)) != 0)
		fail_msg("sim_cluster_init: %s", err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	sim_cluster_free(&f->c);
	trace_free(f->ts);
	free(f);
	return 0;
}

static void
parse_ok(struct fx *f, struct simtraffic *st, const char *text)
{
	char	 err[256] = "";

	if (simtraffic_parse(st, &f->c, "m.txt", text, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

static void
test_parse(void **state)
{
	struct fx		*f = *state;
	struct simtraffic	 st;

	parse_ok(f, &st, "# VM-A VM-B RATE\nvm-3 vm-1 1000\n\n"
	    "vm-1 vm-2 24MiB/s   # the heavy one\nvm-1 vm-2 1M/s\n");
	assert_int_equal(st.n, 2);
	/* heaviest first; the pair given twice adds up */
	assert_int_equal(st.p[0].src, 0);
	assert_int_equal(st.p[0].dst, 1);
	assert_float_equal(st.p[0].bps, 25 * MIB, 1e-6);
	assert_int_equal(st.p[1].src, 2);
	assert_float_equal(st.p[1].bps, 1000, 1e-9);
	simtraffic_free(&st);
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char	*text, *want;
	} cases[] = {
		{ "vm-1 vm-2 1M\nvm-1 vm-9 1M\n", "m.txt:2: no VM named \"vm-9\"" },
		{ "vm-1 vm-1 1M\n", "m.txt:1: a VM paired with itself" },
		{ "vm-1 vm-2\n", "m.txt:1: want \"VM-A VM-B RATE\"" },
		{ "vm-1 vm-2 3 4\n", "m.txt:1: want \"VM-A VM-B RATE\"" },
		{ "\nvm-1 vm-2 fast\n", "m.txt:2: bad rate (bytes/s, such as "
		    "24MiB/s or 500K)" },
	};
	struct fx		*f = *state;
	struct simtraffic	 st;
	char			 err[256];
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(simtraffic_parse(&st, &f->c, "m.txt",
		    cases[i].text, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].want);
		assert_null(st.p);
	}
}

/* The pair whose source (by UUID or MAC) is VM src, in host h's section. */
static const Ballast__V1__TrafficPair *
find(const Ballast__V1__Traffic *t, const struct sim_vm *src)
{
	const Ballast__V1__Endpoint	*e;
	size_t				 i;

	for (i = 0; i < t->n_pairs; i++) {
		e = t->pairs[i]->src;
		if ((e->vm.len == 16 && memcmp(e->vm.data, src->uuid, 16) == 0) ||
		    (e->addr.len == 6 && memcmp(e->addr.data, src->mac, 6) == 0))
			return t->pairs[i];
	}
	return NULL;
}

static void
report_of(struct fx *f, const struct simtraffic *st, size_t h,
    struct simtraffic_buf *b, wire_report *r)
{
	static wire_vm			 vms[4], *vmp[4];
	static Ballast__V1__DirtyRate	 dirty[4];
	static Ballast__V1__HostCapacity cap;
	static Ballast__V1__HostCounters cnt;
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	char				 err[256];

	sim_cluster_report(&f->c, h, r, &cap, &cnt, vms, vmp, dirty);
	r->host_uuid = (ProtobufCBinaryData){ 16, f->c.hosts[h].uuid };
	r->host_name = f->c.hosts[h].name;
	r->seq = 1;
	r->interval_ms = 10000;
	simtraffic_report(st, &f->c, h, 10000, b, r);
	e.version = WIRE_VERSION;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = r;
	if (wire_validate(&e, NULL, err, sizeof(err)) != 0)
		fail_msg("the report is refused: %s", err);
}

static void
test_report(void **state)
{
	struct fx			*f = *state;
	const struct sim_vm		*v = f->c.vms;
	const Ballast__V1__TrafficPair	*p;
	struct simtraffic_buf		*b = calloc(1, sizeof(*b));
	struct simtraffic		 st;
	wire_report			 r;

	assert_non_null(b);
	/* vm-1 (hv01) -> vm-2 (hv02) across; vm-1 -> vm-3 within hv01 */
	parse_ok(f, &st, "vm-1 vm-2 16MiB/s\nvm-1 vm-3 1MiB/s\n");
	report_of(f, &st, 0, b, &r);
	assert_non_null(r.traffic);
	assert_int_equal(r.traffic->sample_every, SIMTRAFFIC_SAMPLE);
	assert_int_equal(r.traffic->window_ms, 10000);
	assert_int_equal(r.traffic->n_pairs, 2);
	/* VMs report their MAC and IP */
	assert_int_equal(r.vms[0]->n_addrs, 2);
	assert_memory_equal(r.vms[0]->addrs[0].data, v[0].mac, 6);
	p = r.traffic->pairs[0];
	assert_int_equal(p->src->vm.len, 16);		/* its own VM: UUID */
	assert_memory_equal(p->src->vm.data, v[0].uuid, 16);
	assert_int_equal(p->dst->vm.len, 0);		/* vm-2, on hv02: MAC */
	assert_memory_equal(p->dst->addr.data, v[1].mac, 6);
	assert_int_equal(p->bytes, (uint64_t)(16 * MIB * 10 / SIMTRAFFIC_SAMPLE));
	p = r.traffic->pairs[1];
	assert_memory_equal(p->dst->vm.data, v[2].uuid, 16);
	/* hv02 sees the cross-host pair too, vm-1 by its MAC; not the other */
	report_of(f, &st, 1, b, &r);
	assert_non_null(r.traffic);
	assert_int_equal(r.traffic->n_pairs, 1);
	assert_non_null(p = find(r.traffic, &v[0]));
	assert_int_equal(p->src->addr.len, 6);
	assert_memory_equal(p->dst->vm.data, v[1].uuid, 16);
	simtraffic_free(&st);
	/* a host no pair touches reports no section */
	parse_ok(f, &st, "vm-1 vm-3 1MiB/s\n");
	report_of(f, &st, 1, b, &r);
	assert_null(r.traffic);
	simtraffic_free(&st);
	free(b);
}

static void
test_synth(void **state)
{
	struct simtraffic	 a, b, c;
	double			 total, cross;
	size_t			 i, place[100];

	(void)state;
	assert_int_equal(simtraffic_synth(&a, 100, 1, 50, 64 * MIB), 0);
	assert_int_equal(simtraffic_synth(&b, 100, 1, 50, 64 * MIB), 0);
	assert_int_equal(simtraffic_synth(&c, 100, 2, 50, 64 * MIB), 0);
	assert_true(a.n > 40 && a.n <= 50);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.p, b.p, a.n * sizeof(*a.p));	/* same seed */
	assert_true(c.n != a.n || memcmp(a.p, c.p, a.n * sizeof(*a.p)) != 0);
	for (i = 0; i < a.n; i++) {
		assert_true(a.p[i].src != a.p[i].dst && a.p[i].src < 100 &&
		    a.p[i].dst < 100);
		assert_true(a.p[i].bps >= 64 * 1024 && a.p[i].bps <= 2 * 64 * MIB);
		assert_true(i == 0 || a.p[i].bps <= a.p[i - 1].bps);
	}
	simtraffic_free(&c);
	assert_int_equal(simtraffic_synth(&c, 1, 1, 5, MIB), -EINVAL);
	/* all on one host: nothing crosses; each alone: everything does */
	for (i = 0; i < 100; i++)
		place[i] = 0;
	assert_float_equal(simtraffic_cross(&a, place, &total), 0, 0);
	assert_true(total > 0);
	for (i = 0; i < 100; i++)
		place[i] = i;
	cross = simtraffic_cross(&a, place, &total);
	assert_float_equal(cross, total, 1e-6);
	simtraffic_free(&a);
	simtraffic_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_synth),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
