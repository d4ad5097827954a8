/* SPDX-License-Identifier: ISC */
/*
 * vpool: runs calls that may block (libvirt on a hung QEMU, a stuck
 * NFS mount) in worker threads, each waited for only until a deadline.
 *
 * A task is handed to an idle worker (one is started when none is
 * idle, up to max_threads).  The caller waits for it with a deadline
 * and may give up on it: the worker stays in its call as long as the
 * call blocks, the pool goes on with other workers, and the task
 * returns to the pool's use when the call comes back.  A task is
 * shared by the caller and the worker; whichever lets go last calls
 * task->release.  Never prints.
 */
#ifndef BALLAST_VPOOL_H
#define BALLAST_VPOOL_H

#include <stdint.h>

struct vtask {
	void		(*run)(struct vtask *);		/* in a worker */
	void		(*release)(struct vtask *);	/* frees it */
	/* the pool's, zero before vpool_submit() */
	int		 refs;
	int		 done;
	int64_t		 started_ms;	/* monotonic; 0 while queued */
	struct vtask	*next;
};

struct vpool;

/* Returns NULL when out of memory or max_threads is 0. */
struct vpool	*vpool_new(unsigned max_threads);
/*
 * Stops the idle workers (waiting for them briefly); workers stuck in
 * a call are left to finish, then exit and free what is theirs.
 * Queued tasks are released without running.
 */
void		 vpool_free(struct vpool *);

/*
 * Queues a task; the caller keeps its reference (drop it with
 * vpool_put).  0, or -EAGAIN when every one of max_threads workers is
 * busy or stuck and the queue already holds max_threads tasks.
 */
int		 vpool_submit(struct vpool *, struct vtask *);

/* Waits until the task is done or the monotonic deadline: 0 or -ETIMEDOUT. */
int		 vpool_wait(struct vpool *, struct vtask *, int64_t deadline_ms);

/* Whether the task is done, without waiting; its start time in *started. */
int		 vpool_done(struct vpool *, struct vtask *, int64_t *started);

/* The caller lets go of a task (done or not). */
void		 vpool_put(struct vpool *, struct vtask *);

/* Workers started, and of those the ones in a task now. */
void		 vpool_counts(struct vpool *, unsigned *threads, unsigned *busy);

#endif
