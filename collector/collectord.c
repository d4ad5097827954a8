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
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include <libvirt/libvirt.h>
#include <zmq.h>

#include "actuator.h"
#include "cconf.h"
#include "cmds.h"
#include "ctraffic.h"
#include "cvmmib.h"
#include "exec_act.h"
#include "hostsrc.h"
#include "log.h"
#include "privdrop.h"
#include "publisher.h"
#include "sdnotify.h"
#include "util.h"
#include "virt.h"
#include "zcurve.h"

#define CD_VERSION	"0.1.0"
#define CD_SOFTWARE	"ballast-collectord " CD_VERSION
#define DEFAULT_CONF	"/etc/ballast/ballast-collectord.conf"
#define CD_TICK_MS	250	/* the loop's longest sleep */
#define CD_COMPLAIN_MS	60000
#define CD_NOACK_MS	30000	/* reports unacknowledged this long: say so */

struct cd_opts {
	const char	*config;
	int		 check, verbose, debug;
	const char	*uri, *balancer, *host_name, *host_uuid, *cluster;
	const char	*interval, *stats_timeout, *actuator, *exec;
	const char	*agentx;	/* --agentx-socket: serve VM-MIB */
	int		 vm_notify;	/* --vm-notifications */
};

/* The daemon's state, passed explicitly. */
struct cd {
	struct cconf		 c;
	void			*zctx;
	struct pub		*pub;
	struct virt		*virt;
	struct hostsrc		*hs;
	struct cmds		*cmds;
	const struct act_ops	*ops;
	void			*act;
	struct virt_snap	 snap;
	struct cvmmib		*mib;	/* VM-MIB over AgentX, or NULL */
	struct ctraffic		*traffic; /* pcap capture, or NULL */
	const char		*agentx;
	int			 vm_notify;
	wire_vm			*vms;
	wire_vm			**vmp;
	Ballast__V1__DirtyRate	 nodirty;
	size_t			 cap;
	unsigned		 round_ms;
	/* the report being prepared */
	int			 pending;
	int64_t			 pend_t0, pend_until, pend_real;
	struct hostsrc_sample	 hsamp;
	int			 hs_ok;
	uint64_t		 reports, late_rounds;
	int64_t			 wd_ms;	/* systemd watchdog period; 0: none */
	struct log_complaint	 conn_cpl, call_cpl, host_cpl, pub_cpl, ack_cpl;
	uint64_t		 acked;	/* the publisher's count, last seen */
	int64_t			 ack_ms; /* when it last moved (or nothing was due) */
	struct log_complaint	 curve_cpl;	/* CURVE handshakes */
	uint64_t		 curve_failed, curve_done;
	char			 server_key[ZCURVE_Z85_LEN + 1];
	struct zcurve_pair	 keys;
};

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
usage(FILE *f)
{
	fprintf(f,
"usage: ballast-collectord [-dnv] [-f file] [--connect uri] [--balancer endpoint]\n"
"                          [--host-name name] [--host-uuid uuid] [--cluster name]\n"
"                          [--interval seconds] [--stats-timeout ms]\n"
"                          [--actuator libvirt|exec|none] [--exec command]\n"
"                          [--agentx-socket path] [--vm-notifications]\n"
"  -f, --config file       configuration (default " DEFAULT_CONF "\n"
"                          when it exists, else built-in defaults)\n"
"  -n, --check             check the configuration, print \"configuration OK\"\n"
"                          and exit; with -v print it back\n"
"  -v, --verbose           with -n: print the parsed configuration\n"
"  -d, --debug             log debug messages\n"
"      --connect uri       libvirt URI (default " CCONF_DEFAULT_URI ")\n"
"      --balancer endpoint the balancer's reports endpoint (default\n"
"                          " CCONF_DEFAULT_BALANCER ")\n"
"      --host-name name    this host's name in reports (default: the short\n"
"                          hostname)\n"
"      --host-uuid uuid    this host's UUID (default: derived from its name)\n"
"      --cluster name      cluster name in reports\n"
"      --interval seconds  between reports (default 10; e.g. 0.5)\n"
"      --stats-timeout ms  the bound on one libvirt call (default 2000, or\n"
"                          a quarter of the interval when that is less)\n"
"      --actuator kind     how migrations run: libvirt (default), exec or none\n"
"      --exec command      the exec actuator's command template\n"
"      --agentx-socket path serve VM-MIB (RFC 7666) as an AgentX subagent of\n"
"                          the master agent at path\n"
"      --vm-notifications  with --agentx-socket: send VM-MIB's lifecycle\n"
"                          notifications (vmRunning, vmPaused, ...)\n"
"  -h, --help              this text\n"
"      --version           print the version\n");
}

static int
parse_args(struct cd_opts *o, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug", no_argument, NULL, 'd' },
		{ "connect", required_argument, NULL, 'c' },
		{ "balancer", required_argument, NULL, 'b' },
		{ "host-name", required_argument, NULL, 'H' },
		{ "host-uuid", required_argument, NULL, 'U' },
		{ "cluster", required_argument, NULL, 'C' },
		{ "interval", required_argument, NULL, 'i' },
		{ "stats-timeout", required_argument, NULL, 't' },
		{ "actuator", required_argument, NULL, 'a' },
		{ "exec", required_argument, NULL, 'e' },
		{ "agentx-socket", required_argument, NULL, 'X' },
		{ "vm-notifications", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, "f:nvdh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->config = optarg; break;
		case 'n': o->check = 1; break;
		case 'v': o->verbose = 1; break;
		case 'd': o->debug = 1; break;
		case 'c': o->uri = optarg; break;
		case 'b': o->balancer = optarg; break;
		case 'H': o->host_name = optarg; break;
		case 'U': o->host_uuid = optarg; break;
		case 'C': o->cluster = optarg; break;
		case 'i': o->interval = optarg; break;
		case 't': o->stats_timeout = optarg; break;
		case 'a': o->actuator = optarg; break;
		case 'e': o->exec = optarg; break;
		case 'X': o->agentx = optarg; break;
		case 'N': o->vm_notify = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("%s\n", CD_SOFTWARE); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* The short hostname, made a valid host name. */
static void
default_host_name(char *out, size_t len)
{
	char	 h[256];
	size_t	 i;

	if (gethostname(h, sizeof(h)) < 0)
		util_strlcpy(h, "localhost", sizeof(h));
	h[sizeof(h) - 1] = '\0';
	h[strcspn(h, ".")] = '\0';
	for (i = 0; h[i] != '\0'; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' &&
		    h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
		    h[i] == '-' || h[i] == '_'))
			h[i] = '-';
	util_strlcpy(out, h[0] ? h : "localhost", len > 64 ? 64 : len);
}

static int
apply_actuator(struct cconf *c, const char *s)
{
	if (strcmp(s, "libvirt") == 0)
		c->actuator = CCONF_ACT_LIBVIRT;
	else if (strcmp(s, "exec") == 0)
		c->actuator = CCONF_ACT_EXEC;
	else if (strcmp(s, "none") == 0)
		c->actuator = CCONF_ACT_NONE;
	else
		return -1;
	return 0;
}

static int
opt_error(const char *msg)
{
	log_warnx("%s", msg);
	return -1;
}

/* Command-line options over the file's values.  0 or -1 (printed). */
static int
apply_opts(struct cconf *c, const struct cd_opts *o)
{
	double	 sec;
	int64_t	 ms;

	if (o->uri)
		util_strlcpy(c->uri, o->uri, sizeof(c->uri));
	if (o->balancer && strncmp(o->balancer, "tcp://", 6) != 0 &&
	    strncmp(o->balancer, "ipc://", 6) != 0)
		return opt_error("--balancer: tcp://HOST:PORT or ipc://PATH");
	if (o->balancer)
		util_strlcpy(c->balancer, o->balancer, sizeof(c->balancer));
	if (o->host_name && (util_strlcpy(c->host_name, o->host_name,
	    sizeof(c->host_name)) >= sizeof(c->host_name) ||
	    wire_check_name(c->host_name, WIRE_MAX_HOST_NAME, 0) < 0))
		return opt_error("--host-name: 1 to 63 of [A-Za-z0-9._-]");
	if (o->host_uuid && util_uuid_parse(o->host_uuid, c->host_uuid) < 0)
		return opt_error("--host-uuid: not a UUID");
	c->has_uuid |= o->host_uuid != NULL;
	if (o->cluster && (util_strlcpy(c->cluster, o->cluster,
	    sizeof(c->cluster)) >= sizeof(c->cluster) ||
	    wire_check_name(c->cluster, WIRE_MAX_CLUSTER, 0) < 0))
		return opt_error("--cluster: 1 to 63 of [A-Za-z0-9._-]");
	if (o->interval) {
		if (util_parse_double(o->interval, 0.1, 3600, &sec) < 0)
			return opt_error("--interval: seconds from 0.1 to 3600");
		c->interval_ms = (unsigned)(sec * 1000);
	}
	if (o->stats_timeout) {
		if (util_parse_i64(o->stats_timeout, 10, 600000, &ms) < 0)
			return opt_error("--stats-timeout: ms from 10 to 600000");
		c->stats_timeout_ms = (unsigned)ms;
	}
	if (o->actuator && apply_actuator(c, o->actuator) < 0)
		return opt_error("--actuator: libvirt, exec or none");
	if (o->exec)
		util_strlcpy(c->exec, o->exec, sizeof(c->exec));
	return 0;
}

static int
load_config(struct cd *d, const struct cd_opts *o)
{
	const char	*path = o->config;
	char		 err[1024];
	int		 rc;

	cconf_defaults(&d->c);
	if (path == NULL && access(DEFAULT_CONF, F_OK) == 0)
		path = DEFAULT_CONF;
	if (path != NULL && (rc = cconf_load(path, &d->c, err,
	    sizeof(err))) < 0) {
		log_warnx("%s%s", err, rc == -ENOENT ? " (name the "
		    "configuration with -f, or leave -f out for the built-in "
		    "defaults; see ballast-collectord(8))" : "");
		return -1;
	}
	if (apply_opts(&d->c, o) < 0)
		return -1;
	if (d->c.host_name[0] == '\0')
		default_host_name(d->c.host_name, sizeof(d->c.host_name));
	if (!d->c.has_uuid)
		util_uuid_from_name("ballast-host", d->c.host_name,
		    d->c.host_uuid);
	if (cconf_check(&d->c, err, sizeof(err)) < 0) {
		log_warnx("%s%s%s", path ? path : "", path ? ": " : "", err);
		return -1;
	}
	return 0;
}

/* --- commands ---------------------------------------------------------- */

static const char *
cmd_state_name(int s)
{
	static const char *const names[] = { "unknown", "accepted", "running",
	    "done", "failed", "cancelled", "refused" };

	return s >= 0 && s < 7 ? names[s] : "unknown";
}

static void
cd_send_status(void *arg, const struct act_update *u)
{
	struct cd			*d = arg;
	Ballast__V1__CommandStatus	 st = BALLAST__V1__COMMAND_STATUS__INIT;

	st.id = u->id;
	st.state = (Ballast__V1__CommandState)u->state;
	st.progress_permille = u->permille;
	st.error = (char *)(uintptr_t)u->error;
	st.bytes_remaining = u->remaining;
	st.elapsed_ms = u->elapsed_ms;
	if (u->state == BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING)
		log_debug("command %llu: running, %u permille, %llu bytes left",
		    (unsigned long long)u->id, u->permille,
		    (unsigned long long)u->remaining);
	else
		log_info("command %llu: %s%s%s", (unsigned long long)u->id,
		    cmd_state_name(u->state), u->error[0] ? ": " : "",
		    u->error);
	if (pub_send_status(d->pub, &st) < 0)
		log_complain(&d->pub_cpl, CD_COMPLAIN_MS, "cannot send the "
		    "status of command %llu", (unsigned long long)u->id);
}

/* An incoming migration's destination copy: not ours to report yet. */
static int
cd_incoming(const struct cd *d, const struct virt_vm *vm)
{
	return vm->state == VIR_DOMAIN_PAUSED &&
	    vm->reason == VIR_DOMAIN_PAUSED_MIGRATION &&
	    d->ops->busy(d->act, vm->uuid) == 0;
}

static int
cd_here(void *arg, const uint8_t vm[16], char *name, size_t len)
{
	struct cd	*d = arg;
	size_t		 i;

	for (i = 0; i < d->snap.n; i++)
		if (memcmp(d->snap.vms[i].uuid, vm, 16) == 0 &&
		    !cd_incoming(d, &d->snap.vms[i])) {
			util_strlcpy(name, d->snap.vms[i].name, len);
			return 1;
		}
	return 0;
}

static void
cd_on_command(void *arg, const Ballast__V1__Command *cmd)
{
	struct cd	*d = arg;

	cmds_on_command(d->cmds, cmd, util_now_mono_ms(), util_now_real_ms());
}

/* --- reports ------------------------------------------------------------ */

static int
cd_grow(struct cd *d, size_t n)
{
	wire_vm		*v;
	wire_vm		**p;

	if (n <= d->cap)
		return 0;
	if ((v = reallocarray(d->vms, n, sizeof(*v))) == NULL)
		return -1;
	d->vms = v;
	if ((p = reallocarray(d->vmp, n, sizeof(*p))) == NULL)
		return -1;
	d->vmp = p;
	d->cap = n;
	return 0;
}

static void
cd_fill_vm(wire_vm *w, struct virt_vm *vm, int stale, int64_t sample_ms)
{
	int64_t	 off = vm->read_ms != 0 ? vm->read_ms - sample_ms : 0;

	ballast__v1__vm_sample__init(w);
	/* its own read time, for the rates; a stale VM's old one is no use */
	if (off >= -WIRE_MAX_READ_OFFSET_MS && off <= WIRE_MAX_READ_OFFSET_MS)
		w->read_offset_ms = (int32_t)off;
	w->uuid.data = vm->uuid;
	w->uuid.len = 16;
	w->name = vm->name;
	w->state = (Ballast__V1__VmState)vstats_wire_state(vm->state);
	w->vcpus = vm->vcpus;
	w->cpu_time_ns = vm->cpu_time_ns;
	w->vcpu_delay_ns = vm->vcpu_delay_ns;
	w->mem_max_bytes = vm->mem_max;
	w->mem_balloon_bytes = vm->mem_balloon;
	w->mem_rss_bytes = vm->mem_rss;
	w->mem_unused_bytes = vm->mem_unused;
	w->blk_rd_bytes = vm->blk_rd_bytes;
	w->blk_wr_bytes = vm->blk_wr_bytes;
	w->blk_rd_ops = vm->blk_rd_ops;
	w->blk_wr_ops = vm->blk_wr_ops;
	w->net_rx_bytes = vm->net_rx_bytes;
	w->net_tx_bytes = vm->net_tx_bytes;
	w->net_rx_pkts = vm->net_rx_pkts;
	w->net_tx_pkts = vm->net_tx_pkts;
	w->net_rx_drop = vm->net_rx_drop;
	w->net_tx_drop = vm->net_tx_drop;
	w->stale = stale || vm->stale;
}

static void
cd_host(struct cd *d, Ballast__V1__HostCapacity *cap,
    Ballast__V1__HostCounters *cnt)
{
	const struct hostsrc_sample	*h = &d->hsamp;

	cap->cpus = h->cpus;
	cap->cpu_mhz = h->cpu_mhz;
	cap->memory_bytes = h->mem_total;
	cap->nic_bps = h->nic_bps;
	cnt->cpu_busy_ns = h->busy_ns;
	cnt->cpu_idle_ns = h->idle_ns;
	cnt->cpu_steal_ns = h->steal_ns;
	cnt->mem_used_bytes = h->mem_total - h->mem_avail;
	cnt->mem_available_bytes = h->mem_avail;
	cnt->cpu_pressure_us = h->psi_cpu_us;
	cnt->mem_pressure_us = h->psi_mem_us;
	cnt->io_pressure_us = h->psi_io_us;
}

/* A balancer that acknowledges nothing is unreachable or not there. */
static void
cd_watch_acks(struct cd *d, int64_t now)
{
	const struct pub_stats	*st = pub_stats(d->pub);

	if (st->acked != d->acked || st->pending == 0 || d->ack_ms == 0) {
		if (st->acked != d->acked)
			log_release(&d->ack_cpl, "the balancer acknowledges "
			    "reports again");
		d->acked = st->acked;
		d->ack_ms = now;
	} else if (now - d->ack_ms > CD_NOACK_MS)
		log_complain(&d->ack_cpl, CD_COMPLAIN_MS, "no acknowledgement "
		    "from the balancer at %s for %lld s, %zu reports kept (is "
		    "ballast-balancerd running and listening there? check "
		    "balancer or --balancer, and the firewall)", d->c.balancer,
		    (long long)((now - d->ack_ms) / 1000), st->pending);
}

/* Sends the report of the pending round; fresh 0: the round was late. */
static void
cd_report(struct cd *d, int fresh, int64_t now)
{
	wire_report			 r = BALLAST__V1__HOST_REPORT__INIT;
	Ballast__V1__HostCapacity	 cap = BALLAST__V1__HOST_CAPACITY__INIT;
	Ballast__V1__HostCounters	 cnt = BALLAST__V1__HOST_COUNTERS__INIT;
	size_t				 i, n = 0;

	if (!d->hs_ok)
		return;		/* no host figures: nothing valid to send */
	if (cd_grow(d, d->snap.n) < 0)
		fatalx("out of memory");
	for (i = 0; i < d->snap.n && n < WIRE_MAX_VMS; i++) {
		if (cd_incoming(d, &d->snap.vms[i]))
			continue;
		cd_fill_vm(&d->vms[n], &d->snap.vms[i], !fresh, d->pend_real);
		ctraffic_addrs(d->traffic, &d->vms[n]);
		d->vmp[n] = &d->vms[n];
		n++;
	}
	cd_host(d, &cap, &cnt);
	r.cluster = d->c.cluster;
	r.sample_time_ms = (uint64_t)d->pend_real;
	r.interval_ms = d->c.interval_ms;
	r.capacity = &cap;
	r.counters = &cnt;
	r.n_vms = n;
	r.vms = d->vmp;
	r.traffic = ctraffic_window(d->traffic, util_now_real_ms());
	if (pub_send_report(d->pub, &r, now) < 0)
		log_complain(&d->pub_cpl, CD_COMPLAIN_MS, "cannot keep a report "
		    "(out of memory)");
	d->reports++;
	cd_watch_acks(d, now);
	if (!fresh)
		d->late_rounds++;
	log_debug("report %llu: %zu VMs%s", (unsigned long long)d->reports, n,
	    fresh ? "" : " (round late: last values, stale)");
}

/* At an interval: the host's figures now, and a round of the VMs. */
static void
cd_start_round(struct cd *d, int64_t now)
{
	int	 rc;

	if ((rc = hostsrc_read(d->hs, &d->hsamp)) < 0)
		log_complain(&d->host_cpl, CD_COMPLAIN_MS, "cannot read the "
		    "host's counters: %s", strerror(-rc));
	else if (!d->hs_ok || d->host_cpl.active)
		log_release(&d->host_cpl, "host counters readable again");
	d->hs_ok |= rc == 0;
	d->pending = 1;
	d->pend_t0 = now;
	d->pend_real = util_now_real_ms();
	d->pend_until = now + d->round_ms + 500;
	virt_request(d->virt);
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

/* --- set-up and the loop ------------------------------------------------ */

static int
cd_start_actuator(struct cd *d)
{
	struct actuator_config	 ac;
	struct exec_act_config	 ec;
	char			 err[512] = "";

	if (d->c.actuator == CCONF_ACT_NONE) {
		d->ops = &act_none_ops;
		return 0;
	}
	if (d->c.actuator == CCONF_ACT_EXEC) {
		memset(&ec, 0, sizeof(ec));
		ec.command = d->c.exec;
		d->ops = &exec_act_ops;
		d->act = exec_act_new(&ec, err, sizeof(err));
	} else {
		memset(&ac, 0, sizeof(ac));
		ac.uri = d->c.uri;
		ac.host_name = d->c.host_name;
		ac.mig = d->c.mig;
		d->ops = &actuator_ops;
		d->act = actuator_new(&ac, err, sizeof(err));
	}
	if (d->act == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

static int
cd_start_cmds(struct cd *d)
{
	struct cmds_config	 cc;

	memset(&cc, 0, sizeof(cc));
	cc.ops = d->ops;
	cc.act = d->act;
	cc.here = cd_here;
	cc.send = cd_send_status;
	cc.arg = d;
	cc.host_name = d->c.host_name;
	cc.timeout_ms = d->c.mig.timeout_ms;
	cc.bandwidth = d->c.mig.bandwidth;
	cc.max_downtime_ms = d->c.mig.max_downtime_ms;
	return (d->cmds = cmds_new(&cc)) == NULL ? -1 : 0;
}

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

static int
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
static int
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

static void
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

int
main(int argc, char *argv[])
{
	struct cd		 d;
	struct cd_opts		 o;
	struct sigaction	 sa;
	char			 buf[8192], id[UTIL_UUID_STRLEN];

	memset(&d, 0, sizeof(d));
	log_init("ballast-collectord", LOG_LVL_INFO);
	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if (load_config(&d, &o) < 0)
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
