/* SPDX-License-Identifier: ISC */
/*
 * capacity: the capacity-planning report of a cluster, computed from its
 * history (caphist.h) -- the one implementation behind
 * `ballastctl report capacity` and GET /api/v1/report/capacity.
 *
 * For the cluster and for each current host, per resource (CPU MHz,
 * memory bytes, disk bytes/s, network bytes/s):
 *
 *   demand     mean, 95th percentile and peak over the range; "now", the
 *              95th percentile of the last 7 days; its forecast (capfc.h)
 *   usable     cluster: (total - reserve) x (1 - buffer), the reserve
 *              being the capacity of the `reserve_hosts` largest hosts
 *              (N+1); a host: its capacity x (1 - buffer)
 *   remaining  usable - demand, now and at the horizon (expected and
 *              conservative), in units, in percent of usable, and in VM
 *              slots: whole VMs of the slot size that fit in it
 *   time left  whole days until the forecast (expected, and the upper
 *              band for the conservative figure) first passes usable:
 *              0 when the next day already does, -1 when no day of the
 *              horizon does, -2 when there is no forecast
 *
 * and for the cluster: the N+1 check (do the other hosts' usable
 * capacity hold the demand once the host whose loss hurts most is gone,
 * now and at the horizon) and consolidation (how many hosts the current
 * VMs need, packed first-fit decreasing by their 95th percentiles within
 * the policy's per-host limits; how many could be freed beyond the
 * reserve).
 *
 * A what-if (struct cap_whatif) is a second scenario: hosts removed and
 * added, VMs added.  Each added VM is placed, largest first, on the host
 * with the most usable room left now, and adds its size to that host and
 * to the cluster at every future day; a removed host's demand goes to
 * the others in proportion to the room each has left now.  It fits when
 * every added VM finds a host and the hosts' usable capacity holds the
 * demand now.
 *
 * Disk and network capacity are not in the history: they are counted
 * only when the options give a per-host capacity (host_cap).
 */
#ifndef BALLAST_CAPACITY_H
#define BALLAST_CAPACITY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "caphist.h"
#include "capfc.h"

#define CAP_MAX_WHATIF	16
#define CAP_LABEL_LEN	96

/* Per VM: MHz, bytes, bytes/s, bytes/s; 0 is not counted. */
struct cap_size {
	double		 v[CAPH_NRES];
};

/* --add COUNTxSIZE or --add-like VMNAME:COUNT */
struct cap_add {
	unsigned	 count;
	struct cap_size	 size;		/* --add-like: set by cap_compute */
	char		 like[CAPH_NAME_LEN];	/* "": --add */
	char		 label[CAP_LABEL_LEN];	/* as given */
};

/* --add-host [COUNTx]SIZE */
struct cap_newhost {
	unsigned	 count;
	double		 cap[CAPH_NRES];
	char		 label[CAP_LABEL_LEN];
};

struct cap_whatif {
	struct cap_add	 add[CAP_MAX_WHATIF];
	size_t		 nadd;
	char		 remove[CAP_MAX_WHATIF][CAPH_NAME_LEN];
	size_t		 nremove;
	struct cap_newhost newhost[CAP_MAX_WHATIF];
	size_t		 nnewhost;
};

struct cap_opts {
	int64_t		 range_s;		/* history read (for the record) */
	int64_t		 horizon_s;		/* default 90 days */
	double		 buffer[CAPH_NRES];	/* share of capacity not used */
	double		 limit[CAPH_NRES];	/* policy's per-host limits */
	char		 buffer_from[64];	/* "the policy", "--buffer" */
	unsigned	 reserve_hosts;		/* N+1: 1 */
	int		 keep_n1;		/* the policy reserves N+1 */
	double		 core_mhz;		/* a vCPU or a core */
	int		 core_mhz_assumed;	/* nobody said: a default */
	double		 host_cap[CAPH_NRES];	/* disk, net per host; 0: unknown */
	int		 slot_set;		/* else the median VM */
	struct cap_size	 slot;
	char		 slot_label[CAP_LABEL_LEN];
	struct cap_whatif wi;
};

/* One resource of the cluster or of a host, in one scenario. */
struct cap_res {
	int		 known;		/* a capacity is known */
	double		 total, reserve, usable;
	double		 now, remaining_now, remaining_now_pct;
	double		 at_h, at_h_upper;	/* demand at the horizon */
	double		 remaining_h, remaining_h_pct, remaining_h_upper;
	double		 slots_now, slots_h;	/* NaN: no slot size */
	long		 days_left, days_left_upper;
	double		 extra;		/* what-if demand added now */
};

struct cap_host {
	char		 name[CAPH_NAME_LEN];
	int		 added;		/* by --add-host */
	unsigned	 vms_added;
	struct cap_res	 r[CAPH_NRES];
	const struct cap_fc *fc;	/* its forecasts (CAPH_NRES); NULL: added */
	double		 headroom_pct;	/* smallest remaining_now_pct, CPU/mem */
	long		 days_left;	/* smallest of its resources' */
};

struct cap_scenario {
	struct cap_res	 r[CAPH_NRES];	/* the cluster */
	struct cap_host	*hosts;
	size_t		 nhosts;
	double		 slots_now, slots_h;	/* smallest over resources */
	int		 slot_res_now, slot_res_h;	/* which; -1: none */
	int		 n1_now, n1_h;	/* absorbs the worst host's loss */
	char		 n1_host[CAPH_NAME_LEN];	/* that host */
	int		 n1_res;	/* the resource short, -1: none */
	unsigned	 hosts_needed;	/* consolidation */
	int		 hosts_freed;
	int		 packed_vms;	/* 1: packed VMs; 0: from host totals */
	int		 fits;		/* what-if only */
	unsigned	 unplaced;	/* added VMs with no host */
	size_t		*order;		/* hosts, soonest out of room first */
};

struct cap_report {
	time_t		 start, end;
	unsigned long	 step;
	size_t		 horizon;	/* days */
	struct cap_opts	 opts;
	double		 history_days;
	int		 forecast_ok;	/* the cluster's CPU and memory */
	char		 forecast_why[200];
	struct cap_fc	 fc[CAPH_NRES];	/* the cluster's demand */
	struct cap_fc	*hostfc;	/* nhostfc x CAPH_NRES */
	size_t		 nhostfc;
	char		(*hostname)[CAPH_NAME_LEN];	/* of hostfc */
	size_t		 hosts_current, hosts_gone, vms_current;
	struct cap_size	 slot;
	int		 slot_known;
	char		 slot_label[CAP_LABEL_LEN];
	struct cap_scenario base;
	int		 has_whatif;
	struct cap_scenario wi;
	char		 note[640];	/* e.g. files skipped */
};

typedef void	(*cap_progress)(void *arg, const char *what, size_t done,
		    size_t total);

/*
 * Computes the report.  Returns 0 and a report to free with
 * cap_report_free(), or -ENOENT (no current host), -EINVAL (a what-if
 * names an unknown host or VM, or removes every host) with a sentence
 * in err, or -ENOMEM.  Too little history is not an error: forecast_ok
 * is 0 and forecast_why says how much there is and how much is needed.
 */
int		 cap_compute(const struct caph *, const struct cap_opts *,
		    cap_progress, void *arg, struct cap_report **out,
		    char *err, size_t errlen);
void		 cap_report_free(struct cap_report *);

/* "CPU", "memory", "disk I/O", "network" */
const char	*cap_res_title(int res);

#endif
