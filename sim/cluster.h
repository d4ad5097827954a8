/* SPDX-License-Identifier: ISC */
/*
 * cluster: the simulated hypervisors behind ballast-sim.
 *
 * Replays a trace set (trace.h) onto H identical hosts: each step turns
 * the VMs' demand into cumulative counters (CPU time, vCPU delay when a
 * host is over-committed, block and network bytes) exactly as a libvirt
 * collector would read them, and runs live migrations with the pre-copy
 * model (precopy.h, which the planner uses to predict):
 *
 * A migrated VM reports from its destination afterwards, with counters
 * starting again from zero (a new QEMU process), as on real hosts.
 * No sockets and no clock here: sim_main.c drives it.
 */
#ifndef BALLAST_CLUSTER_H
#define BALLAST_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "wire.h"

/*
 * Initial placement: VM i on host i mod H; first fit by memory; or a
 * placement file's text: one "VM-NAME HOST-NAME" pair a line, '#' starts
 * a comment, VMs it does not name go round-robin.
 */
enum sim_placement { SIM_PLACE_ROUND_ROBIN = 0, SIM_PLACE_FIRST_FIT,
	SIM_PLACE_FILE };

struct sim_params {
	size_t		 hosts;
	unsigned	 host_cpus;		/* default 32 */
	unsigned	 host_mhz;		/* per CPU, default 2600 */
	uint64_t	 host_mem;		/* bytes, default 256 GiB */
	uint64_t	 nic_bps;		/* bits/s, default 10 Gbit/s */
	uint64_t	 bandwidth;		/* migration bytes/s, default 1 GiB/s */
	unsigned	 max_downtime_ms;	/* default 300 */
	enum sim_placement placement;
	const char	*placement_text;	/* SIM_PLACE_FILE: its contents */
	const char	*placement_name;	/* its name, for messages */
	const char	*cluster;		/* default "sim" */
	unsigned	 fail_pct;		/* migrations that fail, 0..100 */
	uint64_t	 fail_seed;		/* which ones: a splitmix64 seed */
};

struct sim_counters {
	double		 cpu_ns, delay_ns;
	double		 rd_bytes, wr_bytes, rd_ops, wr_ops;
	double		 rx_bytes, tx_bytes, rx_pkts, tx_pkts;
};

struct sim_migration {
	uint64_t	 cmd_id;
	size_t		 dst;
	double		 total_s;	/* predicted duration */
	double		 downtime_s;
	double		 elapsed_s;
	uint64_t	 bytes;		/* to copy in all */
	double		 deadline_s;	/* 0: none; relative to start */
	int		 inject_fail;	/* fails at its end (fail_pct) */
};

struct sim_vm {
	uint8_t		 uuid[16];
	const struct trace_vm *tv;
	size_t		 trace_idx;
	size_t		 host;
	struct sim_counters c;
	double		 mem_bytes;	/* RSS now */
	double		 dirty_bps;
	struct sim_migration *mig;	/* NULL unless migrating */
	/* its interface: MAC 52:54:00:xx:xx:xx and IPv4 10.x.x.x from its
	   index, reported in VmSample.addrs */
	uint8_t		 mac[6], ip[4];
	ProtobufCBinaryData addrs[2];
};

struct sim_host {
	char		 name[16];
	uint8_t		 uuid[16];
	double		 busy_ns, idle_ns;
	uint64_t	 mem_used;
	size_t		 nvms;		/* VMs placed here now */
};

/* The outcome of a step or a command, for the caller to report. */
struct sim_event {
	uint64_t	 cmd_id;
	int		 state;		/* Ballast__V1__CommandState */
	unsigned	 permille;
	uint64_t	 bytes_left;
	uint64_t	 elapsed_ms;
	size_t		 host;		/* the source host: it reports */
	char		 error[160];
};

struct sim_cluster {
	struct sim_params	 p;
	const struct trace_set	*ts;
	struct sim_host		*hosts;
	struct sim_vm		*vms;
	size_t			 nvms;
	int64_t			 t_ms;		/* simulated time */
	int64_t			 t0_ms;		/* start of the trace */
	uint64_t		 migrations_done, migrations_failed;
	uint64_t		 migrations_injected;	/* failed by fail_pct */
	uint64_t		 rng;		/* fail_pct's stream */
};

/*
 * Places the trace's VMs on p->hosts hosts named hv01, hv02, ...
 * Returns 0, or -EINVAL with a reason in err (no hosts, a VM larger
 * than a host under first-fit, a placement file line naming an unknown
 * VM or host, as "file:line: ...") or -ENOMEM.  The trace set must outlive
 * the cluster.
 */
int	sim_cluster_init(struct sim_cluster *, const struct trace_set *,
	    const struct sim_params *, char *err, size_t errlen);
void	sim_cluster_free(struct sim_cluster *);

/*
 * Advances simulated time by dt_ms: integrates counters slot by slot
 * and moves migrations on.  Finished or failed migrations and progress
 * are written to ev (at most nev); returns how many were written.
 */
size_t	sim_cluster_step(struct sim_cluster *, int64_t dt_ms,
	    struct sim_event *ev, size_t nev);

/*
 * Fills r with host h's report of the current time (not its sequence
 * number and identity: the publisher does that).  vms/vmp are caller
 * storage of at least nvms entries; dirty likewise.  Returns r->n_vms.
 */
size_t	sim_cluster_report(const struct sim_cluster *, size_t h,
	    wire_report *r, Ballast__V1__HostCapacity *cap,
	    Ballast__V1__HostCounters *cnt, wire_vm *vms, wire_vm **vmp,
	    Ballast__V1__DirtyRate *dirty);

/*
 * Starts a migration ordered on host `src`.  A repeated command id is
 * the caller's to catch.  With p.fail_pct, that share of the accepted
 * migrations (drawn from p.fail_seed) runs its course and then FAILS,
 * the VM staying on the source.  Returns 0 with ev set to ACCEPTED, or -EINVAL
 * with ev set to REFUSED and the reason (VM not on this host, already
 * migrating, unknown destination, destination is the source, not
 * enough memory on the destination).
 */
int	sim_cluster_migrate(struct sim_cluster *, size_t src,
	    const Ballast__V1__Command *, struct sim_event *ev);

/* Cancels command id's migration; 0, or -ENOENT. */
int	sim_cluster_cancel(struct sim_cluster *, uint64_t id,
	    struct sim_event *ev);

/* Index of the host named name, or -1. */
long	sim_cluster_host(const struct sim_cluster *, const char *name);

/* Index of the VM named name, or -1. */
long	sim_cluster_vm(const struct sim_cluster *, const char *name);

#endif
