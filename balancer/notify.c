/* SPDX-License-Identifier: ISC */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballastmib.h"
#include "clusterstat.h"
#include "hot.h"
#include "notify.h"
#include "util.h"

/* What was sent for one migration. */
#define NM_STARTED	1
#define NM_ENDED	2

struct notify_mig {
	uint64_t	 id;
	unsigned	 sent;
};

struct notify {
	struct alarm_set	*alarms;
	notify_send_fn		 send;
	void			*arg;
	struct notify_mig	*migs, *next;	/* sorted by id */
	size_t			 nmigs;
	int			 first;		/* before the first tick */
	int64_t			 reload_when;	/* the last failed reload sent */
	const struct model	*model;		/* during notify_tick only */
};

/* snprintf that may truncate: the MIB's texts are 255 octets at most. */
static void
ev_printf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ev_printf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* snmpTrapAddress.0: the host's IPv4 address, when known. */
static void
ev_addr(struct snmptrap_event *ev, const struct model_host *h)
{
	if (h == NULL || !h->has_addr4)
		return;
	memcpy(ev->addr, h->addr4, sizeof(ev->addr));
	ev->has_addr = 1;
}

struct notify *
notify_new(const struct alarm_config *cfg, notify_send_fn send, void *arg)
{
	struct notify	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->alarms = alarm_new(cfg);
	n->migs = calloc(EXECUTOR_KEEP, sizeof(*n->migs));
	n->next = calloc(EXECUTOR_KEEP, sizeof(*n->next));
	if (n->alarms == NULL || n->migs == NULL || n->next == NULL) {
		notify_free(n);
		return NULL;
	}
	n->send = send;
	n->arg = arg;
	n->first = 1;
	return n;
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	alarm_free(n->alarms);
	free(n->migs);
	free(n->next);
	free(n);
}

static void
notify_host_hot(struct notify *n, const struct model_host *h,
    const struct hot_rule *r, int64_t now)
{
	struct snmptrap_event	 ev;
	char			 key[ALARM_KEY_MAX];
	int64_t			 since;
	int			 c;

	snprintf(key, sizeof(key), "hot/%s", h->name);
	if ((c = alarm_update(n->alarms, key, hot_is(h, r), now, &since)) == 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = c > 0 ? ST_HOST_HOT : ST_HOST_CLEARED;
	util_strlcpy(ev.host, h->name, sizeof(ev.host));
	ev_addr(&ev, h);
	ev.value = ballastmib_milli(h->cpu_util);
	ev.threshold = ballastmib_milli(r->level);
	ev.seconds = c > 0 ? hot_seconds(h, r) : (now - since) / 1000;
	ev_printf(ev.text, sizeof(ev.text), c > 0 ?
	    "%s is hot: CPU %.1f%% over %.0f%% for %llds" :
	    "%s is no longer hot: CPU %.1f%% under %.0f%% (was hot %llds)",
	    h->name, h->cpu_util * 100, r->level * 100, (long long)ev.seconds);
	n->send(n->arg, &ev);
}

static void
notify_host_stale(struct notify *n, const struct model_host *h, int64_t now)
{
	struct snmptrap_event	 ev;
	char			 key[ALARM_KEY_MAX];
	int64_t			 since;
	int			 c;

	snprintf(key, sizeof(key), "lost/%s", h->name);
	if ((c = alarm_update(n->alarms, key, h->stale, now, &since)) == 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = c > 0 ? ST_COLLECTOR_LOST : ST_COLLECTOR_RECOVERED;
	util_strlcpy(ev.host, h->name, sizeof(ev.host));
	ev_addr(&ev, h);
	ev.seconds = c > 0 ? (now - h->last_ms) / 1000 : (now - since) / 1000;
	ev_printf(ev.text, sizeof(ev.text), c > 0 ?
	    "the collector of %s stopped reporting %llds ago" :
	    "the collector of %s reports again (lost for %llds)",
	    h->name, (long long)ev.seconds);
	n->send(n->arg, &ev);
}

static void
notify_cluster(struct notify *n, const struct model *m,
    const struct policy *pol, int64_t now)
{
	struct snmptrap_event	 ev;
	struct clusterstat	 cs;
	double			 target = pol ? pol->imbalance_target : 1.0;
	int			 c, on;

	clusterstat_compute(m, &cs);
	on = cs.hosts - cs.stale_hosts >= 2 && (cs.imbalance > target ||
	    (alarm_raised(n->alarms, "cluster") && cs.imbalance > 0.9 * target));
	if ((c = alarm_update(n->alarms, "cluster", on, now, NULL)) == 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = c > 0 ? ST_CLUSTER_IMBALANCED : ST_CLUSTER_BALANCED;
	ev.value = ballastmib_milli(cs.imbalance);
	ev.threshold = ballastmib_milli(target);
	ev_printf(ev.text, sizeof(ev.text), "cluster imbalance %.3f %s %.3f",
	    cs.imbalance, c > 0 ? "over" : "back under", c > 0 ? target :
	    0.9 * target);
	n->send(n->arg, &ev);
}

static void
notify_mig_event(struct notify *n, const struct migration *g,
    enum snmptrap_kind kind)
{
	struct snmptrap_event	 ev;
	int64_t			 end = g->ended_at ? g->ended_at : util_now_real_ms();

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	util_strlcpy(ev.vm, g->vm_name, sizeof(ev.vm));
	util_uuid_fmt(g->vm, ev.vm_uuid);
	util_strlcpy(ev.host, g->src_name, sizeof(ev.host));
	ev_addr(&ev, model_host_by_name(n->model, g->src_name));
	util_strlcpy(ev.dest, g->dst_name, sizeof(ev.dest));
	ev.seconds = end > g->planned_at ? (end - g->planned_at) / 1000 : 0;
	if (kind == ST_MIGRATION_STARTED)
		util_strlcpy(ev.reason, g->reason, sizeof(ev.reason));
	else if (kind == ST_MIGRATION_FAILED)
		ev_printf(ev.reason, sizeof(ev.reason), "%s%s%s",
		    mig_state_name(g->state), g->error[0] ? ": " : "", g->error);
	ev_printf(ev.text, sizeof(ev.text), "migration of %s from %s to %s %s",
	    g->vm_name, g->src_name, g->dst_name,
	    kind == ST_MIGRATION_STARTED ? "started" :
	    kind == ST_MIGRATION_COMPLETED ? "completed" : "failed");
	n->send(n->arg, &ev);
}

static unsigned
notify_mig_old(const struct notify *n, uint64_t id)
{
	size_t	 lo = 0, hi = n->nmigs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->migs[mid].id == id)
			return n->migs[mid].sent;
		if (n->migs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* What to send for g given what was sent; returns what is sent then. */
static unsigned
notify_mig_one(struct notify *n, const struct migration *g, unsigned sent)
{
	int	 ended = g->state == MIG_DONE || g->state == MIG_FAILED ||
		    g->state == MIG_ABORTED;
	int	 started = g->state != MIG_PLANNED && g->attempts > 0;

	if (n->first)
		return (started || ended ? NM_STARTED : 0) | (ended ? NM_ENDED : 0);
	if (started && !(sent & NM_STARTED)) {
		notify_mig_event(n, g, ST_MIGRATION_STARTED);
		sent |= NM_STARTED;
	}
	if (ended && !(sent & NM_ENDED)) {
		if (g->state == MIG_DONE)
			notify_mig_event(n, g, ST_MIGRATION_COMPLETED);
		else if (sent & NM_STARTED || g->state == MIG_FAILED)
			notify_mig_event(n, g, ST_MIGRATION_FAILED);
		sent |= NM_ENDED;
	}
	return sent;
}

static int
notify_mig_cmp(const void *a, const void *b)
{
	uint64_t	 x = ((const struct notify_mig *)a)->id;
	uint64_t	 y = ((const struct notify_mig *)b)->id;

	return x < y ? -1 : x > y;
}

static void
notify_migrations(struct notify *n, const struct executor *ex)
{
	const struct migration	*g;
	struct notify_mig	*t;
	size_t			 i, k = 0, cnt = executor_count(ex);

	for (i = 0; i < cnt && k < EXECUTOR_KEEP; i++) {
		if ((g = executor_at(ex, i)) == NULL)
			continue;
		n->next[k].id = g->id;
		n->next[k].sent = notify_mig_one(n, g, notify_mig_old(n, g->id));
		k++;
	}
	qsort(n->next, k, sizeof(*n->next), notify_mig_cmp);
	t = n->migs;
	n->migs = n->next;
	n->next = t;
	n->nmigs = k;
}

static void
notify_reload(struct notify *n, const struct balance *bal)
{
	struct snmptrap_event	 ev;
	const char		*err;
	int64_t			 when = 0;

	err = balance_reload_error(bal, &when);
	if (err == NULL || err[0] == '\0' || when == n->reload_when)
		return;
	n->reload_when = when;
	if (n->first)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = ST_POLICY_RELOAD_FAILED;
	ev_printf(ev.text, sizeof(ev.text), "policy reload failed: %s", err);
	n->send(n->arg, &ev);
}

void
notify_tick(struct notify *n, const struct model *m, const struct balance *bal,
    int64_t now_ms)
{
	const struct policy	*pol = bal ? balance_policy(bal) : NULL;
	const struct model_host	*h;
	struct hot_rule		 r;
	size_t			 i;

	n->model = m;
	hot_rule_of(pol, &r);
	for (i = 0; (h = model_host_at(m, i)) != NULL; i++) {
		notify_host_stale(n, h, now_ms);
		if (!h->stale)	/* its last figures: the alarm stays */
			notify_host_hot(n, h, &r, now_ms);
	}
	notify_cluster(n, m, pol, now_ms);
	if (bal != NULL) {
		notify_migrations(n, balance_executor(bal));
		notify_reload(n, bal);
	}
	n->first = 0;
	n->model = NULL;
}

void
notify_stats(const struct notify *n, struct alarm_stats *out)
{
	alarm_stats(n->alarms, out);
}
