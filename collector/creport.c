/* SPDX-License-Identifier: ISC */
/*
 * creport: ballast-collectord's rounds and reports: the host's figures
 * and a round of the VMs at each interval, then one HostReport of the
 * VMs sampled (an incoming migration's copy left out) and the host,
 * handed to the publisher; and the warning when the balancer stops
 * acknowledging.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "cd.h"
#include "ctraffic.h"
#include "hostsrc.h"
#include "log.h"
#include "publisher.h"
#include "util.h"
#include "virt.h"
#include "wire.h"

/* An incoming migration's destination copy: not ours to report yet. */
int
cd_incoming(const struct cd *d, const struct virt_vm *vm)
{
	return vm->state == VIR_DOMAIN_PAUSED &&
	    vm->reason == VIR_DOMAIN_PAUSED_MIGRATION &&
	    d->ops->busy(d->act, vm->uuid) == 0;
}

static int
cd_grow(struct cd *d, size_t n)
{
	wire_vm		*v;
	wire_vm		**p;

	if (n <= d->cap)
		return 0;
	if ((v = reallocarray(d->vms, n, sizeof(*v))) == NULL)
		return -1;
	d->vms = v;
	if ((p = reallocarray(d->vmp, n, sizeof(*p))) == NULL)
		return -1;
	d->vmp = p;
	d->cap = n;
	return 0;
}

static void
cd_fill_vm(wire_vm *w, struct virt_vm *vm, int stale, int64_t sample_ms)
{
	int64_t	 off = vm->read_ms != 0 ? vm->read_ms - sample_ms : 0;

	ballast__v1__vm_sample__init(w);
	/* its own read time, for the rates; a stale VM's old one is no use */
	if (off >= -WIRE_MAX_READ_OFFSET_MS && off <= WIRE_MAX_READ_OFFSET_MS)
		w->read_offset_ms = (int32_t)off;
	w->uuid.data = vm->uuid;
	w->uuid.len = 16;
	w->name = vm->name;
	w->state = (Ballast__V1__VmState)vstats_wire_state(vm->state);
	w->vcpus = vm->vcpus;
	w->cpu_time_ns = vm->cpu_time_ns;
	w->vcpu_delay_ns = vm->vcpu_delay_ns;
	w->mem_max_bytes = vm->mem_max;
	w->mem_balloon_bytes = vm->mem_balloon;
	w->mem_rss_bytes = vm->mem_rss;
	w->mem_unused_bytes = vm->mem_unused;
	w->blk_rd_bytes = vm->blk_rd_bytes;
	w->blk_wr_bytes = vm->blk_wr_bytes;
	w->blk_rd_ops = vm->blk_rd_ops;
	w->blk_wr_ops = vm->blk_wr_ops;
	w->net_rx_bytes = vm->net_rx_bytes;
	w->net_tx_bytes = vm->net_tx_bytes;
	w->net_rx_pkts = vm->net_rx_pkts;
	w->net_tx_pkts = vm->net_tx_pkts;
	w->net_rx_drop = vm->net_rx_drop;
	w->net_tx_drop = vm->net_tx_drop;
	w->stale = stale || vm->stale;
}

static void
cd_host(struct cd *d, Ballast__V1__HostCapacity *cap,
    Ballast__V1__HostCounters *cnt)
{
	const struct hostsrc_sample	*h = &d->hsamp;

	cap->cpus = h->cpus;
	cap->cpu_mhz = h->cpu_mhz;
	cap->memory_bytes = h->mem_total;
	cap->nic_bps = h->nic_bps;
	cnt->cpu_busy_ns = h->busy_ns;
	cnt->cpu_idle_ns = h->idle_ns;
	cnt->cpu_steal_ns = h->steal_ns;
	cnt->mem_used_bytes = h->mem_total - h->mem_avail;
	cnt->mem_available_bytes = h->mem_avail;
	cnt->cpu_pressure_us = h->psi_cpu_us;
	cnt->mem_pressure_us = h->psi_mem_us;
	cnt->io_pressure_us = h->psi_io_us;
}

/* A balancer that acknowledges nothing is unreachable or not there. */
static void
cd_watch_acks(struct cd *d, int64_t now)
{
	const struct pub_stats	*st = pub_stats(d->pub);

	if (st->acked != d->acked || st->pending == 0 || d->ack_ms == 0) {
		if (st->acked != d->acked)
			log_release(&d->ack_cpl, "the balancer acknowledges "
			    "reports again");
		d->acked = st->acked;
		d->ack_ms = now;
	} else if (now - d->ack_ms > CD_NOACK_MS)
		log_complain(&d->ack_cpl, CD_COMPLAIN_MS, "no acknowledgement "
		    "from the balancer at %s for %lld s, %zu reports kept (is "
		    "ballast-balancerd running and listening there? check "
		    "balancer or --balancer, and the firewall)", d->c.balancer,
		    (long long)((now - d->ack_ms) / 1000), st->pending);
}

/* Sends the report of the pending round; fresh 0: the round was late. */
void
cd_report(struct cd *d, int fresh, int64_t now)
{
	wire_report			 r = BALLAST__V1__HOST_REPORT__INIT;
	Ballast__V1__HostCapacity	 cap = BALLAST__V1__HOST_CAPACITY__INIT;
	Ballast__V1__HostCounters	 cnt = BALLAST__V1__HOST_COUNTERS__INIT;
	size_t				 i, n = 0;

	if (!d->hs_ok)
		return;		/* no host figures: nothing valid to send */
	if (cd_grow(d, d->snap.n) < 0)
		fatalx("out of memory");
	for (i = 0; i < d->snap.n && n < WIRE_MAX_VMS; i++) {
		if (cd_incoming(d, &d->snap.vms[i]))
			continue;
		cd_fill_vm(&d->vms[n], &d->snap.vms[i], !fresh, d->pend_real);
		ctraffic_addrs(d->traffic, &d->vms[n]);
		d->vmp[n] = &d->vms[n];
		n++;
	}
	cd_host(d, &cap, &cnt);
	r.cluster = d->c.cluster;
	r.sample_time_ms = (uint64_t)d->pend_real;
	r.interval_ms = d->c.interval_ms;
	r.capacity = &cap;
	r.counters = &cnt;
	r.n_vms = n;
	r.vms = d->vmp;
	r.traffic = ctraffic_window(d->traffic, util_now_real_ms());
	if (pub_send_report(d->pub, &r, now) < 0)
		log_complain(&d->pub_cpl, CD_COMPLAIN_MS, "cannot keep a report "
		    "(out of memory)");
	d->reports++;
	cd_watch_acks(d, now);
	if (!fresh)
		d->late_rounds++;
	log_debug("report %llu: %zu VMs%s", (unsigned long long)d->reports, n,
	    fresh ? "" : " (round late: last values, stale)");
}

/* At an interval: the host's figures now, and a round of the VMs. */
void
cd_start_round(struct cd *d, int64_t now)
{
	int	 rc;

	if ((rc = hostsrc_read(d->hs, &d->hsamp)) < 0)
		log_complain(&d->host_cpl, CD_COMPLAIN_MS, "cannot read the "
		    "host's counters: %s", strerror(-rc));
	else if (!d->hs_ok || d->host_cpl.active)
		log_release(&d->host_cpl, "host counters readable again");
	d->hs_ok |= rc == 0;
	d->pending = 1;
	d->pend_t0 = now;
	d->pend_real = util_now_real_ms();
	d->pend_until = now + d->round_ms + 500;
	virt_request(d->virt);
}
