/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/vpool.c: a task done in time, a task stuck
 * past its deadline while the next ones run in other workers, the
 * bound on workers, and releases by whichever side lets go last.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "vpool.h"

static pthread_mutex_t	 gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 gate_cv = PTHREAD_COND_INITIALIZER;
static int		 gate_open;
static int		 released;

struct job {
	struct vtask	 t;
	int		 block;		/* wait for the gate */
	int		 ran;
};

static void
job_run(struct vtask *t)
{
	struct job	*j = (struct job *)t;

	if (j->block) {
		pthread_mutex_lock(&gate_mu);
		while (!gate_open)
			pthread_cond_wait(&gate_cv, &gate_mu);
		pthread_mutex_unlock(&gate_mu);
	}
	j->ran = 1;
}

static void
job_release(struct vtask *t)
{
	__atomic_add_fetch(&released, 1, __ATOMIC_SEQ_CST);
	free(t);
}

static struct job *
job_new(int block)
{
	struct job	*j = calloc(1, sizeof(*j));

	j->t.run = job_run;
	j->t.release = job_release;
	j->block = block;
	return j;
}

static void
open_gate(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

static void
test_in_time(void **state)
{
	struct vpool	*p = vpool_new(4);
	struct job	*j = job_new(0);
	unsigned	 threads, busy;

	(void)state;
	released = 0;
	assert_int_equal(vpool_submit(p, &j->t), 0);
	assert_int_equal(vpool_wait(p, &j->t, util_now_mono_ms() + 2000), 0);
	assert_true(j->ran);
	assert_true(vpool_done(p, &j->t, NULL));
	vpool_put(p, &j->t);
	vpool_counts(p, &threads, &busy);
	assert_int_equal(threads, 1);
	vpool_free(p);
	assert_int_equal(released, 1);
}

static void
test_stuck(void **state)
{
	struct vpool	*p = vpool_new(2);
	struct job	*stuck = job_new(1), *next = job_new(0), *more;
	int64_t		 t0 = util_now_mono_ms(), started;
	unsigned	 threads, busy;

	(void)state;
	gate_open = 0;
	released = 0;
	assert_int_equal(vpool_submit(p, &stuck->t), 0);
	assert_int_equal(vpool_wait(p, &stuck->t, t0 + 100), -ETIMEDOUT);
	assert_true(util_now_mono_ms() - t0 >= 100);
	assert_false(vpool_done(p, &stuck->t, &started));
	assert_true(started >= t0);
	vpool_put(p, &stuck->t);		/* give up on it */
	assert_int_equal(released, 0);		/* the worker still has it */
	/* the next one runs in another worker */
	assert_int_equal(vpool_submit(p, &next->t), 0);
	assert_int_equal(vpool_wait(p, &next->t, util_now_mono_ms() + 2000), 0);
	vpool_put(p, &next->t);
	vpool_counts(p, &threads, &busy);
	assert_int_equal(threads, 2);
	assert_int_equal(busy, 1);
	/* one more gets the second worker stuck too */
	more = job_new(1);
	assert_int_equal(vpool_submit(p, &more->t), 0);
	vpool_put(p, &more->t);
	for (int i = 0; i < 200 && busy < 2; i++) {
		usleep(5000);
		vpool_counts(p, &threads, &busy);
	}
	assert_int_equal(busy, 2);
	/* at the bound: max_threads more queue behind them, then no more */
	for (int i = 0; i < 2; i++) {
		more = job_new(1);
		assert_int_equal(vpool_submit(p, &more->t), 0);
		vpool_put(p, &more->t);
	}
	more = job_new(1);
	assert_int_equal(vpool_submit(p, &more->t), -EAGAIN);
	free(more);
	open_gate();
	/* the stuck workers finish, then take the queued ones */
	for (int i = 0; i < 200 && __atomic_load_n(&released, __ATOMIC_SEQ_CST) < 5; i++)
		usleep(10000);
	assert_int_equal(released, 5);
	vpool_free(p);
}

static void
test_free_with_stuck(void **state)
{
	struct vpool	*p = vpool_new(1);
	struct job	*stuck = job_new(1);

	(void)state;
	gate_open = 0;
	released = 0;
	assert_int_equal(vpool_submit(p, &stuck->t), 0);
	assert_int_equal(vpool_wait(p, &stuck->t, util_now_mono_ms() + 50),
	    -ETIMEDOUT);
	vpool_put(p, &stuck->t);
	vpool_free(p);			/* does not wait for the stuck one */
	assert_int_equal(released, 0);
	open_gate();
	for (int i = 0; i < 100 && __atomic_load_n(&released, __ATOMIC_SEQ_CST) < 1; i++)
		usleep(10000);
	assert_int_equal(released, 1);
	usleep(20000);			/* the worker frees the pool */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_time),
		cmocka_unit_test(test_stuck),
		cmocka_unit_test(test_free_with_stuck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
