/* SPDX-License-Identifier: ISC */
/*
 * ballast-collectord: the collector on a KVM hypervisor.  Samples every
 * VM through libvirt (virt.c) and the host from /proc (hostsrc.c),
 * captures the VMs' traffic when configured (ctraffic.c), publishes one HostReport per interval to the balancer exactly as
 * ballast-sim does (publisher.c), and carries out the balancer's
 * migrate and cancel commands (cmds.c, actuator.c or exec_act.c).
 *
 * The main loop never calls libvirt: it asks the sampler for a round
 * at each interval, and sends the report when the round is done or,
 * at the latest, when the round's bound has passed (then with every
 * VM's last values, marked stale).
 *
 * This file holds main(), the signals and the loop; the rest is in
 * cdargs.c, cdstart.c, cdcmd.c and creport.c (cd.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "cd.h"
#include "cmds.h"
#include "ctraffic.h"
#include "cvmmib.h"
#include "log.h"
#include "publisher.h"
#include "sdnotify.h"
#include "util.h"
#include "virt.h"
#include "zcurve.h"

#define CD_TICK_MS	250	/* the loop's longest sleep */

static volatile sig_atomic_t	 got_stop, got_hup;

static void
on_signal(int sig)
{
	if (sig == SIGHUP) {
		got_hup = 1;
		return;
	}
	(void)sig;
	got_stop = 1;
}

static void
cd_notices(struct cd *d)
{
	struct virt_notice	 n;

	while (virt_notice(d->virt, &n)) {
		switch (n.kind) {
		case VN_CONNECTED:
			log_release(&d->conn_cpl, "libvirt is back");
			log_info("%s", n.text);
			break;
		case VN_CONNECT_FAILED:
			log_complain(&d->conn_cpl, CD_COMPLAIN_MS, "%s", n.text);
			break;
		case VN_CALL_FAILED:
		case VN_DROPPED:
			log_complain(&d->call_cpl, CD_COMPLAIN_MS, "%s", n.text);
			break;
		case VN_LOST:
		case VN_STALE:
			log_warnx("%s", n.text);
			break;
		case VN_ADDED:
		case VN_REMOVED:
			ctraffic_vms_changed(d->traffic);
			log_info("%s", n.text);
			break;
		default:
			log_info("%s", n.text);
			break;
		}
	}
}

/* --- the loop ------------------------------------------------------------ */

/* Tells systemd the collector is alive, at half its watchdog period. */
static void
cd_watchdog(struct cd *d, int64_t now, int64_t *next)
{
	if (d->wd_ms <= 0 || now < *next)
		return;
	sdnotify("WATCHDOG=1");
	*next = now + d->wd_ms;
}

static long
cd_timeout(const struct cd *d, int64_t now, int64_t next)
{
	int64_t	 until = d->pending ? d->pend_until : next;
	int64_t	 t = until - now;

	if (t > CD_TICK_MS)
		t = CD_TICK_MS;
	return t < 0 ? 0 : (long)t;
}

/* Logs CURVE handshakes with the balancer: failures rate-limited. */
static void
cd_handshakes(struct cd *d)
{
	const struct pub_stats	*ps = pub_stats(d->pub);

	if (ps->handshake_failed != d->curve_failed) {
		d->curve_failed = ps->handshake_failed;
		log_complain(&d->curve_cpl, CD_COMPLAIN_MS, "CURVE handshake with "
		    "the balancer at %s failed: %s; nothing is sent to it nor "
		    "taken from it", d->c.balancer, ps->handshake_error);
	}
	if (ps->handshakes != d->curve_done) {
		d->curve_done = ps->handshakes;
		log_release(&d->curve_cpl, "CURVE handshake with the balancer at "
		    "%s succeeded", d->c.balancer);
	}
}

/* SIGHUP: the key files again, both or neither. */
static void
cd_reload_keys(struct cd *d)
{
	struct zcurve_pair	 kp;
	char			 srv[ZCURVE_Z85_LEN + 1], err[1024];

	if (d->c.key[0] == '\0') {
		log_info("SIGHUP: no CURVE keys configured; nothing to reload");
		return;
	}
	if (zcurve_read_client(d->c.balancer_key, d->c.key, srv, &kp, err,
	    sizeof(err)) < 0 || pub_rekey(d->pub, srv, &kp, err,
	    sizeof(err)) < 0) {
		log_warnx("SIGHUP: keeping the running keys: %s", err);
		return;
	}
	memcpy(d->server_key, srv, sizeof(srv));
	d->keys = kp;
	explicit_bzero(&kp, sizeof(kp));
	log_info("SIGHUP: CURVE keys reloaded; connecting again");
}

static void
cd_loop(struct cd *d)
{
	zmq_pollitem_t	 it[3 + CVMMIB_MAX_FDS + CTRAFFIC_MAX_FDS];
	int64_t		 now = util_now_mono_ms(), next = now, wait, wd = now;
	int		 n, afd = d->ops->fd(d->act);
	int		 sfd[CVMMIB_MAX_FDS + CTRAFFIC_MAX_FDS];
	size_t		 k, ns;

	while (!got_stop) {
		it[0] = (zmq_pollitem_t){ pub_socket(d->pub), 0, ZMQ_POLLIN, 0 };
		it[1] = (zmq_pollitem_t){ NULL, virt_fd(d->virt), ZMQ_POLLIN, 0 };
		it[2] = (zmq_pollitem_t){ NULL, afd, ZMQ_POLLIN, 0 };
		n = afd >= 0 ? 3 : 2;
		wait = cd_timeout(d, util_now_mono_ms(), next);
		ns = cvmmib_fds(d->mib, sfd, CVMMIB_MAX_FDS, &wait);
		ns += ctraffic_fds(d->traffic, sfd + ns, CTRAFFIC_MAX_FDS);
		for (k = 0; k < ns; k++)
			it[n++] = (zmq_pollitem_t){ NULL, sfd[k], ZMQ_POLLIN, 0 };
		zmq_poll(it, n, (long)(wait > 0 ? wait : 0));
		cvmmib_run(d->mib);
		ctraffic_run(d->traffic);
		if (it[0].revents & ZMQ_POLLIN)
			pub_dispatch(d->pub, cd_on_command, d);
		now = util_now_mono_ms();
		if ((it[1].revents & ZMQ_POLLIN) ||
		    (d->pending && now >= d->pend_until)) {
			virt_snapshot(d->virt, &d->snap);
			cvmmib_update(d->mib, &d->snap, now);
		}
		cd_notices(d);
		if (d->pending && (d->snap.start_ms >= d->pend_t0 ||
		    now >= d->pend_until)) {
			cd_report(d, d->snap.start_ms >= d->pend_t0, now);
			d->pending = 0;
		}
		if (!d->pending && now >= next) {
			cd_start_round(d, now);
			next += d->c.interval_ms;
			if (next <= now)
				next = now + d->c.interval_ms;	/* behind: no burst */
		}
		cmds_tick(d->cmds, now);
		pub_tick(d->pub, now);
		cd_watchdog(d, now, &wd);
		cd_handshakes(d);
		if (got_hup) {
			got_hup = 0;
			cd_reload_keys(d);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct cd		 d;
	struct cd_opts		 o;
	struct sigaction	 sa;
	char			 buf[8192], id[UTIL_UUID_STRLEN];

	memset(&d, 0, sizeof(d));
	log_init("ballast-collectord", LOG_LVL_INFO);
	if (cd_parse_args(&o, argc, argv) < 0)
		return 2;
	if (cd_load_config(&d, &o) < 0)
		return 1;
	d.agentx = o.agentx;
	d.vm_notify = o.vm_notify;
	log_init("ballast-collectord", o.debug ? LOG_LVL_DEBUG : d.c.log_level);
	if (o.check) {
		if (o.verbose) {
			cconf_print(&d.c, buf, sizeof(buf));
			fputs(buf, stdout);
		}
		printf("configuration OK\n");
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cd_start(&d) < 0 || cd_drop_privileges(&d) < 0) {
		cd_stop(&d);
		return 1;
	}
	d.wd_ms = sdnotify_watchdog_ms();
	sdnotify("READY=1");
	util_uuid_fmt(d.c.host_uuid, id);
	log_info("%s: host %s (%s), libvirt %s, a report every %u ms to %s, "
	    "migrations by %s", CD_SOFTWARE, d.c.host_name, id, d.c.uri,
	    d.c.interval_ms, d.c.balancer, d.ops->name);
	cd_loop(&d);
	sdnotify("STOPPING=1");
	log_info("stopping: %llu reports sent, %llu with a late round; "
	    "commands: %llu received, %llu repeated, %llu refused (%llu from "
	    "an older epoch)", (unsigned long long)d.reports,
	    (unsigned long long)d.late_rounds,
	    (unsigned long long)cmds_stats(d.cmds)->received,
	    (unsigned long long)cmds_stats(d.cmds)->repeated,
	    (unsigned long long)cmds_stats(d.cmds)->refused,
	    (unsigned long long)cmds_stats(d.cmds)->stale_epoch);
	cd_stop(&d);
	return 0;
}
