/* SPDX-License-Identifier: ISC */
/*
 * vmmibd: a test program that serves the VM-MIB (exporters/vmmib.h) of
 * a libvirt connection -- the test driver's test:///default or a custom
 * node XML (test:///path/node.xml) -- as an AgentX subagent, filling
 * the snapshot with the collector's own reader (collector/vmdev.h),
 * without its worker: a test driver never blocks.  SIGUSR1 pauses the domain named
 * by --toggle (resumes it when paused), for the lifecycle
 * notifications.  Usage:
 *   vmmibd --uri URI --agentx SOCKET [--interval MS] [--ping S]
 *          [--notify] [--toggle NAME]
 */
#include <errno.h>
#include <getopt.h>
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
#include "vmdev.h"
#include "vmmib.h"

static volatile sig_atomic_t	 got_stop, got_toggle;

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

static int
snapshot(virConnectPtr c, struct vmdev_snap *d, struct vmmib *mib)
{
	struct vmmib_snapshot	 s;
	struct sysinfo		 si;
	char			 err[256];

	if (vmdev_read(c, d, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	util_strlcpy(s.hv_software, d->hv_software, sizeof(s.hv_software));
	util_strlcpy(s.hv_version, d->hv_version, sizeof(s.hv_version));
	if (sysinfo(&si) == 0)
		s.hv_uptime_cs = (uint64_t)si.uptime * 100;
	s.host_cpus = d->host_cpus;
	s.vms = d->vms;
	s.nvms = d->n;
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
	struct vmdev_snap	 d;
	struct pollfd	 pfd[32];
	int		 fds[32];
	int64_t		 next = 0, now, wait;
	size_t		 n, i;

	memset(&d, 0, sizeof(d));
	while (!got_stop) {
		now = util_now_mono_ms();
		if (got_toggle) {
			got_toggle = 0;
			toggle(c, tog);
			next = now;
		}
		if (now >= next) {
			if (snapshot(c, &d, mib) < 0)
				log_warnx("VM-MIB: keeping the last snapshot");
			next = now + interval;
		}
		wait = next - now;
		n = snmpagent_fds(fds, 32, &wait);
		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ fds[i], POLLIN, 0 };
		poll(pfd, n, (int)(wait > 0 ? wait : 0));
		snmpagent_run();
	}
	vmdev_free(&d);
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
