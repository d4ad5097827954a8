/* SPDX-License-Identifier: ISC */
/*
 * executorfix: a fake command sender, migrations by number, statuses and
 * a scratch journal directory for the executor's unit tests
 * (test_executor.c, test_executor_journal.c; include after cmocka.h).
 */
#ifndef BALLAST_EXECUTORFIX_H
#define BALLAST_EXECUTORFIX_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testreport.h"
#include "executor.h"
#include "model.h"
#include "util.h"
#include "wire.h"

#define EPOCH		7ULL
#define T0		1000000		/* monotonic ms, when not restarting */
#define SEND_TO_S	10
#define TIMEOUT_S	600
#define VERIFY_S	60
#define FAKE_MAX	64

#define ST_ACCEPTED	BALLAST__V1__COMMAND_STATE__CMD_STATE_ACCEPTED
#define ST_RUNNING	BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING
#define ST_DONE		BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE
#define ST_FAILED	BALLAST__V1__COMMAND_STATE__CMD_STATE_FAILED
#define ST_CANCELLED	BALLAST__V1__COMMAND_STATE__CMD_STATE_CANCELLED
#define ST_REFUSED	BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED
#define OP_MIGRATE	BALLAST__V1__COMMAND__OP_MIGRATE
#define OP_CANCEL	BALLAST__V1__COMMAND__OP_CANCEL

/* One command the fake collector link was asked to send. */
struct sent {
	int			 rc;		/* what the fake returned */
	uint64_t		 id, epoch;
	int			 op;		/* BALLAST__V1__COMMAND__OP_* */
	uint8_t			 host[16];	/* the host it was sent to */
	uint8_t			 vm[16], dst[16];
	char			 dst_name[WIRE_MAX_HOST_NAME + 1];
	uint32_t		 max_downtime_ms;
	uint64_t		 bandwidth;
	uint64_t		 cancel_of;	/* OP_CANCEL: of this id */
	int			 journaled;	/* journaled as sent first */
};

struct fake {
	struct sent		 cmd[FAKE_MAX];
	size_t			 n;
	int			 fail;		/* 0, or -errno to return */
	const char		*journal;	/* checked at each send */
};

struct tmp {
	char			 dir[64];
	char			 journal[128];
};

/* The state the journal's last line for id gives, or "" if none. */
static inline void
journal_state(const char *path, uint64_t id, char *out, size_t len)
{
	const char	*st;
	json_int_t	 jid;
	json_t		*o;
	FILE		*f;
	char		 line[8192];

	out[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((o = json_loads(line, 0, NULL)) == NULL)
			continue;
		if (json_unpack(o, "{s:I, s:s}", "id", &jid, "state",
		    &st) == 0 && (uint64_t)jid == id)
			util_strlcpy(out, st, len);
		json_decref(o);
	}
	fclose(f);
}

static inline int
fake_send(void *arg, const uint8_t host[16], Ballast__V1__Command *c)
{
	struct fake	*f = arg;
	struct sent	*s;
	char		 st[32];

	assert_true(f->n < FAKE_MAX);
	s = &f->cmd[f->n++];
	memset(s, 0, sizeof(*s));
	s->rc = f->fail;
	s->id = c->id;
	s->epoch = c->epoch;
	s->op = (int)c->op_case;
	memcpy(s->host, host, 16);
	if (c->op_case == OP_MIGRATE) {
		assert_non_null(c->migrate);
		assert_int_equal(c->migrate->vm_uuid.len, 16);
		assert_int_equal(c->migrate->dest_host_uuid.len, 16);
		memcpy(s->vm, c->migrate->vm_uuid.data, 16);
		memcpy(s->dst, c->migrate->dest_host_uuid.data, 16);
		util_strlcpy(s->dst_name, c->migrate->dest_host_name,
		    sizeof(s->dst_name));
		s->max_downtime_ms = c->migrate->max_downtime_ms;
		s->bandwidth = c->migrate->bandwidth_bps;
		if (f->journal != NULL) {
			journal_state(f->journal, c->id, st, sizeof(st));
			s->journaled = strcmp(st, "sent") == 0;
		}
	} else if (c->op_case == OP_CANCEL) {
		assert_non_null(c->cancel);
		s->cancel_of = c->cancel->command_id;
	} else
		fail_msg("a command with no operation");
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

/* VM `vm` (named vm-<vm>) from host hv<src> to hv<dst>. */
static inline void
mig_proto(struct migration *m, int vm, int src, int dst)
{
	memset(m, 0, sizeof(*m));
	trep_vm_uuid(vm, m->vm);
	host_uuid(src, m->src);
	host_uuid(dst, m->dst);
	snprintf(m->vm_name, sizeof(m->vm_name), "vm-%d", vm);
	snprintf(m->src_name, sizeof(m->src_name), "hv%d", src);
	snprintf(m->dst_name, sizeof(m->dst_name), "hv%d", dst);
	util_strlcpy(m->reason, "hot", sizeof(m->reason));
	util_strlcpy(m->explain, "a test move", sizeof(m->explain));
	m->src_before = 0.9;
	m->src_after = 0.7;
}

static inline struct executor *
ex_open(struct fake *f, const char *journal, uint64_t epoch, unsigned retries)
{
	struct executor_config	 cfg;
	struct executor		*ex;
	char			 err[256] = "";

	memset(&cfg, 0, sizeof(cfg));
	cfg.journal = journal;
	cfg.epoch = epoch;
	cfg.send_timeout_s = SEND_TO_S;
	cfg.retries = retries;
	cfg.timeout_s = TIMEOUT_S;
	cfg.verify_s = VERIFY_S;
	cfg.bandwidth = 100 << 20;
	cfg.max_downtime_ms = 300;
	ex = executor_new(&cfg, fake_send, f, err, sizeof(err));
	if (ex == NULL)
		fail_msg("executor_new: %s", err);
	return ex;
}

static inline uint64_t
submit(struct executor *ex, int vm, int src, int dst, int64_t now)
{
	struct migration	 m;
	uint64_t		 id = 0;

	mig_proto(&m, vm, src, dst);
	assert_int_equal(executor_submit(ex, &m, now, &id), 0);
	return id;
}

static inline void
status(struct executor *ex, uint64_t id, Ballast__V1__CommandState st,
    unsigned permille, const char *error, int64_t now)
{
	Ballast__V1__CommandStatus	 s = BALLAST__V1__COMMAND_STATUS__INIT;
	const struct migration		*m = executor_find(ex, id);
	uint8_t				 src[16] = { 0 };

	/* from the migration's source host, as a real collector sends it */
	if (m != NULL)
		memcpy(src, m->src, 16);
	s.host_uuid.data = src;
	s.host_uuid.len = 16;
	s.id = id;
	s.state = st;
	s.progress_permille = permille;
	if (error != NULL)
		s.error = (char *)(uintptr_t)error;
	executor_on_status(ex, &s, now);
}

/* A status for a migration from a host that is not its source. */
static inline void
status_from(struct executor *ex, uint64_t id, const uint8_t host[16],
    Ballast__V1__CommandState st, int64_t now)
{
	Ballast__V1__CommandStatus	 s = BALLAST__V1__COMMAND_STATUS__INIT;

	s.host_uuid.data = (uint8_t *)(uintptr_t)host;
	s.host_uuid.len = 16;
	s.id = id;
	s.state = st;
	executor_on_status(ex, &s, now);
}

static inline const struct migration *
mig(const struct executor *ex, uint64_t id)
{
	const struct migration	*m = executor_find(ex, id);

	if (m == NULL)
		fail_msg("no migration %llu", (unsigned long long)id);
	return m;
}

/* A model in which host hv<host> reports VM vm-<vm> (and nothing else). */
static inline struct model *
model_vm_on(int vm, int host, int64_t now)
{
	struct model	*md;
	struct trep	 h;
	char		 name[16], vname[16];

	snprintf(name, sizeof(name), "hv%d", host);
	snprintf(vname, sizeof(vname), "vm-%d", vm);
	assert_non_null(md = model_new(NULL));
	trep_host(&h, host, name, 1, 1700000000000ULL, 100, 100);
	trep_vm(&h, vm, vname);
	trep_apply(md, &h, now);
	return md;
}

static inline int
tmp_setup(void **state)
{
	struct tmp	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/ballast-exec-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->journal, sizeof(t->journal), "%s/migrations.journal",
	    t->dir);
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
	free(t);
	return 0;
}

/* Newlines in a file. */
static inline size_t
count_lines(const char *path)
{
	FILE	*f;
	size_t	 n = 0;
	int	 c;

	assert_non_null(f = fopen(path, "r"));
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

#endif
