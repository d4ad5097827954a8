/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "ctraffic.h"
#include "log.h"
#include "tapres.h"
#include "util.h"

#define CT_COMPLAIN_MS	60000
#define CT_MAX_VMS	(CCONF_PCAP_MAX + TAPRES_MAX_NICS)

/* One VM's addresses, as the wire wants them. */
struct ct_vm {
	uint8_t			 uuid[16];
	ProtobufCBinaryData	 a[WIRE_MAX_ADDRS];
	size_t			 n;
};

struct ctraffic {
	struct cconf_pcap	 m;	/* a copy: the addresses live here */
	struct pcapsrc		*src;
	struct tapres		*res;	/* NULL: the static map only */
	struct tapres_table	 tab;	/* and the addresses from libvirt */
	struct pcapsrc_if	 ifs[PCAPSRC_MAX_IFS];
	struct ct_vm		 vms[CT_MAX_VMS];
	size_t			 nvms, nifs;
	unsigned		 unmapped;	/* addresses the map had no room for */
	uint64_t		 dropped, if_dropped;
	struct log_complaint	 open_cpl, cap_cpl, drop_cpl, res_cpl, map_cpl;
};

static struct ct_vm *
ct_vm(struct ctraffic *t, const uint8_t uuid[16])
{
	size_t	 k;

	for (k = 0; k < t->nvms; k++)
		if (memcmp(t->vms[k].uuid, uuid, 16) == 0)
			return &t->vms[k];
	if (t->nvms == CT_MAX_VMS)
		return NULL;
	memcpy(t->vms[t->nvms].uuid, uuid, 16);
	t->vms[t->nvms].n = 0;
	return &t->vms[t->nvms++];
}

/* One address of a VM: into the map and the VM's sample. */
static void
ct_addr(struct ctraffic *t, const uint8_t vm[16], const uint8_t *a,
    size_t len)
{
	struct ct_vm	*v;

	if (tagg_map_add(pcapsrc_agg(t->src), a, len, vm) < 0 ||
	    (v = ct_vm(t, vm)) == NULL) {
		t->unmapped++;
		return;
	}
	if (v->n < WIRE_MAX_ADDRS) {
		v->a[v->n].data = (uint8_t *)(uintptr_t)a;
		v->a[v->n++].len = len;
	}
}

static void
ct_if(struct ctraffic *t, const char *name, const uint8_t *vm)
{
	size_t	 k;

	for (k = 0; k < t->nifs; k++)
		if (strcmp(t->ifs[k].name, name) == 0)
			return;		/* the static map's */
	if (t->nifs == PCAPSRC_MAX_IFS) {
		t->unmapped++;
		return;
	}
	t->ifs[t->nifs].name = name;
	t->ifs[t->nifs++].vm = vm;
}

/* The static map, then libvirt's taps: the interfaces and the map. */
static void
ct_apply(struct ctraffic *t)
{
	const struct cconf_pcap_ent	*e;
	const struct tapres_nic		*nic;
	size_t				 k, j;

	tagg_map_clear(pcapsrc_agg(t->src));
	t->nvms = t->nifs = 0;
	t->unmapped = 0;
	for (k = 0; k < t->m.n; k++) {
		e = &t->m.ent[k];
		if (e->ifname[0] != '\0')
			ct_if(t, e->ifname, e->has_uuid ? e->uuid : NULL);
		for (j = 0; e->has_uuid && j < e->naddrs; j++)
			ct_addr(t, e->uuid, e->addr[j], e->alen[j]);
	}
	for (k = 0; k < t->tab.n; k++) {
		nic = &t->tab.nic[k];
		ct_if(t, nic->ifname, nic->vm);
		if (nic->has_mac)
			ct_addr(t, nic->vm, nic->mac, 6);
		for (j = 0; j < nic->nips; j++)
			ct_addr(t, nic->vm, nic->ip[j], nic->iplen[j]);
	}
	pcapsrc_set_ifs(t->src, t->ifs, t->nifs);
	if (t->unmapped != 0)
		log_complain(&t->map_cpl, CT_COMPLAIN_MS, "pcap: %u taps or "
		    "addresses over the bounds, not mapped", t->unmapped);
}

static int
ct_open(struct ctraffic *t, const struct cconf *c)
{
	struct pcapsrc_config	 pc;
	char			 err[512];

	memset(&pc, 0, sizeof(pc));
	pc.sample_every = t->m.sample;
	pc.snaplen = t->m.snaplen;
	pc.buffer = (unsigned)t->m.buffer;
	pc.immediate = t->m.immediate;
	pc.filter = t->m.filter;
	pc.top = t->m.top;
	pc.max_addrs = CT_MAX_VMS * WIRE_MAX_ADDRS;
	if ((t->src = pcapsrc_new(&pc, err, sizeof(err))) == NULL ||
	    (t->m.libvirt && (t->res = tapres_new(c->uri, c->refresh_ms, err,
	    sizeof(err))) == NULL)) {
		log_warnx("pcap: %s", err);
		return -1;
	}
	ct_apply(t);
	if (pcapsrc_open(t->src, err, sizeof(err)) > 0)
		log_complain(&t->open_cpl, CT_COMPLAIN_MS, "pcap: cannot "
		    "capture on %s (trying again every report)", err);
	log_info("pcap: capturing on %zu interfaces%s, 1 packet in %u, "
	    "snaplen %u, buffer %llu, filter \"%s\"", t->nifs, t->res ?
	    " and libvirt's taps" : "", pc.sample_every, pc.snaplen,
	    (unsigned long long)t->m.buffer, pc.filter);
	return 0;
}

int
ctraffic_start(const struct cconf *c, struct ctraffic **out)
{
	struct ctraffic	*t;

	*out = NULL;
	if (c->pcap.n == 0 && !c->pcap.libvirt)
		return 0;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_warnx("pcap: out of memory");
		return -1;
	}
	t->m = c->pcap;
	if (ct_open(t, c) < 0) {
		ctraffic_stop(t);
		return -1;
	}
	*out = t;
	return 0;
}

size_t
ctraffic_fds(const struct ctraffic *t, int *fds, size_t max)
{
	size_t	 n = 0;

	if (t == NULL || max == 0)
		return 0;
	if (t->res != NULL)
		fds[n++] = tapres_fd(t->res);
	return n + pcapsrc_fds(t->src, fds + n, max - n);
}

void
ctraffic_vms_changed(struct ctraffic *t)
{
	if (t != NULL && t->res != NULL)
		tapres_request(t->res);
}

/* A new table from libvirt: the taps again. */
static void
ct_resolved(struct ctraffic *t)
{
	char	 err[512];

	if (t->res == NULL || !tapres_take(t->res, &t->tab))
		return;
	if (t->tab.err[0] != '\0') {
		log_complain(&t->res_cpl, CT_COMPLAIN_MS, "pcap: the VMs' taps "
		    "from libvirt: %s (keeping the last ones)", t->tab.err);
		return;
	}
	log_release(&t->res_cpl, "pcap: the VMs' taps from libvirt again");
	ct_apply(t);
	if (pcapsrc_open(t->src, err, sizeof(err)) > 0)
		log_complain(&t->open_cpl, CT_COMPLAIN_MS, "pcap: cannot "
		    "capture on %s (trying again every report)", err);
	log_debug("pcap: %zu taps from libvirt, %zu interfaces", t->tab.n,
	    t->nifs);
}

void
ctraffic_run(struct ctraffic *t)
{
	char	 err[512];

	if (t == NULL)
		return;
	ct_resolved(t);
	if (pcapsrc_dispatch(t->src, CTRAFFIC_BUDGET, err, sizeof(err)) > 0) {
		log_complain(&t->cap_cpl, CT_COMPLAIN_MS, "pcap: capture "
		    "stopped on %s (trying again every report)", err);
		ctraffic_vms_changed(t);	/* a VM may have gone */
	}
}

/* Kernel or interface drops since the last window: complained about. */
static void
ct_drops(struct ctraffic *t, const Ballast__V1__Traffic *m)
{
	if (m->dropped > t->dropped || m->if_dropped > t->if_dropped)
		log_complain(&t->drop_cpl, CT_COMPLAIN_MS, "pcap: %llu packets "
		    "dropped by the kernel and %llu by interfaces so far (a "
		    "larger pcap buffer or sample rate helps)",
		    (unsigned long long)m->dropped,
		    (unsigned long long)m->if_dropped);
	t->dropped = m->dropped;
	t->if_dropped = m->if_dropped;
}

Ballast__V1__Traffic *
ctraffic_window(struct ctraffic *t, int64_t now_ms)
{
	Ballast__V1__Traffic	*m;
	char			 err[512];

	if (t == NULL)
		return NULL;
	ctraffic_run(t);
	if (pcapsrc_open(t->src, err, sizeof(err)) > 0)
		log_complain(&t->open_cpl, CT_COMPLAIN_MS, "pcap: cannot "
		    "capture on %s", err);
	else if (t->open_cpl.active || t->cap_cpl.active) {
		log_release(&t->open_cpl, "pcap: every interface captures");
		log_release(&t->cap_cpl, "pcap: capture resumed");
	}
	pcapsrc_window(t->src, now_ms, &m);
	ct_drops(t, m);
	return m;
}

void
ctraffic_addrs(const struct ctraffic *t, wire_vm *w)
{
	size_t	 k;

	if (t == NULL || w->uuid.len != 16)
		return;
	for (k = 0; k < t->nvms; k++)
		if (memcmp(t->vms[k].uuid, w->uuid.data, 16) == 0 &&
		    t->vms[k].n != 0) {
			w->addrs = (ProtobufCBinaryData *)(uintptr_t)t->vms[k].a;
			w->n_addrs = t->vms[k].n;
			return;
		}
}

void
ctraffic_stop(struct ctraffic *t)
{
	if (t == NULL)
		return;
	tapres_free(t->res);
	pcapsrc_free(t->src);
	free(t);
}
