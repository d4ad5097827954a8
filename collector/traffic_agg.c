/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traffic_agg.h"
#include "util.h"

/* Open addressing with linear probing; tables are powers of two, at
 * most half full. */
struct tagg_flow {
	struct tagg_ep	 src, dst;	/* the key: 36 bytes, no padding */
	uint64_t	 bytes, packets;
	int		 used;
};

struct tagg_addr {
	uint8_t		 len;		/* 0: free slot */
	uint8_t		 a[16];
	uint8_t		 vm[16];
};

struct tagg {
	struct tagg_flow *flows;
	size_t		  fmask, max_flows;
	size_t		 *used;		/* slots in use, in insertion order */
	size_t		  nused;
	const struct tagg_flow **sorted; /* tagg_take()'s scratch */
	struct tagg_addr *addrs;
	size_t		  amask, max_addrs, naddrs;
	struct tagg_totals tot;
};

static size_t
tagg_pow2(size_t n)
{
	size_t	 p = 16;

	while (p < n * 2)
		p <<= 1;
	return p;
}

struct tagg *
tagg_new(size_t max_flows, size_t max_addrs)
{
	struct tagg	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max_flows = max_flows ? max_flows : 1;
	t->max_addrs = max_addrs ? max_addrs : 1;
	t->fmask = tagg_pow2(t->max_flows) - 1;
	t->amask = tagg_pow2(t->max_addrs) - 1;
	t->flows = calloc(t->fmask + 1, sizeof(*t->flows));
	t->used = calloc(t->max_flows, sizeof(*t->used));
	t->sorted = calloc(t->max_flows, sizeof(*t->sorted));
	t->addrs = calloc(t->amask + 1, sizeof(*t->addrs));
	if (t->flows == NULL || t->used == NULL || t->sorted == NULL ||
	    t->addrs == NULL) {
		tagg_free(t);
		return NULL;
	}
	return t;
}

void
tagg_free(struct tagg *t)
{
	if (t == NULL)
		return;
	free(t->flows);
	free(t->used);
	free(t->sorted);
	free(t->addrs);
	free(t);
}

static struct tagg_addr *
tagg_addr_slot(const struct tagg *t, const uint8_t *a, size_t len)
{
	size_t	 i = (size_t)util_hash64(a, len) & t->amask;

	while (t->addrs[i].len != 0 && (t->addrs[i].len != len ||
	    memcmp(t->addrs[i].a, a, len) != 0))
		i = (i + 1) & t->amask;
	return &t->addrs[i];
}

int
tagg_map_add(struct tagg *t, const uint8_t *addr, size_t len,
    const uint8_t vm[16])
{
	struct tagg_addr	*s;

	if (len != 4 && len != 6 && len != 16)
		return -EINVAL;
	s = tagg_addr_slot(t, addr, len);
	if (s->len == 0) {
		if (t->naddrs == t->max_addrs)
			return -ENOSPC;
		t->naddrs++;
		s->len = (uint8_t)len;
		memcpy(s->a, addr, len);
	}
	memcpy(s->vm, vm, 16);
	return 0;
}

void
tagg_map_clear(struct tagg *t)
{
	memset(t->addrs, 0, (t->amask + 1) * sizeof(*t->addrs));
	t->naddrs = 0;
}

int
tagg_map_find(const struct tagg *t, const uint8_t *addr, size_t len,
    uint8_t vm[16])
{
	const struct tagg_addr	*s;

	if (len != 4 && len != 6 && len != 16)
		return 0;
	s = tagg_addr_slot(t, addr, len);
	if (s->len == 0)
		return 0;
	memcpy(vm, s->vm, 16);
	return 1;
}

/* One end of a packet: a local VM by MAC or IP, else its IP or MAC. */
static void
tagg_resolve(const struct tagg *t, const uint8_t mac[6], const uint8_t *ip,
    size_t iplen, struct tagg_ep *e)
{
	memset(e, 0, sizeof(*e));
	if (tagg_map_find(t, mac, 6, e->b) ||
	    (iplen != 0 && tagg_map_find(t, ip, iplen, e->b))) {
		e->kind = TAGG_EP_VM;
		e->len = 16;
	} else if (iplen != 0) {
		e->kind = TAGG_EP_ADDR;
		e->len = (uint8_t)iplen;
		memcpy(e->b, ip, iplen);
	} else if ((mac[0] & 1) == 0) {	/* not broadcast or multicast */
		e->kind = TAGG_EP_ADDR;
		e->len = 6;
		memcpy(e->b, mac, 6);
	}
}

/* The counting rule of the header. */
static int
tagg_mine(const struct tagg_ep *s, const struct tagg_ep *d,
    const uint8_t *tap_vm)
{
	if (tap_vm == NULL)
		return 1;
	if (s->kind == TAGG_EP_VM)
		return memcmp(s->b, tap_vm, 16) == 0;
	return d->kind == TAGG_EP_VM && memcmp(d->b, tap_vm, 16) == 0;
}

static struct tagg_flow *
tagg_flow(struct tagg *t, const struct tagg_ep *s, const struct tagg_ep *d)
{
	struct tagg_ep	 key[2];
	size_t		 i;

	key[0] = *s;
	key[1] = *d;
	i = (size_t)util_hash64(key, sizeof(key)) & t->fmask;
	while (t->flows[i].used) {
		if (memcmp(&t->flows[i].src, key, sizeof(key)) == 0)
			return &t->flows[i];
		i = (i + 1) & t->fmask;
	}
	if (t->nused == t->max_flows)
		return NULL;
	t->flows[i].used = 1;
	t->flows[i].src = *s;
	t->flows[i].dst = *d;
	t->used[t->nused++] = i;
	return &t->flows[i];
}

int
tagg_add(struct tagg *t, const struct tagg_pkt *p, const uint8_t *tap_vm)
{
	struct tagg_ep		 s, d;
	struct tagg_flow	*f;

	tagg_resolve(t, p->smac, p->sip, p->iplen, &s);
	tagg_resolve(t, p->dmac, p->dip, p->iplen, &d);
	if (!tagg_mine(&s, &d, tap_vm))
		return 0;
	t->tot.bytes += p->bytes;
	t->tot.packets++;
	if ((f = tagg_flow(t, &s, &d)) == NULL) {
		t->tot.overflow++;
		t->tot.other_bytes += p->bytes;
		t->tot.other_packets++;
		return 1;
	}
	f->bytes += p->bytes;
	f->packets++;
	return 1;
}

static int
tagg_cmp(const void *a, const void *b)
{
	const struct tagg_flow	*x = *(const struct tagg_flow *const *)a;
	const struct tagg_flow	*y = *(const struct tagg_flow *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return memcmp(&x->src, &y->src, 2 * sizeof(x->src));
}

size_t
tagg_take(struct tagg *t, struct tagg_pair *out, size_t k,
    struct tagg_totals *tot)
{
	const struct tagg_flow	**v = t->sorted;
	size_t			  i, n = 0;

	*tot = t->tot;
	tot->pairs = t->nused;
	for (i = 0; i < t->nused; i++)
		v[i] = &t->flows[t->used[i]];
	qsort(v, t->nused, sizeof(*v), tagg_cmp);
	for (i = 0; i < t->nused; i++) {
		if (n < k) {
			out[n].src = v[i]->src;
			out[n].dst = v[i]->dst;
			out[n].bytes = v[i]->bytes;
			out[n].packets = v[i]->packets;
			n++;
		} else {
			tot->other_bytes += v[i]->bytes;
			tot->other_packets += v[i]->packets;
		}
	}
	for (i = 0; i < t->nused; i++)
		memset(&t->flows[t->used[i]], 0, sizeof(t->flows[0]));
	t->nused = 0;
	memset(&t->tot, 0, sizeof(t->tot));
	return n;
}
