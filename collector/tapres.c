/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
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

#include "tapres.h"
#include "util.h"
#include "vstats.h"

struct tapres {
	char			 uri[512];
	unsigned		 refresh_ms;
	pthread_t		 th;
	int			 started;
	pthread_mutex_t		 mu;
	pthread_cond_t		 wake;
	int			 stop, requested;	/* mu */
	int			 evfd;
	virConnectPtr		 conn;			/* the thread's */
	struct tapres_table	 work;			/* the thread's */
	struct tapres_table	 pub;			/* mu */
};

static void
tr_silent(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

/* One address libvirt gave as text: 1 when it fits the table. */
static int
tr_addr(int type, const char *s, uint8_t *out, uint8_t *len)
{
	if (type == VIR_IP_ADDR_TYPE_IPV4 && inet_pton(AF_INET, s, out) == 1)
		*len = 4;
	else if (type == VIR_IP_ADDR_TYPE_IPV6 &&
	    inet_pton(AF_INET6, s, out) == 1)
		*len = 16;
	else
		return 0;
	return 1;
}

/* One interface's addresses into the taps of the table with its MAC. */
static void
tr_iface(struct tapres_table *t, size_t first, const virDomainInterface *in)
{
	struct tapres_nic	*nic;
	uint8_t			 mac[6];
	size_t			 i, j;

	if (in->hwaddr == NULL || util_parse_mac(in->hwaddr, mac) < 0)
		return;
	for (i = first; i < t->n; i++) {
		nic = &t->nic[i];
		if (!nic->has_mac || memcmp(nic->mac, mac, 6) != 0)
			continue;
		for (j = 0; j < in->naddrs && nic->nips < TAPRES_MAX_IPS; j++)
			nic->nips += (unsigned)tr_addr(in->addrs[j].type,
			    in->addrs[j].addr, nic->ip[nic->nips],
			    &nic->iplen[nic->nips]);
	}
}

/* The IPs libvirt knows for dom's interfaces: leases, else ARP. */
static void
tr_ips(struct tapres_table *t, size_t first, virDomainPtr dom)
{
	virDomainInterfacePtr	*ifs = NULL;
	int			 n, k;

	if ((n = virDomainInterfaceAddresses(dom, &ifs,
	    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0)) <= 0) {
		free(ifs);
		ifs = NULL;
		n = virDomainInterfaceAddresses(dom, &ifs,
		    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP, 0);
	}
	for (k = 0; k < n; k++) {
		tr_iface(t, first, ifs[k]);
		virDomainInterfaceFree(ifs[k]);
	}
	free(ifs);
}

/* One domain's taps (those with a target device) into the table. */
static void
tr_domain(struct tapres_table *t, virDomainPtr dom, struct vstats_devs *d)
{
	struct tapres_nic	*nic;
	uint8_t			 uuid[16];
	char			*xml;
	size_t			 k, first = t->n;

	if (virDomainGetUUID(dom, uuid) < 0 ||
	    (xml = virDomainGetXMLDesc(dom, 0)) == NULL)
		return;
	if (vstats_devices(xml, d) < 0)
		d->nnics = 0;
	free(xml);
	for (k = 0; k < d->nnics && t->n < TAPRES_MAX_NICS; k++) {
		nic = &t->nic[t->n++];
		memset(nic, 0, sizeof(*nic));
		memcpy(nic->vm, uuid, 16);
		util_strlcpy(nic->ifname, d->nic[k], sizeof(nic->ifname));
		nic->has_mac = d->has_mac[k];
		memcpy(nic->mac, d->mac[k], 6);
	}
	if (t->n > first)
		tr_ips(t, first, dom);
}

/* One resolution into t->work: 0, or -1 with the reason in work.err. */
static int
tr_resolve(struct tapres *r)
{
	struct tapres_table	*t = &r->work;
	struct vstats_devs	*d;
	virDomainPtr		*doms = NULL;
	int			 n, k;

	t->n = 0;
	t->err[0] = '\0';
	if (r->conn == NULL &&
	    (r->conn = virConnectOpenReadOnly(r->uri)) == NULL) {
		snprintf(t->err, sizeof(t->err), "cannot connect to %.64s: %s",
		    r->uri, virGetLastErrorMessage());
		return -1;
	}
	if ((n = virConnectListAllDomains(r->conn, &doms,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE)) < 0) {
		snprintf(t->err, sizeof(t->err), "cannot list domains: %s",
		    virGetLastErrorMessage());
		virConnectClose(r->conn);
		r->conn = NULL;		/* reconnect next time */
		return -1;
	}
	if ((d = malloc(sizeof(*d))) != NULL)
		for (k = 0; k < n; k++)
			tr_domain(t, doms[k], d);
	for (k = 0; k < n; k++)
		virDomainFree(doms[k]);
	free(doms);
	free(d);
	return 0;
}

static void
tr_publish(struct tapres *r, int ok)
{
	uint64_t	 one = 1;

	pthread_mutex_lock(&r->mu);
	if (ok) {
		r->work.gen = r->pub.gen + 1;
		r->pub = r->work;
	} else {		/* the last table stays; only the reason is new */
		r->pub.gen++;
		util_strlcpy(r->pub.err, r->work.err, sizeof(r->pub.err));
	}
	pthread_mutex_unlock(&r->mu);
	if (write(r->evfd, &one, sizeof(one)) < 0) {
		/* the counter is already set: the reader will come */
	}
}

static void *
tr_thread(void *arg)
{
	struct tapres	*r = arg;
	struct timespec	 ts;
	int64_t		 ms;

	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		r->requested = 0;
		pthread_mutex_unlock(&r->mu);
		tr_publish(r, tr_resolve(r) == 0);
		pthread_mutex_lock(&r->mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ms = (int64_t)ts.tv_nsec / 1000000 + r->refresh_ms;
		ts.tv_sec += ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000;
		while (!r->stop && !r->requested &&
		    pthread_cond_timedwait(&r->wake, &r->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->mu);
	if (r->conn != NULL)
		virConnectClose(r->conn);
	return NULL;
}

struct tapres *
tapres_new(const char *uri, unsigned refresh_ms, char *err, size_t errlen)
{
	struct tapres	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	util_strlcpy(r->uri, uri, sizeof(r->uri));
	r->refresh_ms = refresh_ms ? refresh_ms : 60000;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->wake, NULL);
	virSetErrorFunc(NULL, tr_silent);
	if ((r->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
	    virInitialize() < 0 ||
	    pthread_create(&r->th, NULL, tr_thread, r) != 0) {
		snprintf(err, errlen, "cannot start the tap resolver: %s",
		    strerror(errno));
		tapres_free(r);
		return NULL;
	}
	r->started = 1;
	return r;
}

void
tapres_free(struct tapres *r)
{
	if (r == NULL)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->stop = 1;
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->th, NULL);
	}
	if (r->evfd >= 0)
		close(r->evfd);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->wake);
	free(r);
}

int
tapres_fd(const struct tapres *r)
{
	return r->evfd;
}

void
tapres_request(struct tapres *r)
{
	pthread_mutex_lock(&r->mu);
	r->requested = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->mu);
}

int
tapres_take(struct tapres *r, struct tapres_table *out)
{
	uint64_t	 v;
	int		 newer;

	if (read(r->evfd, &v, sizeof(v)) < 0) {
		/* nothing waiting: the table may still be newer */
	}
	pthread_mutex_lock(&r->mu);
	if ((newer = r->pub.gen > out->gen))
		*out = r->pub;
	pthread_mutex_unlock(&r->mu);
	return newer;
}
