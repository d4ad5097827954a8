/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "ctraffic.h"
#include "log.h"
#include "pcapsrc.h"
#include "util.h"

#define CT_COMPLAIN_MS	60000

/* One VM's addresses, as the wire wants them. */
struct ct_vm {
	uint8_t			 uuid[16];
	ProtobufCBinaryData	 a[WIRE_MAX_ADDRS];
	size_t			 n;
};

struct ctraffic {
	struct cconf_pcap	 m;	/* a copy: the addresses live here */
	struct pcapsrc		*src;
	struct ct_vm		 vms[CCONF_PCAP_MAX];
	size_t			 nvms;
	uint64_t		 dropped, if_dropped;
	struct log_complaint	 open_cpl, cap_cpl, drop_cpl;
};

static struct ct_vm *
ct_vm(struct ctraffic *t, const uint8_t uuid[16])
{
	size_t	 k;

	for (k = 0; k < t->nvms; k++)
		if (memcmp(t->vms[k].uuid, uuid, 16) == 0)
			return &t->vms[k];
	memcpy(t->vms[t->nvms].uuid, uuid, 16);
	return &t->vms[t->nvms++];
}

/* The address map, and each VM's addresses for its VmSample. */
static int
ct_map(struct ctraffic *t)
{
	struct cconf_pcap_ent	*e;
	struct ct_vm		*v;
	unsigned		 k, j;

	for (k = 0; k < t->m.n; k++) {
		e = &t->m.ent[k];
		if (!e->has_uuid)
			continue;
		v = ct_vm(t, e->uuid);
		for (j = 0; j < e->naddrs; j++) {
			if (tagg_map_add(pcapsrc_agg(t->src), e->addr[j],
			    e->alen[j], e->uuid) < 0)
				return -1;
			if (v->n < WIRE_MAX_ADDRS) {
				v->a[v->n].data = e->addr[j];
				v->a[v->n++].len = e->alen[j];
			}
		}
	}
	return 0;
}

static int
ct_open(struct ctraffic *t)
{
	struct pcapsrc_if	 ifs[CCONF_PCAP_MAX];
	struct pcapsrc_config	 pc;
	char			 err[512];
	unsigned		 k;

	memset(&pc, 0, sizeof(pc));
	for (k = 0; k < t->m.n; k++) {
		if (t->m.ent[k].ifname[0] == '\0')
			continue;
		ifs[pc.nifs].name = t->m.ent[k].ifname;
		ifs[pc.nifs++].vm = t->m.ent[k].has_uuid ? t->m.ent[k].uuid :
		    NULL;
	}
	pc.ifs = ifs;
	pc.sample_every = t->m.sample;
	pc.snaplen = t->m.snaplen;
	pc.buffer = (unsigned)t->m.buffer;
	pc.immediate = t->m.immediate;
	pc.filter = t->m.filter;
	pc.top = t->m.top;
	if ((t->src = pcapsrc_new(&pc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (ct_map(t) < 0) {
		log_warnx("pcap: the address map is full");
		return -1;
	}
	if (pcapsrc_open(t->src, err, sizeof(err)) > 0)
		log_complain(&t->open_cpl, CT_COMPLAIN_MS, "pcap: cannot "
		    "capture on %s (trying again every report)", err);
	log_info("pcap: capturing on %zu interfaces, 1 packet in %u, snaplen "
	    "%u, buffer %llu, filter \"%s\"", pc.nifs, pc.sample_every,
	    pc.snaplen, (unsigned long long)t->m.buffer, pc.filter);
	return 0;
}

int
ctraffic_start(const struct cconf_pcap *m, struct ctraffic **out)
{
	struct ctraffic	*t;

	*out = NULL;
	if (m->n == 0)
		return 0;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_warnx("pcap: out of memory");
		return -1;
	}
	t->m = *m;
	if (ct_open(t) < 0) {
		ctraffic_stop(t);
		return -1;
	}
	*out = t;
	return 0;
}

size_t
ctraffic_fds(const struct ctraffic *t, int *fds, size_t max)
{
	return t == NULL ? 0 : pcapsrc_fds(t->src, fds, max);
}

void
ctraffic_run(struct ctraffic *t)
{
	char	 err[512];

	if (t != NULL && pcapsrc_dispatch(t->src, CTRAFFIC_BUDGET, err,
	    sizeof(err)) > 0)
		log_complain(&t->cap_cpl, CT_COMPLAIN_MS, "pcap: capture "
		    "stopped on %s (trying again every report)", err);
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
	pcapsrc_free(t->src);
	free(t);
}
