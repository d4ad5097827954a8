/* SPDX-License-Identifier: ISC */
/*
 * vround: one sampling round of the libvirt source (see virt.h), run in
 * the sampler thread; every libvirt call it makes runs in a vpool
 * worker and is waited for only until its bound.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "util.h"
#include "virt_priv.h"

#define VR_BACKOFF_MAX	60000

/* A task: a vtask that holds a reference to v. */
struct vr_task {
	struct vtask	 t;
	struct virt	*v;
	virConnectPtr	 conn;		/* a reference, or NULL */
	int		 taken;		/* the sampler took the result */
	int		 rc;
	int		 life;		/* connect: lifecycle callback id */
	char		 err[256];
	virDomainStatsRecordPtr *recs;	/* bulk */
	int64_t		 read_ms;	/* bulk: the middle of the call, Unix ms */
	virDomainPtr	*doms;		/* list */
};

/* A batch of domains read one after another with the per-domain calls. */
struct vr_batch {
	struct vtask	 t;
	struct virt	*v;
	struct vdom	**doms;		/* references */
	size_t		 n;		/* v->mu: may shrink when split */
	size_t		 cur;		/* v->mu: the one being read */
	int64_t		 cur_ms;	/* v->mu: since when; 0 not started */
	int		 finished;	/* v->mu */
	uint64_t	 round, gen;
	int		 full;		/* bulk stats give cpu.time */
	unsigned	 failed;	/* v->mu: calls that failed */
	char		 err[256];	/* v->mu: the last failure */
};

static void
vr_err(char *err, size_t len, const char *what)
{
	const char	*m = virGetLastErrorMessage();

	snprintf(err, len, "%s: %s", what, m != NULL ? m : "failed");
}

static void
vr_task_release(struct vtask *vt)
{
	struct vr_task	*t = (struct vr_task *)vt;
	struct virt	*v = t->v;
	int		 i;

	if (t->recs != NULL && !t->taken)
		virDomainStatsRecordListFree(t->recs);
	if (t->doms != NULL && !t->taken) {
		for (i = 0; i < t->rc; i++)
			virDomainFree(t->doms[i]);
		free(t->doms);
	}
	if (t->conn != NULL && !t->taken) {
		virt_drop_close(t->conn);
		if (t->life >= 0)
			virConnectDomainEventDeregisterAny(t->conn, t->life);
		virConnectClose(t->conn);
	}
	free(t);
	pthread_mutex_lock(&v->mu);
	virt_unref(v);
}

static struct vr_task *
vr_task_new(struct virt *v, void (*run)(struct vtask *), virConnectPtr conn)
{
	struct vr_task	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->t.run = run;
	t->t.release = vr_task_release;
	t->v = v;
	t->life = -1;
	if (conn != NULL && virConnectRef(conn) == 0)
		t->conn = conn;
	pthread_mutex_lock(&v->mu);
	v->refs++;
	pthread_mutex_unlock(&v->mu);
	return t;
}

/*
 * Submits t and waits for it until deadline: 0 done, -ETIMEDOUT, or
 * -ECANCELED when no worker could take it (t is then released: the
 * caller must not vpool_put it).
 */
static int
vr_call(struct virt *v, struct vr_task *t, int64_t deadline)
{
	if (vpool_submit(v->pool, &t->t) < 0) {
		t->t.release(&t->t);	/* never queued: the only reference */
		return -ECANCELED;
	}
	return vpool_wait(v->pool, &t->t, deadline);
}

/* --- connection ------------------------------------------------------ */

static void
vr_connect_run(struct vtask *vt)
{
	struct vr_task	*t = (struct vr_task *)vt;

	if ((t->conn = virConnectOpen(t->v->cfg.uri)) == NULL) {
		vr_err(t->err, sizeof(t->err), "virConnectOpen");
		return;
	}
	t->life = virt_connect_callbacks(t->v, t->conn);
}

static void
vr_connect_failed(struct virt *v, int64_t now, const char *why)
{
	virt_note(v, VN_CONNECT_FAILED, "%s: %s (is libvirtd running, and "
	    "is this the right URI? set connect or --connect); trying again "
	    "in %lld s", v->cfg.uri, why, (long long)(v->backoff_ms / 1000));
	v->next_connect = now + v->backoff_ms;
	v->backoff_ms = v->backoff_ms * 2 > VR_BACKOFF_MAX ? VR_BACKOFF_MAX :
	    v->backoff_ms * 2;
}

static void
vr_connect(struct virt *v, int64_t now, int64_t deadline)
{
	struct vr_task	*t;
	const char	*type;
	int		 rc;

	if (now < v->next_connect)
		return;
	if (v->connect_stuck != NULL) {
		if (!vpool_done(v->pool, v->connect_stuck, NULL))
			return;		/* still in virConnectOpen */
		vpool_put(v->pool, v->connect_stuck);
		v->connect_stuck = NULL;
	}
	if ((t = vr_task_new(v, vr_connect_run, NULL)) == NULL)
		return;
	if ((rc = vr_call(v, t, deadline)) == -ETIMEDOUT) {
		v->connect_stuck = &t->t;
		vr_connect_failed(v, now, "no answer in time");
		return;
	}
	if (rc < 0) {
		vr_connect_failed(v, now, "every worker is stuck in a call");
		return;
	}
	if (t->conn == NULL) {
		vr_connect_failed(v, now, t->err);
		vpool_put(v->pool, &t->t);
		return;
	}
	t->taken = 1;
	v->conn = t->conn;
	v->cb_life = t->life;
	v->backoff_ms = 1000;
	v->last_refresh = 0;		/* read the full list now */
	type = virConnectGetType(v->conn);
	virt_note(v, VN_CONNECTED, "connected to %s (%s driver)", v->cfg.uri,
	    type != NULL ? type : "unknown");
	vpool_put(v->pool, &t->t);
}

static void
vr_close_run(struct vtask *vt)
{
	(void)vt;	/* the release closes the connection */
}

void
vround_disconnect(struct virt *v, unsigned wait_ms)
{
	struct vr_task	*t;

	if (v->conn == NULL)
		return;
	virt_drop_close(v->conn);
	if ((t = vr_task_new(v, vr_close_run, NULL)) != NULL) {
		t->conn = v->conn;	/* the task's now: closed off this thread */
		t->life = v->cb_life;
		if (vr_call(v, t, util_now_mono_ms() + wait_ms) != -ECANCELED)
			vpool_put(v->pool, &t->t);
	} else
		virConnectClose(v->conn);
	v->conn = NULL;
	v->cb_life = -1;
	v->next_connect = 0;
}

/* --- discovery ------------------------------------------------------- */

static void
vr_events(struct virt *v)
{
	struct vevent	 ev[VIRT_EVQ];
	struct vdom	*d;
	uint8_t		 uuid[VIR_UUID_BUFLEN];
	size_t		 i, n;

	pthread_mutex_lock(&v->mu);
	n = v->nev;
	memcpy(ev, v->evq, n * sizeof(ev[0]));
	v->nev = 0;
	if (v->ev_overflow)
		v->last_refresh = 0;
	v->ev_overflow = 0;
	pthread_mutex_unlock(&v->mu);
	for (i = 0; i < n; i++) {
		if (ev[i].add)
			vdom_add(v, ev[i].dom);
		else if (virDomainGetUUID(ev[i].dom, uuid) == 0 &&
		    (d = uuidmap_get(&v->doms, uuid)) != NULL)
			d->gone = 1;
		virDomainFree(ev[i].dom);
	}
}

static void
vr_list_run(struct vtask *vt)
{
	struct vr_task	*t = (struct vr_task *)vt;

	t->rc = virConnectListAllDomains(t->conn, &t->doms,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	if (t->rc < 0)
		vr_err(t->err, sizeof(t->err), "virConnectListAllDomains");
}

/* Marks every domain gone; those listed (or in a bulk result) come back. */
static void
vr_mark_all_gone(struct virt *v)
{
	struct vdom	*d;
	size_t		 i;

	for (i = 0; i < v->doms.cap; i++)
		if ((d = v->doms.slots[i]) != NULL)
			d->gone = 1;
}

static void
vr_list(struct virt *v, int64_t now, int64_t deadline)
{
	struct vr_task	*t;
	int		 i, rc;

	if (v->last_refresh != 0 && now - v->last_refresh < v->cfg.refresh_ms)
		return;
	if ((t = vr_task_new(v, vr_list_run, v->conn)) == NULL)
		return;
	if ((rc = vr_call(v, t, deadline)) == 0 && t->rc >= 0) {
		vr_mark_all_gone(v);
		for (i = 0; i < t->rc; i++)
			vdom_add(v, t->doms[i]);
		v->last_refresh = now;
		v->refresh_gen++;
	} else
		virt_note(v, VN_CALL_FAILED, "%s", rc == 0 ? t->err :
		    "virConnectListAllDomains: no answer in time");
	if (rc != -ECANCELED)
		vpool_put(v->pool, &t->t);
}

/* --- bulk stats ------------------------------------------------------ */

static void
vr_bulk_run(struct vtask *vt)
{
	struct vr_task	*t = (struct vr_task *)vt;
	int64_t		 t0 = util_now_real_ms();

	t->rc = virConnectGetAllDomainStats(t->conn, VSTATS_BULK_MASK,
	    &t->recs, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |
	    VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
	t->read_ms = t0 + (util_now_real_ms() - t0) / 2;
	if (t->rc < 0)
		vr_err(t->err, sizeof(t->err), "virConnectGetAllDomainStats");
}

/* A fresh sample for d, unless a newer one is there. */
static void
vr_fresh(struct virt *v, struct vdom *d, const struct virt_vm *s,
    uint64_t round)
{
	pthread_mutex_lock(&v->mu);
	if (d->fresh_round <= round) {
		d->fresh = *s;
		d->fresh_round = round;
	}
	pthread_mutex_unlock(&v->mu);
}

static void
vr_bulk_take(struct virt *v, struct vr_task *t)
{
	struct virt_vm	 s;
	struct vdom	*d;
	int		 i, full = 0;

	vr_mark_all_gone(v);
	for (i = 0; i < t->rc; i++) {
		if ((d = vdom_add(v, t->recs[i]->dom)) == NULL)
			continue;
		if (vstats_parse(t->recs[i]->params, t->recs[i]->nparams, &s) &
		    VS_G_CPU)
			full = 1;
		s.read_ms = t->read_ms;
		vr_fresh(v, d, &s, v->round);
	}
	if (t->rc > 0)
		v->bulk_full = full;
}

/*
 * Returns 1 when the bulk call answered (every domain is accounted
 * for), 0 when it did not, -1 when it is stuck: the connection is then
 * wedged behind it (libvirt's client queues later calls on the same
 * connection behind a call that does not return).
 */
static int
vr_bulk(struct virt *v, int64_t deadline)
{
	struct vr_task	*t;
	int		 rc;

	if (v->bulk_stuck != NULL) {
		if (!vpool_done(v->pool, v->bulk_stuck, NULL))
			return 0;	/* on an old connection: go on */
		vpool_put(v->pool, v->bulk_stuck);
		v->bulk_stuck = NULL;
	}
	/*
	 * A driver whose bulk stats say only state.* (the test driver):
	 * the per-domain calls read everything, events and the periodic
	 * list find the domains; the bulk call only in refresh rounds.
	 */
	if (v->bulk_full == 0 && v->refresh_gen != v->bulk_gen)
		v->bulk_gen = v->refresh_gen;
	else if (v->bulk_full == 0)
		return 0;
	if ((t = vr_task_new(v, vr_bulk_run, v->conn)) == NULL)
		return 0;
	if ((rc = vr_call(v, t, deadline)) == -ETIMEDOUT) {
		v->bulk_stuck = &t->t;
		virt_note(v, VN_CALL_FAILED, "virConnectGetAllDomainStats: no "
		    "answer in %u ms; reading each domain on a new connection",
		    v->cfg.call_timeout_ms);
		return -1;
	}
	if (rc < 0)
		return 0;
	if ((rc = t->rc) < 0)
		virt_note(v, VN_CALL_FAILED, "%s", t->err);
	else
		vr_bulk_take(v, t);
	vpool_put(v->pool, &t->t);
	return rc >= 0;
}

/*
 * A call is stuck: leave its connection to it (closed when it comes
 * back) and go on with a new one, its domain handles read again.
 */
static void
vr_renew(struct virt *v, int64_t deadline)
{
	int64_t	 now = util_now_mono_ms();

	vround_disconnect(v, 0);	/* closed in the background */
	v->next_connect = 0;
	vr_connect(v, now, deadline);
	if (v->conn != NULL)
		vr_list(v, now, deadline);
}

/* --- per-domain calls ------------------------------------------------ */

static void
vr_batch_release(struct vtask *vt)
{
	struct vr_batch	*b = (struct vr_batch *)vt;
	struct virt	*v = b->v;
	size_t		 i;

	pthread_mutex_lock(&v->mu);
	for (i = 0; i < b->n; i++)
		vdom_unref(v, b->doms[i]);
	free(b->doms);
	free(b);
	virt_unref(v);
}

/* With v->mu held.  Takes over doms (its references). */
static struct vr_batch *
vr_batch_new(struct virt *v, struct vdom **doms, size_t n)
{
	struct vr_batch	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->t.run = NULL;
	b->t.release = vr_batch_release;
	b->v = v;
	b->doms = doms;
	b->n = n;
	b->round = v->round;
	b->gen = v->refresh_gen;
	b->full = v->bulk_full == 1;
	v->refs++;
	return b;
}

/* Reads the domain's device names from its XML (per refresh). */
static int
vr_devices(struct vr_batch *b, struct vdom *d, char *err, size_t len)
{
	char	*xml;

	if (d->devs != NULL && d->devs_gen == b->gen)
		return 0;
	if (d->devs == NULL && (d->devs = calloc(1, sizeof(*d->devs))) == NULL)
		return -1;
	if ((xml = virDomainGetXMLDesc(d->dom, 0)) == NULL) {
		vr_err(err, len, "virDomainGetXMLDesc");
		return -1;
	}
	vstats_devices(xml, d->devs);
	free(xml);
	d->devs_gen = b->gen;
	return 0;
}

/* One domain: its own bulk record, else the per-domain calls. */
static unsigned
vr_read_one(struct vr_batch *b, struct vdom *d, struct virt_vm *out,
    char *err, size_t len)
{
	virDomainStatsRecordPtr	*recs = NULL;
	virDomainPtr		 list[2] = { d->dom, NULL };
	unsigned		 g = 0;
	int			 n;

	if (b->full) {
		n = virDomainListGetStats(list, VSTATS_BULK_MASK, &recs,
		    VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
		if (n > 0)
			g = vstats_parse(recs[0]->params, recs[0]->nparams, out);
		else if (n < 0)
			vr_err(err, len, "virDomainListGetStats");
		if (recs != NULL)
			virDomainStatsRecordListFree(recs);
		if (g & VS_G_CPU)
			return g;
	}
	if (vr_devices(b, d, err, len) < 0)
		return 0;
	return vstats_read(d->dom, d->devs, out, err, len);
}

static int
vr_gone_error(void)
{
	int	 code = virGetLastErrorCode();

	return code == VIR_ERR_NO_DOMAIN || code == VIR_ERR_OPERATION_INVALID;
}

static void
vr_batch_run(struct vtask *vt)
{
	struct vr_batch	*b = (struct vr_batch *)vt;
	struct virt	*v = b->v;
	struct virt_vm	 s;
	struct vdom	*d;
	char		 err[256];
	unsigned	 g;
	size_t		 i;
	int		 gone;
	int64_t		 t0;

	pthread_mutex_lock(&v->mu);
	for (i = 0; i < b->n; i++) {	/* b->n shrinks when the rest moves on */
		b->cur = i;
		b->cur_ms = util_now_mono_ms();
		d = b->doms[i];
		pthread_mutex_unlock(&v->mu);
		err[0] = '\0';
		t0 = util_now_real_ms();
		g = vr_read_one(b, d, &s, err, sizeof(err));
		/* the middle of this domain's calls: its counters' time */
		s.read_ms = t0 + (util_now_real_ms() - t0) / 2;
		gone = g == 0 && vr_gone_error();
		pthread_mutex_lock(&v->mu);
		if (g != 0 && d->fresh_round <= b->round) {
			d->fresh = s;
			d->fresh_round = b->round;
		}
		d->missing |= gone;
		if (g == 0 && !gone) {
			b->failed++;
			util_strlcpy(b->err, err, sizeof(b->err));
		}
		d->busy = 0;
	}
	b->finished = 1;
	pthread_cond_broadcast(&v->progress);
	pthread_mutex_unlock(&v->mu);
}

/* The domains to read one by one: busy ones (a call not back) wait. */
static struct vr_batch *
vr_collect(struct virt *v)
{
	struct vr_batch	*b = NULL;
	struct vdom	*d, **doms;
	size_t		 i, n = 0;

	if (v->doms.n == 0 ||
	    (doms = calloc(v->doms.n, sizeof(*doms))) == NULL)
		return NULL;
	pthread_mutex_lock(&v->mu);
	for (i = 0; i < v->doms.cap; i++) {
		if ((d = v->doms.slots[i]) == NULL || d->gone || d->busy ||
		    d->dom == NULL || (d->fresh_round == v->round &&
		    (d->fresh.groups & VS_G_CPU)))
			continue;
		d->busy = 1;
		d->refs++;
		doms[n++] = d;
	}
	if (n > 0 && (b = vr_batch_new(v, doms, n)) == NULL) {
		for (i = 0; i < n; i++) {
			doms[i]->busy = 0;
			vdom_unref(v, doms[i]);
		}
	}
	pthread_mutex_unlock(&v->mu);
	if (b == NULL)
		free(doms);
	return b;
}

/*
 * A batch stuck at b->cur (v->mu held): the worker stops after that
 * call; the domains after it are let go, to be read on a new
 * connection.  The stuck domain stays busy until its call comes back.
 */
static void
vr_batch_cut(struct virt *v, struct vr_batch *b)
{
	size_t	 i;

	for (i = b->cur + 1; i < b->n; i++) {
		b->doms[i]->busy = 0;
		vdom_unref(v, b->doms[i]);
	}
	if (b->cur + 1 < b->n)
		b->n = b->cur + 1;
}

static void
vr_abstime(int64_t ms, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ms / 1000);
	ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

/*
 * Waits for a batch until it is done or the deadline: 0; or until a
 * call in it overruns its bound: -1 (the batch is cut there).
 */
static int
vr_batch_wait(struct virt *v, struct vr_batch *b, int64_t deadline)
{
	struct timespec	 ts;
	int64_t		 now, item;
	char		 err[320] = "";
	int		 stuck = 0;

	pthread_mutex_lock(&v->mu);
	for (;;) {
		now = util_now_mono_ms();
		if (b->finished || now >= deadline)
			break;
		item = b->cur_ms != 0 ? b->cur_ms + v->cfg.call_timeout_ms :
		    deadline;
		if (now >= item) {
			vr_batch_cut(v, b);
			stuck = 1;
			break;
		}
		vr_abstime(item < deadline ? item : deadline, &ts);
		pthread_cond_timedwait(&v->progress, &v->mu, &ts);
	}
	if (b->finished && b->failed > 0)
		snprintf(err, sizeof(err), "%u per-domain reads failed, the "
		    "last: %s", b->failed, b->err);
	pthread_mutex_unlock(&v->mu);
	if (err[0] != '\0')
		virt_note(v, VN_CALL_FAILED, "%s", err);
	vpool_put(v->pool, &b->t);
	return stuck ? -1 : 0;
}

/*
 * Reads the domains the bulk call left out, one after another in a
 * worker; after a call that does not come back, the rest on a new
 * connection, until the deadline.
 */
static void
vr_batches(struct virt *v, int64_t deadline)
{
	struct vr_batch	*b;

	while (v->conn != NULL && util_now_mono_ms() < deadline &&
	    (b = vr_collect(v)) != NULL) {
		b->t.run = vr_batch_run;
		if (vpool_submit(v->pool, &b->t) < 0) {
			pthread_mutex_lock(&v->mu);
			for (size_t i = 0; i < b->n; i++)
				b->doms[i]->busy = 0;
			pthread_mutex_unlock(&v->mu);
			b->t.release(&b->t);
			virt_note(v, VN_CALL_FAILED, "every worker is stuck in "
			    "a libvirt call: VMs keep their last values");
			return;
		}
		if (vr_batch_wait(v, b, deadline) == 0)
			return;
		virt_note(v, VN_CALL_FAILED, "a per-domain call did not come "
		    "back in %u ms: going on with a new connection",
		    v->cfg.call_timeout_ms);
		vr_renew(v, deadline);
	}
}

/* --- the round's outcome ---------------------------------------------- */

static const char *
vr_why(const struct virt *v, int busy, unsigned lost, char *buf, size_t len)
{
	if (v->conn == NULL)
		return "no connection to libvirt";
	if (busy) {
		snprintf(buf, len, "a call for it has not come back in %u ms",
		    v->cfg.call_timeout_ms);
		return buf;
	}
	if (lost != 0) {
		snprintf(buf, len, "libvirt left out its%s%s%s%s%s",
		    lost & VS_G_CPU ? " cpu" : "", lost & VS_G_VCPU ? " vcpu" : "",
		    lost & VS_G_BALLOON ? " memory" : "",
		    lost & VS_G_BLOCK ? " disk" : "", lost & VS_G_NET ? " net" : "");
		return buf;
	}
	return "it was not read in this round's time";
}

static void
vr_settle_one(struct virt *v, struct vdom *d, const struct virt_vm *fresh,
    int busy)
{
	unsigned	 lost = 0;
	char		 why[128];
	int		 stale;

	if (fresh != NULL) {
		lost = vstats_merge(&d->good, fresh);
		if (!d->has_good)
			virt_note(v, VN_ADDED, "VM %s found", d->name);
		d->has_good = 1;
	}
	if (!d->has_good)
		return;		/* nothing to report yet */
	stale = fresh == NULL || lost != 0;
	if (stale && !d->stale)
		virt_note(v, VN_STALE, "VM %s: stale, keeping its last values: "
		    "%s", d->name, vr_why(v, busy, lost, why, sizeof(why)));
	else if (!stale && d->stale)
		virt_note(v, VN_FRESH, "VM %s: read again", d->name);
	d->stale = stale;
}

static void
vr_settle(struct virt *v)
{
	struct virt_vm	 fresh;
	struct vdom	*d, **drop;
	size_t		 i, n = 0;
	int		 has, busy, missing;

	if ((drop = calloc(v->doms.n + 1, sizeof(*drop))) == NULL)
		return;
	for (i = 0; i < v->doms.cap; i++) {
		if ((d = v->doms.slots[i]) == NULL)
			continue;
		pthread_mutex_lock(&v->mu);
		if ((has = d->fresh_round == v->round))
			fresh = d->fresh;
		busy = d->busy;
		missing = d->missing;
		pthread_mutex_unlock(&v->mu);
		if (v->conn != NULL && (d->gone || missing))
			drop[n++] = d;
		else
			vr_settle_one(v, d, has ? &fresh : NULL, busy);
	}
	for (i = 0; i < n; i++) {
		if (drop[i]->has_good)
			virt_note(v, VN_REMOVED, "VM %s gone", drop[i]->name);
		vdom_remove(v, drop[i]);
	}
	free(drop);
}

void
vround_run(struct virt *v)
{
	int64_t		 start = util_now_mono_ms();
	int64_t		 deadline = start + v->cfg.round_ms;
	int64_t		 call = v->cfg.call_timeout_ms;
	int		 lost;

	v->round++;
	pthread_mutex_lock(&v->mu);
	lost = v->lost;
	v->lost = 0;
	pthread_mutex_unlock(&v->mu);
	if (v->conn != NULL && (lost || virConnectIsAlive(v->conn) == 0)) {
		virt_note(v, VN_LOST, "lost the connection to %s: VMs keep "
		    "their last values until it is back", v->cfg.uri);
		vround_disconnect(v, 0);
	}
	if (v->conn == NULL)
		vr_connect(v, start, deadline);
	if (v->conn != NULL) {
		vr_events(v);
		vr_list(v, start, start + call < deadline ? start + call :
		    deadline);
		if (vr_bulk(v, util_now_mono_ms() + call < deadline ?
		    util_now_mono_ms() + call : deadline) < 0)
			vr_renew(v, deadline);
		vr_batches(v, deadline);
	}
	vr_settle(v);
	virt_publish(v, start);
}
