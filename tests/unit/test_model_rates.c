/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/model.c's rates: counts, rates from counter
 * deltas, each VM's own read time, gaps, a clock going back, counter
 * restarts.
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

static void
test_counts_and_rates(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_host	*a;
	const struct model_vm	*v;
	wire_vm			*s;

	(void)state;
	assert_non_null(m = model_new(NULL));
	assert_int_equal(model_host_count(m), 0);
	assert_int_equal(model_vm_count(m), 0);

	mk_host(&h, 1, "kvm-a", 1, T0_MS, 100 * SEC, 300 * SEC);
	add_vm(&h, 1, 2, 10 * SEC);
	add_vm(&h, 2, 4, 20 * SEC);
	s = add_vm(&h, 3, 1, 30 * SEC);
	s->net_rx_bytes = 1000;
	s->blk_wr_ops = 50;
	assert_int_equal(apply(m, &h, 1000), 0);
	assert_int_equal(model_host_count(m), 1);
	assert_int_equal(model_vm_count(m), 3);
	assert_non_null(a = host_get(m, 1));
	assert_string_equal(a->name, "kvm-a");
	assert_string_equal(a->cluster, "test");
	assert_int_equal(a->nvms, 3);
	assert_int_equal(a->cpus, 16);
	assert_int_equal(a->cpu_mhz, MHZ);
	assert_int_equal(a->has_rates, 0);	/* one sample: no rate yet */
	assert_near(a->mem_util, 0.25, 1e-9);
	assert_non_null(v = vm_get(m, 1));
	assert_ptr_equal(v->host, a);
	assert_string_equal(v->name, "vm-1");
	assert_int_equal(v->vcpus, 2);
	assert_int_equal(v->has_rates, 0);

	/* one second later: busy +3 s, idle +9 s; VMs +1 s CPU each */
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 103 * SEC, 309 * SEC);
	add_vm(&h, 1, 2, 11 * SEC);
	add_vm(&h, 2, 4, 21 * SEC);
	s = add_vm(&h, 3, 1, 31 * SEC);
	s->net_rx_bytes = 3000;
	s->blk_wr_ops = 150;
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_int_equal(model_host_count(m), 1);
	assert_int_equal(model_vm_count(m), 3);
	a = host_get(m, 1);
	assert_int_equal(a->has_rates, 1);
	assert_near(a->cpu_util, 0.25, 1e-9);
	assert_int_equal(a->seq, 2);

	v = vm_get(m, 1);	/* 2 vCPUs, 1 s of CPU in 1 s */
	assert_int_equal(v->has_rates, 1);
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_near(v->r.cpu_mhz, 1.0 * MHZ, 1e-6);
	v = vm_get(m, 2);	/* 4 vCPUs */
	assert_near(v->r.cpu_util, 0.25, 1e-9);
	assert_near(v->r.cpu_mhz, 1.0 * MHZ, 1e-6);
	v = vm_get(m, 3);	/* 1 vCPU, busy all the time */
	assert_near(v->r.cpu_util, 1.0, 1e-9);
	assert_near(v->r.net_rx_bps, 2000.0, 1e-9);
	assert_near(v->r.blk_wr_iops, 100.0, 1e-9);
	assert_near(a->vm_cpu_mhz, 3.0 * MHZ, 1e-6);
	assert_int_equal(v->cpu_win.n, 1);
	model_free(m);
}

static void
test_sample_gap(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	add_vm(&h, 1, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 0, 0);
	add_vm(&h, 1, 2, 11 * SEC);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_near(vm_get(m, 1)->r.cpu_util, 0.5, 1e-9);

	/* two reports lost: 1.5 s of CPU over 3 s, not over the 1 s interval */
	mk_host(&h, 1, "kvm-a", 5, T0_MS + 4000, 0, 0);
	add_vm(&h, 1, 2, 12 * SEC + SEC / 2);
	assert_int_equal(apply(m, &h, 5000), 0);
	v = vm_get(m, 1);
	assert_near(v->r.cpu_util, 0.25, 1e-9);
	assert_near(v->r.cpu_mhz, 0.5 * MHZ, 1e-6);
	assert_int_equal(v->c_time_ms, T0_MS + 4000);
	assert_int_equal(v->resets, 0);
	model_free(m);
}

/*
 * VMs read one after another (the per-domain path) are read at their
 * own times: a VM read 250 ms into one round and at its start in the
 * next used 0.75 s of CPU in 0.75 s, not in the reports' 1 s; another
 * read at the same offset both times keeps the 1 s.
 */
static void
test_read_offset(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;
	wire_vm			*s;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 0, 0);
	s = add_vm(&h, 1, 1, 10 * SEC);
	s->read_offset_ms = 250;
	s = add_vm(&h, 2, 1, 20 * SEC);
	s->read_offset_ms = 400;
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 0, 0);
	add_vm(&h, 1, 1, 10 * SEC + 3 * SEC / 4);
	s = add_vm(&h, 2, 1, 20 * SEC + SEC / 2);
	s->read_offset_ms = 400;
	assert_int_equal(apply(m, &h, 2000), 0);
	v = vm_get(m, 1);
	assert_near(v->r.cpu_util, 1.0, 1e-9);
	assert_int_equal(v->c_time_ms, T0_MS + 1000);
	assert_int_equal(v->c_report_ms, T0_MS + 1000);
	v = vm_get(m, 2);
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_int_equal(v->c_time_ms, T0_MS + 1400);
	assert_int_equal(v->c_report_ms, T0_MS + 1000);
	model_free(m);
}

/*
 * The host's clock goes back an hour: the report after the jump is the
 * new baseline (no rate over a negative interval), the next ones give
 * the right rate again -- not an hour's CPU over one second -- and the
 * jump is counted.
 */
static void
test_clock_back(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;
	uint64_t		 t = T0_MS, back = T0_MS - 3600 * 1000;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, t, 0, 0);
	add_vm(&h, 1, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 1, "kvm-a", 2, t + 1000, 0, 0);
	add_vm(&h, 1, 2, 11 * SEC);
	assert_int_equal(apply(m, &h, 2000), 0);
	assert_near(vm_get(m, 1)->r.cpu_util, 0.5, 1e-9);
	assert_int_equal(model_stats(m)->clock_back, 0);

	mk_host(&h, 1, "kvm-a", 3, back, 0, 0);
	add_vm(&h, 1, 2, 12 * SEC);
	assert_int_equal(apply(m, &h, 3000), 0);
	v = vm_get(m, 1);
	assert_int_equal(v->c_time_ms, back);
	assert_near(v->r.cpu_util, 0.5, 1e-9);	/* the last good rate */
	assert_int_equal(model_stats(m)->clock_back, 1);

	mk_host(&h, 1, "kvm-a", 4, back + 1000, 0, 0);
	add_vm(&h, 1, 2, 12 * SEC + SEC / 2);
	assert_int_equal(apply(m, &h, 4000), 0);
	assert_near(vm_get(m, 1)->r.cpu_util, 0.25, 1e-9);
	assert_int_equal(vm_get(m, 1)->resets, 0);
	model_free(m);
}

static void
test_counter_reset(void **state)
{
	struct model		*m;
	struct hrep		 h;
	const struct model_vm	*v;
	const struct model_host	*a;

	(void)state;
	assert_non_null(m = model_new(NULL));
	mk_host(&h, 1, "kvm-a", 1, T0_MS, 10 * SEC, 30 * SEC);
	add_vm(&h, 1, 2, 10 * SEC);
	assert_int_equal(apply(m, &h, 1000), 0);
	mk_host(&h, 1, "kvm-a", 2, T0_MS + 1000, 11 * SEC, 33 * SEC);
	add_vm(&h, 1, 2, 11 * SEC);
	assert_int_equal(apply(m, &h, 2000), 0);
	v = vm_get(m, 1);
	assert_near(v->r.cpu_util, 0.5, 1e-9);
	assert_int_equal(v->cpu_win.n, 1);

	/* the VM's counters restart (cpu time goes down); host's too */
	mk_host(&h, 1, "kvm-a", 3, T0_MS + 2000, 1 * SEC, 2 * SEC);
	add_vm(&h, 1, 2, 1 * SEC / 10);
	assert_int_equal(apply(m, &h, 3000), 0);
	v = vm_get(m, 1);
	a = host_get(m, 1);
	assert_int_equal(v->resets, 1);
	assert_int_equal(model_stats(m)->vm_resets, 1);
	assert_int_equal(v->has_rates, 1);
	assert_near(v->r.cpu_util, 0.5, 1e-9);		/* held */
	assert_near(v->r.cpu_mhz, 1.0 * MHZ, 1e-6);
	assert_int_equal(v->cpu_win.n, 1);		/* no new sample */
	assert_near(a->cpu_util, 0.25, 1e-9);		/* held */

	/* and rates go on from the new baseline */
	mk_host(&h, 1, "kvm-a", 4, T0_MS + 3000, 2 * SEC, 5 * SEC);
	add_vm(&h, 1, 2, 1 * SEC / 10 + 2 * SEC);
	assert_int_equal(apply(m, &h, 4000), 0);
	v = vm_get(m, 1);
	a = host_get(m, 1);
	assert_near(v->r.cpu_util, 1.0, 1e-9);
	assert_int_equal(v->resets, 1);
	assert_int_equal(v->cpu_win.n, 2);
	assert_near(a->cpu_util, 0.25, 1e-9);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_rates),
		cmocka_unit_test(test_sample_gap),
		cmocka_unit_test(test_read_offset),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_counter_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
