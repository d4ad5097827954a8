/* SPDX-License-Identifier: ISC */
/*
 * virt: the libvirt source of a collector.  Every VM on the host, keyed
 * by UUID, sampled in rounds that never block the caller.
 *
 * Threads: libvirt's default event loop runs in a thread of its own
 * (lifecycle events, keepalive, connection close); a sampler thread
 * runs each round; every libvirt call that may block (a hung QEMU
 * monitor, a dead remote daemon) runs in a worker of a vpool and is
 * waited for only `call_timeout_ms`.
 *
 * A round: the lifecycle events since the last one add and remove
 * domains; every `refresh_ms` the full list is read again; one
 * virConnectGetAllDomainStats(ACTIVE | NOWAIT) reads them all; domains
 * it says too little about (the test driver returns only state.*),
 * or all of them when it did not come back in time, are read with the
 * per-domain calls, one domain after another in a worker.  A domain
 * whose call does not come back in time keeps its last good values,
 * marked stale, and gets no new call until that one returns; the
 * others go on in another worker.  When the connection is lost the
 * domains keep their last values (stale) while it reconnects with a
 * growing delay (1 s doubling to 60 s).
 *
 * Never prints: what a person should hear about (connection lost and
 * back, a VM going stale and fresh again, failed calls) is queued as
 * notices for the daemon to log; libvirt's own error printing is
 * turned off.
 */
#ifndef BALLAST_VIRT_H
#define BALLAST_VIRT_H

#include <stddef.h>
#include <stdint.h>

#include "vstats.h"

struct virt_config {
	const char	*uri;			/* e.g. "qemu:///system" */
	unsigned	 call_timeout_ms;	/* one call's bound, e.g. 2000 */
	unsigned	 refresh_ms;		/* full domain list, e.g. 60000 */
	unsigned	 round_ms;		/* a whole round's bound */
};

/* A round's result: every VM known, fresh or stale. */
struct virt_snap {
	uint64_t	 round;		/* 0: none yet */
	int64_t		 start_ms;	/* monotonic, when the round began */
	int		 connected;
	struct virt_vm	*vms;		/* the caller's, grown by virt_snapshot() */
	size_t		 n, cap;
};

enum virt_notice_kind {
	VN_CONNECTED = 1,	/* text: the URI and the driver */
	VN_LOST,		/* the connection went away */
	VN_CONNECT_FAILED,	/* text: why (repeats: rate-limit it) */
	VN_STALE,		/* a VM not read in time; text names it */
	VN_FRESH,		/* a stale VM read again */
	VN_CALL_FAILED,		/* a call failed (repeats: rate-limit it) */
	VN_ADDED,		/* a VM found; text names it */
	VN_REMOVED,		/* a VM gone */
	VN_DROPPED		/* notices lost to a full queue */
};

struct virt_notice {
	enum virt_notice_kind	 kind;
	char			 text[320];
};

struct virt;

/* Starts the threads.  Returns NULL with a reason in err. */
struct virt	*virt_new(const struct virt_config *, char *err, size_t errlen);
/* Stops the threads; calls still stuck in libvirt are left behind. */
void		 virt_free(struct virt *);

/*
 * A descriptor that becomes readable when a round is done or a notice
 * is waiting; virt_snapshot() and virt_notice() drain it.
 */
int		 virt_fd(const struct virt *);

/*
 * Asks for a round now (never waits).  A round still running is left
 * to finish; the request is then taken up when it is done.
 */
void		 virt_request(struct virt *);

/*
 * Copies the latest round's VMs into snap (growing snap->vms).
 * Returns 1 when it is newer than the round snap held, else 0.
 */
int		 virt_snapshot(struct virt *, struct virt_snap *snap);

/* Takes the oldest notice: 1, or 0 when there is none. */
int		 virt_notice(struct virt *, struct virt_notice *);

/* Whether the VM was active in the latest round (any state). */
int		 virt_has(struct virt *, const uint8_t uuid[16]);

/* Workers started for calls, and how many of them are in a call now. */
void		 virt_workers(struct virt *, unsigned *threads, unsigned *busy);

#endif
