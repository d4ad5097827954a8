/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/balance.c (with the planner, the executor and
 * the audit log behind it) and balancer/dstate.c: a hot host gives
 * explained recommendations; approve mode sends only what an operator
 * approved, automatic mode sends at once, manual mode never; a rejected
 * move is not offered again; a broken policy file on reload keeps the
 * old policy; operator migrations are checked; maintenance is persisted
 * and evacuates the host; every decision is one JSON line in the audit
 * log.  dstate: the epoch counts up and refuses a damaged file, the
 * operator token is made once and kept.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "testutil.h"
#include "testreport.h"

#include "balance.h"
#include "dstate.h"
#include "executor.h"
#include "model.h"
#include "util.h"
#include "wire.h"

#define SEC		1000000000ULL		/* ns */
#define T_SAMPLE	1700000000000ULL	/* a report's sample time */
#define FAKE_MAX	64

/* VM ids (testreport.h gives their UUIDs) and where they run. */
enum { WEB1 = 1, WEB2, WEB3, WEB4, DB1, APP1, DB2, APP2 };

#define POLICY_TAIL \
	"interval 5s\n" \
	"hot cpu above 80% for 0s\n" \
	"cool cpu below 65% for 0s\n" \
	"migration { per-pass 8; per-host 4; cooldown 0s }\n" \
	"rule \"db-apart\" must anti-affinity vms \"db-*\"\n"

struct sent {
	uint64_t		 id, epoch;
	int			 op;
	uint8_t			 host[16];
	uint8_t			 vm[16], dst[16];
};

struct fake {
	struct sent		 cmd[FAKE_MAX];
	size_t			 n;
	int			 fail;
};

struct tmp {
	char			 dir[64];
	char			 policy[128];
	struct fake		 f;
	struct model		*md;
	int64_t			 now;		/* monotonic ms, last reports */
};

static int
fake_send(void *arg, const uint8_t host[16], Ballast__V1__Command *c)
{
	struct fake	*f = arg;
	struct sent	*s;

	assert_true(f->n < FAKE_MAX);
	s = &f->cmd[f->n++];
	memset(s, 0, sizeof(*s));
	s->id = c->id;
	s->epoch = c->epoch;
	s->op = (int)c->op_case;
	memcpy(s->host, host, 16);
	if (c->op_case == BALLAST__V1__COMMAND__OP_MIGRATE) {
		memcpy(s->vm, c->migrate->vm_uuid.data, 16);
		memcpy(s->dst, c->migrate->dest_host_uuid.data, 16);
	}
	return f->fail;
}

static void
host_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x10;
	u[1] = (uint8_t)id;
	u[15] = 0x01;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void
write_policy(struct tmp *t, const char *mode)
{
	char	 text[1024];

	snprintf(text, sizeof(text), "mode %s\n%s", mode, POLICY_TAIL);
	write_file(t->policy, text);
}

/*
 * One report of each host: hv1 at `hot` CPU with four VMs of 2.4 GHz,
 * hv2 at 20% and hv3 at 15% with two small VMs each (one db-, one app-).
 * k counts reports: counters and sample times go up by one second.
 */
static void
report(struct model *md, int host, uint64_t k, double util, int64_t now)
{
	static const char *const names[] = { "", "web-1", "web-2", "web-3",
	    "web-4", "db-1", "app-1", "db-2", "app-2" };
	struct trep	 h;
	wire_vm		*v;
	char		 hn[16];
	uint64_t	 busy = (uint64_t)(util * 8 * SEC), vcpu;
	int		 first, last, i;

	snprintf(hn, sizeof(hn), "hv%d", host);
	trep_host(&h, host, hn, k + 1, T_SAMPLE + k * 1000,
	    1000 * SEC + k * busy, 1000 * SEC + k * (8 * SEC - busy));
	first = host == 1 ? WEB1 : host == 2 ? DB1 : DB2;
	last = host == 1 ? WEB4 : host == 2 ? APP1 : APP2;
	vcpu = host == 1 ? 12 * SEC / 10 : 2 * SEC / 10;	/* a second */
	for (i = first; i <= last; i++) {
		v = trep_vm(&h, i, names[i]);
		v->cpu_time_ns = 100 * SEC + k * vcpu;
	}
	trep_apply(md, &h, now);
}

/* Two reports a second apart from every host: rates for all. */
static struct model *
cluster(double hot, int64_t now)
{
	struct model	*md;
	double		 u;
	int		 h;

	assert_non_null(md = model_new(NULL));
	for (h = 1; h <= 3; h++) {
		u = h == 1 ? hot : h == 2 ? 0.20 : 0.15;
		report(md, h, 0, u, now - 1000);
		report(md, h, 1, u, now);
	}
	return md;
}

static struct balance *
bal_open(struct tmp *t, uint64_t epoch)
{
	struct balance_config	 cfg;
	struct balance		*b;
	char			 err[512] = "";

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = t->policy;
	cfg.state_dir = t->dir;
	cfg.epoch = epoch;
	cfg.send = fake_send;
	cfg.send_arg = &t->f;
	if ((b = balance_new(&cfg, err, sizeof(err))) == NULL)
		fail_msg("balance_new: %s", err);
	return b;
}

static int
tmp_setup(void **state)
{
	struct tmp	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/ballast-bal-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->policy, sizeof(t->policy), "%s/test.policy", t->dir);
	t->now = util_now_mono_ms();
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp	*t = *state;
	struct dirent	*de;
	DIR		*d;
	char		 p[384];

	if ((d = opendir(t->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", t->dir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(t->dir);
	model_free(t->md);
	free(t);
	return 0;
}

static size_t
count_recs(const struct balance *b, enum rec_state st)
{
	size_t	 i, n = 0;

	for (i = 0; i < balance_rec_count(b); i++)
		n += balance_rec_at(b, i)->state == st;
	return n;
}

/* The i-th recommendation in state st, or NULL. */
static const struct recommendation *
nth_rec(const struct balance *b, enum rec_state st, size_t k)
{
	const struct recommendation *r;
	size_t			 i;

	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++)
		if (r->state == st && k-- == 0)
			return r;
	return NULL;
}

/* A recommendation for this VM to this host, in any state, or NULL. */
static const struct recommendation *
rec_for(const struct balance *b, const uint8_t vm[16], const uint8_t dst[16])
{
	const struct recommendation *r;
	size_t			 i;

	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++)
		if (memcmp(r->vm, vm, 16) == 0 && memcmp(r->dst, dst, 16) == 0)
			return r;
	return NULL;
}

static void
check_hot_rec(const struct recommendation *r)
{
	uint8_t	 h1[16];

	host_uuid(1, h1);
	assert_non_null(r);
	assert_memory_equal(r->src, h1, 16);
	assert_string_equal(r->src_name, "hv1");
	assert_int_equal(r->mv.reason, PLAN_HOT);
	assert_non_null(strstr(r->explain, "hv1 is hot"));
	assert_non_null(strstr(r->explain, r->vm_name));
	assert_non_null(strstr(r->explain, r->dst_name));
	assert_int_equal(strncmp(r->vm_name, "web-", 4), 0);
	assert_true(r->id > 0);
	assert_true(r->first_ms > 0 && r->last_ms >= r->first_ms);
}

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

static void
test_migrate(void **state)
{
	struct tmp		*t = *state;
	struct balance		*b;
	const struct migration	*m;
	char			 err[256], uuid[UTIL_UUID_STRLEN];
	uint8_t			 u[16], h3[16];
	uint64_t		 id = 0, id2 = 0, none = 0;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	b = bal_open(t, 4);
	host_uuid(3, h3);

	/* by name: in any mode, the operator decides */
	assert_int_equal(balance_migrate(b, t->md, "web-2", "hv3", t->now, &id,
	    err, sizeof(err)), 0);
	assert_non_null(m = executor_find(balance_executor(b), id));
	trep_vm_uuid(WEB2, u);
	assert_memory_equal(m->vm, u, 16);
	assert_memory_equal(m->dst, h3, 16);
	assert_string_equal(m->src_name, "hv1");
	assert_string_equal(m->dst_name, "hv3");
	assert_int_equal(m->state, MIG_PLANNED);
	assert_non_null(strstr(m->explain, "operator"));
	assert_string_equal(m->reason, "operator");
	assert_true(id >> 32 == 4);
	balance_tick(b, t->md, t->now + 100);
	assert_int_equal(t->f.n, 1);
	assert_true(t->f.cmd[0].id == id);

	/* by UUID */
	trep_vm_uuid(APP1, u);
	util_uuid_fmt(u, uuid);
	assert_int_equal(balance_migrate(b, t->md, uuid, "hv1", t->now, &id2,
	    err, sizeof(err)), 0);
	assert_true(id2 != id);
	assert_string_equal(executor_find(balance_executor(b), id2)->vm_name,
	    "app-1");

	/* already migrating */
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-2", "hv2", t->now,
	    &none, err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "already"));

	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "no-such-vm", "hv2", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no-such-vm"));
	trep_vm_uuid(99, u);
	util_uuid_fmt(u, uuid);
	assert_int_equal(balance_migrate(b, t->md, uuid, "hv2", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, uuid));
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv9", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "hv9"));
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv1", t->now,
	    &none, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "already"));
	/* db-1 on hv2, db-2 on hv3: must be apart */
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "db-1", "hv3", t->now,
	    &none, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "db-apart"));
	assert_non_null(strstr(err, "db-1"));
	assert_non_null(strstr(err, "hv3"));
	/* a host in maintenance takes nothing */
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv3", t->now,
	    &none, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "maintenance"));
	assert_true(none == 0);
	assert_int_equal(executor_count(balance_executor(b)), 2);
	balance_free(b);
}

static void
test_migrate_stale_host(void **state)
{
	struct tmp	*t = *state;
	struct balance	*b;
	char		 err[256] = "";
	uint64_t	 id = 0;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	/* hv1 and hv2 report on; hv3 falls silent */
	report(t->md, 1, 2, 0.5, t->now + 3500);
	report(t->md, 2, 2, 0.2, t->now + 3500);
	model_tick(t->md, t->now + 4000);
	assert_int_equal(model_host_by_name(t->md, "hv3")->stale, 1);
	assert_int_equal(model_host_by_name(t->md, "hv2")->stale, 0);
	b = bal_open(t, 1);
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv3",
	    t->now + 4000, &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "stale"));
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv2",
	    t->now + 4000, &id, err, sizeof(err)), 0);
	balance_free(b);
}

static int
file_has_line(const char *path, const char *want)
{
	FILE	*f = fopen(path, "r");
	char	 line[256];
	int	 found = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		found |= strcmp(line, want) == 0;
	}
	fclose(f);
	return found;
}

static void
test_maintenance(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	const struct recommendation	*r;
	const char *const		*names;
	char				 err[256] = "", path[128];
	uint8_t				 h1[16], h3[16], vm[16];
	size_t				 i, evac = 0;

	write_policy(t, "approve");
	t->md = cluster(0.50, t->now);
	snprintf(path, sizeof(path), "%s/maintenance", t->dir);
	host_uuid(3, h3);
	b = bal_open(t, 1);
	balance_pass(b, t->md, t->now);
	assert_int_equal(balance_rec_count(b), 0);

	assert_int_equal(balance_maintenance(b, t->md, "hv9", 1, err,
	    sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "hv9"));
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);			/* idempotent */
	assert_true(balance_in_maintenance(b, "hv3"));
	assert_false(balance_in_maintenance(b, "hv2"));
	assert_int_equal(balance_maintenance_list(b, &names), 1);
	assert_string_equal(names[0], "hv3");
	assert_true(file_has_line(path, "hv3"));
	balance_free(b);

	/* it survives a restart */
	b = bal_open(t, 2);
	assert_true(balance_in_maintenance(b, "hv3"));
	assert_int_equal(balance_maintenance_list(b, &names), 1);

	/* the pass plans the evacuation of both its VMs */
	balance_pass(b, t->md, t->now + 1000);
	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++) {
		assert_int_equal(r->state, REC_PENDING);
		assert_int_equal(r->mv.reason, PLAN_MAINTENANCE);
		assert_memory_equal(r->src, h3, 16);
		assert_string_equal(r->src_name, "hv3");
		assert_string_not_equal(r->dst_name, "hv3");
		assert_non_null(strstr(r->explain, "hv3 is in maintenance"));
		evac++;
	}
	assert_int_equal(evac, 2);
	trep_vm_uuid(DB2, vm);
	host_uuid(1, h1);
	assert_non_null(rec_for(b, vm, h1));	/* db-apart: not next to db-1 */
	trep_vm_uuid(APP2, vm);
	assert_null(rec_for(b, vm, h3));
	assert_int_equal(t->f.n, 0);		/* approve mode */

	assert_int_equal(balance_maintenance(b, t->md, "hv3", 0, err,
	    sizeof(err)), 0);
	assert_false(balance_in_maintenance(b, "hv3"));
	assert_int_equal(balance_maintenance_list(b, &names), 0);
	assert_false(file_has_line(path, "hv3"));
	/* leaving a host that was not in maintenance: nothing to do */
	assert_int_equal(balance_maintenance(b, t->md, "hv9", 0, err,
	    sizeof(err)), 0);
	balance_pass(b, t->md, t->now + 2000);
	assert_int_equal(count_recs(b, REC_PENDING), 0);
	balance_free(b);

	b = bal_open(t, 3);
	assert_false(balance_in_maintenance(b, "hv3"));
	balance_free(b);
}

/* Every line of the audit log is a JSON object with event and time. */
static void
test_audit_log(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	const struct recommendation	*r;
	char				 err[256], path[128], line[8192];
	const char			*ev;
	json_t				*o;
	FILE				*f;
	uint64_t			 id;
	int				 s_rec = 0, s_app = 0, s_rej = 0;
	int				 s_mig = 0, s_op = 0, s_maint = 0;
	int				 lines = 0;

	write_policy(t, "approve");
	t->md = cluster(0.98, t->now);
	b = bal_open(t, 1);
	balance_pass(b, t->md, t->now);
	assert_non_null(r = nth_rec(b, REC_PENDING, 0));
	assert_int_equal(balance_approve(b, r->id, t->now, err,
	    sizeof(err)), 0);
	assert_non_null(r = nth_rec(b, REC_PENDING, 0));
	assert_int_equal(balance_reject(b, r->id, err, sizeof(err)), 0);
	balance_tick(b, t->md, t->now + 100);
	assert_int_equal(balance_migrate(b, t->md, "app-1", "hv3", t->now, &id,
	    err, sizeof(err)), 0);
	assert_int_equal(balance_maintenance(b, t->md, "hv2", 1, err,
	    sizeof(err)), 0);
	balance_free(b);

	snprintf(path, sizeof(path), "%s/audit.log", t->dir);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		lines++;
		assert_true(line[strlen(line) - 1] == '\n');
		if ((o = json_loads(line, 0, NULL)) == NULL)
			fail_msg("audit line %d is not JSON: %s", lines, line);
		assert_true(json_is_object(o));
		assert_true(json_is_integer(json_object_get(o, "time")));
		assert_true(json_integer_value(json_object_get(o, "time")) > 0);
		ev = json_string_value(json_object_get(o, "event"));
		assert_non_null(ev);
		s_rec += strcmp(ev, "recommendation") == 0;
		s_app += strcmp(ev, "approve") == 0;
		s_rej += strcmp(ev, "reject") == 0;
		s_op += strcmp(ev, "operator-migrate") == 0;
		s_maint += strcmp(ev, "maintenance-enter") == 0;
		if (strcmp(ev, "migration") == 0) {
			s_mig++;
			assert_non_null(json_object_get(o, "id"));
			assert_non_null(json_object_get(o, "state"));
		}
		if (strcmp(ev, "recommendation") == 0 ||
		    strcmp(ev, "approve") == 0 || strcmp(ev, "reject") == 0) {
			assert_true(json_is_string(json_object_get(o, "vm")));
			assert_true(json_is_string(json_object_get(o,
			    "explain")));
		}
		json_decref(o);
	}
	fclose(f);
	assert_true(s_rec >= 2);
	assert_int_equal(s_app, 1);
	assert_int_equal(s_rej, 1);
	assert_true(s_mig >= 3);	/* planned, sent; planned (operator) */
	assert_int_equal(s_op, 1);
	assert_int_equal(s_maint, 1);
}

/* A status from the collector reaches the executor through balance. */
static void
test_status_through_balance(void **state)
{
	struct tmp			 *t = *state;
	Ballast__V1__CommandStatus	  s = BALLAST__V1__COMMAND_STATUS__INIT;
	struct balance			 *b;
	const struct migration		 *m;
	char				  err[256];
	uint64_t			  id;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	b = bal_open(t, 1);
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv2", t->now, &id,
	    err, sizeof(err)), 0);
	balance_tick(b, t->md, t->now);
	s.id = id;
	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
	s.error = (char *)(uintptr_t)"no room";
	s.host_uuid.data = (uint8_t *)(uintptr_t)executor_find(
	    balance_executor(b), id)->src;
	s.host_uuid.len = 16;
	balance_on_status(b, &s, t->now + 10);
	assert_non_null(m = executor_find(balance_executor(b), id));
	assert_int_equal(m->state, MIG_FAILED);
	assert_string_equal(m->error, "no room");
	balance_free(b);
}

static void
test_dstate_epoch(void **state)
{
	struct tmp	*t = *state;
	char		 err[512] = "", path[128];
	uint64_t	 e = 0;

	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 1);
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 2);
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 3);

	snprintf(path, sizeof(path), "%s/epoch", t->dir);
	write_file(path, "41\n");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 42);

	/* damaged: refused, and left as it was */
	write_file(path, "forty-two\n");
	e = 0;
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);
	assert_true(e == 0);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "damaged"));
	assert_true(file_has_line(path, "forty-two"));
	write_file(path, "");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);
	write_file(path, "-3\n");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);

	/* a state directory that is not there */
	snprintf(path, sizeof(path), "%s/missing", t->dir);
	err[0] = '\0';
	assert_true(dstate_epoch(path, &e, err, sizeof(err)) < 0);
	assert_true(strlen(err) > 0);
}

static void
test_dstate_token(void **state)
{
	struct tmp	*t = *state;
	struct stat	 st;
	char		 tok[128], again[128], err[512] = "", path[128];
	size_t		 i;
	int		 gen = -1;

	assert_int_equal(dstate_token(t->dir, NULL, tok, sizeof(tok), &gen, err,
	    sizeof(err)), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(strlen(tok), 48);
	for (i = 0; i < 48; i++)
		assert_non_null(strchr("0123456789abcdef", tok[i]));
	snprintf(path, sizeof(path), "%s/api.token", t->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(dstate_token(t->dir, "", again, sizeof(again), &gen,
	    err, sizeof(err)), 0);
	assert_int_equal(gen, 0);
	assert_string_equal(again, tok);

	/* a configured token wins and writes nothing */
	assert_int_equal(dstate_token(t->dir, "configured-secret-token", again,
	    sizeof(again), &gen, err, sizeof(err)), 0);
	assert_int_equal(gen, 0);
	assert_string_equal(again, "configured-secret-token");
	assert_true(file_has_line(path, tok));

	/* one too short to be a token is replaced */
	write_file(path, "short\n");
	assert_int_equal(dstate_token(t->dir, NULL, again, sizeof(again), &gen,
	    err, sizeof(err)), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(strlen(again), 48);
	assert_string_not_equal(again, tok);
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
		cmocka_unit_test_setup_teardown(test_new_with_broken_policy,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_migrate, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_stale_host,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_maintenance, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_audit_log, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_status_through_balance,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dstate_epoch, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dstate_token, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
