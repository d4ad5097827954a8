/* SPDX-License-Identifier: ISC */
/*
 * vmdev: every domain of a libvirt connection as the VM-MIB (RFC 7666,
 * exporters/vmmib.h) wants it -- active and inactive, with what a
 * sampling round (virt.h) does not read: the domain's settings (OS
 * type, autostart, persistence, maximum vCPUs), its vCPUs (time and
 * affinity, virDomainGetVcpus), its disks (from the domain XML: source,
 * type, device, read-only; sizes from virDomainGetBlockInfo; counters
 * from virDomainBlockStats) and its interfaces (MAC address, model,
 * target device and, when that device exists on this host, its
 * ifIndex; the bridge or direct device it hangs on as the parent).
 *
 * Per-domain calls that may block (a hung QEMU monitor): call
 * vmdev_read() off the main loop, in a worker that may be given up
 * on (vpool.h).  Never prints; a failed call's reason goes to err.
 */
#ifndef BALLAST_VMDEV_H
#define BALLAST_VMDEV_H

#include <stddef.h>

#include <libvirt/libvirt.h>

#include "vmmib.h"

#define VMDEV_MAX_VMS		4096	/* domains read at most */
#define VMDEV_MAX_DEVS		64	/* disks, interfaces per domain */
#define VMDEV_MAX_VCPUS		512	/* vCPU rows per domain */

/* One read of a connection; every array is vmdev's. */
struct vmdev_snap {
	struct vmmib_vm	*vms;		/* their cpus, disks, nics too */
	size_t		 n, cap;
	char		 hv_software[64];	/* "libvirt QEMU" */
	char		 hv_version[64];	/* the hypervisor's, "8.0.0" */
	unsigned	 host_cpus;
};

/*
 * Reads every domain of c into s (emptied first; grown as needed).
 * Returns the number of domains, or -EIO when the list could not be
 * read (libvirt's reason in err) and -ENOMEM; a domain that vanishes
 * meanwhile is left out.  May block.
 */
int		 vmdev_read(virConnectPtr c, struct vmdev_snap *s, char *err,
		    size_t errlen);

/* Frees what s holds (s itself is the caller's). */
void		 vmdev_free(struct vmdev_snap *s);

/* A virDomainState and its reason as vmOperState and vmAdminState. */
void		 vmdev_state(struct vmmib_vm *v, int state, int reason);

/*
 * Fills v's disks and nics from a domain's XML (allocating them: free
 * with free(v->disks), free(v->nics)); sizes unknown (-1), counters 0
 * and ifIndexes resolved on this host.  Returns 0 or -ENOMEM.
 */
int		 vmdev_parse_xml(const char *xml, struct vmmib_vm *v);

#endif
