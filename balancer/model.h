/* SPDX-License-Identifier: ISC */
/*
 * model: the balancer's live picture of the cluster.
 *
 * Ingest writes it (model_apply_report, model_tick); everything else
 * reads it through the const accessors below and never keeps a pointer
 * across a call that writes.  Hosts and VMs are keyed by UUID, so a VM's
 * identity and history survive its migration.  Rates come from counter
 * deltas (rate.h): a VM whose counters restarted, or that appeared on
 * another host, keeps its previous rates for that interval.
 *
 * A host with no report for `stale_intervals` of its own interval is
 * stale: its last figures are kept and shown, it is never treated as
 * empty, and later rooms must never choose it as a target.
 */
#ifndef BALLAST_MODEL_H
#define BALLAST_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "rate.h"
#include "wire.h"

struct model_limits {
	unsigned	 stale_intervals;	/* default 3 */
	unsigned	 forget_vm_s;		/* drop a VM no host reported for this long */
	size_t		 max_hosts;		/* bound on hosts, default 10000 */
	size_t		 max_vms;		/* bound on VMs, default 1000000 */
};

/* Cumulative counters of one VM as last reported. */
struct model_vm_counters {
	uint64_t	 cpu_time_ns, vcpu_delay_ns;
	uint64_t	 blk_rd_bytes, blk_wr_bytes, blk_rd_ops, blk_wr_ops;
	uint64_t	 net_rx_bytes, net_tx_bytes, net_rx_pkts, net_tx_pkts;
	uint64_t	 net_rx_drop, net_tx_drop;
};

/* Rates over the last interval (per second unless named otherwise). */
struct model_vm_rates {
	double		 cpu_util;	/* CPU time / wall time / vCPUs, 0..1 */
	double		 cpu_mhz;	/* CPU time rate x host MHz per CPU */
	double		 vcpu_delay;	/* delay time / wall time / vCPUs */
	double		 blk_rd_bps, blk_wr_bps, blk_rd_iops, blk_wr_iops;
	double		 net_rx_bps, net_tx_bps, net_rx_pps, net_tx_pps;
	double		 net_drops_ps;
};

/*
 * A VM's CPU peak fades by half every this many seconds, so that it
 * tells what the VM ran at over the last hours (the planner's
 * `risk peak-weight`); bench/quality fades it the same way.
 */
#define MODEL_PEAK_HALF_LIFE_S	21600

struct model_host;

#define MODEL_ADDR_LEN	46	/* an IPv6 address as text, and its NUL */

struct model_vm {
	uint8_t			 uuid[16];
	char			 name[WIRE_MAX_VM_NAME + 1];
	struct model_host	*host;		/* NULL: no host reports it now */
	struct model_host	*prev_host;	/* the host before host became NULL */
	int			 state;		/* Ballast__V1__VmState */
	uint32_t		 vcpus;
	uint64_t		 mem_max, mem_balloon, mem_rss, mem_unused;
	uint64_t		 dirty_bps;	/* 0 when not estimated */
	int			 has_dirty;
	int			 stale;		/* its collector could not read it in
						   time: figures are the last good ones */
	struct model_vm_counters c;	/* last counters */
	uint64_t		 c_time_ms;	/* when they were read */
	uint64_t		 c_report_ms;	/* the sample time of their report */
	int			 has_rates;
	struct model_vm_rates	 r;
	struct rate_window	 cpu_win;	/* cpu_util per report */
	float			 cpu_peak;	/* cpu_util's peak, halving every
						   MODEL_PEAK_HALF_LIFE_S */
	uint64_t		 resets;	/* counter restarts seen */
	uint64_t		 moves;		/* times seen on a new host */
	int64_t			 moved_ms;	/* monotonic time of the last, or 0 */
	struct model_host	*from_host;	/* the host before the last move */
	int64_t			 seen_ms;	/* monotonic, last report naming it */
	size_t			 idx;		/* in the model's dense array */
	size_t			 host_idx;	/* in host->vms */
	uint64_t		 gen;		/* last report that named it */
};

struct model_host {
	uint8_t			 uuid[16];
	char			 name[WIRE_MAX_HOST_NAME + 1];
	char			 cluster[WIRE_MAX_CLUSTER + 1];
	uint32_t		 cpus, cpu_mhz;
	uint64_t		 mem_bytes, nic_bps;
	uint64_t		 seq;
	uint64_t		 sample_time_ms;
	uint32_t		 interval_ms;
	int64_t			 last_ms;	/* monotonic receive time */
	int			 stale;
	/* host counters and what they give */
	uint64_t		 busy_ns, idle_ns, steal_ns;
	int			 has_rates;
	double			 cpu_util;	/* busy / (busy + idle), 0..1 */
	double			 cpu_steal;	/* steal / (busy + idle) */
	uint64_t		 mem_used, mem_avail;
	double			 mem_util;	/* used / capacity */
	double			 vm_cpu_mhz;	/* sum of its VMs' cpu_mhz */
	struct rate_window	 cpu_win, mem_win;
	struct model_vm		**vms;		/* in the order of the last report */
	struct model_vm		**vms_next;	/* spare array, same capacity */
	size_t			 nvms, vms_cap;
	uint64_t		 reports;
	/* where its reports come from (model_set_host_addr), "" unknown */
	char			 addr[MODEL_ADDR_LEN];
	uint8_t			 addr4[4];	/* addr as IPv4 ... */
	int			 has_addr4;	/* ... when it is one */
};

struct model_stats {
	uint64_t	 vm_resets;	/* counter restarts */
	uint64_t	 vm_moves;	/* VMs that appeared on another host */
	uint64_t	 vms_forgotten;
	uint64_t	 hosts_refused;	/* over max_hosts */
	uint64_t	 vms_refused;	/* over max_vms */
	uint64_t	 name_conflicts; /* a second host uuid with a known name */
	uint64_t	 stale_transitions;
	uint64_t	 clock_back;	/* reports older than the host's last:
					   its VMs' rates restart from them */
};

struct model;

/* Returns NULL when out of memory.  NULL limits: the defaults. */
struct model	*model_new(const struct model_limits *);
void		 model_free(struct model *);

/*
 * Applies one report that wire_decode() accepted, received at
 * monotonic time now_ms.  The report must be newer than the host's
 * previous one (ingest orders and deduplicates).  Returns 0, -ENOSPC
 * when a bound refuses a new host (the report is dropped) or -EEXIST
 * when another host UUID already uses this name; VMs over max_vms are
 * counted and skipped.
 */
int		 model_apply_report(struct model *, const wire_report *,
		    int64_t now_ms);

/*
 * Records the address a host's reports come from (the peer address of
 * its collector's connection: IPv4 or IPv6 text; longer text is cut).
 * Returns 0, or -ENOENT when no host has that UUID (nothing changes).
 */
int		 model_set_host_addr(struct model *, const uint8_t uuid[16],
		    const char *addr);

/* Marks stale hosts and forgets long-unreported VMs. */
void		 model_tick(struct model *, int64_t now_ms);

/* Read-only accessors.  Hosts are kept sorted by name. */
size_t			 model_host_count(const struct model *);
size_t			 model_stale_count(const struct model *);
const struct model_host	*model_host_at(const struct model *, size_t i);
const struct model_host	*model_host_by_name(const struct model *, const char *);
const struct model_host	*model_host_by_uuid(const struct model *,
			    const uint8_t uuid[16]);
size_t			 model_vm_count(const struct model *);
const struct model_vm	*model_vm_at(const struct model *, size_t i);
const struct model_vm	*model_vm_by_uuid(const struct model *,
			    const uint8_t uuid[16]);
const struct model_stats *model_stats(const struct model *);

#endif
