/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "util.h"
#include "virt_priv.h"

static pthread_once_t	 vt_once = PTHREAD_ONCE_INIT;
static int		 vt_loop_ok;

/* libvirt prints every error to stderr unless told otherwise. */
static void
vt_silent(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

static void *
vt_evloop(void *arg)
{
	(void)arg;
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			util_sleep_ms(100, NULL);
	return NULL;
}

/*
 * libvirt's event loop is one per process: registered before the first
 * connection, run by one thread for the life of the process.
 */
static void
vt_init_once(void)
{
	pthread_t	 th;
	pthread_attr_t	 at;

	virSetErrorFunc(NULL, vt_silent);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0)
		return;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, vt_evloop, NULL) == 0)
		vt_loop_ok = 1;
	pthread_attr_destroy(&at);
}

static void
vt_kick(struct virt *v)
{
	uint64_t	 one = 1;
	ssize_t		 n;

	n = write(v->evfd, &one, sizeof(one));
	(void)n;	/* EAGAIN: it is readable already */
}

void
virt_note(struct virt *v, enum virt_notice_kind kind, const char *fmt, ...)
{
	struct virt_notice	*n;
	va_list			 ap;

	pthread_mutex_lock(&v->mu);
	if (v->nnotes == VIRT_NOTICES) {
		v->notes_dropped++;
		pthread_mutex_unlock(&v->mu);
		return;
	}
	n = &v->notes[(v->note_head + v->nnotes++) % VIRT_NOTICES];
	n->kind = kind;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&v->mu);
	vt_kick(v);
}

int
virt_notice(struct virt *v, struct virt_notice *out)
{
	int	 got = 0;

	pthread_mutex_lock(&v->mu);
	if (v->notes_dropped > 0) {
		out->kind = VN_DROPPED;
		snprintf(out->text, sizeof(out->text), "%llu notices dropped",
		    (unsigned long long)v->notes_dropped);
		v->notes_dropped = 0;
		got = 1;
	} else if (v->nnotes > 0) {
		*out = v->notes[v->note_head];
		v->note_head = (v->note_head + 1) % VIRT_NOTICES;
		v->nnotes--;
		got = 1;
	}
	pthread_mutex_unlock(&v->mu);
	return got;
}

static void
vt_destroy(struct virt *v)
{
	free(v->pub);
	close(v->evfd);
	pthread_cond_destroy(&v->wake);
	pthread_cond_destroy(&v->progress);
	pthread_mutex_destroy(&v->mu);
	free(v);
}

void
virt_unref(struct virt *v)
{
	int	 last = --v->refs == 0;

	pthread_mutex_unlock(&v->mu);
	if (last)
		vt_destroy(v);
}

void
vdom_unref(struct virt *v, struct vdom *d)
{
	(void)v;
	if (--d->refs > 0)
		return;
	if (d->dom != NULL)
		virDomainFree(d->dom);
	free(d->devs);
	free(d);
}

struct vdom *
vdom_add(struct virt *v, virDomainPtr dom)
{
	struct vdom	*d;
	uint8_t		 uuid[VIR_UUID_BUFLEN];

	if (virDomainGetUUID(dom, (unsigned char *)uuid) < 0)
		return NULL;
	if ((d = uuidmap_get(&v->doms, uuid)) != NULL) {
		d->gone = 0;
		if (d->dom != NULL &&
		    virDomainGetConnect(d->dom) == virDomainGetConnect(dom))
			return d;	/* the handle it has is good */
		pthread_mutex_lock(&v->mu);
		if (!d->busy && virDomainRef(dom) == 0) {
			if (d->dom != NULL)
				virDomainFree(d->dom);
			d->dom = dom;	/* a handle of the current connection */
		}
		pthread_mutex_unlock(&v->mu);
		return d;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	memcpy(d->uuid, uuid, 16);
	d->refs = 1;
	vstats_name(virDomainGetName(dom) ? virDomainGetName(dom) : "?",
	    d->name, sizeof(d->name));
	if (virDomainRef(dom) < 0 || uuidmap_put(&v->doms, d) < 0) {
		free(d);
		return NULL;
	}
	d->dom = dom;
	return d;
}

void
vdom_remove(struct virt *v, struct vdom *d)
{
	uuidmap_del(&v->doms, d->uuid);
	pthread_mutex_lock(&v->mu);
	vdom_unref(v, d);
	pthread_mutex_unlock(&v->mu);
}

/* Lifecycle events, in libvirt's event thread: queued for the sampler. */
static int
vt_lifecycle(virConnectPtr c, virDomainPtr dom, int event, int detail,
    void *opaque)
{
	struct virt	*v = opaque;
	struct vevent	*e;

	(void)c;
	(void)detail;
	if (event != VIR_DOMAIN_EVENT_STARTED &&
	    event != VIR_DOMAIN_EVENT_RESUMED &&
	    event != VIR_DOMAIN_EVENT_STOPPED &&
	    event != VIR_DOMAIN_EVENT_CRASHED)
		return 0;
	pthread_mutex_lock(&v->mu);
	if (v->nev == VIRT_EVQ)
		v->ev_overflow = 1;	/* the next round reads the full list */
	else if (virDomainRef(dom) == 0) {
		e = &v->evq[v->nev++];
		e->dom = dom;
		e->add = event == VIR_DOMAIN_EVENT_STARTED ||
		    event == VIR_DOMAIN_EVENT_RESUMED;
	}
	pthread_mutex_unlock(&v->mu);
	return 0;
}

static void
vt_closed(virConnectPtr c, int reason, void *opaque)
{
	struct virt	*v = opaque;

	(void)c;
	(void)reason;
	pthread_mutex_lock(&v->mu);
	v->lost = 1;
	pthread_mutex_unlock(&v->mu);
}

static void
vt_cb_free(void *opaque)
{
	struct virt	*v = opaque;

	pthread_mutex_lock(&v->mu);
	virt_unref(v);
}

/*
 * Registers the lifecycle and close callbacks (in a worker: on a
 * remote connection these are calls).  The lifecycle callback holds a
 * reference to v that libvirt drops when it forgets the callback; the
 * close callback holds none (local drivers would never drop it) and
 * is unregistered before the connection is closed.  Returns the
 * lifecycle callback's id, or -1.
 */
int
virt_connect_callbacks(struct virt *v, virConnectPtr c)
{
	int	 id;

	pthread_mutex_lock(&v->mu);
	v->refs++;
	pthread_mutex_unlock(&v->mu);
	id = virConnectDomainEventRegisterAny(c, NULL,
	    VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    VIR_DOMAIN_EVENT_CALLBACK(vt_lifecycle), v, vt_cb_free);
	if (id < 0)
		vt_cb_free(v);
	virConnectRegisterCloseCallback(c, vt_closed, v, NULL);
	virConnectSetKeepAlive(c, 5, 3);
	return id;
}

/* Forgets the close callback: a local call, made before closing. */
void
virt_drop_close(virConnectPtr c)
{
	virConnectUnregisterCloseCallback(c, vt_closed);
}

/* Publishes the table as the latest snapshot (sampler, after a round). */
void
virt_publish(struct virt *v, int64_t start_ms)
{
	struct virt_vm	*vm;
	struct vdom	*d;
	size_t		 i, n = 0;

	pthread_mutex_lock(&v->mu);
	if (v->pubcap < v->doms.n) {
		vm = realloc(v->pub, v->doms.n * sizeof(*vm));
		if (vm != NULL) {
			v->pub = vm;
			v->pubcap = v->doms.n;
		}
	}
	for (i = 0; i < v->doms.cap && n < v->pubcap; i++) {
		if ((d = v->doms.slots[i]) == NULL || !d->has_good)
			continue;
		vm = &v->pub[n++];
		*vm = d->good;
		memcpy(vm->uuid, d->uuid, 16);
		memcpy(vm->name, d->name, sizeof(vm->name));
		vm->stale = d->stale;
	}
	v->npub = n;
	v->pub_round = v->round;
	v->pub_start = start_ms;
	v->pub_connected = v->conn != NULL;
	pthread_mutex_unlock(&v->mu);
	vt_kick(v);
}

int
virt_snapshot(struct virt *v, struct virt_snap *s)
{
	struct virt_vm	*vm;
	uint64_t	 junk;
	ssize_t		 r;
	int		 newer;

	r = read(v->evfd, &junk, sizeof(junk));
	(void)r;
	pthread_mutex_lock(&v->mu);
	newer = v->pub_round > s->round;
	if (s->cap < v->npub) {
		if ((vm = realloc(s->vms, v->npub * sizeof(*vm))) == NULL) {
			pthread_mutex_unlock(&v->mu);
			return 0;
		}
		s->vms = vm;
		s->cap = v->npub;
	}
	if (v->npub > 0)
		memcpy(s->vms, v->pub, v->npub * sizeof(*s->vms));
	s->n = v->npub;
	s->round = v->pub_round;
	s->start_ms = v->pub_start;
	s->connected = v->pub_connected;
	pthread_mutex_unlock(&v->mu);
	return newer;
}

int
virt_has(struct virt *v, const uint8_t uuid[16])
{
	size_t	 i;
	int	 found = 0;

	pthread_mutex_lock(&v->mu);
	for (i = 0; i < v->npub && !found; i++)
		found = memcmp(v->pub[i].uuid, uuid, 16) == 0;
	pthread_mutex_unlock(&v->mu);
	return found;
}

int
virt_fd(const struct virt *v)
{
	return v->evfd;
}

void
virt_request(struct virt *v)
{
	pthread_mutex_lock(&v->mu);
	v->requested = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->mu);
}

void
virt_workers(struct virt *v, unsigned *threads, unsigned *busy)
{
	vpool_counts(v->pool, threads, busy);
}

static void *
vt_sampler(void *arg)
{
	struct virt	*v = arg;

	pthread_mutex_lock(&v->mu);
	while (!v->stop) {
		if (!v->requested) {
			pthread_cond_wait(&v->wake, &v->mu);
			continue;
		}
		v->requested = 0;
		pthread_mutex_unlock(&v->mu);
		vround_run(v);
		pthread_mutex_lock(&v->mu);
	}
	pthread_mutex_unlock(&v->mu);
	return NULL;
}

static int
vt_init_sync(struct virt *v)
{
	pthread_condattr_t	 ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->wake, NULL);
	pthread_cond_init(&v->progress, &ca);
	pthread_condattr_destroy(&ca);
	v->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return v->evfd < 0 ? -errno : 0;
}

struct virt *
virt_new(const struct virt_config *cfg, char *err, size_t errlen)
{
	struct virt	*v;

	pthread_once(&vt_once, vt_init_once);
	if (!vt_loop_ok) {
		snprintf(err, errlen, "libvirt: cannot start its event loop");
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->cfg = *cfg;
	util_strlcpy(v->uri, cfg->uri, sizeof(v->uri));
	v->cfg.uri = v->uri;
	v->refs = 1;
	v->cb_life = -1;
	v->bulk_full = -1;	/* not known until the first bulk answer */
	v->backoff_ms = 1000;
	if (vt_init_sync(v) < 0 || (v->pool = vpool_new(VIRT_WORKERS)) == NULL) {
		snprintf(err, errlen, "cannot set up: %s", strerror(errno));
		if (v->evfd >= 0)
			close(v->evfd);
		free(v);
		return NULL;
	}
	if (pthread_create(&v->sampler, NULL, vt_sampler, v) != 0) {
		snprintf(err, errlen, "cannot start a thread");
		virt_free(v);
		return NULL;
	}
	v->sampler_started = 1;
	return v;
}

void
virt_free(struct virt *v)
{
	struct vdom	*d;
	size_t		 i;

	if (v == NULL)
		return;
	pthread_mutex_lock(&v->mu);
	v->stop = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->mu);
	if (v->sampler_started)
		pthread_join(v->sampler, NULL);
	vround_disconnect(v, v->cfg.call_timeout_ms);
	if (v->bulk_stuck != NULL) {
		/* ours goes; the worker's, if it is still inside libvirt,
		 * goes when the call returns */
		vpool_put(v->pool, v->bulk_stuck);
		v->bulk_stuck = NULL;
	}
	for (i = 0; i < v->doms.cap; i++)
		if ((d = v->doms.slots[i]) != NULL) {
			pthread_mutex_lock(&v->mu);
			vdom_unref(v, d);
			pthread_mutex_unlock(&v->mu);
		}
	uuidmap_clear(&v->doms);
	pthread_mutex_lock(&v->mu);
	for (i = 0; i < v->nev; i++)
		virDomainFree(v->evq[i].dom);
	v->nev = 0;
	pthread_mutex_unlock(&v->mu);
	vpool_free(v->pool);
	pthread_mutex_lock(&v->mu);
	virt_unref(v);
}
