/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "actuator.h"
#include "util.h"

#define ST(x)	BALLAST__V1__COMMAND_STATE__CMD_STATE_##x
#define AC_MAX_PARAMS	8

struct amig {
	struct amig		*next;
	struct actuator		*a;
	struct act_req		 req;
	int64_t			 start_ms, update_ms;
	int			 refs;		/* a->mu: list, two threads */
	/* a->mu */
	int			 finished, rc, cancel, deadline_hit, aborted;
	unsigned		 permille;
	uint64_t		 remaining;
	char			 err[360];	/* libvirt's reason */
	char			 where[128];	/* the VM's state after a failure */
};

struct actuator {
	struct actuator_config	 cfg;
	char			 uri[512], host[WIRE_MAX_HOST_NAME + 1];
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;		/* a migration finished */
	int			 refs;		/* owner, one per thread */
	int			 evfd;
	struct amig		*list;
};

static void
ac_unref(struct actuator *a)
{
	int	 last = --a->refs == 0;	/* a->mu held; released here */

	pthread_mutex_unlock(&a->mu);
	if (!last)
		return;
	close(a->evfd);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

/* Drops a reference to m with a->mu held. */
static void
ac_mig_unref(struct amig *m)
{
	if (--m->refs == 0)
		free(m);
}

static void
ac_kick(struct actuator *a)
{
	uint64_t	 one = 1;
	ssize_t		 n = write(a->evfd, &one, sizeof(one));

	(void)n;
}

/* Sets typed parameters for virDomainMigrateToURI3.  0 or -1. */
static int
ac_params(struct amig *m, virTypedParameterPtr *params, int *n, char *err,
    size_t len)
{
	const struct cconf_migrate	*c = &m->a->cfg.mig;
	char				 muri[512];
	int				 max = 0;

	if (c->migrate_uri[0] != '\0') {
		if (act_expand(c->migrate_uri, &m->req, muri, sizeof(muri)) < 0) {
			snprintf(err, len, "migrate-uri template: unknown "
			    "{name} or too long");
			return -1;
		}
		if (virTypedParamsAddString(params, n, &max,
		    VIR_MIGRATE_PARAM_URI, muri) < 0)
			return -1;
	}
	if (c->listen[0] != '\0' && virTypedParamsAddString(params, n, &max,
	    VIR_MIGRATE_PARAM_LISTEN_ADDRESS, c->listen) < 0)
		return -1;
	if (m->req.bandwidth > 0 && virTypedParamsAddULLong(params, n, &max,
	    VIR_MIGRATE_PARAM_BANDWIDTH,
	    (m->req.bandwidth + (1ULL << 20) - 1) >> 20) < 0)	/* MiB/s */
		return -1;
	return 0;
}

/* After a failure: the VM must run on the source; resume it if paused. */
static void
ac_recover(struct amig *m, virDomainPtr dom)
{
	int	 state, reason;

	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		snprintf(m->where, sizeof(m->where), "its state on %s is "
		    "unknown", m->a->host);
		return;
	}
	if (state == VIR_DOMAIN_PAUSED && virDomainResume(dom) == 0)
		state = VIR_DOMAIN_RUNNING;
	snprintf(m->where, sizeof(m->where), "the VM %s on %s",
	    state == VIR_DOMAIN_RUNNING ? "keeps running" :
	    state == VIR_DOMAIN_PAUSED ? "is paused" : "is not running",
	    m->a->host);
}

static void
ac_silent(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

static void
ac_error(char *err, size_t len)
{
	const char	*msg = virGetLastErrorMessage();

	util_strlcpy(err, msg != NULL ? msg : "unknown error", len);
}

struct ac_mon {
	struct amig	*m;
	virDomainPtr	 dom;
};

/* Progress every interval; aborts on a cancel or at the deadline. */
static void
ac_monitor_once(struct amig *m, virDomainPtr dom)
{
	struct actuator		*a = m->a;
	virTypedParameterPtr	 p = NULL;
	unsigned long long	 total = 0, rem = 0;
	int			 type, n = 0, abort_now = 0;

	pthread_mutex_lock(&a->mu);
	if (!m->deadline_hit && util_now_mono_ms() >= m->req.deadline_ms)
		m->deadline_hit = 1;
	abort_now = (m->cancel || m->deadline_hit) && !m->aborted;
	pthread_mutex_unlock(&a->mu);
	/* no job yet (it has not started): try again next time */
	if (abort_now && virDomainAbortJob(dom) == 0) {
		pthread_mutex_lock(&a->mu);
		m->aborted = 1;
		pthread_mutex_unlock(&a->mu);
	}
	if (virDomainGetJobStats(dom, &type, &p, &n, 0) < 0)
		return;
	virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DATA_TOTAL, &total);
	virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DATA_REMAINING, &rem);
	virTypedParamsFree(p, n);
	if (type != VIR_DOMAIN_JOB_UNBOUNDED || total == 0)
		return;
	pthread_mutex_lock(&a->mu);
	m->remaining = rem;
	m->permille = rem >= total ? 0 : (unsigned)((total - rem) * 1000 / total);
	if (m->permille > 999)
		m->permille = 999;
	pthread_mutex_unlock(&a->mu);
}

static void *
ac_monitor(void *arg)
{
	struct ac_mon	*mon = arg;
	struct amig	*m = mon->m;
	struct actuator	*a = m->a;
	struct timespec	 ts;
	int64_t		 at;

	pthread_mutex_lock(&a->mu);
	while (!m->finished) {
		at = util_now_mono_ms() + a->cfg.progress_ms;
		if (at > m->req.deadline_ms && m->req.deadline_ms >
		    util_now_mono_ms())
			at = m->req.deadline_ms;
		ts.tv_sec = (time_t)(at / 1000);
		ts.tv_nsec = (long)(at % 1000) * 1000000L;
		pthread_cond_timedwait(&a->cv, &a->mu, &ts);
		if (m->finished)
			break;
		pthread_mutex_unlock(&a->mu);
		ac_monitor_once(m, mon->dom);
		pthread_mutex_lock(&a->mu);
	}
	ac_mig_unref(m);
	virDomainFree(mon->dom);
	free(mon);
	ac_unref(a);
	return NULL;
}

static int
ac_spawn(void *(*fn)(void *), void *arg)
{
	pthread_t	 th;
	pthread_attr_t	 at;
	int		 rc;

	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &at, fn, arg);
	pthread_attr_destroy(&at);
	return rc == 0 ? 0 : -rc;
}

/* Starts the monitor on its own reference to dom.  0 or -1. */
static int
ac_start_monitor(struct amig *m, virDomainPtr dom)
{
	struct ac_mon	*mon = calloc(1, sizeof(*mon));

	if (mon == NULL || virDomainRef(dom) < 0) {
		free(mon);
		return -1;
	}
	mon->m = m;
	mon->dom = dom;
	pthread_mutex_lock(&m->a->mu);
	m->refs++;
	m->a->refs++;
	pthread_mutex_unlock(&m->a->mu);
	if (ac_spawn(ac_monitor, mon) == 0)
		return 0;
	pthread_mutex_lock(&m->a->mu);
	m->refs--;
	m->a->refs--;
	pthread_mutex_unlock(&m->a->mu);
	virDomainFree(dom);
	free(mon);
	return -1;
}

/* The migration itself; returns 0 or -1 with the reason in m->err. */
static int
ac_migrate(struct amig *m, virConnectPtr conn)
{
	virTypedParameterPtr	 params = NULL;
	virDomainPtr		 dom;
	char			 dest[512];
	int			 n = 0, rc = -1;

	if ((dom = virDomainLookupByUUID(conn, m->req.vm)) == NULL) {
		ac_error(m->err, sizeof(m->err));
		return -1;
	}
	if (act_expand(m->a->cfg.mig.uri, &m->req, dest, sizeof(dest)) < 0)
		snprintf(m->err, sizeof(m->err), "the destination URI template "
		    "names an unknown {name} or is too long");
	else if (ac_params(m, &params, &n, m->err, sizeof(m->err)) < 0) {
		if (m->err[0] == '\0')
			ac_error(m->err, sizeof(m->err));
	} else {
		/* not every driver can (the test driver cannot): then the
		   hypervisor's default applies */
		if (m->req.max_downtime_ms > 0)
			virDomainMigrateSetMaxDowntime(dom,
			    m->req.max_downtime_ms, 0);
		if (ac_start_monitor(m, dom) < 0)
			snprintf(m->where, sizeof(m->where), "no progress: "
			    "cannot start a thread");
		if ((rc = virDomainMigrateToURI3(dom, dest, params, (unsigned)n,
		    m->a->cfg.mig.flags)) < 0)
			ac_error(m->err, sizeof(m->err));
	}
	if (rc < 0)
		ac_recover(m, dom);
	virTypedParamsFree(params, n);
	virDomainFree(dom);
	return rc;
}

static void *
ac_thread(void *arg)
{
	struct amig	*m = arg;
	struct actuator	*a = m->a;
	virConnectPtr	 conn;
	int		 rc = -1;

	if ((conn = virConnectOpen(a->uri)) == NULL)
		ac_error(m->err, sizeof(m->err));
	else {
		rc = ac_migrate(m, conn);
		virConnectClose(conn);
	}
	pthread_mutex_lock(&a->mu);
	m->rc = rc;
	m->finished = 1;
	pthread_cond_broadcast(&a->cv);
	ac_mig_unref(m);
	ac_kick(a);
	ac_unref(a);
	return NULL;
}

static int
ac_start(void *arg, const struct act_req *req, char *err, size_t errlen)
{
	struct actuator	*a = arg;
	struct amig	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	m->a = a;
	m->req = *req;
	m->start_ms = m->update_ms = util_now_mono_ms();
	m->refs = 2;		/* the list and the thread */
	pthread_mutex_lock(&a->mu);
	a->refs++;
	m->next = a->list;
	a->list = m;
	pthread_mutex_unlock(&a->mu);
	if (ac_spawn(ac_thread, m) == 0)
		return 0;
	pthread_mutex_lock(&a->mu);
	a->list = m->next;
	a->refs--;
	pthread_mutex_unlock(&a->mu);
	free(m);
	snprintf(err, errlen, "cannot start a thread");
	return -EAGAIN;
}

static int
ac_cancel(void *arg, uint64_t id)
{
	struct actuator	*a = arg;
	struct amig	*m;
	int		 rc = -ENOENT;

	pthread_mutex_lock(&a->mu);
	for (m = a->list; m != NULL; m = m->next)
		if (m->req.id == id && !m->finished) {
			m->cancel = 1;
			pthread_cond_broadcast(&a->cv);	/* the monitor aborts */
			rc = 0;
		}
	pthread_mutex_unlock(&a->mu);
	return rc;
}

static uint64_t
ac_busy(void *arg, const uint8_t vm[16])
{
	struct actuator	*a = arg;
	struct amig	*m;
	uint64_t	 id = 0;

	pthread_mutex_lock(&a->mu);
	for (m = a->list; m != NULL && id == 0; m = m->next)
		if (memcmp(m->req.vm, vm, 16) == 0)
			id = m->req.id;
	pthread_mutex_unlock(&a->mu);
	return id;
}

/* The final status of a finished migration (a->mu held). */
static void
ac_final(const struct amig *m, int64_t now, struct act_update *u)
{
	memset(u, 0, sizeof(*u));
	u->id = m->req.id;
	u->elapsed_ms = act_elapsed(m->start_ms, now);
	if (m->rc == 0) {
		u->state = ST(DONE);
		u->permille = 1000;
		return;
	}
	u->permille = m->permille;
	u->remaining = m->remaining;
	if (m->cancel) {
		u->state = ST(CANCELLED);
		snprintf(u->error, sizeof(u->error), "cancelled: the migration "
		    "was aborted; %s", m->where);
	} else if (m->deadline_hit) {
		u->state = ST(FAILED);
		snprintf(u->error, sizeof(u->error), "deadline passed after "
		    "%llu s: the migration was aborted; %s",
		    (unsigned long long)(u->elapsed_ms / 1000), m->where);
	} else {
		u->state = ST(FAILED);
		snprintf(u->error, sizeof(u->error), "%s%s%s", m->err,
		    m->where[0] ? "; " : "", m->where);
	}
}

static size_t
ac_poll(void *arg, int64_t now, struct act_update *out, size_t max)
{
	struct actuator	*a = arg;
	struct amig	**pp, *m;
	uint64_t	 junk;
	size_t		 n = 0;
	ssize_t		 r = read(a->evfd, &junk, sizeof(junk));

	(void)r;
	pthread_mutex_lock(&a->mu);
	for (pp = &a->list; (m = *pp) != NULL && n < max; ) {
		if (m->finished) {
			ac_final(m, now, &out[n++]);
			*pp = m->next;
			ac_mig_unref(m);
			continue;
		}
		if (now - m->update_ms >= a->cfg.progress_ms) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].id = m->req.id;
			out[n].state = ST(RUNNING);
			out[n].permille = m->permille;
			out[n].remaining = m->remaining;
			out[n++].elapsed_ms = act_elapsed(m->start_ms, now);
			m->update_ms = now;
		}
		pp = &m->next;
	}
	pthread_mutex_unlock(&a->mu);
	return n;
}

static int
ac_fd(void *arg)
{
	return ((struct actuator *)arg)->evfd;
}

/* Whether every migration has finished (a->mu held). */
static int
ac_all_finished(const struct actuator *a)
{
	const struct amig	*m;

	for (m = a->list; m != NULL; m = m->next)
		if (!m->finished)
			return 0;
	return 1;
}

/*
 * Aborts what runs and waits for it (at most 10 s: the monitors abort
 * within a progress interval), then lets go; threads still in libvirt
 * after that free the rest when they are done.
 */
static void
ac_free(void *arg)
{
	struct actuator	*a = arg;
	struct amig	*m, *next;
	struct timespec	 ts;
	int64_t		 until = util_now_mono_ms() + 10000;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	for (m = a->list; m != NULL; m = m->next)
		m->cancel = 1;
	pthread_cond_broadcast(&a->cv);
	ts.tv_sec = (time_t)(until / 1000);
	ts.tv_nsec = (long)(until % 1000) * 1000000L;
	while (!ac_all_finished(a) &&
	    pthread_cond_timedwait(&a->cv, &a->mu, &ts) != ETIMEDOUT)
		;
	for (m = a->list; m != NULL; m = next) {
		next = m->next;
		ac_mig_unref(m);
	}
	a->list = NULL;
	ac_unref(a);
}

const struct act_ops actuator_ops = {
	"libvirt", ac_start, ac_cancel, ac_busy, ac_poll, ac_fd, ac_free
};

void *
actuator_new(const struct actuator_config *cfg, char *err, size_t errlen)
{
	struct actuator		*a;
	pthread_condattr_t	 ca;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot set up: %s", strerror(errno));
		free(a);
		return NULL;
	}
	a->cfg = *cfg;
	util_strlcpy(a->uri, cfg->uri, sizeof(a->uri));
	util_strlcpy(a->host, cfg->host_name, sizeof(a->host));
	a->cfg.uri = a->uri;
	a->cfg.host_name = a->host;
	if (a->cfg.progress_ms == 0)
		a->cfg.progress_ms = 1000;
	a->refs = 1;
	virSetErrorFunc(NULL, ac_silent);	/* libvirt would print errors */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, &ca);
	pthread_condattr_destroy(&ca);
	return a;
}
