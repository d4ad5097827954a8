/* SPDX-License-Identifier: ISC */
/*
 * balancefix: a scratch state directory, policies, a small cluster with
 * one hot host and a fake command sender, for the balance unit tests
 * (test_balance.c, test_balance_ops.c; include after cmocka.h).
 */
#ifndef BALLAST_BALANCEFIX_H
#define BALLAST_BALANCEFIX_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static inline int
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

static inline void
host_uuid(int id, uint8_t u[16])
{
	memset(u, 0, 16);
	u[0] = 0x10;
	u[1] = (uint8_t)id;
	u[15] = 0x01;
}

static inline void
write_file(const char *path, const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static inline void
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
static inline void
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
static inline struct model *
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

static inline struct balance *
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

static inline int
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

static inline int
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

static inline size_t
count_recs(const struct balance *b, enum rec_state st)
{
	size_t	 i, n = 0;

	for (i = 0; i < balance_rec_count(b); i++)
		n += balance_rec_at(b, i)->state == st;
	return n;
}

/* The i-th recommendation in state st, or NULL. */
static inline const struct recommendation *
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
static inline const struct recommendation *
rec_for(const struct balance *b, const uint8_t vm[16], const uint8_t dst[16])
{
	const struct recommendation *r;
	size_t			 i;

	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++)
		if (memcmp(r->vm, vm, 16) == 0 && memcmp(r->dst, dst, 16) == 0)
			return r;
	return NULL;
}

static inline void
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

#endif
