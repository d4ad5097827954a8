/* SPDX-License-Identifier: ISC */
/*
 * simstat: the simulator's own view, written to a file for tests and
 * people: where every VM runs, and every command it was sent with how
 * often it arrived and how often it was carried out.  The balancer's
 * view is its API; this is the other side, to hold it against.
 */
#ifndef BALLAST_SIMSTAT_H
#define BALLAST_SIMSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"

/* One command the simulator was sent, as it remembers it. */
struct simstat_cmd {
	uint64_t	 id;
	uint64_t	 epoch;		/* the sender's, from the command */
	unsigned	 received;	/* deliveries, repeats included */
	unsigned	 executed;	/* times acted on (never twice) */
	struct sim_event ev;		/* its latest status */
};

struct simstat_counts {
	uint64_t	 steps, reports;
};

/*
 * Writes the view as one JSON object to path, replacing it atomically
 * (a reader never sees half a file): {"t_ms", "steps", "reports",
 * "migrations_done", "migrations_failed", "migrations_injected",
 * "hosts": {NAME: VMs placed}, "vms": [{"name", "uuid", "host",
 * "migrating"}], "commands": [{"id", "epoch", "received", "executed",
 * "state"}]}.  Returns 0, or -errno with the reason in err; the old
 * file then stays as it was.
 */
int	simstat_write(const char *path, const struct sim_cluster *,
	    const struct simstat_cmd *cmds, size_t ncmds,
	    const struct simstat_counts *, char *err, size_t errlen);

#endif
