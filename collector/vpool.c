/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"
#include "vpool.h"

struct vpool {
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a task was queued, or stop */
	pthread_cond_t	 done;		/* a task finished, or a worker left */
	struct vtask	*head, *tail;
	unsigned	 queued;
	unsigned	 max, threads, idle;
	int		 stop;
	int		 refs;		/* the owner's and one per worker */
};

static void
vp_unref(struct vpool *p)
{
	/* called with p->mu held; frees the pool when the last one goes */
	if (--p->refs > 0) {
		pthread_mutex_unlock(&p->mu);
		return;
	}
	pthread_mutex_unlock(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* Drops a task reference with p->mu held; returns it if it must be released. */
static struct vtask *
vp_task_unref(struct vtask *t)
{
	return --t->refs == 0 ? t : NULL;
}

static void *
vp_worker(void *arg)
{
	struct vpool	*p = arg;
	struct vtask	*t, *rel;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->head == NULL && !p->stop) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->mu);
			p->idle--;
		}
		if (p->stop)
			break;
		t = p->head;
		p->head = t->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->queued--;
		t->started_ms = util_now_mono_ms();
		pthread_mutex_unlock(&p->mu);
		t->run(t);
		pthread_mutex_lock(&p->mu);
		t->done = 1;
		pthread_cond_broadcast(&p->done);
		if ((rel = vp_task_unref(t)) != NULL) {
			pthread_mutex_unlock(&p->mu);
			rel->release(rel);
			pthread_mutex_lock(&p->mu);
		}
	}
	p->threads--;
	pthread_cond_broadcast(&p->done);
	vp_unref(p);
	return NULL;
}

struct vpool *
vpool_new(unsigned max_threads)
{
	struct vpool		*p;
	pthread_condattr_t	 ca;

	if (max_threads == 0 || (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, &ca);
	pthread_condattr_destroy(&ca);
	p->max = max_threads;
	p->refs = 1;
	return p;
}

static void
vp_abstime(int64_t deadline_ms, struct timespec *ts)
{
	int64_t	 ms = deadline_ms;

	/* util_now_mono_ms() is CLOCK_MONOTONIC in milliseconds */
	ts->tv_sec = (time_t)(ms / 1000);
	ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

void
vpool_free(struct vpool *p)
{
	struct vtask	*t, *next;
	struct timespec	 ts;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	t = p->head;
	p->head = p->tail = NULL;
	pthread_cond_broadcast(&p->work);
	/* idle workers leave at once; give them 200 ms, not the stuck ones */
	vp_abstime(util_now_mono_ms() + 200, &ts);
	while (p->idle > 0)
		if (pthread_cond_timedwait(&p->done, &p->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&p->mu);
	for (; t != NULL; t = next) {
		next = t->next;
		pthread_mutex_lock(&p->mu);
		t = vp_task_unref(t);
		pthread_mutex_unlock(&p->mu);
		if (t != NULL)
			t->release(t);
	}
	pthread_mutex_lock(&p->mu);
	vp_unref(p);
}

static int
vp_spawn(struct vpool *p)
{
	pthread_t	 th;
	pthread_attr_t	 at;
	int		 rc;

	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 256 * 1024);
	rc = pthread_create(&th, &at, vp_worker, p);
	pthread_attr_destroy(&at);
	if (rc != 0)
		return -rc;
	p->threads++;
	p->refs++;
	return 0;
}

int
vpool_submit(struct vpool *p, struct vtask *t)
{
	int	 rc = 0;

	pthread_mutex_lock(&p->mu);
	if (p->idle <= p->queued) {	/* no worker free for it */
		if (p->threads < p->max)
			rc = vp_spawn(p);
		else if (p->queued >= p->max)
			rc = -EAGAIN;	/* every worker stuck, queue full */
	}
	if (rc == 0) {
		t->refs = 2;
		t->done = 0;
		t->started_ms = 0;
		t->next = NULL;
		if (p->tail != NULL)
			p->tail->next = t;
		else
			p->head = t;
		p->tail = t;
		p->queued++;
		pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
vpool_wait(struct vpool *p, struct vtask *t, int64_t deadline_ms)
{
	struct timespec	 ts;
	int		 rc = 0;

	vp_abstime(deadline_ms, &ts);
	pthread_mutex_lock(&p->mu);
	while (!t->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&p->done, &p->mu, &ts);
	rc = t->done ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
vpool_done(struct vpool *p, struct vtask *t, int64_t *started)
{
	int	 done;

	pthread_mutex_lock(&p->mu);
	done = t->done;
	if (started != NULL)
		*started = t->started_ms;
	pthread_mutex_unlock(&p->mu);
	return done;
}

void
vpool_put(struct vpool *p, struct vtask *t)
{
	pthread_mutex_lock(&p->mu);
	t = vp_task_unref(t);
	pthread_mutex_unlock(&p->mu);
	if (t != NULL)
		t->release(t);
}

void
vpool_counts(struct vpool *p, unsigned *threads, unsigned *busy)
{
	pthread_mutex_lock(&p->mu);
	*threads = p->threads;
	*busy = p->threads - p->idle;
	pthread_mutex_unlock(&p->mu);
}
