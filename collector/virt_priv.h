/* SPDX-License-Identifier: ISC */
/*
 * virt_priv: what virt.c (threads, events, connection, snapshots) and
 * vround.c (one sampling round and the calls it makes in workers)
 * share.  Not for other modules: use virt.h.
 *
 * Locking: one mutex, v->mu, guards everything both the sampler and a
 * worker or the event thread touch: the reference counts, a domain's
 * busy flag and fresh sample, a batch's progress, the event queue, the
 * notices and the published snapshot.  The domain table, the
 * connection and a domain's good values belong to the sampler thread.
 */
#ifndef BALLAST_VIRT_PRIV_H
#define BALLAST_VIRT_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include "uuidmap.h"
#include "virt.h"
#include "vpool.h"

#define VIRT_EVQ	1024	/* lifecycle events queued between rounds */
#define VIRT_NOTICES	128
#define VIRT_WORKERS	32	/* workers at most (stuck ones included) */

struct vdom {
	uint8_t			 uuid[16];	/* first: the uuidmap key */
	int			 refs;		/* v->mu */
	virDomainPtr		 dom;
	char			 name[WIRE_MAX_VM_NAME + 1];
	struct vstats_devs	*devs;		/* the worker's, while busy */
	uint64_t		 devs_gen;	/* refresh generation read at */
	struct virt_vm		 good;		/* sampler: last good values */
	int			 has_good;
	int			 stale;
	int			 gone;		/* sampler: to be removed */
	int			 busy;		/* v->mu: a worker is on it */
	int			 missing;	/* v->mu: a call said it is gone */
	struct virt_vm		 fresh;		/* v->mu */
	uint64_t		 fresh_round;	/* v->mu */
};

struct vevent {
	virDomainPtr	 dom;		/* a reference, or NULL */
	int		 add;		/* 1: started/resumed, 0: stopped */
};

struct virt {
	struct virt_config	 cfg;
	char			 uri[512];
	pthread_mutex_t		 mu;
	pthread_cond_t		 wake;		/* sampler: a request or stop */
	pthread_cond_t		 progress;	/* a worker finished something */
	int			 refs;		/* v->mu: owner, tasks */
	int			 stop;
	int			 requested;
	int			 evfd;
	struct vpool		*pool;
	pthread_t		 sampler, evloop;
	int			 evloop_started, sampler_started;
	volatile int		 evloop_stop;
	/* the connection (sampler) */
	virConnectPtr		 conn;
	int			 cb_life;	/* callback ids, -1: none */
	int			 lost;		/* v->mu: close callback fired */
	int			 bulk_full;	/* bulk stats give cpu.time; -1: unknown */
	uint64_t		 bulk_gen;	/* refresh_gen of the last bulk call */
	int64_t			 next_connect;	/* monotonic ms */
	int64_t			 backoff_ms;
	int64_t			 last_refresh;
	uint64_t		 refresh_gen;
	struct vtask		*bulk_stuck;	/* a bulk call not back yet */
	struct vtask		*connect_stuck;
	/* the domains (sampler) */
	struct uuidmap		 doms;
	uint64_t		 round;
	/* v->mu */
	struct vevent		 evq[VIRT_EVQ];
	size_t			 nev;
	int			 ev_overflow;
	struct virt_notice	 notes[VIRT_NOTICES];
	size_t			 note_head, nnotes;
	uint64_t		 notes_dropped;
	struct virt_vm		*pub;		/* the published snapshot */
	size_t			 npub, pubcap;
	uint64_t		 pub_round;
	int64_t			 pub_start;
	int			 pub_connected;
};

/* virt.c */
void	virt_note(struct virt *, enum virt_notice_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	virt_unref(struct virt *);	/* with v->mu held; releases it */
void	vdom_unref(struct virt *, struct vdom *);	/* v->mu held */
struct vdom *vdom_add(struct virt *, virDomainPtr);	/* sampler */
void	vdom_remove(struct virt *, struct vdom *);	/* sampler */
int	virt_connect_callbacks(struct virt *, virConnectPtr);
void	virt_drop_close(virConnectPtr);
void	virt_publish(struct virt *, int64_t start_ms);	/* sampler */

/* vround.c */
void	vround_run(struct virt *);	/* one round, in the sampler */
/* Drops the connection, closed in a worker waited for wait_ms. */
void	vround_disconnect(struct virt *, unsigned wait_ms);

#endif
