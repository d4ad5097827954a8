/* SPDX-License-Identifier: ISC */
/*
 * modelfix: the unit tests' way to build HostReports and apply them to a
 * balancer model (test_model.c, test_model_rates.c; include after
 * cmocka.h).
 */
#ifndef BALLAST_MODELFIX_H
#define BALLAST_MODELFIX_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "wire.h"

#define MAXV		16
#define T0_MS		1700000000000ULL	/* a sample time in 2023 */
#define MHZ		2400
#define SEC		1000000000ULL		/* ns */


/* A HostReport under construction, with room for MAXV VMs. */
struct hrep {
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
	wire_vm				 vm[MAXV];
	wire_vm				*vmp[MAXV];
	uint8_t				 vu[MAXV][16];
	char				 vname[MAXV][32];
	uint8_t				 hu[16];
	char				 hname[64];
};

static inline void
host_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x10;
	u[1] = (uint8_t)id;
	u[15] = 0x01;
}

static inline void
vm_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x20;
	u[1] = (uint8_t)(id >> 8);
	u[2] = (uint8_t)id;
	u[15] = 0x02;
}

/*
 * Starts a report of host `id` named `name`, sample time t_ms, with
 * host CPU counters busy/idle (ns) and no VMs yet.
 */
static inline void
mk_host(struct hrep *h, int id, const char *name, uint64_t seq,
    uint64_t t_ms, uint64_t busy, uint64_t idle)
{
	memset(h, 0, sizeof(*h));
	ballast__v1__host_report__init(&h->r);
	ballast__v1__host_capacity__init(&h->cap);
	ballast__v1__host_counters__init(&h->ctr);
	host_uuid(id, h->hu);
	snprintf(h->hname, sizeof(h->hname), "%s", name);
	h->r.host_uuid.data = h->hu;
	h->r.host_uuid.len = 16;
	h->r.host_name = h->hname;
	h->r.cluster = (char *)(uintptr_t)"test";
	h->r.seq = seq;
	h->r.incarnation = 1;
	h->r.sample_time_ms = t_ms;
	h->r.interval_ms = 1000;
	h->cap.cpus = 16;
	h->cap.cpu_mhz = MHZ;
	h->cap.memory_bytes = 64ULL << 30;
	h->cap.nic_bps = 10000000000ULL;
	h->r.capacity = &h->cap;
	h->ctr.cpu_busy_ns = busy;
	h->ctr.cpu_idle_ns = idle;
	h->ctr.mem_used_bytes = 16ULL << 30;
	h->ctr.mem_available_bytes = 48ULL << 30;
	h->r.counters = &h->ctr;
	h->r.vms = h->vmp;
	h->r.n_vms = 0;
}

/* Adds VM `id` with `vcpus` and cpu_time_ns; returns it for more. */
static inline wire_vm *
add_vm(struct hrep *h, int id, uint32_t vcpus, uint64_t cpu_ns)
{
	wire_vm	*v;
	size_t	 i = h->r.n_vms;

	assert_true(i < MAXV);
	v = &h->vm[i];
	ballast__v1__vm_sample__init(v);
	vm_uuid(id, h->vu[i]);
	snprintf(h->vname[i], sizeof(h->vname[i]), "vm-%d", id);
	v->uuid.data = h->vu[i];
	v->uuid.len = 16;
	v->name = h->vname[i];
	v->state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
	v->vcpus = vcpus;
	v->cpu_time_ns = cpu_ns;
	v->mem_max_bytes = 4ULL << 30;
	v->mem_rss_bytes = 1ULL << 30;
	h->vmp[i] = v;
	h->r.n_vms = i + 1;
	return v;
}

/* Checks the report is one wire_decode() would accept, then applies it. */
static inline int
apply(struct model *m, struct hrep *h, int64_t now_ms)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;
	char		 err[256];

	e.version = WIRE_VERSION;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &h->r;
	if (wire_validate(&e, NULL, err, sizeof(err)) != 0)
		fail_msg("test report is invalid: %s", err);
	return model_apply_report(m, &h->r, now_ms);
}

static inline const struct model_vm *
vm_get(const struct model *m, int id)
{
	uint8_t	 u[16];

	vm_uuid(id, u);
	return model_vm_by_uuid(m, u);
}

static inline const struct model_host *
host_get(const struct model *m, int id)
{
	uint8_t	 u[16];

	host_uuid(id, u);
	return model_host_by_uuid(m, u);
}

/* Is vm in h's list of VMs? */
static inline int
host_has(const struct model_host *h, const struct model_vm *vm)
{
	size_t	 i;

	for (i = 0; i < h->nvms; i++)
		if (h->vms[i] == vm)
			return 1;
	return 0;
}

#endif
