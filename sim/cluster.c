/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "precopy.h"
#include "util.h"

#define GIB		(1024.0 * 1024.0 * 1024.0)
#define OPS_BYTES	16384.0		/* assumed bytes per block op */
#define PKT_BYTES	900.0		/* assumed bytes per packet */
#define NOCONV_FAIL_S	60.0		/* a migration that cannot converge */

static void
sim_defaults(struct sim_params *p)
{
	if (p->host_cpus == 0)
		p->host_cpus = 32;
	if (p->host_mhz == 0)
		p->host_mhz = 2600;
	if (p->host_mem == 0)
		p->host_mem = 256ULL << 30;
	if (p->nic_bps == 0)
		p->nic_bps = 10000000000ULL;
	if (p->bandwidth == 0)
		p->bandwidth = 1ULL << 30;
	if (p->max_downtime_ms == 0)
		p->max_downtime_ms = 300;
	if (p->cluster == NULL)
		p->cluster = "sim";
}

static double
sim_vm_mem(const struct sim_cluster *c, const struct sim_vm *vm, int64_t slot)
{
	return trace_value(c->ts, vm->trace_idx, TRACE_MEM_KB, slot) * 1024.0;
}

/* The trace slot in effect at simulated time t (the trace loops). */
static int64_t
sim_slot(const struct sim_cluster *c, int64_t t_ms)
{
	int64_t	 s = t_ms / 1000 / c->ts->slot_s - c->ts->slot0;
	int64_t	 n = (int64_t)c->ts->nslots;

	s %= n;
	if (s < 0)
		s += n;
	return c->ts->slot0 + s;
}

long
sim_cluster_vm(const struct sim_cluster *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nvms; i++)
		if (strcmp(c->vms[i].tv->name, name) == 0)
			return (long)i;
	return -1;
}

/* Applies a placement file's lines; returns 0 or -EINVAL with err set. */
static int
sim_place_file(struct sim_cluster *c, char *err, size_t errlen)
{
	const char	*p = c->p.placement_text, *eol;
	char		 line[256], vm[128], host[64], extra[2];
	long		 v, h;
	int		 lineno = 0, n;

	while (p != NULL && *p != '\0') {
		eol = strchr(p, '\n');
		n = (int)(eol ? eol - p : (long)strlen(p));
		lineno++;
		snprintf(line, sizeof(line), "%.*s", n, p);
		p = eol ? eol + 1 : NULL;
		if (strchr(line, '#') != NULL)
			*strchr(line, '#') = '\0';
		n = sscanf(line, "%127s %63s %1s", vm, host, extra);
		if (n <= 0)
			continue;
		if (n != 2) {
			snprintf(err, errlen, "%s:%d: want \"VM-NAME HOST-NAME\"",
			    c->p.placement_name, lineno);
			return -EINVAL;
		}
		if ((v = sim_cluster_vm(c, vm)) < 0 ||
		    (h = sim_cluster_host(c, host)) < 0) {
			snprintf(err, errlen, "%s:%d: no %s named \"%s\"",
			    c->p.placement_name, lineno, v < 0 ? "VM" : "host",
			    v < 0 ? vm : host);
			return -EINVAL;
		}
		c->hosts[c->vms[v].host].nvms--;
		c->vms[v].host = (size_t)h;
		c->hosts[h].nvms++;
	}
	return 0;
}

static int
sim_place(struct sim_cluster *c, char *err, size_t errlen)
{
	double	*used;
	size_t	 i, h;

	if ((used = calloc(c->p.hosts, sizeof(*used))) == NULL)
		return -ENOMEM;
	for (i = 0; i < c->nvms; i++) {
		if (c->p.placement != SIM_PLACE_FIRST_FIT)
			h = i % c->p.hosts;
		else {
			for (h = 0; h < c->p.hosts; h++)
				if (used[h] + c->vms[i].mem_bytes <= (double)c->p.host_mem)
					break;
			if (h == c->p.hosts) {
				snprintf(err, errlen, "first-fit: %s does not fit "
				    "on any host", c->vms[i].tv->name);
				free(used);
				return -EINVAL;
			}
		}
		used[h] += c->vms[i].mem_bytes;
		c->vms[i].host = h;
		c->hosts[h].nvms++;
	}
	free(used);
	if (c->p.placement == SIM_PLACE_FILE)
		return sim_place_file(c, err, errlen);
	return 0;
}

/* VM i's MAC and IPv4 address, from its index (up to 2^24 VMs). */
static void
sim_vm_addrs(struct sim_vm *vm, size_t i)
{
	uint32_t	 n = (uint32_t)(i + 1);

	vm->mac[0] = 0x52;
	vm->mac[1] = 0x54;
	vm->mac[2] = 0x00;
	vm->mac[3] = vm->ip[1] = (uint8_t)(n >> 16);
	vm->mac[4] = vm->ip[2] = (uint8_t)(n >> 8);
	vm->mac[5] = vm->ip[3] = (uint8_t)n;
	vm->ip[0] = 10;
	vm->addrs[0] = (ProtobufCBinaryData){ 6, vm->mac };
	vm->addrs[1] = (ProtobufCBinaryData){ 4, vm->ip };
}

int
sim_cluster_init(struct sim_cluster *c, const struct trace_set *ts,
    const struct sim_params *p, char *err, size_t errlen)
{
	size_t	 i;
	int	 rc;

	memset(c, 0, sizeof(*c));
	c->p = *p;
	sim_defaults(&c->p);
	c->ts = ts;
	if (c->p.hosts == 0 || ts->nvms == 0 || ts->nslots == 0) {
		snprintf(err, errlen, "need at least one host, VM and slot");
		return -EINVAL;
	}
	c->hosts = calloc(c->p.hosts, sizeof(*c->hosts));
	c->vms = calloc(ts->nvms, sizeof(*c->vms));
	if (c->hosts == NULL || c->vms == NULL) {
		sim_cluster_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < c->p.hosts; i++) {
		snprintf(c->hosts[i].name, sizeof(c->hosts[i].name),
		    c->p.hosts < 100 ? "hv%02zu" : "hv%03zu", i + 1);
		util_uuid_from_name("ballast-sim-host", c->hosts[i].name,
		    c->hosts[i].uuid);
	}
	c->nvms = ts->nvms;
	c->rng = c->p.fail_seed;
	c->t0_ms = c->t_ms = ts->slot0 * (int64_t)ts->slot_s * 1000;
	for (i = 0; i < c->nvms; i++) {
		c->vms[i].tv = &ts->vms[i];
		c->vms[i].trace_idx = i;
		util_uuid_from_name("ballast-sim-vm", ts->vms[i].name,
		    c->vms[i].uuid);
		c->vms[i].mem_bytes = sim_vm_mem(c, &c->vms[i], ts->slot0);
		sim_vm_addrs(&c->vms[i], i);
	}
	if ((rc = sim_place(c, err, errlen)) < 0) {
		sim_cluster_free(c);
		return rc;
	}
	return 0;
}

void
sim_cluster_free(struct sim_cluster *c)
{
	size_t	 i;

	for (i = 0; c->vms != NULL && i < c->nvms; i++)
		free(c->vms[i].mig);
	free(c->vms);
	free(c->hosts);
	c->vms = NULL;
	c->hosts = NULL;
}

/* Integrates one segment of one slot: demand, contention, counters. */
static void
sim_segment(struct sim_cluster *c, int64_t slot, double seg_s, double *demand)
{
	const struct trace_set	*ts = c->ts;
	double			 cap = (double)c->p.host_cpus * c->p.host_mhz;
	double			 d, f, ns = seg_s * 1e9;
	struct sim_vm		*vm;
	size_t			 i;

	memset(demand, 0, c->p.hosts * sizeof(*demand));
	for (i = 0; i < c->nvms; i++)
		demand[c->vms[i].host] += trace_value(ts, i, TRACE_CPU_MHZ, slot);
	for (i = 0; i < c->nvms; i++) {
		vm = &c->vms[i];
		d = trace_value(ts, i, TRACE_CPU_MHZ, slot);
		f = demand[vm->host] > cap ? cap / demand[vm->host] : 1.0;
		vm->c.cpu_ns += d * f / c->p.host_mhz * ns;
		vm->c.delay_ns += d * (1.0 - f) / c->p.host_mhz * ns;
		vm->c.rd_bytes += trace_value(ts, i, TRACE_DISK_RD_KBS, slot) * 1024 * seg_s;
		vm->c.wr_bytes += trace_value(ts, i, TRACE_DISK_WR_KBS, slot) * 1024 * seg_s;
		vm->c.rx_bytes += trace_value(ts, i, TRACE_NET_RX_KBS, slot) * 1024 * seg_s;
		vm->c.tx_bytes += trace_value(ts, i, TRACE_NET_TX_KBS, slot) * 1024 * seg_s;
		vm->c.rd_ops = vm->c.rd_bytes / OPS_BYTES;
		vm->c.wr_ops = vm->c.wr_bytes / OPS_BYTES;
		vm->c.rx_pkts = vm->c.rx_bytes / PKT_BYTES;
		vm->c.tx_pkts = vm->c.tx_bytes / PKT_BYTES;
		c->hosts[vm->host].busy_ns += d * f / c->p.host_mhz * ns;
		vm->dirty_bps = vm->mem_bytes * 0.05 *
		    (d / ((double)vm->tv->cores * c->p.host_mhz));
	}
	for (i = 0; i < c->p.hosts; i++) {
		d = demand[i] < cap ? demand[i] : cap;
		c->hosts[i].idle_ns += (cap - d) / c->p.host_mhz * ns;
	}
}

static void
sim_event_set(struct sim_event *ev, const struct sim_vm *vm, int state,
    const char *error)
{
	const struct sim_migration *m = vm->mig;
	double	 frac = m->total_s > 0 ? m->elapsed_s / m->total_s : 1.0;

	memset(ev, 0, sizeof(*ev));
	ev->cmd_id = m->cmd_id;
	ev->state = state;
	if (frac > 1.0)
		frac = 1.0;
	ev->permille = state == BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE ?
	    1000 : (unsigned)(frac * 1000);
	ev->bytes_left = (uint64_t)((double)m->bytes * (1.0 - frac));
	ev->elapsed_ms = (uint64_t)(m->elapsed_s * 1000);
	ev->host = vm->host;
	if (error != NULL)
		util_strlcpy(ev->error, error, sizeof(ev->error));
}

/* Moves a migration on by dt seconds; 1 when it ended. */
static int
sim_migration_step(struct sim_cluster *c, struct sim_vm *vm, double dt,
    struct sim_event *ev)
{
	struct sim_migration	*m = vm->mig;
	int			 failed;

	m->elapsed_s += dt;
	if (m->deadline_s > 0 && m->elapsed_s >= m->deadline_s &&
	    m->elapsed_s < m->total_s) {
		sim_event_set(ev, vm, BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED,
		    "deadline reached before the migration finished; "
		    "the VM keeps running on the source");
		c->migrations_failed++;
		return 1;
	}
	if (m->elapsed_s < m->total_s) {
		sim_event_set(ev, vm, BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING,
		    NULL);
		return 0;
	}
	if (m->inject_fail) {
		sim_event_set(ev, vm, BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED,
		    "injected failure (--fail-migrations); the VM keeps "
		    "running on the source");
		c->migrations_failed++;
		c->migrations_injected++;
		return 1;
	}
	failed = m->downtime_s < 0;
	if (failed) {
		sim_event_set(ev, vm, BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED,
		    "did not converge: the VM dirties memory faster than the "
		    "migration bandwidth; it keeps running on the source");
		c->migrations_failed++;
		return 1;
	}
	sim_event_set(ev, vm, BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE, NULL);
	c->hosts[vm->host].nvms--;
	vm->host = m->dst;
	c->hosts[vm->host].nvms++;
	memset(&vm->c, 0, sizeof(vm->c));	/* a new QEMU process */
	c->migrations_done++;
	return 1;
}

size_t
sim_cluster_step(struct sim_cluster *c, int64_t dt_ms, struct sim_event *ev,
    size_t nev)
{
	int64_t		 t = c->t_ms, end = c->t_ms + dt_ms, slot_ms, seg_end;
	double		*demand;
	size_t		 i, n = 0;
	struct sim_event tmp;

	slot_ms = (int64_t)c->ts->slot_s * 1000;
	if ((demand = calloc(c->p.hosts, sizeof(*demand))) == NULL)
		return 0;
	while (t < end) {
		seg_end = (t / slot_ms + 1) * slot_ms;
		if (seg_end > end)
			seg_end = end;
		sim_segment(c, sim_slot(c, t), (double)(seg_end - t) / 1000.0,
		    demand);
		t = seg_end;
	}
	free(demand);
	c->t_ms = end;
	for (i = 0; i < c->nvms; i++) {
		c->vms[i].mem_bytes = sim_vm_mem(c, &c->vms[i], sim_slot(c, end - 1));
		if (c->vms[i].mig == NULL)
			continue;
		if (sim_migration_step(c, &c->vms[i], (double)dt_ms / 1000.0,
		    n < nev ? &ev[n] : &tmp)) {
			free(c->vms[i].mig);
			c->vms[i].mig = NULL;
		}
		if (n < nev)
			n++;
	}
	return n;
}

static uint64_t
sim_u64(double v)
{
	return v <= 0 ? 0 : (uint64_t)v;
}

static void
sim_fill_vm(const struct sim_cluster *c, const struct sim_vm *vm, wire_vm *s,
    Ballast__V1__DirtyRate *dirty)
{
	double	 cap = vm->tv->mem_cap_kb * 1024.0;

	ballast__v1__vm_sample__init(s);
	ballast__v1__dirty_rate__init(dirty);
	s->uuid.data = (uint8_t *)(uintptr_t)vm->uuid;
	s->uuid.len = 16;
	s->name = (char *)(uintptr_t)vm->tv->name;
	s->state = BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
	s->vcpus = vm->tv->cores;
	s->cpu_time_ns = sim_u64(vm->c.cpu_ns);
	s->vcpu_delay_ns = sim_u64(vm->c.delay_ns);
	s->mem_rss_bytes = sim_u64(vm->mem_bytes);
	s->mem_max_bytes = sim_u64(cap > vm->mem_bytes ? cap : vm->mem_bytes);
	s->mem_balloon_bytes = s->mem_max_bytes;
	s->mem_unused_bytes = s->mem_max_bytes - s->mem_rss_bytes;
	s->blk_rd_bytes = sim_u64(vm->c.rd_bytes);
	s->blk_wr_bytes = sim_u64(vm->c.wr_bytes);
	s->blk_rd_ops = sim_u64(vm->c.rd_ops);
	s->blk_wr_ops = sim_u64(vm->c.wr_ops);
	s->net_rx_bytes = sim_u64(vm->c.rx_bytes);
	s->net_tx_bytes = sim_u64(vm->c.tx_bytes);
	s->net_rx_pkts = sim_u64(vm->c.rx_pkts);
	s->net_tx_pkts = sim_u64(vm->c.tx_pkts);
	dirty->bytes_per_s = sim_u64(vm->dirty_bps);
	s->dirty = dirty;
	s->addrs = (ProtobufCBinaryData *)(uintptr_t)vm->addrs;
	s->n_addrs = 2;
	(void)c;
}

size_t
sim_cluster_report(const struct sim_cluster *c, size_t h, wire_report *r,
    Ballast__V1__HostCapacity *cap, Ballast__V1__HostCounters *cnt,
    wire_vm *vms, wire_vm **vmp, Ballast__V1__DirtyRate *dirty)
{
	const struct sim_host	*host = &c->hosts[h];
	uint64_t		 used = 0;
	size_t			 i, n = 0;

	ballast__v1__host_report__init(r);
	ballast__v1__host_capacity__init(cap);
	ballast__v1__host_counters__init(cnt);
	for (i = 0; i < c->nvms; i++) {
		if (c->vms[i].host != h)
			continue;
		sim_fill_vm(c, &c->vms[i], &vms[n], &dirty[n]);
		used += vms[n].mem_rss_bytes;
		vmp[n] = &vms[n];
		n++;
	}
	cap->cpus = c->p.host_cpus;
	cap->cpu_mhz = c->p.host_mhz;
	cap->memory_bytes = c->p.host_mem;
	cap->nic_bps = c->p.nic_bps;
	cnt->cpu_busy_ns = sim_u64(host->busy_ns);
	cnt->cpu_idle_ns = sim_u64(host->idle_ns);
	cnt->mem_used_bytes = used;
	cnt->mem_available_bytes = used < c->p.host_mem ? c->p.host_mem - used : 0;
	r->cluster = (char *)(uintptr_t)c->p.cluster;
	r->sample_time_ms = (uint64_t)c->t_ms;
	r->capacity = cap;
	r->counters = cnt;
	r->vms = vmp;
	r->n_vms = n;
	return n;
}

static struct sim_vm *
sim_vm_by_uuid(struct sim_cluster *c, const uint8_t *u)
{
	size_t	 i;

	for (i = 0; i < c->nvms; i++)
		if (memcmp(c->vms[i].uuid, u, 16) == 0)
			return &c->vms[i];
	return NULL;
}

static int
sim_refuse(struct sim_event *ev, uint64_t id, size_t src, const char *why)
{
	memset(ev, 0, sizeof(*ev));
	ev->cmd_id = id;
	ev->host = src;
	ev->state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
	util_strlcpy(ev->error, why, sizeof(ev->error));
	return -EINVAL;
}

static uint64_t
sim_host_mem(const struct sim_cluster *c, size_t h)
{
	double	 m = 0;
	size_t	 i;

	for (i = 0; i < c->nvms; i++)
		if (c->vms[i].host == h || (c->vms[i].mig && c->vms[i].mig->dst == h))
			m += c->vms[i].mem_bytes;
	return sim_u64(m);
}

int
sim_cluster_migrate(struct sim_cluster *c, size_t src,
    const Ballast__V1__Command *cmd, struct sim_event *ev)
{
	const Ballast__V1__Migrate	*m = cmd->migrate;
	struct sim_migration		*mig;
	struct sim_vm			*vm;
	long				 dst;
	double				 bw, down;

	vm = sim_vm_by_uuid(c, m->vm_uuid.data);
	if (vm == NULL || vm->host != src)
		return sim_refuse(ev, cmd->id, src, "the VM is not on this host");
	if (vm->mig != NULL)
		return sim_refuse(ev, cmd->id, src, "the VM is already migrating");
	dst = sim_cluster_host(c, m->dest_host_name);
	if (dst < 0 || memcmp(c->hosts[dst].uuid, m->dest_host_uuid.data, 16) != 0)
		return sim_refuse(ev, cmd->id, src, "unknown destination host");
	if ((size_t)dst == src)
		return sim_refuse(ev, cmd->id, src,
		    "the destination is the source");
	if (sim_host_mem(c, (size_t)dst) + sim_u64(vm->mem_bytes) > c->p.host_mem)
		return sim_refuse(ev, cmd->id, src,
		    "not enough free memory on the destination");
	if ((mig = calloc(1, sizeof(*mig))) == NULL)
		return sim_refuse(ev, cmd->id, src, "out of memory");
	bw = m->bandwidth_bps ? (double)m->bandwidth_bps : (double)c->p.bandwidth;
	down = (m->max_downtime_ms ? m->max_downtime_ms : c->p.max_downtime_ms) / 1000.0;
	mig->cmd_id = cmd->id;
	mig->dst = (size_t)dst;
	mig->bytes = sim_u64(vm->mem_bytes);
	if (precopy_predict(vm->mem_bytes, vm->dirty_bps, bw, down, &mig->total_s,
	    &mig->downtime_s) < 0) {
		mig->total_s = NOCONV_FAIL_S;
		mig->downtime_s = -1;
	}
	if (m->deadline_ms != 0 && (int64_t)m->deadline_ms <= c->t_ms) {
		free(mig);
		return sim_refuse(ev, cmd->id, src,
		    "the deadline has already passed");
	}
	mig->inject_fail = c->p.fail_pct > 0 &&
	    util_splitmix64(&c->rng) % 100 < c->p.fail_pct;
	if (m->deadline_ms != 0)
		mig->deadline_s = ((double)m->deadline_ms - (double)c->t_ms) / 1000.0;
	vm->mig = mig;
	memset(ev, 0, sizeof(*ev));
	ev->cmd_id = cmd->id;
	ev->host = src;
	ev->state = BALLAST__V1__COMMAND_STATE__CMD_STATE_ACCEPTED;
	ev->bytes_left = mig->bytes;
	return 0;
}

int
sim_cluster_cancel(struct sim_cluster *c, uint64_t id, struct sim_event *ev)
{
	size_t	 i;

	for (i = 0; i < c->nvms; i++) {
		if (c->vms[i].mig == NULL || c->vms[i].mig->cmd_id != id)
			continue;
		sim_event_set(ev, &c->vms[i],
		    BALLAST__V1__COMMAND_STATE__CMD_STATE_CANCELLED,
		    "cancelled; the VM keeps running on the source");
		free(c->vms[i].mig);
		c->vms[i].mig = NULL;
		return 0;
	}
	return -ENOENT;
}

long
sim_cluster_host(const struct sim_cluster *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->p.hosts; i++)
		if (strcmp(c->hosts[i].name, name) == 0)
			return (long)i;
	return -1;
}
