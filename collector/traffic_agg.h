/* SPDX-License-Identifier: ISC */
/*
 * traffic_agg: one report window of sampled packets on this host,
 * aggregated per (source, destination) pair, with the top pairs by
 * bytes taken out at the end of the window.  Library-like: no I/O,
 * never prints; all memory is allocated by tagg_new().
 *
 * An endpoint is a local VM (by UUID) when its MAC, or failing that its
 * IP, is in the address map; otherwise its IP (its MAC when the packet
 * has no IP, such as ARP), which the balancer can map to a VM on
 * another host; a broadcast or multicast MAC without an IP is "none"
 * (unknown/external).
 *
 * Counted once per host.  A packet between two local VMs crosses two
 * tap devices, so with per-tap capture tagg_add() is given the tap's VM
 * and counts the packet only on one of them:
 *   - the source is a local VM: only on the source VM's own tap;
 *   - else the destination is a local VM: only on that VM's tap;
 *   - else (neither end a local VM: flooded or broadcast traffic from
 *     outside): not at all.
 * On an interface where every packet is seen once (a bridge, an
 * uplink), tagg_add() is given no tap VM and counts every packet.
 *
 * Bounded: at most max_flows pairs per window; a packet of a pair that
 * does not fit goes to other_bytes/other_packets (and is counted in
 * overflow), so totals are never lost.
 */
#ifndef BALLAST_TRAFFIC_AGG_H
#define BALLAST_TRAFFIC_AGG_H

#include <stddef.h>
#include <stdint.h>

enum tagg_kind { TAGG_EP_NONE = 0, TAGG_EP_VM, TAGG_EP_ADDR };

struct tagg_ep {
	uint8_t		 kind;		/* enum tagg_kind */
	uint8_t		 len;		/* VM: 16; address: 6, 4 or 16 */
	uint8_t		 b[16];
};

/* What the capture parsed from one sampled packet. */
struct tagg_pkt {
	uint8_t		 smac[6], dmac[6];
	uint8_t		 sip[16], dip[16];
	uint8_t		 iplen;		/* 0 (no IP header), 4 or 16 */
	uint32_t	 bytes;		/* length on the wire */
};

struct tagg_pair {
	struct tagg_ep	 src, dst;
	uint64_t	 bytes, packets;
};

struct tagg_totals {
	uint64_t	 bytes, packets;	/* everything counted */
	uint64_t	 other_bytes, other_packets; /* not in the top pairs */
	uint64_t	 overflow;	/* packets of pairs that did not fit */
	size_t		 pairs;		/* distinct pairs this window */
};

struct tagg;

/* Room for max_flows pairs and max_addrs addresses; NULL: no memory. */
struct tagg	*tagg_new(size_t max_flows, size_t max_addrs);
void		 tagg_free(struct tagg *);

/*
 * Maps a 6-byte MAC or a 4- or 16-byte IP to a local VM (a later call
 * for the same address replaces the VM).  0, -EINVAL (bad length) or
 * -ENOSPC (max_addrs reached).
 */
int		 tagg_map_add(struct tagg *, const uint8_t *addr, size_t len,
		    const uint8_t vm[16]);
/* Forgets every address (for a new set of VMs). */
void		 tagg_map_clear(struct tagg *);
/* 1 and the VM in vm when the address is mapped, else 0. */
int		 tagg_map_find(const struct tagg *, const uint8_t *addr,
		    size_t len, uint8_t vm[16]);

/*
 * Counts one sampled packet seen on the tap of VM tap_vm (NULL: an
 * interface where each packet is seen once), by the rule above.
 * Returns 1 when counted, 0 when it belongs to another tap.
 */
int		 tagg_add(struct tagg *, const struct tagg_pkt *,
		    const uint8_t *tap_vm);

/*
 * Ends the window: writes up to k pairs, largest bytes first (ties: more
 * packets first, then by endpoint bytes), into out; the rest goes to
 * tot->other_*.  Returns the number written.  Then empties the window
 * (the address map stays).
 */
size_t		 tagg_take(struct tagg *, struct tagg_pair *out, size_t k,
		    struct tagg_totals *tot);

#endif
