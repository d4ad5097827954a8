/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "util.h"

#define ST(x)	BALLAST__V1__COMMAND_STATE__CMD_STATE_##x

struct cmds {
	struct cmds_config	 cfg;
	struct act_update	 recs[CMDS_MEMORY];	/* id 0: free */
	size_t			 next;			/* ring position */
	uint64_t		 epoch;
	struct cmds_stats	 st;
};

struct cmds *
cmds_new(const struct cmds_config *cfg)
{
	struct cmds	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cfg = *cfg;
	return c;
}

void
cmds_free(struct cmds *c)
{
	free(c);
}

uint64_t
cmds_epoch(const struct cmds *c)
{
	return c->epoch;
}

const struct cmds_stats *
cmds_stats(const struct cmds *c)
{
	return &c->st;
}

static struct act_update *
cmds_find(struct cmds *c, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < CMDS_MEMORY; i++)
		if (c->recs[i].id == id)
			return &c->recs[i];
	return NULL;
}

static int
cmds_ended(int state)
{
	return state == ST(DONE) || state == ST(FAILED) ||
	    state == ST(CANCELLED) || state == ST(REFUSED);
}

/* A slot for a new id: the oldest ended record gives way first. */
static struct act_update *
cmds_slot(struct cmds *c, uint64_t id)
{
	struct act_update	*u;
	size_t			 i;

	for (i = 0; i < CMDS_MEMORY; i++) {
		u = &c->recs[(c->next + i) % CMDS_MEMORY];
		if (u->id == 0 || cmds_ended(u->state))
			break;
	}
	if (i == CMDS_MEMORY) {		/* all running: the oldest goes */
		i = 0;
		u = &c->recs[c->next];
	}
	c->next = (c->next + i + 1) % CMDS_MEMORY;
	memset(u, 0, sizeof(*u));
	u->id = id;
	return u;
}

static void
cmds_answer(struct cmds *c, uint64_t id, int state, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
cmds_answer(struct cmds *c, uint64_t id, int state, const char *fmt, ...)
{
	struct act_update	*u = cmds_slot(c, id);
	va_list			 ap;

	u->state = state;
	if (state == ST(DONE))
		u->permille = 1000;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(u->error, sizeof(u->error), fmt, ap);
		va_end(ap);
	}
	if (state == ST(REFUSED))
		c->st.refused++;
	c->cfg.send(c->cfg.arg, u);
}

/* The command's Unix-time deadline on the monotonic clock. */
static int64_t
cmds_deadline(const struct cmds *c, uint64_t deadline_ms, int64_t now_ms,
    int64_t real_ms)
{
	if (deadline_ms == 0)
		return now_ms + c->cfg.timeout_ms;
	return now_ms + ((int64_t)deadline_ms - real_ms);
}

/* Why a migration cannot start here, or NULL (fills req). */
static const char *
cmds_check(struct cmds *c, const Ballast__V1__Migrate *m, struct act_req *req,
    char *why, size_t len)
{
	char		 id[UTIL_UUID_STRLEN];
	uint64_t	 other;

	util_uuid_fmt(m->vm_uuid.data, id);
	if (!c->cfg.here(c->cfg.arg, m->vm_uuid.data, req->vm_name,
	    sizeof(req->vm_name))) {
		snprintf(why, len, "VM %s is not running on %s", id,
		    c->cfg.host_name);
		return why;
	}
	if ((other = c->cfg.ops->busy(c->cfg.act, m->vm_uuid.data)) != 0) {
		snprintf(why, len, "VM %s is already migrating (command %llu)",
		    req->vm_name, (unsigned long long)other);
		return why;
	}
	if (strcmp(m->dest_host_name, c->cfg.host_name) == 0) {
		snprintf(why, len, "VM %s already runs on %s", req->vm_name,
		    c->cfg.host_name);
		return why;
	}
	return NULL;
}

static void
cmds_migrate(struct cmds *c, const Ballast__V1__Command *cmd, int64_t now_ms,
    int64_t real_ms)
{
	const Ballast__V1__Migrate	*m = cmd->migrate;
	struct act_update		*u;
	struct act_req			 req;
	char				 why[WIRE_MAX_ERROR_TEXT + 1];

	memset(&req, 0, sizeof(req));
	if (cmds_check(c, m, &req, why, sizeof(why)) != NULL) {
		cmds_answer(c, cmd->id, ST(REFUSED), "%s", why);
		return;
	}
	req.id = cmd->id;
	memcpy(req.vm, m->vm_uuid.data, 16);
	util_strlcpy(req.dest, m->dest_host_name, sizeof(req.dest));
	memcpy(req.dest_uuid, m->dest_host_uuid.data, 16);
	req.bandwidth = m->bandwidth_bps ? m->bandwidth_bps : c->cfg.bandwidth;
	req.max_downtime_ms = m->max_downtime_ms ? m->max_downtime_ms :
	    c->cfg.max_downtime_ms;
	req.deadline_ms = cmds_deadline(c, m->deadline_ms, now_ms, real_ms);
	if (req.deadline_ms <= now_ms) {
		cmds_answer(c, cmd->id, ST(REFUSED), "its deadline has passed");
		return;
	}
	if (c->cfg.ops->start(c->cfg.act, &req, why, sizeof(why)) < 0) {
		cmds_answer(c, cmd->id, ST(REFUSED), "%s", why);
		return;
	}
	u = cmds_slot(c, cmd->id);
	u->state = ST(ACCEPTED);
	c->cfg.send(c->cfg.arg, u);
}

static void
cmds_cancel(struct cmds *c, const Ballast__V1__Command *cmd)
{
	uint64_t		 target = cmd->cancel->command_id;
	struct act_update	*u = cmds_find(c, target);

	if (target == 0 || u == NULL || cmds_ended(u->state) ||
	    c->cfg.ops->cancel(c->cfg.act, target) < 0) {
		cmds_answer(c, cmd->id, ST(REFUSED), "no migration %llu is "
		    "running here", (unsigned long long)target);
		return;
	}
	cmds_answer(c, cmd->id, ST(DONE), NULL);
}

void
cmds_on_command(struct cmds *c, const Ballast__V1__Command *cmd,
    int64_t now_ms, int64_t real_ms)
{
	struct act_update	*known, again;

	c->st.received++;
	if (cmd->id == 0)
		return;		/* wire refuses these; never remembered */
	if ((known = cmds_find(c, cmd->id)) != NULL) {
		c->st.repeated++;	/* idempotent: answer, never redo */
		again = *known;
		if (again.error[0] == '\0')
			snprintf(again.error, sizeof(again.error), "repeated "
			    "command id %llu: not run again",
			    (unsigned long long)cmd->id);
		c->cfg.send(c->cfg.arg, &again);
		return;
	}
	if (cmd->epoch < c->epoch) {
		c->st.stale_epoch++;
		cmds_answer(c, cmd->id, ST(REFUSED), "from balancer epoch %llu; "
		    "epoch %llu has been obeyed since",
		    (unsigned long long)cmd->epoch, (unsigned long long)c->epoch);
		return;
	}
	c->epoch = cmd->epoch;
	if (cmd->op_case == BALLAST__V1__COMMAND__OP_MIGRATE && cmd->migrate)
		cmds_migrate(c, cmd, now_ms, real_ms);
	else if (cmd->op_case == BALLAST__V1__COMMAND__OP_CANCEL && cmd->cancel)
		cmds_cancel(c, cmd);
	else
		cmds_answer(c, cmd->id, ST(REFUSED), "unknown command");
}

void
cmds_tick(struct cmds *c, int64_t now_ms)
{
	struct act_update	 up[16];
	struct act_update	*u;
	size_t			 i, n;

	while ((n = c->cfg.ops->poll(c->cfg.act, now_ms, up, 16)) > 0) {
		for (i = 0; i < n; i++) {
			if ((u = cmds_find(c, up[i].id)) == NULL)
				u = cmds_slot(c, up[i].id);
			*u = up[i];
			if (u->state == ST(DONE))
				c->st.done++;
			else if (u->state == ST(FAILED))
				c->st.failed++;
			else if (u->state == ST(CANCELLED))
				c->st.cancelled++;
			c->cfg.send(c->cfg.arg, u);
		}
		if (n < 16)
			break;
	}
}
