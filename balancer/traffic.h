/* SPDX-License-Identifier: ISC */
/*
 * traffic: the cluster's VM-to-VM traffic matrix, from the Traffic
 * section of every host's report (proto/ballast.proto).
 *
 * Each report's pairs are scaled by its sample_every (1-in-N sampling),
 * their ends resolved to VMs -- a VM named by UUID, or by an address
 * that some VM's VmSample.addrs lists (the address map is kept from the
 * reports that carry addresses: every report with traffic, and every
 * TRAFFIC_ADDR_EVERY-th report of a host without, since addresses
 * change rarely and the ingest path must stay as fast; the latest VM
 * to list an address owns it) -- and deduplicated: a pair between hosts is seen by both
 * hosts, and only the report of the source VM's host counts it (else,
 * when the source is not a known VM, the destination's).  A pair with
 * an end that is no known VM counts as external traffic, not as a pair.
 *
 * Rates are smoothed: each directed pair keeps an exponentially decayed
 * byte count and the decayed time it covers (time constant tau_s), so
 * its rate is the recent bytes/s, a pair absent from later windows
 * decays towards 0 over tau_s, and a pair seen once reads its true rate
 * at once.  The matrix runs on the reports' own clock -- the end of each
 * report's traffic window (window_start_ms + window_ms, else its
 * sample_time_ms) -- and is read at the latest such time of any report: so a
 * simulated cluster running faster than real time, or a replay, gets
 * the same rates as real time, and hosts' clocks must agree to within
 * a few seconds (NTP) for the decay to be right.  Memory is bounded: at most max_pairs directed pairs (the
 * top talkers); when a new pair finds the table full, the quarter with
 * the lowest rates is dropped (counted in pairs_evicted).  The address
 * map holds at most max_addrs addresses; more are counted and ignored.
 *
 * The matrix lives in memory only: a restarted balancer builds it
 * again from the next reports (a minute or so of rates).
 * Not thread-safe; the daemon's loop owns it.  Nothing here prints.
 */
#ifndef BALLAST_TRAFFIC_H
#define BALLAST_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "wire.h"

#define TRAFFIC_MAX_PAIRS	4096	/* default bound on directed pairs */
#define TRAFFIC_MAX_ADDRS	65536	/* default bound on known addresses */
#define TRAFFIC_TAU_S		60.0	/* default smoothing time constant */
#define TRAFFIC_ADDR_EVERY	8	/* reports without traffic: addresses
					   from sequence numbers 1, 9, 17, ... */

struct traffic_limits {
	size_t		 max_pairs;
	size_t		 max_addrs;
	double		 tau_s;
};

struct traffic_stats {
	uint64_t	 reports;	/* reports with a Traffic section */
	uint64_t	 pairs_seen;	/* pairs in them */
	uint64_t	 pairs_counted;	/* VM-to-VM pairs taken into the matrix */
	uint64_t	 pairs_dup;	/* left to the other end's report */
	uint64_t	 pairs_external; /* an end that is no known VM */
	uint64_t	 pairs_evicted;	/* dropped by the max_pairs bound */
	uint64_t	 addrs_refused;	/* over max_addrs */
	uint64_t	 captured, dropped, if_dropped;	/* summed over hosts' latest */
	uint64_t	 errors;	/* capture errors, all windows */
};

/* One directed pair and its smoothed rate. */
struct traffic_pair {
	uint8_t		 src[16], dst[16];
	double		 bps;
};

/* The cluster's cross-host figures at one time. */
struct traffic_cross {
	double		 vm_bps;	/* all VM-to-VM traffic */
	double		 cross_bps;	/* of it, between VMs on different hosts */
	double		 fraction;	/* cross_bps / vm_bps, 0 when none */
	double		 external_bps;	/* to or from no known VM */
};

struct traffic;

/* Returns NULL when out of memory.  NULL limits (or 0 fields): defaults. */
struct traffic	*traffic_new(const struct traffic_limits *);
void		 traffic_free(struct traffic *);

/*
 * Takes one report that the model has just applied (so that its VMs
 * are placed): its VMs' addresses, then its Traffic section if any.  Returns 0, or -ENOMEM (what was taken stays).
 * A report without traffic costs a pass over its VMs' addresses one
 * time in TRAFFIC_ADDR_EVERY, else nothing.
 */
int		 traffic_apply_report(struct traffic *, const struct model *,
		    const wire_report *);

/*
 * The VM that owns an address (6-byte MAC, 4- or 16-byte IP), or NULL
 * when no known VM lists it.
 */
const struct model_vm *traffic_resolve(const struct traffic *,
		    const struct model *, const uint8_t *addr, size_t len);

/*
 * The top directed pairs by rate, highest first (ties by UUIDs), into
 * out[0..max) (out may be NULL when max is 0).  Returns how many there
 * are in all (may be more than max).  Pairs below 0.5 byte/s are left
 * out.
 */
size_t		 traffic_top(const struct traffic *, struct traffic_pair *out,
		    size_t max);

/*
 * The cross-host measures.  host_out (NULL: not wanted) gets one figure
 * per model host, in model_host_at order: bytes/s its VMs send to VMs
 * on other hosts.
 */
void		 traffic_cross(const struct traffic *, const struct model *,
		    double *host_out, struct traffic_cross *);

const struct traffic_stats *traffic_stats(const struct traffic *);

#endif
