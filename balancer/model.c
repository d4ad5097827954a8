/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"
#include "uuidmap.h"

struct model {
	struct model_limits	  lim;
	struct uuidmap		  host_map;
	struct model_host	**hosts;	/* sorted by name */
	size_t			  nhosts, hosts_cap;
	struct uuidmap		  vm_map;
	struct model_vm		**vms;		/* dense, unordered */
	size_t			  nvms, vms_cap;
	uint64_t		  gen;
	struct model_stats	  st;
};

struct model *
model_new(const struct model_limits *lim)
{
	struct model	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if (lim != NULL)
		m->lim = *lim;
	if (m->lim.stale_intervals == 0)
		m->lim.stale_intervals = 3;
	if (m->lim.forget_vm_s == 0)
		m->lim.forget_vm_s = 600;
	if (m->lim.max_hosts == 0)
		m->lim.max_hosts = 10000;
	if (m->lim.max_vms == 0)
		m->lim.max_vms = 1000000;
	return m;
}

void
model_free(struct model *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nhosts; i++) {
		free(m->hosts[i]->vms);
		free(m->hosts[i]->vms_next);
		free(m->hosts[i]);
	}
	for (i = 0; i < m->nvms; i++)
		free(m->vms[i]);
	free(m->hosts);
	free(m->vms);
	uuidmap_clear(&m->host_map);
	uuidmap_clear(&m->vm_map);
	free(m);
}

/* Index of the first host whose name is >= name. */
static size_t
model_host_lower(const struct model *m, const char *name)
{
	size_t	 lo = 0, hi = m->nhosts, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(m->hosts[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
model_hosts_insert(struct model *m, struct model_host *h)
{
	struct model_host	**nh;
	size_t			  at, ncap;

	if (m->nhosts == m->hosts_cap) {
		ncap = m->hosts_cap ? m->hosts_cap * 2 : 16;
		if ((nh = reallocarray(m->hosts, ncap, sizeof(*nh))) == NULL)
			return -ENOMEM;
		m->hosts = nh;
		m->hosts_cap = ncap;
	}
	at = model_host_lower(m, h->name);
	memmove(&m->hosts[at + 1], &m->hosts[at],
	    (m->nhosts - at) * sizeof(*m->hosts));
	m->hosts[at] = h;
	m->nhosts++;
	return 0;
}

static void
model_hosts_remove(struct model *m, const struct model_host *h)
{
	size_t	 at = model_host_lower(m, h->name);

	if (at < m->nhosts && m->hosts[at] == h) {
		memmove(&m->hosts[at], &m->hosts[at + 1],
		    (m->nhosts - at - 1) * sizeof(*m->hosts));
		m->nhosts--;
	}
}

/* Finds or creates the report's host; handles a rename. */
static int
model_host_get(struct model *m, const wire_report *r, struct model_host **out)
{
	struct model_host	*h;
	const struct model_host	*other;

	h = uuidmap_get(&m->host_map, r->host_uuid.data);
	other = model_host_by_name(m, r->host_name);
	if (other != NULL && other != h) {
		m->st.name_conflicts++;
		return -EEXIST;
	}
	if (h != NULL) {
		if (strcmp(h->name, r->host_name) != 0) {
			model_hosts_remove(m, h);
			util_strlcpy(h->name, r->host_name, sizeof(h->name));
			if (model_hosts_insert(m, h) < 0)
				return -ENOMEM;	/* cannot happen: room was freed */
		}
		*out = h;
		return 0;
	}
	if (m->nhosts >= m->lim.max_hosts) {
		m->st.hosts_refused++;
		return -ENOSPC;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return -ENOMEM;
	memcpy(h->uuid, r->host_uuid.data, 16);
	util_strlcpy(h->name, r->host_name, sizeof(h->name));
	if (uuidmap_put(&m->host_map, h) < 0 || model_hosts_insert(m, h) < 0) {
		uuidmap_del(&m->host_map, h->uuid);
		free(h);
		return -ENOMEM;
	}
	*out = h;
	return 0;
}

static void
model_host_counters(struct model_host *h, const wire_report *r)
{
	const Ballast__V1__HostCounters	*c = r->counters;
	uint64_t			 db, di, ds;
	int				 reset = 0;

	if (h->reports > 0) {
		reset |= rate_delta(h->busy_ns, c->cpu_busy_ns, 64, &db) == RATE_RESET;
		reset |= rate_delta(h->idle_ns, c->cpu_idle_ns, 64, &di) == RATE_RESET;
		reset |= rate_delta(h->steal_ns, c->cpu_steal_ns, 64, &ds) == RATE_RESET;
		if (!reset && db + di > 0) {
			h->cpu_util = (double)db / (double)(db + di);
			h->cpu_steal = (double)ds / (double)(db + di);
			h->has_rates = 1;
			rate_window_push(&h->cpu_win, (float)h->cpu_util);
		}
	}
	h->busy_ns = c->cpu_busy_ns;
	h->idle_ns = c->cpu_idle_ns;
	h->steal_ns = c->cpu_steal_ns;
	h->mem_used = c->mem_used_bytes;
	h->mem_avail = c->mem_available_bytes;
	h->mem_util = h->mem_bytes ? (double)h->mem_used / (double)h->mem_bytes : 0;
	rate_window_push(&h->mem_win, (float)h->mem_util);
}

static int
model_vm_create(struct model *m, const wire_vm *s, struct model_vm **out)
{
	struct model_vm	 *vm, **nv;
	size_t		  ncap;

	if (m->nvms >= m->lim.max_vms) {
		m->st.vms_refused++;
		return -ENOSPC;
	}
	if (m->nvms == m->vms_cap) {
		ncap = m->vms_cap ? m->vms_cap * 2 : 256;
		if ((nv = reallocarray(m->vms, ncap, sizeof(*nv))) == NULL)
			return -ENOMEM;
		m->vms = nv;
		m->vms_cap = ncap;
	}
	if ((vm = calloc(1, sizeof(*vm))) == NULL)
		return -ENOMEM;
	memcpy(vm->uuid, s->uuid.data, 16);
	if (uuidmap_put(&m->vm_map, vm) < 0) {
		free(vm);
		return -ENOMEM;
	}
	vm->idx = m->nvms;
	m->vms[m->nvms++] = vm;
	*out = vm;
	return 0;
}

/* Takes vm out of its host's array (swap with the last). */
static void
model_vm_detach(struct model_vm *vm)
{
	struct model_host	*h = vm->host;
	struct model_vm		*last;

	if (h == NULL)
		return;
	if (vm->host_idx < h->nvms && h->vms[vm->host_idx] == vm) {
		last = h->vms[h->nvms - 1];
		h->vms[vm->host_idx] = last;
		last->host_idx = vm->host_idx;
		h->nvms--;
	}
	vm->host = NULL;
}

static void
model_vm_counters_from(struct model_vm_counters *c, const wire_vm *s)
{
	c->cpu_time_ns = s->cpu_time_ns;
	c->vcpu_delay_ns = s->vcpu_delay_ns;
	c->blk_rd_bytes = s->blk_rd_bytes;
	c->blk_wr_bytes = s->blk_wr_bytes;
	c->blk_rd_ops = s->blk_rd_ops;
	c->blk_wr_ops = s->blk_wr_ops;
	c->net_rx_bytes = s->net_rx_bytes;
	c->net_tx_bytes = s->net_tx_bytes;
	c->net_rx_pkts = s->net_rx_pkts;
	c->net_tx_pkts = s->net_tx_pkts;
	c->net_rx_drop = s->net_rx_drop;
	c->net_tx_drop = s->net_tx_drop;
}

#define NCOUNTERS	(sizeof(struct model_vm_counters) / sizeof(uint64_t))

/*
 * Rates from the previous counters to cur over dt_ms.  Returns 0, or
 * -1 when a counter restarted (the rates are left as they were).
 */
static int
model_vm_rates(struct model_vm *vm, const struct model_vm_counters *cur,
    uint64_t dt_ms, uint32_t host_mhz)
{
	uint64_t		 p[NCOUNTERS], c[NCOUNTERS], d[NCOUNTERS];
	struct model_vm_rates	*r = &vm->r;
	double			 ns = (double)dt_ms * 1e6, vc;
	size_t			 i;

	memcpy(p, &vm->c, sizeof(p));
	memcpy(c, cur, sizeof(c));
	for (i = 0; i < NCOUNTERS; i++)
		if (rate_delta(p[i], c[i], 64, &d[i]) == RATE_RESET)
			return -1;
	vc = vm->vcpus ? (double)vm->vcpus : 1.0;
	r->cpu_util = (double)d[0] / ns / vc;
	r->cpu_mhz = (double)d[0] / ns * host_mhz;
	r->vcpu_delay = (double)d[1] / ns / vc;
	r->blk_rd_bps = rate_per_s(d[2], dt_ms);
	r->blk_wr_bps = rate_per_s(d[3], dt_ms);
	r->blk_rd_iops = rate_per_s(d[4], dt_ms);
	r->blk_wr_iops = rate_per_s(d[5], dt_ms);
	r->net_rx_bps = rate_per_s(d[6], dt_ms);
	r->net_tx_bps = rate_per_s(d[7], dt_ms);
	r->net_rx_pps = rate_per_s(d[8], dt_ms);
	r->net_tx_pps = rate_per_s(d[9], dt_ms);
	r->net_drops_ps = rate_per_s(d[10] + d[11], dt_ms);
	return 0;
}

/* The fading peak: max(now, the old peak halved per half-life). */
static void
model_vm_peak(struct model_vm *vm, uint64_t dt_ms)
{
	float	 faded;

	faded = vm->cpu_peak * (float)exp2(-(double)dt_ms /
	    (1000.0 * MODEL_PEAK_HALF_LIFE_S));
	vm->cpu_peak = fmaxf(faded, (float)vm->r.cpu_util);
}

/* t_ms: when s's counters were read (its report's time + its offset) */
static void
model_vm_update(struct model *m, struct model_vm *vm, struct model_host *h,
    const wire_vm *s, uint64_t t_ms, uint64_t report_ms, int64_t now_ms)
{
	struct model_vm_counters	 cur;
	int				 baseline = 0;

	if (vm->host == NULL && vm->prev_host == h)
		vm->host = h;	/* back after a missed report: same process */
	if (vm->host != h) {
		if (vm->host != NULL || vm->prev_host != NULL) {
			vm->moves++;
			m->st.vm_moves++;
			vm->moved_ms = now_ms;
			vm->from_host = vm->host != NULL ? vm->host : vm->prev_host;
		}
		model_vm_detach(vm);
		vm->host = h;
		baseline = 1;	/* counters restart on the destination */
	}
	if (strcmp(vm->name, s->name) != 0)
		util_strlcpy(vm->name, s->name, sizeof(vm->name));
	vm->state = (int)s->state;
	vm->vcpus = s->vcpus;
	vm->mem_max = s->mem_max_bytes;
	vm->mem_balloon = s->mem_balloon_bytes;
	vm->mem_rss = s->mem_rss_bytes;
	vm->mem_unused = s->mem_unused_bytes;
	vm->has_dirty = s->dirty != NULL;
	vm->dirty_bps = s->dirty != NULL ? s->dirty->bytes_per_s : 0;
	vm->seen_ms = now_ms;
	vm->gen = m->gen;
	vm->stale = s->stale;
	if (s->stale && !baseline)
		return;		/* last good values: the next fresh sample
				   gives the rates over the whole gap */
	model_vm_counters_from(&cur, s);
	if (!baseline && t_ms > vm->c_time_ms) {
		if (model_vm_rates(vm, &cur, t_ms - vm->c_time_ms, h->cpu_mhz) == 0) {
			vm->has_rates = 1;
			rate_window_push(&vm->cpu_win, (float)vm->r.cpu_util);
			model_vm_peak(vm, t_ms - vm->c_time_ms);
		} else {
			vm->resets++;
			m->st.vm_resets++;
		}
	} else if (!baseline && t_ms == vm->c_time_ms)
		return;		/* same sample time: keep the old baseline */
	/* else a clock that went back: this sample is the new baseline,
	   or the first rates after it would span the jump */
	vm->c = cur;
	vm->c_time_ms = t_ms;
	vm->c_report_ms = report_ms;
}

static int
model_host_grow(struct model_host *h, size_t n)
{
	struct model_vm	**a, **b;
	size_t		  ncap;

	if (n <= h->vms_cap)
		return 0;
	ncap = n < 16 ? 16 : n + n / 2;
	if ((a = reallocarray(h->vms, ncap, sizeof(*a))) == NULL)
		return -ENOMEM;
	h->vms = a;
	if ((b = reallocarray(h->vms_next, ncap, sizeof(*b))) == NULL)
		return -ENOMEM;
	h->vms_next = b;
	h->vms_cap = ncap;
	return 0;
}

/* Looks a sample's VM up, trying the slot it had last time first. */
static struct model_vm *
model_vm_find(struct model *m, struct model_host *h, const wire_vm *s, size_t i)
{
	if (i < h->nvms && memcmp(h->vms[i]->uuid, s->uuid.data, 16) == 0)
		return h->vms[i];
	return uuidmap_get(&m->vm_map, s->uuid.data);
}

static int
model_apply_vms(struct model *m, struct model_host *h, const wire_report *r,
    int64_t now_ms)
{
	struct model_vm	 *vm, **tmp;
	size_t		  i, n = 0, old_n;
	double		  mhz = 0;

	if (model_host_grow(h, r->n_vms) < 0)
		return -ENOMEM;
	for (i = 0; i < r->n_vms; i++) {
		vm = model_vm_find(m, h, r->vms[i], i);
		if (vm == NULL && model_vm_create(m, r->vms[i], &vm) < 0)
			continue;
		model_vm_update(m, vm, h, r->vms[i], r->sample_time_ms +
		    (uint64_t)(int64_t)r->vms[i]->read_offset_ms,
		    r->sample_time_ms, now_ms);
		h->vms_next[n++] = vm;
		if (vm->has_rates)
			mhz += vm->r.cpu_mhz;
	}
	/* VMs the host no longer reports: no host until one does. */
	old_n = h->nvms;
	for (i = 0; i < old_n; i++)
		if (h->vms[i]->gen != m->gen && h->vms[i]->host == h) {
			h->vms[i]->prev_host = h;
			h->vms[i]->host = NULL;
		}
	tmp = h->vms;
	h->vms = h->vms_next;
	h->vms_next = tmp;
	h->nvms = n;
	for (i = 0; i < n; i++)
		h->vms[i]->host_idx = i;
	h->vm_cpu_mhz = mhz;
	return 0;
}

int
model_apply_report(struct model *m, const wire_report *r, int64_t now_ms)
{
	struct model_host	*h;
	int			 rc;

	if ((rc = model_host_get(m, r, &h)) < 0)
		return rc;
	m->gen++;
	util_strlcpy(h->cluster, r->cluster, sizeof(h->cluster));
	h->cpus = r->capacity->cpus;
	h->cpu_mhz = r->capacity->cpu_mhz;
	h->mem_bytes = r->capacity->memory_bytes;
	h->nic_bps = r->capacity->nic_bps;
	h->seq = r->seq;
	if (h->reports > 0 && r->sample_time_ms < h->sample_time_ms)
		m->st.clock_back++;
	h->sample_time_ms = r->sample_time_ms;
	h->interval_ms = r->interval_ms;
	h->last_ms = now_ms;
	h->stale = 0;
	model_host_counters(h, r);
	h->reports++;
	return model_apply_vms(m, h, r, now_ms);
}

static void
model_vm_forget(struct model *m, struct model_vm *vm)
{
	struct model_vm	*last = m->vms[m->nvms - 1];

	uuidmap_del(&m->vm_map, vm->uuid);
	m->vms[vm->idx] = last;
	last->idx = vm->idx;
	m->nvms--;
	free(vm);
	m->st.vms_forgotten++;
}

void
model_tick(struct model *m, int64_t now_ms)
{
	struct model_host	*h;
	size_t			 i;

	for (i = 0; i < m->nhosts; i++) {
		h = m->hosts[i];
		if (!h->stale && now_ms - h->last_ms >
		    (int64_t)m->lim.stale_intervals * h->interval_ms) {
			h->stale = 1;
			m->st.stale_transitions++;
		}
	}
	for (i = 0; i < m->nvms;) {
		if (m->vms[i]->host == NULL &&
		    now_ms - m->vms[i]->seen_ms > (int64_t)m->lim.forget_vm_s * 1000)
			model_vm_forget(m, m->vms[i]);	/* i now holds another */
		else
			i++;
	}
}

size_t
model_host_count(const struct model *m)
{
	return m->nhosts;
}

size_t
model_stale_count(const struct model *m)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->nhosts; i++)
		n += m->hosts[i]->stale != 0;
	return n;
}

const struct model_host *
model_host_at(const struct model *m, size_t i)
{
	return i < m->nhosts ? m->hosts[i] : NULL;
}

const struct model_host *
model_host_by_name(const struct model *m, const char *name)
{
	size_t	 at = model_host_lower(m, name);

	if (at < m->nhosts && strcmp(m->hosts[at]->name, name) == 0)
		return m->hosts[at];
	return NULL;
}

int
model_set_host_addr(struct model *m, const uint8_t uuid[16], const char *addr)
{
	struct model_host	*h;
	struct in_addr		 a4;

	if ((h = uuidmap_get(&m->host_map, uuid)) == NULL)
		return -ENOENT;
	util_strlcpy(h->addr, addr, sizeof(h->addr));
	memset(h->addr4, 0, sizeof(h->addr4));
	if ((h->has_addr4 = inet_pton(AF_INET, h->addr, &a4) == 1))
		memcpy(h->addr4, &a4, sizeof(h->addr4));
	return 0;
}

const struct model_host *
model_host_by_uuid(const struct model *m, const uint8_t uuid[16])
{
	return uuidmap_get(&m->host_map, uuid);
}

size_t
model_vm_count(const struct model *m)
{
	return m->nvms;
}

const struct model_vm *
model_vm_at(const struct model *m, size_t i)
{
	return i < m->nvms ? m->vms[i] : NULL;
}

const struct model_vm *
model_vm_by_uuid(const struct model *m, const uint8_t uuid[16])
{
	return uuidmap_get(&m->vm_map, uuid);
}

const struct model_stats *
model_stats(const struct model *m)
{
	return &m->st;
}
