/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of sim/cluster.c, the simulated hypervisors, on small
 * trace sets built by hand: placement, counters integrated slot by
 * slot (exact CPU time, bytes, contention on an over-committed host),
 * reports that pass the wire contract, traces that loop (the live
 * migrations are in test_cluster_mig.c).
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

#include "clusterfix.h"

static void
test_round_robin(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	size_t			 i;

	(void)state;
	ts = ts_new(5, 1);
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	assert_int_equal(c.nvms, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(c.vms[i].host, i % 2);
		assert_ptr_equal(c.vms[i].tv, &ts->vms[i]);
	}
	assert_int_equal(c.hosts[0].nvms, 3);
	assert_int_equal(c.hosts[1].nvms, 2);
	assert_string_equal(c.hosts[0].name, "hv01");
	assert_string_equal(c.hosts[1].name, "hv02");
	assert_int_equal(sim_cluster_host(&c, "hv02"), 1);
	assert_int_equal(sim_cluster_host(&c, "hv03"), -1);
	assert_memory_not_equal(c.hosts[0].uuid, c.hosts[1].uuid, 16);
	assert_memory_not_equal(c.vms[0].uuid, c.vms[1].uuid, 16);
	assert_int_equal(c.t_ms, T0_MS);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_first_fit(void **state)
{
	static const double	 gib[] = { 6, 3, 5, 1 };
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	char			 err[256] = "";
	size_t			 i;

	(void)state;
	ts = ts_new(4, 1);
	for (i = 0; i < 4; i++)
		ts_set_all(ts, i, TRACE_MEM_KB, (float)(gib[i] * GIB_KB));
	params(&p, 3, 4, 10);
	p.placement = SIM_PLACE_FIRST_FIT;
	init_ok(&c, ts, &p);
	assert_int_equal(c.vms[0].host, 0);	/* 6 */
	assert_int_equal(c.vms[1].host, 0);	/* 9 */
	assert_int_equal(c.vms[2].host, 1);	/* 14 would not fit */
	assert_int_equal(c.vms[3].host, 0);	/* exactly 10 fits */
	assert_int_equal(c.hosts[0].nvms, 3);
	assert_int_equal(c.hosts[1].nvms, 1);
	assert_int_equal(c.hosts[2].nvms, 0);
	assert_near(c.vms[0].mem_bytes, 6 * GIB, 0);
	sim_cluster_free(&c);

	/* a VM larger than any host */
	ts_set_all(ts, 2, TRACE_MEM_KB, (float)(11 * GIB_KB));
	assert_int_equal(sim_cluster_init(&c, ts, &p, err, sizeof(err)),
	    -EINVAL);
	assert_non_null(strstr(err, "vm-3"));
	trace_free(ts);
}

static void
test_one_slot_counters(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	const struct sim_vm	*a, *b;

	(void)state;
	ts = ts_new(2, 1);
	ts_set_all(ts, 0, TRACE_CPU_MHZ, 1000);
	ts_set_all(ts, 0, TRACE_DISK_RD_KBS, 100);
	ts_set_all(ts, 0, TRACE_DISK_WR_KBS, 50);
	ts_set_all(ts, 0, TRACE_NET_RX_KBS, 10);
	ts_set_all(ts, 0, TRACE_NET_TX_KBS, 20);
	ts_set_all(ts, 1, TRACE_CPU_MHZ, 3000);
	params(&p, 1, 4, 64);
	init_ok(&c, ts, &p);
	assert_int_equal(sim_cluster_step(&c, SLOT_MS, NULL, 0), 0);
	assert_int_equal(c.t_ms, T0_MS + SLOT_MS);
	a = &c.vms[0];
	b = &c.vms[1];
	/* MHz / host MHz x 300 s */
	assert_near(a->c.cpu_ns, 1000.0 / MHZ * 300e9, 1);
	assert_near(b->c.cpu_ns, 3000.0 / MHZ * 300e9, 1);
	assert_near(a->c.delay_ns, 0, 0);
	assert_near(b->c.delay_ns, 0, 0);
	/* KB/s x 1024 x 300 s */
	assert_near(a->c.rd_bytes, 100.0 * 1024 * 300, 1e-6);
	assert_near(a->c.wr_bytes, 50.0 * 1024 * 300, 1e-6);
	assert_near(a->c.rx_bytes, 10.0 * 1024 * 300, 1e-6);
	assert_near(a->c.tx_bytes, 20.0 * 1024 * 300, 1e-6);
	assert_near(b->c.rd_bytes, 0, 0);
	/* the host: busy is what its VMs ran, idle + busy = cpus x dt */
	assert_near(c.hosts[0].busy_ns, 4000.0 / MHZ * 300e9, 1);
	assert_near(c.hosts[0].busy_ns + c.hosts[0].idle_ns, 4 * 300e9, 1);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_step_spans_slots(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;

	(void)state;
	ts = ts_new(1, 2);
	ts->vms[0].v[TRACE_CPU_MHZ][0] = 1000;
	ts->vms[0].v[TRACE_CPU_MHZ][1] = 3000;
	ts->vms[0].v[TRACE_DISK_RD_KBS][0] = 10;
	ts->vms[0].v[TRACE_DISK_RD_KBS][1] = 40;
	params(&p, 1, 4, 64);

	/* 200 s, then 200 s across the boundary: 100 s of each slot */
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 200000, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 200e9, 1);
	sim_cluster_step(&c, 200000, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 300e9 + 1.5 * 100e9, 1);
	assert_near(c.vms[0].c.rd_bytes, 10240.0 * 300 + 40960.0 * 100, 1e-6);
	sim_cluster_free(&c);

	/* one step of 450 s: 300 s of slot 0 and 150 s of slot 1 */
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 450000, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 300e9 + 1.5 * 150e9, 1);
	assert_near(c.hosts[0].busy_ns + c.hosts[0].idle_ns, 4 * 450e9, 1);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_overcommit(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	double			 cap_ns = 2 * 300e9;

	(void)state;
	ts = ts_new(2, 1);
	ts_set_all(ts, 0, TRACE_CPU_MHZ, 3000);
	ts_set_all(ts, 1, TRACE_CPU_MHZ, 5000);
	params(&p, 1, 2, 64);		/* 4000 MHz for a demand of 8000 */
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, SLOT_MS, NULL, 0);
	/* exactly the capacity is delivered */
	assert_near(c.hosts[0].busy_ns, cap_ns, 1);
	assert_near(c.hosts[0].idle_ns, 0, 1);
	assert_near(c.vms[0].c.cpu_ns + c.vms[1].c.cpu_ns, cap_ns, 1);
	/* each VM gets half its demand; the rest waits */
	assert_near(c.vms[0].c.cpu_ns, 1500.0 / MHZ * 300e9, 1);
	assert_near(c.vms[0].c.delay_ns, 1500.0 / MHZ * 300e9, 1);
	assert_near(c.vms[1].c.cpu_ns, 2500.0 / MHZ * 300e9, 1);
	assert_near(c.vms[1].c.delay_ns, 2500.0 / MHZ * 300e9, 1);
	sim_cluster_free(&c);
	trace_free(ts);
}

/* What the publisher adds to a host's report, then the wire contract. */
static void
passes_wire(wire_report *r, const struct sim_host *h, const uint8_t **seen)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;
	char		 err[256] = "";

	r->host_uuid.data = (uint8_t *)(uintptr_t)h->uuid;
	r->host_uuid.len = 16;
	r->host_name = (char *)(uintptr_t)h->name;
	r->seq = 1;
	r->incarnation = 1;
	r->interval_ms = 1000;
	e.version = WIRE_VERSION;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = r;
	if (wire_validate(&e, seen, err, sizeof(err)) != 0)
		fail_msg("the simulated report breaks the contract: %s", err);
}

static void
test_report_passes_wire(void **state)
{
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 cnt;
	Ballast__V1__DirtyRate		 dirty[MAXV];
	wire_report			 r;
	wire_vm				 vms[MAXV], *vmp[MAXV];
	struct trace_set		*ts;
	struct sim_cluster		 c;
	struct sim_params		 p;
	const uint8_t			**seen;
	uint64_t			 rss = 0;
	size_t				 i, n;

	(void)state;
	ts = ts_new(3, 1);
	for (i = 0; i < 3; i++) {
		ts_set_all(ts, i, TRACE_CPU_MHZ, (float)(500 * (i + 1)));
		ts_set_all(ts, i, TRACE_MEM_KB, (float)((i + 1) * GIB_KB));
		ts_set_all(ts, i, TRACE_NET_RX_KBS, 8);
	}
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, SLOT_MS, NULL, 0);

	n = sim_cluster_report(&c, 0, &r, &cap, &cnt, vms, vmp, dirty);
	assert_int_equal(n, 2);			/* vm-1 and vm-3 */
	assert_int_equal(r.n_vms, 2);
	assert_ptr_equal(r.vms, vmp);
	assert_ptr_equal(r.capacity, &cap);
	assert_ptr_equal(r.counters, &cnt);
	assert_int_equal(cap.cpus, 4);
	assert_int_equal(cap.cpu_mhz, MHZ);
	assert_int_equal(cap.memory_bytes, 64ULL << 30);
	assert_true(cap.nic_bps > 0);
	assert_int_equal(r.sample_time_ms, T0_MS + SLOT_MS);
	assert_string_equal(r.cluster, "unit");
	assert_int_equal(cnt.cpu_busy_ns, (uint64_t)c.hosts[0].busy_ns);
	assert_int_equal(cnt.cpu_idle_ns, (uint64_t)c.hosts[0].idle_ns);
	assert_int_equal(cnt.cpu_busy_ns, (uint64_t)(2000.0 / MHZ * 300e9));
	assert_string_equal(vmp[0]->name, "vm-1");
	assert_string_equal(vmp[1]->name, "vm-3");
	assert_memory_equal(vmp[1]->uuid.data, c.vms[2].uuid, 16);
	assert_int_equal(vmp[1]->vcpus, 2);
	assert_int_equal(vmp[1]->state,
	    BALLAST__V1__VM_STATE__VM_STATE_RUNNING);
	assert_int_equal(vmp[1]->cpu_time_ns, (uint64_t)(1500.0 / MHZ * 300e9));
	assert_int_equal(vmp[1]->net_rx_bytes, 8 * 1024 * 300);
	assert_int_equal(vmp[1]->mem_rss_bytes, 3ULL << 30);
	assert_int_equal(vmp[1]->mem_max_bytes, 8ULL << 30);
	assert_non_null(vmp[1]->dirty);
	for (i = 0; i < n; i++)
		rss += vmp[i]->mem_rss_bytes;
	assert_int_equal(cnt.mem_used_bytes, rss);
	assert_int_equal(cnt.mem_used_bytes + cnt.mem_available_bytes,
	    64ULL << 30);

	assert_non_null(seen = calloc(2 * WIRE_MAX_VMS, sizeof(*seen)));
	passes_wire(&r, &c.hosts[0], seen);
	n = sim_cluster_report(&c, 1, &r, &cap, &cnt, vms, vmp, dirty);
	assert_int_equal(n, 1);
	assert_string_equal(vmp[0]->name, "vm-2");
	passes_wire(&r, &c.hosts[1], seen);
	free(seen);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_trace_loops(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;

	(void)state;
	ts = ts_new(1, 2);
	ts->vms[0].v[TRACE_CPU_MHZ][0] = 1000;
	ts->vms[0].v[TRACE_CPU_MHZ][1] = 3000;
	ts->vms[0].v[TRACE_MEM_KB][0] = (float)(2 * GIB_KB);
	ts->vms[0].v[TRACE_MEM_KB][1] = (float)(3 * GIB_KB);
	params(&p, 1, 4, 64);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 2 * SLOT_MS, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns, (0.5 + 1.5) * 300e9, 1);
	assert_near(c.vms[0].mem_bytes, 3 * GIB, 0);
	/* past the end: slot 0 again */
	sim_cluster_step(&c, SLOT_MS, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns, (0.5 + 1.5 + 0.5) * 300e9, 1);
	assert_near(c.vms[0].mem_bytes, 2 * GIB, 0);
	assert_int_equal(c.t_ms, T0_MS + 3 * SLOT_MS);
	/* half of the last slot, then a step across the wrap */
	sim_cluster_step(&c, SLOT_MS / 2, NULL, 0);
	sim_cluster_step(&c, SLOT_MS, NULL, 0);
	assert_near(c.vms[0].c.cpu_ns,
	    (0.5 + 1.5 + 0.5) * 300e9 + 1.5 * 150e9 + 1.5 * 150e9 +
	    0.5 * 150e9, 1);
	assert_near(c.vms[0].mem_bytes, 2 * GIB, 0);
	sim_cluster_free(&c);
	trace_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_first_fit),
		cmocka_unit_test(test_one_slot_counters),
		cmocka_unit_test(test_step_spans_slots),
		cmocka_unit_test(test_overcommit),
		cmocka_unit_test(test_report_passes_wire),
		cmocka_unit_test(test_trace_loops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
