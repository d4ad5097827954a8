/* SPDX-License-Identifier: ISC */
/*
 * testreport: builds HostReports for the exporter tests and applies
 * them to a model (include after cmocka.h).  Host `id` has UUID
 * 10<id>..01, VM `id` has UUID 20<id>..02.
 */
#ifndef BALLAST_TESTREPORT_H
#define BALLAST_TESTREPORT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "wire.h"

#define TREP_MAXV	16
#define TREP_MHZ	2000

struct trep {
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
	wire_vm				 vm[TREP_MAXV];
	wire_vm				*vmp[TREP_MAXV];
	uint8_t				 vu[TREP_MAXV][16];
	char				 vname[TREP_MAXV][WIRE_MAX_VM_NAME + 1];
	uint8_t				 hu[16];
	char				 hname[64];
};

static inline void
trep_vm_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x20;
	u[1] = (uint8_t)(id >> 8);
	u[2] = (uint8_t)id;
	u[15] = 0x02;
}

/* Host `id` named `name` at t_ms: 8 CPUs of TREP_MHZ, 64 GiB. */
static inline void
trep_host(struct trep *h, int id, const char *name, uint64_t seq,
    uint64_t t_ms, uint64_t busy_ns, uint64_t idle_ns)
{
	memset(h, 0, sizeof(*h));
	ballast__v1__host_report__init(&h->r);
	ballast__v1__host_capacity__init(&h->cap);
	ballast__v1__host_counters__init(&h->ctr);
	h->hu[0] = 0x10;
	h->hu[1] = (uint8_t)id;
	h->hu[15] = 0x01;
	snprintf(h->hname, sizeof(h->hname), "%s", name);
	h->r.host_uuid.data = h->hu;
	h->r.host_uuid.len = 16;
	h->r.host_name = h->hname;
	h->r.cluster = (char *)(uintptr_t)"test";
	h->r.seq = seq;
	h->r.incarnation = 1;
	h->r.sample_time_ms = t_ms;
	h->r.interval_ms = 1000;
	h->cap.cpus = 8;
	h->cap.cpu_mhz = TREP_MHZ;
	h->cap.memory_bytes = 64ULL << 30;
	h->cap.nic_bps = 10000000000ULL;
	h->r.capacity = &h->cap;
	h->ctr.cpu_busy_ns = busy_ns;
	h->ctr.cpu_idle_ns = idle_ns;
	h->ctr.mem_used_bytes = 3ULL << 30;
	h->ctr.mem_available_bytes = 61ULL << 30;
	h->r.counters = &h->ctr;
	h->r.vms = h->vmp;
}

/* Adds VM `id` named `name`, 2 vCPUs, 1 GiB resident; set the rest. */
static inline wire_vm *
trep_vm(struct trep *h, int id, const char *name)
{
	wire_vm	*v;
	size_t	 i = h->r.n_vms;

	assert_true(i < TREP_MAXV);
	v = &h->vm[i];
	ballast__v1__vm_sample__init(v);
	trep_vm_uuid(id, h->vu[i]);
	snprintf(h->vname[i], sizeof(h->vname[i]), "%s", name);
	v->uuid.data = h->vu[i];
	v->uuid.len = 16;
	v->name = h->vname[i];
	v->state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
	v->vcpus = 2;
	v->mem_max_bytes = 4ULL << 30;
	v->mem_rss_bytes = 1ULL << 30;
	h->vmp[i] = v;
	h->r.n_vms = i + 1;
	return v;
}

/* Checks the report as wire_decode() would, then applies it. */
static inline void
trep_apply(struct model *m, struct trep *h, int64_t now_ms)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;
	char		 err[256];

	e.version = WIRE_VERSION;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &h->r;
	if (wire_validate(&e, NULL, err, sizeof(err)) != 0)
		fail_msg("test report is invalid: %s", err);
	assert_int_equal(model_apply_report(m, &h->r, now_ms), 0);
}

#endif
