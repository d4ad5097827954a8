/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapsrc.h"
#include "util.h"

#define ETH_HLEN	14
#define ET_VLAN		0x8100
#define ET_QINQ		0x88a8
#define ET_IPV4		0x0800
#define ET_IPV6		0x86dd

struct pcapsrc;

struct psif {
	char		 name[64];
	uint8_t		 vm[16];
	int		 has_vm;
	pcap_t		*p;
	struct pcapsrc	*src;
	/* counters of earlier handles, and the open one's last pcap_stats */
	uint64_t	 base_recv, base_drop, base_ifdrop;
	struct pcap_stat last;
};

struct pcapsrc {
	struct pcapsrc_config	 c;
	char			*filter;
	struct psif		 ifs[PCAPSRC_MAX_IFS];
	struct psif		 old[PCAPSRC_MAX_IFS];	/* set_ifs' scratch */
	struct tagg		*agg;
	uint64_t		 rng, seen;
	uint32_t		 skip;		/* packets until the next sample */
	double			 lnq;		/* ln(1 - 1/N) */
	unsigned		 errors;	/* this window */
	uint64_t		 gone_recv, gone_drop, gone_ifdrop; /* removed ifs */
	int64_t			 win_start;
	/* the last window's message */
	Ballast__V1__Traffic	 t;
	struct tagg_pair	 tp[WIRE_MAX_PAIRS];
	Ballast__V1__TrafficPair pairs[WIRE_MAX_PAIRS];
	Ballast__V1__TrafficPair *pairp[WIRE_MAX_PAIRS];
	Ballast__V1__Endpoint	 eps[2 * WIRE_MAX_PAIRS];
};

static uint64_t
ps_rand(struct pcapsrc *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* The gap to the next sampled packet: geometric with mean N, >= 1. */
static uint32_t
ps_gap(struct pcapsrc *s)
{
	double	 u, g;

	if (s->c.sample_every <= 1)
		return 1;
	u = ((double)(ps_rand(s) >> 11) + 1.0) / 9007199254740992.0; /* (0,1] */
	g = floor(log(u) / s->lnq) + 1.0;
	return g > 4e9 ? 4000000000u : (uint32_t)g;
}

int
pcapsrc_parse(const uint8_t *b, uint32_t cap, struct tagg_pkt *pk)
{
	uint32_t	 off = ETH_HLEN;
	unsigned	 et;
	int		 tags = 0;

	if (cap < ETH_HLEN)
		return -1;
	memcpy(pk->dmac, b, 6);
	memcpy(pk->smac, b + 6, 6);
	et = (unsigned)b[12] << 8 | b[13];
	while ((et == ET_VLAN || et == ET_QINQ) && tags++ < 2) {
		if (cap < off + 4)
			return -1;
		et = (unsigned)b[off + 2] << 8 | b[off + 3];
		off += 4;
	}
	pk->iplen = 0;
	if (et == ET_IPV4) {
		if (cap < off + 20 || (b[off] >> 4) != 4)
			return -1;
		pk->iplen = 4;
		memcpy(pk->sip, b + off + 12, 4);
		memcpy(pk->dip, b + off + 16, 4);
	} else if (et == ET_IPV6) {
		if (cap < off + 40 || (b[off] >> 4) != 6)
			return -1;
		pk->iplen = 16;
		memcpy(pk->sip, b + off + 8, 16);
		memcpy(pk->dip, b + off + 24, 16);
	}
	return 0;
}

static void
ps_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	struct psif	*i = (struct psif *)(void *)user;
	struct pcapsrc	*s = i->src;
	struct tagg_pkt	 pk;

	s->seen++;
	if (--s->skip != 0)
		return;
	s->skip = ps_gap(s);
	if (pcapsrc_parse(b, h->caplen, &pk) < 0)
		return;
	pk.bytes = h->len;
	tagg_add(s->agg, &pk, i->has_vm ? i->vm : NULL);
}

static int
ps_fail(struct pcapsrc *s, char *err, size_t errlen, const char *fmt,
    const char *name, const char *why)
{
	snprintf(err, errlen, fmt, name, why);
	s->errors++;
	return -1;
}

static int
ps_setup(struct pcapsrc *s, pcap_t *p)
{
	if (pcap_set_snaplen(p, (int)s->c.snaplen) != 0 ||
	    pcap_set_promisc(p, 0) != 0 ||
	    pcap_set_buffer_size(p, (int)s->c.buffer) != 0 ||
	    pcap_set_timeout(p, (int)s->c.timeout_ms) != 0 ||
	    pcap_set_immediate_mode(p, s->c.immediate) != 0)
		return -1;
	return 0;
}

/* Sets the filter, non-blocking mode and checks the link type. */
static int
ps_finish(struct pcapsrc *s, struct psif *i, char *err, size_t errlen)
{
	struct bpf_program	 prog;
	char			 e[PCAP_ERRBUF_SIZE];

	if (pcap_datalink(i->p) != DLT_EN10MB)
		return ps_fail(s, err, errlen, "%s: %s", i->name,
		    "not an Ethernet interface");
	if (s->filter[0] != '\0') {
		if (pcap_compile(i->p, &prog, s->filter, 1,
		    PCAP_NETMASK_UNKNOWN) != 0)
			return ps_fail(s, err, errlen, "%s: filter: %s",
			    i->name, pcap_geterr(i->p));
		if (pcap_setfilter(i->p, &prog) != 0) {
			pcap_freecode(&prog);
			return ps_fail(s, err, errlen, "%s: filter: %s",
			    i->name, pcap_geterr(i->p));
		}
		pcap_freecode(&prog);
	}
	if (pcap_setnonblock(i->p, 1, e) != 0)
		return ps_fail(s, err, errlen, "%s: %s", i->name, e);
	return 0;
}

static int
ps_open_one(struct pcapsrc *s, struct psif *i, char *err, size_t errlen)
{
	char	 e[PCAP_ERRBUF_SIZE] = "";
	int	 rc;

	if ((i->p = pcap_create(i->name, e)) == NULL)
		return ps_fail(s, err, errlen, "%s: %s", i->name, e);
	if (ps_setup(s, i->p) < 0)
		rc = ps_fail(s, err, errlen, "%s: %s", i->name,
		    pcap_geterr(i->p));
	else if ((rc = pcap_activate(i->p)) < 0)
		rc = ps_fail(s, err, errlen, "%s: %s", i->name,
		    rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface" :
		    pcap_geterr(i->p));
	else
		rc = ps_finish(s, i, err, errlen);
	if (rc < 0) {
		pcap_close(i->p);
		i->p = NULL;
		return -1;
	}
	memset(&i->last, 0, sizeof(i->last));
	return 0;
}

/* Keeps a closing handle's counters in the base. */
static void
ps_close_one(struct psif *i)
{
	if (i->p == NULL)
		return;
	(void)pcap_stats(i->p, &i->last);	/* failing: the last good ones */
	i->base_recv += i->last.ps_recv;
	i->base_drop += i->last.ps_drop;
	i->base_ifdrop += i->last.ps_ifdrop;
	memset(&i->last, 0, sizeof(i->last));
	pcap_close(i->p);
	i->p = NULL;
}

static int
ps_check(const struct pcapsrc_config *c, char *err, size_t errlen)
{
	if (c->nifs > PCAPSRC_MAX_IFS)
		snprintf(err, errlen, "pcap: at most %d interfaces, not %zu",
		    PCAPSRC_MAX_IFS, c->nifs);
	else if (c->sample_every == 0)
		snprintf(err, errlen, "pcap: sample 1-in-0");
	else if (c->top == 0 || c->top > WIRE_MAX_PAIRS)
		snprintf(err, errlen, "pcap: top 1 to %d, not %u",
		    WIRE_MAX_PAIRS, c->top);
	else if (c->snaplen < 64 || c->snaplen > 65535)
		snprintf(err, errlen, "pcap: snaplen 64 to 65535, not %u",
		    c->snaplen);
	else
		return 0;
	return -EINVAL;
}

static int
ps_init(struct pcapsrc *s, const struct pcapsrc_config *c)
{
	size_t	 k;

	s->c = *c;
	s->c.ifs = NULL;
	if (s->c.timeout_ms == 0)
		s->c.timeout_ms = 100;
	if ((s->filter = strdup(c->filter ? c->filter : "")) == NULL ||
	    (s->agg = tagg_new(c->max_flows ? c->max_flows : 4096,
	    c->max_addrs ? c->max_addrs : 4096)) == NULL)
		return -ENOMEM;
	s->c.nifs = 0;
	for (k = 0; k < c->nifs; k++)
		if (strlen(c->ifs[k].name) >= sizeof(s->ifs[k].name))
			return -ENAMETOOLONG;
	pcapsrc_set_ifs(s, c->ifs, c->nifs);
	s->rng = c->seed ? c->seed : (uint64_t)util_now_mono_ns() | 1;
	s->lnq = c->sample_every > 1 ? log(1.0 - 1.0 / c->sample_every) : 0;
	s->skip = ps_gap(s);
	s->win_start = util_now_real_ms();
	return 0;
}

struct pcapsrc *
pcapsrc_new(const struct pcapsrc_config *c, char *err, size_t errlen)
{
	struct pcapsrc	*s;
	int		 rc;

	if (ps_check(c, err, errlen) < 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "pcap: out of memory");
		return NULL;
	}
	if ((rc = ps_init(s, c)) < 0) {
		snprintf(err, errlen, "pcap: %s", rc == -ENOMEM ?
		    "out of memory" : "an interface name is too long");
		pcapsrc_free(s);
		return NULL;
	}
	return s;
}

void
pcapsrc_free(struct pcapsrc *s)
{
	size_t	 k;

	if (s == NULL)
		return;
	for (k = 0; k < s->c.nifs; k++)
		ps_close_one(&s->ifs[k]);
	tagg_free(s->agg);
	free(s->filter);
	free(s);
}

/* The entry named name among old[0..n), or NULL. */
static struct psif *
ps_find(struct psif *old, size_t n, const char *name)
{
	size_t	 k;

	for (k = 0; k < n; k++)
		if (old[k].name[0] != '\0' && strcmp(old[k].name, name) == 0)
			return &old[k];
	return NULL;
}

int
pcapsrc_set_ifs(struct pcapsrc *s, const struct pcapsrc_if *ifs, size_t n)
{
	struct psif		*old = s->old, *o, *i;
	size_t			 k, nold = s->c.nifs;

	if (n > PCAPSRC_MAX_IFS)
		return -EINVAL;
	memcpy(old, s->ifs, nold * sizeof(old[0]));
	memset(s->ifs, 0, sizeof(s->ifs));
	for (k = 0; k < n; k++) {
		i = &s->ifs[k];
		if ((o = ps_find(old, nold, ifs[k].name)) != NULL) {
			*i = *o;
			o->name[0] = '\0';	/* taken */
		} else
			util_strlcpy(i->name, ifs[k].name, sizeof(i->name));
		i->has_vm = ifs[k].vm != NULL;
		if (ifs[k].vm != NULL)
			memcpy(i->vm, ifs[k].vm, 16);
		i->src = s;
	}
	for (k = 0; k < nold; k++) {
		if (old[k].name[0] == '\0')
			continue;
		ps_close_one(&old[k]);
		s->gone_recv += old[k].base_recv;
		s->gone_drop += old[k].base_drop;
		s->gone_ifdrop += old[k].base_ifdrop;
	}
	s->c.nifs = n;
	return 0;
}

struct tagg *
pcapsrc_agg(struct pcapsrc *s)
{
	return s->agg;
}

int
pcapsrc_open(struct pcapsrc *s, char *err, size_t errlen)
{
	size_t	 k;
	int	 closed = 0;

	for (k = 0; k < s->c.nifs; k++)
		if (s->ifs[k].p == NULL &&
		    ps_open_one(s, &s->ifs[k], err, errlen) < 0)
			closed++;
	return closed;
}

size_t
pcapsrc_fds(const struct pcapsrc *s, int *fds, size_t max)
{
	size_t	 k, n = 0;
	int	 fd;

	for (k = 0; k < s->c.nifs && n < max; k++)
		if (s->ifs[k].p != NULL &&
		    (fd = pcap_get_selectable_fd(s->ifs[k].p)) >= 0)
			fds[n++] = fd;
	return n;
}

int
pcapsrc_dispatch(struct pcapsrc *s, int budget, char *err, size_t errlen)
{
	struct psif	*i;
	size_t		 k;
	int		 failed = 0;

	for (k = 0; k < s->c.nifs; k++) {
		i = &s->ifs[k];
		if (i->p == NULL)
			continue;
		if (pcap_dispatch(i->p, budget, ps_packet, (u_char *)i) >= 0)
			continue;
		ps_fail(s, err, errlen, "%s: %s", i->name, pcap_geterr(i->p));
		ps_close_one(i);
		failed++;
	}
	return failed;
}

uint64_t
pcapsrc_seen(const struct pcapsrc *s)
{
	return s->seen;
}

static void
ps_endpoint(Ballast__V1__Endpoint *e, const struct tagg_ep *x)
{
	ballast__v1__endpoint__init(e);
	if (x->kind == TAGG_EP_VM) {
		e->vm.data = (uint8_t *)(uintptr_t)x->b;
		e->vm.len = 16;
	} else if (x->kind == TAGG_EP_ADDR) {
		e->addr.data = (uint8_t *)(uintptr_t)x->b;
		e->addr.len = x->len;
	}
}

/* The cumulative counters of every interface, open or not. */
static void
ps_counters(struct pcapsrc *s, Ballast__V1__Traffic *t)
{
	struct psif	*i;
	size_t		 k;

	t->captured = s->gone_recv;
	t->dropped = s->gone_drop;
	t->if_dropped = s->gone_ifdrop;
	for (k = 0; k < s->c.nifs; k++) {
		i = &s->ifs[k];
		if (i->p != NULL)
			(void)pcap_stats(i->p, &i->last);
		t->captured += i->base_recv + i->last.ps_recv;
		t->dropped += i->base_drop + i->last.ps_drop;
		t->if_dropped += i->base_ifdrop + i->last.ps_ifdrop;
	}
}

void
pcapsrc_window(struct pcapsrc *s, int64_t now_ms, Ballast__V1__Traffic **out)
{
	Ballast__V1__Traffic	*t = &s->t;
	struct tagg_totals	 tot;
	size_t			 k, n;

	ballast__v1__traffic__init(t);
	n = tagg_take(s->agg, s->tp, s->c.top, &tot);
	for (k = 0; k < n; k++) {
		ballast__v1__traffic_pair__init(&s->pairs[k]);
		ps_endpoint(&s->eps[2 * k], &s->tp[k].src);
		ps_endpoint(&s->eps[2 * k + 1], &s->tp[k].dst);
		s->pairs[k].src = &s->eps[2 * k];
		s->pairs[k].dst = &s->eps[2 * k + 1];
		s->pairs[k].bytes = s->tp[k].bytes;
		s->pairs[k].packets = s->tp[k].packets;
		s->pairp[k] = &s->pairs[k];
	}
	t->window_start_ms = (uint64_t)s->win_start;
	t->window_ms = now_ms > s->win_start ?
	    (uint32_t)(now_ms - s->win_start) : 0;
	t->sample_every = s->c.sample_every;
	t->pairs = s->pairp;
	t->n_pairs = n;
	t->other_bytes = tot.other_bytes;
	t->other_packets = tot.other_packets;
	ps_counters(s, t);
	t->errors = s->errors;
	s->errors = 0;
	s->win_start = now_ms;
	*out = t;
}
