/* SPDX-License-Identifier: ISC */
/*
 * rrd: round-robin history (RRDtool files) of every host, every VM and
 * the cluster, written from the model at the daemon's tick.
 *
 * Files, under `dir` (the daemon uses STATE/rrd):
 *
 *   hosts/NAME.rrd    one per host name
 *   vms/UUID.rrd      one per VM, keyed by UUID so that its history
 *                     survives migrations and renames
 *   vms/names.tsv     the VM name map: "UUID<TAB>NAME" lines, the last
 *                     name each UUID was reported with (rewritten through
 *                     names.tsv.tmp at most every 10 s and at the end)
 *   cluster.rrd       the cluster as a whole
 *
 * Layout (rrdcreate(1)), the same for every file: step 10 s, heartbeat
 * 600 s, and nine archives in the spirit of collectd and Cacti:
 *
 *   10 s x 1 day      AVERAGE          (8640 rows; MAX would be equal)
 *   1 min x 7 days    AVERAGE and MAX  (10080 rows)
 *   5 min x 31 days   AVERAGE and MAX  (8928 rows)
 *   1 h x 366 days    AVERAGE and MAX  (8784 rows)
 *   1 day x 5 years   AVERAGE and MAX  (1827 rows)
 *
 * about 3.8 MB for a VM file, 4.9 MB for a host, 3.3 MB for the cluster.
 * Data sources, all GAUGE (per second where a rate) unless named:
 *
 *   VM and host  cpu (MHz used), vcpu_delay (vCPUs waiting: delay
 *                seconds per second), mem (bytes used: a VM's RSS, a
 *                host's used memory), disk_rd, disk_wr (bytes/s),
 *                net_rx, net_tx (bytes/s)
 *   host only    cpu_cap (MHz: CPUs x MHz), mem_cap (bytes)
 *   cluster      imbalance (coefficient of variation of host cpu_util),
 *                hosts, hot_hosts, stale_hosts, vms, and migrations
 *                (DERIVE of the planner's running count: per second)
 *
 * A host's cpu is its own busy time; its vcpu_delay, disk and network
 * are the sums over the VMs it reported with known rates.  The
 * heartbeat is long because every rate is an average over the interval
 * since the previous report (from cumulative counters): a gap of up to
 * 10 minutes is filled with its true average, a longer one is unknown.
 *
 * When written: a host and its VMs when the host's sample_time_ms has
 * advanced to a new second since the last write, at that sample time
 * (the reports' clock, which may be in the past for a replayed trace).
 * A file is created on first sight with its start one step before the
 * first sample.  The first sample of a VM after a start, a counter
 * restart or a migration gives its memory and U (unknown) for its
 * rates, so an interval is never credited with another's rates.
 *
 * Writes go through rrdcached (rrdbatch.h) when an address is given,
 * else directly with rrd_update_r().  Files are created here, with
 * rrd_create_r2(): rrdcached must see the same directory (with -B, its
 * -b must be `dir` or a parent).  Updates rrdcached already holds (an
 * older or equal time) are counted as duplicates, not errors.
 *
 * The module reads the model through model.h's const accessors only and
 * never prints: failures are returned as -errno with a sentence in the
 * caller's buffer, and counted in rrdx_stats().
 */
#ifndef BALLAST_RRD_H
#define BALLAST_RRD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

#define RRDX_STEP_S		10
#define RRDX_HEARTBEAT_S	600

enum rrdx_kind { RRDX_HOST = 0, RRDX_VM, RRDX_CLUSTER };

struct rrdx_config {
	const char	*dir;		/* created if missing, with hosts/ and vms/ */
	const char	*daemon;	/* rrdcached address; NULL or "": direct */
	size_t		 max_queue;	/* bytes kept while rrdcached is away; 0: 64 MiB */
	int		 io_budget_ms;	/* rrdcached I/O per tick; 0: 50 */
	int		 create_budget_ms; /* file creation per tick; 0: 100 */
	int		 create_retry_ms; /* after a failed creation; 0: 10000 */
};

/*
 * One sample of the cluster file.  The balancer fills it from
 * clusterstat.h; migrations_total is the planner's running count of
 * migrations done, 0 until the planner provides it.
 */
struct rrdx_cluster_sample {
	double		 imbalance;
	unsigned	 hosts, hot_hosts, stale_hosts, vms;
	uint64_t	 migrations_total;
};

struct rrdx_stats {
	int		 direct;	/* 1: no rrdcached */
	int		 connected;	/* to rrdcached */
	uint64_t	 updates;	/* written directly, or queued for rrdcached */
	uint64_t	 acked;		/* answered by rrdcached */
	uint64_t	 refused;	/* refused by librrd or rrdcached */
	uint64_t	 duplicates;	/* refused as already present: not an error */
	uint64_t	 dropped;	/* lost from a full queue */
	uint64_t	 files_created;
	uint64_t	 create_errors;
	uint64_t	 reconnects;	/* connections to rrdcached after the first */
	size_t		 queued;	/* waiting for rrdcached now */
};

struct rrdx;

/*
 * Creates the directories, loads vms/names.tsv and checks the
 * rrdcached address (no connection yet).  Returns NULL with a reason in
 * err.
 */
struct rrdx	*rrdx_new(const struct rrdx_config *, char *err, size_t errlen);
void		 rrdx_free(struct rrdx *);

/*
 * Writes what is new in the model (see above), the cluster sample `cs`
 * (NULL: none) at the newest host sample time written, and moves
 * rrdcached I/O on for at most io_budget_ms.  Returns 0, or the first
 * failure as -errno with a sentence in err (rrdcached away: the
 * updates are kept; a file that cannot be created: tried again 10 s
 * later; refused updates).  Nothing is fatal.
 */
int		 rrdx_tick(struct rrdx *, const struct model *,
		    const struct rrdx_cluster_sample *cs, int64_t now_ms,
		    char *err, size_t errlen);

/*
 * At shutdown: saves the name map and, with rrdcached, sends every
 * queued update and asks for FLUSHALL, waiting up to timeout_ms.
 * 0 or -errno (err says how many updates were not acknowledged).
 */
int		 rrdx_flush(struct rrdx *, int timeout_ms, char *err,
		    size_t errlen);

const struct rrdx_stats *rrdx_stats(const struct rrdx *);
const char	*rrdx_dir(const struct rrdx *);		/* absolute */
const char	*rrdx_daemon(const struct rrdx *);	/* NULL: direct */
/* The last name a VM was reported with (from the map), or NULL. */
const char	*rrdx_vm_name(const struct rrdx *, const uint8_t uuid[16]);

/*
 * The file of a host (id = its name), a VM (id = its UUID, canonical
 * form) or the cluster (id ignored) under dir.  0, -EINVAL for an id
 * that cannot name a file, -ENAMETOOLONG.
 */
int		 rrdx_path(const char *dir, enum rrdx_kind, const char *id,
		    char *buf, size_t len);

/* The data source names of a kind, in file order; *n is set. */
const char *const *rrdx_ds_names(enum rrdx_kind, size_t *n);

/*
 * Creates one file of the layout with its last update at `start`
 * (never overwrites).  0, -EEXIST, or -errno with librrd's message in
 * err (a full disk: the partial file is removed).
 */
int		 rrdx_create(const char *path, enum rrdx_kind, time_t start,
		    char *err, size_t errlen);

#endif
