/* SPDX-License-Identifier: ISC */
/*
 * cvmmib: ballast-collectord's VM-MIB (RFC 7666) -- each sampling
 * round's VMs (virt.h) handed to exporters/vmmib.h and served as an
 * AgentX subagent of the host's snmpd (snmpagent.h), with the per-VM
 * lifecycle notifications sent through it.  Part of the daemon: logs.
 *
 * What a round gives fills vmTable (name, UUID, states, vCPUs, memory,
 * CPU time) and the hypervisor scalars; the round reads no per-vCPU,
 * per-disk or per-interface figures today, so vmCpuTable,
 * vmCpuAffinityTable, vmStorageTable and vmNetworkTable are empty here.
 */
#ifndef BALLAST_CVMMIB_H
#define BALLAST_CVMMIB_H

#include <stddef.h>
#include <stdint.h>

#include "virt.h"

#define CVMMIB_MAX_FDS	16

struct cvmmib;

/* Connects to the master at agentx; NULL after logging why. */
struct cvmmib	*cvmmib_start(const char *agentx, const char *uri);
/* A round's VMs (NULL: does nothing). */
void		 cvmmib_update(struct cvmmib *, const struct virt_snap *,
		    int64_t now_ms);
size_t		 cvmmib_fds(struct cvmmib *, int *fds, size_t max,
		    int64_t *wait_ms);
void		 cvmmib_run(struct cvmmib *);
void		 cvmmib_stop(struct cvmmib *);

#endif
