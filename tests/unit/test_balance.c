/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/balance.c (with the planner, the executor and
 * the audit log behind it) and balancer/dstate.c: a hot host gives
 * explained recommendations; approve mode sends only what an operator
 * approved, automatic mode sends at once, manual mode never; a rejected
 * move is not offered again; a broken policy file on reload keeps the
 * old policy.  Operator moves, maintenance, the audit log and dstate are
 * in test_balance_ops.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "testutil.h"

#include "balancefix.h"

/* approve mode: nothing moves on its own, the same moves keep their ids */
static void
approve_waits(struct tmp *t, struct balance *b, const uint64_t ids[2],
    size_t n)
{
	balance_tick(b, t->md, t->now + 100);
	balance_pass(b, t->md, t->now + 5000);
	balance_tick(b, t->md, t->now + 5100);
	assert_int_equal(t->f.n, 0);
	assert_int_equal(executor_count(balance_executor(b)), 0);
	assert_int_equal(count_recs(b, REC_PENDING), n);
	assert_true(nth_rec(b, REC_PENDING, 0)->id == ids[0]);
	assert_true(nth_rec(b, REC_PENDING, 1)->id == ids[1]);
}

/* Approves the first pending move: planned, then sent; twice refused. */
static void
approve_first(struct tmp *t, struct balance *b, struct recommendation *ra)
{
	const struct recommendation	*a;
	const struct migration		*m;
	char				 err[256];

	*ra = *nth_rec(b, REC_PENDING, 0);
	assert_int_equal(balance_approve(b, ra->id, t->now + 6000, err,
	    sizeof(err)), 0);
	a = rec_for(b, ra->vm, ra->dst);
	assert_int_equal(a->state, REC_APPROVED);
	assert_true(a->migration != 0);
	assert_non_null(m = executor_find(balance_executor(b), a->migration));
	assert_int_equal(m->state, MIG_PLANNED);
	assert_memory_equal(m->vm, ra->vm, 16);
	assert_memory_equal(m->dst, ra->dst, 16);
	assert_string_equal(m->reason, "hot");
	assert_string_equal(m->explain, ra->explain);
	assert_true(m->id >> 32 == 3);			/* this start's epoch */
	assert_int_equal(t->f.n, 0);

	balance_tick(b, t->md, t->now + 6100);
	assert_int_equal(t->f.n, 1);
	assert_true(t->f.cmd[0].id == a->migration);
	assert_memory_equal(t->f.cmd[0].vm, ra->vm, 16);
	assert_memory_equal(t->f.cmd[0].dst, ra->dst, 16);
	assert_memory_equal(t->f.cmd[0].host, ra->src, 16);
	m = executor_find(balance_executor(b), a->migration);
	assert_int_equal(m->state, MIG_SENT);

	/* twice: refused, and nothing more is sent */
	err[0] = '\0';
	assert_int_equal(balance_approve(b, ra->id, t->now + 6200, err,
	    sizeof(err)), -EALREADY);
	assert_non_null(strstr(err, "approved"));
	assert_int_equal(executor_count(balance_executor(b)), 1);
	err[0] = '\0';
	assert_int_equal(balance_reject(b, ra->id, err, sizeof(err)), -EALREADY);
	assert_true(strlen(err) > 0);
}

/* Rejects the next pending move: never offered again, not approvable. */
static void
reject_next(struct tmp *t, struct balance *b, const struct recommendation *ra)
{
	const struct recommendation	*r, *x;
	struct recommendation		 rx;
	char				 err[256];
	size_t				 i;

	assert_non_null(x = nth_rec(b, REC_PENDING, 0));
	rx = *x;
	assert_int_equal(balance_reject(b, rx.id, err, sizeof(err)), 0);
	assert_int_equal(rec_for(b, rx.vm, rx.dst)->state, REC_REJECTED);
	balance_pass(b, t->md, t->now + 10000);
	balance_pass(b, t->md, t->now + 15000);
	r = rec_for(b, rx.vm, rx.dst);
	assert_non_null(r);
	assert_int_equal(r->state, REC_REJECTED);
	assert_true(r->id == rx.id);
	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++)
		assert_false(r->state == REC_PENDING &&
		    memcmp(r->vm, rx.vm, 16) == 0 &&
		    memcmp(r->dst, rx.dst, 16) == 0);
	err[0] = '\0';
	assert_int_equal(balance_approve(b, rx.id, t->now + 16000, err,
	    sizeof(err)), -ESTALE);
	assert_non_null(strstr(err, "rejected"));
	/* the approved one is still the only migration */
	assert_int_equal(rec_for(b, ra->vm, ra->dst)->state, REC_APPROVED);
	balance_tick(b, t->md, t->now + 16100);
	assert_int_equal(t->f.n, 1);
	assert_int_equal(executor_count(balance_executor(b)), 1);
}

static void
test_approve_mode(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	struct recommendation		 ra;
	char				 err[256];
	uint64_t			 ids[2], mid;
	size_t				 i, n;

	write_policy(t, "approve");
	t->md = cluster(0.98, t->now);
	b = bal_open(t, 3);
	assert_int_equal(balance_mode(b), POLICY_APPROVE);
	balance_pass(b, t->md, t->now);
	assert_true(balance_passes(b) == 1);
	assert_true(balance_last_pass(b) > 0);
	/* hv1 at 98%: two moves bring it under 76% */
	n = count_recs(b, REC_PENDING);
	assert_true(n >= 2);
	assert_int_equal(balance_plan(b)->hot_hosts, 1);
	for (i = 0; i < n; i++)
		check_hot_rec(nth_rec(b, REC_PENDING, i));
	ids[0] = nth_rec(b, REC_PENDING, 0)->id;
	ids[1] = nth_rec(b, REC_PENDING, 1)->id;
	assert_true(ids[0] != ids[1]);

	approve_waits(t, b, ids, n);
	approve_first(t, b, &ra);
	reject_next(t, b, &ra);

	err[0] = '\0';
	assert_int_equal(balance_approve(b, 999999, t->now, err, sizeof(err)),
	    -ENOENT);
	assert_non_null(strstr(err, "999999"));
	assert_int_equal(balance_reject(b, 999999, err, sizeof(err)), -ENOENT);

	/* cancel through balance */
	mid = rec_for(b, ra.vm, ra.dst)->migration;
	assert_int_equal(balance_cancel(b, mid, t->now + 17000, err,
	    sizeof(err)), 0);
	assert_int_equal(executor_find(balance_executor(b), mid)->state,
	    MIG_ABORTED);
	assert_int_equal(balance_cancel(b, mid, t->now + 17000, err,
	    sizeof(err)), -EALREADY);
	assert_non_null(strstr(err, "ended"));
	assert_int_equal(balance_cancel(b, 12345, t->now, err, sizeof(err)),
	    -ENOENT);
	balance_free(b);
}

static void
test_automatic_mode(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	const struct recommendation	*r;
	const struct migration		*m;
	uint8_t				 h1[16];
	size_t				 i, k, n = 0;

	write_policy(t, "automatic");
	t->md = cluster(0.98, t->now);
	b = bal_open(t, 1);
	assert_int_equal(balance_mode(b), POLICY_AUTOMATIC);
	balance_pass(b, t->md, t->now);
	assert_int_equal(count_recs(b, REC_PENDING), 0);
	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++) {
		if (r->state != REC_APPROVED)
			continue;
		check_hot_rec(r);
		assert_non_null(m = executor_find(balance_executor(b),
		    r->migration));
		assert_int_equal(m->state, MIG_PLANNED);
		n++;
	}
	assert_true(n >= 2);
	assert_int_equal(t->f.n, 0);		/* sent by the tick */
	balance_tick(b, t->md, t->now + 100);
	assert_int_equal(t->f.n, n);
	host_uuid(1, h1);
	for (i = 0; i < t->f.n; i++) {
		assert_int_equal(t->f.cmd[i].op,
		    BALLAST__V1__COMMAND__OP_MIGRATE);
		assert_memory_equal(t->f.cmd[i].host, h1, 16);
	}
	/* the next pass leaves the VMs in flight alone */
	balance_pass(b, t->md, t->now + 5000);
	balance_tick(b, t->md, t->now + 5100);
	for (i = 0; i < t->f.n; i++)
		assert_true(t->f.cmd[i].id >> 32 == 1);
	for (i = 0; i < t->f.n; i++) {
		for (k = i + 1; k < t->f.n; k++)
			assert_memory_not_equal(t->f.cmd[i].vm,
			    t->f.cmd[k].vm, 16);
	}
	balance_free(b);
}

static void
test_manual_mode(void **state)
{
	struct tmp	*t = *state;
	struct balance	*b;
	int		 k;

	write_policy(t, "manual");
	t->md = cluster(0.98, t->now);
	b = bal_open(t, 1);
	assert_int_equal(balance_mode(b), POLICY_MANUAL);
	for (k = 0; k < 3; k++) {
		balance_pass(b, t->md, t->now + k * 5000);
		balance_tick(b, t->md, t->now + k * 5000 + 100);
	}
	assert_true(count_recs(b, REC_PENDING) >= 2);
	check_hot_rec(nth_rec(b, REC_PENDING, 0));
	assert_int_equal(count_recs(b, REC_APPROVED), 0);
	assert_int_equal(executor_count(balance_executor(b)), 0);
	assert_int_equal(t->f.n, 0);
	balance_free(b);
}

/* No hot host, no recommendation (and balance_maybe_pass keeps time). */
static void
test_quiet_cluster(void **state)
{
	struct tmp	*t = *state;
	struct balance	*b;

	write_policy(t, "automatic");
	t->md = cluster(0.50, t->now);
	b = bal_open(t, 1);
	balance_maybe_pass(b, t->md, t->now);
	assert_true(balance_passes(b) == 1);
	balance_maybe_pass(b, t->md, t->now + 4999);
	assert_true(balance_passes(b) == 1);
	balance_maybe_pass(b, t->md, t->now + 5000);
	assert_true(balance_passes(b) == 2);
	assert_int_equal(balance_rec_count(b), 0);
	balance_tick(b, t->md, t->now + 5100);
	assert_int_equal(t->f.n, 0);
	balance_free(b);
}

static void
test_reload(void **state)
{
	struct tmp	*t = *state;
	struct balance	*b;
	const char	*e;
	char		 err[512] = "", want[160];
	int64_t		 when = 0;

	write_policy(t, "approve");
	b = bal_open(t, 1);
	assert_int_equal(balance_mode(b), POLICY_APPROVE);
	assert_string_equal(balance_policy_path(b), t->policy);
	assert_int_equal(balance_policy(b)->interval_s, 5);
	e = balance_reload_error(b, &when);
	assert_string_equal(e, "");

	write_file(t->policy, "mode automatic\nhot cpu above 80% for 5x\n");
	assert_int_equal(balance_reload(b, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2:", t->policy);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("reload error \"%s\" is not at %s", err, want);
	assert_non_null(strstr(err, "5x"));
	/* the old policy holds, whole */
	assert_int_equal(balance_mode(b), POLICY_APPROVE);
	assert_int_equal(balance_policy(b)->interval_s, 5);
	assert_int_equal(balance_policy(b)->nrules, 1);
	e = balance_reload_error(b, &when);
	assert_string_equal(e, err);
	assert_true(when > 0);

	/* a file gone: an error too, the policy still holds */
	assert_int_equal(unlink(t->policy), 0);
	assert_true(balance_reload(b, err, sizeof(err)) < 0);
	assert_true(strlen(balance_reload_error(b, &when)) > 0);
	assert_int_equal(balance_mode(b), POLICY_APPROVE);

	write_file(t->policy, "mode automatic\ninterval 1m\n");
	assert_int_equal(balance_reload(b, err, sizeof(err)), 0);
	assert_int_equal(balance_mode(b), POLICY_AUTOMATIC);
	assert_int_equal(balance_policy(b)->interval_s, 60);
	assert_int_equal(balance_policy(b)->nrules, 0);
	assert_string_equal(balance_reload_error(b, &when), "");
	balance_free(b);
}

static void
test_new_with_broken_policy(void **state)
{
	struct tmp		*t = *state;
	struct balance_config	 cfg;
	struct balance		*b;
	char			 err[512] = "";

	write_file(t->policy, "mode sometimes\n");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = t->policy;
	cfg.state_dir = t->dir;
	cfg.epoch = 1;
	cfg.send = fake_send;
	cfg.send_arg = &t->f;
	assert_null(balance_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "test.policy:1:"));

	/* no policy file at all: the built-in defaults */
	cfg.policy_path = NULL;
	assert_non_null(b = balance_new(&cfg, err, sizeof(err)));
	assert_int_equal(balance_mode(b), POLICY_MANUAL);
	assert_null(balance_policy_path(b));
	balance_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_approve_mode, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_automatic_mode, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_manual_mode, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_quiet_cluster, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_reload, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_new_with_broken_policy, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
