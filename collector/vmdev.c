/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "util.h"
#include "vmdev.h"

#define VD_DEV_LEN	64

/* Target device names of a domain's disks, for the per-disk calls. */
struct vd_targets {
	char	 disk[VMDEV_MAX_DEVS][VD_DEV_LEN];
};

static void
vd_err(char *err, size_t len, const char *what)
{
	const char	*m = virGetLastErrorMessage();

	snprintf(err, len, "%s: %s", what, m != NULL ? m : "failed");
}

/* --- the domain XML --- */

/* The first element <tag ...> in [p, end) (not <tagfoo>), or NULL. */
static const char *
vd_elem(const char *p, const char *end, const char *tag)
{
	size_t	 n = strlen(tag);

	while ((p = strstr(p, tag)) != NULL && p < end) {
		if (p[n] == ' ' || p[n] == '>' || p[n] == '/')
			return p;
		p += n;
	}
	return NULL;
}

/*
 * The value of attribute attr of the first <tag> in [p, end) that has
 * it, into out ("" when none).  Returns 0, or -1 when there is none.
 */
static int
vd_attr(const char *p, const char *end, const char *tag, const char *attr,
    char *out, size_t len)
{
	const char	*t, *gt, *a, *q;
	char		 pat[48];
	size_t		 plen;

	out[0] = '\0';
	plen = (size_t)snprintf(pat, sizeof(pat), " %s=", attr);
	for (t = p; (t = vd_elem(t, end, tag)) != NULL; t++) {
		if ((gt = strchr(t, '>')) == NULL || gt > end)
			return -1;
		if ((a = strstr(t, pat)) == NULL || a > gt)
			continue;
		a += plen;
		if ((*a != '\'' && *a != '"') || (q = strchr(a + 1, *a)) == NULL ||
		    q > gt)
			return -1;
		a++;
		plen = (size_t)(q - a) < len - 1 ? (size_t)(q - a) : len - 1;
		memcpy(out, a, plen);
		out[plen] = '\0';
		return 0;
	}
	return -1;
}

/* VirtualMachineStorageSourceType from <disk type> and <driver type>. */
static int
vd_source_type(const char *type, const char *format)
{
	if (strcmp(type, "block") == 0)
		return 3;
	if (strcmp(type, "network") == 0)
		return 6;
	if (strcmp(type, "file") == 0 || strcmp(type, "volume") == 0)
		return strcmp(format, "raw") == 0 ? 4 : format[0] ? 5 : 2;
	return type[0] ? 2 : 1;
}

/* IANAStorageMediaType from <disk device>. */
static int
vd_media(const char *dev)
{
	if (strcmp(dev, "disk") == 0 || strcmp(dev, "lun") == 0)
		return 3;
	if (strcmp(dev, "cdrom") == 0)
		return 4;
	return strcmp(dev, "floppy") == 0 ? 5 : 2;
}

/* What the disk's <source> names: a file, a device, pool/volume, a URL. */
static void
vd_resource(const char *p, const char *end, struct vmmib_disk *k)
{
	char	 a[64], b[128];	/* protocol or pool; name or volume */

	if (vd_attr(p, end, "<source", "file", k->resource,
	    sizeof(k->resource)) == 0 || vd_attr(p, end, "<source", "dev",
	    k->resource, sizeof(k->resource)) == 0)
		return;
	if (vd_attr(p, end, "<source", "pool", a, sizeof(a)) == 0 &&
	    vd_attr(p, end, "<source", "volume", b, sizeof(b)) == 0) {
		snprintf(k->resource, sizeof(k->resource), "%s/%s", a, b);
		return;
	}
	if (vd_attr(p, end, "<source", "name", b, sizeof(b)) == 0) {
		if (vd_attr(p, end, "<source", "protocol", a, sizeof(a)) == 0)
			snprintf(k->resource, sizeof(k->resource), "%s://%s",
			    a, b);
		else
			util_strlcpy(k->resource, b, sizeof(k->resource));
	}
}

static void
vd_disk(const char *p, const char *end, struct vmmib_disk *k, char *tgt)
{
	char	 fmt[32];

	memset(k, 0, sizeof(*k));
	vd_attr(p, end, "<disk", "type", k->source_type_str,
	    sizeof(k->source_type_str));
	vd_attr(p, end, "<disk", "device", k->media_str, sizeof(k->media_str));
	vd_attr(p, end, "<driver", "type", fmt, sizeof(fmt));
	vd_resource(p, end, k);
	vd_attr(p, end, "<target", "dev", tgt, VD_DEV_LEN);
	k->source_type = vd_source_type(k->source_type_str, fmt);
	k->media = vd_media(k->media_str);
	k->readonly = vd_elem(p, end, "<readonly") != NULL;
	k->defined_bytes = k->allocated_bytes = -1;
}

static int32_t
vd_ifindex(const char *dev)
{
	return dev[0] != '\0' ? (int32_t)if_nametoindex(dev) : 0;
}

static void
vd_nic(const char *p, const char *end, struct vmmib_nic *n)
{
	char		 mac[32], dev[VD_DEV_LEN];
	unsigned	 b[6];
	int		 i;

	memset(n, 0, sizeof(*n));
	vd_attr(p, end, "<mac", "address", mac, sizeof(mac));
	if (sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5]) == 6)
		for (i = 0; i < 6; i++)
			n->mac[i] = (uint8_t)b[i];
	vd_attr(p, end, "<model", "type", n->model, sizeof(n->model));
	vd_attr(p, end, "<target", "dev", dev, sizeof(dev));
	n->ifindex = vd_ifindex(dev);
	/* a bridge, or the host device of a direct (macvtap) interface */
	if (vd_attr(p, end, "<source", "bridge", dev, sizeof(dev)) == 0 ||
	    vd_attr(p, end, "<source", "dev", dev, sizeof(dev)) == 0)
		n->parent_ifindex = vd_ifindex(dev);
}

/* Counts <open ...>...</close> blocks in [p, end). */
static size_t
vd_count(const char *p, const char *end, const char *open)
{
	size_t	 n = 0;

	for (; (p = vd_elem(p, end, open)) != NULL && n < VMDEV_MAX_DEVS; p++)
		n++;
	return n;
}

static int
vd_parse(const char *xml, struct vmmib_vm *v, struct vd_targets *t)
{
	const char	*p, *e, *end;
	size_t		 nd, nn;

	v->disks = NULL, v->nics = NULL, v->ndisks = v->nnics = 0;
	if ((p = strstr(xml, "<devices>")) == NULL ||
	    (end = strstr(p, "</devices>")) == NULL)
		return 0;
	nd = vd_count(p, end, "<disk");
	nn = vd_count(p, end, "<interface");
	if ((nd && (v->disks = calloc(nd, sizeof(*v->disks))) == NULL) ||
	    (nn && (v->nics = calloc(nn, sizeof(*v->nics))) == NULL)) {
		free(v->disks);
		v->disks = NULL;
		return -ENOMEM;
	}
	for (e = p; v->ndisks < nd && (p = vd_elem(e, end, "<disk")) != NULL &&
	    (e = strstr(p, "</disk>")) != NULL && e < end; v->ndisks++)
		vd_disk(p, e, &v->disks[v->ndisks], t->disk[v->ndisks]);
	for (p = strstr(xml, "<devices>"), e = p; v->nnics < nn &&
	    (p = vd_elem(e, end, "<interface")) != NULL &&
	    (e = strstr(p, "</interface>")) != NULL && e < end; v->nnics++)
		vd_nic(p, e, &v->nics[v->nnics]);
	return 0;
}

int
vmdev_parse_xml(const char *xml, struct vmmib_vm *v)
{
	struct vd_targets	*t;
	int			 rc;

	if ((t = malloc(sizeof(*t))) == NULL)
		return -ENOMEM;
	rc = vd_parse(xml, v, t);
	free(t);
	return rc;
}

/* --- one domain --- */

void
vmdev_state(struct vmmib_vm *v, int state, int reason)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
		v->oper = VMMIB_RUNNING, v->admin = VMMIB_ADMIN_RUNNING; break;
	case VIR_DOMAIN_PAUSED:
		v->oper = reason == VIR_DOMAIN_PAUSED_MIGRATION ?
		    VMMIB_MIGRATING : VMMIB_PAUSED;
		v->admin = VMMIB_ADMIN_PAUSED;
		break;
	case VIR_DOMAIN_SHUTDOWN:
		v->oper = VMMIB_SHUTTINGDOWN, v->admin = VMMIB_ADMIN_SHUTDOWN; break;
	case VIR_DOMAIN_SHUTOFF:
		v->oper = VMMIB_SHUTDOWN, v->admin = VMMIB_ADMIN_SHUTDOWN; break;
	case VIR_DOMAIN_CRASHED:
		v->oper = VMMIB_CRASHED, v->admin = VMMIB_ADMIN_RUNNING; break;
	case VIR_DOMAIN_PMSUSPENDED:
		v->oper = VMMIB_SUSPENDED, v->admin = VMMIB_ADMIN_SUSPENDED; break;
	default:
		v->oper = VMMIB_UNKNOWN, v->admin = VMMIB_ADMIN_RUNNING; break;
	}
}

/* vCPU times and affinity of an active domain. */
static void
vd_cpus(virDomainPtr d, struct vmmib_vm *v, unsigned pcpus)
{
	virVcpuInfoPtr	 info;
	unsigned char	*maps;
	int		 n, k, c, maplen = VIR_CPU_MAPLEN(pcpus);

	n = v->cur_cpus < VMDEV_MAX_VCPUS ? v->cur_cpus : VMDEV_MAX_VCPUS;
	if (n <= 0)
		return;
	info = calloc((size_t)n, sizeof(*info));
	maps = calloc((size_t)n, (size_t)maplen);
	v->cpus = calloc((size_t)n, sizeof(*v->cpus));
	if (info == NULL || maps == NULL || v->cpus == NULL ||
	    (n = virDomainGetVcpus(d, info, n, maps, maplen)) <= 0)
		n = 0;
	for (k = 0; k < n; k++) {
		v->cpus[k].time_us = info[k].cpuTime / 1000;
		v->cpus[k].has_affinity = 1;
		for (c = 0; c < (int)pcpus && c < VMMIB_MAX_PCPUS; c++)
			if (VIR_CPU_USABLE(maps, maplen, k, c))
				v->cpus[k].affinity[c / 8] |=
				    (uint8_t)(1u << (c % 8));
	}
	v->ncpus = (size_t)n;
	free(info);
	free(maps);
}

/* Sizes and counters of each disk with a target. */
static void
vd_disk_stats(virDomainPtr d, struct vmmib_vm *v, const struct vd_targets *t,
    int active)
{
	virDomainBlockStatsStruct	 bs;
	virDomainBlockInfo		 bi;
	struct vmmib_disk		*k;
	size_t				 i;

	for (i = 0; i < v->ndisks; i++) {
		k = &v->disks[i];
		if (t->disk[i][0] == '\0')
			continue;
		if (virDomainGetBlockInfo(d, t->disk[i], &bi, 0) == 0) {
			k->defined_bytes = (int64_t)bi.capacity;
			k->allocated_bytes = (int64_t)bi.allocation;
		}
		if (!active || virDomainBlockStats(d, t->disk[i], &bs,
		    sizeof(bs)) < 0)
			continue;
		k->rd_ops = bs.rd_req > 0 ? (uint64_t)bs.rd_req : 0;
		k->wr_ops = bs.wr_req > 0 ? (uint64_t)bs.wr_req : 0;
		k->rd_bytes = bs.rd_bytes > 0 ? (uint64_t)bs.rd_bytes : 0;
		k->wr_bytes = bs.wr_bytes > 0 ? (uint64_t)bs.wr_bytes : 0;
	}
}

static void
vd_settings(virDomainPtr d, struct vmmib_vm *v)
{
	char	*os;
	int	 as = 0, p;

	if ((os = virDomainGetOSType(d)) != NULL) {
		util_strlcpy(v->os_type, os, sizeof(v->os_type));
		free(os);
	}
	v->autostart = virDomainGetAutostart(d, &as) == 0 ? (as ? 2 : 3) : 1;
	p = virDomainIsPersistent(d);
	v->persistent = p == 1 ? 2 : p == 0 ? 3 : 1;
}

/* One domain into v; -1 when it could not be read (it went away). */
static int
vd_domain(virDomainPtr d, struct vmmib_vm *v, unsigned pcpus,
    struct vd_targets *t)
{
	virDomainInfo	 info;
	char		*xml;
	int		 st = 0, reason = 0, mx;

	memset(v, 0, sizeof(*v));
	if (virDomainGetUUID(d, v->uuid) < 0 || virDomainGetInfo(d, &info) < 0)
		return -1;
	util_strlcpy(v->name, virDomainGetName(d) ? virDomainGetName(d) : "?",
	    sizeof(v->name));
	if (virDomainGetState(d, &st, &reason, 0) < 0)
		st = info.state;
	vmdev_state(v, st, reason);
	vd_settings(d, v);
	v->cur_cpus = info.nrVirtCpu;
	v->min_cpus = -1;
	v->max_cpus = (mx = virDomainGetMaxVcpus(d)) > 0 ? mx : -1;
	v->cur_mem_kib = (int64_t)info.memory;
	v->min_mem_kib = -1;
	v->max_mem_kib = (int64_t)info.maxMem;
	v->cpu_time_us = info.cpuTime / 1000;
	if (virDomainIsActive(d) == 1)
		vd_cpus(d, v, pcpus);
	if ((xml = virDomainGetXMLDesc(d, 0)) != NULL) {
		if (vd_parse(xml, v, t) == 0)
			vd_disk_stats(d, v, t, virDomainIsActive(d) == 1);
		free(xml);
	}
	return 0;
}

/* --- a connection --- */

static void
vd_clear(struct vmdev_snap *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->vms[i].cpus);
		free(s->vms[i].disks);
		free(s->vms[i].nics);
	}
	s->n = 0;
}

static void
vd_hypervisor(virConnectPtr c, struct vmdev_snap *s)
{
	virNodeInfo	 ni;
	unsigned long	 ver = 0;
	const char	*type = virConnectGetType(c);

	snprintf(s->hv_software, sizeof(s->hv_software), "libvirt %s",
	    type != NULL ? type : "?");
	s->hv_version[0] = '\0';
	if (virConnectGetVersion(c, &ver) == 0)
		snprintf(s->hv_version, sizeof(s->hv_version), "%lu.%lu.%lu",
		    ver / 1000000, ver / 1000 % 1000, ver % 1000);
	s->host_cpus = virNodeGetInfo(c, &ni) == 0 && ni.cpus > 0 ? ni.cpus : 1;
}

static int
vd_grow(struct vmdev_snap *s, size_t n)
{
	void	*p;

	if (n <= s->cap)
		return 0;
	if ((p = reallocarray(s->vms, n, sizeof(*s->vms))) == NULL)
		return -ENOMEM;
	s->vms = p;
	s->cap = n;
	return 0;
}

int
vmdev_read(virConnectPtr c, struct vmdev_snap *s, char *err, size_t errlen)
{
	struct vd_targets	*t;
	virDomainPtr		*doms = NULL;
	int			 n, i, rc = 0;

	vd_clear(s);
	if ((n = virConnectListAllDomains(c, &doms, 0)) < 0) {
		vd_err(err, errlen, "virConnectListAllDomains");
		return -EIO;
	}
	vd_hypervisor(c, s);
	t = malloc(sizeof(*t));
	if (t == NULL || vd_grow(s, (size_t)n) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && s->n < VMDEV_MAX_VMS &&
		    vd_domain(doms[i], &s->vms[s->n], s->host_cpus, t) == 0)
			s->n++;
		virDomainFree(doms[i]);
	}
	free(doms);
	free(t);
	return rc < 0 ? rc : (int)s->n;
}

void
vmdev_free(struct vmdev_snap *s)
{
	vd_clear(s);
	free(s->vms);
	s->vms = NULL;
	s->cap = 0;
}
