/* SPDX-License-Identifier: ISC */
/*
 * cvmmib: ballast-collectord's VM-MIB (RFC 7666) -- every domain of the
 * host handed to exporters/vmmib.h and served as an AgentX subagent of
 * the host's snmpd (snmpagent.h), with the per-VM lifecycle
 * notifications sent through it when enabled.  Part of the daemon: logs.
 *
 * Each sampling round (virt.h) starts a pass over the domains
 * (vmdev.h: active and inactive ones, their vCPUs with affinity, disks
 * and interfaces) in a worker of its own, on a libvirt connection of
 * its own; when the pass comes back the MIB serves it, and its state
 * changes go out as notifications (a VM paused, shut down, crashed, or
 * gone: vmPaused, vmShutdown, vmCrashed, vmDeleted, ...), so within a
 * round or two of the lifecycle event.  One pass at a time: a pass
 * stuck in libvirt (a hung QEMU monitor) leaves the tables at their
 * last values, said in the log, and the daemon's loop never waits for
 * it.  Until the first pass is back, vmTable and the scalars come from
 * the round's figures.  The subagent reconnects to a restarted master
 * agent by itself (a ping every 5 s).
 */
#ifndef BALLAST_CVMMIB_H
#define BALLAST_CVMMIB_H

#include <stddef.h>
#include <stdint.h>

#include "virt.h"

#define CVMMIB_MAX_FDS	16

struct cvmmib;

/*
 * Connects to the master at agentx; notify: send the lifecycle
 * notifications.  NULL after logging why.
 */
struct cvmmib	*cvmmib_start(const char *agentx, const char *uri, int notify);
/* A round's VMs: starts a pass when none is running (NULL: nothing). */
void		 cvmmib_update(struct cvmmib *, const struct virt_snap *,
		    int64_t now_ms);
/* Descriptors to poll for reading, the agent's and the passes'. */
size_t		 cvmmib_fds(struct cvmmib *, int *fds, size_t max,
		    int64_t *wait_ms);
/* After a poll: a finished pass, the agent's work. */
void		 cvmmib_run(struct cvmmib *);
void		 cvmmib_stop(struct cvmmib *);

#endif
