/* SPDX-License-Identifier: ISC */
/*
 * simtraffic: a traffic matrix for the simulated cluster, reported as a
 * collector's pcap source would report it (HostReport.traffic).
 *
 * The matrix comes from a file -- one "VM-A VM-B RATE" a line, A sending
 * RATE bytes/s to B (a size with an optional /s: "24MiB/s", "500K";
 * '#' starts a comment; a pair given twice adds up) -- or from a seeded
 * generator.  Each host reports, for every pair with an end on it, the
 * bytes of its window sampled 1 in SIMTRAFFIC_SAMPLE: its own VMs by
 * UUID, a VM on another host by its MAC (as a capture on a tap sees
 * it), so that a pair between hosts comes from both hosts and the
 * balancer resolves addresses and keeps one.  At most WIRE_MAX_PAIRS
 * pairs a report, the heaviest; the rest go to other_bytes.
 * No sockets and no clock: sim_main.c drives it.
 */
#ifndef BALLAST_SIMTRAFFIC_H
#define BALLAST_SIMTRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "wire.h"

#define SIMTRAFFIC_SAMPLE	16	/* 1-in-N packet sampling reported */
#define SIMTRAFFIC_PKT		1000	/* bytes per simulated packet */

struct simtraffic_pair {
	size_t		 src, dst;	/* VM indexes in the cluster */
	double		 bps;
};

struct simtraffic {
	struct simtraffic_pair	*p;	/* heaviest first */
	size_t			 n;
};

/* Storage for one host's Traffic section. */
struct simtraffic_buf {
	Ballast__V1__Traffic		 t;
	Ballast__V1__TrafficPair	 pair[WIRE_MAX_PAIRS];
	Ballast__V1__TrafficPair	*pp[WIRE_MAX_PAIRS];
	Ballast__V1__Endpoint		 end[2 * WIRE_MAX_PAIRS];
};

/*
 * Reads a matrix file's text (`name` for messages) for the cluster's
 * VMs.  Returns 0, -EINVAL with "name:line: why" in err (a bad line, an
 * unknown VM, a VM paired with itself), or -ENOMEM.
 */
int	simtraffic_parse(struct simtraffic *, const struct sim_cluster *,
	    const char *name, const char *text, char *err, size_t errlen);

/*
 * A seeded matrix over nvms VMs (indexes): npairs pairs of random VMs,
 * rates log-uniform from 64 KiB/s to max_bps.  0, -ENOMEM, or -EINVAL
 * when there are fewer than two VMs.
 */
int	simtraffic_synth(struct simtraffic *, size_t nvms, uint64_t seed,
	    size_t npairs, double max_bps);

void	simtraffic_free(struct simtraffic *);

/*
 * Fills b with host h's section for the window of window_ms ending at
 * the cluster's time and hangs it on r.  Nothing when no pair has an
 * end on h.  b must live as long as r is used.
 */
void	simtraffic_report(const struct simtraffic *, const struct sim_cluster *,
	    size_t h, uint32_t window_ms, struct simtraffic_buf *b,
	    wire_report *r);

/*
 * The traffic between VMs on different hosts, bytes/s, under the
 * placement place[] (a host index per VM), with the total in *total;
 * for the quality benchmark.
 */
double	simtraffic_cross(const struct simtraffic *, const size_t *place,
	    double *total);

#endif
