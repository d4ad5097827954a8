/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/model.c: the live picture built from host
 * reports: VMs that move or vanish, stale hosts, names and bounds (the
 * rates are in test_model_rates.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "modelfix.h"

/* Two reports of A (VMs 1, 2) and one of B (VM 3): VM 1 has a rate. */
static struct model *
move_before(uint64_t t, int64_t now)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;

	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, t, 0, 0);
	add_vm(&h, 1, 2, 10 * SEC);
	add_vm(&h, 2, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, now), 0);
	mk_host(&h, 2, "kvm-b", 1, t, 0, 0);
	add_vm(&h, 3, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, now), 0);
	mk_host(&h, 1, "kvm-a", 2, t + 1000, 0, 0);
	add_vm(&h, 1, 2, 11 * SEC);
	add_vm(&h, 2, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, now + 1000), 0);
	v = vm_get(m, 1);
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_int_equal(v->cpu_win.n, 1);
	return m;
}

/*
 * Host A reports VMs 1 and 2, host B VM 3; then VM 1 migrates to B.
 * new_first: B reports it before A stops reporting it.
 */
static void
check_move(int new_first)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*a, *b;
	const struct model_vm	*v;
	int64_t			 now = 2000;
	uint64_t		 t = T0_MS + 1000;

	m = move_before(T0_MS, 1000);
	t += 1000;
	now += 1000;
	if (!new_first) {
		mk_host(&h, 1, "kvm-a", 3, t, 0, 0);
		add_vm(&h, 2, 2, 10 * SEC);
		assert_int_equal(apply(m, &h, now), 0);
		assert_null(vm_get(m, 1)->host);
	}
	/* on B its counters start again from (nearly) zero */
	mk_host(&h, 2, "kvm-b", 2, t, 0, 0);
	add_vm(&h, 3, 2, 10 * SEC);
	add_vm(&h, 1, 2, SEC / 5);
	assert_int_equal(apply(m, &h, now), 0);
	a = host_get(m, 1);
	b = host_get(m, 2);
	v = vm_get(m, 1);
	assert_ptr_equal(v->host, b);
	assert_int_equal(a->nvms, 1);
	assert_false(host_has(a, v));
	assert_int_equal(b->nvms, 2);
	assert_true(host_has(b, v));
	assert_int_equal(v->moves, 1);
	assert_int_equal(model_stats(m)->vm_moves, 1);
	assert_int_equal(v->resets, 0);
	assert_int_equal(model_vm_count(m), 3);
	/* no new rate from the first report on B: the old one is kept */
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_int_equal(v->cpu_win.n, 1);

	if (new_first) {
		mk_host(&h, 1, "kvm-a", 3, t, 0, 0);
		add_vm(&h, 2, 2, 10 * SEC);
		assert_int_equal(apply(m, &h, now), 0);
		a = host_get(m, 1);
		v = vm_get(m, 1);
		assert_ptr_equal(v->host, b);
		assert_int_equal(a->nvms, 1);
		assert_int_equal(b->nvms, 2);
		assert_int_equal(v->moves, 1);
	}

	/* the next report on B gives a rate from B's baseline */
	t += 1000;
	now += 1000;
	mk_host(&h, 2, "kvm-b", 3, t, 0, 0);
	add_vm(&h, 3, 2, 10 * SEC);
	add_vm(&h, 1, 2, SEC / 5 + SEC / 2);
	assert_int_equal(apply(m, &h, now), 0);
	v = vm_get(m, 1);
	assert_near(v->r.cpu_util, 0.25, 1e-9);
	assert_near(v->r.cpu_mhz, 0.5 * MHZ, 1e-6);
	assert_int_equal(v->cpu_win.n, 2);
	assert_int_equal(v->moves, 1);
	assert_int_equal(v->resets, 0);
	assert_near(host_get(m, 2)->vm_cpu_mhz, 0.5 * MHZ, 1e-6);
	model_free(m);
}

static void
test_move_new_host_first(void **state)
{
	(void)state;
	check_move(1);
}

static void
test_move_old_host_first(void **state)
{
	(void)state;
	check_move(0);
}

static void
test_vanish_and_forget(void **state)
{
	struct model_limits	 lim = { .forget_vm_s = 60 };
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;

	(void)state;
	assert_non_null(m = model_new(&lim));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	add_vm(&h, 1, 2, SEC);
	add_vm(&h, 2, 2, SEC);
	add_vm(&h, 3, 2, SEC);
	assert_int_equal(apply(m, &h, 10000), 0);
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 0, 0);
	add_vm(&h, 2, 2, SEC);
	assert_int_equal(apply(m, &h, 11000), 0);
	assert_int_equal(host_get(m, 1)->nvms, 1);
	assert_int_equal(model_vm_count(m), 3);
	assert_non_null(v = vm_get(m, 1));
	assert_null(v->host);
	assert_null(vm_get(m, 3)->host);
	assert_non_null(vm_get(m, 2)->host);

	/* last named at 10000: kept through 10000 + 60 s */
	model_tick(m, 10000 + 60000);
	assert_int_equal(model_vm_count(m), 3);
	assert_non_null(vm_get(m, 1));
	model_tick(m, 10000 + 60001);
	assert_int_equal(model_vm_count(m), 1);
	assert_null(vm_get(m, 1));
	assert_null(vm_get(m, 3));
	/* a VM still reported is never forgotten, however old */
	assert_non_null(v = vm_get(m, 2));
	assert_ptr_equal(model_vm_at(m, 0), v);
	assert_null(model_vm_at(m, 1));
	assert_int_equal(model_stats(m)->vms_forgotten, 2);
	model_tick(m, 10000 + 600000);
	assert_int_equal(model_vm_count(m), 1);

	/* a forgotten VM that comes back is a new VM */
	mk_host(&h, 1, "kvm-a", 3, T0_MS + 2000, 0, 0);
	add_vm(&h, 2, 2, SEC);
	add_vm(&h, 1, 2, SEC);
	assert_int_equal(apply(m, &h, 700000), 0);
	assert_int_equal(model_vm_count(m), 2);
	assert_non_null(v = vm_get(m, 1));
	assert_ptr_equal(v->host, host_get(m, 1));
	assert_int_equal(v->moves, 0);
	assert_int_equal(v->has_rates, 0);
	model_free(m);
}

static void
test_stale(void **state)
{
	struct model_limits	 lim = { .stale_intervals = 3 };
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*a;

	(void)state;
	assert_non_null(m = model_new(&lim));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 10 * SEC, 30 * SEC);
	add_vm(&h, 1, 2, SEC);
	assert_int_equal(apply(m, &h, 10000), 0);
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 11 * SEC, 33 * SEC);
	add_vm(&h, 1, 2, SEC);
	assert_int_equal(apply(m, &h, 11000), 0);
	mk_host(&h, 2, "kvm-b", 1, T0_MS + 1000, 0, 0);
	assert_int_equal(apply(m, &h, 11000), 0);

	model_tick(m, 11000 + 3000);		/* exactly 3 intervals */
	assert_int_equal(model_stale_count(m), 0);
	assert_false(host_get(m, 1)->stale);
	model_tick(m, 11000 + 3001);
	assert_int_equal(model_stale_count(m), 2);
	a = host_get(m, 1);
	assert_true(a->stale);
	assert_int_equal(model_stats(m)->stale_transitions, 2);
	/* its figures are kept, not emptied */
	assert_int_equal(a->nvms, 1);
	assert_int_equal(model_host_count(m), 2);
	assert_near(a->cpu_util, 0.25, 1e-9);
	assert_ptr_equal(vm_get(m, 1)->host, a);
	model_tick(m, 20000);			/* no second transition */
	assert_int_equal(model_stats(m)->stale_transitions, 2);

	/* a new report clears it */
	mk_host(&h, 1, "kvm-a", 3, T0_MS + 9000, 19 * SEC, 57 * SEC);
	add_vm(&h, 1, 2, SEC);
	assert_int_equal(apply(m, &h, 21000), 0);
	a = host_get(m, 1);
	assert_false(a->stale);
	assert_int_equal(model_stale_count(m), 1);
	model_tick(m, 21000 + 1500);
	assert_false(host_get(m, 1)->stale);
	assert_true(host_get(m, 2)->stale);
	model_tick(m, 21000 + 3001);
	assert_true(host_get(m, 1)->stale);
	assert_int_equal(model_stats(m)->stale_transitions, 3);
	model_free(m);
}

static void
test_stale_default(void **state)
{
	struct model	*m;
	struct hrep	 h;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	h.r.interval_ms = 2000;			/* the host's own interval */
	assert_int_equal(apply(m, &h, 0), 0);
	model_tick(m, 6000);
	assert_int_equal(model_stale_count(m), 0);
	model_tick(m, 6001);
	assert_int_equal(model_stale_count(m), 1);
	model_free(m);
}

static void
test_name_conflict_and_rename(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*a;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 2, "kvm-a", 1, T0_MS, 0, 0);
	add_vm(&h, 1, 2, SEC);
	assert_int_equal(apply(m, &h, 1000), -EEXIST);
	assert_int_equal(model_host_count(m), 1);
	assert_int_equal(model_vm_count(m), 0);
	assert_null(host_get(m, 2));
	assert_int_equal(model_stats(m)->name_conflicts, 1);
	a = model_host_by_name(m, "kvm-a");
	assert_non_null(a);
	assert_ptr_equal(a, host_get(m, 1));

	/* the same uuid under a new name is a rename */
	mk_host(&h, 2, "kvm-b", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 1, "kvm-z", 2, T0_MS + 1000, 0, 0);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_int_equal(model_host_count(m), 2);
	assert_null(model_host_by_name(m, "kvm-a"));
	assert_ptr_equal(model_host_by_name(m, "kvm-z"), host_get(m, 1));
	assert_string_equal(model_host_at(m, 0)->name, "kvm-b");
	assert_string_equal(model_host_at(m, 1)->name, "kvm-z");
	/* and the freed name may be taken by another host */
	mk_host(&h, 3, "kvm-a", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_string_equal(model_host_at(m, 0)->name, "kvm-a");
	assert_int_equal(model_stats(m)->name_conflicts, 1);
	model_free(m);
}

static void
test_sorted_and_lookup(void **state)
{
	static const char *const names[] = { "kvm-m", "kvm-c", "a1",
	    "kvm-10", "kvm-2", "zeta", "kvm-b", "kvm-a" };
	const size_t		 n = sizeof(names) / sizeof(names[0]);
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*x;
	uint8_t			 u[16];
	size_t			 i;

	(void)state;
	assert_non_null(m = model_new(NULL));
	for (i = 0; i < n; i++) {
		mk_host(&h, (int)i + 1, names[i], 1, T0_MS, 0, 0);
		add_vm(&h, (int)i + 1, 1, SEC);
		assert_int_equal(apply(m, &h, 1000), 0);
	}
	assert_int_equal(model_host_count(m), n);
	assert_int_equal(model_vm_count(m), n);
	for (i = 1; i < n; i++)
		assert_true(strcmp(model_host_at(m, i - 1)->name,
		    model_host_at(m, i)->name) < 0);
	assert_string_equal(model_host_at(m, 0)->name, "a1");
	assert_string_equal(model_host_at(m, n - 1)->name, "zeta");
	assert_null(model_host_at(m, n));
	for (i = 0; i < n; i++) {
		x = model_host_by_name(m, names[i]);
		assert_non_null(x);
		host_uuid((int)i + 1, u);
		assert_memory_equal(x->uuid, u, 16);
		assert_ptr_equal(model_host_by_uuid(m, u), x);
		assert_ptr_equal(vm_get(m, (int)i + 1)->host, x);
	}
	assert_null(model_host_by_name(m, "kvm-"));
	assert_null(model_host_by_name(m, "kvm-zz"));
	assert_null(model_host_by_name(m, ""));
	host_uuid(200, u);
	assert_null(model_host_by_uuid(m, u));
	vm_uuid(200, u);
	assert_null(model_vm_by_uuid(m, u));
	assert_null(model_vm_at(m, n));
	model_free(m);
}

/* A host's address: IPv4 gives the four octets, IPv6 only the text. */
static void
test_host_addr(void **state)
{
	static const uint8_t	 lo[4] = { 127, 0, 0, 1 };
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*x;
	uint8_t			 u[16];

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "hv01", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 1000), 0);
	host_uuid(1, u);
	assert_non_null(x = model_host_by_uuid(m, u));
	assert_string_equal(x->addr, "");
	assert_false(x->has_addr4);
	assert_int_equal(model_set_host_addr(m, u, "127.0.0.1"), 0);
	assert_string_equal(x->addr, "127.0.0.1");
	assert_true(x->has_addr4);
	assert_memory_equal(x->addr4, lo, 4);
	assert_int_equal(model_set_host_addr(m, u, "fd00::1:2"), 0);
	assert_string_equal(x->addr, "fd00::1:2");
	assert_false(x->has_addr4);
	/* kept across reports */
	mk_host(&h, 1, "hv01", 2, T0_MS + 1000, 0, 0);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_string_equal(model_host_by_uuid(m, u)->addr, "fd00::1:2");
	host_uuid(2, u);
	assert_int_equal(model_set_host_addr(m, u, "10.0.0.2"), -ENOENT);
	model_free(m);
}

static void
test_max_hosts(void **state)
{
	struct model_limits	 lim = { .max_hosts = 2 };
	struct model		*m;
	struct hrep		 h;

	(void)state;
	assert_non_null(m = model_new(&lim));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 2, "kvm-b", 1, T0_MS, 0, 0);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 3, "kvm-c", 1, T0_MS, 0, 0);
	add_vm(&h, 1, 1, SEC);
	assert_int_equal(apply(m, &h, 1000), -ENOSPC);
	assert_int_equal(model_host_count(m), 2);
	assert_int_equal(model_vm_count(m), 0);
	assert_null(host_get(m, 3));
	assert_null(model_host_by_name(m, "kvm-c"));
	assert_int_equal(model_stats(m)->hosts_refused, 1);
	/* known hosts still report */
	mk_host(&h, 2, "kvm-b", 2, T0_MS + 1000, 0, 0);
	add_vm(&h, 1, 1, SEC);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_int_equal(model_vm_count(m), 1);
	model_free(m);
}

static void
test_max_vms(void **state)
{
	struct model_limits	 lim = { .max_vms = 3 };
	struct model		*m;
	struct hrep		 h;
	int			 i;

	(void)state;
	assert_non_null(m = model_new(&lim));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	for (i = 1; i <= 5; i++)
		add_vm(&h, i, 1, SEC);
	assert_int_equal(apply(m, &h, 1000), 0);
	assert_int_equal(model_vm_count(m), 3);
	assert_int_equal(host_get(m, 1)->nvms, 3);
	assert_int_equal(model_stats(m)->vms_refused, 2);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_new_host_first),
		cmocka_unit_test(test_move_old_host_first),
		cmocka_unit_test(test_vanish_and_forget),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_stale_default),
		cmocka_unit_test(test_name_conflict_and_rename),
		cmocka_unit_test(test_sorted_and_lookup),
		cmocka_unit_test(test_host_addr),
		cmocka_unit_test(test_max_hosts),
		cmocka_unit_test(test_max_vms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
