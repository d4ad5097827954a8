/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "util.h"
#include "vstats.h"

#define KIB	1024ULL

static uint64_t
vs_ull(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_ULLONG:	return p->value.ul;
	case VIR_TYPED_PARAM_LLONG:	return p->value.l < 0 ? 0 : (uint64_t)p->value.l;
	case VIR_TYPED_PARAM_UINT:	return p->value.ui;
	case VIR_TYPED_PARAM_INT:	return p->value.i < 0 ? 0 : (uint64_t)p->value.i;
	default:			return 0;
	}
}

/* "prefix.N.suffix": whether name is one, for any number N. */
static int
vs_indexed(const char *name, const char *prefix, size_t plen,
    const char *suffix)
{
	const char	*p;

	if (strncmp(name, prefix, plen) != 0)
		return 0;
	p = name + plen;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcmp(p, suffix) == 0;
}

/* Per-device counters; returns 1 for one it took. */
static int
vs_block(const char *f, uint64_t v, struct virt_vm *o)
{
	if (vs_indexed(f, "block.", 6, ".rd.bytes"))
		o->blk_rd_bytes += v;
	else if (vs_indexed(f, "block.", 6, ".wr.bytes"))
		o->blk_wr_bytes += v;
	else if (vs_indexed(f, "block.", 6, ".rd.reqs"))
		o->blk_rd_ops += v;
	else if (vs_indexed(f, "block.", 6, ".wr.reqs"))
		o->blk_wr_ops += v;
	else
		return 0;
	return 1;
}

static int
vs_net(const char *f, uint64_t v, struct virt_vm *o)
{
	if (vs_indexed(f, "net.", 4, ".rx.bytes"))
		o->net_rx_bytes += v;
	else if (vs_indexed(f, "net.", 4, ".tx.bytes"))
		o->net_tx_bytes += v;
	else if (vs_indexed(f, "net.", 4, ".rx.pkts"))
		o->net_rx_pkts += v;
	else if (vs_indexed(f, "net.", 4, ".tx.pkts"))
		o->net_tx_pkts += v;
	else if (vs_indexed(f, "net.", 4, ".rx.drop"))
		o->net_rx_drop += v;
	else if (vs_indexed(f, "net.", 4, ".tx.drop"))
		o->net_tx_drop += v;
	else
		return 0;
	return 1;
}

static unsigned
vs_balloon(const char *f, uint64_t v, struct virt_vm *o)
{
	if (strcmp(f, "balloon.current") == 0)
		o->mem_balloon = v * KIB;
	else if (strcmp(f, "balloon.maximum") == 0)
		o->mem_max = v * KIB;
	else if (strcmp(f, "balloon.rss") == 0)
		o->mem_rss = v * KIB;
	else if (strcmp(f, "balloon.unused") == 0)
		o->mem_unused = v * KIB;
	else
		return 0;
	return VS_G_BALLOON;
}

/*
 * What a record says about devices: a device group is present only
 * when its counters are (NOWAIT leaves a busy domain's block counters
 * out but still says block.count).
 */
struct vs_devseen {
	uint64_t	 blk_count, net_count;
	int		 blk_has_count, net_has_count;
	unsigned	 blk_fields, net_fields;
};

static unsigned
vs_state_cpu(const char *f, uint64_t v, struct virt_vm *o)
{
	if (strcmp(f, "state.state") == 0)
		o->state = (int)v;
	else if (strcmp(f, "state.reason") == 0)
		o->reason = (int)v;
	else if (strcmp(f, "cpu.time") == 0) {
		o->cpu_time_ns = v;
		return VS_G_CPU;
	}
	return strncmp(f, "state.", 6) == 0 ? VS_G_STATE : 0;
}

/* One parameter; returns the group it shows present (0: none). */
static unsigned
vs_param(const virTypedParameter *p, struct virt_vm *o, struct vs_devseen *ds)
{
	const char	*f = p->field;
	uint64_t	 v = vs_ull(p);

	switch (f[0]) {
	case 's':
	case 'c':
		return vs_state_cpu(f, v, o);
	case 'b':
		if (strcmp(f, "block.count") == 0) {
			ds->blk_count = v;
			ds->blk_has_count = 1;
			return 0;
		}
		if (strncmp(f, "block.", 6) == 0) {
			ds->blk_fields += (unsigned)vs_block(f, v, o);
			return 0;
		}
		return vs_balloon(f, v, o);
	case 'v':
		if (strcmp(f, "vcpu.current") == 0) {
			o->vcpus = (uint32_t)v;
			return VS_G_VCPU;
		}
		if (vs_indexed(f, "vcpu.", 5, ".delay"))
			o->vcpu_delay_ns += v;
		return 0;
	case 'n':
		if (strcmp(f, "net.count") == 0) {
			ds->net_count = v;
			ds->net_has_count = 1;
			return 0;
		}
		ds->net_fields += (unsigned)vs_net(f, v, o);
		return 0;
	}
	return 0;
}

unsigned
vstats_parse(const virTypedParameter *params, int n, struct virt_vm *out)
{
	struct vs_devseen	 ds;
	unsigned		 groups = 0;
	int			 i;

	memset(out, 0, sizeof(*out));
	memset(&ds, 0, sizeof(ds));
	for (i = 0; i < n; i++)
		groups |= vs_param(&params[i], out, &ds);
	if (ds.blk_has_count && (ds.blk_count == 0 || ds.blk_fields > 0))
		groups |= VS_G_BLOCK;
	if (ds.net_has_count && (ds.net_count == 0 || ds.net_fields > 0))
		groups |= VS_G_NET;
	/* without a balloon the domain's allocation is what it can use */
	if ((groups & VS_G_BALLOON) && out->mem_rss == 0)
		out->mem_rss = out->mem_balloon;
	out->groups = groups;
	return groups;
}

static void
vs_err(char *err, size_t errlen, const char *what)
{
	const char	*m = virGetLastErrorMessage();

	snprintf(err, errlen, "%s: %s", what, m != NULL ? m : "failed");
}

/* Memory from virDomainMemoryStats where there is a balloon. */
static void
vs_memstats(virDomainPtr dom, struct virt_vm *o)
{
	virDomainMemoryStatStruct	 ms[VIR_DOMAIN_MEMORY_STAT_NR];
	int				 i, n;

	n = virDomainMemoryStats(dom, ms, VIR_DOMAIN_MEMORY_STAT_NR, 0);
	for (i = 0; i < n; i++)
		switch (ms[i].tag) {
		case VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON:
			o->mem_balloon = ms[i].val * KIB;
			break;
		case VIR_DOMAIN_MEMORY_STAT_RSS:
			o->mem_rss = ms[i].val * KIB;
			break;
		case VIR_DOMAIN_MEMORY_STAT_UNUSED:
			o->mem_unused = ms[i].val * KIB;
			break;
		default:
			break;
		}
}

static unsigned
vs_read_devices(virDomainPtr dom, const struct vstats_devs *d,
    struct virt_vm *o)
{
	virDomainBlockStatsStruct	 bs;
	virDomainInterfaceStatsStruct	 is;
	unsigned			 g = VS_G_BLOCK | VS_G_NET;
	size_t				 i;

	for (i = 0; i < d->ndisks; i++) {
		if (virDomainBlockStats(dom, d->disk[i], &bs, sizeof(bs)) < 0) {
			g &= ~(unsigned)VS_G_BLOCK;
			continue;
		}
		o->blk_rd_bytes += bs.rd_bytes > 0 ? (uint64_t)bs.rd_bytes : 0;
		o->blk_wr_bytes += bs.wr_bytes > 0 ? (uint64_t)bs.wr_bytes : 0;
		o->blk_rd_ops += bs.rd_req > 0 ? (uint64_t)bs.rd_req : 0;
		o->blk_wr_ops += bs.wr_req > 0 ? (uint64_t)bs.wr_req : 0;
	}
	for (i = 0; i < d->nnics; i++) {
		if (virDomainInterfaceStats(dom, d->nic[i], &is, sizeof(is)) < 0) {
			g &= ~(unsigned)VS_G_NET;
			continue;
		}
		o->net_rx_bytes += is.rx_bytes > 0 ? (uint64_t)is.rx_bytes : 0;
		o->net_tx_bytes += is.tx_bytes > 0 ? (uint64_t)is.tx_bytes : 0;
		o->net_rx_pkts += is.rx_packets > 0 ? (uint64_t)is.rx_packets : 0;
		o->net_tx_pkts += is.tx_packets > 0 ? (uint64_t)is.tx_packets : 0;
		o->net_rx_drop += is.rx_drop > 0 ? (uint64_t)is.rx_drop : 0;
		o->net_tx_drop += is.tx_drop > 0 ? (uint64_t)is.tx_drop : 0;
	}
	return g;
}

unsigned
vstats_read(virDomainPtr dom, const struct vstats_devs *d, struct virt_vm *o,
    char *err, size_t errlen)
{
	virDomainInfo	 info;
	int		 state, reason;

	memset(o, 0, sizeof(*o));
	if (virDomainGetInfo(dom, &info) < 0) {
		vs_err(err, errlen, "virDomainGetInfo");
		return 0;
	}
	o->state = info.state;
	/* the reason matters only for a paused one (an incoming migration) */
	if (info.state == VIR_DOMAIN_PAUSED &&
	    virDomainGetState(dom, &state, &reason, 0) == 0)
		o->reason = reason;
	o->cpu_time_ns = info.cpuTime;
	o->vcpus = info.nrVirtCpu;
	o->mem_max = (uint64_t)info.maxMem * KIB;
	o->mem_balloon = (uint64_t)info.memory * KIB;
	vs_memstats(dom, o);
	if (o->mem_rss == 0)
		o->mem_rss = o->mem_balloon;
	o->groups = VS_G_STATE | VS_G_CPU | VS_G_VCPU | VS_G_BALLOON |
	    vs_read_devices(dom, d, o);
	return o->groups;
}

unsigned
vstats_merge(struct virt_vm *good, const struct virt_vm *fresh)
{
	unsigned	 lost = good->groups & ~fresh->groups;

	if (fresh->groups & (VS_G_CPU | VS_G_VCPU | VS_G_BLOCK | VS_G_NET))
		good->read_ms = fresh->read_ms;
	if (fresh->groups & VS_G_STATE) {
		good->state = fresh->state;
		good->reason = fresh->reason;
	}
	if (fresh->groups & VS_G_CPU)
		good->cpu_time_ns = fresh->cpu_time_ns;
	if (fresh->groups & VS_G_VCPU) {
		good->vcpus = fresh->vcpus;
		good->vcpu_delay_ns = fresh->vcpu_delay_ns;
	}
	if (fresh->groups & VS_G_BALLOON) {
		good->mem_max = fresh->mem_max;
		good->mem_balloon = fresh->mem_balloon;
		good->mem_rss = fresh->mem_rss;
		good->mem_unused = fresh->mem_unused;
	}
	if (fresh->groups & VS_G_BLOCK) {
		good->blk_rd_bytes = fresh->blk_rd_bytes;
		good->blk_wr_bytes = fresh->blk_wr_bytes;
		good->blk_rd_ops = fresh->blk_rd_ops;
		good->blk_wr_ops = fresh->blk_wr_ops;
	}
	if (fresh->groups & VS_G_NET) {
		good->net_rx_bytes = fresh->net_rx_bytes;
		good->net_tx_bytes = fresh->net_tx_bytes;
		good->net_rx_pkts = fresh->net_rx_pkts;
		good->net_tx_pkts = fresh->net_tx_pkts;
		good->net_rx_drop = fresh->net_rx_drop;
		good->net_tx_drop = fresh->net_tx_drop;
	}
	good->groups |= fresh->groups;
	return lost;
}

/* The value of attribute attr (e.g. "dev=") of the first element elem
 * (e.g. "<target") in [p, end). */
static int
vs_attr(const char *p, const char *end, const char *elem, const char *attr,
    char *out, size_t len)
{
	const char	*t, *v, *q;
	size_t		 el = strlen(elem), al = strlen(attr);
	char		 quote;

	for (t = p; (t = strstr(t, elem)) != NULL && t < end; t += el) {
		if ((v = strstr(t, attr)) == NULL || v >= end)
			return -1;
		if ((q = strchr(t, '>')) != NULL && q < v)
			continue;	/* attr belongs to a later element */
		quote = v[al];
		if (quote != '\'' && quote != '"')
			return -1;
		v += al + 1;
		if ((q = strchr(v, quote)) == NULL || q >= end ||
		    (size_t)(q - v) >= len || q == v)
			return -1;
		memcpy(out, v, (size_t)(q - v));
		out[q - v] = '\0';
		return 0;
	}
	return -1;
}

/* Every <elem ...>...</elem> in [p, end): its target into names, and
 * with macs, its MAC. */
static size_t
vs_scan(const char *p, const char *end, const char *open, const char *close,
    char names[][VSTATS_DEV_LEN], struct vstats_devs *macs)
{
	const char	*s, *e;
	char		 mac[32];
	size_t		 n = 0, olen = strlen(open);

	for (s = p; n < VSTATS_MAX_DEVS && (s = strstr(s, open)) != NULL &&
	    s < end; s = e) {
		if (s[olen] != ' ' && s[olen] != '>') {
			e = s + olen;	/* <diskfoo>: not ours */
			continue;
		}
		if ((e = strstr(s, close)) == NULL || e > end)
			break;
		if (vs_attr(s, e, "<target", "dev=", names[n],
		    VSTATS_DEV_LEN) < 0)
			continue;
		if (macs != NULL && vs_attr(s, e, "<mac", "address=", mac,
		    sizeof(mac)) == 0 && util_parse_mac(mac, macs->mac[n]) == 0)
			macs->has_mac[n] = 1;
		n++;
	}
	return n;
}

int
vstats_devices(const char *xml, struct vstats_devs *out)
{
	const char	*p, *end;

	memset(out, 0, sizeof(*out));
	if ((p = strstr(xml, "<devices>")) == NULL ||
	    (end = strstr(p, "</devices>")) == NULL)
		return -EINVAL;
	out->ndisks = vs_scan(p, end, "<disk", "</disk>", out->disk, NULL);
	out->nnics = vs_scan(p, end, "<interface", "</interface>", out->nic,
	    out);
	return 0;
}

int
vstats_wire_state(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:	return BALLAST__V1__VM_STATE__VM_STATE_RUNNING;
	case VIR_DOMAIN_BLOCKED:	return BALLAST__V1__VM_STATE__VM_STATE_BLOCKED;
	case VIR_DOMAIN_PAUSED:		return BALLAST__V1__VM_STATE__VM_STATE_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:	return BALLAST__V1__VM_STATE__VM_STATE_SHUTDOWN;
	case VIR_DOMAIN_SHUTOFF:	return BALLAST__V1__VM_STATE__VM_STATE_SHUTOFF;
	case VIR_DOMAIN_CRASHED:	return BALLAST__V1__VM_STATE__VM_STATE_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED:	return BALLAST__V1__VM_STATE__VM_STATE_PMSUSPENDED;
	default:			return BALLAST__V1__VM_STATE__VM_STATE_UNKNOWN;
	}
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t
vs_utf8_len(const unsigned char *s)
{
	size_t	 k, j;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	for (j = 1; j < k; j++)
		if ((s[j] & 0xc0) != 0x80)
			return 0;
	return k;
}

void
vstats_name(const char *name, char *out, size_t len)
{
	const unsigned char	*s = (const unsigned char *)name;
	size_t			 n = 0, k;

	if (len == 0)
		return;
	if (len > WIRE_MAX_VM_NAME + 1)
		len = WIRE_MAX_VM_NAME + 1;
	while (*s != '\0') {
		k = vs_utf8_len(s);
		if (n + (k ? k : 1) >= len)
			break;
		if (k == 0 || *s < 0x20 || *s == 0x7f) {
			out[n++] = '?';	/* not UTF-8, or a control character */
			s += k ? k : 1;
			continue;
		}
		memcpy(out + n, s, k);
		n += k;
		s += k;
	}
	out[n] = '\0';
	/* what wire refuses (overlong forms, surrogates) becomes ASCII */
	for (k = 0; wire_check_name(out, WIRE_MAX_VM_NAME, 1) < 0 && k < n; k++)
		if ((unsigned char)out[k] >= 0x80)
			out[k] = '?';
	if (n == 0)
		util_strlcpy(out, "?", len);
}
