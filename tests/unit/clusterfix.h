/* SPDX-License-Identifier: ISC */
/*
 * clusterfix: hand-built trace sets, cluster parameters and migrate
 * commands for the simulated cluster's unit tests (test_cluster.c,
 * test_cluster_mig.c; include after cmocka.h).
 */
#ifndef BALLAST_CLUSTERFIX_H
#define BALLAST_CLUSTERFIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
static inline struct trace_set *
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
static inline void
ts_set_all(struct trace_set *ts, size_t i, enum trace_metric m, float v)
{
	size_t	 s;

	for (s = 0; s < ts->nslots; s++)
		ts->vms[i].v[m][s] = v;
}

static inline void
params(struct sim_params *p, size_t hosts, unsigned cpus, double mem_gib)
{
	memset(p, 0, sizeof(*p));
	p->hosts = hosts;
	p->host_cpus = cpus;
	p->host_mhz = MHZ;
	p->host_mem = (uint64_t)(mem_gib * GIB);
	p->cluster = "unit";
}

static inline void
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

static inline void
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

#endif
