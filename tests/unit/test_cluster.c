/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of sim/cluster.c, the simulated hypervisors, on small
 * trace sets built by hand: placement, counters integrated slot by
 * slot (exact CPU time, bytes, contention on an over-committed host),
 * reports that pass the wire contract, and live migrations with the
 * pre-copy model: refusals, progress, completion on the destination
 * with counters started again, no convergence, deadlines and cancels.
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
#include "precopy.h"
#include "trace.h"
#include "wire.h"

#define SLOT0		5666666LL	/* 1699999800 s: 2023 */
#define SLOT_S		300
#define SLOT_MS		(SLOT_S * 1000LL)
#define T0_MS		(SLOT0 * SLOT_MS)
#define GIB		1073741824.0
#define GIB_KB		1048576.0
#define MHZ		2000
#define MAXV		8

#define ST_ACCEPTED	BALLAST__V1__COMMAND_STATE__CMD_STATE_ACCEPTED
#define ST_RUNNING	BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING
#define ST_DONE		BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE
#define ST_FAILED	BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED
#define ST_CANCELLED	BALLAST__V1__COMMAND_STATE__CMD_STATE_CANCELLED
#define ST_REFUSED	BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED

/* A hand-built trace set: nvms VMs over nslots slots, all zero. */
static struct trace_set *
ts_new(size_t nvms, size_t nslots)
{
	struct trace_set	*ts;
	struct trace_vm		*vm;
	size_t			 i;
	int			 m;

	assert_non_null(ts = calloc(1, sizeof(*ts)));
	assert_non_null(ts->vms = calloc(nvms, sizeof(*ts->vms)));
	ts->nvms = nvms;
	ts->nslots = nslots;
	ts->slot0 = SLOT0;
	ts->slot_s = SLOT_S;
	snprintf(ts->source, sizeof(ts->source), "unit test");
	for (i = 0; i < nvms; i++) {
		vm = &ts->vms[i];
		snprintf(vm->name, sizeof(vm->name), "vm-%zu", i + 1);
		vm->number = (unsigned)i + 1;
		vm->cores = 2;
		vm->cpu_cap_mhz = 2.0 * MHZ;
		vm->mem_cap_kb = 8 * GIB_KB;
		for (m = 0; m < TRACE_NMETRICS; m++)
			assert_non_null(vm->v[m] = calloc(nslots,
			    sizeof(float)));
		assert_non_null(vm->present = malloc(nslots));
		memset(vm->present, 1, nslots);
	}
	return ts;
}

/* Sets metric m of VM i to v in every slot. */
static void
ts_set_all(struct trace_set *ts, size_t i, enum trace_metric m, float v)
{
	size_t	 s;

	for (s = 0; s < ts->nslots; s++)
		ts->vms[i].v[m][s] = v;
}

static void
params(struct sim_params *p, size_t hosts, unsigned cpus, double mem_gib)
{
	memset(p, 0, sizeof(*p));
	p->hosts = hosts;
	p->host_cpus = cpus;
	p->host_mhz = MHZ;
	p->host_mem = (uint64_t)(mem_gib * GIB);
	p->cluster = "unit";
}

static void
init_ok(struct sim_cluster *c, const struct trace_set *ts,
    const struct sim_params *p)
{
	char	 err[256] = "";

	if (sim_cluster_init(c, ts, p, err, sizeof(err)) != 0)
		fail_msg("sim_cluster_init: %s", err);
}

/* A migrate command for VM v to host dst (by name and uuid). */
struct mcmd {
	Ballast__V1__Command	 cmd;
	Ballast__V1__Migrate	 mig;
	uint8_t			 vu[16], hu[16];
	char			 dst[16];
};

static void
mk_migrate(struct mcmd *m, const struct sim_cluster *c, uint64_t id,
    size_t v, size_t dst)
{
	memset(m, 0, sizeof(*m));
	ballast__v1__command__init(&m->cmd);
	ballast__v1__migrate__init(&m->mig);
	memcpy(m->vu, c->vms[v].uuid, 16);
	memcpy(m->hu, c->hosts[dst].uuid, 16);
	snprintf(m->dst, sizeof(m->dst), "%s", c->hosts[dst].name);
	m->mig.vm_uuid.data = m->vu;
	m->mig.vm_uuid.len = 16;
	m->mig.dest_host_uuid.data = m->hu;
	m->mig.dest_host_uuid.len = 16;
	m->mig.dest_host_name = m->dst;
	m->mig.bandwidth_bps = 1ULL << 30;
	m->mig.max_downtime_ms = 300;
	m->cmd.id = id;
	m->cmd.epoch = 1;
	m->cmd.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	m->cmd.migrate = &m->mig;
}

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
		cmocka_unit_test(test_precopy_model),
		cmocka_unit_test(test_migrate_refusals),
		cmocka_unit_test(test_migration_completes),
		cmocka_unit_test(test_migration_no_convergence),
		cmocka_unit_test(test_injected_failures),
		cmocka_unit_test(test_migration_deadline),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_trace_loops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
