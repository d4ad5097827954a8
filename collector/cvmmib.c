/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "cvmmib.h"
#include "log.h"
#include "snmpagent.h"
#include "util.h"
#include "vmdev.h"
#include "vmmib.h"
#include "vpool.h"

#define CVM_COMPLAIN_MS	60000

/* One pass over the domains, in a worker; its connection goes along. */
struct cvm_pass {
	struct vtask		 t;		/* first */
	char			 uri[512];
	virConnectPtr		 conn;		/* NULL: the pass opens one */
	struct vmdev_snap	 s;
	int			 rc;
	char			 err[1024];
	int			 evfd;		/* a dup, written when done */
};

static char snmp_prefix[] = "snmp";

struct cvmmib {
	struct vmmib		*mib;
	struct vpool		*pool;
	struct cvm_pass		*pass;		/* in flight, or NULL */
	virConnectPtr		 conn;		/* between passes */
	struct vmdev_snap	 det;		/* the last good pass's */
	int			 has_det;
	uint64_t		 round;		/* the last round that started one */
	int			 evfd;
	int			 kicked;	/* evfd fired before done was set */
	struct vmmib_vm		*vms;		/* from a round, before any pass */
	size_t			 cap;
	char			 uri[512];
	int			 was_connected;
	struct log_complaint	 fail, stuck;
};

static int
cvmmib_agent(struct cvmmib *c, const char *agentx, int notify)
{
	struct snmpagent_config	 ac;
	struct vmmib_config	 mc;
	char			 err[512];

	memset(&ac, 0, sizeof(ac));
	ac.name = "ballast-collectord";
	ac.agentx = agentx;
	ac.ping_s = 5;
	ac.log = log_syslog_cb;
	ac.log_arg = snmp_prefix;
	memset(&mc, 0, sizeof(mc));
	mc.notify = notify;
	if (snmpagent_init(&ac, err, sizeof(err)) < 0 ||
	    (c->mib = vmmib_new(&mc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (vmmib_register(c->mib) < 0) {
		log_warnx("VM-MIB: cannot register with the agent library");
		return -1;
	}
	return 0;
}

struct cvmmib *
cvmmib_start(const char *agentx, const char *uri, int notify)
{
	struct cvmmib	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatalx("out of memory");
	util_strlcpy(c->uri, uri, sizeof(c->uri));
	c->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->evfd < 0 || (c->pool = vpool_new(2)) == NULL) {
		log_warn("VM-MIB: cannot set up");
		cvmmib_stop(c);
		return NULL;
	}
	if (cvmmib_agent(c, agentx, notify) < 0) {
		cvmmib_stop(c);
		return NULL;
	}
	snmpagent_start();
	log_info("VM-MIB: AgentX subagent of the master agent at %s%s", agentx,
	    notify ? ", with notifications" : "");
	return c;
}

/* --- a pass, in a worker --- */

static void
cvm_pass_run(struct vtask *t)
{
	struct cvm_pass	*p = (struct cvm_pass *)t;
	const char	*m;
	uint64_t	 one = 1;
	ssize_t		 n;

	if (p->conn != NULL && virConnectIsAlive(p->conn) != 1) {
		virConnectClose(p->conn);
		p->conn = NULL;
	}
	if (p->conn == NULL && (p->conn = virConnectOpen(p->uri)) == NULL) {
		m = virGetLastErrorMessage();
		snprintf(p->err, sizeof(p->err), "%s: %s", p->uri,
		    m != NULL ? m : "cannot connect");
		p->rc = -EIO;
	} else
		p->rc = vmdev_read(p->conn, &p->s, p->err, sizeof(p->err));
	n = write(p->evfd, &one, sizeof(one));
	(void)n;	/* EAGAIN: readable already */
}

static void
cvm_pass_release(struct vtask *t)
{
	struct cvm_pass	*p = (struct cvm_pass *)t;

	vmdev_free(&p->s);
	if (p->conn != NULL)
		virConnectClose(p->conn);
	close(p->evfd);
	free(p);
}

/* Starts a pass with the connection and buffers of the last one. */
static void
cvm_pass_start(struct cvmmib *c)
{
	struct cvm_pass	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return;
	if ((p->evfd = dup(c->evfd)) < 0) {
		free(p);
		return;
	}
	p->t.run = cvm_pass_run;
	p->t.release = cvm_pass_release;
	util_strlcpy(p->uri, c->uri, sizeof(p->uri));
	p->conn = c->conn;
	c->conn = NULL;
	if (vpool_submit(c->pool, &p->t) < 0) {
		c->conn = p->conn;	/* never queued: still ours */
		p->conn = NULL;
		cvm_pass_release(&p->t);
		return;
	}
	c->pass = p;
}

/* --- the snapshot --- */

static void
cvm_publish(struct cvmmib *c, const struct vmdev_snap *d,
    const struct vmmib_vm *vms, size_t n, int64_t now_ms)
{
	struct vmmib_snapshot	 s;
	struct sysinfo		 si;

	memset(&s, 0, sizeof(s));
	util_strlcpy(s.hv_software, d != NULL ? d->hv_software :
	    "KVM/QEMU via libvirt", sizeof(s.hv_software));
	if (d != NULL)
		util_strlcpy(s.hv_version, d->hv_version, sizeof(s.hv_version));
	if (sysinfo(&si) == 0)
		s.hv_uptime_cs = (uint64_t)si.uptime * 100;
	s.host_cpus = d != NULL ? d->host_cpus : 0;
	s.vms = vms;
	s.nvms = n;
	if (vmmib_update(c->mib, &s, now_ms) < 0)
		log_warnx("VM-MIB: out of memory; serving the previous snapshot");
}

/* A pass that came back: its domains become the MIB's. */
static void
cvm_pass_done(struct cvmmib *c, int64_t now_ms)
{
	struct cvm_pass		*p = c->pass;
	struct vmdev_snap	 t;

	c->pass = NULL;
	c->conn = p->conn;
	p->conn = NULL;
	log_release(&c->stuck, "VM-MIB: libvirt answers again");
	if (p->rc < 0) {
		log_complain(&c->fail, CVM_COMPLAIN_MS, "VM-MIB: %s; the "
		    "tables keep their last values", p->err);
		vpool_put(c->pool, &p->t);
		return;
	}
	log_release(&c->fail, "VM-MIB: reading the domains again");
	t = c->det;		/* the buffers go back and forth */
	c->det = p->s;
	p->s = t;
	c->has_det = 1;
	vpool_put(c->pool, &p->t);
	cvm_publish(c, &c->det, c->det.vms, c->det.n, now_ms);
}

/* Before the first pass: vmTable and the scalars from the round. */
static void
cvm_vm(struct vmmib_vm *v, const struct virt_vm *s)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->uuid, s->uuid, 16);
	util_strlcpy(v->name, s->name, sizeof(v->name));
	vmdev_state(v, s->state, s->reason);
	v->autostart = v->persistent = 1;	/* unknown */
	v->cur_cpus = (int32_t)s->vcpus;
	v->min_cpus = v->max_cpus = -1;
	v->cur_mem_kib = (int64_t)(s->mem_balloon ? s->mem_balloon :
	    s->mem_max) / 1024;
	v->min_mem_kib = -1;
	v->max_mem_kib = s->mem_max ? (int64_t)s->mem_max / 1024 : -1;
	v->cpu_time_us = s->cpu_time_ns / 1000;
}

static void
cvm_from_round(struct cvmmib *c, const struct virt_snap *snap, int64_t now_ms)
{
	void	*p;
	size_t	 i;

	if (snap->n > c->cap) {
		if ((p = reallocarray(c->vms, snap->n, sizeof(*c->vms))) == NULL)
			return;
		c->vms = p;
		c->cap = snap->n;
	}
	for (i = 0; i < snap->n; i++)
		cvm_vm(&c->vms[i], &snap->vms[i]);
	cvm_publish(c, NULL, c->vms, snap->n, now_ms);
}

void
cvmmib_update(struct cvmmib *c, const struct virt_snap *snap, int64_t now_ms)
{
	int64_t	 started = 0;

	if (c == NULL || snap->round == 0 || snap->round == c->round)
		return;
	c->round = snap->round;
	if (!c->has_det)
		cvm_from_round(c, snap, now_ms);
	if (c->pass == NULL) {
		cvm_pass_start(c);
		return;
	}
	if (!vpool_done(c->pool, &c->pass->t, &started) && started > 0)
		log_complain(&c->stuck, CVM_COMPLAIN_MS, "VM-MIB: libvirt has "
		    "not answered for %lld s; the tables keep their last values",
		    (long long)(now_ms - started) / 1000);
}

size_t
cvmmib_fds(struct cvmmib *c, int *fds, size_t max, int64_t *wait_ms)
{
	size_t	 n;

	if (c == NULL || max == 0)
		return 0;
	n = snmpagent_fds(fds, max - 1, wait_ms);
	fds[n++] = c->evfd;
	if (c->kicked && *wait_ms > 5)
		*wait_ms = 5;	/* the worker is about to mark it done */
	return n;
}

void
cvmmib_run(struct cvmmib *c)
{
	uint64_t	 junk;
	int		 up;

	if (c == NULL)
		return;
	if (read(c->evfd, &junk, sizeof(junk)) > 0)
		c->kicked = 1;
	if (c->kicked && (c->pass == NULL ||
	    vpool_done(c->pool, &c->pass->t, NULL))) {
		c->kicked = 0;
		if (c->pass != NULL)
			cvm_pass_done(c, util_now_mono_ms());
	}
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
	if (c->pass != NULL)
		vpool_put(c->pool, &c->pass->t);	/* freed when it returns */
	if (c->pool != NULL)
		vpool_free(c->pool);
	if (c->conn != NULL)
		virConnectClose(c->conn);
	if (c->mib != NULL) {
		snmpagent_shutdown();
		vmmib_free(c->mib);
	}
	vmdev_free(&c->det);
	if (c->evfd >= 0)
		close(c->evfd);
	free(c->vms);
	free(c);
}
