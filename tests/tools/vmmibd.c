/* SPDX-License-Identifier: ISC */
/*
 * vmmibd: a test program that serves the VM-MIB (exporters/vmmib.h) of
 * a libvirt connection -- the test driver's test:///default or a custom
 * node XML (test:///path/node.xml) -- as an AgentX subagent, filling
 * the snapshot as a collector would.  SIGUSR1 pauses the domain named
 * by --toggle (resumes it when paused), for the lifecycle
 * notifications.  Usage:
 *   vmmibd --uri URI --agentx SOCKET [--interval MS] [--ping S]
 *          [--notify] [--toggle NAME]
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "snmpagent.h"
#include "util.h"
#include "vmmib.h"

#define MAX_VMS		256
#define MAX_DEV		16

static volatile sig_atomic_t	 got_stop, got_toggle;

struct vmbuf {
	struct vmmib_vm		 vm[MAX_VMS];
	struct vmmib_cpu	 cpu[MAX_VMS][MAX_DEV];
	struct vmmib_disk	 disk[MAX_VMS][MAX_DEV];
	struct vmmib_nic	 nic[MAX_VMS][MAX_DEV];
};

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_toggle = 1;
	else
		got_stop = 1;
}

static void
agent_log(void *arg, int prio, const char *msg)
{
	(void)arg;
	(void)prio;
	log_info("snmp: %s", msg);
}

/* The value of attr in the first "<tag ... attr='v'" at or after p. */
static const char *
xml_attr(const char *p, const char *end, const char *tag, const char *attr,
    char *out, size_t len)
{
	const char	*t, *a, *q;
	char		 pat[64];
	size_t		 n;

	out[0] = '\0';
	if ((t = strstr(p, tag)) == NULL || (end != NULL && t >= end))
		return NULL;
	snprintf(pat, sizeof(pat), "%s='", attr);
	if ((a = strstr(t, pat)) == NULL || (q = strchr(a + strlen(pat), '\''))
	    == NULL || (end != NULL && a >= end) || strchr(t, '>') < a)
		return t + 1;
	a += strlen(pat);
	n = (size_t)(q - a) < len - 1 ? (size_t)(q - a) : len - 1;
	memcpy(out, a, n);
	out[n] = '\0';
	return t + 1;
}

static void
vm_disk(virDomainPtr d, const char *p, const char *end, struct vmmib_disk *k)
{
	virDomainBlockStatsStruct	 bs;
	virDomainBlockInfo		 bi;
	char				 dev[64], src[256];

	memset(k, 0, sizeof(*k));
	xml_attr(p, end, "<disk", "type", k->source_type_str,
	    sizeof(k->source_type_str));
	xml_attr(p, end, "<disk", "device", k->media_str, sizeof(k->media_str));
	if (xml_attr(p, end, "<source", "file", src, sizeof(src)) == NULL ||
	    src[0] == '\0')
		xml_attr(p, end, "<source", "dev", src, sizeof(src));
	util_strlcpy(k->resource, src, sizeof(k->resource));
	xml_attr(p, end, "<target", "dev", dev, sizeof(dev));
	k->source_type = strcmp(k->source_type_str, "block") == 0 ? 3 :
	    strcmp(k->source_type_str, "file") == 0 ? 4 :
	    strcmp(k->source_type_str, "network") == 0 ? 6 : 2;
	k->media = strcmp(k->media_str, "disk") == 0 ? 3 :
	    strcmp(k->media_str, "cdrom") == 0 ? 4 :
	    strcmp(k->media_str, "floppy") == 0 ? 5 : 1;
	k->readonly = strstr(p, "<readonly/>") != NULL &&
	    strstr(p, "<readonly/>") < end;
	k->defined_bytes = k->allocated_bytes = -1;
	if (virDomainGetBlockInfo(d, dev, &bi, 0) == 0) {
		k->defined_bytes = (int64_t)bi.capacity;
		k->allocated_bytes = (int64_t)bi.allocation;
	}
	if (virDomainBlockStats(d, dev, &bs, sizeof(bs)) == 0) {
		k->rd_ops = (uint64_t)bs.rd_req;
		k->wr_ops = (uint64_t)bs.wr_req;
		k->rd_bytes = (uint64_t)bs.rd_bytes;
		k->wr_bytes = (uint64_t)bs.wr_bytes;
	}
}

static void
vm_nic(const char *p, const char *end, struct vmmib_nic *n)
{
	char		 mac[32], dev[64];
	unsigned	 b[6];
	int		 i;

	memset(n, 0, sizeof(*n));
	xml_attr(p, end, "<mac", "address", mac, sizeof(mac));
	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
	    &b[5]) == 6)
		for (i = 0; i < 6; i++)
			n->mac[i] = (uint8_t)b[i];
	xml_attr(p, end, "<model", "type", n->model, sizeof(n->model));
	xml_attr(p, end, "<target", "dev", dev, sizeof(dev));
	n->ifindex = dev[0] ? (int32_t)if_nametoindex(dev) : 0;
}

/* Disks and interfaces from the domain's XML. */
static void
vm_devices(virDomainPtr d, struct vmbuf *b, size_t i)
{
	char		*xml = virDomainGetXMLDesc(d, 0), *p, *end;
	struct vmmib_vm	*v = &b->vm[i];

	if (xml == NULL)
		return;
	for (p = xml; (p = strstr(p, "<disk ")) != NULL && v->ndisks < MAX_DEV;
	    p = end) {
		if ((end = strstr(p, "</disk>")) == NULL)
			break;
		vm_disk(d, p, end, &b->disk[i][v->ndisks++]);
	}
	for (p = xml; (p = strstr(p, "<interface ")) != NULL &&
	    v->nnics < MAX_DEV; p = end) {
		if ((end = strstr(p, "</interface>")) == NULL)
			break;
		vm_nic(p, end, &b->nic[i][v->nnics++]);
	}
	v->disks = b->disk[i];
	v->nics = b->nic[i];
	free(xml);
}

static void
vm_state(struct vmmib_vm *v, int st)
{
	switch (st) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
		v->oper = VMMIB_RUNNING, v->admin = VMMIB_ADMIN_RUNNING; break;
	case VIR_DOMAIN_PAUSED:
		v->oper = VMMIB_PAUSED, v->admin = VMMIB_ADMIN_PAUSED; break;
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

static void
vm_cpus(virDomainPtr d, struct vmbuf *b, size_t i, unsigned pcpus)
{
	virVcpuInfoPtr	 info;
	unsigned char	*maps;
	int		 n, k, maplen = VIR_CPU_MAPLEN(pcpus), c;
	struct vmmib_vm	*v = &b->vm[i];

	n = v->cur_cpus < MAX_DEV ? v->cur_cpus : MAX_DEV;
	info = calloc((size_t)(n > 0 ? n : 1), sizeof(*info));
	maps = calloc((size_t)(n > 0 ? n : 1), (size_t)maplen);
	if (info != NULL && maps != NULL && n > 0 &&
	    (n = virDomainGetVcpus(d, info, n, maps, maplen)) > 0) {
		for (k = 0; k < n; k++) {
			b->cpu[i][k].time_us = info[k].cpuTime / 1000;
			b->cpu[i][k].has_affinity = 1;
			for (c = 0; c < (int)pcpus && c < VMMIB_MAX_PCPUS; c++)
				if (VIR_CPU_USABLE(maps, maplen, k, c))
					b->cpu[i][k].affinity[c / 8] |=
					    (uint8_t)(1u << (c % 8));
		}
		v->cpus = b->cpu[i];
		v->ncpus = (size_t)n;
	}
	free(info);
	free(maps);
}

static void
vm_fill(virDomainPtr d, struct vmbuf *b, size_t i, unsigned pcpus)
{
	struct vmmib_vm	*v = &b->vm[i];
	virDomainInfo	 info;
	char		*os;
	int		 as = 0, mx;

	memset(v, 0, sizeof(*v));
	memset(b->cpu[i], 0, sizeof(b->cpu[i]));
	virDomainGetUUID(d, v->uuid);
	util_strlcpy(v->name, virDomainGetName(d), sizeof(v->name));
	if ((os = virDomainGetOSType(d)) != NULL) {
		util_strlcpy(v->os_type, os, sizeof(v->os_type));
		free(os);
	}
	v->autostart = virDomainGetAutostart(d, &as) == 0 ? (as ? 2 : 3) : 1;
	mx = virDomainIsPersistent(d);
	v->persistent = mx == 1 ? 2 : mx == 0 ? 3 : 1;
	v->min_cpus = v->min_mem_kib = -1;
	if (virDomainGetInfo(d, &info) == 0) {
		vm_state(v, info.state);
		v->cur_cpus = info.nrVirtCpu;
		v->cur_mem_kib = (int64_t)info.memory;
		v->max_mem_kib = (int64_t)info.maxMem;
		v->cpu_time_us = info.cpuTime / 1000;
	}
	mx = virDomainGetMaxVcpus(d);
	v->max_cpus = mx > 0 ? mx : -1;
	if (v->oper == VMMIB_RUNNING || v->oper == VMMIB_PAUSED)
		vm_cpus(d, b, i, pcpus);
	vm_devices(d, b, i);
}

static int
snapshot(virConnectPtr c, struct vmbuf *b, struct vmmib *mib)
{
	struct vmmib_snapshot	 s;
	virDomainPtr		*doms = NULL;
	virNodeInfo		 ni;
	struct sysinfo		 si;
	unsigned long		 ver = 0;
	int			 n, i;

	memset(&s, 0, sizeof(s));
	if ((n = virConnectListAllDomains(c, &doms, 0)) < 0)
		return -1;
	snprintf(s.hv_software, sizeof(s.hv_software), "libvirt %s",
	    virConnectGetType(c));
	if (virConnectGetVersion(c, &ver) == 0)
		snprintf(s.hv_version, sizeof(s.hv_version), "%lu.%lu.%lu",
		    ver / 1000000, ver / 1000 % 1000, ver % 1000);
	if (sysinfo(&si) == 0)
		s.hv_uptime_cs = (uint64_t)si.uptime * 100;
	s.host_cpus = virNodeGetInfo(c, &ni) == 0 ? ni.cpus : 1;
	for (i = 0; i < n; i++) {
		if (i < MAX_VMS)
			vm_fill(doms[i], b, (size_t)i, s.host_cpus);
		virDomainFree(doms[i]);
	}
	free(doms);
	s.vms = b->vm;
	s.nvms = (size_t)(n < MAX_VMS ? n : MAX_VMS);
	return vmmib_update(mib, &s, util_now_mono_ms());
}

static void
toggle(virConnectPtr c, const char *name)
{
	virDomainPtr	 d;
	virDomainInfo	 info;

	if (name == NULL || (d = virDomainLookupByName(c, name)) == NULL)
		return;
	if (virDomainGetInfo(d, &info) == 0) {
		if (info.state == VIR_DOMAIN_PAUSED)
			virDomainResume(d);
		else
			virDomainSuspend(d);
	}
	virDomainFree(d);
}

static void
serve(virConnectPtr c, struct vmmib *mib, int64_t interval, const char *tog)
{
	struct vmbuf	*b = calloc(1, sizeof(*b));
	struct pollfd	 pfd[32];
	int		 fds[32];
	int64_t		 next = 0, now, wait;
	size_t		 n, i;

	if (b == NULL)
		fatalx("out of memory");
	while (!got_stop) {
		now = util_now_mono_ms();
		if (got_toggle) {
			got_toggle = 0;
			toggle(c, tog);
			next = now;
		}
		if (now >= next) {
			if (snapshot(c, b, mib) < 0)
				log_warnx("libvirt: %s", virGetLastErrorMessage());
			next = now + interval;
		}
		wait = next - now;
		n = snmpagent_fds(fds, 32, &wait);
		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ fds[i], POLLIN, 0 };
		poll(pfd, n, (int)(wait > 0 ? wait : 0));
		snmpagent_run();
	}
	free(b);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "uri", required_argument, NULL, 'u' },
		{ "agentx", required_argument, NULL, 'x' },
		{ "interval", required_argument, NULL, 'i' },
		{ "ping", required_argument, NULL, 'p' },
		{ "notify", no_argument, NULL, 'n' },
		{ "toggle", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct snmpagent_config	 ac;
	struct vmmib_config	 mc;
	struct vmmib		*mib;
	struct sigaction	 sa;
	virConnectPtr		 c;
	const char		*uri = "test:///default", *tog = NULL;
	char			 err[512];
	int64_t			 interval = 1000, ping = 5;
	int			 ch;

	memset(&ac, 0, sizeof(ac));
	memset(&mc, 0, sizeof(mc));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': uri = optarg; break;
		case 'x': ac.agentx = optarg; break;
		case 'i':
			if (util_parse_i64(optarg, 10, 600000, &interval) < 0)
				fatalx("--interval: 10 to 600000 ms");
			break;
		case 'p':
			if (util_parse_i64(optarg, 1, 3600, &ping) < 0)
				fatalx("--ping: 1 to 3600 s");
			break;
		case 'n': mc.notify = 1; break;
		case 't': tog = optarg; break;
		default: return 2;
		}
	}
	log_init("vmmibd", LOG_LVL_INFO);
	if (ac.agentx == NULL)
		fatalx("usage: vmmibd --uri URI --agentx SOCKET [--interval MS] "
		    "[--ping S] [--notify] [--toggle NAME]");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if ((c = virConnectOpen(uri)) == NULL)
		fatalx("libvirt: cannot open %s", uri);
	ac.name = "ballast-vmmibd";
	ac.ping_s = (unsigned)ping;
	ac.log = agent_log;
	if (snmpagent_init(&ac, err, sizeof(err)) < 0 ||
	    (mib = vmmib_new(&mc, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (vmmib_register(mib) < 0)
		fatalx("VM-MIB: cannot register");
	snmpagent_start();
	log_info("serving VM-MIB of %s over AgentX at %s", uri, ac.agentx);
	serve(c, mib, interval, tog);
	snmpagent_shutdown();
	vmmib_free(mib);
	virConnectClose(c);
	return 0;
}
