/* SPDX-License-Identifier: ISC */
/*
 * vstats: one VM's figures from libvirt, in the units of the wire
 * contract (bytes, nanoseconds): parsed from a bulk stats record
 * (virConnectGetAllDomainStats / virDomainListGetStats), or read with
 * the per-domain calls for drivers whose bulk stats say less (libvirt's
 * test driver returns only state.* there).
 *
 * Figures come in groups; a group missing from a sample (a stats call
 * that failed, NOWAIT skipping what needs the domain's job) keeps its
 * last good values through vstats_merge().  Never prints: a failed
 * call's reason is left in the caller's buffer.
 */
#ifndef BALLAST_VSTATS_H
#define BALLAST_VSTATS_H

#include <stddef.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include "wire.h"

enum vstats_group {
	VS_G_STATE = 0x01,
	VS_G_CPU = 0x02,
	VS_G_VCPU = 0x04,
	VS_G_BALLOON = 0x08,
	VS_G_BLOCK = 0x10,
	VS_G_NET = 0x20
};

/* What the bulk call asks for. */
#define VSTATS_BULK_MASK	(VIR_DOMAIN_STATS_STATE | \
	VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
	VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | \
	VIR_DOMAIN_STATS_BLOCK)

struct virt_vm {
	uint8_t		 uuid[16];
	char		 name[WIRE_MAX_VM_NAME + 1];
	int		 state;		/* virDomainState */
	int		 reason;	/* its reason, e.g. VIR_DOMAIN_PAUSED_MIGRATION */
	uint32_t	 vcpus;
	uint64_t	 cpu_time_ns, vcpu_delay_ns;
	uint64_t	 mem_max, mem_balloon, mem_rss, mem_unused;	/* bytes */
	uint64_t	 blk_rd_bytes, blk_wr_bytes, blk_rd_ops, blk_wr_ops;
	uint64_t	 net_rx_bytes, net_tx_bytes, net_rx_pkts, net_tx_pkts;
	uint64_t	 net_rx_drop, net_tx_drop;
	unsigned	 groups;	/* enum vstats_group present */
	int		 stale;		/* not read in time: last good values */
	int64_t		 read_ms;	/* Unix ms the counters were read at
					   (the middle of the call); 0: unknown */
};

#define VSTATS_MAX_DEVS		64
#define VSTATS_DEV_LEN		64

/* Disk and interface target names, for the per-domain calls, and each
 * interface's MAC (<mac address=.../>), for the traffic source. */
struct vstats_devs {
	char	 disk[VSTATS_MAX_DEVS][VSTATS_DEV_LEN];
	char	 nic[VSTATS_MAX_DEVS][VSTATS_DEV_LEN];
	uint8_t	 mac[VSTATS_MAX_DEVS][6];
	uint8_t	 has_mac[VSTATS_MAX_DEVS];
	size_t	 ndisks, nnics;
};

/*
 * Parses a bulk stats record's parameters into *out (zeroed first; the
 * caller sets uuid and name).  Returns the groups found.
 */
unsigned	 vstats_parse(const virTypedParameter *params, int n,
		    struct virt_vm *out);

/*
 * Reads one domain with the per-domain calls: virDomainGetInfo
 * (virDomainGetState too when it is paused, for the reason),
 * virDomainMemoryStats, virDomainBlockStats and
 * virDomainInterfaceStats for each device in devs.  Fills *out (zeroed
 * first) and returns the groups read; 0 when the domain could not be
 * read at all, with libvirt's reason in err.  May block: call it off
 * the main loop.
 */
unsigned	 vstats_read(virDomainPtr, const struct vstats_devs *,
		    struct virt_vm *out, char *err, size_t errlen);

/*
 * Copies into good the groups fresh has, keeping good's others (the
 * last good values).  Returns the groups good had that fresh lacks.
 */
unsigned	 vstats_merge(struct virt_vm *good, const struct virt_vm *fresh);

/*
 * Finds the disk and interface target names in a domain's XML.
 * Returns 0, or -EINVAL when there is no <devices> element.
 */
int		 vstats_devices(const char *xml, struct vstats_devs *out);

/* A virDomainState as the wire's VmState. */
int		 vstats_wire_state(int state);

/*
 * Copies a domain name into the wire's bound (127 bytes), cutting at a
 * UTF-8 character boundary and replacing control characters with '?'.
 */
void		 vstats_name(const char *name, char *out, size_t len);

#endif
