/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "balance.h"
#include "plan_view.h"
#include "util.h"

#define MAX_MAINT	256
#define REJECT_HOLD_MS	(3600 * 1000)	/* a rejected move is not offered again for an hour */

struct balance {
	struct balance_config	 cfg;
	char			 policy_path[1024];
	struct policy		*pol;
	char			 reload_err[512];
	int64_t			 reload_ms;
	struct plan_view	 view;
	const struct traffic	*traffic;	/* NULL: none */
	struct plan		 plan;
	struct recommendation	 recs[BALANCE_MAX_RECS];
	size_t			 nrecs;
	uint64_t		 next_rec;
	struct balance_rejected	 rej[BALANCE_MAX_REJECTS];
	size_t			 nrej;
	struct executor		*ex;
	struct audit		*audit;
	uint64_t		 passes;
	int64_t			 last_pass;	/* Unix ms */
	int64_t			 next_pass;	/* monotonic ms */
	char			*maint[MAX_MAINT];
	size_t			 nmaint;
	char			 maint_path[1100];
};

static const char *const rec_names[] = { "pending", "approved", "rejected", "stale" };

const char *
rec_state_name(enum rec_state s)
{
	return (unsigned)s < 4 ? rec_names[s] : "unknown";
}

static int
hook_vm_migrating(void *arg, const uint8_t uuid[16])
{
	return executor_vm_busy(((struct balance *)arg)->ex, uuid);
}

static unsigned
hook_host_busy(void *arg, const uint8_t uuid[16])
{
	return executor_host_busy(((struct balance *)arg)->ex, uuid);
}

static unsigned
hook_vm_failures(void *arg, const uint8_t vm[16], const uint8_t host[16])
{
	return executor_vm_failures(((struct balance *)arg)->ex, vm, host);
}

static int
hook_host_maintenance(void *arg, const char *name)
{
	return balance_in_maintenance(arg, name);
}

static int
balance_load_policy(struct balance *b, struct policy *into, char *err,
    size_t errlen)
{
	if (b->policy_path[0] == '\0') {
		policy_defaults(into);
		return 0;
	}
	return policy_load(b->policy_path, into, err, errlen);
}

static void
balance_load_maint(struct balance *b)
{
	FILE	*f = fopen(b->maint_path, "r");
	char	 line[128];
	size_t	 n;

	if (f == NULL)
		return;
	while (b->nmaint < MAX_MAINT && fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n > 0 && (b->maint[b->nmaint] = strdup(line)) != NULL)
			b->nmaint++;
	}
	fclose(f);
}

static int
balance_save_maint(const struct balance *b)
{
	char	 tmp[1200];
	FILE	*f;
	size_t	 i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", b->maint_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	for (i = 0; i < b->nmaint; i++)
		fprintf(f, "%s\n", b->maint[i]);
	if (fclose(f) != 0 || rename(tmp, b->maint_path) != 0)
		return -errno;
	return 0;
}

struct balance *
balance_new(const struct balance_config *cfg, char *err, size_t errlen)
{
	struct executor_config	 ec;
	struct balance		*b;
	char			 path[1100];

	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->pol = calloc(1, sizeof(*b->pol))) == NULL) {
		free(b);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->cfg = *cfg;
	b->next_rec = 1;
	if (cfg->policy_path != NULL)
		util_strlcpy(b->policy_path, cfg->policy_path, sizeof(b->policy_path));
	if (balance_load_policy(b, b->pol, err, errlen) < 0)
		goto fail;
	snprintf(b->maint_path, sizeof(b->maint_path), "%s/maintenance",
	    cfg->state_dir);
	balance_load_maint(b);
	snprintf(path, sizeof(path), "%s/audit.log", cfg->state_dir);
	if ((b->audit = audit_open(path, err, errlen)) == NULL)
		goto fail;
	memset(&ec, 0, sizeof(ec));
	snprintf(path, sizeof(path), "%s/migrations.journal", cfg->state_dir);
	ec.journal = path;
	ec.audit_log = b->audit;
	ec.epoch = cfg->epoch;
	ec.retries = b->pol->retries;
	ec.timeout_s = b->pol->timeout_s;
	ec.bandwidth = b->pol->bandwidth;
	ec.max_downtime_ms = b->pol->max_downtime_ms;
	if ((b->ex = executor_new(&ec, cfg->send, cfg->send_arg, err, errlen)) == NULL)
		goto fail;
	return b;
fail:
	balance_free(b);
	return NULL;
}

void
balance_free(struct balance *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	executor_free(b->ex);
	audit_close(b->audit);
	plan_view_free(&b->view);
	plan_free(&b->plan);
	for (i = 0; i < b->nmaint; i++)
		free(b->maint[i]);
	free(b->pol);
	free(b);
}

int
balance_reload(struct balance *b, char *err, size_t errlen)
{
	struct policy	*np;
	int		 rc;

	if ((np = calloc(1, sizeof(*np))) == NULL)
		return -ENOMEM;
	b->reload_ms = util_now_real_ms();
	if ((rc = balance_load_policy(b, np, err, errlen)) < 0) {
		util_strlcpy(b->reload_err, err, sizeof(b->reload_err));
		free(np);
		audit_log(b->audit, "policy-reload-failed",
		    json_pack("{s:s}", "error", err));
		return rc;
	}
	free(b->pol);
	b->pol = np;
	b->reload_err[0] = '\0';
	executor_configure(b->ex, np->retries, np->timeout_s, np->bandwidth,
	    np->max_downtime_ms);
	b->next_pass = 0;
	audit_log(b->audit, "policy-reloaded", json_pack("{s:s}", "file",
	    b->policy_path[0] ? b->policy_path : "(built-in defaults)"));
	return 0;
}

/* snprintf for text that may be cut short: explanations, not data. */
static void
text(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
text(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

enum policy_mode
balance_mode(const struct balance *b)
{
	struct tm	 tm;
	time_t		 t = time(NULL);

	localtime_r(&t, &tm);
	return policy_mode_at(b->pol, (unsigned)(tm.tm_hour * 60 + tm.tm_min));
}

/* One line an operator reads: why, what, and what it costs. */
static void
explain(const struct balance *b, const struct plan_move *m, char *buf,
    size_t len)
{
	const struct plan_vm	*v = &b->view.vms[m->vm];
	const struct plan_host	*s = &b->view.hosts[m->from];
	const struct plan_host	*d = &b->view.hosts[m->to];
	char			 why[160], tx[160];

	switch (m->reason) {
	case PLAN_TRAFFIC:
		snprintf(why, sizeof(why), "keep-together: %s talks heavily "
		    "with VMs on %s", v->name, d->name);
		break;
	case PLAN_HOT:
		snprintf(why, sizeof(why), "%s is hot (CPU %.0f%% for %u s, above "
		    "%.0f%%)", s->name, m->src_before * 100, s->hot_s,
		    planner_hot_level(b->pol) * 100);
		break;
	case PLAN_RISK:
		snprintf(why, sizeof(why), "%s is likely to turn hot (CPU %.0f%%, "
		    "its VMs' recent and past hours' peaks above %.0f%%)", s->name,
		    m->src_before * 100, planner_hot_level(b->pol) * 100);
		break;
	case PLAN_RULE:
		snprintf(why, sizeof(why), "must rule \"%s\" is broken on %s",
		    m->rule, s->name);
		break;
	case PLAN_MAINTENANCE:
		snprintf(why, sizeof(why), "%s is in maintenance", s->name);
		break;
	case PLAN_ROOM:
		snprintf(why, sizeof(why), "making room on %s for %s from hot "
		    "%s (make-room)", s->name, m->for_vm != PLAN_NONE ?
		    b->view.vms[m->for_vm].name : "a VM", m->for_vm != PLAN_NONE ?
		    b->view.hosts[b->view.vms[m->for_vm].host].name : "a host");
		break;
	default:
		snprintf(why, sizeof(why), "imbalance %.2f above target %.2f",
		    m->imb_before, b->pol->imbalance_target);
		break;
	}
	plan_traffic_words(&b->view.in, m, tx, sizeof(tx));
	/* a long name may cut the line short: that is fine */
	text(buf, len, "%s: move %s (%.1f GHz, %.1f GiB) to %s; %s CPU "
	    "%.0f%% -> %.0f%%, %s %.0f%% -> %.0f%%; imbalance %.2f -> %.2f; "
	    "predicted %.1f s, downtime %.0f ms%s%s", why, v->name, v->cpu / 1000,
	    v->mem / (1024.0 * 1024 * 1024), d->name, s->name,
	    m->src_before * 100, m->src_after * 100, d->name, m->dst_before * 100,
	    m->dst_after * 100, m->imb_before, m->imb_after, m->time_s,
	    m->downtime_s * 1000, tx[0] ? "; " : "", tx);
}

static struct recommendation *
rec_find(struct balance *b, const uint8_t vm[16], const uint8_t dst[16])
{
	size_t	 i;

	for (i = 0; i < b->nrecs; i++)
		if (memcmp(b->recs[i].vm, vm, 16) == 0 &&
		    memcmp(b->recs[i].dst, dst, 16) == 0)
			return &b->recs[i];
	return NULL;
}

/* Drops old stale, approved and rejected entries to make room. */
static void
rec_prune(struct balance *b, int64_t now)
{
	size_t	 i, k = 0;

	for (i = 0; i < b->nrecs; i++) {
		const struct recommendation *r = &b->recs[i];
		if (r->state != REC_PENDING && now - r->last_ms > REJECT_HOLD_MS)
			continue;
		if (r->state == REC_STALE && b->nrecs > BALANCE_MAX_RECS / 2)
			continue;
		b->recs[k++] = *r;
	}
	b->nrecs = k;
}

static void
rec_from_move(struct balance *b, struct recommendation *r,
    const struct plan_move *m)
{
	const struct model_vm	*vm = b->view.mvms[m->vm];

	memcpy(r->vm, vm->uuid, 16);
	memcpy(r->src, b->view.mhosts[m->from]->uuid, 16);
	memcpy(r->dst, b->view.mhosts[m->to]->uuid, 16);
	util_strlcpy(r->vm_name, vm->name, sizeof(r->vm_name));
	util_strlcpy(r->src_name, b->view.mhosts[m->from]->name, sizeof(r->src_name));
	util_strlcpy(r->dst_name, b->view.mhosts[m->to]->name, sizeof(r->dst_name));
	r->mv = *m;
	explain(b, m, r->explain, sizeof(r->explain));
}

static json_t *
rec_json(const struct recommendation *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
	    "vm", r->vm_name, "from", r->src_name, "to", r->dst_name,
	    "reason", plan_reason_name(r->mv.reason), "explain", r->explain);
}

/* Turns the plan's moves into recommendations, keeping ids stable. */
static void
recommend(struct balance *b, int64_t now)
{
	struct recommendation	*r;
	struct recommendation	 tmp;
	size_t			 i;

	for (i = 0; i < b->nrecs; i++)
		if (b->recs[i].state == REC_PENDING)
			b->recs[i].state = REC_STALE;
	for (i = 0; i < b->plan.nmoves; i++) {
		memset(&tmp, 0, sizeof(tmp));
		rec_from_move(b, &tmp, &b->plan.moves[i]);
		if ((r = rec_find(b, tmp.vm, tmp.dst)) != NULL) {
			if (r->state == REC_REJECTED || r->state == REC_APPROVED)
				continue;
			tmp.id = r->id;
			tmp.first_ms = r->first_ms;
		} else {
			if (b->nrecs == BALANCE_MAX_RECS)
				rec_prune(b, now);
			if (b->nrecs == BALANCE_MAX_RECS)
				break;
			r = &b->recs[b->nrecs++];
			tmp.id = b->next_rec++;
			tmp.first_ms = now;
			audit_log(b->audit, "recommendation", rec_json(&tmp));
		}
		tmp.state = REC_PENDING;
		tmp.last_ms = now;
		*r = tmp;
	}
}

static void
keep_rejects(struct balance *b)
{
	const struct plan_reject *pr;
	size_t			 i;

	for (b->nrej = 0, i = 0; i < b->plan.nrejects; i++) {
		pr = &b->plan.rejects[i];
		util_strlcpy(b->rej[b->nrej].vm, b->view.vms[pr->vm].name,
		    sizeof(b->rej[0].vm));
		util_strlcpy(b->rej[b->nrej].to, pr->to == PLAN_NONE ? "" :
		    b->view.hosts[pr->to].name, sizeof(b->rej[0].to));
		util_strlcpy(b->rej[b->nrej].why, pr->why, sizeof(b->rej[0].why));
		b->nrej++;
	}
}

/* Hands r to the executor; reason NULL: the planner's reason. */
static int
submit(struct balance *b, struct recommendation *r, const char *reason,
    int64_t now_ms, char *err, size_t errlen)
{
	struct migration	 m;
	int			 rc;

	memset(&m, 0, sizeof(m));
	memcpy(m.vm, r->vm, 16);
	memcpy(m.src, r->src, 16);
	memcpy(m.dst, r->dst, 16);
	util_strlcpy(m.vm_name, r->vm_name, sizeof(m.vm_name));
	util_strlcpy(m.src_name, r->src_name, sizeof(m.src_name));
	util_strlcpy(m.dst_name, r->dst_name, sizeof(m.dst_name));
	util_strlcpy(m.reason, reason ? reason : plan_reason_name(r->mv.reason),
	    sizeof(m.reason));
	util_strlcpy(m.explain, r->explain, sizeof(m.explain));
	m.pred_time_s = r->mv.time_s;
	m.pred_down_s = r->mv.downtime_s;
	m.src_before = r->mv.src_before;
	m.src_after = r->mv.src_after;
	if ((rc = executor_submit(b->ex, &m, now_ms, &r->migration)) < 0) {
		snprintf(err, errlen, "%s", rc == -EBUSY ? "the VM is already "
		    "migrating" : "too many migrations in flight");
		return rc;
	}
	r->state = REC_APPROVED;
	return 0;
}

/* The view's index of a host by UUID, or PLAN_NONE. */
static size_t
view_host(const struct balance *b, const uint8_t uuid[16])
{
	size_t	 i;

	for (i = 0; i < b->view.in.nhosts; i++)
		if (memcmp(b->view.mhosts[i]->uuid, uuid, 16) == 0)
			return i;
	return PLAN_NONE;
}

/*
 * Migrations in flight: until the VM reports from its destination, the
 * model still counts it on its source.  Plan as if each had landed, so
 * that two passes do not send VMs to the same room, nor relieve the
 * same host twice.
 */
static void
account_in_flight(struct balance *b, const struct model *m)
{
	const struct migration	*mg;
	const struct model_vm	*vm;
	size_t			 i, s, d;
	double			 cpu;

	for (i = 0; (mg = executor_at(b->ex, i)) != NULL; i++) {
		if (mg->state == MIG_DONE || mg->state == MIG_FAILED ||
		    mg->state == MIG_ABORTED)
			continue;
		vm = model_vm_by_uuid(m, mg->vm);
		s = view_host(b, mg->src);
		d = view_host(b, mg->dst);
		if (vm == NULL || vm->host == NULL || s == PLAN_NONE ||
		    d == PLAN_NONE || memcmp(vm->host->uuid, mg->src, 16) != 0)
			continue;	/* already seen where it went */
		cpu = vm->r.cpu_mhz;
		b->view.hosts[s].cpu -= cpu;
		b->view.hosts[s].mem -= (double)vm->mem_rss;
		b->view.hosts[d].cpu += cpu;
		b->view.hosts[d].mem += (double)vm->mem_rss;
	}
}

void
balance_pass(struct balance *b, const struct model *m, int64_t now_ms)
{
	struct plan_view_hooks	 hk = { b, hook_vm_migrating, hook_host_busy,
	    hook_host_maintenance, hook_vm_failures };
	int64_t			 now = util_now_real_ms();
	char			 err[128];
	size_t			 i;

	b->next_pass = now_ms + (int64_t)b->pol->interval_s * 1000;
	b->passes++;
	b->last_pass = now;
	if (plan_view_build(&b->view, m, b->pol, &hk, now_ms) < 0 ||
	    plan_view_traffic(&b->view, m, b->traffic) < 0)
		return;
	account_in_flight(b, m);
	if (planner_run(&b->view.in, &b->plan) < 0)
		return;
	recommend(b, now);
	keep_rejects(b);
	if (b->plan.nmoves > 0 || b->plan.nnotes > 0)
		audit_log(b->audit, "plan", json_pack("{s:I, s:s, s:i, s:i, s:i, "
		    "s:f, s:f}", "pass", (json_int_t)b->passes, "mode",
		    policy_mode_name(balance_mode(b)), "moves", (int)b->plan.nmoves,
		    "hot_hosts", (int)b->plan.hot_hosts,
		    "unrelieved", (int)b->plan.unrelieved,
		    "imbalance_before", b->plan.imb_before,
		    "imbalance_after", b->plan.imb_after));
	if (balance_mode(b) != POLICY_AUTOMATIC)
		return;
	for (i = 0; i < b->nrecs; i++)
		if (b->recs[i].state == REC_PENDING)
			submit(b, &b->recs[i], NULL, now_ms, err, sizeof(err));
}

void
balance_maybe_pass(struct balance *b, const struct model *m, int64_t now_ms)
{
	if (now_ms >= b->next_pass)
		balance_pass(b, m, now_ms);
}

void
balance_tick(struct balance *b, const struct model *m, int64_t now_ms)
{
	executor_tick(b->ex, m, now_ms);
}

void
balance_on_status(struct balance *b, const Ballast__V1__CommandStatus *s,
    int64_t now_ms)
{
	executor_on_status(b->ex, s, now_ms);
}

static struct recommendation *
rec_by_id(struct balance *b, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < b->nrecs; i++)
		if (b->recs[i].id == id)
			return &b->recs[i];
	return NULL;
}

int
balance_approve(struct balance *b, uint64_t id, int64_t now_ms, char *err,
    size_t errlen)
{
	struct recommendation	*r = rec_by_id(b, id);
	int			 rc;

	if (r == NULL) {
		snprintf(err, errlen, "no recommendation %llu", (unsigned long long)id);
		return -ENOENT;
	}
	if (r->state != REC_PENDING) {
		snprintf(err, errlen, "recommendation %llu is %s, not pending",
		    (unsigned long long)id, rec_state_name(r->state));
		return r->state == REC_APPROVED ? -EALREADY : -ESTALE;
	}
	if ((rc = submit(b, r, NULL, now_ms, err, errlen)) < 0)
		return rc;
	audit_log(b->audit, "approve", rec_json(r));
	return 0;
}

int
balance_reject(struct balance *b, uint64_t id, char *err, size_t errlen)
{
	struct recommendation	*r = rec_by_id(b, id);

	if (r == NULL) {
		snprintf(err, errlen, "no recommendation %llu", (unsigned long long)id);
		return -ENOENT;
	}
	if (r->state == REC_APPROVED) {
		snprintf(err, errlen, "recommendation %llu is already approved "
		    "(cancel migration %llu instead)", (unsigned long long)id,
		    (unsigned long long)r->migration);
		return -EALREADY;
	}
	r->state = REC_REJECTED;
	r->last_ms = util_now_real_ms();
	audit_log(b->audit, "reject", rec_json(r));
	return 0;
}

/* A must rule that putting vm on host h would break, or NULL. */
static const struct policy_rule *
must_broken(const struct policy *pol, const struct model_vm *vm,
    const struct model_host *h)
{
	const struct policy_rule *r;
	size_t			 i, k;

	for (i = 0; i < pol->nrules; i++) {
		r = &pol->rules[i];
		if (r->strength != POLICY_MUST || !policy_sel_match(&r->vms, vm->name))
			continue;
		if ((r->kind == POLICY_VM_HOST && !policy_sel_match(&r->hosts, h->name)) ||
		    (r->kind == POLICY_NOT_VM_HOST && policy_sel_match(&r->hosts, h->name)))
			return r;
		if (r->kind != POLICY_ANTI_AFFINITY)
			continue;
		for (k = 0; k < h->nvms; k++)
			if (h->vms[k] != vm && policy_sel_match(&r->vms, h->vms[k]->name))
				return r;
	}
	return NULL;
}

static const struct model_vm *
find_vm(const struct model *m, const char *key)
{
	const struct model_vm	*vm;
	uint8_t			 u[16];
	size_t			 i;

	if (util_uuid_parse(key, u) == 0)
		return model_vm_by_uuid(m, u);
	for (i = 0; (vm = model_vm_at(m, i)) != NULL; i++)
		if (vm->host != NULL && strcmp(vm->name, key) == 0)
			return vm;
	return NULL;
}

int
balance_migrate(struct balance *b, const struct model *m, const char *vmkey,
    const char *host, int64_t now_ms, uint64_t *id, char *err, size_t errlen)
{
	const struct model_vm	*vm = find_vm(m, vmkey);
	const struct model_host	*h = model_host_by_name(m, host);
	const struct policy_rule *r;
	struct recommendation	 rec;

	if (vm == NULL || vm->host == NULL) {
		snprintf(err, errlen, "no running VM \"%s\" (give its name or UUID)",
		    vmkey);
		return -ENOENT;
	}
	if (h == NULL) {
		snprintf(err, errlen, "no host \"%s\"", host);
		return -ENOENT;
	}
	if (h == vm->host || h->stale || balance_in_maintenance(b, h->name)) {
		snprintf(err, errlen, "%s %s", h->name, h == vm->host ?
		    "is where the VM runs already" : h->stale ?
		    "is stale: its collector is silent" : "is in maintenance");
		return -EINVAL;
	}
	if ((r = must_broken(b->pol, vm, h)) != NULL) {
		snprintf(err, errlen, "moving %s to %s breaks must rule \"%s\"",
		    vm->name, h->name, r->name);
		return -EPERM;
	}
	memset(&rec, 0, sizeof(rec));
	memcpy(rec.vm, vm->uuid, 16);
	memcpy(rec.src, vm->host->uuid, 16);
	memcpy(rec.dst, h->uuid, 16);
	util_strlcpy(rec.vm_name, vm->name, sizeof(rec.vm_name));
	util_strlcpy(rec.src_name, vm->host->name, sizeof(rec.src_name));
	util_strlcpy(rec.dst_name, h->name, sizeof(rec.dst_name));
	rec.mv.src_before = vm->host->cpu_util;
	text(rec.explain, sizeof(rec.explain), "an operator asked to move "
	    "%s from %s to %s", vm->name, vm->host->name, h->name);
	if (submit(b, &rec, "operator", now_ms, err, errlen) < 0)
		return -EBUSY;
	*id = rec.migration;
	audit_log(b->audit, "operator-migrate", json_pack("{s:I, s:s, s:s, s:s}",
	    "id", (json_int_t)*id, "vm", vm->name, "from", vm->host->name,
	    "to", h->name));
	return 0;
}

int
balance_maintenance(struct balance *b, const struct model *m, const char *host,
    int on, char *err, size_t errlen)
{
	size_t	 i;
	int	 rc;

	if (model_host_by_name(m, host) == NULL && on) {
		snprintf(err, errlen, "no host \"%s\"", host);
		return -ENOENT;
	}
	for (i = 0; i < b->nmaint && strcmp(b->maint[i], host) != 0; i++)
		;
	if (on && i == b->nmaint) {
		if (b->nmaint == MAX_MAINT || (b->maint[b->nmaint] = strdup(host)) == NULL) {
			snprintf(err, errlen, "too many hosts in maintenance");
			return -ENOSPC;
		}
		b->nmaint++;
	} else if (!on && i < b->nmaint) {
		free(b->maint[i]);
		b->maint[i] = b->maint[--b->nmaint];
	} else
		return 0;	/* already so: idempotent */
	if ((rc = balance_save_maint(b)) < 0) {
		snprintf(err, errlen, "cannot save the maintenance list: %s",
		    strerror(-rc));
		return rc;
	}
	b->next_pass = 0;	/* plan the evacuation now */
	audit_log(b->audit, on ? "maintenance-enter" : "maintenance-exit",
	    json_pack("{s:s}", "host", host));
	return 0;
}

int
balance_cancel(struct balance *b, uint64_t id, int64_t now_ms, char *err,
    size_t errlen)
{
	int	 rc = executor_cancel(b->ex, id, now_ms);

	if (rc == -ENOENT)
		snprintf(err, errlen, "no migration %llu", (unsigned long long)id);
	else if (rc == -EALREADY)
		snprintf(err, errlen, "migration %llu has ended", (unsigned long long)id);
	return rc;
}

const struct policy *
balance_policy(const struct balance *b)
{
	return b->pol;
}

const char *
balance_policy_path(const struct balance *b)
{
	return b->policy_path[0] ? b->policy_path : NULL;
}

const char *
balance_reload_error(const struct balance *b, int64_t *when)
{
	*when = b->reload_ms;
	return b->reload_err;
}

uint64_t
balance_passes(const struct balance *b)
{
	return b->passes;
}

int64_t
balance_last_pass(const struct balance *b)
{
	return b->last_pass;
}

const struct plan *
balance_plan(const struct balance *b)
{
	return &b->plan;
}

size_t
balance_rec_count(const struct balance *b)
{
	return b->nrecs;
}

const struct recommendation *
balance_rec_at(const struct balance *b, size_t i)
{
	return i < b->nrecs ? &b->recs[i] : NULL;
}

size_t
balance_rejected(const struct balance *b, const struct balance_rejected **out)
{
	*out = b->rej;
	return b->nrej;
}

const struct executor *
balance_executor(const struct balance *b)
{
	return b->ex;
}

void
balance_set_traffic(struct balance *b, const struct traffic *t)
{
	b->traffic = t;
}

int
balance_in_maintenance(const struct balance *b, const char *host)
{
	size_t	 i;

	for (i = 0; i < b->nmaint; i++)
		if (strcmp(b->maint[i], host) == 0)
			return 1;
	return 0;
}

size_t
balance_maintenance_list(const struct balance *b, const char *const **names)
{
	*names = (const char *const *)b->maint;
	return b->nmaint;
}
