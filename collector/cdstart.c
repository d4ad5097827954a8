/* SPDX-License-Identifier: ISC */
/*
 * cdstart: ballast-collectord's start-up and shutdown: the host
 * source, the libvirt sampler, the publisher (with CURVE keys when
 * configured), VM-MIB and the capture; then, started as root, the drop
 * to the configured user; at exit, everything freed.
 */
#include <grp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include <zmq.h>

#include "cd.h"
#include "ctraffic.h"
#include "cvmmib.h"
#include "hostsrc.h"
#include "log.h"
#include "privdrop.h"
#include "publisher.h"
#include "virt.h"
#include "zcurve.h"

static int
cd_start_pub(struct cd *d)
{
	static const char	*caps[3];
	struct pub_config	 pc;
	char			 err[512];

	caps[0] = "migrate";
	caps[1] = "cancel";
	caps[2] = d->ops->name;
	memset(&pc, 0, sizeof(pc));
	pc.endpoint = d->c.balancer;
	memcpy(pc.host_uuid, d->c.host_uuid, 16);
	pc.host_name = d->c.host_name;
	pc.software = CD_SOFTWARE;
	pc.caps = caps;
	pc.ncaps = d->c.actuator == CCONF_ACT_NONE ? 0 : 3;
	/* two hours of reports, at least 64 */
	pc.max_pending = 7200000 / d->c.interval_ms + 1;
	if (pc.max_pending < 64)
		pc.max_pending = 64;
	if (pc.max_pending > 20000)
		pc.max_pending = 20000;
	pc.resend_ms = (int64_t)d->c.interval_ms * 3 < 3000 ? 3000 :
	    (int64_t)d->c.interval_ms * 3;
	if (d->c.key[0] != '\0') {
		if (zcurve_read_client(d->c.balancer_key, d->c.key,
		    d->server_key, &d->keys, err, sizeof(err)) < 0) {
			log_warnx("%s", err);
			return -1;
		}
		pc.server_key = d->server_key;
		pc.curve = &d->keys;
	} else if (zcurve_exposed(d->c.balancer))
		log_warnx("insecure: reports and commands travel in plain TCP "
		    "to %s; anyone on the path can read, forge or command "
		    "(configure balancer-key and key)", d->c.balancer);
	if ((d->zctx = zmq_ctx_new()) == NULL ||
	    (d->pub = pub_new(d->zctx, &pc, err, sizeof(err))) == NULL) {
		log_warnx("%s", d->zctx ? err : "cannot create a ZeroMQ context");
		return -1;
	}
	return 0;
}

int
cd_start(struct cd *d)
{
	struct virt_config	 vc;
	char			 err[512];

	if ((d->hs = hostsrc_open(NULL, d->c.nic, d->c.nic_bps, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	/* a round must end well within its interval */
	d->round_ms = d->c.stats_timeout_ms * 3;
	if (d->round_ms > d->c.interval_ms * 3 / 4)
		d->round_ms = d->c.interval_ms * 3 / 4;
	if (d->round_ms < d->c.stats_timeout_ms)
		d->round_ms = d->c.stats_timeout_ms;
	memset(&vc, 0, sizeof(vc));
	vc.uri = d->c.uri;
	vc.call_timeout_ms = d->c.stats_timeout_ms;
	vc.refresh_ms = d->c.refresh_ms;
	vc.round_ms = d->round_ms;
	if ((d->virt = virt_new(&vc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (cd_start_actuator(d) < 0 || cd_start_cmds(d) < 0 ||
	    cd_start_pub(d) < 0)
		return -1;
	if (d->agentx != NULL && (d->mib = cvmmib_start(d->agentx, d->c.uri,
	    d->vm_notify)) == NULL)
		return -1;
	return ctraffic_start(&d->c, &d->traffic);
}

/*
 * The capabilities a source needs after the drop: CAP_NET_RAW for the
 * packet capture, which opens taps again as VMs start, stop and move
 * (from the main thread, which keeps it).  None without a capture.
 */
static uint64_t
cd_keep_caps(const struct cd *d)
{
	return d->traffic != NULL ? PRIVDROP_CAP(CAP_NET_RAW) : 0;
}

/*
 * Started as root with a user configured: libvirt through the libvirt
 * group's socket access, and only the capabilities cd_keep_caps() says.
 */
int
cd_drop_privileges(struct cd *d)
{
	struct privdrop	 p = { d->c.user, d->c.group, "libvirt", 0 };
	char		 err[512];
	int		 rc;

	if (d->c.user[0] == '\0' || geteuid() != 0)
		return 0;
	p.keep_caps = cd_keep_caps(d);
	if ((rc = privdrop(&p, err, sizeof(err))) < 0) {
		log_warnx("%s", err);
		return -1;
	}
	log_info("running as user %s%s", d->c.user, getgrnam("libvirt") ?
	    ", with the libvirt group" : "");
	return 0;
}

void
cd_stop(struct cd *d)
{
	if (d->ops != NULL && d->act != NULL)
		d->ops->free(d->act);
	cmds_free(d->cmds);
	cvmmib_stop(d->mib);
	ctraffic_stop(d->traffic);
	virt_free(d->virt);
	pub_free(d->pub, 1000);
	if (d->zctx != NULL)
		zmq_ctx_term(d->zctx);
	hostsrc_close(d->hs);
	free(d->snap.vms);
	free(d->vms);
	free(d->vmp);
}
