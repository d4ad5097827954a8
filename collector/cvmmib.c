/* SPDX-License-Identifier: ISC */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <syslog.h>

#include <libvirt/libvirt.h>

#include "cvmmib.h"
#include "log.h"
#include "snmpagent.h"
#include "util.h"
#include "vmmib.h"

struct cvmmib {
	struct vmmib	*mib;
	struct vmmib_vm	*vms;
	size_t		 cap;
	char		 uri[256];
	int		 was_connected;
};

static void
cvmmib_log(void *arg, int prio, const char *msg)
{
	(void)arg;
	if (prio <= LOG_WARNING)
		log_warnx("snmp: %s", msg);
	else if (prio <= LOG_INFO)
		log_info("snmp: %s", msg);
	else
		log_debug("snmp: %s", msg);
}

struct cvmmib *
cvmmib_start(const char *agentx, const char *uri)
{
	struct snmpagent_config	 ac;
	struct vmmib_config	 mc;
	struct cvmmib		*c;
	char			 err[512];

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatalx("out of memory");
	util_strlcpy(c->uri, uri, sizeof(c->uri));
	memset(&ac, 0, sizeof(ac));
	ac.name = "ballast-collectord";
	ac.agentx = agentx;
	ac.ping_s = 5;
	ac.log = cvmmib_log;
	memset(&mc, 0, sizeof(mc));
	mc.notify = 1;
	if (snmpagent_init(&ac, err, sizeof(err)) < 0 ||
	    (c->mib = vmmib_new(&mc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		free(c);
		return NULL;
	}
	if (vmmib_register(c->mib) < 0) {
		log_warnx("VM-MIB: cannot register with the agent library");
		cvmmib_stop(c);
		return NULL;
	}
	snmpagent_start();
	log_info("VM-MIB: AgentX subagent of the master agent at %s", agentx);
	return c;
}

static void
cvmmib_state(struct vmmib_vm *v, int state, int reason)
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

static void
cvmmib_vm(struct vmmib_vm *v, const struct virt_vm *s)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->uuid, s->uuid, 16);
	util_strlcpy(v->name, s->name, sizeof(v->name));
	cvmmib_state(v, s->state, s->reason);
	v->autostart = v->persistent = 1;	/* not read by the round */
	v->cur_cpus = (int32_t)s->vcpus;
	v->min_cpus = v->max_cpus = -1;
	v->cur_mem_kib = (int64_t)(s->mem_balloon ? s->mem_balloon :
	    s->mem_max) / 1024;
	v->min_mem_kib = -1;
	v->max_mem_kib = s->mem_max ? (int64_t)s->mem_max / 1024 : -1;
	v->cpu_time_us = s->cpu_time_ns / 1000;
}

void
cvmmib_update(struct cvmmib *c, const struct virt_snap *snap, int64_t now_ms)
{
	struct vmmib_snapshot	 s;
	struct sysinfo		 si;
	void			*p;
	size_t			 i;

	if (c == NULL || snap->round == 0)
		return;
	if (snap->n > c->cap) {
		if ((p = reallocarray(c->vms, snap->n, sizeof(*c->vms))) == NULL)
			return;
		c->vms = p;
		c->cap = snap->n;
	}
	for (i = 0; i < snap->n; i++)
		cvmmib_vm(&c->vms[i], &snap->vms[i]);
	memset(&s, 0, sizeof(s));
	snprintf(s.hv_software, sizeof(s.hv_software), "KVM/QEMU via libvirt");
	if (sysinfo(&si) == 0)
		s.hv_uptime_cs = (uint64_t)si.uptime * 100;
	s.vms = c->vms;
	s.nvms = snap->n;
	if (vmmib_update(c->mib, &s, now_ms) < 0)
		log_warnx("VM-MIB: out of memory; serving the previous round");
}

size_t
cvmmib_fds(struct cvmmib *c, int *fds, size_t max, int64_t *wait_ms)
{
	return c == NULL ? 0 : snmpagent_fds(fds, max, wait_ms);
}

void
cvmmib_run(struct cvmmib *c)
{
	int	 up;

	if (c == NULL)
		return;
	snmpagent_run();
	if ((up = snmpagent_connected()) != c->was_connected) {
		if (up)
			log_info("VM-MIB: connected to the master agent");
		else
			log_warnx("VM-MIB: lost the master agent; trying again "
			    "every 5 s");
		c->was_connected = up;
	}
}

void
cvmmib_stop(struct cvmmib *c)
{
	if (c == NULL)
		return;
	snmpagent_shutdown();
	vmmib_free(c->mib);
	free(c->vms);
	free(c);
}
