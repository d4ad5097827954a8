/* SPDX-License-Identifier: ISC */
/*
 * tapres: the VMs' tap devices and addresses from libvirt, for the
 * traffic source.  A thread of its own, on a read-only connection of
 * its own, lists the active domains, reads each one's XML for its
 * interfaces (<target dev=.../> and <mac address=.../>) and asks
 * virDomainInterfaceAddresses() for their IPs (from the DHCP leases of
 * libvirt's networks, else from the host's ARP table; never from a
 * guest agent, which may hang).  It does so at start, every refresh_ms,
 * and at once when asked (a domain started, stopped or migrated, a tap
 * vanished), and publishes a complete table each time.
 *
 * Never prints: a failure keeps the last table and comes back as the
 * table's err text for the daemon to log.  No call is made from the
 * caller's thread; tapres_free() waits for the thread, so a libvirt
 * call stuck for good would hold up the daemon's stop.
 */
#ifndef BALLAST_TAPRES_H
#define BALLAST_TAPRES_H

#include <stddef.h>
#include <stdint.h>

#define TAPRES_MAX_NICS	256	/* taps on one host */
#define TAPRES_MAX_IPS	4	/* IPs of one tap */

struct tapres_nic {
	uint8_t		 vm[16];
	char		 ifname[64];
	uint8_t		 mac[6];
	int		 has_mac;
	uint8_t		 ip[TAPRES_MAX_IPS][16];
	uint8_t		 iplen[TAPRES_MAX_IPS];		/* 4 or 16 */
	unsigned	 nips;
};

struct tapres_table {
	struct tapres_nic nic[TAPRES_MAX_NICS];
	size_t		 n;
	uint64_t	 gen;		/* 1, 2, ... per table published */
	char		 err[256];	/* "" or why this resolution failed */
};

struct tapres;

/* Starts the thread.  NULL with a reason in err. */
struct tapres	*tapres_new(const char *uri, unsigned refresh_ms, char *err,
		    size_t errlen);
void		 tapres_free(struct tapres *);
/* Readable when a new table is waiting (tapres_take() drains it). */
int		 tapres_fd(const struct tapres *);
/* Asks for a resolution now (never waits). */
void		 tapres_request(struct tapres *);
/* Copies the latest table when newer than out->gen: 1, else 0. */
int		 tapres_take(struct tapres *, struct tapres_table *out);

#endif
