/* SPDX-License-Identifier: ISC */
/*
 * ctraffic: ballast-collectord's traffic source -- the configuration's
 * pcap map (cconf.h) and, with `pcap libvirt yes`, every VM's taps and
 * addresses from libvirt (tapres.h) turned into a capture (pcapsrc.h),
 * its descriptors in the daemon's poll loop, each report's Traffic
 * section and each VM's addresses.  The static map wins where both
 * name the same interface.  Part of the daemon: logs, and a failing or vanished
 * interface, a capture error or kernel drops are logged with
 * log_complain and reported, never fatal.
 */
#ifndef BALLAST_CTRAFFIC_H
#define BALLAST_CTRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "cconf.h"
#include "pcapsrc.h"
#include "wire.h"

#define CTRAFFIC_BUDGET	2048	/* packets per interface per wakeup */
#define CTRAFFIC_MAX_FDS	(PCAPSRC_MAX_IFS + 1)

struct ctraffic;

/*
 * Starts capturing as the configuration's pcap statements say.  0 with
 * *out NULL when they name no interface and not libvirt; 0 and a
 * source; -1 after logging why (bad filter syntax is only known when an
 * interface opens: logged, not fatal).
 */
int		 ctraffic_start(const struct cconf *, struct ctraffic **out);
/* Domains started or stopped: the taps are looked up again now. */
void		 ctraffic_vms_changed(struct ctraffic *);
size_t		 ctraffic_fds(const struct ctraffic *, int *fds, size_t max);
/* Reads what is waiting (bounded); NULL: does nothing. */
void		 ctraffic_run(struct ctraffic *);
/*
 * Ends the window at now_ms (Unix ms) and reopens lost interfaces.
 * The message stays valid until the next call; NULL when not capturing.
 */
Ballast__V1__Traffic *ctraffic_window(struct ctraffic *, int64_t now_ms);
/* Points w->addrs at the VM's configured addresses (none: unchanged). */
void		 ctraffic_addrs(const struct ctraffic *, wire_vm *w);
void		 ctraffic_stop(struct ctraffic *);

#endif
