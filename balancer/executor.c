/* SPDX-License-Identifier: ISC */
/*
 * executor: one state machine per migration.
 *
 *                 submit                    status ACCEPTED/RUNNING
 *   (planned) ---------> PLANNED --send--> SENT -------------------> MIGRATING
 *                           |                |  \ no answer in              |
 *                           | restart        |   \ send_timeout: send      | status DONE
 *                           v                |    \ again (same id),       v
 *                        ABORTED             |     retries times      VERIFYING
 *                                            | then FAILED               |   |
 *              status REFUSED/FAILED --------+--> FAILED  <---------------+   | seen on the
 *              (VM stays on its source)            ^       not seen in       | destination
 *                                                  |       verify_s          v
 *              status CANCELLED, timeout_s --> ABORTED                     DONE
 *
 * Transitions and the functions that make them:
 *   PLANNED -> SENT        exec_send()      journal first, then the command;
 *                          not while a migration out of the destination
 *                          is under way (exec_dst_leaving): a host is
 *                          emptied before it is filled, so a make-room
 *                          move and the move it makes room for never
 *                          overlap on the host between them
 *   SENT -> SENT           exec_timeouts()  same id again: idempotent at the collector
 *   SENT -> MIGRATING      executor_on_status()
 *   * -> VERIFYING         executor_on_status() on DONE; exec_load() after a restart
 *   VERIFYING -> DONE      exec_verify()    the model sees the VM on the destination
 *   * -> FAILED/ABORTED    executor_on_status(), exec_timeouts(), executor_cancel()
 *
 * Invariants (exec_assert): a VM has at most one migration not ended;
 * attempts >= 1 from SENT on; progress is 1000 in DONE; ended_at is set
 * exactly in DONE, FAILED and ABORTED; a command is sent only from
 * PLANNED or SENT, never after a restart (a migration in flight when
 * the balancer died is only reconciled from reports).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "executor.h"
#include "util.h"

struct executor {
	struct executor_config	 cfg;
	exec_send_fn		 send;
	void			*arg;
	struct migration	*recs;		/* oldest first */
	size_t			 n;
	uint32_t		 next;		/* low half of the next id */
	uint64_t		 totals[MIG_NSTATES];
	FILE			*journal;
};

static const char *const state_names[MIG_NSTATES] = {
	"planned", "sent", "migrating", "verifying", "done", "failed", "aborted"
};

const char *
mig_state_name(enum mig_state s)
{
	return (unsigned)s < MIG_NSTATES ? state_names[s] : "unknown";
}

static int
mig_ended(const struct migration *m)
{
	return m->state == MIG_DONE || m->state == MIG_FAILED ||
	    m->state == MIG_ABORTED;
}

static void
exec_assert(const struct migration *m)
{
	assert((unsigned)m->state < MIG_NSTATES);
	assert(m->state == MIG_PLANNED || m->state == MIG_ABORTED ||
	    m->attempts >= 1 || m->state == MIG_VERIFYING ||
	    m->state == MIG_FAILED);
	assert(m->state != MIG_DONE || m->progress == 1000);
	assert(mig_ended(m) == (m->ended_at != 0));
	(void)m;
}

static json_t *
exec_json(const struct migration *m)
{
	char	 vm[UTIL_UUID_STRLEN], src[UTIL_UUID_STRLEN], dst[UTIL_UUID_STRLEN];

	util_uuid_fmt(m->vm, vm);
	util_uuid_fmt(m->src, src);
	util_uuid_fmt(m->dst, dst);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:i, s:i, s:f, s:f, s:f, s:f, s:I, s:I}",
	    "id", (json_int_t)m->id, "state", mig_state_name(m->state),
	    "vm", vm, "vm_name", m->vm_name, "src", src, "src_name", m->src_name,
	    "dst", dst, "dst_name", m->dst_name, "reason", m->reason,
	    "explain", m->explain, "error", m->error,
	    "progress", (int)m->progress, "attempts", (int)m->attempts,
	    "pred_time_s", m->pred_time_s, "pred_down_s", m->pred_down_s,
	    "src_before", m->src_before, "src_after", m->src_after,
	    "planned_at", (json_int_t)m->planned_at,
	    "ended_at", (json_int_t)m->ended_at, "outcome", m->outcome);
}

/*
 * Appends the migration's state to the journal, durably.  Returns 0, or
 * -errno (a full disk): a command is then not sent (exec_send).
 */
static int
exec_journal(struct executor *ex, const struct migration *m)
{
	json_t	*o;
	char	*line;
	size_t	 len;
	int	 rc = 0;

	exec_assert(m);
	if (ex->journal == NULL)
		return 0;
	o = exec_json(m);
	line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (line == NULL)
		return -ENOMEM;
	/* whole lines or nothing: a line cut short by a full disk would
	   take the next one with it when the journal is read back */
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room: we overwrite the NUL */
	rc = util_append_whole(fileno(ex->journal), line, len + 1);
	if (rc == 0 && fdatasync(fileno(ex->journal)) != 0)
		rc = errno ? -errno : -EIO;
	free(line);
	return rc;
}

static void
exec_audit(struct executor *ex, const struct migration *m)
{
	json_t	*o;

	if (ex->cfg.audit_log == NULL)
		return;
	o = exec_json(m);
	audit_log(ex->cfg.audit_log, "migration", o);
}

static int
exec_enter(struct executor *ex, struct migration *m, enum mig_state s,
    int64_t now_ms, const char *error)
{
	size_t	 n = sizeof(m->error) - 1;
	int	 rc;

	m->state = s;
	m->state_ms = now_ms;
	if (error != NULL && util_strlcpy(m->error, error, sizeof(m->error)) > n) {
		/* cut short (a collector's text may be longer): keep it UTF-8,
		 * or neither the journal nor the audit log can take it */
		while (n > 0 && ((unsigned char)error[n] & 0xc0) == 0x80)
			n--;
		m->error[n] = '\0';
	}
	if (s == MIG_DONE) {
		m->progress = 1000;
		m->done_ms = now_ms;
	}
	if (mig_ended(m)) {
		m->ended_at = util_now_real_ms();
		ex->totals[s]++;
	}
	rc = exec_journal(ex, m);
	exec_audit(ex, m);
	return rc;
}

/* Reads one journal line into m; 0 or -EINVAL. */
static int
exec_parse(json_t *o, struct migration *m)
{
	const char	*st, *vm, *src, *dst, *vn = "", *sn = "", *dn = "";
	const char	*why = "", *ex = "", *er = "", *oc = "";
	json_int_t	 id, pa = 0, ea = 0;
	int		 i, pr = 0, at = 0;

	memset(m, 0, sizeof(*m));
	if (json_unpack(o, "{s:I, s:s, s:s, s:s, s:s, s?s, s?s, s?s, s?s, s?s, "
	    "s?s, s?I, s?I, s?i, s?i, s?f, s?f, s?f, s?f, s?s}", "id", &id,
	    "state", &st, "vm", &vm, "src", &src,
	    "dst", &dst, "vm_name", &vn, "src_name", &sn, "dst_name", &dn,
	    "reason", &why, "explain", &ex, "error", &er, "planned_at", &pa,
	    "ended_at", &ea, "progress", &pr, "attempts", &at,
	    "pred_time_s", &m->pred_time_s, "pred_down_s", &m->pred_down_s,
	    "src_before", &m->src_before, "src_after", &m->src_after,
	    "outcome", &oc) != 0 ||
	    util_uuid_parse(vm, m->vm) < 0 || util_uuid_parse(src, m->src) < 0 ||
	    util_uuid_parse(dst, m->dst) < 0)
		return -EINVAL;
	for (i = 0; i < MIG_NSTATES && strcmp(st, state_names[i]) != 0; i++)
		;
	if (i == MIG_NSTATES)
		return -EINVAL;
	m->id = (uint64_t)id;
	m->state = (enum mig_state)i;
	util_strlcpy(m->vm_name, vn, sizeof(m->vm_name));
	util_strlcpy(m->src_name, sn, sizeof(m->src_name));
	util_strlcpy(m->dst_name, dn, sizeof(m->dst_name));
	util_strlcpy(m->reason, why, sizeof(m->reason));
	util_strlcpy(m->explain, ex, sizeof(m->explain));
	util_strlcpy(m->error, er, sizeof(m->error));
	util_strlcpy(m->outcome, oc, sizeof(m->outcome));
	m->benefit_checked = 1;		/* history: not checked again */
	m->planned_at = pa;
	m->ended_at = mig_ended(m) ? ea : 0;
	m->progress = pr < 0 ? 0 : pr > 1000 ? 1000 : (unsigned)pr;
	m->attempts = at > 0 ? (unsigned)at : 0;
	if (m->state == MIG_DONE) {	/* what exec_assert holds it to */
		m->progress = 1000;
		m->attempts = m->attempts ? m->attempts : 1;
	}
	return 0;
}

static struct migration *
exec_slot(struct executor *ex)
{
	size_t	 i;

	if (ex->n == EXECUTOR_KEEP) {
		/* forget the oldest that has ended */
		for (i = 0; i < ex->n && !mig_ended(&ex->recs[i]); i++)
			;
		if (i == ex->n)
			return NULL;
		memmove(&ex->recs[i], &ex->recs[i + 1],
		    (ex->n - i - 1) * sizeof(*ex->recs));
		ex->n--;
	}
	return &ex->recs[ex->n++];
}

const struct migration *
executor_find(const struct executor *ex, uint64_t id)
{
	size_t	 i;

	for (i = ex->n; i > 0; i--)
		if (ex->recs[i - 1].id == id)
			return &ex->recs[i - 1];
	return NULL;
}

static struct migration *
exec_find(struct executor *ex, uint64_t id)
{
	return (struct migration *)(uintptr_t)executor_find(ex, id);
}

/*
 * After a restart: the last line of each id wins.  What was only
 * planned is dropped; what was in flight is reconciled from reports.
 */
static void
exec_recover(struct executor *ex, struct migration *m, int64_t now_ms)
{
	if (m->state == MIG_PLANNED)
		exec_enter(ex, m, MIG_ABORTED, now_ms,
		    "the balancer restarted before sending it");
	else if (!mig_ended(m)) {
		m->attempts = m->attempts ? m->attempts : 1;
		m->recovered = 1;
		exec_enter(ex, m, MIG_VERIFYING, now_ms, "the balancer restarted "
		    "while it was in flight: reconciling from reports, not resending");
	}
}

static void
exec_load(struct executor *ex, const char *path, int64_t now_ms)
{
	struct migration	 m, *slot;
	json_error_t		 jerr;
	json_t			*o;
	FILE			*f;
	char			 line[8192];
	size_t			 i;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((o = json_loads(line, 0, &jerr)) == NULL)
			continue;	/* a torn last line after a crash */
		if (exec_parse(o, &m) == 0) {
			if ((slot = exec_find(ex, m.id)) == NULL)
				slot = exec_slot(ex);
			if (slot != NULL)
				*slot = m;
			if ((uint32_t)m.id >= ex->next && (m.id >> 32) == ex->cfg.epoch)
				ex->next = (uint32_t)m.id + 1;
		}
		json_decref(o);
	}
	fclose(f);
	for (i = 0; i < ex->n; i++) {
		if (mig_ended(&ex->recs[i]) && ex->recs[i].ended_at == 0)
			ex->recs[i].ended_at = ex->recs[i].planned_at;
		exec_recover(ex, &ex->recs[i], now_ms);
	}
}

/* Rewrites the journal with one line per migration kept. */
static int
exec_compact(struct executor *ex, const char *path)
{
	char	 tmp[4200];
	FILE	*j = ex->journal;
	size_t	 i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((ex->journal = fopen(tmp, "w")) == NULL) {
		ex->journal = j;
		return -errno;
	}
	for (i = 0; i < ex->n; i++)
		if (exec_journal(ex, &ex->recs[i]) < 0) {
			fclose(ex->journal);
			ex->journal = j;
			unlink(tmp);
			return -EIO;
		}
	fclose(ex->journal);	/* exec_journal synced every line */
	if (j != NULL)
		fclose(j);
	if (rename(tmp, path) == -1 || (ex->journal = fopen(path, "a")) == NULL)
		return -errno;
	return 0;
}

struct executor *
executor_new(const struct executor_config *cfg, exec_send_fn send, void *arg,
    char *err, size_t errlen)
{
	struct executor	*ex;
	int		 rc;

	if ((ex = calloc(1, sizeof(*ex))) == NULL ||
	    (ex->recs = calloc(EXECUTOR_KEEP, sizeof(*ex->recs))) == NULL) {
		free(ex);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ex->cfg = *cfg;
	ex->send = send;
	ex->arg = arg;
	ex->next = 1;
	if (ex->cfg.send_timeout_s == 0)
		ex->cfg.send_timeout_s = 10;
	if (ex->cfg.timeout_s == 0)
		ex->cfg.timeout_s = 600;
	if (ex->cfg.verify_s == 0)
		ex->cfg.verify_s = 60;
	if (cfg->journal != NULL) {
		exec_load(ex, cfg->journal, util_now_mono_ms());
		if ((rc = exec_compact(ex, cfg->journal)) < 0) {
			snprintf(err, errlen, "migration journal %s: %s",
			    cfg->journal, strerror(-rc));
			executor_free(ex);
			return NULL;
		}
	}
	return ex;
}

void
executor_free(struct executor *ex)
{
	if (ex == NULL)
		return;
	if (ex->journal != NULL)
		fclose(ex->journal);
	free(ex->recs);
	free(ex);
}

void
executor_configure(struct executor *ex, unsigned retries, unsigned timeout_s,
    uint64_t bandwidth, unsigned max_downtime_ms)
{
	ex->cfg.retries = retries;
	ex->cfg.timeout_s = timeout_s ? timeout_s : 600;
	ex->cfg.bandwidth = bandwidth;
	ex->cfg.max_downtime_ms = max_downtime_ms;
}

int
executor_vm_busy(const struct executor *ex, const uint8_t vm[16])
{
	size_t	 i;

	for (i = 0; i < ex->n; i++)
		if (!mig_ended(&ex->recs[i]) && memcmp(ex->recs[i].vm, vm, 16) == 0)
			return 1;
	return 0;
}

unsigned
executor_vm_failures(const struct executor *ex, const uint8_t vm[16],
    const uint8_t src[16])
{
	const struct migration	*m;
	unsigned		 n = 0;
	size_t			 i;

	for (i = ex->n; i > 0; i--) {
		m = &ex->recs[i - 1];
		if (memcmp(m->vm, vm, 16) != 0)
			continue;
		if (m->state == MIG_DONE)
			break;
		if (m->state == MIG_FAILED && memcmp(m->src, src, 16) == 0)
			n++;
	}
	return n;
}

unsigned
executor_host_busy(const struct executor *ex, const uint8_t host[16])
{
	unsigned n = 0;
	size_t	 i;

	for (i = 0; i < ex->n; i++)
		if (!mig_ended(&ex->recs[i]) &&
		    (memcmp(ex->recs[i].src, host, 16) == 0 ||
		    memcmp(ex->recs[i].dst, host, 16) == 0))
			n++;
	return n;
}

int
executor_submit(struct executor *ex, const struct migration *proto,
    int64_t now_ms, uint64_t *id)
{
	struct migration	*m;

	if (executor_vm_busy(ex, proto->vm))
		return -EBUSY;
	if ((m = exec_slot(ex)) == NULL)
		return -ENOSPC;
	*m = *proto;
	m->id = ex->cfg.epoch << 32 | ex->next++;
	m->attempts = 0;
	m->progress = 0;
	m->ended_at = 0;
	m->planned_at = util_now_real_ms();
	m->error[0] = m->outcome[0] = '\0';
	exec_enter(ex, m, MIG_PLANNED, now_ms, NULL);
	*id = m->id;
	return 0;
}

static int
exec_command(struct executor *ex, struct migration *m)
{
	Ballast__V1__Command	 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 mg = BALLAST__V1__MIGRATE__INIT;

	c.id = m->id;
	c.epoch = ex->cfg.epoch;
	c.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	c.migrate = &mg;
	mg.vm_uuid.data = m->vm;
	mg.vm_uuid.len = 16;
	mg.dest_host_uuid.data = m->dst;
	mg.dest_host_uuid.len = 16;
	mg.dest_host_name = m->dst_name;
	mg.max_downtime_ms = ex->cfg.max_downtime_ms;
	mg.bandwidth_bps = ex->cfg.bandwidth;
	return ex->send(ex->arg, m->src, &c);
}

/* PLANNED -> SENT: journal first, so a crash can never send it twice. */
static void
exec_send(struct executor *ex, struct migration *m, int64_t now_ms)
{
	char	 err[MIG_TEXT];
	int	 rc;

	m->attempts++;
	if ((rc = exec_enter(ex, m, MIG_SENT, now_ms, NULL)) < 0) {
		/* not journaled: sending could repeat it after a crash */
		snprintf(err, sizeof(err), "not sent: the journal cannot be "
		    "written (%s)", strerror(-rc));
		exec_enter(ex, m, MIG_FAILED, now_ms, err);
		return;
	}
	if ((rc = exec_command(ex, m)) < 0) {
		snprintf(err, sizeof(err), "cannot reach the collector of %s: %s",
		    m->src_name, rc == -EHOSTUNREACH ? "not connected" :
		    strerror(-rc));
		exec_enter(ex, m, MIG_FAILED, now_ms, err);
	}
}

void
executor_on_status(struct executor *ex, const Ballast__V1__CommandStatus *s,
    int64_t now_ms)
{
	struct migration	*m = exec_find(ex, s->id);

	/* only the source host speaks for its migration */
	if (m == NULL || mig_ended(m) || s->host_uuid.len != 16 ||
	    memcmp(s->host_uuid.data, m->src, 16) != 0)
		return;
	switch (s->state) {
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_ACCEPTED:
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING:
		m->progress = s->progress_permille;
		if (m->state == MIG_SENT)
			exec_enter(ex, m, MIG_MIGRATING, now_ms, NULL);
		break;
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_DONE:
		m->progress = 1000;
		exec_enter(ex, m, MIG_VERIFYING, now_ms, NULL);
		break;
	case BALLAST__V1__COMMAND_STATE__CMD_STATE_CANCELLED:
		exec_enter(ex, m, MIG_ABORTED, now_ms, s->error[0] ? s->error :
		    "cancelled at the source");
		break;
	default:
		exec_enter(ex, m, MIG_FAILED, now_ms, s->error[0] ? s->error :
		    "the source host reported a failure without a reason");
		break;
	}
}

static void
exec_cancel_cmd(struct executor *ex, struct migration *m)
{
	Ballast__V1__Command	 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Cancel	 k = BALLAST__V1__CANCEL__INIT;

	c.id = ex->cfg.epoch << 32 | ex->next++;
	c.epoch = ex->cfg.epoch;
	c.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	c.cancel = &k;
	k.command_id = m->id;
	ex->send(ex->arg, m->src, &c);
}

int
executor_cancel(struct executor *ex, uint64_t id, int64_t now_ms)
{
	struct migration	*m = exec_find(ex, id);

	if (m == NULL)
		return -ENOENT;
	if (mig_ended(m))
		return -EALREADY;
	if (m->state != MIG_PLANNED)
		exec_cancel_cmd(ex, m);
	exec_enter(ex, m, MIG_ABORTED, now_ms, "cancelled by the operator");
	return 0;
}

static void
exec_timeouts(struct executor *ex, struct migration *m, int64_t now_ms)
{
	char	 err[MIG_TEXT];
	int64_t	 age = now_ms - m->state_ms;

	if (m->state == MIG_SENT && age > (int64_t)ex->cfg.send_timeout_s * 1000) {
		if (m->attempts <= ex->cfg.retries) {
			m->attempts++;
			m->state_ms = now_ms;
			if (exec_command(ex, m) == 0)
				return;
		}
		snprintf(err, sizeof(err), "the collector of %s did not answer "
		    "(%u sends)", m->src_name, m->attempts);
		exec_enter(ex, m, MIG_FAILED, now_ms, err);
	} else if (m->state == MIG_MIGRATING &&
	    age > (int64_t)ex->cfg.timeout_s * 1000) {
		exec_cancel_cmd(ex, m);
		snprintf(err, sizeof(err), "no end after %u s: cancelled, the VM "
		    "stays on %s", ex->cfg.timeout_s, m->src_name);
		exec_enter(ex, m, MIG_ABORTED, now_ms, err);
	}
}

/* VERIFYING: the model is the truth about where the VM runs. */
static void
exec_verify(struct executor *ex, struct migration *m, const struct model *md,
    int64_t now_ms)
{
	const struct model_vm	*vm = model_vm_by_uuid(md, m->vm);
	char			 err[MIG_TEXT];

	if (vm != NULL && vm->host != NULL && memcmp(vm->host->uuid, m->dst, 16) == 0) {
		m->progress = 1000;
		exec_enter(ex, m, MIG_DONE, now_ms, NULL);	/* keeps m->error */
		return;
	}
	/* one that was in flight at a restart may still be running */
	if (now_ms - m->state_ms > (int64_t)(m->recovered ? ex->cfg.timeout_s :
	    ex->cfg.verify_s) * 1000) {
		snprintf(err, sizeof(err), "not seen on %s within %u s; it runs "
		    "on %s", m->dst_name, ex->cfg.verify_s,
		    vm && vm->host ? vm->host->name : "no reporting host");
		exec_enter(ex, m, MIG_FAILED, now_ms, err);
	}
}

/* After DONE: did the source get the relief that was predicted? */
static void
exec_benefit(struct executor *ex, struct migration *m, const struct model *md,
    int64_t now_ms)
{
	const struct model_host	*h = model_host_by_uuid(md, m->src);
	json_t			*o;
	double			 want;

	if (m->benefit_checked || now_ms - m->done_ms < 60000 || h == NULL)
		return;
	m->benefit_checked = 1;
	want = m->src_before - 0.5 * (m->src_before - m->src_after);
	snprintf(m->outcome, sizeof(m->outcome), "benefit %s: %s at %.0f%% CPU "
	    "a minute later (%.0f%% before, %.0f%% predicted)",
	    h->cpu_util <= want ? "seen" : "not seen", m->src_name,
	    h->cpu_util * 100, m->src_before * 100, m->src_after * 100);
	o = json_pack("{s:I, s:s}", "id", (json_int_t)m->id, "outcome", m->outcome);
	audit_log(ex->cfg.audit_log, "benefit", o);
}

/*
 * Whether a migration out of m's destination is under way: sent or
 * migrating (once the collector says it is done the VM has left, and
 * VERIFYING no longer holds anything back).  One still PLANNED does not
 * count, so two moves in opposite directions cannot wait for each
 * other: the first sent goes first.
 */
static int
exec_dst_leaving(const struct executor *ex, const struct migration *m)
{
	const struct migration	*o;
	size_t			 i;

	for (i = 0; i < ex->n; i++) {
		o = &ex->recs[i];
		if (o != m && (o->state == MIG_SENT ||
		    o->state == MIG_MIGRATING) && memcmp(o->src, m->dst, 16) == 0)
			return 1;
	}
	return 0;
}

void
executor_tick(struct executor *ex, const struct model *md, int64_t now_ms)
{
	struct migration	*m;
	size_t			 i;

	for (i = 0; i < ex->n; i++) {
		m = &ex->recs[i];
		switch (m->state) {
		case MIG_PLANNED:
			if (!exec_dst_leaving(ex, m))
				exec_send(ex, m, now_ms);
			break;
		case MIG_SENT:
		case MIG_MIGRATING:
			exec_timeouts(ex, m, now_ms);
			break;
		case MIG_VERIFYING:
			exec_verify(ex, m, md, now_ms);
			break;
		case MIG_DONE:
			exec_benefit(ex, m, md, now_ms);
			break;
		default:
			break;
		}
	}
}

size_t
executor_count(const struct executor *ex)
{
	return ex->n;
}

const struct migration *
executor_at(const struct executor *ex, size_t i)
{
	return i < ex->n ? &ex->recs[ex->n - 1 - i] : NULL;
}

uint64_t
executor_total(const struct executor *ex, enum mig_state s)
{
	return (unsigned)s < MIG_NSTATES ? ex->totals[s] : 0;
}
