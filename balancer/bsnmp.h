/* SPDX-License-Identifier: ISC */
/*
 * bsnmp: ballast-balancerd's SNMP side, set up from the configuration's
 * SNMP statements (conf_snmp.h): the trap sinks fed by notify.h, and
 * BALLAST-MIB served as an AgentX subagent (ballastmib.h) when
 * agentx-socket is set.  Part of the daemon: it logs (log.h).
 *
 * The net-snmp library's engine ID and boots counter are kept in
 * STATE/snmp, so that v3 receivers keep trusting this engine across
 * restarts.
 */
#ifndef BALLAST_BSNMP_H
#define BALLAST_BSNMP_H

#include <stddef.h>
#include <stdint.h>

#include "balance.h"
#include "conf_snmp.h"
#include "model.h"

#define BSNMP_MAX_FDS	16

struct bsnmp;

/*
 * Sets everything up; *out stays NULL when no SNMP statement asks for
 * anything.  Returns 0, or -1 after logging why (a sink that cannot be
 * opened, a MIB that cannot be registered).
 */
int	bsnmp_start(const struct conf_snmp *, const char *state_dir,
	    const struct model *, const struct balance *, struct bsnmp **out);

/* Descriptors to poll for reading; lowers *wait_ms to the next alarm. */
size_t	bsnmp_fds(struct bsnmp *, int *fds, size_t max, int64_t *wait_ms);

/* Serves requests and resends informs; call after every poll. */
void	bsnmp_run(struct bsnmp *);

/* Looks for events to notify: call every tick, after the balancer's. */
void	bsnmp_tick(struct bsnmp *, const struct model *,
	    const struct balance *, int64_t now_ms);

void	bsnmp_stop(struct bsnmp *);

#endif
