/* SPDX-License-Identifier: ISC */
/*
 * pcapsrc: the collector's traffic source.  Captures on the VM tap
 * devices (or on a bridge) with libpcap, samples 1 packet in N, parses
 * the sampled ones down to MACs and IPs (Ethernet, up to two VLAN tags,
 * IPv4, IPv6, ARP) and aggregates them per pair (traffic_agg.h, which
 * states the rule that counts a packet once per host).  At the end of
 * each report window it fills a wire Traffic message.
 *
 * Each interface is opened with pcap_create(), a small snaplen
 * (headers only), pcap_set_buffer_size() and non-blocking reads.  With
 * immediate 0 (the default) libpcap on Linux uses a TPACKET_V3 ring
 * (blocks handed over when full or after timeout_ms): the cheapest way
 * to read many packets.  libpcap does not use TPACKET_V3 in immediate
 * mode: immediate 1 gets each packet at once from a TPACKET_V2 ring.
 *
 * Sampling: every packet costs a counter decrement; when it reaches 0
 * the packet is parsed and counted, and the next gap is drawn from a
 * geometric distribution of mean N (a seeded xorshift generator), so
 * each packet is sampled independently with probability 1/N, whatever
 * the interleaving of flows.  A pair of n packets is then estimated as
 * N times its k sampled packets, k ~ Binomial(n, 1/N): relative
 * standard error sqrt((N - 1) / n).  N = 1 is exact.
 *
 * Never fatal, never prints.  An interface that cannot be opened, or
 * that fails or disappears while capturing, is closed, counted in the
 * window's errors and opened again by pcapsrc_open(); its counters
 * (captured, dropped, if_dropped) carry over, so they stay cumulative.
 */
#ifndef BALLAST_PCAPSRC_H
#define BALLAST_PCAPSRC_H

#include <stddef.h>
#include <stdint.h>

#include "traffic_agg.h"
#include "wire.h"

#define PCAPSRC_MAX_IFS		256

struct pcapsrc_if {
	const char	*name;
	const uint8_t	*vm;	/* the tap's VM (16 bytes), or NULL: an
				   interface where each packet is seen once */
};

struct pcapsrc_config {
	const struct pcapsrc_if *ifs;
	size_t		 nifs;		/* 0 .. PCAPSRC_MAX_IFS */
	unsigned	 sample_every;	/* N >= 1 */
	unsigned	 snaplen;	/* bytes kept per packet */
	unsigned	 buffer;	/* ring bytes per interface */
	unsigned	 timeout_ms;	/* TPACKET_V3 block timeout; 0: 100 */
	int		 immediate;
	const char	*filter;	/* BPF; NULL or "": every packet */
	unsigned	 top;		/* pairs per report, <= WIRE_MAX_PAIRS */
	size_t		 max_flows;	/* pairs per window; 0: 4096 */
	size_t		 max_addrs;	/* address map; 0: 4096 */
	uint64_t	 seed;		/* sampling; 0: from the clock */
};

struct pcapsrc;

/*
 * Copies the configuration (names and filter included); opens nothing
 * (pcapsrc_open() does).  NULL on a bad configuration or no memory, with
 * the reason in err.
 */
struct pcapsrc	*pcapsrc_new(const struct pcapsrc_config *, char *err,
		    size_t errlen);
void		 pcapsrc_free(struct pcapsrc *);

/*
 * Replaces the set of interfaces (VMs started, stopped or migrated): one
 * of the same name stays open (its VM updated), one no longer listed is
 * closed (its counters stay in the totals), a new one is opened by the
 * next pcapsrc_open().  0 or -EINVAL (too many; nothing changed).
 */
int		 pcapsrc_set_ifs(struct pcapsrc *, const struct pcapsrc_if *,
		    size_t n);

/* The address map (traffic_agg.h) the pairs are resolved with. */
struct tagg	*pcapsrc_agg(struct pcapsrc *);

/*
 * Opens every interface that is not open.  Returns how many are still
 * closed (0: all open), with the last reason in err; each failure counts
 * as one error of the window.
 */
int		 pcapsrc_open(struct pcapsrc *, char *err, size_t errlen);

/* The open interfaces' descriptors, for poll(2); returns the count. */
size_t		 pcapsrc_fds(const struct pcapsrc *, int *fds, size_t max);

/*
 * Reads what is waiting, at most budget packets per interface (the
 * caller's loop stays responsive under load).  Returns how many
 * interfaces failed and were closed (0 normally), with the last reason
 * in err.
 */
int		 pcapsrc_dispatch(struct pcapsrc *, int budget, char *err,
		    size_t errlen);

/*
 * Parses one captured frame (caplen bytes): the MACs, then through up
 * to two VLAN tags (802.1Q, 802.1ad) the IPv4 or IPv6 addresses into
 * pk (iplen 0 for anything else, such as ARP).  pk->bytes is left to
 * the caller.  0, or -1 when the frame is too short for its headers
 * or its IP header is not the version its EtherType says.
 */
int		 pcapsrc_parse(const uint8_t *frame, uint32_t caplen,
		    struct tagg_pkt *pk);

/* Packets seen by the callback so far (sampled or not), cumulative. */
uint64_t	 pcapsrc_seen(const struct pcapsrc *);

/*
 * Ends the window at now_ms (Unix ms): fills *out with the top pairs,
 * the rest, the cumulative capture counters and the window's errors,
 * and starts the next window.  *out and what it points to belong to
 * the source and stay valid until the next call or pcapsrc_free().
 */
void		 pcapsrc_window(struct pcapsrc *, int64_t now_ms,
		    Ballast__V1__Traffic **out);

#endif
