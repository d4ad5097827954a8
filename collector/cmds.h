/* SPDX-License-Identifier: ISC */
/*
 * cmds: a collector's commands from the balancer, between the publisher
 * and an actuator (act.h).
 *
 *  - Idempotent by id: a command id seen before is answered with the
 *    status it has now (its error text, when it has none, says "repeated
 *    command id N: not run again") and never run twice (the last
 *    CMDS_MEMORY ids are remembered); counted as repeated.
 *  - Epochs: the highest balancer epoch obeyed is remembered; a command
 *    from an older epoch (a balancer that has restarted since) is
 *    refused.
 *  - A migration is refused, with the reason, when its VM is not on
 *    this host, is already migrating, would go to this very host, or
 *    its deadline has passed; otherwise the actuator starts it.
 *  - A cancel stops the migration it names (the migration's own status
 *    then says CANCELLED) and is itself DONE, or REFUSED when no such
 *    migration runs here.
 *
 * Every status goes out through the send callback (the daemon logs
 * and publishes it); the module itself never prints.
 */
#ifndef BALLAST_CMDS_H
#define BALLAST_CMDS_H

#include <stddef.h>
#include <stdint.h>

#include "act.h"
#include "wire.h"

#define CMDS_MEMORY	1024

/* Whether vm runs on this host; fills its name.  1 or 0. */
typedef int	(*cmds_here_fn)(void *arg, const uint8_t vm[16], char *name,
		    size_t len);
/* Publishes one status (a command's current one). */
typedef void	(*cmds_send_fn)(void *arg, const struct act_update *);

struct cmds_config {
	const struct act_ops	*ops;
	void			*act;
	cmds_here_fn		 here;
	cmds_send_fn		 send;
	void			*arg;		/* for here and send */
	const char		*host_name;	/* this host's */
	unsigned		 timeout_ms;	/* deadline when a command has none */
	uint64_t		 bandwidth;	/* when a command says 0 */
	unsigned		 max_downtime_ms; /* when a command says 0 */
};

struct cmds_stats {
	uint64_t	 received, repeated, refused, stale_epoch;
	uint64_t	 done, failed, cancelled;
};

struct cmds;

/* Returns NULL when out of memory. */
struct cmds	*cmds_new(const struct cmds_config *);
void		 cmds_free(struct cmds *);

/*
 * Handles one command (validated by wire) received at monotonic now_ms
 * (real_ms: the wall clock, for the command's Unix-time deadline).
 */
void		 cmds_on_command(struct cmds *, const Ballast__V1__Command *,
		    int64_t now_ms, int64_t real_ms);

/* Collects the actuator's updates and sends them.  Every loop. */
void		 cmds_tick(struct cmds *, int64_t now_ms);

/* The highest epoch obeyed (0: none yet). */
uint64_t	 cmds_epoch(const struct cmds *);
const struct cmds_stats *cmds_stats(const struct cmds *);

#endif
