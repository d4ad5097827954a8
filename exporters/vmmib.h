/* SPDX-License-Identifier: ISC */
/*
 * vmmib: the standard VM-MIB (RFC 7666, mib-2 236) served from a
 * snapshot of one hypervisor's virtual machines that a collector fills
 * (from libvirt, say) and hands over with vmmib_update() as often as it
 * samples.  Library-like: no libvirt here, no output.
 *
 * Served: vmHvSoftware, vmHvVersion, vmHvObjectID (zeroDotZero),
 * vmHvUpTime, vmNumber, vmTableLastChange, vmTable, vmCpuTable,
 * vmCpuAffinityTable (for vCPUs whose affinity the snapshot gives),
 * vmStorageTable, vmNetworkTable (vmNetworkIfIndex as the snapshot
 * resolved it, else 0), vmPerVMNotificationsEnabled and
 * vmBulkNotificationsEnabled (read-only here: set in the config).
 *
 * vmIndex: a VM keeps its index while it exists; a new VM (by UUID)
 * gets the next unused one.  vmUpTime counts from when vmmib first saw
 * the VM running.  Memory is in KiB (vmMemUnit 1024), storage sizes in
 * bytes when they fit, else in MiB.
 *
 * Notifications (when cfg.notify): vmRunning, vmShuttingdown,
 * vmShutdown, vmPaused, vmSuspending, vmSuspended, vmResuming,
 * vmMigrating and vmCrashed when a VM enters that operational state
 * (a new VM included), vmDeleted when it leaves the snapshot; sent
 * through the agent (over AgentX to the master, which sends them to its
 * trap sinks), or to cfg.send when set (tests).
 */
#ifndef BALLAST_VMMIB_H
#define BALLAST_VMMIB_H

#include <stddef.h>
#include <stdint.h>

/* VirtualMachineOperState */
enum vmmib_oper {
	VMMIB_UNKNOWN = 1, VMMIB_OTHER, VMMIB_PREPARING, VMMIB_RUNNING,
	VMMIB_SUSPENDING, VMMIB_SUSPENDED, VMMIB_RESUMING, VMMIB_PAUSED,
	VMMIB_MIGRATING, VMMIB_SHUTTINGDOWN, VMMIB_SHUTDOWN, VMMIB_CRASHED
};

/* VirtualMachineAdminState */
enum vmmib_admin {
	VMMIB_ADMIN_RUNNING = 1, VMMIB_ADMIN_SUSPENDED, VMMIB_ADMIN_PAUSED,
	VMMIB_ADMIN_SHUTDOWN
};

#define VMMIB_MAX_PCPUS	1024

struct vmmib_cpu {
	uint64_t	 time_us;		/* vmCpuCoreTime */
	int		 has_affinity;
	uint8_t		 affinity[VMMIB_MAX_PCPUS / 8];	/* bit i: pCPU i */
};

struct vmmib_disk {
	char		 resource[256];		/* file, device, URL */
	int		 source_type;		/* 1 unknown .. 6 network */
	char		 source_type_str[32];	/* "file", "block", ... */
	int		 readonly;
	int		 media;			/* IANAStorageMediaType */
	char		 media_str[32];		/* "disk", "cdrom", ... */
	int64_t		 defined_bytes;		/* -1: unknown */
	int64_t		 allocated_bytes;	/* -1: unknown */
	uint64_t	 rd_ops, wr_ops, rd_bytes, wr_bytes;
	uint64_t	 rd_time_us, wr_time_us;
};

struct vmmib_nic {
	int32_t		 ifindex;	/* the host's tap device; 0: unknown */
	int32_t		 parent_ifindex;	/* 0: unknown */
	char		 model[64];
	uint8_t		 mac[6];
};

struct vmmib_vm {
	uint8_t			 uuid[16];
	char			 name[256];
	char			 os_type[64];
	enum vmmib_admin	 admin;
	enum vmmib_oper		 oper;
	int			 autostart;	/* 1 unknown, 2 enabled, 3 disabled */
	int			 persistent;	/* 1 unknown, 2 persistent, 3 transient */
	int32_t			 cur_cpus, min_cpus, max_cpus;	/* -1: unknown */
	int64_t			 cur_mem_kib, min_mem_kib, max_mem_kib;
	uint64_t		 cpu_time_us;
	struct vmmib_cpu	*cpus;
	size_t			 ncpus;
	struct vmmib_disk	*disks;
	size_t			 ndisks;
	struct vmmib_nic	*nics;
	size_t			 nnics;
};

struct vmmib_snapshot {
	char			 hv_software[64];	/* "KVM/QEMU via libvirt" */
	char			 hv_version[64];
	uint64_t		 hv_uptime_cs;	/* at the snapshot */
	unsigned		 host_cpus;	/* physical CPUs, for affinity */
	const struct vmmib_vm	*vms;
	size_t			 nvms;
};

struct vmmib_config {
	int		 notify;	/* send the per-VM notifications */
	/* instead of the agent: kind is the number under vmNotifications */
	void		(*send)(void *arg, int kind, const struct vmmib_vm *);
	void		*send_arg;
};

struct vmmib;
struct smib_table;

/* NULL with a reason in err. */
struct vmmib	*vmmib_new(const struct vmmib_config *, char *err, size_t errlen);
void		 vmmib_free(struct vmmib *);

/*
 * Registers the MIB with the agent library (snmpagent.h, subagent
 * mode).  Returns 0 or -EIO.
 */
int		 vmmib_register(struct vmmib *);

/*
 * Replaces the snapshot (deep-copied: the caller keeps its own) at
 * monotonic time now_ms, and notifies the state changes.  Returns 0 or
 * -ENOMEM (the previous snapshot stays).
 */
int		 vmmib_update(struct vmmib *, const struct vmmib_snapshot *,
		    int64_t now_ms);

/* For tests: vmIndex of a UUID, or 0. */
int32_t		 vmmib_index_of(const struct vmmib *, const uint8_t uuid[16]);

/* For tests and the engine: the tables (vmmib_tables order). */
const struct smib_table *vmmib_table(const struct vmmib *, size_t i);
size_t		 vmmib_ntables(void);

#endif
