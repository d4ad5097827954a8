/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of sim/cluster.c's live migrations with the pre-copy
 * model: refusals, progress, completion on the destination with
 * counters started again, no convergence, injected failures, deadlines
 * and cancels.
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
expect_refused(struct sim_cluster *c, size_t src, struct mcmd *m,
    const char *what)
{
	struct sim_event	 ev;

	memset(&ev, 0, sizeof(ev));
	if (sim_cluster_migrate(c, src, &m->cmd, &ev) == 0)
		fail_msg("%s: accepted", what);
	if (ev.state != ST_REFUSED)
		fail_msg("%s: state %d, want REFUSED", what, ev.state);
	if (ev.error[0] == '\0')
		fail_msg("%s: no reason given", what);
	assert_int_equal(ev.cmd_id, m->cmd.id);
	assert_int_equal(ev.host, src);
}

/*
 * The pre-copy model (precopy.h), and as the simulator acts it out:
 * rho = 0.5, 4 GiB at 1 GiB/s, 0.3 s of downtime: 4, 2, 1, 0.5, 0.25
 * GiB left, so n = 4, time = 4 (1 - 0.5^5) / 0.5 = 7.75 s and
 * downtime 0.25 s.
 */
static void
test_precopy_model(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;
	double			 t = -7, down = -7, left;
	int			 n;

	(void)state;
	/* the model itself, and the rounds it takes by hand */
	assert_int_equal(precopy_predict(4 * GIB, 0.5 * GIB, GIB, 0.3, &t,
	    &down), 0);
	for (n = 0, left = 4.0; left > 0.3; n++)
		left *= 0.5;
	assert_int_equal(n, 4);
	assert_near(t, 4.0 * (1 - 0.03125) / 0.5, 1e-9);
	assert_near(t, 7.75, 1e-9);
	assert_near(down, 0.25, 1e-9);
	/* rho >= 1 never converges; the outputs stay as they were */
	t = down = -7;
	assert_int_equal(precopy_predict(4 * GIB, GIB, GIB, 0.3, &t, &down),
	    -1);
	assert_int_equal(precopy_predict(4 * GIB, 3 * GIB, GIB, 0.3, &t,
	    &down), -1);
	assert_near(t, -7, 0);
	assert_near(down, -7, 0);

	ts = ts_new(2, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(4 * GIB_KB));
	ts_set_all(ts, 1, TRACE_MEM_KB, (float)(4 * GIB_KB));
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	c.vms[0].dirty_bps = 0.5 * GIB;
	mk_migrate(&m, &c, 1, 0, 1);
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev), 0);
	assert_int_equal(ev.state, ST_ACCEPTED);
	assert_int_equal(ev.cmd_id, 1);
	assert_int_equal(ev.bytes_left, 4ULL << 30);
	assert_non_null(c.vms[0].mig);
	assert_near(c.vms[0].mig->total_s, 7.75, 1e-9);
	assert_near(c.vms[0].mig->downtime_s, 0.25, 1e-9);
	assert_int_equal(c.vms[0].mig->bytes, 4ULL << 30);

	/* nothing dirtied: one round and no downtime to speak of */
	c.vms[1].dirty_bps = 0;
	mk_migrate(&m, &c, 2, 1, 0);
	assert_int_equal(sim_cluster_migrate(&c, 1, &m.cmd, &ev), 0);
	assert_near(c.vms[1].mig->total_s, 4.0, 1e-9);
	assert_near(c.vms[1].mig->downtime_s, 0.0, 1e-9);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_migrate_refusals(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;
	size_t			 i;

	(void)state;
	ts = ts_new(3, 1);
	for (i = 0; i < 3; i++)
		ts_set_all(ts, i, TRACE_MEM_KB, (float)(6 * GIB_KB));
	/* 10 GiB hosts: hv01..hv03 hold one 6 GiB VM each, hv04 none */
	params(&p, 4, 4, 10);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 1000, NULL, 0);

	mk_migrate(&m, &c, 10, 0, 3);
	expect_refused(&c, 2, &m, "VM not on that host");
	mk_migrate(&m, &c, 11, 0, 3);
	memset(m.vu, 0x77, 16);
	expect_refused(&c, 0, &m, "unknown VM");

	mk_migrate(&m, &c, 12, 0, 3);
	m.mig.dest_host_name = (char *)(uintptr_t)"hv99";
	expect_refused(&c, 0, &m, "unknown destination name");
	mk_migrate(&m, &c, 13, 0, 3);
	memset(m.hu, 0x5a, 16);
	expect_refused(&c, 0, &m, "destination uuid does not match its name");

	mk_migrate(&m, &c, 14, 0, 0);
	expect_refused(&c, 0, &m, "destination is the source");

	mk_migrate(&m, &c, 15, 0, 1);
	expect_refused(&c, 0, &m, "not enough memory");

	mk_migrate(&m, &c, 16, 0, 3);
	m.mig.deadline_ms = (uint64_t)c.t_ms;
	expect_refused(&c, 0, &m, "deadline already passed");
	m.mig.deadline_ms = (uint64_t)c.t_ms - 5000;
	expect_refused(&c, 0, &m, "deadline long passed");
	for (i = 0; i < 3; i++)
		assert_null(c.vms[i].mig);

	/* hv04 has room; a second order for the same VM is refused */
	mk_migrate(&m, &c, 17, 0, 3);
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev), 0);
	assert_int_equal(ev.state, ST_ACCEPTED);
	mk_migrate(&m, &c, 18, 0, 3);
	expect_refused(&c, 0, &m, "already migrating");
	assert_int_equal(c.vms[0].mig->cmd_id, 17);
	/* hv04's memory is promised to the incoming VM */
	mk_migrate(&m, &c, 19, 2, 3);
	expect_refused(&c, 2, &m, "memory reserved for an incoming VM");
	assert_null(c.vms[2].mig);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_migration_completes(void **state)
{
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 cnt;
	Ballast__V1__DirtyRate		 dirty[MAXV];
	wire_report			 r;
	wire_vm				 vms[MAXV], *vmp[MAXV];
	struct trace_set		*ts;
	struct sim_cluster		 c;
	struct sim_params		 p;
	struct sim_event		 ev[4];
	struct mcmd			 m;
	unsigned			 last = 0;
	size_t				 n;
	int				 k;

	(void)state;
	ts = ts_new(2, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(4 * GIB_KB));
	ts_set_all(ts, 0, TRACE_CPU_MHZ, 1000);
	ts_set_all(ts, 0, TRACE_DISK_WR_KBS, 100);
	ts_set_all(ts, 1, TRACE_MEM_KB, (float)(1 * GIB_KB));
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 10000, NULL, 0);
	assert_true(c.vms[0].c.cpu_ns > 0);
	c.vms[0].dirty_bps = 0.5 * GIB;		/* 7.75 s at 1 GiB/s */
	mk_migrate(&m, &c, 7, 0, 1);
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev[0]), 0);

	for (k = 1; k <= 7; k++) {
		assert_int_equal(sim_cluster_step(&c, 1000, ev, 4), 1);
		assert_int_equal(ev[0].cmd_id, 7);
		assert_int_equal(ev[0].state, ST_RUNNING);
		assert_true(ev[0].permille > last);
		assert_true(ev[0].permille < 1000);
		assert_int_equal(ev[0].permille, (unsigned)(k / 7.75 * 1000));
		assert_int_equal(ev[0].elapsed_ms, (uint64_t)k * 1000);
		assert_int_equal(ev[0].host, 0);
		last = ev[0].permille;
		assert_int_equal(c.vms[0].host, 0);	/* on the source */
	}
	assert_int_equal(sim_cluster_step(&c, 1000, ev, 4), 1);
	assert_int_equal(ev[0].state, ST_DONE);
	assert_int_equal(ev[0].permille, 1000);
	assert_int_equal(ev[0].host, 0);		/* the source reports */
	assert_int_equal(c.vms[0].host, 1);
	assert_null(c.vms[0].mig);
	assert_int_equal(c.hosts[0].nvms, 0);
	assert_int_equal(c.hosts[1].nvms, 2);
	assert_int_equal(c.migrations_done, 1);
	/* a new QEMU process: every counter from zero */
	assert_near(c.vms[0].c.cpu_ns, 0, 0);
	assert_near(c.vms[0].c.wr_bytes, 0, 0);
	assert_near(c.vms[0].c.wr_ops, 0, 0);

	/* no more events; the VM runs and reports on hv02 */
	assert_int_equal(sim_cluster_step(&c, 1000, ev, 4), 0);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 1e9, 1);
	n = sim_cluster_report(&c, 1, &r, &cap, &cnt, vms, vmp, dirty);
	assert_int_equal(n, 2);
	n = sim_cluster_report(&c, 0, &r, &cap, &cnt, vms, vmp, dirty);
	assert_int_equal(n, 0);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_migration_no_convergence(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;
	int			 k;

	(void)state;
	ts = ts_new(1, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(4 * GIB_KB));
	ts_set_all(ts, 0, TRACE_CPU_MHZ, 1000);
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 1000, NULL, 0);
	c.vms[0].dirty_bps = 2 * GIB;		/* rho = 2 */
	mk_migrate(&m, &c, 3, 0, 1);
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev), 0);
	for (k = 1; k < 6; k++) {
		assert_int_equal(sim_cluster_step(&c, 10000, &ev, 1), 1);
		assert_int_equal(ev.state, ST_RUNNING);
	}
	assert_int_equal(sim_cluster_step(&c, 10000, &ev, 1), 1);
	assert_int_equal(ev.state, ST_FAILED);
	assert_int_equal(ev.elapsed_ms, 60000);
	assert_true(ev.error[0] != '\0');
	assert_int_equal(c.vms[0].host, 0);
	assert_null(c.vms[0].mig);
	assert_int_equal(c.hosts[0].nvms, 1);
	assert_int_equal(c.hosts[1].nvms, 0);
	assert_int_equal(c.migrations_failed, 1);
	assert_int_equal(c.migrations_done, 0);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 61e9, 1);	/* not reset */
	sim_cluster_free(&c);
	trace_free(ts);
}

/*
 * fail_pct: that share of the migrations fails at its end (seeded,
 * so the same run fails the same ones), each VM staying on its source
 * with its counters; the rest complete.  1000 migrations at 30 %.
 */
static void
test_injected_failures(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;
	uint64_t		 id;
	size_t			 from;

	(void)state;
	ts = ts_new(1, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(1 * GIB_KB));
	params(&p, 2, 4, 64);
	p.fail_pct = 30;
	p.fail_seed = 7;
	init_ok(&c, ts, &p);
	for (id = 1; id <= 1000; id++) {
		from = c.vms[0].host;
		mk_migrate(&m, &c, id, 0, 1 - from);
		assert_int_equal(sim_cluster_migrate(&c, from, &m.cmd, &ev), 0);
		assert_int_equal(sim_cluster_step(&c, 10000, &ev, 1), 1);
		if (ev.state == ST_FAILED) {
			assert_int_equal(c.vms[0].host, from);
			assert_non_null(strstr(ev.error, "injected"));
		} else {
			assert_int_equal(ev.state, ST_DONE);
			assert_int_equal(c.vms[0].host, 1 - from);
		}
		assert_int_equal(c.hosts[0].nvms + c.hosts[1].nvms, 1);
	}
	assert_int_equal(c.migrations_injected, c.migrations_failed);
	assert_int_equal(c.migrations_done + c.migrations_failed, 1000);
	assert_in_range(c.migrations_failed, 250, 350);
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_migration_deadline(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;

	(void)state;
	ts = ts_new(1, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(4 * GIB_KB));
	ts_set_all(ts, 0, TRACE_CPU_MHZ, 1000);
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	sim_cluster_step(&c, 1000, NULL, 0);
	c.vms[0].dirty_bps = 0.5 * GIB;		/* 7.75 s */
	mk_migrate(&m, &c, 4, 0, 1);
	m.mig.deadline_ms = (uint64_t)c.t_ms + 3000;
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev), 0);
	assert_int_equal(sim_cluster_step(&c, 1000, &ev, 1), 1);
	assert_int_equal(ev.state, ST_RUNNING);
	assert_int_equal(sim_cluster_step(&c, 1000, &ev, 1), 1);
	assert_int_equal(ev.state, ST_RUNNING);
	assert_int_equal(sim_cluster_step(&c, 1000, &ev, 1), 1);
	assert_int_equal(ev.state, ST_FAILED);
	assert_int_equal(ev.cmd_id, 4);
	assert_true(ev.error[0] != '\0');
	assert_true(ev.permille < 1000);
	assert_int_equal(c.vms[0].host, 0);
	assert_null(c.vms[0].mig);
	assert_int_equal(c.migrations_failed, 1);
	assert_near(c.vms[0].c.cpu_ns, 0.5 * 4e9, 1);	/* not reset */
	sim_cluster_free(&c);
	trace_free(ts);
}

static void
test_cancel(void **state)
{
	struct trace_set	*ts;
	struct sim_cluster	 c;
	struct sim_params	 p;
	struct sim_event	 ev;
	struct mcmd		 m;

	(void)state;
	ts = ts_new(1, 1);
	ts_set_all(ts, 0, TRACE_MEM_KB, (float)(4 * GIB_KB));
	params(&p, 2, 4, 64);
	init_ok(&c, ts, &p);
	c.vms[0].dirty_bps = 0.5 * GIB;
	mk_migrate(&m, &c, 21, 0, 1);
	assert_int_equal(sim_cluster_migrate(&c, 0, &m.cmd, &ev), 0);
	assert_int_equal(sim_cluster_step(&c, 2000, &ev, 1), 1);

	assert_int_equal(sim_cluster_cancel(&c, 99, &ev), -ENOENT);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(sim_cluster_cancel(&c, 21, &ev), 0);
	assert_int_equal(ev.state, ST_CANCELLED);
	assert_int_equal(ev.cmd_id, 21);
	assert_int_equal(ev.host, 0);
	assert_int_equal(ev.elapsed_ms, 2000);
	assert_null(c.vms[0].mig);
	assert_int_equal(c.vms[0].host, 0);
	assert_int_equal(sim_cluster_cancel(&c, 21, &ev), -ENOENT);

	/* nothing left to move on */
	assert_int_equal(sim_cluster_step(&c, 10000, &ev, 1), 0);
	assert_int_equal(c.vms[0].host, 0);
	assert_int_equal(c.migrations_done, 0);
	assert_int_equal(c.hosts[0].nvms, 1);
	sim_cluster_free(&c);
	trace_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precopy_model),
		cmocka_unit_test(test_migrate_refusals),
		cmocka_unit_test(test_migration_completes),
		cmocka_unit_test(test_migration_no_convergence),
		cmocka_unit_test(test_injected_failures),
		cmocka_unit_test(test_migration_deadline),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
